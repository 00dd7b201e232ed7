"""Every kind of curator mistake is reported at its line and column with a hint,
by `digest build` and `digest check` alike, and a failed build leaves site/ untouched."""

from __future__ import annotations

import pytest

GOOD_TOPIC = "title: Figures\nmatch:\n  any: [killed]\nfigures:\n  - id: killed\n    terms: [killed]\n"

MISTAKES = {
    "broken YAML syntax": ("topics/t.yaml", "title: T\nmatch:\n  any: [killed\n", "content/topics/t.yaml:4:1: error: invalid YAML", "check indentation"),
    "unknown key": ("topics/t.yaml", "title: T\nsumary: x\n", "content/topics/t.yaml:2:1: error: unknown key `sumary`", "did you mean `summary`?"),
    "wrong type": ("topics/t.yaml", "title: T\norder: first\n", "content/topics/t.yaml:2:8: error: `order` must be a whole number, got str", "for example: order: 3"),
    "unknown article slug": ("topics/t.yaml", "title: T\nclaims:\n  - text: X\n    sources: [alpha-reprot]\n", "content/topics/t.yaml:4:15: error: unknown article `alpha-reprot`", "did you mean `alpha-report`?"),
    "duplicate figure id": ("topics/t.yaml", GOOD_TOPIC + "  - id: killed\n    terms: [dead]\n", "content/topics/t.yaml:7:9: error: duplicate figure id `killed` (first at line 5)", "give each figure its own id"),
    "bad pattern": ("topics/t.yaml", "title: T\nmatch:\n  any: ['/kill(ed/']\n", "content/topics/t.yaml:3:9: error: bad regular expression 'kill(ed'", "escape special characters"),
    "missing article field": ("articles/beta.md", "---\ntitle: Beta\nsource: Beta Wire\npublished: 2024-12-21\n---\nKilled.\n", "content/articles/beta.md:2:1: error: missing required field `url`", "add `url: ...`"),
    "article date in words": ("articles/beta.md", "---\ntitle: Beta\nsource: Beta Wire\nurl: https://example.org/b\npublished: Dec 21\n---\nKilled.\n", "content/articles/beta.md:5:12: error: `published` must be a date", "2024-12-20"),
}


@pytest.fixture
def built(project):
    project.article("alpha-report", "Ten people were killed.\n", source="Alpha")
    project.topic("t", GOOD_TOPIC)
    assert project.run("build").exit_code == 0
    return project


def snapshot(project):
    return {p: p.read_bytes() for p in project.site.rglob("*") if p.is_file()}


@pytest.mark.parametrize("mistake", MISTAKES)
@pytest.mark.parametrize("command", ["build", "check"])
def test_mistake_is_reported_at_its_position_with_a_hint(built, mistake, command):
    path, text, message, hint = MISTAKES[mistake]
    built.write(path, text)
    before = snapshot(built)
    result = built.run(command)
    assert result.exit_code == 1
    assert message in result.stderr
    assert hint in result.stderr
    assert snapshot(built) == before
