"""Markdown for untrusted text: article bodies come from the open web, notes from curators.

Raw HTML is shown as text, and links keep only http, https, mailto and
relative targets; any other link (javascript:, data:, file:, ...) renders as
its plain text.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
SAFE_SCHEMES = {"http", "https", "mailto"}


def safe_link(url: str) -> bool:
    """True for http(s), mailto and relative links; everything else becomes plain text."""
    found = _SCHEME.match(url)
    return found is None or found.group(1).lower() in SAFE_SCHEMES


markdown = MarkdownIt("commonmark", {"html": False})
markdown.validateLink = safe_link
