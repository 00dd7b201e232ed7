"""digest: a static-site generator for per-topic news digests that show where sources disagree."""

from pathlib import Path

__version__ = "0.1.0"


def builtin_theme() -> Path:
    """The shipped theme: inside the installed package (wheel), or at the repository root in a checkout."""
    packaged = Path(__file__).parent / "themes" / "default"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "themes" / "default"
