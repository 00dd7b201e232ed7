"""YAML that remembers where every key and value stood.

Curators edit YAML by hand, so every message must point at a line and column.
PyYAML's composer keeps marks on nodes; this module turns the node tree into
plain Python values plus a table of positions keyed by the value's path
(for example ``("figures", 0, "id")``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import ContentError, error
from .model import Position

try:  # the C parser is several times faster; fall back where libyaml is missing
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader



@dataclass
class YamlDoc:
    """Plain data plus the position of each value and each mapping key."""

    path: Path
    data: object
    values: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    keys: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    line_offset: int = 0  # front matter starts below the `---` line

    def where(self, *path, key: bool = False) -> Position:
        """Position of the value (or its key) at `path`, else of the nearest parent."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe not in table and probe:
            probe = probe[:-1]
        line, col = table.get(probe, (1, 1))
        return Position(self.path, line + self.line_offset, col)


def parse_yaml(text: str, path: Path, line_offset: int = 0) -> YamlDoc:
    """Parse one YAML document; raise ContentError with the position of any problem."""
    loader = _Loader(text)
    try:
        doc = YamlDoc(path, None, line_offset=line_offset)
        try:
            root = loader.get_single_node()
            if root is not None:
                doc.data = _convert(root, (), doc, loader, set())
        except yaml.MarkedYAMLError as exc:  # syntax, and tags no safe loader knows (`!python/object`)
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            message = f"invalid YAML: {exc.problem or exc.context}"
            tagged = isinstance(exc, yaml.constructor.ConstructorError)
            hint = "remove the `!tag`: plain values need none" if tagged else "check indentation, colons and quotes on this line"
            raise ContentError([error(path, line + line_offset, col, message, hint, "yaml-syntax")]) from None
        except yaml.YAMLError as exc:
            raise ContentError([error(path, 1 + line_offset, 1, f"invalid YAML: {exc}", code="yaml-syntax")]) from None
        return doc
    finally:
        loader.dispose()


# Control characters a double-quoted YAML string can spell ("\x01"): no title needs one, and XML (feed.xml) forbids them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _mark(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _convert(node, here: tuple, doc: YamlDoc, loader, seen: set[int]):
    if id(node) in seen:
        # An alias re-uses a node; content never needs them and they enable "billion laughs" bombs.
        line, col = _mark(node)
        raise ContentError(
            [error(doc.path, line + doc.line_offset, col, "YAML aliases (*name) are not supported", "write the value out in full", "yaml-alias")]
        )
    seen.add(id(node))
    doc.values[here] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        result: dict = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True) if isinstance(key_node, yaml.ScalarNode) else None
            line, col = _mark(key_node)
            if not isinstance(key, (str, int, float, bool)) or key == "<<":
                raise ContentError([error(doc.path, line + doc.line_offset, col, "mapping keys must be plain names", code="yaml-key")])
            key = str(key)
            if key in result:
                raise ContentError(
                    [error(doc.path, line + doc.line_offset, col, f"duplicate key `{key}`", "keep one of the two entries", "duplicate-key")]
                )
            doc.keys[here + (key,)] = (line, col)
            result[key] = _convert(value_node, here + (key,), doc, loader, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, here + (i,), doc, loader, seen) for i, item in enumerate(node.value)]
    try:
        value = loader.construct_object(node, deep=True)
    except (ValueError, OverflowError) as exc:  # a date YAML reads as one but the calendar has not: 2025-02-30, T25:00, +25:00
        line, col = _mark(node)
        hint = "write a real date, e.g. 2025-02-28 or 2025-02-28T09:30:00Z (hours 0-23, offsets within ±23:59), or quote it to keep it as text"
        raise ContentError([error(doc.path, line + doc.line_offset, col, f"`{node.value}` is not a valid date: {exc}", hint, "bad-date")]) from None
    return _CONTROL.sub("", value) if type(value) is str else value
