from django.urls import path

from careertips.network.views import contacts, events, imports, organizations

app_name = "network"
urlpatterns = [
    path("", contacts.contact_list, name="contacts"),
    path("contacts/new/", contacts.contact_new, name="contact-new"),
    path("contacts/duplicates/", contacts.duplicate_list, name="duplicates"),
    path("contacts/export.csv", contacts.export_csv, name="export-csv"),
    path("contacts/export.vcf", contacts.export_vcard, name="export-vcard"),
    path("contacts/<int:pk>/", contacts.contact_detail, name="contact"),
    path("contacts/<int:pk>/edit/", contacts.contact_edit, name="contact-edit"),
    path("contacts/<int:pk>/delete/", contacts.contact_delete, name="contact-delete"),
    path("contacts/<int:pk>/merge/", contacts.contact_merge, name="contact-merge"),
    path("contacts/<int:pk>/touchpoints/", contacts.touchpoint_log, name="log-touchpoint"),
    path("touchpoints/<int:pk>/delete/", contacts.touchpoint_delete, name="touchpoint-delete"),
    path("organizations/", organizations.organization_list, name="organizations"),
    path("organizations/new/", organizations.organization_new, name="organization-new"),
    path("organizations/<int:pk>/", organizations.organization_detail, name="organization"),
    path("organizations/<int:pk>/edit/", organizations.organization_edit, name="organization-edit"),
    path(
        "organizations/<int:pk>/delete/",
        organizations.organization_delete,
        name="organization-delete",
    ),
    path("events/", events.event_list, name="events"),
    path("events/new/", events.event_new, name="event-new"),
    path("events/<int:pk>/", events.event_detail, name="event"),
    path("events/<int:pk>/edit/", events.event_edit, name="event-edit"),
    path("events/<int:pk>/delete/", events.event_delete, name="event-delete"),
    path("events/<int:pk>/attendees/", events.attendance_set, name="event-attendees"),
    path("attendees/<int:pk>/remove/", events.attendance_remove, name="attendee-remove"),
    path("import/", imports.import_upload, name="import"),
    path("import/<int:pk>/", imports.import_batch, name="import-batch"),
    path("import/<int:pk>/confirm/", imports.import_confirm, name="import-confirm"),
    path("import/<int:pk>/discard/", imports.import_discard, name="import-discard"),
]
