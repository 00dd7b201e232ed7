"""`digest init DIR`: a new project that builds cleanly and can publish itself to GitHub Pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from digest import __version__, project as project_module
from digest.build import build
from digest.cli import main

GIT_REQUIREMENT = "digest @ git+https://github.com/example/digest@v0.1.0"

EXPECTED_FILES = {
    "README.md",
    "requirements.txt",
    ".gitignore",
    ".github/workflows/pages.yml",
    "content/site.yaml",
    "content/articles/courier-river-bursts-banks.md",
    "content/articles/northcoast-evacuation.md",
    "content/topics/flood-impact.yaml",
    "schemas/article.schema.json",
    "schemas/site.schema.json",
    "schemas/topic.schema.json",
}


def run(cwd: Path, *args: str, monkeypatch):
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def new_project(tmp_path, monkeypatch) -> Path:
    result = run(tmp_path, "init", "kelby-floods", "--digest-requirement", GIT_REQUIREMENT, monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    return tmp_path / "kelby-floods"


def files_under(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


def test_init_creates_every_file(new_project):
    assert files_under(new_project) == EXPECTED_FILES
    assert "title: Kelby floods digest" in (new_project / "content/site.yaml").read_text()


def test_init_pins_the_requirement_the_workflow_installs(new_project):
    requirements = (new_project / "requirements.txt").read_text()
    assert [line for line in requirements.splitlines() if not line.startswith("#")] == [GIT_REQUIREMENT]
    assert GIT_REQUIREMENT in (new_project / "README.md").read_text()


def test_gitignore_keeps_build_output_out_of_git(new_project):
    lines = (new_project / ".gitignore").read_text().splitlines()
    assert "site/" in lines and ".digest-cache/" in lines


def test_curator_readme_covers_the_daily_commands(new_project):
    readme = (new_project / "README.md").read_text()
    for command in ("digest new article", "digest new topic", "digest build", "digest serve", "digest check", "digest deploy", "GitHub Actions"):
        assert command in readme


def test_every_placeholder_is_filled_in(new_project):
    for path in new_project.rglob("*"):
        if path.is_file():
            assert not re.search(r"@[a-z_]+@", path.read_text()), path


def test_new_project_builds_without_warnings_and_shows_a_disagreement(new_project):
    result = build(new_project / "content", new_project / "site")
    assert result.warnings == []
    data = json.loads((new_project / "site/digest.json").read_text())
    (topic,) = data["topics"]
    assert {position["source"] for d in topic["disagreements"] for position in d["positions"]} == {"Kelby Courier", "North Coast News"}
    assert [c["figure"] for c in topic["corroborated"]] == ["homes-flooded"]
    assert (new_project / "site/.nojekyll").exists()


def test_new_project_builds_and_checks_cleanly_through_the_cli(new_project, monkeypatch):
    built = run(new_project, "build", monkeypatch=monkeypatch)
    assert built.exit_code == 0, built.output
    assert built.stderr == ""
    checked = run(new_project, "check", monkeypatch=monkeypatch)
    assert checked.exit_code == 0
    assert "0 error(s), 0 warning(s)" in checked.stderr


def test_schema_comments_point_at_the_written_schemas(new_project):
    for path in (new_project / "content").rglob("*"):
        if path.is_file():
            (reference,) = re.findall(r"\$schema=(\S+)", path.read_text())
            assert (path.parent / reference).resolve().is_file(), path


def test_workflow_builds_with_the_pages_url_and_deploys(new_project):
    workflow = yaml.safe_load((new_project / ".github/workflows/pages.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"]["pages"] == "write"
    assert workflow["permissions"]["id-token"] == "write"
    assert workflow["concurrency"]["group"]
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    uses = " ".join(step.get("uses", "") for step in steps)
    runs = "\n".join(step.get("run", "") for step in steps)
    for action in ("actions/checkout", "actions/setup-python", "actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in uses
    assert "pip install -r requirements.txt" in runs
    assert 'digest build --base-url "${{ steps.pages.outputs.base_url }}/"' in runs
    (configure,) = [step for step in steps if "configure-pages" in step.get("uses", "")]
    assert configure["id"] == "pages"
    (upload,) = [step for step in steps if "upload-pages-artifact" in step.get("uses", "")]
    assert upload["with"]["path"] == "site"
    assert workflow["jobs"]["deploy"]["needs"] == "build"
    assert workflow["jobs"]["deploy"]["environment"]["name"] == "github-pages"


def test_init_refuses_a_non_empty_folder(tmp_path, monkeypatch):
    target = tmp_path / "existing"
    target.mkdir()
    (target / "README.md").write_text("mine\n")
    result = run(tmp_path, "init", "existing", monkeypatch=monkeypatch)
    assert result.exit_code == 2
    assert "existing is not empty" in result.stderr and "--force" in result.stderr
    assert files_under(target) == {"README.md"}
    assert (target / "README.md").read_text() == "mine\n"


def test_init_force_writes_into_a_non_empty_folder(tmp_path, monkeypatch):
    target = tmp_path / "existing"
    target.mkdir()
    (target / "LICENSE").write_text("keep me\n")
    result = run(tmp_path, "init", "existing", "--force", "--digest-requirement", GIT_REQUIREMENT, monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert files_under(target) == EXPECTED_FILES | {"LICENSE"}
    assert (target / "LICENSE").read_text() == "keep me\n"


def test_init_accepts_a_freshly_cloned_empty_repository(tmp_path, monkeypatch):
    target = tmp_path / "clone"
    (target / ".git").mkdir(parents=True)
    result = run(tmp_path, "init", "clone", "--digest-requirement", GIT_REQUIREMENT, monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert (target / "content/site.yaml").exists()


def test_init_into_the_current_empty_folder(tmp_path, monkeypatch):
    result = run(tmp_path, "init", ".", "--digest-requirement", GIT_REQUIREMENT, monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert files_under(tmp_path) == EXPECTED_FILES


def test_init_refuses_a_file(tmp_path, monkeypatch):
    (tmp_path / "notes.txt").write_text("")
    result = run(tmp_path, "init", "notes.txt", monkeypatch=monkeypatch)
    assert result.exit_code == 2
    assert "is a file" in result.stderr


def test_init_warns_when_the_requirement_cannot_be_installed_on_ci(tmp_path, monkeypatch):
    result = run(tmp_path, "init", "site-a", "--digest-requirement", "digest==0.1.0", monkeypatch=monkeypatch)
    assert result.exit_code == 0
    assert "digest is not on PyPI" in result.stderr
    quiet = run(tmp_path, "init", "site-b", "--digest-requirement", GIT_REQUIREMENT, monkeypatch=monkeypatch)
    assert "PyPI" not in quiet.stderr


class FakeDistribution:
    def __init__(self, direct_url: dict | None):
        self.direct_url = direct_url

    def read_text(self, name: str) -> str | None:
        assert name == "direct_url.json"
        return json.dumps(self.direct_url) if self.direct_url is not None else None


@pytest.mark.parametrize(
    ("direct_url", "expected"),
    [
        (
            {"url": "https://github.com/someone/digest", "vcs_info": {"vcs": "git", "commit_id": "0123abcd", "requested_revision": "main"}},
            "digest @ git+https://github.com/someone/digest@0123abcd",
        ),
        (
            {"url": "https://github.com/someone/tools", "subdirectory": "digest", "vcs_info": {"vcs": "git", "commit_id": "0123abcd"}},
            "digest @ git+https://github.com/someone/tools@0123abcd#subdirectory=digest",
        ),
        ({"url": "https://example.org/digest-0.1.0.tar.gz", "archive_info": {}}, "digest @ https://example.org/digest-0.1.0.tar.gz"),
        ({"url": "file:///home/me/digest", "dir_info": {"editable": True}}, f"digest=={__version__}"),
        ({"url": "file:///home/me/digest-0.1.0-py3-none-any.whl", "archive_info": {}}, f"digest=={__version__}"),
        (None, f"digest=={__version__}"),
    ],
)
def test_default_requirement_follows_how_digest_was_installed(monkeypatch, direct_url, expected):
    monkeypatch.setattr(project_module.importlib.metadata, "distribution", lambda name: FakeDistribution(direct_url))
    assert project_module.running_requirement() == expected


def test_init_without_a_requirement_uses_the_running_one(tmp_path, monkeypatch):
    monkeypatch.setattr(project_module, "running_requirement", lambda: "digest @ git+https://example.org/digest@abc")
    result = run(tmp_path, "init", "site", monkeypatch=monkeypatch)
    assert result.exit_code == 0
    assert "digest @ git+https://example.org/digest@abc" in (tmp_path / "site/requirements.txt").read_text()
