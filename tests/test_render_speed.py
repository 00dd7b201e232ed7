"""What makes re-rendering cheap stays correct: page keys count only what a page shows (equal key,
equal bytes; a page that does not change keeps its key), and big pages re-render only the fragments
that changed, with the same bytes as rendering everything. (Speed itself lives in bench/.)"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from digest.analyse import analyse
from digest.build import build
from digest.cache import Cache
from digest.load import load_content
from digest.render import SiteRenderer, digest_data
from test_incremental import EDITS, assert_same_as_clean, edit_article_body, make_project


BUILT_AT = dt.datetime(2025, 3, 4, 5, 6, 7, tzinfo=dt.timezone.utc)


def renderer_of(content: Path, cache: Cache | None = None) -> SiteRenderer:
    loaded, _ = load_content(content)
    digest, _ = analyse(loaded, built_at=BUILT_AT)  # fixed: two renderers made a second apart must not differ by the clock
    return SiteRenderer(digest, cache=cache)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


@pytest.mark.parametrize("edit", EDITS, ids=lambda f: f.__name__)
def test_equal_keys_mean_equal_bytes_after_every_kind_of_edit(project: Path, edit):
    before = renderer_of(project)
    keys, files = before.keys(), before.render()
    edit(project)
    after = renderer_of(project)
    new_keys, new_files = after.keys(), after.render()
    assert [path for path, key in new_keys.items() if keys.get(path) == key and files[path] != new_files[path]] == []


def test_an_article_edit_keeps_the_keys_of_the_topic_pages_it_does_not_change(project: Path):
    before = renderer_of(project)
    keys, files = before.keys(), before.render()
    edit_article_body(project)
    after = renderer_of(project)
    new_keys, new_files = after.keys(), after.render()
    topics = [path for path in new_keys if path.startswith("topics/")]
    assert any(files[path] != new_files[path] for path in topics)
    assert [path for path in topics if files[path] == new_files[path] and keys[path] != new_keys[path]] == []


def test_keys_do_not_depend_on_how_the_content_folder_is_spelt(project: Path, monkeypatch):
    absolute = renderer_of(project.absolute()).keys()
    monkeypatch.chdir(project.parent)
    relative = renderer_of(Path("content")).keys()
    assert relative == absolute


def test_a_changed_page_renders_only_its_changed_fragments(project: Path, tmp_path: Path, monkeypatch):
    site = tmp_path / "site"
    build(project, site, jobs=1)
    rendered: list[str] = []
    original = SiteRenderer.passage_items
    monkeypatch.setattr(SiteRenderer, "passage_items", lambda self, passages: rendered.extend(p.article for p in passages) or original(self, passages))
    edit_article_body(project)
    build(project, site, jobs=1)
    assert set(rendered) == {"a-05"}  # the other articles' passages come from the cache
    assert_same_as_clean(project, site, tmp_path)


def test_digest_json_is_the_compact_dump_of_the_digest_data_also_from_cached_fragments(project: Path, tmp_path: Path):
    cache = Cache(tmp_path / "cache")
    first = renderer_of(project, cache)
    first.keys()
    first.render(["digest.json"])
    cache.save()
    edit_article_body(project)
    again = renderer_of(project, Cache(tmp_path / "cache"))
    data = again.render(["digest.json"])["digest.json"]
    assert data == (json.dumps(digest_data(again.digest), ensure_ascii=False, separators=(",", ":")) + "\n").encode()
