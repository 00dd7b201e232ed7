"""`--out`: digest replaces only a folder it made; every other folder is refused with exit 2 and left alone."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _minimal(project):
    project.write("site.yaml", "title: T\n")
    project.article("a", "Ten people were killed.\n")
    project.topic("t", "title: T\nmatch:\n  any: [killed]\n")


def test_out_dot_refuses_the_project_and_deletes_nothing(project):
    _minimal(project)
    (project.root / "README.md").write_text("mine")
    result = project.run("build", "--out", ".")
    assert result.exit_code == 2
    assert "refusing to build into ." in result.stderr
    assert "hint:" in result.stderr
    assert (project.root / "README.md").read_text() == "mine"
    assert (project.content / "articles" / "a.md").exists()


def test_out_naming_a_folder_of_the_users_is_refused(project):
    _minimal(project)
    thesis = project.root / "docs" / "thesis.tex"
    thesis.parent.mkdir()
    thesis.write_text("chapter one")
    result = project.run("build", "--out", "docs")
    assert result.exit_code == 2
    assert "digest did not make it" in result.stderr
    assert thesis.read_text() == "chapter one"


@pytest.mark.parametrize("folder", ["content", "content/articles", "themes", ".."])
def test_out_naming_sources_or_a_parent_is_refused(project, folder):
    _minimal(project)
    (project.root / "themes").mkdir()
    result = project.run("build", "--out", folder)
    assert result.exit_code == 2
    assert (project.content / "articles" / "a.md").exists()
    assert (project.root / "themes").is_dir()


def test_out_naming_the_home_folder_is_refused(project, tmp_path, monkeypatch):
    _minimal(project)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    result = project.run("build", "--out", str(home))
    assert result.exit_code == 2
    assert "home folder" in result.stderr


def test_out_naming_a_file_is_refused(project):
    _minimal(project)
    (project.root / "notes.txt").write_text("keep")
    result = project.run("build", "--out", "notes.txt")
    assert result.exit_code == 2
    assert (project.root / "notes.txt").read_text() == "keep"


def test_a_new_or_empty_folder_is_built_and_marked(project):
    _minimal(project)
    (project.root / "empty").mkdir()
    for folder in ("empty", "new/site"):
        result = project.run("build", "--out", folder)
        assert result.exit_code == 0, result.output
        assert (project.root / folder / "index.html").exists()
        assert (project.root / folder / ".digest-site").exists()


def test_a_folder_digest_built_is_rebuilt(project):
    _minimal(project)
    assert project.run("build", "--out", "public").exit_code == 0
    project.article("b", "Twelve people were killed.\n")
    result = project.run("build", "--out", "public")
    assert result.exit_code == 0, result.output
    assert (project.root / "public" / "articles" / "b" / "index.html").exists()


def test_a_site_built_before_the_mark_is_still_rebuilt(project):
    _minimal(project)
    assert project.run("build").exit_code == 0
    (project.site / ".digest-site").unlink()
    result = project.run("build")
    assert result.exit_code == 0, result.output
    assert (project.site / ".digest-site").exists()


def test_serve_refuses_the_same_folders(project):
    _minimal(project)
    thesis = project.root / "docs" / "thesis.tex"
    thesis.parent.mkdir()
    thesis.write_text("chapter one")
    result = subprocess.run(
        [sys.executable, "-m", "digest", "serve", "--port", "0", "--out", "docs"], cwd=project.root, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 2
    assert "digest did not make it" in result.stderr
    assert thesis.read_text() == "chapter one"
