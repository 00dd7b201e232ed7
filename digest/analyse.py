"""Stage 2, analyse: clean articles, split them into passages, match topics,
extract figures and compare them across sources.

Takes the loaded `Content`, returns a `Digest` plus warnings about content that
is legal but probably not what the curator meant.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from itertools import combinations

from .cleaning import clean_text, effective_rules
from .errors import Diagnostic
from .load import term_is_regex
from .mdsafe import markdown
from .model import (
    Article,
    ArticleDigest,
    CleaningRules,
    Content,
    Corroboration,
    Digest,
    Disagreement,
    DisagreementPosition,
    Figure,
    FigureSpec,
    FigureValue,
    Passage,
    Position,
    Topic,
    TopicDigest,
)
from .numbers import assign_figures, find_mentions

PROBABLE_ERROR_RATIO = 5.0

_BLOCK_KINDS = {"paragraph_open": "paragraph", "heading_open": "heading"}


def analyse(content: Content, built_at: dt.datetime | None = None) -> tuple[Digest, list[Diagnostic]]:
    warnings: list[Diagnostic] = []
    rules = effective_rules(content.site.cleaning)
    articles = {a.slug: a for a in content.articles}
    passages = {a.slug: split_passages(a, rules) for a in content.articles}
    mentions = _MentionCache(articles)

    by_id = {p.id: p for ps in passages.values() for p in ps}
    words = {key: words_of(p.plain) for key, p in by_id.items()}
    topics = [_digest_topic(topic, articles, passages, by_id, words, mentions, warnings) for topic in content.topics]

    article_digests = []
    for article in content.articles:
        in_topics = [t.topic.slug for t in topics if article.slug in t.articles]
        values = {v.anchor: v for t in topics for f in t.figures for v in f.values if v.article == article.slug}
        article_digests.append(ArticleDigest(article, passages[article.slug], sorted(values.values(), key=lambda v: v.anchor), in_topics))
        if not in_topics and content.topics:
            warnings.append(Diagnostic(Position(article.path), "article is in no topic", "add one of its words to a topic's `match.any`", "warning", "orphan-article"))

    built_at = built_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    return Digest(content.site, article_digests, topics, built_at), warnings


# -------------------------------------------------------------------- passages


def split_passages(article: Article, rules: CleaningRules) -> list[Passage]:
    """Blocks of the cleaned article, numbered from 1 (the N of `slug#N`)."""
    if article.format == "txt":
        cleaned = clean_text(article.body, rules, title=article.title)
        return [Passage(article.slug, n, b.text, b.text, b.kind) for n, b in enumerate(cleaned.blocks, 1)]
    lines = article.body.split("\n")
    tokens = markdown.parse(article.body)
    blocks: list[Passage] = []
    for i, token in enumerate(tokens):
        if token.level != 0 or token.nesting == -1 or token.map is None:
            continue
        start, end = token.map
        source = "\n".join(lines[start:end]).strip()
        plain = " ".join(_inline_text(t) for t in _block_tokens(tokens, i) if t.type == "inline")
        blocks.append(Passage(article.slug, len(blocks) + 1, source, plain or source, _BLOCK_KINDS.get(token.type, "other")))
    return blocks


def _block_tokens(tokens, first: int):
    """The tokens of the top-level block opening at `first`."""
    yield tokens[first]
    for token in tokens[first + 1 :]:
        if token.level == 0 and token.nesting != -1:
            return
        yield token


def _inline_text(token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


# ---------------------------------------------------------------------- topics


_TOKEN = re.compile(r"\w+")


def words_of(text: str) -> frozenset[str]:
    """The lowercase words of a passage: topic terms are looked up here before any regex runs."""
    return frozenset(_TOKEN.findall(text.lower()))


class Term:
    """One `match` term: a word, a phrase, or a /regular expression/, matched case-insensitively."""

    def __init__(self, term: str):
        if term_is_regex(term):
            self.words: tuple[str, ...] = ()
            self.pattern: re.Pattern | None = re.compile(term[1:-1], re.IGNORECASE)
            return
        self.words = tuple(_TOKEN.findall(term.lower()))
        single_word = len(self.words) == 1 and self.words[0] == term.lower()
        phrase = r"(?<!\w)" + r"\s+".join(map(re.escape, term.split())) + r"(?!\w)"
        self.pattern = None if single_word else re.compile(phrase, re.IGNORECASE)

    def found(self, words: frozenset[str], text: str) -> bool:
        if not all(w in words for w in self.words):
            return False
        return self.pattern is None or self.pattern.search(text) is not None


class _TopicMatcher:
    """A topic's `match` rules; plain words are checked as set look-ups, the rest by regex."""

    def __init__(self, topic: Topic):
        self.any_words, self.any_terms = self._split(topic.match_any)
        self.exclude_words, self.exclude_terms = self._split(topic.match_exclude)
        self.all = [Term(t) for t in topic.match_all]
        self.empty = not topic.match_any and not topic.match_all

    @staticmethod
    def _split(terms: list[str]) -> tuple[frozenset[str], list[Term]]:
        compiled = [Term(t) for t in terms]
        words = frozenset(t.words[0] for t in compiled if t.pattern is None)
        return words, [t for t in compiled if t.pattern is not None]

    def matches(self, words: frozenset[str], text: str) -> bool:
        if self.empty:
            return False
        if (self.any_words or self.any_terms) and self.any_words.isdisjoint(words) and not any(t.found(words, text) for t in self.any_terms):
            return False
        if not all(t.found(words, text) for t in self.all):
            return False
        return self.exclude_words.isdisjoint(words) and not any(t.found(words, text) for t in self.exclude_terms)


def _digest_topic(topic: Topic, articles, passages, by_id, words, mentions, warnings) -> TopicDigest:
    matcher = _TopicMatcher(topic)
    chosen = {key: p for key, p in by_id.items() if p.kind != "heading" and matcher.matches(words[key], p.plain)}
    for kind, refs in (("pin", topic.pin), ("hide", topic.hide)):
        for i, ref in enumerate(refs):
            if ref not in by_id:
                where = topic.positions.get(f"{kind}[{i}]", Position(topic.path))
                count = len(passages.get(ref.split("#")[0], []))
                warnings.append(Diagnostic(where, f"{kind}: passage `{ref}` does not exist", f"that article has passages 1 to {count}", "warning", f"missing-{kind}"))
            elif kind == "pin":
                chosen[ref] = by_id[ref]
            else:
                chosen.pop(ref, None)
    ordered = sorted(chosen.values(), key=lambda p: (articles[p.article].published_date, p.article, p.number))
    if not ordered:
        warnings.append(Diagnostic(Position(topic.path, 1, 1), f"topic `{topic.slug}` matches no passage", "check the words under `match.any`", "warning", "empty-topic"))

    figures = [Figure(spec, []) for spec in topic.figures]
    by_figure = {f.spec.id: f for f in figures}
    if figures:
        for passage in ordered:
            if passage.kind == "heading":
                continue
            found = mentions.get(passage)
            for figure_id, mention in assign_figures(passage.plain, found, topic.figures):
                article = articles[passage.article]
                by_figure[figure_id].values.append(
                    FigureValue(
                        figure=figure_id,
                        article=article.slug,
                        source=article.source,
                        passage=passage.number,
                        anchor=f"p{passage.number}-n{found.index(mention) + 1}",
                        value=mention.value,
                        low=mention.low,
                        high=mention.high,
                        stated=mention.stated,
                        qualifier=mention.qualifier,
                        as_of=mention.as_of,
                        attributed_to=mention.attributed_to,
                        sentence=mention.sentence,
                    )
                )
    disagreements, corroborated = [], []
    for figure in figures:
        if not figure.values:
            where = figure.spec.position or Position(topic.path)
            warnings.append(Diagnostic(where, f"figure `{figure.spec.id}` finds no value", "one of its `terms` must stand in the number's sentence", "warning", "empty-figure"))
        disagreements += compare_values(figure.spec, figure.values)
        corroborated += corroborations(figure.spec, figure.values)
    disagreements += [
        Disagreement(
            kind="curated",
            about=d.about,
            figure="",
            severity="differs",
            positions=[DisagreementPosition(p.source, articles[p.source].source, p.says) for p in d.positions],
        )
        for d in topic.disagreements
    ]
    _apply_resolutions(topic, disagreements, warnings)
    _check_claims(topic, passages, warnings)
    return TopicDigest(topic, ordered, figures, disagreements, corroborated, topic.claims)


def _apply_resolutions(topic: Topic, disagreements: list[Disagreement], warnings: list[Diagnostic]) -> None:
    for resolution in topic.resolved:
        settled = [
            d
            for d in disagreements
            if (d.figure == resolution.figure if resolution.figure else d.about == resolution.about)
            and (not resolution.article or resolution.article in {p.article for p in d.positions})
        ]
        for disagreement in settled:
            disagreement.resolution = resolution.note
        if not settled:
            where = resolution.position or Position(topic.path)
            warnings.append(Diagnostic(where, "this resolution matches no disagreement", "check `figure`/`about` and `article`; remove it if the sources now agree", "warning", "unused-resolution"))


_WORD = re.compile(r"[^\W\d_]{4,}")


def _check_claims(topic: Topic, passages: dict[str, list[Passage]], warnings: list[Diagnostic]) -> None:
    """Warn when most of a claim's words appear in none of its sources: probably a wrong slug or a misreading."""
    for claim in topic.claims:
        words = {w.lower() for w in _WORD.findall(claim.text)}
        if not words:
            continue
        best = 0.0
        for slug in claim.sources:
            text = {w.lower() for p in passages.get(slug, []) for w in _WORD.findall(p.plain)}
            best = max(best, len(words & text) / len(words))
        if best < 0.5:
            where = claim.position or Position(topic.path)
            warnings.append(Diagnostic(where, "claim not found in any of its sources", "check the claim's wording and its `sources` slugs", "warning", "unsupported-claim"))


class _MentionCache:
    """Numbers are read once per passage, however many topics include it."""

    def __init__(self, articles: dict[str, Article]):
        self.articles = articles
        self.found: dict[str, list] = {}

    def get(self, passage: Passage) -> list:
        if passage.id not in self.found:
            self.found[passage.id] = find_mentions(passage.plain, self.articles[passage.article].published_date)
        return self.found[passage.id]


# ------------------------------------------------------------------ comparison


def relative_difference(a: float, b: float) -> float:
    largest = max(abs(a), abs(b))
    return abs(a - b) / largest if largest else 0.0


def compare_values(spec: FigureSpec, values: list[FigureValue]) -> list[Disagreement]:
    """A disagreement for each pair of values from different sources that do not agree within tolerance."""
    found: dict[tuple, Disagreement] = {}
    for a, b in combinations(values, 2):
        if a.source == b.source or (a.vague and b.vague):
            continue
        if a.vague or b.vague:
            vague, point = (a, b) if a.vague else (b, a)
            if vague.low <= point.value <= vague.high:
                continue
            severity, ratio, explanation = "differs", None, ""
        else:
            if relative_difference(a.value, b.value) <= spec.tolerance:
                continue
            ratio = max(a.value, b.value) / min(a.value, b.value) if min(a.value, b.value) > 0 else float("inf")
            severity = "probable-error" if ratio >= PROBABLE_ERROR_RATIO else "differs"
            explanation = explain_error(a.value, b.value, spec.tolerance) if severity == "probable-error" else ""
        first, second = sorted((a, b), key=lambda v: (v.as_of, v.source))
        key = (first.source, first.stated, second.source, second.stated)
        found.setdefault(
            key,
            Disagreement(
                kind="figure",
                about=spec.label,
                figure=spec.id,
                severity=severity,
                positions=[_position(first), _position(second)],
                ratio=ratio,
                explanation=explanation,
            ),
        )
    return list(found.values())


def _position(value: FigureValue) -> DisagreementPosition:
    return DisagreementPosition(value.article, value.source, value.stated, value.value, value.as_of, value.anchor)


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


def corroborations(spec: FigureSpec, values: list[FigureValue]) -> list[Corroboration]:
    """Groups of point values within tolerance of each other, stated by two or more sources."""
    points = sorted((v for v in values if not v.vague), key=lambda v: v.value)
    groups: list[list[FigureValue]] = []
    for value in points:
        if groups and relative_difference(groups[-1][0].value, value.value) <= spec.tolerance:
            groups[-1].append(value)
        else:
            groups.append([value])
    result = []
    for group in groups:
        if len({v.source for v in group}) >= 2:
            common = Counter(v.value for v in group).most_common(1)[0][0]
            result.append(Corroboration(spec.id, common, group))
    return result
