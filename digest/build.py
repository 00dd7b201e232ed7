"""The pipeline in one place: load → analyse → render → write."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .analyse import analyse
from .errors import Diagnostic
from .load import load_content
from .model import Digest
from .render import SiteRenderer
from .write import write_site


@dataclass
class BuildResult:
    digest: Digest
    warnings: list[Diagnostic]
    pages: int
    written: int
    unchanged: int
    seconds: float

    @property
    def disagreements(self) -> int:
        return sum(len(t.disagreements) for t in self.digest.topics)

    def summary(self, out: Path) -> str:
        return (
            f"built {self.pages} pages into {out} ({self.written} written, {self.unchanged} unchanged), "
            f"{len(self.digest.topics)} topics, {self.disagreements} disagreements, in {self.seconds:.2f} s"
        )


def render_files(content_dir: Path, base_url: str | None = None) -> tuple[Digest, dict[str, bytes], list[Diagnostic]]:
    """Everything a build does but writing: raises ContentError on bad content."""
    content, warnings = load_content(content_dir)
    if base_url is not None:
        content.site.base_url = base_url
    digest, found = analyse(content)
    return digest, SiteRenderer(digest).render(), warnings + found


def build(content_dir: Path, out: Path, base_url: str | None = None) -> BuildResult:
    started = time.perf_counter()
    digest, files, warnings = render_files(content_dir, base_url)
    report = write_site(files, out)
    pages = sum(name.endswith(".html") for name in files)
    return BuildResult(digest, warnings, pages, report.written, report.unchanged, time.perf_counter() - started)
