"""Small inline SVG charts: each source's values for one figure against their as-of dates.

No JavaScript; a <title>/<desc> pair and a data table beside the chart give
screen readers the same information.
"""

from __future__ import annotations

import math
from html import escape

from .model import Figure

WIDTH, HEIGHT = 320, 140
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 12, 28
PAD = 12  # keeps points off the axes
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"]


def figure_chart(figure: Figure, disputed: set[tuple[str, str]]) -> str:
    """`disputed` holds (article, anchor) of values in a disagreement; they are circled as outliers."""
    points = [v for v in figure.values if v.value is not None and v.value > 0]
    if not points:
        return ""
    low, high = min(v.value for v in points), max(v.value for v in points)
    log = high / low >= 10
    scale = math.log10 if log else (lambda x: x)
    y_low, y_high = scale(low), scale(high)
    if y_high == y_low:
        y_low, y_high = y_low - 1, y_high + 1
    days = [v.as_of.toordinal() for v in points]
    d_low, d_high = min(days), max(days)
    if d_high == d_low:
        d_low, d_high = d_low - 1, d_high + 1

    def x(day: int) -> float:
        return LEFT + PAD + (day - d_low) / (d_high - d_low) * (WIDTH - LEFT - RIGHT - 2 * PAD)

    def y(value: float) -> float:
        return HEIGHT - BOTTOM - PAD - (scale(value) - y_low) / (y_high - y_low) * (HEIGHT - TOP - BOTTOM - 2 * PAD)

    sources = sorted({v.source for v in points})
    colour = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(sources)}
    title_id = f"chart-{escape(figure.spec.id)}"
    description = "; ".join(f"{v.source}: {v.stated} as of {v.as_of.isoformat()}" for v in points)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{title_id}-t {title_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}-t">{escape(figure.spec.label)}{" (log scale)" if log else ""}</title>',
        f'<desc id="{title_id}-d">{escape(description)}</desc>',
        f'<line class="axis" x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}"/>',
        f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}"/>',
        f'<text class="tick" x="{LEFT - 4}" y="{y(high) + 4:.1f}" text-anchor="end">{_short(high)}</text>',
        f'<text class="tick" x="{LEFT - 4}" y="{y(low) + 4:.1f}" text-anchor="end">{_short(low)}</text>',
    ]
    first, last = min(v.as_of for v in points), max(v.as_of for v in points)
    if first == last:
        parts.append(f'<text class="tick" x="{x(first.toordinal()):.1f}" y="{HEIGHT - 8}" text-anchor="middle">{first.isoformat()}</text>')
    else:
        parts.append(f'<text class="tick" x="{LEFT}" y="{HEIGHT - 8}">{first.isoformat()}</text>')
        parts.append(f'<text class="tick" x="{WIDTH - RIGHT}" y="{HEIGHT - 8}" text-anchor="end">{last.isoformat()}</text>')
    if log:
        parts.append(f'<text class="tick" x="{(LEFT + WIDTH - RIGHT) / 2:.0f}" y="{HEIGHT - 8}" text-anchor="middle">log scale</text>')
    for v in points:
        cx, cy = x(v.as_of.toordinal()), y(v.value)
        label = escape(f"{v.source}: {v.stated}")
        if (v.article, v.anchor) in disputed:
            parts.append(f'<circle class="outlier" cx="{cx:.1f}" cy="{cy:.1f}" r="7" fill="none" stroke="{colour[v.source]}"><title>{label} (disputed)</title></circle>')
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{colour[v.source]}"><title>{label}</title></circle>')
    parts.append("</svg>")
    legend = "".join(f'<li><span class="swatch" style="background:{colour[s]}"></span>{escape(s)}</li>' for s in sources)
    return "".join(parts) + f'<ul class="legend">{legend}</ul>'


def _short(value: float) -> str:
    for size, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if value >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"
