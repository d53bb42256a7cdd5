"""Events ahead of the day the demo is loaded, dated from it. Their slugs are fixed, so a rerun
on a later day finds and skips them instead of adding a second copy.
"""

# En dashes (U+2013) in names and titles are intended typography, not typos.

import datetime as dt
from zoneinfo import ZoneInfo

from agenda.enums import EventFormat, EventKind

from .catalogue import CLOSING, OPENING
from .specs import EventSpec, S

WEBINAR_ZONE = "Europe/Brussels"
WEBINAR_LEAD = dt.timedelta(hours=3)  # the webinar starts at least this long after now
WEBINAR_EARLIEST, WEBINAR_LATEST = dt.time(8, 0), dt.time(18, 0)  # local start times
REGISTRATION_OPENED_DAYS_AGO = 14


def webinar_slot(now: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The first half hour at least ``WEBINAR_LEAD`` after ``now`` at which a webinar may start
    in ``zone`` (08:00 to 18:00 local time).

    The night between 18:00 and 08:00 is 14 hours long, so the slot is never more than about
    17 hours (18 across a DST change) after ``now``: "tomorrow morning" at the latest.
    """
    wall = (now + WEBINAR_LEAD).astimezone(zone).replace(tzinfo=None)
    slot = dt.datetime.combine(wall.date(), dt.time(wall.hour))
    while slot < wall:
        slot += dt.timedelta(minutes=30)
    if slot.time() < WEBINAR_EARLIEST:
        slot = dt.datetime.combine(slot.date(), WEBINAR_EARLIEST)
    elif slot.time() > WEBINAR_LATEST:
        slot = dt.datetime.combine(slot.date() + dt.timedelta(days=1), WEBINAR_EARLIEST)
    return slot.replace(tzinfo=zone)


def first_working_day(earliest: dt.date, *, days: int = 1) -> dt.date:
    """The first day from ``earliest`` on which an event of ``days`` days falls on weekdays
    only, outside the Christmas break (24 December to 1 January): no demo forum on a Sunday.
    """

    def is_working_day(day: dt.date) -> bool:
        christmas_break = (day.month, day.day) >= (12, 24) or (day.month, day.day) == (1, 1)
        return day.weekday() < 5 and not christmas_break

    start = earliest
    while not all(is_working_day(start + dt.timedelta(days=n)) for n in range(days)):
        start += dt.timedelta(days=1)
    return start


def _clock(moment: dt.datetime, minutes_after: int = 0) -> str:
    return f"{moment + dt.timedelta(minutes=minutes_after):%H:%M}"


def upcoming_events(*, today: dt.date, now: dt.datetime) -> tuple[EventSpec, ...]:
    """The upcoming programme: a webinar within the day, then events over the next months.

    Registration for every one of them opened two weeks before ``today``.
    """
    opened = today - dt.timedelta(days=REGISTRATION_OPENED_DAYS_AGO)
    slot = webinar_slot(now, ZoneInfo(WEBINAR_ZONE))
    return (
        EventSpec(
            slug="csddd-transposition-briefing",
            title="Briefing: Transposing the Due Diligence Directive",
            kind=EventKind.WEBINAR,
            format=EventFormat.ONLINE,
            timezone=WEBINAR_ZONE,
            day=slot.date(),
            starts=_clock(slot),
            ends=_clock(slot, 75),
            summary="Where member states stand in transposing the Corporate Sustainability Due "
            "Diligence Directive, and what that means for group-wide compliance programmes.",
            description="Member states are turning the Corporate Sustainability Due Diligence "
            "Directive into national law at different speeds and with different choices on "
            "supervision and sanctions. The briefing compares the state of play and leaves "
            "half the time for members' questions.",
            tracks=("policy",),
            tags=("csddd", "due-diligence"),
            registration_opens_on=opened,
            sessions=(
                S(0, _clock(slot), 10, "Welcome", "policy", ("secretariat-policy",), OPENING),
                S(0, _clock(slot, 10), 35, "Transposition: the state of play", "policy",
                  ("dg-just", "law-firm"),
                  "Which member states have draft laws, which authorities will supervise and "
                  "where national choices diverge."),
                S(0, _clock(slot, 45), 30, "Questions from members", "policy",
                  ("dg-just", "law-firm", "secretariat-policy"),
                  "Members' questions on group structures, timelines and supervisory "
                  "authorities."),
            ),
        ),
        EventSpec(
            slug="supplier-engagement-lab",
            title="Supplier Engagement Lab",
            kind=EventKind.WORKSHOP,
            format=EventFormat.IN_PERSON,
            timezone="Europe/Brussels",
            day=first_working_day(today + dt.timedelta(days=9)),
            starts="09:30",
            ends="13:00",
            summary="A small-group morning on questionnaires suppliers can answer, costing "
            "purchasing commitments and sharing audit results between buyers.",
            description="Twelve practitioners from sourcing and sustainability teams work on "
            "three things suppliers keep asking for: fewer and better questionnaires, buyers "
            "who cost their commitments and buyers who share audits instead of repeating "
            "them. The two breakouts take six people each.",
            venue="network-office",
            rooms=(("Meeting room 1", 12), ("Meeting room 2", 6)),
            tracks=("hands-on",),
            tags=("purchasing-practices", "due-diligence"),
            capacity=12,
            registration_opens_on=opened,
            registration_closes_day_before=True,
            sessions=(
                S(0, "09:30", 20, "Introductions", "hands-on", ("secretariat",), OPENING),
                S(0, "09:50", 60, "A self-assessment suppliers can actually fill in",
                  "hands-on", ("consultancy", "bd-garment"),
                  "Participants cut a 300-question survey down to what they will use.",
                  capacity=12),
                S(0, "11:00", 50, "Breakout: costing responsible purchasing commitments",
                  "hands-on", ("uk-retail",),
                  "Putting a price on payment terms, lead times and living wage commitments.",
                  room="Meeting room 2", capacity=6),
                S(0, "11:00", 50, "Breakout: sharing audit results with other buyers",
                  "hands-on", ("spanish-fashion",),
                  "Agreements, platforms and the competition law questions they raise.",
                  room="Meeting room 1", capacity=6),
                S(0, "12:00", 60, "Feedback and commitments", "hands-on",
                  ("secretariat", "uk-retail"), CLOSING, room="Meeting room 1"),
            ),
        ),
        EventSpec(
            slug="responsible-business-forum-berlin",
            title="Responsible Business Forum Berlin",
            kind=EventKind.FORUM,
            format=EventFormat.HYBRID,
            timezone="Europe/Berlin",
            day=first_working_day(today + dt.timedelta(days=30), days=2),
            days=2,
            starts="09:30",
            ends="13:00",
            summary="Due diligence after the German act and the EU directive: risk analysis, "
            "complaints procedures and working with suppliers, in Berlin and online.",
            description="A day and a half for companies that have run due diligence under the "
            "German Supply Chain Act and now prepare for the EU directive. Members compare "
            "risk analyses, complaints procedures and supplier programmes, and discuss with "
            "policy makers where the rules are heading.",
            venue="umweltforum",
            rooms=(("Main hall", 250), ("Gallery room", 50)),
            tracks=("policy", "practice", "suppliers"),
            tags=("due-diligence", "csddd", "human-rights", "grievance-mechanisms"),
            capacity=250,
            registration_opens_on=opened,
            registration_closes_day_before=True,
            sessions=(
                S(0, "09:30", 30, "Opening", "", ("secretariat",), OPENING),
                S(0, "10:00", 45, "Keynote: from national laws to one European standard",
                  "policy", ("dg-just",),
                  "How the directive relates to the German and French laws and what changes "
                  "for companies covered by both."),
                S(0, "11:00", 60, "Panel: three years of risk analysis", "practice",
                  ("auto-supplier", "chemicals", "consultancy"),
                  "What the annual risk analysis found, and what companies did with it.",
                  room="Main hall"),
                S(0, "14:00", 60, "Complaints procedures: what the reports show", "suppliers",
                  ("sports-ombud", "cocoa-platform"),
                  "Numbers, channels and outcomes from the first public reports.",
                  room="Main hall"),
                S(0, "14:00", 60, "Clinic: prioritising risks with limited resources",
                  "practice", ("consultancy",),
                  "Bring your risk matrix; leave with a ranked list you can defend.",
                  room="Gallery room"),
                S(0, "15:30", 60, "Panel: suppliers on cascaded obligations", "suppliers",
                  ("bd-garment", "cn-mill", "union"),
                  "What suppliers receive from buyers, and what would help them act.",
                  room="Main hall"),
                S(1, "09:30", 60, "Panel: enforcement and civil liability", "policy",
                  ("law-firm", "ngo-bhr", "ep-juri"),
                  "Supervisory authorities, fines and claims before the courts."),
                S(1, "10:45", 60, "Panel: responsible exit from high-risk sourcing", "practice",
                  ("nordic-retail", "ilo", "union"),
                  "When to leave, how to leave, and what is owed to the workers left behind.",
                  room="Main hall"),
                S(1, "12:00", 60, "Conclusions", "", ("secretariat", "secretariat-policy"),
                  CLOSING),
            ),
        ),
        EventSpec(
            slug="transatlantic-supply-chain-conference",
            title="Transatlantic Supply Chain Conference",
            kind=EventKind.CONFERENCE,
            format=EventFormat.ONLINE,
            timezone="America/New_York",
            day=first_working_day(today + dt.timedelta(days=45)),
            starts="09:00",
            ends="12:30",
            summary="Forced labour import bans, critical minerals and climate disclosure: an "
            "online morning in New York, afternoon in Europe.",
            description="With the EU forced labour regulation adopted and US import "
            "restrictions in place, the conference asks how companies selling on both markets "
            "keep one set of evidence, and where EU and US rules on critical minerals and climate "
            "disclosure pull apart.",
            tracks=("trade", "policy"),
            tags=("eu-us", "forced-labour", "conflict-minerals"),
            registration_opens_on=opened,
            sessions=(
                S(0, "09:00", 15, "Welcome", "", ("secretariat",), OPENING),
                S(0, "09:15", 45, "Keynote: two markets, one supply chain", "trade",
                  ("dc-think-tank",),
                  "How far EU and US rules on forced labour and minerals have converged."),
                S(0, "10:00", 60, "Panel: one evidence file for two customs regimes", "trade",
                  ("us-agency", "dg-trade", "electronics"),
                  "What importers must show at the US and EU borders, and what they can reuse."),
                S(0, "11:15", 45, "Critical minerals: sourcing under two rulebooks", "policy",
                  ("battery", "dc-think-tank"),
                  "Recycled content, due diligence and the origin rules of subsidy programmes."),
                S(0, "12:00", 30, "Closing", "", ("secretariat", "dg-trade"), CLOSING),
            ),
        ),
        EventSpec(
            slug="eu-china-circular-economy-summit",
            title="EU–China Circular Economy Summit",
            kind=EventKind.SUMMIT,
            format=EventFormat.IN_PERSON,
            timezone="Asia/Shanghai",
            day=first_working_day(today + dt.timedelta(days=75), days=2),
            days=2,
            starts="09:00",
            ends="16:00",
            summary="Two days in Shanghai on textile recycling, solar panel end-of-life and the "
            "data European rules will ask of Chinese suppliers.",
            description="European product rules on recycled content, digital product passports "
            "and waste shipments are reaching suppliers in China. Buyers, producers, recyclers "
            "and officials meet in Pudong to work out what data and which investments the "
            "next years require.",
            venue="pudong-hotel",
            rooms=(("Ballroom A", 200), ("Meeting room 3", 40)),
            tracks=("trade", "suppliers"),
            tags=("eu-china", "circular-textiles", "climate"),
            capacity=200,
            registration_opens_on=opened,
            registration_closes_day_before=True,
            sessions=(
                S(0, "09:00", 30, "Opening", "", ("eu-delegation-china", "secretariat"),
                  OPENING),
                S(0, "09:30", 60, "Keynote: European product rules and Chinese suppliers",
                  "trade", ("eucham-china",),
                  "Recycled content, product passports and what they require upstream."),
                S(0, "10:45", 60, "Panel: fibre-to-fibre recycling at industrial scale",
                  "suppliers", ("cn-mill", "recycler", "denim"),
                  "Sorting, feedstock quality and the price of recycled fibre."),
                S(0, "14:00", 60, "Solar panels at end of life", "suppliers",
                  ("cn-solar", "battery"),
                  "Collection, recycling and recovered materials.", room="Meeting room 3"),
                S(0, "15:15", 60, "Panel: digital product passports in practice", "trade",
                  ("electronics", "consultancy", "eucham-china"),
                  "Which data, from whom, and in which format.", room="Ballroom A"),
                S(1, "09:00", 60, "Panel: trade in secondary raw materials", "trade",
                  ("eu-delegation-china", "dc-think-tank"),
                  "Waste shipment rules and the market for recycled inputs."),
                S(1, "10:30", 60, "Round table: financing recycling capacity", "suppliers",
                  ("asset-manager", "cn-mill"),
                  "What makes recycling plants bankable for lenders and investors."),
                S(1, "14:00", 60, "Summit conclusions", "",
                  ("secretariat", "eu-delegation-china"), CLOSING),
            ),
        ),
        EventSpec(
            slug="csrd-value-chain-data-training",
            title="Value Chain Data for Sustainability Reports: Training",
            kind=EventKind.TRAINING,
            format=EventFormat.IN_PERSON,
            timezone="Europe/Paris",
            day=first_working_day(today + dt.timedelta(days=110)),
            starts="09:00",
            ends="17:00",
            summary="A day in Paris for reporting teams on collecting value chain data for "
            "sustainability statements: materiality, estimates and supplier requests.",
            description="Reporting under the CSRD depends on data from suppliers and customers. "
            "This training shows how to decide which value chain data is material, when "
            "estimates are acceptable and how to ask suppliers for data once, with exercises "
            "on real disclosure examples.",
            venue="maison-chimie",
            rooms=(("Salle 102", 30),),
            tracks=("reporting", "hands-on"),
            tags=("csrd", "climate"),
            capacity=30,
            registration_opens_on=opened,
            registration_closes_day_before=True,
            sessions=(
                S(0, "09:00", 30, "Welcome and objectives", "reporting", ("secretariat",),
                  OPENING),
                S(0, "09:30", 90, "Materiality and the value chain", "reporting",
                  ("efrag", "audit"),
                  "Which value chain impacts, risks and opportunities reach the report."),
                S(0, "11:15", 75, "Exercise: estimates versus supplier data", "hands-on",
                  ("consultancy", "chemicals"),
                  "Participants choose between primary data, averages and proxies, and "
                  "document why."),
                S(0, "13:30", 90, "Asking suppliers for data, once", "hands-on",
                  ("luxury", "cn-mill"),
                  "Shared templates, platforms and what small suppliers can provide."),
                S(0, "15:15", 60, "Assurance of value chain information", "reporting",
                  ("audit",),
                  "What assurance providers will test and how to prepare the evidence."),
                S(0, "16:15", 45, "Wrap-up", "reporting", ("secretariat",), CLOSING),
            ),
        ),
    )
