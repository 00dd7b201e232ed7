"""Stage 4, write: put the rendered files in place atomically.

The new site is written into a temporary folder beside the output and swapped
in with renames, so a failed or killed build never damages the last good site.
Files whose bytes did not change are hard-linked from the old site, so they
keep their modification time (and cost no write).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import stat
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath


class UnsafePath(ValueError):
    """An output path that would leave the output folder."""


SITE_MARK = ".digest-site"  # in every folder digest builds: the only kind of folder it ever replaces
SITE_MARK_TEXT = b"digest builds this folder and replaces all of it on every build: keep nothing else here.\n"


class OutputRefused(Exception):
    """An output folder digest will not replace (a usage error: exit 2, nothing touched)."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


def check_output(out: Path, content_dir: Path) -> None:
    """Refuse to build into a folder digest did not make, as Sphinx and MkDocs users expect of a build folder.

    A build replaces its whole output folder, so `out` must be new, empty, or
    marked by an earlier build (SITE_MARK; a site of a digest from before the
    mark has its `digest.json` and `.nojekyll`). The project folder, any folder
    above it, its `content/` and `themes/` (or anything inside them) and the
    home folder are refused whatever they hold."""
    target = out.expanduser().resolve()
    content_dir = content_dir.resolve()
    project = content_dir.parent
    home = Path.home().resolve()
    sources = [content_dir, project / "themes"]
    for folder in (project, home):
        if folder.is_relative_to(target):
            raise OutputRefused(f"refusing to build into {out}: it holds {'the project' if folder == project else 'your home folder'} ({folder}), which a build would replace", "pass --out a folder of its own, such as site/")
    for folder in sources:
        if target.is_relative_to(folder):
            raise OutputRefused(f"refusing to build into {out}: it is inside {folder.name}/, which holds the site's sources", "pass --out a folder of its own, such as site/")
    if target.exists() and not target.is_dir():
        raise OutputRefused(f"refusing to build into {out}: it is a file, not a folder", "pass --out a folder of its own, such as site/")
    if target.is_dir() and any(target.iterdir()) and not _made_by_digest(target):
        raise OutputRefused(
            f"refusing to build into {out}: it is not empty and digest did not make it (no {SITE_MARK} file), so a build would delete what it holds",
            "pass --out a new or empty folder, or move its files away first",
        )


def _made_by_digest(folder: Path) -> bool:
    return (folder / SITE_MARK).is_file() or ((folder / "digest.json").is_file() and (folder / ".nojekyll").is_file())


@dataclass
class WriteReport:
    written: int
    unchanged: int
    manifest: dict[str, tuple] = field(default_factory=dict)  # what is on disk now: see `snapshot`


def contained(root: Path, relative: str) -> Path:
    """`root / relative`, refusing anything that would land outside `root`."""
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts or "\\" in relative or "\x00" in relative:
        raise UnsafePath(f"refusing to write {relative!r} outside the output folder")
    return root.joinpath(*parts)


def _check_relative(relative: str) -> None:
    """What `contained` refuses, checked on the string."""
    if not relative or relative.startswith("/") or "\\" in relative or "\x00" in relative or ".." in relative.split("/"):
        raise UnsafePath(f"refusing to write {relative!r} outside the output folder")


@contextmanager
def output_locked(out: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the lock of `out`'s parent folder (as git holds index.lock) while a build stages and swaps its site,
    so a second build of the same output never deletes the first one's staging folder: it waits, after
    calling `waiting` (to say so). An flock on the folder itself: nothing is left behind, and a killed
    build's lock goes with its process."""
    parent = out.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting()
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # a file system without locks (some network mounts): build as before, unlocked
            pass
        yield
    finally:
        os.close(fd)  # releases the lock


def recover(out: Path) -> None:
    """Undo what a killed build left: restore a site caught mid-swap, drop half-written folders."""
    for leftover in sorted(out.parent.glob(f".{out.name}.old-*")):
        if not out.exists():
            leftover.rename(out)
        else:
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in out.parent.glob(f".{out.name}.tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def write_site(
    files: dict[str, bytes],
    out: Path,
    finalize: Callable[[Path, set[str]], None] | None = None,
    *,
    keep: Iterable[str] = (),
    produce: Callable[[list[str]], dict[str, bytes]] | None = None,
) -> WriteReport:
    """Write `files` as the new `out`; `finalize(staging, written)` may add to the staged site (a search index) before the swap.

    `keep` names files whose bytes the caller knows are unchanged in the current `out`:
    they are hard-linked without being read. Should one have gone missing meanwhile,
    `produce(paths)` supplies its bytes.
    """
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    files = {**files, SITE_MARK: SITE_MARK_TEXT}
    if out.exists() and not out.is_dir():
        raise UnsafePath(f"{out} exists and is not a folder")
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    written: set[str] = set()
    unchanged = 0
    try:
        lost = []
        old_root, new_root, folders = str(out), str(staging), {str(staging)}

        def staged(relative: str) -> str:
            """Where `relative` goes in the staging folder, its folder made: plain strings (Path objects for 10,000 pages cost ~1 s)."""
            _check_relative(relative)
            target = f"{new_root}/{relative}"
            folder = target.rpartition("/")[0]
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            return target

        for relative in keep:  # the bulk of an incremental build: one link each
            target = staged(relative)
            try:
                os.link(f"{old_root}/{relative}", target)
                unchanged += 1
            except OSError:
                lost.append(relative)
        if lost:
            if produce is None:
                raise FileNotFoundError(f"{lost[0]} vanished from {out} during the build")
            files = {**files, **produce(lost)}
        for relative, data in files.items():
            target = staged(relative)
            previous = f"{old_root}/{relative}"
            if same_bytes(previous, data):
                try:
                    os.link(previous, target)
                except OSError:
                    shutil.copy2(previous, target)
                unchanged += 1
            else:
                with open(target, "wb") as f:
                    f.write(data)
                written.add(relative)
        if finalize is not None:
            finalize(staging, written)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteReport(len(written), unchanged, snapshot(out))


def update_in_place(
    files: dict[str, bytes],
    out: Path,
    obsolete: Iterable[str],
    finalize: Callable[[Path, set[str]], Iterable[str]] | None = None,
    *,
    manifest: dict[str, tuple],
    unchanged: int = 0,
) -> WriteReport:
    """Bring an intact `out` up to date file by file: the small-edit path, where restaging every file would cost more than the edit.

    Each changed file is written beside itself and renamed over the old one, so
    no reader ever sees half a file; `obsolete` files are removed (with folders
    left empty). Files not named are left as they are and count as `unchanged`.
    `finalize(out, written)` returns the paths it changed, so that the new
    manifest is the old one with only those paths (and their folders) looked at.
    A build killed here leaves whole files, old and new: the next build finds
    the site differs from its record and rewrites it.
    """
    out = out.absolute()
    files = {**files, SITE_MARK: SITE_MARK_TEXT}  # a site built before digest marked its folders gets its mark
    written: set[str] = set()
    for relative, data in files.items():
        target = contained(out, relative)
        if same_bytes(target, data):
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.digest-new")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        written.add(relative)
    obsolete = list(obsolete)
    for relative in obsolete:
        target = contained(out, relative)
        target.unlink(missing_ok=True)
        for folder in target.parents:
            if folder == out or any(folder.iterdir()):
                break
            folder.rmdir()
    touched = set(finalize(out, written)) if finalize is not None else set()
    return WriteReport(len(written), unchanged, refresh(out, manifest, written | set(obsolete) | touched))


def refresh(out: Path, manifest: dict[str, tuple], changed: set[str]) -> dict[str, tuple]:
    """`snapshot(out)`, worked out from an earlier one: only the `changed` paths (files, or whole folders) and the folders above them are looked at."""
    root = str(out)
    under = tuple(path + "/" for path in changed)  # a folder's own entry is "path/", as in `snapshot`
    found = {path: entry for path, entry in manifest.items() if path not in changed and not path.startswith(under)}
    folders = set()
    for path in changed:
        full = f"{root}/{path}"
        if os.path.isdir(full) and not os.path.islink(full):
            found.update({f"{path}/" if sub == "." else f"{path}/{sub}": entry for sub, entry in snapshot(Path(full)).items()})
        elif os.path.lexists(full):
            st = os.lstat(full)
            found[path] = ("f" if stat.S_ISREG(st.st_mode) else "o", st.st_size, st.st_mtime_ns, st.st_ino)
        while "/" in path:
            path = path.rpartition("/")[0]
            folders.add(path + "/")
    for folder in folders | {"."}:
        try:
            st = os.lstat(root if folder == "." else f"{root}/{folder}")
        except FileNotFoundError:
            found.pop(folder, None)
        else:
            found[folder] = ("d", 0, st.st_mtime_ns, st.st_ino)
    return found


def snapshot(out: Path) -> dict[str, tuple]:
    """Every file and folder under `out`: relative path → (kind, size, mtime_ns, inode).

    Compared with `intact`, it tells whether the site is still exactly as a
    build left it (a file edited, added or removed changes a file's or its
    folder's entry), without reading any file.
    """
    found: dict[str, tuple] = {}
    root = str(out)
    for folder, dirs, names in os.walk(root):
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        st = os.lstat(folder)
        found[prefix or "."] = ("d", 0, st.st_mtime_ns, st.st_ino)
        for name in names:
            st = os.lstat(os.path.join(folder, name))
            found[prefix + name] = ("f" if stat.S_ISREG(st.st_mode) else "o", st.st_size, st.st_mtime_ns, st.st_ino)
    return found


Packed = tuple  # (paths, kinds, numbers): a manifest as `pack_manifest` stores it


def pack_manifest(manifest: dict[str, tuple]) -> Packed:
    """A manifest in three flat parts (paths, one kind letter each, an array of size/mtime/inode):
    about four times quicker to unpickle than 30,000 small tuples, which a no-op build must do."""
    numbers = array("q")
    for _, size, mtime, inode in manifest.values():
        numbers.extend((size, mtime, inode))
    return tuple(manifest), "".join(entry[0] for entry in manifest.values()), numbers


def unpack_manifest(packed: Packed) -> dict[str, tuple]:
    paths, kinds, numbers = packed
    return {path: (kind, numbers[3 * i], numbers[3 * i + 1], numbers[3 * i + 2]) for i, (path, kind) in enumerate(zip(paths, kinds))}


def valid_packed(packed) -> bool:
    return (
        type(packed) is tuple
        and len(packed) == 3
        and type(packed[0]) is tuple
        and type(packed[1]) is str
        and isinstance(packed[2], array)
        and packed[2].typecode == "q"
        and len(packed[0]) == len(packed[1])
        and len(packed[2]) == 3 * len(packed[0])
        and set(packed[1]) <= {"d", "f", "o"}
    )


def intact(out: Path, manifest: Packed) -> bool:
    """True when every file and folder of a packed `manifest` is still as recorded (see `snapshot`)."""
    paths, kinds, numbers = manifest
    if not paths:
        return False
    root = str(out.absolute())
    lstat, is_dir, is_reg = os.lstat, stat.S_ISDIR, stat.S_ISREG
    values = iter(numbers)
    try:
        for relative, kind, size, mtime, inode in zip(paths, kinds, values, values, values):
            st = lstat(root if relative == "." else f"{root}/{relative}")
            if st.st_mtime_ns != mtime or st.st_ino != inode:
                return False
            if kind == "f" and (st.st_size != size or not is_reg(st.st_mode)) or kind == "d" and not is_dir(st.st_mode):
                return False
    except OSError:
        return False
    return True


def unchanged_files(out: Path, manifest: dict[str, tuple], paths: Iterable[str]) -> set[str]:
    """Those of `paths` that are regular files still exactly as `manifest` recorded them."""
    root = out.absolute()
    found = set()
    for relative in paths:
        entry = manifest.get(relative)
        if entry is None or entry[0] != "f":
            continue
        try:
            st = os.lstat(root / relative)
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode) and (st.st_size, st.st_mtime_ns, st.st_ino) == entry[1:]:
            found.add(relative)
    return found


def same_bytes(path: Path | str, data: bytes) -> bool:
    """True when `path` is a regular file (not a link) holding exactly `data`."""
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
            return False
        with open(path, "rb") as f:
            return f.read() == data
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
