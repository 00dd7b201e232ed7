"""bench/corpus.py: the synthetic benchmark corpus is deterministic and builds (speed is never asserted)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from conftest import REPO

CORPUS = REPO / "bench" / "corpus.py"


def generate(out: Path, articles: int = 30, topics: int = 6, seed: int = 1) -> Path:
    subprocess.run(
        [sys.executable, str(CORPUS), "--articles", str(articles), "--topics", str(topics), "--out", str(out), "--seed", str(seed), "--quiet"],
        check=True,
    )
    return out / "content"


def fingerprint(content: Path) -> dict[str, str]:
    return {str(p.relative_to(content)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(content.rglob("*")) if p.is_file()}


def test_same_seed_gives_identical_files(tmp_path):
    first = fingerprint(generate(tmp_path / "a"))
    second = fingerprint(generate(tmp_path / "b"))
    assert first == second
    assert len([name for name in first if name.startswith("topics/")]) == 6
    assert len([name for name in first if name.startswith("articles/") and name.endswith((".md", ".txt"))]) == 30


def test_other_seed_gives_other_corpus(tmp_path):
    assert fingerprint(generate(tmp_path / "a", seed=1)) != fingerprint(generate(tmp_path / "b", seed=2))


def test_smaller_corpus_is_a_prefix_of_a_larger_one(tmp_path):
    small = generate(tmp_path / "small", articles=10)
    large = generate(tmp_path / "large", articles=30)
    for article in (small / "articles").iterdir():
        assert article.read_bytes() == (large / "articles" / article.name).read_bytes()


def test_corpus_has_raw_text_articles_with_boilerplate(tmp_path):
    content = generate(tmp_path / "c", articles=200, topics=3)
    raw = sorted((content / "articles").glob("*.txt"))
    assert raw, "a few percent of articles are raw .txt"
    for path in raw:
        assert path.with_suffix(".yaml").is_file()
        text = path.read_text(encoding="utf-8")
        assert "Source link" in text and "spot_imgspot_img" in text


def test_thirty_article_corpus_builds(tmp_path):
    content = generate(tmp_path / "p", topics=20)
    out = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "digest", "build", "--content", str(content), "--out", str(out), "--quiet"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    assert (out / "index.html").is_file()
    assert (out / "digest.json").is_file()
    assert len(list((out / "articles").iterdir())) == 30
    assert len(list((out / "topics").iterdir())) == 20
