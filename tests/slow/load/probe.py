"""What the slow lane's tests ask of the stack's database, run as an operator would run a
command beside the deployed processes (same settings, same environment), printing JSON:

    python -m tests.slow.load.probe seed mix|reminders   the events of a run, as a load plan
    python -m tests.slow.load.probe dispatch [--lease-passed]   one run of the beat task
    python -m tests.slow.load.probe audit                 events, registrations, deliveries

``dispatch --lease-passed`` is the dispatcher as it runs once the publish lease of what was
lost (a broker restart, a worker whose database went away) has run out, without waiting the
five minutes.
"""

import datetime as dt
import json
import sys

import django


def seed(profile: str) -> dict:
    from django.utils import timezone

    from tests.factories import EventFactory, SessionFactory

    if profile == "mix":
        programme = EventFactory(slug="load-programme", title="Load programme", capacity=None)
        for _ in range(4):
            SessionFactory(event=programme)
        capacities = {"load-small": 8, "load-medium": 40, "load-large": 150, "load-open": None}
        for slug, capacity in capacities.items():
            EventFactory(slug=slug, title=f"Load {slug}", capacity=capacity)
        return {"browse": ["load-programme", *capacities], "register": list(capacities)}
    if profile == "reminders":
        # The one-hour reminder of this event fell due ten minutes ago: a reminder run records
        # one for each confirmed attendee.
        start = timezone.now() + dt.timedelta(minutes=50)
        EventFactory(slug="load-soon", title="Load soon", capacity=40, start=start,
                     end=start + dt.timedelta(hours=2), reminder_offsets=[60])
        EventFactory(slug="load-later", title="Load later", capacity=None)
        return {"browse": ["load-soon", "load-later"], "register": ["load-soon", "load-later"]}
    raise SystemExit(f"unknown seed profile {profile!r}")


def dispatch(*, lease_passed: bool) -> dict:
    from django.utils import timezone

    from notifications import reminders
    from notifications.services import PUBLISH_LEASE, dispatch_due_deliveries

    now = timezone.now()
    scan = reminders.schedule_due_reminders(now=now)
    moment = now + PUBLISH_LEASE + dt.timedelta(seconds=1) if lease_passed else now
    return {"reminders_due": scan.due, "published": dispatch_due_deliveries(now=moment)}


def audit() -> dict:
    from django.db.models import Count

    from agenda.models import Event
    from notifications.models import Delivery
    from registrations.enums import RegistrationStatus
    from registrations.models import Registration

    events = {}
    for event in Event.objects.filter(slug__startswith="load-").order_by("slug"):
        rows = list(event.registrations.order_by("pk").values_list("pk", "status"))
        confirmed = [pk for pk, status in rows if status == RegistrationStatus.CONFIRMED]
        waitlisted = [pk for pk, status in rows if status == RegistrationStatus.WAITLISTED]
        events[event.slug] = {
            "capacity": event.capacity,
            "seats_taken": event.seats_taken,
            "registrations": len(rows),
            "confirmed": len(confirmed),
            "waitlisted": len(waitlisted),
            # Arrival order: everyone confirmed arrived before everyone waiting.
            "waitlist_after_confirmed": not (confirmed and waitlisted)
            or max(confirmed) < min(waitlisted),
        }
    kinds: dict[int, list[str]] = {}
    for registration_id, kind in Delivery.objects.order_by("pk").values_list(
        "registration_id", "kind"
    ):
        kinds.setdefault(registration_id, []).append(kind)
    registrations = [
        {
            "email": registration.email,
            "event": registration.event.slug,
            "status": registration.status,
            "consented": bool(registration.consent_version and registration.consented_at),
            "deliveries": kinds.get(registration.pk, []),
        }
        for registration in Registration.objects.select_related("event").order_by("pk")
    ]
    deliveries = dict(
        Delivery.objects.values_list("status").annotate(count=Count("pk")).order_by()
    )
    return {"events": events, "registrations": registrations, "deliveries": deliveries}


def main(argv: list[str]) -> None:
    django.setup()
    command, *args = argv
    if command == "seed":
        result = seed(*args)
    elif command == "dispatch":
        result = dispatch(lease_passed="--lease-passed" in args)
    elif command == "audit":
        result = audit()
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
