"""Hostile and broken input: every fixture in fixtures/hostile/ ends as its expected.yaml says,
never with a traceback; plus property tests for the parts that read arbitrary text."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import string
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Project
from digest.errors import ContentError
from digest.load import load_content, slug_for
from digest.numbers import find_mentions
from digest.write import UnsafePath, contained
from digest.yamlpos import parse_yaml

FIXTURES = Path(__file__).parent / "fixtures" / "hostile"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def copy_case(name: str, root: Path) -> Project:
    shutil.copytree(FIXTURES / name / "content", root / "content", dirs_exist_ok=True)
    project = Project.__new__(Project)
    project.root, project.content, project.site = root, root / "content", root / "site"
    return project


def assert_refused(project, message: str) -> None:
    """The build stops with exit 1 and `message`, and publishes nothing."""
    result = project.run("build")
    assert_clean_run(result)
    assert result.exit_code == 1
    assert message in result.stderr
    assert not project.site.exists()


def assert_clean_run(result) -> None:
    assert "Traceback" not in result.stderr + result.stdout
    assert "internal error" not in result.stderr


@pytest.mark.parametrize("case", CASES)
def test_hostile_fixture_has_its_expected_outcome(case, tmp_path):
    expected = yaml.safe_load((FIXTURES / case / "expected.yaml").read_text())
    project = copy_case(case, tmp_path)
    result = project.run("build")
    assert_clean_run(result)
    assert result.exit_code == expected["exit"], result.stderr
    for text in expected.get("stderr", []):
        assert text in result.stderr
    for page in expected.get("pages", []):
        html = project.page(page)
        for forbidden in expected.get("never", []):
            assert forbidden not in html, (page, forbidden)
    for page, texts in expected.get("contains", {}).items():
        for text in texts:
            assert text in project.page(page)
    if expected["exit"] != 0:
        assert not project.site.exists()


def test_huge_file_is_refused_with_a_message(project):
    path = project.article("huge", "word " * 10)
    with path.open("a") as f:
        f.write("x" * (21 * 1024 * 1024))
    result = project.run("build")
    assert_clean_run(result)
    assert result.exit_code == 1
    assert "content/articles/huge.md:1:1: error: file is 21 MB; content files are limited to 20 MB" in result.stderr


def test_symlink_out_of_the_content_folder_is_refused(project, tmp_path_factory):
    secret = tmp_path_factory.mktemp("outside") / "secret.md"
    secret.write_text("---\ntitle: T\nsource: S\nurl: https://example.org/s\npublished: 2024-12-20\n---\nSECRET\n")
    os.symlink(secret, project.content / "articles" / "link.md")
    result = project.run("build")
    assert_clean_run(result)
    assert result.exit_code == 1
    assert "content/articles/link.md:1:1: error: symbolic link points outside the content folder" in result.stderr


def test_killed_build_leaves_previous_site_and_next_build_recovers(project):
    project.article("a", "Talks.\n")
    project.topic("t", "title: T\nmatch:\n  any: [talks]\n")
    assert project.run("build").exit_code == 0
    before = project.page("index.html")
    # What a SIGKILL between the two renames of the swap leaves behind: the old site moved aside, a staging folder.
    project.site.rename(project.root / ".site.old-killed")
    (project.root / ".site.tmp-killed").mkdir()
    (project.root / ".site.tmp-killed" / "index.html").write_text("half")
    assert project.run("build").exit_code == 0
    assert project.page("index.html") == before
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith(".site")) == []


def test_internal_failure_is_one_line_without_traceback(project, monkeypatch):
    project.article("a", "Talks.\n")

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("digest.cli.run_build", broken)
    result = project.run("build")
    assert result.exit_code == 3
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "internal error (RuntimeError: boom)" in result.stderr
    assert "Traceback" in project.run("--debug", "build").stderr


# ---------------------------------------------------------------- properties


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_number_extractor_never_raises(text):
    for mention in find_mentions(text, dt.date(2024, 12, 20)):
        assert mention.low <= mention.high


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_yaml_reader_raises_only_content_errors(text):
    try:
        parse_yaml(text, Path("t.yaml"))
    except ContentError as exc:
        assert all(d.position.line >= 1 for d in exc.diagnostics)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=string.printable + "éü—“”\u202e"))
def test_article_loader_raises_only_content_errors(tmp_path_factory, text):
    root = tmp_path_factory.mktemp("prop")
    (root / "content" / "articles").mkdir(parents=True)
    (root / "content" / "articles" / "a.md").write_text(text, encoding="utf-8")
    try:
        load_content(root / "content")
    except ContentError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_slugs_never_hold_path_separators_or_dot_dot(name):
    slug = slug_for(name)
    assert "/" not in slug and "\\" not in slug and ".." not in slug
    assert slug == "" or set(slug) <= set(string.ascii_lowercase + string.digits + "-")


@pytest.mark.parametrize("path", ["../x", "a/../../x", "/etc/passwd", "a\\..\\x", "", "a/\x00"])
def test_output_paths_cannot_leave_the_output_folder(path, tmp_path):
    with pytest.raises(UnsafePath):
        contained(tmp_path, path)


@pytest.mark.parametrize("published", ["2025-02-30", "2025-13-01", "0000-01-01", "2025-01-01T25:00:00Z", "2025-01-01T10:00:00+25:00"])
def test_an_impossible_date_is_a_positioned_error_not_a_crash(project, published):
    project.article("a", "Ten people were killed.\n", published=published)
    project.topic("t", "title: T\nmatch:\n  any: [killed]\n")
    result = project.run("build")
    assert_clean_run(result)
    assert result.exit_code == 1
    assert f"a.md:5:12: error: `{published}` is not a valid date" in result.stderr
    assert "hint: write a real date" in result.stderr


def test_a_number_too_large_for_a_float_is_not_a_figure(project):
    project.article("a", "Then 1" + "0" * 309 + " people were killed, and 12 more.\n")
    project.topic("t", "title: T\nmatch:\n  any: [killed]\nfigures:\n  - id: k\n    terms: [killed]\n")
    result = project.run("build")
    assert_clean_run(result)
    assert result.exit_code == 0


def test_a_base_url_that_is_not_http_is_refused_in_site_yaml(project):
    project.write("site.yaml", 'title: T\nbase_url: "javascript:alert(1)"\n')
    project.article("a", "Text.\n")
    result = project.run("build")
    assert result.exit_code == 1
    assert "site.yaml:2:11: error: `base_url` has an unexpected form" in result.stderr
    assert not project.site.exists()


def test_a_base_url_option_that_is_not_http_is_a_usage_error(project):
    project.article("a", "Text.\n")
    result = project.run("build", "--base-url", "javascript:alert(1)")
    assert result.exit_code == 2
    assert "is not an http(s) address" in result.stderr


@pytest.mark.parametrize("linked", ["site.yaml", "articles", "topics", "articles/raw.yaml"])
def test_an_input_linked_from_outside_the_project_is_refused(project, tmp_path, linked):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("title: secret\nsource: S\nurl: https://e.org/s\npublished: 2025-01-01\n")
    project.article("a", "Ten people were killed.\n")
    (project.content / "articles" / "raw.txt").write_text("Some raw text.\n")
    (project.content / "articles" / "raw.yaml").write_text("title: R\nsource: S\nurl: https://e.org/r\npublished: 2025-01-01\n")
    project.topic("t", "title: T\nmatch:\n  any: [killed]\n")
    target = project.content / linked
    if target.is_dir():
        shutil.copytree(target, outside / linked)
        shutil.rmtree(target)
        target.symlink_to(outside / linked, target_is_directory=True)
    else:
        target.unlink(missing_ok=True)
        target.symlink_to(outside / "secret.yaml")
    assert_refused(project, f"content/{linked}:1:1: error: symbolic link points outside the content folder")


def test_a_pattern_that_backtracks_without_end_is_stopped_with_a_positioned_error(project):
    project.article("a", "Intro.\n\n" + "a" * 40 + "!\n")
    project.topic("t", "title: T\nmatch:\n  any: [killed, '/(a|aa)+$/']\n")
    result = project.run("build", "--jobs", "2")
    assert_clean_run(result)
    assert result.exit_code == 1
    assert "t.yaml:3:17: error: the pattern /(a|aa)+$/ ran for more than 1 s on" in result.stderr
    assert "a.md passage 2" in result.stderr and "slow-pattern" not in result.stderr
    assert "hint: it backtracks without end" in result.stderr


def test_a_regular_pattern_still_matches_in_worker_processes(project):
    for i in range(4):
        project.article(f"a{i}", "The ceasefire talks resumed in Doha.\n")
    project.topic("t", "title: T\nmatch:\n  any: ['/cease-?fire/']\n")
    assert project.run("build", "--jobs", "2").exit_code == 0
    assert "ceasefire talks" in project.page("topics/t/index.html")


def test_a_full_disk_is_a_plain_error_not_a_bug(project, monkeypatch):
    import errno

    import digest.build

    project.article("a", "Ten people were killed.\n")
    assert project.run("build").exit_code == 0
    before = {p: p.read_bytes() for p in project.site.rglob("*") if p.is_file()}
    project.article("a", "Twelve people were killed.\n")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(project.site))

    monkeypatch.setattr(digest.build, "write_site", full)
    monkeypatch.setattr(digest.build, "update_in_place", full)
    result = project.run("build")
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr and "hint: free some disk space" in result.stderr
    assert "internal error" not in result.stderr
    assert {p: p.read_bytes() for p in project.site.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("place", ["static/passwd", "templates/base.html", "static/linked"])
def test_a_theme_file_linked_from_outside_the_project_is_refused(project, tmp_path_factory, place):
    secret = tmp_path_factory.mktemp("outside") / "secret"  # the project is its own tmp_path
    secret.mkdir(parents=True)
    (secret / "passwd").write_text("root:x:0:0\n")
    project.write("site.yaml", "title: T\ntheme: mine\n")
    project.article("a", "Ten people were killed.\n")
    link = project.root / "themes" / "mine" / place
    link.parent.mkdir(parents=True)
    link.symlink_to(secret if place.endswith("linked") else secret / "passwd")
    assert_refused(project, f"themes/mine/{place}:1:1: error: symbolic link points outside the project")


def test_an_articles_remote_image_is_a_link_not_an_image(project):
    project.article("a", "Ten people were killed.\n\n![Map of the city](https://tracker.example/pixel.png)\n")
    assert project.run("build").exit_code == 0
    page = project.page("articles/a/index.html")
    assert "<img" not in page
    assert '<a class="image-link" href="https://tracker.example/pixel.png">image: Map of the city</a>' in page


def test_a_site_can_allow_images_and_a_rebuild_shows_them(project):
    project.article("a", "Ten people were killed.\n\n![Map of the city](https://tracker.example/pixel.png)\n")
    assert project.run("build").exit_code == 0
    project.write("site.yaml", "title: T\nremote_images: true\n")
    assert project.run("build").exit_code == 0
    assert '<img src="https://tracker.example/pixel.png" alt="Map of the city"' in project.page("articles/a/index.html")
