"""`digest deploy`: the built site becomes the gh-pages branch of a real (local, bare) remote."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest import __version__
from digest.cli import main


@pytest.fixture(autouse=True)
def isolated_git(monkeypatch, tmp_path):
    """A known identity, no user or system configuration, and no repository found above the test folder."""
    for variable, value in {
        "GIT_AUTHOR_NAME": "Curator",
        "GIT_AUTHOR_EMAIL": "curator@example.org",
        "GIT_COMMITTER_NAME": "Curator",
        "GIT_COMMITTER_EMAIL": "curator@example.org",
        "GIT_CONFIG_GLOBAL": str(tmp_path.parent / "no-global-gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CEILING_DIRECTORIES": str(tmp_path.parent),
    }.items():
        monkeypatch.setenv(variable, value)


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def remote_has(remote: Path, branch: str) -> bool:
    return subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"], cwd=remote, capture_output=True).returncode == 0


@pytest.fixture
def remote(tmp_path_factory) -> Path:
    bare = tmp_path_factory.mktemp("remote") / "site.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True)
    return bare


@pytest.fixture
def repo(project, remote):
    """A committed project whose `origin` is the bare remote."""
    project.article("courier", "Around 300 homes were flooded in Kelby, the council said.\n", source="Kelby Courier")
    project.article("coast-news", "Some 900 homes were flooded in Kelby, firefighters said.\n", source="North Coast News")
    project.topic("flood", "title: Flood\nmatch:\n  any: [flooded]\nfigures:\n  - {id: homes, label: Homes flooded, terms: [flooded], near: [homes]}\n")
    (project.root / ".gitignore").write_text("site/\n")
    git(project.root, "init", "--quiet", "-b", "main")
    git(project.root, "add", "-A")
    git(project.root, "commit", "--quiet", "-m", "First digest")
    git(project.root, "remote", "add", "origin", str(remote))
    return project


def test_deploy_pushes_the_built_site_as_the_gh_pages_tree(repo, remote):
    result = repo.run("deploy")
    assert result.exit_code == 0, result.output
    files = set(git(remote, "ls-tree", "-r", "--name-only", "gh-pages").splitlines())
    assert {"index.html", ".nojekyll", "digest.json", "topics/flood/index.html", "articles/courier/index.html"} <= files
    assert files == {path.relative_to(repo.site).as_posix() for path in repo.site.rglob("*") if path.is_file()}
    assert git(remote, "show", "gh-pages:index.html") == (repo.site / "index.html").read_text().strip()
    short = git(repo.root, "rev-parse", "--short", "HEAD")
    assert git(remote, "log", "--format=%s", "gh-pages") == f"Deployed {short} with digest {__version__}"
    assert "Deploy from a branch" in result.output


def test_second_deploy_adds_a_commit_on_top(repo, remote):
    assert repo.run("deploy").exit_code == 0
    first = git(remote, "rev-parse", "gh-pages")
    repo.article("courier", "Around 320 homes were flooded in Kelby, the council said.\n", source="Kelby Courier")
    git(repo.root, "commit", "--quiet", "-am", "Update the courier")
    result = repo.run("deploy")
    assert result.exit_code == 0, result.output
    assert git(remote, "rev-parse", "gh-pages^") == first
    assert git(remote, "rev-list", "--count", "gh-pages") == "2"
    assert "320" in git(remote, "show", "gh-pages:articles/courier/index.html")
    assert "Deploy from a branch" not in result.output


def test_deploy_from_another_clone_builds_on_the_remote_tip(repo, remote, tmp_path_factory, monkeypatch):
    assert repo.run("deploy").exit_code == 0
    first = git(remote, "rev-parse", "gh-pages")
    git(repo.root, "push", "--quiet", "origin", "main")
    clone = tmp_path_factory.mktemp("clone") / "digest"
    git(clone.parent, "clone", "--quiet", "--branch", "main", str(remote), str(clone))
    monkeypatch.chdir(clone)
    result = CliRunner().invoke(main, ["deploy"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert git(remote, "rev-parse", "gh-pages^") == first


def test_deploy_refuses_uncommitted_content(repo, remote):
    repo.article("courier", "Around 350 homes were flooded in Kelby.\n", source="Kelby Courier")
    result = repo.run("deploy")
    assert result.exit_code == 1
    assert "uncommitted changes" in result.stderr and "content/articles/courier.md" in result.stderr
    assert "--allow-dirty" in result.stderr
    assert not remote_has(remote, "gh-pages")


def test_deploy_refuses_untracked_content_and_theme_files(repo, remote):
    (repo.root / "themes/default/static").mkdir(parents=True)
    (repo.root / "themes/default/static/extra.css").write_text("body {}\n")
    result = repo.run("deploy")
    assert result.exit_code == 1
    assert "themes/default/static/extra.css" in result.stderr
    assert not remote_has(remote, "gh-pages")


def test_changes_outside_content_and_themes_do_not_block_a_deploy(repo, remote):
    (repo.root / "NOTES.md").write_text("to do\n")
    assert repo.run("deploy").exit_code == 0
    assert remote_has(remote, "gh-pages")


def test_allow_dirty_deploys_and_says_so_in_the_message(repo, remote):
    repo.article("courier", "Around 350 homes were flooded in Kelby.\n", source="Kelby Courier")
    result = repo.run("deploy", "--allow-dirty")
    assert result.exit_code == 0, result.output
    assert git(remote, "log", "--format=%s", "gh-pages").endswith(f"+dirty with digest {__version__}")
    assert "350" in git(remote, "show", "gh-pages:articles/courier/index.html")


def test_content_errors_push_nothing(repo, remote):
    repo.topic("broken", "title: Broken\nsumary: typo\n")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "--quiet", "-m", "Broken topic")
    result = repo.run("deploy")
    assert result.exit_code == 1
    assert "broken.yaml" in result.stderr and "nothing was published" in result.stderr
    assert not remote_has(remote, "gh-pages")


def test_deploy_leaves_the_users_branch_index_and_working_tree_alone(repo, remote):
    (repo.root / "README.md").write_text("staged\n")
    git(repo.root, "add", "README.md")
    (repo.root / "README.md").write_text("staged, then edited\n")
    (repo.root / "scratch.txt").write_text("untracked\n")

    def state():
        return {
            "branch": git(repo.root, "symbolic-ref", "HEAD"),
            "head": git(repo.root, "rev-parse", "HEAD"),
            "branches": git(repo.root, "branch", "--list"),
            "index": git(repo.root, "ls-files", "--stage"),
            "staged": git(repo.root, "diff", "--cached"),
            "unstaged": git(repo.root, "diff"),
            "status": git(repo.root, "status", "--porcelain", "--untracked-files=all"),
            "readme": (repo.root / "README.md").read_text(),
        }

    before = state()
    result = repo.run("deploy")
    assert result.exit_code == 0, result.output
    assert state() == before


def test_branch_message_and_base_url_options(repo, remote):
    result = repo.run("deploy", "--branch", "pages", "--message", "Publish {sha} ({version})", "--base-url", "https://curator.github.io/floods/")
    assert result.exit_code == 0, result.output
    assert not remote_has(remote, "gh-pages")
    short = git(repo.root, "rev-parse", "--short", "HEAD")
    assert git(remote, "log", "--format=%s", "pages") == f"Publish {short} ({__version__})"
    published = json.loads(git(remote, "show", "pages:digest.json"))
    assert published["site"]["base_url"] == "https://curator.github.io/floods/"
    assert "https://curator.github.io/floods/topics/flood/" in git(remote, "show", "pages:sitemap.xml")


def test_remote_option_accepts_another_remote(repo, tmp_path_factory):
    mirror = tmp_path_factory.mktemp("mirror") / "mirror.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(mirror)], check=True)
    git(repo.root, "remote", "add", "mirror", str(mirror))
    assert repo.run("deploy", "--remote", "mirror").exit_code == 0
    assert remote_has(mirror, "gh-pages")


def test_unknown_remote_is_a_usage_error(repo, remote):
    result = repo.run("deploy", "--remote", "upstream")
    assert result.exit_code == 2
    assert "no git remote named 'upstream'" in result.stderr and "origin" in result.stderr


def test_not_a_git_repository(project):
    project.article("courier", "Around 300 homes were flooded.\n")
    result = project.run("deploy")
    assert result.exit_code == 2
    assert "is not in a git repository" in result.stderr


def test_an_unreachable_remote_fails_with_gits_message(repo, remote):
    git(repo.root, "remote", "set-url", "origin", str(remote.parent / "missing.git"))
    result = repo.run("deploy")
    assert result.exit_code == 1
    assert "missing.git" in result.stderr


def test_a_rejected_push_says_nothing_was_published(repo, remote):
    hook = remote / "hooks/pre-receive"
    hook.write_text("#!/bin/sh\necho 'branch is protected' >&2\nexit 1\n")
    hook.chmod(0o755)
    result = repo.run("deploy")
    assert result.exit_code == 1
    assert "branch is protected" in result.stderr and "nothing was published" in result.stderr
    assert not remote_has(remote, "gh-pages")


def test_a_custom_domain_set_on_github_survives_the_next_deploy(repo, remote, tmp_path_factory):
    assert repo.run("deploy").exit_code == 0
    # What GitHub does when a custom domain is set for a branch-published site: commit a CNAME file.
    worktree = tmp_path_factory.mktemp("github") / "pages"
    git(worktree.parent, "clone", "--quiet", "--branch", "gh-pages", str(remote), str(worktree))
    (worktree / "CNAME").write_text("floods.example.org\n")
    git(worktree, "add", "CNAME")
    git(worktree, "commit", "--quiet", "-m", "Create CNAME")
    git(worktree, "push", "--quiet", "origin", "gh-pages")
    result = repo.run("deploy")
    assert result.exit_code == 0, result.output
    assert git(remote, "show", "gh-pages:CNAME") == "floods.example.org"
    assert git(remote, "rev-list", "--count", "gh-pages") == "3"
