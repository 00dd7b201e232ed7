"""bench/corpus.py: the synthetic benchmark corpora (wire and long-story) are deterministic and build (speed is never asserted)."""

from __future__ import annotations

import hashlib
import json
import re
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


def build_quietly(content, out) -> None:
    """`digest build` of a generated corpus, in a process of its own; it must succeed."""
    result = subprocess.run([sys.executable, "-m", "digest", "build", "--content", str(content), "--out", str(out), "--quiet"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr


def test_thirty_article_corpus_builds(tmp_path):
    content = generate(tmp_path / "p", topics=20)
    out = tmp_path / "site"
    build_quietly(content, out)
    assert (out / "index.html").is_file()
    assert (out / "digest.json").is_file()
    assert len(list((out / "articles").iterdir())) == 30
    assert len(list((out / "topics").iterdir())) == 20


# ------------------------------------------------------------------ long story


def generate_long(out: Path, articles: int = 40, seed: int = 1) -> Path:
    subprocess.run(
        [sys.executable, str(CORPUS), "--shape", "long-story", "--articles", str(articles), "--out", str(out), "--seed", str(seed), "--quiet"],
        check=True,
    )
    return out / "content"


def truth(content: Path) -> dict:
    return json.loads((content.parent / "truth.json").read_text(encoding="utf-8"))


def test_long_story_is_deterministic_and_a_prefix_of_a_longer_one(tmp_path):
    first, second = generate_long(tmp_path / "a"), generate_long(tmp_path / "b")
    assert fingerprint(first) == fingerprint(second)
    assert truth(first) == truth(second)
    assert fingerprint(first) != fingerprint(generate_long(tmp_path / "c", seed=2))
    longer = generate_long(tmp_path / "long", articles=80)
    for article in (first / "articles").iterdir():
        assert article.read_bytes() == (longer / "articles" / article.name).read_bytes()


def test_long_story_topics_declare_each_trend(tmp_path):
    topics = generate_long(tmp_path / "t") / "topics"
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(topics.glob("*.yaml")))
    trends = re.findall(r"(?m)^    trend: (\S+)$", text)
    assert set(trends) == {"cumulative", "level", "fixed"}
    assert len(re.findall(r"(?m)^    window: 3d$", text)) == trends.count("level")


def test_long_story_values_are_distinct_and_grow_with_n(tmp_path):
    small, large = truth(generate_long(tmp_path / "s", articles=40)), truth(generate_long(tmp_path / "l", articles=160))
    assert large["stated_values"] >= 4 * small["stated_values"] * 0.9
    assert small["stated_values"] >= 9 * 40  # about ten stated figure values per article
    # daily counts: distinct values grow with N instead of saturating
    for figure in ("killed", "wounded", "children-killed"):
        assert large["distinct_values"][figure] >= 2.5 * small["distinct_values"][figure]
        assert small["distinct_values"][figure] >= 0.5 * small["by_figure"][figure]


def test_long_story_holds_each_trap_and_quotes_them(tmp_path):
    content = generate_long(tmp_path / "x", articles=60)
    facts = truth(content)
    assert {"typo", "estimate", "withdrawn"} <= {t["kind"] for t in facts["traps"]}
    assert {"today", "stale", "rounded", "body", "fixed"} <= set(facts["by_kind"])
    text = {p.stem: p.read_text(encoding="utf-8") for p in (content / "articles").iterdir() if p.suffix in (".md", ".txt")}
    for trap in facts["traps"]:
        assert trap["stated"] in text[trap["article"]], trap
        if trap["kind"] == "typo":
            assert trap["value"] >= 5 * trap["reported"]  # an extra digit
    everything = "\n".join(text.values())
    for words in ("As of ", "more than ", "Government Media Office", "Caldorian army", "health ministry", "still being held", "instead of"):
        assert words in everything, words


def test_long_story_builds(tmp_path):
    content = generate_long(tmp_path / "p", articles=40)
    out = tmp_path / "site"
    build_quietly(content, out)
    data = json.loads((out / "digest.json").read_text(encoding="utf-8"))
    assert len(data["articles"]) == 40
    assert {t["slug"] for t in data["topics"]} == {"casualties", "hostages", "displacement", "press"}
    values = sum(len(f["values"]) for t in data["topics"] for f in t["figures"])
    assert values >= 0.9 * truth(content)["stated_values"]  # the figures the articles state are the ones digest finds
