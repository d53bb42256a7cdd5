"""Names and biographies of the demo's speakers, by their key in ``catalogue.SPEAKERS``.

Every person here is invented, as are the organizations' details behind them: the demo shows
what a speaker's page looks like without putting real people's names on real programmes.
"""

PROFILES: dict[str, tuple[str, str]] = {
    "secretariat": (
        "Hélène Vasseur",
        "Has led the network's secretariat since its founding, after a decade in corporate "
        "sustainability in Brussels and Lyon.",
    ),
    "secretariat-policy": (
        "Tomasz Wierzbicki",
        "Follows the EU's due diligence and reporting files for the network's members, and "
        "chairs its policy working group.",
    ),
    "dg-just": (
        "Chiara Benedetti",
        "Works on sustainable corporate governance at the Commission; previously a company "
        "lawyer in Milan.",
    ),
    "dg-trade": (
        "Pieter Claes",
        "Advises on the trade and sustainable development chapters of EU trade agreements.",
    ),
    "dg-fisma": (
        "Sofia Lindqvist",
        "Covers corporate sustainability reporting and its standards at the Commission.",
    ),
    "dg-env": (
        "Miguel Ferreira",
        "Worked on the deforestation regulation from its impact assessment to its guidance "
        "for operators.",
    ),
    "ep-juri": (
        "Anna Kowalczyk",
        "Advises the Parliament's legal affairs committee on company law and corporate "
        "accountability.",
    ),
    "oecd": (
        "Kwame Asante",
        "Supports companies and governments in applying the OECD due diligence guidance "
        "across sectors.",
    ),
    "ilo": (
        "Priya Raman",
        "Specialist in forced labour and child labour standards, with field work in South and"
        " South-East Asia.",
    ),
    "efrag": (
        "Lukas Berger",
        "Drafted sector guidance for sustainability reporting; trained as an auditor in "
        "Vienna.",
    ),
    "nordic-retail": (
        "Ingrid Solberg",
        "Built her company's human rights due diligence programme across 400 garment "
        "suppliers.",
    ),
    "auto-supplier": (
        "Jonas Hartmann",
        "Leads sustainability for a tier-one automotive supplier, from battery minerals to "
        "supplier audits.",
    ),
    "food-retail": (
        "Marloes de Vries",
        "Runs procurement for a food retailer and its programme on living incomes for "
        "farmers.",
    ),
    "luxury": (
        "Camille Durand",
        "Traces leather, gold and silk back to their origins for a luxury goods group.",
    ),
    "chemicals": (
        "Bart Janssens",
        "Turns a chemicals company's sustainability data into audited reports.",
    ),
    "audit": (
        "Nadia El Amrani",
        "Leads sustainability assurance engagements for listed companies in Belgium and "
        "Luxembourg.",
    ),
    "coffee": (
        "Giulia Romano",
        "Maps her roastery's coffee from cooperative to cup, and publishes what she finds.",
    ),
    "electronics": (
        "Erik Nyström",
        "Sources cobalt, tin and rare earths for an electronics manufacturer, with smelter "
        "audits on three continents.",
    ),
    "battery": (
        "Fatima Benali",
        "Keeps a battery recycler's minerals compliance in step with the EU batteries "
        "regulation.",
    ),
    "forwarder": (
        "Ruud Bakker",
        "Works with shippers on measuring and cutting the emissions of their freight.",
    ),
    "haulage": (
        "Katarzyna Nowak",
        "Moved a road haulage fleet of 600 trucks towards electric and biogas vehicles.",
    ),
    "shipping": (
        "Mads Kristensen",
        "Sets the climate strategy of a container line, from fuels to port calls.",
    ),
    "bd-garment": (
        "Farhana Rahman",
        "Runs compliance at a garment factory in Gazipur, and speaks for suppliers in buyer "
        "dialogues.",
    ),
    "cn-mill": (
        "Chen Wei",
        "Manages environmental and social performance at a textile mill in Jiangsu.",
    ),
    "cn-solar": (
        "Liu Yang",
        "Directs the supply chain of a solar module maker, and its traceability of "
        "polysilicon.",
    ),
    "union": (
        "Sven Olsen",
        "Negotiates framework agreements with multinational companies for a European union "
        "federation.",
    ),
    "ngo-bhr": (
        "Amara Okafor",
        "Researches corporate accountability and remedy for workers in global supply chains.",
    ),
    "law-firm": (
        "Julien Marchand",
        "Advises companies on the duty of vigilance and litigation risk.",
    ),
    "consultancy": (
        "Katrin Vogel",
        "Helps mid-sized companies set up due diligence that their teams can run.",
    ),
    "asset-manager": (
        "Daniel Weiss",
        "Leads engagement with investee companies on human rights and climate.",
    ),
    "pension": (
        "Maria Andersson",
        "Speaks for a pension fund's members in dialogues with the companies it owns.",
    ),
    "forest-ngo": (
        "Rafael Souza",
        "Analyses the trade in soy, cattle and palm oil and its link to forest loss.",
    ),
    "palm-oil": (
        "Siti Rahmawati",
        "Leads sustainability at a palm oil refiner, including its grievance process.",
    ),
    "chocolate": (
        "Lena Baumann",
        "Manages a chocolate maker's cocoa sustainability programme in Côte d'Ivoire and "
        "Ghana.",
    ),
    "cocoa-platform": (
        "Yao Kouassi",
        "Coordinates a grievance mechanism that cocoa farmers and workers can reach by phone.",
    ),
    "sports-ombud": (
        "Isabel Moreno",
        "Hears complaints from workers in the supply chain of a sporting goods brand.",
    ),
    "living-wage-msi": (
        "Anouk Peeters",
        "Runs a multi-stakeholder programme on living wages in textile supply chains.",
    ),
    "eu-delegation-china": (
        "Paolo Conti",
        "Follows trade and sustainability questions at the EU Delegation in Beijing.",
    ),
    "eucham-china": (
        "Claire Dubois",
        "Represents European companies in China on sustainability regulation.",
    ),
    "dc-think-tank": (
        "Michael Brooks",
        "Writes on trade policy and the environment, from carbon border measures to critical "
        "minerals.",
    ),
    "us-agency": (
        "Rachel Kim",
        "Advises on the enforcement of import bans on goods made with forced labour.",
    ),
    "spanish-fashion": (
        "Lucía Navarro",
        "Leads supplier engagement for a fashion group sourcing from 20 countries.",
    ),
    "denim": (
        "Thijs van Dijk",
        "Designs circular denim, from recycled cotton to repair services.",
    ),
    "recycler": (
        "Aino Virtanen",
        "Responsible for product stewardship at a textile-to-textile recycling company.",
    ),
    "public-buyer": (
        "Wim Verstraete",
        "Writes social and environmental criteria into public tenders in Flanders.",
    ),
    "uk-retail": (
        "Olivia Hughes",
        "Heads responsible purchasing at a high-street retailer.",
    ),
}
