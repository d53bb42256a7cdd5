"""How the agenda's changes reach registrations: a raised capacity fills seats from the
waitlist inside the organizer's own transaction, through the same service as a cancellation.
"""

from django.dispatch import receiver

from agenda import signals as agenda_signals
from agenda.models import Event, Session

from . import services


@receiver(agenda_signals.event_capacity_changed, dispatch_uid="registrations.fill_event_seats")
def fill_seats_after_capacity_change(sender, *, event: Event, previous: int | None, **kwargs):
    services.fill_event_seats(event=services.lock_event(event.pk))


@receiver(
    agenda_signals.session_capacity_changed, dispatch_uid="registrations.fill_session_seats"
)
def fill_session_seats_after_capacity_change(
    sender, *, session: Session, previous: int | None, **kwargs
):
    services.lock_event(session.event_id)
    services.fill_session_seats(session=Session.objects.get(pk=session.pk))
