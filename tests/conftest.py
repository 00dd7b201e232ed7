"""Shared helpers: real projects in temporary folders, the real CLI."""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner


REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"


class Project:
    """A digest project on disk, written the way a curator would."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        (self.content / "articles").mkdir(parents=True)
        (self.content / "topics").mkdir()
        self.site = root / "site"

    def write(self, relative: str, text: str) -> Path:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def article(self, slug: str, body: str, title: str = "A title", source: str = "Wire", url: str | None = None, published: str = "2024-12-20") -> Path:
        url = url or f"https://example.org/{slug}"
        front = f"---\ntitle: {title}\nsource: {source}\nurl: {url}\npublished: {published}\n---\n"
        path = self.content / "articles" / f"{slug}.md"
        path.write_text(front + textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
        return path

    def topic(self, slug: str, text: str) -> Path:
        return self.write(f"topics/{slug}.yaml", text)

    def run(self, *args: str):
        """Run the real CLI in the project folder; returns click's Result (exit_code, stdout, stderr)."""
        from digest.cli import main

        runner = CliRunner()
        cwd = os.getcwd()
        os.chdir(self.root)
        try:
            return runner.invoke(main, list(args), catch_exceptions=False)
        finally:
            os.chdir(cwd)

    def page(self, relative: str) -> str:
        return (self.site / relative).read_text(encoding="utf-8")


BIG_OUTLETS = ("Wire One", "Daily Two", "Herald Three")


def write_big_topic(content: Path, articles: int = 100, paragraphs: int = 4, outlets: tuple[str, ...] = BIG_OUTLETS) -> None:
    """A long story in `content`: `articles` reports, one a day from 1 January 2025, by turns of `outlets`, each of
    `paragraphs` paragraphs with a death toll, and the topic `toll` that matches every one (100 x 4 = 400 passages)."""
    (content / "articles").mkdir(parents=True, exist_ok=True)
    (content / "topics").mkdir(exist_ok=True)
    if not (content / "site.yaml").exists():
        (content / "site.yaml").write_text("title: Long story\n", encoding="utf-8")
    for i in range(articles):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=i)
        body = "\n\n".join(f"Paragraph {n} of report {i}: at least {1000 + 10 * i + n:,} people have been killed, officials said." for n in range(1, paragraphs + 1))
        front = f"---\ntitle: Report {i}\nsource: {outlets[i % len(outlets)]}\nurl: https://example.org/report-{i}\npublished: {day}\n---\n"
        (content / "articles" / f"report-{i:03d}.md").write_text(front + body + "\n", encoding="utf-8")
    (content / "topics" / "toll.yaml").write_text(
        "title: Death toll\nmatch:\n  any: [killed]\nfigures:\n  - id: killed\n    label: People killed\n    terms: [killed]\n", encoding="utf-8"
    )


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The shipped example, built once for all tests that only read it."""
    from digest.build import build

    out = tmp_path_factory.mktemp("example") / "site"
    build(REPO / "content", out)
    return out
