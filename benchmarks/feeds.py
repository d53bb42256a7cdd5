"""The event feed (``/feeds/events/<slug>.ics``) at 200 and 2,000 sessions, in both data
styles (``benchmarks.data``), against its floor: a bare view on the same server that builds
the same VEVENTs with ``icalendar`` alone from plain values read with ``.values()``, no
cache (``benchmarks.baselines.feed``). The figure is the feed's time per request as a
fraction of the floor's (one client; lower is better), in four situations:

* (a) warm: the feed was requested before, nothing changed since;
* (b) after a restart: gunicorn is restarted (new processes), the floor warmed on the new
  processes, then the feed's first request is timed (one per restart, a restart a slice);
* (c) after one edit: before each timed request, one session's title is edited through
  ``agenda.services.save_session`` in this process;
* (d) from nothing: before each timed request, every session of the event is changed
  (``updated_at`` and ``sequence``, so nothing built before can be reused) and one is
  edited through the service, which moves the feed's validators as any edit does.
"""

from django.db.models import F
from django.utils import timezone

from . import compare, data
from .results import Row
from .support import SLICES, Load, Request, Server, alternate, fetch, load, server, sizes

SIZES = sizes("FEED", "200,2000", "200,1000")
WARM_TARGET, COLD_TARGET = "≤ 0.25", "≤ 1.2"


class Editor:
    """Edits of the event's sessions, as an organizer's would be."""

    def __init__(self, event) -> None:
        self.event = event
        self.session_ids = list(event.sessions.order_by("pk").values_list("pk", flat=True))
        self.edits = 0

    def edit_one(self) -> None:
        from agenda.models import Session
        from agenda.services import save_session

        session = Session.objects.select_related("event").get(
            pk=self.session_ids[self.edits % len(self.session_ids)]
        )
        self.edits += 1
        session.title = f"{session.title.split(' · edit ')[0]} · edit {self.edits}"
        save_session(session=session)

    def change_all(self) -> None:
        # A QuerySet.update raises the sessions' feed_revision itself, as every such writer
        # must (agenda.revisions): without it the stored VEVENTs would still count.
        self.event.sessions.update(
            sequence=F("sequence") + 1, updated_at=timezone.now(),
            feed_revision=F("feed_revision") + 1,
        )
        self.edit_one()


def _after_restart(web: Server, feed: Request, floor: Request) -> Load:
    web.restart()
    # Warm the floor on the new processes (connections, imports, URL resolver)...
    load(web.port, [floor] * 8, clients=4)
    # ...then the feed's first request there.
    return load(web.port, [feed])


def _phases(web: Server, event, floor_count: int) -> dict[str, object]:
    feed = Request(f"/feeds/events/{event.slug}.ics")
    floor = Request(f"/bench/feed/{event.pk}.ics")
    editor = Editor(event)
    return {
        "(a) warm": compare.cost(web, feed, floor),
        "(b) after a restart": alternate(
            lambda: _after_restart(web, feed, floor),
            lambda: load(web.port, [floor] * floor_count),
            slices=SLICES, warm_up=False,
        ),
        "(c) after one session's edit": compare.cost(
            web, feed, floor, before_subject=editor.edit_one
        ),
        "(d) from nothing": compare.cost(web, feed, floor, before_subject=editor.change_all),
    }


def measure(db: str) -> list[Row]:
    rows = []
    with server() as web:
        for style in data.STYLES:
            for size in SIZES:
                event = data.create_event(size, style=style, slug=f"feed-{style}-{size}")
                feed_bytes = len(fetch(web.port, Request(f"/feeds/events/{event.slug}.ics")).body)
                floor_bytes = len(fetch(web.port, Request(f"/bench/feed/{event.pk}.ics")).body)
                for phase, comparison in _phases(web, event, floor_count=3).items():
                    rows.append(compare.cost_row(
                        comparison, benchmark=f"event feed {phase}, {style} data", size=size,
                        db=db, baseline_name="icalendar floor",
                        target=COLD_TARGET if phase.startswith("(d)") else WARM_TARGET,
                        curve=f"event feed {phase} ({style})",
                        notes=f"feed {feed_bytes:,} bytes, floor {floor_bytes:,} bytes",
                    ))
    return rows
