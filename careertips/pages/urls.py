from django.urls import path

from careertips.pages.views import public, staff

app_name = "pages"
urlpatterns = [
    path("", public.home, name="home"),
    path("alliances/", public.alliances, name="alliances"),
    path("testimonials/", public.testimonials, name="testimonials"),
    path("testimonials/share/", public.share_story, name="share-story"),
    path("testimonials/share/thanks/", public.share_story_thanks, name="share-story-thanks"),
    path("contact/", public.contact, name="contact"),
    path("contact/thanks/", public.contact_thanks, name="contact-thanks"),
    path("staff/", staff.staff_dashboard, name="staff"),
    path("staff/preview/", staff.staff_preview, name="staff-preview"),
    path("staff/pages/", staff.staff_pages, name="staff-pages"),
    path("staff/pages/new/", staff.staff_page_edit, name="staff-page-new"),
    path("staff/pages/<int:pk>/", staff.staff_page_edit, name="staff-page-edit"),
    path("staff/pages/<int:pk>/delete/", staff.staff_page_delete, name="staff-page-delete"),
    path("staff/alliances/", staff.staff_alliances, name="staff-alliances"),
    path("staff/alliances/new/", staff.staff_alliance_edit, name="staff-alliance-new"),
    path("staff/alliances/<int:pk>/", staff.staff_alliance_edit, name="staff-alliance-edit"),
    path("staff/alliances/<int:pk>/move/", staff.staff_alliance_move, name="staff-alliance-move"),
    path(
        "staff/alliances/<int:pk>/delete/",
        staff.staff_alliance_delete,
        name="staff-alliance-delete",
    ),
    path("staff/testimonials/", staff.staff_testimonials, name="staff-testimonials"),
    path(
        "staff/testimonials/<int:pk>/",
        staff.staff_testimonial_edit,
        name="staff-testimonial-edit",
    ),
    path(
        "staff/testimonials/<int:pk>/approve/",
        staff.staff_testimonial_decide,
        {"decision": "approve"},
        name="staff-testimonial-approve",
    ),
    path(
        "staff/testimonials/<int:pk>/reject/",
        staff.staff_testimonial_decide,
        {"decision": "reject"},
        name="staff-testimonial-reject",
    ),
    path("staff/messages/", staff.staff_messages, name="staff-messages"),
    path("staff/messages/<int:pk>/", staff.staff_message, name="staff-message"),
    path(
        "staff/messages/<int:pk>/handled/",
        staff.staff_message_handled,
        name="staff-message-handled",
    ),
    # Last: any other single segment is an editable page (Career Search, About, …).
    path("<slug:slug>/", public.page, name="page"),
]
