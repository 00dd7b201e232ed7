#!/usr/bin/env python3
"""Deterministic synthetic corpus for benchmarking `digest`.

    python bench/corpus.py --articles N --topics T --out DIR [--seed S]

writes DIR/content/{site.yaml, articles/*.md, topics/*.yaml}: N wire-style
reports about a fictional war in the fictional country of Veldara, and T
topic files with match rules, 2-4 figures each, a claim and a curated
disagreement that reference articles of the corpus.

The same (N, T, seed) always gives byte-identical files: every article is
drawn from its own random stream (seeded by seed and its index), so the
first 1,000 articles of a 10,000-article corpus are the 1,000-article corpus.

What the prose exercises:
  - datelines, quotes with ages ("Lina Farouk, 41,"), times ("6:30 a.m."),
    years, "Channel 12", "Resolution 2817", "Route 9", "phase two", "under
    five": numbers that are not counts;
  - figures with qualifiers ("at least 45,317", "more than 45,000", "nearly
    two million", "$12.4 billion"), as-of dates ("as of 12 March") and
    counting bodies ("according to the Health Ministry");
  - figures that grow over the six months (timing disagreements), counting
    bodies that disagree (one body's figure is ~0.7x another's), and rare
    digit typos (probable errors), kept bounded so the number of
    disagreements saturates instead of growing with N;
  - Markdown: emphasis, links, lists, headings, block quotes, and raw HTML
    that must stay text;
  - a few percent raw .txt articles with sidecar .yaml and scraped
    boilerplate ("Source link", "Related articles", "spot_imgspot_img", photo
    credits, bylines, "Also Read | ...").

Numbers are invented; the place names are fictional on purpose.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

COUNTRY = "Veldara"
DEMONYM = "Veldaran"
CAPITAL = "Merovan"
NEIGHBOUR = "Talvera"
NEIGHBOUR_CAPITAL = "Ossary"
REBELS = "the Ardel Liberation Front"
REBELS_SHORT = "ALF"

# region → (main city, dateline city)
REGIONS = {
    "Kessar": "Kessar City",
    "North Ardel": "Ardel",
    "Tamir Valley": "Tamir",
    "Port Sabine": "Port Sabine",
    "Lorin": "Lorinsk",
    "Dunmere": "Dunmere",
    "Halvik": "Halvik",
    "Corran": "Corran Bay",
}
REGION_NAMES = list(REGIONS)

# name, url slug, house style: qualifier for exact numbers, rounds large numbers?, spells small numbers?
# A fixed house style keeps the number of distinct ways a value is stated (and so
# the number of pairwise disagreements digest reports) bounded as N grows.
OUTLETS = [
    ("Meridian Wire", "meridian-wire", "at least", False, False),
    ("The Daily Ledger", "daily-ledger", "more than", True, True),
    ("Harbour Times", "harbour-times", "", False, False),
    ("Levant Chronicle", "levant-chronicle", "at least", False, True),
    ("Northern Courier", "northern-courier", "over", True, False),
    ("Atlas News Agency", "atlas-news", "", False, False),
    ("Crescent Post", "crescent-post", "nearly", True, False),
    ("Riverside Herald", "riverside-herald", "at least", False, False),
    ("Capital Observer", "capital-observer", "around", True, True),
    ("Frontline Report", "frontline-report", "", False, False),
    ("Eastern Tribune", "eastern-tribune", "more than", True, False),
    ("Global Dispatch", "global-dispatch", "an estimated", False, False),
]
# These outlets mostly cite the government's lower counts where a figure has two counting bodies.
GOVERNMENT_OUTLETS = {"Capital Observer", "Eastern Tribune", "Atlas News Agency"}

START = dt.date(2024, 11, 1)
DAYS = 181  # about six months
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = "January February March April May June July August September October November December".split()

FIRST = """Amira Lina Samir Yusuf Hana Karim Dalia Omar Nadia Tariq Leila Rami Sofia Anton Mira
Elias Petra Ivan Zora Milan Farah Idris Selma Noor Adel Vera Luka Maya Jonas Rania Teodor Ines""".split()
LAST = """Haddad Farouk Mansour Karimi Novak Petrovic Aziz Halabi Sarkis Dragan Vasko Rahman Bishara
Kovac Nasser Toma Saleh Marin Qassem Horvat Daoud Lazar Jaber Stojan Aoun Radu Khalil Varga""".split()
ROLES = [
    "a spokesperson for the {body_short}",
    "a senior official in {capital}",
    "a doctor at the main hospital in {city}",
    "an aid worker with a local charity in {city}",
    "a schoolteacher who fled {city} in {month}",
    "a shopkeeper in {city}",
    "a regional analyst based in {ncap}",
    "the governor of {region}",
    "a member of {country}'s parliament",
    "a volunteer with the {country} Red Cross",
    "a negotiator close to the talks",
    "a mother of four sheltering in {city}",
]

# --------------------------------------------------------------------- themes


@dataclass
class FigureT:
    id: str
    label: str
    terms: list[str]
    phrases: list[str]  # {N}: number with qualifier, {where}: place phrase
    lo: float
    hi: float
    style: str = "count"  # count | million | money | small
    bodies: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    near: list[str] = field(default_factory=list)  # instead of the country's name


@dataclass
class Theme:
    slug: str
    title: str
    summary: str
    words: list[str]
    subjects: list[str]
    figures: list[FigureT]
    exclude: list[str] = field(default_factory=list)
    disputes: list[tuple[str, str, str]] = field(default_factory=list)  # about, says A, says B


def F(id, label, terms, phrases, lo, hi, style="count", bodies=(), exclude=(), near=()):
    return FigureT(id, label, list(terms), list(phrases), lo, hi, style, list(bodies), list(exclude), list(near))


THEMES = [
    Theme(
        "casualties", "Casualties", "Deaths and injuries as each outlet reports them, with the body each count is credited to.",
        ["killed", "death toll", "casualties", "wounded", "injured", "fatalities"],
        ["the death toll", "civilian casualties", "the number of dead"],
        [
            F("killed", "People killed", ["killed", "death toll", "fatalities"],
              ["{N} people have been killed {where} since the war began", "the death toll {where} has risen to {N}",
               "{N} civilians have been killed {where}", "fighting {where} has killed {N} people"],
              28_000, 52_000, bodies=["the Health Ministry", "the UN human rights office", "the Interior Ministry"],
              exclude=["journalists", "health workers", "children", "cholera", "landmine"]),
            F("wounded", "People wounded", ["wounded", "injured"],
              ["{N} people have been wounded {where}", "{N} people were injured {where} in the fighting",
               "{N} wounded people are being treated {where}"],
              70_000, 125_000, bodies=["the Health Ministry", "local medics"], exclude=["landmine"]),
            F("children-killed", "Children killed", ["children killed", "children"],
              ["{N} children are among the dead {where}", "{N} children have been killed {where}"],
              6_000, 15_000, bodies=["UNICEF", "the Health Ministry"], exclude=["malnourished", "school"]),
        ],
        exclude=["football"],
        disputes=[("Who is counted as a civilian", "every person killed who was not in uniform", "only those confirmed by hospital records")],
    ),
    Theme(
        "displacement", "Displacement", "How many people have been driven from their homes, and where they shelter.",
        ["displaced", "displacement", "fled their homes", "uprooted", "shelters"],
        ["displacement", "the number of displaced people", "overcrowding in shelters"],
        [
            F("displaced", "People displaced", ["displaced", "fled their homes", "uprooted"],
              ["{N} people have been displaced {where}", "{N} people have fled their homes {where}",
               "the war has uprooted {N} people {where}"],
              1_300_000, 2_400_000, "million", bodies=["the International Organization for Migration", "the Interior Ministry"]),
            F("sheltering", "People in collective shelters", ["sheltering", "shelters"],
              ["{N} people are sheltering in schools and public buildings {where}", "collective shelters {where} now house {N} people"],
              250_000, 600_000, bodies=["the UN humanitarian office", "local officials"]),
            F("tents", "Tents distributed", ["tents"],
              ["{N} tents have been distributed {where}", "aid groups have handed out {N} tents {where}"],
              20_000, 80_000, bodies=["the UN refugee agency"]),
        ],
        disputes=[("Whether the north is safe to return to", "families can begin going home", "return is premature while shelling continues")],
    ),
    Theme(
        "refugees", "Refugees in Talvera", "People who crossed into neighbouring Talvera and what they were offered there.",
        ["refugees", "asylum", "crossed into Talvera", "refugee camp"],
        ["the refugee exodus", "pressure on camps in Talvera"],
        [
            F("refugees", "Refugees who crossed into Talvera", ["refugees"],
              ["{N} refugees from {country} have crossed into {ncountry}", "{ncountry} now hosts {N} refugees from {country}"],
              300_000, 900_000, bodies=["the UN refugee agency", "the Talveran Interior Ministry"]),
            F("asylum", "Asylum applications lodged", ["asylum applications", "asylum claims"],
              ["{N} asylum applications have been lodged by {demonym}s in {ncountry}", "{ncountry} has received {N} asylum claims from {demonym}s"],
              40_000, 150_000, bodies=["the Talveran Interior Ministry"]),
        ],
        disputes=[("Conditions in the camps", "adequate and improving", "overcrowded and short of water")],
    ),
    Theme(
        "aid", "Aid deliveries", "Trucks, food parcels and relief supplies reaching the country, and what holds them up.",
        ["aid trucks", "humanitarian aid", "convoy", "relief supplies", "food parcels"],
        ["aid deliveries", "the flow of relief supplies", "access for convoys"],
        [
            F("trucks", "Aid trucks entering per day", ["trucks", "lorries"],
              ["{N} aid trucks arrived {where} on the busiest day of the week", "{N} lorries carrying relief supplies reached people {where}"],
              60, 400, "small", bodies=["the UN humanitarian office", "the border authority"]),
            F("food-parcels", "Food parcels handed out", ["food parcels"],
              ["{N} food parcels have been handed out {where}", "aid agencies have distributed {N} food parcels {where}"],
              120_000, 500_000, bodies=["the World Food Programme"]),
        ],
        disputes=[("Why convoys are delayed", "inspections at the crossings", "fighting along the supply routes")],
    ),
    Theme(
        "detainees", "Detainees", "People held in detention by both sides, and releases.",
        ["detainees", "prisoners", "detention", "prisoner exchange"],
        ["the fate of detainees", "conditions in detention"],
        [
            F("detainees-held", "Detainees held", ["detainees", "held in detention"],
              ["{N} detainees are held {where}", "{N} people remain held in detention {where}"],
              5_000, 12_000, bodies=["the Red Cross", "a prisoners' rights group"], exclude=["released", "freed"]),
            F("prisoners-released", "Prisoners released", ["prisoners released", "prisoners"],
              ["{N} prisoners have been released {where} since the exchange began", "authorities {where} have freed {N} prisoners"],
              300, 2_000, bodies=["the Justice Ministry"], exclude=["first phase", "first stage", "draft"]),
        ],
        disputes=[("Treatment of detainees", "in line with the law", "routinely denied lawyers")],
    ),
    Theme(
        "captives", "Captives", "People abducted during the war and still held, as each side counts them.",
        ["captives", "hostages", "abducted", "kidnapped"],
        ["the captives' families", "talks on the captives"],
        [
            F("captives-held", "Captives still held", ["captives", "hostages"],
              ["{N} captives are still held {where}", "{N} hostages remain in captivity {where}"],
              60, 250, "small", bodies=["the government", "the families' forum"], exclude=["released", "freed", "phase", "first stage"]),
            F("abducted", "People abducted since the war began", ["abducted", "kidnapped"],
              ["{N} people have been abducted {where} since the war began", "armed groups have kidnapped {N} people {where}"],
              200, 450, "small", bodies=["the Interior Ministry"]),
        ],
        disputes=[("How many captives are alive", "most are alive", "the number alive is unknown")],
    ),
    Theme(
        "talks", "Ceasefire talks", "The negotiations in Ossary: who takes part, what a first phase would contain, what is unresolved.",
        ["ceasefire", "truce", "negotiations", "mediators", "talks"],
        ["the ceasefire talks", "the negotiations in Ossary", "hopes of a truce"],
        [
            F("phase-prisoners", "Prisoners to be freed in a first phase", ["prisoners"],
              ["a first phase would see {N} prisoners freed", "the draft provides for {N} prisoners to be released"],
              800, 1_700, bodies=["mediators", "negotiators"], near=["first phase", "draft"]),
            F("phase-captives", "Captives to be freed in a first phase", ["captives"],
              ["{N} captives would be released during a first stage", "the first stage covers {N} captives"],
              20, 45, "small", bodies=["mediators"], near=["first stage"]),
        ],
        disputes=[("Whether the truce must be permanent", "a permanent end to the war", "a pause that can be extended")],
    ),
    Theme(
        "hospitals", "Hospitals", "The state of hospitals and health workers.",
        ["hospital", "hospitals", "clinics", "health workers", "medical supplies"],
        ["the collapse of the health system", "shortages in hospitals"],
        [
            F("hospitals-functioning", "Hospitals still functioning", ["hospitals"],
              ["{N} hospitals remain partially functional {where}", "{N} hospitals are still operating {where}"],
              12, 40, "small", bodies=["the World Health Organization", "the Health Ministry"], exclude=["patients", "diesel", "fuel", "beds"]),
            F("beds", "Hospital beds available", ["beds"],
              ["{N} hospital beds remain available {where}", "there are {N} beds left {where}"],
              2_000, 6_000, bodies=["the World Health Organization"]),
            F("health-workers-killed", "Health workers killed", ["health workers"],
              ["{N} health workers have lost their lives {where}", "{N} health workers have died {where} since the war began"],
              300, 900, bodies=["the Health Ministry"]),
        ],
        disputes=[("Why hospitals stopped working", "shelling near the buildings", "no fuel for the generators")],
    ),
    Theme(
        "cholera", "Cholera outbreak", "Suspected cases and deaths in the outbreak, and the response.",
        ["cholera", "outbreak", "infections", "waterborne"],
        ["the cholera outbreak", "the spread of waterborne disease"],
        [
            F("cholera-cases", "Suspected cholera cases", ["cases", "infections"],
              ["{N} suspected cholera cases have been recorded {where}", "cholera infections {where} have reached {N}"],
              8_000, 40_000, bodies=["the World Health Organization", "the Health Ministry"]),
            F("cholera-deaths", "Cholera deaths", ["died", "deaths"],
              ["{N} people have died of cholera {where}", "the outbreak has caused {N} deaths {where}"],
              100, 600, bodies=["the World Health Organization"], exclude=["journalists", "health workers"]),
        ],
        disputes=[("Source of the outbreak", "contaminated wells", "sewage in the camps")],
    ),
    Theme(
        "hunger", "Hunger", "Food insecurity, famine warnings and child malnutrition.",
        ["hunger", "famine", "malnutrition", "malnourished", "food insecurity"],
        ["hunger", "the risk of famine", "child malnutrition"],
        [
            F("acute-hunger", "People facing acute hunger", ["acute hunger", "facing famine"],
              ["{N} people face acute hunger {where}", "{N} people are facing famine conditions {where}"],
              1_500_000, 3_000_000, "million", bodies=["the World Food Programme", "the UN humanitarian office"]),
            F("malnourished", "Children acutely malnourished", ["malnourished"],
              ["{N} children under five are acutely malnourished {where}", "{N} young children are malnourished {where}"],
              30_000, 90_000, bodies=["UNICEF"]),
        ],
        disputes=[("Whether famine has been reached", "famine is under way", "conditions fall short of famine")],
    ),
    Theme(
        "schools", "Schools", "Damage to schools and children out of education.",
        ["schools", "classrooms", "pupils", "education"],
        ["damage to schools", "the education of a generation"],
        [
            F("schools-damaged", "Schools damaged or destroyed", ["schools"],
              ["{N} schools have been damaged or destroyed {where}", "fighting has hit {N} schools {where}"],
              400, 1_500, bodies=["the Education Ministry", "UNICEF"], exclude=["sheltering"]),
            F("out-of-school", "Children out of school", ["out of school"],
              ["{N} children are out of school {where}", "the war has left {N} children out of school {where}"],
              500_000, 1_000_000, bodies=["UNICEF"]),
        ],
        disputes=[("When schools can reopen", "next term", "not before the fighting ends")],
    ),
    Theme(
        "power", "Electricity", "Power cuts, damage to the grid and repairs.",
        ["power cuts", "electricity", "blackout", "grid", "power stations"],
        ["the power cuts", "damage to the grid"],
        [
            F("without-power", "Households without electricity", ["without electricity", "without power"],
              ["{N} households are without electricity {where}", "{N} homes remain without power {where}"],
              200_000, 900_000, bodies=["the Energy Ministry"]),
            F("power-stations", "Power stations damaged", ["power stations"],
              ["{N} power stations have been damaged {where}", "strikes have knocked out {N} power stations {where}"],
              5, 30, "small", bodies=["the Energy Ministry", "the national grid operator"]),
        ],
        disputes=[("Who hit the substations", "rebel drones", "government artillery")],
    ),
    Theme(
        "water", "Water", "Access to clean water, wells and sanitation.",
        ["clean water", "wells", "sanitation", "desalination"],
        ["the water crisis", "access to clean water"],
        [
            F("no-clean-water", "People without clean water", ["without clean water", "safe water"],
              ["{N} people are without clean water {where}", "{N} people lack access to safe water {where}"],
              1_000_000, 2_500_000, "million", bodies=["UNICEF", "the Water Authority"]),
            F("wells", "Wells repaired", ["wells"],
              ["{N} wells have been repaired {where}", "engineers have restored {N} wells {where}"],
              50, 400, "small", bodies=["the Water Authority"], exclude=["oil", "gas"]),
        ],
        disputes=[("Whether the desalination plant can reopen", "within weeks", "not without spare parts")],
    ),
    Theme(
        "reconstruction", "Reconstruction", "What the war has destroyed, what rebuilding would cost, and what donors have pledged.",
        ["reconstruction", "rebuild", "donors", "damage"],
        ["the cost of reconstruction", "donor pledges"],
        [
            F("damage-cost", "Cost of the damage", ["damage", "reconstruction"],
              ["damage {where} is estimated to total {N}", "rebuilding {where} will cost {N}, a damage assessment found"],
              8e9, 30e9, "money", bodies=["the World Bank", "the Planning Ministry"], exclude=["pledges", "pledged"]),
            F("pledges", "Donor pledges", ["pledged", "pledges"],
              ["donors have pledged {N} for rebuilding {where}", "pledges for rebuilding {where} so far amount to {N}"],
              1e9, 5e9, "money", bodies=["the donor conference"]),
        ],
        disputes=[("Who should manage reconstruction funds", "the government", "an international trust fund")],
    ),
    Theme(
        "journalists", "Journalists", "Reporters killed, detained or barred, and media offices hit.",
        ["journalists", "reporters", "press freedom", "media workers"],
        ["the safety of journalists", "press freedom"],
        [
            F("journalists-killed", "Journalists killed", ["journalists"],
              ["{N} journalists have been killed {where}", "{N} journalists and media workers have died {where}"],
              40, 180, "small", bodies=["the Committee to Protect Journalists", "the journalists' union"]),
            F("media-offices", "Media offices destroyed", ["media offices"],
              ["{N} media offices have been destroyed {where}", "strikes have flattened {N} media offices {where}"],
              10, 60, "small", bodies=["the journalists' union"]),
        ],
        disputes=[("Whether reporters were targeted", "deliberately targeted", "caught in crossfire")],
    ),
    Theme(
        "landmines", "Landmines", "Mines and unexploded ordnance, clearance and victims.",
        ["landmines", "mines", "unexploded", "ordnance", "demining"],
        ["the danger of unexploded ordnance", "demining work"],
        [
            F("mines-cleared", "Mines and devices cleared", ["mines", "devices"],
              ["{N} mines and unexploded devices have been cleared {where}", "demining teams have removed {N} mines {where}"],
              2_000, 20_000, bodies=["the Mine Action Service"], exclude=["casualties", "victims"]),
            F("mine-victims", "Landmine casualties", ["landmine casualties", "landmine victims"],
              ["{N} landmine casualties have been recorded {where}", "there have been {N} landmine victims {where}"],
              100, 700, bodies=["the Mine Action Service", "the Red Cross"]),
        ],
        disputes=[("Who laid the mines", "retreating rebel units", "both sides")],
    ),
    Theme(
        "evacuations", "Evacuations", "Civilians and patients evacuated from the fighting.",
        ["evacuated", "evacuation", "evacuees"],
        ["the evacuation of civilians", "medical evacuations"],
        [
            F("evacuated", "Civilians evacuated", ["evacuated", "evacuees"],
              ["{N} civilians have been evacuated {where}", "{N} evacuees have been bused to safety {where}"],
              50_000, 200_000, bodies=["the Civil Defence", "the Interior Ministry"], exclude=["patients"]),
            F("patients-evacuated", "Patients evacuated for treatment", ["patients"],
              ["{N} patients have been flown out {where} for treatment", "{N} patients have left {where} for hospitals abroad"],
              500, 3_000, bodies=["the World Health Organization"]),
        ],
        disputes=[("Whether evacuees may return", "after the ceasefire", "only once mines are cleared")],
    ),
    Theme(
        "fuel", "Fuel", "Fuel and generators, and the shortages that shut services down.",
        ["fuel", "diesel", "generators", "petrol"],
        ["the fuel shortage", "diesel for generators"],
        [
            F("fuel-litres", "Litres of fuel delivered", ["litres of fuel", "litres of diesel"],
              ["{N} litres of fuel have been delivered {where}", "tankers brought {N} litres of diesel to hospitals {where}"],
              100_000, 900_000, bodies=["the Energy Ministry", "the UN humanitarian office"]),
            F("generators", "Generators delivered", ["generators"],
              ["{N} generators have been delivered {where}", "aid groups have shipped {N} generators {where}"],
              200, 1_500, bodies=["the UN humanitarian office"]),
        ],
        disputes=[("Why fuel is short", "smuggling", "the closure of the crossings")],
    ),
    Theme(
        "troops", "Troop deployments", "Soldiers and peacekeepers deployed, and the front lines.",
        ["troops", "soldiers", "deployment", "peacekeepers", "reinforcements"],
        ["the troop build-up", "the deployment of peacekeepers"],
        [
            F("troops-deployed", "Troops deployed", ["troops", "soldiers"],
              ["{N} troops have been deployed {where}", "the army has sent {N} soldiers {where}"],
              5_000, 30_000, bodies=["the Defence Ministry", "military analysts"], exclude=["peacekeepers"]),
            F("peacekeepers", "Peacekeepers on the ground", ["peacekeepers"],
              ["{N} peacekeepers are on the ground {where}", "the mission has deployed {N} peacekeepers {where}"],
              500, 4_000, bodies=["the UN mission"]),
        ],
        disputes=[("Purpose of the reinforcements", "defensive", "preparation for an offensive")],
    ),
    Theme(
        "elections", "Elections", "The planned election: voters, polling stations, and whether it can take place.",
        ["election", "voters", "ballot", "polling"],
        ["the planned election", "voter registration"],
        [
            F("voters", "Registered voters", ["registered voters", "voters"],
              ["{N} voters have registered {where}", "the roll {where} lists {N} registered voters"],
              3_000_000, 6_000_000, "million", bodies=["the Electoral Commission"]),
            F("polling-stations", "Polling stations planned", ["polling stations"],
              ["{N} polling stations are planned {where}", "officials plan to open {N} polling stations {where}"],
              2_000, 8_000, bodies=["the Electoral Commission"]),
        ],
        disputes=[("Whether the vote can be held", "on schedule", "not while fighting continues")],
    ),
    Theme(
        "housing", "Housing", "Homes and buildings destroyed or damaged.",
        ["homes", "buildings", "housing", "destroyed"],
        ["the destruction of housing", "damage to homes"],
        [
            F("homes-destroyed", "Homes destroyed", ["homes destroyed", "homes"],
              ["{N} homes have been destroyed {where}", "strikes have levelled {N} homes {where}"],
              60_000, 200_000, bodies=["the UN satellite centre", "the Housing Ministry"], exclude=["without power", "without electricity"]),
            F("buildings-damaged", "Buildings damaged", ["buildings"],
              ["{N} buildings have been damaged {where}", "satellite images show {N} damaged buildings {where}"],
              100_000, 300_000, bodies=["the UN satellite centre"]),
        ],
        disputes=[("How much housing can be repaired", "most of it", "less than half")],
    ),
    Theme(
        "missing", "The missing", "People missing, presumed under rubble, and bodies recovered.",
        ["missing", "unaccounted for", "search teams", "rubble"],
        ["the search for the missing", "recovery work in the rubble"],
        [
            F("missing", "People missing", ["missing", "unaccounted for"],
              ["{N} people are missing {where}", "{N} people remain unaccounted for {where}"],
              5_000, 15_000, bodies=["the Civil Defence"], exclude=["captives", "hostages"]),
            F("bodies-recovered", "Bodies recovered from rubble", ["bodies"],
              ["{N} bodies have been recovered from the rubble {where}", "search teams have pulled {N} bodies from collapsed buildings {where}"],
              500, 3_000, bodies=["the Civil Defence"]),
        ],
        disputes=[("Whether the missing are counted among the dead", "they are counted", "they are not yet counted")],
    ),
    Theme(
        "protests", "Protests", "Protests, arrests and the government's response.",
        ["protest", "protesters", "demonstrations", "arrested", "rally"],
        ["the protests", "the crackdown on demonstrations"],
        [
            F("arrested", "Protesters arrested", ["arrested"],
              ["{N} people have been arrested {where} during the protests", "police {where} have arrested {N} demonstrators"],
              200, 2_000, bodies=["police", "a rights group"], exclude=["journalists"]),
            F("protesters", "People at the largest protest", ["protesters", "demonstrators"],
              ["{N} protesters marched {where} on the biggest day of demonstrations", "organisers said {N} demonstrators turned out {where}"],
              5_000, 60_000, bodies=["organisers", "police"]),
        ],
        disputes=[("Size of the protests", "the largest in a decade", "a few thousand people")],
    ),
    Theme(
        "crossings", "Border crossings", "Crossing points, who may use them, and how many people cross.",
        ["border crossing", "crossings", "checkpoints"],
        ["the border crossings", "movement through the checkpoints"],
        [
            F("crossings-open", "Border crossings open", ["crossings"],
              ["{N} border crossings are open {where}", "authorities have reopened {N} crossings {where}"],
              2, 9, "small", bodies=["the border authority"]),
            F("people-crossing", "People crossing per day", ["people crossed", "crossed"],
              ["{N} people crossed the border {where} on the busiest day", "border guards said {N} people crossed the border {where} in a single day"],
              1_000, 8_000, bodies=["the border authority"], exclude=["refugees"]),
        ],
        disputes=[("Who controls the crossings", "the border authority", "local militias")],
    ),
]

# -------------------------------------------------------------------- helpers

WORDS_0_19 = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
TENS_WORDS = {20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty", 90: "ninety"}


def words_for(n: int) -> str:
    if n < 20:
        return WORDS_0_19[n]
    tens, units = divmod(n, 10)
    return TENS_WORDS[tens * 10] + (f"-{WORDS_0_19[units]}" if units else "")


def round_sig(value: float, digits: int) -> float:
    if value <= 0:
        return value
    from math import floor, log10

    scale = 10 ** (floor(log10(value)) - digits + 1)
    return round(value / scale) * scale


def commas(n: float) -> str:
    return f"{int(round(n)):,}"


def kebab(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def day_str(date: dt.date, rng: random.Random) -> str:
    return f"{date.day} {MONTHS[date.month - 1]}" if rng.random() < 0.6 else f"{MONTHS[date.month - 1]} {date.day}"


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class Trajectory:
    """How one figure's value moves over the six months, as a few updates from its counting body.

    Most figures creep up within the default tolerance (corroborated, no
    disagreement); some grow past it in one step (early and late reports
    disagree); some have a second counting body with a lower count.  Values
    move in at most two steps so that the set of distinct stated values, and
    with it the number of pairwise disagreements, stops growing with N.
    """

    def __init__(self, seed: str, fig: FigureT):
        rng = random.Random(f"{seed}:trajectory:{fig.id}")
        kind = rng.random()
        self.base = rng.uniform(fig.lo, fig.hi)
        self.updates = 2
        if kind < 0.65:
            self.growth = rng.uniform(0.0, 0.025) if fig.style != "small" else 0.0
        elif kind < 0.85:
            self.growth = rng.uniform(0.10, 0.15)
        else:
            self.growth = 0.0
        self.split = kind >= 0.85 and len(fig.bodies) > 1
        self.split_factor = rng.uniform(0.62, 0.78)

    def value(self, date: dt.date, rng: random.Random, second_body: bool) -> float:
        step = min(self.updates - 1, (date - START).days * self.updates // DAYS)
        value = self.base * (1 + self.growth * step)
        return value * self.split_factor if second_body else value


def state_number(value: float, style: str, house: tuple, typo: bool) -> str:
    """The words an outlet uses for a value, in its house style: "at least 45,317", "nearly two million"."""
    _, _, qualifier, rounds, spells = house
    if style == "money":
        if value >= 1e9:
            return ("an estimated " if rounds else "") + f"${value / 1e9:.1f} billion"
        return f"${value / 1e6:.0f} million"
    n = int(round(value))
    if typo:
        digits = str(n)
        at = len(digits) // 2
        n = int(digits[:at] + digits[at - 1] + digits[at:])  # a doubled digit: 45,581 → 445,581
        return (qualifier + " " if qualifier else "") + commas(n)
    if style == "small" or n < 100:
        if spells and n < 100:
            return ("at least " if qualifier == "at least" else "") + words_for(n)
        return (qualifier + " " if qualifier in ("at least", "more than", "over") else "") + str(n)
    if style == "million" and rounds:
        m = value / 1e6
        whole = round(m)
        if abs(m - whole) / m < 0.03 and 1 <= whole <= 9:
            return ("nearly " if whole > m else "more than ") + WORDS_0_19[whole] + " million"
        return f"about {m:.1f} million"
    if rounds:
        r = round_sig(n, 2)
        if abs(r - n) / n > 0.02:
            r = round_sig(n, 3)
        if r < n:
            return ("more than " if qualifier != "over" else "over ") + commas(r)
        if r > n:
            return "nearly " + commas(r)
        return "around " + commas(r)
    return (qualifier + " " if qualifier else "") + commas(n)


# ------------------------------------------------------------------- articles


@dataclass
class Article:
    slug: str
    title: str
    outlet: str
    date: dt.date
    theme: Theme
    region: str
    lead: str  # plain text of the first sentence after the dateline, for claims
    fmt: str  # md | txt
    paragraphs: list[str]
    say: str  # a short statement the article makes (for curated disagreements)


class Corpus:
    def __init__(self, articles: int, topics: int, seed: int):
        self.n, self.t, self.seed = articles, topics, seed
        self.trajectories: dict[str, Trajectory] = {}
        self.topic_specs = self._topic_specs()
        # themes that appear as topics get most of the articles
        self.active_themes = [spec[0] for spec in self.topic_specs]

    # -- topics ------------------------------------------------------------
    def _topic_specs(self) -> list[tuple[Theme, str | None]]:
        """T (theme, region-or-None) pairs: national topics first, then regional ones."""
        specs = []
        for k in range(self.t):
            theme = THEMES[k % len(THEMES)]
            region = None if k < len(THEMES) else REGION_NAMES[(k // len(THEMES) - 1) % len(REGION_NAMES)]
            specs.append((theme, region))
        return specs

    def trajectory(self, fig: FigureT, place: str) -> Trajectory:
        key = f"{fig.id}@{place}"
        if key not in self.trajectories:
            self.trajectories[key] = Trajectory(f"{self.seed}:{place}", fig)
        return self.trajectories[key]

    # -- sentences -----------------------------------------------------------
    def fill(self, text: str, a: dict) -> str:
        return text.format(**a)

    def figure_sentence(self, fig: FigureT, place: str, ctx: dict, rng: random.Random) -> str:
        """One sentence stating `fig` for `place` ("national" or a region), with body and maybe an as-of date."""
        phrases = [p for p in fig.phrases if "{where}" in p]
        if not phrases:  # the figure names its own place ("refugees from Veldara"): national only
            place, phrases = "national", fig.phrases
        traj = self.trajectory(fig, place)
        outlet = ctx["outlet_row"]
        second = traj.split and rng.random() < (0.85 if outlet[0] in GOVERNMENT_OUTLETS else 0.05)
        body = fig.bodies[1] if second else (fig.bodies[0] if fig.bodies else "officials")
        value = traj.value(ctx["date"], rng, second)
        typo = rng.random() < 1 / 2500 and fig.style == "count" and value < 1e6
        number = state_number(value, fig.style, outlet, typo)
        if place == "national":
            where = rng.choice([f"in {COUNTRY}", f"across {COUNTRY}", f"in {COUNTRY} as a whole"])
        else:
            where = rng.choice([f"in {place}", f"in the {place} region", f"across {place}"])
        phrase = rng.choice(phrases).format(N=number, where=where, country=COUNTRY, ncountry=NEIGHBOUR, demonym=DEMONYM)
        when = ""
        r = rng.random()
        date = ctx["date"]
        if r < 0.25:
            when = f" on {WEEKDAYS[(date - dt.timedelta(days=rng.randrange(1, 6))).weekday()]}"
        form = rng.randrange(6)
        if form == 0:
            return f"{cap(phrase)}, {body} said{when}."
        if form == 1:
            return f"{cap(phrase)}, according to {body}."
        if form == 2:
            return f"{cap(body)} said{when} that {phrase}."
        if form == 3:
            return f"According to figures released by {body}{when}, {phrase}."
        if form == 4:
            as_of = date - dt.timedelta(days=rng.randrange(0, 5))
            return f"{cap(phrase)} as of {day_str(as_of, rng)}, {body} said."
        return f"{cap(phrase)}."

    def figures_paragraph(self, theme: Theme, place: str, ctx: dict, rng: random.Random) -> str:
        figs = rng.sample(theme.figures, k=min(len(theme.figures), rng.choice([1, 1, 2])))
        sentences = [self.figure_sentence(f, place, ctx, rng) for f in figs]
        if rng.random() < 0.5:
            sentences.append(self.fill(rng.choice(CONTEXT_SENTENCES), ctx))
        if place != "national" and rng.random() < 0.5:
            sentences.insert(0, f"In {place}, the picture is bleaker.")
        return " ".join(sentences)

    def combined_casualties(self, place: str, ctx: dict, rng: random.Random) -> str:
        """ "X people have been killed and Y wounded": two figures in one sentence."""
        theme = THEMES[0]
        killed, wounded = theme.figures[0], theme.figures[1]
        outlet = ctx["outlet_row"]
        k = state_number(self.trajectory(killed, place).value(ctx["date"], rng, False), "count", outlet, False)
        w = state_number(self.trajectory(wounded, place).value(ctx["date"], rng, False), "count", outlet, False)
        where = f"in {COUNTRY}" if place == "national" else f"in {place}"
        return f"{cap(k)} people have been killed {where} and {w} wounded, the Health Ministry said, in figures that do not distinguish civilians from fighters."

    # -- articles ------------------------------------------------------------
    def article(self, i: int) -> Article:
        rng = random.Random(f"{self.seed}:article:{i}")
        outlet_row = OUTLETS[rng.randrange(len(OUTLETS))]
        outlet, outlet_slug = outlet_row[0], outlet_row[1]
        date = START + dt.timedelta(days=rng.randrange(DAYS))
        theme = self.active_themes[rng.randrange(len(self.active_themes))] if rng.random() < 0.9 else rng.choice(THEMES)
        region = rng.choice(REGION_NAMES)
        secondary = [t for t in rng.sample(THEMES, 3) if t is not theme][:rng.choice([1, 1, 2])]
        body_short = rng.choice(["Health Ministry", "Interior Ministry", "UN humanitarian office", "Red Cross", "Civil Defence"])
        ctx = {
            "outlet": outlet, "outlet_row": outlet_row, "date": date, "region": region, "city": REGIONS[region],
            "country": COUNTRY, "demonym": DEMONYM, "capital": CAPITAL, "ncountry": NEIGHBOUR, "ncap": NEIGHBOUR_CAPITAL,
            "rebels": REBELS, "rebels_short": REBELS_SHORT, "subject": rng.choice(theme.subjects),
            "weekday": WEEKDAYS[(date - dt.timedelta(days=rng.randrange(0, 3))).weekday()],
            "month": MONTHS[(date.month - 2) % 12], "body_short": body_short,
            "n_months": words_for(max(2, (date - dt.date(2024, 3, 3)).days // 30)),
            "route": rng.randrange(2, 40), "res": rng.randrange(2700, 2900), "channel": rng.choice([11, 12, 13, 14]),
            "hour": rng.randrange(5, 11), "minute": rng.choice(["00", "15", "30", "45"]), "age": rng.randrange(19, 78),
            "person": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "person2": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "year": rng.choice([1994, 2008, 2011, 2019]), "small": words_for(rng.randrange(2, 9)),
        }
        title = self.fill(rng.choice(TITLES), ctx)
        title = cap(title)
        ctx["slug"] = kebab(title)[:40]
        lead = self.fill(rng.choice(LEADS), ctx)
        fmt = "txt" if rng.random() < 0.03 else "md"
        paragraphs = []
        dateline = f"{REGIONS[region].upper() if rng.random() < 0.7 else CAPITAL.upper()} ({outlet}) — "
        paragraphs.append(dateline + lead)
        n_paragraphs = rng.randrange(6, 15)
        kinds = ["figures", "quote", "background", "figures2", "regional", "trap", "quote", "context", "figures", "secondary", "background", "vague", "quote2", "link"]
        rng.shuffle(kinds)
        kinds = ["figures"] + kinds
        places = ["national", region]
        say = rng.choice(theme.disputes[0][1:]) if theme.disputes else "no comment"
        backgrounds = rng.sample(BACKGROUND, 2)
        for kind in kinds[: n_paragraphs - 1]:
            if kind == "figures":
                paragraphs.append(self.figures_paragraph(theme, rng.choice(places), ctx, rng))
            elif kind == "figures2":
                if theme is THEMES[0] and rng.random() < 0.5:
                    paragraphs.append(self.combined_casualties(rng.choice(places), ctx, rng))
                else:
                    paragraphs.append(self.figures_paragraph(theme, "national", ctx, rng))
            elif kind == "regional":
                paragraphs.append(self.figures_paragraph(theme, region, ctx, rng))
            elif kind == "secondary":
                paragraphs.append(self.figures_paragraph(secondary[0], rng.choice(places), ctx, rng))
            elif kind in ("quote", "quote2"):
                role = self.fill(rng.choice(ROLES), ctx)
                q = self.fill(rng.choice(QUOTES), ctx)
                who = ctx["person"] if kind == "quote" else ctx["person2"]
                if rng.random() < 0.3:
                    paragraphs.append(f'"{q}," said {who}, {ctx["age"]}, {role}.')
                elif rng.random() < 0.15 and fmt == "md":
                    paragraphs.append(f"> {q}")
                else:
                    paragraphs.append(f'"{q}," {who}, {role}, told {outlet}.')
            elif kind == "background":
                paragraphs.append(self.fill(backgrounds.pop(), ctx))
            elif kind == "trap":
                paragraphs.append(self.fill(rng.choice(TRAPS), ctx))
            elif kind == "context":
                paragraphs.append(" ".join(self.fill(s, ctx) for s in rng.sample(CONTEXT_SENTENCES, 2)))
            elif kind == "vague":
                paragraphs.append(self.fill(rng.choice(VAGUE), ctx))
            elif kind == "link":
                paragraphs.append(self.fill(rng.choice(LINKS), ctx))
            if len(secondary) > 1 and rng.random() < 0.1:
                paragraphs.append(self.figures_paragraph(secondary[1], "national", ctx, rng))
        paragraphs.append(self.fill(rng.choice(CLOSERS), ctx))
        if fmt == "md":
            paragraphs = self._markdown(paragraphs, ctx, theme, rng)
        slug = f"{outlet_slug}-{i:05d}-{'-'.join(kebab(title).split('-')[:5])}"
        return Article(slug, title, outlet, date, theme, region, lead, fmt, paragraphs, say)

    def _markdown(self, paragraphs: list[str], ctx: dict, theme: Theme, rng: random.Random) -> list[str]:
        out = list(paragraphs)
        if rng.random() < 0.35 and len(out) > 4:
            at = rng.randrange(2, len(out) - 1)
            out.insert(at, "## " + cap(self.fill(rng.choice(SUBHEADS), ctx)))
        if rng.random() < 0.15:
            items = rng.sample(LIST_ITEMS, 3)
            out.insert(rng.randrange(2, len(out)), "The main points of the proposal:\n\n" + "\n".join(f"- {self.fill(x, ctx)}" for x in items))
        for k in range(1, len(out)):
            if out[k].startswith(("## ", "> ", "The main points")):
                continue
            r = rng.random()
            if r < 0.06:
                out[k] = out[k].replace(ctx["outlet"], f"*{ctx['outlet']}*", 1)
            elif r < 0.09:
                out[k] = out[k].replace(COUNTRY, f"**{COUNTRY}**", 1)
        if rng.random() < 0.02:
            out.insert(len(out) - 1, "A sign at the crossing read <b>CLOSED</b> in hand-painted letters, and a note said <script>alert(1)</script> was not a joke.")
        return out

    # -- writing -------------------------------------------------------------
    def write(self, out: Path) -> dict:
        content = out / "content"
        articles_dir, topics_dir = content / "articles", content / "topics"
        articles_dir.mkdir(parents=True, exist_ok=True)
        topics_dir.mkdir(parents=True, exist_ok=True)
        for folder in (articles_dir, topics_dir):  # regenerate from scratch: stale files would change the corpus
            for old in folder.iterdir():
                if old.is_file():
                    old.unlink()
        (content / "site.yaml").write_text(SITE_YAML.format(n=self.n, t=self.t, seed=self.seed), encoding="utf-8")
        by_theme: dict[str, list[Article]] = {}
        stats = {"articles": self.n, "txt_articles": 0, "paragraphs": 0, "bytes": 0, "topics": self.t, "figures": 0}
        for i in range(self.n):
            a = self.article(i)
            by_theme.setdefault(a.theme.slug, []).append(a)
            stats["paragraphs"] += len(a.paragraphs)
            url = f"https://example.org/{kebab(a.outlet)}/{a.date:%Y/%m/%d}/{a.slug}"
            published = a.date.isoformat()
            if i % 10 == 3:
                published += f"T{6 + i % 12:02d}:{(i * 7) % 60:02d}:00Z"
            meta = (
                f"title: {json.dumps(a.title, ensure_ascii=False)}\nsource: {a.outlet}\nurl: {url}\n"
                f"published: {published}\nauthor: {a.outlet} staff\nlanguage: en\n"
            )
            if a.fmt == "md":
                text = f"---\n{meta}---\n" + "\n\n".join(a.paragraphs) + "\n"
                path = articles_dir / f"{a.slug}.md"
            else:
                stats["txt_articles"] += 1
                text = self._scraped(a, i)
                (articles_dir / f"{a.slug}.yaml").write_text(meta, encoding="utf-8")
                path = articles_dir / f"{a.slug}.txt"
            path.write_text(text, encoding="utf-8")
            stats["bytes"] += len(text.encode())
        all_articles = [a for group in by_theme.values() for a in group]
        for k, (theme, region) in enumerate(self.topic_specs):
            text, nfig = self._topic(k, theme, region, by_theme.get(theme.slug, []), all_articles)
            slug = theme.slug if region is None else f"{theme.slug}-{kebab(region)}"
            (topics_dir / f"{slug}.yaml").write_text(text, encoding="utf-8")
            stats["figures"] += nfig
        return stats

    def _scraped(self, a: Article, i: int) -> str:
        """A raw .txt article as copied from a web page, boilerplate included."""
        rng = random.Random(f"{self.seed}:scraped:{i}")
        lines = [a.title, "", f"(Photo: {rng.choice(FIRST)} {rng.choice(LAST)}, via Wikimedia Commons)", "", f"By {a.outlet} Staff", "", "spot_imgspot_img", ""]
        for k, p in enumerate(a.paragraphs):
            lines += [re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", p), ""]  # copied text keeps link words, not links
            if k == 2:
                lines += [f"Also Read | {cap(rng.choice(a.theme.subjects))} dominates talks in {NEIGHBOUR_CAPITAL}", ""]
            if k == 4:
                lines += [cap(rng.choice(SUBHEADS).format(region=a.region, country=COUNTRY, subject=rng.choice(a.theme.subjects))), ""]
        lines += ["Related articles", "", "Source link", ""]
        return "\n".join(lines)

    def _topic(self, k: int, theme: Theme, region: str | None, own: list[Article], everything: list[Article]) -> tuple[str, int]:
        rng = random.Random(f"{self.seed}:topic:{k}")
        md = [a for a in own if a.fmt == "md"] or [a for a in everything if a.fmt == "md"] or everything
        near = [COUNTRY, DEMONYM] if region is None else [region]
        nfig = min(len(theme.figures), 4)
        figs = theme.figures[:nfig]
        if nfig < 2:  # pragma: no cover - every theme has at least two
            raise SystemExit(f"theme {theme.slug} has fewer than two figures")
        title = theme.title if region is None else f"{theme.title} in {region}"
        summary = theme.summary if region is None else f"{theme.summary.rstrip('.')} — in {region}."
        y = [f"title: {json.dumps(title, ensure_ascii=False)}", f"summary: {json.dumps(summary, ensure_ascii=False)}", f"order: {k + 1}", "match:"]
        y.append("  any: " + json.dumps(theme.words, ensure_ascii=False))
        if region is not None:
            y.append("  all: " + json.dumps([region], ensure_ascii=False))
        if theme.exclude:
            y.append("  exclude: " + json.dumps(theme.exclude, ensure_ascii=False))
        y.append("figures:")
        for f in figs:
            fid = f.id if region is None else f"{f.id}-{kebab(region)}"
            label = f.label if region is None else f"{f.label} in {region}"
            fnear = f.near if f.near and region is None else near
            y += [
                f"  - id: {fid}",
                f"    label: {json.dumps(label, ensure_ascii=False)}",
                f"    terms: {json.dumps(f.terms, ensure_ascii=False)}",
                f"    near: {json.dumps(fnear, ensure_ascii=False)}",
            ]
            if f.exclude:
                y.append(f"    exclude: {json.dumps(f.exclude, ensure_ascii=False)}")
            if rng.random() < 0.3:
                y.append("    tolerance: 0.05")
        # a claim drawn from the lead of up to three articles of this theme
        src = rng.sample(md, k=min(len(md), rng.choice([1, 2, 3])))
        y += ["claims:", f"  - text: {json.dumps(src[0].lead, ensure_ascii=False)}", f"    sources: {json.dumps([a.slug for a in src])}"]
        # a curated disagreement between two articles of different outlets
        first = md[rng.randrange(len(md))]
        others = [a for a in md if a.outlet != first.outlet] or md
        second = others[rng.randrange(len(others))]
        about, says_a, says_b = theme.disputes[0] if theme.disputes else ("Emphasis", "one view", "another view")
        y += [
            "disagreements:",
            f"  - about: {json.dumps(about, ensure_ascii=False)}",
            "    positions:",
            f"      - {{source: {first.slug}, says: {json.dumps(says_a, ensure_ascii=False)}}}",
            f"      - {{source: {second.slug}, says: {json.dumps(says_b, ensure_ascii=False)}}}",
        ]
        if len(first.paragraphs) >= 3:
            y.append(f"pin: [{first.slug}#2]")
        y += ["notes: |", f"  Synthetic benchmark topic {k + 1} of {self.t}. Figures here are invented;", "  read every number with the *body* it is credited to."]
        return "\n".join(y) + "\n", nfig


SITE_YAML = """title: Veldara war — synthetic benchmark digest
description: >-
  A synthetic corpus of {n} wire-style reports and {t} topics (seed {seed}),
  generated by bench/corpus.py to benchmark digest. Places and figures are invented.
base_url: ""
language: en
theme: default
"""

TITLES = [
    "Concern grows in {region} over {subject} as fighting spreads",
    "{ncountry} mediators push for truce amid alarm over {subject}",
    "{country}: officials warn over {subject}",
    "Fresh strikes hit {city}; {subject} in focus",
    "UN raises the alarm over {subject} in {region}",
    "Talks in {ncap} stall over {subject}",
    "{region} residents describe {subject} after {n_months} months of war",
    "Government rejects criticism over {subject}",
]
LEADS = [
    "Officials in {region} warned on {weekday} that {subject} was getting worse, as fighting between government forces and {rebels} spread towards {city}.",
    "Mediators from {ncountry} pressed both sides on {weekday} to agree a truce, saying {subject} could no longer wait for a political deal.",
    "Heavy shelling hit the outskirts of {city} overnight, local officials said on {weekday}, deepening concern over {subject} in {region}.",
    "Aid agencies said on {weekday} that {subject} had reached a critical point after {n_months} months of war in {country}.",
    "The government in {capital} said on {weekday} it was doing everything it could about {subject}, rejecting criticism from aid groups.",
    "Residents of {city} said on {weekday} that {subject} had changed daily life beyond recognition.",
]
QUOTES = [
    "We have nothing left, not even the walls",
    "Every day we count again, and every day the number is higher",
    "The world is watching, but nobody is acting",
    "We cannot reach the people who need us most",
    "This is not a crisis any more, it is a catastrophe",
    "We were promised the crossings would open, and they did not",
    "My children ask me when we can go home, and I have no answer",
    "The figures are only what we can confirm; the real number is higher",
    "There is progress, but the gaps on the main issues remain wide",
    "Nobody should have to choose between bread and medicine",
]
BACKGROUND = [
    "The war began on 3 March 2024, when {rebels} ({rebels_short}) seized government buildings in {city} and the army responded with a counter-offensive that has since spread to much of the north.",
    "{country} has been unstable since the disputed election of {year}. The {rebels_short} says it is fighting for autonomy for {region}; the government calls it a terrorist organisation.",
    "UN Security Council Resolution {res} called for an immediate ceasefire in {country} and unhindered humanitarian access, but neither side has fully complied.",
    "Mediators from {ncountry} have hosted talks in {ncap} since the summer. A previous round collapsed in {month} over the sequencing of prisoner releases and the withdrawal of troops.",
    "Fighting has centred on Route {route}, the main road linking {city} to {capital}, which both sides regard as vital for supplies.",
    "The government says phase two of its plan would restore services to {region} once the area is secured; critics say phase one has not been completed.",
]
TRAPS = [
    "Channel {channel} reported on {weekday} that a convoy had been turned back at the checkpoint at {hour}:{minute} a.m. after a dispute over paperwork.",
    "A {age}-year-old man was among those arrested, his family said. Another man, aged {age}, was released after questioning.",
    "The 1949 Geneva Conventions oblige the warring parties to protect civilians, the International Committee of the Red Cross said in a statement on Route {route}.",
    "Officials said the curfew would run from 9 p.m. to 6 a.m. and that Gate 4 of the main crossing would remain shut until further notice.",
    "The talks are expected to resume in {ncap} on 14 January, with a second session planned for the 20th, according to a timetable seen by {outlet}.",
    "Children under five and adults over 60 are the most vulnerable, doctors said, citing a report from 2019.",
]
CONTEXT_SENTENCES = [
    "The figures could not be independently verified.",
    "Aid agencies say the real numbers are likely higher.",
    "The government disputes the methodology behind the count.",
    "Officials said the count would be revised as more areas became accessible.",
    "Both sides accuse each other of exaggerating the numbers.",
    "The {rebels_short} did not respond to a request for comment.",
]
VAGUE = [
    "Dozens of people gathered outside the hospital in {city} on {weekday}, waiting for news of relatives.",
    "Hundreds of families spent the night in the open after shelling near the camp, witnesses said.",
    "Thousands of people have signed a petition calling for the crossings to be reopened.",
    "Several dozen trucks were seen queuing at the border, a witness told {outlet}.",
]
LINKS = [
    "In a [statement](https://example.org/statements/{slug}) posted on its website, the {body_short} said it would publish updated figures every week.",
    "The full [report](https://example.org/reports/{slug}.pdf) runs to {small} chapters and is available in English and {demonym}.",
    "Read the [UN humanitarian update](https://example.org/un/{slug}) for the latest figures by region.",
]
CLOSERS = [
    "The talks in {ncap} are due to resume next week.",
    "Neither side commented on the report.",
    "The {rebels_short} said it would respond in the coming days.",
    "Further updates are expected from the {body_short} later this week.",
    "Mediators said they remained cautiously optimistic.",
]
SUBHEADS = ["The toll in {region}", "Talks in focus", "A worsening picture", "What happens next", "Life in {region}", "The numbers"]
LIST_ITEMS = [
    "a halt to fighting along Route {route}",
    "the release of prisoners in stages",
    "the reopening of the crossings into {ncountry}",
    "the return of displaced families to {region}",
    "international monitoring of the truce",
    "a timetable for the withdrawal of troops from {city}",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, required=True, help="number of articles (N)")
    parser.add_argument("--topics", type=int, default=20, help="number of topic files (T) [20]")
    parser.add_argument("--out", type=Path, required=True, help="project folder; writes OUT/content/")
    parser.add_argument("--seed", type=int, default=1, help="random seed [1]")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.articles < 2 or args.topics < 1:
        parser.error("need at least 2 articles and 1 topic")
    stats = Corpus(args.articles, args.topics, args.seed).write(args.out)
    if not args.quiet:
        print(
            f"wrote {stats['articles']} articles ({stats['txt_articles']} raw .txt), {stats['paragraphs']} paragraphs, "
            f"{stats['bytes'] / 1e6:.1f} MB, {stats['topics']} topics with {stats['figures']} figures into {args.out / 'content'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
