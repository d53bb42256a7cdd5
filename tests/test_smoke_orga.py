import pytest

from tests.factories import EventFactory, RegistrationFactory, UserFactory, grant

pytestmark = pytest.mark.django_db
def test_smoke(client):
    event = EventFactory(capacity=3)
    RegistrationFactory(event=event)
    user = UserFactory()
    grant(event, user)
    client.force_login(user)
    r = client.get("/orga/")
    assert r.status_code == 200, r.content[:2000]
    assert event.title.encode() in r.content
    r = client.get(f"/orga/events/{event.slug}/")
    assert r.status_code == 200, r.content[:3000]
    other = EventFactory()
    assert client.get(f"/orga/events/{other.slug}/").status_code == 404
    client.logout()
    assert client.get("/orga/").status_code == 302
    assert client.get("/orga/login/").status_code == 200
