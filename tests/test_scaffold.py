"""`digest new topic|article`: scaffolds that load, explain every field, and never overwrite."""

from __future__ import annotations

import json

from digest.load import load_content
from digest.schema import SCHEMAS, schema_file, schema_json


def test_new_topic_writes_a_valid_documented_topic(project):
    project.article("a", "Talks.\n")
    result = project.run("new", "topic", "Sticking points")
    assert result.exit_code == 0, result.output
    path = project.content / "topics/sticking-points.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schemas/topic.schema.json")
    for field in ("title", "summary", "order", "match", "figures", "claims", "disagreements", "pin", "hide", "notes"):
        assert f"\n{field}:" in text
    content, _ = load_content(project.content)
    assert content.topics[0].title == "Sticking points"


def test_new_topic_writes_the_schema_the_comment_points_to(project):
    project.run("new", "topic", "Delegations")
    schema = json.loads((project.root / "schemas/topic.schema.json").read_text())
    assert schema["properties"]["title"]["type"] == "string"


def test_new_refuses_to_overwrite(project):
    project.run("new", "topic", "Delegations")
    result = project.run("new", "topic", "Delegations")
    assert result.exit_code == 2
    assert "already exists" in result.stderr


def test_new_article_asks_for_its_outlet_through_check(project):
    assert project.run("new", "article", "Talks resume: day two").exit_code == 0
    path = project.content / "articles/talks-resume-day-two.md"
    assert "title: \"Talks resume: day two\"" in path.read_text()
    result = project.run("check")
    assert result.exit_code == 1
    assert "talks-resume-day-two.md:4:9: error: `source` must not be empty" in result.stderr


def test_shipped_schemas_are_generated_from_the_loader_model():
    for name in SCHEMAS:
        assert schema_file(name).read_text() == schema_json(name)


def test_the_figures_a_new_topic_shows_load_once_uncommented(project):
    project.article("a", "Talks.\n")
    project.run("new", "topic", "Humanitarian figures")
    path = project.content / "topics/humanitarian-figures.yaml"
    lines = path.read_text().splitlines()
    start = lines.index("figures: []")
    block = ["figures:"]
    for line in lines[start + 1 :]:
        if not line.startswith("#  "):
            break
        block.append(line[1:])
    path.write_text("\n".join(lines[:start] + block + lines[start + len(block) :]) + "\n")
    content, _ = load_content(project.content)
    assert [(f.id, f.trend, f.window) for f in content.topics[0].figures] == [("gaza-killed", "cumulative", 3), ("hostages-held", "level", 3)]
