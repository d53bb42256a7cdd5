"""Domain signals of the agenda: the one way its changes reach the floors above it.

Each is sent explicitly by a service in ``agenda.services``, inside the transaction that made
the change, so a receiver that writes (an outbox row, say) commits or rolls back with it.
Receivers must not do slow work or I/O: they record, and enqueue on commit.
"""

from django.dispatch import Signal

#: Sent when a published event's time, place or status changed.
#: kwargs: ``event`` (the saved Event), ``changes`` (frozenset of field names among
#: "start", "end", "timezone", "venue_name", "venue_address", "format", "online_url", "status").
event_changed = Signal()

#: Sent when a session's time, room or status changed.
#: kwargs: ``session`` (the saved Session), ``changes`` (frozenset of field names among
#: "start", "end", "room", "status").
session_changed = Signal()

#: Sent when an event's capacity changed (``previous`` is the old capacity, None = unlimited),
#: so that the registrations floor can promote from the waitlist.
#: kwargs: ``event``, ``previous``.
event_capacity_changed = Signal()

#: Sent when a session's capacity changed. kwargs: ``session``, ``previous``.
session_capacity_changed = Signal()

#: Sent when someone was given a role for an event (``agenda.services.grant_role``).
#: kwargs: ``event_role`` (the EventRole), ``account_created`` (True when the account was made
#: for it and has no password yet: the person needs a link to set one).
role_granted = Signal()

#: Sent when an event became public: a draft (or a cancelled event) was published.
#: kwargs: ``event`` (the saved Event), ``previous_status``.
event_published = Signal()

#: Sent when a session became public: created in a published event, or part of an event
#: that was just published (once per session, in start order, after ``event_published``).
#: kwargs: ``session``.
session_published = Signal()
