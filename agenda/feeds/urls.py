"""Public feeds, mounted under /feeds/ (agenda.links builds their absolute addresses)."""

from django.urls import path

from . import views

urlpatterns = [
    path("agenda.ics", views.agenda_feed, name="feed-agenda"),
    path("events/<slug:slug>.ics", views.event_feed, name="feed-event"),
    path("events/<slug:slug>/event.ics", views.event_download, name="feed-event-download"),
    path("sessions/<uuid:session_uuid>.ics", views.session_download, name="feed-session-download"),
]
