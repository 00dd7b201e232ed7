"""`digest serve` over real HTTP on loopback: in-process servers, one subprocess for Ctrl-C."""

from __future__ import annotations

import http.client
import json
import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import closing, contextmanager

import pytest

from conftest import write_big_topic
from digest.serve import EVENTS_PATH, DevServer

TIMEOUT = 10  # seconds any single wait may take before the test fails


@pytest.fixture
def project(project):
    project.article("a", "Talks resumed in Doha.\n")
    project.topic("t", "title: Doha talks\nmatch:\n  any: [talks]\n")
    return project


@contextmanager
def running(project, **options):
    server = DevServer(project.content, out=project.root / "preview", port=0, **options)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def fetch(server: DevServer, path: str, method: str = "GET", body: bytes | None = None) -> tuple[http.client.HTTPResponse, bytes]:
    with closing(http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT)) as connection:
        connection.request(method, path, body=body)
        response = connection.getresponse()
        return response, response.read()


class EventStream:
    """A server-sent events client that reads one event at a time, each read bounded by TIMEOUT."""

    def __init__(self, server: DevServer, query: str = ""):
        self.connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT)
        self.connection.request("GET", EVENTS_PATH + query)
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream"

    def next_event(self) -> tuple[str, str]:
        event, data = "", []
        while True:
            line = self.response.fp.readline().decode().rstrip("\n")
            if line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: "):
                data.append(line.removeprefix("data: "))
            elif not line and event:
                return event, "\n".join(data)

    def close(self) -> None:
        self.connection.close()


def test_pages_are_served_with_the_reload_script_that_the_files_on_disk_lack(project):
    with running(project) as server:
        response, page = fetch(server, "/topics/t/")
        on_disk = (server.out / "topics/t/index.html").read_bytes()
        head, _ = fetch(server, "/topics/t/", "HEAD")
        data, json_bytes = fetch(server, "/digest.json")
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert EVENTS_PATH.encode() in page and b"Doha talks" in page
    assert EVENTS_PATH.encode() not in on_disk
    assert not any(EVENTS_PATH.encode() in f.read_bytes() for f in (project.root / "preview").rglob("*") if f.is_file())
    assert head.status == 200 and head.getheader("Content-Length") == str(len(page))
    assert data.getheader("Content-Type") == "application/json; charset=utf-8"
    assert json_bytes == (project.root / "preview/digest.json").read_bytes()


def test_directory_urls_redirect_to_the_slash_and_missing_pages_get_the_sites_404(project):
    with running(project) as server:
        redirect, _ = fetch(server, "/topics/t?x=1")
        no_open_redirect, _ = fetch(server, "//topics/t")
        missing, page = fetch(server, "/no/such/page/")
    assert (redirect.status, redirect.getheader("Location")) == (301, "/topics/t/?x=1")
    assert no_open_redirect.getheader("Location") == "/topics/t/"
    assert missing.status == 404
    assert b"Page not found" in page and EVENTS_PATH.encode() in page


def test_a_topic_edit_sends_a_reload_event_and_the_new_page(project):
    with running(project) as server:
        stream = EventStream(server)
        try:
            edited = time.perf_counter()
            project.topic("t", "title: Doha talks, revised\nmatch:\n  any: [talks]\n")
            assert stream.next_event() == ("reload", "")
            print(f"\nedit-to-reload: {time.perf_counter() - edited:.3f} s")
        finally:
            stream.close()
        _, page = fetch(server, "/topics/t/")
    assert b"Doha talks, revised" in page


def test_a_page_that_missed_a_reload_gets_one_when_it_connects(project):
    with running(project) as server:
        stream = EventStream(server, f"?build={server.state.generation - 1}")
        try:
            assert stream.next_event() == ("reload", "")
        finally:
            stream.close()


def test_a_build_error_is_reported_escaped_while_the_last_good_page_stays_served(project):
    with running(project) as server:
        stream = EventStream(server)
        try:
            project.topic("t", "title: Broken\n<b>oops</b>: 1\n")
            event, text = stream.next_event()
            assert event == "build-error"
            assert "content/topics/t.yaml:2:1: error: unknown key `<b>oops</b>`" in text
        finally:
            stream.close()
        response, page = fetch(server, "/topics/t/")
        late = EventStream(server)
        try:
            assert late.next_event()[0] == "build-error"  # a page opened during the failure sees it at once
            project.topic("t", "title: Fixed\nmatch:\n  any: [talks]\n")
            assert late.next_event() == ("reload", "")
        finally:
            late.close()
        _, fixed = fetch(server, "/topics/t/")
    assert response.status == 200 and b"Doha talks" in page and b"Broken" not in page
    assert b'id="digest-build-error" role="alert" style=' in page
    assert b"unknown key `&lt;b&gt;oops&lt;/b&gt;`" in page and b"<b>oops</b>" not in page
    assert b"Fixed" in fixed and b'id="digest-build-error" role="alert" hidden' in fixed


def test_a_first_build_that_fails_still_serves_the_error(project):
    project.topic("t", "title: T\nsumary: x\n")
    with running(project) as server:
        response, page = fetch(server, "/")
    assert response.status == 404
    assert b"unknown key `sumary`" in page


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/../../../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/topics/..%2f..%2fsecret.txt",
        "/%5c..%5csecret.txt",
        "/leak.txt",
        "/leak-folder/secret.txt",
        "/topics/%00",
    ],
)
def test_nothing_outside_the_output_folder_is_served(project, path):
    (project.root / "secret.txt").write_text("TOP SECRET\n")
    with running(project) as server:
        (server.out / "leak.txt").symlink_to(project.root / "secret.txt")
        (server.out / "leak-folder").symlink_to(project.root, target_is_directory=True)
        response, body = fetch(server, path)
    assert response.status in (403, 404)
    assert b"TOP SECRET" not in body


def test_only_get_and_head_are_answered(project):
    with running(project) as server:
        for method in ("POST", "PUT", "DELETE"):
            response, _ = fetch(server, "/topics/t/", method, body=b"x=1")
            assert response.status == 405, method
            assert response.getheader("Allow") == "GET, HEAD"


def test_a_port_in_use_is_a_clear_usage_error(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = project.run("serve", "--port", str(port))
    assert result.exit_code == 2
    assert f"digest: port {port} is in use; try --port " in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_base_url_serves_the_site_under_its_sub_path(project):
    with running(project, base_url="https://user.github.io/repo/") as server:
        root, _ = fetch(server, "/")
        bare, _ = fetch(server, "/repo")
        topic, page = fetch(server, "/repo/topics/t/")
        outside, _ = fetch(server, "/topics/t/")
        missing, not_found = fetch(server, "/repo/nothing")
    assert server.url.endswith("/repo/")
    assert (root.status, root.getheader("Location")) == (302, "/repo/")
    assert bare.getheader("Location") == "/repo/"
    assert topic.status == 200 and b"Doha talks" in page
    assert outside.status == 404
    assert missing.status == 404 and b'href="/repo/index.html"' in not_found


def test_an_edit_is_shown_under_the_sub_path_too(project):
    with running(project, base_url="https://user.github.io/repo/") as server:
        reloaded_after(server, lambda: project.topic("t", "title: Doha talks, day two\nmatch:\n  any: [talks]\n"))
        topic, page = fetch(server, "/repo/topics/t/")
        missing, not_found = fetch(server, "/repo/nothing")
        outside, _ = fetch(server, "/topics/t/")
    assert topic.status == 200 and b"Doha talks, day two" in page
    assert missing.status == 404 and b'href="/repo/index.html"' in not_found
    assert outside.status == 404


@contextmanager
def serve_process(project, *options: str):
    """`digest serve` in a process of its own, with its URL; killed at the end if it is still running."""
    command = [sys.executable, "-m", "digest", "serve", "--port", "0", "--content", str(project.content), *options]
    process = subprocess.Popen(command, cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        yield process, read_url(process)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


def test_ctrl_c_stops_the_server_cleanly(project):
    with serve_process(project) as (process, url):
        port = int(re.search(r":(\d+)/$", url).group(1))
        with closing(http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)) as connection:
            connection.request("GET", "/")
            assert connection.getresponse().status == 200
        with socket.create_connection(("127.0.0.1", port)):  # a browser's idle connection must not hold up the exit
            asked = time.perf_counter()
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=TIMEOUT) == 0
        print(f"\nCtrl-C to exit: {time.perf_counter() - asked:.2f} s")
        assert b"Traceback" not in process.stderr.read()


def read_url(process: subprocess.Popen) -> str:
    """The URL of the "Serving on" line, waiting at most TIMEOUT for it."""
    deadline = time.monotonic() + TIMEOUT
    printed = b""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if selector.select(timeout=deadline - time.monotonic()):
                chunk = os.read(process.stdout.fileno(), 4096)
                assert chunk, f"serve exited early: {process.stderr.read().decode()}"
                printed += chunk
                found = re.search(r"Serving on (\S+) — Ctrl-C to stop\n", printed.decode())
                if found:
                    return found.group(1)
    raise AssertionError(f"no URL within {TIMEOUT} s; printed {printed!r}")


def test_stopping_ends_every_thread_and_removes_the_temporary_output(project):
    before = set(threading.enumerate())
    server = DevServer(project.content, port=0)
    server.start()
    try:
        tab = EventStream(server)  # left open, like a browser tab: stopping must end it
        idle = socket.create_connection(("127.0.0.1", server.port))
    finally:
        server.stop()
    tab.close()
    idle.close()
    assert set(threading.enumerate()) <= before
    assert not server.out.exists()


def indexed_pages(server: DevServer) -> int:
    _, body = fetch(server, "/pagefind/pagefind-entry.json")
    return sum(language["page_count"] for language in json.loads(body)["languages"].values())


def test_an_edit_reloads_first_and_the_search_index_catches_up(project):
    with running(project) as server:
        before = indexed_pages(server)
        reloaded_after(server, lambda: project.article("b", "Talks moved to Cairo.\n"))
        deadline = time.monotonic() + TIMEOUT
        while indexed_pages(server) != before + 1:
            assert time.monotonic() < deadline, "the search index was not refreshed"
            time.sleep(0.1)


def reloaded_after(server: DevServer, edit) -> None:
    """Make an edit, and wait until serve tells open pages to reload."""
    stream = EventStream(server)
    try:
        edit()
        assert stream.next_event() == ("reload", "")
    finally:
        stream.close()


def wait_until_written(server: DevServer) -> None:
    """Serve writes a previewed edit once edits pause; then files come from disk again."""
    deadline = time.monotonic() + TIMEOUT
    while server.state.preview is not None:
        assert time.monotonic() < deadline, "the edit was not written"
        time.sleep(0.05)


def test_an_edit_is_shown_at_the_reload_and_the_same_page_is_written_once_edits_pause(project):
    with running(project) as server:
        reloaded_after(server, lambda: project.article("a", "Talks resumed in Doha, and then in Cairo.\n"))
        _, shown = fetch(server, "/articles/a/")
        wait_until_written(server)
        _, served = fetch(server, "/articles/a/")
        on_disk = (server.out / "articles/a/index.html").read_bytes()
    assert b"then in Cairo" in shown
    assert shown == served
    assert b"then in Cairo" in on_disk and EVENTS_PATH.encode() not in on_disk


def test_a_big_topics_outlet_page_shows_an_edit_at_the_reload_as_it_is_then_written(project):
    write_big_topic(project.content)
    old_report = project.content / "articles/report-000.md"  # on Wire One's page, not on the topic page
    with running(project) as server:
        assert fetch(server, "/topics/toll/sources/wire-one/")[0].status == 200
        reloaded_after(server, lambda: old_report.write_text(old_report.read_text().replace("title: Report 0", "title: The very first report"), encoding="utf-8"))
        _, shown = fetch(server, "/topics/toll/sources/wire-one/")
        wait_until_written(server)
        _, served = fetch(server, "/topics/toll/sources/wire-one/")
        on_disk = (server.out / "topics/toll/sources/wire-one/index.html").read_bytes()
    assert b"The very first report, \xc2\xb61</a>" in shown
    assert shown == served and EVENTS_PATH.encode() not in on_disk and b"The very first report" in on_disk


def test_an_article_removed_is_not_found_from_the_reload_on(project):
    project.article("b", "Talks moved to Cairo.\n")
    with running(project) as server:
        assert fetch(server, "/articles/b/")[0].status == 200
        reloaded_after(server, (project.content / "articles/b.md").unlink)
        gone, page = fetch(server, "/articles/b/")
        redirect, _ = fetch(server, "/articles/a")
        search, _ = fetch(server, "/search/")
    assert gone.status == 404 and b"Page not found" in page
    assert (redirect.status, redirect.getheader("Location")) == (301, "/articles/a/")
    assert search.status == 200  # the search page and index are the written site's


def test_a_template_that_fails_on_one_page_says_so_on_that_page_and_in_the_terminal(project, capsys):
    templates = project.root / "themes/default/templates"
    (project.root / "themes").mkdir()  # watched when it is there at the start
    templates.mkdir(parents=True)
    failing = '{% extends "base.html" %}{% block main %}{{ no_such_value }}{% endblock %}\n'
    with running(project) as server:
        reloaded_after(server, lambda: (templates / "article.html").write_text(failing, encoding="utf-8"))
        failed, page = fetch(server, "/articles/a/")
        topic, _ = fetch(server, "/topics/t/")
    assert failed.status == 500
    assert b"no_such_value" in page and b'id="digest-build-error" role="alert" style=' in page
    assert topic.status == 200
    assert "no_such_value" in capsys.readouterr().err


def test_debug_prints_the_seconds_each_stage_of_a_rebuild_took(project, capsys):
    with running(project, debug=True) as server:
        reloaded_after(server, lambda: project.article("a", "Talks resumed in Doha on Monday.\n"))
    assert re.search(r"stages: inputs [0-9.]+ s, load [0-9.]+ s, analyse [0-9.]+ s", capsys.readouterr().err)


def test_edits_during_a_write_are_shown_and_the_last_one_is_written(project):
    with running(project) as server:
        for n in range(4):  # about as far apart as the write waits for: some land while it runs
            reloaded_after(server, lambda: project.article("a", f"Talks resumed in Doha, round {n}.\n"))
            _, shown = fetch(server, "/articles/a/")
            assert f"round {n}".encode() in shown
            time.sleep(0.25)
        wait_until_written(server)
        on_disk = (server.out / "articles/a/index.html").read_bytes()
    assert b"round 3" in on_disk


def test_serve_listens_on_ipv6_loopback(project):
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    with serve_process(project, "--host", "::1") as (process, url):
        assert url.startswith("http://[::1]:")
        port = int(re.search(r":(\d+)/$", url).group(1))
        with closing(http.client.HTTPConnection("::1", port, timeout=TIMEOUT)) as connection:
            connection.request("GET", "/")
            assert connection.getresponse().status == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=TIMEOUT) == 0
        assert b"internal error" not in process.stderr.read()


def test_idle_connections_are_bounded_and_the_preview_still_answers(project):
    from digest.serve import MAX_CONNECTIONS

    with running(project) as server:
        before = threading.active_count()
        idle = [socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT) for _ in range(MAX_CONNECTIONS + 40)]
        try:
            time.sleep(0.5)
            assert threading.active_count() <= before + MAX_CONNECTIONS
        finally:
            for connection in idle:
                connection.close()
        deadline = time.monotonic() + TIMEOUT
        while threading.active_count() > before + 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        response, _ = fetch(server, "/")
        assert response.status == 200
