"""Incremental builds: after every kind of edit the site is byte-identical to a clean build,
unchanged files keep their modification time, a damaged cache is ignored and rebuilt,
and the number of processes never changes the output. (Speed lives in bench/, not here.)"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import random
import shutil
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import digest.analyse
import digest.cache
import digest.render
from conftest import REPO, write_big_topic
from digest.analyse import _parse_blocks, split_passages
from digest.build import build, preview
from digest.cache import Cache
from digest.cli import main
from digest.errors import ContentError
from digest.model import Article, CleaningRules, Passage
from digest.search import pagefind_executable

OUTLETS = ["Wire One", "Daily Two", "Herald Three", "Post Four"]
PLACES = ["Kessar", "Tamir", "Lorin", "Halvik"]

TOPICS = {
    "casualties": """\
        title: Casualties
        summary: People killed and wounded.
        order: 1
        match:
          any: [killed, wounded, "death toll"]
          exclude: [football]
        figures:
          - id: killed
            label: People killed
            terms: [killed, "death toll"]
          - id: wounded
            label: People wounded
            terms: [wounded]
        claims:
          - text: Shelling hit the city of Kessar overnight.
            sources: [a-00]
        disagreements:
          - about: Who fired first
            positions:
              - {source: a-01, says: "the army"}
              - {source: a-02, says: "the rebels"}
        pin: ['a-03#1']
        hide: ['a-04#2']
        notes: |
          Read every number with the *body* it is credited to.
        """,
    "aid": """\
        title: Aid
        summary: Trucks and food parcels.
        order: 2
        match:
          any: [trucks, "food parcels", /convoys?/]
        figures:
          - id: trucks
            label: Aid trucks
            terms: [trucks]
            tolerance: 0.1
        """,
    "talks": """\
        title: Talks
        match:
          any: [talks, ceasefire]
        """,
}


def article_text(i: int, rng: random.Random, extra: str = "") -> str:
    outlet = OUTLETS[i % len(OUTLETS)]
    place = PLACES[i % len(PLACES)]
    killed = rng.choice([1200, 1260, 4500, 45317, 445581])
    blocks = [
        f"{place.upper()} ({outlet}) — At least {killed:,} people have been killed in {place}, officials said.",
        f"{rng.randint(10, 900)} aid trucks entered the area on Monday, and {rng.randint(2, 40)} people were wounded.",
        rng.choice(
            [
                "## What happened next",
                "The talks in Ossary stalled again.\nMediators said a ceasefire was close.",
                "- the release of detainees\n- the return of the displaced\n\n- a halt to shelling",
                "> This is not the end, said a mediator.",
                "In a [statement](https://example.org/s) the ministry said **1,300** were killed.",
                "Rockets hit a *football* ground; 3 were killed.",
                "Plain words with <b>raw html</b> & an ampersand.",
                "```\ncode 12 killed\n\nmore code\n```",
                "See [the report][r].\n\n[r]: https://example.org/r",
                "Title line\n===",
                "1. first\n2. second",
                "    indented code, 5 killed",
            ]
        ),
        f"Convoys of food parcels reached {place}; {rng.randint(100, 999)} trucks are waiting.",
    ]
    body = "\n\n".join(blocks) + extra
    return f"---\ntitle: Report {i} from {place}\nsource: {outlet}\nurl: https://example.org/{i}\npublished: 2025-0{1 + i % 6}-1{i % 10}\n---\n{body}\n"


def make_project(root: Path, count: int = 16) -> Path:
    content = root / "content"
    (content / "articles").mkdir(parents=True)
    (content / "topics").mkdir()
    (content / "site.yaml").write_text("title: Test digest\nbase_url: https://example.org/digest/\n", encoding="utf-8")
    rng = random.Random(7)
    for i in range(count):
        (content / "articles" / f"a-{i:02d}.md").write_text(article_text(i, rng), encoding="utf-8")
    (content / "articles" / "raw-copy.txt").write_text("Raw copy headline\nSource link\n12 aid trucks were stopped at the border.\nspot_imgspot_img\n", encoding="utf-8")
    (content / "articles" / "raw-copy.yaml").write_text("title: Raw copy headline\nsource: Scraped Times\nurl: https://example.org/raw\npublished: 2025-03-03\n", encoding="utf-8")
    for slug, text in TOPICS.items():
        (content / "topics" / f"{slug}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return content


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def mtimes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}


@pytest.fixture(autouse=True)
def no_pagefind(monkeypatch, tmp_path_factory):
    """Most tests here compare sites byte for byte; the search index is tested on its own below."""
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path_factory.mktemp("no-pagefind") / "pagefind"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


def assert_same_as_clean(content: Path, site: Path, tmp_path: Path, **options) -> None:
    clean = tmp_path / f"clean-{len(list(tmp_path.glob('clean-*')))}"
    build(content, clean, use_cache=False, jobs=1, **options)
    expected, got = files_of(clean), files_of(site)
    assert sorted(got) == sorted(expected)
    assert [p for p in expected if expected[p] != got[p]] == []


def touch_later(path: Path) -> None:
    """Make an edit visible to mtime-based tools even on coarse clocks (the build hashes contents anyway)."""
    st_ = path.stat()
    os.utime(path, ns=(st_.st_atime_ns, st_.st_mtime_ns + 2_000_000_000))


# ------------------------------------------------------------------ edits


def edit_article_body(content: Path) -> None:
    path = content / "articles" / "a-05.md"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + " Officials said 9,999 more were killed.\n", encoding="utf-8")
    touch_later(path)


def edit_article_title(content: Path) -> None:
    path = content / "articles" / "a-06.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Report 6", "title: Renamed report 6"), encoding="utf-8")


def add_article(content: Path) -> None:
    (content / "articles" / "a-99.md").write_text(article_text(99, random.Random(99)), encoding="utf-8")


def remove_article(content: Path) -> None:
    (content / "articles" / "a-07.md").unlink()


def edit_topic_summary(content: Path) -> None:
    path = content / "topics" / "aid.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Trucks and food parcels.", "Convoys, trucks and parcels."), encoding="utf-8")


def edit_topic_rules(content: Path) -> None:
    path = content / "topics" / "casualties.yaml"
    text = path.read_text(encoding="utf-8").replace("any: [killed, wounded", "any: [killed, shelling").replace("tolerance", "tolerance")
    path.write_text(text.replace("terms: [wounded]", "terms: [wounded, injured]\n    tolerance: 0.5"), encoding="utf-8")


def resolve_a_disagreement(content: Path) -> None:
    path = content / "topics" / "casualties.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "resolved:\n  - figure: killed\n    note: The ministry revised its count.\n", encoding="utf-8")


def add_topic(content: Path) -> None:
    (content / "topics" / "detainees.yaml").write_text("title: Detainees\nmatch:\n  any: [detainees, release]\n", encoding="utf-8")


def remove_topic(content: Path) -> None:
    (content / "topics" / "talks.yaml").unlink()


def override_template(content: Path) -> None:
    templates = content.parent / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    original = (REPO / "themes" / "default" / "templates" / "article.html").read_text(encoding="utf-8")
    (templates / "article.html").write_text(original.replace("<header>", "<header class=\"overridden\">", 1), encoding="utf-8")


def edit_site(content: Path) -> None:
    (content / "site.yaml").write_text("title: Renamed digest\nbase_url: https://example.org/digest/\ncleaning:\n  exact: ['12 aid trucks were stopped at the border.']\n", encoding="utf-8")


EDITS = [edit_article_body, edit_article_title, add_article, remove_article, edit_topic_summary, edit_topic_rules, resolve_a_disagreement, add_topic, remove_topic, override_template, edit_site]


@pytest.fixture(params=["restaged", "in-place"])
def write_mode(request, monkeypatch) -> str:
    """Both ways the write stage brings a site up to date: a new staged copy swapped in, or the changed files replaced where they are."""
    monkeypatch.setattr("digest.build.IN_PLACE_SHARE", 10**9 if request.param == "restaged" else 0)
    return request.param


@pytest.mark.parametrize("edit", EDITS, ids=lambda f: f.__name__)
def test_incremental_build_after_an_edit_equals_a_clean_build(project: Path, tmp_path: Path, edit, write_mode):
    site = tmp_path / "site"
    build(project, site, jobs=1)
    edit(project)
    result = build(project, site, jobs=1)
    assert result.written > 0
    assert_same_as_clean(project, site, tmp_path)


@pytest.mark.parametrize("remembered", [False, True], ids=["a-cache-per-build", "one-remembered-cache"])
def test_every_edit_in_a_row_stays_equal_to_clean_builds(project: Path, tmp_path: Path, write_mode, remembered):
    """Also with one cache kept in memory for every build, as `digest serve` does."""
    site = tmp_path / "site"
    cache = Cache.beside(project, remember=True) if remembered else None
    build(project, site, jobs=2, cache=cache)
    for edit in EDITS:
        edit(project)
        build(project, site, jobs=2, cache=cache)
        assert_same_as_clean(project, site, tmp_path)




@pytest.mark.parametrize("edit", EDITS, ids=lambda f: f.__name__)
def test_a_preview_renders_every_file_of_an_edit_as_a_clean_build_writes_it_and_writes_nothing(project: Path, tmp_path: Path, edit):
    """What `digest serve` shows of an edit before it writes it."""
    site = tmp_path / "site"
    cache = Cache.beside(project, remember=True)
    build(project, site, jobs=1, cache=cache)
    before = files_of(site), mtimes(site)
    edit(project)
    shown = preview(project, cache=cache)
    build(project, tmp_path / "clean", use_cache=False, jobs=1)
    expected = files_of(tmp_path / "clean")
    rendered = {path: shown.file(path) for path in expected if shown.has(path)}
    assert sorted(set(expected) - set(rendered)) == [".digest-site", "search/index.html"]  # made by the write stage: its mark, and the search index
    assert [path for path in rendered if rendered[path] != expected[path]] == []
    assert (files_of(site), mtimes(site)) == before
    build(project, site, jobs=1, cache=cache)  # what serve does once edits pause
    assert_same_as_clean(project, site, tmp_path)


def test_previews_of_every_edit_in_a_row_with_no_write_between_equal_clean_builds(project: Path, tmp_path: Path):
    """serve previews a burst of edits, each from what the last preview kept, and writes only once they pause."""
    cache = Cache.beside(project, remember=True)
    build(project, tmp_path / "site", jobs=1, cache=cache)
    for n, edit in enumerate([edit_article_body, edit_article_title, *EDITS, edit_article_body]):
        shown = preview(project, cache=cache, changed=changed_by(edit, project))
        clean = tmp_path / f"clean-{n}"
        build(project, clean, use_cache=False, jobs=1)
        expected = files_of(clean)
        assert [path for path in expected if shown.has(path) and shown.file(path) != expected[path]] == [], edit.__name__


def changed_by(edit, content: Path) -> set[str]:
    """Make the edit; the absolute paths it added, changed or removed, as a file watcher tells them."""
    folders = (content, content.parent / "themes")
    before = {str(p.absolute()): p.read_bytes() for folder in folders for p in folder.rglob("*") if p.is_file()}
    edit(content)
    after = {str(p.absolute()): p.read_bytes() for folder in folders for p in folder.rglob("*") if p.is_file()}
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def test_a_preview_told_what_changed_looks_at_nothing_else(project: Path, tmp_path: Path):
    """What serve relies on: a file the watcher does not name is taken as the last look found it."""
    cache = Cache.beside(project, remember=True)
    build(project, tmp_path / "site", jobs=1, cache=cache)
    told = changed_by(edit_article_body, project)
    changed_by(edit_article_title, project)  # not told
    shown = preview(project, cache=cache, changed=told)
    assert b"more were killed" in shown.file("articles/a-05/index.html")
    assert b"Renamed report 6" not in shown.file("articles/a-06/index.html")
    assert b"Renamed report 6" in preview(project, cache=cache).file("articles/a-06/index.html")  # a look at every file finds it


@pytest.mark.parametrize("stage", ["inputs", "load", "analyse", "keys", "render"])
def test_a_build_asked_to_stop_stops_after_that_stage_and_leaves_the_site_as_it_was(project: Path, tmp_path: Path, stage: str):
    """serve stops writing an edit that a newer one made out of date."""
    from digest.build import BEFORE_WRITING, BuildCancelled

    site = tmp_path / "site"
    cache = Cache.beside(project, remember=True)
    build(project, site, jobs=1, cache=cache)
    before = files_of(site), mtimes(site)
    edit_article_body(project)
    asked: list[int] = []

    def stop_after_the_stage() -> bool:  # asked once after each stage
        asked.append(1)
        return len(asked) > BEFORE_WRITING.index(stage)

    with pytest.raises(BuildCancelled) as stopped:
        build(project, site, jobs=1, cache=cache, cancelled=stop_after_the_stage)
    assert str(stopped.value) == stage
    assert (files_of(site), mtimes(site)) == before
    build(project, site, jobs=1, cache=cache)
    assert_same_as_clean(project, site, tmp_path)


# ------------------------------------------------ a big topic's outlet pages


@pytest.fixture
def big_project(tmp_path: Path, monkeypatch) -> Path:
    """A topic of 320 passages (40 reports of 8, by turns of 3 outlets): its page shows each outlet's latest
    reports, and each outlet has 3 pages of 5 reports (the page size made small for the test)."""
    monkeypatch.setattr(digest.render, "OUTLET_PAGE_PASSAGES", 40)
    write_big_topic(tmp_path / "content", articles=40, paragraphs=8)
    return tmp_path / "content"


def edit_an_old_report(content: Path) -> None:  # on the first of its outlet's pages only
    path = content / "articles" / "report-000.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Paragraph 2 of report 0:", "Paragraph 2, corrected, of report 0:"), encoding="utf-8")
    touch_later(path)


def edit_the_latest_report(content: Path) -> None:  # on the topic page and the last of its outlet's pages
    path = content / "articles" / "report-039.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Report 39", "title: Report 39, updated"), encoding="utf-8")


def add_a_report(content: Path) -> None:
    write_big_topic(content, articles=41, paragraphs=8)


def remove_an_old_report(content: Path) -> None:  # every later report of its outlet moves up a page
    (content / "articles" / "report-003.md").unlink()


def move_a_report_to_another_outlet(content: Path) -> None:
    path = content / "articles" / "report-012.md"
    path.write_text(path.read_text(encoding="utf-8").replace("source: Wire One", "source: Daily Two"), encoding="utf-8")


def shrink_the_topic(content: Path) -> None:  # 40 passages: a small topic again, without outlet pages
    path = content / "topics" / "toll.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("any: [killed]", "any: [killed]\n  exclude: [Paragraph 2, Paragraph 3, Paragraph 4, Paragraph 5, Paragraph 6, Paragraph 7, Paragraph 8]"), encoding="utf-8")


BIG_TOPIC_EDITS = [edit_an_old_report, edit_the_latest_report, add_a_report, remove_an_old_report, move_a_report_to_another_outlet, shrink_the_topic]


@pytest.mark.parametrize("edit", BIG_TOPIC_EDITS, ids=lambda f: f.__name__)
def test_a_big_topics_pages_after_an_edit_equal_a_clean_build(big_project: Path, tmp_path: Path, edit, write_mode):
    site = tmp_path / "site"
    build(big_project, site, jobs=1)
    assert (site / "topics/toll/sources/wire-one/page/3/index.html").is_file()
    edit(big_project)
    build(big_project, site, jobs=1)
    assert_same_as_clean(big_project, site, tmp_path)


@pytest.mark.parametrize("edit", BIG_TOPIC_EDITS, ids=lambda f: f.__name__)
def test_a_preview_renders_a_big_topics_outlet_pages_as_a_clean_build_writes_them(big_project: Path, tmp_path: Path, edit):
    cache = Cache.beside(big_project, remember=True)
    build(big_project, tmp_path / "site", jobs=1, cache=cache)
    edit(big_project)
    shown = preview(big_project, cache=cache)
    build(big_project, tmp_path / "clean", use_cache=False, jobs=1)
    expected = files_of(tmp_path / "clean")
    outlet_pages = [path for path in expected if "/sources/" in path]
    assert all(shown.has(path) for path in outlet_pages) and not shown.has("topics/toll/sources/wire-one/page/9/index.html")
    assert [path for path in expected if shown.has(path) and shown.file(path) != expected[path]] == []
    assert len(outlet_pages) == (0 if edit is shrink_the_topic else 9)


def test_an_edit_of_an_old_report_rewrites_only_the_outlet_page_that_shows_it(big_project: Path, tmp_path: Path):
    site = tmp_path / "site"
    build(big_project, site, jobs=1)
    before = mtimes(site)
    edit_an_old_report(big_project)
    build(big_project, site, jobs=1)
    after = mtimes(site)
    changed = sorted(path for path in after if after[path] != before.get(path))
    assert "topics/toll/sources/wire-one/index.html" in changed
    assert [path for path in changed if "/sources/" in path] == ["topics/toll/sources/wire-one/index.html"]


def test_a_preview_knows_no_file_of_a_removed_article(project: Path, tmp_path: Path):
    cache = Cache.beside(project, remember=True)
    build(project, tmp_path / "site", jobs=1, cache=cache)
    remove_article(project)
    shown = preview(project, cache=cache)
    assert not shown.has("articles/a-07/index.html") and shown.file("articles/a-07/index.html") is None
    assert shown.has("articles/a-08/index.html")


def test_a_preview_of_bad_content_raises_its_errors_and_the_next_good_one_is_right(project: Path, tmp_path: Path):
    cache = Cache.beside(project, remember=True)
    build(project, tmp_path / "site", jobs=1, cache=cache)
    topic = project / "topics" / "aid.yaml"
    good = topic.read_text(encoding="utf-8")
    topic.write_text(good + "sumary: oops\n", encoding="utf-8")
    with pytest.raises(ContentError) as failed:
        preview(project, cache=cache)
    assert "unknown key `sumary`" in failed.value.diagnostics[0].format()
    topic.write_text(good.replace("Trucks and food parcels.", "Trucks only."), encoding="utf-8")
    build(project, tmp_path / "clean", use_cache=False, jobs=1)
    assert preview(project, cache=cache).file("topics/aid/index.html") == (tmp_path / "clean/topics/aid/index.html").read_bytes()


def test_a_resolution_taken_back_leaves_no_trace_in_a_remembered_cache(project: Path, tmp_path: Path):
    """The figures' comparisons come from the cache: the note set on one build's disagreements must not stick to them."""
    site = tmp_path / "site"
    cache = Cache.beside(project, remember=True)
    topic = project / "topics" / "casualties.yaml"
    original = topic.read_text(encoding="utf-8")
    build(project, site, jobs=1, cache=cache)
    resolve_a_disagreement(project)
    build(project, site, jobs=1, cache=cache)
    assert "The ministry revised its count." in (site / "topics" / "casualties" / "index.html").read_text(encoding="utf-8")
    topic.write_text(original, encoding="utf-8")
    build(project, site, jobs=1, cache=cache)
    assert "The ministry revised its count." not in (site / "topics" / "casualties" / "index.html").read_text(encoding="utf-8")
    assert_same_as_clean(project, site, tmp_path)


def test_a_remembered_cache_rewrites_only_the_cache_files_a_build_changed(project: Path, tmp_path: Path):
    site = tmp_path / "site"
    cache = Cache.beside(project, remember=True)
    build(project, site, jobs=1, cache=cache)
    edit_topic_summary(project)  # renders the aid page: its fragments are read and kept in memory
    build(project, site, jobs=1, cache=cache)
    before = {p.name: p.read_bytes() for p in cache_files(project)}
    talks = project / "topics" / "talks.yaml"
    talks.write_text(talks.read_text(encoding="utf-8") + "summary: Where the talks stand.\n", encoding="utf-8")  # the aid page does not show it
    build(project, site, jobs=1, cache=cache)
    after = {p.name: p.read_bytes() for p in cache_files(project)}
    aid_store = digest.render.fragment_store("topics/aid/index.html")
    kept = [name for name in before if name.startswith(aid_store)]
    assert kept and all(after.get(name) == before[name] for name in kept)
    assert_same_as_clean(project, site, tmp_path)


def test_a_remembered_cache_sees_the_record_of_a_build_made_by_another_process(project: Path, tmp_path: Path):
    site = tmp_path / "site"
    cache = Cache.beside(project, remember=True)
    build(project, site, jobs=1, cache=cache)
    edit_article_body(project)
    assert build(project, site, jobs=1).written > 0  # another process, another cache
    assert build(project, site, jobs=1, cache=cache).written == 0
    assert_same_as_clean(project, site, tmp_path)


def test_a_remembered_cache_without_a_folder_keeps_only_what_the_last_build_used():
    """serve in a project whose cache folder cannot be made: its memory is the only cache, and must not grow with every edit."""
    cache = Cache(None, remember=True)
    store = cache.store("units")
    store.put("aa01-before", "the article before the edit")
    cache.save()
    assert store.get("aa01-before") == "the article before the edit"  # kept for the next build
    cache.save()
    store.put("aa01-after", "the article after the edit")  # the same shard: this build reads it
    cache.save()
    assert "aa01-before" not in store and store.get("aa01-after") == "the article after the edit"


def test_base_url_option_change_is_a_rebuild_not_a_no_op(project: Path, tmp_path: Path):
    site = tmp_path / "site"
    build(project, site, jobs=1)
    result = build(project, site, base_url="https://other.example/x/", jobs=1)
    assert result.written > 0
    assert_same_as_clean(project, site, tmp_path, base_url="https://other.example/x/")
    assert "https://other.example/x/" in (site / "sitemap.xml").read_text(encoding="utf-8")


# ------------------------------------------------------ what is rewritten


def test_no_op_rebuild_writes_nothing_and_keeps_every_mtime(project: Path, tmp_path: Path):
    site = tmp_path / "site"
    first = build(project, site)
    before = mtimes(site)
    again = build(project, site)
    assert (again.written, again.unchanged, again.pages) == (0, len(before), first.pages)
    assert again.summary(site) .startswith(f"built {first.pages} pages")
    assert again.disagreements == first.disagreements
    assert mtimes(site) == before
    assert [t.topic.slug for t in again.digest.topics] == [t.topic.slug for t in first.digest.topics]  # loaded on demand


def test_an_edit_is_analysed_again_only_by_the_topics_whose_passages_it_changed(project: Path, tmp_path: Path, monkeypatch):
    site = tmp_path / "site"
    build(project, site, jobs=1)
    analysed = []
    digest_topic = digest.analyse._digest_topic
    monkeypatch.setattr(digest.analyse, "_digest_topic", lambda topic, *args: analysed.append(topic.slug) or digest_topic(topic, *args))
    article = project / "articles" / "a-05.md"  # in "casualties" by its first paragraph, in "aid" by others
    article.write_text(article.read_text(encoding="utf-8").replace("officials said.", "officials said on Tuesday.", 1), encoding="utf-8")

    build(project, site, jobs=1)

    assert analysed == ["casualties"]
    assert_same_as_clean(project, site, tmp_path)


@pytest.mark.parametrize("remembered", [False, True], ids=["a-cache-per-build", "one-remembered-cache"])
def test_a_topic_summary_edit_analyses_no_topic_again_and_the_page_shows_the_new_summary(project: Path, tmp_path: Path, monkeypatch, remembered):
    site = tmp_path / "site"
    cache = Cache.beside(project, remember=True) if remembered else None
    build(project, site, jobs=1, cache=cache)
    analysed = []
    digest_topic = digest.analyse._digest_topic
    monkeypatch.setattr(digest.analyse, "_digest_topic", lambda topic, *args: analysed.append(topic.slug) or digest_topic(topic, *args))
    edit_topic_summary(project)

    build(project, site, jobs=1, cache=cache)

    assert analysed == []
    assert "Convoys, trucks and parcels." in (site / "topics/aid/index.html").read_text(encoding="utf-8")
    assert_same_as_clean(project, site, tmp_path)


@pytest.mark.parametrize("edit", [edit_topic_rules, add_topic, remove_topic], ids=lambda f: f.__name__)
def test_an_edit_of_one_topics_rules_matches_the_articles_against_that_topic_only(project: Path, tmp_path: Path, monkeypatch, edit):
    site = tmp_path / "site"
    build(project, site, jobs=1)
    matched_against = []
    index = digest.analyse._TopicIndex
    monkeypatch.setattr(digest.analyse, "_TopicIndex", lambda topics: matched_against.append([t.slug for t in topics]) or index(topics))
    edit(project)

    build(project, site, jobs=1)

    assert matched_against == {edit_topic_rules: [["casualties"]], add_topic: [["detainees"]], remove_topic: []}[edit]
    assert_same_as_clean(project, site, tmp_path)


def test_one_article_edit_rewrites_only_the_files_that_show_it(project: Path, tmp_path: Path, write_mode):
    site = tmp_path / "site"
    build(project, site)
    before = mtimes(site)
    edit_article_body(project)
    result = build(project, site)
    after = {p: t for p, t in mtimes(site).items() if not p.startswith(("search/", "pagefind/"))}  # the finalize step's own files
    changed = {p for p in after if after[p] != before.get(p)}
    assert "articles/a-05/index.html" in changed
    assert "digest.json" in changed
    assert not {p for p in changed if p.startswith("articles/") and p != "articles/a-05/index.html"}
    assert result.written == len(changed)
    assert result.unchanged == len(after) - len(changed)
    assert len(changed) < len(after) // 2


def test_a_file_changed_or_removed_in_the_site_is_restored(project: Path, tmp_path: Path):
    site = tmp_path / "site"
    build(project, site)
    expected = files_of(site)
    (site / "index.html").write_text("vandalised", encoding="utf-8")
    (site / "articles" / "a-01" / "index.html").unlink()
    (site / "stray.txt").write_text("not ours", encoding="utf-8")
    result = build(project, site)
    assert result.written == 2
    assert files_of(site) == expected


def test_failed_build_keeps_the_site_and_the_next_good_build_is_incremental(project: Path, tmp_path: Path):
    from digest.errors import ContentError

    site = tmp_path / "site"
    build(project, site)
    before = files_of(site)
    broken = project / "topics" / "aid.yaml"
    good = broken.read_text(encoding="utf-8")
    broken.write_text("title: Aid\nmatch: [oops\n", encoding="utf-8")
    with pytest.raises(ContentError):
        build(project, site)
    assert files_of(site) == before
    broken.write_text(good.replace("Trucks and", "Lorries, trucks and"), encoding="utf-8")
    build(project, site)
    assert_same_as_clean(project, site, tmp_path)


def test_a_killed_build_leaves_the_site_and_the_next_build_succeeds(project: Path, tmp_path: Path):
    site = tmp_path / "site"
    build(project, site)
    before = files_of(site)
    (tmp_path / ".site.tmp-killed").mkdir()  # staging left by a build killed while writing
    (tmp_path / ".site.tmp-killed" / "index.html").write_text("half", encoding="utf-8")
    (project.parent / ".digest-cache" / ".passages.00.pickle.x.tmp").write_bytes(b"half")  # killed while saving the cache
    assert files_of(site) == before
    edit_article_title(project)
    build(project, site)
    assert not list(tmp_path.glob(".site.*"))
    assert_same_as_clean(project, site, tmp_path)


def test_a_build_killed_while_updating_in_place_leaves_whole_files_and_the_next_build_repairs_the_site(project: Path, tmp_path: Path, monkeypatch):
    import os

    site = tmp_path / "site"
    build(project, site)
    monkeypatch.setattr("digest.build.IN_PLACE_SHARE", 0)
    replace, calls = os.replace, []

    def killed_after_one(source, target):
        calls.append(target)
        if len(calls) > 1:
            raise KeyboardInterrupt  # as a Ctrl-C between two files
        replace(source, target)

    monkeypatch.setattr("digest.write.os.replace", killed_after_one)
    edit_article_title(project)
    with pytest.raises(KeyboardInterrupt):
        build(project, site)
    monkeypatch.setattr("digest.write.os.replace", replace)
    assert len(calls) == 2
    build(project, site)
    assert_same_as_clean(project, site, tmp_path)


# ------------------------------------------------------------ the cache


def cache_files(content: Path) -> list[Path]:
    return sorted(p for p in (content.parent / ".digest-cache").glob("*.pickle"))


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "other-version", "foreign-pickle", "wrong-entries"])
def test_a_damaged_cache_is_ignored_and_rebuilt(project: Path, tmp_path: Path, damage: str):
    from digest.cache import _atomic_pickle, _load_checked

    site = tmp_path / "site"
    build(project, site)
    assert cache_files(project)
    for path in cache_files(project):
        data = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "garbage":
            path.write_bytes(b"\x80\x05not a pickle at all" + os.urandom(64))
        elif damage == "empty":
            path.write_bytes(b"")
        elif damage == "other-version":  # well-formed, checksum and all, but of another build of digest
            with open(path, "rb") as f:
                record = _load_checked(f)
            record["salt"] = "0" * 32
            _atomic_pickle(path, record)
        elif damage == "foreign-pickle":
            path.write_bytes(pickle.dumps(["not", "a", "cache"]))
        elif damage == "wrong-entries":
            with open(path, "rb") as f:
                record = _load_checked(f)
            record["entries"] = {key: "nonsense" for key in record["entries"]} if isinstance(record["entries"], dict) else "nonsense"
            _atomic_pickle(path, record)
    (project.parent / ".digest-cache" / "someone-elses-file.bin").write_bytes(os.urandom(100))
    edit_article_body(project)
    build(project, site)
    assert_same_as_clean(project, site, tmp_path)
    result = build(project, site)  # and the rebuilt cache works
    assert result.written == 0


def test_cache_folder_that_is_a_file_means_building_without_a_cache(project: Path, tmp_path: Path):
    (project.parent / ".digest-cache").write_text("not a folder", encoding="utf-8")
    site = tmp_path / "site"
    build(project, site)
    edit_article_title(project)
    build(project, site)
    assert_same_as_clean(project, site, tmp_path)
    assert (project.parent / ".digest-cache").read_text(encoding="utf-8") == "not a folder"


def test_deleting_the_cache_only_costs_time(project: Path, tmp_path: Path):
    site = tmp_path / "site"
    build(project, site)
    before = mtimes(site)
    shutil.rmtree(project.parent / ".digest-cache")
    result = build(project, site)
    assert result.written == 0  # every file came out the same, so none was rewritten
    ours = lambda stamps: {p: t for p, t in stamps.items() if not p.startswith(("search/", "pagefind/"))}  # noqa: E731 - finalize's files are its own
    assert ours(mtimes(site)) == ours(before)


def test_cache_lives_beside_the_content_folder_and_is_git_ignored(project: Path, tmp_path: Path):
    build(project, tmp_path / "site")
    assert (project.parent / ".digest-cache").is_dir()
    assert ".digest-cache/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()


# ------------------------------------------------------- parallel builds


def test_jobs_1_and_jobs_2_build_identical_sites(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(digest.cache, "PARALLEL_MIN_ITEMS", 2)  # small project, real process pool
    content = make_project(tmp_path / "p", count=24)
    one, two = tmp_path / "one", tmp_path / "two"
    assert CliRunnerBuild(content, one, "--jobs", "1").exit_code == 0
    shutil.rmtree(content.parent / ".digest-cache")
    assert CliRunnerBuild(content, two, "--jobs", "2").exit_code == 0
    assert files_of(one) == files_of(two)
    edit_topic_rules(content)
    edit_article_body(content)
    build(content, two, jobs=2)
    build(content, one, jobs=1, use_cache=False)
    assert files_of(one) == files_of(two)


def CliRunnerBuild(content: Path, out: Path, *args: str):
    from click.testing import CliRunner

    return CliRunner().invoke(main, ["build", "--content", str(content), "--out", str(out), "--quiet", *args], catch_exceptions=False)


def test_cli_build_quiet_prints_nothing_and_summary_otherwise(project: Path, tmp_path: Path):
    quiet = CliRunnerBuild(project, tmp_path / "site")
    assert quiet.exit_code == 0 and quiet.stdout == ""
    from click.testing import CliRunner

    loud = CliRunner().invoke(main, ["build", "--content", str(project), "--out", str(tmp_path / "site")], catch_exceptions=False)
    assert loud.exit_code == 0
    assert "0 written" in loud.stdout and "disagreements" in loud.stdout
    assert "\x1b[" not in loud.output  # no progress bar when the output is not a terminal


def test_jobs_must_be_positive(project: Path, tmp_path: Path):
    assert CliRunnerBuild(project, tmp_path / "site", "--jobs", "0").exit_code == 2


# --------------------------------------------------------- search index


@pytest.mark.skipif(pagefind_executable() is None, reason="pagefind is not installed")
def test_search_index_is_reused_when_no_page_changed_and_rebuilt_when_one_did(project: Path, tmp_path: Path, monkeypatch, write_mode):
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    site = tmp_path / "site"
    build(project, site)
    index = sorted((site / "pagefind").rglob("*"))
    assert index and (site / "search" / "index.html").is_file()
    entry = (site / "pagefind" / "pagefind-entry.json").read_bytes()
    stamps = mtimes(site)
    touch_later(project / "site.yaml")  # built_at moves: digest.json changes, no page does
    result = build(project, site)
    assert result.written == 1
    assert {p: t for p, t in mtimes(site).items() if p != "digest.json"} == {p: t for p, t in stamps.items() if p != "digest.json"}
    edit_article_title(project)
    build(project, site)
    assert (site / "pagefind" / "pagefind-entry.json").read_bytes() != entry
    assert mtimes(site)["search/index.html"] == stamps["search/index.html"]  # the search page itself did not change


# ------------------------------------------- fast paths equal the reference


def test_files_read_again_for_being_modified_close_to_the_last_scan_are_trusted_by_stat_after_the_next(project: Path, monkeypatch):
    """A scan trusts a file's stat only when the file is older than the last scan by a margin; one that had to
    read files for that reason keeps its own time, so the scans after it do not read them all again."""
    import time

    from digest.build import _scan

    monkeypatch.setattr("digest.build.RACY_NS", 50_000_000)
    cache = Cache.beside(project)
    first = _scan(project, None, cache)
    time.sleep(0.1)  # the files are now older than the margin, but not older than the first scan by it
    assert inputs_hashed(project, cache) > 0
    _scan(project, None, cache)
    assert inputs_hashed(project, cache) == 0
    assert _scan(project, None, cache)[0] == first[0]


def test_a_scan_told_what_changed_looks_again_at_those_files_only_but_finds_every_file_added_or_removed(project: Path):
    """serve's previews: the watcher names what changed; the folders are still listed."""
    from digest.build import inputs_of

    before = inputs_of(project)
    edited, untold = project / "articles" / "a-05.md", project / "articles" / "a-06.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "More talks.\n", encoding="utf-8")
    untold.write_text(untold.read_text(encoding="utf-8") + "Unseen.\n", encoding="utf-8")
    add_article(project)
    remove_article(project)

    told = inputs_of(project, None, before[2], {str(edited.absolute())})

    assert told[3] == 2  # the edited file and the added one are read; no other file is looked at
    assert told[2][str(edited)][1] == inputs_of(project)[2][str(edited)][1]
    assert told[2][str(untold)] == before[2][str(untold)]
    assert str(project / "articles" / "a-99.md") in told[2] and str(project / "articles" / "a-07.md") not in told[2]
    assert told[0] != inputs_of(project, None, before[2], set())[0]


def inputs_hashed(content: Path, cache: Cache) -> int:
    from digest.build import _valid_scan, inputs_of

    known = next(cache.read_record(path.stem) for path in cache.folder.glob("inputs-*.pickle"))
    assert _valid_scan(known)
    return inputs_of(content, None, known)[3]


def test_built_at_is_the_newest_content_modification(project: Path, tmp_path: Path):
    import json

    site = tmp_path / "site"
    build(project, site)
    stamp = dt.datetime(2025, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc).timestamp()
    for path in project.rglob("*"):
        os.utime(path, (stamp, stamp))
    build(project, site)
    assert json.loads((site / "digest.json").read_text(encoding="utf-8"))["site"]["built_at"] == "2025-05-06T07:08:09+00:00"


LINES = st.sampled_from(
    [
        "", "", "", "Plain words, with commas; and 12 numbers.", "Another plain line (with brackets) and 'quotes'.",
        "Tail with # hash and - dash and + plus = equals", "## A heading", "Heading text", "===", "---", "***",
        "- item one", "* item two", "+ item three", "1. first", "2) second", "2024. a year", "  indented two",
        "    indented code", "\tTabbed", "> quoted", "A *stressed* word", "An _under_ word", "`code` span",
        "[link](https://example.org)", "[ref]", "[ref]: https://example.org", "```", "~~~", "<b>html</b>",
        "a & b", "&amp; entity", "back\\slash", "trailing two  ", "trailing one ", "\u00a0nbsp lead", "x\u00a0y",
        "Wait! A bang.", "ends with colon:", "| pipe | table |", "50% said <3", "Dr. Smith, 41, said",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=14))
def test_split_fast_path_gives_the_passages_of_a_whole_article_parse(lines):
    body = "\n".join(lines).strip("\n")
    article = Article("s", "T", "S", "https://x", dt.date(2025, 1, 1), body, Path("s.md"))
    reference: list[Passage] = []
    _parse_blocks("s", body.split("\n"), reference)
    assert split_passages(article, CleaningRules()) == reference


def test_split_fast_path_equals_markdown_it_on_the_example_and_a_generated_corpus(tmp_path: Path):
    from digest.load import load_content

    checked = 0
    for content in (REPO / "content", make_project(tmp_path, count=40)):
        loaded, _ = load_content(content)
        for article in loaded.articles:
            if article.format != "md":
                continue
            reference: list[Passage] = []
            _parse_blocks(article.slug, article.body.split("\n"), reference)
            assert split_passages(article, CleaningRules()) == reference, article.slug
            checked += 1
    assert checked > 40


def test_the_record_of_a_site_updated_in_place_is_what_a_fresh_look_at_it_finds(project: Path, tmp_path: Path, monkeypatch):
    from digest.write import snapshot, update_in_place

    site = tmp_path / "site"
    build(project, site)
    before = snapshot(site)
    obsolete = ["articles/a-01/index.html"]
    written = {"articles/a-02/index.html": b"changed", "articles/new/index.html": b"new"}

    def finalize(folder: Path, wrote: set[str]) -> set[str]:
        (folder / "extra").mkdir()
        (folder / "extra" / "file").write_bytes(b"x")
        return {"extra"}

    report = update_in_place(written, site, obsolete, finalize, manifest=before)
    assert report.manifest == snapshot(site)
    assert not (site / "articles" / "a-01").exists()
    assert report.written == 2


def test_a_topic_taken_from_the_cache_still_reports_its_warnings(project: Path, tmp_path: Path):
    topic = project / "topics" / "aid.yaml"
    topic.write_text(topic.read_text(encoding="utf-8") + "pin: [a-03#99]\n", encoding="utf-8")
    site = tmp_path / "site"
    first = build(project, site, jobs=1)
    edit_article_body(project)  # not a no-op, but the aid topic's inputs may be unchanged
    second = build(project, site, jobs=1)
    assert [w.code for w in first.warnings if w.code == "missing-pin"] == ["missing-pin"]
    assert [(w.code, w.message) for w in second.warnings if w.code == "missing-pin"] == [(w.code, w.message) for w in first.warnings if w.code == "missing-pin"]


def test_a_cache_file_with_a_changed_byte_is_rebuilt_not_trusted(project: Path, tmp_path: Path):
    """A changed letter inside a cached fragment still unpickles: the checksum catches it, and the entry is made again."""
    site = tmp_path / "site"
    build(project, site, jobs=1)
    edit_article_body(project)  # so the next build reads the cached fragments of the pages it renders again
    rng = random.Random(11)
    damaged = 0
    for shard in sorted((project.parent / ".digest-cache").glob("*.pickle")):
        data = bytearray(shard.read_bytes())
        letters = [i for i in range(64, len(data)) if 97 <= data[i] <= 122]
        if letters:
            i = rng.choice(letters)
            data[i] = 97 + (data[i] - 97 + 1) % 26  # another letter: the pickle stays well-formed
            shard.write_bytes(bytes(data))
            damaged += 1
    assert damaged > 5
    build(project, site, jobs=1)
    assert_same_as_clean(project, site, tmp_path)


@pytest.mark.skipif(pagefind_executable() is None, reason="pagefind is not installed")
@pytest.mark.parametrize("path", ["update_in_place", "write_site"])
def test_a_build_killed_while_it_writes_is_followed_by_a_build_equal_to_a_clean_one(tmp_path: Path, monkeypatch, path: str):
    """Killed after the pages are written but before the search index (nothing of a killed process runs after:
    here an exception no `except Exception` catches, and the cache is not saved): the next build trusts nothing
    the killed one left, so its search index is not stale for good."""
    import digest.build

    monkeypatch.delenv("PAGEFIND_BINARY_PATH")  # with the real search index, which a killed build must not leave stale
    project = make_project(tmp_path / "project", count=80)  # big enough that one article's edit is written in place
    site = tmp_path / "site"
    build(project, site, jobs=1)
    if path == "write_site":
        for article in sorted((project / "articles").glob("*.md"))[:30]:  # enough changed pages that the site is restaged
            article.write_text(article.read_text(encoding="utf-8") + "\nA new paragraph about aid convoys.\n", encoding="utf-8")
    else:
        edit_article_body(project)
    real = getattr(digest.build, path)

    def killed(*args, finalize, **kwargs):
        def stop(*_):
            raise KeyboardInterrupt("killed while indexing")

        return real(*args, finalize=stop, **kwargs)

    monkeypatch.setattr(digest.build, path, killed)
    with pytest.raises(KeyboardInterrupt):
        build(project, site, jobs=1)
    monkeypatch.setattr(digest.build, path, real)
    build(project, site, jobs=1)
    assert_same_as_clean(project, site, tmp_path)
    assert build(project, site, jobs=1).written == 0
