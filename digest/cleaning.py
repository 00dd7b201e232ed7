"""Boilerplate cleaning of scraped article text.

Text copied out of a web page (or extracted from a saved one) carries lines
that are not the story: "Source link", "Related articles", "Also Read | ...",
image credits, share bars, newsletter prompts, bylines, template junk such as
"spot_imgspot_img". `clean_text` turns such text into blocks (paragraphs and
``##`` subheadings) and reports every line it removed and the rule that fired.
The build uses it for raw ``.txt`` articles; ``digest import`` for everything
it imports.

The rules are data, not code. The shipped defaults live in
``digest/rules.yaml``; a site extends them, or switches them off, in
``content/site.yaml``::

    cleaning:
      defaults: true          # false switches the shipped rules off
      exact: ["Subscribe to our newsletter"]   # whole lines
      prefixes: ["Read more:"]                 # lines starting with this
      patterns: ["^Advertisement( \\\\d+)?$"]    # regular expressions (re.search)

All three kinds match case-insensitively, on the line with Markdown emphasis,
links, bullets and surrounding whitespace taken away. ``exact`` also ignores
punctuation at either end ("Related articles:" matches "Related articles");
``prefixes`` ignore spaces around ``|`` and before ``:``.

Beyond the rules, a few things are recognised by their shape:

* the title: the first line, when it looks like one (short, no final full
  stop) and no exact/prefix rule removes it; when a title is given (the build
  passes the sidecar's), a first line repeating it is dropped instead;
* bylines: a line "By Name [and Name][, Outlet | date]" becomes the author;
* subheadings: a short Title Case line followed by a paragraph;
* headline lists: short unpunctuated lines right after a removed line
  ("Related articles" followed by the headlines it links to), except the last
  one when a paragraph follows it (that one is a subheading);
* hard-wrapped text: a long line that stops mid-sentence continues on the next.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .model import CleaningRules

RULES_FILE = Path(__file__).with_name("rules.yaml")

__all__ = [
    "Block",
    "Cleaned",
    "Removal",
    "RuleError",
    "clean_blocks_markdown",
    "clean_text",
    "clean_units",
    "default_rules",
    "effective_rules",
    "escape_markdown",
    "match_rule",
    "Unit",
]


# ------------------------------------------------------------------ data types


@dataclass
class Block:
    kind: str  # "paragraph" | "heading"
    text: str
    line: int = 0  # where the block starts in the input (0 when unknown, e.g. a saved page)


@dataclass
class Removal:
    line: int  # 1-based line of the input (0 when unknown)
    text: str
    rule: str  # which rule fired, e.g. 'exact "Source link"', "byline"


@dataclass
class Cleaned:
    title: str
    author: str
    blocks: list[Block]
    removed: list[Removal] = field(default_factory=list)


@dataclass
class Unit:
    """One line or block of input before cleaning.

    kind is "paragraph" or "heading" when the input says so (a saved page's
    <p> or <h2>), None when it must be guessed from the text's shape.
    """

    line: int
    text: str
    kind: str | None = None


class RuleError(ValueError):
    """A cleaning pattern that is not a valid regular expression."""

    def __init__(self, pattern: str, message: str):
        self.pattern = pattern
        super().__init__(f"bad cleaning pattern {pattern!r}: {message}")


# ----------------------------------------------------------------------- rules


@functools.cache
def _default_lists() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8")) or {}
    return tuple(data.get("exact") or ()), tuple(data.get("prefixes") or ()), tuple(data.get("patterns") or ())


def default_rules() -> CleaningRules:
    """The shipped rules of digest/rules.yaml (read once; a fresh copy each call)."""
    exact, prefixes, patterns = _default_lists()
    return CleaningRules(exact=list(exact), prefixes=list(prefixes), patterns=list(patterns))


def _unique(items) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.casefold()
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def effective_rules(site_rules: CleaningRules) -> CleaningRules:
    """The rules to apply: the shipped defaults (unless the site switched them off) plus the site's own.

    The result is self-contained (its use_defaults is False), so passing it
    through effective_rules again, or to clean_text, changes nothing.
    """
    use_defaults = getattr(site_rules, "use_defaults", True)
    base = default_rules() if use_defaults else CleaningRules()
    return CleaningRules(
        exact=_unique([*base.exact, *site_rules.exact]),
        prefixes=_unique([*base.prefixes, *site_rules.prefixes]),
        patterns=list(dict.fromkeys([*base.patterns, *site_rules.patterns])),
        use_defaults=False,
    )


def validate_rules(rules: CleaningRules) -> list[RuleError]:
    """Every pattern that does not compile."""
    problems = []
    for pattern in rules.patterns:
        try:
            re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            problems.append(RuleError(pattern, exc.msg))
    return problems


_QUOTES = str.maketrans({"‘": "'", "’": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "\u00a0": " "})
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3}|~~|`)")
_LEAD_MARKS = re.compile(r"^(?:\s|[-*+•·▪►▶»>#|]|\d+[.)]\s)+")
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")


def _plain(line: str) -> str:
    """The line as rules see it: no Markdown markup, bullets or doubled spaces."""
    text = line if line.isascii() else unicodedata.normalize("NFKC", line)
    if "[" in text:
        text = _MD_LINK.sub(r"\1", text)
    if "*" in text or "_" in text or "~" in text or "`" in text:
        text = _MD_EMPHASIS.sub("", text)
    text = _LEAD_MARKS.sub("", text)
    return " ".join(text.split())


def _exact_key(text: str) -> str:
    return " ".join(_EDGE_PUNCT.sub("", text.translate(_QUOTES)).casefold().split())


_SPACED_BAR = re.compile(r"\s*\|\s*")
_SPACE_COLON = re.compile(r"\s+:")


def _prefix_key(text: str) -> str:
    trailing = " " if text[-1:].isspace() else ""  # "Share on " must not match "Share one"
    text = " ".join(text.translate(_QUOTES).casefold().lstrip("([ ").split()) + trailing
    return _SPACE_COLON.sub(":", _SPACED_BAR.sub("|", text))


@dataclass(frozen=True)
class _Compiled:
    exact: dict[str, str]
    prefixes: tuple[tuple[str, str], ...]
    prefix_keys: tuple[str, ...]
    patterns: tuple[tuple[re.Pattern, str], ...]  # those anchored at the start, then the others
    any_anchored: re.Pattern | None  # all anchored patterns in one: tried once, at the start
    floating: tuple[tuple[re.Pattern, str], ...]  # searched one by one (keeps each one's fast literal scan)
    longest_exact: int = 0
    longest_prefix: int = 0


@functools.lru_cache(maxsize=64)
def _compile(exact: tuple[str, ...], prefixes: tuple[str, ...], patterns: tuple[str, ...]) -> _Compiled:
    compiled = []
    for pattern in patterns:
        try:
            compiled.append((re.compile(pattern, re.IGNORECASE), pattern))
        except re.error as exc:
            raise RuleError(pattern, exc.msg) from None
    any_anchored = None
    anchored = [(r, p) for r, p in compiled if _anchored(p)]
    floating = tuple((r, p) for r, p in compiled if not _anchored(p))
    if anchored and not any(re.search(r"\\\d|\(\?P=|\(\?[aiLmsux-]+\)", p) for _, p in anchored):
        try:  # one combined regex for the rules anchored at the start; find which one on a hit
            any_anchored = re.compile("^(?:" + "|".join(f"(?:{p})" for _, p in anchored) + ")", re.IGNORECASE)
        except re.error:
            any_anchored = None
    if any_anchored is None:
        floating = tuple(compiled)
        anchored = []
    prefix_pairs = tuple((_prefix_key(p), p) for p in prefixes if _prefix_key(p))
    exact_keys = {_exact_key(e): e for e in exact if _exact_key(e)}
    return _Compiled(
        exact=exact_keys,
        prefixes=prefix_pairs,
        prefix_keys=tuple(k for k, _ in prefix_pairs),
        patterns=tuple(anchored),
        any_anchored=any_anchored,
        floating=floating,
        longest_exact=max((len(e) for e in exact), default=0),
        longest_prefix=max((len(p) for p in prefixes), default=0),
    )


def _anchored(pattern: str) -> bool:
    """Does the pattern only match at the start of the line ("^..." without a top-level "|")?"""
    if not pattern.startswith("^"):
        return False
    try:
        from re import _parser  # noqa: PLC0415 - private, so guarded

        parsed = _parser.parse(pattern)
        return len(parsed) > 0 and parsed[0] == (_parser.AT, _parser.AT_BEGINNING)
    except Exception:  # noqa: BLE001 - any doubt: treat it as floating
        return False


def _compiled(rules: CleaningRules) -> _Compiled:
    if getattr(rules, "use_defaults", True):
        rules = effective_rules(rules)
    return _compile(tuple(rules.exact), tuple(rules.prefixes), tuple(rules.patterns))


def _match(line: str, compiled: _Compiled, patterns: bool = True) -> str | None:
    plain = _plain(line)
    if not plain:
        return None
    # bullets, quotes and spaces aside, a line much longer than every exact rule cannot equal one
    if len(plain) <= 2 * compiled.longest_exact + 8:
        original = compiled.exact.get(_exact_key(plain))
        if original is not None:
            return f'exact "{original}"'
    key = _prefix_key(plain[: 2 * compiled.longest_prefix + 8])
    if compiled.prefix_keys and key.startswith(compiled.prefix_keys):
        for prefix_key, original in compiled.prefixes:
            if key.startswith(prefix_key):
                return f'prefix "{original}"'
    if patterns:
        if compiled.any_anchored is not None and compiled.any_anchored.match(plain):
            for regex, original in compiled.patterns:
                if regex.search(plain):
                    return f'pattern "{original}"'
        for regex, original in compiled.floating:
            if regex.search(plain):
                return f'pattern "{original}"'
    return None


def match_rule(line: str, rules: CleaningRules) -> str | None:
    """Which rule removes this line ('exact "..."', 'prefix "..."', 'pattern "..."'), or None.

    `rules` goes through effective_rules first, like in clean_text.
    """
    return _match(line, _compiled(rules))


# ---------------------------------------------------------------- text shapes

_SMALL_WORDS = frozenset(
    "a an the and but or nor for so yet as at by in of off on per to up via vs with from into onto over upon amid than".split()
)
_WORD = re.compile(r"[^\W_][\w'’.&-]*")
_CLOSERS = "\"'”’)]»"
_MONTHS_DAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december today yesterday tomorrow".split()
)


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip().rstrip(_CLOSERS).rstrip()
    return bool(stripped) and stripped[-1] in ".!?…:;,"


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _title_case(text: str) -> bool:
    words = _words(text)
    if not words or not (words[0][0].isupper() or words[0][0].isdigit()):
        return False
    significant = [w for w in words[1:] if w.casefold() not in _SMALL_WORDS]
    return all(w[0].isupper() or w[0].isdigit() for w in significant)


def _heading_like(text: str) -> bool:
    """A short Title Case line without a final full stop: a subheading candidate."""
    stripped = text.strip()
    if len(stripped) > 100 or len(_words(stripped)) > 12:
        return False
    if _ends_sentence(stripped) and not stripped.rstrip(_CLOSERS).endswith(("?", "!")):
        return False
    return _title_case(stripped)


def _headline_like(text: str) -> bool:
    """A short line that does not end a sentence: an item of a list of links."""
    stripped = text.strip()
    return len(_words(stripped)) <= 20 and len(stripped) <= 160 and not _ends_sentence(stripped)


def _title_like(text: str) -> bool:
    stripped = text.strip()
    words = _words(stripped)
    if not words or len(words) > 25 or len(stripped) > 200:
        return False
    first = next((c for c in stripped if c.isalnum()), "")
    if not (first.isupper() or first.isdigit()):
        return False
    if stripped.startswith("(") or stripped.endswith((".", ",", ";", ":", ")")):
        return False
    return True


_BYLINE = re.compile(
    r"^(?:(?:written|words|reported|story)\s+by|by)\s*:?\s+"
    r"(?P<name>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|de|da|del|van|von|der|al|el|bin|ibn|la|le)){0,7})"
    r"\s*(?:(?:[,|·•]|\s[-–—])\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)


def byline_author(line: str) -> str | None:
    """The name in a byline line ("By Jane Doe, Reuters" → "Jane Doe"), else None."""
    text = _plain(line).strip()
    if len(_words(text)) > 16 or len(text) > 160:
        return None
    m = _BYLINE.match(text)
    if not m:
        return None
    name = m.group("name").strip()
    parts = name.split()
    # IGNORECASE lets the optional words match anything: every name word must be capitalised
    if any(p[0].islower() and p.casefold() not in {"and", "de", "da", "del", "van", "von", "der", "al", "el", "bin", "ibn", "la", "le"} for p in parts):
        return None
    if not parts[0][0].isupper() or parts[0].casefold().strip(".,") in _MONTHS_DAYS:
        return None
    rest = m.group("rest") or ""
    if text.endswith(".") and (len(_words(rest)) >= 3 or not rest and len(parts[-1].rstrip(".")) > 3):
        return None  # a sentence: "By Hamas, Israel means the movement."
    if len(_words(rest)) > 10:
        return None
    return name.rstrip(".,;-–— ")


def _normal(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.translate(_QUOTES).casefold()))


def same_title(line: str, title: str) -> bool:
    """Does this line repeat the title (maybe with the site's name or a subtitle after it)?

    A line that ends a sentence never does: a first paragraph may begin with
    the very words of its headline.
    """
    a, b = _normal(line), _normal(title)
    if not a or not b:
        return False
    if a == b:
        return True
    if _ends_sentence(line) and not _ends_sentence(title):
        return False
    if a.startswith(b) and len(b) >= 12:
        return len(a.split()) - len(b.split()) <= 8  # "Headline – Outlet", "Headline: the subtitle"
    if b.startswith(a) and len(a) >= 12:
        return True  # a shortened headline
    return len(a) <= 1.2 * len(b) and difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.9


# ------------------------------------------------------------------- cleaning


def _units_from_text(text: str, compiled: _Compiled) -> list[Unit]:
    """Lines of copied text as units; a hard-wrapped paragraph's lines are joined into one."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = re.sub(r"[\u200b\u200c\u200d\u2060]", "", text)
    units: list[Unit] = []
    current: Unit | None = None
    in_header = True  # above the first full sentence: title, kicker, byline lines stay apart
    for number, raw in enumerate(text.split("\n"), 1):
        line = " ".join(raw.replace("\u00a0", " ").split())
        if not line:
            current = None
            continue
        if current is not None and (not in_header or line[0].islower()) and _continues(current.text, line, compiled):
            current.text += " " + line
        else:
            current = Unit(number, line)
            units.append(current)
        in_header = in_header and not _ends_sentence(current.text)
    return units


def _continues(previous: str, line: str, compiled: _Compiled) -> bool:
    """Is `line` the rest of a hard-wrapped paragraph that `previous` began?"""
    if len(previous) < 50 or _ends_sentence(previous) or previous.endswith(")"):
        return False
    if _heading_like(previous) or _heading_like(line) and len(line) < 50:
        return False
    if byline_author(line) or _match(previous, compiled) or _match(line, compiled):
        return False
    return True


def clean_text(text: str, rules: CleaningRules, title: str | None = None) -> Cleaned:
    """Raw copied text → title, author, blocks and the removed lines.

    `rules` goes through effective_rules (so a site's CleaningRules can be
    passed as they are). With `title` given (the build passes the sidecar's),
    a first line repeating it is dropped; without, the first line is the title
    when it looks like one.
    """
    compiled = _compiled(rules)
    return _clean(_units_from_text(text, compiled), compiled, title)


def clean_units(units: list[Unit], rules: CleaningRules, title: str | None = None) -> Cleaned:
    """Like clean_text, for input already split into units (the blocks of a saved page)."""
    return _clean([Unit(u.line, " ".join(u.text.split()), u.kind) for u in units if u.text.strip()], _compiled(rules), title)


def _clean(units: list[Unit], compiled: _Compiled, title: str | None) -> Cleaned:
    removed: list[Removal] = []
    author = ""
    found_title = title or ""
    kept: list[Unit] = []
    after_rule: set[int] = set()  # indexes in `kept` that directly follow a rule-removed unit
    previous_removed_by_rule = False
    seen_paragraph = False
    title_window = title is None  # until the first unit no exact/prefix rule removes

    for unit in units:
        text = unit.text
        if title_window:
            title_window = False
            if _match(text, compiled, patterns=False):
                title_window = True  # "Skip to content" above the headline
            elif unit.kind != "paragraph" and _title_like(text) and not byline_author(text):
                # the first line is the title; patterns do not apply to it, since
                # a headline may look like a linked one ("... – Hamas Official")
                found_title = text.strip()
                removed.append(Removal(unit.line, text, "title"))
                continue
        if not seen_paragraph and found_title and same_title(text, found_title) and unit.kind != "paragraph":
            removed.append(Removal(unit.line, text, "repeated title"))
            continue

        rule = _match(text, compiled)
        if rule:
            removed.append(Removal(unit.line, text, rule))
            previous_removed_by_rule = True
            continue
        name = byline_author(text)
        if name:
            if not author:
                author = name
            removed.append(Removal(unit.line, text, "byline"))
            continue
        if previous_removed_by_rule:
            after_rule.add(len(kept))
        previous_removed_by_rule = False
        kept.append(unit)
        if unit.kind == "paragraph" or (unit.kind is None and not _heading_like(text)):
            seen_paragraph = True

    # headline lists: the short unpunctuated lines right after a removed line
    drop: set[int] = set()
    for start in sorted(after_rule):
        run = []
        i = start
        while i < len(kept) and kept[i].kind is None and _headline_like(kept[i].text):
            if i != start and i in after_rule:
                break
            run.append(i)
            i += 1
        if run and i < len(kept) and _is_paragraph(kept[i]):
            run.pop()  # the last one introduces the next paragraph: a subheading
        drop.update(run)
    for i in sorted(drop):
        removed.append(Removal(kept[i].line, kept[i].text, "headline list after boilerplate"))

    survivors = [u for i, u in enumerate(kept) if i not in drop]
    blocks: list[Block] = []
    for i, unit in enumerate(survivors):
        kind = unit.kind
        if kind is None:
            following = survivors[i + 1] if i + 1 < len(survivors) else None
            kind = "heading" if _heading_like(unit.text) and following is not None and _is_paragraph(following) else "paragraph"
        blocks.append(Block(kind, unit.text.strip(), unit.line))
    removed.sort(key=lambda r: r.line)
    return Cleaned(found_title, author, blocks, removed)


def _is_paragraph(unit: Unit) -> bool:
    if unit.kind is not None:
        return unit.kind == "paragraph"
    return _ends_sentence(unit.text) or not (_heading_like(unit.text) or _headline_like(unit.text))


# ------------------------------------------------------------------- markdown

_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<>~])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def escape_markdown(text: str) -> str:
    """Escape text so CommonMark renders it as the same text (no emphasis, links, HTML or lists)."""
    text = " ".join(text.split())
    text = _INLINE_SPECIALS.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    m = _ORDERED.match(text)
    if m:
        text = f"{m.group(1)}\\{m.group(2)}{text[m.end():]}"
    elif text[:1] in ("#", "-", "+", "=", "|"):
        text = "\\" + text
    return text


def clean_blocks_markdown(cleaned: Cleaned) -> str:
    """Markdown body: "## " subheadings and escaped paragraphs, a blank line between blocks."""
    out = []
    for block in cleaned.blocks:
        text = escape_markdown(block.text)
        if block.kind == "heading":
            if text.endswith("#"):
                text = text[:-1] + "\\#"
            out.append(f"## {text}")
        else:
            out.append(text)
    return "\n\n".join(out) + ("\n" if out else "")
