"""Stage 1, load: read catalogue YAML files safely, keeping where every value was written.

Values come back as plain ``dict``/``list``/``str`` subclasses that carry their origin, so a
later stage (validation, rendering, link checking) can point the user at ``file:line:col``.
Only YAML's safe subset is read, a key repeated in one mapping is an error (PyYAML would
silently keep the last one), and dates stay strings so that JSON Schema checks them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Diagnostic, Origin, error


class LocatedStr(str):
    """A string that knows where it was written. ``content_line`` is the line where the text
    itself starts (the line after ``key: |`` for block scalars)."""

    origin: Origin
    content_line: int
    quoted: bool

    def __new__(
        cls, value: str, origin: Origin, content_line: int | None = None, quoted: bool = False
    ) -> LocatedStr:
        obj = super().__new__(cls, value)
        obj.origin = origin
        obj.content_line = origin.line if content_line is None else content_line
        obj.quoted = quoted
        return obj


class LocatedDict(dict):  # type: ignore[type-arg]
    """A mapping with the origin of itself, of each key and of each value."""

    origin: Origin
    key_origins: dict[Any, Origin]
    value_origins: dict[Any, Origin]


class LocatedList(list):  # type: ignore[type-arg]
    """A sequence with the origin of itself and of each item."""

    origin: Origin
    item_origins: list[Origin]


def origin_at(data: Any, path: tuple[Any, ...] | list[Any], *, key: bool = False) -> Origin | None:
    """Origin of the value reached by ``path`` from ``data`` (or of its key when ``key``)."""
    node = data
    found: Origin | None = getattr(data, "origin", None)
    for i, step in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, LocatedDict) and step in node:
            origins = node.key_origins if (key and last) else node.value_origins
            found = origins.get(step, found)
            node = node[step]
        elif isinstance(node, LocatedList) and isinstance(step, int) and step < len(node):
            found = node.item_origins[step]
            node = node[step]
        else:
            break
    return found


class _CatalogueLoader(yaml.SafeLoader):
    """Safe loader building located values and recording duplicate keys."""

    def __init__(self, stream: str, display: str) -> None:
        super().__init__(stream)
        self.display = display
        self.duplicates: list[Diagnostic] = []

    def origin_of(self, node: Node) -> Origin:
        return Origin(self.display, node.start_mark.line + 1, node.start_mark.column + 1)


# Dates stay strings: JSON Schema (format: date) checks them, and output never depends on
# the timezone or the type PyYAML guesses.
_CatalogueLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_str(loader: _CatalogueLoader, node: ScalarNode) -> LocatedStr:
    origin = loader.origin_of(node)
    content_line = origin.line + 1 if node.style in ("|", ">") else origin.line
    quoted = node.style in ("'", '"')
    return LocatedStr(loader.construct_scalar(node), origin, content_line, quoted)


def _construct_mapping(loader: _CatalogueLoader, node: MappingNode) -> Iterator[LocatedDict]:
    result = LocatedDict()
    result.origin = loader.origin_of(node)
    result.key_origins = {}
    result.value_origins = {}
    yield result
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key = str(key)  # YAML allows `1:` or `yes:` as keys; the schema reports them by name
        key_origin = loader.origin_of(key_node)
        if key in result:
            first = result.key_origins[key]
            loader.duplicates.append(
                error(
                    key_origin,
                    f"key '{key}' is repeated in the same mapping (first at line {first.line})",
                    "keep one of them: YAML would silently drop the first value",
                )
            )
            continue
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_origins[key] = key_origin
        result.value_origins[key] = loader.origin_of(value_node)


def _construct_sequence(loader: _CatalogueLoader, node: SequenceNode) -> Iterator[LocatedList]:
    result = LocatedList()
    result.origin = loader.origin_of(node)
    result.item_origins = [loader.origin_of(child) for child in node.value]
    yield result
    result.extend(loader.construct_object(child, deep=True) for child in node.value)


_CatalogueLoader.add_constructor("tag:yaml.org,2002:str", _construct_str)
_CatalogueLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_CatalogueLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


@dataclass
class LoadedFile:
    """One YAML file: its data (None when unreadable) and the problems met while reading it."""

    path: Path
    display: str
    data: Any
    diagnostics: list[Diagnostic] = field(default_factory=list)
    entry_type: Any = None  # the model's EntryType for entry files, None for vocabularies


def parse_yaml(text: str, display: str) -> tuple[Any, list[Diagnostic]]:
    """Parse YAML text; return the located data (None on a syntax error) and diagnostics."""
    loader = _CatalogueLoader(text, display)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        origin = Origin(display, mark.line + 1, mark.column + 1) if mark else Origin(display)
        problem = exc.problem or exc.context or "syntax error"
        if exc.context and exc.problem:
            problem = f"{exc.context}, {exc.problem}"
        return None, [
            error(
                origin,
                f"invalid YAML: {problem}",
                "check the indentation and put text containing ': ' or ' #' in quotes",
            )
        ]
    except yaml.YAMLError as exc:  # e.g. a reader error on a control character
        return None, [error(Origin(display), f"invalid YAML: {exc}", "save the file as plain UTF-8 text")]
    finally:
        loader.dispose()
    return data, list(loader.duplicates)


def load_yaml_file(path: Path, display: str) -> LoadedFile:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return LoadedFile(
            path, display, None,
            [error(Origin(display), f"the file is not valid UTF-8 ({exc.reason} at byte {exc.start})",
                   "save it as UTF-8 (the default of GitHub's web editor)")],
        )
    data, diagnostics = parse_yaml(text, display)
    if data is None and not diagnostics:
        diagnostics.append(error(Origin(display), "the file is empty", "fill it in or delete it"))
    return LoadedFile(path, display, data, diagnostics)
