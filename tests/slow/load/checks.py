"""What the slow lane's tests check of the stack after a run, from ``probe audit``."""

import time
from collections import Counter

from notifications.enums import MessageKind

from .stack import Stack

CREATED_KINDS = {"confirmed": MessageKind.REGISTRATION_CONFIRMED.value,
                 "waitlisted": MessageKind.REGISTRATION_WAITLISTED.value}


def expected_emails(audit: dict) -> Counter:
    return Counter((registration["email"], CREATED_KINDS[registration["status"]])
                   for registration in audit["registrations"])


def assert_consistent(audit: dict) -> None:
    """No event overbooked, seats counted, waitlist in arrival order, and every registration
    whole: its consent and its one outbox row for the email it is owed (reminders, recorded
    later by the dispatcher, aside)."""
    for slug, event in audit["events"].items():
        assert event["seats_taken"] == event["confirmed"], slug
        if event["capacity"] is not None:
            assert event["confirmed"] <= event["capacity"], slug
            assert event["confirmed"] == min(event["capacity"], event["registrations"]), slug
        assert event["waitlist_after_confirmed"], slug
    for registration in audit["registrations"]:
        assert registration["consented"], registration
        owed = [kind for kind in registration["deliveries"] if kind != MessageKind.REMINDER]
        assert owed == [CREATED_KINDS[registration["status"]]], registration


def audit_once_sent(stack: Stack, count: int) -> dict | None:
    """The audit once exactly ``count`` deliveries are recorded and all of them sent."""
    audit = stack.probe("audit")
    return audit if audit["deliveries"] == {"sent": count} else None


def settled(stack: Stack) -> bool:
    """Nothing in flight at the worker: no delivery being sent, the SMTP count not moving."""
    before = sum(stack.received().values())
    time.sleep(2)
    audit = stack.probe("audit")
    return "sending" not in audit["deliveries"] and sum(stack.received().values()) == before
