"""Stage 2, analyse: clean articles, split them into passages, match topics,
extract figures and compare them across sources.

Takes the loaded `Content`, returns a `Digest` plus warnings about content that
is legal but probably not what the curator meant.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from operator import attrgetter

import regex

from .cache import Cache, Store, data_fingerprint, fingerprint, parallel_map, salt
from .cleaning import clean_text, effective_rules
from .compare import compare_figure
from .errors import ContentError, Diagnostic
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

_BLOCK_KINDS = {"paragraph_open": "paragraph", "heading_open": "heading"}


def analyse(
    content: Content,
    built_at: dt.datetime | None = None,
    *,
    cache: Cache | None = None,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
    reuse: bool = False,
) -> tuple[Digest, list[Diagnostic]]:
    """The digest of `content`. Per-article work (passages, topic matches, figures) is cached and spread over `jobs` processes.

    With `reuse` (serve's previews), an article whose loaded object is the very one the last analysis
    in this (remembered) cache saw, under the same topics and site, is taken as that analysis left it,
    digest included: its passages, values and topics follow from its text and the topics' rules alone.
    Its cached work is then not looked up, so not marked as used: the build that writes the site does that."""
    warnings: list[Diagnostic] = []
    cache = cache or Cache(None)
    context = fingerprint(repr([_rules_of(t) for t in content.topics]), repr(effective_rules(content.site.cleaning)))
    remembered = cache.memo("analysis")
    previous: dict[str, _Analysed] = (remembered.get(context) or {}) if reuse else {}
    try:
        states, again = _analysed_articles(content, cache, jobs, progress, previous)
    except SlowPattern as exc:
        raise ContentError([_slow_pattern(content.topics, *exc.args)]) from None
    articles = {a.slug: a for a in content.articles}
    passages = {a.slug: state.passages for a, state in zip(content.articles, states)}
    taken: list[list[str]] = [[] for _ in content.topics]  # per topic, a hash of what it takes from each article (for its cache key)
    for state in states:
        for t, _, contribution in state.hits:
            taken[t].append(contribution)
    matched: list[dict[tuple[str, int], tuple]] = []  # per topic: (slug, n) → figure values found; gathered when a topic is digested again

    def matched_in(t: int) -> dict[tuple[str, int], tuple]:
        if not matched:
            matched.extend({} for _ in content.topics)
            for state in states:
                for topic, found, _ in state.hits:
                    matched[topic].update(found)
        return matched[t]

    unit_keys = {a.slug: state.key for a, state in zip(content.articles, states)}
    topics = [_cached_topic(topic, articles, passages, partial(matched_in, t), taken[t], unit_keys, cache, warnings) for t, topic in enumerate(content.topics)]
    fresh = {content.articles[i].slug for i in again} if previous else None  # the others keep their digest
    article_digests = _article_digests(content, states, topics, fresh, warnings)
    remembered.put(context, {a.slug: state for a, state in zip(content.articles, states)})

    built_at = built_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    return Digest(content.site, article_digests, topics, built_at), warnings


def _slow_pattern(topics: list[Topic], slug: str, term: str, article: str, passage: int) -> Diagnostic:
    topic = next(t for t in topics if t.slug == slug)
    where = topic.positions.get(f"match:{term}", Position(topic.path))
    return Diagnostic(
        where,
        f"the pattern {term} ran for more than {PATTERN_SECONDS:g} s on {article} passage {passage} and was stopped",
        "it backtracks without end on some text: avoid nested repetition such as (x+)+ or (a|aa)+, or match plain words",
        "error",
        "slow-pattern",
    )


def _analysed_articles(content: Content, cache: Cache, jobs: int, progress, previous: dict[str, _Analysed]) -> tuple[list[_Analysed], list[int]]:
    """What the analysis makes of each article, and the positions of those made again (not taken from `previous`)."""
    again = [i for i, a in enumerate(content.articles) if getattr(previous.get(a.slug), "article", None) is not a]
    made = cache.memo("passages")  # serve's cache keeps the Passage objects of unchanged articles from one build to the next
    hits_made = cache.memo("topic-hits")
    states = [previous.get(a.slug) for a in content.articles]
    for i, unit in zip(again, article_units(content, cache, jobs, progress, again)):
        a = content.articles[i]
        passages_of = made.get(unit.key)
        if passages_of is None:
            passages_of = [Passage.known(a.slug, *passage) for passage in unit.passages]
            made.put(unit.key, passages_of)
        hits = hits_made.get(unit.key)
        if hits is None:
            hits = _topic_hits(a, unit)
            hits_made.put(unit.key, hits)
        states[i] = _Analysed(a, unit.key, passages_of, hits)
    return states, again


def _article_digests(content: Content, states: list[_Analysed], topics: list[TopicDigest], fresh: set[str] | None, warnings: list[Diagnostic]) -> list[ArticleDigest]:
    """Each article's digest: its passages, the figure values the topics found in it and the topics it is in.
    Only the articles in `fresh` (all when None) get a new one; the others keep theirs, and the warning that they are in no topic."""
    slugs = fresh if fresh is not None else {a.slug for a in content.articles}
    in_topics: dict[str, list[str]] = {slug: [] for slug in slugs}
    values: dict[str, dict[str, FigureValue]] = {slug: {} for slug in slugs}
    for t in topics:
        for slug in t.articles:
            if slug in slugs:
                in_topics[slug].append(t.topic.slug)
        for f in t.figures:
            for v in f.values:
                if v.article in slugs:
                    values[v.article][v.anchor] = v
    digests = []
    by_anchor = attrgetter("anchor")
    for article, state in zip(content.articles, states):
        if article.slug in slugs:
            found = values[article.slug]
            ordered = sorted(found.values(), key=by_anchor) if len(found) > 1 else list(found.values())
            state.digest = ArticleDigest(article, state.passages, ordered, in_topics[article.slug])
            orphan = not in_topics[article.slug] and content.topics
            state.orphan = Diagnostic(Position(article.path), "article is in no topic", "add one of its words to a topic's `match.any`", "warning", "orphan-article") if orphan else None
        digests.append(state.digest)
        if state.orphan is not None:
            warnings.append(state.orphan)
    return digests


@dataclass
class _Analysed:
    """What the analysis made of one article, kept for the next analysis in a long-lived process (see `reuse`)."""

    article: Article
    key: str  # its unit's key
    passages: list[Passage]
    hits: tuple  # see `_topic_hits`
    digest: ArticleDigest | None = None
    orphan: Diagnostic | None = None  # the warning that it is in no topic


# ---------------------------------------------------------- per-article work


@dataclass
class ArticleUnit:
    """What one article contributes, whatever the other articles say: cached by content hash."""

    passages: tuple  # (number, text, plain, kind, identity) per block
    matches: tuple  # per topic: ((passage number, ((figure id, anchor, Mention), ...)), ...)
    taken: tuple  # per topic: a hash of what it takes from the article ("" where it takes nothing; see `_taken`)
    key: str = ""  # everything the unit follows from: the article, the cleaning rules, the topics' match rules


def article_key(article: Article) -> str:
    """A hash-led identity of everything an article holds: the loader's file hash when it has one, else a hash of the fields."""
    return article.key or fingerprint(article.slug, article.title, article.source, article.url, article.published, article.author, article.language, article.format, article.body)


def topic_rules_key(topic: Topic) -> str:
    """Everything of a topic that per-article work reads: its match rules and figure words (not its title, notes...)."""
    return fingerprint(topic.slug, topic.match_any, topic.match_all, topic.match_exclude, [(f.id, f.terms, f.near, f.exclude) for f in topic.figures])


MATCH_RULES = "match-rules"  # the cache record of the last build's topics' rule keys: an edit of one topic's rules re-matches that topic only


def article_units(content: Content, cache: Cache, jobs: int = 1, progress: Callable[[int], None] | None = None, indices: list[int] | None = None) -> list[ArticleUnit]:
    """The unit of each article (of those at `indices`, by default all), from the cache or made (in parallel)."""
    rules = effective_rules(content.site.cleaning)
    rules_key = fingerprint(rules)
    rule_keys = [topic_rules_key(t) for t in content.topics]
    match_key = fingerprint(rule_keys)
    split_store, match_store = cache.store("passages"), cache.store("matches")
    stored = cache.read_record(MATCH_RULES)  # (match key, rule keys) of the last build: its matches of topics whose rules are the same stand
    last = stored if type(stored) is tuple and len(stored) == 2 and type(stored[0]) is str and type(stored[1]) is list and stored[0] != match_key else None
    was = {key: j for j, key in enumerate(last[1])} if last else {}
    kept = [was.get(key) for key in rule_keys]  # per topic: where the last build's matches have it, or None
    again = [t for t, j in enumerate(kept) if j is None]  # the topics to match when the last build's matches are at hand
    indices = range(len(content.articles)) if indices is None else indices
    units: list[ArticleUnit | None] = []
    todo, partly = [], []
    keys = []
    for n, i in enumerate(indices):
        article = content.articles[i]
        base = f"{article_key(article)}|{rules_key if article.format == 'txt' else ''}"  # hash-led (the store shards by it); the store's header carries the salt
        full = f"{base}|{match_key}"
        keys.append((base, full))
        split = split_store.get(base, _valid_passages)
        found = match_store.get(full, lambda m: _valid_matches(m, len(content.topics))) if split is not None else None
        before = match_store.get(f"{base}|{last[0]}", lambda m: _valid_matches(m, len(last[1]))) if found is None and split is not None and last and len(again) < len(kept) else None
        units.append(ArticleUnit(split, *found, full) if found is not None else None)
        if found is None and before is not None:
            partly.append((n, i, split, before))
        elif found is None:
            todo.append((n, i, split))
        elif progress:
            progress(1)
    if todo:
        _make_units(content, rules, content.topics, todo, jobs, progress, units)
    if partly:
        if again:  # a topic removed leaves none to match again
            _make_units(content, rules, [content.topics[t] for t in again], [(n, i, split) for n, i, split, _ in partly], jobs, progress, units)
        for n, _, split, (matches, taken) in partly:  # the topics matched again, with the last build's matches of the others
            made = units[n]
            new_matches, new_taken = (dict(zip(again, made.matches)), dict(zip(again, made.taken))) if made else ({}, {})
            units[n] = ArticleUnit(
                split,
                tuple(new_matches[t] if j is None else matches[j] for t, j in enumerate(kept)),
                tuple(new_taken[t] if j is None else taken[j] for t, j in enumerate(kept)),
            )
    for n, unit in enumerate(units):
        if unit.key == "":
            unit.key = keys[n][1]
            split_store.put(keys[n][0], unit.passages)
            match_store.put(keys[n][1], (unit.matches, unit.taken))
    if stored != (match_key, rule_keys):
        cache.write_record(MATCH_RULES, (match_key, rule_keys))
    return units


def _make_units(content: Content, rules: CleaningRules, topics: list[Topic], todo: list[tuple], jobs: int, progress, units: list) -> None:
    """Split (where not cached) and match against `topics` the articles `todo` [(n, index, passages or None)]: into `units[n]`."""
    state = (content.articles, rules, _TopicIndex(topics))
    weights = [len(content.articles[i].body) + 1 for _, i, _ in todo]
    for (n, _, _), unit in zip(todo, parallel_map(_article_unit, [(i, split) for _, i, split in todo], state, jobs, progress, weights)):
        units[n] = unit


# Entries reach here only from a shard whose header carries this exact build of digest (the salt) and whose
# entries carry their own keys, so a shape check is enough: a deep one cost ~1 s per build at 10,000 articles.


def _valid_passages(value) -> bool:
    return type(value) is tuple and all(type(p) is tuple and len(p) == 5 for p in value)


def _valid_matches(value, topics: int) -> bool:
    if not (type(value) is tuple and len(value) == 2):
        return False
    matches, taken = value
    return type(matches) is tuple and len(matches) == topics and all(type(found) is tuple for found in matches) and type(taken) is tuple and len(taken) == topics


def _article_unit(state, item) -> ArticleUnit:
    articles, rules, index = state
    i, split = item
    article = articles[i]
    if split is None:
        split = tuple((p.number, p.text, p.plain, p.kind, p.identity) for p in split_passages(article, rules))
    matches = index.article_matches(article, split)
    return ArticleUnit(split, matches, _taken(article, split, matches))


def _taken(article: Article, passages: tuple, matches: tuple) -> tuple:
    """Per topic, a hash of what it takes from the article (for the topic's cache key): the article's outlet and date,
    and the number and identity of each passage it matches (their figure values follow from their words and the date).
    Made with the unit, in the worker, and cached with its matches: a build in a new process does not hash them again."""
    about = (article.slug, article.source, article.published_date.toordinal())
    return tuple(data_fingerprint(about, [(number, passages[number - 1][4]) for number, _ in found]) if found else "" for found in matches)


def _topic_hits(article: Article, unit: ArticleUnit) -> tuple:
    """Per topic the article has passages in: (topic index, ((slug, n), figure values found) per passage, what the
    topic takes from it (`_taken`)). Made once per article version in a long-lived process: a rebuild only gathers them."""
    return tuple((t, tuple(((article.slug, number), assigned) for number, assigned in found), unit.taken[t]) for t, found in enumerate(unit.matches) if found)


# -------------------------------------------------------------------- passages


def split_passages(article: Article, rules: CleaningRules) -> list[Passage]:
    """Blocks of the cleaned article, numbered from 1 (the N of `slug#N`)."""
    if article.format == "txt":
        cleaned = clean_text(article.body, rules, title=article.title)
        return [Passage(article.slug, n, b.text, b.text, b.kind) for n, b in enumerate(cleaned.blocks, 1)]
    blocks: list[Passage] = []
    for kind, lines in _segments(article.body):
        if kind == "plain":  # a paragraph of plain words: what markdown-it would find, without running it
            blocks.append(Passage(article.slug, len(blocks) + 1, "\n".join(lines), " ".join(lines), "paragraph"))
        else:
            _parse_blocks(article.slug, lines, blocks)
    return blocks


def _parse_blocks(slug: str, lines: list[str], blocks: list[Passage]) -> None:
    """The top-level blocks of Markdown `lines` (markdown-it-py, the reference parser), appended to `blocks`."""
    tokens = markdown.parse("\n".join(lines))
    for i, token in enumerate(tokens):
        if token.level != 0 or token.nesting == -1 or token.map is None:
            continue
        start, end = token.map
        source = "\n".join(lines[start:end]).strip()
        plain = " ".join(_inline_text(t) for t in _block_tokens(tokens, i) if t.type == "inline")
        blocks.append(Passage(slug, len(blocks) + 1, source, plain or source, _BLOCK_KINDS.get(token.type, "other")))


# A line markdown-it reads as nothing but text: no inline syntax (emphasis, code, links, images,
# escapes, entities, autolinks), nothing a block starts with (headings, quotes, lists, rules,
# setext underlines, indented code, fences), no white space at either end (hard breaks), no tab.
_PLAIN_LINE = re.compile(r"(?![#>+*=_~`|<\-]|\d{1,9}[.)])[^\s\\`*_\[\]<&]+(?: +[^\s\\`*_\[\]<&]+)*")
_BLANK_LINE = re.compile(r"[ \t]*")
# Markdown whose meaning reaches across blank lines (fenced code, link reference
# definitions), and characters markdown-it normalises: an article holding any is parsed whole.
_NON_LOCAL = re.compile(r"^[ \t]*(?:```|~~~)|\]:|[\r\x00]", re.MULTILINE)


def _segments(body: str) -> list[tuple[str, list[str]]]:
    """The body cut at blank lines into plain paragraphs and runs of other Markdown.

    A paragraph of plain lines between blank lines (no indentation, no block or
    inline syntax) can neither belong to a neighbouring block nor change one, so
    markdown-it parses only the other runs, each with the blank lines inside it;
    a test checks on the corpus that the passages equal parsing whole articles.
    """
    lines = body.split("\n")
    if _NON_LOCAL.search(body):
        return [("markdown", lines)]
    segments: list[tuple[str, list[str]]] = []
    i, count = 0, len(lines)
    while i < count:
        if _BLANK_LINE.fullmatch(lines[i]):
            if segments and segments[-1][0] == "markdown":
                segments[-1][1].append(lines[i])
            i += 1
            continue
        j = i
        while j < count and not _BLANK_LINE.fullmatch(lines[j]):
            j += 1
        chunk = lines[i:j]
        if all(_PLAIN_LINE.fullmatch(line) for line in chunk):
            segments.append(("plain", chunk))
        elif segments and segments[-1][0] == "markdown":
            segments[-1][1].extend(chunk)
        else:
            segments.append(("markdown", chunk))
        i = j
    return segments


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
        if child.type in ("text", "code_inline", "image"):  # an image's words are its description
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


# ---------------------------------------------------------------------- topics


_TOKEN = re.compile(r"\w+")


def words_of(text: str) -> frozenset[str]:
    """The lowercase words of a passage: topic terms are looked up here before any regex runs."""
    return frozenset(_TOKEN.findall(text.lower()))


PATTERN_SECONDS = 1.0  # the most one /regular expression/ of a topic may take on one passage


class SlowPattern(Exception):
    """A topic's /regular expression/ ran past PATTERN_SECONDS on a passage (args: topic slug, term, article path, passage)."""


class Term:
    """One `match` term: a word, a phrase, or a /regular expression/, matched case-insensitively.

    A curator's regular expression runs on untrusted text, where one with nested repetition
    (`/(x+x+)+y/`) can backtrack for hours: it runs with the `regex` module's time limit, and
    past it the build stops with an error naming the pattern (see `SlowPattern`)."""

    def __init__(self, term: str, topic: str = ""):
        self.term, self.topic = term, topic
        self.user = term_is_regex(term)
        if self.user:
            self.words: tuple[str, ...] = ()
            self.pattern = regex.compile(term[1:-1], regex.IGNORECASE | regex.V0)
            return
        self.words = tuple(_TOKEN.findall(term.lower()))
        single_word = len(self.words) == 1 and self.words[0] == term.lower()
        phrase = r"(?<!\w)" + r"\s+".join(map(re.escape, term.split())) + r"(?!\w)"
        self.pattern = None if single_word else re.compile(phrase, re.IGNORECASE)

    def found(self, words: frozenset[str], text: str) -> bool:
        if not all(w in words for w in self.words):
            return False
        if self.pattern is None:
            return True
        if not self.user:
            return self.pattern.search(text) is not None
        try:
            return self.pattern.search(text, timeout=PATTERN_SECONDS) is not None
        except TimeoutError:
            raise SlowPattern(self.topic, self.term, "", 0) from None


class _TopicMatcher:
    """A topic's `match` rules; plain words are checked as set look-ups, the rest by regex."""

    def __init__(self, topic: Topic):
        self.any_words, self.any_terms = self._split(topic.match_any, topic.slug)
        self.exclude_words, self.exclude_terms = self._split(topic.match_exclude, topic.slug)
        self.all = [Term(t, topic.slug) for t in topic.match_all]
        self.empty = not topic.match_any and not topic.match_all

    @staticmethod
    def _split(terms: list[str], topic: str) -> tuple[frozenset[str], list[Term]]:
        compiled = [Term(t, topic) for t in terms]
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


class _TopicIndex:
    """Every topic's match rules at once: a passage's words pick the few topics worth checking."""

    def __init__(self, topics: list[Topic]):
        self.figures = [t.figures for t in topics]
        self.matchers = [_TopicMatcher(t) for t in topics]
        self.by_word: dict[str, list[int]] = {}
        self.always: list[int] = []  # topics with phrases or patterns among `any`, or only `all`: checked on every passage
        for i, m in enumerate(self.matchers):
            if m.empty:
                continue
            if (not m.any_words and not m.any_terms) or any(not t.words for t in m.any_terms):
                self.always.append(i)
                continue
            # a word of `any`, or the first word of one of its phrases, must be among the passage's words
            for word in {*m.any_words, *(t.words[0] for t in m.any_terms)}:
                self.by_word.setdefault(word, []).append(i)
        self.keys = frozenset(self.by_word)

    def topics_of(self, words: frozenset[str], text: str) -> list[int]:
        candidates = set(self.always)
        for word in self.keys.intersection(words):
            candidates.update(self.by_word[word])
        return [i for i in sorted(candidates) if self.matchers[i].matches(words, text)]

    def article_matches(self, article: Article, passages: tuple) -> tuple:
        """Per topic: the passages its rules match (never headings), each with the figure values found in it."""
        found: list[list] = [[] for _ in self.matchers]
        published = article.published_date
        for number, _text, plain, kind, _identity in passages:
            if kind == "heading":
                continue
            try:
                topics = self.topics_of(words_of(plain), plain)
            except SlowPattern as exc:
                raise SlowPattern(exc.args[0], exc.args[1], str(article.path), number) from None
            mentions = None
            for t in topics:
                assigned: tuple = ()
                if self.figures[t]:
                    if mentions is None:  # numbers are read once per passage, however many topics include it
                        mentions = find_mentions(plain, published)
                    assigned = figure_values_of(number, plain, mentions, self.figures[t])
                found[t].append((number, assigned))
        return tuple(tuple(f) for f in found)


def figure_values_of(number: int, plain: str, mentions: list, figures: list[FigureSpec]) -> tuple:
    """(figure id, anchor, mention) for each number of a passage that one of the topic's figures claims."""
    return tuple((figure_id, f"p{number}-n{mentions.index(mention) + 1}", mention) for figure_id, mention in assign_figures(plain, mentions, figures))


def _cached_topic(
    topic: Topic,
    articles: dict[str, Article],
    passages: dict[str, list[Passage]],
    matched: Callable[[], dict[tuple[str, int], tuple]],
    taken: list,
    unit_keys: dict[str, str],
    cache: Cache,
    warnings,
) -> TopicDigest:
    """`_digest_topic`, from the cache when neither the topic's rules nor what it has `taken` from its articles changed.

    An edit of one article then re-digests only the topics whose passages of
    it changed, and an edit of a topic's title, summary, notes or order none. Articles the topic's own fields name (pins, claims...) are read
    whole: they count by their text. Passages are stored as references, so a
    cached topic shares its passages with the article pages."""
    named = {ref.split("#")[0] for ref in topic.pin + topic.hide} | {slug for claim in topic.claims for slug in claim.sources} | {p.source for d in topic.disagreements for p in d.positions}
    key = data_fingerprint(fingerprint(salt(), "topic", repr(_rules_of(topic))), sorted([(slug, unit_keys.get(slug, "missing")) for slug in named]), taken)
    # One slot per topic, holding its latest result: keyed by content, the older results of a topic stayed in
    # shards no build touched, and reading them back cost ~0.6 s a build at 10,000 articles.
    slot = fingerprint("topic-slot", topic.slug)
    store = cache.store("topics")
    found = store.get(slot, _valid_topic_slot)
    made = cache.memo("topic-digests")  # serve's cache keeps the digest itself: its passages equal those the key stands for
    if found is not None and found[0] == key:
        known = made.get(key)
        if known is None:
            refs, figures, disagreements, corroborated, said, result = found[1]
            known = TopicDigest(topic, [passages[slug][number - 1] for slug, number in refs], figures, disagreements, corroborated, topic.claims, result), said
            made.put(key, known)
        warnings.extend(known[1])
        return _with_topic(known[0], topic)
    said: list[Diagnostic] = []
    digest = _digest_topic(topic, articles, passages, matched(), said, cache.store("comparisons"))
    digest.fingerprint = result_fingerprint(digest)
    store.put(slot, (key, ([(p.article, p.number) for p in digest.passages], digest.figures, digest.disagreements, digest.corroborated, said, digest.fingerprint)))
    made.put(key, (digest, said))
    warnings.extend(said)
    return digest


def _rules_of(topic: Topic) -> Topic:
    """What the analysis reads of a topic: all but its title, summary, notes and order (the pages show those)."""
    return replace(topic, title="", summary="", order=0, notes="")


def _with_topic(digest: TopicDigest, topic: Topic) -> TopicDigest:
    """A kept digest, carrying this build's copy of its topic (whose title or summary may be new)."""
    if digest.topic is topic:
        return digest
    fresh = copy.copy(digest)  # keeps what was worked out of its passages (`articles`)
    fresh.topic, fresh.claims = topic, topic.claims
    return fresh


def _valid_topic_slot(value) -> bool:
    if not (type(value) is tuple and len(value) == 2 and type(value[0]) is str and type(value[1]) is tuple and len(value[1]) == 6):
        return False
    *parts, made = value[1]
    return all(type(part) is list for part in parts) and type(made) is str


def result_fingerprint(topic: TopicDigest) -> str:
    """A hash of what the analysis found for a topic, made once when it is analysed (not of the topic's own
    fields, nor of the articles' metadata): every passage it shows, figure value, disagreement and corroboration."""
    return data_fingerprint(
        [(p.article, p.number, p.identity) for p in topic.passages],
        [(f.spec.id, f.spec.label, [v.plain() for v in f.values]) for f in topic.figures],
        [(c.figure, c.value, [(v.article, v.anchor) for v in c.values]) for c in topic.corroborated],
        [
            (d.kind, d.about, d.figure, d.severity, d.reason, d.ratio, d.explanation, d.resolution, len(d.outlier), [(p.article, p.source, p.says, p.value, p.as_of.isoformat() if p.as_of else None, p.anchor) for p in d.positions])
            for d in topic.disagreements
        ],
    )


def _digest_topic(
    topic: Topic, articles: dict[str, Article], passages: dict[str, list[Passage]], matched: dict[tuple[str, int], tuple], warnings, comparisons: Store | None = None
) -> TopicDigest:
    chosen: dict[tuple[str, int], Passage] = {key: passages[key[0]][key[1] - 1] for key in matched}
    for kind, refs in (("pin", topic.pin), ("hide", topic.hide)):
        for i, ref in enumerate(refs):
            key = _passage_key(ref, passages)
            if key is None:
                where = topic.positions.get(f"{kind}[{i}]", Position(topic.path))
                count = len(passages.get(ref.split("#")[0], []))
                warnings.append(Diagnostic(where, f"{kind}: passage `{ref}` does not exist", f"that article has passages 1 to {count}", "warning", f"missing-{kind}"))
            elif kind == "pin":
                chosen[key] = passages[key[0]][key[1] - 1]
            else:
                chosen.pop(key, None)
    ordered = sorted(chosen.values(), key=lambda p: (articles[p.article].published_date, p.article, p.number))
    if not ordered:
        warnings.append(Diagnostic(Position(topic.path, 1, 1), f"topic `{topic.slug}` matches no passage", "check the words under `match.any`", "warning", "empty-topic"))

    figures = [Figure(spec, []) for spec in topic.figures]
    by_figure = {f.spec.id: f for f in figures}
    if figures:
        for passage in ordered:
            if passage.kind == "heading":
                continue
            assigned = matched.get((passage.article, passage.number))
            if assigned is None:  # pinned, not matched: its numbers are read here
                found = find_mentions(passage.plain, articles[passage.article].published_date)
                assigned = figure_values_of(passage.number, passage.plain, found, topic.figures)
            article = articles[passage.article]
            for figure_id, anchor, mention in assigned:
                by_figure[figure_id].values.append(
                    FigureValue(
                        figure=figure_id,
                        article=article.slug,
                        source=article.source,
                        passage=passage.number,
                        anchor=anchor,
                        value=mention.value,
                        low=mention.low,
                        high=mention.high,
                        stated=mention.stated,
                        qualifier=mention.qualifier,
                        as_of=mention.as_of,
                        attributed_to=mention.attributed_to,
                        sentence=mention.sentence,
                        status=mention.status,
                    )
                )
    disagreements, corroborated = [], []
    for figure in figures:
        if not figure.values:
            where = figure.spec.position or Position(topic.path)
            warnings.append(Diagnostic(where, f"figure `{figure.spec.id}` finds no value", "one of its `terms` must stand in the number's sentence", "warning", "empty-figure"))
        found, agreed = _cached_comparison(figure, comparisons)
        disagreements += found
        corroborated += agreed
    disagreements += [
        Disagreement(
            kind="curated",
            about=d.about,
            figure="",
            severity="differs",
            outlier=[DisagreementPosition(p.source, articles[p.source].source, p.says) for p in d.positions],
        )
        for d in topic.disagreements
    ]
    _apply_resolutions(topic, disagreements, warnings)
    _check_claims(topic, passages, warnings)
    return TopicDigest(topic, ordered, figures, disagreements, corroborated, topic.claims)


def _passage_key(ref: str, passages: dict[str, list[Passage]]) -> tuple[str, int] | None:
    """`slug#N` → (slug, N) when that passage exists."""
    slug, _, number = ref.partition("#")
    if slug not in passages or not number.isdigit() or number.startswith("0"):
        return None
    n = int(number)
    return (slug, n) if 1 <= n <= len(passages[slug]) else None


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


# ------------------------------------------------------------------ comparison


def _cached_comparison(figure: Figure, comparisons: Store | None) -> tuple[list[Disagreement], list[Corroboration]]:
    """`compare_figure` of one figure, from the cache when its values compare as before.

    An edit to one article of a topic re-digests the topic, but its figures'
    values are usually those of the last build: their comparison is then looked
    up. Kept as plain data (a resolution is set on the disagreements afterwards,
    and corroborations point at this build's values)."""
    spec, values = figure.spec, figure.values
    key = data_fingerprint(
        "comparison", spec.id, spec.label, spec.tolerance, spec.trend, spec.window,
        [(v.article, v.anchor, v.source, v.stated, v.qualifier, v.value, v.low, v.high, v.as_of.toordinal(), v.attributed_to, v.status) for v in values],
    )
    found = comparisons.get(key, _valid_comparison) if comparisons is not None else None
    if found is None:
        disagreements, corroborated = compare_figure(spec, values)
        index = {id(v): i for i, v in enumerate(values)}
        found = (
            [(d.severity, d.reason, d.ratio, d.explanation, [_plain_position(p) for p in d.outlier], [_plain_position(p) for p in d.against]) for d in disagreements],
            [(c.value, [index[id(v)] for v in c.values]) for c in corroborated],
        )
        if comparisons is not None:
            comparisons.put(key, found)
    disagreements = [
        Disagreement(
            kind="figure", about=spec.label, figure=spec.id, severity=severity, reason=reason, ratio=ratio, explanation=explanation,
            outlier=[DisagreementPosition(*p) for p in outlier], against=[DisagreementPosition(*p) for p in against],
        )
        for severity, reason, ratio, explanation, outlier, against in found[0]
    ]
    return disagreements, [Corroboration(spec.id, value, [values[i] for i in members]) for value, members in found[1]]


def _plain_position(p: DisagreementPosition) -> tuple:
    return (p.article, p.source, p.says, p.value, p.as_of, p.anchor)


def _valid_comparison(value) -> bool:
    return type(value) is tuple and len(value) == 2 and type(value[0]) is list and type(value[1]) is list
