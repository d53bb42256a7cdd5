"""The baselines: bare Django views, served by the same gunicorn on the same database as the
subjects they are compared with (``benchmarks.urls`` puts them beside the project's URLs).

Each is the least a correct answer needs, written plainly, with no cache:

* ``register``: the minimal correct registration: one transaction, a conditional UPDATE of
  the event's seat counter, then the INSERT of a confirmed or waitlisted row (a bench table);
* ``feed``: the event's VEVENTs built with ``icalendar`` alone from plain values read with one
  ``.values()`` query (and one for the event's topics), serialised with ``to_ical``;
* ``not_modified``: a 304 at once;
* ``events`` and ``sessions``: ``.values()`` of the rows and fields the list API shows, as
  JSON, same page size and ordering;
* ``template``: a minimal template rendered through Django's template engine, no database.
"""

import datetime as dt
import functools
import json
import zoneinfo
from collections import defaultdict

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.template import engines
from django.views.decorators.csrf import csrf_exempt

REGISTRATION_TABLE = "bench_registration"
PUBLIC_STATUSES = ("published", "cancelled")


def create_tables() -> None:
    """The bench table ``register`` writes to (idempotent)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {REGISTRATION_TABLE} ("
            " id bigserial PRIMARY KEY, event_id bigint NOT NULL, name text NOT NULL,"
            " email text NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL)"
        )


@csrf_exempt
def register(request: HttpRequest, event_id: int) -> JsonResponse:
    """Confirmed while a seat is free, else waitlisted; never overbooked: the conditional
    UPDATE takes a seat only below capacity, under the row lock it holds to the commit."""
    body = json.loads(request.body)
    if body.get("consent") is not True or not body.get("email"):
        return JsonResponse({"detail": "consent and email are required"}, status=400)
    from agenda.models import Event

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Event._meta.db_table} SET seats_taken = seats_taken + 1"
            " WHERE id = %s AND seats_taken < capacity RETURNING seats_taken",
            [event_id],
        )
        status = "confirmed" if cursor.fetchone() is not None else "waitlisted"
        cursor.execute(
            f"INSERT INTO {REGISTRATION_TABLE} (event_id, name, email, status, created_at)"
            " VALUES (%s, %s, %s, %s, now()) RETURNING id",
            [event_id, body.get("name", ""), body["email"].strip().lower(), status],
        )
        registration_id = cursor.fetchone()[0]
    return JsonResponse({"id": registration_id, "status": status}, status=201)


# --- The event feed's floor ----------------------------------------------------------------

FEED_FIELDS = (
    "uuid", "title", "abstract", "start", "end", "created_at", "updated_at", "sequence",
    "status", "room__name", "track__name", "speakers__name", "speakers__role",
    "speakers__organization", "speakers__updated_at", "event__title", "event__slug",
    "event__timezone", "event__sequence", "event__updated_at", "event__status",
    "event__format", "event__kind", "event__venue_name", "event__venue_address",
)


@functools.lru_cache(maxsize=16)
def _vtimezone(zone_name: str, first_year: int, last_year: int):
    from icalendar import Timezone

    return Timezone.from_tzinfo(
        zoneinfo.ZoneInfo(zone_name), tzid=zone_name,
        first_date=dt.date(first_year, 1, 1), last_date=dt.date(last_year + 1, 1, 1),
    )


def _speaker_label(row: dict) -> str:
    described = ", ".join(
        part for part in (row["speakers__role"], row["speakers__organization"]) if part
    )
    name = row["speakers__name"]
    if name:
        return f"{name} ({described})" if described else name
    return described


def feed_calendar(event_id: int) -> bytes:
    """The floor's calendar: the same VEVENTs as the event feed (UID, stamps, times in the
    event's zone, sequence, status, summary, description with speakers, location, URL,
    categories), from one ``.values()`` query of sessions joined with speakers and event."""
    from icalendar import Calendar, Event

    from agenda.models import Session, Tag

    rows = (
        Session.objects.filter(event_id=event_id)
        .order_by("start", "title", "pk", "speakers__organization", "speakers__role",
                  "speakers__name", "speakers__pk")
        .values("pk", *FEED_FIELDS)
    )
    sessions: dict[int, dict] = {}
    speakers: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        sessions.setdefault(row["pk"], row)
        if row["speakers__name"] is not None or row["speakers__role"] is not None:
            speakers[row["pk"]].append(row)
    topics = list(Tag.objects.filter(events__id=event_id).order_by("name").values_list(
        "name", flat=True))
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", "-//Agenda//bench floor//EN")
    calendar.add("calscale", "GREGORIAN")
    domain = settings.SITE_DOMAIN
    first = next(iter(sessions.values()), None)
    if first is not None:
        calendar.add("x-wr-calname", first["event__title"])
        zone = zoneinfo.ZoneInfo(first["event__timezone"])
        years = [row["start"].astimezone(zone).year for row in sessions.values()]
        calendar.add_component(_vtimezone(first["event__timezone"], min(years) - 1,
                                          max(years) + 1))
    for pk, row in sessions.items():
        zone = zoneinfo.ZoneInfo(row["event__timezone"])
        page_url = f"{settings.SITE_URL}/events/{row['event__slug']}/"
        changed = max(row["updated_at"], row["event__updated_at"],
                      *(speaker["speakers__updated_at"] for speaker in speakers[pk]))
        names = "; ".join(_speaker_label(speaker) for speaker in speakers[pk])
        description = "\n\n".join(
            part for part in (row["abstract"].strip(), f"Speakers: {names}" if names else "",
                              f"{row['event__title']}\n{page_url}") if part
        )
        location = ", ".join(
            part for part in (row["room__name"] or "", row["event__venue_name"],
                              row["event__venue_address"]) if part
        ) if row["event__format"] != "online" else "Online"
        cancelled = "cancelled" in (row["status"], row["event__status"])
        vevent = Event()
        vevent.add("uid", f"session-{row['uuid']}@{domain}")
        vevent.add("dtstamp", changed)
        vevent.add("dtstart", row["start"].astimezone(zone).replace(microsecond=0))
        vevent.add("dtend", row["end"].astimezone(zone).replace(microsecond=0))
        vevent.add("created", row["created_at"])
        vevent.add("last-modified", changed)
        vevent.add("sequence", row["sequence"] + row["event__sequence"])
        vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        vevent.add("summary", row["title"])
        vevent.add("description", description)
        if location:
            vevent.add("location", location)
        vevent.add("url", page_url)
        categories = [row["event__kind"].title(), *filter(None, [row["track__name"]]), *topics]
        vevent.add("categories", list(dict.fromkeys(categories)))
        vevent.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
        calendar.add_component(vevent)
    return calendar.to_ical()


def feed(request: HttpRequest, event_id: int) -> HttpResponse:
    return HttpResponse(feed_calendar(event_id), content_type="text/calendar; charset=utf-8")


def not_modified(request: HttpRequest) -> HttpResponseNotModified:
    """The floor for a 304: a bare Django view that answers "not modified" at once."""
    return HttpResponseNotModified()


# --- The list API's floor ------------------------------------------------------------------


def _local(moment: dt.datetime, zone_name: str) -> str:
    return moment.astimezone(zoneinfo.ZoneInfo(zone_name)).isoformat()


def _page_size(request: HttpRequest) -> int:
    return int(request.GET.get("page_size") or settings.REST_FRAMEWORK["PAGE_SIZE"])


def event_rows(page_size: int) -> list[dict]:
    """The first page of ``/api/v1/events/`` (anonymous), shaped as the API shapes it."""
    from agenda.models import Event

    rows = list(
        Event.objects.filter(status__in=PUBLIC_STATUSES).order_by("start", "slug").values(
            "pk", "slug", "title", "summary", "kind", "format", "timezone", "start", "end",
            "venue_name", "venue_address", "capacity", "status",
        )[:page_size]
    )
    tags: dict[int, list[dict]] = defaultdict(list)
    for link in Event.tags.through.objects.filter(
        event_id__in=[row["pk"] for row in rows]
    ).order_by("tag__name").values("event_id", "tag__slug", "tag__name"):
        tags[link["event_id"]].append({"slug": link["tag__slug"], "name": link["tag__name"]})
    site = settings.SITE_URL
    return [
        {
            "slug": row["slug"], "title": row["title"], "summary": row["summary"],
            "kind": row["kind"], "format": row["format"], "timezone": row["timezone"],
            "start": _local(row["start"], row["timezone"]),
            "end": _local(row["end"], row["timezone"]),
            "venue": None if row["format"] == "online" or not row["venue_name"]
            else {"name": row["venue_name"], "address": row["venue_address"]},
            "capacity": row["capacity"], "status": row["status"], "tags": tags[row["pk"]],
            "links": {
                "self": f"{site}/api/v1/events/{row['slug']}/",
                "page": f"{site}/events/{row['slug']}/",
                "ical": f"{site}/feeds/events/{row['slug']}.ics",
            },
        }
        for row in rows
    ]


def session_rows(page_size: int) -> list[dict]:
    """The first page of ``/api/v1/sessions/`` (anonymous), shaped as the API shapes it."""
    from agenda.models import Session

    rows = list(
        Session.objects.filter(event__status__in=PUBLIC_STATUSES)
        .order_by("start", "title", "pk")
        .values(
            "id", "uuid", "event__slug", "event__timezone", "title", "abstract", "start", "end",
            "status", "room_id", "room__name", "track_id", "track__slug", "track__name",
            "track__color", "capacity",
        )[:page_size]
    )
    speakers: dict[int, list[dict]] = defaultdict(list)
    for link in Session.speakers.through.objects.filter(
        session_id__in=[row["id"] for row in rows]
    ).order_by("speaker__organization", "speaker__role", "speaker__name").values(
        "session_id", "speaker__id", "speaker__name", "speaker__role",
        "speaker__organization", "speaker__bio",
    ):
        described = ", ".join(
            part for part in (link["speaker__role"], link["speaker__organization"]) if part
        )
        name = link["speaker__name"]
        speakers[link["session_id"]].append({
            "id": link["speaker__id"], "name": name, "role": link["speaker__role"],
            "organization": link["speaker__organization"],
            "display_name": (f"{name} ({described})" if described else name) if name
            else described,
            "bio": link["speaker__bio"],
        })
    return [
        {
            "id": row["id"], "uuid": str(row["uuid"]), "event": row["event__slug"],
            "title": row["title"], "abstract": row["abstract"],
            "start": _local(row["start"], row["event__timezone"]),
            "end": _local(row["end"], row["event__timezone"]),
            "status": row["status"],
            "room": None if row["room_id"] is None
            else {"id": row["room_id"], "name": row["room__name"]},
            "track": None if row["track_id"] is None else {
                "slug": row["track__slug"], "name": row["track__name"],
                "color": row["track__color"],
            },
            "speakers": speakers[row["id"]],
            "capacity": row["capacity"],
        }
        for row in rows
    ]


def events(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"results": event_rows(_page_size(request))})


def sessions(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"results": session_rows(_page_size(request))})


# --- The page's floor ----------------------------------------------------------------------

_MINIMAL = engines["django"].from_string(
    "<!doctype html><html lang=\"en\"><head><title>{{ title }}</title></head>"
    "<body><h1>{{ title }}</h1><p>{{ text }}</p></body></html>"
)


def template(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_MINIMAL.render({"title": "Agenda", "text": "A minimal page."}, request))
