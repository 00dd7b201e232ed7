"""The `digest` command line.

Exit status: 0 success, 1 content errors (reported, nothing published),
2 usage errors, 3 an internal failure (a bug in digest: please report it).
"""

from __future__ import annotations

import errno
import gc
import importlib
import json
import os
import re
import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .build import build as run_build
from .build import render_files, stage_times
from .errors import ContentError, Diagnostic
from .write import OutputRefused

REPORT_URL = "https://github.com/digest-project/digest/issues"


# Commands whose modules pull in heavy libraries (trafilatura) load only when they run,
# so `digest build` starts fast.
LAZY_COMMANDS = {"import": ("digest.importer", "import_command")}


# Problems of the machine, not of digest: said plainly, exit 1, never "a bug in digest".
ENVIRONMENT_ERRORS = {
    errno.ENOSPC: "free some disk space (or build elsewhere with --out) and build again",
    errno.EDQUOT: "your disk quota is full: free some space and build again",
    errno.EROFS: "the folder is on a read-only file system: build into another folder with --out",
    errno.EACCES: "you may not write there: check the folder's permissions, or build elsewhere with --out",
    errno.EPERM: "you may not change that file: check its permissions, or build elsewhere with --out",
    errno.EXDEV: "the output folder is a mount point: digest replaces it with a rename, so build into a folder inside it",
    errno.EBUSY: "the output folder is in use or a mount point: build into a folder inside it",
    errno.EMFILE: "too many open files: raise the limit (ulimit -n) and build again",
}


class DigestGroup(click.Group):
    """Turns content errors into exit 1 and unexpected failures into one line (traceback with --debug)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS:
            module, attribute = LAZY_COMMANDS[name]
            return getattr(importlib.import_module(module), attribute)
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ContentError as exc:
            report(exc.diagnostics)
            count = len(exc.diagnostics)
            click.echo(f"digest: {count} error{'s' if count != 1 else ''}; nothing was published", err=True)
            sys.exit(1)
        except OutputRefused as exc:
            click.echo(f"digest: {exc}\n  hint: {exc.hint}", err=True)
            sys.exit(2)
        except OSError as exc:
            if exc.errno not in ENVIRONMENT_ERRORS:
                raise
            where = f" ({exc.filename})" if exc.filename else ""
            click.echo(f"digest: {exc.strerror}{where}; nothing was published\n  hint: {ENVIRONMENT_ERRORS[exc.errno]}", err=True)
            sys.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if ctx.obj and ctx.obj.get("debug"):
                traceback.print_exc()
            click.echo(f"digest: internal error ({type(exc).__name__}: {exc}); this is a bug in digest {__version__}, please report it at {REPORT_URL} (--debug shows the traceback)", err=True)
            sys.exit(3)


def run() -> None:
    """The `digest` program (console script and `python -m digest`): `main`, then an exit that skips
    freeing the build's objects one by one, which took ~0.4 s after a build of 10,000 articles.
    Every file is closed and every thread and worker joined by then; the output is flushed here."""
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code
    if code is not None and not isinstance(code, int):
        click.echo(code, err=True)
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: nothing more can be said
        pass
    os._exit(code or 0)


def _http_url(value: str | None) -> str | None:
    """--base-url takes http(s) addresses only: it reaches every page's canonical link and the feed."""
    if value is not None and value and not re.fullmatch(r"https?://[^\s\"'<>]+", value):
        raise click.BadParameter(f"{value!r} is not an http(s) address; write it like https://user.github.io/repo/")
    return value


def report(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=True)


@click.group(cls=DigestGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="digest")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors, and the seconds each build stage took.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Build per-topic news digests that show where sources disagree."""
    ctx.obj = {"debug": debug}


content_option = click.option(
    "--content", "content_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("content"), show_default=True, help="Folder with site.yaml, articles/ and topics/."
)


@main.command()
@content_option
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=None, help="Output folder [default: site/ beside the content folder].")
@click.option("--base-url", default=None, callback=lambda ctx, param, value: _http_url(value), help="Public URL of the site, e.g. https://user.github.io/repo/ (overrides site.yaml).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Processes to build with [default: every core]; 1 builds in one process (same output).")
@click.option("--quiet", "-q", is_flag=True, help="Print errors only (no progress bar, no summary).")
@click.option("--no-search", is_flag=True, help="Skip the search index (quicker on large sites; the search page says search is unavailable).")
@click.pass_context
def build(ctx: click.Context, content_dir: Path, out: Path | None, base_url: str | None, jobs: int | None, quiet: bool, no_search: bool) -> None:
    """Build the site (into site/ by default), redoing only what changed since the last build."""
    out = out or content_dir.parent / "site"
    # No cyclic collection for the rest of this process: the build pauses it anyway, and the first one after
    # it walked the whole digest (~0.2 s each at 10,000 articles) just before the program exits.
    gc.disable()
    result = run_build(content_dir, out, base_url, jobs=jobs, progress=not quiet and sys.stderr.isatty(), search=not no_search)
    if not quiet:
        report(result.warnings)
        click.echo(result.summary(out))
    if ctx.obj["debug"]:
        click.echo(stage_times(result.timings), err=True)


@main.command()
@content_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Report format.")
def check(content_dir: Path, fmt: str) -> None:
    """Validate content without writing the site."""
    try:
        _, _, problems = render_files(content_dir)
    except ContentError as exc:
        problems = exc.diagnostics
    errors = [p for p in problems if p.severity == "error"]
    if fmt == "json":
        click.echo(json.dumps([p.as_dict() for p in problems], indent=2))
    else:
        report(problems)
        warnings = len(problems) - len(errors)
        click.echo(f"{len(errors)} error(s), {warnings} warning(s)", err=True)
    sys.exit(1 if errors else 0)


@main.group()
def new() -> None:
    """Scaffold a topic or an article with every field documented."""


@new.command("topic")
@click.argument("name")
@content_option
def new_topic_command(name: str, content_dir: Path) -> None:
    """Write content/topics/<slug>.yaml for the topic NAME."""
    from .scaffold import new_topic  # loaded on use, like every command but build and check

    _scaffold(new_topic, content_dir, name)


@new.command("article")
@click.argument("title")
@content_option
def new_article_command(title: str, content_dir: Path) -> None:
    """Write content/articles/<slug>.md for an article titled TITLE."""
    from .scaffold import new_article

    _scaffold(new_article, content_dir, title)


def _scaffold(make, content_dir: Path, name: str) -> None:
    from .scaffold import ScaffoldError

    try:
        path = make(content_dir, name)
    except ScaffoldError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"wrote {path}")


# ------------------------------------------------------------- init and deploy


def _refuse(exc) -> None:
    """A project.ProjectError: its message and its exit status."""
    click.echo(f"digest: {exc}", err=True)
    sys.exit(exc.exit_code)


@main.command()
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Write into a folder that is not empty, replacing files of the same name.")
@click.option("--digest-requirement", "requirement", default=None, metavar="SPEC", help="pip requirement for requirements.txt, which the Pages workflow installs [default: the running digest].")
def init(directory: Path, force: bool, requirement: str | None) -> None:
    """Start a new digest project in DIR, with an example and a GitHub Pages workflow."""
    from .project import ProjectError, init_project, installable_by_ci, running_requirement

    requirement = requirement or running_requirement()
    try:
        written = init_project(directory, requirement, force)
    except ProjectError as exc:
        _refuse(exc)
    for path in written:
        click.echo(f"wrote {path}")
    if not installable_by_ci(requirement):
        click.echo(
            f"note: requirements.txt says `{requirement}`, but digest is not on PyPI, so GitHub Actions cannot install that; "
            "replace it with the address of a digest repository, e.g. `digest @ git+https://github.com/OWNER/digest@TAG` (see README.md)",
            err=True,
        )
    click.echo(f"\nnext: cd {directory} && digest build, then open site/index.html; README.md explains publishing")


@main.command()
@content_option
@click.option("--base-url", default=None, callback=lambda ctx, param, value: _http_url(value), help="Public URL of the site, e.g. https://user.github.io/repo/ (overrides site.yaml).")
@click.option("--message", "-m", default=None, help="Commit message; {sha} and {version} are filled in [default: 'Deployed {sha} with digest {version}'].")
@click.option("--remote", default="origin", show_default=True, help="Git remote to push to.")
@click.option("--branch", default="gh-pages", show_default=True, help="Branch that receives the built site.")
@click.option("--allow-dirty", is_flag=True, help="Deploy even with uncommitted changes in the content or themes.")
def deploy(content_dir: Path, base_url: str | None, message: str | None, remote: str, branch: str, allow_dirty: bool) -> None:
    """Build the site and push it to the gh-pages branch (like mkdocs gh-deploy)."""
    from .project import ProjectError, deploy_site

    try:
        done = deploy_site(content_dir, remote=remote, branch=branch, message=message, base_url=base_url, allow_dirty=allow_dirty)
    except ProjectError as exc:
        _refuse(exc)
    report(done.build.warnings)
    click.echo(done.build.summary(content_dir.parent / "site"))
    click.echo(f"pushed {done.commit[:7]} ({done.files} files) to {remote}/{branch}")
    if not done.build.base_url:
        click.echo("hint: no base URL; pass --base-url https://USER.github.io/REPO/ so feed.xml and sitemap.xml hold full addresses", err=True)
    if done.created_branch:
        click.echo(f"first deploy: on GitHub, set Settings → Pages → Source to 'Deploy from a branch', branch {branch}, folder / (root)")


@main.command()
@content_option
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=None, help="Output folder [default: a temporary folder, so site/ is never touched].")
@click.option("--base-url", default=None, callback=lambda ctx, param, value: _http_url(value), help="Public URL of the site (overrides site.yaml); its path, e.g. /repo/, is where the site is served.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback keeps the preview private).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on; 0 picks a free one.")
@click.pass_context
def serve(ctx: click.Context, content_dir: Path, out: Path | None, base_url: str | None, host: str, port: int) -> None:
    """Build, serve over HTTP, show every change at once and reload open pages."""
    from .serve import ServeError
    from .serve import serve as run_serve

    try:
        run_serve(content_dir, out, host, port, base_url, debug=ctx.obj["debug"])
    except ServeError as exc:
        click.echo(f"digest: {exc}", err=True)
        sys.exit(2)
