"""Offer pages. They live under /opportunities/ (see careertips/urls.py), next to the
opportunity each offer belongs to."""

from django.urls import path

from careertips.offers import views

app_name = "offers"
urlpatterns = [
    path("<int:pk>/offer/new/", views.offer_create, name="create"),
    path("offers/compare/", views.offer_compare, name="compare"),
    path("offers/<int:pk>/edit/", views.offer_edit, name="edit"),
    path("offers/<int:pk>/delete/", views.offer_delete, name="delete"),
    path("offers/<int:pk>/negotiate/", views.offer_negotiate, name="negotiate"),
    path("offers/<int:pk>/negotiate/figures/", views.figure_add, name="figure-add"),
    path("offers/<int:pk>/negotiate/case/", views.case_update, name="case"),
    path("offers/<int:pk>/negotiate/log/", views.step_add, name="log"),
    path("offers/<int:pk>/accept/", views.offer_accept, name="accept"),
    path("offers/figures/<int:pk>/delete/", views.figure_delete, name="figure-delete"),
    path("offers/rates/<int:pk>/delete/", views.rate_delete, name="rate-delete"),
]
