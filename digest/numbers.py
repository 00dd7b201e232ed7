"""Find the numbers a paragraph states and tell which topic figure each one counts.

`find_mentions` reads one paragraph in a single scan of one precompiled
pattern, then throws out what only looks like a count (years, dates, times,
ordinals, ages, numbers in names).  Each kept number carries its qualifier,
the date it is stated "as of" and the body the sentence credits for it.
`assign_figures` then gives every number at most one figure of a topic,
following SPEC.md, "What "disagree" means".
"""

from __future__ import annotations

import datetime as dt
import math
import re
from bisect import bisect_left
from dataclasses import dataclass, replace

from .model import FigureSpec

__all__ = ["Mention", "split_sentences", "find_mentions", "assign_figures"]


@dataclass(frozen=True)
class Mention:
    """One number as a source states it."""

    value: float | None  # None for vague quantities ("dozens")
    low: float
    high: float
    stated: str  # the words as written, qualifier included
    qualifier: str
    start: int  # span of `stated` in the text passed in
    end: int
    sentence: str
    is_percent: bool
    as_of: dt.date
    attributed_to: str
    status: str = ""  # "" (a count), "estimate" or "withdrawn": see `_status`


# ------------------------------------------------------------------ sentences

# A run of terminal punctuation (and closing quotes) followed by a capital,
# digit or opening quote starts a new sentence; so does a blank line.
_BOUNDARY_RE = re.compile(
    r"""(?P<punct>[.!?]+)["'”’)\]]*(?=\s+["'“‘(\[]*[A-Z0-9])|\n[ \t]*\n"""
)
_ABBREVIATIONS = frozenset(
    """Mr Mrs Ms Dr Prof Gen Lt Col Maj Capt Sgt Cpl Adm Gov Sen Rep Rev St Jr
    Sr Mt Ft vs Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Inc
    Corp Ltd Co approx est""".split()
)
# Initials and dotted acronyms: "J." "U.S." "U.N." "e.g." "a.m."
_DOTTED_RE = re.compile(r"[A-Z]|(?:[A-Za-z]\.)+[A-Za-z]")
_DIGIT_NEXT_RE = re.compile(r"\s+\d")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in `text`, surrounding whitespace excluded.

    A period after an abbreviation, an initial or an acronym ("Mr.", "Jan.",
    "U.N.") does not end a sentence; one inside a number ("1.2") never does.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY_RE.finditer(text):
        if m.group("punct") == ".":
            word_start = max(text.rfind(" ", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
            word = text[word_start : m.start()].lstrip("(\"'“‘[")
            if word in _ABBREVIATIONS or _DOTTED_RE.fullmatch(word):
                continue
            if word in ("No", "Nos") and _DIGIT_NEXT_RE.match(text, m.end()):
                continue  # "No. 10", but "No." alone is an answer
        end = m.end() if m.group("punct") else m.start()
        _add_span(text, start, end, spans)
        start = m.end()
    _add_span(text, start, len(text), spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))


# ------------------------------------------------------------ number pattern

_QUALIFIERS = {  # as written (lower case, single spaces) → canonical
    "at least": "at least",
    "no fewer than": "at least",
    "no less than": "at least",
    "more than": "more than",
    "over": "over",
    "well over": "over",
    "just over": "over",
    "upwards of": "over",
    "in excess of": "over",
    "passed": "over",  # "the toll has passed 10,000"
    "topped": "over",
    "surpassed": "over",
    "exceeded": "over",
    "nearly": "nearly",
    "almost": "almost",
    "around": "around",
    "about": "about",
    "approximately": "approximately",
    "an estimated": "an estimated",
    "estimated": "an estimated",
    "up to": "up to",
    "as many as": "up to",
    "some": "some",
    "roughly": "roughly",
    "fewer than": "fewer than",
    "less than": "less than",
    "close to": "close to",
}
_UNITS = {w: i for i, w in enumerate("one two three four five six seven eight nine".split(), 1)}
_TEENS = {
    w: i
    for i, w in enumerate(
        "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split(), 10
    )
}
_TENS = {
    w: 10 * i
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
_SCALES = {"hundred": 100, "dozen": 12, "thousand": 1e3, "million": 1e6, "billion": 1e9}
_SUFFIXES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
             "k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9}
# Vague quantities: shown as ranges, never compared as points.
_VAGUE = {
    "dozens": (24, 99),
    "scores": (40, 199),
    "hundreds": (200, 999),
    "thousands": (2_000, 9_999),
    "tens of thousands": (20_000, 99_999),
    "hundreds of thousands": (200_000, 999_999),
    "millions": (2_000_000, 9_999_999),
    "tens of millions": (20_000_000, 99_999_999),
    "hundreds of millions": (200_000_000, 999_999_999),
}
_SEVERAL = {"several": (3, 9), "a few": (2, 5)}  # × the scale word that follows


def _alternation(words, capital: bool = False) -> str:
    """Longest first, so "more than" wins over "more" and "seventy" over "seven".

    With `capital`, the first letter may also be upper case (sentence start).
    The patterns are case-sensitive: re.IGNORECASE halves the scanning speed.
    """
    ordered = sorted(words, key=len, reverse=True)
    if capital:
        ordered = [f"[{w[0].upper()}{w[0]}]{w[1:]}" for w in ordered]
    return "|".join(w.replace(" ", r"\s+") for w in ordered)


def _small(capital: bool) -> str:
    """One to ninety-nine in words."""
    return (
        rf"(?:(?:{_alternation(_TENS, capital)})(?:[-\s](?:{_alternation(_UNITS)})\b)?"
        rf"|{_alternation(_TEENS, capital)}|{_alternation(_UNITS, capital)})\b"
    )


_SCALE = rf"(?:{_alternation(_SCALES)})\b"
_SCALED = rf"(?:\s+and\s+a\s+half)?(?:[\s-]+{_SCALE})+(?:\s+and\s+{_small(False)})?"
_WORDS = (  # "twelve", "two million", "a hundred", "half a million", "two hundred and fifty"
    rf"[Hh]alf\s+a\s+{_SCALE}|[Aa]{_SCALED}|{_small(True)}(?:{_SCALED})?"
)
_SCALE_RE = re.compile(_SCALE)
_EUROPEAN_RE = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")
_VAGUE_PATTERN = (
    r"(?:[Tt]ens|[Hh]undreds)\s+of\s+(?:thousands|millions)|[Dd]ozens|[Ss]cores(?=\s+of\b)"
    r"|[Hh]undreds|[Tt]housands|[Mm]illions"
    r"|(?:[Ss]everal|[Aa]\s+few)\s+(?:hundred\s+thousand|dozen|hundred|thousand|million)\b"
)

# The one pattern a paragraph is scanned with.  Its alternatives start with
# distinct literals and no quantified group contains another, so a failed
# attempt costs a few steps and nothing backtracks far; the lookahead skips
# word starts no alternative can match.  The qualifier is looked up behind a
# match instead of being part of the pattern: that halves the scanning time.
_NUMBER_RE = re.compile(
    rf"""
    (?<![\w.,/:=#&+-])                      # not inside a word, URL or number: "i24", "F-16"
    (?=[\d$€£AaDdEeFfHhMmNnOoSsTt])
    (?P<cur>[$€£])?
    (?:
        (?P<vague>{_VAGUE_PATTERN})
      | (?P<digits>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d{{1,3}}(?:\.\d{{3}})+|\d+(?:\.\d+)?)
        (?:\s*(?P<scale>thousand|million|billion|trillion)\b|(?P<abbr>[kKmM]|mn|bn)\b)?
      | (?P<words>{_WORDS})
    )
    (?P<pct>\s*(?:%|per\s?cent\b|percent\b))?
    (?!\w)
    """,
    re.VERBOSE,
)

_QUALIFIER_RE = re.compile(rf"(?<!\w)(?:{_alternation(_QUALIFIERS, capital=True)})\s+$")
_QUALIFIER_REACH = 24  # characters: "no fewer than" plus spaces

_MONTHS = {
    "January": 1, "Jan": 1, "February": 2, "Feb": 2, "March": 3, "Mar": 3,
    "April": 4, "Apr": 4, "May": 5, "June": 6, "Jun": 6, "July": 7, "Jul": 7,
    "August": 8, "Aug": 8, "September": 9, "Sept": 9, "Sep": 9, "October": 10,
    "Oct": 10, "November": 11, "Nov": 11, "December": 12, "Dec": 12,
}
_MONTH = rf"(?:{_alternation(_MONTHS)})"
# Words after which a number is a name, not a count: "Channel 12", "phase one".
_NAME_WORDS = frozenset(
    """channel resolution route article gate phase kan section chapter clause
    paragraph page room highway road flight platform stage round season
    episode level category magnitude unit no nos number building block
    sector terminal day week boeing airbus unscr""".split()
)
_WORD_BEFORE_RE = re.compile(r"([A-Za-z]+)\.?\s*$")
_DATE_BEFORE_RE = re.compile(  # "December 23", "Dec. 20", "December 23 and"
    rf"\b{_MONTH}\.?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?\s*(?:and|to|-|–)\s*)*$"
)
_PROPORTION_BEFORE_RE = re.compile(  # the 10 of "nine out of 10"
    rf"(?<!\w)(?:\d+|{_alternation([*_UNITS, 'ten'], capital=True)})\s+(?:out\s+of|in)\s+$"
)
_AGE_BEFORE_RE = re.compile(  # "aged 12", "aged 19 and", "under the age of"
    r"\bage[ds]?\s+(?:between\s+|of\s+)?(?:\d+\s*(?:,|and|to|or|-)\s*)*$", re.IGNORECASE
)
# What may follow a number that makes it something other than a count.
_AFTER_RE = re.compile(
    rf"""
      -[A-Za-z]                                # compound adjective: "12-year-old", "two-state"
    | [-/:.]\d                                 # time, date, score, version: "10:30", "12/23"
    | \s*(?i:a\.m\.|p\.m\.|(?:am|pm|gmt|utc|hrs)\b|local\s+time)
    | \s+(?i:years?|months?)[\s-]+old\b
    | \s+(?i:years?\s+of\s+age)\b
    | (?:\s*(?:and|to|–)\s*\d{{1,2}})*\s+(?:of\s+)?{_MONTH}\b   # "7 October", "23 and 24 December"
    | \s*-?(?i:magnitude|on\s+the\s+richter)
    | \s+(?:out\s+of|in)\s+(?:10|100|ten|a\s+hundred|three|four|five)\b   # "nine out of 10", "four in five"
      (?!\s+(?i:minutes?|hours?|days?|weeks?|months?|years?)\b)
    """,
    re.VERBOSE,
)
_NEXT_WORD_RE = re.compile(r"\s+([A-Za-z][\w'’-]*)")
# Words that cannot be what a number word counts ("the two of them", "one said").
_NOT_NOUNS = frozenset(
    """of the a an and or but nor to in on at by for with from as is are was
    were be been being has have had do did does said says say told who whom
    which that this these those it its they them their he him his she her we
    us our you your i if than then so not no will would could should can may
    might must after before since until while when where into onto over under
    about per times each apiece percent out""".split()
)


_LETTERS_RE = re.compile(r"[a-z]+")


def _number_words(words: str) -> float:
    """Value of "twenty-five", "two hundred and fifty", "half a million"..."""
    tokens = _LETTERS_RE.findall(words.lower())
    total = current = 0.0
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok == "half" and tokens[i + 1 : i + 2] == ["a"]:
            current, i = 0.5, i + 1
        elif tok == "and" and tokens[i + 1 : i + 3] == ["a", "half"]:
            current, i = current + 0.5, i + 2
        elif tok == "a":
            current = 1.0
        elif tok in ("hundred", "dozen"):
            current = (current or 1.0) * _SCALES[tok]
        elif tok in _SCALES:
            total, current = total + (current or 1.0) * _SCALES[tok], 0.0
        elif tok != "and":
            current += _UNITS.get(tok) or _TEENS.get(tok) or _TENS[tok]
        i += 1
    return total + current


def _quantity(m: re.Match, text: str) -> tuple[float | None, float, float] | None:
    """(value, low, high) of a pattern match, or None when it is not a count."""
    before = text[max(0, m.start() - 40) : m.start()]
    word = _WORD_BEFORE_RE.search(before)
    if word and word.group(1).lower() in _NAME_WORDS:
        return None
    if any(p.search(before) for p in (_DATE_BEFORE_RE, _AGE_BEFORE_RE, _PROPORTION_BEFORE_RE)):
        return None
    if _AFTER_RE.match(text, m.end()):
        return None
    pct = bool(m.group("pct"))

    if vague := m.group("vague"):
        key = " ".join(vague.lower().split())
        if key in _VAGUE:
            low, high = _VAGUE[key]
        else:  # "several hundred", "a few dozen", "several hundred thousand"
            lead = "several" if key.startswith("several") else "a few"
            factor = 1.0
            for scale in key[len(lead) :].split():
                factor *= _SCALES[scale]
            low, high = (n * factor for n in _SEVERAL[lead])
        return None, float(low), float(high)

    if words := m.group("words"):
        if not _SCALE_RE.search(words):
            if words.lower() == "one":  # "one official said", "one of the..."
                return None
            follower = _NEXT_WORD_RE.match(text, m.end())
            if not pct and (not follower or follower.group(1).lower() in _NOT_NOUNS):
                return None
        value = _number_words(words)
        return value, value, value

    digits = m.group("digits")
    suffix = (m.group("scale") or m.group("abbr") or "").lower()
    if "," in digits:
        value = float(digits.replace(",", ""))
    elif _EUROPEAN_RE.fullmatch(digits) and (digits.count(".") > 1 or not (suffix or pct)):
        value = float(digits.replace(".", ""))  # European thousands: "45.000"
    else:
        value = float(digits)
        if not (suffix or pct or m.group("cur")) and len(digits) == 4 and 1900 <= value <= 2100:
            return None  # a year
    value = round(value * _SUFFIXES.get(suffix, 1), 6)
    return value, value, value


# --------------------------------------------------------------- as-of dates

_WEEKDAYS = {d: i for i, d in enumerate("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())}
_PREPS = "as of|as at|on|by|until|till|through|since|from|after|before|between|last|in".split("|")
_DATE_RE = re.compile(
    rf"""
    (?<!\w)
    (?:(?P<prep>{_alternation(_PREPS, capital=True)})\s+)?
    (?:
        (?P<weekday>{"|".join(_WEEKDAYS)})\b
      | (?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{{4}})\b)?
      | (?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>{_MONTH})\b\.?(?:,?\s+(?P<year2>\d{{4}})\b)?
      | (?P<relative>{_alternation(["yesterday", "today", "tonight", "last night", "last week"], capital=True)})\b
      | (?P<ago>\d{{1,2}}|{_alternation(["two", "three", "four", "five", "six", "seven", "ten"], capital=True)})
        \s+days\s+ago\b
    )
    """,
    re.VERBOSE,
)
_AS_OF_PREPS = frozenset({"as of", "as at", "by", "until", "till", "through"})
_EVENT_PREPS = frozenset({"since", "from", "after", "before", "between", "in"})
_RELATIVE_DAYS = {"yesterday": 1, "last night": 1, "today": 0, "tonight": 0, "last week": 7}
_RECENT = dt.timedelta(days=31)  # older dates without "as of" are events ("on October 7")


def _dates(text: str, start: int, end: int, published: dt.date) -> list[tuple[int, int, dt.date]]:
    """As-of dates stated in text[start:end], resolved against `published`."""
    found = []
    for m in _DATE_RE.finditer(text, start, end):
        prep = " ".join((m.group("prep") or "").lower().split())
        if prep in _EVENT_PREPS:
            continue
        date = _resolve_date(m, prep, published)
        if date is None or date > published:
            continue
        if prep not in _AS_OF_PREPS and published - date > _RECENT:
            continue
        found.append((m.start(), m.end(), date))
    return found


def _resolve_date(m: re.Match, prep: str, published: dt.date) -> dt.date | None:
    """The date a `_DATE_RE` match names; weekdays and yearless dates look back from `published`."""
    if m.group("weekday"):
        back = (published.weekday() - _WEEKDAYS[m.group("weekday")]) % 7
        return published - dt.timedelta(days=back or (7 if prep == "last" else 0))
    if relative := m.group("relative"):
        return published - dt.timedelta(days=_RELATIVE_DAYS[" ".join(relative.lower().split())])
    if ago := m.group("ago"):
        days = int(ago) if ago.isdigit() else _UNITS.get(ago.lower()) or _TEENS[ago.lower()]
        return published - dt.timedelta(days=days)
    month = _MONTHS[m.group("month") or m.group("month2")]
    day = int(m.group("day") or m.group("day2"))
    year = m.group("year") or m.group("year2")
    try:
        date = dt.date(int(year) if year else published.year, month, day)
        if not year and date > published:  # "December 30" read in January
            date = date.replace(year=published.year - 1)
    except ValueError:
        return None
    return date


# --------------------------------------------------------------- attribution

_ACCORDING_RE = re.compile(
    r"""\b(?i:according\s+to|citing)\s+
    (?P<body>[^,;:()"“”—–]+?)
    (?=\s*(?:[,;:()"“”—–]|\.?$)
       |\s+(?i:which|who|that|as\s+of|on|since|after|before|while|when|because|but|in\s+(?:a|an|its|their))\b)
    """,
    re.VERBOSE,
)
_SOURCE_PREFIX_RE = re.compile(
    r"(?i:(?:the\s+)?(?:latest\s+|new\s+|official\s+)?"
    r"(?:figures|data|statistics|numbers|tallies|a\s+tally|a\s+count|a\s+statement|a\s+report|reports)"
    r"\s+(?:released\s+|published\s+|issued\s+|compiled\s+|provided\s+)?(?:by|from))\s+"
)
_SAID_RE = re.compile(
    r"\b(?:said|says|say|reported|reports|stated|announced|estimated|estimates|estimate"
    r"|confirmed|told|put|puts|counted|recorded)\b"
)
_ACRONYM_END_RE = re.compile(r"(?:^|\s)(?:[A-Z]\.)+[A-Z]$")
_TOKEN_RE = re.compile(r"\S+")
# Heads of a credited body; bodies also qualify by a capital ("Israel", "Civil Defence").
_BODY_NOUNS = frozenset(
    """ministry ministries authorities authority agency agencies office army
    military police government defence defense services officials medics
    doctors paramedics rescuers crews hospital hospitals committee commission
    council department forces""".split()
)
_BODY_MODIFIERS = frozenset(
    """health civil local medical emergency interior state federal regional
    provincial rescue humanitarian aid""".split()
)
_CONNECTORS = frozenset({"of", "for", "in", "on", "and", "the"})
_SKIP_BEFORE_VERB = frozenset({"has", "have", "had", "also", "later", "earlier", "previously", "separately"})
_PRONOUNS = frozenset({"a", "an", "this", "that", "it", "he", "she", "they", "we", "i", "but"})
_TRAILING_PUNCT = ",;:\"”’)!?"


def _strip(token: str) -> str:
    """A token without trailing punctuation; an acronym keeps its periods ("U.N.")."""
    core = token.rstrip(_TRAILING_PUNCT)
    if core.endswith(".") and not _DOTTED_RE.fullmatch(core[:-1]):
        core = core[:-1]
    return core


def _is_body_word(word: str) -> bool:
    lower = word.lower()
    if lower in _PRONOUNS or lower in _CONNECTORS or word in _WEEKDAYS or word in _MONTHS:
        return False
    return word[0].isupper() or lower in _BODY_NOUNS or lower in _BODY_MODIFIERS


def _is_head(word: str) -> bool:
    return word[0].isupper() or word.lower() in _BODY_NOUNS


def _bodies(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Counting bodies credited in text[start:end]: "according to X", "X said"."""
    found = []
    for m in _ACCORDING_RE.finditer(text, start, end):
        body = _SOURCE_PREFIX_RE.sub("", m.group("body").strip(), count=1)
        if _ACRONYM_END_RE.search(body):
            body += "."  # "the U.N." lost its last period to the sentence end
        if body:
            found.append((m.start(), m.end(), body))
    for m in _SAID_RE.finditer(text, start, end):
        before = _TOKEN_RE.findall(text, start, m.start())
        body = _noun_phrase_before(before)
        if not body and before and before[-1][-1] in ",\"”'’":  # '..., said the ministry'
            body = _noun_phrase_after(_TOKEN_RE.findall(text, m.end(), end))
        if body:
            found.append((m.start(), m.end(), body))
    return found


def _noun_phrase_before(tokens: list[str]) -> str:
    """The body named just before a verb: "the Civil Defence said" → "Civil Defence"."""
    while tokens and tokens[-1].lower() in _SKIP_BEFORE_VERB:
        tokens = tokens[:-1]
    words: list[str] = []
    for tok in reversed(tokens[-8:]):
        if _strip(tok) != tok:  # "Gaza, said": the phrase stops at punctuation
            break
        if _is_body_word(tok) and (words or _is_head(tok)):
            words.append(tok)
        elif tok.lower() in _CONNECTORS and words:
            words.append(tok)
        else:
            break
    while words and words[-1].lower() in _CONNECTORS:  # leading "the", "of"
        words.pop()
    return " ".join(reversed(words))


def _noun_phrase_after(tokens: list[str]) -> str:
    """The body named just after a verb: "said the health ministry in Gaza." → "health ministry in Gaza"."""
    words: list[str] = []
    for tok in tokens[:8]:
        core = _strip(tok)
        if not core or not (_is_body_word(core) or core.lower() in _CONNECTORS):
            break
        words.append(core)
        if core != tok:  # "ministry." ends the phrase
            break
    while words and words[0].lower() in _CONNECTORS:
        words.pop(0)
    while words and words[-1].lower() in _CONNECTORS:
        words.pop()
    return " ".join(words) if any(_is_head(w) for w in words) else ""


# ------------------------------------------------------------------- mentions


# A comma, semicolon, dash or conjunction between two words puts them in
# different clauses: "45 people died and more than 100 were hurt".
_CLAUSE_BREAK_RE = re.compile(r"[,:](?!\d)|[;—–]|\b(?:and|but|while|whereas)\b")
_FAR = 1 << 30


def _distance(text: str, a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Characters between two spans; across a clause break, farther than any within one."""
    gap_start, gap_end = min(a_end, b_end), max(a_start, b_start)
    gap = max(0, gap_end - gap_start)
    if gap and _CLAUSE_BREAK_RE.search(text, gap_start, gap_end):
        gap += _FAR
    return gap


def _nearest(text: str, items: list[tuple[int, int, object]], start: int, end: int, default):
    if not items:
        return default
    return min(items, key=lambda it: _distance(text, start, end, it[0], it[1]))[2]


# "between 30 and 40", "30 to 40": one range, shown but not compared as a point.
_BETWEEN_RE = re.compile(r"(?<!\w)[Bb]etween\s+$")
_RANGE_AND_RE = re.compile(r"\s+and\s+")
_RANGE_TO_RE = re.compile(r"\s+to\s+")
# An earlier value or a change, not the count itself: "up from 45,436", "rose by 12".
_CHANGE_RE = re.compile(r"(?<!\w)(?:[Ff]rom|[Bb]y|compared\s+(?:with|to))\s+$")
_RANGE_SPREAD = 10  # "by 12 to 45,000" is a change, not a range


def _merge_ranges(text: str, mentions: list[Mention]) -> list[Mention]:
    """Join "between 30 and 40" and "30 to 40" into one vague mention."""
    merged: list[Mention] = []
    for m in mentions:
        low = merged[-1] if merged else None
        if (
            low is None
            or low.value is None
            or m.value is None
            or low.is_percent != m.is_percent
            or low.sentence != m.sentence
            or not low.value < m.value <= low.value * _RANGE_SPREAD
        ):
            merged.append(m)
            continue
        between = _BETWEEN_RE.search(text, max(0, low.start - 12), low.start)
        if between and _RANGE_AND_RE.fullmatch(text, low.end, m.start):
            start = between.start()
        elif _RANGE_TO_RE.fullmatch(text, low.end, m.start) and not _CHANGE_RE.search(
            text, max(0, low.start - 20), low.start
        ):
            start = low.start
        else:
            merged.append(m)
            continue
        merged[-1] = replace(low, value=None, high=m.value, stated=text[start : m.end], start=start, end=m.end)
    return merged


def find_mentions(text: str, published: dt.date) -> list[Mention]:
    """Every countable number stated in one paragraph, in text order."""
    spans: list[tuple[int, int]] = []  # split only once a number is found
    context: dict[int, tuple[str, list, list]] = {}  # sentence → (text, dates, bodies)
    mentions: list[Mention] = []
    index = 0
    for m in _NUMBER_RE.finditer(text):
        quantity = _quantity(m, text)
        if quantity is None or not all(map(math.isfinite, (q for q in quantity if q is not None))):
            continue  # not a count, or too large for a float ("1" and 309 zeros)
        spans = spans or split_sentences(text)
        while index + 1 < len(spans) and spans[index][1] <= m.start():
            index += 1
        s_start, s_end = spans[index]
        if index not in context:
            context[index] = (
                text[s_start:s_end],
                _dates(text, s_start, s_end, published),
                _bodies(text, s_start, s_end),
            )
        sentence, dates, bodies = context[index]
        value, low, high = quantity
        start = m.start()
        qualifier = _QUALIFIER_RE.search(text, max(s_start, start - _QUALIFIER_REACH), start)
        if qualifier:
            start = qualifier.start()
        qualifier = _QUALIFIERS[" ".join(qualifier.group().lower().split())] if qualifier else ""
        mentions.append(
            Mention(
                value=value,
                low=low,
                high=high,
                stated=text[start : m.end()],
                qualifier=qualifier,
                start=start,
                end=m.end(),
                sentence=sentence,
                is_percent=bool(m.group("pct")),
                as_of=_nearest(text, dates, m.start(), m.end(), published),
                attributed_to=_nearest(text, bodies, m.start(), m.end(), ""),
                status=_status(text, start, m.end(), qualifier, s_start, s_end),
            )
        )
    return _merge_ranges(text, mentions) if len(mentions) > 1 else mentions


# A projection or a fear is not a count (SPEC, "Estimates are not counts"): "up to 20,000 feared dead",
# "could reach 30,000", "as high as 9,000", "may rise to 500", "is expected to exceed 2,000".
_ESTIMATE_QUALIFIERS = frozenset({"up to"})
_ESTIMATE_BEFORE_RE = re.compile(
    r"(?<!\w)(?:as\s+high\s+as|(?:could|may|might|would|will|is\s+likely\s+to|are\s+likely\s+to|(?:is|are|was|were)\s+(?:expected|projected|forecast|feared)\s+to)"
    r"\s+(?:well\s+)?(?:reach|rise\s+to|climb\s+to|grow\s+to|increase\s+to|soar\s+to|top|exceed|surpass|pass|hit|be|go\s+up\s+to))\s+$",
    re.IGNORECASE,
)
_ESTIMATE_AFTER_RE = re.compile(
    r"(?:\s+[\w-]+){0,2}?\s+(?:(?:are|were|is|was|remain|remained)\s+)?(?:feared|believed|thought|projected|forecast|predicted)\b"
    r"|(?:\s+[\w-]+){0,2}?\s+(?:could|may|might)\s+(?:have\s+)?(?:died|drowned|perished|been\s+killed|be\s+dead|be\s+missing)\b",
    re.IGNORECASE,
)
# A value its own sentence takes back: "instead of 11,300 as was earlier reported", "revised down from 2,000".
_WITHDRAWN_BEFORE_RE = re.compile(
    r"(?<!\w)(?:instead\s+of(?:\s+the)?|rather\s+than(?:\s+the)?|(?:withdrew|withdrawn|retracted|scrapped)\s+(?:(?:an?|the|its)\s+)?(?:(?:earlier|previous|initial)\s+)?(?:figure|toll|count|tally|estimate)\s+of|(?:revised|corrected|lowered|cut|raised|adjusted)\s+(?:(?:down|up)(?:wards?)?\s+)?from|down\s+from)\s+$",
    re.IGNORECASE,
)
_WITHDRAWN_AFTER_RE = re.compile(
    r"(?:\s+[\w-]+){0,2}?,?\s+(?:as|that)\s+(?:was|had\s+been|were)\s+(?:earlier|previously|initially|first|wrongly|mistakenly)\s+(?:reported|stated|announced|given|said)\b",
    re.IGNORECASE,
)
_STATUS_REACH = 40  # characters looked at on either side of a number


def _status(text: str, start: int, end: int, qualifier: str, s_start: int, s_end: int) -> str:
    """Whether the number text[start:end] (its qualifier included) is stated as an estimate, withdrawn, or as a count ("")."""
    before = max(s_start, start - _STATUS_REACH)
    after = min(s_end, end + _STATUS_REACH)
    if _WITHDRAWN_BEFORE_RE.search(text, before, start) or _WITHDRAWN_AFTER_RE.match(text, end, after):
        return "withdrawn"
    if qualifier in _ESTIMATE_QUALIFIERS or _ESTIMATE_BEFORE_RE.search(text, before, start) or _ESTIMATE_AFTER_RE.match(text, end, after):
        return "estimate"
    return ""


# ----------------------------------------------------------------- figures

# Durations and distances are extracted but never count what a figure counts.
_MEASURE_AFTER_RE = re.compile(
    r"\s*(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|km|kilometres?|kilometers?"
    r"|miles?|metres?|meters?|tonnes?|tons?|square)\b",
    re.IGNORECASE,
)


# Plural nouns naming people: a number counting them may take a figure's term
# from another clause ("The death toll, the ministry said, ...").  A number
# counting other things may not ("three matters remain: the captives...").
# "people", "children" and other words not ending in -s pass without a list.
_PEOPLE = frozenset(
    """persons civilians kids boys girls babies infants minors teenagers
    adults others residents villagers families households soldiers troops
    officers fighters militants gunmen combatants journalists reporters
    workers employees volunteers patients medics doctors nurses paramedics
    rescuers refugees migrants hostages captives prisoners detainees students
    pupils victims casualties bodies members citizens nationals settlers
    protesters demonstrators mourners passengers pilgrims""".split()
)


def _counts_other_things(text: str, mention: Mention, terms: re.Pattern) -> bool:
    """True when the number is followed by a plural noun that is neither people nor a term."""
    follower = _NEXT_WORD_RE.match(text, mention.end)
    if not follower:
        return False
    word = follower.group(1)
    lower = word.lower()
    if word[0].isupper() or not lower.endswith("s") or lower in _NOT_NOUNS or lower in _PEOPLE:
        return False
    return not terms.fullmatch(word)


class _Words:
    """A figure's terms, near or exclude words: whole words or phrases, any case,
    simple plural allowed ("hostage" finds "Hostages", not "hostage-takers")."""

    def __init__(self, words: list[str]) -> None:
        words = [w.strip() for w in words if w.strip()]
        # Most sentences hold none of a figure's words: a substring test on the
        # lower-cased text rules them out before any pattern runs.
        self.probes = tuple({w.lower().split()[0].split("-")[0] for w in words})
        alternatives = sorted((re.escape(w).replace(r"\ ", r"[\s-]+") for w in words), key=len, reverse=True)
        self.pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?:e?s)?(?![\w-])", re.IGNORECASE)

    def spans(self, text: str, lowered: str | None, start: int, end: int) -> list[tuple[int, int]]:
        if lowered is not None and not any(lowered.find(p, start, end) >= 0 for p in self.probes):
            return []
        return [m.span() for m in self.pattern.finditer(text, start, end)]


_WORDS_CACHE: dict[tuple[str, ...], _Words | None] = {}


def _words(words: list[str]) -> _Words | None:
    """Compiled once per distinct word list; None for an empty list."""
    key = tuple(words)
    if key not in _WORDS_CACHE:
        _WORDS_CACHE[key] = _Words(words) if any(w.strip() for w in words) else None
    return _WORDS_CACHE[key]


_CANDIDATES = 4  # term (and near-word) occurrences looked at on each side of a number


def _around(spans: list[tuple[int, int]], starts: list[int], position: int) -> list[tuple[int, int]]:
    """The spans (in text order) nearest `position`: a few on each side. A sentence of thousands of numbers
    and terms then costs a few proposals per number, not one per pair (which took minutes)."""
    k = bisect_left(starts, position)
    return spans[max(0, k - _CANDIDATES) : k + _CANDIDATES]


def assign_figures(
    text: str, mentions: list[Mention], figures: list[FigureSpec]
) -> list[tuple[str, Mention]]:
    """(figure id, mention) pairs, in text order; each mention gets at most one figure.

    Every term occurrence in a number's sentence proposes that number; the
    proposals are granted nearest first, so each number goes to its closest
    figure and each term occurrence claims only its nearest free number
    ("445,581 ... killed, and 108,438 wounded").  Distance counts a clause
    break as far (see `_distance`), and so does an earlier value or a change
    ("rose from 1.7 million to 1.9 million", "rose by 12 to 45,553"); across a
    clause break, a number counting things other than people takes no term
    ("three matters remain: the captives...").  Ties go to the figure whose
    near-words stand closer, then to the longer term, then to topic order.
    """
    lowered: str | None = text.lower()
    if len(lowered) != len(text):  # lower-casing moved offsets ("İ"): skip the probes
        lowered = None
    located: dict[str, tuple[int, int]] = {}  # sentence text → its last span found
    sentences: dict[tuple[int, int], list[int]] = {}
    for i, mention in enumerate(mentions):
        if mention.is_percent or _MEASURE_AFTER_RE.match(text, mention.end):
            continue
        span = located.get(mention.sentence)
        if span is None or not span[0] <= mention.start < span[1]:
            s_start = text.find(mention.sentence, max(0, mention.end - len(mention.sentence)))
            if not 0 <= s_start <= mention.start:
                continue  # not a mention of this text
            span = located[mention.sentence] = (s_start, s_start + len(mention.sentence))
        sentences.setdefault(span, []).append(i)

    proposals = []
    for (s_start, s_end), indices in sentences.items():
        for order, spec in enumerate(figures):
            terms, near, exclude = _words(spec.terms), _words(spec.near), _words(spec.exclude)
            if terms is None or (exclude and exclude.spans(text, lowered, s_start, s_end)):
                continue
            occurrences = terms.spans(text, lowered, s_start, s_end)
            if not occurrences:
                continue
            near_spans = near.spans(text, lowered, s_start, s_end) if near else []
            if near and not near_spans and not near.spans(text, lowered, 0, len(text)):
                continue
            starts, near_starts = [o[0] for o in occurrences], [n[0] for n in near_spans]
            for i in indices:
                m = mentions[i]
                near_gap = min((_distance(text, m.start, m.end, *n) for n in _around(near_spans, near_starts, m.start)), default=2 * _FAR)
                earlier = _FAR if _CHANGE_RE.search(text, max(0, m.start - 20), m.start) else 0
                counts_other_things = _counts_other_things(text, m, terms.pattern)
                for t_start, t_end in _around(occurrences, starts, m.start):
                    gap = _distance(text, m.start, m.end, t_start, t_end)
                    if gap >= _FAR and counts_other_things:
                        continue
                    gap += earlier
                    proposals.append((gap, near_gap, t_start - t_end, order, i, (t_start, t_end), spec.id))

    proposals.sort()
    taken_mentions: set[int] = set()
    taken_terms: set[tuple[int, int]] = set()
    pairs = []
    for *_, i, term, figure_id in proposals:
        if i in taken_mentions or term in taken_terms:
            continue
        taken_mentions.add(i)
        taken_terms.add(term)
        pairs.append((figure_id, mentions[i]))
    pairs.sort(key=lambda pair: pair[1].start)
    return pairs
