"""Big topics: a topic page shows each outlet's latest articles and links to pages of all the outlet's passages."""

from __future__ import annotations

import json
import re

import pytest

import digest.render
from conftest import REPO, write_big_topic
from digest.render import OUTLET_PAGE_PASSAGES, TOPIC_PAGE_LATEST, TOPIC_PAGE_PASSAGES, outlet_slugs
from test_build import broken_links

PASSAGE = re.compile(r'<div class="passage">.*?<a href="([^"]+)">Report (\d+), ¶(\d+)</a>.*?<a href="(https://[^"]+)" rel="noopener nofollow">original</a>', re.S)


def shown(html: str) -> list[tuple[int, int]]:
    """(report, paragraph) of each passage on a page, in order."""
    return [(int(report), int(paragraph)) for _, report, paragraph, _ in PASSAGE.findall(html)]


def section(html: str, outlet: str) -> str:
    """The "What each source reports" section of one outlet on a topic page."""
    return re.search(rf'<section class="source-group">\s*<h3>{re.escape(outlet)}</h3>(.*?)</section>', html, re.S).group(1)


@pytest.fixture
def big(project):
    """400 passages from 3 outlets, 4 a report, a report a day by turns (Wire One: reports 0, 3, ..., 99)."""
    write_big_topic(project.content)
    return project


def test_the_big_project_is_big_enough_and_its_outlets_fit_one_page():
    assert 400 > TOPIC_PAGE_PASSAGES and 34 * 4 <= OUTLET_PAGE_PASSAGES  # what the tests below rely on


def test_a_small_topic_shows_every_passage_and_has_no_outlet_pages(example_site):
    data = json.loads((example_site / "digest.json").read_text())
    for topic in data["topics"]:
        html = (example_site / "topics" / topic["slug"] / "index.html").read_text()
        assert html.count('<div class="passage">') == len(topic["passages"])
        assert "passages from" not in html
        assert not (example_site / "topics" / topic["slug"] / "sources").exists()


def test_a_big_topic_shows_each_outlets_latest_articles_and_a_link_to_all_its_passages(big):
    assert big.run("build").exit_code == 0
    html = big.page("topics/toll/index.html")
    wire = section(html, "Wire One")
    assert shown(wire) == [(report, n) for report in (93, 96, 99)[-TOPIC_PAGE_LATEST:] for n in (1, 2, 3, 4)]
    assert f"From its latest {TOPIC_PAGE_LATEST} of 34 articles:" in wire
    assert '<a href="../../topics/toll/sources/wire-one/index.html">All 136 passages from Wire One →</a>' in wire
    assert "All 132 passages from Daily Two →" in section(html, "Daily Two")
    assert "All 132 passages from Herald Three →" in section(html, "Herald Three")
    assert html.index("Figures by source") < html.index("What each source reports")  # the rest of the page as it was


def test_an_outlets_page_lists_all_its_passages_oldest_first_with_links_to_the_article_and_the_original(big):
    assert big.run("build").exit_code == 0
    page = big.page("topics/toll/sources/wire-one/index.html")
    assert "<h1>Death toll: Wire One</h1>" in page
    assert "All 136 passages of this topic from Wire One, in 34 articles, oldest first." in page
    assert shown(page) == [(report, n) for report in range(0, 100, 3) for n in (1, 2, 3, 4)]
    first = PASSAGE.search(page)
    assert (first.group(1), first.group(4)) == ("../../../../articles/report-000/index.html#p1", "https://example.org/report-0")
    assert '<a href="../../../../topics/toll/index.html">Death toll</a>' in page
    assert "Page 1 of" not in page  # one page: no pager
    assert broken_links(big.site) == []


def test_an_outlets_passages_are_paginated_with_previous_next_and_the_page_count(big, monkeypatch):
    monkeypatch.setattr(digest.render, "OUTLET_PAGE_PASSAGES", 50)  # 12 reports of 4 passages a page: 48, 48, 40
    assert big.run("build").exit_code == 0
    folder = "topics/toll/sources/wire-one/"
    pages = [big.page(folder + "index.html"), big.page(folder + "page/2/index.html"), big.page(folder + "page/3/index.html")]
    assert not (big.site / folder / "page/4").exists() and not (big.site / folder / "page/1").exists()
    assert [len(shown(page)) for page in pages] == [48, 48, 40]
    assert [p for page in pages for p in shown(page)] == [(report, n) for report in range(0, 100, 3) for n in (1, 2, 3, 4)]
    for k, page in enumerate(pages, 1):
        assert page.count(f'<span class="page-count">Page {k} of 3</span>') == 2  # above and below the passages
    assert 'rel="prev"' not in pages[0] and '<a href="../../../../topics/toll/sources/wire-one/page/2/index.html" rel="next">Next →</a>' in pages[0]
    assert '<a href="../../../../../../topics/toll/sources/wire-one/index.html" rel="prev">← Previous</a>' in pages[1]
    assert '<a href="../../../../../../topics/toll/sources/wire-one/page/3/index.html" rel="next">Next →</a>' in pages[1]
    assert 'rel="next"' not in pages[2] and "page/2/index.html\" rel=\"prev\"" in pages[2]
    assert "<title>Death toll: Wire One (page 2 of 3) · Long story</title>" in pages[1]
    assert broken_links(big.site) == []


def test_outlet_pages_are_in_the_sitemap_but_not_marked_for_search(big):
    assert big.run("build", "--base-url", "https://user.github.io/repo/").exit_code == 0
    sitemap = big.page("sitemap.xml")
    for slug in ("wire-one", "daily-two", "herald-three"):
        assert f"<loc>https://user.github.io/repo/topics/toll/sources/{slug}/</loc>" in sitemap
        assert "data-pagefind-body" not in big.page(f"topics/toll/sources/{slug}/index.html")  # its passages are searched on their article pages
    assert "data-pagefind-body" in big.page("topics/toll/index.html")


def test_outlets_whose_names_slugify_alike_get_pages_of_their_own(project):
    write_big_topic(project.content, outlets=("Al Jazeera", "Al-Jazeera", "AL JAZEERA"))
    assert project.run("build").exit_code == 0
    html = project.page("topics/toll/index.html")
    links = {outlet: re.search(r'<a href="\.\./\.\./(topics/toll/sources/[^"]+)">All \d+ passages from ' + re.escape(outlet) + " →", html).group(1) for outlet in ("Al Jazeera", "Al-Jazeera", "AL JAZEERA")}
    assert len(set(links.values())) == 3
    for outlet, link in links.items():
        assert f"<h1>Death toll: {outlet}</h1>" in project.page(link)


def test_outlet_slugs_never_collide_even_with_a_slug_that_looks_like_a_disambiguated_one():
    lookalike = "Wire " + digest.render.fingerprint("Wire")[:8]  # slugifies as "Wire" would once "WIRE" has taken "wire"
    names = ["WIRE", "Wire", "wire!", lookalike, "", "???"]
    slugs = outlet_slugs(names)
    assert len(set(slugs.values())) == len(names)
    assert slugs["WIRE"] == "wire" and slugs[lookalike] == lookalike.lower().replace(" ", "-")  # the first in name order keeps its slug


def test_a_site_theme_overrides_the_outlet_page_template_like_any_other(big):
    templates = big.root / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    original = (REPO / "themes" / "default" / "templates" / "topic_source.html").read_text(encoding="utf-8")
    (templates / "topic_source.html").write_text(original.replace("<h1>{{ heading }}</h1>", "<h1 class=\"ours\">{{ heading }}</h1>"), encoding="utf-8")
    assert big.run("build").exit_code == 0
    assert '<h1 class="ours">Death toll: Wire One</h1>' in big.page("topics/toll/sources/wire-one/index.html")


def test_a_site_topic_template_that_reads_passage_groups_as_pairs_still_works(big):
    """A theme written before big topics were split unpacks each group as (source, passages)."""
    templates = big.root / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "topic.html").write_text('{% for source, passages in passage_groups %}<h3>{{ source }}</h3>{{ passages | length }}\n{% endfor %}', encoding="utf-8")
    assert big.run("build").exit_code == 0
    assert big.page("topics/toll/index.html") == f"<h3>Daily Two</h3>{TOPIC_PAGE_LATEST}\n<h3>Herald Three</h3>{TOPIC_PAGE_LATEST}\n<h3>Wire One</h3>{TOPIC_PAGE_LATEST}\n"


def test_a_figures_table_cell_shows_an_outlets_latest_values_and_counts_the_others(project):
    for day in range(1, 13):
        project.article(f"w{day:02}", f"The toll rose to {4000 + 100 * day:,} people killed, officials said.\n", source="Wire", published=f"2025-01-{day:02}")
    project.topic("t", "title: Toll\nmatch:\n  any: [killed]\nfigures:\n  - id: killed\n    terms: [killed]\n")
    assert project.run("build").exit_code == 0
    page = project.page("topics/t/index.html")
    row = page[page.index('<tr id="figure-killed">') : page.index("</tr>", page.index('<tr id="figure-killed">'))]
    assert [f"{4000 + 100 * day:,}" in row for day in range(1, 13)] == [False] * 7 + [True] * 5
    assert "and 7 earlier values (in the chart below)" in row


def test_a_corroborated_group_names_each_outlets_latest_statement_and_counts_the_rest(project):
    for day in range(1, 7):
        for outlet in ("Wire", "Post"):
            project.article(f"{outlet.lower()}{day}", f"Exactly 1,200 people were killed on the first day, officials said again on day {day}.\n", source=outlet, published=f"2025-01-{day:02}")
    project.topic("t", "title: Toll\nmatch:\n  any: [killed]\nfigures:\n  - id: killed\n    terms: [killed]\n    trend: fixed\n")
    assert project.run("build").exit_code == 0
    page = project.page("topics/t/index.html")
    item = page[page.index('<ul class="corroborated">') : page.index("</ul>", page.index('<ul class="corroborated">'))]
    assert item.count("<a ") == 2 and "6 January 2025" in item
    assert "and 10 more statements of these outlets" in item
