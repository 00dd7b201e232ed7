"""Two builds of one output at once: the second waits for the first (as git does with index.lock)."""

from __future__ import annotations

import subprocess
import sys
import time

from digest.write import output_locked


def _project(project):
    project.write("site.yaml", "title: T\n")
    for i in range(30):
        project.article(f"a{i:02}", f"{10 + i} people were killed.\n")
    project.topic("t", "title: T\nmatch:\n  any: [killed]\nfigures:\n  - id: k\n    terms: [killed]\n")


def _build(project):
    return subprocess.Popen([sys.executable, "-m", "digest", "build", "--no-search"], cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)


def test_a_build_waits_while_another_holds_the_output_and_says_so(project):
    _project(project)
    with output_locked(project.site):
        waiting = _build(project)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (project.root / ".digest-cache").exists():
            time.sleep(0.05)
        time.sleep(0.5)
        assert waiting.poll() is None
        assert not project.site.exists()
    out, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert "another build of site is running; waiting for it to finish" in err
    assert (project.site / "index.html").exists()


def test_two_builds_at_once_both_succeed_and_leave_one_whole_site(project):
    _project(project)
    builds = [_build(project) for _ in range(2)]
    results = [b.communicate(timeout=120) for b in builds]
    assert [b.returncode for b in builds] == [0, 0], results
    assert not list(project.root.glob(".site.*"))  # no staging folder left behind
    assert len(list((project.site / "articles").iterdir())) == 30
