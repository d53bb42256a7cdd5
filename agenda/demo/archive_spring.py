"""The 2021 programme, January to April: mostly online, as travel was still restricted."""

# En dashes (U+2013) in names and titles are intended typography, not typos.

import datetime as dt

from agenda.enums import EventFormat, EventKind

from .catalogue import CLOSING, OPENING
from .specs import EventSpec, S

EVENTS: tuple[EventSpec, ...] = (
    EventSpec(
        slug="due-diligence-outlook-2021",
        title="Due Diligence Outlook 2021",
        kind=EventKind.WEBINAR,
        format=EventFormat.ONLINE,
        timezone="Europe/Brussels",
        day=dt.date(2021, 1, 19),
        starts="15:00",
        ends="16:30",
        summary="What the year holds for human rights and environmental due diligence: the "
        "Commission's initiative, national laws and what members should prepare for.",
        description="The network's first webinar of the year looks at the legislative calendar "
        "for mandatory due diligence in the EU and at the experience of companies already "
        "covered by the French duty of vigilance law. Members can put their questions directly "
        "to the speakers.",
        tracks=("policy",),
        tags=("due-diligence", "csddd"),
        registration_weeks=3,
        sessions=(
            S(0, "15:00", 10, "Welcome and introduction", "policy", ("secretariat",), OPENING),
            S(0, "15:10", 30, "The Commission's sustainable corporate governance initiative",
              "policy", ("dg-just",),
              "Results of the public consultation and the timeline for a proposal on mandatory "
              "human rights and environmental due diligence."),
            S(0, "15:40", 30, "Lessons from the French duty of vigilance law", "policy",
              ("law-firm", "luxury"),
              "Four years of vigilance plans: what courts, NGOs and companies have learnt, and "
              "what an EU law could borrow."),
            S(0, "16:10", 20, "Questions from members", "policy",
              ("dg-just", "law-firm", "secretariat"),
              "Open questions and answers, moderated by the secretariat."),
        ),
    ),
    EventSpec(
        slug="human-rights-supply-chains-forum-2021",
        title="Human Rights in Supply Chains Forum 2021",
        kind=EventKind.FORUM,
        format=EventFormat.HYBRID,
        timezone="Europe/Brussels",
        day=dt.date(2021, 2, 3),
        starts="09:00",
        ends="17:30",
        summary="The network's annual forum on human rights in global supply chains: risk "
        "prioritisation, worker voice, forced labour and the coming EU due diligence law.",
        description="Practitioners from brands, suppliers, trade unions, NGOs and public "
        "institutions compare what works in human rights due diligence. A limited audience "
        "meets in Brussels under the sanitary rules in force; everyone else follows online and "
        "joins the discussion through the platform's Q&A.",
        venue="square",
        rooms=(("Plenary – Silver Hall", 300), ("Room 213", 60)),
        tracks=("policy", "practice", "suppliers"),
        tags=("human-rights", "due-diligence", "forced-labour"),
        capacity=300,
        registration_closes_day_before=True,
        sessions=(
            S(0, "09:00", 15, "Opening of the forum", "", ("secretariat",), OPENING),
            S(0, "09:15", 45, "Keynote: from voluntary guidance to binding duties", "policy",
              ("oecd",),
              "How the OECD Guidelines and the UN Guiding Principles shape the coming EU rules, "
              "and which of their parts companies tend to underestimate."),
            S(0, "10:00", 60, "Panel: saliency first – prioritising risks across thousands of "
              "suppliers", "practice", ("nordic-retail", "auto-supplier", "ngo-bhr"),
              "Three perspectives on risk-based prioritisation: where to look first, which data "
              "helps and what it hides.", room="Plenary – Silver Hall"),
            S(0, "11:30", 60, "Clinic: building a human rights risk register", "practice",
              ("consultancy",),
              "A walk-through of a risk register template, from country and sector data to "
              "site-level findings.", room="Room 213"),
            S(0, "11:30", 60, "Worker voice in supplier factories: what actually works",
              "suppliers", ("bd-garment", "union"),
              "A supplier and a trade union officer on worker committees, hotlines and social "
              "dialogue beyond audits.", room="Plenary – Silver Hall"),
            S(0, "13:30", 45, "Forced labour: indicators, red flags and responses", "practice",
              ("ilo", "ngo-bhr"),
              "Recognising the ILO forced labour indicators in supplier assessments, and what to "
              "do when they appear.", room="Plenary – Silver Hall"),
            S(0, "14:15", 60, "Panel: what a European due diligence law should require",
              "policy", ("ep-juri", "dg-just", "union", "auto-supplier"),
              "Parliament, Commission, unions and business debate scope, civil liability and the "
              "role of stakeholders ahead of the Parliament's vote."),
            S(0, "15:30", 45, "Case study: remediation after a factory inspection", "suppliers",
              ("spanish-fashion", "bd-garment"),
              "How a brand and its supplier handled findings of excessive overtime, and who paid "
              "for the fix."),
            S(0, "16:15", 45, "Investors' expectations of human rights due diligence",
              "practice", ("pension", "asset-manager"),
              "What institutional investors ask in engagement dialogues and how they judge the "
              "answers.", room="Plenary – Silver Hall"),
            S(0, "17:00", 30, "Closing remarks", "", ("secretariat", "oecd"), CLOSING),
        ),
    ),
    EventSpec(
        slug="tier-2-supplier-mapping-workshop",
        title="Mapping Suppliers Beyond Tier 1",
        kind=EventKind.WORKSHOP,
        format=EventFormat.ONLINE,
        timezone="Europe/Berlin",
        day=dt.date(2021, 2, 17),
        starts="09:30",
        ends="12:30",
        summary="A hands-on morning on tracing products beyond direct suppliers: documents, "
        "tools and how to decide where to verify on site.",
        description="Most serious human rights and environmental harms happen far upstream, "
        "where buyers have no contract. In small online groups, participants trace a cotton "
        "T-shirt back to the spinning mill, compare supplier mapping tools and rank the mapped "
        "sites by risk. Places are limited to keep the groups workable.",
        tracks=("hands-on",),
        tags=("due-diligence", "human-rights"),
        capacity=40,
        registration_weeks=4,
        sessions=(
            S(0, "09:30", 15, "Introduction and objectives", "hands-on", ("consultancy",),
              "Why mapping beyond tier 1 matters and what participants will produce during the "
              "morning."),
            S(0, "09:45", 45, "Exercise: tracing a cotton T-shirt to the spinning mill",
              "hands-on", ("consultancy", "cn-mill"),
              "Participants follow order documents, certificates and supplier declarations "
              "upstream, and record the gaps they find."),
            S(0, "10:45", 45, "Tools for supplier mapping compared", "hands-on",
              ("electronics",),
              "Questionnaires, data platforms and traceability solutions, and what each costs "
              "suppliers in time and data."),
            S(0, "11:30", 40, "Exercise: deciding where to verify on site", "hands-on",
              ("consultancy", "nordic-retail"),
              "Groups rank the mapped sites by risk and explain which ones justify a visit."),
            S(0, "12:10", 20, "Wrap-up", "hands-on", ("secretariat",), CLOSING),
        ),
    ),
    EventSpec(
        slug="eu-china-supply-chain-dialogue-spring-2021",
        title="EU–China Supply Chain Dialogue: Spring Session",
        kind=EventKind.MEETING,
        format=EventFormat.ONLINE,
        timezone="Asia/Shanghai",
        day=dt.date(2021, 3, 10),
        starts="15:00",
        ends="17:30",
        summary="A closed-door online dialogue between European buyers and Chinese suppliers on "
        "due diligence expectations and environmental compliance.",
        description="The dialogue brings together European companies sourcing in China, their "
        "suppliers and the EU Delegation to compare expectations and practical constraints. "
        "The session is timed for Shanghai afternoon and European morning. Participation is by "
        "invitation and registrations are confirmed by the secretariat.",
        tracks=("trade", "suppliers"),
        tags=("eu-china", "due-diligence"),
        requires_approval=True,
        registration_weeks=4,
        sessions=(
            S(0, "15:00", 15, "Opening and introductions", "trade",
              ("secretariat", "eu-delegation-china"),
              "The EU Delegation and the secretariat open the dialogue and introduce the "
              "participants from both sides."),
            S(0, "15:15", 45, "What Chinese suppliers hear from European buyers", "trade",
              ("eucham-china", "cn-mill"),
              "Suppliers and European companies in China compare the questionnaires, audits and "
              "codes of conduct they deal with."),
            S(0, "16:00", 45, "Environmental compliance in textile clusters", "suppliers",
              ("cn-mill", "consultancy"),
              "Wastewater, energy and chemicals management in dyeing and finishing mills, and "
              "how buyers can support upgrades."),
            S(0, "16:45", 45, "Next steps for the dialogue", "trade",
              ("eu-delegation-china", "eucham-china", "secretariat"),
              "Agreeing topics and working methods for the second half of the year."),
        ),
    ),
    EventSpec(
        slug="eu-due-diligence-after-parliament-vote",
        title="After the Parliament Vote: Mandatory Due Diligence in the EU",
        kind=EventKind.WEBINAR,
        format=EventFormat.ONLINE,
        timezone="Europe/Brussels",
        day=dt.date(2021, 3, 16),
        starts="14:00",
        ends="15:30",
        summary="What the European Parliament's recommendations of 10 March mean for companies, "
        "and what to expect from the Commission's proposal.",
        description="On 10 March the European Parliament adopted its recommendations to the "
        "Commission on corporate due diligence and accountability. This webinar unpacks the "
        "text and asks what changes for companies that already follow the OECD Guidelines.",
        tracks=("policy",),
        tags=("csddd", "due-diligence"),
        registration_weeks=2,
        sessions=(
            S(0, "14:00", 10, "Welcome", "policy", ("secretariat-policy",), OPENING),
            S(0, "14:10", 25, "What the Parliament adopted on 10 March", "policy", ("ep-juri",),
              "Scope, due diligence steps, civil liability and sanctions in the legislative "
              "own-initiative report."),
            S(0, "14:35", 25, "Reading the report from a compliance desk", "policy",
              ("auto-supplier", "law-firm"),
              "Which obligations are new for companies already applying the OECD Guidelines, "
              "and which are not."),
            S(0, "15:00", 30, "Questions from members", "policy",
              ("ep-juri", "law-firm", "secretariat-policy"),
              "Members' questions on timing, SMEs and the interplay with national laws."),
        ),
    ),
    EventSpec(
        slug="living-wages-garment-workshop",
        title="Living Wages in Garment Supply Chains",
        kind=EventKind.WORKSHOP,
        format=EventFormat.ONLINE,
        timezone="Europe/Paris",
        day=dt.date(2021, 3, 24),
        starts="14:00",
        ends="17:00",
        summary="From benchmark to price: how brands can cost living wages into their buying "
        "and share the cost with suppliers.",
        description="Closing the gap between current wages and a living wage is as much a "
        "purchasing question as a supplier one. Participants work through living wage "
        "benchmarks, cost a wage increase into a garment price and hear a buyer and a supplier "
        "discuss who pays.",
        tracks=("hands-on", "suppliers"),
        tags=("living-wages", "purchasing-practices"),
        capacity=40,
        registration_weeks=5,
        sessions=(
            S(0, "14:00", 15, "Welcome and objectives", "hands-on", ("living-wage-msi",),
              "The facilitators set out the questions of the afternoon and the benchmarks used."),
            S(0, "14:15", 40, "Living wage benchmarks: what they measure", "suppliers",
              ("living-wage-msi", "ilo"),
              "How benchmarks are calculated, how they differ by region and how to compare them "
              "with current wages."),
            S(0, "14:55", 45, "Exercise: costing a wage increase into the FOB price", "hands-on",
              ("uk-retail", "living-wage-msi"),
              "Participants ring-fence labour costs in a product costing and calculate what "
              "closing the wage gap adds per garment."),
            S(0, "15:40", 40, "Buyer and supplier: who pays for higher wages?", "suppliers",
              ("bd-garment", "spanish-fashion", "union"),
              "A candid exchange on prices, order volumes and long-term commitments."),
            S(0, "16:20", 40, "Commitments and follow-up", "hands-on",
              ("living-wage-msi", "secretariat"),
              "Each participant drafts one practical commitment and agrees how to report back."),
        ),
    ),
    EventSpec(
        slug="conflict-minerals-regulation-first-months",
        title="The Conflict Minerals Regulation: The First Months",
        kind=EventKind.WEBINAR,
        format=EventFormat.ONLINE,
        timezone="Europe/Brussels",
        day=dt.date(2021, 4, 13),
        starts="10:00",
        ends="11:30",
        summary="Since 1 January, EU importers of tin, tantalum, tungsten and gold must carry "
        "out supply chain due diligence. What has that meant in practice?",
        description="The EU Conflict Minerals Regulation has applied since 1 January 2021. The "
        "Commission explains how it is enforced, and an importer and a downstream manufacturer "
        "share how they work with smelters and refiners.",
        tracks=("policy", "practice"),
        tags=("conflict-minerals", "due-diligence"),
        registration_weeks=3,
        sessions=(
            S(0, "10:00", 10, "Welcome", "policy", ("secretariat-policy",), OPENING),
            S(0, "10:10", 25, "The regulation in application", "policy", ("dg-trade",),
              "What importers of tin, tantalum, tungsten and gold must do, and how member state "
              "authorities check it."),
            S(0, "10:35", 25, "Smelter due diligence in practice", "practice",
              ("battery", "electronics"),
              "How a recycler and a manufacturer use smelter audits and upstream programmes to "
              "follow the five OECD steps."),
            S(0, "11:00", 30, "Questions from members", "practice",
              ("dg-trade", "battery", "electronics"),
              "Open discussion on reporting, downstream users and recycled material."),
        ),
    ),
    EventSpec(
        slug="deforestation-free-sourcing-forum-2021",
        title="Deforestation-free Sourcing Forum 2021",
        kind=EventKind.FORUM,
        format=EventFormat.ONLINE,
        timezone="Europe/Brussels",
        day=dt.date(2021, 4, 21),
        starts="09:30",
        ends="16:00",
        summary="Palm oil, soy, cocoa and cattle: traceability, smallholders, satellite data and "
        "what an EU law on deforestation-free products should change.",
        description="While the Commission prepares legislation on deforestation-free products, "
        "importers, producers, NGOs and investors compare traceability approaches commodity by "
        "commodity. The forum closes with a debate on what a good EU law would change in "
        "practice.",
        tracks=("policy", "practice", "suppliers"),
        tags=("deforestation", "due-diligence", "climate"),
        registration_weeks=6,
        sessions=(
            S(0, "09:30", 15, "Opening", "", ("secretariat",), OPENING),
            S(0, "09:45", 40, "Keynote: the EU's plans on deforestation-free products", "policy",
              ("dg-env",),
              "The options in the Commission's impact assessment, from labelling to mandatory "
              "due diligence, and the commodities in scope."),
            S(0, "10:25", 50, "Panel: traceability to plantation for palm oil and soy",
              "practice", ("palm-oil", "food-retail", "forest-ngo"),
              "What full traceability costs, where it is already achieved and what satellite "
              "monitoring adds."),
            S(0, "11:30", 45, "Smallholders in deforestation-free supply chains", "suppliers",
              ("chocolate", "cocoa-platform"),
              "How to avoid excluding smallholders when buyers tighten requirements, with "
              "examples from cocoa."),
            S(0, "13:00", 45, "Satellite monitoring and alerts: a live demonstration",
              "practice", ("forest-ngo",),
              "Open deforestation alert data and how buyers link it to supplier plots."),
            S(0, "13:45", 45, "Cattle and leather: the hardest commodity?", "suppliers",
              ("luxury", "forest-ngo"),
              "Indirect suppliers, animal movement records and the limits of certification."),
            S(0, "14:30", 45, "Investors and deforestation risk", "practice",
              ("asset-manager", "pension"),
              "How investors screen portfolios for deforestation and what they expect of "
              "companies."),
            S(0, "15:15", 45, "Closing panel: what a good EU law would change", "policy",
              ("dg-env", "food-retail", "forest-ngo", "secretariat-policy"),
              "Companies and NGOs on what they want from the forthcoming proposal."),
        ),
    ),
)
