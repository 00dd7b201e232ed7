"""Comparison rules from SPEC "What disagree means" and "Figures move over time: compare like with like":
trends, tolerance, outliers, counting bodies, estimates, severity, corroboration, explanations."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.compare import compare_figure, explain_error
from digest.model import FigureSpec, FigureValue

SPEC = FigureSpec(id="killed", label="People killed", terms=["killed"])
FIXED = FigureSpec(id="killed", label="People killed on the first day", terms=["killed"], trend="fixed")
LEVEL = FigureSpec(id="held", label="Hostages still held", terms=["hostages"], trend="level", window=3)
START = dt.date(2024, 1, 1)


def value(source: str, number: float | None, low: float | None = None, high: float | None = None, day: int = 20, *, qualifier: str = "", body: str = "", status: str = "", article: str | None = None, stated: str | None = None) -> FigureValue:
    """A value as the analysis finds it: `day` counts from 1 January 2024 (day 20 is 20 January)."""
    return FigureValue(
        figure="killed",
        article=article or f"{source.lower()}-{day}",
        source=source,
        passage=1,
        anchor="p1-n1",
        value=number,
        low=number if low is None else low,
        high=number if high is None else high,
        stated=stated or (f"{qualifier} {number:,.0f}".strip() if number is not None else "dozens"),
        qualifier=qualifier,
        as_of=START + dt.timedelta(days=day - 1),
        attributed_to=body,
        sentence="...",
        status=status,
    )


def compare(spec, values):
    return compare_figure(spec, values)[0]


def corroborated(spec, values):
    return compare_figure(spec, values)[1]


# ------------------------------------------------------------- same time


def test_values_within_tolerance_agree():
    assert compare(SPEC, [value("A", 1000), value("B", 1040)]) == []


def test_values_of_the_same_day_beyond_tolerance_differ_and_both_are_named():
    [d] = compare(SPEC, [value("A", 1000), value("B", 1100)])
    assert (d.severity, d.reason, d.figure) == ("differs", "same-time", "killed")
    assert sorted(p.source for p in d.positions) == ["A", "B"]


def test_custom_tolerance_is_respected():
    loose = FigureSpec(id="killed", label="x", terms=["killed"], tolerance=0.2)
    assert compare(loose, [value("A", 1000), value("B", 1150)]) == []


def test_values_of_one_source_are_never_compared_with_each_other():
    assert compare(FIXED, [value("A", 1000), value("A", 5000)]) == []


@pytest.mark.parametrize("low, high, severity", [(1000, 4900, "differs"), (1000, 5000, "probable-error"), (45317, 445581, "probable-error")])
def test_a_ratio_of_five_or_more_at_the_same_time_is_a_probable_error(low, high, severity):
    [d] = compare(SPEC, [value("A", low), value("B", high)])
    assert d.severity == severity


def test_an_extra_digit_is_explained_by_the_other_value():
    assert explain_error(445581, 45317, 0.05) == "445,581: likely 45,581 with an extra digit"


def test_a_power_of_ten_is_explained_and_an_unexplained_gap_is_not():
    assert explain_error(12000, 1200, 0.05) == "12,000: likely 1,200 with an extra digit"
    assert explain_error(1_200_000, 1200, 0.05) == "1,200,000: likely off by a factor of 1,000"
    assert explain_error(70000, 1000, 0.05) == ""


def test_vague_range_disagrees_only_with_points_outside_it():
    dozens = value("A", None, low=24, high=99)
    assert compare(FIXED, [dozens, value("B", 60)]) == []
    [d] = compare(FIXED, [dozens, value("B", 1200), value("C", 1200)])
    assert d.severity == "differs" and d.outlier[0].source == "A"


def test_two_vague_ranges_are_never_compared():
    assert compare(FIXED, [value("A", None, 24, 99), value("B", None, 1000, 9999)]) == []


# ------------------------------------------------------------ cumulative


def test_a_toll_rising_over_months_gives_no_disagreement():
    toll = [value("ABCDEFGH"[i % 8], 4000 + 95 * i, day=i + 1) for i in range(450)]
    assert compare(SPEC, toll) == []


def test_a_stale_quote_with_its_as_of_date_gives_none():
    values = [value("A", 40000, day=100), value("B", 45000, day=130), value("C", 45200, day=131), value("D", 40000, day=100)]  # D, writing on day 140, quotes day 100's count
    assert compare(SPEC, values) == []


def test_a_rounded_lower_bound_below_the_count_gives_none():
    values = [value("A", 44210, day=100), value("B", 44300, day=100), value("C", 40000, day=101, qualifier="more than")]
    assert compare(SPEC, values) == []


def test_a_count_above_a_lower_bound_of_the_same_day_gives_none():
    assert compare(SPEC, [value("A", 180, qualifier="at least"), value("B", 612)]) == []


def test_a_count_five_times_a_bound_is_a_probable_error():
    [d] = compare(SPEC, [value("A", 445581, qualifier="at least", day=20), value("B", 45317, qualifier="over", day=24)])
    assert ([p.source for p in d.outlier], d.severity) == (["A"], "probable-error")


def test_a_later_lower_cumulative_value_is_lower_than_earlier():
    values = [value("A", 90000, day=60), value("B", 90300, day=61), value("C", 80300, day=90), value("D", 95000, day=120)]
    [d] = compare(SPEC, values)
    assert (d.reason, d.outlier[0].source, d.severity) == ("lower-than-earlier", "C", "differs")
    assert {p.source for p in d.against} == {"A", "B"}  # the nearest earlier reports it falls below (a week of them)


def test_an_early_count_against_a_larger_one_days_later_is_never_a_probable_error():
    values = [value("A", 2000, day=1), value("B", 2084, day=1), value("C", 11300, day=3), value("D", 11300, day=3)]
    assert compare(SPEC, values) == []


def test_a_value_higher_than_what_others_report_later_is_higher_than_later():
    values = [value("A", 45000, day=10), value("B", 445581, day=11), value("C", 45317, day=12), value("D", 45500, day=14)]
    [d] = compare(SPEC, values)
    assert (d.reason, d.severity, d.explanation) == ("higher-than-later", "probable-error", "445,581: likely 45,581 with an extra digit")
    assert [p.source for p in d.outlier] == ["B"]


def test_one_typo_among_100_agreeing_values_gives_exactly_one_disagreement():
    values = [value(f"S{i % 12}", 45000 + 10 * i, day=10 + i // 10) for i in range(100)]
    values[57] = value("Typo Times", 450_000 + 10 * 57, day=10 + 57 // 10)
    [d] = compare(SPEC, values)
    assert (d.severity, [p.source for p in d.outlier]) == ("probable-error", ["Typo Times"])
    assert len({p.source for p in d.against}) >= 2


def test_one_outlet_repeating_its_slip_in_several_articles_is_one_disagreement():
    values = [value("A", 1000), value("B", 1000), value("C", 1010), value("X", 1500, article="x1", stated="1,500"), value("X", 1500, article="x2", stated="1,500")]
    [d] = compare(SPEC, values)
    assert [p.article for p in d.outlier] == ["x1", "x2"]


def test_outlets_repeating_one_early_count_make_one_disagreement():
    early = [value(f"E{i}", 1400, day=1 + i, qualifier=["", "about", "more than"][i % 3]) for i in range(9)]
    settled = [value(f"S{i}", 1200, day=20 + i) for i in range(12)]
    [d] = compare(FIXED, early + settled)
    assert {p.source for p in d.outlier} == {f"E{i}" for i in range(9)}


def test_a_value_repeated_on_dates_far_apart_is_still_one_disagreement():
    values = [value("A", 1000, day=1), value("B", 1000, day=1), value("X", 1500, day=1, article="x1"), value("A", 2000, day=60), value("B", 2000, day=60), value("X", 1500, day=60, article="x2")]
    found = compare(SPEC, values)
    assert len(found) == 1 and [p.article for p in found[0].outlier] == ["x1", "x2"]


# ------------------------------------------------------------ level and fixed


def test_level_values_weeks_apart_are_not_compared():
    values = [value("A", 101, day=1), value("B", 100, day=2), value("C", 94, day=30), value("D", 94, day=31)]
    assert compare(LEVEL, values) == []


def test_level_values_within_the_window_are_compared():
    values = [value("A", 97, day=50), value("B", 97, day=51), value("C", 97, day=52), value("D", 120, day=53)]
    [d] = compare(LEVEL, values)
    assert (d.reason, [p.source for p in d.outlier], len(d.against)) == ("same-time", ["D"], 3)


def test_level_values_just_outside_the_window_are_not_compared():
    assert compare(LEVEL, [value("A", 97, day=50), value("B", 120, day=54)]) == []


def test_fixed_values_are_compared_whatever_their_dates():
    values = [value("A", 1140, day=1), value("B", 1140, day=90), value("C", 1410, day=200), value("D", 1139, day=300)]
    [d] = compare(FIXED, values)
    assert ([p.source for p in d.outlier], d.reason) == (["C"], "same-time")


# --------------------------------------------------- bodies, estimates, withdrawn


def test_two_counting_bodies_give_one_counting_body_disagreement():
    values = [
        *(value(f"R{i}", 8700, day=12 + i % 3, body="the Red Crescent") for i in range(6)),
        *(value(f"M{i}", 3166, day=12, body="the health ministry") for i in range(3)),
        value("M3", 3958, day=14, body="Gaza's health ministry"),
        value("M4", 3958, day=14),  # credits nobody, but the number is the ministry's
    ]
    [d] = compare(SPEC, values)
    assert (d.reason, d.severity) == ("counting-body", "differs")
    assert {"M0", "M1", "M2", "M3", "M4"} <= {p.source for p in d.positions}
    assert "count differently" in d.explanation and "Red Crescent" in d.explanation and "health ministry" in d.explanation


def test_each_body_agreeing_with_itself_is_corroborated():
    values = [*(value(f"R{i}", 8700, body="Red Crescent") for i in range(3)), *(value(f"M{i}", 3166, body="health ministry") for i in range(2))]
    assert sorted(c.value for c in corroborated(SPEC, values)) == [3166, 8700]


def test_estimates_are_never_compared_nor_corroborate():
    values = [value("A", 11300, day=3), value("B", 11300, day=3), value("C", 20000, qualifier="up to", status="estimate", day=3), value("D", 20000, status="estimate", day=3)]
    assert compare(SPEC, values) == []
    [c] = corroborated(SPEC, values)
    assert c.sources == ["A", "B"]


def test_a_withdrawn_value_is_not_compared_nor_corroborates():
    values = [value("A", 3958, day=5), value("B", 3958, day=5), value("C", 11300, day=5, status="withdrawn")]
    assert compare(SPEC, values) == []
    [c] = corroborated(SPEC, values)
    assert c.sources == ["A", "B"]


# ------------------------------------------------------------ corroboration


def test_two_sources_within_tolerance_are_corroborated_with_range_and_dates():
    [c] = corroborated(SPEC, [value("A", 45317, day=13), value("B", 45581, day=27), value("C", 45400, day=20)])
    assert (c.low, c.high, c.first, c.last, c.sources) == (45317, 45581, dt.date(2024, 1, 13), dt.date(2024, 1, 27), ["A", "B", "C"])


def test_one_source_alone_is_not_corroboration():
    assert corroborated(SPEC, [value("A", 1200), value("A", 1200, article="again")]) == []


# -------------------------------------------------------------- properties


def _toll(draw_values):
    return [value(source, number, day=day, qualifier=qualifier, body=body, article=f"a{i}") for i, (source, number, day, qualifier, body) in enumerate(draw_values)]


VALUES = st.lists(
    st.tuples(
        st.sampled_from("ABCDEF"),
        st.sampled_from([100.0, 104.0, 120.0, 500.0, 1000.0, 45317.0, 445581.0]) | st.integers(1, 10**6).map(float),
        st.integers(1, 60),
        st.sampled_from(["", "", "at least", "fewer than", "around"]),
        st.sampled_from(["", "", "health ministry", "Red Crescent"]),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(VALUES, st.sampled_from([SPEC, FIXED, LEVEL]), st.randoms(use_true_random=False))
def test_shuffling_the_values_changes_nothing(drawn, spec, rng):
    values = _toll(drawn)
    shuffled = values[:]
    rng.shuffle(shuffled)
    assert compare_figure(spec, values) == compare_figure(spec, shuffled)


@settings(max_examples=150, deadline=None)
@given(VALUES, st.sampled_from([SPEC, FIXED, LEVEL]))
def test_disagreements_never_outnumber_distinct_statements(drawn, spec):
    values = _toll(drawn)
    statements = {(v.source, v.stated) for v in values}
    assert len(compare(spec, values)) <= len(statements)


def test_a_figure_of_many_distinct_values_is_compared_in_about_n_log_n():
    """Not a timing: the number of disagreements stays bounded by the outliers put in, at 20,000 values."""
    rng = random.Random(7)
    values = [value(f"S{i % 12}", 4000 + 2 * i + rng.randint(0, 3), day=1 + i // 45) for i in range(20_000)]
    for i in range(0, 20_000, 2_000):
        values[i] = value("Slip", values[i].value * 10, day=1 + i // 45, article=f"slip{i}")
    found = compare(SPEC, values)
    assert len(found) == 10 and all(d.severity == "probable-error" for d in found)


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


def test_one_outlets_many_values_are_never_compared_with_each_other():
    """Not a timing: 20,000 values of one outlet (one huge article) give nothing to compare; walking every
    same-outlet value for each of them took minutes."""
    rng = random.Random(5)
    values = [value("Only", rng.randint(10, 99999), day=1 + i % 3, article=f"a{i}") for i in range(20_000)]
    assert compare(SPEC, values) == []
