"""Loading articles, topics and site settings: what is accepted, and how mistakes are reported."""

from __future__ import annotations

import datetime as dt

import pytest

from digest.errors import ContentError
from digest.load import load_content


def codes(exc: ContentError) -> list[str]:
    return [d.code for d in exc.diagnostics]


def only_problem(project):
    """Load the project, expecting exactly one error."""
    with pytest.raises(ContentError) as exc:
        load_content(project.content)
    [problem] = exc.value.diagnostics
    return problem


def test_markdown_article_with_front_matter_is_loaded(project):
    project.article("wire-one", "First paragraph.\n\nSecond paragraph.\n", title="Talks resume", source="Wire")
    content, _ = load_content(project.content)
    [article] = content.articles
    assert (article.slug, article.title, article.source, article.published) == ("wire-one", "Talks resume", "Wire", dt.date(2024, 12, 20))
    assert article.body.startswith("First paragraph.")


def test_raw_text_article_takes_metadata_from_sidecar(project):
    project.write("articles/scraped.txt", "Some headline\n\nBody line.\n")
    project.write("articles/scraped.yaml", "title: Some headline\nsource: Daily\nurl: https://example.org/x\npublished: 2024-12-21\n")
    content, _ = load_content(project.content)
    [article] = content.articles
    assert (article.slug, article.format, article.source) == ("scraped", "txt", "Daily")


def test_raw_text_without_sidecar_is_an_error_naming_the_file(project):
    project.write("articles/scraped.txt", "Body\n")
    with pytest.raises(ContentError) as exc:
        load_content(project.content)
    assert "scraped.txt" in str(exc.value) and "scraped.yaml" in str(exc.value)


def test_missing_required_front_matter_field_is_reported_with_position(project):
    project.write("articles/a.md", "---\ntitle: T\nsource: S\npublished: 2024-12-20\n---\nBody\n")
    problem = only_problem(project)
    assert problem.format().startswith(f"{project.content / 'articles/a.md'}:2:1: error: missing required field `url`")


def test_unknown_key_in_topic_suggests_the_known_one(project):
    project.article("a", "Text.\n")
    project.topic("t", "title: T\nsumary: oops\n")
    problem = only_problem(project)
    assert (problem.position.line, problem.position.col) == (2, 1)
    assert "unknown key `sumary`" in problem.message and "summary" in problem.hint


def test_wrong_type_is_reported_at_the_value(project):
    project.article("a", "Text.\n")
    project.topic("t", "title: T\norder: first\n")
    problem = only_problem(project)
    assert (problem.position.line, problem.position.col, problem.code) == (2, 8, "wrong-type")
    assert "whole number" in problem.message


def test_unknown_article_slug_in_claim_suggests_the_closest(project):
    project.article("ledger-team-returns", "Text.\n")
    project.topic("t", "title: T\nclaims:\n  - text: X\n    sources: [ledger-team-return]\n")
    problem = only_problem(project)
    assert (problem.position.line, problem.code) == (4, "unknown-article")
    assert "ledger-team-returns" in problem.hint


def test_duplicate_figure_ids_are_an_error_at_the_second(project):
    project.article("a", "Text.\n")
    project.topic("t", "title: T\nfigures:\n  - id: killed\n    terms: [killed]\n  - id: killed\n    terms: [dead]\n")
    problem = only_problem(project)
    assert (problem.position.line, problem.code) == (5, "duplicate-figure")


def test_bad_regular_expression_in_match_is_an_error(project):
    project.article("a", "Text.\n")
    project.topic("t", "title: T\nmatch:\n  any: [\"/kill(ed/\"]\n")
    with pytest.raises(ContentError) as exc:
        load_content(project.content)
    assert codes(exc.value) == ["bad-pattern"]


def test_broken_yaml_syntax_is_reported_at_its_line(project):
    project.article("a", "Text.\n")
    project.topic("t", "title: T\nmatch:\n  any: [killed, wounded\n")
    problem = only_problem(project)
    assert problem.code == "yaml-syntax" and problem.position.line >= 3


def test_every_error_is_reported_not_just_the_first(project):
    project.write("articles/a.md", "---\ntitle: T\n---\nBody\n")
    project.topic("t", "titel: T\n")
    with pytest.raises(ContentError) as exc:
        load_content(project.content)
    assert len(exc.value.diagnostics) >= 4  # source, url, published missing; topic title missing + unknown key


def test_two_files_with_one_slug_is_an_error_naming_both(project):
    project.article("same", "Text.\n")
    project.write("articles/same.txt", "Text\n")
    project.write("articles/same.yaml", "title: T\nsource: S\nurl: https://example.org/s\npublished: 2024-12-20\n")
    with pytest.raises(ContentError) as exc:
        load_content(project.content)
    message = str(exc.value)
    assert "same.md" in message and "same.txt" in message


def test_topics_are_sorted_by_order_then_slug(project):
    project.article("a", "Text.\n")
    project.topic("b", "title: B\norder: 1\n")
    project.topic("a", "title: A\norder: 2\n")
    project.topic("c", "title: C\norder: 1\n")
    content, _ = load_content(project.content)
    assert [t.slug for t in content.topics] == ["b", "c", "a"]


def test_site_settings_are_read(project):
    project.write("site.yaml", "title: My digest\nbase_url: https://user.github.io/repo/\n")
    project.article("a", "Text.\n")
    content, _ = load_content(project.content)
    assert (content.site.title, content.site.base_url) == ("My digest", "https://user.github.io/repo/")


def test_yaml_aliases_are_refused(project):
    project.article("a", "Text.\n")
    project.topic("t", "title: T\nmatch:\n  any: &words [killed]\n  all: *words\n")
    with pytest.raises(ContentError) as exc:
        load_content(project.content)
    assert codes(exc.value) == ["yaml-alias"]


def test_a_figure_takes_its_trend_and_window(project):
    project.article("a", "Text.\n")
    project.topic("t", "title: T\nfigures:\n  - id: held\n    terms: [hostages]\n    trend: level\n    window: 2w\n  - id: killed\n    terms: [killed]\n")
    from digest.load import load_content

    content, _ = load_content(project.content)
    assert [(f.trend, f.window) for f in content.topics[0].figures] == [("level", 14), ("cumulative", 3)]


def test_an_unknown_trend_is_a_positioned_error_with_a_suggestion(project):
    project.article("a", "Text.\n")
    project.topic("t", "title: T\nfigures:\n  - id: held\n    terms: [hostages]\n    trend: levels\n")
    result = project.run("check")
    assert result.exit_code == 1
    assert "t.yaml:5:12: error: `figures[0].trend` must be one of cumulative, level, fixed, got 'levels'" in result.stderr
    assert "did you mean `level`?" in result.stderr


def test_a_window_of_the_wrong_form_says_how_to_write_one(project):
    project.article("a", "Text.\n")
    project.topic("t", "title: T\nfigures:\n  - id: held\n    terms: [hostages]\n    trend: level\n    window: 3 days\n")
    result = project.run("check")
    assert result.exit_code == 1
    assert "t.yaml:6:13: error:" in result.stderr and "e.g. 3d or 2w" in result.stderr


def test_a_window_without_a_level_trend_is_an_error(project):
    project.article("a", "Text.\n")
    project.topic("t", "title: T\nfigures:\n  - id: killed\n    terms: [killed]\n    window: 3d\n")
    result = project.run("check")
    assert result.exit_code == 1
    assert "t.yaml:5:13: error: `window` applies to `trend: level` only" in result.stderr


def test_two_topic_files_with_one_slug_are_an_error(project):
    project.article("a", "Ten people were killed.\n")
    project.topic("Flood Impact", "title: A\n")
    project.topic("flood-impact", "title: B\n")
    result = project.run("check")
    assert result.exit_code == 1
    assert "flood-impact.yaml:1:1: error: slug `flood-impact` is also used by" in result.stderr
