"""The project's URLs, and beside them the baselines' (``benchmarks.baselines``)."""

from django.urls import path

from config.urls import urlpatterns as service_urlpatterns

from . import baselines

urlpatterns = [
    path("bench/register/<int:event_id>/", baselines.register),
    path("bench/feed/<int:event_id>.ics", baselines.feed),
    path("bench/not-modified/", baselines.not_modified),
    path("bench/api/events/", baselines.events),
    path("bench/api/sessions/", baselines.sessions),
    path("bench/template/", baselines.template),
    *service_urlpatterns,
]

handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"
