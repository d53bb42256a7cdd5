from django.urls import path

from . import organizer, views

# A manage token: 32 hex characters of public id, then the URL-safe secret.
CAPABILITY = "<str:token>"

urlpatterns = [
    path(
        "events/<slug:slug>/registrations/",
        views.EventRegistrationsView.as_view(),
        name="event-registrations",
    ),
    path("events/<slug:slug>/registrations/export.csv", organizer.ExportCsvView.as_view(),
         name="event-registrations-csv"),
    path("events/<slug:slug>/registrations/export.json", organizer.ExportJsonView.as_view(),
         name="event-registrations-json"),
    path("events/<slug:slug>/registrations/<uuid:public_id>/",
         organizer.RegistrationDetailView.as_view(), name="event-registration"),
    path("events/<slug:slug>/registrations/<uuid:public_id>/approve/",
         organizer.ApproveRegistrationView.as_view(), name="event-registration-approve"),
    path("events/<slug:slug>/registrations/<uuid:public_id>/cancel/",
         organizer.CancelRegistrationByOrganizerView.as_view(),
         name="event-registration-cancel"),
    path("events/<slug:slug>/registrations/<uuid:public_id>/promote/",
         organizer.PromoteRegistrationView.as_view(), name="event-registration-promote"),
    path("events/<slug:slug>/registrations/<uuid:public_id>/check-in/",
         organizer.CheckInView.as_view(), name="event-registration-check-in"),
    path(
        "events/<slug:slug>/questions/",
        views.EventQuestionsView.as_view(),
        name="event-questions",
    ),
    path(f"registrations/{CAPABILITY}/", views.RegistrationView.as_view(), name="registration"),
    path(
        f"registrations/{CAPABILITY}/cancel/",
        views.CancelRegistrationView.as_view(),
        name="registration-cancel",
    ),
    path(
        f"registrations/{CAPABILITY}/erase/",
        views.EraseRegistrationView.as_view(),
        name="registration-erase",
    ),
    path(
        f"registrations/{CAPABILITY}/data/",
        views.RegistrationDataView.as_view(),
        name="registration-data",
    ),
    path(
        f"registrations/{CAPABILITY}/feed-token/",
        views.RotateFeedTokenView.as_view(),
        name="registration-feed-token",
    ),
]
