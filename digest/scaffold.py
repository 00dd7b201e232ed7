"""`digest new`: files a curator starts from, with every field present and explained."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .load import slug_for
from .schema import SCHEMAS, schema_json

SCAFFOLDS = Path(__file__).parent / "scaffolds"


class ScaffoldError(Exception):
    """The file cannot be created (it exists, or the name gives no slug)."""


def write_schemas(project: Path) -> Path:
    """Keep `schemas/*.schema.json` in the project current, so editors find them by a relative path."""
    folder = project / "schemas"
    folder.mkdir(parents=True, exist_ok=True)
    for name in SCHEMAS:
        target = folder / f"{name}.schema.json"
        text = schema_json(name)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
    return folder


def _create(path: Path, text: str) -> Path:
    if path.exists():
        raise ScaffoldError(f"{path} already exists; choose another name or edit that file")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    write_schemas(path.parents[2])
    return path


def _slug(name: str) -> str:
    slug = slug_for(name)
    if not slug:
        raise ScaffoldError(f"{name!r} gives no usable file name; use letters or digits")
    return slug


def new_topic(content_dir: Path, name: str) -> Path:
    template = (SCAFFOLDS / "topic.yaml").read_text(encoding="utf-8")
    text = template.format(schema="../../schemas/topic.schema.json", title=json.dumps(name, ensure_ascii=False))
    return _create(content_dir / "topics" / f"{_slug(name)}.yaml", text)


def new_article(content_dir: Path, title: str, today: dt.date | None = None) -> Path:
    template = (SCAFFOLDS / "article.md").read_text(encoding="utf-8")
    today = today or dt.date.today()
    text = template.format(schema="../../schemas/article.schema.json", title=json.dumps(title, ensure_ascii=False), today=today.isoformat())
    return _create(content_dir / "articles" / f"{_slug(title)}.md", text)
