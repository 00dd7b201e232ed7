"""Real-browser tests: Debian's headless Chromium, driven by Playwright, against `digest serve` under /repo/.

The example project is copied to a temporary folder and served the way a GitHub
Pages project site is (`--base-url https://user.github.io/repo/`), so every
relative link is exercised under a sub-path. The browser is never downloaded:
Playwright drives /usr/bin/chromium. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest

from conftest import REPO

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # the `test` extra is not installed
    sync_playwright = None

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BASE_URL = "https://user.github.io/repo/"
ARTIFACTS = REPO / "tests" / "artifacts"
PHONE = {"width": 390, "height": 844}
WAIT_MS = 15_000

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"{CHROMIUM} is missing: apt-get install chromium (bash scripts/test does)"),
    pytest.mark.skipif(sync_playwright is None, reason="playwright is missing: pip install -e '.[test]' (bash scripts/test does)"),
]

# Every element that makes the browser fetch or navigate somewhere, as absolute URLs.
LINKS_JS = "() => [...document.querySelectorAll('a[href], link[href], script[src], img[src], form[action]')].map(e => e.href || e.src || e.action)"
IDS_JS = "() => [...document.querySelectorAll('[id]')].map(e => e.id)"
# Elements that stick out past the right edge: what to fix when a page scrolls sideways.
OVERFLOW_JS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
  .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')"""


class Server:
    """`digest serve` in a subprocess: its URL and the project folder it watches."""

    def __init__(self, project: Path, url: str):
        self.project, self.url = project, url
        self.origin = url[: url.index("/", len("http://"))]

    def path(self, page: str) -> str:
        return self.url + page


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Server:
    project = tmp_path_factory.mktemp("browser")
    shutil.copytree(REPO / "content", project / "content")
    log = project / "serve.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "digest", "serve", "--base-url", BASE_URL, "--port", "0"],
            cwd=project, stdout=output, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        deadline = time.monotonic() + 30
        while not (found := re.search(r"Serving on (http://127\.0\.0\.1:\d+/repo/)", log.read_text())):
            assert process.poll() is None and time.monotonic() < deadline, f"digest serve did not start:\n{log.read_text()}"
            time.sleep(0.05)
        yield Server(project, found.group(1))
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl-C: serve stops cleanly and removes its temporary site
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    context = browser.new_context()
    yield context
    context.close()


def collect_errors(page) -> list[str]:
    """Console errors and uncaught exceptions on `page` from now on.

    The browser's own probe for /favicon.ico at the host root is left out: under
    a sub-path that address belongs to another site (on GitHub Pages, the user's).
    """
    errors: list[str] = []

    def on_console(message) -> None:
        if message.type == "error" and urlsplit(message.location.get("url", "")).path != "/favicon.ico":
            errors.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    return errors


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def rare_word(page, server: Server) -> tuple[str, str]:
    """A word only one article page shows, and that article's slug: what a reader would search for."""
    slugs = [article["slug"] for article in page.request.get(server.path("digest.json")).json()["articles"]]
    words = {}
    for slug in slugs:
        page.goto(server.path(f"articles/{slug}/index.html"))
        words[slug] = set(re.findall(r"[a-z]{7,}", page.locator("main").inner_text().lower()))
    for slug, own in words.items():
        others = set().union(*(used for other, used in words.items() if other != slug))
        if unique := sorted(own - others):
            return unique[0], slug
    raise AssertionError("every word of the example articles is used by two of them")


def test_click_from_index_to_topic_to_article_and_back(context, server: Server):
    page = context.new_page()
    errors = collect_errors(page)
    page.goto(server.url)
    screenshot(page, "index.png")

    topic_link = page.locator("main .card a").first
    topic_title = topic_link.inner_text()
    topic_link.click()
    expect(page).to_have_url(re.compile(r"/repo/topics/[^/]+/index\.html$"))
    expect(page.locator("h1")).to_have_text(topic_title)
    topic_url = page.url
    screenshot(page, "topic.png")

    passage_link = page.locator(".source-group .refs a[href*='articles/']").first
    article_title = passage_link.inner_text().rpartition(", ¶")[0]
    passage_link.click()
    expect(page).to_have_url(re.compile(r"/repo/articles/[^/]+/index\.html#p\d+$"))
    expect(page.locator("h1")).to_have_text(article_title)

    page.locator("main .topics").get_by_role("link", name=topic_title, exact=True).click()  # the article's "In: <topic>"
    expect(page).to_have_url(topic_url)
    page.locator(".site-title").click()
    expect(page).to_have_url(server.path("index.html"))
    page.go_back()  # and the browser's Back button retraces the clicks
    expect(page).to_have_url(topic_url)
    assert errors == []


def test_every_link_answers_200_and_no_page_logs_a_console_error(context, server: Server):
    page = context.new_page()
    errors = collect_errors(page)
    pending, visited, status = [server.url], {}, {}
    anchored: list[tuple[str, str, str]] = []  # (page, target, fragment)
    while pending:
        url = pending.pop()
        if url.removesuffix("index.html") in visited:
            continue
        assert page.goto(url).status == 200, url
        visited[url.removesuffix("index.html")] = set(page.evaluate(IDS_JS))
        for link in page.evaluate(LINKS_JS):
            target, fragment = urldefrag(link)
            if not target.startswith(server.origin + "/"):
                continue  # other sites (the original articles): the tests run offline
            if fragment:
                anchored.append((url, target, fragment))
            if target not in status:
                reply = context.request.get(target)
                status[target] = reply.status
                if reply.ok and reply.headers["content-type"].startswith("text/html"):
                    pending.append(target)

    assert {url: code for url, code in status.items() if code != 200} == {}
    assert {"topics", "articles", "sources", "disagreements", "search"} <= {urlsplit(u).path.split("/")[2] for u in visited if u != server.url}
    missing = [f"{source} -> {target}#{fragment}" for source, target, fragment in anchored if fragment not in visited[target.removesuffix("index.html")]]
    assert missing == []
    assert errors == []


def test_search_box_finds_a_word_from_an_article(context, server: Server):
    page = context.new_page()
    errors = collect_errors(page)
    word, slug = rare_word(page, server)
    page.goto(server.url)

    page.get_by_role("search").get_by_role("searchbox").fill(word)
    page.keyboard.press("Enter")

    result = page.locator(f".pagefind-ui__result-link[href$='/repo/articles/{slug}/index.html']")
    expect(result).to_be_visible(timeout=WAIT_MS)
    expect(page.locator(".pagefind-ui__search-input")).to_have_value(word)
    result.click()
    expect(page).to_have_url(server.path(f"articles/{slug}/index.html"))
    assert word in page.locator("main").inner_text().lower()
    assert errors == []


def test_nothing_scrolls_sideways_on_a_phone(browser, server: Server):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server.url)
    topic = page.locator("main .card a").first.get_attribute("href")
    article = page.locator("main .articles a").first.get_attribute("href")
    for name, url in [("index", server.url), ("topic", server.path(topic)), ("article", server.path(article)), ("search", server.path("search/index.html?q=doha"))]:
        page.goto(url)
        if name == "search":
            page.locator(".pagefind-ui__result").first.wait_for(timeout=WAIT_MS)
        width, viewport = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
        assert width <= viewport, f"{name} page is {width}px wide at {viewport}px: {page.evaluate(OVERFLOW_JS)}"
        if name in ("index", "topic"):
            screenshot(page, f"{name}-390px.png")
    context.close()


def test_search_from_the_file_system_explains_it_needs_a_server(context, example_site: Path):
    page = context.new_page()
    errors = collect_errors(page)
    page.goto((example_site / "index.html").as_uri())

    page.get_by_role("search").get_by_role("searchbox").fill("Doha")
    page.keyboard.press("Enter")

    expect(page).to_have_url((example_site / "search" / "index.html").as_uri() + "?q=Doha")
    expect(page.locator("#search-needs-http")).to_be_visible()
    assert errors == []


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory):
    """The example built with tiny search shards (as a site of thousands of pages is split) and served
    under /repo/ by a plain static file server, the way GitHub Pages serves it."""
    import digest.search
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    from digest.build import build

    root = tmp_path_factory.mktemp("sharded")
    shutil.copytree(REPO / "content", root / "content")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(digest.search, "SHARD_BYTES", 12_000)
        build(root / "content", root / "www" / "repo", base_url=BASE_URL)
    quiet = type("Quiet", (SimpleHTTPRequestHandler,), {"log_message": lambda *args: None})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), lambda *args: quiet(*args, directory=str(root / "www")))
    Thread(target=httpd.serve_forever, daemon=True).start()
    yield root / "www" / "repo", f"http://127.0.0.1:{httpd.server_address[1]}/repo/"
    httpd.shutdown()
    httpd.server_close()


def test_search_finds_pages_of_every_shard(context, sharded_site):
    site, url = sharded_site
    shards = sorted(entry.parent.relative_to(site).as_posix() for entry in site.rglob("pagefind-entry.json"))
    assert len(shards) > 2
    page = context.new_page()
    errors = collect_errors(page)
    text = lambda page: re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8").split("<main", 1)[1]).lower()  # noqa: E731
    words = {page.parent.name: set(re.findall(r"[a-z]{8,}", text(page))) for page in site.glob("*/*/index.html") if page.parts[-3] in ("articles", "topics")}
    for slug in sorted(p.name for p in (site / "articles").iterdir()):
        rare = words[slug].difference(*(other for name, other in words.items() if name != slug))  # on no other indexed page
        assert rare, slug
        page.goto(url + "search/index.html?q=" + max(sorted(rare), key=len))
        expect(page.locator(f".pagefind-ui__result-link[href$='/repo/articles/{slug}/index.html']")).to_be_visible(timeout=WAIT_MS)
    assert errors == []


def test_topic_edit_reloads_the_open_page(context, server: Server, capsys):
    """Last in the file: it renames a topic of the served project."""
    topic_file = sorted((server.project / "content" / "topics").glob("*.yaml"))[0]
    page = context.new_page()
    errors = collect_errors(page)
    page.goto(server.path(f"topics/{topic_file.stem}/index.html"))
    expect(page.locator("h1")).to_be_visible()
    new_title = f"Renamed topic {time.time_ns()}"
    source = topic_file.read_text(encoding="utf-8")

    edited = time.perf_counter()
    topic_file.write_text(re.sub(r"(?m)^title:.*$", f"title: {new_title}", source, count=1), encoding="utf-8")
    expect(page.locator("h1")).to_have_text(new_title, timeout=WAIT_MS)
    seconds = time.perf_counter() - edited

    with capsys.disabled():
        print(f"\n[digest serve] topic edit to reloaded page: {seconds:.2f} s")
    assert errors == []


@pytest.fixture(scope="module")
def story_site(tmp_path_factory) -> Path:
    """The hand-made story of test_timeline.py (a rising toll with one typo, two counting bodies, a topic of
    many disagreements), rendered to a folder and opened from the file system."""
    from test_timeline import story, write_site

    root = tmp_path_factory.mktemp("story")
    return write_site(story().digest(root), root / "site")


VISIBLE_CARDS_JS = "() => [...document.querySelectorAll('article.disagreement')].filter(e => e.offsetParent !== null).map(e => [e.dataset.topic, e.dataset.figure, e.dataset.severity])"


def test_the_disagreements_page_filters_by_topic_figure_and_severity_from_the_file_system(context, story_site: Path):
    page = context.new_page()
    errors = collect_errors(page)
    page.goto((story_site / "disagreements" / "index.html").as_uri())
    filters = page.get_by_role("form", name="Filter disagreements")
    expect(filters).to_be_visible()
    assert len(page.evaluate(VISIBLE_CARDS_JS)) == 12
    expect(page.locator("#filter-count")).to_have_text("12 of 12 shown")

    filters.get_by_label("Topic", exact=True).select_option("detentions")
    shown = page.evaluate(VISIBLE_CARDS_JS)
    assert len(shown) == 9 and {topic for topic, _, _ in shown} == {"detentions"}
    expect(page.locator("section#topic-humanitarian")).to_be_hidden()

    filters.get_by_label("Severity", exact=True).select_option("probable-error")
    assert page.evaluate(VISIBLE_CARDS_JS) == [["detentions", "detentions:detained", "probable-error"]]

    filters.get_by_label("Topic", exact=True).select_option("")
    assert sorted(page.evaluate(VISIBLE_CARDS_JS)) == [["detentions", "detentions:detained", "probable-error"], ["humanitarian", "humanitarian:gaza-killed", "probable-error"]]

    filters.get_by_label("Severity", exact=True).select_option("")
    filters.get_by_label("Figure", exact=True).select_option("humanitarian:gaza-wounded")
    assert page.evaluate(VISIBLE_CARDS_JS) == [["humanitarian", "humanitarian:gaza-wounded", "differs"]]
    expect(page.locator("#filter-count")).to_have_text("1 of 12 shown")
    screenshot(page, "disagreements-filtered.png")
    assert errors == []


def test_a_topic_page_links_to_its_full_list_already_filtered(context, story_site: Path):
    page = context.new_page()
    errors = collect_errors(page)
    page.goto((story_site / "topics" / "detentions" / "index.html").as_uri())
    expect(page.locator("article.disagreement")).to_have_count(5)
    page.get_by_role("link", name="All 9 disagreements of this topic, with filters").click()
    expect(page.get_by_label("Topic", exact=True)).to_have_value("detentions")
    assert len(page.evaluate(VISIBLE_CARDS_JS)) == 9
    assert errors == []


# Each outlet's line and dots, with its computed colour, and the computed colour of the ring of each outlier.
COLOURS_JS = """() => {
  const probe = document.createElement('span');
  probe.style.color = 'var(--error)';
  document.body.append(probe);
  const error = getComputedStyle(probe).color;
  probe.remove();
  const chart = document.querySelector('#timeline-gaza-killed');
  const stroke = (e) => getComputedStyle(e).stroke;
  return {
    error,
    series: [...chart.querySelectorAll('.series')].map(stroke),
    points: [...chart.querySelectorAll('circle.point')].map((e) => getComputedStyle(e).fill),
    rings: [...chart.querySelectorAll('svg.chart circle.outlier')].map(stroke),
  };
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_timeline_draws_no_outlet_in_the_error_colour_and_rings_the_outlier_in_it(browser, story_site: Path, scheme: str):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1000, "height": 900})
    page = context.new_page()
    errors = collect_errors(page)
    page.goto((story_site / "topics" / "humanitarian" / "index.html").as_uri())
    colours = page.evaluate(COLOURS_JS)
    assert len(colours["series"]) == 4 and colours["points"]
    assert colours["error"] not in colours["series"] + colours["points"]
    assert colours["rings"] == [colours["error"]]
    chart = page.locator("#timeline-gaza-killed")
    chart.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    chart.screenshot(path=str(ARTIFACTS / f"timeline-{scheme}.png"))
    assert errors == []
    context.close()
