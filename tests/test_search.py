"""Search: the Pagefind index lives inside the site, covers topics and articles only, and never breaks a build."""

from __future__ import annotations

import json
import re
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO, write_big_topic
from digest.build import build
from digest.cli import main
from digest.search import Shard, pagefind_executable, plan_shards

needs_pagefind = pytest.mark.skipif(pagefind_executable() is None, reason="pagefind is not installed (pip install 'pagefind[bin]')")


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """The example project in a temporary folder, so each test builds its own site."""
    shutil.copytree(REPO / "content", tmp_path / "content")
    return tmp_path


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@needs_pagefind
def test_index_is_inside_the_site_and_counts_topics_and_articles(example_site: Path):
    entry = json.loads((example_site / "pagefind" / "pagefind-entry.json").read_text())
    digest = json.loads((example_site / "digest.json").read_text())
    indexed = sum(language["page_count"] for language in entry["languages"].values())
    assert indexed == len(digest["topics"]) + len(digest["articles"])
    assert (example_site / "pagefind" / "pagefind-ui.js").is_file()
    assert list((example_site / "pagefind" / "fragment").iterdir())


def test_only_topic_and_article_main_content_is_marked_for_indexing(example_site: Path):
    for page in html_pages(example_site):
        relative = page.relative_to(example_site).as_posix()
        marked = re.findall(r"<[a-z]+[^>]*\sdata-pagefind-body", page.read_text(encoding="utf-8"))
        expected = ['<main id="main" data-pagefind-body'] if relative.startswith(("topics/", "articles/")) else []
        assert marked == expected, relative


def test_every_page_has_a_search_form_with_a_relative_action(example_site: Path):
    for page in html_pages(example_site):
        relative = page.relative_to(example_site).as_posix()
        if relative in ("search/index.html", "404.html"):
            continue  # 404's links are absolute (it is served at any depth); the search page has Pagefind's box
        text = page.read_text(encoding="utf-8")
        action = "../" * relative.count("/") + "search/index.html"
        assert f'<form class="site-search" role="search" action="{action}" method="get">' in text, relative
        assert 'name="q"' in text


@needs_pagefind
def test_search_page_loads_pagefind_by_relative_urls(example_site: Path):
    page = (example_site / "search" / "index.html").read_text(encoding="utf-8")
    assert '<script src="../pagefind/pagefind-ui.js"></script>' in page
    assert 'href="../pagefind/pagefind-ui.css"' in page
    assert "new PagefindUI(" in page
    assert 'class="site-search"' not in page  # Pagefind's own box replaces the header form here


@needs_pagefind
def test_a_big_topics_outlet_pages_are_not_indexed_their_passages_are_found_on_article_pages(project):
    write_big_topic(project.content)
    assert project.run("build").exit_code == 0
    assert (project.site / "topics/toll/sources/wire-one/index.html").is_file()
    entry = json.loads((project.site / "pagefind" / "pagefind-entry.json").read_text())
    assert sum(language["page_count"] for language in entry["languages"].values()) == 1 + 100  # the topic page and the reports


def test_search_is_not_in_the_sitemap(example_site: Path):
    assert "search/" not in (example_site / "sitemap.xml").read_text()


@pytest.mark.parametrize("binary", ["missing", "failing"])
def test_without_working_pagefind_the_build_warns_and_ships_without_search(project_copy: Path, monkeypatch, binary: str):
    fake = project_copy / "pagefind"
    if binary == "failing":
        fake.write_text("#!/bin/sh\nmkdir -p \"$2/pagefind\" && echo half > \"$2/pagefind/pagefind.js\"\necho 'Error: disk on fire' >&2\nexit 3\n")
        fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    site = project_copy / "site"

    result = build(project_copy / "content", site)

    warnings = [w for w in result.warnings if w.code == "no-search"]
    assert len(warnings) == 1 and warnings[0].severity == "warning"
    assert ("disk on fire" in warnings[0].message) == (binary == "failing")
    assert not (site / "pagefind").exists()
    assert "Search is not available" in (site / "search" / "index.html").read_text(encoding="utf-8")
    assert (site / "index.html").is_file() and (site / "articles").is_dir()


def test_cli_build_reports_missing_pagefind_on_stderr_and_exits_0(project_copy: Path, monkeypatch):
    monkeypatch.setattr("digest.search.pagefind_executable", lambda: None)
    monkeypatch.chdir(project_copy)
    outcome = CliRunner().invoke(main, ["build"])
    assert outcome.exit_code == 0
    assert "warning: search index not built: pagefind is not installed" in outcome.stderr
    assert (project_copy / "site" / "index.html").is_file()


@needs_pagefind
def test_an_edit_replaces_the_whole_index(project_copy: Path):
    site = project_copy / "site"
    build(project_copy / "content", site)
    before = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())["languages"]["en"]["hash"]
    topic = next((project_copy / "content" / "topics").glob("*.yaml"))
    topic.write_text(topic.read_text(encoding="utf-8").replace("title:", "title: Renamed —", 1), encoding="utf-8")

    build(project_copy / "content", site)

    after = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())["languages"]["en"]["hash"]
    assert after != before
    assert [meta.name for meta in (site / "pagefind").glob("*.pf_meta")] == [f"pagefind.{after}.pf_meta"]  # nothing stale
    assert not list(project_copy.glob(".site.*"))  # no staging or old-site folders left behind


# ------------------------------------------------------------ shards


def bundles(site: Path) -> list[Path]:
    return sorted(entry.parent for entry in site.rglob("pagefind-entry.json"))


def indexed_count(bundle: Path) -> int:
    return sum(language["page_count"] for language in json.loads((bundle / "pagefind-entry.json").read_text())["languages"].values())


@pytest.fixture
def small_shards(monkeypatch):
    """Shards of a few KB, so the six-article example is split the way a site of thousands is."""
    monkeypatch.setattr("digest.search.SHARD_BYTES", 12_000)


def test_shards_hold_every_indexed_page_once_and_keep_their_count_while_the_site_grows(monkeypatch):
    monkeypatch.setattr("digest.search.SHARD_BYTES", 2_500_000)
    pages = {f"articles/a{n}/index.html": 1_000_000 for n in range(10)} | {"topics/t/index.html": 3_000_000, "index.html": 9_000_000}
    count, shards = plan_shards(pages)
    assert count == 4 and shards[0].folder == "pagefind" and shards[1].folder.startswith("pagefind-shards/")
    assert sorted(p for s in shards for p in s.pages) == sorted(p for p in pages if p != "index.html")
    assert plan_shards(pages, previous_count=7)[0] == 7  # within 2x of what the size asks: pages keep their shard
    assert plan_shards(pages, previous_count=9)[0] == 4  # beyond it: re-planned
    assert plan_shards(pages) == plan_shards(dict(reversed(pages.items())))
    assert all(s.pages for s in plan_shards(pages, previous_count=8)[1])  # an empty shard is no bundle


def test_each_topic_page_of_a_sharded_site_is_a_bundle_of_its_own(monkeypatch):
    monkeypatch.setattr("digest.search.SHARD_BYTES", 2_500_000)
    pages = {f"articles/a{n}/index.html": 1_000_000 for n in range(10)} | {"topics/ceasefire/index.html": 3_000_000, "topics/aid/index.html": 40_000}
    _, shards = plan_shards(pages)
    alone = {s.folder: s.pages for s in shards if any(p.startswith("topics/") for p in s.pages)}
    assert alone == {"pagefind-shards/topic-aid": ("topics/aid/index.html",), "pagefind-shards/topic-ceasefire": ("topics/ceasefire/index.html",)}


def test_a_big_topics_outlet_pages_are_in_no_shard_and_its_page_keeps_its_bundle(monkeypatch):
    monkeypatch.setattr("digest.search.SHARD_BYTES", 2_500_000)
    outlets = {f"topics/toll/sources/wire/{'page/2/' if n else ''}index.html": 500_000 for n in range(2)}
    pages = {f"articles/a{n}/index.html": 1_000_000 for n in range(10)} | {"topics/toll/index.html": 3_000_000} | outlets
    _, shards = plan_shards(pages)
    assert sorted(p for s in shards for p in s.pages) == sorted(p for p in pages if p not in outlets)
    assert {s.folder: s.pages for s in shards if s.folder.endswith("topic-toll")} == {"pagefind-shards/topic-toll": ("topics/toll/index.html",)}


def test_a_site_of_up_to_a_shard_is_one_bundle(monkeypatch):
    monkeypatch.setattr("digest.search.SHARD_BYTES", 2_500_000)
    pages = {"articles/a/index.html": 1_000_000, "topics/t/index.html": 1_500_000, "index.html": 9_000_000}
    assert plan_shards(pages) == (1, [Shard("pagefind", ("articles/a/index.html", "topics/t/index.html"))])


@needs_pagefind
def test_a_large_site_is_indexed_in_shards_that_the_search_page_merges(project_copy: Path, small_shards):
    site = project_copy / "site"
    build(project_copy / "content", site)
    found = bundles(site)
    assert len(found) > 2 and found[0] == site / "pagefind"
    digest = json.loads((site / "digest.json").read_text())
    assert sum(indexed_count(b) for b in found) == len(digest["topics"]) + len(digest["articles"])
    page = (site / "search" / "index.html").read_text(encoding="utf-8")
    merged = json.loads(re.search(r"mergeIndex: (\[.*?\])\.map", page).group(1))
    assert merged == [f"../{b.relative_to(site).as_posix()}/" for b in found[1:]]
    assert all(not list(b.glob("*.js")) and not list(b.glob("wasm.*")) for b in found[1:])  # the primary bundle's scripts read them all
    assert not (site / ".search-pages").exists()


@needs_pagefind
@pytest.mark.parametrize("in_place_share", [0, 10**9], ids=["in-place", "restaged"])
def test_an_article_edit_reindexes_only_the_shards_of_the_pages_that_changed(project_copy: Path, small_shards, monkeypatch, in_place_share):
    monkeypatch.setattr("digest.build.IN_PLACE_SHARE", in_place_share)
    site = project_copy / "site"
    build(project_copy / "content", site)
    before = {b: (b / "pagefind-entry.json").stat().st_mtime_ns for b in bundles(site)}
    article = project_copy / "content" / "articles" / "harbour-truce-takes-effect.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nA quartermaster counted the crates twice.\n", encoding="utf-8")

    build(project_copy / "content", site)

    after = {b: (b / "pagefind-entry.json").stat().st_mtime_ns for b in bundles(site)}
    changed = [b for b in after if after[b] != before.get(b)]
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in html_pages(site)}
    owner = next(s.folder for s in plan_shards(sizes, plan_shards(sizes)[0])[1] if "articles/harbour-truce-takes-effect/index.html" in s.pages)
    assert site / owner in changed
    assert 0 < len(changed) < len(after)
    clean = project_copy / "clean"
    build(project_copy / "content", clean, use_cache=False)
    assert {p.relative_to(clean) for p in clean.rglob("*.pf_meta")} == {p.relative_to(site) for p in site.rglob("*.pf_meta")}  # same bundles as a clean build


@needs_pagefind
@pytest.mark.parametrize("in_place_share", [0, 10**9], ids=["in-place", "restaged"])
def test_no_search_builds_without_an_index_and_the_next_build_brings_it_back(project_copy: Path, monkeypatch, in_place_share):
    monkeypatch.setattr("digest.build.IN_PLACE_SHARE", in_place_share)
    monkeypatch.chdir(project_copy)
    site = project_copy / "site"
    assert CliRunner().invoke(main, ["build", "--quiet"]).exit_code == 0
    assert (site / "pagefind").is_dir()

    outcome = CliRunner().invoke(main, ["build", "--no-search"])

    assert outcome.exit_code == 0 and "warning" not in outcome.output  # asked for: nothing to warn about
    assert not (site / "pagefind").exists() and not (site / "pagefind-shards").exists()
    assert "Search is not available" in (site / "search" / "index.html").read_text(encoding="utf-8")
    assert (site / "index.html").is_file()
    assert CliRunner().invoke(main, ["build", "--quiet"]).exit_code == 0
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    assert "new PagefindUI(" in (site / "search" / "index.html").read_text(encoding="utf-8")


EMPTY_BUNDLE = '#!/bin/sh\nmkdir -p "$4" && : > "$4/pagefind-entry.json" && : > "$4/pagefind.js"\nexit 0\n'  # what Pagefind leaves on a full disk


def test_an_index_of_empty_files_is_not_published(project_copy: Path, monkeypatch):
    fake = project_copy / "pagefind"
    fake.write_text(EMPTY_BUNDLE)
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    monkeypatch.setattr("digest.search.pagefind_executable", lambda: str(fake))
    result = build(project_copy / "content", project_copy / "site")
    [warning] = [w for w in result.warnings if w.code == "no-search"]
    assert "pagefind wrote an incomplete index (2 empty files, an unreadable pagefind-entry.json)" in warning.message
    assert not (project_copy / "site" / "pagefind").exists()


def test_a_full_disk_while_indexing_stops_the_build_and_keeps_the_site(project_copy: Path, monkeypatch):
    import collections

    fake = project_copy / "pagefind"
    fake.write_text(EMPTY_BUNDLE)
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.chdir(project_copy)
    assert CliRunner().invoke(main, ["build", "--no-search"]).exit_code == 0
    before = {p: p.read_bytes() for p in (project_copy / "site").rglob("*") if p.is_file()}
    monkeypatch.setattr("digest.search.pagefind_executable", lambda: str(fake))
    monkeypatch.setattr("digest.search.shutil.disk_usage", lambda path: collections.namedtuple("usage", "total used free")(100, 100, 0))
    outcome = CliRunner().invoke(main, ["build"])
    assert outcome.exit_code == 1
    assert "No space left on device while writing the search index" in outcome.stderr and "internal error" not in outcome.stderr
    assert {p: p.read_bytes() for p in (project_copy / "site").rglob("*") if p.is_file()} == before
