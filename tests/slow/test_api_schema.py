"""The API against its own OpenAPI document: schemathesis with every check.

The app runs in-process behind schemathesis's WSGI transport (Django's full request handling,
middleware included, without a socket) on the test database, seeded once with published
events, sessions, rooms, tracks, speakers, questions, registrations and
a webhook, and an organizer whose token goes in every request's ``Authorization`` header.
Generated path parameters are, for most cases schemathesis generates as valid, swapped for
the ids of those real objects (``map_case`` below), so the fuzzing reaches real events and
registrations rather than a wall of 404s; the rest keep their generated value and check the
404s. Negative cases keep what schemathesis generated, so "invalid input is refused" stays
honest. A stateful run follows the schema's links (register, then manage the registration
by its token; create a session, then change and delete it). Every case, and every stateful
scenario, starts from the data as seeded and leaves nothing behind (``as_seeded``).

Every request is counted; the run asserts at least ``MIN_REQUESTS`` of them and prints the
count and the time taken (``make test-schema`` shows it; ``make test-slow`` on a failure).
"""

import datetime as dt
import hashlib
import logging
import time
from contextlib import contextmanager

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.generation.meta import TestPhase

from agenda.enums import EventStatus
from agenda.models import Room, Session, Speaker, Track
from tests.factories import (
    QuestionFactory,
    RegistrationFactory,
    RoomFactory,
    SpeakerFactory,
    UserFactory,
    create_event_with_programme,
    grant,
)
from webhooks import signing
from webhooks.models import Webhook

MIN_REQUESTS = 10_000
# Fuzzing examples per operation (the examples and coverage phases add their own cases).
MAX_EXAMPLES = 135
STATEFUL_STEPS = 400

# Filled while the tests run; the last test of the module reads it.
RUN = {"requests": 0, "started": None, "operations": 0}

CONFIG = {
    "checks": {"enabled": True},
    "phases": {
        "examples": {"enabled": True},
        "coverage": {"enabled": True},
        "fuzzing": {"enabled": True},
        "stateful": {"enabled": True},
    },
    # Django refuses NUL characters in any text (ProhibitNullCharactersValidator), which a
    # JSON Schema "string" cannot say.
    "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "allow-x00": False},
    "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
    "operations": [
        {
            # Writes follow rules no JSON Schema states: an event ends after it starts, a
            # session lies within its event, a slug is unique, a tag or event slug exists, a
            # time zone is an IANA name, an answer matches its question. A schema-valid write
            # may therefore get a 400 naming the rule; a 404 for an id generated rather than
            # seeded, a 409 for a state (a cancelled registration, a full event), a 429 for
            # a burst. Never a 401 or 403: every request carries the token of an organizer of
            # every seeded event. Every other check still applies.
            "include-method": ["POST", "PUT", "PATCH"],
            "checks": {"positive_data_acceptance": {
                "expected-statuses": ["2xx", 400, 404, 409, 429]}},
        },
    ],
}


def _seed() -> dict[str, list]:
    """Real objects the fuzzing aims at, by the path parameter that names them."""
    now = timezone.now().replace(microsecond=0)
    events = [
        create_event_with_programme(slug=f"forum-{index}", sessions=3, capacity=500,
                                    start=now + dt.timedelta(days=20 + index))
        for index in range(3)
    ]
    draft = create_event_with_programme(slug="draft-forum", status=EventStatus.DRAFT)
    organizer = UserFactory(username="schema-organizer")
    for event in [*events, draft]:
        grant(event, organizer)
        QuestionFactory(event=event, kind="one_choice")
        RoomFactory(event=event)
    SpeakerFactory.create_batch(2)  # in no session yet
    registrations = [
        RegistrationFactory(event=event, session_ids=[event.sessions.first().pk])
        for event in events for _ in range(4)
    ]
    # Made directly: the service resolves the URL's host, and the test runs without DNS.
    hook = Webhook.objects.create(
        owner=organizer, url="https://hooks.example.org/agenda", event=events[0],
        event_types=["registration.confirmed"], description="schema test",
        secret=signing.new_secret(),
    )
    token, _created = Token.objects.get_or_create(user=organizer)
    return {
        "token": token.key,
        "slug": [event.slug for event in events] + [draft.slug],
        "public_id": [str(registration.public_id) for registration in registrations],
        "token_of_registration": [registration.manage_token for registration in registrations],
        "session_id": list(Session.objects.values_list("pk", flat=True)),
        "speaker_id": list(Speaker.objects.values_list("pk", flat=True)),
        "room_id": list(Room.objects.values_list("pk", flat=True)),
        "track_id": list(Track.objects.values_list("pk", flat=True)),
        "webhook_id": [hook.pk],
    }


def _pick(values: list, generated: object) -> object | None:
    """A real value for most generated ones, the generated one for the rest: chosen from the
    generated value itself, so Hypothesis replays the same request."""
    digest = int(hashlib.sha256(repr(generated).encode()).hexdigest(), 16)
    slot = digest % (len(values) + 1)
    return None if slot == len(values) else values[slot]


def _real_ids_for(path: str, name: str, seeded: dict) -> list:
    if name == "slug":
        return seeded["slug"]
    if name == "public_id":
        return seeded["public_id"]
    if name == "token":
        return seeded["token_of_registration"]
    if name == "delivery_id":
        return []
    if name == "id":
        for prefix, key in (("/api/v1/sessions/", "session_id"),
                            ("/api/v1/speakers/", "speaker_id"),
                            ("/api/v1/webhooks/", "webhook_id")):
            if path.startswith(prefix):
                return seeded[key]
        if "/rooms/" in path:
            return seeded["room_id"]
        if "/tracks/" in path:
            return seeded["track_id"]
    return []


@contextmanager
def as_seeded():
    """Runs the block on the data as seeded, and forgets what it wrote: a savepoint rolled
    back at its end, and an empty cache (a cached body or revision may come from writes the
    rollback undid)."""
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    # Seeded once, committed. The fuzzing of all operations is ONE pytest test (schemathesis
    # runs each operation as a subtest of it), inside one transaction (``db`` in
    # ``api_schema``): each of its cases therefore runs ``as_seeded`` — otherwise what one
    # case writes or deletes (a seeded event, an event created as "0") would change what
    # later cases get, and Hypothesis, replaying a failure, would not get the same answers.
    with django_db_blocker.unblock():
        data = _seed()
    yield data
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _quiet_request_log():
    # Thousands of deliberate 4xx answers: Django logs each as a warning.
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture
def _keep_the_test_connection():
    # As django.test.Client does: a request's end would close the database connection, and
    # with it the test's transaction (the app runs in this thread).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(seeded, db, _keep_the_test_connection):
    config = schemathesis.Config.from_dict(
        {**CONFIG, "headers": {"Authorization": f"Token {seeded['token']}"}}
    )
    # In-process, through WSGI: the same Django request handling as over a socket, without
    # the HTTP server (about 13 requests per second on a loaded 2-core machine, too slow for
    # 10,000 in the lane's budget). The app then shares the test's database connection.
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", WSGIHandler(), config=config
    )

    @schema.hook
    def map_case(context, case):
        # Only wholly positive cases: a negative case's component map may not name the path
        # (the coverage phase), and a real id put into it would make it valid.
        if case.path_parameters and not case.meta.generation.mode.is_negative:
            for name, generated in list(case.path_parameters.items()):
                if case.meta.phase.name == TestPhase.STATEFUL and (
                        name != "slug" or generated in seeded["slug"]):
                    # A stateful step's parameters may come from a link (the room just
                    # created, in the event it was created in): only a generated slug is
                    # aimed at a real event, so that the first step reaches one.
                    continue
                real = _pick(_real_ids_for(case.operation.path, name, seeded), generated)
                if real is not None:
                    # Of the type the schema gives the parameter, as the generated value is:
                    # schemathesis validates an edited component again and sets the case's
                    # mode from the result, so an id put in as the number 7 where the schema
                    # says a string of digits ("7") turned a positive case negative, and its
                    # 200 was reported as "Schema-violating request accepted".
                    case.path_parameters[name] = str(real) if isinstance(generated, str) else real
        return case

    @schema.hook
    def after_call(context, case, response):
        RUN["requests"] += 1

    return schema


lazy_schema = schemathesis.pytest.from_fixture("api_schema")


@lazy_schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_every_operation_answers_as_documented(case):
    if RUN["started"] is None:
        RUN["started"] = time.monotonic()
    with as_seeded():
        case.call_and_validate()


def test_linked_operations_hold_together(api_schema):
    """Register, then manage the registration by its token, as the schema's links say."""

    class ScenarioFromTheSeed(api_schema.as_state_machine()):
        # A scenario's steps build on each other, so they share one savepoint; each scenario
        # starts from the data as seeded. Hypothesis replays a scenario to shrink it and
        # checks that it draws the same way again, and which steps (rules) can be drawn
        # depends on the answers before them: with the writes of earlier scenarios left in
        # place (an event deleted, a registration cancelled) the answers changed, and the
        # run ended in FlakyStrategyDefinition instead of a result.
        def setup(self) -> None:
            super().setup()
            self._scenario = as_seeded()
            self._scenario.__enter__()

        def teardown(self) -> None:
            try:
                super().teardown()
            finally:
                self._scenario.__exit__(None, None, None)

    ScenarioFromTheSeed.run(settings=settings(
        max_examples=STATEFUL_STEPS // 10, stateful_step_count=10, deadline=None,
        suppress_health_check=list(HealthCheck)))


def test_the_run_sent_enough_requests():
    if RUN["started"] is None:
        pytest.skip("The schema tests above did not run (selected alone).")
    elapsed = time.monotonic() - RUN["started"]
    print(f"\nschemathesis: {RUN['requests']} requests in {elapsed:.0f} s")
    assert RUN["requests"] >= MIN_REQUESTS
