"""The 2021 programme, November and December, with the draft circular textiles lab."""

# En dashes (U+2013) in names and titles are intended typography, not typos.

import datetime as dt

from agenda.enums import EventFormat, EventKind, EventStatus

from .catalogue import CLOSING, OPENING
from .specs import EventSpec, S

EVENTS: tuple[EventSpec, ...] = (
    EventSpec(
        slug="eu-china-green-supply-chains-meeting",
        title="EU–China Green Supply Chains Meeting",
        kind=EventKind.MEETING,
        format=EventFormat.HYBRID,
        timezone="Asia/Shanghai",
        day=dt.date(2021, 11, 10),
        starts="14:00",
        ends="17:30",
        summary="Round tables on decarbonising textile and solar suppliers and on sharing due "
        "diligence data, in Pudong and online.",
        description="Following the cancelled September forum, a smaller meeting in Pudong "
        "brings European buyers, Chinese suppliers and the EU Delegation around two round "
        "tables. European participants join online in their morning. Places in the room are "
        "confirmed by the secretariat.",
        venue="pudong-hotel",
        rooms=(("Ballroom B", 60),),
        tracks=("trade", "suppliers"),
        tags=("eu-china", "climate", "due-diligence"),
        capacity=60,
        requires_approval=True,
        registration_weeks=5,
        sessions=(
            S(0, "14:00", 15, "Opening", "trade", ("eu-delegation-china", "secretariat"),
              OPENING),
            S(0, "14:15", 60, "Round table: decarbonising textile and solar suppliers",
              "suppliers", ("cn-mill", "cn-solar", "shipping"),
              "Renewable power purchase, energy efficiency and the data buyers ask for."),
            S(0, "15:30", 60, "Round table: sharing due diligence data with suppliers", "trade",
              ("eucham-china", "electronics", "consultancy"),
              "One questionnaire instead of twenty: shared platforms and data protection."),
            S(0, "16:45", 45, "Conclusions and work plan for 2022", "trade",
              ("eu-delegation-china", "eucham-china", "secretariat"),
              "Agreeing the dialogue's topics for the coming year."),
        ),
    ),
    EventSpec(
        slug="scope-3-after-cop26",
        title="Scope 3 After COP26",
        kind=EventKind.WEBINAR,
        format=EventFormat.ONLINE,
        timezone="Europe/Brussels",
        day=dt.date(2021, 11, 16),
        starts="15:00",
        ends="16:30",
        summary="What the Glasgow outcomes mean for corporate supply chain targets, and how a "
        "retailer engages suppliers on emissions.",
        description="Days after COP26 closed in Glasgow, the webinar looks at what changed for "
        "companies' Scope 3 targets and at a supplier engagement programme that has run for "
        "three years.",
        tracks=("climate",),
        tags=("climate", "logistics"),
        registration_weeks=2,
        sessions=(
            S(0, "15:00", 10, "Welcome", "climate", ("secretariat",), OPENING),
            S(0, "15:10", 30, "What COP26 means for supply chain targets", "climate",
              ("consultancy",),
              "Net-zero standards, sector pledges and the pressure on Scope 3."),
            S(0, "15:40", 30, "Supplier engagement on emissions: a retailer's programme",
              "climate", ("food-retail",),
              "Targets for suppliers, support offered and results after three years."),
            S(0, "16:10", 20, "Questions", "climate", ("consultancy", "food-retail", "shipping"),
              "Open questions and answers."),
        ),
    ),
    EventSpec(
        slug="eu-deforestation-proposal-first-reactions",
        title="The EU Deforestation Proposal: First Reactions",
        kind=EventKind.WEBINAR,
        format=EventFormat.ONLINE,
        timezone="Europe/Brussels",
        day=dt.date(2021, 11, 24),
        starts="10:00",
        ends="11:30",
        summary="The Commission's proposal of 17 November on deforestation-free products: "
        "commodities, geolocation, country benchmarking and first reactions.",
        description="A week after the Commission proposed a regulation on deforestation-free "
        "products, the webinar explains its mechanics and hears first reactions from importers, "
        "a producer and an environmental NGO.",
        tracks=("policy",),
        tags=("deforestation", "due-diligence"),
        registration_weeks=1,
        sessions=(
            S(0, "10:00", 10, "Welcome", "policy", ("secretariat-policy",), OPENING),
            S(0, "10:10", 30, "The proposal of 17 November", "policy", ("dg-env",),
              "Commodities in scope, geolocation of plots, country benchmarking and penalties."),
            S(0, "10:40", 30, "First reactions from importers and NGOs", "policy",
              ("food-retail", "chocolate", "forest-ngo"),
              "What is workable, what is missing and what comes next."),
            S(0, "11:10", 20, "Questions", "policy", ("dg-env", "forest-ngo", "palm-oil"),
              "Open questions and answers."),
        ),
    ),
    EventSpec(
        slug="grievance-mechanisms-advanced-training",
        title="Grievance Mechanisms: Advanced Training",
        kind=EventKind.TRAINING,
        format=EventFormat.IN_PERSON,
        timezone="Europe/Brussels",
        day=dt.date(2021, 11, 30),
        starts="09:30",
        ends="16:30",
        summary="A day in Brussels for practitioners who run grievance mechanisms: role play, "
        "collaboration between buyers, retaliation and reporting.",
        description="Building on the spring training, this in-person day is for people who "
        "already handle complaints from supplier sites. It is built around a role play and "
        "exchanges between peers, with a small group so everyone takes part.",
        venue="network-office",
        rooms=(("Meeting room 1", 25),),
        tracks=("hands-on",),
        tags=("grievance-mechanisms", "human-rights"),
        capacity=25,
        registration_closes_day_before=True,
        sessions=(
            S(0, "09:30", 30, "Introductions and expectations", "hands-on", ("secretariat",),
              OPENING),
            S(0, "10:00", 75, "From complaint to remedy: role play", "hands-on",
              ("sports-ombud", "union"),
              "Participants play complainant, supplier, brand and union through one case."),
            S(0, "11:30", 60, "Working with other buyers on a shared supplier", "hands-on",
              ("cocoa-platform", "spanish-fashion"),
              "Agreeing who leads, sharing information and dividing the cost of remedy."),
            S(0, "13:30", 60, "Protection against retaliation", "hands-on", ("ngo-bhr", "ilo"),
              "Warning signs, protective measures and what to do when retaliation happens."),
            S(0, "14:45", 60, "Reporting on grievance outcomes", "hands-on", ("audit",),
              "What to disclose, to whom, and how to protect complainants while doing it."),
            S(0, "15:45", 45, "Action planning", "hands-on", ("secretariat",), CLOSING),
        ),
    ),
    EventSpec(
        slug="year-in-review-2021",
        title="Responsible Business 2021: The Year in Review",
        kind=EventKind.FORUM,
        format=EventFormat.HYBRID,
        timezone="Europe/Brussels",
        day=dt.date(2021, 12, 8),
        starts="14:00",
        ends="18:00",
        summary="A look back at a year of due diligence, reporting and deforestation proposals, "
        "and ahead to 2022, followed by the members' transparency awards.",
        description="The year's last forum takes stock of the policy year and of what changed "
        "inside member companies, looks ahead to the Commission's due diligence proposal and "
        "closes with the members' awards for supply chain transparency.",
        venue="residence-palace",
        rooms=(("Auditorium", 120),),
        tracks=("policy", "practice"),
        tags=("csddd", "csrd", "deforestation"),
        capacity=120,
        registration_closes_day_before=True,
        sessions=(
            S(0, "14:00", 15, "Welcome", "", ("secretariat",), OPENING),
            S(0, "14:15", 45, "The policy year in review", "policy",
              ("secretariat-policy", "dg-just"),
              "Due diligence, reporting and deforestation: what moved in Brussels in 2021."),
            S(0, "15:00", 60, "Panel: what changed inside companies in 2021", "practice",
              ("nordic-retail", "auto-supplier", "food-retail"),
              "Teams, budgets and supplier relations after a year of preparation."),
            S(0, "16:15", 45, "Looking ahead: the due diligence proposal in 2022", "policy",
              ("ep-juri", "ngo-bhr"),
              "What to expect from the delayed proposal and the legislative process."),
            S(0, "17:00", 30, "Members' awards for supply chain transparency", "practice",
              ("secretariat", "oecd"),
              "The jury presents the three disclosures it found most useful this year."),
            S(0, "17:30", 30, "Closing", "", ("secretariat",), CLOSING),
        ),
    ),
    EventSpec(
        slug="circular-textiles-lab-paris",
        title="Circular Textiles Lab Paris",
        kind=EventKind.WORKSHOP,
        format=EventFormat.IN_PERSON,
        timezone="Europe/Paris",
        day=dt.date(2021, 12, 14),
        starts="09:30",
        ends="16:00",
        summary="Draft: design for recycling, take-back flows and extended producer "
        "responsibility for textiles. Programme not yet confirmed.",
        description="A planned lab for product, sourcing and sustainability teams on circular "
        "textiles, held in Paris where extended producer responsibility for textiles already "
        "applies. The programme was still being confirmed with speakers and was never "
        "published.",
        venue="maison-chimie",
        rooms=(("Salle 102", 40),),
        tracks=("hands-on", "practice"),
        tags=("circular-textiles",),
        capacity=40,
        status=EventStatus.DRAFT,
        sessions=(
            S(0, "09:30", 15, "Welcome", "hands-on", ("secretariat",), OPENING),
            S(0, "09:45", 60, "Design for recycling", "practice", ("denim", "recycler"),
              "Fibre blends, trims and labels: design choices that decide recyclability."),
            S(0, "11:00", 60, "Exercise: mapping take-back flows", "hands-on",
              ("recycler", "spanish-fashion"),
              "From collection point to sorting centre, recycler and resale."),
            S(0, "13:30", 60, "Extended producer responsibility for textiles", "practice",
              ("law-firm", "luxury"),
              "The French scheme in practice and what an EU-wide scheme could look like."),
            S(0, "14:45", 60, "Exercise: a circularity roadmap for one product line",
              "hands-on", ("denim", "consultancy"),
              "Groups set targets and milestones for one product line over three years."),
            S(0, "15:45", 15, "Close", "hands-on", ("secretariat",), CLOSING),
        ),
    ),
)
