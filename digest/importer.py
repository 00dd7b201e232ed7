"""`digest import`: scraped articles (.txt, .html/.htm, .md) → content/articles/<slug>.md.

    digest import FILE... [--source NAME] [--url URL] [--published DATE]
                          [--author NAME] [--title TEXT] [--slug SLUG]
                          [--force] [--dry-run] [--content DIR]

Each file becomes one Markdown article with complete front matter (title,
source, url, published, author, language) and a body cleaned of boilerplate
by the rules of digest/cleaning.py (the shipped ones plus site.yaml's).

Where the metadata comes from:

* saved pages (.html, .htm): trafilatura extracts the main text and the
  metadata; what it misses or gets wrong is filled from the page itself —
  `<link rel=canonical>` before og:url (trafilatura prefers og:url, which
  often carries tracking parameters), og:site_name or the JSON-LD publisher
  when trafilatura's site name is really the page's title or its domain, the
  declared publication time (article:published_time, JSON-LD datePublished,
  `<time>`) for the full date and time, JSON-LD/meta authors, `<h1>` and
  `<title>` without the site's suffix;
* copied text (.txt): the first line is the title, a "By ..." line the
  author; a sidecar `<name>.yaml` beside the file (the build's own format) is
  read when there is one;
* Markdown (.md): its front matter, else the first `#` heading as title.

The flags override whatever the page says. Missing required metadata is an
error naming the flag that supplies it. Nothing is overwritten without
--force: not an existing article file, and not an article whose URL or
near-identical text (5-word shingles, Jaccard similarity above 0.9) is
already in content/articles/.

Exit status: 0 all imported, 1 content errors (some file not imported), 2 usage errors.
The write logic is in plain functions (`import_files`) so it can be used and
tested without click.
"""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
import email.utils
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import click
import yaml
from slugify import slugify

from .cleaning import (
    Block,
    Cleaned,
    Removal,
    Unit,
    clean_blocks_markdown,
    clean_text,
    clean_units,
    effective_rules,
    same_title,
    validate_rules,
)
from .errors import ContentError, Diagnostic, error
from .load import UnclosedFrontMatter, decode_text, load_site, slug_for, split_front_matter
from .model import CleaningRules

SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}
DUPLICATE_THRESHOLD = 0.9
SHINGLE = 5
MAX_BYTES = 20 * 2**20


class UsageProblem(ValueError):
    """Bad command-line input: exit status 2."""


# ------------------------------------------------------------------ the result


@dataclass
class ImportedArticle:
    """One input file, parsed and cleaned, before it is written."""

    path: Path
    kind: str  # "text" | "html" | "markdown"
    title: str = ""
    source: str = ""
    url: str = ""
    published: dt.date | dt.datetime | None = None
    author: str = ""
    language: str = ""
    body: str = ""  # Markdown
    blocks: list[Block] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    origin: dict[str, str] = field(default_factory=dict)  # field → where it came from
    warnings: list[str] = field(default_factory=list)

    def document(self) -> str:
        return render_document(self)


@dataclass
class ImportOptions:
    source: str | None = None
    url: str | None = None
    published: str | None = None
    author: str | None = None
    title: str | None = None
    slug: str | None = None
    force: bool = False
    dry_run: bool = False


@dataclass
class Outcome:
    path: Path  # the input file
    status: str  # "written" | "would-write" | "skipped" | "failed"
    target: Path | None = None
    article: ImportedArticle | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    overwrote: bool = False

    @property
    def ok(self) -> bool:
        return self.status in ("written", "would-write")


# -------------------------------------------------------------------- parsing


def read_article(path: Path, rules: CleaningRules) -> ImportedArticle:
    """Parse one input file by its suffix. Raises ContentError when it cannot be read."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise UsageProblem(f"{path}: cannot import {path.suffix or 'files without a suffix'}; digest imports .txt, .html, .htm and .md")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ContentError([error(path, 0, 0, f"file is {size // 2**20} MB; an article is at most {MAX_BYTES // 2**20} MB", code="too-large")])
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError([error(path, 0, 0, f"cannot read file: {exc.strerror}", code="unreadable")]) from None
    if b"\x00" in raw[:65536] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ContentError([error(path, 0, 0, "file contains NUL bytes; it looks binary, not text", "save the page as HTML or the text as UTF-8", code="binary")])
    if kind == "html":
        return parse_html(raw, path, rules)
    text = _decode(raw)
    if kind == "markdown":
        return parse_markdown(text, path, rules)
    return parse_text(text, path, rules)


def _decode(raw: bytes) -> str:
    return decode_text(raw)[0]


def parse_text(text: str, path: Path, rules: CleaningRules) -> ImportedArticle:
    """Copied text: first line = title, "By ..." = author, boilerplate removed."""
    article = ImportedArticle(path, "text")
    sidecar = _sidecar(path)
    for key in ("title", "source", "url", "published", "author", "language"):
        value = sidecar.get(key)
        if value is not None and not isinstance(value, (dict, list)):
            _set(article, key, value if isinstance(value, (dt.date, dt.datetime)) else str(value), path.with_suffix(".yaml").name)
    cleaned = clean_text(text, rules, title=article.title or None)
    _take_cleaned(article, cleaned, "first line")
    return article


def _sidecar(path: Path) -> dict:
    sidecar = path.with_suffix(".yaml")
    if not sidecar.is_file():
        return {}
    try:
        data = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str)} if isinstance(data, dict) else {}


def _take_cleaned(article: ImportedArticle, cleaned: Cleaned, title_origin: str) -> None:
    article.blocks = cleaned.blocks
    article.removed = cleaned.removed
    article.body = clean_blocks_markdown(cleaned)
    if cleaned.title and not article.title:
        _set(article, "title", cleaned.title, title_origin)
    if cleaned.author and not article.author:
        _set(article, "author", cleaned.author, "byline")


def _set(article: ImportedArticle, key: str, value, origin: str) -> None:
    if key == "published" and isinstance(value, str):
        value = parse_date(value)
    elif isinstance(value, str):
        value = " ".join(value.split())
    if value in (None, ""):
        return
    setattr(article, key, value)
    article.origin[key] = origin


def parse_markdown(text: str, path: Path, rules: CleaningRules) -> ImportedArticle:
    """A Markdown file: front matter (if any) for metadata; boilerplate blocks removed, the rest kept as Markdown."""
    article = ImportedArticle(path, "markdown")
    meta, body, offset = _split_front_matter(text)
    for key in ("title", "source", "url", "published", "author", "language"):
        value = meta.get(key)
        if isinstance(value, (dt.date, dt.datetime)) and key == "published":
            _set(article, key, value, "front matter")
        elif value is not None and not isinstance(value, (dict, list)):
            _set(article, key, str(value), "front matter")
    units: list[Unit] = []
    raw: dict[int, str] = {}
    for line, block in _markdown_blocks(body, offset):
        first = block.split("\n", 1)[0]
        heading = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", first)
        if heading and "\n" not in block:
            units.append(Unit(line, heading.group(2), "heading"))
        elif "\n" in block or re.match(r"^(\s{4}|```|~~~|[-*+>|]\s|\d+[.)]\s|<)", block):
            units.append(Unit(line, block, "paragraph"))
        else:
            units.append(Unit(line, block, None))
        raw[line] = block
    cleaned = clean_units(units, rules, title=article.title or None)
    parts = []
    for block in cleaned.blocks:
        source = raw[block.line]
        if block.kind == "heading" and not source.lstrip().startswith("#"):
            source = "## " + source
        parts.append(source)
    article.blocks = cleaned.blocks
    article.removed = cleaned.removed
    article.body = "\n\n".join(parts) + ("\n" if parts else "")
    if cleaned.title and not article.title:
        _set(article, "title", cleaned.title, "first heading")
    if cleaned.author and not article.author:
        _set(article, "author", cleaned.author, "byline")
    return article


def _split_front_matter(text: str) -> tuple[dict, str, int]:
    """Metadata, body and the body's first line; a page to import may carry any front matter, or broken, or none."""
    try:
        found = split_front_matter(text)
    except UnclosedFrontMatter:
        found = None
    if found is None:
        return {}, text, 0
    front, body, start = found
    try:
        meta = yaml.safe_load(front) or {}
    except (yaml.YAMLError, ValueError, OverflowError, RecursionError):  # broken, or a date the calendar has not (2025-02-30)
        meta = {}
    return (meta if isinstance(meta, dict) else {}), body, start


def _markdown_blocks(body: str, offset: int) -> list[tuple[int, str]]:
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    fence = False
    for number, line in enumerate(body.split("\n"), offset + 1):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if not line.strip() and not fence:
            if current:
                blocks.append((start, "\n".join(current).rstrip()))
                current = []
            continue
        if not current:
            start = number
        current.append(line.rstrip())
    if current:
        blocks.append((start, "\n".join(current).rstrip()))
    return blocks


# ----------------------------------------------------------------------- HTML


def parse_html(data: bytes | str, path: Path, rules: CleaningRules) -> ImportedArticle:
    """A saved page: trafilatura for the text and metadata, the page's own tags where it falls short."""
    import trafilatura  # imported here: it is slow to import and only needed for HTML

    article = ImportedArticle(path, "html")
    html = data if isinstance(data, str) else _decode_html(data)
    page = page_metadata(html)
    xml = trafilatura.extract(html, output_format="xml", with_metadata=True, include_comments=False, include_formatting=True, include_images=False)
    if xml is None:
        xml = trafilatura.extract(html, output_format="xml", with_metadata=True, include_comments=False, favor_recall=True)
    meta = trafilatura.extract_metadata(html)
    found = meta.as_dict() if meta is not None else {}

    title = _choose_title(found.get("title"), page, found.get("sitename"))
    if title:
        _set(article, "title", title[0], title[1])
    source = _choose_source(found.get("sitename"), page, article.title)
    if source:
        _set(article, "source", source[0], source[1])
        if source[1] == "domain":
            article.warnings.append(f"the page names no outlet; used its domain {source[0]!r} (pass --source NAME to name it)")
    url = _choose_url(found.get("url"), page)
    if url:
        _set(article, "url", url[0], url[1])
    published = _choose_date(found.get("date"), page)
    if published:
        _set(article, "published", published[0], published[1])
    author = _choose_author(found.get("author"), page, article.source)
    if author:
        _set(article, "author", author[0], author[1])
    language = (page.get("lang") or page.get("ld_language") or found.get("language") or "").split("-")[0].split("_")[0].lower()
    if re.fullmatch(r"[a-z]{2,3}", language):
        _set(article, "language", language, "page")

    units = _units_from_xml(xml) if xml else []
    cleaned = clean_units(units, rules, title=article.title or None)
    _take_cleaned(article, cleaned, "page text")
    return article


def _decode_html(raw: bytes) -> str:
    head = raw[:4096].decode("ascii", errors="ignore")
    m = re.search(r"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", head, re.IGNORECASE)
    for encoding in ([m.group(1)] if m else []) + ["utf-8-sig", "cp1252"]:
        try:
            if not codecs.lookup(encoding)._is_text_encoding:  # a page cannot name rot13 or zlib
                continue
            return raw.decode(encoding)
        except (UnicodeError, LookupError):  # punycode and idna raise plain UnicodeError
            continue
    return raw.decode("utf-8", errors="replace")


def _units_from_xml(xml: str) -> list[Unit]:
    """trafilatura's XML body → units: <head> is a heading, quotes are paragraphs, <p> and list items are guessed."""
    from lxml import etree

    root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(recover=True))
    main = root.find(".//main")
    if main is None:
        main = root
    units: list[Unit] = []

    def text_of(element) -> str:
        return " ".join("".join(element.itertext()).split())

    def paragraph_lines(element) -> list[str]:
        """Split a <p> at its line breaks: each line may be a separate caption, byline or link."""
        lines, current = [], [element.text or ""]
        for child in element:
            if child.tag == "lb":
                lines.append("".join(current))
                current = [child.tail or ""]
            else:
                current.append("".join(child.itertext()))
                current.append(child.tail or "")
        lines.append("".join(current))
        return [" ".join(line.split()) for line in lines if line.strip()]

    for element in main:
        tag = element.tag
        if tag == "head":
            units.append(Unit(0, text_of(element), "heading"))
        elif tag == "p":
            units.extend(Unit(0, line, None) for line in paragraph_lines(element))
        elif tag == "quote":
            parts = [text_of(p) for p in element if p.tag == "p"] or [text_of(element)]
            units.extend(Unit(0, part, "paragraph") for part in parts)
        elif tag == "list":
            units.extend(Unit(0, text_of(item), None) for item in element.iter("item"))
        elif tag == "table":
            for row in element.iter("row"):
                cells = [text_of(cell) for cell in row.iter("cell")]
                units.append(Unit(0, " | ".join(c for c in cells if c), "paragraph"))
        elif tag == "graphic":
            continue
        else:
            units.append(Unit(0, text_of(element), None))
    return [u for u in units if u.text]


def page_metadata(html: str) -> dict[str, object]:
    """What the page itself declares: meta tags, canonical link, JSON-LD, <time>, <h1>, <title>."""
    from lxml import html as lxml_html

    info: dict[str, object] = {}
    try:
        tree = lxml_html.fromstring(html.encode("utf-8") if isinstance(html, str) else html)
    except Exception:  # noqa: BLE001 - an unparsable page simply declares nothing
        return info

    def first(xpath: str) -> str:
        for value in tree.xpath(xpath):
            value = " ".join(str(value).split())
            if value:
                return value
        return ""

    def meta(*names: str) -> str:
        for name in names:
            value = first(f'//meta[@property="{name}" or @name="{name}" or @itemprop="{name}"]/@content')
            if value:
                return value
        return ""

    info["og_title"] = meta("og:title", "twitter:title")
    info["site_name"] = meta("og:site_name", "application-name", "twitter:site")
    info["og_url"] = meta("og:url")
    info["canonical"] = first('//link[@rel="canonical"]/@href')
    info["meta_published"] = meta("article:published_time", "og:published_time", "datePublished", "pubdate", "publish-date", "date", "DC.date.issued", "dcterms.created")
    info["meta_author"] = meta("author", "article:author", "byl", "parsely-author", "sailthru.author")
    info["time"] = first('//time[@itemprop="datePublished" or @pubdate or contains(@class, "published")]/@datetime') or first("//article//time/@datetime") or first("//time/@datetime")
    info["h1"] = first("//h1//text()") and " ".join(" ".join(tree.xpath("(//h1)[1]//text()")).split())
    info["title"] = first("//title//text()")
    info["lang"] = first("/html/@lang")
    info.update(_json_ld(tree))
    return info


_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle", "blogposting", "liveblogposting", "backgroundnewsarticle", "report", "socialmediaposting"}
_ORG_TYPES = {"organization", "newsmediaorganization", "corporation"}


def _json_ld(tree) -> dict[str, object]:
    """Headline, date, publisher, authors and URL from the page's JSON-LD (following @id references and @graph)."""
    nodes: list[dict] = []

    def collect(item) -> None:
        if isinstance(item, list):
            for sub in item:
                collect(sub)
        elif isinstance(item, dict):
            nodes.append(item)
            if "@graph" in item:
                collect(item["@graph"])

    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]/text()'):
        try:
            collect(json.loads(script.strip(), strict=False))
        except (ValueError, RecursionError):  # not JSON, or nested thousands deep
            continue
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}

    def types(node: dict) -> set[str]:
        value = node.get("@type", [])
        return {str(t).casefold() for t in (value if isinstance(value, list) else [value])}

    def resolve(value):
        if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in by_id:
            return by_id[value["@id"]]
        return value

    def names(value) -> list[str]:
        value = resolve(value)
        if isinstance(value, list):
            return [n for v in value for n in names(v)]
        if isinstance(value, dict):
            name = value.get("name")
            return [" ".join(str(name).split())] if isinstance(name, str) and name.strip() else []
        if isinstance(value, str) and value.strip() and not value.startswith("http"):
            return [" ".join(value.split())]
        return []

    def url_of(value) -> str:
        value = resolve(value)
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        return value if isinstance(value, str) else ""

    info: dict[str, object] = {}
    article = next((n for n in nodes if types(n) & _ARTICLE_TYPES), None)
    webpage = next((n for n in nodes if "webpage" in types(n)), None)
    if article is not None:
        info["ld_headline"] = (names({"name": article.get("headline")}) or [""])[0]
        info["ld_published"] = str(article.get("datePublished") or "")
        info["ld_authors"] = names(article.get("author"))
        info["ld_publisher"] = (names(article.get("publisher")) or [""])[0]
        info["ld_url"] = url_of(article.get("url")) or url_of(article.get("mainEntityOfPage"))
        language = article.get("inLanguage")
        info["ld_language"] = language if isinstance(language, str) else ""
    if webpage is not None and not info.get("ld_published"):
        info["ld_published"] = str(webpage.get("datePublished") or "")
    if not info.get("ld_publisher"):
        org = next((n for n in nodes if types(n) & _ORG_TYPES and names(n)), None)
        website = next((n for n in nodes if "website" in types(n)), None)
        if website is not None and names(website.get("publisher")):
            info["ld_publisher"] = names(website.get("publisher"))[0]
        elif org is not None:
            info["ld_publisher"] = names(org)[0]
        elif website is not None and names(website):
            info["ld_publisher"] = names(website)[0]
    return info


_TITLE_SEPARATORS = re.compile(r"\s+(?:[|–—:·•»]|-{1,2}|::)\s+")


def _strip_site_suffix(title: str, site_names: list[str]) -> str:
    """"Headline | Outlet" → "Headline" (also "Outlet - Headline")."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    names = {_norm(s) for s in site_names if s}
    if _norm(parts[-1]) in names:
        return title[: title.rfind(parts[-1])].rstrip(" |–—:·•»-")
    if _norm(parts[0]) in names:
        return title[len(parts[0]) :].lstrip(" |–—:·•»-")
    return title


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _choose_title(found: str | None, page: dict, sitename: str | None) -> tuple[str, str] | None:
    sites = [s for s in (page.get("site_name"), page.get("ld_publisher"), sitename) if s]
    candidates = [
        (found, "page (trafilatura)"),
        (page.get("og_title"), "page og:title"),
        (page.get("ld_headline"), "page JSON-LD headline"),
        (page.get("h1"), "page <h1>"),
        (page.get("title"), "page <title>"),
    ]
    for value, origin in candidates:
        if value and str(value).strip():
            title = _strip_site_suffix(" ".join(str(value).split()), sites)
            h1 = page.get("h1")
            if h1 and title != h1 and _norm(title).startswith(_norm(str(h1))) and len(str(h1)) >= 12:
                title = str(h1)  # "<title>" with an unknown suffix; the <h1> is the headline
            return title, origin
    return None


def _domain_like(name: str) -> bool:
    return " " not in name.strip() and "." in name


def _choose_source(found: str | None, page: dict, title: str) -> tuple[str, str] | None:
    """trafilatura's site name, unless it is really the page title or just the domain."""
    found = " ".join((found or "").split())
    if found and title and (_norm(title) in _norm(found) and _norm(found) != _norm(title) or same_title(found, title)):
        found = ""  # trafilatura took the JSON-LD WebPage name: "Headline – Outlet"
    if found and not _domain_like(found):
        return found, "page (trafilatura)"
    for key, origin in (("site_name", "page og:site_name"), ("ld_publisher", "page JSON-LD publisher")):
        value = " ".join(str(page.get(key) or "").split()).lstrip("@")
        if value and not _domain_like(value):
            return value, origin
    page_title = str(page.get("title") or "")
    parts = _TITLE_SEPARATORS.split(page_title)
    if title and len(parts) >= 2 and same_title(parts[0], title) and 0 < len(parts[-1]) <= 60:
        return parts[-1].strip(), "page <title> suffix"
    if found:
        return found, "domain"
    return None


_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ocid|cmpid|smid|at_\w+|ref_src|__twitter_impression)$", re.IGNORECASE)


def clean_url(url: str) -> str:
    """Without tracking parameters and fragment."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def _http(url: str) -> bool:
    return bool(re.match(r"^https?://[^\s/]+\S*$", url or ""))


def _choose_url(found: str | None, page: dict) -> tuple[str, str] | None:
    base = next((u for u in (page.get("og_url"), found, page.get("ld_url")) if u and _http(str(u))), "")
    canonical = str(page.get("canonical") or "")
    if canonical and base and not _http(canonical):
        canonical = urljoin(str(base), canonical)
    for value, origin in ((canonical, "page canonical link"), (found, "page (trafilatura)"), (page.get("ld_url"), "page JSON-LD url"), (page.get("og_url"), "page og:url")):
        if value and _http(str(value)):
            return clean_url(str(value)), origin
    return None


def parse_date(value: str | dt.date | dt.datetime | None) -> dt.date | dt.datetime | None:
    """2024-12-20, 2024-12-20T09:30:00Z, 2024-12-20 09:30+02:00 → date or datetime; None if it is none of these."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    text = (value or "").strip()
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        if not re.match(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d", text):
            return None
        try:  # RFC 2822, as some feeds and meta tags write it: "Thu, 09 Jan 2025 16:20:00 GMT"
            moment = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    return moment.replace(microsecond=0)


def _choose_date(found: str | None, page: dict) -> tuple[dt.date | dt.datetime, str] | None:
    """The page's declared publication time wins (with its time of day); trafilatura's date fills the gap."""
    declared = None
    for key, origin in (("meta_published", "page article:published_time"), ("ld_published", "page JSON-LD datePublished"), ("time", "page <time>")):
        declared = parse_date(str(page.get(key) or ""))
        if declared is not None:
            break
    guessed = parse_date(found)
    if declared is not None:
        return declared, origin if guessed is None or _day(declared) == _day(guessed) else f"{origin} (trafilatura said {guessed})"
    if guessed is not None:
        return guessed, "page (trafilatura)"
    return None


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _join_names(names: list[str]) -> str:
    names = list(dict.fromkeys(n for n in names if n))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def _choose_author(found: str | None, page: dict, source: str) -> tuple[str, str] | None:
    def usable(name: str) -> bool:
        return bool(name) and "http" not in name and "@" not in name and _norm(name) != _norm(source) and len(name) <= 120

    if found:
        names = [n.strip() for n in re.split(r";", found)]
        if all(usable(n) for n in names):
            return _join_names(names), "page (trafilatura)"
    ld = [n for n in page.get("ld_authors") or [] if usable(n)]
    if ld:
        return _join_names(ld), "page JSON-LD author"
    meta = str(page.get("meta_author") or "")
    if usable(meta):
        return meta, "page meta author"
    return None


# ------------------------------------------------------------------- metadata


def apply_options(article: ImportedArticle, options: ImportOptions) -> None:
    """The flags override what the file says."""
    for key in ("source", "url", "published", "author", "title"):
        value = getattr(options, key)
        if value:
            _set(article, key, value, "flag")


def missing_metadata(article: ImportedArticle) -> list[Diagnostic]:
    """One error per required field the file did not give, naming the flag that supplies it."""
    name = article.path.name
    problems = []
    if not article.title:
        problems.append(error(article.path, 0, 0, f"no title found in {name}; pass --title TEXT", code="import-no-title"))
    if not article.source:
        problems.append(error(article.path, 0, 0, f"no outlet found in {name}; pass --source NAME", code="import-no-source"))
    if not article.url:
        problems.append(error(article.path, 0, 0, f"no URL found in {name}; pass --url URL", code="import-no-url"))
    elif not _http(article.url):
        problems.append(error(article.path, 0, 0, f"the URL {article.url!r} of {name} is not an http(s) link; pass --url URL", code="import-bad-url"))
    if article.published is None:
        problems.append(error(article.path, 0, 0, f"no publication date found in {name}; pass --published YYYY-MM-DD", code="import-no-date"))
    if not article.blocks:
        problems.append(error(article.path, 0, 0, f"no article text found in {name}", "check that the file is the article itself, not an index page", code="import-no-text"))
    return problems


def derive_title(article: ImportedArticle) -> None:
    """No title line: a headline made from the first sentence (dateline, asides and trailing clauses taken out)."""
    if article.title or not article.blocks:
        return
    first = next((b.text for b in article.blocks if b.kind == "paragraph"), "")
    title = headline_from(first)
    if not title:
        return
    _set(article, "title", title, "derived")
    article.warnings.append(f"{article.path.name} has no title line; used {title!r} (pass --title TEXT to choose one)")


_DATELINE = re.compile(r"^(?:[A-Z][\w.'’-]*(?:[ ,]+[A-Z][\w.'’-]*){0,3}\s*(?:\([^)]{1,30}\))?\s*(?::|[-–—])\s+)")
_CLAUSE_BREAK = re.compile(r",\s|\s(?:following|after|amid|as|while|which|because|despite|according to|with)\s")


def headline_from(paragraph: str, limit: int = 16) -> str:
    """"Jerusalem: The team, led by X, returned home after talks in Qatar." → "The team returned home"."""
    text = _DATELINE.sub("", paragraph.strip(), count=1)
    sentence = re.split(r"(?<=[.!?])[\"”’]?\s+(?=[A-Z“\"‘])", text, maxsplit=1)[0].strip()
    sentence = re.sub(r",\s[^,]{3,80},\s", " ", sentence, count=1)  # an aside between commas
    words = sentence.split()
    if len(words) > limit:
        for m in _CLAUSE_BREAK.finditer(sentence):
            head = sentence[: m.start()]
            if 6 <= len(head.split()) <= limit:
                sentence = head
                break
        else:
            sentence = " ".join(words[:12]) + "…"
    sentence = sentence.strip().rstrip(".,;:")
    return sentence[:1].upper() + sentence[1:] if sentence else ""


def article_slug(article: ImportedArticle, options: ImportOptions) -> str:
    """The file name: from --slug or the title, made the way the loader and `digest new article` make slugs."""
    return slug_for(options.slug or article.title) or slug_for(article.path.stem)


def _format_published(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    return value.isoformat()


def render_document(article: ImportedArticle) -> str:
    """Front matter (title, source, url, published, author, language) and the Markdown body."""
    lines = ["---"]
    for key in ("title", "source", "url"):
        lines.append(_yaml_field(key, getattr(article, key)))
    lines.append(f"published: {_format_published(article.published)}")
    for key in ("author", "language"):
        if getattr(article, key):
            lines.append(_yaml_field(key, getattr(article, key)))
    lines.append("---")
    return "\n".join(lines) + "\n" + article.body


def _yaml_field(key: str, value: str) -> str:
    return yaml.safe_dump({key: value}, allow_unicode=True, width=1_000_000, default_flow_style=False, sort_keys=False).rstrip("\n")


# ----------------------------------------------------------------- duplicates


def url_key(url: str) -> str:
    """A URL reduced to what identifies the page: no scheme, www., tracking, fragment or final slash."""
    parts = urlsplit(clean_url(url).strip())
    host = parts.netloc.casefold().removeprefix("www.")
    host = re.sub(r":(80|443)$", "", host)
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return f"{host}{parts.path.rstrip('/')}" + (f"?{query}" if query else "")


def _words_of(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _shingles(words: list[str]) -> set[int]:
    if len(words) < SHINGLE:
        return {hash(" ".join(words))} if words else set()
    return {hash(" ".join(words[i : i + SHINGLE])) for i in range(len(words) - SHINGLE + 1)}


def similarity(a_words: list[str], b_words: list[str], a: set[int] | None = None, b: set[int] | None = None) -> float:
    """Jaccard similarity of 5-word shingles (difflib's ratio for texts too short to shingle)."""
    if not a_words or not b_words:
        return 0.0
    if min(len(a_words), len(b_words)) < 3 * SHINGLE:
        return difflib.SequenceMatcher(None, a_words, b_words, autojunk=False).ratio()
    a = a if a is not None else _shingles(a_words)
    b = b if b is not None else _shingles(b_words)
    return len(a & b) / len(a | b)


@dataclass
class _Known:
    path: Path
    url: str
    words: list[str]
    shingles: set[int]


class ArticleIndex:
    """URLs and texts of the articles already in content/articles (and those imported in this run)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.known: list[_Known] = []
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.suffix in (".md", ".txt") and path.is_file():
                    self._read(path)

    def _read(self, path: Path) -> None:
        try:
            text = _decode(path.read_bytes())
        except OSError:
            return
        if path.suffix == ".md":
            meta, body, _ = _split_front_matter(text)
        else:
            meta, body = _sidecar(path), text
        self.add(path, str(meta.get("url") or ""), body)

    def add(self, path: Path, url: str, body: str) -> None:
        words = _words_of(body)
        self.known = [k for k in self.known if k.path != path]
        self.known.append(_Known(path, url_key(url) if url else "", words, _shingles(words)))

    def duplicate(self, article: ImportedArticle) -> tuple[Path, str] | None:
        """The first known article with the same URL or nearly the same text, and why."""
        key = url_key(article.url) if article.url else ""
        for known in self.known:
            if key and known.url == key:
                return known.path, "has the same URL"
        words = _words_of(article.body)
        shingles = _shingles(words)
        for known in self.known:
            score = similarity(words, known.words, shingles, known.shingles)
            if score > DUPLICATE_THRESHOLD:
                return known.path, f"has nearly the same text ({score:.0%} alike)"
        return None


# ---------------------------------------------------------------------- write


def import_files(paths: list[Path], content_dir: Path, options: ImportOptions, rules: CleaningRules | None = None) -> list[Outcome]:
    """Import each file into content_dir/articles; never overwrite without options.force.

    Returns one Outcome per file; writes nothing when options.dry_run.
    Raises UsageProblem for bad options (exit status 2).
    """
    check_options(paths, options)
    rules = effective_rules(rules if rules is not None else CleaningRules())
    folder = content_dir / "articles"
    index = ArticleIndex(folder)
    outcomes = []
    for path in paths:
        outcome = import_one(path, folder, options, rules, index)
        outcomes.append(outcome)
        if outcome.ok and outcome.article is not None and outcome.target is not None:
            index.add(outcome.target, outcome.article.url, outcome.article.body)
    return outcomes


def check_options(paths: list[Path], options: ImportOptions) -> None:
    if options.published and parse_date(options.published) is None:
        raise UsageProblem(f"--published {options.published!r} is not a date; write it as 2024-12-20 or 2024-12-20T09:30:00Z")
    if options.url and not _http(options.url):
        raise UsageProblem(f"--url {options.url!r} is not an http(s) link")
    for flag in ("url", "title", "slug"):
        if getattr(options, flag) and len(paths) > 1:
            raise UsageProblem(f"--{flag} names one article; import the files one at a time")
    if options.slug is not None and not slugify(options.slug):
        raise UsageProblem(f"--slug {options.slug!r} has no letters or digits")
    for path in paths:
        if path.suffix.lower() not in SUFFIXES:
            raise UsageProblem(f"{path}: cannot import {path.suffix or 'files without a suffix'} files; digest imports .txt, .html, .htm and .md")


def import_one(path: Path, folder: Path, options: ImportOptions, rules: CleaningRules, index: ArticleIndex) -> Outcome:
    try:
        article = read_article(path, rules)
    except ContentError as exc:
        return Outcome(path, "failed", diagnostics=exc.diagnostics)
    except ImportError as exc:  # trafilatura (or its lxml_html_clean) missing from this installation
        message = f"cannot import saved pages here: {exc}"
        return Outcome(path, "failed", diagnostics=[error(path, 0, 0, message, "pip install trafilatura lxml_html_clean", code="import-missing-module")])
    apply_options(article, options)
    derive_title(article)
    problems = missing_metadata(article)
    if problems:
        return Outcome(path, "failed", article=article, diagnostics=problems)

    slug = article_slug(article, options)
    target = folder / f"{slug}.md"
    outcome = Outcome(path, "would-write" if options.dry_run else "written", target, article)
    raw_twin = folder / f"{slug}.txt"
    if raw_twin.exists():
        outcome.status = "skipped"
        outcome.diagnostics.append(error(path, 0, 0, f"{_show(raw_twin)} already uses the slug {slug!r}; pass --slug SLUG to name the article differently", code="import-exists"))
        return outcome
    if not options.force:
        duplicate = index.duplicate(article)
        if duplicate is not None:
            other, why = duplicate
            outcome.status = "skipped"
            outcome.diagnostics.append(error(path, 0, 0, f"already imported: {_show(other)} {why}; pass --force to import it anyway", code="import-duplicate"))
            return outcome
        if target.exists():
            outcome.status = "skipped"
            outcome.diagnostics.append(error(path, 0, 0, f"{_show(target)} already exists; pass --force to overwrite it (or --slug SLUG)", code="import-exists"))
            return outcome
    outcome.overwrote = target.exists()
    if not options.dry_run:
        try:
            _write_atomic(target, article.document())
        except OSError as exc:
            outcome.status = "failed"
            outcome.diagnostics.append(error(target, 0, 0, f"cannot write article: {exc.strerror}", code="unwritable"))
    return outcome


def _write_atomic(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _show(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def describe(outcome: Outcome) -> list[str]:
    """What to print for one imported file."""
    article = outcome.article
    if article is None or outcome.target is None:
        return []
    verb = {"written": "overwrote" if outcome.overwrote else "wrote", "would-write": "would write"}.get(outcome.status, "")
    if not verb:
        return []
    paragraphs = sum(b.kind == "paragraph" for b in article.blocks)
    headings = len(article.blocks) - paragraphs
    lines = [
        f"{verb} {_show(outcome.target)} from {outcome.path}: "
        f"{paragraphs} paragraph{'s' * (paragraphs != 1)}, {headings} subheading{'s' * (headings != 1)}, "
        f"{len(article.removed)} line{'s' * (len(article.removed) != 1)} removed"
    ]
    for key in ("title", "source", "url", "published", "author"):
        value = getattr(article, key)
        if value:
            shown = _format_published(value) if key == "published" else value
            lines.append(f"  {key}: {shown}  ({article.origin.get(key, '?')})")
    for removal in article.removed:
        where = f"line {removal.line}: " if removal.line else ""
        text = removal.text if len(removal.text) <= 70 else removal.text[:67] + "..."
        rule = removal.rule if len(removal.rule) <= 60 else removal.rule[:57] + '..."'
        lines.append(f"  removed {where}{text!r}  [{rule}]")
    return lines


# ------------------------------------------------------------------------- CLI


def _load_rules(content_dir: Path) -> CleaningRules:
    site = load_site(content_dir)
    return site.cleaning


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", metavar="NAME", help="The outlet, e.g. Reuters (overrides the page).")
@click.option("--url", metavar="URL", help="Link to the original article (overrides the page).")
@click.option("--published", metavar="DATE", help="Publication date, 2024-12-20 or 2024-12-20T09:30:00Z (overrides the page).")
@click.option("--author", metavar="NAME", help="Author (overrides the page and the byline).")
@click.option("--title", metavar="TEXT", help="Title (overrides the page and the first line).")
@click.option("--slug", metavar="SLUG", help="File name in content/articles/ [default: from the title].")
@click.option("--force", is_flag=True, help="Overwrite an existing article and import duplicates.")
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@click.option(
    "--content", "content_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("content"), show_default=True, help="Folder with site.yaml and articles/."
)
@click.pass_context
def import_command(ctx: click.Context, files: tuple[Path, ...], content_dir: Path, **flags) -> None:
    """Turn scraped articles (.txt, .html, .md) into content/articles/<slug>.md, boilerplate removed.

    Title, outlet, URL, date and author come from the page (saved HTML) or the
    first line and byline (copied text); the flags override them. An existing
    article, or one with the same URL or text, is skipped unless --force.
    """
    options = ImportOptions(**flags)
    if not content_dir.is_dir():
        raise click.UsageError(f"content folder {content_dir} not found; run digest import inside a project (or pass --content DIR)")
    try:
        rules = _load_rules(content_dir)
    except ContentError as exc:
        for diagnostic in exc.diagnostics:
            click.echo(diagnostic.format(), err=True)
        click.echo("digest: site.yaml has errors; nothing was imported", err=True)
        ctx.exit(1)
    problems = validate_rules(effective_rules(rules))
    if problems:
        for problem in problems:
            click.echo(f"{content_dir / 'site.yaml'}: error: {problem}", err=True)
        ctx.exit(1)
    try:
        outcomes = import_files(list(files), content_dir, options, rules)
    except UsageProblem as exc:
        raise click.UsageError(str(exc)) from None
    failed = 0
    for outcome in outcomes:
        for line in describe(outcome):
            click.echo(line)
        if outcome.ok and outcome.article is not None:
            for warning in outcome.article.warnings:
                click.echo(f"{outcome.path}:1:1: warning: {warning}", err=True)
        for diagnostic in outcome.diagnostics:
            click.echo(diagnostic.format(), err=True)
        if options.dry_run and outcome.ok and outcome.article is not None:
            click.echo(outcome.article.document())
        failed += not outcome.ok
    if failed:
        click.echo(f"digest: {failed} of {len(outcomes)} file{'s' * (len(outcomes) != 1)} not imported", err=True)
        ctx.exit(1)
