"""Inline SVG timelines, one figure at a time: a value axis from zero, outliers ringed, a text alternative,
and a size that stays small for thousands of values. (How they look on a page: test_timeline.py.)"""

from __future__ import annotations

import datetime as dt
import re

from digest.charts import figure_chart
from digest.model import Figure, FigureSpec, FigureValue


def value(source, number, day, anchor="p1-n1", month=12, **fields):
    return FigureValue("f", source.lower(), source, 1, anchor, number, number, number, f"{number:,}", "", dt.date(2024, month, day), "", "", **fields)


def ticks(svg: str) -> list[str]:
    return re.findall(r'<text class="tick"[^>]*text-anchor="end"[^>]*>([^<]+)</text>', svg)


def test_values_spanning_ten_times_share_one_linear_axis_from_zero():
    svg = figure_chart(Figure(FigureSpec("f", "Killed", ["killed"]), [value("A", 1000, 1), value("B", 10000, 2)]))
    assert "log scale" not in svg and "axis-break" not in svg
    assert ticks(svg) == ["0", "2k", "4k", "6k", "8k", "10k"]


def test_close_values_describe_every_value():
    svg = figure_chart(Figure(FigureSpec("f", "Killed", ["killed"]), [value("A", 1000, 1), value("B", 1200, 2)]))
    assert "A: 1,000 as of 2024-12-01; B: 1,200 as of 2024-12-02" in svg


def test_outliers_are_circled_and_labelled():
    svg = figure_chart(Figure(FigureSpec("f", "Killed", ["killed"]), [value("A", 1000, 1), value("B", 9000, 2, "p2-n1")]), {("b", "p2-n1"): "differs"})
    assert svg.partition('<ul class="legend">')[0].count('class="outlier"') == 1
    assert '<text class="outlier-label"' in svg and ">9,000: outlier</text>" in svg


def test_thousands_of_values_make_a_chart_of_bounded_size_with_a_summary_for_screen_readers():
    values = [value(f"Outlet {i % 12}", 4000 + 10 * i, 1 + i % 28, f"p{i}-n1", month=1 + i % 12) for i in range(5000)]
    svg = figure_chart(Figure(FigureSpec("f", "Killed", ["killed"]), values))
    assert len(svg) < 250_000
    desc = re.search(r"<desc[^>]*>([^<]+)</desc>", svg).group(1)
    assert "Outlet 0: 417 values, from" in desc and len(desc) < 5_000
    assert svg.count("<polyline") == 12


def test_a_vague_value_is_drawn_as_its_range():
    dozens = FigureValue("f", "c", "C", 1, "p1-n1", None, 24, 99, "dozens", "", dt.date(2024, 12, 3), "", "")
    svg = figure_chart(Figure(FigureSpec("f", "Killed", ["killed"]), [value("A", 40, 1), dozens]))
    assert svg.count('<line class="range"') == 1


def test_thousands_of_outliers_are_ringed_by_one_path_and_only_a_few_labelled():
    values = [value(f"Outlet {i % 12}", 4000 + 10 * i, 1 + i % 28, f"p{i}-n1", month=1 + i % 12) for i in range(3000)]
    svg = figure_chart(Figure(FigureSpec("f", "Killed", ["killed"]), values), {(v.article, v.anchor): "counting-body" for v in values[::2]})
    assert svg.count('<path class="outlier"') == 1 and '<circle class="outlier"' not in svg.partition('<ul class="legend">')[0]
    assert 1 <= svg.count('<text class="outlier-label"') <= 6
    assert len(svg) < 250_000
