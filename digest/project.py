"""`digest init` and `digest deploy`: start a project, and publish its site to a gh-pages branch."""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .build import BuildResult, build
from .scaffold import write_schemas

# Scaffold files whose names start with a dot are stored as `dot-...`, so they stay
# ordinary files in digest's own repository and package (a stored `.gitignore` would
# apply to digest itself, and `.github/` would hold workflows of digest's own).
INIT_SCAFFOLD = Path(__file__).parent / "scaffolds" / "init"
DOT_PREFIX = "dot-"


class ProjectError(Exception):
    """A refusal with a message for the user; `exit_code` follows the CLI's convention."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code


class GitFailed(ProjectError):
    """A git command exited non-zero; the message is git's own."""


# ------------------------------------------------------------------------ init


def running_requirement() -> str:
    """The pip requirement that installs the running digest, so a new project's CI builds with the same one.

    An installation from a git or archive URL is reproducible from that URL; anything
    else (a wheel, a local checkout) can only be named by its version.
    """
    try:
        direct_url = importlib.metadata.distribution("digest").read_text("direct_url.json")
    except importlib.metadata.PackageNotFoundError:
        direct_url = None
    info = json.loads(direct_url) if direct_url else {}
    url = info.get("url", "")
    subdirectory = f"#subdirectory={info['subdirectory']}" if info.get("subdirectory") else ""
    if "vcs_info" in info:
        vcs = info["vcs_info"]
        return f"digest @ {vcs['vcs']}+{url}@{vcs['commit_id']}{subdirectory}"
    if "archive_info" in info and not url.startswith("file:"):
        return f"digest @ {url}{subdirectory}"
    return f"digest=={__version__}"


def installable_by_ci(requirement: str) -> bool:
    """Whether a CI runner can install this requirement: digest is not on PyPI, so only a URL works."""
    return " @ " in requirement and "file:" not in requirement


def _is_empty(folder: Path) -> bool:
    """Empty, or holding only `.git`: a freshly cloned empty repository is the usual place to start."""
    return all(entry.name == ".git" for entry in folder.iterdir())


def _title_from(folder: Path) -> str:
    words = folder.resolve().name.replace("-", " ").replace("_", " ").strip()
    return (words[:1].upper() + words[1:] if words else "News") + " digest"


def init_project(target: Path, requirement: str, force: bool = False) -> list[Path]:
    """Write a new project into `target` and return the files written."""
    requirement = requirement.strip()
    if not requirement or "\n" in requirement:
        raise ProjectError("--digest-requirement must be one pip requirement, e.g. 'digest @ git+https://github.com/OWNER/digest'")
    if target.exists() and not target.is_dir():
        raise ProjectError(f"{target} is a file; give a folder for the new project")
    if target.is_dir() and not force and not _is_empty(target):
        raise ProjectError(f"{target} is not empty; choose a new or empty folder, or pass --force to write the project files into it (files of the same name are replaced)")
    values = {"@title@": _title_from(target), "@digest_requirement@": requirement}
    written = []
    for source in sorted(INIT_SCAFFOLD.rglob("*")):
        if not source.is_file():
            continue
        parts = [part.replace(DOT_PREFIX, ".", 1) if part.startswith(DOT_PREFIX) else part for part in source.relative_to(INIT_SCAFFOLD).parts]
        destination = target.joinpath(*parts)
        text = source.read_text(encoding="utf-8")
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(text, encoding="utf-8")
        written.append(destination)
    schemas = write_schemas(target)
    return written + sorted(schemas.iterdir())


# ---------------------------------------------------------------------- deploy


@dataclass
class Deployment:
    """What a deploy did, for the command's report."""

    build: BuildResult
    commit: str
    files: int
    created_branch: bool


def _git(cwd: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> str:
    """Run git and return its output; a failure becomes a ProjectError carrying git's own message."""
    try:
        result = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, text=True, encoding="utf-8", env=env)
    except FileNotFoundError:
        raise ProjectError("git is not installed; digest deploy publishes through git", 1) from None
    if result.returncode != 0:
        raise GitFailed(f"`git {' '.join(args)}` failed:\n{result.stderr.strip()}", 1)
    return result.stdout.strip()


def _repository(project: Path) -> Path:
    try:
        return Path(_git(project, "rev-parse", "--show-toplevel"))
    except GitFailed:
        raise ProjectError(f"{project.resolve()} is not in a git repository; digest deploy pushes to a git remote (run `git init` and `git remote add origin URL` first)") from None


def _uncommitted(repo: Path, paths: list[Path]) -> list[str]:
    """Changed, deleted or untracked files under `paths`; read without taking the index lock, so nothing is written."""
    status = _git(repo, "--no-optional-locks", "status", "--porcelain", "--untracked-files=all", "--", *map(str, paths))
    return status.splitlines()


def _check_remote(repo: Path, remote: str) -> None:
    """A named remote must exist (URLs and paths are passed through to git as they are)."""
    if "/" in remote or ":" in remote:
        return
    remotes = _git(repo, "remote").split()
    if remote not in remotes:
        known = ", ".join(remotes) if remotes else "none"
        raise ProjectError(f"no git remote named {remote!r} (this repository has: {known}); add one with `git remote add {remote} URL` or pass --remote")


def _remote_tip(repo: Path, remote: str, branch: str) -> str | None:
    """The commit the remote branch points at, fetched so it can be the new commit's parent; None if there is no such branch."""
    listing = _git(repo, "ls-remote", "--heads", remote, f"refs/heads/{branch}")
    if not listing:
        return None
    tip = listing.split()[0]
    _git(repo, "fetch", "--quiet", "--no-tags", remote, f"refs/heads/{branch}")
    return tip


def _tree_of(repo: Path, folder: Path, parent: str | None) -> tuple[str, int]:
    """Store every file of `folder` in the repository and return (tree id, file count).

    A private index keeps the user's index, working tree and current branch untouched;
    `--no-filters` stores the built bytes exactly, whatever `.gitattributes` say. The
    previous deployment's CNAME is carried over: GitHub writes it into the branch when a
    custom domain is set, and dropping it would switch the domain off.
    """
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    blobs = _git(repo, "hash-object", "-w", "--no-filters", "--stdin-paths", stdin="".join(f"{path}\n" for path in files)).split()
    entries = [f"100644 {blob}\t{path.relative_to(folder).as_posix()}\0" for blob, path in zip(blobs, files)]
    if parent and not (folder / "CNAME").exists():
        cname = _git(repo, "ls-tree", parent, "CNAME")  # "mode type id<TAB>CNAME", which --index-info accepts as it is
        if cname:
            entries.append(f"{cname}\0")
    with tempfile.TemporaryDirectory(prefix="digest-deploy-") as scratch:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(scratch) / "index")}
        _git(repo, "update-index", "-z", "--index-info", stdin="".join(entries), env=env)
        return _git(repo, "write-tree", env=env), len(entries)


def deploy_site(content_dir: Path, *, remote: str, branch: str, message: str | None, base_url: str | None, allow_dirty: bool) -> Deployment:
    """Build, then commit the output folder as the whole tree of `branch` on top of its remote tip, and push it."""
    if not content_dir.is_dir():
        raise ProjectError(f"{content_dir}: content folder not found; run digest deploy in the project folder or pass --content DIR", 1)
    project = content_dir.absolute().parent
    repo = _repository(project)
    changes = _uncommitted(repo, [content_dir.absolute(), project / "themes"])
    if changes and not allow_dirty:
        listing = "\n".join(f"  {line}" for line in changes[:10]) + ("\n  ..." if len(changes) > 10 else "")
        raise ProjectError(
            f"refusing to deploy: uncommitted changes in the content or themes, so the published site would match no commit:\n{listing}\n"
            "commit them first, or pass --allow-dirty",
            1,
        )
    _check_remote(repo, remote)

    result = build(content_dir, project / "site", base_url)

    try:
        source = _git(repo, "rev-parse", "--short", "--verify", "HEAD") + ("+dirty" if changes else "")
    except GitFailed:
        source = "uncommitted content"
    message = (message or "Deployed {sha} with digest {version}").replace("{sha}", source).replace("{version}", __version__)
    parent = _remote_tip(repo, remote, branch)
    tree, files = _tree_of(repo, project / "site", parent)
    commit = _git(repo, "commit-tree", tree, *(["-p", parent] if parent else []), "-m", message)
    try:
        _git(repo, "push", "--quiet", remote, f"{commit}:refs/heads/{branch}")
    except GitFailed as exc:
        raise ProjectError(f"{exc}\nnothing was published; if {remote}/{branch} changed while deploying, run digest deploy again", 1) from None
    return Deployment(result, commit, files, created_branch=parent is None)
