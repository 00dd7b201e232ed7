"""Stage 3, render: turn a Digest into the bytes of every output file.

Templates receive ready-made context (URLs already relative, numbers already
formatted); all decisions are made here, none in the theme.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import os
import json
import posixpath
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from jinja2 import BytecodeCache, ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import __version__, builtin_theme
from .cache import SHARDS, Cache, data_fingerprint, fingerprint, parallel_map, paused_gc, salt
from .charts import figure_chart, outlet_styles
from .errors import ContentError, error
from .load import slug_for
from .mdsafe import article_markdown, markdown
from .model import ArticleDigest, Corroboration, Digest, Disagreement, DisagreementPosition, FigureValue, Passage, SiteConfig, TopicDigest


PAGE_TEMPLATES = ("base.html", "_macros.html", "article.html", "topic.html", "topic_source.html", "index.html", "sources.html", "disagreements.html", "404.html")
TOPIC_CARDS = 5  # a topic page shows this many disagreements, the most severe; the disagreements page shows them all
# A topic of a long story can match most of its articles: tens of thousands of passages, a page of tens of megabytes.
TOPIC_PAGE_PASSAGES = 300  # a topic with more passages than this shows, per outlet, only the passages of
TOPIC_PAGE_LATEST = 3  # its latest this many articles, and links to the outlet's own pages of the topic's passages,
OUTLET_PAGE_PASSAGES = 500  # of about this many passages each (whole articles: a page ends before the article that would overfill it)
OUTLET_PAGE_SHARDS = 4  # the cache files of an outlet page's fragments (one per article: tens of them, not thousands)
REASONS = {
    "same-time": "reported for the same time",
    "lower-than-earlier": "lower than earlier reports",
    "higher-than-later": "higher than later reports",
    "counting-body": "different counting bodies",
    "curated": "noted by the curator",
}
SEVERITIES = {"probable-error": "Probable error", "differs": "Sources differ"}


def theme_dirs(site: SiteConfig) -> list[Path]:
    """Site theme first, then the built-in one: a site overrides any file by giving one of the same name."""
    own = site.root / "themes" / site.theme
    if site.theme != "default" and not own.is_dir():
        raise ContentError([error(site.root / "content" / "site.yaml", 0, 0, f"theme `{site.theme}` not found in {own}", "remove `theme:` to use the default theme", "no-theme")])
    dirs = [own] if own.is_dir() else []
    if dirs:
        _refuse_outside_links(own, site.root)
    return dirs + [builtin_theme()]


def _refuse_outside_links(theme: Path, project: Path) -> None:
    """A site theme's files are published (static/) or rendered into pages (templates/): a link in it to a
    file or folder outside the project (static/passwd → /etc/passwd) is refused, as for content."""
    project = project.resolve()
    problems = []
    for folder, dirs, names in os.walk(theme):
        for name in dirs + names:
            path = Path(folder) / name
            if path.is_symlink() and not path.resolve().is_relative_to(project):
                problems.append(error(path, 0, 0, "symbolic link points outside the project", "copy the file into the theme instead", "outside-link"))
    if problems:
        raise ContentError(problems)


class ThemeEnvironment(Environment):
    """Jinja with one change: `x.name` on a plain dict reads its key first.

    Templates get their context as plain dicts; Jinja's default tries the
    attribute first, which for a dict raises and catches AttributeError on every
    lookup (about a sixth of rendering time on a large site). A key named like a
    dict method (`items`) therefore wins over the method."""

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def make_environment(site: SiteConfig, cache: Cache | None = None) -> Environment:
    """The theme's Jinja environment; with a `cache`, compiled templates are kept in it."""
    return ThemeEnvironment(
        loader=ChoiceLoader([FileSystemLoader(str(d / "templates")) for d in theme_dirs(site)]),
        bytecode_cache=_TemplateCache(cache.store("templates")) if cache is not None else None,
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


# ------------------------------------------------------------------ formatting


def format_number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")


@functools.lru_cache(maxsize=4096)
def format_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def short_date(day: dt.date, year: bool = False) -> str:
    """"20 Dec", or "20 Dec 2024" when the dates around it span two years."""
    return f"{day.day} {day:%b}" + (f" {day.year}" if year else "")


def date_range(first: dt.date, last: dt.date, year: bool = False) -> str:
    """"20 Dec", "13–27 Dec", "28 Nov – 3 Dec", "28 Dec 2024 – 3 Jan 2025"."""
    if first == last:
        return short_date(first, year)
    if (first.year, first.month) == (last.year, last.month) and not year:
        return f"{first.day}–{short_date(last)}"
    return f"{short_date(first, year)} – {short_date(last, year)}"


def most_severe_first(disagreements: list[Disagreement]) -> list[int]:
    """Indexes of `disagreements`, open before resolved, probable errors first, then the larger ratio first."""
    return sorted(range(len(disagreements)), key=lambda i: (bool(disagreements[i].resolution), disagreements[i].severity != "probable-error", -(disagreements[i].ratio or 0.0), i))


def outlier_severities(topics: Iterable[TopicDigest]) -> dict[tuple[str, str], str]:
    """(article, anchor) of each outlying value of a figure disagreement → how its chart labels it:
    "probable-error", "counting-body" or "differs" (the most severe, when it is the outlier of several)."""
    rank = {"differs": 0, "counting-body": 1, "probable-error": 2}
    found: dict[tuple[str, str], str] = {}
    for topic in topics:
        for d in topic.disagreements:
            if d.kind != "figure":
                continue
            kind = "probable-error" if d.severity == "probable-error" else ("counting-body" if d.reason == "counting-body" else "differs")
            for p in d.outlier:
                if p.anchor and rank[kind] > rank.get(found.get((p.article, p.anchor), ""), -1):
                    found[(p.article, p.anchor)] = kind
    return found


def disputed_values(topics: Iterable[TopicDigest]) -> set[tuple[str, str]]:
    """(article, anchor) of the values marked as disputed where they stand: every outlier, and the other side too when
    two sources alone differ or two counting bodies do (neither is called wrong), not the many values an outlier departs from."""
    found = set()
    for topic in topics:
        for d in topic.disagreements:
            cited = d.positions if d.reason == "counting-body" or (d.severity == "differs" and len({p.source for p in d.against}) == 1 and len({p.source for p in d.outlier}) == 1) else d.outlier
            found.update((p.article, p.anchor) for p in cited if p.anchor)
    return found


def _body(values: list[FigureValue | None]) -> str:
    """The name one side of a counting-body disagreement gives its body most often ("Gaza's health ministry")."""
    names = Counter(v.attributed_to for v in values if v is not None and v.attributed_to)
    return min(names, key=lambda name: (-names[name], name)) if names else "another body"


def _value_parts(group: list[DisagreementPosition], year: bool, link: Callable[[str, str], str], counted: bool = False) -> list[dict]:
    """Headline pieces for one side of a disagreement: its value or range, each end linked to its sentence, and
    who said it when: "445,581 (Levant Chronicle, 20 Dec)", "45,317–45,581 from 4 sources, 13–27 Dec"."""
    if not group:
        return [{"text": "no other report"}]
    numbers = [p for p in group if p.value is not None]
    if numbers:
        low, high = min(numbers, key=lambda p: p.value), max(numbers, key=lambda p: p.value)
        parts = [{"text": format_number(low.value), "href": link(low.article, low.anchor), "class": "number"}]
        if high.value != low.value:
            parts += [{"text": "–"}, {"text": format_number(high.value), "href": link(high.article, high.anchor), "class": "number"}]
    else:
        parts = [{"text": group[0].says, "href": link(group[0].article, group[0].anchor), "class": "number"}]
    sources = sorted({p.source for p in group})
    dates = [p.as_of for p in group if p.as_of]
    when = date_range(min(dates), max(dates), year) if dates else ""
    if counted and len(sources) > 1:
        parts.append({"text": f" from {len(sources)} sources" + (f", {when}" if when else "")})
    else:
        who = " and ".join(sources) if len(sources) <= 2 else f"{len(sources)} sources"
        parts.append({"text": f" ({who}" + (f", {when}" if when else "") + ")"})
    return parts


def relative_root(output_path: str) -> str:
    """Prefix that leads from a page back to the site root, so links work from any sub-path or file://."""
    return "../" * output_path.count("/")


def article_path(slug: str) -> str:
    return f"articles/{slug}/index.html"


FIGURE_CELL_VALUES = 5  # the latest values of an outlet shown in a cell of the figures table


def topic_path(slug: str) -> str:
    return f"topics/{slug}/index.html"


def outlet_path(topic: str, outlet: str, page: int = 1) -> str:
    """Page `page` of an outlet's passages on a big topic: `topics/<topic>/sources/<outlet>/index.html`, then `.../page/2/index.html`..."""
    return f"topics/{topic}/sources/{outlet}/" + (f"page/{page}/" if page > 1 else "") + "index.html"


def outlet_slugs(outlets: Iterable[str]) -> dict[str, str]:
    """A slug per outlet, no two alike: "Al Jazeera" and "Al-Jazeera" (or "Wire" and "WIRE") slugify alike, so the
    second in name order gets a hash of its name appended, made longer until it is no other outlet's slug either."""
    natural = {outlet: slug_for(outlet) or "outlet" for outlet in sorted(set(outlets))}
    taken = set(natural.values())
    slugs: dict[str, str] = {}
    used: set[str] = set()
    for outlet, slug in natural.items():
        if slug in used:
            size = 8
            while (found := f"{slug}-{fingerprint(outlet)[:size]}") in taken or found in used:
                size += 4
            slug = found
        slugs[outlet] = slug
        used.add(slug)
    return slugs


def page_ranges(sizes: list[int], per_page: int) -> list[tuple[int, int]]:
    """Split items of the given sizes (an outlet's articles, by their passages) into pages of at most `per_page`
    (a bigger item fills a page alone), in order: [(first, end)] indexes."""
    pages, first, filled = [], 0, 0
    for n, size in enumerate(sizes):
        if filled and filled + size > per_page:
            pages.append((first, n))
            first, filled = n, 0
        filled += size
    pages.append((first, len(sizes)))
    return pages


class PassageGroup(tuple):
    """An outlet's passages on a topic page. It unpacks as (source, passages), as a site's own topic.html written
    before big topics were split may read it; `note` and `more` (text and href) say what a big topic's page leaves out."""

    def __new__(cls, source: str, passages: list, note: str = "", more: dict | None = None):
        group = super().__new__(cls, (source, passages))
        group.note, group.more = note, more
        return group

    @property
    def source(self) -> str:
        return self[0]

    @property
    def passages(self) -> list:
        return self[1]


def needs_markdown(passage: Passage) -> bool:
    """Raw text and plain paragraphs are escaped directly; everything else goes through markdown-it."""
    return not (passage.kind != "other" and passage.text == passage.plain)


def passage_fingerprint(passage: Passage) -> str:
    return fingerprint("markdown", passage.text)


def render_passage(passage: Passage, values: list[FigureValue] = (), markdown_html: str | None = None, images: bool = False) -> Markup:
    """Passage HTML with each extracted figure wrapped in a <mark> anchor."""
    if not needs_markdown(passage):  # raw text: never Markdown
        body = html.escape(passage.text, quote=False)
        body = f"<h3>{body}</h3>" if passage.kind == "heading" else f"<p>{body}</p>"
    else:
        body = markdown_html if markdown_html is not None else article_markdown(images).render(passage.text)
    return Markup(mark_values(body, values))


def mark_values(body: str, values) -> str:
    """Wrap the first not-yet-marked occurrence of each stated figure in the HTML text (not in tags)."""
    for value in values:
        needle = html.escape(value.stated, quote=False)
        start = 0
        while (found := body.find(needle, start)) != -1:
            if body.rfind("<", 0, found) <= body.rfind(">", 0, found) and 'class="figure' not in body[max(0, found - 80) : found]:
                label = html.escape(f"{value.figure}: {value.stated}")
                mark = f'<mark class="figure{value.css}" id="{value.anchor}" title="{label}">{needle}</mark>'
                body = body[:found] + mark + body[found + len(needle) :]
                break
            start = found + len(needle)
    return body


# -------------------------------------------------------------------- the site


class SiteRenderer:
    """Renders a Digest. `keys()` fingerprints every output file from what it is made of, so a
    rebuild renders only the files whose inputs changed; `render(paths)` renders those (all by
    default), spread over `jobs` processes, with passages' Markdown HTML kept in the cache.

    The big pages are mostly joins of fragments: on a topic page the passages each article gives
    it, each disagreement's card and each figure's row and chart; the disagreements page's cards;
    the index's and the sources page's lists of articles; digest.json's part of each topic and its
    list of articles. Each fragment is keyed by what it is made of and kept in its page's own cache
    store, so re-rendering a changed page renders only its changed fragments. The markup of every
    HTML fragment is a macro of the theme (_macros.html)."""

    def __init__(self, digest: Digest, *, cache: Cache | None = None, jobs: int = 1, progress: Callable[[int], None] | None = None):
        self.digest = digest
        self.site = digest.site
        self.cache = cache or Cache(None)
        self.env = make_environment(digest.site, cache)
        self.articles = {a.article.slug: a for a in digest.articles}
        self.base_path = urlsplit(self.site.base_url).path.rstrip("/") + "/" if self.site.base_url else "/"
        self.rendered: dict[str, Markup] = {}
        self.outliers = outlier_severities(digest.topics)
        self.disputed = disputed_values(digest.topics)
        self.styles = outlet_styles(a.article.source for a in digest.articles)  # site-wide: an outlet has one colour on every page
        self.jobs = jobs
        self.progress = progress
        self.markdown_html: dict[str, str] = {}  # passage fingerprint → markdown-it HTML, before figures are marked
        self.fragments: dict[str, str] = {}  # fragment key → its HTML (or JSON), from the cache or rendered
        self.new_fragments: dict[str, str] = {}  # those rendered by the page being rendered
        self._values_by_topic: dict[str, dict[tuple[str, str], FigureValue]] = {}
        self._base: str | None = None
        self._info: _ArticlesInfo | None = None
        self._topic_parts: dict[int, _TopicParts] = {}
        self._card_data: dict[int, list] = {}
        self._glances: dict[str, str] = {}
        self._plan: dict[str, tuple] | None = None
        self._json_articles: str | None = None
        self._published: dict[str, dt.date] | None = None
        self._index_fragments: list | None = None
        self._sources_fragments: list | None = None
        self._marks: dict[str, list[tuple]] = {}
        self._passage_marks: dict[str, dict[int, list[tuple]]] = {}
        self._disagreements_parts: _TopicParts | None = None
        self.hasher = data_fingerprint
        self.rules = repr(self.site.cleaning)
        self._macros: dict[str, object] = {}
        self._topic_index = {t.topic.slug: i for i, t in enumerate(digest.topics)}
        self._topic_runs: dict[int, list] = {}
        self._run_digests: dict[int, list] = {}
        self._outlet_pages: dict[int, list[_OutletPages]] = {}
        self._outlet_keyed: dict[tuple[int, int, int], _TopicParts] = {}
        self._outlet_slugs: dict[str, str] | None = None

    # ------------------------------------------------------------- the plan

    def plan(self) -> dict[str, tuple]:
        """Every output file: path → (kind, argument)."""
        if self._plan is None:
            self._plan = self._make_plan()
        return self._plan

    def _make_plan(self) -> dict[str, tuple]:
        plan: dict[str, tuple] = {"index.html": ("index", None)}
        for i, topic in enumerate(self.digest.topics):
            plan[topic_path(topic.topic.slug)] = ("topic", i)
            for s, outlet in enumerate(self.outlet_pages(i)):
                for k in range(len(outlet.ranges)):
                    plan[outlet_path(topic.topic.slug, outlet.slug, k + 1)] = ("outlet", (i, s, k))
        for i, article in enumerate(self.digest.articles):
            plan[article_path(article.article.slug)] = ("article", i)
        plan["sources/index.html"] = ("sources", None)
        plan["disagreements/index.html"] = ("disagreements", None)
        plan["404.html"] = ("404", None)
        plan["digest.json"] = ("json", None)
        plan["feed.xml"] = ("feed", None)
        plan["sitemap.xml"] = ("sitemap", None)
        plan[".nojekyll"] = ("nojekyll", None)
        for path, file in self.static_sources().items():
            plan[path] = ("static", file)
        return plan

    def render(self, paths: Iterable[str] | None = None) -> dict[str, bytes]:
        """The bytes of the output files `paths` (every file by default), in plan order."""
        plan = self.plan()
        if paths is None:
            wanted = list(plan)
        else:
            asked = set(paths)
            wanted = [p for p in plan if p in asked]
        with paused_gc():
            missing = self.load_fragments(wanted, plan)
        for name in PAGE_TEMPLATES:
            self.env.get_template(name)  # compiled once here (or read from the cache), not in every worker
        passages = [p for path in wanted if plan[path][0] == "article" for p in self.digest.articles[plan[path][1]].passages]
        self.prepare_passages(passages + [p for key, run in missing.items() for p in run])
        weights = [self._weight(plan[p]) for p in wanted]
        results = parallel_map(_render_output, [(p, plan[p]) for p in wanted], self, self.jobs, self.progress, weights)
        files = {}
        for path, (data, new) in zip(wanted, results):
            files[path] = data
            if new:
                store = self.fragment_cache(path, plan[path][0])
                for key, value in new.items():
                    store.put(key, value)
        return files

    def load_fragments(self, wanted: list[str], plan: dict[str, tuple]) -> dict[str, list[Passage]]:
        """Fetch the cached fragments of the pages `wanted`; the passages of the passage fragments that are not cached."""
        missing: dict[str, list[Passage]] = {}
        for path in wanted:
            kind, arg = plan[path]
            if kind == "topic":
                cards, groups, _, figures = self.topic_fragments(arg)
                keys = [key for key, _ in cards] + [key for _, runs in groups for key, _ in runs] + [key for row, chart, _ in figures for key in (row, chart)]
                runs = {key: run for _, runs in groups for key, run in runs}
            elif kind == "outlet":
                runs = dict(self.outlet_parts(*arg).keyed)
                keys = list(runs)
            elif kind == "disagreements":
                keys = [key for _, _, cards in self.disagreements_fragments() for key, _, _ in cards]
                runs = {}
            elif kind == "json":
                keys = [*self.json_keys(), self.json_articles_key()]
                runs = {}
            elif kind == "index":
                keys = [key for key, _ in self.index_fragments()]
                runs = {}
            elif kind == "sources":
                keys = [key for _, key, _ in self.sources_fragments()]
                runs = {}
            else:
                continue
            store = self.fragment_cache(path, kind)
            for key in keys:
                found = store.get(key, lambda v: type(v) is str)
                if found is not None:
                    self.fragments[key] = found
                elif key in runs:
                    missing[key] = runs[key]
        return missing

    def render_one(self, path: str, kind: str, arg) -> bytes:
        if kind == "article":
            article = self.digest.articles[arg]
            return self.page("article.html", path, self.article_context(article, path)).encode()
        if kind == "topic":
            return self.page("topic.html", path, self.topic_context(self.digest.topics[arg], path)).encode()
        if kind == "outlet":
            return self.page("topic_source.html", path, self.outlet_context(*arg, path)).encode()
        if kind == "index":
            return self.page("index.html", path, self.index_context()).encode()
        if kind == "sources":
            return self.page("sources.html", path, self.sources_context()).encode()
        if kind == "disagreements":
            return self.page("disagreements.html", path, self.disagreements_context(path)).encode()
        if kind == "404":
            return self.page("404.html", path, {"title": "Page not found"}, root=self.base_path).encode()
        if kind == "json":
            return self.digest_json().encode()
        if kind == "feed":
            return self.feed()
        if kind == "sitemap":
            return self.sitemap(self.sitemap_pages())
        if kind == "nojekyll":
            return b""
        if kind == "static":
            return arg.read_bytes()
        raise ValueError(f"unknown output kind {kind!r}")

    def sitemap_pages(self) -> list[str]:
        outlets = [path for path, (kind, _) in self.plan().items() if kind == "outlet"]
        return ["index.html", *(topic_path(t.topic.slug) for t in self.digest.topics), *outlets, *(article_path(a.article.slug) for a in self.digest.articles), "sources/index.html", "disagreements/index.html"]

    def _weight(self, entry: tuple) -> int:
        kind, arg = entry
        if kind == "topic":
            topic = self.digest.topics[arg]
            shown = sum(len(run) for _, runs in self.topic_fragments(arg)[1] for _, run in runs)
            return 8 + shown + 4 * len(topic.disagreements)
        if kind == "outlet":
            return 8 + sum(len(run) for _, run in self.outlet_parts(*arg).keyed)
        if kind == "disagreements":
            return 8 + 4 * sum(len(t.disagreements) for t in self.digest.topics)
        if kind in ("json", "index", "sources", "sitemap"):
            return 8 + len(self.digest.articles) // 4
        return 1

    # ------------------------------------------------------------- the keys

    def keys(self) -> dict[str, str]:
        """A fingerprint of each output file's inputs: equal keys, equal bytes.

        Only what a page shows counts (not, say, where a topic's file is or its match rules),
        and an article's passages count by its text's fingerprint, not their every word."""
        with paused_gc():
            return self._keys()

    def _keys(self) -> dict[str, str]:
        plan = self.plan()
        base = self.base_key()
        keys: dict[str, str] = {}
        for path, (kind, arg) in plan.items():
            if kind == "article":
                keys[path] = self.article_key(self.digest.articles[arg], path)
            elif kind == "topic":
                keys[path] = self.topic_parts(arg).key
            elif kind == "outlet":
                keys[path] = self.outlet_parts(*arg).key
            elif kind == "index":
                keys[path] = self.hasher(base, path, self.index_data())
            elif kind == "sources":
                keys[path] = self.hasher(base, path, self.sources_data())
            elif kind == "disagreements":
                keys[path] = self.disagreements_parts().key
            elif kind == "json":
                keys[path] = self.hasher(base, path, repr(self.digest.built_at), self.json_articles_key(), self.json_keys())
            elif kind == "feed":
                keys[path] = fingerprint(base, path, self.digest.built_at, [(t.topic.slug, t.topic.title, t.topic.summary, self.glance(t), self.topic_updated(t)) for t in self.digest.topics])
            elif kind == "sitemap":
                keys[path] = fingerprint(base, path, self.sitemap_pages())
            elif kind == "static":
                keys[path] = fingerprint(path, arg.read_bytes())
            else:  # 404, .nojekyll: the site's settings and the theme only
                keys[path] = fingerprint(base, path)
        return keys

    def base_key(self) -> str:
        """What every page shows or is shaped by: digest's code, the theme, the site's settings."""
        if self._base is None:
            self._base = fingerprint(salt(), "render", self.theme_fingerprint(), self.site.title, self.site.description, self.site.language, self.site.base_url, self.site.theme, self.site.remote_images)
        return self._base

    def theme_fingerprint(self) -> str:
        parts = []
        for theme in theme_dirs(self.site):
            templates = theme / "templates"
            for file in sorted(templates.rglob("*")) if templates.is_dir() else []:
                if file.is_file():
                    parts.append((str(file.relative_to(templates)), file.read_bytes()))
            parts.append("|")
        return fingerprint(*(p for part in parts for p in (part if isinstance(part, tuple) else (part,))))

    def articles_info(self) -> _ArticlesInfo:
        """What pages take from the articles, gathered once: each one's metadata (and a fingerprint of
        what topic pages show of it), what its text is (its passages follow from that), and which of
        its figures are disputed."""
        if self._info is None:
            hasher = self.hasher
            known = self.cache.memo("article-info")  # serve's cache keeps each unchanged file's part from one build to the next
            meta, shown, text = {}, {}, {}
            for a in self.digest.articles:
                art = a.article
                found = known.get(art.key) if art.key else None
                if found is None:
                    published = repr(art.published)  # plain data: no dates
                    # The loader's hash of the file's bytes (not where it is) stands for the body; raw text is cleaned by the rules too.
                    found = (
                        (art.slug, art.title, art.source, art.url, published, art.author, art.language, art.format),
                        hasher(art.slug, art.title, art.source, art.url, published),
                        (art.key.partition(":")[0] if art.key else hasher(art.body)) + (self.rules if art.format == "txt" else ""),
                    )
                    if art.key:
                        known.put(art.key, found)
                meta[art.slug], shown[art.slug], text[art.slug] = found
            disputed: dict[str, list[str]] = defaultdict(list)
            for article, anchor in sorted(self.disputed):
                disputed[article].append(anchor)
            self._info = _ArticlesInfo(meta, shown, text, dict(disputed))
        return self._info

    def marks(self, slug: str) -> list[tuple]:
        """(passage number, anchor, figure, stated, status) of each figure marked in an article's text: worked out for
        the articles a page shows when it is first asked for (a preview renders one page, not every article's)."""
        found = self._marks.get(slug)
        if found is None:
            found = self._marks[slug] = [(v.passage, v.anchor, v.figure, v.stated, v.status) for v in self.articles[slug].values]
        return found

    def passage_marks(self, slug: str) -> dict[int, list[tuple]]:
        """The marks of an article's passages, by passage number (a passage with none is not there)."""
        by_passage = self._passage_marks.get(slug)
        if by_passage is None:
            by_passage = self._passage_marks[slug] = {}
            for mark in self.marks(slug):
                by_passage.setdefault(mark[0], []).append(mark)
        return by_passage

    def article_key(self, a: ArticleDigest, path: str) -> str:
        """Everything an article page shows: its text (its passages follow from it, and for raw text
        the cleaning rules, with digest's code), metadata, marks and topics."""
        info = self.articles_info()
        art = a.article
        titles = [(slug, self.digest.topics[self._topic_index[slug]].topic.title) for slug in a.topics]
        return self.hasher(self.base_key(), path, info.meta[art.slug], info.text[art.slug], self.marks(art.slug), info.disputed.get(art.slug), titles)

    def topic_parts(self, i: int) -> _TopicParts:
        """A topic page's key and what its fragments are made of: its disagreements' cards and, per
        outlet, the passages each article contributes (with their marks and the article's title,
        date and link). The page's data is serialised at C speed and hashed at once: a key is cheap."""
        if i in self._topic_parts:
            return self._topic_parts[i]
        topic = self.digest.topics[i]
        page = fingerprint(self.base_key(), topic_path(topic.topic.slug))
        info = self.articles_info()
        by_article = {slug: self.passage_marks(slug) for slug in topic.articles}
        marks = [by_article[p.article].get(p.number) for p in topic.passages]
        shown = {(v.article, v.anchor) for f in topic.figures for v in f.values}
        shown.update((p.article, mark[1]) for p, found in zip(topic.passages, marks) if found for mark in found)
        cited = {p.article for d in topic.disagreements for p in d.positions}  # curated ones may cite articles the topic does not match
        outlets = sorted({v.source for f in topic.figures for v in f.values})
        key = self.hasher(
            page,
            (topic.topic.title, topic.topic.summary, topic.topic.notes, self.glance(topic)),
            topic.fingerprint,  # what the analysis found: passages, figure values, disagreements, corroborations
            [(c.text, c.sources, [info.shown[s] for s in c.sources]) for c in topic.claims],
            marks,  # figures of every topic are marked in the passages
            [info.shown[slug] for slug in sorted(cited.union(topic.articles))],  # titles, outlets, dates and links of its articles
            sorted(shown & self.disputed),
            sorted((value, self.outliers[value]) for value in shown if value in self.outliers),  # rings in the charts
            [(outlet, self.styles.get(outlet)) for outlet in outlets],  # chart colours are the site's: another outlet added elsewhere can change them
            [(o.source, o.slug) for o in self.outlet_pages(i)],  # a big topic links to its outlets' pages: their slugs are the site's too
        )
        self._topic_parts[i] = parts = _TopicParts(key, page)
        return parts

    def topic_fragments(self, i: int) -> tuple[list, list, list, list]:
        """The fragments of topic `i`'s page with their keys: ([(key, disagreement)], [(outlet, [(key, passages)])],
        the outlets of the figures table, [(row key, chart key, figure)]).
        A card is keyed by its disagreement, a passage fragment by the passages one article gives
        the page (consecutive in the topic's order), their marks and the article's metadata (`run_digests`).
        A big topic's page shows only each outlet's latest TOPIC_PAGE_LATEST articles' passages."""
        parts = self.topic_parts(i)
        if parts.keyed is None:
            topic = self.digest.topics[i]
            hasher = self.hasher
            latest = -TOPIC_PAGE_LATEST if self.paginated(topic) else 0  # a big topic shows each outlet's latest articles, the outlet's pages all
            groups = [(source, [(hasher(parts.page, "passages", run_digest), run) for run_digest, (_, run) in list(zip(digests, runs))[latest:]]) for (source, runs), digests in zip(self.topic_runs(i), self.run_digests(i))]
            card_data = self.card_data(i)
            leading = most_severe_first(topic.disagreements)[:TOPIC_CARDS]  # the page shows these; the disagreements page all
            cards = [(hasher(parts.page, "disagreement", card_data[k]), topic.disagreements[k]) for k in leading]
            sources = sorted({v.source for f in topic.figures for v in f.values})
            disputed, outliers, styles = self.disputed, self.outliers, self.styles
            figures = []
            for f in topic.figures:
                data = (f.spec.id, f.spec.label, sources, [v.plain() for v in f.values], [(v.article, v.anchor) in disputed for v in f.values])
                chart = (data, [outliers.get((v.article, v.anchor)) for v in f.values], [(s, styles.get(s)) for s in sorted({v.source for v in f.values})])
                figures.append((hasher(parts.page, "figure-row", data), hasher(parts.page, "figure-chart", chart), f))
            parts.keyed = (cards, groups, sources, figures)
        return parts.keyed

    @staticmethod
    def paginated(topic: TopicDigest) -> bool:
        """Whether the topic's page shows only each outlet's latest articles, and the outlets' pages all their passages."""
        return len(topic.passages) > TOPIC_PAGE_PASSAGES

    def topic_runs(self, i: int) -> list[tuple[str, list[tuple[str, list[Passage]]]]]:
        """Topic `i`'s passages by outlet (in name order), each outlet's as runs of one article's passages, oldest
        article first (the topic's order): [(outlet, [(article, passages)])]."""
        found = self._topic_runs.get(i)
        if found is None:
            topic = self.digest.topics[i]
            # serve keeps a topic's digest object while nothing it shows changed (an outlet renamed re-digests it):
            # its runs are then those of the last preview, not grouped again (~0.1 s a preview at 10,000 articles)
            known = self.cache.memo("topic-runs")
            last = known.get(topic.topic.slug)
            if last is not None and last[0] is topic:
                found = last[1]
            else:
                articles = self.articles
                by_source: dict[str, list[tuple[str, list[Passage]]]] = defaultdict(list)
                for slug, run in groupby(topic.passages, attrgetter("article")):  # an article's passages are consecutive
                    by_source[articles[slug].article.source].append((slug, list(run)))
                found = sorted(by_source.items())
            known.put(topic.topic.slug, (topic, found))
            self._topic_runs[i] = found
        return found

    def run_digests(self, i: int) -> list[list[str]]:
        """Per outlet and run of `topic_runs(i)`, a fingerprint of what the run's fragment shows: the passages, their
        marks (and which are disputed) and the article's title, outlet, date and link. A run's fragment is keyed by it
        and the page it is on (its links are relative to that page), whether the topic page or an outlet's page."""
        found = self._run_digests.get(i)
        if found is None:
            info = self.articles_info()
            hasher, disputed = self.hasher, self.disputed
            found = []
            for _, runs in self.topic_runs(i):
                digests = []
                for slug, passages in runs:
                    by_passage = self.passage_marks(slug)
                    marks = [by_passage.get(p.number) for p in passages]
                    shown = sorted({mark[1] for found_ in marks if found_ for mark in found_ if (slug, mark[1]) in disputed})
                    digests.append(hasher("passages", info.shown[slug], [(p.number, p.identity) for p in passages], marks, shown))
                found.append(digests)
            self._run_digests[i] = found
        return found

    def outlet_pages(self, i: int) -> list[_OutletPages]:
        """The outlets' pages of topic `i` (none unless it is big): per outlet, its slug and the runs each page shows."""
        found = self._outlet_pages.get(i)
        if found is None:
            found = []
            if self.paginated(self.digest.topics[i]):
                if self._outlet_slugs is None:
                    self._outlet_slugs = outlet_slugs(a.article.source for a in self.digest.articles)
                for source, runs in self.topic_runs(i):
                    sizes = [len(run) for _, run in runs]
                    found.append(_OutletPages(source, self._outlet_slugs[source], page_ranges(sizes, OUTLET_PAGE_PASSAGES), sum(sizes), len(runs)))
            self._outlet_pages[i] = found
        return found

    def outlet_parts(self, i: int, s: int, k: int) -> _TopicParts:
        """Page `k` (from 0) of outlet `s`'s passages on topic `i`: its key and its fragments [(key, passages)]."""
        found = self._outlet_keyed.get((i, s, k))
        if found is None:
            topic = self.digest.topics[i]
            outlet = self.outlet_pages(i)[s]
            path = outlet_path(topic.topic.slug, outlet.slug, k + 1)
            page = fingerprint(self.base_key(), path)
            first, end = outlet.ranges[k]
            runs = self.topic_runs(i)[s][1][first:end]
            keyed = [(self.hasher(page, "passages", run_digest), run) for run_digest, (_, run) in zip(self.run_digests(i)[s][first:end], runs)]
            shown = (topic.topic.title, outlet.source, outlet.passages, outlet.articles, len(outlet.ranges))  # the page number and links are its path's
            found = self._outlet_keyed[(i, s, k)] = _TopicParts(self.hasher(page, shown, [key for key, _ in keyed]), page, keyed)
        return found

    def card_data(self, i: int) -> list[tuple]:
        """Per disagreement of topic `i`, everything its card shows (and digest.json tells of it): the
        disagreement and, per position, the article's title and link and the value's attribution and sentence."""
        if i not in self._card_data:
            topic = self.digest.topics[i]
            data = []
            for d in topic.disagreements:
                positions = []
                for p in d.positions:
                    article = self.articles[p.article].article
                    value = self.find_value(topic, p.article, p.anchor)
                    positions.append((p.article, p.source, p.says, p.value, p.as_of.isoformat() if p.as_of else None, p.anchor, article.title, article.url, value.attributed_to if value else None, value.sentence if value else None))
                # the topic's slug: the disagreements page filters its cards by it
                data.append((topic.topic.slug, d.kind, d.about, d.figure, d.severity, d.reason, len(d.outlier), d.ratio, d.explanation, d.resolution, positions))
            self._card_data[i] = data
        return self._card_data[i]

    def disagreements_parts(self) -> _TopicParts:
        """The disagreements page's key."""
        if self._disagreements_parts is None:
            page = fingerprint(self.base_key(), "disagreements/index.html")
            groups = [(t.topic.title, t.topic.slug, [self.card_data(i)[k] for k in most_severe_first(t.disagreements)]) for i, t in enumerate(self.digest.topics) if t.disagreements]
            self._disagreements_parts = _TopicParts(self.hasher(page, groups), page)
        return self._disagreements_parts

    def disagreements_fragments(self) -> list:
        """The cards of the disagreements page, most severe first: per topic, (title, slug, [(key, disagreement, topic)])."""
        parts = self.disagreements_parts()
        if parts.keyed is None:
            parts.keyed = [
                (t.topic.title, t.topic.slug, [(self.hasher(parts.page, "disagreement", self.card_data(i)[k]), t.disagreements[k], t) for k in most_severe_first(t.disagreements)])
                for i, t in enumerate(self.digest.topics)
                if t.disagreements
            ]
        return parts.keyed

    def json_keys(self) -> list[str]:
        """Per topic, the key of its part of digest.json (the topic page shows all of it)."""
        return [fingerprint("json", self.topic_parts(i).key) for i in range(len(self.digest.topics))]

    def json_articles_key(self) -> str:
        """The key of digest.json's list of articles."""
        if self._json_articles is None:
            meta = self.articles_info().meta
            self._json_articles = self.hasher("json", "articles", [(meta[a.article.slug], a.topics) for a in self.digest.articles])
        return self._json_articles

    def index_data(self) -> tuple:
        """What the index shows: per topic its card, and every article's title, outlet and date."""
        topics = [(t["title"], t["summary"], t["href"], t["glance"], t["disagreements"], t["probable_errors"]) for t in self.index_topics()]
        meta = self.articles_info().meta
        return topics, [(m[0], m[1], m[2], m[4]) for m in meta.values()]

    def sources_data(self) -> tuple:
        """What the sources page shows: passages per outlet and topic, and every article's title, outlet and date."""
        outlet_of = {a.article.slug: a.article.source for a in self.digest.articles}
        counts = [sorted(Counter(outlet_of[p.article] for p in t.passages).items()) for t in self.digest.topics]
        meta = self.articles_info().meta
        return [(t.topic.slug, t.topic.title) for t in self.digest.topics], counts, [(m[0], m[1], m[2], m[4]) for m in meta.values()]

    # ---------------------------------------------------- passages' HTML

    def prepare_passages(self, found: Iterable[Passage]) -> None:
        """Markdown HTML of the given passages, from the cache or rendered (in parallel)."""
        passages: dict[str, Passage] = {}
        for passage in found:
            if needs_markdown(passage):
                passages.setdefault(passage_fingerprint(passage), passage)
        images = self.site.remote_images
        store = self.cache.store("html-images" if images else "html")
        missing = []
        for key, passage in passages.items():
            html_ = store.get(key, lambda v: type(v) is str)
            if html_ is None:
                missing.append((key, passage.text, images))
            else:
                self.markdown_html[key] = html_
        for (key, _, _), html_ in zip(missing, parallel_map(_markdown_html, missing, None, self.jobs)):
            self.markdown_html[key] = html_
            store.put(key, html_)

    def fragment_cache(self, path: str, kind: str):
        """The cache store of the fragments of the page at `path`: an outlet's page has some tens, kept in a few files."""
        return self.cache.store(fragment_store(path), OUTLET_PAGE_SHARDS if kind == "outlet" else SHARDS)

    def fragment(self, key: str, make: Callable[[], str]) -> Markup:
        """The fragment `key`, rendered by `make` when it is not known yet."""
        found = self.fragments.get(key)
        if found is None:
            found = self.fragments[key] = self.new_fragments[key] = str(make())
        return Markup(found)

    def macros(self, path: str):
        """The theme's macros, as a page at `path` calls them (with the same globals)."""
        root = relative_root(path)
        if root not in self._macros:
            self._macros[root] = self.env.get_template("_macros.html").make_module(self.page_globals(root))
        return self._macros[root]

    def page(self, template: str, path: str, context: dict, root: str | None = None) -> str:
        root = relative_root(path) if root is None else root
        canonical = self.absolute(path.removesuffix("index.html")) if self.site.base_url else ""
        return self.env.get_template(template).render(**self.page_globals(root), canonical=canonical, **context)

    def page_globals(self, root: str) -> dict:
        """What every template gets, whatever the page: the site, links from `root`, the generator."""
        url = lambda target: root + target  # noqa: E731 - the one helper templates get
        return {
            "site": {"title": self.site.title, "description": self.site.description, "language": self.site.language},
            "root": root,
            "url": url,
            "nav": [("Topics", url("index.html")), ("Disagreements", url("disagreements/index.html")), ("Sources", url("sources/index.html"))],
            "feed_url": url("feed.xml"),
            "generator": f"digest {__version__}",
        }

    def absolute(self, path: str) -> str:
        return self.site.base_url.rstrip("/") + "/" + path if self.site.base_url else path

    def static_sources(self) -> dict[str, Path]:
        """Output path → theme file for the static assets; the site's own files win."""
        files: dict[str, Path] = {}
        for theme in reversed(theme_dirs(self.site)):
            static = theme / "static"
            for file in sorted(static.rglob("*")) if static.is_dir() else []:
                if file.is_file():
                    files["static/" + file.relative_to(static).as_posix()] = file
        return files

    # ------------------------------------------------------------- contexts

    def glance(self, topic: TopicDigest) -> str:
        found = self._glances.get(topic.topic.slug)
        if found is None:
            found = self._glances[topic.topic.slug] = self._glance(topic)
        return found

    def _glance(self, topic: TopicDigest) -> str:
        sources = len({self.articles[a].article.source for a in topic.articles})
        open_ = sum(not d.resolution for d in topic.disagreements)
        resolved = len(topic.disagreements) - open_
        parts = [f"{sources} source{'s' if sources != 1 else ''}", f"{open_} disagreement{'s' if open_ != 1 else ''}", f"{len(topic.corroborated)} corroborated"]
        if resolved:
            parts.insert(2, f"{resolved} resolved")
        return " · ".join(parts)

    def index_context(self) -> dict:
        macros = self.macros("index.html")
        articles = [self.fragment(key, lambda: macros.article_list(self.article_list(ordered))) for key, ordered in self.index_fragments()]
        return {"title": self.site.title, "topics": self.index_topics(), "articles": articles}

    def index_fragments(self) -> list[tuple[str, list[ArticleDigest]]]:
        """The index's list of articles, newest first, as one fragment: (key, articles)."""
        if self._index_fragments is None:
            ordered = sorted(self.digest.articles, key=lambda a: (a.article.published_date, a.article.slug), reverse=True)
            meta = self.articles_info().meta
            shown = [(m[0], m[1], m[2], m[4]) for m in (meta[a.article.slug] for a in ordered)]
            self._index_fragments = [(self.hasher(fingerprint(self.base_key(), "index.html"), "articles", shown), ordered)]
        return self._index_fragments

    def sources_fragments(self) -> list[tuple[str, str, list[ArticleDigest]]]:
        """The sources page's list of each outlet's articles, a fragment per outlet: (outlet, key, articles)."""
        if self._sources_fragments is None:
            outlets: dict[str, list[ArticleDigest]] = defaultdict(list)
            for a in self.digest.articles:
                outlets[a.article.source].append(a)
            page = fingerprint(self.base_key(), "sources/index.html")
            meta = self.articles_info().meta
            self._sources_fragments = [
                (outlet, self.hasher(page, "outlet", [(m[0], m[1], m[4]) for m in (meta[a.article.slug] for a in items)]), items) for outlet, items in sorted(outlets.items())
            ]
        return self._sources_fragments

    def index_topics(self) -> list[dict]:
        return [
            {
                "title": t.topic.title,
                "summary": t.topic.summary,
                "href": topic_path(t.topic.slug),
                "glance": self.glance(t),
                "disagreements": len(t.disagreements),
                "probable_errors": sum(d.severity == "probable-error" and not d.resolution for d in t.disagreements),
            }
            for t in self.digest.topics
        ]

    def article_list(self, ordered: list[ArticleDigest]) -> list[dict]:
        return [
            {"title": a.article.title, "source": a.article.source, "date": format_date(a.article.published_date), "iso": a.article.published_date.isoformat(), "href": article_path(a.article.slug)}
            for a in ordered
        ]

    @staticmethod
    def value_link(article: str, anchor: str) -> str:
        return article_path(article) + (f"#{anchor}" if anchor else "")

    def disagreement_context(self, d: Disagreement, topic: TopicDigest | None = None) -> dict:
        """A card: its headline ("445,581 (Levant Chronicle, 20 Dec) against 45,317–45,581 from 4 sources,
        13–27 Dec"), each number linking to its sentence, the reason in words, and every statement below."""
        found = {id(p): self.find_value(topic, p.article, p.anchor) if topic else None for p in d.positions}
        dates = [p.as_of for p in d.positions if p.as_of]
        years = len({day.year for day in dates}) > 1  # the year is written out only when the card spans two
        positions = []
        for role, group in (("outlier", d.outlier), ("against", d.against)):
            for p in group:
                article = self.articles[p.article].article
                value = found[id(p)]
                positions.append(
                    {
                        "role": role if d.kind == "figure" else "",
                        "source": p.source,
                        "says": p.says,
                        "value": format_number(p.value),
                        "as_of": format_date(p.as_of) if p.as_of else "",
                        "attributed_to": value.attributed_to if value else "",
                        "sentence": value.sentence if value else "",
                        "href": self.value_link(p.article, p.anchor),
                        "article_title": article.title,
                        "original": article.url,
                    }
                )
        if d.kind == "figure":
            headline = [*_value_parts(d.outlier, years, self.value_link), {"text": " against "}, *_value_parts(d.against, years, self.value_link, counted=True)]
            reason = REASONS.get(d.reason, d.reason.replace("-", " "))
            if d.reason == "counting-body":
                reason = f"{reason}: {_body([found[id(p)] for p in d.outlier])} vs {_body([found[id(p)] for p in d.against])}"
        else:
            said = [[{"text": "“"}, {"text": p.says, "href": self.value_link(p.article, p.anchor)}, {"text": f"” ({p.source})"}] for p in d.positions]
            headline = [part for i, parts in enumerate(said) for part in ([{"text": " against " if len(said) == 2 else ("; " if i < len(said) - 1 else "; and ")}] if i else []) + parts]
            reason = REASONS["curated"]
        figure = d.figure if d.kind == "figure" else ""
        slug = topic.topic.slug if topic else ""
        return {
            "about": d.about,
            "kind": d.kind,
            "severity": d.severity,
            "severity_label": SEVERITIES[d.severity],
            "ratio": f"{d.ratio:.1f}×" if d.ratio and d.ratio != float("inf") else "",
            "headline": [{"text": part["text"], "href": part.get("href", ""), "class": part.get("class", "")} for part in headline],
            "reason": d.reason,
            "reason_text": reason,
            "explanation": d.explanation if d.reason != "counting-body" else "",  # a counting-body one only names the bodies, as the reason does
            "positions": positions,
            "open": len(positions) <= 3,  # a long list of statements is folded under the headline
            "count": f"{len(positions)} statement{'s' if len(positions) != 1 else ''}",
            "resolution": Markup(markdown.renderInline(d.resolution)) if d.resolution else "",
            "topic": slug,
            "figure": f"{slug}:{figure}",  # what the disagreements page filters by
        }

    def find_value(self, topic: TopicDigest, article: str, anchor: str) -> FigureValue | None:
        index = self._values_by_topic.get(topic.topic.slug)
        if index is None:
            index = self._values_by_topic[topic.topic.slug] = {}
            for figure in topic.figures:
                for value in figure.values:
                    index.setdefault((value.article, value.anchor), value)  # the first one, as a search would find
        return index.get((article, anchor))

    def topic_context(self, topic: TopicDigest, path: str) -> dict:
        keyed_cards, keyed_groups, sources, keyed_figures = self.topic_fragments(self._topic_index[topic.topic.slug])
        macros = self.macros(path)
        outliers, styles = self.outliers, self.styles
        rows = [
            {
                "label": figure.spec.label,
                "id": figure.spec.id,
                "html": self.fragment(row, lambda: macros.figure_row(self.figure_row(figure, sources))),
                "chart": self.fragment(chart, lambda: figure_chart(figure, {k: outliers[k] for v in figure.values if (k := (v.article, v.anchor)) in outliers}, styles) if figure.values else ""),
            }
            for row, chart, figure in keyed_figures
        ]
        groups = [PassageGroup(source, [self.fragment(key, lambda: macros.source_passages(self.passage_items(run))) for key, run in runs]) for source, runs in keyed_groups]
        for n, outlet in enumerate(self.outlet_pages(self._topic_index[topic.topic.slug])):  # a big topic: each outlet's latest articles, and a link to all
            shown = len(keyed_groups[n][1])
            note = f"From its latest {shown} of {outlet.articles:,} articles:" if shown < outlet.articles else ""
            more = {"text": f"All {outlet.passages:,} passage{'s' if outlet.passages != 1 else ''} from {outlet.source} →", "href": outlet_path(topic.topic.slug, outlet.slug)}
            groups[n] = PassageGroup(outlet.source, groups[n].passages, note, more)
        cards = [self.fragment(key, lambda: macros.disagreement(self.disagreement_context(d, topic))) for key, d in keyed_cards]
        total = len(topic.disagreements)
        shown = {id(d) for _, d in keyed_cards}
        settled: dict[tuple[str, str], int] = Counter((d.about, d.resolution) for d in topic.disagreements if d.resolution and id(d) not in shown)
        resolved = [{"about": about, "count": f"{n} disagreement{'s' if n != 1 else ''}", "note": Markup(markdown.renderInline(note))} for (about, note), n in settled.items()]
        labels = {f.spec.id: f.spec.label for f in topic.figures}
        corroborated = [self.corroboration_context(c, labels[c.figure]) for c in topic.corroborated]
        claims = [
            {"text": c.text, "sources": [{"source": self.articles[s].article.source, "title": self.articles[s].article.title, "href": article_path(s)} for s in c.sources]}
            for c in topic.claims
        ]
        return {
            "title": topic.topic.title,
            "summary": topic.topic.summary,
            "notes": Markup(markdown.render(topic.topic.notes)) if topic.topic.notes else "",
            "glance": self.glance(topic),
            "disagreements": cards,
            "more_disagreements": {
                "text": f"All {total} disagreements of this topic, with filters",
                "shown": f"The {len(cards)} most severe of {total} disagreements are shown here.",
                "href": f"disagreements/index.html#topic-{topic.topic.slug}",
            }
            if total > len(cards)
            else None,
            "resolved": resolved,  # the curator's notes of resolved disagreements the page has no card for
            "sources": [{"name": s, "colour": styles[s][0] if s in styles else ""} for s in sources],
            "figures": rows,
            "corroborated": corroborated,
            "claims": claims,
            "passage_groups": groups,
        }

    def outlet_context(self, i: int, s: int, k: int, path: str) -> dict:
        """Page `k` (from 0) of all outlet `s`'s passages on topic `i`, oldest article first, with links to the other pages."""
        topic = self.digest.topics[i].topic
        outlet = self.outlet_pages(i)[s]
        macros = self.macros(path)
        passages = [self.fragment(key, lambda: macros.source_passages(self.passage_items(run))) for key, run in self.outlet_parts(i, s, k).keyed]
        count = len(outlet.ranges)
        heading = f"{topic.title}: {outlet.source}"
        return {
            "title": heading if k == 0 else f"{heading} (page {k + 1} of {count})",
            "heading": heading,
            "topic": {"title": topic.title, "href": topic_path(topic.slug)},
            "source": outlet.source,
            "lede": f"All {outlet.passages:,} passage{'s' if outlet.passages != 1 else ''} of this topic from {outlet.source}, in {outlet.articles:,} article{'s' if outlet.articles != 1 else ''}, oldest first.",
            "pager": {
                "text": f"Page {k + 1} of {count}",
                "previous": outlet_path(topic.slug, outlet.slug, k) if k > 0 else "",
                "next": outlet_path(topic.slug, outlet.slug, k + 2) if k + 1 < count else "",
            }
            if count > 1
            else None,
            "passages": passages,
        }

    def corroboration_context(self, c: Corroboration, label: str) -> dict:
        """A corroborated group: its value range, its dates, and each outlet's words (its latest statement in the
        group) linked to their sentence; `more` counts the group's other statements (a group of months can hold hundreds)."""
        low, high = c.low, c.high
        latest: dict[str, FigureValue] = {}
        for v in c.values:  # in time order: each outlet's last one stays, in the place of its first
            latest[v.source] = v
        return {
            "label": label,
            "value": format_number(low) if low == high else f"{format_number(low)}–{format_number(high)}",
            "dates": date_range(c.first, c.last, c.first.year != c.last.year),
            "sources": [{"source": v.source, "stated": v.stated, "href": self.value_link(v.article, v.anchor), "as_of": format_date(v.as_of)} for v in latest.values()],
            "more": len(c.values) - len(latest),
        }

    def passage_items(self, passages: list[Passage]) -> list[dict]:
        """The passages one article contributes to a topic page, with their links."""
        items = []
        for passage in passages:
            article = self.articles[passage.article]
            values = [v for v in article.values if v.passage == passage.number]
            items.append(
                {
                    "html": self.passage_html(passage, values),
                    "number": passage.number,
                    "href": article_path(passage.article) + f"#p{passage.number}",
                    "original": article.article.url,
                    "article_title": article.article.title,
                    "date": format_date(article.article.published_date),
                }
            )
        return items

    def figure_row(self, figure, sources: list[str]) -> dict:
        """A row of the figures table: per outlet, its latest values of the figure (FIGURE_CELL_VALUES) and every
        disputed one, in date order; `earlier` counts the others, which the timeline and digest.json show (a
        story of months gives an outlet hundreds of values: the table stays a table)."""
        by_source: dict[str, list[FigureValue]] = defaultdict(list)
        for v in figure.values:
            by_source[v.source].append(v)
        cells, earlier = [], []
        for source in sources:
            values = sorted(by_source.get(source, ()), key=lambda v: v.as_of)
            shown = [v for n, v in enumerate(values) if n >= len(values) - FIGURE_CELL_VALUES or (v.article, v.anchor) in self.disputed]
            cells.append([self.value_context(v) for v in shown])
            earlier.append(len(values) - len(shown))
        return {"label": figure.spec.label, "id": figure.spec.id, "cells": cells, "earlier": earlier}

    def value_context(self, value: FigureValue) -> dict:
        return {
            "stated": value.stated,
            "status": value.status,  # "estimate" or "withdrawn": shown beside the counts, not compared with them
            "value": format_number(value.value) if not value.vague else f"{format_number(value.low)}–{format_number(value.high)}",
            "as_of": format_date(value.as_of),
            "attributed_to": value.attributed_to,
            "href": self.value_link(value.article, value.anchor),
            "disputed": (value.article, value.anchor) in self.disputed,
            "sentence": value.sentence,
        }

    def passage_html(self, passage: Passage, values: list[FigureValue]) -> Markup:
        """Rendered once per passage, whether it appears on its article page, a topic page, or both."""
        key = passage.id
        if key not in self.rendered:
            markdown_html = self.markdown_html.get(passage_fingerprint(passage)) if needs_markdown(passage) else None
            self.rendered[key] = render_passage(passage, self.with_css(values), markdown_html, self.site.remote_images)
        return self.rendered[key]

    def with_css(self, values: list[FigureValue]) -> list:
        """Values annotated with the CSS class that marks disputed numbers (and estimates, withdrawn values) in the text."""
        return [_Marked(v, (" disputed" if (v.article, v.anchor) in self.disputed else "") + (f" {v.status}" if v.status else "")) for v in values]

    def article_context(self, article: ArticleDigest, path: str) -> dict:
        by_passage = defaultdict(list)
        for value in article.values:
            by_passage[value.passage].append(value)
        topics = {t.topic.slug: t.topic.title for t in self.digest.topics}
        a = article.article
        return {
            "title": a.title,
            "source": a.source,
            "author": a.author,
            "date": format_date(a.published_date),
            "iso": a.published_date.isoformat(),
            "original": a.url,
            "lang": a.language,
            "topics": [{"title": topics[s], "href": topic_path(s)} for s in article.topics],
            "passages": [
                {"number": p.number, "anchor": f"p{p.number}", "html": self.passage_html(p, by_passage[p.number])} for p in article.passages
            ],
        }

    def sources_context(self) -> dict:
        topics = self.digest.topics
        outlet_of = {a.article.slug: a.article.source for a in self.digest.articles}
        per_topic = [Counter(outlet_of[p.article] for p in t.passages) for t in topics]
        macros = self.macros("sources/index.html")
        matrix = []
        for outlet, key, items in self.sources_fragments():
            counts = [c[outlet] for c in per_topic]
            articles = lambda: macros.outlet_articles([{"title": a.article.title, "href": article_path(a.article.slug), "date": format_date(a.article.published_date)} for a in items])  # noqa: E731
            matrix.append({"outlet": outlet, "counts": counts, "articles": self.fragment(key, articles)})
        return {"title": "Sources", "topics": [{"title": t.topic.title, "href": topic_path(t.topic.slug)} for t in topics], "outlets": matrix}

    def disagreements_context(self, path: str) -> dict:
        macros = self.macros(path)
        groups, topics, figures = [], [], []
        severities = Counter()
        for title, slug, cards in self.disagreements_fragments():
            groups.append({"title": title, "href": topic_path(slug), "slug": slug, "disagreements": [self.fragment(key, lambda: macros.disagreement(self.disagreement_context(d, t))) for key, d, t in cards]})
            topics.append({"value": slug, "label": title})
            shown = Counter(f"{slug}:{d.figure if d.kind == 'figure' else ''}" for _, d, _ in cards)
            about = {f"{slug}:{d.figure}": d.about for _, d, _ in cards if d.kind == "figure"}
            options = [{"value": value, "label": f"{about.get(value, 'Noted by the curator')} ({count})"} for value, count in shown.items()]
            figures.append({"topic": slug, "label": title, "options": sorted(options, key=lambda o: (o["label"].startswith("Noted by"), o["label"]))})
            severities.update(d.severity for _, d, _ in cards)
        filters = {
            "topics": topics,
            "figures": figures,
            "severities": [{"value": value, "label": f"{label}s ({severities[value]})"} for value, label in SEVERITIES.items() if severities[value]],
            "total": sum(severities.values()),
        }
        return {"title": "Disagreements", "groups": groups, "filters": filters}

    def digest_json(self) -> str:
        """`site/digest.json`, compact (the C encoder): `digest_data` serialised, one cached topic at a time."""
        data = digest_data(self.digest, topics=False, articles=self.json_articles_key() not in self.fragments)
        outlets = {a.article.slug: a.article.source for a in self.digest.articles}
        topics = [self.fragment(key, lambda: _json(topic_data(t, outlets))) for key, t in zip(self.json_keys(), self.digest.topics)]
        articles = self.fragment(self.json_articles_key(), lambda: _json(data["articles"]))
        return f'{{"site":{_json(data["site"])},"articles":{articles},"topics":[{",".join(topics)}]}}\n'

    # ------------------------------------------------------------ feed, map

    def feed(self) -> bytes:
        atom = "http://www.w3.org/2005/Atom"
        ET.register_namespace("", atom)
        feed = ET.Element(f"{{{atom}}}feed")
        ET.SubElement(feed, f"{{{atom}}}title").text = self.site.title
        ET.SubElement(feed, f"{{{atom}}}id").text = self.absolute("") or "urn:digest:" + self.site.title
        ET.SubElement(feed, f"{{{atom}}}link", href=self.absolute("feed.xml"), rel="self")
        ET.SubElement(feed, f"{{{atom}}}link", href=self.absolute(""))
        updated = [self.topic_updated(t) for t in self.digest.topics]
        ET.SubElement(feed, f"{{{atom}}}updated").text = max(updated, default=self.digest.built_at.date()).isoformat() + "T00:00:00Z"
        ET.SubElement(ET.SubElement(feed, f"{{{atom}}}author"), f"{{{atom}}}name").text = self.site.title
        for topic, day in zip(self.digest.topics, updated):
            entry = ET.SubElement(feed, f"{{{atom}}}entry")
            link = self.absolute(topic_path(topic.topic.slug).removesuffix("index.html"))
            ET.SubElement(entry, f"{{{atom}}}title").text = topic.topic.title
            ET.SubElement(entry, f"{{{atom}}}id").text = link
            ET.SubElement(entry, f"{{{atom}}}link", href=link)
            ET.SubElement(entry, f"{{{atom}}}updated").text = day.isoformat() + "T00:00:00Z"
            ET.SubElement(entry, f"{{{atom}}}summary").text = f"{topic.topic.summary} ({self.glance(topic)})".strip()
        return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"

    def topic_updated(self, topic: TopicDigest) -> dt.date:
        """A topic changes when its newest article does, so feed readers are not woken by every build."""
        if self._published is None:
            self._published = {a.article.slug: a.article.published_date for a in self.digest.articles}
        return max(map(self._published.__getitem__, topic.articles), default=self.digest.built_at.date())

    def sitemap(self, paths: list[str]) -> bytes:
        ns = "http://www.sitemaps.org/schemas/sitemap/0.9"
        ET.register_namespace("", ns)
        urlset = ET.Element(f"{{{ns}}}urlset")
        for path in sorted(paths):
            ET.SubElement(ET.SubElement(urlset, f"{{{ns}}}url"), f"{{{ns}}}loc").text = self.absolute(posixpath.normpath(path).removesuffix("index.html"))
        return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


class _Marked:
    """A figure value plus the CSS class its mark gets."""

    def __init__(self, value: FigureValue, css: str):
        self._value, self.css = value, css

    def __getattr__(self, name):
        return getattr(self._value, name)


def digest_data(digest: Digest, topics: bool = True, articles: bool = True) -> dict:
    """`site/digest.json`: everything on the site as data (schema in SPEC.md); `topics=False` or
    `articles=False` leaves those out."""
    site = digest.site
    outlets = {a.article.slug: a.article.source for a in digest.articles}
    data: dict = {"site": {"title": site.title, "base_url": site.base_url, "built_at": digest.built_at.isoformat()}}
    if articles:
        data["articles"] = [
            {
                "slug": a.article.slug,
                "title": a.article.title,
                "source": a.article.source,
                "url": a.article.url,
                "published": a.article.published.isoformat(),
                "author": a.article.author,
                "topics": a.topics,
            }
            for a in digest.articles
        ]
    if topics:
        data["topics"] = [topic_data(t, outlets) for t in digest.topics]
    return data


def topic_data(t: TopicDigest, outlets: dict[str, str]) -> dict:
    """One topic of digest.json."""
    return {
        "slug": t.topic.slug,
        "title": t.topic.title,
        "summary": t.topic.summary,
        "articles": t.articles,
        "passages": [{"article": p.article, "source": outlets[p.article], "paragraph": p.number, "text": p.plain} for p in t.passages],
        "figures": [
            {
                "id": f.spec.id,
                "label": f.spec.label,
                "values": [
                    {
                        "article": v.article,
                        "source": v.source,
                        "value": v.value,
                        "low": v.low,
                        "high": v.high,
                        "stated": v.stated,
                        "qualifier": v.qualifier,
                        "as_of": v.as_of.isoformat(),
                        "attributed_to": v.attributed_to,
                        "sentence": v.sentence,
                        "status": v.status,
                        "paragraph": v.passage,
                        "anchor": v.anchor,
                    }
                    for v in f.values
                ],
            }
            for f in t.figures
        ],
        "disagreements": [
            {
                "kind": d.kind,
                "about": d.about,
                "figure": d.figure,
                "severity": d.severity,
                "reason": d.reason,
                "explanation": d.explanation,
                "resolution": d.resolution,
                "outlier": (outlier := [_position_data(p) for p in d.outlier]),
                "against": (against := [_position_data(p) for p in d.against]),
                "positions": outlier + against,
            }
            for d in t.disagreements
        ],
        "corroborated": [
            {"figure": c.figure, "value": c.value, "low": c.low, "high": c.high, "from": c.first.isoformat(), "to": c.last.isoformat(), "sources": c.sources} for c in t.corroborated
        ],
        "claims": [{"text": c.text, "sources": c.sources} for c in t.claims],
    }


def _position_data(p: DisagreementPosition) -> dict:
    return {"article": p.article, "source": p.source, "says": p.says, "value": p.value, "as_of": p.as_of.isoformat() if p.as_of else None}


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class _TemplateCache(BytecodeCache):
    """Compiled templates in a cache store, keyed by the template and its source (Jinja checks its own and Python's version)."""

    def __init__(self, store):
        self.store = store

    def load_bytecode(self, bucket) -> None:
        code = self.store.get(fingerprint(bucket.key, bucket.checksum), lambda v: type(v) is bytes)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self.store.put(fingerprint(bucket.key, bucket.checksum), bucket.bytecode_to_string())


@dataclass
class _TopicParts:
    key: str  # the page's key
    page: str  # what every fragment key of the page starts from (the page's path, the theme, the site)
    keyed: object = None  # its fragments with their keys, once the page is rendered


@dataclass
class _ArticlesInfo:
    meta: dict[str, tuple]  # slug → its metadata, as plain data
    shown: dict[str, str]  # slug → fingerprint of what a topic page shows of it besides passages (title, outlet, date, link)
    text: dict[str, str]  # slug → what its passages follow from (its article page shows them all): the hash of its file (or body), and the cleaning rules for raw text
    disputed: dict[str, list[str]]  # slug → anchors of its values that some disagreement cites


@dataclass
class _OutletPages:
    source: str  # the outlet
    slug: str  # its slug, the site's
    ranges: list[tuple[int, int]]  # per page, the runs (articles) it shows: [first, end) of the outlet's in `topic_runs`
    passages: int  # how many passages it gives the topic
    articles: int  # in how many articles


def fragment_store(path: str) -> str:
    """The cache store of a page's fragments: a page's own, so each build uses (and keeps) all of a store it reads."""
    return "fragments-" + fingerprint(path)[:16]


def _render_output(renderer: SiteRenderer, item: tuple) -> tuple[bytes, dict[str, str]]:
    """A file's bytes and the fragments rendered for it (a worker's cache is not this process's)."""
    path, (kind, arg) = item
    renderer.new_fragments = {}
    with paused_gc():  # collected between files, not over and over while a big one is made
        data = renderer.render_one(path, kind, arg)
    return data, renderer.new_fragments


def _markdown_html(_state, item: tuple) -> str:
    return article_markdown(item[2]).render(item[1])
