from django.urls import path

from careertips.pages import views

app_name = "pages"
urlpatterns = [
    path("", views.home, name="home"),
    path("alliances/", views.alliances, name="alliances"),
    path("testimonials/", views.testimonials, name="testimonials"),
    path("testimonials/share/", views.share_story, name="share-story"),
    path("testimonials/share/thanks/", views.share_story_thanks, name="share-story-thanks"),
    path("contact/", views.contact, name="contact"),
    path("contact/thanks/", views.contact_thanks, name="contact-thanks"),
    path("staff/", views.staff_dashboard, name="staff"),
    path("staff/preview/", views.staff_preview, name="staff-preview"),
    path("staff/pages/", views.staff_pages, name="staff-pages"),
    path("staff/pages/new/", views.staff_page_edit, name="staff-page-new"),
    path("staff/pages/<int:pk>/", views.staff_page_edit, name="staff-page-edit"),
    path("staff/pages/<int:pk>/delete/", views.staff_page_delete, name="staff-page-delete"),
    path("staff/alliances/", views.staff_alliances, name="staff-alliances"),
    path("staff/alliances/new/", views.staff_alliance_edit, name="staff-alliance-new"),
    path("staff/alliances/<int:pk>/", views.staff_alliance_edit, name="staff-alliance-edit"),
    path("staff/alliances/<int:pk>/move/", views.staff_alliance_move, name="staff-alliance-move"),
    path(
        "staff/alliances/<int:pk>/delete/",
        views.staff_alliance_delete,
        name="staff-alliance-delete",
    ),
    path("staff/testimonials/", views.staff_testimonials, name="staff-testimonials"),
    path(
        "staff/testimonials/<int:pk>/",
        views.staff_testimonial_edit,
        name="staff-testimonial-edit",
    ),
    path(
        "staff/testimonials/<int:pk>/approve/",
        views.staff_testimonial_decide,
        {"decision": "approve"},
        name="staff-testimonial-approve",
    ),
    path(
        "staff/testimonials/<int:pk>/reject/",
        views.staff_testimonial_decide,
        {"decision": "reject"},
        name="staff-testimonial-reject",
    ),
    path("staff/messages/", views.staff_messages, name="staff-messages"),
    path("staff/messages/<int:pk>/", views.staff_message, name="staff-message"),
    path(
        "staff/messages/<int:pk>/handled/",
        views.staff_message_handled,
        name="staff-message-handled",
    ),
    # Last: any other single segment is an editable page (Career Search, About, …).
    path("<slug:slug>/", views.page, name="page"),
]
