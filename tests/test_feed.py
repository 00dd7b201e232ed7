"""Atom feed and sitemap, read back with an XML parser."""

from __future__ import annotations

import datetime as dt
import shutil
from xml.etree import ElementTree as ET

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://user.github.io/repo/"


def build_two_topics(project):
    project.article("alpha", "Talks resumed in Doha.\n", source="Alpha", published="2024-12-20")
    project.article("beta", "Aid trucks crossed.\n", source="Beta", published="2024-12-22")
    project.topic("talks", "title: Talks\nmatch:\n  any: [talks]\n")
    project.topic("aid", "title: Aid\nmatch:\n  any: [aid]\n")
    assert project.run("build", "--base-url", BASE).exit_code == 0


def entries(project) -> dict[str, ET.Element]:
    feed = ET.fromstring((project.site / "feed.xml").read_bytes())
    assert feed.tag == f"{ATOM}feed"
    return {e.findtext(f"{ATOM}title"): e for e in feed.findall(f"{ATOM}entry")}


def test_feed_is_atom_with_an_entry_per_topic(project):
    build_two_topics(project)
    found = entries(project)
    assert set(found) == {"Talks", "Aid"}
    talks = found["Talks"]
    assert talks.find(f"{ATOM}link").get("href") == BASE + "topics/talks/"
    assert talks.findtext(f"{ATOM}id") == BASE + "topics/talks/"
    assert dt.datetime.fromisoformat(talks.findtext(f"{ATOM}updated").replace("Z", "+00:00")).date() == dt.date(2024, 12, 20)


def test_topic_entry_updates_only_when_that_topic_changes(project):
    build_two_topics(project)
    before = {title: e.findtext(f"{ATOM}updated") for title, e in entries(project).items()}
    project.article("gamma", "Aid convoys were delayed.\n", source="Gamma", published="2025-01-05")
    assert project.run("build", "--base-url", BASE).exit_code == 0
    after = {title: e.findtext(f"{ATOM}updated") for title, e in entries(project).items()}
    assert after["Talks"] == before["Talks"]
    assert after["Aid"] != before["Aid"] and after["Aid"].startswith("2025-01-05")


def test_rebuilding_unchanged_content_keeps_the_feed_byte_identical(project):
    build_two_topics(project)
    first = (project.site / "feed.xml").read_bytes()
    shutil.rmtree(project.root / ".digest-cache", ignore_errors=True)  # a clean build, as on CI
    assert project.run("build", "--base-url", BASE).exit_code == 0
    assert (project.site / "feed.xml").read_bytes() == first


def test_sitemap_lists_every_page_under_the_base_url(project):
    build_two_topics(project)
    urlset = ET.fromstring((project.site / "sitemap.xml").read_bytes())
    assert urlset.tag == f"{SITEMAP}urlset"
    locations = {u.findtext(f"{SITEMAP}loc") for u in urlset.findall(f"{SITEMAP}url")}
    expected = {BASE, BASE + "topics/talks/", BASE + "topics/aid/", BASE + "articles/alpha/", BASE + "articles/beta/", BASE + "sources/", BASE + "disagreements/"}
    assert expected <= locations
    assert all(loc.startswith(BASE) for loc in locations)
    assert BASE + "404.html" not in locations


def test_control_characters_in_titles_never_reach_the_feed(project):
    from xml.etree import ElementTree

    project.write("site.yaml", 'title: "Floods\\x01 digest\\x1b"\n')
    project.article("a", "Ten people were killed.\n", title='"A\\x0b title"')
    project.topic("t", 'title: "Toll\\x07"\nsummary: "Deaths\\x00 so far"\nmatch:\n  any: [killed]\n')
    assert project.run("build", "--base-url", BASE).exit_code == 0
    feed = ElementTree.fromstring((project.site / "feed.xml").read_bytes())
    titles = [e.text for e in feed.iter() if e.tag.endswith("title")]
    assert "Floods digest" in titles and "Toll" in titles
    ElementTree.fromstring((project.site / "sitemap.xml").read_bytes())
