"""The plain data passed between the pipeline's stages.

load → analyse → render → write: each stage takes these dataclasses and
returns new ones, so no stage needs to know how another one works.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path


def pickled_by_fields(cls):
    """A dataclass pickled as its class and its fields' values in order, so loading it calls its __init__:
    about twice as quick as pickle's default (a dict of them) for the tens of thousands the cache holds."""
    names = tuple(f.name for f in fields(cls))

    def __reduce__(self):
        return cls, tuple(getattr(self, name) for name in names)

    cls.__reduce__ = __reduce__
    return cls


# ---------------------------------------------------------------- loaded input


@dataclass(frozen=True)
class Position:
    """Where something stands in a file (1-based line and column)."""

    path: Path
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        """PATH:LINE:COL; a problem with a whole file points at its start (editors jump there)."""
        return f"{self.path}:{self.line or 1}:{self.col or 1}"


@dataclass
class CleaningRules:
    """Boilerplate rules for scraped text; data, not code (see digest/rules.yaml)."""

    exact: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)
    use_defaults: bool = True  # site.yaml `cleaning: {defaults: false}` switches the shipped rules off


@dataclass
class SiteConfig:
    title: str = "Digest"
    base_url: str = ""
    description: str = ""
    language: str = "en"
    theme: str = "default"
    cleaning: CleaningRules = field(default_factory=CleaningRules)
    remote_images: bool = False  # show articles' images (loaded from their sites on every visit) rather than links to them
    root: Path = Path(".")  # the project folder: content/ and themes/ live here


@pickled_by_fields
@dataclass
class Article:
    slug: str
    title: str
    source: str
    url: str
    published: dt.date | dt.datetime
    body: str
    path: Path
    format: str = "md"  # "md" (Markdown body) or "txt" (raw scraped text)
    author: str = ""
    language: str = ""
    key: str = field(default="", compare=False, repr=False)  # the hash of the file(s) it was read from, when known: later caches key by it

    @property
    def published_date(self) -> dt.date:
        if isinstance(self.published, dt.datetime):
            return self.published.date()
        return self.published


@pickled_by_fields
@dataclass
class FigureSpec:
    """A quantity a topic wants extracted and compared across sources."""

    id: str
    label: str
    terms: list[str]
    near: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    tolerance: float = 0.05
    position: Position | None = None
    trend: str = "cumulative"  # "cumulative" (only grows), "level" (rises and falls; compared within `window`) or "fixed" (one past event)
    window: int = 3  # days: `level` values this far apart or closer are of the same time


@dataclass
class Claim:
    text: str
    sources: list[str]
    position: Position | None = None


@dataclass
class CuratedPosition:
    source: str  # an article slug
    says: str


@dataclass
class CuratedDisagreement:
    about: str
    positions: list[CuratedPosition]
    position: Position | None = None


@dataclass
class Resolution:
    """A curator's note that settles disagreements of one figure (or curated `about`)."""

    note: str
    figure: str = ""
    about: str = ""
    article: str = ""
    position: Position | None = None


@dataclass
class Topic:
    slug: str
    title: str
    path: Path
    summary: str = ""
    order: int = 0
    match_any: list[str] = field(default_factory=list)
    match_all: list[str] = field(default_factory=list)
    match_exclude: list[str] = field(default_factory=list)
    figures: list[FigureSpec] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    disagreements: list[CuratedDisagreement] = field(default_factory=list)
    resolved: list[Resolution] = field(default_factory=list)
    pin: list[str] = field(default_factory=list)  # "article#N"
    hide: list[str] = field(default_factory=list)
    notes: str = ""
    positions: dict[str, Position] = field(default_factory=dict)  # "pin[0]" → where


@dataclass
class Content:
    """Everything `load` read: the input of the analysis."""

    site: SiteConfig
    articles: list[Article]
    topics: list[Topic]


# ------------------------------------------------------------- analysed digest


@dataclass
class Passage:
    """One block (paragraph, heading, list...) of a cleaned article."""

    article: str  # article slug
    number: int  # 1-based, stable: the N of "slug#N"
    text: str  # source text (Markdown for .md, plain for .txt)
    plain: str  # the words a reader sees: what topics match and figures are read from
    kind: str = "paragraph"  # "paragraph", "heading" or "other" (lists, quotes, code)

    @property
    def id(self) -> str:
        return f"{self.article}#{self.number}"

    @cached_property
    def identity(self) -> str:
        """A hash of what the passage holds (its kind and text; its plain words follow from them): page and
        topic keys take it instead of the text. Worked out once, when the article is split, and cached with it."""
        return passage_identity(self.kind, self.text)

    @classmethod
    def known(cls, article: str, number: int, text: str, plain: str, kind: str, identity: str) -> Passage:
        """A passage as the cache keeps it, its identity included (made without __init__: a build makes ~120,000)."""
        passage = object.__new__(cls)
        passage.__dict__ = {"article": article, "number": number, "text": text, "plain": plain, "kind": kind, "identity": identity}
        return passage


def passage_identity(kind: str, text: str) -> str:
    return hashlib.blake2b(f"{kind}\0{text}".encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@pickled_by_fields
@dataclass
class FigureValue:
    """A number one source states about one figure of a topic."""

    figure: str
    article: str
    source: str
    passage: int  # passage number in the article
    anchor: str  # element id of the marked number on the article page
    value: float | None  # None for vague quantities ("dozens")
    low: float
    high: float
    stated: str  # the words as written: "at least 445,581"
    qualifier: str
    as_of: dt.date
    attributed_to: str
    sentence: str
    status: str = ""  # "" (a count), "estimate" ("up to 20,000 feared dead") or "withdrawn" ("instead of 11,300 as earlier reported")

    @property
    def vague(self) -> bool:
        return self.value is None

    @property
    def compared(self) -> bool:
        """A count: compared with others and able to corroborate them (estimates and withdrawn values are only shown)."""
        return not self.status

    def plain(self) -> tuple:
        """All of it as plain data (for fingerprints): (figure, article, source, passage, anchor, ...)."""
        return (self.figure, self.article, self.source, self.passage, self.anchor, self.value, self.low, self.high, self.stated, self.qualifier, self.as_of.isoformat(), self.attributed_to, self.sentence, self.status)


@pickled_by_fields
@dataclass
class Figure:
    spec: FigureSpec
    values: list[FigureValue]


@pickled_by_fields
@dataclass
class DisagreementPosition:
    article: str
    source: str
    says: str
    value: float | None = None
    as_of: dt.date | None = None
    anchor: str = ""  # link target on the article page, when known


@pickled_by_fields
@dataclass
class Disagreement:
    """An outlying statement against what it departs from (SPEC: "Figures move over time"), or a curated one.

    `outlier` is the statement (one source's words, possibly in several articles, or
    every value of one counting body); `against` the nearest-in-time values of other
    sources it conflicts with. A curated disagreement has all its positions in `outlier`."""

    kind: str  # "figure" or "curated"
    about: str
    figure: str  # figure id, "" for curated ones
    severity: str  # "differs" or "probable-error"
    outlier: list[DisagreementPosition]
    against: list[DisagreementPosition] = field(default_factory=list)
    reason: str = "curated"  # "same-time", "lower-than-earlier", "higher-than-later", "counting-body" or "curated"
    ratio: float | None = None
    explanation: str = ""  # e.g. "445,581: likely 45,581 with an extra digit"
    resolution: str = ""  # the curator's note, when resolved in topic YAML

    @property
    def positions(self) -> list[DisagreementPosition]:
        return self.outlier + self.against


@pickled_by_fields
@dataclass
class Corroboration:
    figure: str
    value: float
    values: list[FigureValue]

    @property
    def sources(self) -> list[str]:
        return sorted({v.source for v in self.values})

    @property
    def low(self) -> float:
        return min(v.value for v in self.values)

    @property
    def high(self) -> float:
        return max(v.value for v in self.values)

    @property
    def first(self) -> dt.date:
        """The earliest as-of date of the group (digest.json's `from`)."""
        return min(v.as_of for v in self.values)

    @property
    def last(self) -> dt.date:
        """The latest as-of date of the group (digest.json's `to`)."""
        return max(v.as_of for v in self.values)


@dataclass
class TopicDigest:
    topic: Topic
    passages: list[Passage]
    figures: list[Figure]
    disagreements: list[Disagreement]
    corroborated: list[Corroboration]
    claims: list[Claim]
    fingerprint: str = ""  # a hash of what the analysis found (passages, figure values, disagreements, corroborations): later stages key on it instead of walking them

    @cached_property
    def articles(self) -> list[str]:
        return sorted({p.article for p in self.passages})


@dataclass
class ArticleDigest:
    article: Article
    passages: list[Passage]
    values: list[FigureValue]  # every figure value found in this article
    topics: list[str]


@dataclass
class Digest:
    """Everything `analyse` found: the input of rendering."""

    site: SiteConfig
    articles: list[ArticleDigest]
    topics: list[TopicDigest]
    built_at: dt.datetime
