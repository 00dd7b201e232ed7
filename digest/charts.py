"""Inline SVG timelines: each outlet's values of one figure against their as-of dates.

One line and colour per outlet, points joined in date order; the same outlet has
the same colour on every page of a site (`outlet_styles`), and no outlet is drawn
in a red like the one the theme keeps for errors. The y axis starts at zero; values
far above the rest (a typo with an extra digit, an estimate many times the counts)
are drawn in a band above a visible break of the axis rather than squashing the
others flat. Outliers of disagreements are ringed in the error colour and labelled;
estimates are hollow, withdrawn values hollow and struck through, never joined to
the line of counts.

No JavaScript; a <title>/<desc> pair, and the figures table beside the chart, give
screen readers the same information.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from html import escape

from .model import Figure, FigureValue

WIDTH, HEIGHT = 440, 236
LEFT, RIGHT, TOP, BOTTOM = 52, 18, 14, 38
BAND = 34  # height of the band above the break, for values off the scale
PAD = 10  # keeps points off the ends of the date axis
FONT = 12

# Mid-luminance colours that read on the light and the dark background alike. No red or
# pink: the theme's error colour (--error: #b00020, #ff8a9b in the dark) means "disputed".
PALETTE = ["#1f77b4", "#e08214", "#2ca02c", "#9467bd", "#17becf", "#8c6d31", "#7f7f7f", "#bcbd22"]
DASHES = ["", "6 3", "2 2.5"]  # a second and third round of the palette is told apart by its dashes
ERROR = "#b00020"  # drawn for outliers only (the stylesheet's var(--error) wins when it is loaded)
MUTED = "#5b616b"
BACKGROUND = "#fdfdfb"
RINGED = 100  # beyond this many outliers their rings are one path, without a tooltip each
LABELLED = 6  # outliers labelled at most in one chart (the ring marks every one, the cards list them)
MANY = 300  # beyond this many points a chart draws its dots as one path per outlet, without a tooltip each
LISTED = 60  # beyond this many values the description summarises each outlet instead of listing every value

RANK = {"probable-error": 2, "counting-body": 1, "differs": 0}  # which outliers are labelled first
LABELS = {"probable-error": "probable error", "counting-body": "other counting body", "differs": "outlier"}  # an outlier's label, by its kind

OutletStyle = tuple[str, str]  # (colour, dash pattern: "" for a solid line)


def outlet_styles(outlets: Iterable[str]) -> dict[str, OutletStyle]:
    """A colour (and, past the palette's length, a dash pattern) per outlet, from their sorted list:
    made once for the whole site, so an outlet looks the same in every chart."""
    return {name: (PALETTE[i % len(PALETTE)], DASHES[(i // len(PALETTE)) % len(DASHES)]) for i, name in enumerate(sorted(set(outlets)))}


def figure_chart(figure: Figure, outliers: Mapping[tuple[str, str], str] | None = None, styles: Mapping[str, OutletStyle] | None = None) -> str:
    """The figure's timeline (SVG) and its key (an HTML list); "" when no value is a number.

    `outliers` maps (article, anchor) of each outlying value of a disagreement to its kind
    ("differs", "counting-body" or "probable-error"); `styles` gives each outlet its colour (`outlet_styles`)."""
    outliers = outliers or {}
    values = [v for v in figure.values if v.value is not None or v.high]
    if not values:
        return ""
    styles = styles if styles is not None else outlet_styles(v.source for v in values)
    sources = sorted({v.source for v in values})
    is_outlier = [(v.article, v.anchor) in outliers for v in values]

    # ---- the value axis: from zero to a round number above the values, with a band above a break for those far beyond
    top_of = lambda v: v.value if v.value is not None else v.high  # noqa: E731
    core = [top_of(v) for v, out in zip(values, is_outlier) if not out] or [top_of(v) for v in values]
    ceiling = max(core)
    above = [top_of(v) > 2.5 * ceiling for v in values] if ceiling > 0 else [False] * len(values)
    if not any(above):
        ceiling = max(top_of(v) for v in values)
    step, ceiling = _nice_ticks(ceiling)
    broken = any(above)
    plot_top = TOP + (BAND if broken else 0)
    plot_bottom = HEIGHT - BOTTOM

    def y(number: float) -> float:
        return plot_bottom - number / ceiling * (plot_bottom - plot_top)

    break_y = plot_top - 10  # where the axis is cut: the band lies above it
    band_y = TOP + (BAND - 10) / 2

    # ---- the date axis
    days = [v.as_of.toordinal() for v in values]
    d_low, d_high = min(days), max(days)
    if d_high == d_low:
        d_low, d_high = d_low - 1, d_high + 1

    def x(day: int) -> float:
        return LEFT + PAD + (day - d_low) / (d_high - d_low) * (WIDTH - LEFT - RIGHT - 2 * PAD)

    title_id = f"chart-{escape(figure.spec.id)}"
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{title_id}-t {title_id}-d" xmlns="http://www.w3.org/2000/svg" font-size="{FONT}">',
        f'<title id="{title_id}-t">{escape(figure.spec.label)}</title>',
        f'<desc id="{title_id}-d">{escape(_description(values, is_outlier, broken, ceiling))}</desc>',
    ]

    # grid and value ticks
    for n in range(round(ceiling / step) + 1):
        tick = n * step
        ty = y(tick)
        if tick:
            parts.append(f'<line class="grid" x1="{LEFT}" y1="{ty:.1f}" x2="{WIDTH - RIGHT}" y2="{ty:.1f}" stroke="#d9d6cf" stroke-width="0.5"/>')
        parts.append(f'<text class="tick" x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end" fill="{MUTED}">{_short(tick) if ceiling >= 10_000 else _full(tick)}</text>')
    parts.append(f'<line class="axis" x1="{LEFT}" y1="{plot_bottom}" x2="{WIDTH - RIGHT}" y2="{plot_bottom}" stroke="{MUTED}"/>')
    if broken:
        # the y axis is cut by a double zigzag below the band of values off the scale, and a dashed line runs along the cut
        parts.append(f'<line class="axis" x1="{LEFT}" y1="{break_y + 5}" x2="{LEFT}" y2="{plot_bottom}" stroke="{MUTED}"/>')
        parts.append(f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{break_y - 5}" stroke="{MUTED}"/>')
        parts.append(f'<path class="axis-break" d="M{LEFT - 6} {break_y + 5} l4 -4 l4 4 l4 -4 M{LEFT - 6} {break_y - 1} l4 -4 l4 4 l4 -4" fill="none" stroke="{MUTED}" stroke-width="1.5"/>')
        parts.append(f'<line class="band" x1="{LEFT + 8}" y1="{break_y}" x2="{WIDTH - RIGHT}" y2="{break_y}" stroke="#d9d6cf" stroke-dasharray="4 3"/>')
    else:
        parts.append(f'<line class="axis" x1="{LEFT}" y1="{plot_top}" x2="{LEFT}" y2="{plot_bottom}" stroke="{MUTED}"/>')

    # date ticks
    for day, first_line, second_line in _date_ticks(dt.date.fromordinal(min(days)), dt.date.fromordinal(max(days)), d_low, d_high):
        tx = x(day)
        parts.append(f'<line class="axis" x1="{tx:.1f}" y1="{plot_bottom}" x2="{tx:.1f}" y2="{plot_bottom + 4}" stroke="{MUTED}"/>')
        label = f'<tspan x="{tx:.1f}" dy="0">{first_line}</tspan>' + (f'<tspan x="{tx:.1f}" dy="{FONT + 1}">{second_line}</tspan>' if second_line else "")
        parts.append(f'<text class="tick" x="{tx:.1f}" y="{plot_bottom + FONT + 5}" text-anchor="middle" fill="{MUTED}">{label}</text>')

    # one line per outlet through its counts, in date order
    place = {}
    counts: dict[str, list[tuple]] = {source: [] for source in sources}
    for i, v in enumerate(values):
        if v.value is not None:
            place[i] = (x(days[i]), band_y if above[i] else y(v.value))
            if v.compared and not above[i]:
                counts[v.source].append((days[i], v.value, place[i]))
    for source in sources:
        colour, dash = styles.get(source, (PALETTE[0], ""))
        line = sorted(counts[source])
        points: list[str] = []
        for _, _, (px, py) in line:
            point = f"{px:.1f},{py:.1f}"
            if not points or points[-1] != point:
                points.append(point)
        if len(points) > 1:
            dashes = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(f'<polyline class="series" data-outlet="{escape(source)}" points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2"{dashes} stroke-linejoin="round"/>')

    # the values themselves
    many = len(values) > MANY
    dots: dict[str, list[str]] = {}
    labels = []
    colours = {source: styles.get(source, (PALETTE[0], ""))[0] for source in sources}
    for i, v in enumerate(values):
        colour = colours[v.source]
        if many and not v.status and v.value is not None and not is_outlier[i]:  # most values of a big chart: a dot of a path
            px, py = place[i]
            dots.setdefault(colour, []).append(f"M{px:.1f} {py:.1f}h0")
            continue
        words = f"{v.source}: {v.stated} as of {v.as_of.isoformat()}" + (f", {v.attributed_to}" if v.attributed_to else "")
        if v.value is None:  # a vague quantity ("dozens"): its range
            parts.append(f'<line class="range" x1="{x(days[i]):.1f}" y1="{y(v.low):.1f}" x2="{x(days[i]):.1f}" y2="{y(min(v.high, ceiling)):.1f}" stroke="{colour}" stroke-width="4" stroke-linecap="round" opacity="0.6"><title>{escape(words)}</title></line>')
            continue
        px, py = place[i]
        if v.status == "estimate":
            parts.append(f'<circle class="estimate" cx="{px:.1f}" cy="{py:.1f}" r="4.5" fill="{BACKGROUND}" stroke="{colour}" stroke-width="2"><title>{escape(words)} (estimate)</title></circle>')
        elif v.status == "withdrawn":
            parts.append(
                f'<g class="withdrawn"><title>{escape(words)} (withdrawn)</title><circle cx="{px:.1f}" cy="{py:.1f}" r="4.5" fill="{BACKGROUND}" stroke="{colour}" stroke-width="1.5" stroke-dasharray="2 1.5"/>'
                f'<line x1="{px - 5:.1f}" y1="{py + 5:.1f}" x2="{px + 5:.1f}" y2="{py - 5:.1f}" stroke="{colour}" stroke-width="1.5"/></g>'
            )
        elif many:
            dots.setdefault(colour, []).append(f"M{px:.1f} {py:.1f}h0")
        else:
            parts.append(f'<circle class="point" cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}"><title>{escape(words)}</title></circle>')
        if is_outlier[i]:
            severity = outliers[(v.article, v.anchor)]
            text = f"{_full(v.value)}: {LABELS.get(severity, 'outlier')}"
            labels.append((-RANK.get(severity, 0), px, py, text, words))
    for colour, path in dots.items():
        parts.append(f'<path class="points" d="{"".join(path)}" stroke="{colour}" stroke-width="6" stroke-linecap="round"/>')
    # last, so nothing covers them: a ring round each outlier, and labels where they cover no other label or ring
    # (the most severe placed first, at most LABELLED of them; a label said once already is not said again)
    labels.sort(key=lambda label: label[0])
    rings = [(px - 9, py - 9, px + 9, py + 9) for _, px, py, _, _ in labels] if len(labels) <= RINGED else []
    if rings:
        for _, px, py, _, words in labels:
            parts.append(f'<circle class="outlier" cx="{px:.1f}" cy="{py:.1f}" r="8" fill="none" stroke="{ERROR}" stroke-width="2.5"><title>{escape(words)} (outlier of a disagreement)</title></circle>')
    elif labels:  # thousands (a counting body's every value): one path of rings
        path = dict.fromkeys(f"M{px - 8:.0f} {py:.0f}a8 8 0 1 0 16 0a8 8 0 1 0-16 0" for _, px, py, _, _ in labels)
        parts.append(f'<path class="outlier" d="{"".join(path)}" fill="none" stroke="{ERROR}" stroke-width="2.5"><title>{len(labels):,} outliers of disagreements</title></path>')
    placed: list[tuple] = []
    said = set()
    for _, px, py, text, _ in labels:
        if len(placed) == LABELLED:
            break
        if text in said:
            continue
        own = (px - 9, py - 9, px + 9, py + 9)
        width = len(text) * FONT * 0.62
        for lx, ly, anchor in _label_places(px, py, py <= band_y):
            box = (lx - width if anchor == "end" else lx, ly - FONT, lx if anchor == "end" else lx + width, ly + 3)
            inside = box[0] >= LEFT + 2 and box[2] <= WIDTH - 2 and box[1] >= 0 and box[3] <= plot_bottom
            if inside and not any(box[0] < t[2] and t[0] < box[2] and box[1] < t[3] and t[1] < box[3] for t in (*placed, *rings) if t != own):
                placed.append(box)
                said.add(text)
                parts.append(f'<text class="outlier-label" x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" fill="{ERROR}" font-weight="700">{escape(text)}</text>')
                break
    parts.append("</svg>")

    # the key: every outlet of the chart, then the marks it uses
    key = [f'<li data-outlet="{escape(s)}">{_key_line(*styles.get(s, (PALETTE[0], "")))}{escape(s)}</li>' for s in sources]
    if any(is_outlier):
        key.append(f'<li class="mark"><svg class="key" viewBox="0 0 24 12" width="24" height="12" aria-hidden="true"><circle class="outlier" cx="12" cy="6" r="4.5" fill="none" stroke="{ERROR}" stroke-width="2"/></svg>outlier of a disagreement</li>')
    if any(v.status == "estimate" for v in values):
        key.append(f'<li class="mark"><svg class="key" viewBox="0 0 24 12" width="24" height="12" aria-hidden="true"><circle class="estimate" cx="12" cy="6" r="4" fill="{BACKGROUND}" stroke="{MUTED}" stroke-width="2"/></svg>estimate, not a count</li>')
    if any(v.status == "withdrawn" for v in values):
        key.append(
            f'<li class="mark"><svg class="key" viewBox="0 0 24 12" width="24" height="12" aria-hidden="true"><circle cx="12" cy="6" r="4" fill="{BACKGROUND}" stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="2 1.5"/>'
            f'<line x1="8" y1="10" x2="16" y2="2" stroke="{MUTED}" stroke-width="1.5"/></svg>withdrawn by its own report</li>'
        )
    if broken:
        key.append('<li class="mark">values above the break are off the scale</li>')
    return "".join(parts) + f'<ul class="legend">{"".join(key)}</ul>'


def _label_places(px: float, py: float, off_scale: bool) -> list[tuple[float, float, str]]:
    """Where an outlier's label may go, best first: (x, baseline, text-anchor), on the side with more room."""
    toward = [("start", 12), ("end", -12)] if px <= (LEFT + WIDTH - RIGHT) / 2 else [("end", -12), ("start", 12)]
    beside = [(px + dx, py + FONT / 3, anchor) for anchor, dx in toward]
    above = [(px + dx, py - 10, anchor) for anchor, dx in toward]
    below = [(px + dx, py + FONT + 8, anchor) for anchor, dx in toward]
    return beside + above + below if off_scale else above + below + beside


def _key_line(colour: str, dash: str) -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return f'<svg class="key" viewBox="0 0 24 12" width="24" height="12" aria-hidden="true"><line x1="1" y1="6" x2="23" y2="6" stroke="{colour}" stroke-width="2"{dashes}/><circle cx="12" cy="6" r="3.5" fill="{colour}"/></svg>'


def _description(values: list[FigureValue], is_outlier: list[bool], broken: bool, ceiling: float) -> str:
    """What the chart shows, in words: every value (or, for many, each outlet's first and last), then the axis."""

    def words(v: FigureValue, outlier: bool) -> str:
        notes = [n for n in (v.status, "outlier" if outlier else "") if n]
        return f"{v.stated} as of {v.as_of.isoformat()}" + (f" ({', '.join(notes)})" if notes else "")

    if len(values) <= LISTED:
        text = "; ".join(f"{v.source}: {words(v, out)}" for v, out in zip(values, is_outlier))
    else:
        by_source: dict[str, list[FigureValue]] = {}
        for v in values:
            by_source.setdefault(v.source, []).append(v)
        parts = []
        for source in sorted(by_source):
            own = sorted(by_source[source], key=lambda v: v.as_of)
            parts.append(f"{source}: {len(own)} values, from {words(own[0], False)} to {words(own[-1], False)}")
        outliers = [f"{v.source}: {words(v, True)}" for v, out in zip(values, is_outlier) if out]
        text = "; ".join(parts) + (f". Outliers: {'; '.join(outliers)}" if outliers else "")
    axis = f"The value axis runs from 0 to {_full(ceiling)}" + (", broken above it for values off the scale." if broken else ".")
    return f"{text}. {axis}"


def _nice_ticks(high: float) -> tuple[float, float]:
    """A round step for four or five intervals from zero, and the round ceiling at or above `high`."""
    if high <= 0:
        return 1.0, 1.0
    raw = high / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if step < 1 and high >= 1:
        step = 1.0
    return step, math.ceil(high / step - 1e-9) * step


def _date_ticks(first: dt.date, last: dt.date, d_low: int, d_high: int) -> list[tuple[int, str, str]]:
    """(day, label, second line) for a few round dates between `first` and `last`: the second line
    is the year, on the first tick and where the year changes."""
    span = d_high - d_low
    ticks: list[dt.date] = []
    if span <= 40:
        step = next(s for s in (1, 2, 3, 7, 14) if span / s <= 5)
        day = first
        while day <= last:
            ticks.append(day)
            day += dt.timedelta(days=step)
        if first == last:
            ticks = [first]
        labels = lambda d: f"{d.day} {d:%b}"  # noqa: E731
    elif span <= 5 * 366:
        months = next(m for m in (1, 2, 3, 6, 12) if span / (30.4 * m) <= 5)
        month = first.replace(day=1)
        while month <= last:
            if month >= first and (month.month - 1) % months == 0:
                ticks.append(month)
            month = (month + dt.timedelta(days=32)).replace(day=1)
        if not ticks:
            ticks = [first]
        labels = lambda d: f"{d:%b}" if d.day == 1 else f"{d.day} {d:%b}"  # noqa: E731
    else:
        years = max(1, math.ceil(span / 365.25 / 5))
        ticks = [dt.date(year, 1, 1) for year in range(first.year + 1, last.year + 1) if (year - first.year - 1) % years == 0] or [first]
        return [(d.toordinal(), str(d.year), "") for d in ticks]
    found, year = [], None
    for d in ticks:
        found.append((d.toordinal(), labels(d), str(d.year) if d.year != year else ""))
        year = d.year
    return found


def _short(value: float) -> str:
    for size, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if value >= size:
            return f"{value / size:.3g}{suffix}"
    return _full(value)


def _full(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")

