"""The registration POST that nearly every attendee sends, answered without DRF's machinery.

In a rush of registrations the web processes are bound by CPU, and DRF's request handling (its
request and negotiation objects, a serializer whose eight fields are deep-copied for every
request, the response's rendering) cost a fifth of a registration's (0.6 of 2.8 ms of the web
process's CPU, measured in-process). So ``EventRegistrationsView`` first offers a POST to
``respond``, which answers the plain case itself: a JSON object of valid fields
(``plain_input``), in JSON, no ``Idempotency-Key``. Anything else (a field to refuse, another
content type or ``Accept``, a body DRF's parser must judge) returns None, and the view goes on
as DRF, the plain path, which stays the reference (a domain error met here is worded by the
API's exception handler, as on DRF's path):
tests/registrations/test_quick_register.py checks that ``plain_input`` never accepts what
``RegistrationInputSerializer`` would not, nor reads it differently, and that both paths give
the same responses.
"""

import io
from collections.abc import Mapping, Sequence

from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from rest_framework.exceptions import ParseError
from rest_framework.renderers import JSONRenderer

from agenda.api.errors import exception_handler
from agenda.api.parsers import JSONParser
from agenda.models import MAX_ID
from agenda.validators import available_timezones
from registrations import selectors
from registrations.answers import clean_answers
from registrations.errors import RegistrationError
from registrations.models import Question

from .serializers import MAX_SESSIONS

# The request attribute that hands DRF's path the event and questions read here
# (``already_read``).
_READ = "_registration_event_read"

_JSON_TYPES = frozenset({"application/json", "application/json; charset=utf-8",
                         "application/json;charset=utf-8"})
# What negotiation turns into the JSON renderer (the browsable API answers text/html).
_JSON_ACCEPT = frozenset({"", "*/*", "application/json"})
_PARSER = JSONParser()
_RENDERER = JSONRenderer()
_MISSING = object()


def _text(value: object, max_length: int, *, blank: bool) -> str | None:
    """``value`` as a StrictCharField (white space trimmed) keeps it: a string of printable
    characters (no NUL, no surrogate, nothing to trim), not longer than ``max_length``, and
    not empty unless ``blank``; else None."""
    if type(value) is not str or len(value) > max_length:
        return None
    if not value:
        return value if blank else None
    if not value.isprintable() or value != value.strip():
        return None
    return value


def plain_input(data: object, *, questions: Sequence[Question], language: str) -> dict | None:
    """``RegistrationInputSerializer``'s ``validated_data`` for ``data`` when ``data`` is
    plainly valid; None when the serializer must judge it (it may refuse it, or read it
    in a way this does not follow: white space to trim, a blank organization sent as spaces).
    """
    if type(data) is not dict:
        return None
    name = _text(data.get("name"), 200, blank=False)
    email = _text(data.get("email"), 254, blank=False)
    if name is None or email is None or data.get("consent") is not True:
        return None
    try:
        validate_email(email)
    except ValidationError:
        return None
    organization = data.get("organization", "")
    if _text(organization, 200, blank=True) is None:
        return None
    sessions = data.get("sessions", _MISSING)
    if sessions is _MISSING:
        sessions = []
    elif type(sessions) is not list or len(sessions) > MAX_SESSIONS or not all(
        type(session) is int and 1 <= session <= MAX_ID for session in sessions
    ):
        return None
    join_waitlist = data.get("join_waitlist", False)
    if join_waitlist is not True and join_waitlist is not False:
        return None
    zone = data.get("timezone", "")
    if _text(zone, 64, blank=True) is None or (zone and zone not in available_timezones()):
        return None
    answers = data.get("answers", _MISSING)
    if answers is _MISSING:
        answers = {}
    elif type(answers) is not dict or any(value is None for value in answers.values()):
        return None
    if not clean_answers(questions=questions, raw=answers, language=language,
                         partial=False).ok:
        return None
    return {
        "name": name, "email": email, "organization": organization, "sessions": sessions,
        "consent": True, "join_waitlist": join_waitlist, "timezone": zone,
        "answers": dict(answers),
    }


def _plain_request(request: HttpRequest) -> bool:
    meta = request.META
    return (
        meta.get("CONTENT_TYPE", "").lower() in _JSON_TYPES
        and meta.get("HTTP_ACCEPT", "").strip() in _JSON_ACCEPT
        and "HTTP_IDEMPOTENCY_KEY" not in meta
        and not request.GET
    )


def _parsed(request: HttpRequest) -> object:
    """The body as DRF's parser reads it (the same limits), or ``_MISSING`` for DRF's path
    to refuse (a body too large is refused before it is read, so DRF's path reads it)."""
    try:
        return _PARSER.parse(io.BytesIO(request.body), "application/json", {})
    except (ParseError, ValueError, RecursionError, RequestDataTooBig):
        return _MISSING


def respond(view, request: HttpRequest, slug: str, *, attempt) -> HttpResponse | None:
    """The answer to a plain registration POST, or None for DRF's path to give it.

    ``view``: the ``EventRegistrationsView`` at hand (its throttles and response headers);
    ``attempt(event, data, questions, language)``: the registration itself, as DRF's path
    makes it, giving the status and body.
    """
    if not _plain_request(request):
        return None
    data = _parsed(request)
    if data is _MISSING:
        return None
    event = selectors.event_open_for_registration(slug)
    if event is None:
        return None  # DRF's path reads it again, and answers 404 once it has throttled
    questions = selectors.questions_of(event)
    setattr(request, _READ, (slug, event, questions))
    language = get_language() or "en"
    fields = plain_input(data, questions=questions, language=language)
    if fields is None:
        return None
    # From here on the request is answered here: it is counted once. A refused one is not
    # counted (DRF's throttles record only what they allow), and DRF's path refuses it again.
    if not all(throttle.allow_request(request, view) for throttle in view.get_throttles()):
        return None
    try:
        status_code, body = attempt(event, fields, questions, language)
    except RegistrationError as error:  # nothing was written
        refused = exception_handler(error, {"view": view, "request": request})
        status_code, body = refused.status_code, refused.data
    return _json_response(view, body, status_code)


def already_read(request, slug: str) -> tuple | None:
    """(event, questions) as ``respond`` read them for this request about ``slug``, if it
    did and left the answer to DRF's path; else None."""
    read = getattr(request, _READ, None)
    return read[1:] if read is not None and read[0] == slug else None


def _json_response(view, body: Mapping, status_code: int) -> HttpResponse:
    """What DRF's ``Response`` becomes for the JSON renderer, with the view's headers."""
    response = HttpResponse(_RENDERER.render(body), status=status_code,
                            content_type=_RENDERER.media_type)
    headers = dict(view.default_response_headers)
    vary = headers.pop("Vary", None)
    if vary is not None:
        patch_vary_headers(response, [vary])
    for name, value in headers.items():
        response[name] = value
    return response

