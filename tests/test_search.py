"""Search: the Pagefind index lives inside the site, covers topics and articles only, and never breaks a build."""

from __future__ import annotations

import json
import re
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO
from digest.build import build
from digest.cli import main
from digest.search import pagefind_executable

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
