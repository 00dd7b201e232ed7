"""Compare one figure's values like with like (SPEC, "Figures move over time").

A disagreement is an *outlying* statement against what it departs from, never a
pair picked out of thousands. How a value is judged depends on the figure's trend:

- `cumulative`: the values every source agrees on form a backbone, the longest
  (most sources) chain of same-day groups whose values never fall as time goes
  on; a value off the backbone disagrees when it is lower than what another
  source had reported as of an earlier or the same day, or higher than what one
  reported as of a later or the same day. Growth between days is no disagreement.
- `level`: a value is judged against the largest group of agreeing values whose
  as-of dates lie within `window` days of its own.
- `fixed`: against the largest group of agreeing values, whatever the dates.

Estimates and withdrawn values are only shown (never compared). A statement
credited to one counting body that departs from another body's values reads as
one `counting-body` disagreement per pair of bodies. Sorting dominates: a
figure of n values costs about n log n, and each distinct statement gives at
most one disagreement.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .model import Corroboration, Disagreement, DisagreementPosition, FigureSpec, FigureValue

PROBABLE_ERROR_RATIO = 5.0  # an outlier this many times away from the same time's values is probably a mistake
SAME_TIME_DAYS = 7  # cumulative values at most this far apart are "the same time" for judging a probable error
AGAINST_SHOWN = 12  # the values a disagreement names (nearest in time first); the rest are counted in its wording
AGAINST_KEPT = 50  # the values an outlier is judged against (nearest in time first): enough for a median, bounded for speed
LOWER_BOUNDS = frozenset({"at least", "more than", "over"})
UPPER_BOUNDS = frozenset({"fewer than", "less than"})


def relative_difference(a: float, b: float) -> float:
    largest = max(abs(a), abs(b))
    return abs(a - b) / largest if largest else 0.0


def compare_figure(spec: FigureSpec, values: list[FigureValue]) -> tuple[list[Disagreement], list[Corroboration]]:
    """The disagreements and corroborated groups of one figure's values (in any order: the result is the same)."""
    counts = sorted((v for v in values if v.compared), key=_order)
    if not counts:
        return [], []
    judge = {"level": _judge_level, "fixed": _judge_fixed}.get(spec.trend, _judge_cumulative)
    verdicts = judge(spec, [_Claim(v) for v in counts])
    disagreements, bodies = _disagreements(spec, counts, verdicts)
    # The values no disagreement names as outlying agree among themselves, and so do those of each counting body the others depart from.
    settled = [[i for i in range(len(counts)) if i not in verdicts], *bodies]
    corroborated = [c for indices in settled for c in _corroborated(spec, [counts[i] for i in indices if counts[i].value is not None])]
    return disagreements, sorted(corroborated, key=lambda c: _order(c.values[0]))


def _order(v: FigureValue) -> tuple:
    """A total order of values, so that the input order never changes the result."""
    return (v.as_of, v.value if v.value is not None else -1.0, v.low, v.high, v.source, v.stated, v.article, v.anchor)


class _Claim:
    """What one value claims: its number (`point`: the stated number, which forms the backbone and groups)
    and the range [low, high] the count lies in by its words. A lower bound ("at least 180") is consistent
    with larger counts, an upper bound ("fewer than 100") with smaller ones, but not without end: a count
    five times a stated bound is a probable error, so a bound's range stops there."""

    __slots__ = ("value", "point", "low", "high", "day", "source")

    def __init__(self, v: FigureValue):
        self.value = v
        self.day = v.as_of.toordinal()
        self.source = v.source
        self.point = v.value  # None for "dozens", "between 30 and 40"
        if v.value is None:
            self.low, self.high = v.low, v.high
        elif v.qualifier in LOWER_BOUNDS:
            self.low, self.high = v.value, v.value * PROBABLE_ERROR_RATIO
        elif v.qualifier in UPPER_BOUNDS:
            self.low, self.high = v.value / PROBABLE_ERROR_RATIO, v.value
        else:
            self.low = self.high = v.value

    def below(self, value: float, tolerance: float) -> bool:
        """True when this claim says less than `value`, beyond tolerance."""
        return self.high < value * (1 - tolerance)

    def above(self, value: float, tolerance: float) -> bool:
        """True when this claim says more than `value`, beyond tolerance."""
        return self.low * (1 - tolerance) > value

    def contradicts(self, other: _Claim, tolerance: float) -> bool:
        """True when no count fits both claims, within tolerance."""
        return self.below(other.low, tolerance) or self.above(other.high, tolerance)


@dataclass
class _Group:
    """Values of one time that agree: each within tolerance of the lowest."""

    members: list[int] = field(default_factory=list)  # indexes into the sorted values
    low: float = 0.0
    high: float = 0.0
    day: int = 0
    sources: int = 0
    only: str | None = None  # the one outlet of all its values, if it has one
    member_set: frozenset[int] = frozenset()

    @property
    def weight(self) -> tuple[int, int]:
        return (self.sources, len(self.members))

    def nearest(self, claims: list[_Claim], claim: _Claim, tolerance: float, count: int = AGAINST_KEPT) -> list[int]:
        """Up to `count` members of other sources than `claim`'s that it contradicts, nearest in time to it first."""
        if self.only == claim.source:  # one outlet's own values are never what it departs from
            return []
        if not hasattr(self, "_by_day"):  # made for the few groups outliers are judged against
            self._by_day = sorted(self.members, key=lambda j: (claims[j].day, j))
            self._days = [claims[j].day for j in self._by_day]
        right = bisect_left(self._days, claim.day)
        left = right - 1
        found: list[int] = []
        steps = 4 * count  # members looked at: a group of one outlet's values, or of values the claim agrees with, is not walked whole
        while len(found) < count and steps and (left >= 0 or right < len(self._by_day)):
            steps -= 1
            if right >= len(self._by_day) or (left >= 0 and claim.day - self._days[left] <= self._days[right] - claim.day):
                j, left = self._by_day[left], left - 1
            else:
                j, right = self._by_day[right], right + 1
            if claims[j].source != claim.source and claim.contradicts(claims[j], tolerance):
                found.append(j)
        return found

    def __contains__(self, i: int) -> bool:
        return i in self.member_set


def _groups(indices: list[int], claims: list[_Claim], tolerance: float) -> list[_Group]:
    """The values at `indices` that state a number cut into groups of agreeing values (sorted by value)."""
    points = sorted((i for i in indices if claims[i].point is not None), key=lambda i: claims[i].point)
    found: list[_Group] = []
    for i in points:
        value = claims[i].point
        if found and value * (1 - tolerance) <= found[-1].low:
            group = found[-1]
        else:
            group = _Group(low=value, day=claims[i].day)
            found.append(group)
        group.members.append(i)
        group.high = value
    for group in found:
        outlets = {claims[i].source for i in group.members}
        group.sources, group.only, group.member_set = len(outlets), next(iter(outlets)) if len(outlets) == 1 else None, frozenset(group.members)
    return found


# --------------------------------------------------------------- the judges
# Each returns {index of an outlying value: (reason, indexes of the values it departs from, nearest first)}.


def _judge_cumulative(spec: FigureSpec, claims: list[_Claim]) -> dict[int, tuple[str, list[int]]]:
    tolerance = spec.tolerance
    by_day: dict[int, list[int]] = {}
    for i, claim in enumerate(claims):
        by_day.setdefault(claim.day, []).append(i)
    days = sorted(by_day)
    backbone = _backbone([_groups(by_day[day], claims, tolerance) for day in days], tolerance)
    # what the backbone says on each of its days; the highest value reported up to a day, and the lowest from a day on
    spine_days = [g.day for g in backbone]
    rising = [g.high for g in backbone]
    for k in range(1, len(rising)):
        rising[k] = max(rising[k], rising[k - 1])
    falling = [g.low for g in backbone]
    for k in range(len(falling) - 2, -1, -1):
        falling[k] = min(falling[k], falling[k + 1])
    on_spine = {i for g in backbone for i in g.members}

    verdicts = {}
    for i, claim in enumerate(claims):
        if i in on_spine:
            continue
        k = bisect_left(spine_days, claim.day)
        same = backbone[k] if k < len(backbone) and backbone[k].day == claim.day else None
        after = k + 1 if same is not None else k
        # the first of these that other sources' values show: the same day, then earlier days, then later ones
        for reason, conflicting, against in (
            ("same-time", same is not None and (claim.below(same.low, tolerance) or claim.above(same.high, tolerance)), lambda: same.nearest(claims, claim, tolerance)),
            ("lower-than-earlier", k > 0 and claim.below(rising[k - 1], tolerance), lambda: _nearest(backbone, range(k - 1, -1, -1), claims, claim, tolerance, lambda g: claim.below(g.high, tolerance))),
            ("higher-than-later", after < len(backbone) and claim.above(falling[after], tolerance), lambda: _nearest(backbone, range(after, len(backbone)), claims, claim, tolerance, lambda g: claim.above(g.low, tolerance))),
        ):
            found = against() if conflicting else []
            if found:
                verdicts[i] = (reason, found)
                break
    return verdicts


def _backbone(days: list[list[_Group]], tolerance: float) -> list[_Group]:
    """The chain of at most one group per day, in day order, whose values never fall beyond tolerance,
    with the most sources (then values): a weighted longest non-decreasing subsequence, kept in a
    Fenwick tree of the best chain ending at each value, so n groups cost n log n."""
    values = sorted({g.low for groups in days for g in groups})
    tree: list[tuple] = [((0, 0), -1)] * (len(values) + 1)  # best (weight, group) over value ranks
    flat: list[_Group] = []
    previous: list[int] = []
    best_of: list[tuple[int, int]] = []
    for groups in days:
        chosen = []
        for g in groups:  # a day's groups are judged against earlier days only: one group per day
            rank = bisect_right(values, g.low / (1 - tolerance) if tolerance < 1 else math.inf)
            best, before = (0, 0), -1
            while rank > 0:
                if tree[rank][0] > best:
                    best, before = tree[rank]
                rank -= rank & -rank
            chosen.append(((best[0] + g.weight[0], best[1] + g.weight[1]), before, g))
        for weight, before, g in chosen:
            flat.append(g)
            previous.append(before)
            best_of.append(weight)
            rank = bisect_left(values, g.low) + 1
            while rank < len(tree):
                if weight > tree[rank][0]:
                    tree[rank] = (weight, len(flat) - 1)
                rank += rank & -rank
    if not flat:
        return []
    # Of chains as strong, the one ending lowest: two sources alone that conflict are both named
    # either way, and a number that is too high (an extra digit) is the likelier slip.
    k = max(range(len(flat)), key=lambda n: (best_of[n], -flat[n].low, -n))
    chain = []
    while k != -1:
        chain.append(flat[k])
        k = previous[k]
    return chain[::-1]


def _nearest(backbone: list[_Group], ks, claims: list[_Claim], claim: _Claim, tolerance: float, conflicts) -> list[int]:
    """The values of other sources in the backbone groups `ks` (nearest in time first) that `conflicts` with
    `claim`: those of the nearest such day and of any day within SAME_TIME_DAYS of it."""
    found: list[int] = []
    first_day = None
    for k in ks:
        group = backbone[k]
        if first_day is not None and abs(group.day - first_day) > SAME_TIME_DAYS:
            break
        if not conflicts(group):
            continue
        members = group.nearest(claims, claim, tolerance, AGAINST_KEPT - len(found))
        if members:
            first_day = group.day if first_day is None else first_day
            found.extend(members)
        if len(found) >= AGAINST_KEPT:
            break
    return found


def _judge_level(spec: FigureSpec, claims: list[_Claim]) -> dict[int, tuple[str, list[int]]]:
    """Each value against the largest group of its window (the values within `window` days of its day)."""
    window = spec.window
    days = [c.day for c in claims]  # claims are in day order
    verdicts = {}
    k = 0
    while k < len(claims):
        day = days[k]
        end = bisect_right(days, day)
        inside = list(range(bisect_left(days, day - window), bisect_right(days, day + window)))
        consensus = _consensus(_groups(inside, claims, spec.tolerance), claims)
        for i in range(k, end):
            verdict = _departs(i, consensus, claims, spec.tolerance)
            if verdict:
                verdicts[i] = ("same-time", verdict)
        k = end
    return verdicts


def _judge_fixed(spec: FigureSpec, claims: list[_Claim]) -> dict[int, tuple[str, list[int]]]:
    consensus = _consensus(_groups(list(range(len(claims))), claims, spec.tolerance), claims)
    verdicts = {}
    for i in range(len(claims)):
        verdict = _departs(i, consensus, claims, spec.tolerance)
        if verdict:
            verdicts[i] = ("same-time", verdict)
    return verdicts


def _consensus(groups: list[_Group], claims: list[_Claim]) -> _Group | None:
    """The group most sources agree on; on a tie, the one reported first (a later report departs from it)."""
    if not groups:
        return None
    return max(groups, key=lambda g: (g.weight, -min(claims[i].day for i in g.members), -g.low))


def _departs(i: int, consensus: _Group | None, claims: list[_Claim], tolerance: float) -> list[int]:
    """The consensus values of other sources that value `i` conflicts with, nearest in time first (none when it agrees)."""
    claim = claims[i]
    if consensus is None or i in consensus:
        return []
    if not (claim.below(consensus.low, tolerance) or claim.above(consensus.high, tolerance)):
        return []
    return consensus.nearest(claims, claim, tolerance)


# ------------------------------------------------------ disagreements and groups


# Words that name no particular counting body, and the words for one kind of body.
_BODY_FILLER = frozenset("the of in on for s crews crew officials official spokesman spokeswoman spokesperson figures figure tallies tally data count counts statement says said own".split())
_BODY_KINDS = {"authorities": "ministry", "authority": "ministry", "department": "ministry", "ministry": "ministry", "israeli": "israel"}


@lru_cache(maxsize=4096)
def body_words(body: str) -> frozenset[str]:
    """A counting body's name as a set of words compared loosely: "Gaza's health ministry", "the
    health ministry in Gaza" and "Gaza's health authorities" give the same words."""
    words = re.findall(r"[a-z]+", body.lower().replace("'s", " ").replace("’s", " "))
    return frozenset(_BODY_KINDS.get(w, w) for w in words if w not in _BODY_FILLER)


def _disagreements(spec: FigureSpec, values: list[FigureValue], verdicts: dict[int, tuple[str, list[int]]]) -> tuple[list[Disagreement], list[list[int]]]:
    """One disagreement per outlying statement (an outlet's words, in however many articles),
    and one per pair of counting bodies for the statements credited to a body the others do not cite;
    and the values of each body that departs."""
    body = _bodies(values)
    statements: dict[tuple, list[int]] = {}
    alone = []  # outliers credited to no body that others do not cite
    for i, (reason, against) in sorted(verdicts.items()):
        v = values[i]
        named = Counter(body[j] for j in against if body[j])
        other = _most_common(named) if named else None  # the body most of what it departs from credit
        if body[i] and other is not None and other != body[i]:
            ratio, _ = _error(v, [values[j] for j in against], spec)
            if ratio is None or ratio < PROBABLE_ERROR_RATIO:  # ten times another body's count is a slip, not a way of counting
                statements.setdefault(("counting-body", frozenset({body[i], other})), []).append(i)  # one dispute per pair of bodies, whichever departs
                continue
        alone.append(i)
    for n, members in enumerate(_alike(spec, values, verdicts, alone)):
        statements[("statement", n)] = members

    found, bodies = [], []
    for key, members in statements.items():
        if key[0] == "counting-body":
            disagreement, sides = _body_dispute(spec, values, verdicts, body, key[1], members)
            bodies.extend(sides)
        else:
            disagreement = _statement_dispute(spec, values, verdicts, members)
        found.append(disagreement)
    found.sort(key=lambda d: (d.severity != "probable-error", -(d.ratio or 0.0), d.outlier[0].as_of, d.outlier[0].source, d.outlier[0].says))
    return found, bodies


def _alike(spec: FigureSpec, values: list[FigureValue], verdicts: dict, outliers: list[int]) -> list[list[int]]:
    """The `outliers` in sets that say the same thing: one outlet's statement in all its articles, and values
    of other outlets that agree with it for the same time (within tolerance of the set's lowest, for the same
    reason, as-of dates at most a window apart: a week for `cumulative`, `window` for `level`, any for `fixed`)."""
    span = math.inf if spec.trend == "fixed" else spec.window if spec.trend == "level" else SAME_TIME_DAYS
    order = sorted(outliers, key=lambda i: (verdicts[i][0], values[i].value is None, values[i].value or 0.0, values[i].as_of, i))
    parent = {i: i for i in outliers}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    lowest, last = None, None
    for previous, i in zip([None, *order], order):
        v = values[i]
        if (
            previous is not None
            and v.value is not None
            and values[previous].value is not None
            and verdicts[i][0] == verdicts[previous][0]
            and v.value * (1 - spec.tolerance) <= values[lowest].value
            and (v.as_of - values[last].as_of).days <= span
        ):
            parent[root(i)] = root(previous)
            last = i if v.as_of > values[last].as_of else last
        else:
            lowest = last = i
    said: dict[tuple, int] = {}
    for i in outliers:  # one statement is never split
        v = values[i]
        key = (v.source, v.stated, v.value, v.low, v.high)
        if key in said:
            parent[root(i)] = root(said[key])
        else:
            said[key] = i
    sets: dict[int, list[int]] = {}
    for i in sorted(outliers):
        sets.setdefault(root(i), []).append(i)
    return list(sets.values())


def _statement_dispute(spec: FigureSpec, values: list[FigureValue], verdicts: dict, members: list[int]) -> Disagreement:
    """One outlet's statement (in every article that makes it) against the values it departs from."""
    against = [values[j] for j in _dedupe([j for i in members for j in verdicts[i][1]])]
    outlier = [values[i] for i in members]
    ratio, explanation = _error(outlier[0], against, spec)
    probable = ratio is not None and ratio >= PROBABLE_ERROR_RATIO and _same_time(spec, outlier[0], against)
    return _disagreement(spec, "probable-error" if probable else "differs", verdicts[members[0]][0], ratio, explanation if probable else "", outlier, against)


def _body_dispute(spec: FigureSpec, values: list[FigureValue], verdicts: dict, body: list, pair: frozenset, members: list[int]) -> tuple[Disagreement, list[list[int]]]:
    """Two counting bodies' values, as one disagreement: the body with more values departing is the outlier,
    and it departs from the other body's values. Also the departing values of each body."""
    sides = sorted(pair, key=lambda words: (-sum(body[i] == words for i in members), sorted(words)))
    departing = [[i for i in members if body[i] == words] for words in sides] + [[]]
    against = _dedupe([j for i in departing[0] for j in verdicts[i][1]] + departing[1])
    names = (_body_name(values, departing[0], body), _body_name(values, against, body))
    disagreement = _disagreement(spec, "differs", "counting-body", None, f"{names[0]} and {names[1]} count differently", [values[i] for i in departing[0]], [values[j] for j in against])
    return disagreement, [side for side in departing if side]


def _bodies(values: list[FigureValue]) -> list[frozenset[str]]:
    """The counting body of each value, as one set of words per body (each name mapped to the shortest
    name it contains: "Tolvarian Red Crescent" is "Red Crescent"), empty when none is known. A value
    whose sentence credits no body takes the body other sentences credit the very same number to,
    when they credit just one."""
    named = {body_words(v.attributed_to) for v in values if v.attributed_to} - {frozenset()}
    canonical: dict[frozenset[str], frozenset[str]] = {}
    for words in sorted(named, key=lambda w: (len(w), sorted(w))):
        canonical[words] = next((c for c in canonical.values() if c <= words), words)
    body = [canonical.get(body_words(v.attributed_to), frozenset()) for v in values]
    by_number: dict[float, set[frozenset[str]]] = {}
    for v, words in zip(values, body):
        if words and v.value is not None:
            by_number.setdefault(v.value, set()).add(words)
    for i, v in enumerate(values):
        if not body[i] and len(by_number.get(v.value, ())) == 1:
            body[i] = next(iter(by_number[v.value]))
    return body


def _most_common(counted: Counter) -> frozenset[str]:
    return min(counted, key=lambda words: (-counted[words], sorted(words)))


def _dedupe(indices: list[int]) -> list[int]:
    """Each index once, in the order first named."""
    return list(dict.fromkeys(indices))


def _body_name(values: list[FigureValue], indices: list[int], body: list[frozenset[str]]) -> str:
    """The name `values[indices]` use most for the body they credit most."""
    bodies = Counter(body[i] for i in indices if body[i])
    if not bodies:
        return "other sources"
    main = _most_common(bodies)
    names = Counter(values[i].attributed_to for i in indices if values[i].attributed_to and body[i] == main)
    return min(names, key=lambda name: (-names[name], name)) if names else " ".join(sorted(main))


def _disagreement(spec: FigureSpec, severity: str, reason: str, ratio: float | None, explanation: str, outlier: list[FigureValue], against: list[FigureValue]) -> Disagreement:
    return Disagreement(
        kind="figure",
        about=spec.label,
        figure=spec.id,
        severity=severity,
        reason=reason,
        ratio=ratio,
        explanation=explanation,
        outlier=[_position(v) for v in outlier],
        against=[_position(v) for v in against[:AGAINST_SHOWN]],
    )


def _position(value: FigureValue) -> DisagreementPosition:
    return DisagreementPosition(value.article, value.source, value.stated, value.value, value.as_of, value.anchor)


def _same_time(spec: FigureSpec, outlier: FigureValue, against: list[FigureValue]) -> bool:
    """A probable error is judged against values of the same time: within the window (level), any (fixed)."""
    if spec.trend == "fixed":
        return True
    span = spec.window if spec.trend == "level" else SAME_TIME_DAYS
    return any(abs((v.as_of - outlier.as_of).days) <= span for v in against)


def _error(outlier: FigureValue, against: list[FigureValue], spec: FigureSpec) -> tuple[float | None, str]:
    """How many times the outlier is away from the values it departs from, and what it probably is."""
    if outlier.value is None or not against:
        return None, ""
    points = sorted(v.value for v in against if v.value is not None)
    if not points:
        return None, ""
    reference = points[len(points) // 2]
    low, high = min(outlier.value, reference), max(outlier.value, reference)
    ratio = high / low if low > 0 else math.inf
    if ratio < PROBABLE_ERROR_RATIO:
        return ratio, ""
    for value in list(dict.fromkeys(v.value for v in against if v.value is not None))[:AGAINST_SHOWN]:
        explanation = explain_error(outlier.value, value, spec.tolerance)
        if explanation:
            return ratio, explanation
    return ratio, ""


def explain_error(a: float, b: float, tolerance: float) -> str:
    """Say what a wildly different value probably is, when the other value explains it."""
    high, low = max(a, b), min(a, b)
    digits = f"{high:.0f}"
    if high == int(high) and len(digits) > 1:
        for i in range(len(digits)):
            candidate = int(digits[:i] + digits[i + 1 :])
            if relative_difference(candidate, low) <= max(tolerance, 0.05):
                return f"{high:,.0f}: likely {candidate:,} with an extra digit"
    for power in (10, 100, 1000):
        if relative_difference(high / power, low) <= max(tolerance, 0.05):
            return f"{high:,.0f}: likely off by a factor of {power:,}"
    return ""


def _corroborated(spec: FigureSpec, points: list[FigureValue]) -> list[Corroboration]:
    """Runs of agreeing values in time (each within tolerance of the run's lowest and highest; for `level`,
    no gap longer than the window), stated by two or more different outlets. A bound ("more than 40,000")
    that does not agree with the run it stands in is left out without ending it."""
    runs: list[list[FigureValue]] = []
    low = high = 0.0
    for v in points:  # in time order
        run = runs[-1] if runs else None
        if (
            run is not None
            and max(high, v.value) * (1 - spec.tolerance) <= min(low, v.value)
            and (spec.trend != "level" or (v.as_of - run[-1].as_of).days <= spec.window)
        ):
            run.append(v)
            low, high = min(low, v.value), max(high, v.value)
        elif run is not None and v.qualifier in LOWER_BOUNDS | UPPER_BOUNDS:
            continue
        else:
            runs.append([v])
            low = high = v.value
    if spec.trend == "fixed":  # one event: agreeing values are one group whatever the order they came in
        runs = _merge_runs(runs, spec.tolerance)
    result = []
    for run in runs:
        if len({v.source for v in run}) >= 2:
            counted = Counter(v.value for v in run)
            latest = {v.value: v.as_of for v in run}  # in time order: each value's last date
            common = max(counted, key=lambda value: (counted[value], latest[value]))
            result.append(Corroboration(spec.id, common, run))
    return result


def _merge_runs(runs: list[list[FigureValue]], tolerance: float) -> list[list[FigureValue]]:
    """The values of `runs` regrouped by value alone (each group within tolerance of its lowest), in time order."""
    by_value = sorted((v for run in runs for v in run), key=lambda v: (v.value, _order(v)))
    groups: list[list[FigureValue]] = []
    for v in by_value:
        if groups and v.value * (1 - tolerance) <= groups[-1][0].value:
            groups[-1].append(v)
        else:
            groups.append([v])
    return sorted((sorted(g, key=_order) for g in groups), key=lambda g: _order(g[0]))
