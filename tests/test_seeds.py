"""The two real articles the project grew from, used raw (.txt with sidecar .yaml), with a topic
file written from SPEC: the humanitarian figures come out as a careful reader would tabulate them.

The seed texts live outside the repository (../shared/seeds) and are never copied into it.
"""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import SEEDS

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles are in ../shared/seeds")

SIDECARS = {
    "000_42aae5d5e54007c5": "title: Israeli Delegation Heads to Doha\nsource: Palestine Chronicle\nurl: https://example.org/chronicle-doha\npublished: 2024-12-20\n",
    "004_1a53e19794c164d2": "title: Israel's negotiation team returns from Qatar\nsource: Mint\nurl: https://example.org/mint-team-returns\npublished: 2024-12-24\n",
}

TOPIC = """
title: Humanitarian figures
summary: Casualty, hostage and displacement figures as each outlet reports them.
order: 3
match:
  any: [killed, wounded, hostages, displaced, famine, death toll, fatalities, abduction]
figures:
  - id: gaza-killed
    label: Palestinians killed in Gaza
    terms: [killed, fatalities, death toll]
    near: [Gaza, Palestinian]
    exclude: [hostages]
  - id: gaza-wounded
    label: Palestinians wounded in Gaza
    terms: [wounded, injured]
    near: [Gaza, Palestinian]
  - id: gaza-missing
    label: Missing in Gaza
    terms: [missing, unaccounted for]
    near: [Gaza, rubble]
  - id: israel-killed-oct7
    label: People killed in Israel on 7 October 2023
    terms: [killed, deaths]
    near: [October 7, initial attack]
    exclude: [hostages]
  - id: abducted-oct7
    label: People abducted on 7 October 2023
    terms: [abduction, abducted, taken hostage]
    near: [October 7]
  - id: gaza-displaced
    label: People displaced in Gaza
    terms: [displaced]
    near: [Gaza]
"""


@pytest.fixture(scope="module")
def seeds_digest(tmp_path_factory):
    from digest.build import build

    root = tmp_path_factory.mktemp("seeds")
    articles = root / "content" / "articles"
    articles.mkdir(parents=True)
    (root / "content" / "topics").mkdir()
    for stem, meta in SIDECARS.items():
        shutil.copy(SEEDS / f"{stem}.txt", articles / f"{stem}.txt")
        (articles / f"{stem}.yaml").write_text(meta)
    (root / "content" / "topics" / "humanitarian-figures.yaml").write_text(TOPIC)
    build(root / "content", root / "site")
    return json.loads((root / "site" / "digest.json").read_text()), root / "site"


def values(data):
    [topic] = data["topics"]
    return {f["id"]: sorted((v["source"], v["value"], v["qualifier"]) for v in f["values"]) for f in topic["figures"]}


def test_the_typo_is_the_only_figure_disagreement_and_a_probable_error(seeds_digest):
    data, _ = seeds_digest
    [topic] = data["topics"]
    assert [(d["figure"], d["severity"], sorted(p["value"] for p in d["positions"])) for d in topic["disagreements"]] == [
        ("gaza-killed", "probable-error", [45317, 445581])
    ]


def test_1200_killed_on_7_october_is_corroborated_by_both_outlets(seeds_digest):
    data, _ = seeds_digest
    [topic] = data["topics"]
    assert [(c["figure"], c["value"], c["sources"]) for c in topic["corroborated"]] == [("israel-killed-oct7", 1200, ["Mint", "Palestine Chronicle"])]


def test_every_humanitarian_figure_is_found_with_its_qualifier(seeds_digest):
    data, _ = seeds_digest
    assert values(data) == {
        "gaza-killed": [("Mint", 45317, "over"), ("Palestine Chronicle", 445581, "at least")],
        "gaza-wounded": [("Palestine Chronicle", 108438, "")],
        "gaza-missing": [("Palestine Chronicle", 11000, "at least")],
        "israel-killed-oct7": [("Mint", 1200, "approximately"), ("Palestine Chronicle", 1200, "")],
        "abducted-oct7": [("Mint", 250, "around")],
        "gaza-displaced": [("Palestine Chronicle", 2_000_000, "nearly")],
    }


def test_no_boilerplate_reaches_the_pages(seeds_digest):
    _, site = seeds_digest
    for page in site.glob("articles/*/index.html"):
        html = page.read_text()
        for junk in ("Source link", "Latest articles", "Related articles", "spot_img", "Also Read", "via Wikimedia Commons"):
            assert junk not in html, (page, junk)


def test_the_typo_is_the_outlier_with_its_hint(seeds_digest):
    data, _ = seeds_digest
    [d] = data["topics"][0]["disagreements"]
    assert [(p["source"], p["value"]) for p in d["outlier"]] == [("Palestine Chronicle", 445581)]
    assert [(p["source"], p["value"]) for p in d["against"]] == [("Mint", 45317)]
    assert d["explanation"] == "445,581: likely 45,581 with an extra digit"
