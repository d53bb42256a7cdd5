"""The agendas the benchmarks read: a published three-day event with N sessions, in two
styles.

* ``simple``: four rooms and four tracks, two speakers a session, a short abstract;
* ``pretalx``: as a pretalx conference exports it: ten rooms, one or two speakers a
  session, abstracts of about 400 characters with non-ASCII text (é, ü, ł, ß, em dashes,
  and CJK in a few).

Written with ``bulk_create`` (the new event row is a new feed state anyway, see
``agenda.revisions``)."""

import datetime as dt

STYLES = ("simple", "pretalx")

_PRETALX_ABSTRACTS = (
    "Wie teilen Käufer und Zulieferer die Kosten der Sorgfaltspflicht? Łukasz Wróbel und "
    "Zoë Müller vergleichen Verträge aus drei Branchen — Textil, Kakao, Elektronik — und "
    "zeigen, was die neue Richtlinie ändert: Preisgleitklauseln, gemeinsame Audits, "
    "Abhilfepläne statt Rückzug. Mit Beispielen aus Łódź, Köln und São Paulo; Fragen "
    "aus dem Publikum sind ausdrücklich erwünscht, auf Deutsch, English oder français. ",
    "Les entreprises européennes doivent désormais cartographier leurs fournisseurs "
    "au-delà du rang 1 — mais comment, sans données fiables ? Cette séance présente "
    "l'expérience d'un réseau de PME : questionnaires partagés, vérifications croisées, "
    "et ce qui a échoué. Straße, Größe, naïveté : les détails comptent quand on compare "
    "des déclarations de fournisseurs venus de vingt pays différents. ",
    "サプライチェーンにおける人権デューディリジェンスの実務について、日本とヨーロッパの"
    "企業が経験を共有します。The panel — held in English with Japanese interpretation — "
    "compares grievance mechanisms, supplier audits and remediation funds, and asks what "
    "a buyer owes a worker two tiers down. 質疑応答の時間もあります。Bring your questions. ",
)


def create_event(size: int, *, style: str = "simple", slug: str | None = None,
                 days: int = 3):
    """A published event with ``size`` sessions in the ``style`` above."""
    from django.utils import timezone

    from agenda.models import Event, Room, Session, Speaker, Tag, Track

    pretalx = style == "pretalx"
    start = (timezone.now() + dt.timedelta(days=30)).replace(microsecond=0)
    event = Event.objects.create(
        slug=slug or f"{style}-{size}",
        title=f"Forum on responsible business — {size} sessions ({style})",
        summary="Due diligence in global supply chains.", kind="forum", format="hybrid",
        timezone="Europe/Brussels", start=start, end=start + dt.timedelta(days=days),
        venue_name="Square Brussels Meeting Centre",
        venue_address="Mont des Arts, 1000 Brussels, Belgium", status="published",
        online_url="https://meet.example.org/private",
    )
    event.tags.set(
        Tag.objects.get_or_create(slug=tag, defaults={"name": tag.replace("-", " ").title()})[0]
        for tag in ("due-diligence", "climate")
    )
    room_count = 10 if pretalx else 4
    tracks = [
        Track.objects.create(event=event, name=f"Track {n}", slug=f"track-{n}",
                             color=f"#{n * 30:02x}4080")
        for n in range(4)
    ]
    rooms = [Room.objects.create(event=event, name=f"Room {n}") for n in range(room_count)]
    step = dt.timedelta(days=days) / size
    sessions = Session.objects.bulk_create(
        Session(
            event=event,
            title=(f"Sitzung {n}: Lieferketten — wer zahlt?" if pretalx and n % 2
                   else f"Panel {n}: who pays for compliance in the supply chain?"),
            abstract=(_PRETALX_ABSTRACTS[n % 3] if pretalx else
                      "How buyers and suppliers share the cost of compliance; what works, "
                      "what does not, and what the new rules change. Zoë, Ståle and Łukasz "
                      "compare notes."),
            start=start + step * n,
            end=start + step * n + min(step, dt.timedelta(hours=1)),
            room=rooms[n % room_count],
            track=tracks[n % 4],
        )
        for n in range(size)
    )
    per_session = [(1 + n % 2) if pretalx else 2 for n in range(size)]
    speakers = Speaker.objects.bulk_create(
        Speaker(
            name=(f"Małgorzata Größ-{n}" if pretalx and n % 3 == 0 else f"Speaker {n}"),
            role="Head of Sustainability", organization=f"Manufacturer {n % 50}",
            bio="Works on supply-chain due diligence — in Europe and Asia.",
        )
        for n in range(sum(per_session))
    )
    links = []
    used = 0
    for session, count in zip(sessions, per_session, strict=True):
        links += [
            Session.speakers.through(session_id=session.pk, speaker_id=speaker.pk)
            for speaker in speakers[used:used + count]
        ]
        used += count
    Session.speakers.through.objects.bulk_create(links)
    return event


def create_agenda(sessions: int, *, per_event: int = 20) -> list:
    """Events of ``per_event`` sessions each, ``sessions`` in all (the list API's data)."""
    return [
        create_event(per_event, slug=f"agenda-{sessions}-{n}")
        for n in range(max(sessions // per_event, 1))
    ]
