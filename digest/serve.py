"""`digest serve`: build, serve the site over HTTP, rebuild on change, reload open pages.

The site is built into a temporary folder unless --out names one, so a preview never
touches the site/ that gets published. Served HTML pages get a small script that
listens for server-sent events (reload, build error); it is added to the bytes as
they are sent and never written to disk.

An edit is shown before it is written: serve loads and analyses the content again
(a Preview), tells open pages to reload, and renders each file when it is asked for.
Once edits pause, a normal incremental build writes the site and its search index,
and the files are served from disk again. So the wait between saving and seeing
is the analysis of the edit and the rendering of the page in view, not the
rendering and writing of every page the edit touched.
"""

from __future__ import annotations

import errno
import gc
import html
import ipaddress
import json
import mimetypes
import os
import queue
import shutil
import signal
import socket
import socketserver
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

import click
import watchfiles

from . import __version__
from .build import BuildCancelled, Preview, build, preview, stage_times
from .cache import Cache, paused_gc
from .errors import ContentError
from .search import INDEX_FOLDER, SEARCH_PAGE, SHARDS_FOLDER
from .write import OutputRefused, check_output

EVENTS_PATH = "/__digest__/events"
ALLOWED_METHODS = ("GET", "HEAD")
WATCH_STEP_MS = 50  # a change is acted on once the files have been quiet this long...
WATCH_DEBOUNCE_MS = 300  # ...or after this long at most, while an editor keeps writing
WATCH_POLL_MS = 200  # how often an idle watcher wakes; its first wake-up means it is watching
WATCH_READY_SECONDS = 10
KEEPALIVE_SECONDS = 15  # a comment on idle event streams, so dead clients are noticed
MAX_CONNECTIONS = 64  # open connections (so threads) at once
IDLE_SECONDS = 30  # a connection that sends nothing for this long is closed
MAX_DISCARDED_BODY = 1 << 20
TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript", "image/svg+xml")

OVERLAY = (
    '<div id="digest-build-error" role="alert"__HIDDEN__ style="position:fixed;left:0;right:0;bottom:0;max-height:60vh;'
    "overflow:auto;z-index:2147483647;margin:0;padding:1em;background:#fff3f3;color:#600;border-top:3px solid #c00;"
    'font:14px/1.4 ui-monospace,Menlo,Consolas,monospace"><strong>digest: the build failed; these are the last good pages</strong>'
    '<pre style="white-space:pre-wrap;margin:.5em 0 0">__TEXT__</pre></div>'
)
RELOAD_SCRIPT = """<script>
(() => {
  const events = new EventSource(__EVENTS_URL__);
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("build-error", (event) => {
    const overlay = document.getElementById("digest-build-error");
    overlay.querySelector("pre").textContent = event.data;
    overlay.hidden = false;
  });
})();
</script>"""
FALLBACK_404 = b"<!doctype html>\n<title>Not found</title>\n<h1>Not found</h1>\n<p>Nothing is served here (yet).</p>\n"
FALLBACK_ERROR = b"<!doctype html>\n<title>Error</title>\n<h1>This page could not be rendered</h1>\n"
WRITTEN_ONLY = {INDEX_FOLDER, SHARDS_FOLDER.split("/")[0], SEARCH_PAGE.split("/")[0]}  # folders the write stage makes: a preview has no newer version


class ServeError(Exception):
    """Why serve cannot start (port in use, no content folder): a usage error, exit 2."""


@dataclass(frozen=True)
class BuildState:
    """What the server shows; replaced whole after each build so a request reads one consistent state."""

    generation: int  # counts good builds; pages carry it so a page that missed a reload still gets one
    prefix: str  # the URL path the site is served under: "/" or "/repo/"
    error: str = ""  # the last build's errors, shown over the last good pages until a build succeeds
    preview: Preview | None = None  # an edit not written yet: its files are rendered from here (all but the search index's)


def _loopback(host: str) -> bool:
    """Whether every address `host` names is a loopback one (IPv4 or IPv6: `::1` too)."""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False
    return bool(addresses) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses)


def serve(content_dir: Path, out: Path | None, host: str, port: int, base_url: str | None, debug: bool = False) -> None:
    """Run the preview server until Ctrl-C (or SIGTERM); ServeError means it could not start. `debug` prints each build's stage times."""
    server = DevServer(content_dir, out, host, port, base_url, debug)
    previous_sigterm = signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.start()
        click.echo(f"Serving on {server.url} — Ctrl-C to stop")
        if not _loopback(host):
            click.echo(f"warning: listening on {host}: other machines on the network can see this preview", err=True)
        while True:
            time.sleep(0.1)  # short: Ctrl-C can land on another thread, and is raised here only once this one wakes
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous_sigterm)
    click.echo("stopped", err=True)


def _settle_memory() -> None:
    """After a rebuild (and its reload) collect its cyclic garbage once, then freeze what is left, chiefly
    the cache kept in memory, out of the collector's way: otherwise every later full collection walks all
    of it (~0.2 s at 10,000 articles), whenever allocations happen to trigger one."""
    gc.collect()
    gc.freeze()


def _interrupt(signum, frame) -> None:
    """`kill` stops the server as cleanly as Ctrl-C, so its temporary output folder is removed too."""
    raise KeyboardInterrupt


class DevServer:
    """The build, the HTTP server and the watcher, started and stopped together (in-process for tests)."""

    def __init__(self, content_dir: Path, out: Path | None = None, host: str = "127.0.0.1", port: int = 8000, base_url: str | None = None, debug: bool = False):
        self.content_dir = content_dir  # as given, so error paths read like `digest build`'s
        self.root = content_dir.absolute().parent
        self.out = out.absolute() if out else None
        self.host = host
        self.port = port
        self.base_url = base_url
        self.debug = debug
        self.state = BuildState(0, site_path(base_url))
        self.events = Broadcaster()
        self._temporary: Path | None = None
        self._http: _HTTPServer | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._watching = threading.Event()
        self._watch_failure: Exception | None = None
        self._building = threading.Lock()
        self._write_due = False  # the pages shown are a preview: write the site once edits pause (see _watch)
        self._writer: threading.Thread | None = None  # the build writing the last preview, while it runs
        self._edited = threading.Event()  # a change came: a write in progress is out of date
        self._warned: set[str] = set()  # the last build's warnings: a rebuild repeats none of them
        self._cache: Cache | None = None  # one for every build of this session, remembering what it read: a rebuild after an edit reads no unchanged entry again

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{quote(self.state.prefix)}"

    def start(self) -> None:
        """Bind first (a busy port fails fast), watch before the first build (no edit is missed), then serve."""
        if not self.content_dir.is_dir():
            raise ServeError(f"content folder {self.content_dir} not found; pass --content DIR or run `digest init DIR`")
        if self.out is None:
            self._temporary = Path(tempfile.mkdtemp(prefix="digest-serve-"))
            self.out = self._temporary / "site"
        for watched in self.watched_folders():
            if self.out.resolve().is_relative_to(watched.resolve()):
                raise ServeError(f"--out {self.out} is inside {watched}, which serve watches; every build would start another")
        try:
            check_output(self.out, self.content_dir)
        except OutputRefused as exc:
            raise ServeError(f"{exc}\n  hint: {exc.hint}") from None
        self._http = self._bind()
        self.port = self._http.server_address[1]
        self._cache = Cache.beside(self.content_dir, remember=True)
        self._start_thread(self._watch, "digest-watch")
        self._watching.wait(WATCH_READY_SECONDS)
        if self._watch_failure is not None:
            raise ServeError(f"cannot watch {self.content_dir}: {self._watch_failure}")
        self.rebuild()
        self._start_thread(lambda: self._http.serve_forever(poll_interval=0.1), "digest-http")

    def stop(self) -> None:
        """End the event streams, the watcher and the server, and wait for every thread."""
        gc.unfreeze()  # what rebuilds froze is the collector's again (tests run many servers in one process)
        self._stopping.set()
        self._edited.set()
        self.events.close()
        if self._http is not None:
            if any(t.name == "digest-http" for t in self._threads):
                self._http.shutdown()
            self._http.server_close()
        for thread in self._threads:
            thread.join()
        if self._writer is not None:
            self._writer.join()
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)

    def watched_folders(self) -> list[Path]:
        """content/ (with site.yaml) and the project's themes/, when it has one."""
        themes = self.root / "themes"
        return [self.content_dir.absolute()] + ([themes] if themes.is_dir() else [])

    def rebuild(self, changed: set[str] | None = None) -> None:
        """Build (the first time) or preview an edit (`changed`: the absolute paths the watcher saw change), then tell
        open pages to reload; on failure report it and keep the last good pages."""
        with self._building:
            started = time.perf_counter()
            with paused_gc():  # no collection between the build and the reload: with the cache in memory one took ~0.2 s at 10,000 articles
                try:
                    if self.state.generation == 0:
                        result = build(self.content_dir, self.out, self.base_url, cache=self._cache)
                    else:
                        result = preview(self.content_dir, self.base_url, cache=self._cache, changed=changed)
                except ContentError as exc:
                    self._failed("\n".join(d.format() for d in exc.diagnostics))
                    return
                except Exception as exc:  # noqa: BLE001 - a broken theme template must not stop the server
                    self._failed(f"internal error: {type(exc).__name__}: {exc}")
                    return
                previewed = result if isinstance(result, Preview) else None
                self.state = BuildState(self.state.generation + 1, site_path(result.base_url), preview=previewed)
                self.events.publish(sse("reload"))
            self._report_warnings(result.warnings)
            names = sorted(os.path.relpath(path, self.root) for path in changed or ())
            what = f"{', '.join(names[:3])}{' …' if len(names) > 3 else ''} changed: rebuilt" if names else "built"
            done = "shown; written once edits pause" if previewed else f"{result.written} written"
            click.echo(f"{what} {result.pages} pages in {time.perf_counter() - started:.2f} s ({done})")
            self._report_timings(result.timings)
            self._write_due = previewed is not None
            del result, previewed  # the last digest goes before the collection below
            _settle_memory()

    def _write_site(self) -> None:
        """Write the previewed edit with a normal (incremental, atomic) build, search index included; then serve from disk again.
        An edit made meanwhile stops it after the stage it is in, unless the site is being written by then."""
        with self._building:
            if self._edited.is_set():
                return
            started = time.perf_counter()
            try:
                with paused_gc():
                    result = build(self.content_dir, self.out, self.base_url, cache=self._cache, cancelled=self._edited.is_set)
            except BuildCancelled:
                return  # the preview of the new edit asks for a write again
            except Exception as exc:  # noqa: BLE001 - content changed meanwhile, or the disk is full: the next edit tries again
                click.echo(f"digest: the site was not written ({type(exc).__name__}: {exc}); still showing the edit, written after the next one", err=True)
                return
            self.state = replace(self.state, preview=None)
            click.echo(f"written and search index refreshed in {time.perf_counter() - started:.2f} s ({result.written} written)")
            self._report_timings(result.timings)
            del result
            _settle_memory()

    def rendered(self, previewed: Preview, path: str) -> bytes | None:
        """A file of a preview, rendered once (builds and renders share the cache: one at a time). A page asked for
        while the site is being written stops that write after its stage: it is written once the watcher is quiet again."""
        done = previewed.rendered(path)
        if done is not None:
            return done
        if not self._building.acquire(blocking=False):
            if self._writer is not None and self._writer.is_alive():
                self._edited.set()
                self._write_due = True
            self._building.acquire()
        try:
            return previewed.file(path)
        finally:
            self._building.release()

    def _report_timings(self, timings: dict[str, float]) -> None:
        if self.debug:
            click.echo(stage_times(timings), err=True)

    def _report_warnings(self, warnings: list) -> None:
        """Print the warnings the last build did not already print: a rebuild says what is new."""
        shown = [w.format() for w in warnings]
        for text in shown:
            if text not in self._warned:
                click.echo(text, err=True)
        self._warned = set(shown)

    def _failed(self, text: str) -> None:
        self._write_due = False  # the pages stay the last good ones; the next good build asks again
        click.echo(text, err=True)
        click.echo("digest: the build failed; still serving the last good pages", err=True)
        self.state = replace(self.state, error=text)
        self.events.publish(sse("build-error", text))

    def _bind(self) -> _HTTPServer:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        try:
            return _HTTPServer((self.host, self.port), family, self)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ServeError(f"port {self.port} is in use; try --port {free_port_after(self.host, family, self.port)}") from None
            raise ServeError(f"cannot listen on {self.host}:{self.port}: {exc.strerror or exc}") from None

    def _start_thread(self, target, name: str) -> None:
        thread = threading.Thread(target=target, name=name)
        self._threads.append(thread)
        thread.start()

    def _watch(self) -> None:
        paths = self.watched_folders()
        try:
            for changes in watchfiles.watch(
                *paths, debounce=WATCH_DEBOUNCE_MS, step=WATCH_STEP_MS, rust_timeout=WATCH_POLL_MS, yield_on_timeout=True, stop_event=self._stopping
            ):
                self._watching.set()
                if changes:
                    self._edited.set()  # a write in progress stops at its next stage, so this edit is shown without waiting for it
                    self.rebuild({path for _, path in changes})
                elif self._write_due and not self._stopping.is_set():  # quiet for a moment: a burst of saves is shown first, then written once
                    self._write_due = False
                    if self._writer is not None:
                        self._writer.join()
                    self._edited.clear()
                    self._writer = threading.Thread(target=self._write_site, name="digest-write")
                    self._writer.start()
        except (OSError, RuntimeError) as exc:  # inotify limits, permissions, a watched folder removed
            self._watch_failure = exc
            click.echo(f"digest: stopped watching for changes: {exc}", err=True)
        finally:
            self._watching.set()


class Broadcaster:
    """Hands each server-sent event to every open event stream."""

    def __init__(self):
        self._lock = threading.Lock()
        self._streams: set[queue.SimpleQueue] = set()
        self._closed = False

    def subscribe(self) -> queue.SimpleQueue:
        stream: queue.SimpleQueue = queue.SimpleQueue()
        with self._lock:
            if self._closed:
                stream.put(None)
            self._streams.add(stream)
        return stream

    def unsubscribe(self, stream: queue.SimpleQueue) -> None:
        with self._lock:
            self._streams.discard(stream)

    def publish(self, message: bytes | None) -> None:
        with self._lock:
            for stream in self._streams:
                stream.put(message)

    def close(self) -> None:
        """End every stream (None), now and for late subscribers, so their threads finish."""
        with self._lock:
            self._closed = True
        self.publish(None)


def sse(event: str, data: str = "") -> bytes:
    lines = "".join(f"data: {line}\n" for line in data.split("\n"))
    return f"event: {event}\n{lines}\n".encode()


def site_path(base_url: str | None) -> str:
    """The URL path a base URL puts the site under: "/" or "/repo/"."""
    path = unquote(urlsplit(base_url or "").path).strip("/")
    return f"/{path}/" if path else "/"


def locate(root: Path, relative: str) -> Path | None:
    """The existing real path `relative` names inside `root`; None for `..`, symlinks out, odd names or nothing."""
    parts = [part for part in relative.split("/") if part not in ("", ".")]
    if any(part == ".." or "\\" in part or "\x00" in part for part in parts):
        return None
    real_root = root.resolve()
    try:
        real = real_root.joinpath(*parts).resolve()
        exists = real.exists()
    except OSError:  # names the file system refuses, such as over-long ones
        return None
    return real if exists and real.is_relative_to(real_root) else None


def inject(page: bytes, state: BuildState) -> bytes:
    """The page with the reload script and the (hidden unless failing) build-error overlay before </body>."""
    overlay = OVERLAY.replace("__HIDDEN__", "" if state.error else " hidden").replace("__TEXT__", html.escape(state.error))
    script = RELOAD_SCRIPT.replace("__EVENTS_URL__", json.dumps(f"{EVENTS_PATH}?build={state.generation}"))
    snippet = (overlay + script).encode()
    end = page.lower().rfind(b"</body>")
    return page + snippet if end < 0 else page[:end] + snippet + page[end:]


def content_type(path: Path) -> str:
    guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith(TEXT_TYPES) else guessed


def free_port_after(host: str, family: socket.AddressFamily, port: int) -> int:
    """A nearby port that is free now, for the hint; 0 (any free port) when none is."""
    for candidate in range(port + 1, min(port + 20, 65536)):
        with socket.socket(family) as probe:
            try:
                probe.bind((host, candidate))
            except OSError:
                continue
            return candidate
    return 0


class _HTTPServer(ThreadingHTTPServer):
    """Joins its request threads on close, after closing open connections so none can hold it up."""

    daemon_threads = False
    request_queue_size = 64  # the listen backlog (socketserver's default is 5)

    def __init__(self, address: tuple[str, int], family: socket.AddressFamily, site: DevServer):
        self.address_family = family
        self.site = site
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        """Skip HTTPServer's reverse DNS lookup of the host, which can stall start-up for seconds."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[0], self.server_address[1]

    def process_request(self, request, client_address) -> None:
        """A thread per connection, up to MAX_CONNECTIONS: past that a new one is closed at once (a preview has
        a handful of tabs; idle connections also time out, see _Handler.timeout)."""
        with self._open_lock:
            full = len(self._open) >= MAX_CONNECTIONS
            if not full:
                self._open.add(request)
        if full:
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def server_close(self) -> None:
        with self._open_lock:
            for connection in self._open:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        super().server_close()

    def handle_error(self, request, client_address) -> None:
        """A browser that goes away mid-response is normal; anything else is still reported."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = f"digest/{__version__}"
    timeout = IDLE_SECONDS  # an idle keep-alive connection does not hold its thread for ever

    def parse_request(self) -> bool:
        """Refuse every method but GET and HEAD before dispatch, so no other can reach a handler."""
        if not super().parse_request():
            return False
        if self.command in ALLOWED_METHODS:
            return True
        self._discard_body()
        self._respond(405, b"Method not allowed: this server only reads.\n", "text/plain; charset=utf-8", [("Allow", ", ".join(ALLOWED_METHODS))])
        return False

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        """Quiet: the terminal is for build results."""

    def _serve(self) -> None:
        state = self.server.site.state
        url = urlsplit(self.path)
        if url.path == EVENTS_PATH:
            self._stream_events(parse_qs(url.query).get("build", [""])[0])
            return
        path = "/" + unquote(url.path).lstrip("/")  # one leading slash: "//host" must not become a redirect off-site
        if not path.startswith(state.prefix):
            if path in ("/", state.prefix.rstrip("/")):
                self._redirect(state.prefix, 302)
            else:
                self._not_found(state)
            return
        out = self.server.site.out
        relative = path[len(state.prefix) :]
        if state.preview is not None and relative.lstrip("/").split("/")[0] not in WRITTEN_ONLY:
            self._serve_preview(state, path, relative, url.query)
            return
        found = locate(out, relative)
        if found is not None and found.is_dir():
            if not path.endswith("/"):
                self._redirect(path + "/" + (f"?{url.query}" if url.query else ""), 301)
                return
            found = locate(out, relative + "/index.html")
        if found is None or not found.is_file() or not self._send_file(200, found, state):
            self._not_found(state)

    def _serve_preview(self, state: BuildState, path: str, relative: str, query: str) -> None:
        """A file of the previewed edit, rendered as the build would write it (a missing one gets the preview's 404 page)."""
        parts = [part for part in relative.split("/") if part not in ("", ".")]
        name = "/".join(parts + ["index.html"] if not parts or relative.endswith("/") else parts)
        if not relative.endswith("/") and state.preview.has(name + "/index.html"):
            self._redirect(path + "/" + (f"?{query}" if query else ""), 301)
            return
        status = 200
        try:
            body = self.server.site.rendered(state.preview, name)
            if body is None:
                status, name = 404, "404.html"
                body = self.server.site.rendered(state.preview, name)
        except Exception as exc:  # noqa: BLE001 - a theme that fails on this page: say so on the page and in the terminal
            text = f"internal error rendering {name}: {type(exc).__name__}: {exc}"
            click.echo(text, err=True)
            self._respond(500, inject(FALLBACK_ERROR, replace(state, error=text)), "text/html; charset=utf-8")
            return
        if body is None:
            self._respond(404, inject(FALLBACK_404, state), "text/html; charset=utf-8")
            return
        kind = content_type(Path(name))
        self._respond(status, inject(body, state) if kind.startswith("text/html") else body, kind)

    def _send_file(self, status: int, path: Path, state: BuildState) -> bool:
        try:
            body = path.read_bytes()
        except OSError:  # swapped away by a build between locating and reading
            return False
        kind = content_type(path)
        self._respond(status, inject(body, state) if kind.startswith("text/html") else body, kind)
        return True

    def _not_found(self, state: BuildState) -> None:
        page = locate(self.server.site.out, "404.html")
        if page is None or not self._send_file(404, page, state):
            self._respond(404, inject(FALLBACK_404, state), "text/html; charset=utf-8")

    def _redirect(self, location: str, status: int) -> None:
        path, _, query = location.partition("?")
        self._respond(status, b"", "text/plain; charset=utf-8", [("Location", quote(path) + (f"?{query}" if query else ""))])

    def _stream_events(self, seen_generation: str) -> None:
        """Server-sent events until the client leaves or the server stops; catches up a page that missed one."""
        if self.command == "HEAD":
            self._respond(200, b"", "text/event-stream")
            return
        stream = self.server.site.events.subscribe()  # before reading the state, so no event falls in between
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            state = self.server.site.state
            if seen_generation and seen_generation != str(state.generation):
                self.wfile.write(sse("reload"))
            elif state.error:
                self.wfile.write(sse("build-error", state.error))
            while True:
                try:
                    message = stream.get(timeout=KEEPALIVE_SECONDS)
                except queue.Empty:
                    message = b": keep-alive\n\n"
                if message is None:
                    return
                self.wfile.write(message)
        except (ConnectionError, TimeoutError):
            return
        finally:
            self.server.site.events.unsubscribe(stream)

    def _respond(self, status: int, body: bytes, kind: str, headers: list[tuple[str, str]] = ()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _discard_body(self) -> None:
        """Read a refused request's body, so closing the connection does not reset it before the reply arrives."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return
        if 0 < length <= MAX_DISCARDED_BODY:
            self.rfile.read(length)
