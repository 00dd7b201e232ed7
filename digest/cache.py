"""The incremental cache (`.digest-cache/` beside the content folder) and parallel work.

Every entry is keyed by a content hash of what produced it (the input's bytes,
the cleaning rules, the topics' rules, the theme's templates...), salted with
the cache format, digest's version and the hash of digest's own code, so an
entry can only be reused where recomputing it would give the same result.
Nothing is trusted blindly: a store whose file is truncated, unreadable, of
another format or version, or not what this module wrote is ignored and
rebuilt, and the build goes on as if there were no cache.

A store is a dict kept in shard files (`NAME.SS.pickle`, SS the first two hex
digits of the key): a build reads the shards it needs and rewrites only those
whose entries changed, dropping entries no build used this time.

The cache is local build state, like `__pycache__`: git-ignored, safe to
delete at any time, and read only from the project's own folder.

A long-lived process (`digest serve`) keeps one `Cache(folder, remember=True)`
for all its builds: what it read or wrote stays in memory, so a rebuild after
an edit does not read and unpickle every article's entries again. Store entries
are keyed by what produced them, so one another process wrote meanwhile can only
be missing from memory, never wrong; a record (the last build's summary) is read
again when its file is not the one this cache last read or wrote.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import importlib.util
import marshal
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__

CACHE_DIR = ".digest-cache"
FORMAT = 3
MAGIC = "digest-cache"
SHARDS = 64
SHARD_NAMES = [f"{n:02x}" for n in range(SHARDS)]
MARKER = "CACHEDIR.TAG"
MARKER_TEXT = "Signature: 8a477f597d28d172789f06886806bc55\n# digest's build cache: safe to delete; git-ignored.\n"


def fingerprint(*parts) -> str:
    """A stable hex hash of plain data (str, bytes, numbers, dates, and tuples/lists/dicts of them)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        if isinstance(part, bytes):
            h.update(b"b%d:" % len(part))
            h.update(part)
        else:
            text = part if isinstance(part, str) else repr(part)
            data = text.encode("utf-8", "surrogatepass")
            h.update(b"s%d:" % len(data))
            h.update(data)
    return h.hexdigest()


def data_fingerprint(*parts) -> str:
    """A fingerprint of plain data (str, numbers, None, bools, and tuples/lists/dicts of them) by value:
    serialised at C speed with marshal's version 2, which never writes references (so equal data
    gives equal bytes whatever objects it shares), then hashed. Anything else is hashed by its repr."""
    try:
        data = marshal.dumps(parts, 2)
    except ValueError:  # not plain data
        return fingerprint("repr", repr(parts))
    return hashlib.sha256(data).hexdigest()[:32]  # SHA-256: hardware-accelerated on most CPUs, several times blake2b's speed here


def _code_hash() -> str:
    """digest's own source and data files: editing digest invalidates everything it cached."""
    h = hashlib.blake2b(digest_size=16)
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".yaml", ".json") and path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(package).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def _library_versions() -> str:
    """Which copy of each library that shapes the output is installed: an upgrade or reinstall
    rewrites its files, so their size and time change (cheaper than reading package metadata)."""
    found = []
    for module in ("markdown_it", "jinja2", "markupsafe", "yaml", "slugify"):
        spec = importlib.util.find_spec(module)
        try:
            st = os.stat(spec.origin)
            found.append(f"{module}={spec.origin}:{st.st_size}:{st.st_mtime_ns}")
        except (AttributeError, TypeError, OSError):
            found.append(f"{module}=?")
    return ",".join(found)


_SALT: str | None = None


def salt() -> str:
    """What every key is salted with: cache format, digest version and code, Python and library versions."""
    global _SALT
    if _SALT is None:
        _SALT = fingerprint(FORMAT, __version__, _code_hash(), sys.version_info[:3], _library_versions())
    return _SALT


class Store:
    """One named dict of the cache, sharded by key. A disabled store (no folder) only remembers this build."""

    def __init__(self, folder: Path | None, name: str, notes: list[str], remembered: bool = False, shards: int = SHARDS):
        self.folder, self.name, self.notes = folder, name, notes
        self._names = SHARD_NAMES[: max(1, min(shards, SHARDS))]  # a small store in fewer files
        self._count = len(self._names)
        self.remembered = remembered  # one store for many builds: what it read stays in memory for the next one
        self._shards: dict[str, dict] = {}
        self._loaded: set[str] = set()
        self._used: dict[str, set] = {}
        self._dirty: set[str] = set()
        self._touched: set[str] = set()  # the shards this build read or wrote: only those are pruned and saved
        self._checked: set[str] = set()  # keys whose entries passed `valid` (or were put): a remembered store checks each once

    def _shard_of(self, key: str) -> str:
        return self._names[int(key[:4], 16) % self._count]

    def _path(self, shard: str) -> Path:
        return self.folder / f"{self.name}.{shard}.pickle"

    def _shard(self, shard: str) -> dict:
        self._touched.add(shard)
        if shard not in self._loaded:
            self._loaded.add(shard)
            self._shards[shard] = self._read(shard) if self.folder is not None else {}
            self._used[shard] = set()
        return self._shards[shard]

    def _read(self, shard: str) -> dict:
        path = self._path(shard)
        try:
            with open(path, "rb") as f:
                data = _load_checked(f)
        except FileNotFoundError:
            return {}
        except Exception as exc:  # noqa: BLE001 - a damaged cache is never fatal: truncated, foreign, old classes...
            self.notes.append(f"ignored damaged cache file {path.name} ({type(exc).__name__})")
            self._dirty.add(shard)
            return {}
        if not (isinstance(data, dict) and data.get("magic") == MAGIC and data.get("salt") == salt() and data.get("store") == self.name and isinstance(data.get("entries"), dict)):
            self._dirty.add(shard)  # another version's or not ours: replaced on save
            return {}
        return data["entries"]

    def get(self, key: str, valid: Callable[[object], bool] | None = None):
        """The entry of `key`, or None; one that `valid` rejects (not what this build would store) is dropped."""
        shard = self._names[int(key[:4], 16) % self._count]
        entries = self._shards[shard] if shard in self._touched else self._shard(shard)  # inlined: a build asks ~30,000 times
        entry = entries.get(key)
        if entry is None:
            return None
        if key in self._checked:
            self._used[shard].add(key)
            return entry[1]
        try:
            stored_key, value = entry  # each entry carries its key: a value moved or mangled does not pass
            ok = stored_key == key and (valid is None or bool(valid(value)))
        except Exception:  # noqa: BLE001 - a malformed entry is a miss
            ok = False
        if ok and self.remembered:
            self._checked.add(key)
        if not ok:
            del entries[key]
            self._dirty.add(shard)
            self.notes.append(f"ignored a malformed entry of cache {self.name}")
            return None
        self._used[shard].add(key)
        return value

    def put(self, key: str, value) -> None:
        shard = self._shard_of(key)
        entries = self._shard(shard)
        entries[key] = (key, value)
        self._used[shard].add(key)
        self._dirty.add(shard)
        self._checked.discard(key)

    def __contains__(self, key: str) -> bool:
        return key in self._shard(self._shard_of(key))

    def save(self, prune: bool = True) -> None:
        """Write back the shards that changed; with `prune`, drop entries this build did not use
        (in memory too: a remembered store without a folder is serve's only cache, and must not grow)."""
        if self.folder is None and not self.remembered:
            return
        for shard in sorted(self._touched | self._dirty):
            entries = self._shards[shard]
            used = self._used[shard]
            if prune and len(used) != len(entries):
                for key in [k for k in entries if k not in used]:
                    del entries[key]
                    self._checked.discard(key)
                self._dirty.add(shard)
            if shard in self._dirty and self.folder is not None:
                _atomic_pickle(self._path(shard), {"magic": MAGIC, "salt": salt(), "store": self.name, "entries": entries})
            if self.remembered:
                used.clear()  # the next build marks again what it uses
        self._dirty.clear()
        self._touched.clear()


class Memo:
    """Objects made from cached entries (not stored on disk): a remembered cache hands them to the next
    build, so an unchanged article's passages are not made again; what a build did not use is dropped."""

    def __init__(self):
        self.entries: dict[str, object] = {}
        self.used: set[str] = set()

    def get(self, key: str):
        found = self.entries.get(key)
        if found is not None:
            self.used.add(key)
        return found

    def put(self, key: str, value) -> None:
        self.entries[key] = value
        self.used.add(key)

    def prune(self) -> None:
        self.entries = {key: self.entries[key] for key in self.used}
        self.used = set()


CHECKED = b"digest-cache checksum 1\n"  # what a cache file starts with: this line, the SHA-256 of the rest, the pickle


def _atomic_pickle(path: Path, data) -> None:
    payload = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(CHECKED + hashlib.sha256(payload).digest())
            f.write(payload)  # not joined to the header: a copy of the biggest shard (tens of MB) less at the peak
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class Cache:
    """The stores of one project's `.digest-cache/`; `Cache(None)` keeps nothing between builds.
    With `remember`, one Cache serves many builds and keeps what it read in memory (see above)."""

    def __init__(self, folder: Path | None, remember: bool = False):
        self.notes: list[str] = []  # what was found damaged and rebuilt (for --debug-ish reporting)
        self.folder = self._prepare(folder) if folder is not None else None
        self.remember = remember
        self._stores: dict[str, Store] = {}
        self._records: dict[str, tuple[tuple, object]] = {}  # name → (the file's stat when read or written, its value)
        self._memos: dict[str, Memo] = {}

    @classmethod
    def beside(cls, content_dir: Path, remember: bool = False) -> Cache:
        return cls(content_dir.absolute().parent / CACHE_DIR, remember)

    def _prepare(self, folder: Path) -> Path | None:
        try:
            if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
                self.notes.append(f"{folder} is not a folder: building without a cache")
                return None
            folder.mkdir(exist_ok=True)
            for name, text in ((MARKER, MARKER_TEXT), (".gitignore", "# digest's build cache: never committed\n*\n")):
                if not (folder / name).exists():  # git ignores the cache even where .gitignore does not say so
                    (folder / name).write_text(text, encoding="utf-8")
            for stale in folder.glob(".*.tmp"):  # left by a build killed while saving
                stale.unlink(missing_ok=True)
        except OSError as exc:
            self.notes.append(f"cannot use {folder} ({exc.strerror or exc}): building without a cache")
            return None
        return folder

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def store(self, name: str, shards: int = SHARDS) -> Store:
        """The store `name`, its entries spread over `shards` files (a store is always asked for with the same number)."""
        if name not in self._stores:
            self._stores[name] = Store(self.folder, name, self.notes, self.remember, shards)
        return self._stores[name]

    def memo(self, name: str) -> Memo:
        """The in-memory memo `name`: it outlives the build only in a remembered cache."""
        if name not in self._memos:
            self._memos[name] = Memo()
        return self._memos[name]

    def save(self) -> None:
        """Write every changed store; a cache that cannot be written only costs speed next time."""
        for memo in self._memos.values():
            memo.prune()
        for store in self._stores.values():
            try:
                store.save()
            except OSError as exc:
                self.notes.append(f"cannot write cache {store.name}: {exc.strerror or exc}")

    # -------------------------------------------------------- small records

    def read_record(self, name: str):
        """A small pickled record (e.g. the last build's manifest), or None when missing or damaged."""
        if self.folder is None:
            return None
        path = self.folder / f"{name}.pickle"
        remembered = self._records.get(name)
        if remembered is not None and remembered[0] == _stamp(path):
            return remembered[1]
        try:
            with open(path, "rb") as f:
                stamp = _stamp(f.fileno())
                data = _load_checked(f)
        except FileNotFoundError:
            return None
        except Exception as exc:  # noqa: BLE001
            self.notes.append(f"ignored damaged cache file {path.name} ({type(exc).__name__})")
            return None
        if isinstance(data, dict) and data.get("magic") == MAGIC and data.get("salt") == salt() and data.get("store") == name:
            if self.remember:
                self._records[name] = stamp, data.get("entries")
            return data.get("entries")
        return None

    def write_record(self, name: str, value) -> None:
        if self.folder is None:
            return
        self._records.pop(name, None)
        path = self.folder / f"{name}.pickle"
        try:
            _atomic_pickle(path, {"magic": MAGIC, "salt": salt(), "store": name, "entries": value})
            if self.remember:
                self._records[name] = _stamp(path), value
        except OSError as exc:
            self.notes.append(f"cannot write cache {name}: {exc.strerror or exc}")


class DamagedCache(ValueError):
    """A cache file whose bytes are not the ones written: never unpickled, rebuilt instead."""


def _load_checked(f):
    """What `_atomic_pickle` wrote, once its checksum matches: a changed byte that would still unpickle (a wrong
    letter in a cached page fragment) is caught here, and the entries are rebuilt."""
    raw = f.read()
    head = len(CHECKED)
    if raw[:head] != CHECKED or hashlib.sha256(raw[head + 32 :]).digest() != raw[head : head + 32]:
        raise DamagedCache("checksum mismatch")
    return pickle.loads(raw[head + 32 :])


def _stamp(file) -> tuple:
    """Which version of a file this is (inode, size, modification and change times), or () when there is none."""
    try:
        st = os.stat(file)
    except OSError:
        return ()
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


# --------------------------------------------------------------- parallel work

PARALLEL_MIN_ITEMS = 48  # below this many items a process pool costs more than it saves


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


_STATE = None


def _init_worker(state) -> None:
    global _STATE
    _STATE = state


def _run_chunk(task):
    func, items = task
    return [func(_STATE, item) for item in items]


def parallel_map(func: Callable, items: Sequence, state, jobs: int, progress: Callable[[int], None] | None = None, weights: Sequence[int] | None = None) -> list:
    """`[func(state, item) for item in items]`, spread over `jobs` processes when worth it; results in order.

    `func` must be a module-level function. Workers are forked, so `state`
    reaches them without being pickled; where processes cannot be forked the
    work runs here, in order, with the same result.
    `progress(n)` is called in this process as results come back.
    """
    items = list(items)
    import multiprocessing

    forking = "fork" in multiprocessing.get_all_start_methods()  # elsewhere (Windows) the work stays in this process
    if jobs <= 1 or not forking or len(items) < max(PARALLEL_MIN_ITEMS, 2):
        results = []
        for item in items:
            results.append(func(state, item))
            if progress:
                progress(1)
        return results
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    context = multiprocessing.get_context("fork")
    chunks = _chunks(items, jobs, weights)
    results: list = [None] * len(chunks)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(state,)) as pool:
        pending = {pool.submit(_run_chunk, (func, [items[i] for i in chunk])): n for n, chunk in enumerate(chunks)}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                n = pending.pop(future)
                results[n] = future.result()
                if progress:
                    progress(len(chunks[n]))
    out: list = [None] * len(items)
    for chunk, values in zip(chunks, results):
        for i, value in zip(chunk, values):
            out[i] = value
    return out


def _chunks(items: Sequence, jobs: int, weights: Sequence[int] | None) -> list[list[int]]:
    """Index chunks of similar total weight, heaviest first, about 8 per worker (so progress moves and loads even out)."""
    weights = list(weights) if weights is not None else [1] * len(items)
    target = max(1, sum(weights) // (jobs * 8))
    order = sorted(range(len(items)), key=lambda i: -weights[i]) if len(set(weights)) > 1 else list(range(len(items)))
    chunks: list[list[int]] = []
    current: list[int] = []
    total = 0
    for i in order:
        current.append(i)
        total += weights[i]
        if total >= target:
            chunks.append(current)
            current, total = [], 0
    if current:
        chunks.append(current)
    return chunks


@contextlib.contextmanager
def paused_gc():
    """No cyclic garbage collection while many small, lasting objects are made: with the whole digest
    in memory, each collection walks all of it (and these objects make no cycles worth collecting).
    At 10,000 articles a one-article edit spent ~1 s in collections."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
