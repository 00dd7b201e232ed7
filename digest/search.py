"""Full-text search that needs no server: a Pagefind index inside the site.

After the pages are staged (and before they go live), Pagefind's binary reads
them and writes its index; the browser then searches by fetching small pieces
of that index, so search works on GitHub Pages. Only the regions marked
`data-pagefind-body` are indexed: the main content of topic and article pages,
never the navigation. A big topic's pages of one outlet's passages are not
indexed: those passages are, on their article pages (as on the topic page, whose
passages are marked `data-pagefind-ignore`), and a search should find each once.

A large site is indexed in shards: each topic page is a Pagefind bundle of its
own, the article pages are split among bundles by a hash of their path
(`pagefind/` holds the first one and Pagefind's UI, the others live in
`pagefind-shards/`), and the search page merges them in the browser (Pagefind's
`mergeIndex`). A build re-indexes only the shards whose pages changed and links
the others from the previous site, so an edit costs the indexing of a topic
page or two and a few hundred articles, not of the whole site. A small site is
one bundle, exactly as Pagefind makes it by default.

We run the binary once per shard over a folder of hard links to its pages
rather than Pagefind's Python API: the API is an async service fed page by
page, while the pages are already on disk and one synchronous command per shard
is simpler to run, to parallelise and to report on.

Search is an extra: when Pagefind is missing or fails, the build warns and the
site goes out without an index, its search page saying search is unavailable.
"""

from __future__ import annotations

import errno
import json
import math
import os
import shutil
import subprocess
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .cache import fingerprint
from .errors import Diagnostic
from .model import Digest, Position
from .render import SiteRenderer, relative_root
from .write import same_bytes

INDEX_FOLDER = "pagefind"
SHARDS_FOLDER = "pagefind-shards"
SEARCH_PAGE = "search/index.html"
TOPIC_PREFIX = "topics/"
INDEXED_PREFIXES = (TOPIC_PREFIX, "articles/")  # the only pages with data-pagefind-body: topic pages (not their outlets' pages) and article pages
INDEXED_PAGES = "{topics,articles}/**/*.html"  # the same, for Pagefind's --glob: skip reading the rest (it skips pages without data-pagefind-body)
SHARD_BYTES = 2_000_000  # article HTML per shard: about 350 pages, which Pagefind indexes in about half a second
PAGEFIND_TIMEOUT_SECONDS = 300
LINK_TREE = ".search-pages"  # inside the site while a shard is indexed, removed right after
NEW_INDEX = ".search-new"  # where shards are written before they replace their old versions


def indexed(path: str) -> bool:
    """Whether the page at `path` is searched: an article page or a topic page itself (`topics/<slug>/index.html`)."""
    return path.startswith("articles/") or (path.startswith(TOPIC_PREFIX) and path.count("/") == 2)


@dataclass(frozen=True)
class Shard:
    """One Pagefind bundle: the folder it is written to and the pages it indexes."""

    folder: str
    pages: tuple[str, ...]

    @property
    def identity(self) -> str:
        return fingerprint(self.folder, self.pages)


def plan_shards(pages: dict[str, int], previous_count: int = 0) -> tuple[int, list[Shard]]:
    """Split the indexed pages (path → size in bytes) into shards: (how many article shards, the non-empty shards).

    A site of up to SHARD_BYTES is one bundle. A larger one gives each topic page
    a bundle of its own (a topic page weighs as much as hundreds of articles, and
    an edit to any of its articles changes it: it is then re-indexed alone) and
    splits the article pages into shards of about SHARD_BYTES, by a hash of their
    path. Their number sticks to the previous build's while the site stays within
    half to twice that size, so that pages keep their shard as it grows.
    The first shard is the primary bundle, `pagefind/`, which the search page loads.
    """
    searched = sorted(path for path in pages if indexed(path))
    if sum(pages[path] for path in searched) <= SHARD_BYTES:
        return 1, [Shard(INDEX_FOLDER, tuple(searched))]
    articles = [path for path in searched if not path.startswith(TOPIC_PREFIX)]
    wanted = max(1, math.ceil(sum(pages[path] for path in articles) / SHARD_BYTES))
    count = previous_count if previous_count and wanted / 2 <= previous_count <= wanted * 2 else wanted
    members: list[list[str]] = [[] for _ in range(count)]
    for path in articles:
        members[zlib.crc32(path.encode("utf-8")) % count].append(path)
    filled = [(str(n), tuple(paths)) for n, paths in enumerate(members) if paths]  # Pagefind refuses an empty folder
    filled += [("topic-" + path.split("/")[1], (path,)) for path in searched if path.startswith(TOPIC_PREFIX)]
    return count, [Shard(INDEX_FOLDER if i == 0 else f"{SHARDS_FOLDER}/{name}", paths) for i, (name, paths) in enumerate(filled)]


class SearchIndexer:
    """The write stage's `finalize` step: index the staged site, shard by shard, and add its search page.

    `pages` are the site's pages, `previous` is the last build's `record` ({"count": shards planned, "shards": folder → identity}) and
    `reusable(folder)` lists that build's files of a shard folder when they are
    still intact in `out`; a shard whose pages all came through unchanged is
    then linked from there instead of indexed again. After the call, `record`
    describes the shards now in the site, and a failure has only added a warning.
    """

    def __init__(
        self,
        digest: Digest,
        warnings: list[Diagnostic],
        out: Path,
        pages: list[str],
        previous: dict,
        reusable: Callable[[str], list[str] | None],
        jobs: int = 1,
        enabled: bool = True,
    ):
        self.digest, self.warnings, self.out, self.previous, self.reusable, self.jobs = digest, warnings, out.absolute(), previous, reusable, jobs
        self.pages = [path for path in pages if indexed(path)]
        self.enabled = enabled
        self.record: dict = {}

    def __call__(self, site: Path, written: set[str]) -> set[str]:
        """Index `site`: the staged new site, or `out` itself when the write stage updates it in place.
        `written` are the files this build wrote (the others are as the previous build left them).
        Returns the files and folders it changed in `site`."""
        touched: set[str] = set()
        in_place = site == self.out
        if not self.enabled:  # built without search (--no-search): no index, and the search page says so
            for folder in (INDEX_FOLDER, SHARDS_FOLDER):
                if in_place and (site / folder).exists():
                    shutil.rmtree(site / folder)
                    touched.add(folder)
            return touched | self._search_page(site, available=False, merged=[])
        root = str(site)
        sizes = {path: os.lstat(f"{root}/{path}").st_size for path in self.pages}
        count, shards = plan_shards(sizes, self.previous.get("count", 0))
        identities = self.previous.get("shards", {})
        to_index = []
        for shard in shards:
            current = identities.get(shard.folder) == shard.identity and written.isdisjoint(shard.pages)
            kept = self.reusable(shard.folder) if current else None
            if kept is None:
                to_index.append(shard)
            elif not in_place:
                _link(self.out, site, kept)
        if in_place:  # shards of an older plan
            planned = {shard.folder for shard in shards}
            for folder in sorted((site / SHARDS_FOLDER).glob("*")) if (site / SHARDS_FOLDER).is_dir() else []:
                if f"{SHARDS_FOLDER}/{folder.name}" not in planned:
                    shutil.rmtree(folder, ignore_errors=True)
                    touched.add(f"{SHARDS_FOLDER}/{folder.name}")
        problem = self._index(site, to_index, whole_site=len(shards) == 1)
        touched.update(shard.folder for shard in to_index)
        if problem:
            for folder in (INDEX_FOLDER, SHARDS_FOLDER):
                shutil.rmtree(site / folder, ignore_errors=True)  # a half-written index would only break the search page
                touched.add(folder)
            self.warnings.append(Diagnostic(Position(Path("pagefind")), f"search index not built: {problem}", "the site was built without search", "warning", "no-search"))
        else:
            self.record = {"count": count, "shards": {shard.folder: shard.identity for shard in shards}}
        merged = [shard.folder for shard in shards[1:]] if not problem else []
        return touched | self._search_page(site, available=problem is None, merged=merged)

    def _search_page(self, site: Path, available: bool, merged: list[str]) -> set[str]:
        """Write the search page into `site` unless its bytes are those of the current one; returns what it changed."""
        page = render_search_page(self.digest, available=available, merged=merged).encode("utf-8")
        if same_bytes(self.out / SEARCH_PAGE, page):
            if site != self.out:
                _link(self.out, site, [SEARCH_PAGE])  # keeps its modification time, like every unchanged page
            return set()
        (site / SEARCH_PAGE).parent.mkdir(parents=True, exist_ok=True)
        temporary = site / (SEARCH_PAGE + ".tmp")
        temporary.write_bytes(page)
        os.replace(temporary, site / SEARCH_PAGE)
        return {SEARCH_PAGE}

    def _index(self, site: Path, shards: list[Shard], whole_site: bool) -> str | None:
        """Index `shards` into fresh folders beside them, then put each in place of its old version."""
        if not shards:
            return None
        executable = pagefind_executable()
        if executable is None:
            return "pagefind is not installed (pip install 'pagefind[bin]')"
        try:
            if whole_site:  # one bundle: Pagefind reads the site itself
                problems = [run_pagefind(executable, site, site / NEW_INDEX / INDEX_FOLDER)]
            else:
                with ThreadPoolExecutor(max_workers=max(1, self.jobs)) as pool:
                    problems = list(pool.map(lambda shard: self._index_shard(executable, site, shard), shards))
            problem = next((p for p in problems if p), None)
            if problem is None:
                for shard in shards:
                    _replace(site / NEW_INDEX / shard.folder, site / shard.folder)
            return problem
        finally:
            shutil.rmtree(site / LINK_TREE, ignore_errors=True)
            shutil.rmtree(site / NEW_INDEX, ignore_errors=True)

    @staticmethod
    def _index_shard(executable: str, site: Path, shard: Shard) -> str | None:
        """Pagefind over a folder of hard links to the shard's pages, laid out as in the site so URLs stay the same."""
        tree = site / LINK_TREE / shard.folder.replace("/", "-")
        _link(site, tree, list(shard.pages))
        output = site / NEW_INDEX / shard.folder
        problem = run_pagefind(executable, tree, output)
        if problem is None and shard.folder != INDEX_FOLDER:  # merged bundles are read by the primary's scripts: drop their copies (~650 KB each)
            for name in os.listdir(output):
                if name.endswith((".js", ".css")) or name.startswith("wasm."):
                    os.unlink(output / name)
        return problem


def run_pagefind(executable: str, site: Path, output: Path) -> str | None:
    """Index `site` into `output`; returns why there is no index, or None once the bundle is written."""
    command = [executable, "--site", str(site), "--output-path", str(output), "--glob", INDEXED_PAGES, "--keep-index-url", "--silent"]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=PAGEFIND_TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"cannot run {executable}: {exc}"
    said = (run.stderr or run.stdout).strip().splitlines()
    if run.returncode:
        return f"pagefind failed (exit {run.returncode}){': ' + said[-1] if said else ''}"
    if not (output / "pagefind-entry.json").is_file():
        return "pagefind wrote no search bundle"
    return _incomplete(output)


LOW_DISK_BYTES = 16 * 2**20  # free space below which an incomplete bundle is taken for a full disk


def _incomplete(output: Path) -> str | None:
    """Why a bundle Pagefind said it wrote cannot be used (empty files, an entry file that is not JSON), or None.
    On a full disk Pagefind exits 0 having written empty files: then the build stops (ENOSPC), the old site kept."""
    empty = [path for path in output.rglob("*") if path.is_file() and path.stat().st_size == 0]
    try:
        json.loads((output / "pagefind-entry.json").read_text(encoding="utf-8"))
        unreadable = False
    except (OSError, ValueError):
        unreadable = True
    if not empty and not unreadable:
        return None
    if shutil.disk_usage(output).free < LOW_DISK_BYTES:
        raise OSError(errno.ENOSPC, "No space left on device while writing the search index", str(output))
    return f"pagefind wrote an incomplete index ({len(empty)} empty file{'s' if len(empty) != 1 else ''}{', an unreadable pagefind-entry.json' if unreadable else ''})"


def pagefind_executable() -> str | None:
    """The binary of the `pagefind` package (its `bin` extra, or $PAGEFIND_BINARY_PATH), else one on PATH."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return shutil.which("pagefind")
    try:
        found = get_executable()
    except OSError:  # pagefind_bin installed without its binary
        return shutil.which("pagefind")
    return str(found) if found else None


def render_search_page(digest: Digest, available: bool, merged: list[str] = ()) -> str:
    """The search page in the site's theme: Pagefind's UI (merging the other shards) when there is an index, an explanation otherwise."""
    root = relative_root(SEARCH_PAGE)
    context = {"title": "Search", "available": available, "merged_bundles": [f"{root}{folder}/" for folder in merged]}
    return SiteRenderer(digest).page("search.html", SEARCH_PAGE, context)


def _replace(new: Path, folder: Path) -> None:
    """Put the folder `new` where `folder` is, with renames (the old one is removed after)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    if folder.exists():
        old = folder.with_name(folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        folder.rename(old)
        new.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
    else:
        new.rename(folder)


def _link(source: Path, target: Path, paths: list[str]) -> None:
    made = set()
    for relative in paths:
        folder = os.path.dirname(f"{target}/{relative}")
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        os.link(f"{source}/{relative}", f"{target}/{relative}")
