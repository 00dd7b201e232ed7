"""Pages a reader can trust at a glance: each figure's timeline, disagreement cards that say what departs from
what, topic pages that lead with the most severe, and digest.json's fields for them.

The digests here are made by hand (as analyse will make them: an outlier against what it departs from), so
these tests say what the pages show whatever the comparison finds.
"""

from __future__ import annotations

import colorsys
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from digest.build import build
from digest.charts import figure_chart, outlet_styles
from digest.model import (
    Article,
    ArticleDigest,
    Corroboration,
    Digest,
    Disagreement,
    DisagreementPosition,
    Figure,
    FigureSpec,
    FigureValue,
    Passage,
    SiteConfig,
    Topic,
    TopicDigest,
)
from digest.render import SiteRenderer

ERROR_COLOURS = ("#b00020", "#ff8a9b")  # style.css --error, light and dark


def day(n: int, month: int = 12, year: int = 2024) -> dt.date:
    return dt.date(year, month, n)


class HandMade:
    """A digest put together value by value: each value is the one figure of an article of its own."""

    def __init__(self):
        self.articles: dict[str, ArticleDigest] = {}
        self.topics: list[TopicDigest] = []

    def value(self, figure: str, outlet: str, number: float, on: dt.date, stated: str = "", status: str = "", attributed: str = "") -> FigureValue:
        slug = f"{re.sub(r'[^a-z]+', '-', outlet.lower()).strip('-')}-{figure}-{on:%Y%m%d}-{len(self.articles)}"
        stated = stated or f"{number:,.0f}"
        sentence = f"{stated} people, {attributed or 'officials'} said."
        article = Article(slug, f"{outlet} on {figure}, {on:%d %B}", outlet, f"https://example.org/{slug}", on, sentence, Path(f"{slug}.md"))
        value = FigureValue(figure, slug, outlet, 1, "p1-n1", number, number, number, stated, "", on, attributed, sentence, status)
        self.articles[slug] = ArticleDigest(article, [Passage(slug, 1, sentence, sentence)], [value], [])
        return value

    def topic(self, slug: str, title: str, figures: list[Figure], disagreements: list[Disagreement] = (), corroborated: list[Corroboration] = ()) -> None:
        slugs = sorted({v.article for f in figures for v in f.values})
        for s in slugs:
            self.articles[s].topics.append(slug)
        passages = [self.articles[s].passages[0] for s in slugs]
        self.topics.append(TopicDigest(Topic(slug, title, Path(f"{slug}.yaml")), passages, figures, list(disagreements), list(corroborated), []))

    def digest(self, root: Path) -> Digest:
        return Digest(SiteConfig(title="Hand-made digest", root=root), list(self.articles.values()), self.topics, dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc))


def at(value: FigureValue) -> DisagreementPosition:
    return DisagreementPosition(value.article, value.source, value.stated, value.value, value.as_of, value.anchor)


def figure_disagreement(spec: FigureSpec, outlier: list[FigureValue], against: list[FigureValue], reason: str, severity: str = "differs", ratio: float | None = None, explanation: str = "") -> Disagreement:
    return Disagreement("figure", spec.label, spec.id, severity, [at(v) for v in outlier], [at(v) for v in against], reason, ratio, explanation)


KILLED = FigureSpec("gaza-killed", "Palestinians killed in Gaza", ["killed"])
WOUNDED = FigureSpec("gaza-wounded", "Palestinians wounded in Gaza", ["wounded"])
TRUCKS = FigureSpec("trucks", "Aid trucks a day", ["trucks"], trend="level")
DETAINED = FigureSpec("detained", "People detained", ["detained"])


def story() -> HandMade:
    """A toll rising through December as five outlets report it, one typo with an extra digit, an estimate and a
    withdrawn value; wounded counted by two bodies; a second topic sharing two outlets; a topic of many disagreements."""
    made = HandMade()
    v = made.value
    killed = [
        v("gaza-killed", "Courier Ten", 44_235, day(30, 11)),
        v("gaza-killed", "Levant Chronicle", 44_400, day(1)),
        v("gaza-killed", "Harbour Post", 44_466, day(2)),
        v("gaza-killed", "Meridian Wire", 44_758, day(6)),
        v("gaza-killed", "The Daily Ledger", 44_930, day(9)),
        against_hp := v("gaza-killed", "Harbour Post", 45_317, day(13), "over 45,317"),
        against_mw := v("gaza-killed", "Meridian Wire", 45_338, day(18)),
        typo := v("gaza-killed", "Levant Chronicle", 445_581, day(20), "at least 445,581", attributed="Gaza's health ministry"),
        against_dl := v("gaza-killed", "The Daily Ledger", 45_436, day(24)),
        v("gaza-killed", "The Daily Ledger", 45_800, day(24), "instead of 45,800", status="withdrawn"),
        v("gaza-killed", "Meridian Wire", 60_000, day(26), "up to 60,000", status="estimate"),
        against_ct := v("gaza-killed", "Courier Ten", 45_581, day(27)),
    ]
    wounded = [
        ministry_hp := v("gaza-wounded", "Harbour Post", 106_962, day(13), attributed="Gaza's health ministry"),
        ministry_mw := v("gaza-wounded", "Meridian Wire", 107_100, day(14), attributed="Gaza's health ministry"),
        military := v("gaza-wounded", "Levant Chronicle", 60_000, day(14), attributed="Israel's military"),
    ]
    made.topic(
        "humanitarian",
        "Humanitarian figures",
        [Figure(KILLED, killed), Figure(WOUNDED, wounded)],
        [
            figure_disagreement(WOUNDED, [military], [ministry_hp, ministry_mw], "counting-body", ratio=1.8),
            figure_disagreement(KILLED, [typo], [against_hp, against_mw, against_dl, against_ct], "higher-than-later", "probable-error", 9.8, "445,581: likely 45,581 with an extra digit"),
        ],
        [Corroboration("gaza-killed", 45_317, [against_hp, against_mw])],
    )
    trucks = [
        v("trucks", "Levant Chronicle", 120, day(20)),
        aardvark := v("trucks", "Aardvark Times", 300, day(20)),
        levant := v("trucks", "Levant Chronicle", 125, day(21)),
        v("trucks", "Courier Ten", 118, day(21)),
        v("trucks", "Courier Ten", 130, day(22)),
    ]
    made.topic("aid", "Aid", [Figure(TRUCKS, trucks)], [figure_disagreement(TRUCKS, [aardvark], [levant], "same-time", ratio=2.4)])
    detained = [v("detained", ["Harbour Post", "Meridian Wire"][i % 2], 1000 + 150 * i, day(1 + i)) for i in range(9)]
    many = [figure_disagreement(DETAINED, [detained[i]], [detained[i + 1]], "lower-than-earlier", ratio=1.1 + i / 10) for i in range(7)]
    many.append(figure_disagreement(DETAINED, [detained[8]], [detained[7]], "same-time", "probable-error", 6.0, "likely 1,200"))
    many.append(figure_disagreement(DETAINED, [detained[0]], [detained[2]], "same-time", ratio=3.0))
    many[-1].resolution = "The *ministry* revised its count."
    made.topic("detentions", "Detentions", [Figure(DETAINED, detained)], many)
    return made


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("timeline")
    return write_site(story().digest(root), root / "site")


def write_site(digest: Digest, out: Path) -> Path:
    for path, data in SiteRenderer(digest).render().items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(data)
    return out


def page(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def chart_of(html: str, figure_id: str) -> str:
    """The SVG of a figure's timeline and its key."""
    found = re.search(rf'<figure class="chart-box" id="timeline-{figure_id}">(.*?)</figure>', html, re.S)
    assert found, figure_id
    return found.group(1)


def line_colours(chart: str) -> dict[str, str]:
    """Outlet → the colour of its line in a chart's key."""
    return dict(re.findall(r'<li data-outlet="([^"]+)"><svg class="key"[^>]*><line [^>]*stroke="(#[0-9a-f]{6})"', chart))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def cards_of(html: str) -> list[str]:
    return re.findall(r'<article class="disagreement.*?</article>', html, re.S)


# ------------------------------------------------------------------ the timeline


def test_the_chart_has_one_line_per_outlet_through_its_counts_in_date_order(site):
    chart = chart_of(page(site, "topics/humanitarian/index.html"), "gaza-killed")
    lines = dict(re.findall(r'<polyline class="series" data-outlet="([^"]+)" points="([^"]+)"', chart))
    assert sorted(lines) == ["Courier Ten", "Harbour Post", "Meridian Wire", "The Daily Ledger"]  # Levant Chronicle's second count is off the scale
    for points in lines.values():
        xs = [float(p.split(",")[0]) for p in points.split()]
        assert xs == sorted(xs) and len(xs) == 2  # its two counts: the estimate and the withdrawn value are not joined


def test_an_outlet_has_the_same_colour_on_every_topic_page_and_outlets_of_a_chart_differ(site):
    humanitarian = line_colours(chart_of(page(site, "topics/humanitarian/index.html"), "gaza-killed"))
    aid = line_colours(chart_of(page(site, "topics/aid/index.html"), "trucks"))
    shared = set(humanitarian) & set(aid)
    assert shared == {"Courier Ten", "Levant Chronicle"}
    assert {o: humanitarian[o] for o in shared} == {o: aid[o] for o in shared}
    assert len(set(humanitarian.values())) == len(humanitarian) and len(set(aid.values())) == len(aid)


def test_no_outlet_is_drawn_in_the_error_colour_or_any_red():
    styles = outlet_styles(f"Outlet {i:02d}" for i in range(30))
    colours = {colour for colour, _ in styles.values()}
    assert not colours & set(ERROR_COLOURS)
    assert [c for c in colours if hue_distance_from_red(c) < 30] == []
    assert len(set(styles.values())) == 24  # a second and third round of the palette is dashed


def test_the_outlier_is_ringed_in_the_error_colour_and_labelled(site):
    chart = chart_of(page(site, "topics/humanitarian/index.html"), "gaza-killed")
    rings = re.findall(r'<circle class="outlier"[^>]*stroke="(#[0-9a-f]+)"', chart.partition('<ul class="legend">')[0])
    assert rings == ["#b00020"]
    assert re.search(r'<text class="outlier-label"[^>]*>445,581: probable error</text>', chart)
    assert "outlier of a disagreement" in text_of(chart)  # the key says what the ring means


def test_the_value_axis_starts_at_zero(site):
    chart = chart_of(page(site, "topics/aid/index.html"), "trucks")
    baseline = float(re.search(r'<line class="axis" x1="\d+" y1="([\d.]+)"', chart).group(1))
    zero = re.search(r'<text class="tick" x="[\d.]+" y="([\d.]+)"[^>]*>0</text>', chart)
    assert zero and abs(float(zero.group(1)) - 4 - baseline) < 0.5
    assert "axis-break" not in chart


def test_a_value_far_above_the_rest_is_drawn_above_a_visible_break_of_the_axis(site):
    chart = chart_of(page(site, "topics/humanitarian/index.html"), "gaza-killed")
    assert '<path class="axis-break"' in chart and "values above the break are off the scale" in text_of(chart)
    top_tick = max(float(t.replace("k", "")) for t in re.findall(r'<text class="tick"[^>]*text-anchor="end"[^>]*>([\d.]+k)</text>', chart))
    assert top_tick == 60  # the counts (and the estimate of 60,000) fill the chart: the typo does not squash them flat
    assert "broken above it for values off the scale" in re.search(r"<desc[^>]*>([^<]+)</desc>", chart).group(1)


def test_estimates_are_hollow_and_withdrawn_values_struck_through_and_the_key_says_so(site):
    chart = chart_of(page(site, "topics/humanitarian/index.html"), "gaza-killed")
    svg = chart.partition('<ul class="legend">')[0]
    assert len(re.findall(r'<circle class="estimate"', svg)) == 1
    assert len(re.findall(r'<g class="withdrawn">', svg)) == 1
    assert "estimate, not a count" in text_of(chart) and "withdrawn by its own report" in text_of(chart)
    assert "Meridian Wire: up to 60,000 as of 2024-12-26 (estimate)" in chart


def test_date_ticks_are_readable_dates_with_their_year(site):
    chart = chart_of(page(site, "topics/humanitarian/index.html"), "gaza-killed")
    labels = re.findall(r'<tspan x="[\d.]+" dy="0">([^<]+)</tspan>', chart)
    assert labels[0] == "30 Nov" and "7 Dec" in labels and 2 <= len(labels) <= 6
    assert ">2024</tspan>" in chart


def test_the_chart_keeps_its_accessible_title_and_description():
    values = [FigureValue("f", "a", "A", 1, "p1-n1", 1000, 1000, 1000, "1,000", "", day(1), "", ""), FigureValue("f", "b", "B", 1, "p1-n1", 1200, 1200, 1200, "1,200", "", day(2), "", "")]
    svg = figure_chart(Figure(FigureSpec("f", "Killed", ["killed"]), values))
    assert re.search(r'<svg class="chart"[^>]*role="img"[^>]*aria-labelledby="chart-f-t chart-f-d"[^>]*>\s*<title id="chart-f-t">Killed</title>\s*<desc id="chart-f-d">A: 1,000 as of 2024-12-01; B: 1,200 as of 2024-12-02', svg)


# ------------------------------------------------------------------ the cards


def test_a_card_says_what_the_outlier_departs_from_each_number_linked_to_its_sentence(site):
    [card] = [c for c in cards_of(page(site, "topics/humanitarian/index.html")) if "probable-error" in c[:80]]
    headline = re.search(r'<p class="headline">(.*?)</p>', card, re.S).group(1)
    assert text_of(headline) == "445,581 (Levant Chronicle, 20 Dec) against 45,317–45,581 from 4 sources, 13–27 Dec"
    links = dict((text, href) for href, text in re.findall(r'<a href="([^"]+)" class="number">([^<]+)</a>', headline))
    assert links["445,581"].startswith("../../articles/levant-chronicle-gaza-killed-20241220-") and links["445,581"].endswith("/index.html#p1-n1")
    assert "harbour-post-gaza-killed-20241213" in links["45,317"] and "courier-ten-gaza-killed-20241227" in links["45,581"]
    assert "higher than later reports" in card
    assert "445,581: likely 45,581 with an extra digit" in card


def test_a_card_of_two_counting_bodies_names_the_bodies(site):
    [card] = [c for c in cards_of(page(site, "topics/humanitarian/index.html")) if 'data-figure="humanitarian:gaza-wounded"' in c]
    assert text_of(re.search(r'<p class="headline">(.*?)</p>', card, re.S).group(1)) == "60,000 (Levant Chronicle, 14 Dec) against 106,962–107,100 from 2 sources, 13–14 Dec"
    assert "different counting bodies: Israel&#39;s military vs Gaza&#39;s health ministry" in card


def test_when_two_sources_alone_conflict_both_are_named(site):
    [card] = cards_of(page(site, "topics/aid/index.html"))
    assert text_of(re.search(r'<p class="headline">(.*?)</p>', card, re.S).group(1)) == "300 (Aardvark Times, 20 Dec) against 125 (Levant Chronicle, 21 Dec)"
    assert "reported for the same time" in card


def test_a_topic_page_leads_with_the_most_severe_and_links_to_the_rest(site):
    html = page(site, "topics/detentions/index.html")
    cards = cards_of(html)
    assert len(cards) == 5
    assert "probable-error" in cards[0][:60]
    ratios = [float(r) for r in re.findall(r"· ([\d.]+)× apart", "".join(cards[1:]))]
    assert ratios == sorted(ratios, reverse=True) == [1.7, 1.6, 1.5, 1.4]
    more = re.search(r'<a href="([^"]+)">All 9 disagreements of this topic, with filters</a>', html)
    assert more and more.group(1) == "../../disagreements/index.html#topic-detentions"
    assert 'id="topic-detentions"' in page(site, "disagreements/index.html")


def test_a_topic_page_shows_the_curators_note_of_a_resolved_disagreement_it_has_no_card_for(site):
    html = page(site, "topics/detentions/index.html")
    assert "resolved" not in "".join(c[:80] for c in cards_of(html))  # open ones lead, however large the resolved one's ratio
    notes = re.search(r'<div class="resolved-notes">(.*?)</div>', html, re.S).group(1)
    assert text_of(notes) == "Settled by the curator People detained (1 disagreement): The ministry revised its count."


def test_a_topic_page_with_few_disagreements_shows_them_all_most_severe_first(site):
    html = page(site, "topics/humanitarian/index.html")
    assert [re.search(r'data-severity="([^"]+)"', c).group(1) for c in cards_of(html)] == ["probable-error", "differs"]
    assert "All 2 disagreements" not in html


def test_every_card_of_the_disagreements_page_carries_what_it_is_filtered_by(site):
    html = page(site, "disagreements/index.html")
    found = re.findall(r'<article class="disagreement [^"]*" data-topic="([^"]*)" data-figure="([^"]*)" data-severity="([^"]*)"', html)
    assert len(found) == len(cards_of(html)) == 12
    assert ("humanitarian", "humanitarian:gaza-killed", "probable-error") in found
    assert re.search(r'<select id="filter-topic" name="topic">.*<option value="detentions">Detentions</option>', html, re.S)
    assert re.search(r'<option value="aid:trucks" data-topic="aid">Aid trucks a day \(1\)</option>', html)


# ------------------------------------------------------------------ digest.json


def test_digest_json_tells_the_reason_the_outlier_and_what_it_departs_from(site):
    data = json.loads(page(site, "digest.json"))
    topic = next(t for t in data["topics"] if t["slug"] == "humanitarian")
    d = next(d for d in topic["disagreements"] if d["figure"] == "gaza-killed")
    assert (d["reason"], d["severity"]) == ("higher-than-later", "probable-error")
    assert d["outlier"] == [{"article": d["outlier"][0]["article"], "source": "Levant Chronicle", "says": "at least 445,581", "value": 445581, "as_of": "2024-12-20"}]
    assert [(p["source"], p["as_of"]) for p in d["against"]] == [("Harbour Post", "2024-12-13"), ("Meridian Wire", "2024-12-18"), ("The Daily Ledger", "2024-12-24"), ("Courier Ten", "2024-12-27")]
    assert d["positions"] == d["outlier"] + d["against"]
    [c] = topic["corroborated"]
    assert (c["low"], c["high"], c["from"], c["to"], c["sources"]) == (45317, 45338, "2024-12-13", "2024-12-18", ["Harbour Post", "Meridian Wire"])
    statuses = {v["stated"]: v["status"] for f in topic["figures"] for v in f["values"]}
    assert (statuses["up to 60,000"], statuses["instead of 45,800"], statuses["over 45,317"]) == ("estimate", "withdrawn", "")


def test_a_curated_disagreement_has_all_its_positions_as_the_outlier(project):
    project.article("one", "Talks stalled.", source="Wire")
    project.article("two", "Talks went well.", source="Post")
    project.topic("talks", """
        title: Talks
        match: {any: [talks]}
        disagreements:
          - about: How the talks went
            positions:
              - {source: one, says: "stalled"}
              - {source: two, says: "went well"}
        """)
    assert project.run("build").exit_code == 0
    [d] = json.loads(project.page("digest.json"))["topics"][0]["disagreements"]
    assert (d["kind"], d["reason"], [p["says"] for p in d["outlier"]], d["against"]) == ("curated", "curated", ["stalled", "went well"], [])
    [card] = cards_of(project.page("topics/talks/index.html"))
    assert text_of(re.search(r'<p class="headline">(.*?)</p>', card, re.S).group(1)) == "“stalled” (Wire) against “went well” (Post)"


# ------------------------------------------------------------------ incremental


def test_an_outlet_added_elsewhere_recolours_the_charts_and_an_incremental_build_equals_a_clean_one(project, tmp_path):
    project.article("a", "At least 1,000 people were killed.", source="Post", published="2024-12-01")
    project.article("b", "At least 1,100 people were killed.", source="Wire", published="2024-12-03")
    project.topic("toll", """
        title: Toll
        match: {any: [killed]}
        figures:
          - {id: killed, label: Killed, terms: [killed]}
        """)
    project.topic("other", "title: Other\nmatch: {any: [talks]}\n")
    assert project.run("build").exit_code == 0
    before = line_colours(chart_of(project.page("topics/toll/index.html"), "killed"))
    project.article("c", "The talks went on.", source="Agency", published="2024-12-04")  # sorts first: the site's colours move along
    assert project.run("build").exit_code == 0
    after = line_colours(chart_of(project.page("topics/toll/index.html"), "killed"))
    assert after != before
    build(project.content, tmp_path / "clean", use_cache=False, jobs=1)
    for path in sorted((tmp_path / "clean").rglob("*")):
        if path.is_file() and path.name != ".digest-site" and "pagefind" not in path.as_posix() and "search" not in path.as_posix():
            assert (project.site / path.relative_to(tmp_path / "clean")).read_bytes() == path.read_bytes(), path


def hue_distance_from_red(colour: str) -> float:
    """Degrees of hue between `colour` and the theme's error red; 180 for a grey."""
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, _, saturation = colorsys.rgb_to_hls(r, g, b)
    if saturation < 0.15:
        return 180.0
    red = colorsys.rgb_to_hls(*(int(ERROR_COLOURS[0][i : i + 2], 16) / 255 for i in (1, 3, 5)))[0]
    gap = abs(hue - red) * 360
    return min(gap, 360 - gap)

