"""The 2021 programme, May to August, with the three-day Responsible Business Summit."""

# En dashes (U+2013) in names and titles are intended typography, not typos.

import datetime as dt

from agenda.enums import EventFormat, EventKind

from .catalogue import CLOSING, OPENING
from .specs import EventSpec, S

_PLENARY, _ROOM_213, _ROOM_315 = "Plenary – Silver Hall", "Room 213", "Room 315"

EVENTS: tuple[EventSpec, ...] = (
    EventSpec(
        slug="csrd-proposal-first-reading",
        title="The CSRD Proposal: A First Reading for Reporting Teams",
        kind=EventKind.WEBINAR,
        format=EventFormat.ONLINE,
        timezone="Europe/Brussels",
        day=dt.date(2021, 5, 4),
        starts="11:00",
        ends="12:30",
        summary="The Corporate Sustainability Reporting Directive proposed on 21 April: who is "
        "covered, double materiality, assurance and what reporting teams should start now.",
        description="The Commission's proposal for a Corporate Sustainability Reporting "
        "Directive would extend sustainability reporting to around 49,000 companies. The "
        "webinar walks through the proposal, the standard-setting work plan and the first "
        "steps reporting and finance teams can take.",
        tracks=("reporting",),
        tags=("csrd",),
        registration_weeks=2,
        sessions=(
            S(0, "11:00", 10, "Welcome", "reporting", ("secretariat-policy",), OPENING),
            S(0, "11:10", 30, "The proposal in brief", "reporting", ("dg-fisma",),
              "Scope, double materiality, limited assurance and digital tagging in the proposal "
              "of 21 April."),
            S(0, "11:40", 25, "European reporting standards: the work plan", "reporting",
              ("efrag",),
              "How the first set of standards is being drafted and when drafts will be open for "
              "comment."),
            S(0, "12:05", 25, "What reporting teams should start now", "reporting",
              ("chemicals", "audit"),
              "Data, controls and the materiality assessment to begin before the directive "
              "applies."),
        ),
    ),
    EventSpec(
        slug="grievance-mechanisms-training-2021",
        title="Grievance Mechanisms Workers Trust",
        kind=EventKind.TRAINING,
        format=EventFormat.ONLINE,
        timezone="Europe/Berlin",
        day=dt.date(2021, 5, 26),
        starts="09:00",
        ends="13:00",
        summary="A practical training on designing, running and evaluating grievance "
        "mechanisms that reach workers at supplier sites.",
        description="Grievance mechanisms are required by the UN Guiding Principles and by the "
        "new national due diligence laws, but few are used by the people they are meant for. "
        "The training follows a complaint from intake to remedy and shows how shared, "
        "industry-wide mechanisms can help.",
        tracks=("hands-on",),
        tags=("grievance-mechanisms", "human-rights"),
        capacity=30,
        registration_weeks=5,
        sessions=(
            S(0, "09:00", 20, "The effectiveness criteria of the UN Guiding Principles",
              "hands-on", ("oecd",),
              "The eight effectiveness criteria and what they mean for company and industry "
              "mechanisms."),
            S(0, "09:20", 50, "Designing a mechanism workers at supplier sites can use",
              "hands-on", ("sports-ombud",),
              "Channels, languages, anonymity and protection from retaliation, illustrated by a "
              "brand's global mechanism."),
            S(0, "10:20", 50, "Case exercise: a complaint about withheld wages", "hands-on",
              ("sports-ombud", "union"),
              "Participants take a complaint from intake to remedy, deciding at each step who "
              "does what."),
            S(0, "11:10", 40, "Industry-wide mechanisms: sharing the load", "hands-on",
              ("cocoa-platform",),
              "How a multi-stakeholder platform runs a shared mechanism and what members "
              "contribute."),
            S(0, "11:50", 50, "Measuring whether the mechanism works", "hands-on",
              ("consultancy",),
              "Indicators beyond the number of complaints: trust, timeliness and outcomes for "
              "complainants."),
            S(0, "12:40", 20, "Wrap-up and resources", "hands-on", ("secretariat",), CLOSING),
        ),
    ),
    EventSpec(
        slug="responsible-business-summit-2021",
        title="Responsible Business Summit 2021",
        kind=EventKind.SUMMIT,
        format=EventFormat.HYBRID,
        timezone="Europe/Brussels",
        day=dt.date(2021, 6, 8),
        days=3,
        starts="09:00",
        ends="12:30",
        summary="Three days on due diligence, reporting, living wages, climate and trade: the "
        "network's flagship summit, in Brussels and online.",
        description="The summit gathers the network's members, policymakers, trade unions, "
        "civil society and investors. Plenary debates on the coming EU rules alternate with "
        "parallel sessions where practitioners share what works in their supply chains. The "
        "last morning draws the conclusions that feed the network's work programme.",
        venue="square",
        rooms=((_PLENARY, 300), (_ROOM_213, 60), (_ROOM_315, 60)),
        tracks=("policy", "practice", "suppliers", "reporting", "climate"),
        tags=("due-diligence", "csddd", "csrd", "human-rights", "climate"),
        capacity=300,
        registration_weeks=8,
        registration_closes_day_before=True,
        sessions=(
            S(0, "09:00", 30, "Opening of the summit", "", ("secretariat",),
              "The executive director opens the summit and presents the year's programme."),
            S(0, "09:30", 45, "Keynote: a European framework for sustainable corporate "
              "governance", "policy", ("dg-just",),
              "Where the Commission's proposal stands and how it will link to reporting and "
              "sector rules."),
            S(0, "10:15", 60, "Panel: due diligence in the boardroom", "practice",
              ("auto-supplier", "pension", "law-firm"),
              "Directors' duties, remuneration and oversight: how boards take ownership of due "
              "diligence.", room=_PLENARY),
            S(0, "11:30", 60, "Mapping salient risks in electronics supply chains", "practice",
              ("electronics", "battery"),
              "From cobalt mines to assembly lines: how two companies chose where to act first.",
              room=_ROOM_213),
            S(0, "11:30", 60, "CSRD readiness check", "reporting", ("chemicals", "audit"),
              "A self-assessment of data, governance and controls against the proposed "
              "directive.", room=_ROOM_315),
            S(0, "14:00", 60, "Worker representation in global supply chains", "suppliers",
              ("union", "bd-garment"),
              "Global framework agreements, local unions and what buyers can do to support "
              "freedom of association.", room=_ROOM_213),
            S(0, "14:00", 60, "Scope 3 emissions data from suppliers", "climate",
              ("shipping", "consultancy"),
              "Primary data, averages and estimates: getting supplier emissions good enough to "
              "steer by.", room=_ROOM_315),
            S(0, "15:30", 60, "Plenary debate: civil liability and access to remedy", "policy",
              ("ep-juri", "ngo-bhr", "law-firm"),
              "Who can sue whom, where, and with what burden of proof under the coming rules."),
            S(1, "09:00", 45, "Keynote: responsible business conduct after the pandemic",
              "policy", ("oecd",),
              "What the pandemic revealed about supply chain resilience and the treatment of "
              "workers."),
            S(1, "09:45", 60, "Panel: purchasing practices and supplier resilience", "practice",
              ("uk-retail", "spanish-fashion", "bd-garment"),
              "Cancelled orders, extended payment terms and what brands changed afterwards.",
              room=_PLENARY),
            S(1, "11:00", 60, "Living wages: from benchmarks to budgets", "suppliers",
              ("living-wage-msi", "nordic-retail"),
              "How to put the cost of living wages into a buying budget and keep it there.",
              room=_ROOM_213),
            S(1, "11:00", 60, "Double materiality in practice", "reporting",
              ("efrag", "chemicals"),
              "Impact and financial materiality, step by step, with a worked example.",
              room=_ROOM_315),
            S(1, "14:00", 60, "Decarbonising road and sea freight", "climate",
              ("forwarder", "shipping", "haulage"),
              "Fuels, modal shift and efficiency: what shippers can ask of their carriers now.",
              room=_ROOM_315),
            S(1, "14:00", 60, "Forced labour import bans: EU and US approaches", "policy",
              ("us-agency", "dg-trade"),
              "Cancelled: the speakers could not travel; the topic moves to the transatlantic "
              "forum.", room=_ROOM_213, cancelled=True),
            S(1, "15:30", 60, "Panel: investors and minimum safeguards", "practice",
              ("asset-manager", "pension"),
              "How the taxonomy's minimum safeguards make human rights due diligence an investor "
              "question.", room=_PLENARY),
            S(2, "09:00", 60, "Panel: deforestation-free supply chains", "climate",
              ("food-retail", "forest-ngo", "palm-oil"),
              "Traceability, smallholders and the forthcoming EU proposal.", room=_PLENARY),
            S(2, "10:15", 60, "Panel: trade policy as a lever for sustainability", "policy",
              ("dg-trade", "dc-think-tank", "eucham-china"),
              "Trade agreements, import measures and cooperation with partner countries."),
            S(2, "11:30", 60, "Summit conclusions", "", ("secretariat", "secretariat-policy"),
              "The secretariat presents the conclusions that feed the next work programme."),
        ),
    ),
    EventSpec(
        slug="transatlantic-trade-sustainability-forum-2021",
        title="Transatlantic Trade and Sustainability Forum",
        kind=EventKind.FORUM,
        format=EventFormat.HYBRID,
        timezone="America/New_York",
        day=dt.date(2021, 6, 16),
        starts="09:00",
        ends="17:00",
        summary="Forced labour, critical minerals and sustainability in trade agreements: "
        "European and US perspectives, in New York and online.",
        description="As the EU and the US relaunch their trade dialogue, the forum compares "
        "their approaches to forced labour in supply chains, investor disclosure and critical "
        "minerals. European members follow online in the afternoon their time.",
        venue="convene-nyc",
        rooms=(("Main hall", 150), ("Hudson room", 40)),
        tracks=("trade", "practice"),
        tags=("eu-us", "forced-labour", "due-diligence"),
        capacity=150,
        registration_closes_day_before=True,
        sessions=(
            S(0, "09:00", 15, "Welcome", "", ("secretariat",), OPENING),
            S(0, "09:15", 45, "Keynote: trade, forced labour and the transatlantic agenda",
              "trade", ("dc-think-tank",),
              "Where US and EU approaches to forced labour in supply chains converge, and where "
              "they diverge."),
            S(0, "10:00", 60, "Panel: Withhold Release Orders and European exporters", "trade",
              ("us-agency", "law-firm", "electronics"),
              "How US detentions work, what evidence importers must produce and how European "
              "companies have responded."),
            S(0, "11:15", 45, "Investor expectations on both sides of the Atlantic", "practice",
              ("pension", "asset-manager"),
              "ESG disclosure rules in the US and the EU and the questions they lead investors to "
              "ask."),
            S(0, "13:00", 60, "Panel: critical minerals for the energy transition", "trade",
              ("battery", "electronics", "dc-think-tank"),
              "Securing responsibly sourced lithium, cobalt and rare earths amid growing "
              "demand."),
            S(0, "14:15", 45, "Workshop: preparing traceability evidence for customs",
              "practice", ("us-agency", "consultancy"),
              "The documents that show where goods and their inputs come from, step by step.",
              room="Hudson room"),
            S(0, "15:15", 60, "Panel: sustainability chapters in trade agreements", "trade",
              ("dg-trade", "dc-think-tank", "union"),
              "Enforceability, civil society monitoring and what a transatlantic approach could "
              "look like."),
            S(0, "16:30", 30, "Closing remarks", "", ("secretariat", "dg-trade"), CLOSING),
        ),
    ),
    EventSpec(
        slug="members-general-meeting-2021",
        title="Members' Annual General Meeting 2021",
        kind=EventKind.MEETING,
        format=EventFormat.ONLINE,
        timezone="Europe/Brussels",
        day=dt.date(2021, 6, 23),
        starts="14:00",
        ends="16:30",
        summary="The statutory annual meeting of member companies: report, accounts, work "
        "programme and election of the steering committee.",
        description="Member companies review the network's activities and accounts for 2020, "
        "discuss the work programme for 2021–2022 and elect the steering committee. Each "
        "member company registers one voting representative.",
        tracks=(),
        tags=(),
        requires_approval=True,
        registration_weeks=4,
        sessions=(
            S(0, "14:00", 15, "Opening and adoption of the agenda", "", ("secretariat",),
              "The chair opens the meeting, checks the quorum and the agenda is adopted."),
            S(0, "14:15", 45, "Annual report and accounts 2020", "", ("secretariat",),
              "The secretariat presents the activities and accounts of 2020 for approval."),
            S(0, "15:00", 45, "Work programme 2021–2022", "", ("secretariat-policy",),
              "Priorities for policy work, peer learning and events, with time for members' "
              "proposals."),
            S(0, "15:45", 45, "Election of the steering committee", "", ("secretariat",),
              "Candidates introduce themselves; members vote online."),
        ),
    ),
    EventSpec(
        slug="decarbonising-logistics-workshop-rotterdam",
        title="Decarbonising Logistics: A Workshop for Shippers",
        kind=EventKind.WORKSHOP,
        format=EventFormat.IN_PERSON,
        timezone="Europe/Amsterdam",
        day=dt.date(2021, 7, 7),
        starts="09:30",
        ends="16:00",
        summary="Measure freight emissions, build a baseline for one trade lane and write "
        "low-carbon requirements into a freight tender.",
        description="Transport is often the largest slice of a retailer's or manufacturer's "
        "Scope 3 emissions that it can influence quickly. In Rotterdam, shippers, forwarders, "
        "a shipping line and a haulier work through measurement, alternative fuels and tender "
        "criteria together.",
        venue="ahoy",
        rooms=(("Meeting room Maas", 40),),
        tracks=("climate", "hands-on"),
        tags=("logistics", "climate"),
        capacity=40,
        registration_closes_day_before=True,
        sessions=(
            S(0, "09:30", 15, "Welcome and introductions", "climate", ("secretariat",), OPENING),
            S(0, "09:45", 45, "Measuring freight emissions with the GLEC Framework", "climate",
              ("forwarder",),
              "How shippers and forwarders calculate and compare emissions across transport "
              "modes."),
            S(0, "10:45", 60, "Exercise: a baseline for one trade lane", "hands-on",
              ("forwarder", "consultancy"),
              "Groups calculate the emissions of a Shanghai–Rotterdam–Munich lane and find the "
              "largest levers."),
            S(0, "11:45", 45, "Alternative fuels at sea: what shippers can buy today", "climate",
              ("shipping",),
              "Biofuel and methanol offers, book-and-claim schemes and how to judge their "
              "claims."),
            S(0, "13:30", 45, "Zero-emission trucks: costs and charging", "climate",
              ("haulage",),
              "A haulier's experience with battery-electric trucks on regional routes."),
            S(0, "14:15", 60, "Exercise: low-carbon criteria in a freight tender", "hands-on",
              ("food-retail", "forwarder"),
              "Drafting tender criteria that reward emission cuts without shifting costs "
              "unfairly to carriers."),
            S(0, "15:15", 45, "Commitments and next steps", "hands-on", ("secretariat",),
              CLOSING),
        ),
    ),
    EventSpec(
        slug="responsible-purchasing-practices-training",
        title="Responsible Purchasing Practices: Training for Buyers",
        kind=EventKind.TRAINING,
        format=EventFormat.ONLINE,
        timezone="Europe/Brussels",
        day=dt.date(2021, 7, 13),
        days=2,
        starts="09:30",
        ends="12:30",
        summary="Two mornings for buying and sourcing teams on how lead times, prices and "
        "payment terms create risks at suppliers, and what to change.",
        description="Buying decisions shape working conditions at suppliers as much as codes of "
        "conduct do. Over two online mornings, buyers assess their own practices, simulate a "
        "season's critical path and leave with an action plan reviewed by their peers.",
        tracks=("hands-on",),
        tags=("purchasing-practices", "living-wages"),
        capacity=30,
        registration_weeks=5,
        sessions=(
            S(0, "09:30", 30, "How buying decisions create risks at suppliers", "hands-on",
              ("uk-retail",),
              "Late changes, short lead times and price pressure, and how they turn into "
              "overtime and wage problems."),
            S(0, "10:00", 60, "Self-assessment of purchasing practices", "hands-on",
              ("living-wage-msi",),
              "Participants score their company against a common purchasing practices "
              "framework."),
            S(0, "11:15", 75, "Exercise: critical path and lead times", "hands-on",
              ("spanish-fashion", "bd-garment"),
              "A simulated season shows how each delay upstream lands on the factory floor."),
            S(1, "09:30", 60, "Fair payment terms and price negotiations", "hands-on",
              ("uk-retail", "law-firm"),
              "Payment terms, cancellation clauses and ring-fenced labour costs in contracts."),
            S(1, "10:45", 60, "Aligning buyers' incentives with sustainability goals",
              "hands-on", ("nordic-retail",),
              "How one retailer changed buyer targets, and what happened to margins and supplier "
              "relations."),
            S(1, "11:45", 45, "Action plans and peer review", "hands-on",
              ("living-wage-msi", "secretariat"),
              "Each participant presents a three-step action plan and gets feedback from peers."),
        ),
    ),
    EventSpec(
        slug="china-carbon-market-exporters-webinar",
        title="China's Carbon Market and the EU Carbon Border Proposal",
        kind=EventKind.WEBINAR,
        format=EventFormat.ONLINE,
        timezone="Asia/Shanghai",
        day=dt.date(2021, 8, 26),
        starts="16:00",
        ends="17:30",
        summary="China's national emissions trading scheme and the EU's proposed carbon border "
        "adjustment: what they mean for suppliers and importers.",
        description="China launched its national emissions trading scheme in July, days before "
        "the Commission proposed a carbon border adjustment mechanism. Speakers in Shanghai "
        "and Beijing explain both and how producers and importers are preparing.",
        tracks=("trade",),
        tags=("eu-china", "climate"),
        registration_weeks=3,
        sessions=(
            S(0, "16:00", 10, "Welcome", "trade", ("secretariat",), OPENING),
            S(0, "16:10", 30, "China's national carbon market in its first weeks", "trade",
              ("eucham-china", "cn-solar"),
              "Coverage, allocation and prices, and what comes after the power sector."),
            S(0, "16:40", 30, "The EU carbon border adjustment proposal, seen from China",
              "trade", ("eu-delegation-china", "eucham-china"),
              "The sectors covered, the reporting obligations of importers and how producers "
              "are preparing."),
            S(0, "17:10", 20, "Questions from participants", "trade",
              ("eu-delegation-china", "eucham-china", "cn-solar"),
              "Open questions and answers."),
        ),
    ),
)
