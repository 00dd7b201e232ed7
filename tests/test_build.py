"""`digest build` and `digest check` end to end: output layout, links, atomicity, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import REPO, write_big_topic

SPEC_OUTPUT = [
    "index.html",
    "sources/index.html",
    "disagreements/index.html",
    "digest.json",
    "feed.xml",
    "sitemap.xml",
    "404.html",
    ".nojekyll",
]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) and tag in ("a", "link", "script", "img"):
                self.links.append(attrs[name])


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(site: Path) -> list[str]:
    """Every relative link of every page (404 aside) must reach a file, and its #fragment an element."""
    problems = []
    for page in site.rglob("*.html"):
        if page.name == "404.html":
            continue
        for link in parse(page).links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file():
                problems.append(f"{page.relative_to(site)} → {link}")
            elif parts.fragment and parts.fragment not in parse(target).ids:
                problems.append(f"{page.relative_to(site)} → {link} (no #{parts.fragment})")
    return problems


def test_example_builds_every_page_spec_lists(example_site):
    for name in SPEC_OUTPUT:
        assert (example_site / name).exists(), name
    topics = sorted(p.parent.name for p in (example_site / "topics").glob("*/index.html"))
    assert topics == ["delegations", "humanitarian-figures", "sticking-points"]
    articles = {p.stem for p in (REPO / "content" / "articles").glob("*") if p.suffix in (".md", ".txt")}
    assert {p.parent.name for p in (example_site / "articles").glob("*/index.html")} == articles


def test_every_internal_link_and_anchor_of_the_example_resolves(example_site):
    assert broken_links(example_site) == []


def test_internal_links_are_relative_so_a_sub_path_works(example_site):
    for page in example_site.rglob("*.html"):
        if page.name != "404.html":
            assert not [link for link in parse(page).links if link.startswith("/")], page


def test_topic_page_groups_passages_by_source_with_links_to_original_and_paragraph(example_site):
    html = (example_site / "topics/delegations/index.html").read_text()
    assert "What each source reports" in html
    assert re.search(r'href="\.\./\.\./articles/[a-z0-9-]+/index\.html#p\d+"', html)
    assert 'href="https://example.' in html


def test_a_big_topics_outlet_pages_link_relatively_so_file_urls_and_a_sub_path_work(project):
    write_big_topic(project.content)
    assert project.run("build", "--base-url", "https://user.github.io/repo/").exit_code == 0
    pages = sorted((project.site / "topics/toll/sources").rglob("*.html"))
    assert len(pages) == 3
    assert broken_links(project.site) == []
    for page in pages:
        assert not [link for link in parse(page).links if link.startswith("/")], page
    assert '<link rel="canonical" href="https://user.github.io/repo/topics/toll/sources/wire-one/">' in project.page("topics/toll/sources/wire-one/index.html")


def test_digest_json_follows_the_spec_schema(example_site):
    data = json.loads((example_site / "digest.json").read_text())
    assert set(data["site"]) >= {"title", "base_url", "built_at"}
    assert set(data["articles"][0]) >= {"slug", "title", "source", "url", "published", "topics"}
    topic = data["topics"][0]
    assert set(topic) >= {"slug", "title", "articles", "passages", "figures", "disagreements", "corroborated"}
    assert set(topic["passages"][0]) >= {"article", "source", "paragraph", "text"}


def test_article_body_html_is_shown_as_text(project):
    project.article("a", "Hello <script>alert(1)</script> there.\n")
    project.topic("t", "title: T\nmatch:\n  any: [hello]\n")
    assert project.run("build").exit_code == 0
    page = project.page("articles/a/index.html")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_passages_match_whole_words_case_insensitively_and_respect_exclude(project):
    project.article("a", "Rockets were FIRED at dawn.\n\nA fireworks show.\n\nShots fired at a football match.\n")
    project.topic("t", "title: T\nmatch:\n  any: [fired]\n  exclude: [football]\n")
    project.run("build")
    data = json.loads(project.page("digest.json"))
    assert [p["paragraph"] for p in data["topics"][0]["passages"]] == [1]


def test_pin_adds_and_hide_removes_passages(project):
    project.article("a", "About talks.\n\nNothing here.\n\nMore talks.\n")
    project.topic("t", "title: T\nmatch:\n  any: [talks]\npin: ['a#2']\nhide: ['a#3']\n")
    project.run("build")
    data = json.loads(project.page("digest.json"))
    assert [p["paragraph"] for p in data["topics"][0]["passages"]] == [1, 2]


def test_base_url_feeds_canonical_feed_and_sitemap_but_links_stay_relative(project):
    project.article("a", "Talks.\n")
    project.topic("t", "title: T\nmatch:\n  any: [talks]\n")
    assert project.run("build", "--base-url", "https://user.github.io/repo/").exit_code == 0
    assert '<link rel="canonical" href="https://user.github.io/repo/topics/t/">' in project.page("topics/t/index.html")
    assert "https://user.github.io/repo/topics/t/" in project.page("sitemap.xml")
    assert "https://user.github.io/repo/topics/t/" in project.page("feed.xml")
    assert 'href="/repo/index.html"' in project.page("404.html")


def test_failed_build_leaves_the_previous_site_exactly_as_it_was(project):
    project.article("a", "Talks.\n")
    project.topic("t", "title: T\nmatch:\n  any: [talks]\n")
    assert project.run("build").exit_code == 0
    before = {p: p.read_bytes() for p in project.site.rglob("*") if p.is_file()}
    project.topic("t", "title: T\nmatch: [oops\n")
    result = project.run("build")
    assert result.exit_code == 1
    after = {p: p.read_bytes() for p in project.site.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in project.root.iterdir() if p.name.startswith(".site")] == []


def test_rebuild_keeps_unchanged_files_untouched(project):
    project.article("a", "Talks.\n")
    project.topic("t", "title: T\nmatch:\n  any: [talks]\n")
    project.run("build")
    index = project.site / "articles/a/index.html"
    mtime = index.stat().st_mtime_ns
    project.run("build")
    assert index.stat().st_mtime_ns == mtime


def test_build_error_is_path_line_col_and_exit_1(project):
    project.article("a", "Talks.\n")
    project.topic("t", "title: T\nsumary: x\n")
    result = project.run("build")
    assert result.exit_code == 1
    assert "content/topics/t.yaml:2:1: error: unknown key `sumary`" in result.stderr
    assert "did you mean `summary`?" in result.stderr
    assert not project.site.exists()


def test_check_reports_errors_and_writes_nothing(project):
    project.write("articles/a.md", "---\ntitle: T\nsource: S\nurl: ftp://x\npublished: 2024-12-20\n---\nBody\n")
    result = project.run("check")
    assert result.exit_code == 1
    assert re.search(r"a\.md:4:6: error: `url` has an unexpected form", result.stderr)
    assert not project.site.exists()


def test_check_json_lists_problems(project):
    project.article("a", "Talks.\n")
    project.topic("t", "title: T\nmatch:\n  any: [nothing-matches-this]\n")
    result = project.run("check", "--format", "json")
    assert result.exit_code == 0  # warnings only
    problems = json.loads(result.stdout)
    assert {"path", "line", "col", "severity", "code", "message", "hint"} <= set(problems[0])
    assert "empty-topic" in {p["code"] for p in problems}


def test_unknown_option_is_a_usage_error_exit_2(project):
    assert project.run("build", "--no-such-flag").exit_code == 2


def test_console_script_builds_the_example(tmp_path):
    out = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "digest", "build", "--out", str(out), "--quiet"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (out / "index.html").is_file()


def test_the_program_flushes_its_summary_into_a_pipe_before_it_exits(tmp_path):
    """`digest` ends with os._exit (no heap teardown): what it printed must still arrive."""
    out = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "digest", "build", "--out", str(out)], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("built ") and f"pages into {out} (" in result.stdout and result.stdout.endswith(" s\n")


def test_the_program_keeps_the_exit_status_of_a_content_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "digest", "build", "--content", str(tmp_path / "missing")], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1
    assert "error: content folder not found" in result.stderr and result.stderr.rstrip().endswith("nothing was published")


def test_debug_shows_the_seconds_of_each_stage(project):
    project.article("a", "Talks.\n")
    project.topic("t", "title: T\nmatch:\n  any: [talks]\n")
    result = project.run("--debug", "build")
    assert result.exit_code == 0
    assert "stages: inputs " in result.stderr and " render " in result.stderr
