import pytest

from tests.orga.support import event_with_session, organizer_of

pytestmark = pytest.mark.django_db


def test_pages_render(client):
    event, session = event_with_session()
    client.force_login(organizer_of(event))
    for url in ["edit/", "clone/", "preview/", "programme/", "programme/sessions/new/",
                f"programme/sessions/{session.pk}/", f"programme/sessions/{session.pk}/delete/",
                "programme/rooms/", "programme/tracks/", "programme/speakers/"]:
        response = client.get(f"/orga/events/{event.slug}/{url}")
        assert response.status_code == 200, (url, response.content[:3000])
