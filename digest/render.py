"""Stage 3, render: turn a Digest into the bytes of every output file.

Templates receive ready-made context (URLs already relative, numbers already
formatted); all decisions are made here, none in the theme.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import posixpath
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import __version__, builtin_theme
from .cache import Cache, fingerprint, parallel_map, salt
from .charts import figure_chart
from .errors import ContentError, error
from .mdsafe import markdown
from .model import ArticleDigest, Digest, Disagreement, FigureValue, Passage, SiteConfig, TopicDigest


def theme_dirs(site: SiteConfig) -> list[Path]:
    """Site theme first, then the built-in one: a site overrides any file by giving one of the same name."""
    own = site.root / "themes" / site.theme
    if site.theme != "default" and not own.is_dir():
        raise ContentError([error(site.root / "content" / "site.yaml", 0, 0, f"theme `{site.theme}` not found in {own}", "remove `theme:` to use the default theme", "no-theme")])
    dirs = [own] if own.is_dir() else []
    return dirs + [builtin_theme()]


def make_environment(site: SiteConfig) -> Environment:
    return Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d / "templates")) for d in theme_dirs(site)]),
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


def relative_root(output_path: str) -> str:
    """Prefix that leads from a page back to the site root, so links work from any sub-path or file://."""
    return "../" * output_path.count("/")


def article_path(slug: str) -> str:
    return f"articles/{slug}/index.html"


def topic_path(slug: str) -> str:
    return f"topics/{slug}/index.html"


def needs_markdown(passage: Passage) -> bool:
    """Raw text and plain paragraphs are escaped directly; everything else goes through markdown-it."""
    return not (passage.kind != "other" and passage.text == passage.plain)


def passage_fingerprint(passage: Passage) -> str:
    return fingerprint("markdown", passage.text)


def render_passage(passage: Passage, values: list[FigureValue] = (), markdown_html: str | None = None) -> Markup:
    """Passage HTML with each extracted figure wrapped in a <mark> anchor."""
    if not needs_markdown(passage):  # raw text: never Markdown
        body = html.escape(passage.text, quote=False)
        body = f"<h3>{body}</h3>" if passage.kind == "heading" else f"<p>{body}</p>"
    else:
        body = markdown_html if markdown_html is not None else markdown.render(passage.text)
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
    default), spread over `jobs` processes, with passages' Markdown HTML kept in the cache."""

    def __init__(self, digest: Digest, *, cache: Cache | None = None, jobs: int = 1, progress: Callable[[int], None] | None = None):
        self.digest = digest
        self.site = digest.site
        self.env = make_environment(digest.site)
        self.articles = {a.article.slug: a for a in digest.articles}
        self.base_path = urlsplit(self.site.base_url).path.rstrip("/") + "/" if self.site.base_url else "/"
        self.rendered: dict[str, Markup] = {}
        self.disputed = {(p.article, p.anchor) for t in digest.topics for d in t.disagreements for p in d.positions if p.anchor}
        self.cache = cache or Cache(None)
        self.jobs = jobs
        self.progress = progress
        self.markdown_html: dict[str, str] = {}  # passage fingerprint → markdown-it HTML, before figures are marked
        self._values_by_topic: dict[str, dict[tuple[str, str], FigureValue]] = {}
        self._article_fps: dict[str, str] | None = None

    # ------------------------------------------------------------- the plan

    def plan(self) -> dict[str, tuple]:
        """Every output file: path → (kind, argument)."""
        plan: dict[str, tuple] = {"index.html": ("index", None)}
        for i, topic in enumerate(self.digest.topics):
            plan[topic_path(topic.topic.slug)] = ("topic", i)
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
        wanted = list(plan) if paths is None else [p for p in plan if p in set(paths)]
        self.prepare_passages([plan[p] for p in wanted])
        weights = [self._weight(plan[p]) for p in wanted]
        results = parallel_map(_render_output, [(p, plan[p]) for p in wanted], self, self.jobs, self.progress, weights)
        return dict(zip(wanted, results))

    def render_one(self, path: str, kind: str, arg) -> bytes:
        if kind == "article":
            article = self.digest.articles[arg]
            return self.page("article.html", path, self.article_context(article, path)).encode()
        if kind == "topic":
            return self.page("topic.html", path, self.topic_context(self.digest.topics[arg], path)).encode()
        if kind == "index":
            return self.page("index.html", path, self.index_context()).encode()
        if kind == "sources":
            return self.page("sources.html", path, self.sources_context()).encode()
        if kind == "disagreements":
            return self.page("disagreements.html", path, self.disagreements_context(path)).encode()
        if kind == "404":
            return self.page("404.html", path, {"title": "Page not found"}, root=self.base_path).encode()
        if kind == "json":
            return (json.dumps(digest_data(self.digest), ensure_ascii=False, separators=(",", ":")) + "\n").encode()  # compact: the C encoder
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
        return ["index.html", *(topic_path(t.topic.slug) for t in self.digest.topics), *(article_path(a.article.slug) for a in self.digest.articles), "sources/index.html", "disagreements/index.html"]

    def _weight(self, entry: tuple) -> int:
        kind, arg = entry
        if kind == "topic":
            topic = self.digest.topics[arg]
            return 8 + len(topic.passages) + 4 * len(topic.disagreements)
        if kind == "disagreements":
            return 8 + 4 * sum(len(t.disagreements) for t in self.digest.topics)
        if kind in ("json", "index", "sources", "sitemap"):
            return 8 + len(self.digest.articles) // 4
        return 1

    # ------------------------------------------------------------- the keys

    def keys(self) -> dict[str, str]:
        """A fingerprint of each output file's inputs: equal keys, equal bytes."""
        plan = self.plan()
        base = fingerprint(salt(), "render", self.theme_fingerprint(), self.site.title, self.site.description, self.site.language, self.site.base_url, self.site.theme)
        fps = self.article_fingerprints()
        topic_keys = [self.topic_fingerprint(t, fps) for t in self.digest.topics]
        keys: dict[str, str] = {}
        for path, (kind, arg) in plan.items():
            if kind == "article":
                keys[path] = fingerprint(base, path, fps[self.digest.articles[arg].article.slug])
            elif kind == "topic":
                keys[path] = fingerprint(base, path, topic_keys[arg])
            elif kind == "index":
                keys[path] = fingerprint(base, path, self.index_context())
            elif kind == "sources":
                keys[path] = fingerprint(base, path, self.sources_context())
            elif kind == "disagreements":
                keys[path] = fingerprint(base, path, self.disagreements_context(path))
            elif kind == "json":
                keys[path] = fingerprint(base, path, self.digest.built_at, [fps[a.article.slug] for a in self.digest.articles], topic_keys)
            elif kind == "feed":
                keys[path] = fingerprint(base, path, self.digest.built_at, [(t.topic.slug, t.topic.title, t.topic.summary, self.glance(t), self.topic_updated(t)) for t in self.digest.topics])
            elif kind == "sitemap":
                keys[path] = fingerprint(base, path, self.sitemap_pages())
            elif kind == "static":
                keys[path] = fingerprint(path, arg.read_bytes())
            else:  # 404, .nojekyll: the site's settings and the theme only
                keys[path] = fingerprint(base, path)
        return keys

    def theme_fingerprint(self) -> str:
        parts = []
        for theme in theme_dirs(self.site):
            templates = theme / "templates"
            for file in sorted(templates.rglob("*")) if templates.is_dir() else []:
                if file.is_file():
                    parts.append((str(file.relative_to(templates)), file.read_bytes()))
            parts.append("|")
        return fingerprint(*(p for part in parts for p in (part if isinstance(part, tuple) else (part,))))

    def article_fingerprints(self) -> dict[str, str]:
        """Per article: everything its page shows (and what topic pages and digest.json take from it).

        Its passages follow from its text (and, for raw text, the cleaning rules) with
        digest's code, so those are hashed instead of every passage."""
        if self._article_fps is None:
            titles = {t.topic.slug: t.topic.title for t in self.digest.topics}
            rules = repr(self.site.cleaning)
            self._article_fps = {}
            for a in self.digest.articles:
                art = a.article
                self._article_fps[art.slug] = fingerprint(
                    self.article_meta(a), art.body, rules if art.format == "txt" else "", self.article_marks(a), [(s, titles[s]) for s in a.topics]
                )
        return self._article_fps

    @staticmethod
    def article_meta(a: ArticleDigest) -> tuple:
        art = a.article
        return (art.slug, art.title, art.source, art.url, art.published, art.author, art.language, art.format)

    def article_marks(self, a: ArticleDigest) -> list[tuple]:
        """The figures marked in the article's passages (shown wherever a passage is)."""
        return [(v.figure, v.passage, v.anchor, v.stated, (v.article, v.anchor) in self.disputed) for v in a.values]

    def topic_fingerprint(self, topic: TopicDigest, fps: dict[str, str]) -> str:
        """What the topic page shows: its own data, its passages with their marks, and the metadata
        (not the other passages) of the articles it cites."""
        involved = set(topic.articles) | {p.article for d in topic.disagreements for p in d.positions} | {s for c in topic.claims for s in c.sources}
        marks: dict[tuple[str, int], list] = defaultdict(list)
        for slug in topic.articles:
            for mark in self.article_marks(self.articles[slug]):
                marks[(slug, mark[1])].append(mark)
        passages = "\x1e".join(  # one string, each field length-prefixed: hashed at C speed
            f"{len(p.article)}:{p.article}{p.number}:{p.kind}:{len(p.text)}:{p.text}{len(p.plain)}:{p.plain}{marks.get((p.article, p.number), ())!r}" for p in topic.passages
        )
        return fingerprint(
            repr(topic.topic),
            passages,
            [self.article_meta(self.articles[slug]) for slug in sorted(involved) if slug in self.articles],
            [(f.spec.id, f.spec.label, [_value_fields(v) + ((v.article, v.anchor) in self.disputed,) for v in f.values]) for f in topic.figures],
            [(d.kind, d.about, d.figure, d.severity, d.ratio, d.explanation, d.resolution, [(p.article, p.source, p.says, p.value, p.as_of, p.anchor) for p in d.positions]) for d in topic.disagreements],
            [(c.figure, c.value, [_value_fields(v) for v in c.values]) for c in topic.corroborated],
        )

    # ---------------------------------------------------- passages' HTML

    def prepare_passages(self, entries: list[tuple]) -> None:
        """Markdown HTML of every passage the given outputs show, from the cache or rendered (in parallel)."""
        passages: dict[str, Passage] = {}
        for kind, arg in entries:
            if kind == "article":
                found = self.digest.articles[arg].passages
            elif kind == "topic":
                found = self.digest.topics[arg].passages
            else:
                continue
            for passage in found:
                if needs_markdown(passage):
                    passages.setdefault(passage_fingerprint(passage), passage)
        store = self.cache.store("html")
        missing = []
        for key, passage in passages.items():
            html_ = store.get(key, lambda v: type(v) is str)
            if html_ is None:
                missing.append((key, passage.text))
            else:
                self.markdown_html[key] = html_
        for (key, _), html_ in zip(missing, parallel_map(_markdown_html, missing, None, self.jobs)):
            self.markdown_html[key] = html_
            store.put(key, html_)

    def page(self, template: str, path: str, context: dict, root: str | None = None) -> str:
        root = relative_root(path) if root is None else root
        url = lambda target: root + target  # noqa: E731 - the one helper templates get
        canonical = self.absolute(path.removesuffix("index.html")) if self.site.base_url else ""
        return self.env.get_template(template).render(
            site={"title": self.site.title, "description": self.site.description, "language": self.site.language},
            root=root,
            url=url,
            canonical=canonical,
            nav=[("Topics", url("index.html")), ("Disagreements", url("disagreements/index.html")), ("Sources", url("sources/index.html"))],
            feed_url=url("feed.xml"),
            generator=f"digest {__version__}",
            **context,
        )

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
        sources = len({self.articles[a].article.source for a in topic.articles})
        open_ = sum(not d.resolution for d in topic.disagreements)
        resolved = len(topic.disagreements) - open_
        parts = [f"{sources} source{'s' if sources != 1 else ''}", f"{open_} disagreement{'s' if open_ != 1 else ''}", f"{len(topic.corroborated)} corroborated"]
        if resolved:
            parts.insert(2, f"{resolved} resolved")
        return " · ".join(parts)

    def index_context(self) -> dict:
        topics = [
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
        return {"title": self.site.title, "topics": topics, "articles": self.article_list()}

    def article_list(self) -> list[dict]:
        ordered = sorted(self.digest.articles, key=lambda a: (a.article.published_date, a.article.slug), reverse=True)
        return [
            {"title": a.article.title, "source": a.article.source, "date": format_date(a.article.published_date), "iso": a.article.published_date.isoformat(), "href": article_path(a.article.slug)}
            for a in ordered
        ]

    @staticmethod
    def value_link(article: str, anchor: str) -> str:
        return article_path(article) + (f"#{anchor}" if anchor else "")

    def disagreement_context(self, d: Disagreement, topic: TopicDigest | None = None) -> dict:
        positions = []
        for p in d.positions:
            article = self.articles[p.article].article
            value = self.find_value(topic, p.article, p.anchor) if topic else None
            positions.append(
                {
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
        return {
            "about": d.about,
            "kind": d.kind,
            "severity": d.severity,
            "severity_label": {"probable-error": "Probable error", "differs": "Sources differ"}[d.severity],
            "ratio": f"{d.ratio:.1f}×" if d.ratio and d.ratio != float("inf") else "",
            "explanation": d.explanation,
            "positions": positions,
            "resolution": Markup(markdown.renderInline(d.resolution)) if d.resolution else "",
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
        sources = sorted({v.source for f in topic.figures for v in f.values})
        rows = []
        for figure in topic.figures:
            cells = []
            for source in sources:
                values = [v for v in figure.values if v.source == source]
                cells.append([self.value_context(v) for v in values])
            rows.append({"label": figure.spec.label, "id": figure.spec.id, "cells": cells, "chart": Markup(figure_chart(figure, self.disputed)) if figure.values else ""})
        groups: dict[str, list] = defaultdict(list)
        for passage in topic.passages:
            article = self.articles[passage.article]
            values = [v for v in article.values if v.passage == passage.number]
            groups[article.article.source].append(
                {
                    "html": self.passage_html(passage, values),
                    "number": passage.number,
                    "href": article_path(passage.article) + f"#p{passage.number}",
                    "original": article.article.url,
                    "article_title": article.article.title,
                    "date": format_date(article.article.published_date),
                }
            )
        labels = {f.spec.id: f.spec.label for f in topic.figures}
        corroborated = [
            {
                "label": labels[c.figure],
                "value": format_number(c.value),
                "sources": [{"source": v.source, "stated": v.stated, "href": self.value_link(v.article, v.anchor), "as_of": format_date(v.as_of)} for v in c.values],
            }
            for c in topic.corroborated
        ]
        claims = [
            {"text": c.text, "sources": [{"source": self.articles[s].article.source, "title": self.articles[s].article.title, "href": article_path(s)} for s in c.sources]}
            for c in topic.claims
        ]
        return {
            "title": topic.topic.title,
            "summary": topic.topic.summary,
            "notes": Markup(markdown.render(topic.topic.notes)) if topic.topic.notes else "",
            "glance": self.glance(topic),
            "disagreements": [self.disagreement_context(d, topic) for d in topic.disagreements],
            "sources": sources,
            "figures": rows,
            "corroborated": corroborated,
            "claims": claims,
            "passage_groups": sorted(groups.items()),
        }

    def value_context(self, value: FigureValue) -> dict:
        return {
            "stated": value.stated,
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
            self.rendered[key] = render_passage(passage, self.with_css(values), markdown_html)
        return self.rendered[key]

    def with_css(self, values: list[FigureValue]) -> list:
        """Values annotated with the CSS class that marks disputed numbers in the text."""
        return [_Marked(v, " disputed" if (v.article, v.anchor) in self.disputed else "") for v in values]

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
        outlets: dict[str, list[ArticleDigest]] = defaultdict(list)
        for a in self.digest.articles:
            outlets[a.article.source].append(a)
        topics = self.digest.topics
        outlet_of = {a.article.slug: a.article.source for a in self.digest.articles}
        per_topic = [Counter(outlet_of[p.article] for p in t.passages) for t in topics]
        matrix = []
        for outlet, items in sorted(outlets.items()):
            counts = [c[outlet] for c in per_topic]
            matrix.append(
                {
                    "outlet": outlet,
                    "counts": counts,
                    "articles": [{"title": a.article.title, "href": article_path(a.article.slug), "date": format_date(a.article.published_date)} for a in items],
                }
            )
        return {"title": "Sources", "topics": [{"title": t.topic.title, "href": topic_path(t.topic.slug)} for t in topics], "outlets": matrix}

    def disagreements_context(self, path: str) -> dict:
        groups = [
            {"title": t.topic.title, "href": topic_path(t.topic.slug), "disagreements": [self.disagreement_context(d, t) for d in t.disagreements]}
            for t in self.digest.topics
            if t.disagreements
        ]
        return {"title": "Disagreements", "groups": groups}

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
        days = [self.articles[slug].article.published_date for slug in topic.articles]
        return max(days, default=self.digest.built_at.date())

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


def digest_data(digest: Digest) -> dict:
    """`site/digest.json`: everything on the site as data (schema in SPEC.md)."""
    site = digest.site
    outlets = {a.article.slug: a.article.source for a in digest.articles}
    return {
        "site": {"title": site.title, "base_url": site.base_url, "built_at": digest.built_at.isoformat()},
        "articles": [
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
        ],
        "topics": [
            {
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
                        "explanation": d.explanation,
                        "resolution": d.resolution,
                        "positions": [{"article": p.article, "source": p.source, "says": p.says, "value": p.value} for p in d.positions],
                    }
                    for d in t.disagreements
                ],
                "corroborated": [{"figure": c.figure, "value": c.value, "sources": c.sources} for c in t.corroborated],
                "claims": [{"text": c.text, "sources": c.sources} for c in t.claims],
            }
            for t in digest.topics
        ],
    }



def _value_fields(v: FigureValue) -> tuple:
    return (v.figure, v.article, v.source, v.passage, v.anchor, v.value, v.low, v.high, v.stated, v.qualifier, v.as_of, v.attributed_to, v.sentence)


def _render_output(renderer: SiteRenderer, item: tuple) -> bytes:
    path, (kind, arg) = item
    return renderer.render_one(path, kind, arg)


def _markdown_html(_state, item: tuple) -> str:
    return markdown.render(item[1])
