#!/usr/bin/env python3
"""Deterministic synthetic corpus for benchmarking `digest`.

    python bench/corpus.py --articles N --topics T --out DIR [--seed S]
    python bench/corpus.py --shape long-story --articles N --out DIR [--seed S]

Two shapes:

wire (the default) writes DIR/content/{site.yaml, articles/*.md, topics/*.yaml}:
N wire-style reports about a fictional war in the fictional country of
Veldara, and T topic files with match rules, 2-4 figures each, a claim and a
curated disagreement that reference articles of the corpus.

long-story writes N reports about one invented war followed for fifteen
months by 14 outlets, 4 topic files whose figures declare their `trend`
(cumulative, level with a `window`, fixed), and DIR/truth.json: how many
figure values the articles state (by figure and kind) and every trap
injected (estimates, withdrawn values, digit typos).  Its counts change
daily, so nearly every stated value is distinct and their number grows
with N: about ten per article (see LongStory).

The same (shape, N, T, seed) always gives byte-identical files: every article
is drawn from its own random stream (seeded by seed and its index), so the
first 1,000 articles of a 10,000-article corpus are the 1,000-article corpus.

What the prose of the wire shape exercises:
  - datelines, quotes with ages ("Lina Farouk, 41,"), times ("6:30 a.m."),
    years, "Channel 12", "Resolution 2817", "Route 9", "phase two", "under
    five": numbers that are not counts;
  - figures with qualifiers ("at least 45,317", "more than 45,000", "nearly
    two million", "$12.4 billion"), as-of dates ("as of 12 March") and
    counting bodies ("according to the Health Ministry");
  - figures that grow over the six months in at most two steps (timing
    disagreements), counting bodies that disagree (one body's figure is
    ~0.7x another's), and rare digit typos (probable errors);
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
import math
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
# Each outlet keeps one house style, so in this shape a value is stated in few ways
# (the long-story shape, below, rounds and words its figures more freely).
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
    """How one figure's value moves over the six months of the wire shape, as a few updates from its counting body.

    Most figures creep up within the default tolerance (corroborated, no
    disagreement); some grow past it in one step (early and late reports
    disagree); some have a second counting body with a lower count.  Values
    move in at most two steps, so this shape states few distinct values
    however large N is.  That is a property of this shape, not of users'
    data: real tolls change daily and every report states a value of its
    own, which is what the long-story shape (LongStory, below) models.
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


SHAPES = ("wire", "long-story")

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


# ================================================================ long story
#
# The second shape: one story followed for fifteen months by many outlets, the
# way a real long-running war is reported.  Its counts change every day, so
# nearly every report states a value of its own and the number of distinct
# stated values grows with N, as it does in users' data.

LS_PLACE = "the Harrow Strip"
LS_PLACE_SHORT = "Harrow"
LS_PEOPLE = "Harrowans"
LS_STATE = "Caldoria"
LS_ADJ = "Caldorian"
LS_GROUP = "the Sarem movement"
LS_CITIES = ["Port Elim", "Bayt Selim", "Marsa", "Qurna camp", "Wadi Lasa", "Tel Hamun", "Dura Heights", "Nasra"]
LS_START = dt.date(2023, 11, 6)  # the opening attack: day 0
LS_DAYS = 456  # about fifteen months

# name, url slug, qualifier for an exact count, how often it rounds (0..1), spells numbers under 10?
LS_OUTLETS = [
    ("Meridian Wire", "meridian-wire", "at least", 0.10, False),
    ("The Daily Ledger", "daily-ledger", "", 0.55, True),
    ("Harbour Times", "harbour-times", "", 0.15, False),
    ("Levant Chronicle", "levant-chronicle", "at least", 0.05, True),
    ("Northern Courier", "northern-courier", "", 0.60, False),
    ("Atlas News Agency", "atlas-news", "", 0.05, False),
    ("Crescent Post", "crescent-post", "at least", 0.35, False),
    ("Riverside Herald", "riverside-herald", "at least", 0.20, False),
    ("Capital Observer", "capital-observer", "", 0.70, True),
    ("Frontline Report", "frontline-report", "", 0.10, False),
    ("Eastern Tribune", "eastern-tribune", "at least", 0.45, False),
    ("Global Dispatch", "global-dispatch", "", 0.25, False),
    ("Coastline Radio", "coastline-radio", "", 0.50, True),
    ("The Southern Gazette", "southern-gazette", "at least", 0.30, False),
]

# Counting bodies as a sentence credits them (each parses as a body: "X said", "according to X").
MINISTRY = ["the health ministry", "the Harrow health ministry", "the health ministry in Harrow", "health authorities in the Strip"]
MEDIA_OFFICE = "the Government Media Office"
ARMY = "the Caldorian army"
RELIEF = "the UN Relief Agency"
LOCAL = "local authorities"
CAPTIVES_GOV = "the Caldorian government"
CAPTIVES_FORUM = "the Hostage Families Forum"
UNION = "the Harrow Journalists Syndicate"
PRESS_GROUP = "the Committee for Press Safety"

# Injected traps, by article index: every block of articles holds one of each, so any
# prefix of 60 or more articles holds every kind (typos: one in 200 articles, about
# one stated value in 2,000).
TYPO_EVERY, TYPO_AT = 200, 17
ESTIMATE_EVERY, ESTIMATE_AT = 50, 11
WITHDRAWN_EVERY, WITHDRAWN_AT = 80, 23


def _concave(x: float) -> float:
    """Fast early growth that slows but never stops: f(0) = 0, f(1) = 1."""
    return 0.75 * (1 - (1 - x) ** 2) + 0.25 * x


class Story:
    """What each counting body knows, day by day: the ground truth every article quotes from.

    Series are indexed by day (0 .. LS_DAYS); a cumulative series holds the count at
    the start of each day and rises through the day as updates come in (hourly), so
    two reports of the same day rarely state the same number.
    """

    def __init__(self, seed: int):
        rng = random.Random(f"{seed}:long-story")
        # health ministry's death toll: ~4,000 on day 0 to ~46,000, with bursts of heavy days
        incs = [(2 * 0.75 * (1 - d / LS_DAYS) + 0.25) * rng.lognormvariate(0, 0.5) for d in range(LS_DAYS + 1)]
        scale = 42_000 / sum(incs)
        self.killed = [4_000.0]
        for inc in incs:
            self.killed.append(self.killed[-1] + inc * scale)
        # journalists killed: small whole numbers, in lumps
        self.journalists = [9]
        for d in range(LS_DAYS + 1):
            chance = 0.4 * (1 - d / LS_DAYS) + 0.08
            self.journalists.append(self.journalists[-1] + (rng.choice([1, 1, 1, 2, 3]) if rng.random() < chance else 0))
        # hostages still held (a level): 242, a week of releases around day 24, rescues and
        # confirmations now and then, a second set of releases near the end
        held, self.held = 242, []
        for d in range(LS_DAYS + 2):
            if 24 <= d <= 30:
                held -= rng.randrange(10, 18)
            elif 420 <= d <= 440 and d % 3 == 0:
                held -= rng.randrange(3, 9)
            elif rng.random() < 0.05:
                held += rng.choice([-4, -3, -1, -1, 1, 2])
            held = max(held, 12)
            self.held.append(held)
        self.freed = [0]
        for d in range(1, LS_DAYS + 2):
            self.freed.append(self.freed[-1] + max(0, self.held[d - 1] - self.held[d]))
        # people in shelters (a level): a steady rise over the first nine weeks, then weekly
        # swings up and down as offensives start and stop
        level, self.shelter = 260_000.0, []
        for d in range(LS_DAYS + 2):
            if d < 63:
                level *= rng.uniform(1.015, 1.035)
            elif d % 7 == 0:
                level = min(max(level * rng.uniform(0.94, 1.06), 700_000.0), 1_600_000.0)
            self.shelter.append(level * rng.uniform(0.995, 1.005))
        # people displaced (cumulative, saturating)
        self.displaced = [400_000 + 1_500_000 * (1 - math.exp(-d / 45)) for d in range(LS_DAYS + 2)]

    # -- what a body reports at a time (t: days since LS_START, fractional) --
    @staticmethod
    def _rising(series: list[float], t: float) -> float:
        d = min(int(t), LS_DAYS)
        hour = math.floor((t - d) * 24) / 24  # updated hourly
        return series[d] + (series[d + 1] - series[d]) * hour

    def ministry_killed(self, t: float) -> int:
        return int(self._rising(self.killed, t))

    def media_office_killed(self, t: float) -> int:  # counts the missing too, updated daily
        return int(self.killed[min(int(t), LS_DAYS)] * 1.11)

    def army_killed(self, t: float) -> int:  # a lower count, announced monthly in round hundreds
        month_start = min(int(t), LS_DAYS) // 30 * 30
        return int(round(self.killed[month_start] * 0.78, -2))

    def wounded(self, t: float) -> int:
        return int(self._rising(self.killed, t) * (2.2 + 0.25 * t / LS_DAYS))

    def children(self, t: float) -> int:
        return int(self._rising(self.killed, t) * (0.37 + 0.04 * t / LS_DAYS))

    def held_captives(self, t: float, forum: bool) -> int:
        return self.held[min(int(t), LS_DAYS)] + (6 if forum else 0)

    def freed_captives(self, t: float) -> int:
        return self.freed[min(int(t), LS_DAYS)]

    def sheltering(self, t: float, local: bool) -> int:
        value = self.shelter[min(int(t), LS_DAYS)]
        return int(round(value * 1.12, -3)) if local else int(value)

    def displaced_people(self, t: float) -> int:
        return int(self._rising(self.displaced, t))

    def journalists_killed(self, t: float, group: bool) -> int:
        value = self.journalists[min(int(t), LS_DAYS)]
        return int(value * 0.82) if group else value


def ls_round(n: int, how: str, digits: int = 2) -> int:
    """n to `digits` significant figures: down ("more than"), up ("nearly") or nearest ("about")."""
    scale = 10 ** max(0, len(str(n)) - digits)
    if how == "down":
        return n // scale * scale
    if how == "up":
        return -(-n // scale) * scale
    return int(round(n / scale) * scale)


ROUNDING_WORDS = {"down": ("more than", "over"), "up": ("nearly", "almost"), "near": ("about", "around", "some")}


def rounded(n: int, how: str, rng: random.Random) -> tuple[str, int]:
    """A count as a reporter rounds it: "more than 45,000" (two significant figures, or three when two
    would drop over 5%), "nearly 46,000" (only when it is within 3%, else "more than"), "about 45,300"; (words, value)."""
    if how == "up":
        r = ls_round(n, "up")
        if r - n > 0.03 * n:
            how = "down"
    if how == "down":
        r = ls_round(n, "down")
        if n - r > 0.05 * n:
            r = ls_round(n, "down", 3)
    elif how == "near":
        r = ls_round(n, "near")
        if abs(r - n) > 0.03 * n:
            r = ls_round(n, "near", 3)
    if r == n:
        return commas(n), n
    return f"{rng.choice(ROUNDING_WORDS[how])} {commas(r)}", r


def doubled_digit(n: int) -> int:
    """A typo: one digit typed twice (45,581 -> 455,581)."""
    digits = str(n)
    at = len(digits) // 2
    return int(digits[:at] + digits[at - 1] + digits[at:])


@dataclass
class Stated:
    figure: str
    stated: str  # the words as they stand in the text
    value: int  # the value those words name
    as_of: dt.date
    body: str
    kind: str  # today | stale | rounded | body | fixed | estimate | withdrawn | typo
    true_value: int | None = None  # for traps: what the body had really reported


class LongStory:
    """The long-story corpus: N reports about one war, by 14 outlets over 15 months.

    Every article states about ten figure values: the daily death toll (as the day's
    figure, as a stale figure "as of" an earlier date, or rounded), the wounded and the
    children among the dead, the same toll from other counting bodies (the government
    media office's higher count, the army's lower one), hostages still held (a level
    that rises and falls), people in shelters (a level) and displaced (cumulative), the
    toll of the opening attack (fixed: mostly 1,200; early reports 1,400), and
    journalists killed (two bodies).  A few statements are traps: estimates ("could
    reach 90,000"), withdrawn values ("instead of 31,400 as was earlier reported") and
    doubled-digit typos.  `truth` lists every trap, and counts every stated value by
    figure and kind.
    """

    TOPICS = 4

    def __init__(self, articles: int, seed: int):
        self.n, self.seed = articles, seed
        self.story = Story(seed)

    # -- stating numbers ---------------------------------------------------
    @staticmethod
    def count_words(n: int, outlet: tuple, rng: random.Random, exact: bool = False) -> tuple[str, int]:
        """How the outlet states a count: its qualifier and the exact number, or a rounded one; (words, value)."""
        _, _, qualifier, rounds, spells = outlet
        if n < 100:
            if spells and n < 10:  # news style spells one to nine
                return words_for(n), n
            return (f"{qualifier} " if qualifier and rng.random() < 0.5 else "") + str(n), n
        if not exact and n >= 1_000 and rng.random() < rounds:
            return rounded(n, rng.choice(["down", "down", "down", "up", "near"]), rng)
        return (f"{qualifier} " if qualifier else "") + commas(n), n

    @staticmethod
    def millions(n: int, rng: random.Random) -> tuple[str, int]:
        if rng.random() < 0.7:
            m = round(n / 1e6, 1)
            if abs(m * 1e6 - n) > 0.03 * n:  # "1.05 million" rather than a rounding 5% off
                m = round(n / 1e6, 2)
            word = "more than " if m * 1e6 < n else ("nearly " if m * 1e6 > n else "")
            return f"{word}{m:g} million", int(round(m * 1e6))
        r = int(round(n, -3))
        return f"about {commas(r)}", r

    # -- one article -------------------------------------------------------
    def article(self, i: int) -> tuple[dict, list[str], list[Stated]]:
        rng = random.Random(f"{self.seed}:long-story:article:{i}")
        st = self.story
        outlet = LS_OUTLETS[rng.randrange(len(LS_OUTLETS))]
        day = rng.randrange(LS_DAYS)
        minute = rng.randrange(6 * 60, 23 * 60)
        t = day + minute / 1440
        date = LS_START + dt.timedelta(days=day)
        published = dt.datetime.combine(date, dt.time(minute // 60, minute % 60))
        city = rng.choice(LS_CITIES)
        person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        stated: list[Stated] = []

        def said(body: str, when: str = "") -> str:
            return rng.choice([f"{body} said{when}", f"according to {body}"]) if not when else f"{body} said{when}"

        def statement_time() -> tuple[float, str]:
            """When the body gave the figure: today (no date stated) or a recent weekday named in the sentence."""
            if rng.random() < 0.3:
                back = rng.randrange(1, 3) if day >= 2 else 0
                when_day = day - back
                return when_day + rng.uniform(0.3, 0.95) if back else t - rng.uniform(0, 0.2), f" on {WEEKDAYS[(LS_START + dt.timedelta(days=when_day)).weekday()]}"
            return max(0.0, t - rng.uniform(0, 0.4)), ""

        def as_of_words(d: int) -> str:
            when = LS_START + dt.timedelta(days=d)
            text = day_str(when, rng)
            if when.year != date.year or rng.random() < 0.3:
                text += f" {when.year}" if text[0].isdigit() else f", {when.year}"
            return text

        def note(fig: str, words: str, value: int, as_of: dt.date, body: str, kind: str, true_value: int | None = None) -> str:
            stated.append(Stated(fig, words, value, as_of, body, kind, true_value))
            return words

        paragraphs: list[str] = []
        typo = i % TYPO_EVERY == TYPO_AT

        # 1. the lead: today's death toll from the ministry
        when_t, when = statement_time()
        as_of = LS_START + dt.timedelta(days=int(when_t)) if when else date
        body = rng.choice(MINISTRY)
        true = st.ministry_killed(when_t)
        if typo:
            words, value = (f"{outlet[2]} " if outlet[2] else "") + commas(doubled_digit(true)), doubled_digit(true)
            kind = "typo"
        else:
            words, value = self.count_words(true, outlet, rng)
            kind = "today" if value == true else "rounded"
        n = note("killed", words, value, as_of, body, kind, true if typo else None)
        lead = rng.choice([
            f"{cap(n)} people have been killed in {LS_PLACE} since the war began, {said(body, when)}.",
            f"The death toll in {LS_PLACE} has risen to {n}, {said(body, when)}, after a night of strikes on {city}.",
            f"{cap(body)} said{when} that {n} people had been killed in the Strip, as fighting around {city} intensified.",
            f"Strikes on {city} pushed the death toll in {LS_PLACE} to {n}, {said(body, when)}.",
        ])
        dateline = f"{city.upper()} ({outlet[0]}) — "
        paragraphs.append(dateline + lead)

        middle: list[str] = []
        # 2. wounded, sometimes with the toll again in the same sentence
        when_t, when = statement_time()
        as_of = LS_START + dt.timedelta(days=int(when_t)) if when else date
        body = rng.choice(MINISTRY)
        w_words, w_value = self.count_words(st.wounded(when_t), outlet, rng)
        w = note("wounded", w_words, w_value, as_of, body, "today" if w_value == st.wounded(when_t) else "rounded")
        if rng.random() < 0.5:
            k_words, k_value = self.count_words(st.ministry_killed(when_t), outlet, rng)
            k = note("killed", k_words, k_value, as_of, body, "today" if k_value == st.ministry_killed(when_t) else "rounded")
            middle.append(rng.choice([
                f"{cap(k)} people have been killed and {w} wounded, {said(body, when)}, in figures that do not separate civilians from fighters.",
                f"{cap(body)} said{when} that {k} people had been killed and {w} wounded since the start of the war.",
            ]))
        else:
            middle.append(rng.choice([
                f"{cap(w)} people have been wounded, {said(body, when)}. Hospitals in the south are working far beyond capacity.",
                f"Hospitals have treated {w} injured people since the war began, {said(body, when)}.",
                f"The number of wounded has reached {w}, {said(body, when)}, and many need surgery that cannot be done in the Strip.",
            ]))
        # 3. children among the dead
        body = rng.choice(MINISTRY)
        c_true = st.children(t)
        c_words, c_value = self.count_words(c_true, outlet, rng)
        c = note("children-killed", c_words, c_value, date, body, "today" if c_value == c_true else "rounded")
        middle.append(rng.choice([
            f"Children account for {c} of the dead, {said(body)}.",
            f"{cap(c)} children are among those killed, {said(body)}.",
            f"{cap(body)} said {c} children had been killed, a figure aid groups called a stain on the conscience of the world.",
        ]))
        # 4. the same toll from other counting bodies
        r = rng.random()
        if r < 0.5:
            m_true = st.media_office_killed(t)
            m_words, m_value = self.count_words(m_true, outlet, rng)
            m = note("killed", m_words, m_value, date, MEDIA_OFFICE, "body")
            middle.append(rng.choice([
                f"According to {MEDIA_OFFICE}, {m} people have been killed, a count that includes those missing under rubble and presumed dead.",
                f"{cap(MEDIA_OFFICE)} put the number of dead at {m}, higher than the ministry's count because it adds the missing.",
            ]))
        if 0.3 < r < 0.75:
            a_true = st.army_killed(t)
            a_words = rng.choice(["about", "some", "more than"]) + " " + commas(a_true)
            a = note("killed", a_words, a_true, date, ARMY, "body")
            middle.append(rng.choice([
                f"{cap(ARMY)} said the number of dead in the Strip was {a}, and that many of them were fighters.",
                f"{cap(ARMY)} put the death toll at {a}, a figure it did not break down.",
            ]))
        # 5. a stale figure, quoted with the date it was given
        if rng.random() < 0.85 and day >= 3:
            back = rng.randrange(2, min(day, 75) + 1)
            d = day - back
            body = rng.choice(MINISTRY)
            words_date = as_of_words(d)
            as_of = LS_START + dt.timedelta(days=d)
            r = rng.random()
            if r < 0.3:
                value = int(st.killed[d + 1])
                s = note("killed", self.count_words(value, outlet, rng, exact=True)[0], value, as_of, body, "stale")
                value = st.wounded(d + 0.999)
                s2 = note("wounded", self.count_words(value, outlet, rng, exact=True)[0], value, as_of, body, "stale")
                middle.append(rng.choice([
                    f"As of {words_date}, {body} had recorded {s} deaths and {s2} people injured.",
                    f"By {words_date}, {s} people had been killed and {s2} wounded, {said(body)}.",
                ]))
            elif r < 0.65:
                value = int(st.killed[d + 1])
                s = note("killed", self.count_words(value, outlet, rng, exact=True)[0], value, as_of, body, "stale")
                middle.append(rng.choice([
                    f"As of {words_date}, {body} had recorded {s} deaths.",
                    f"By {words_date}, the death toll had reached {s}, {said(body)}, the last figure this outlet was able to confirm.",
                    f"{cap(body)} said the death toll stood at {s} as of {words_date}.",
                ]))
            else:
                value = st.wounded(d + 0.999)
                s = note("wounded", self.count_words(value, outlet, rng, exact=True)[0], value, as_of, body, "stale")
                middle.append(rng.choice([
                    f"As of {words_date}, {s} people had been wounded, {said(body)}.",
                    f"By {words_date}, {body} had counted {s} injured.",
                ]))
        # 6. a quote, often with a rounded toll
        quote = rng.choice(LS_QUOTES)
        age = rng.randrange(19, 80)
        if rng.random() < 0.75:
            r_words, r_value = rounded(st.ministry_killed(t), rng.choice(["down", "down", "up"]), rng)
            note("killed", r_words, r_value, date, "", "rounded" if r_value != st.ministry_killed(t) else "today")
            middle.append(f'"{quote}," said {person}, {age}, {rng.choice(LS_ROLES).format(city=city)}. ' + rng.choice([
                f"{cap(r_words)} people have died since the war began.",
                f"The war has killed {r_words} people, by the ministry's count.",
            ]))
        else:
            middle.append(f'"{quote}," {person}, {rng.choice(LS_ROLES).format(city=city)}, told {outlet[0]}.')
        # 7. hostages still held (a level) and freed (cumulative)
        if rng.random() < 0.9:
            forum = rng.random() < 0.3
            body = CAPTIVES_FORUM if forum else CAPTIVES_GOV
            h_value = st.held_captives(t, forum)
            h = note("hostages-held", self.count_words(h_value, outlet, rng, exact=True)[0], h_value, date, body, "today")
            sentences = [rng.choice([
                f"{cap(h)} hostages are still being held in the Strip, {said(body)}.",
                f"{cap(LS_GROUP)} is still holding {h} captives, {said(body)}.",
                f"Of the captives taken in the first raid, {h} remain in the Strip, {said(body)}.",
            ])]
            if rng.random() < 0.6 and st.freed_captives(t) > 1:
                f_value = st.freed_captives(t)
                f = note("hostages-freed", self.count_words(f_value, outlet, rng, exact=True)[0], f_value, date, CAPTIVES_GOV, "today")
                sentences.append(rng.choice([
                    f"A total of {f} hostages have been freed so far.",
                    f"{cap(f)} captives have been released since the war began, {said(CAPTIVES_GOV)}.",
                ]))
            sentences.append(rng.choice(["Talks on a further exchange are stalled.", "Mediators met again this week in the capital.", "Their families held a vigil outside parliament."]))
            middle.append(" ".join(sentences))
        # 8. shelters (a level) and displacement (cumulative)
        if rng.random() < 0.85:
            local = rng.random() < 0.3
            body = LOCAL if local else RELIEF
            s_true = st.sheltering(t, local)
            s_words, s_value = self.millions(s_true, rng) if s_true >= 1e6 and rng.random() < 0.4 else self.count_words(s_true, outlet, rng)
            s = note("sheltering", s_words, s_value, date, body, "today" if s_value == s_true else "rounded")
            sentences = [rng.choice([
                f"{cap(s)} people are sheltering in schools and tents across the south, {said(body)}.",
                f"Shelters in the south now hold {s} people, {said(body)}.",
            ])]
            if rng.random() < 0.7:
                d_true = st.displaced_people(t)
                d_words, d_value = self.millions(d_true, rng) if d_true >= 1e6 else self.count_words(d_true, outlet, rng)
                note("displaced", d_words, d_value, date, RELIEF, "today")
                sentences.append(rng.choice([
                    f"{cap(d_words)} people have been displaced since the war began, {said(RELIEF)}.",
                    f"The war has uprooted {d_words} people, most of them more than once.",
                ]))
            middle.append(" ".join(sentences))
        # 9. the opening attack (a fixed figure)
        if rng.random() < 0.55:
            early = day < 21 or rng.random() < 0.01
            if early:
                o_value, o_words = 1_400, rng.choice(["1,400", "about 1,400", "more than 1,400"])
            else:
                o_value, o_words = rng.choice([(1_200, "1,200"), (1_200, "about 1,200"), (1_200, "some 1,200"), (1_200, "nearly 1,200"), (1_163, "1,163"), (1_200, "around 1,200")])
            note("first-day-killed", o_words, o_value, date, "", "fixed")
            start_words = f"{LS_START.day} {MONTHS[LS_START.month - 1]} {LS_START.year}"
            middle.append(rng.choice([
                f"The war began when gunmen of {LS_GROUP} crossed into {LS_STATE} on {start_words} and killed {o_words} people in the opening attack, {LS_ADJ} officials say.",
                f"{cap(o_words)} people were killed in {LS_STATE} on the first day of the war, according to {LS_ADJ} officials.",
            ]))
        # 10. journalists killed (two bodies)
        if rng.random() < 0.65:
            group = rng.random() < 0.3
            body = PRESS_GROUP if group else UNION
            j_value = st.journalists_killed(t, group)
            j_words, _ = self.count_words(j_value, outlet, rng, exact=True)
            note("journalists-killed", j_words, j_value, date, body, "today")
            middle.append(rng.choice([
                f"{cap(j_words)} journalists have been killed in the Strip since the war began, {said(body)}.",
                f"The number of journalists and media workers killed has risen to {j_words}, {said(body)}.",
            ]))
        # traps: an estimate, a withdrawn value
        if i % ESTIMATE_EVERY == ESTIMATE_AT:
            true = st.ministry_killed(t)
            e_value = ls_round(int(true * rng.uniform(1.3, 4.5)), "near")
            e_words = commas(e_value)
            note("killed", e_words, e_value, date, "", "estimate", true)
            middle.append(rng.choice([
                f"A rights group warned that the real death toll could reach {e_words} once the rubble is cleared.",
                f"Up to {e_words} people are feared dead under collapsed buildings, rescue workers said.",
                f"Researchers writing in a medical journal said the death toll may rise to {e_words} when deaths from disease are counted.",
                f"The number of dead could be as high as {e_words}, a former UN official said.",
            ]))
        if i % WITHDRAWN_EVERY == WITHDRAWN_AT:
            true = st.ministry_killed(t)
            old = int(round(true * rng.uniform(1.1, 1.6), -2))
            body = rng.choice(MINISTRY)
            note("killed", commas(true), true, date, body, "today")
            note("killed", commas(old), old, date, body, "withdrawn", true)
            middle.append(rng.choice([
                f"{cap(body)} corrected its count to {commas(true)} dead, instead of {commas(old)} dead as was earlier reported.",
                f"The death toll stands at {commas(true)}, {said(body)}, instead of the {commas(old)} deaths previously reported, after duplicate records were removed.",
            ]))
        # prose without figures
        middle.append(rng.choice(LS_SCENES).format(city=city, hour=rng.randrange(1, 12), minute=rng.choice(["00", "15", "30", "45"]), route=rng.randrange(2, 12)))
        if rng.random() < 0.5:
            middle.append(rng.choice(LS_BACKGROUND).format(group=LS_GROUP, state=LS_STATE, place=LS_PLACE))
        rng.shuffle(middle)
        paragraphs += middle
        paragraphs.append(rng.choice(LS_CLOSERS))

        title = cap(rng.choice(LS_TITLES).format(city=city, place=LS_PLACE_SHORT))
        slug = f"{outlet[1]}-{i:05d}-{'-'.join(kebab(title).split('-')[:5])}"
        url = f"https://example.org/{outlet[1]}/{date:%Y/%m/%d}/{slug}"
        meta = {"slug": slug, "title": title, "source": outlet[0], "url": url, "published": published.isoformat() + "Z", "lead": lead}
        return meta, paragraphs, stated

    # -- writing -------------------------------------------------------------
    def write(self, out: Path) -> dict:
        content = out / "content"
        articles_dir, topics_dir = content / "articles", content / "topics"
        for folder in (articles_dir, topics_dir):
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.iterdir():  # regenerate from scratch: stale files would change the corpus
                if old.is_file():
                    old.unlink()
        (content / "site.yaml").write_text(LS_SITE_YAML.format(n=self.n, seed=self.seed), encoding="utf-8")
        stats = {"articles": self.n, "txt_articles": 0, "paragraphs": 0, "bytes": 0, "topics": self.TOPICS, "figures": 0, "stated": 0}
        traps: list[dict] = []
        by_figure: dict[str, int] = {}
        by_kind: dict[str, int] = {}
        distinct: dict[str, set] = {}
        firsts: list[dict] = []
        for i in range(self.n):
            meta, paragraphs, stated = self.article(i)
            if len(firsts) < 3:
                firsts.append(meta)
            front = (
                f"title: {json.dumps(meta['title'], ensure_ascii=False)}\nsource: {meta['source']}\nurl: {meta['url']}\n"
                f"published: {meta['published']}\nauthor: {meta['source']} staff\nlanguage: en\n"
            )
            if i % 33 == 5:  # a few percent raw .txt, as copied from a web page
                stats["txt_articles"] += 1
                text = "\n\n".join([meta["title"], f"By {meta['source']} Staff", "spot_imgspot_img", *paragraphs, "Related articles", "Source link"]) + "\n"
                (articles_dir / f"{meta['slug']}.yaml").write_text(front, encoding="utf-8")
                path = articles_dir / f"{meta['slug']}.txt"
            else:
                text = f"---\n{front}---\n" + "\n\n".join(paragraphs) + "\n"
                path = articles_dir / f"{meta['slug']}.md"
            path.write_text(text, encoding="utf-8")
            stats["paragraphs"] += len(paragraphs)
            stats["bytes"] += len(text.encode())
            for s in stated:
                stats["stated"] += 1
                by_figure[s.figure] = by_figure.get(s.figure, 0) + 1
                by_kind[s.kind] = by_kind.get(s.kind, 0) + 1
                distinct.setdefault(s.figure, set()).add(s.value)
                if s.kind in ("typo", "estimate", "withdrawn"):
                    traps.append({"kind": s.kind, "article": meta["slug"], "figure": s.figure, "stated": s.stated, "value": s.value,
                                  "as_of": s.as_of.isoformat(), "body": s.body, "reported": s.true_value})
        for slug, text, nfig in self._topics(firsts):
            (topics_dir / f"{slug}.yaml").write_text(text, encoding="utf-8")
            stats["figures"] += nfig
        truth = {
            "shape": "long-story", "articles": self.n, "seed": self.seed,
            "stated_values": stats["stated"],
            "by_figure": dict(sorted(by_figure.items())),
            "by_kind": dict(sorted(by_kind.items())),
            "distinct_values": {k: len(v) for k, v in sorted(distinct.items())},
            "traps": traps,
            "note": "kinds: today = the body's figure of that day; stale = an older figure with its date; rounded = "
                    "a rounded figure; body = another counting body's figure; fixed = the opening attack's toll; "
                    "estimate, withdrawn and typo are the traps listed (reported = what the body had really reported)",
        }
        (out / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        stats["distinct"] = sum(len(v) for v in distinct.values())
        stats["traps"] = {kind: sum(t["kind"] == kind for t in traps) for kind in ("typo", "estimate", "withdrawn")}
        return stats

    def _topics(self, firsts: list[dict]) -> list[tuple[str, str, int]]:
        claim = firsts[:2]
        topics = [
            ("casualties", "Casualties", "The death toll, the wounded and the children among the dead, as each outlet and counting body reports them.",
             ["killed", "death toll", "dead", "deaths", "died", "wounded", "injured"],
             [
                 ("killed", "People killed in the Harrow Strip", ["killed", "death toll", "dead", "deaths", "died"], [], ["children", "journalists", "opening attack", "first day"], "cumulative"),
                 ("wounded", "People wounded in the Harrow Strip", ["wounded", "injured"], [], ["children", "journalists"], "cumulative"),
                 ("children-killed", "Children killed", ["children"], [], [], "cumulative"),
                 ("first-day-killed", "People killed in the opening attack", ["killed"], ["opening attack", "first day"], [], "fixed"),
             ]),
            ("hostages", "Hostages", "Captives still held in the Strip, and those freed.",
             ["hostages", "captives"],
             [
                 ("hostages-held", "Hostages still held", ["hostages", "captives"], [], ["freed", "released"], "level"),
                 ("hostages-freed", "Hostages freed", ["freed", "released"], [], [], "cumulative"),
             ]),
            ("displacement", "Displacement", "People driven from their homes, and how many fill the shelters.",
             ["displaced", "uprooted", "shelters", "sheltering"],
             [
                 ("sheltering", "People in shelters", ["sheltering", "shelters"], [], ["displaced", "uprooted"], "level"),
                 ("displaced", "People displaced", ["displaced", "uprooted"], [], ["sheltering", "shelters"], "cumulative"),
             ]),
            ("press", "Journalists", "Journalists and media workers killed, by the count of each press body.",
             ["journalists", "media workers"],
             [
                 ("journalists-killed", "Journalists killed", ["journalists", "media workers"], [], [], "cumulative"),
             ]),
        ]
        out = []
        for k, (slug, title, summary, words, figures) in enumerate(topics):
            y = [f"title: {json.dumps(title)}", f"summary: {json.dumps(summary)}", f"order: {k + 1}", "match:", f"  any: {json.dumps(words)}", "figures:"]
            for fid, label, terms, near, exclude, trend in figures:
                y += [f"  - id: {fid}", f"    label: {json.dumps(label)}", f"    terms: {json.dumps(terms)}"]
                if near:
                    y.append(f"    near: {json.dumps(near)}")
                if exclude:
                    y.append(f"    exclude: {json.dumps(exclude)}")
                y.append(f"    trend: {trend}")
                if trend == "level":
                    y.append("    window: 3d")
            if slug == "casualties" and claim:
                y += ["claims:", f"  - text: {json.dumps(claim[0]['lead'], ensure_ascii=False)}", f"    sources: {json.dumps([m['slug'] for m in claim])}"]
            y += ["notes: |", "  Synthetic long-story benchmark topic: fifteen months of one invented war.",
                  "  Tolls change daily; read every number with its *as-of date* and the *body* it is credited to."]
            out.append((slug, "\n".join(y) + "\n", len(figures)))
        return out


LS_SITE_YAML = """title: Harrow war — synthetic long-story benchmark digest
description: >-
  A synthetic corpus of {n} reports (seed {seed}) about one invented war followed for
  fifteen months, generated by bench/corpus.py --shape long-story. Places and figures are invented.
base_url: ""
language: en
theme: default
"""
LS_TITLES = [
    "Strikes on {city} as the war grinds on",
    "Hospitals in {place} overwhelmed, doctors say",
    "Ceasefire talks resume as toll rises",
    "Families search the rubble in {city}",
    "Aid convoys held at the crossing again",
    "Mediators see little progress on captives",
    "Winter rain floods tents in {city}",
    "Night raids on {city} leave neighbourhoods in ruins",
    "What is left of {city}",
    "{place}: another week of war",
]
LS_QUOTES = [
    "We bury people faster than we can name them",
    "There is no safe street left in this town",
    "We moved four times, and every time they told us it was the last",
    "My son asks for bread, and I give him water",
    "The ambulance could not reach us until morning",
    "We count the names every night, and nobody counts the grief",
    "I have stopped listening to the news about talks",
    "The hospital is full, so people lie in the corridors",
]
LS_ROLES = [
    "a nurse in {city}",
    "a parent of three from {city}",
    "a volunteer with the civil defence",
    "a teacher now living in a tent",
    "a driver for an aid convoy",
    "a pharmacist whose shop in {city} was destroyed",
]
LS_SCENES = [
    "Witnesses in {city} said the strikes began at about {hour}:{minute} a.m. and lasted most of the morning.",
    "The road along the coast, known locally as Route {route}, was closed again for several hours on the same day.",
    "Power returned to parts of {city} for two hours, long enough to charge phones, residents said.",
    "Queues at the last working bakery in {city} stretched around the block before dawn.",
    "Rain overnight turned the camp near {city} into mud, and several tents collapsed.",
    "A convoy of flour was turned back at the crossing at {hour}:{minute} p.m., drivers said.",
]
LS_BACKGROUND = [
    "Mediators have tried for months to broker a ceasefire that would see {group} release captives in exchange for prisoners held by {state}.",
    "{state} says its campaign will go on until {group} is defeated; {group} says it will not release everyone it holds without an end to the war.",
    "Much of {place} has been reduced to rubble, and aid groups say famine conditions have taken hold in the north.",
]
LS_CLOSERS = [
    "Neither side commented on the figures.",
    "The figures could not be independently verified.",
    "Talks are due to resume next week.",
    "The ministry said it would publish a full list of names.",
    "Aid groups say the real numbers are likely higher.",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shape", choices=SHAPES, default="wire", help="wire: many short wire stories over six months (T topics); "
                        "long-story: one war followed for fifteen months, values that change daily (4 topics; writes OUT/truth.json) [wire]")
    parser.add_argument("--articles", type=int, required=True, help="number of articles (N)")
    parser.add_argument("--topics", type=int, default=None, help=f"number of topic files (T) [20; the long-story shape always has {LongStory.TOPICS}]")
    parser.add_argument("--out", type=Path, required=True, help="project folder; writes OUT/content/")
    parser.add_argument("--seed", type=int, default=1, help="random seed [1]")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.shape == "long-story":
        if args.topics not in (None, LongStory.TOPICS):
            parser.error(f"the long-story shape has {LongStory.TOPICS} topics; leave out --topics")
        if args.articles < 2:
            parser.error("need at least 2 articles")
        stats = LongStory(args.articles, args.seed).write(args.out)
    else:
        topics = 20 if args.topics is None else args.topics
        if args.articles < 2 or topics < 1:
            parser.error("need at least 2 articles and 1 topic")
        stats = Corpus(args.articles, topics, args.seed).write(args.out)
    if not args.quiet:
        print(
            f"wrote {stats['articles']} articles ({stats['txt_articles']} raw .txt), {stats['paragraphs']} paragraphs, "
            f"{stats['bytes'] / 1e6:.1f} MB, {stats['topics']} topics with {stats['figures']} figures into {args.out / 'content'}"
        )
        if "stated" in stats:
            traps = ", ".join(f"{n} {kind}" for kind, n in stats["traps"].items())
            print(f"{stats['stated']:,} stated figure values ({stats['distinct']:,} distinct), traps: {traps}; ground truth in {args.out / 'truth.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
