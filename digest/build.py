"""The pipeline in one place: load → analyse → render → write, incremental.

A build first fingerprints its inputs (every content file's bytes, the
project's and the shipped theme, base_url, digest's own code). When they and
the output folder are as the last build left them, there is nothing to do.
Otherwise each stage reuses what `.digest-cache/` holds for inputs it has seen
(articles by content hash, passages and topic matches per article, passages'
Markdown HTML), the renderer fingerprints every output file from what it is
made of, only files whose fingerprint changed are rendered, and the write
stage hard-links every other file from the current site, so unchanged files
keep their bytes and modification time.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import builtin_theme
from .cache import Cache, default_jobs, fingerprint, paused_gc, salt
from .errors import Diagnostic
from .model import Digest
from .write import check_output, contained, output_locked, intact, pack_manifest, same_bytes, unchanged_files, unpack_manifest, update_in_place, valid_packed, write_site

# The stages are imported when a build has work to do: a build with nothing to do stays quick.
if TYPE_CHECKING:
    from .render import SiteRenderer


@dataclass
class BuildResult:
    _digest: Digest | None = field(repr=False)
    warnings: list[Diagnostic]
    pages: int
    written: int
    unchanged: int
    seconds: float
    topic_count: int | None = None
    disagreement_count: int | None = None
    loader: Callable[[], Digest] | None = field(default=None, repr=False)  # after a build with nothing to do: the digest, from the cache
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    base_url: str = ""  # the site's base URL (site.yaml's unless the build was given one), known without loading the digest

    @property
    def digest(self) -> Digest:
        if self._digest is None and self.loader is not None:
            self._digest = self.loader()
        return self._digest

    @property
    def disagreements(self) -> int:
        if self.disagreement_count is not None:
            return self.disagreement_count
        return sum(len(t.disagreements) for t in self.digest.topics)

    def summary(self, out: Path) -> str:
        topics = self.topic_count if self.topic_count is not None else len(self.digest.topics)
        return (
            f"built {self.pages} pages into {out} ({self.written} written, {self.unchanged} unchanged), "
            f"{topics} topics, {self.disagreements} disagreements, in {self.seconds:.2f} s"
        )


def stage_times(timings: dict[str, float]) -> str:
    """The seconds each stage took, as `--debug` prints them."""
    return "stages: " + ", ".join(f"{stage} {seconds:.3f} s" for stage, seconds in timings.items())


def render_files(content_dir: Path, base_url: str | None = None) -> tuple[Digest, dict[str, bytes], list[Diagnostic]]:
    """Everything a build does but writing: raises ContentError on bad content."""
    from .analyse import analyse
    from .load import load_content
    from .render import SiteRenderer

    content, warnings = load_content(content_dir)
    if base_url is not None:
        content.site.base_url = base_url
    digest, found = analyse(content, built_at=inputs_of(content_dir)[1])
    return digest, SiteRenderer(digest).render(), warnings + found


class BuildCancelled(Exception):
    """The build was asked to stop (see `build`'s `cancelled`) and did, before writing anything."""


class _Laps:
    """Called as each stage ends: the seconds it took (`timings`, as --debug prints them); with `cancelled`,
    the build stops there when asked to and the site is not written yet."""

    def __init__(self, started: float, cancelled: Callable[[], bool] | None = None):
        self.timings: dict[str, float] = {}
        self._last = started
        self._cancelled = cancelled

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = now - self._last
        self._last = now
        if self._cancelled is not None and stage in BEFORE_WRITING and self._cancelled():
            raise BuildCancelled(stage)


BEFORE_WRITING = ("inputs", "load", "analyse", "keys", "render")  # the stages after which a build can stop without a trace
IN_PLACE_SHARE = 10  # at most one output file in this many changed: update the site in place rather than restage it


def build(
    content_dir: Path,
    out: Path,
    base_url: str | None = None,
    *,
    jobs: int | None = None,
    progress: bool = False,
    use_cache: bool = True,
    search: bool = True,
    cache: Cache | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> BuildResult:
    """Build (or bring up to date) the site of `content_dir` in `out`.

    `jobs` processes do the work (default: every core; 1 keeps it in this
    process, with identical output); `progress` shows a progress bar on stderr;
    `use_cache=False` ignores and keeps no `.digest-cache/`; `search=False`
    builds the site without a search index; `cache` is the cache to use instead of
    the project's (serve keeps one in memory for all its builds); `cancelled` is
    asked after each stage until the site is written, and when it says yes the
    build stops there with BuildCancelled, the site as it was (serve drops a
    write that a new edit made out of date).
    """
    started = time.perf_counter()
    check_output(out, content_dir)
    jobs = jobs or default_jobs()
    if cache is None:
        cache = Cache.beside(content_dir) if use_cache and content_dir.is_dir() else Cache(None)
    bar = _Progress(progress, started)
    try:
        with output_locked(out, lambda: print(f"digest: another build of {out} is running; waiting for it to finish", file=sys.stderr, flush=True)), paused_gc():
            return _build(content_dir, out, base_url, jobs, cache, bar, started, search, cancelled)
    finally:
        bar.close()


def _build(
    content_dir: Path, out: Path, base_url: str | None, jobs: int, cache: Cache, bar: _Progress, started: float, with_search: bool = True, cancelled: Callable[[], bool] | None = None
) -> BuildResult:
    lap = _Laps(started, cancelled)
    timings = lap.timings

    inputs, built_at, table = _scan(content_dir, base_url, cache)
    search = _search_identity() if with_search else "no search"
    record_name = "site-" + fingerprint(str(out.absolute()))[:20]
    record = cache.read_record(record_name)
    writing = record_name + "-writing"  # set while a build changes the site: one killed meanwhile leaves it set
    if cache.read_record(writing):
        record = None  # the site may be half old, half new, its search index stale: nothing recorded of it is trusted

    lap("inputs")
    # intact() compares every manifest entry with what is on disk, so a record that passes it needs no entry-by-entry check.
    if _valid_summary(record) and record["inputs"] == fingerprint(inputs, search) and intact(out, record["manifest"]):
        lap("check")
        return BuildResult(
            None,
            list(record["warnings"]),
            record["pages"],
            0,
            record["manifest"][1].count("f"),
            time.perf_counter() - started,
            record["topics"],
            record["disagreements"],
            loader=lambda: _digest_only(content_dir, base_url, built_at, cache),
            timings=timings,
            base_url=record["base_url"],
        )

    if not _valid_record(record):
        record = None

    from .render import SiteRenderer
    from .search import SearchIndexer

    digest, warnings = _load_and_analyse(content_dir, base_url, built_at, table, cache, jobs, lap, bar)

    renderer = SiteRenderer(digest, cache=cache, jobs=jobs)
    keys = renderer.keys()
    lap("keys")
    previous = record["keys"] if record else {}
    manifest = unpack_manifest(record["manifest"]) if record else {}
    site_intact = record is not None and intact(out, record["manifest"])  # then every file is as recorded: no need to look at them one by one
    same_key = [path for path, key in keys.items() if previous.get(path) == key]
    keep = {path for path in same_key if manifest[path][0] == "f"} if site_intact else unchanged_files(out, manifest, same_key)
    stale = [path for path in keys if path not in keep]
    renderer.progress = bar.phase("rendering", len(stale))
    files = renderer.render(stale)
    lap("render")
    bar.phase("writing", 0)

    extras = list(record["extras"]) if record else []
    intact_extras = set(extras) if site_intact else unchanged_files(out, manifest, extras)
    old_search = record is not None and record["search"] == search
    finalize_warnings: list[Diagnostic] = []
    indexer = SearchIndexer(
        digest, finalize_warnings, out, [path for path in keys if path.endswith(".html")], record["shards"] if old_search else {}, _files_under(extras, intact_extras),
        jobs=jobs, enabled=with_search,
    )
    nothing_new = old_search and set(keys) == set(previous) and bool(extras) and len(intact_extras) == len(extras)
    if nothing_new and site_intact and all(same_bytes(contained(out, path), data) for path, data in files.items()):
        report_written, report_unchanged, new_manifest = 0, len(keys) + len(extras), manifest  # every file came out the same: leave the site alone
        finalize_warnings.extend(record["finalize_warnings"])
        indexer.record = record["shards"]
    elif site_intact and len(stale) * IN_PLACE_SHARE <= len(keys):  # a small edit: restaging every file would cost more than the edit
        obsolete = [path for path in previous if path not in keys]
        cache.write_record(writing, True)
        report = update_in_place(files, out, obsolete, finalize=indexer, manifest=manifest, unchanged=len(keys) - len(files))
        report_written, report_unchanged, new_manifest = report.written, report.unchanged, report.manifest
    else:
        cache.write_record(writing, True)
        report = write_site(files, out, finalize=indexer, keep=sorted(keep), produce=renderer.render)
        report_written, report_unchanged, new_manifest = report.written, report.unchanged, report.manifest
    warnings += finalize_warnings
    pages = sum(name.endswith(".html") for name in keys)
    files = renderer = None  # the site is written: its bytes (a quarter of a gigabyte at 10,000 articles) go before the cache is pickled
    lap("write")

    cache.write_record(
        record_name,
        {
            "inputs": fingerprint(inputs, search),
            "keys": keys,
            "manifest": pack_manifest(new_manifest),
            "extras": _extras(new_manifest, keys),
            "search": search,
            "shards": indexer.record,
            "warnings": warnings,
            "finalize_warnings": finalize_warnings,
            "pages": pages,
            "topics": len(digest.topics),
            "disagreements": sum(len(t.disagreements) for t in digest.topics),
            "base_url": digest.site.base_url,
        },
    )
    cache.save()
    if cache.read_record(writing):
        cache.write_record(writing, False)  # only now is the record of the site whole
    lap("save")
    return BuildResult(
        digest, warnings, pages, report_written, report_unchanged, time.perf_counter() - started, len(digest.topics), None, timings=timings, base_url=digest.site.base_url
    )


def _scan(content_dir: Path, base_url: str | None, cache: Cache, changed: set[str] | None = None) -> tuple[str, dt.datetime, dict]:
    """`inputs_of`, helped by the table of the last scan the cache holds; this one's table is kept for the next."""
    scan_name = "inputs-" + fingerprint(str(content_dir.absolute()))[:20]
    known = cache.read_record(scan_name)
    known = known if _valid_scan(known) else None
    inputs, built_at, table, hashed = inputs_of(content_dir, base_url, known, changed if known is not None else None)
    # Unchanged but for the scan time: the older time stays, and stays safe. Unless files were read again because they
    # were modified too close to that time: this scan's time lets the next one trust their stat.
    if hashed or known is None or {**known, "": table[""]} != table:
        cache.write_record(scan_name, table)
    return inputs, built_at, table


def _load_and_analyse(
    content_dir: Path, base_url: str | None, built_at: dt.datetime, table: dict, cache: Cache, jobs: int, lap: Callable[[str], None], bar: _Progress | None = None, changed: set[str] | None = None
) -> tuple[Digest, list[Diagnostic]]:
    """Stages 1 and 2: the digest of the content, and warnings about it (raises ContentError on bad content).
    `changed` (a preview's): what a file watcher saw change; the rest is taken as the last build or preview found it."""
    from .analyse import analyse
    from .load import load_content

    hashes = {path: entry[1] for path, entry in table.items() if path}
    content, warnings = load_content(content_dir, cache=cache, jobs=jobs, progress=bar and bar.phase("loading", _article_count(content_dir)), hashes=hashes, changed=changed)
    if base_url is not None:
        content.site.base_url = base_url
    lap("load")
    digest, found = analyse(content, built_at, cache=cache, jobs=jobs, progress=bar and bar.phase("analysing", len(content.articles)), reuse=changed is not None)
    lap("analyse")
    return digest, warnings + found


@dataclass
class Preview:
    """An edit loaded and analysed but not written: `digest serve` shows it at once, rendering each
    file when it is first asked for, and writes the site (and its search index) once edits pause."""

    renderer: SiteRenderer = field(repr=False)
    warnings: list[Diagnostic]
    timings: dict[str, float]  # seconds per stage

    def __post_init__(self):
        with paused_gc():  # a big topic's outlet pages are planned from its passages: not worth a collection of the whole digest
            self._plan = self.renderer.plan()
        self._files: dict[str, bytes] = {}

    @property
    def base_url(self) -> str:
        return self.renderer.site.base_url

    @property
    def pages(self) -> int:
        return sum(path.endswith(".html") for path in self._plan)

    def has(self, path: str) -> bool:
        return path in self._plan

    def rendered(self, path: str) -> bytes | None:
        """The bytes of `path` if they have been rendered already (no cache needed)."""
        return self._files.get(path)

    def file(self, path: str) -> bytes | None:
        """The bytes of output file `path` (what a build would write there), or None when the site has none.
        Not thread-safe: it uses the build's cache."""
        if path not in self._plan:
            return None
        found = self._files.get(path)
        if found is None:
            with paused_gc():
                found = self._files[path] = self.renderer.render([path])[path]
        return found


def preview(content_dir: Path, base_url: str | None = None, *, cache: Cache, changed: set[str] | None = None, jobs: int | None = None) -> Preview:
    """Load and analyse `content_dir` for a Preview (raises ContentError on bad content); writes nothing.
    `changed` (absolute paths, from a file watcher) names every file that may have changed since the last
    build or preview: the others are not looked at again (the build that writes the site looks at all).
    The theme's templates are compiled here, so a broken one fails the preview, as it would fail a build."""
    from .render import PAGE_TEMPLATES, SiteRenderer

    lap = _Laps(time.perf_counter())
    changed = _spelled(content_dir, changed) if changed is not None else None
    with paused_gc():
        _, built_at, table = _scan(content_dir, base_url, cache, changed)
        lap("inputs")
        digest, warnings = _load_and_analyse(content_dir, base_url, built_at, table, cache, jobs or default_jobs(), lap, changed=changed)
        renderer = SiteRenderer(digest, cache=cache, jobs=1)
        for name in PAGE_TEMPLATES:
            renderer.env.get_template(name)
        lap("templates")
    return Preview(renderer, warnings, lap.timings)


def _extras(manifest: dict[str, tuple], keys: dict[str, str]) -> dict[str, bool]:
    """The files in the site that no page key accounts for: the search index and search page."""
    return {path: True for path, entry in manifest.items() if entry[0] == "f" and path not in keys}


def _spelled(content_dir: Path, changed: set[str]) -> set[str]:
    """Absolute paths from a file watcher, with those under `content_dir` also spelled as under it as given
    (`content/articles/x.md`), as the scan and the loader name them."""
    prefix = str(content_dir.absolute()) + os.sep
    return changed | {os.path.join(str(content_dir), path[len(prefix) :]) for path in changed if path.startswith(prefix)}


def _valid_scan(table) -> bool:
    """The last scan's table, checked in outline: `inputs_of` checks each entry as it uses it."""
    return isinstance(table, dict) and type(table.get("", (None,))[0]) is int


def _valid_summary(record) -> bool:
    """The small fields of a last-build record as `_build` writes it (not its per-file tables)."""
    try:
        return (
            isinstance(record, dict)
            and isinstance(record["inputs"], str)
            and isinstance(record["keys"], dict)
            and valid_packed(record["manifest"])
            and isinstance(record["extras"], dict)
            and all(isinstance(w, Diagnostic) for w in record["warnings"] + record["finalize_warnings"])
            and all(type(record[k]) is int for k in ("pages", "topics", "disagreements"))
            and (record["search"] is None or type(record["search"]) is str)
            and type(record["base_url"]) is str
        )
    except (KeyError, TypeError, AttributeError):
        return False


def _valid_record(record) -> bool:
    """A whole last-build record as `_build` writes it; anything else is ignored."""
    return (
        _valid_summary(record)
        and all(type(k) is str and type(v) is str for k, v in record["keys"].items())
        and (record["shards"] == {} or (type(record["shards"]["count"]) is int and all(type(k) is str and type(v) is str for k, v in record["shards"]["shards"].items())))
    )


def _digest_only(content_dir: Path, base_url: str | None, built_at: dt.datetime, cache: Cache) -> Digest:
    from .analyse import analyse
    from .load import load_content

    content, _ = load_content(content_dir, cache=cache)
    if base_url is not None:
        content.site.base_url = base_url
    return analyse(content, built_at, cache=cache)[0]


def _search_identity() -> str:
    """What decides whether and with which Pagefind the finalize step indexes the site, found
    without importing the search module (and the renderer it needs) or reading package metadata:
    a build with nothing to do stays quick. A reinstalled Pagefind counts as another one."""
    from importlib.util import find_spec

    found = []
    for name in ("pagefind", "pagefind_bin"):
        try:
            origin = getattr(find_spec(name), "origin", None)
            found.append((origin, os.stat(origin).st_mtime_ns) if origin else "-")
        except (ImportError, ValueError, OSError):
            found.append("-")
    return repr((found, os.environ.get("PAGEFIND_BINARY_PATH"), shutil.which("pagefind")))


def _files_under(paths: list[str], intact: set[str]) -> Callable[[str], list[str] | None]:
    """For the search indexer: the previous build's files of an index folder, if every one is still intact."""
    by_folder: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        folder = path.rsplit("/", 1)[0] if path.count("/") else ""
        by_folder[folder].append(path)

    def files(folder: str) -> list[str] | None:
        found = [path for sub, paths_ in by_folder.items() if sub == folder or sub.startswith(folder + "/") for path in paths_]
        return found if found and all(path in intact for path in found) else None

    return files


def _article_count(content_dir: Path) -> int:
    try:
        return sum(1 for name in os.listdir(content_dir / "articles") if name.endswith((".md", ".txt")))
    except OSError:
        return 0


RACY_NS = 2_000_000_000  # a file modified this close to the last scan is hashed again, whatever its stat says


def inputs_of(content_dir: Path, base_url: str | None = None, known: dict | None = None, changed: set[str] | None = None) -> tuple[str, dt.datetime, dict, int]:
    """A fingerprint of everything a build reads, the newest modification time among the content
    files, the table of what was hashed (for `known` next time), and how many files were read.

    Every input counts by the hash of its bytes. `known` (the table of the last scan) only
    saves re-reading files whose size, times and inode are as they were then, and that were
    not modified within RACY_NS of that scan (as git does for its index).
    `changed`, from a file watcher, names every file that may have changed since that scan
    (spelled as the folders are: see `_spelled`): the others are taken from `known` without a look at their stat. The
    folders are still listed, so files added or removed are found whatever the watcher says.
    The time is the site's `built_at`: it moves with the content, so rebuilding unchanged
    content gives byte-identical output.
    """
    known = known or {}
    scanned_before = known.get("", (0,))[0]
    table: dict = {"": (time.time_ns(),)}
    parts: list = [salt(), base_url, str(content_dir.absolute())]
    newest = hashed = 0
    themes = content_dir.absolute().parent / "themes"
    for folder, recursive, content in ((content_dir, False, True), (content_dir / "articles", False, True), (content_dir / "topics", False, True), (themes, True, False), (builtin_theme(), True, False)):
        for path, entry in _files(folder, recursive):
            seen = known.get(path)
            valid = type(seen) is tuple and len(seen) == 2 and type(seen[0]) is tuple and len(seen[0]) == 4 and type(seen[1]) is str
            if changed is not None and valid and path not in changed:
                stamp, digest_ = seen  # the watcher saw no change: as the last scan found it
            else:
                stamp = _stamp_of(entry)
                if changed is None and stamp is not None and valid and seen[0] == stamp and stamp[1] < scanned_before - RACY_NS:
                    digest_ = seen[1]
                else:
                    hashed += 1
                    try:
                        with open(path, "rb") as f:
                            digest_ = fingerprint(f.read())
                    except OSError:
                        digest_ = "unreadable"
            table[path] = (stamp, digest_)
            parts.append(f"{len(path)}:{path}{digest_}")
            if content and stamp is not None:
                newest = max(newest, stamp[1])
    built_at = dt.datetime.fromtimestamp(newest // 1_000_000_000, dt.timezone.utc)
    return fingerprint("\x00".join(map(str, parts)), built_at), built_at, table, hashed


def _stamp_of(entry: os.DirEntry | None) -> tuple | None:
    """Which version of a file this is (size, modification and change times, inode), or None when it cannot be looked at."""
    try:
        st = entry.stat() if entry is not None else None
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) if st is not None else None


def _files(folder: Path, recursive: bool):
    """(path, directory entry) of the regular files in `folder` (links followed, as the build reads them), sorted by name;
    the entry is None when the file cannot be looked at."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_file():
                yield entry.path, entry
            elif recursive and entry.is_dir():
                yield from _files(Path(entry.path), True)
        except OSError:
            yield entry.path, None


class _Progress:
    """A rich progress bar on stderr, shown only for builds that take more than a moment."""

    DELAY = 0.4  # seconds before the bar appears

    def __init__(self, enabled: bool, started: float):
        self.enabled = enabled
        self.started = started
        self.rich = None
        self.task = None
        self.name = ""
        self.total = 0
        self.done = 0

    def phase(self, name: str, total: int) -> Callable[[int], None] | None:
        if not self.enabled:
            return None
        self.name, self.total, self.done = name, total, 0
        if self.rich is not None:
            self.rich.update(self.task, description=name, total=total or None, completed=0)
        else:
            self._maybe_start()
        return self.advance

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.rich is None:
            self._maybe_start()
        else:
            self.rich.update(self.task, completed=self.done)

    def _maybe_start(self) -> None:
        if self.rich is not None or time.perf_counter() - self.started < self.DELAY:
            return
        try:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
        except ImportError:  # pragma: no cover - rich is a dependency
            self.enabled = False
            return
        self.rich = Progress(
            TextColumn("[bold]{task.description:>10}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=Console(file=sys.stderr), transient=True
        )
        self.rich.start()
        self.task = self.rich.add_task(self.name, total=self.total or None, completed=self.done)

    def close(self) -> None:
        if self.rich is not None:
            self.rich.stop()
            self.rich = None
