"""Private addresses of a registration: whoever holds them acts as the attendee."""

from agenda.links import absolute

from .models import Registration


def manage_url(registration: Registration) -> str:
    return absolute(f"/manage/{registration.manage_token}/")


def manage_api_url(registration: Registration) -> str:
    return absolute(f"/api/v1/registrations/{registration.manage_token}/")


def feed_url(registration: Registration) -> str:
    return absolute(f"/feeds/me/{registration.feed_token}.ics")


def unsubscribe_url(registration: Registration) -> str:
    """Turns reminders off, and nothing else: the List-Unsubscribe link of reminders."""
    return absolute(f"/reminders/off/{registration.unsubscribe_token}/")
