"""Problems found in content, reported as `PATH:LINE:COL: severity: MESSAGE`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .model import Position


@dataclass(frozen=True)
class Diagnostic:
    position: Position
    message: str
    hint: str = ""
    severity: str = "error"  # "error" or "warning"
    code: str = "content"

    def format(self) -> str:
        text = f"{self.position}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def as_dict(self) -> dict:
        return {
            "path": str(self.position.path),
            "line": self.position.line or 1,
            "col": self.position.col or 1,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


class ContentError(Exception):
    """One or more content problems; the build stops and nothing is published."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.format() for d in diagnostics))


def error(path: Path, line: int, col: int, message: str, hint: str = "", code: str = "content") -> Diagnostic:
    return Diagnostic(Position(path, line, col), message, hint, "error", code)
