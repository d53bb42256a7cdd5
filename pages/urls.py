"""The attendee pages. ``/manage/<token>/`` is the address ``registrations.links.manage_url``
builds for the emails."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .sitemaps import SITEMAPS

app_name = "pages"

# A management token: 32 hex characters of public id, then the URL-safe secret.
CAPABILITY = "<str:token>"

urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("events/<slug:slug>/speakers/", views.speakers, name="speakers"),
    path(
        "events/<slug:slug>/sessions/<int:session_id>/", views.session_detail, name="session"
    ),
    path("speakers/<int:speaker_id>/", views.speaker_detail, name="speaker"),
    path("privacy/", views.privacy, name="privacy"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Before the token patterns: "erased" is too short to be a token.
    path("manage/erased/", views.erased, name="erased"),
    path(f"manage/{CAPABILITY}/", views.manage, name="manage"),
    path(
        f"manage/{CAPABILITY}/sessions/<int:session_id>/",
        views.manage_session,
        name="manage-session",
    ),
    path(f"manage/{CAPABILITY}/answers/", views.answers, name="answers"),
    path(f"manage/{CAPABILITY}/cancel/", views.cancel, name="cancel"),
    path(f"manage/{CAPABILITY}/erase/", views.erase, name="erase"),
    path(f"manage/{CAPABILITY}/calendar-link/", views.rotate_feed, name="rotate-feed"),
    path(f"manage/{CAPABILITY}/reminders/", views.reminders, name="reminders"),
    path(f"manage/{CAPABILITY}/data/", views.download_data, name="data"),
    path(f"manage/{CAPABILITY}/ticket.pdf", views.ticket_pdf, name="ticket-pdf"),
    path(f"manage/{CAPABILITY}/ticket/", views.rotate_ticket, name="rotate-ticket"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]
