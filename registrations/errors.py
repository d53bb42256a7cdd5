from django.utils.translation import gettext_lazy as _

from agenda.errors import DomainError


class RegistrationError(DomainError):
    """A registration rule refused the request. Messages are written for the attendee."""

    messages = {
        "not_open_yet": _("Registration for this event opens on %(opens)s."),
        "closed": _("Registration for this event closed on %(closes)s."),
        "event_cancelled": _("This event has been cancelled; registration is closed."),
        "event_not_found": _("No event with this address is open for registration."),
        "consent_required": _(
            "Please accept the privacy notice: we need your consent to store your registration."
        ),
        "unknown_sessions": _("These sessions do not exist in this event: %(ids)s."),
        "session_cancelled": _("The session “%(title)s” has been cancelled."),
        "session_full": _(
            "The session “%(title)s” is full. Choose another session, or send "
            "“join_waitlist”: true to join its waitlist."
        ),
        "already_registered": _(
            "This email address is already registered for this event. We have sent the link "
            "to manage that registration to the address."
        ),
        "registration_cancelled": _("This registration has been cancelled."),
        "not_waitlisted": _("Only waitlisted registrations can be promoted."),
        "not_pending": _("Only registrations waiting for approval can be approved."),
        "no_seat": _("The event is full: no seat is free to promote into."),
        "event_over": _("This event is over; the registration can no longer be changed."),
        "not_confirmed": _("Only confirmed attendees can be checked in."),
        "check_in_pending": _(
            "Not checked in: this registration is still waiting for the organizers' approval."
        ),
        "check_in_waitlisted": _("Not checked in: this person is on the waitlist, without a seat."),
        "check_in_cancelled": _("Not checked in: this registration has been cancelled."),
        "unknown_ticket": _("Unknown code: this is not a ticket of ours, or it has been replaced."),
        "other_event_ticket": _("This ticket is for another event: %(event)s."),
        "idempotency_key_reused": _(
            "This Idempotency-Key was already used for a different request. Use a new key "
            "for a new registration."
        ),
    }


class CheckInRefused(RegistrationError):
    """A ticket or a person cannot be checked in; ``registration`` is theirs when the door may
    know whose it is (never for another event's ticket)."""

    status_code = 409

    def __init__(self, code: str, *, registration=None, status_code: int | None = None,
                 **params: object) -> None:
        super().__init__(code, status_code=status_code, **params)
        self.registration = registration
