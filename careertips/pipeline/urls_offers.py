"""Offer pages, under /opportunities/ next to the rest of the pipeline."""

from django.urls import path

from careertips.pipeline import views_offers as views

urlpatterns = [
    path("<int:pk>/offer/new/", views.offer_create, name="offer-create"),
    path("offers/compare/", views.offer_compare, name="offer-compare"),
    path("offers/<int:pk>/edit/", views.offer_edit, name="offer-edit"),
    path("offers/<int:pk>/delete/", views.offer_delete, name="offer-delete"),
    path("offers/<int:pk>/negotiate/", views.offer_negotiate, name="offer-negotiate"),
    path("offers/<int:pk>/negotiate/figures/", views.figure_add, name="offer-figure-add"),
    path("offers/<int:pk>/negotiate/case/", views.case_update, name="offer-case"),
    path("offers/<int:pk>/negotiate/log/", views.step_add, name="offer-log"),
    path("offers/<int:pk>/accept/", views.offer_accept, name="offer-accept"),
    path("offers/figures/<int:pk>/delete/", views.figure_delete, name="offer-figure-delete"),
    path("offers/rates/<int:pk>/delete/", views.rate_delete, name="offer-rate-delete"),
]
