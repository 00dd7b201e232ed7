"""Shared helpers: real projects in temporary folders, the real CLI."""

from __future__ import annotations

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
