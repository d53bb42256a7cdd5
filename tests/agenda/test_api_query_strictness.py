"""Query strings the list endpoints refuse with a message, rather than guess at."""

import pytest

from tests.factories import EventFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    ["starts_before=", "starts_after=", "q=", "tag=", "kind=", "page_size=", "page="],
)
def test_an_empty_parameter_is_a_400_naming_it(api_client, query):
    EventFactory()

    response = api_client.get(f"/api/v1/events/?{query}")

    name = query.rstrip("=")
    assert response.status_code == 400
    assert response.json()["errors"] == {name: ["Give a value, or leave the parameter out."]}
    assert response.json()["detail"] == f"{name}: Give a value, or leave the parameter out."


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/v1/events/?page_size=5&page_size=50", "page_size"),
        ("/api/v1/events/?page=1&page=2", "page"),
        ("/api/v1/events/?starts_before=2030-01-01&starts_before=2031-01-01", "starts_before"),
        ("/api/v1/events/?q=a&q=b", "q"),
        ("/api/v1/sessions/?page_size=5&page_size=50", "page_size"),
        ("/api/v1/sessions/?day=2030-01-01&day=2030-01-02", "day"),
    ],
)
def test_a_parameter_given_twice_is_a_400_naming_it(api_client, url, name):
    SessionFactory()

    response = api_client.get(url)

    assert response.status_code == 400
    assert response.json()["errors"] == {name: ["Give this parameter once."]}


def test_a_choice_filter_may_be_repeated_to_ask_for_several(api_client):
    forum = EventFactory(kind="forum")
    webinar = EventFactory(kind="webinar")

    response = api_client.get("/api/v1/events/?kind=forum&kind=webinar&page_size=5")

    assert response.status_code == 200
    assert {item["slug"] for item in response.json()["results"]} == {forum.slug, webinar.slug}


@pytest.mark.parametrize("page_size", ["0", "101", "ten", "-5", "1.5", " 5", "5 ", "+5", "٥"])
def test_a_page_size_out_of_range_is_a_400_not_a_silent_default(api_client, page_size):
    # DRF's own takes the default page size for 0 or a word, and 100 for more than 100.
    EventFactory()

    response = api_client.get("/api/v1/events/", {"page_size": page_size})

    assert response.status_code == 400
    assert response.json()["errors"] == {"page_size": ["Give a whole number from 1 to 100."]}


def test_the_largest_page_size_is_taken(api_client):
    EventFactory()

    response = api_client.get("/api/v1/events/?page_size=100")

    assert response.status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/events/", "/api/v1/sessions/"])
@pytest.mark.parametrize("page", ["0", "-1", " 1", "1 ", "+1", "1.0", "١", "1_0", "one"])
def test_a_page_that_is_not_a_whole_number_from_1_is_a_400(api_client, url, page):
    # Django's paginator read " 1" and "+1" as page 1, and "1.0" or "١" as a page not found.
    SessionFactory()

    response = api_client.get(url, {"page": page})

    assert response.status_code == 400
    assert response.json()["errors"] == {"page": ["Give a page number: a whole number from 1."]}


def test_a_page_past_the_last_is_still_a_404_and_last_is_still_the_last(api_client):
    SessionFactory()

    assert api_client.get("/api/v1/events/", {"page": "2"}).status_code == 404
    assert api_client.get("/api/v1/events/", {"page": "last"}).status_code == 200
