"""Stage 1, load: read site.yaml, articles and topics into the data model.

Every problem is collected (not just the first) and raised together as a
ContentError, each with the file, line and column it stands at.
"""

from __future__ import annotations

import os

import difflib
import re
from collections.abc import Callable
from pathlib import Path

from slugify import slugify

from .cache import Cache, fingerprint, parallel_map
from .errors import ContentError, Diagnostic, error
from .model import (
    Article,
    Claim,
    CleaningRules,
    Content,
    CuratedDisagreement,
    CuratedPosition,
    FigureSpec,
    Position,
    Resolution,
    SiteConfig,
    Topic,
)
from .schema import ARTICLE_SCHEMA, SITE_SCHEMA, TOPIC_SCHEMA, validate
from .yamlpos import YamlDoc, parse_yaml

MAX_FILE_BYTES = 20 * 1024 * 1024
ARTICLE_SUFFIXES = (".md", ".txt")


def load_content(
    content_dir: Path,
    *,
    cache: Cache | None = None,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
    hashes: dict[str, str] | None = None,
    changed: set[str] | None = None,
) -> tuple[Content, list[Diagnostic]]:
    """Read a whole content folder; return it with any warnings, or raise every error found.

    Articles are cached by the hash of their bytes (and their sidecar's) and parsed in `jobs`
    processes; `hashes` (path → hash of the bytes, as the build just computed them) saves reading them twice.
    `changed` (serve's previews: the paths a file watcher saw change, spelled as under `content_dir`) lets a
    file it does not name be taken as the last load in this cache found it, without looking it up again.
    """
    problems: list[Diagnostic] = []
    if not content_dir.is_dir():
        raise ContentError([error(content_dir, 0, 0, "content folder not found", "run `digest init DIR` to start a project, or pass --content DIR", "no-content")])
    site = _collect(problems, lambda: load_site(content_dir)) or SiteConfig(root=content_dir.parent)
    articles = load_articles(content_dir / "articles", problems, cache=cache, jobs=jobs, progress=progress, hashes=hashes, changed=changed)
    topics = _topics_as_before(content_dir / "topics", articles, problems, cache, changed)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ContentError(errors)
    return Content(site, articles, topics), problems


def _collect(problems: list[Diagnostic], action):
    try:
        return action()
    except ContentError as exc:
        problems.extend(exc.diagnostics)
        return None


def read_text(path: Path, problems: list[Diagnostic]) -> str | None:
    """Read a content file as text, refusing what cannot be content (huge, binary) and decoding legacy files."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(error(path, 0, 0, f"file is {size // (1024 * 1024)} MB; content files are limited to {MAX_FILE_BYTES // (1024 * 1024)} MB", "split it or remove what is not article text", "too-large"))
            return None
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(error(path, 0, 0, f"cannot read file: {exc.strerror}", code="unreadable"))
        return None
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        problems.append(error(path, line, 1, "file contains NUL bytes; it looks binary, not text", "save it as UTF-8 text", "binary"))
        return None
    text, legacy_line = decode_text(raw)
    if legacy_line:
        problems.append(
            Diagnostic(Position(path, legacy_line, 1), "file is not UTF-8; read it as Windows-1252", "re-save the file as UTF-8", "warning", "encoding")
        )
    return text


def decode_text(raw: bytes) -> tuple[str, int | None]:
    """Text with \\n line ends: UTF-8 (BOM or not), else Windows-1252 — and then the line where UTF-8 failed."""
    try:
        return raw.decode("utf-8-sig").replace("\r\n", "\n"), None
    except UnicodeDecodeError as exc:
        return raw.decode("cp1252", errors="replace").replace("\r\n", "\n"), raw[: exc.start].count(b"\n") + 1


def _yaml_doc(path: Path, text: str, schema: dict, problems: list[Diagnostic], line_offset: int = 0) -> YamlDoc | None:
    """Parse and validate one YAML document; None when it has errors (already reported)."""
    try:
        doc = parse_yaml(text, path, line_offset)
    except ContentError as exc:
        problems.extend(exc.diagnostics)
        return None
    if doc.data is None:
        doc.data = {}
    found = validate(doc, schema)
    problems.extend(found)
    return None if found else doc


# ------------------------------------------------------------------------ site


def load_site(content_dir: Path) -> SiteConfig:
    """Read `content/site.yaml`; a missing file means the defaults."""
    path = content_dir / "site.yaml"
    site = SiteConfig(root=content_dir.parent)
    if not path.exists():
        return site
    problems: list[Diagnostic] = []
    if _escapes(path, content_dir, problems):
        raise ContentError(problems)
    text = read_text(path, problems)
    doc = _yaml_doc(path, text, SITE_SCHEMA, problems) if text is not None else None
    if doc is None:
        raise ContentError(problems)
    data = doc.data
    cleaning = data.get("cleaning", {})
    for i, pattern in enumerate(cleaning.get("patterns", [])):
        _check_regex(pattern, doc.where("cleaning", "patterns", i), problems)
    if problems:
        raise ContentError(problems)
    site.title = data.get("title", site.title)
    site.description = data.get("description", "")
    site.base_url = data.get("base_url", "")
    site.language = data.get("language", site.language)
    site.theme = data.get("theme", site.theme)
    site.remote_images = data.get("remote_images", False)
    site.cleaning = CleaningRules(
        exact=cleaning.get("exact", []),
        prefixes=cleaning.get("prefixes", []),
        patterns=cleaning.get("patterns", []),
        use_defaults=cleaning.get("defaults", True),
    )
    return site


def _check_regex(pattern: str, where: Position, problems: list[Diagnostic]) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        problems.append(Diagnostic(where, f"bad regular expression {pattern!r}: {exc.msg}", "check brackets and escape special characters with \\", "error", "bad-pattern"))


# -------------------------------------------------------------------- articles


def load_articles(
    folder: Path,
    problems: list[Diagnostic],
    *,
    cache: Cache | None = None,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
    hashes: dict[str, str] | None = None,
    changed: set[str] | None = None,
) -> list[Article]:
    """Every `*.md` and raw `*.txt` (with its sidecar `.yaml`) in the articles folder, sorted by slug. `changed`: see `load_content`."""
    if not folder.is_dir():
        problems.append(error(folder, 0, 0, "articles folder not found", "create content/articles/ and add articles (*.md)", "no-articles"))
        return []
    if _escapes(folder, folder.parent, problems):  # a linked articles/ would publish whatever folder it names
        return []
    # Names and links from one directory read, and paths as strings: Path objects for 10,000 files cost ~0.3 s a build.
    entries = sorted((entry.name, entry.is_symlink()) for entry in os.scandir(folder) if _suffix(entry.name) in ARTICLE_SUFFIXES)
    prefix = os.path.join(folder, "")
    cache = cache or Cache(None)
    store = cache.store("articles")
    remembered = cache.memo("article-files")
    before = (remembered.get(prefix) or {}) if changed is not None else {}  # file name → (key, what loading it gave) at the last load
    loaded: list[tuple[Article | None, list[Diagnostic]] | None] = []
    keys: list[str | None] = []
    todo = []
    for i, (name, link) in enumerate(entries):
        refused: list[Diagnostic] = []
        if link and _escapes(folder / name, folder.parent, refused):
            keys.append(None)
            loaded.append((None, refused))
            continue
        path = prefix + name
        if name in before and path not in changed and (not name.endswith(".txt") or path[:-4] + ".yaml" not in changed):
            key, found = before[name]
        else:
            key = _article_file_key(path, hashes or {})
            found = store.get(key, _valid_loaded) if key is not None else None
        keys.append(key)
        loaded.append(found)
        if found is None:
            todo.append(i)
        elif progress:
            progress(1)
    for i, (article, found, key) in zip(todo, parallel_map(_load_one, [folder / entries[i][0] for i in todo], None, jobs, progress)):
        loaded[i] = (article, found)
        keys[i] = key  # of the bytes actually parsed (None if the file changed while read)
        if key is not None and not any(p.severity == "error" for p in found):
            store.put(key, (article, found))  # under the hash of the bytes actually parsed
    remembered.put(prefix, {name: (key, found) for (name, _), found, key in zip(entries, loaded, keys) if key is not None})
    articles: dict[str, Article] = {}
    for (name, _), (article, found), key in zip(entries, loaded, keys):
        problems.extend(found)
        if article is None:
            continue
        article.key = key or ""
        if article.slug in articles:
            other = articles[article.slug].path
            problems.append(error(folder / name, 0, 0, f"slug `{article.slug}` is also used by {other}", "rename one of the two files", "duplicate-slug"))
            continue
        articles[article.slug] = article
    return [articles[slug] for slug in sorted(articles)]


def _suffix(name: str) -> str:
    """`Path(name).suffix`, without making a Path."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _article_file_key(path: str | Path, hashes: dict[str, str]) -> str | None:
    """The cache key of an article file: its path and the hash of its bytes, and its sidecar's for raw text."""
    path = os.fspath(path)
    raw = path.endswith(".txt")
    digests = []
    for file, needed in ((path, True), (path[: -len(".txt")] + ".yaml", raw)):
        if not needed:
            digests.append(None)
            continue
        known = hashes.get(file)
        if known is None:
            try:
                if os.stat(file).st_size > MAX_FILE_BYTES:
                    return None
                with open(file, "rb") as f:
                    known = fingerprint(f.read())
            except FileNotFoundError:
                known = "missing"
            except OSError:
                return None
        digests.append(known)
    return f"{digests[0]}{digests[1] or ''}:{path}"  # starts with a hash (the store picks its shard by it); the store's header carries the salt


def _valid_loaded(value) -> bool:
    article, found = value
    return (article is None or isinstance(article, Article)) and isinstance(found, list) and all(isinstance(d, Diagnostic) for d in found)


def _load_one(_state, path: Path) -> tuple[Article | None, list[Diagnostic], str | None]:
    key = _article_file_key(path, {})
    found: list[Diagnostic] = []
    article = _load_article(path, found)
    return article, found, key if key == _article_file_key(path, {}) else None  # changed while read: not cached


def slug_for(name: str) -> str:
    """A URL- and path-safe slug: lowercase ASCII letters, digits and dashes only (never `/` or `..`)."""
    return slugify(name, max_length=120, word_boundary=True)


def _escapes(path: Path, content_root: Path, problems: list[Diagnostic]) -> bool:
    """A symlink that leads outside the content folder is refused: content must not read arbitrary files."""
    if path.is_symlink() and not path.resolve().is_relative_to(content_root.resolve()):
        what = "copy the folder into content/ instead" if path.is_dir() else "copy the file into content/ instead"
        problems.append(error(path, 0, 0, "symbolic link points outside the content folder", what, "outside-link"))
        return True
    return False


def _load_article(path: Path, problems: list[Diagnostic]) -> Article | None:
    slug = slug_for(path.stem)
    if not slug:
        problems.append(error(path, 0, 0, "file name gives no usable slug", "name the file with letters or digits, e.g. reuters-talks.md", "bad-slug"))
        return None
    text = read_text(path, problems)
    if text is None:
        return None
    if path.suffix == ".md":
        meta_doc, body = _front_matter(path, text, problems)
        fmt = "md"
    else:
        sidecar = path.with_suffix(".yaml")
        if not sidecar.exists():
            problems.append(
                error(path, 0, 0, "raw text article has no metadata", f"create {sidecar.name} with title, source, url and published", "no-sidecar")
            )
            return None
        if _escapes(sidecar, path.parent.parent, problems):
            return None
        meta_text = read_text(sidecar, problems)
        meta_doc = _yaml_doc(sidecar, meta_text, ARTICLE_SCHEMA, problems) if meta_text is not None else None
        body, fmt = text, "txt"
    if meta_doc is None:
        return None
    meta = meta_doc.data
    return Article(
        slug=slug,
        title=meta["title"],
        source=meta["source"],
        url=meta["url"],
        published=meta["published"],
        body=body,
        path=path,
        format=fmt,
        author=meta.get("author", ""),
        language=meta.get("language", ""),
    )


class UnclosedFrontMatter(ValueError):
    """A file that opens a `---` block and never closes it."""


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """The `---` block a Markdown file opens with: (its YAML, the body, the body's 0-based first line), or None without one."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            return "\n".join(lines[1:end]), "\n".join(lines[end + 1 :]), end + 1
    raise UnclosedFrontMatter


def _front_matter(path: Path, text: str, problems: list[Diagnostic]) -> tuple[YamlDoc | None, str]:
    try:
        found = split_front_matter(text)
    except UnclosedFrontMatter:
        problems.append(error(path, 1, 1, "front matter is not closed", "add a `---` line after the last field", "unclosed-front-matter"))
        return None, ""
    if found is None:
        problems.append(error(path, 1, 1, "article has no front matter", "start the file with a `---` line, the fields title, source, url, published, and another `---` line", "no-front-matter"))
        return None, ""
    front, body, _ = found
    return _yaml_doc(path, front, ARTICLE_SCHEMA, problems, line_offset=1), body.strip("\n")


# ---------------------------------------------------------------------- topics


def _topics_as_before(folder: Path, articles: list[Article], problems: list[Diagnostic], cache: Cache | None, changed: set[str] | None) -> list[Topic]:
    """`load_topics`, or what it gave last time in this cache when no topic file changed (`changed`) and the same articles are there."""
    slugs = {a.slug for a in articles}
    remembered = (cache or Cache(None)).memo("topics")
    key = os.path.join(folder, "")
    before = remembered.get(key)
    if changed is not None and before is not None and before[0] == slugs and not any(path.startswith(key) for path in changed):
        topics, said = before[1], before[2]
    else:
        said = []
        topics = load_topics(folder, slugs, said)
    remembered.put(key, (slugs, topics, said))
    problems.extend(said)
    return topics


def load_topics(folder: Path, slugs: set[str], problems: list[Diagnostic]) -> list[Topic]:
    """Every `*.yaml` topic, checked against the schema and the known article slugs; sorted by order."""
    if not folder.is_dir():
        return []
    if _escapes(folder, folder.parent, problems):
        return []
    topics = []
    for path in sorted(folder.glob("*.y*ml")):
        if _escapes(path, folder.parent, problems):
            continue
        text = read_text(path, problems)
        doc = _yaml_doc(path, text, TOPIC_SCHEMA, problems) if text is not None else None
        if doc is not None:
            topic = _topic(path, doc, slugs, problems)
            if topic is not None:
                topics.append(topic)
    seen: dict[str, Path] = {}
    for topic in topics:  # two files, one page: `Flood Impact.yaml` and `flood-impact.yaml` would lose one silently
        if topic.slug in seen:
            problems.append(error(topic.path, 0, 0, f"slug `{topic.slug}` is also used by {seen[topic.slug]}", "rename one of the two files: each topic needs a page of its own", "duplicate-slug"))
        seen.setdefault(topic.slug, topic.path)
    return sorted(topics, key=lambda t: (t.order, t.slug))


def _days(window: str) -> int:
    """A figure's `window` ("3d", "2w"; the schema checked its form) in days."""
    try:
        return int(window[:-1]) * (7 if window.endswith("w") else 1)
    except (TypeError, ValueError):  # reported by the schema check
        return 3


def _topic(path: Path, doc: YamlDoc, slugs: set[str], problems: list[Diagnostic]) -> Topic | None:
    data = doc.data
    before = len(problems)
    slug = slug_for(path.stem)
    if not slug:
        problems.append(error(path, 0, 0, "file name gives no usable slug", "name the file like humanitarian-figures.yaml", "bad-slug"))

    def known_article(ref: str, *at) -> None:
        if ref not in slugs:
            close = difflib.get_close_matches(ref, sorted(slugs), n=1, cutoff=0.5)
            hint = f"did you mean `{close[0]}`?" if close else "use the article's file name without extension"
            problems.append(Diagnostic(doc.where(*at), f"unknown article `{ref}`", hint, "error", "unknown-article"))

    positions: dict[str, Position] = {}  # where things stand, for messages after loading: "pin[0]", "match:/regex/"
    match = data.get("match", {})
    for kind in ("any", "all", "exclude"):
        for i, term in enumerate(match.get(kind, [])):
            if term_is_regex(term):
                _check_regex(term[1:-1], doc.where("match", kind, i), problems)
                positions.setdefault(f"match:{term}", doc.where("match", kind, i))  # for an error about the pattern at build time

    figures, seen_ids = [], {}
    for i, item in enumerate(data.get("figures", [])):
        if item["id"] in seen_ids:
            problems.append(
                Diagnostic(doc.where("figures", i, "id"), f"duplicate figure id `{item['id']}` (first at line {seen_ids[item['id']].line})", "give each figure its own id", "error", "duplicate-figure")
            )
        seen_ids.setdefault(item["id"], doc.where("figures", i, "id"))
        figures.append(
            FigureSpec(
                id=item["id"],
                label=item.get("label", item["id"]),
                terms=item["terms"],
                near=item.get("near", []),
                exclude=item.get("exclude", []),
                tolerance=float(item.get("tolerance", 0.05)),
                position=doc.where("figures", i),
                trend=item.get("trend", "cumulative"),
                window=_days(item.get("window", "3d")),
            )
        )
        if "window" in item and item.get("trend") != "level":
            problems.append(
                Diagnostic(doc.where("figures", i, "window"), "`window` applies to `trend: level` only", "add `trend: level`, or remove `window` (cumulative and fixed figures compare values whatever their dates)", "error", "window-without-level")
            )

    claims = []
    for i, item in enumerate(data.get("claims", [])):
        for j, ref in enumerate(item["sources"]):
            known_article(ref, "claims", i, "sources", j)
        claims.append(Claim(item["text"], item["sources"], doc.where("claims", i)))

    disagreements = []
    for i, item in enumerate(data.get("disagreements", [])):
        for j, pos in enumerate(item["positions"]):
            known_article(pos["source"], "disagreements", i, "positions", j, "source")
        sides = [CuratedPosition(p["source"], p["says"]) for p in item["positions"]]
        disagreements.append(CuratedDisagreement(item["about"], sides, doc.where("disagreements", i)))

    resolved = []
    for i, item in enumerate(data.get("resolved", [])):
        if ("figure" in item) == ("about" in item):
            problems.append(Diagnostic(doc.where("resolved", i), "a resolution names either `figure` or `about`", "add `figure: <figure id>` (or `about:` of a curated disagreement)", "error", "bad-resolution"))
        elif "figure" in item and item["figure"] not in seen_ids:
            close = difflib.get_close_matches(item["figure"], list(seen_ids), n=1)
            hint = f"did you mean `{close[0]}`?" if close else "use an id from this topic's `figures`"
            problems.append(Diagnostic(doc.where("resolved", i, "figure"), f"unknown figure `{item['figure']}`", hint, "error", "unknown-figure"))
        if "article" in item:
            known_article(item["article"], "resolved", i, "article")
        resolved.append(Resolution(item["note"], item.get("figure", ""), item.get("about", ""), item.get("article", ""), doc.where("resolved", i)))

    for kind in ("pin", "hide"):
        for i, ref in enumerate(data.get(kind, [])):
            known_article(ref.split("#")[0], kind, i)
            positions[f"{kind}[{i}]"] = doc.where(kind, i)

    if len(problems) > before:
        return None
    return Topic(
        slug=slug,
        title=data["title"],
        path=path,
        summary=data.get("summary", ""),
        order=data.get("order", 0),
        match_any=match.get("any", []),
        match_all=match.get("all", []),
        match_exclude=match.get("exclude", []),
        figures=figures,
        claims=claims,
        disagreements=disagreements,
        resolved=resolved,
        pin=data.get("pin", []),
        hide=data.get("hide", []),
        notes=data.get("notes", ""),
        positions=positions,
    )


def term_is_regex(term: str) -> bool:
    """Match terms written as /.../ are regular expressions; all others are words or phrases."""
    return len(term) > 2 and term.startswith("/") and term.endswith("/")
