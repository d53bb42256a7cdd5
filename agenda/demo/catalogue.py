"""Shared tables of the demo agenda: topics, tracks, venues and the speaker pool.

Speakers are described by role and organization here; their invented names and biographies
are in ``profiles``.
"""

# En dashes (U+2013) in names and titles are intended typography, not typos.

# slug -> topic name
TAGS: dict[str, str] = {
    "due-diligence": "Due diligence",
    "human-rights": "Human rights in supply chains",
    "csrd": "CSRD reporting",
    "csddd": "CSDDD",
    "deforestation": "Deforestation-free sourcing",
    "logistics": "Decarbonising logistics",
    "climate": "Scope 3 and climate",
    "living-wages": "Living wages",
    "conflict-minerals": "Conflict minerals",
    "circular-textiles": "Circular textiles",
    "purchasing-practices": "Responsible purchasing practices",
    "grievance-mechanisms": "Grievance mechanisms",
    "forced-labour": "Forced labour",
    "eu-china": "EU–China trade and sustainability",
    "eu-us": "EU–US trade and sustainability",
}

# key -> (track name, colour); the slug of a track is its key
TRACKS: dict[str, tuple[str, str]] = {
    "policy": ("Policy and regulation", "#1F4E79"),
    "practice": ("Company practice", "#2E7D32"),
    "suppliers": ("Suppliers and workers", "#B26A00"),
    "reporting": ("Reporting and disclosure", "#6A1B9A"),
    "climate": ("Climate and environment", "#00838F"),
    "trade": ("Trade and markets", "#C62828"),
    "finance": ("Investors and finance", "#455A64"),
    "hands-on": ("Hands-on exercises", "#AD1457"),
}

# key -> (venue name, address)
VENUES: dict[str, tuple[str, str]] = {
    "square": (
        "Square – Brussels Convention Centre",
        "Mont des Arts / Kunstberg, 1000 Brussels, Belgium",
    ),
    "residence-palace": (
        "Résidence Palace – International Press Centre",
        "Rue de la Loi 155, 1040 Brussels, Belgium",
    ),
    "network-office": (
        "Network secretariat, meeting floor",
        "Rue Belliard 40, 1040 Brussels, Belgium",
    ),
    "bcc-berlin": (
        "bcc Berlin Congress Center",
        "Alexanderstraße 11, 10178 Berlin, Germany",
    ),
    "umweltforum": (
        "Umweltforum Berlin",
        "Pufendorfstraße 11, 10249 Berlin, Germany",
    ),
    "maison-chimie": (
        "Maison de la Chimie",
        "28 rue Saint-Dominique, 75007 Paris, France",
    ),
    "ahoy": (
        "Ahoy Rotterdam",
        "Ahoyweg 10, 3084 BA Rotterdam, Netherlands",
    ),
    "shanghai-expo": (
        "Shanghai International Convention Center",
        "2727 Binjiang Avenue, Pudong New Area, Shanghai 200120, China",
    ),
    "pudong-hotel": (
        "Kerry Hotel Pudong, conference level",
        "1388 Huamu Road, Pudong New Area, Shanghai 201204, China",
    ),
    "convene-nyc": (
        "Convene – Brookfield Place",
        "225 Liberty Street, New York, NY 10281, United States",
    ),
}

# key -> (role, organization)
SPEAKERS: dict[str, tuple[str, str]] = {
    "secretariat": ("Executive director", "the network's secretariat"),
    "secretariat-policy": ("Head of EU policy", "the network's secretariat"),
    "dg-just": ("Policy officer, sustainable corporate governance", "European Commission, DG JUST"),
    "dg-trade": ("Trade and sustainable development adviser", "European Commission, DG Trade"),
    "dg-fisma": ("Policy officer, corporate reporting", "European Commission, DG FISMA"),
    "dg-env": ("Policy officer, deforestation and forest degradation",
               "European Commission, DG ENV"),
    "ep-juri": ("Committee adviser, legal affairs", "European Parliament secretariat"),
    "oecd": ("Responsible business conduct expert", "OECD Centre for Responsible Business Conduct"),
    "ilo": ("Labour standards specialist", "International Labour Organization"),
    "efrag": ("Technical expert, sustainability reporting", "a European standard-setting body"),
    "nordic-retail": ("Head of Human Rights Due Diligence", "a Nordic apparel retailer"),
    "auto-supplier": ("Sustainability director", "a German automotive supplier"),
    "food-retail": ("Chief procurement officer", "a Dutch food retailer"),
    "luxury": ("Head of Responsible Sourcing", "a French luxury goods group"),
    "chemicals": ("ESG reporting lead", "a Belgian chemicals company"),
    "audit": ("Partner, sustainability assurance", "an international audit firm, Brussels office"),
    "coffee": ("Supply chain transparency lead", "an Italian coffee roaster"),
    "electronics": ("Head of Raw Materials Sourcing", "a Swedish electronics manufacturer"),
    "battery": ("Compliance manager, minerals", "a Belgian battery materials recycler"),
    "forwarder": ("Director of Sustainable Logistics", "a Rotterdam-based freight forwarder"),
    "haulage": ("Fleet decarbonisation manager", "a Polish road haulage company"),
    "shipping": ("Head of Climate Strategy", "a Danish container shipping line"),
    "bd-garment": ("Compliance director", "a Bangladeshi garment manufacturer"),
    "cn-mill": ("Sustainability manager", "a Chinese textile mill in Jiangsu province"),
    "cn-solar": ("Supply chain director", "a Chinese solar module maker"),
    "union": ("Policy officer, global supply chains", "a European trade union federation"),
    "ngo-bhr": ("Business and human rights researcher", "a Brussels-based NGO"),
    "law-firm": ("Counsel, business and human rights", "a Paris law firm"),
    "consultancy": ("Partner, ESG advisory", "a Berlin sustainability consultancy"),
    "asset-manager": ("Head of Stewardship", "a Frankfurt-based asset manager"),
    "pension": ("Head of Investor Engagement", "a Nordic pension fund"),
    "forest-ngo": ("Forest commodities analyst", "an international environmental NGO"),
    "palm-oil": ("Sustainability director", "a Southeast Asian palm oil refiner"),
    "chocolate": ("Cocoa sustainability manager", "a Swiss chocolate maker"),
    "cocoa-platform": ("Grievance mechanism coordinator", "a multi-stakeholder cocoa platform"),
    "sports-ombud": ("Ombudsperson", "an international sporting goods brand"),
    "living-wage-msi": ("Programme manager, living wages",
                        "a multi-stakeholder textile initiative"),
    "eu-delegation-china": ("Trade counsellor", "Delegation of the European Union to China"),
    "eucham-china": ("Head of sustainability policy", "a European chamber of commerce in China"),
    "dc-think-tank": ("Director, trade and environment", "a Washington-based think tank"),
    "us-agency": ("Trade enforcement adviser", "a US federal trade agency"),
    "spanish-fashion": ("Head of Supplier Engagement", "a Spanish fashion group"),
    "denim": ("Circularity lead", "a Dutch denim brand"),
    "recycler": ("Head of Product Stewardship", "a Finnish textile recycling company"),
    "public-buyer": ("Procurement director", "a regional public procurement agency in Flanders"),
    "uk-retail": ("Head of Responsible Purchasing", "a British high-street retailer"),
}

OPENING = "The secretariat welcomes participants and sets out the aims and ground rules of the day."
CLOSING = "Key take-aways, open questions and how members can take the work forward."
