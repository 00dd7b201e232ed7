#!/usr/bin/env python3
"""The baseline digest is compared with: the bare markdown-it-py + Jinja2 loop.

    python bench/bare.py CONTENT_DIR OUT_DIR

Single process, no analysis: for each article, read its metadata (front
matter, or the sidecar .yaml of a raw .txt), render the body with markdown-it-py
("commonmark", html off — the settings digest uses) into a minimal Jinja2
page, and write OUT_DIR/articles/<slug>/index.html.  Prints the page count.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from jinja2 import Environment
from markdown_it import MarkdownIt

try:
    Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    Loader = yaml.SafeLoader

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><article><h1>{{ title }}</h1>
<p>{{ source }} · {{ published }} · <a href="{{ url }}">original</a></p>
{{ body | safe }}
</article></body></html>
"""


def split_front_matter(text: str) -> tuple[dict, str]:
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            return yaml.load(text[4:end], Loader=Loader) or {}, text[end + 4 :].lstrip("\n")
    return {}, text


def main(argv: list[str]) -> int:
    content, out = Path(argv[0]), Path(argv[1])
    markdown = MarkdownIt("commonmark", {"html": False})
    template = Environment(autoescape=True).from_string(PAGE)
    pages = 0
    for path in sorted((content / "articles").iterdir()):
        if path.suffix == ".md":
            meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        elif path.suffix == ".txt":
            meta = yaml.load(path.with_suffix(".yaml").read_text(encoding="utf-8"), Loader=Loader) or {}
            body = path.read_text(encoding="utf-8")
        else:
            continue
        html = template.render(title=meta.get("title", path.stem), source=meta.get("source", ""), published=meta.get("published", ""), url=meta.get("url", ""), body=markdown.render(body))
        target = out / "articles" / path.stem / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        pages += 1
    print(pages)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
