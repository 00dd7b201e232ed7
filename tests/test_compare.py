"""Comparison rules from SPEC "What disagree means": tolerance, severity, corroboration, explanations."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from digest.analyse import compare_values, corroborations, explain_error
from digest.model import FigureSpec, FigureValue

SPEC = FigureSpec(id="killed", label="People killed", terms=["killed"])


def value(source: str, number: float | None, low: float | None = None, high: float | None = None, day: int = 20) -> FigureValue:
    return FigureValue(
        figure="killed",
        article=source.lower(),
        source=source,
        passage=1,
        anchor="p1-n1",
        value=number,
        low=number if low is None else low,
        high=number if high is None else high,
        stated=str(number),
        qualifier="",
        as_of=dt.date(2024, 12, day),
        attributed_to="",
        sentence="...",
    )


def test_values_within_tolerance_agree():
    assert compare_values(SPEC, [value("A", 1000), value("B", 1040)]) == []


def test_values_beyond_tolerance_differ():
    [d] = compare_values(SPEC, [value("A", 1000), value("B", 1100)])
    assert (d.severity, d.figure, [p.source for p in d.positions]) == ("differs", "killed", ["A", "B"])


def test_custom_tolerance_is_respected():
    loose = FigureSpec(id="killed", label="x", terms=["killed"], tolerance=0.2)
    assert compare_values(loose, [value("A", 1000), value("B", 1150)]) == []


def test_values_of_one_source_are_never_compared_with_each_other():
    assert compare_values(SPEC, [value("A", 1000), value("A", 5000)]) == []


@pytest.mark.parametrize("low, high, severity", [(1000, 4900, "differs"), (1000, 5000, "probable-error"), (45317, 445581, "probable-error")])
def test_a_ratio_of_five_or_more_is_a_probable_error(low, high, severity):
    [d] = compare_values(SPEC, [value("A", low), value("B", high)])
    assert d.severity == severity


def test_an_extra_digit_is_explained_by_the_other_value():
    assert explain_error(445581, 45317, 0.05) == "445,581: likely 45,581 with an extra digit"


def test_a_power_of_ten_is_explained_and_an_unexplained_gap_is_not():
    assert explain_error(12000, 1200, 0.05) == "12,000: likely 1,200 with an extra digit"
    assert explain_error(1_200_000, 1200, 0.05) == "1,200,000: likely off by a factor of 1,000"
    assert explain_error(70000, 1000, 0.05) == ""


def test_vague_range_disagrees_only_with_points_outside_it():
    dozens = value("A", None, low=24, high=99)
    assert compare_values(SPEC, [dozens, value("B", 60)]) == []
    [d] = compare_values(SPEC, [dozens, value("B", 1200)])
    assert d.severity == "differs"


def test_two_vague_ranges_are_never_compared():
    assert compare_values(SPEC, [value("A", None, 24, 99), value("B", None, 1000, 9999)]) == []


def test_two_sources_within_tolerance_are_corroborated():
    [c] = corroborations(SPEC, [value("A", 1200), value("B", 1200), value("C", 45000)])
    assert (c.value, c.sources) == (1200, ["A", "B"])


def test_one_source_alone_is_not_corroboration():
    assert corroborations(SPEC, [value("A", 1200), value("A", 1200)]) == []


def test_resolved_disagreement_is_shown_as_resolved_with_its_note(project):
    project.article("a", "Officials said at least 445,581 people were killed in the city.\n", source="Alpha")
    project.article("b", "Officials said over 45,317 people were killed in the city.\n", source="Beta")
    project.topic(
        "t",
        """
        title: Toll
        match:
          any: [killed]
        figures:
          - id: killed
            terms: [killed]
        resolved:
          - figure: killed
            article: a
            note: 445,581 is a typo for 45,581; Alpha corrected it later.
        """,
    )
    assert project.run("build").exit_code == 0
    page = project.page("topics/t/index.html")
    assert "Resolved" in page and "445,581 is a typo for 45,581" in page
    assert "0 disagreements · 1 resolved" in page
    data = json.loads(project.page("digest.json"))
    assert data["topics"][0]["disagreements"][0]["resolution"].startswith("445,581 is a typo")


def test_resolution_for_an_unknown_figure_is_an_error(project):
    project.article("a", "Text.\n")
    project.topic("t", "title: T\nfigures:\n  - id: killed\n    terms: [killed]\nresolved:\n  - figure: kiled\n    note: x\n")
    result = project.run("check")
    assert result.exit_code == 1
    assert "t.yaml:6:13: error: unknown figure `kiled`" in result.stderr and "did you mean `killed`?" in result.stderr
