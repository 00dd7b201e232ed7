"""The file formats, declared once as JSON Schema.

The same dictionaries validate content at load time and are shipped as
``digest/schemas/*.schema.json`` for editors, so the two cannot drift.
Only the subset of JSON Schema used here is implemented by `validate`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from pathlib import Path

from .errors import Diagnostic
from .yamlpos import YamlDoc

_STRINGS = {"type": "array", "items": {"type": "string", "minLength": 1}}
_PASSAGE_REFS = {
    "type": "array",
    "items": {"type": "string", "pattern": r"^[^#\s]+#[1-9][0-9]*$"},
    "description": "Passages as `article-slug#N` (N counts the article's blocks from 1).",
}

TOPIC_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "digest topic",
    "description": "One digest topic: which passages belong to it, which figures to compare, curated claims.",
    "type": "object",
    "required": ["title"],
    "additionalProperties": False,
    "properties": {
        "title": {"type": "string", "minLength": 1, "description": "Shown as the page heading."},
        "summary": {"type": "string", "description": "One sentence shown under the title and on the index."},
        "order": {"type": "integer", "description": "Position on the index; lower comes first."},
        "match": {
            "type": "object",
            "additionalProperties": False,
            "description": "Which passages belong here. Words and phrases match whole words, case-insensitively; /.../ is a regular expression.",
            "properties": {
                "any": {**_STRINGS, "description": "A passage needs at least one of these."},
                "all": {**_STRINGS, "description": "A passage needs every one of these."},
                "exclude": {**_STRINGS, "description": "A passage with any of these is left out."},
            },
        },
        "figures": {
            "type": "array",
            "description": "Quantities to extract and compare across sources.",
            "items": {
                "type": "object",
                "required": ["id", "terms"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$", "description": "Unique within the topic, e.g. gaza-killed."},
                    "label": {"type": "string", "description": "Human name of the quantity."},
                    "terms": {**_STRINGS, "minItems": 1, "description": "What is counted; one must stand in the number's sentence."},
                    "near": {**_STRINGS, "description": "One must occur in the same sentence or paragraph."},
                    "exclude": {**_STRINGS, "description": "A sentence with any of these is ruled out."},
                    "tolerance": {"type": "number", "minimum": 0, "maximum": 1, "description": "Relative difference below which values agree (default 0.05)."},
                    "trend": {
                        "type": "string",
                        "enum": ["cumulative", "level", "fixed"],
                        "description": "How the quantity moves over time: cumulative (default; a count that only grows, like people killed so far), level (rises and falls, like hostages still held; compared within `window`) or fixed (the count of one past event, compared whatever the dates).",
                    },
                    "window": {
                        "type": "string",
                        "pattern": r"^[1-9][0-9]{0,3}[dw]$",
                        "hint": "write a number of days or weeks, e.g. 3d or 2w",
                        "description": "With trend: level, how far apart two as-of dates may be and still be the same time, in days or weeks (default 3d).",
                    },
                },
            },
        },
        "claims": {
            "type": "array",
            "description": "Curated statements, each with the articles that support it.",
            "items": {
                "type": "object",
                "required": ["text", "sources"],
                "additionalProperties": False,
                "properties": {
                    "text": {"type": "string", "minLength": 1},
                    "sources": {**_STRINGS, "minItems": 1, "description": "Article slugs."},
                },
            },
        },
        "disagreements": {
            "type": "array",
            "description": "Curated disagreements the machine cannot see.",
            "items": {
                "type": "object",
                "required": ["about", "positions"],
                "additionalProperties": False,
                "properties": {
                    "about": {"type": "string", "minLength": 1},
                    "positions": {
                        "type": "array",
                        "minItems": 2,
                        "items": {
                            "type": "object",
                            "required": ["source", "says"],
                            "additionalProperties": False,
                            "properties": {
                                "source": {"type": "string", "minLength": 1, "description": "Article slug."},
                                "says": {"type": "string", "minLength": 1},
                            },
                        },
                    },
                },
            },
        },
        "resolved": {
            "type": "array",
            "description": "Disagreements the curator has looked into: shown as resolved, with the note, never hidden.",
            "items": {
                "type": "object",
                "required": ["note"],
                "additionalProperties": False,
                "properties": {
                    "figure": {"type": "string", "minLength": 1, "description": "The figure id of the disagreement."},
                    "about": {"type": "string", "minLength": 1, "description": "Or the `about` of a curated disagreement."},
                    "article": {"type": "string", "minLength": 1, "description": "Only disagreements involving this article (slug)."},
                    "note": {"type": "string", "minLength": 1, "description": "What the curator found, e.g. 445,581 is a typo for 45,581."},
                },
            },
        },
        "pin": {**_PASSAGE_REFS, "description": "Passages always included (article#N)."},
        "hide": {**_PASSAGE_REFS, "description": "Passages never included (article#N)."},
        "notes": {"type": "string", "description": "Markdown shown at the top of the topic page."},
    },
}

ARTICLE_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "digest article front matter",
    "description": "Metadata of one source article (front matter of a .md, or the sidecar .yaml of a raw .txt).",
    "type": "object",
    "required": ["title", "source", "url", "published"],
    "additionalProperties": False,
    "properties": {
        "title": {"type": "string", "minLength": 1},
        "source": {"type": "string", "minLength": 1, "description": "The outlet, e.g. Reuters."},
        "url": {"type": "string", "pattern": r"^https?://\S+$", "description": "Link back to the original (http or https)."},
        "published": {"type": "string", "format": "date-or-datetime", "description": "2024-12-20 or 2024-12-20T09:30:00Z."},
        "author": {"type": "string"},
        "language": {"type": "string"},
    },
}

SITE_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "digest site settings",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "title": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "base_url": {
            "type": "string",
            "pattern": r"^(https?://[^\s\"'<>]+)?$",
            "hint": "write an http(s) address such as https://user.github.io/repo/, or leave it out",
            "description": "Where the site is published, e.g. https://user.github.io/repo/ (http or https only).",
        },
        "remote_images": {
            "type": "boolean",
            "description": "Show images in articles as images (default false: a link to each). An image from another site loads on every reader's visit and can track them.",
        },
        "language": {"type": "string"},
        "theme": {"type": "string", "pattern": r"^[A-Za-z0-9_-]+$"},
        "cleaning": {
            "type": "object",
            "additionalProperties": False,
            "description": "Boilerplate rules for raw scraped text, added to the shipped ones.",
            "properties": {
                "defaults": {"type": "boolean", "description": "false switches the shipped rules off."},
                "exact": _STRINGS,
                "prefixes": _STRINGS,
                "patterns": _STRINGS,
            },
        },
    },
}

SCHEMAS = {"topic": TOPIC_SCHEMA, "article": ARTICLE_SCHEMA, "site": SITE_SCHEMA}

_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of keys to values",
}
_EXAMPLES = {"string": '"some text"', "integer": "3", "number": "0.05", "boolean": "true", "array": "[a, b]", "object": "{key: value}"}


def schema_file(name: str) -> Path:
    """Where the shipped copy of a schema lives (for `$schema` lines in scaffolds)."""
    return Path(__file__).parent / "schemas" / f"{name}.schema.json"


def schema_json(name: str) -> str:
    return json.dumps(SCHEMAS[name], indent=2) + "\n"


def validate(doc: YamlDoc, schema: dict) -> list[Diagnostic]:
    """Every way `doc.data` breaks `schema`, each at the position of the offending key or value."""
    problems: list[Diagnostic] = []
    _check(doc, doc.data, schema, (), problems)
    return problems


def _problem(doc: YamlDoc, at: tuple, message: str, hint: str, code: str, key: bool = False) -> Diagnostic:
    return Diagnostic(doc.where(*at, key=key), message, hint, "error", code)


def _describe(at: tuple) -> str:
    text = ""
    for part in at:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return f"`{text}`" if text else "the file"


def _type_ok(value, expected: str) -> bool:
    if expected == "string":
        return isinstance(value, str)
    if expected == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if expected == "boolean":
        return isinstance(value, bool)
    if expected == "array":
        return isinstance(value, list)
    return isinstance(value, dict)


def _check(doc: YamlDoc, value, schema: dict, at: tuple, problems: list[Diagnostic]) -> None:
    expected = schema.get("type")
    if schema.get("format") == "date-or-datetime":
        if not isinstance(value, (dt.date, dt.datetime)):
            problems.append(_problem(doc, at, f"{_describe(at)} must be a date, got {value!r}", "write it as 2024-12-20 or 2024-12-20T09:30:00Z", "wrong-type"))
        return
    if expected and not _type_ok(value, expected):
        got = "nothing" if value is None else type(value).__name__
        problems.append(
            _problem(doc, at, f"{_describe(at)} must be {_TYPE_NAMES[expected]}, got {got}", f"for example: {at[-1] if at else 'value'}: {_EXAMPLES[expected]}", "wrong-type")
        )
        return
    if expected == "object":
        properties = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                problems.append(_problem(doc, at, f"missing required field `{key}`" + (f" in {_describe(at)}" if at else ""), f"add `{key}: ...`", "missing-field"))
        for key, item in value.items():
            if key in properties:
                _check(doc, item, properties[key], at + (key,), problems)
            elif schema.get("additionalProperties") is False:
                close = difflib.get_close_matches(key, list(properties), n=1, cutoff=0.6)
                hint = f"did you mean `{close[0]}`?" if close else "known keys: " + ", ".join(properties)
                problems.append(_problem(doc, at + (key,), f"unknown key `{key}`", hint, "unknown-key", key=True))
    elif expected == "array":
        if len(value) < schema.get("minItems", 0):
            problems.append(_problem(doc, at, f"{_describe(at)} needs at least {schema['minItems']} item(s)", "", "too-few"))
        for i, item in enumerate(value):
            _check(doc, item, schema.get("items", {}), at + (i,), problems)
    elif expected == "string":
        if len(value) < schema.get("minLength", 0):
            problems.append(_problem(doc, at, f"{_describe(at)} must not be empty", "", "empty"))
        elif "enum" in schema and value not in schema["enum"]:
            close = difflib.get_close_matches(value, schema["enum"], n=1, cutoff=0.6)
            hint = f"did you mean `{close[0]}`?" if close else "one of: " + ", ".join(schema["enum"])
            problems.append(_problem(doc, at, f"{_describe(at)} must be one of {', '.join(schema['enum'])}, got {value!r}", hint, "bad-value"))
        elif "pattern" in schema and not re.search(schema["pattern"], value):
            problems.append(_problem(doc, at, f"{_describe(at)} has an unexpected form: {value!r}", schema.get("hint", f"it must match {schema['pattern']}"), "bad-value"))
    elif expected in ("integer", "number"):
        if "minimum" in schema and value < schema["minimum"] or "maximum" in schema and value > schema["maximum"]:
            problems.append(_problem(doc, at, f"{_describe(at)} must be between {schema.get('minimum')} and {schema.get('maximum')}", "", "bad-value"))


if __name__ == "__main__":  # `python -m digest.schema` regenerates the shipped copies
    for name in SCHEMAS:
        schema_file(name).write_text(schema_json(name), encoding="utf-8")
