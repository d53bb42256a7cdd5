"""Domain signals of the registrations floor, sent by ``registrations.services`` inside the
transaction that made the change. Receivers (the notifications floor) record durable work in
that same transaction and publish it on commit; they must not do I/O themselves.
"""

from django.dispatch import Signal

#: A person registered: sent once per new registration, whatever its status
#: (confirmed, waitlisted or pending approval). kwargs: ``registration``.
registration_created = Signal()

#: Someone tried to register an address that already holds a live registration for the
#: event; the owner of the address should get their management link. kwargs:
#: ``registration`` (the existing one).
registration_duplicate_attempted = Signal()

#: A waitlisted registration got a seat, or an organizer approved a pending one.
#: kwargs: ``registration``, ``previous_status``.
registration_confirmed = Signal()

#: A registration was cancelled. kwargs: ``registration``, ``cancelled_by``
#: (a ``CancelledBy`` value), ``reason`` (the organizer's words for the attendee, or "").
registration_cancelled = Signal()

#: A registration was put on the event's waitlist: at registration when the event is full,
#: or when an organizer approved it and no seat was free. kwargs: ``registration``.
registration_waitlisted = Signal()

#: A waitlisted registration got a seat: in its turn when one was freed, or out of turn by
#: an organizer (``by_organizer`` True). Sent after ``registration_confirmed``.
#: kwargs: ``registration``, ``by_organizer``.
registration_promoted = Signal()

#: A registration's personal data was erased (on request, or after the retention period):
#: floors above must forget what they copied of it. kwargs: ``registration`` (anonymized).
registration_erased = Signal()

#: A confirmed attendee got a seat in a session they were waitlisted for.
#: kwargs: ``choice`` (the SessionChoice).
session_seat_confirmed = Signal()

#: Someone was checked in at the door, or a mistaken check-in was undone. Sent by
#: ``check_in`` (``undone=False``; not when the person already was checked in) and
#: ``undo_check_in`` (``undone=True``). kwargs: ``registration`` (its ``checked_in_at`` and
#: ``checked_in_by`` as they now are), ``undone``.
registration_checked_in = Signal()
#: An attendee changed their choice of sessions (some added or dropped); sent once per
#: change. kwargs: ``registration``.
sessions_changed = Signal()
