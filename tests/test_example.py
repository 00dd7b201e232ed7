"""The shipped example: its exact disagreements and corroborations, each linked to its sentence."""

from __future__ import annotations

import json
import re

import pytest


@pytest.fixture(scope="module")
def data(example_site):
    return json.loads((example_site / "digest.json").read_text())


def topic(data, slug):
    return next(t for t in data["topics"] if t["slug"] == slug)


def test_figure_disagreements_are_exactly_the_typo(data):
    found = [(t["slug"], d["figure"], d["severity"], sorted(p["says"] for p in d["positions"])) for t in data["topics"] for d in t["disagreements"] if d["kind"] == "figure"]
    assert found == [("humanitarian-figures", "gaza-killed", "probable-error", ["at least 445,581", "over 45,317"])]


def test_the_typo_is_explained_not_corrected(data):
    [d] = [d for d in topic(data, "humanitarian-figures")["disagreements"] if d["kind"] == "figure"]
    assert d["explanation"] == "445,581: likely 45,581 with an extra digit"
    assert sorted(p["value"] for p in d["positions"]) == [45317, 445581]


def test_corroborated_figures(data):
    found = {(c["figure"], c["value"], tuple(c["sources"])) for c in topic(data, "humanitarian-figures")["corroborated"]}
    assert found == {
        ("israel-killed-oct7", 1200, ("Meridian Wire", "The Daily Ledger")),
        ("abducted-oct7", 250, ("Meridian Wire", "The Daily Ledger")),
    }  # the hostages held and the displaced are levels: a December and a January count are not the same time


def test_curated_disagreements_are_shown(data):
    curated = {t["slug"]: [d["about"] for d in t["disagreements"] if d["kind"] == "curated"] for t in data["topics"]}
    assert curated["delegations"] == ["Seniority of the Israeli team sent to Doha in December"]
    assert len(curated["sticking-points"]) == 1


def test_values_carry_qualifier_date_and_counting_body(data):
    values = {v["stated"]: v for f in topic(data, "humanitarian-figures")["figures"] for v in f["values"]}
    typo = values["at least 445,581"]
    assert (typo["qualifier"], typo["value"], typo["as_of"], typo["attributed_to"]) == ("at least", 445581, "2024-12-20", "Gaza's health ministry")
    assert values["over 45,317"]["qualifier"] == "over"


def test_topic_page_leads_with_the_disagreement_linked_to_both_sentences(example_site):
    html = (example_site / "topics/humanitarian-figures/index.html").read_text()
    assert "4 sources · 1 disagreement · 2 corroborated" in html
    assert html.index("Where sources disagree") < html.index("Figures by source") < html.index("Corroborated") < html.index("What each source reports")
    links = re.findall(r'href="(\.\./\.\./articles/[^"#]+/index\.html#p\d+-n\d+)"', html)
    assert any("chronicle-delegation-doha" in link for link in links) and any("ledger-team-returns" in link for link in links)
    assert "likely 45,581 with an extra digit" in html


def test_disputed_number_is_marked_where_it_stands(example_site):
    topic_html = (example_site / "topics/humanitarian-figures/index.html").read_text()
    assert re.search(r'<mark class="figure disputed" id="p\d+-n\d+"[^>]*>at least 445,581</mark>', topic_html)
    article_html = (example_site / "articles/chronicle-delegation-doha/index.html").read_text()
    assert re.search(r'<mark class="figure disputed" id="p\d+-n\d+"[^>]*>at least 445,581</mark>', article_html)


def test_each_figure_has_an_accessible_chart(example_site):
    html = (example_site / "topics/humanitarian-figures/index.html").read_text()
    charts = dict(re.findall(r'<svg class="chart"[^>]*role="img"[^>]*>\s*<title[^>]*>([^<]+)</title>\s*<desc[^>]*>([^<]+)</desc>', html))
    assert len(charts) == 7
    assert "Levant Chronicle: at least 445,581 as of 2024-12-20" in charts["Palestinians killed in Gaza"]


def test_index_shows_counts_per_topic(example_site):
    html = (example_site / "index.html").read_text()
    assert "1 probable error" in html


def test_disagreements_page_gathers_all_topics(example_site):
    html = (example_site / "disagreements/index.html").read_text()
    for about in ("Palestinians killed in Gaza", "Seniority of the Israeli team"):
        assert about in html


def test_the_typo_reads_as_an_outlier_against_what_it_departs_from_with_links(example_site):
    html = (example_site / "topics/humanitarian-figures/index.html").read_text()
    headline = re.search(r'<p class="headline">(.*?)</p>', html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", headline) == "445,581 (Levant Chronicle, 20 Dec) against 45,317 (The Daily Ledger, 24 Dec)"
    assert re.findall(r'href="\.\./\.\./articles/([^/]+)/index\.html#p\d+-n\d+"', headline) == ["chronicle-delegation-doha", "ledger-team-returns"]
    assert "higher than later reports" in html


def test_the_typo_is_ringed_above_a_break_in_its_timeline(example_site):
    html = (example_site / "topics/humanitarian-figures/index.html").read_text()
    chart = re.search(r'<figure class="chart-box" id="timeline-gaza-killed">(.*?)</figure>', html, re.S).group(1)
    assert '<path class="axis-break"' in chart
    assert re.search(r'<text class="outlier-label"[^>]*>445,581: probable error</text>', chart)


def test_digest_json_splits_the_outlier_from_what_it_departs_from(data):
    [d] = [d for d in topic(data, "humanitarian-figures")["disagreements"] if d["kind"] == "figure"]
    assert d["reason"] == "higher-than-later"
    assert [(p["says"], p["as_of"]) for p in d["outlier"]] == [("at least 445,581", "2024-12-20")]
    assert [(p["says"], p["as_of"]) for p in d["against"]] == [("over 45,317", "2024-12-24")]
    assert d["positions"] == d["outlier"] + d["against"]
    [oct7] = [c for c in topic(data, "humanitarian-figures")["corroborated"] if c["figure"] == "israel-killed-oct7"]
    assert (oct7["low"], oct7["high"], oct7["from"], oct7["to"]) == (1200, 1200, "2024-12-24", "2025-01-15")
    assert {v["status"] for f in topic(data, "humanitarian-figures")["figures"] for v in f["values"]} == {""}
