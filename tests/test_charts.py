"""Inline SVG charts: log scale at a 10x spread, disputed values circled, a text alternative."""

from __future__ import annotations

import datetime as dt

from digest.charts import figure_chart
from digest.model import Figure, FigureSpec, FigureValue


def value(source, number, day, anchor="p1-n1"):
    return FigureValue("f", source.lower(), source, 1, anchor, number, number, number, f"{number:,}", "", dt.date(2024, 12, day), "", "")


def test_values_spanning_ten_times_use_a_log_scale():
    svg = figure_chart(Figure(FigureSpec("f", "Killed", ["killed"]), [value("A", 1000, 1), value("B", 10000, 2)]), set())
    assert "<title" in svg and "(log scale)</title>" in svg


def test_close_values_use_a_linear_scale_and_describe_every_value():
    svg = figure_chart(Figure(FigureSpec("f", "Killed", ["killed"]), [value("A", 1000, 1), value("B", 1200, 2)]), set())
    assert "log scale" not in svg
    assert "A: 1,000 as of 2024-12-01; B: 1,200 as of 2024-12-02" in svg


def test_disputed_values_are_circled_as_outliers():
    svg = figure_chart(Figure(FigureSpec("f", "Killed", ["killed"]), [value("A", 1000, 1), value("B", 9000, 2, "p2-n1")]), {("b", "p2-n1")})
    assert svg.count('class="outlier"') == 1
