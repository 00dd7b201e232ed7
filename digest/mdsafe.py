"""Markdown for untrusted text: article bodies come from the open web, notes from curators.

Raw HTML is shown as text, and links keep only http, https, mailto and
relative targets; any other link (javascript:, data:, file:, ...) renders as
its plain text. An image is shown as a link to it: an image from another site
loads on every reader's visit, a tracking pixel in an untrusted article. A site
that wants them sets `remote_images: true` (see `article_markdown`).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
SAFE_SCHEMES = {"http", "https", "mailto"}


def safe_link(url: str) -> bool:
    """True for http(s), mailto and relative links; everything else becomes plain text."""
    found = _SCHEME.match(url)
    return found is None or found.group(1).lower() in SAFE_SCHEMES


def _image_as_link(renderer, tokens, idx, options, env) -> str:
    token = tokens[idx]
    alt = renderer.renderInlineAsText(token.children or [], options, env)
    return f'<a class="image-link" href="{escapeHtml(token.attrGet("src") or "")}">image: {escapeHtml(alt) if alt else "no description"}</a>'


def _safe_markdown(images: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    md.validateLink = safe_link
    if not images:
        md.add_render_rule("image", _image_as_link)
    return md


markdown = _safe_markdown(images=False)
_with_images = _safe_markdown(images=True)


def article_markdown(images: bool) -> MarkdownIt:
    """The Markdown renderer of article text: images as links unless the site allows them (`remote_images`)."""
    return _with_images if images else markdown
