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
    source: str | None  # the scalar as written in the file (quotes, block header included)
    style: str | None  # PyYAML's scalar style: None (plain), "'", '"', "|" or ">"

    def __new__(
        cls,
        value: str,
        origin: Origin,
        content_line: int | None = None,
        quoted: bool = False,
        source: str | None = None,
        style: str | None = None,
    ) -> LocatedStr:
        obj = super().__new__(cls, value)
        obj.origin = origin
        obj.content_line = origin.line if content_line is None else content_line
        obj.quoted = quoted
        obj.source = source
        obj.style = style
        return obj

    def origin_in_text(self, line_offset: int, col: int) -> Origin:
        """Where the text's character at (0-based ``line_offset``, 1-based ``col``) is written.

        Folded (``>``) and multi-line plain scalars join lines and every block scalar drops its
        indentation, so positions inside the value differ from positions in the file; they are
        found again by matching the non-blank characters of the value with the source text.
        """
        index = _index_of(self, line_offset, col)
        return self._source_origin(index) or self._approximate_origin(line_offset, col)

    def _source_origin(self, index: int) -> Origin | None:
        raw = self.source
        if raw is None or not 0 <= index < len(self) or self[index].isspace():
            return None
        if self.style == '"' and "\\" in raw:
            return None  # escapes change the text's length: give up on the exact column
        start = raw.find("\n") + 1 if self.style in ("|", ">") else (1 if self.quoted else 0)
        skip = sum(1 for char in self[:index] if not char.isspace())
        i = start
        while i < len(raw):
            char = raw[i]
            if not char.isspace():
                if skip == 0:
                    if char != self[index]:
                        return None
                    line = self.origin.line + raw.count("\n", 0, i)
                    newline = raw.rfind("\n", 0, i)
                    col = i - newline if newline >= 0 else self.origin.col + i
                    return Origin(self.origin.path, line, col)
                skip -= 1
                if self.style == "'" and raw.startswith("''", i):
                    i += 1  # '' is one quote in a single-quoted scalar
            i += 1
        return None

    def _approximate_origin(self, line_offset: int, col: int) -> Origin:
        if line_offset == 0 and self.content_line == self.origin.line:
            col += self.origin.col - 1 + (1 if self.quoted else 0)
        return Origin(self.origin.path, self.content_line + line_offset, col)


def _index_of(text: str, line_offset: int, col: int) -> int:
    start = 0
    for _ in range(line_offset):
        start = text.find("\n", start) + 1
        if start == 0:
            return -1
    return start + col - 1


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
        self.text = stream
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
    source = loader.text[node.start_mark.index : node.end_mark.index]
    return LocatedStr(
        loader.construct_scalar(node), origin, content_line, quoted, source, node.style
    )


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
                    f"the field '{key}' is written twice (first at line {first.line})",
                    "keep only one: otherwise the first value would be silently ignored",
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


# PyYAML's wording of the usual mistakes, said for a contributor who is not a programmer:
# (words in PyYAML's problem, words in its context or "", use the context's position,
#  message, hint). The first match wins; anything else keeps PyYAML's own words.
_SYNTAX_MESSAGES: tuple[tuple[str, str, bool, str, str], ...] = (
    ("mapping values are not allowed", "", False,
     "unexpected ':' (a colon followed by a space starts a new field)",
     "put text containing ': ' in quotes, e.g. fr: \"Noyaux : détection\", "
     "or check the indentation of this line"),
    ("character '\\t'", "", False,
     "a tab character is used here",
     "indent with spaces only: replace the tab with spaces"),
    ("expected <block end>", "", False,
     "this line is not indented like the lines above it",
     "fields of the same level start in the same column; indent with spaces"),
    ("end of stream", "quoted scalar", True,
     "a quote opened here is never closed",
     "add the closing quote at the end of the text"),
    ("", "flow sequence", True,
     "the list '[' opened here is not closed properly",
     "separate the items with commas, end the list with ']' and put items containing "
     "':' or ',' in quotes"),
    ("", "flow mapping", True,
     "the '{' opened here is not closed properly",
     "separate the fields with commas, end it with '}' and put text containing "
     "':' or ',' in quotes"),
    ("another document", "", False,
     "a second document starts here ('---'), but a file holds one entry",
     "remove the '---' line, or move what follows to a file of its own"),
    ("", "scanning an alias", True,
     "a value starts with '*', which YAML reads as a reference to an anchor",
     "put the text in quotes, e.g. \"*text*\""),
    ("undefined alias", "", False,
     "a value starts with '*', which YAML reads as a reference to an anchor",
     "put the text in quotes, e.g. \"*text*\""),
)


def _syntax_error(exc: yaml.MarkedYAMLError, display: str) -> Diagnostic:
    problem, context = exc.problem or "", exc.context or ""
    known = next((m for m in _SYNTAX_MESSAGES if m[0] in problem and m[1] in context), None)
    if known:
        _, _, at_context, message, hint = known
        mark = (exc.context_mark if at_context else None) or exc.problem_mark
    else:
        mark = exc.problem_mark or exc.context_mark
        message = f"{context}, {problem}" if context and problem else problem or context
        message = message or "syntax error"
        hint = "check the indentation and put text containing ': ' or ' #' in quotes"
    origin = Origin(display, mark.line + 1, mark.column + 1) if mark else Origin(display)
    return error(origin, f"YAML syntax error: {message}", hint)


def parse_yaml(text: str, display: str) -> tuple[Any, list[Diagnostic]]:
    """Parse YAML text; return the located data (None on a syntax error) and diagnostics."""
    try:
        loader = _CatalogueLoader(text, display)
    except yaml.reader.ReaderError as exc:  # a control character, checked before parsing
        return None, [_reader_error(exc, text, display)]
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_error(exc, display)]
    except yaml.reader.ReaderError as exc:
        return None, [_reader_error(exc, text, display)]
    finally:
        loader.dispose()
    return data, list(loader.duplicates)


def _reader_error(exc: yaml.reader.ReaderError, text: str, display: str) -> Diagnostic:
    line, col = _line_col(text, exc.position)
    return error(
        Origin(display, line, col),
        f"the file contains an invisible control character (code {exc.character:#04x})",
        "delete it and type the text again; it often comes with text pasted from a PDF",
    )


def _line_col(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def load_yaml_file(path: Path, display: str) -> LoadedFile:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        # the column counts characters, so decode the readable start of the line
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        return LoadedFile(
            path, display, None,
            [error(Origin(display, line, col),
                   f"the file is not saved as UTF-8 text (byte {raw[exc.start]:#04x} here "
                   "is not a UTF-8 character)",
                   "save the file with the UTF-8 encoding, as GitHub's web editor does; in "
                   "other encodings accented letters such as é cannot be read")],
        )
    data, diagnostics = parse_yaml(text, display)
    if data is None and not diagnostics:
        diagnostics.append(error(Origin(display), "the file is empty", "fill it in or delete it"))
    return LoadedFile(path, display, data, diagnostics)
