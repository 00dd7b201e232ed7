"""Stage 4, write: put the rendered files in place atomically.

The new site is written into a temporary folder beside the output and swapped
in with renames, so a failed or killed build never damages the last good site.
Files whose bytes did not change are hard-linked from the old site, so they
keep their modification time (and cost no write).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


class UnsafePath(ValueError):
    """An output path that would leave the output folder."""


@dataclass
class WriteReport:
    written: int
    unchanged: int


def contained(root: Path, relative: str) -> Path:
    """`root / relative`, refusing anything that would land outside `root`."""
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts or "\\" in relative or "\x00" in relative:
        raise UnsafePath(f"refusing to write {relative!r} outside the output folder")
    return root.joinpath(*parts)


def recover(out: Path) -> None:
    """Undo what a killed build left: restore a site caught mid-swap, drop half-written folders."""
    for leftover in sorted(out.parent.glob(f".{out.name}.old-*")):
        if not out.exists():
            leftover.rename(out)
        else:
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in out.parent.glob(f".{out.name}.tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def write_site(files: dict[str, bytes], out: Path, finalize: Callable[[Path], None] | None = None) -> WriteReport:
    """Write `files` as the new `out`; `finalize(staging)` may add to the staged site (a search index) before the swap."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    if out.exists() and not out.is_dir():
        raise UnsafePath(f"{out} exists and is not a folder")
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    written = unchanged = 0
    try:
        for relative, data in files.items():
            target = contained(staging, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            previous = contained(out, relative)
            if _same_bytes(previous, data):
                try:
                    os.link(previous, target)
                except OSError:
                    shutil.copy2(previous, target)
                unchanged += 1
            else:
                target.write_bytes(data)
                written += 1
        if finalize is not None:
            finalize(staging)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteReport(written, unchanged)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and not path.is_symlink() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    old.rmdir()
    out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)
