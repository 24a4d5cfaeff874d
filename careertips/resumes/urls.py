from django.urls import path

from careertips.resumes import views

app_name = "resumes"
urlpatterns = [
    # The master material: profile, positions, credentials, one bullet per story.
    path("", views.home, name="home"),
    path("profile/", views.profile_edit, name="profile"),
    path("positions/new/", views.position_create, name="position-create"),
    path("positions/<int:pk>/", views.position_edit, name="position"),
    path("positions/<int:pk>/delete/", views.position_delete, name="position-delete"),
    path("credentials/new/", views.credential_create, name="credential-create"),
    path("credentials/<int:pk>/delete/", views.credential_delete, name="credential-delete"),
    path("stories/<int:story_pk>/bullet/", views.bullet_edit, name="bullet"),
    # Versions tailored to an opportunity, and their edits.
    path("versions/", views.version_list, name="versions"),
    path("opportunities/<int:opportunity_pk>/", views.opportunity_resumes, name="opportunity"),
    path("opportunities/<int:opportunity_pk>/tailor/", views.tailor, name="tailor"),
    path("versions/<int:pk>/", views.version, name="version"),
    path("versions/<int:pk>/edit/", views.version_update, name="version-edit"),
    path("versions/<int:pk>/sent/", views.version_sent, name="version-sent"),
    path("versions/<int:pk>/delete/", views.version_delete, name="version-delete"),
    path("versions/<int:pk>/export/<str:fmt>/", views.version_export, name="version-export"),
    path("bullets/<int:pk>/", views.item_rewrite, name="item-rewrite"),
    path("bullets/<int:pk>/hide/", views.item_hide, name="item-hide"),
    path("bullets/<int:pk>/move/", views.item_move, name="item-move"),
    # The cover letter.
    path("opportunities/<int:opportunity_pk>/letter/", views.letter, name="letter"),
    path(
        "opportunities/<int:opportunity_pk>/letter/draft/", views.letter_draft, name="letter-draft"
    ),
    path("letters/<int:pk>/export/<str:fmt>/", views.letter_export, name="letter-export"),
]
