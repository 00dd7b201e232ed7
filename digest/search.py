"""Full-text search that needs no server: a Pagefind index inside the site.

After the pages are staged (and before they go live), Pagefind's binary reads
them and writes its index to `site/pagefind/`; the browser then searches by
fetching small pieces of that index, so search works on GitHub Pages. Only the
regions marked `data-pagefind-body` are indexed: the main content of topic and
article pages, never the navigation.

We run the binary once over the staged folder rather than Pagefind's Python API:
the API is an async service fed page by page, while the pages are already on
disk and one synchronous command is simpler to run and to report on.

Search is an extra: when Pagefind is missing or fails, the build warns and the
site goes out without an index, its search page saying search is unavailable.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from .errors import Diagnostic
from .model import Digest, Position
from .render import SiteRenderer

INDEX_FOLDER = "pagefind"
SEARCH_PAGE = "search/index.html"
INDEXED_PAGES = "{topics,articles}/**/*.html"  # the only pages with data-pagefind-body: skip reading the rest
PAGEFIND_TIMEOUT_SECONDS = 300


def search_finalizer(digest: Digest, warnings: list[Diagnostic]) -> Callable[[Path], None]:
    """The write stage's `finalize` step: index the staged site and add its search page; a failure only warns."""

    def finalize(staging: Path) -> None:
        problem = build_index(staging)
        if problem:
            warnings.append(Diagnostic(Position(Path("pagefind")), f"search index not built: {problem}", "the site was built without search", "warning", "no-search"))
        page = staging / SEARCH_PAGE
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(render_search_page(digest, available=problem is None), encoding="utf-8")

    return finalize


def build_index(site: Path) -> str | None:
    """Run Pagefind over `site`; returns why there is no index, or None once `site/pagefind/` is written."""
    executable = pagefind_executable()
    if executable is None:
        return "pagefind is not installed (pip install 'pagefind[bin]')"
    command = [executable, "--site", str(site), "--output-subdir", INDEX_FOLDER, "--glob", INDEXED_PAGES, "--keep-index-url", "--silent"]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=PAGEFIND_TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as exc:
        problem = f"cannot run {executable}: {exc}"
    else:
        said = (run.stderr or run.stdout).strip().splitlines()
        problem = f"pagefind failed (exit {run.returncode}){': ' + said[-1] if said else ''}" if run.returncode else None
        if problem is None and not (site / INDEX_FOLDER / "pagefind-ui.js").is_file():
            problem = "pagefind wrote no search bundle"
    if problem:
        shutil.rmtree(site / INDEX_FOLDER, ignore_errors=True)  # a half-written index would only break the search page
    return problem


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


def render_search_page(digest: Digest, available: bool) -> str:
    """The search page in the site's theme: Pagefind's UI when there is an index, an explanation otherwise."""
    return SiteRenderer(digest).page("search.html", SEARCH_PAGE, {"title": "Search", "available": available})
