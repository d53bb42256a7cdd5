"""The event page (/events/{slug}/) and its speaker list: what a visitor learns before
registering."""

import datetime as dt

import pytest
from django.conf import settings

from agenda.enums import EventFormat, EventStatus, SessionStatus
from tests.factories import (
    EventFactory,
    SessionFactory,
    SpeakerFactory,
    TrackFactory,
    create_event_with_programme,
)

pytestmark = pytest.mark.django_db


def test_event_page_shows_description_venue_and_programme(client):
    event = create_event_with_programme(sessions=2, description="Practitioners compare notes.")
    session = event.sessions.order_by("start").first()
    speaker = session.speakers.first()

    response = client.get(f"/events/{event.slug}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{event.title}</h1>" in html
    assert "Practitioners compare notes." in html
    assert event.venue_name in html
    assert session.title in html
    assert speaker.display_name in html
    assert session.track.name in html
    assert f'href="/events/{event.slug}/speakers/"' in html


def test_event_page_never_shows_the_join_link(client):
    event = EventFactory(format=EventFormat.ONLINE, venue_name="",
                         online_url="https://meet.example.org/very-secret")

    html = client.get(f"/events/{event.slug}/").content.decode()

    assert "very-secret" not in html
    assert "The link to join is emailed to registered attendees." in html


def test_programme_is_in_time_order_by_day_with_track_labels(client):
    start = dt.datetime(2031, 3, 4, 8, 0, tzinfo=dt.UTC)
    event = EventFactory(start=start, end=start + dt.timedelta(days=1, hours=8))
    policy = TrackFactory(event=event, name="Policy")
    practice = TrackFactory(event=event, name="Practice")
    SessionFactory(event=event, title="Day two talk", track=policy,
                   start=start + dt.timedelta(days=1), end=start + dt.timedelta(days=1, hours=1))
    SessionFactory(event=event, title="Late policy talk", track=policy,
                   start=start + dt.timedelta(hours=4), end=start + dt.timedelta(hours=5))
    SessionFactory(event=event, title="Practice talk", track=practice,
                   start=start + dt.timedelta(hours=2), end=start + dt.timedelta(hours=3))
    SessionFactory(event=event, title="Early policy talk", track=policy,
                   start=start, end=start + dt.timedelta(hours=1))

    html = client.get(f"/events/{event.slug}/").content.decode()
    programme = html[html.index('id="programme-heading"'):html.index('id="register"')]

    order = [
        programme.index(text)
        for text in ("Tuesday 4 March 2031", "Early policy talk", "Practice talk",
                     "Late policy talk", "Wednesday 5 March 2031", "Day two talk")
    ]
    assert order == sorted(order)
    assert programme.count('<span class="track-label">Policy</span>') == 3
    assert programme.count('<span class="track-label">Practice</span>') == 1


def test_cancelled_sessions_and_events_are_marked(client):
    event = EventFactory(status=EventStatus.CANCELLED)
    SessionFactory(event=event, title="Dropped panel", status=SessionStatus.CANCELLED)

    html = client.get(f"/events/{event.slug}/").content.decode()

    assert "This event has been cancelled." in html
    assert "Session cancelled" in html
    assert "This event has been cancelled; registration is closed." in html
    assert 'name="consent"' not in html  # no form for a cancelled event


def test_event_page_offers_every_way_to_add_it_to_a_calendar(client):
    event = EventFactory(slug="rbf-2031")

    html = client.get(f"/events/{event.slug}/").content.decode()
    host = settings.SITE_URL.split("://", 1)[1]

    assert f'href="webcal://{host}/feeds/events/rbf-2031.ics"' in html
    assert f'href="{settings.SITE_URL}/feeds/events/rbf-2031/event.ics" download' in html
    assert 'href="https://calendar.google.com/calendar/render?action=TEMPLATE' in html
    assert 'href="https://outlook.office.com/calendar/0/deeplink/compose?' in html


def test_full_sessions_are_offered_disabled(client):
    event = EventFactory(capacity=10)
    SessionFactory(event=event, title="Workshop A", capacity=0)
    roomy = SessionFactory(event=event, title="Workshop B", capacity=12)

    html = client.get(f"/events/{event.slug}/").content.decode()

    title = html.index('<span class="choice-title">Workshop A</span>')
    full_box = html[html.rindex("<li", 0, title):title]
    assert "disabled" in full_box
    assert f'value="{roomy.pk}" id="session-{roomy.pk}">' in html
    assert "12 seats left" in html


def test_draft_and_unknown_events_are_not_found(client):
    draft = EventFactory(status=EventStatus.DRAFT)

    assert client.get(f"/events/{draft.slug}/").status_code == 404
    assert client.get(f"/events/{draft.slug}/speakers/").status_code == 404
    assert client.get("/events/no-such-event/").status_code == 404


def test_speaker_list_shows_each_speaker_once_with_their_sessions(client):
    event = EventFactory()
    speaker = SpeakerFactory(name="Lea Novak", role="Buyer", organization="Retailer",
                             bio="Twenty years in sourcing.")
    SessionFactory(event=event, title="Morning panel", speakers=[speaker])
    SessionFactory(event=event, title="Afternoon clinic", speakers=[speaker],
                   start=event.start + dt.timedelta(hours=3),
                   end=event.start + dt.timedelta(hours=4))
    SessionFactory(event=event, title="Anonymous talk",
                   speakers=[SpeakerFactory(role="Auditor", organization="Certifier")])

    response = client.get(f"/events/{event.slug}/speakers/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count(f'<h2><a href="/speakers/{speaker.pk}/">Lea Novak</a></h2>') == 1
    assert "Buyer, Retailer" in html
    assert "Twenty years in sourcing." in html
    assert "Morning panel" in html and "Afternoon clinic" in html
    assert ">Auditor</a></h2>" in html


def test_opengraph_tags_describe_the_event_at_its_canonical_address(client):
    event = EventFactory(title="Forum on Fair Wages", summary="Living wages in supply chains.")

    html = client.get(f"/events/{event.slug}/").content.decode()

    url = f"{settings.SITE_URL}/events/{event.slug}/"
    assert '<meta property="og:title" content="Forum on Fair Wages">' in html
    assert "Living wages in supply chains." in html.split('property="og:description"')[1][:200]
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:type" content="website">' in html
    assert f'<link rel="canonical" href="{url}">' in html


def test_agenda_has_opengraph_tags_too(client):
    html = client.get("/").content.decode()

    for name in ("og:title", "og:description", "og:url", "og:type"):
        assert f'property="{name}"' in html


def test_event_page_shows_closing_time_map_share_links_and_contact(client):
    closes = dt.datetime(2040, 5, 1, 16, 0, tzinfo=dt.UTC)
    event = EventFactory(
        title="Forum on Fair Wages", venue_name="Square", venue_address="Mont des Arts, Brussels",
        start=dt.datetime(2040, 5, 10, 8, tzinfo=dt.UTC), end=dt.datetime(2040, 5, 10, 16,
                                                                          tzinfo=dt.UTC),
        registration_closes_at=closes, contact_name="Hélène Vasseur",
        contact_email="events@network.example.org",
    )

    html = client.get(f"/events/{event.slug}/").content.decode()

    assert "Registration closes:" in html
    assert '<time datetime="2040-05-01T18:00:00+02:00">' in html
    assert ('href="https://www.openstreetmap.org/search?query=Square%2C%20Mont%20des%20Arts'
            '%2C%20Brussels"') in html
    assert "https://www.linkedin.com/sharing/share-offsite/?url=" in html
    assert "mailto:?subject=Forum%20on%20Fair%20Wages" in html
    assert 'href="mailto:events@network.example.org"' in html and "Hélène Vasseur" in html
    assert "<script" not in html.split("</head>")[1]  # no third-party script in the page


def test_online_event_has_no_map_link(client):
    event = EventFactory(format=EventFormat.ONLINE, venue_name="")

    html = client.get(f"/events/{event.slug}/").content.decode()

    assert "openstreetmap" not in html
