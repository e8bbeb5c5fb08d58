"""Stage 1, load: read catalogue YAML files safely, keeping where every value was written.

Values come back as plain ``dict``/``list``/``str`` subclasses that carry their origin, so a
later stage (validation, rendering, link checking) can point the user at ``file:line:col``.
Only plain YAML is read: no anchors, aliases, merge keys or tags, a bounded nesting depth, no
symbolic links, files of a sane size. A key repeated in one mapping is an error (PyYAML would
silently keep the last one), and dates stay strings so that JSON Schema checks them. Whatever
the file holds, loading it never raises: every problem is a diagnostic at its place.
"""

from __future__ import annotations

import gc
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, Origin, error
from .text import LinePositions, line_col


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
        # one dict instead of five attribute assignments: the loader makes one per scalar
        obj.__dict__ = {
            "origin": origin,
            "content_line": origin.line if content_line is None else content_line,
            "quoted": quoted,
            "source": source,
            "style": style,
        }
        return obj

    def origin_in_text(self, line_offset: int, col: int) -> Origin:
        """Where the text's character at (0-based ``line_offset``, 1-based ``col``) is written.

        Folded (``>``) and multi-line plain scalars join lines and every block scalar drops its
        indentation, so positions inside the value differ from positions in the file; they are
        found again by matching the non-blank characters of the value with the source text.
        The tables for that are made once per text, so each look-up is cheap (a text may hold
        thousands of links).
        """
        index = self._table("lines", lambda: LinePositions(self)).offset(line_offset + 1, col)
        return self._source_origin(index) or self._approximate_origin(line_offset, col)

    def _table(self, name: str, make: Callable[[], Any]) -> Any:
        cached = self.__dict__.setdefault("_tables", {})
        if name not in cached:
            cached[name] = make()
        return cached[name]

    def _source_origin(self, index: int) -> Origin | None:
        raw = self.source
        if raw is None or not 0 <= index < len(self) or self[index].isspace():
            return None
        # the n-th non-blank character of the value is the n-th one of the source (an escape,
        # '\\"' or '\\u00e9', counts as the one character it stands for, found at its '\\')
        value_marks = self._table("value", lambda: _non_blank(self))
        source_marks = self._table("source", self._source_non_blank)
        rank = bisect_left(value_marks, index)
        if rank >= len(source_marks):
            return None
        i = source_marks[rank]
        escaped = self.style == '"' and raw[i] == "\\"
        if raw[i] != self[index] and not escaped:
            return None
        line, col = self._table("source lines", lambda: LinePositions(raw)).at(i)
        if line == 1:
            return Origin(self.origin.path, self.origin.line, self.origin.col + i)
        return Origin(self.origin.path, self.origin.line + line - 1, col)

    def _source_non_blank(self) -> list[int]:
        """Offsets in the source of the value's non-blank characters, in order."""
        raw = self.source or ""
        start = raw.find("\n") + 1 if self.style in ("|", ">") else (1 if self.quoted else 0)
        found: list[int] = []
        i = start
        while i < len(raw):
            if self.style == '"' and raw[i] == "\\":
                escape = _ESCAPE.match(raw, i)
                if escape is not None:
                    if _escaped_char(escape.group(1)).strip():  # not a blank, nor a line join
                        found.append(i)
                    i = escape.end()
                    continue
            if not raw[i].isspace():
                found.append(i)
                if self.style == "'" and raw.startswith("''", i):
                    i += 1  # '' is one quote in a single-quoted scalar
            i += 1
        return found

    def _approximate_origin(self, line_offset: int, col: int) -> Origin:
        if line_offset == 0 and self.content_line == self.origin.line:
            col += self.origin.col - 1 + (1 if self.quoted else 0)
        return Origin(self.origin.path, self.content_line + line_offset, col)


class LocatedDict(dict):  # type: ignore[type-arg]
    """A mapping with the origin of itself, of each key and of each value."""

    origin: Origin
    key_origins: dict[Any, Origin]
    value_origins: dict[Any, Origin]


class LocatedList(list):  # type: ignore[type-arg]
    """A sequence with the origin of itself and of each item."""

    origin: Origin
    item_origins: list[Origin]


def _non_blank(text: str) -> list[int]:
    return [i for i, char in enumerate(text) if not char.isspace()]


def strings_in(value: Any) -> Iterator[str]:
    """Every string in a value (a text, a list, a mapping of them), in order."""
    pending = [value]  # a stack, not recursion: validate walks every value of every file
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            pending.extend(reversed(item.values()))
        elif isinstance(item, list):
            pending.extend(reversed(item))


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


# --- parsing: YAML events → located values ---------------------------------------------------
#
# Both parsers deliver the same events: libyaml's C parser (inside the PyYAML wheel, about ten
# times faster) and PyYAML's pure-Python one, whose error messages the contributor sees (a file
# that fails with the C parser is parsed again with the Python one). Values are built straight
# from the events, so whatever the parser, the data and positions are the same, and the
# catalogue's limits hold in one place: no anchors, aliases, merge keys or tags (a catalogue
# never needs them, and aliases make "billion laughs" bombs), a bounded nesting depth (deep
# nesting exhausts Python's stack in later stages), and numbers of a sane length.

MAX_DEPTH = 32  # an entry needs 5 levels (links > item > label > fr)
MAX_NUMBER_LENGTH = 100  # characters; longer digit strings are no catalogue number
MAX_FILE_BYTES = 256 * 1024  # the largest real entry is about 6 KB
_STR, _VALUE, _MERGE = (f"tag:yaml.org,2002:{name}" for name in ("str", "value", "merge"))
_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
# libyaml and PyYAML treat these differently (a BOM or a tab inside a line): files containing
# one are read by the Python parser only.
_PYTHON_ONLY = re.compile("[\t\ufeff]")
# Line breaks YAML knows but editors, git and GitHub do not all show as one: they would make
# YAML's line numbers differ from the contributor's, so they are refused where they are.
_ODD_BREAK = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
_BREAK_NAMES = {"\r": "a carriage return (CR) without a line feed", "\x85": "U+0085 (NEXT LINE)",
                "\u2028": "U+2028 (LINE SEPARATOR)", "\u2029": "U+2029 (PARAGRAPH SEPARATOR)"}


# What a file may not hold as it is (YAML's non-printable characters, the line breaks of
# _ODD_BREAK, a carriage return on its own) is refused when a double-quoted escape writes it.
_NOT_TEXT = re.compile("[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
# A comment right after an unquoted value, on its line: `en: A tool #1 for nuclei.` is the
# text "A tool" for YAML, and the rest vanishes without a word.
_COMMENT_AFTER = re.compile(r"[ \t]+#([^\n]*)")


def _escaped_char(code: str) -> str:
    """The character a double-quoted escape (``\\x01`` without its backslash) stands for."""
    if code[0] in "xuU" and len(code) > 1:
        return chr(int(code[1:], 16)) if int(code[1:], 16) <= 0x10FFFF else ""
    replaced: str = yaml.scanner.Scanner.ESCAPE_REPLACEMENTS.get(code, "")
    return replaced


def unwritable_character(text: str) -> tuple[int, str] | None:
    """Where the first character of ``text`` that a catalogue file may not hold is, and what
    it is (e.g. "an invisible control character (U+0001)"); None when there is none."""
    found = _NOT_TEXT.search(text)
    if found is None:
        return None
    return found.start(), f"{_character_kind(found.group())} (U+{ord(found.group()):04X})"


def _character_kind(char: str) -> str:
    if char in "\r\x85\u2028\u2029":
        return "a line break that editors do not all show as one"
    if "\ud800" <= char <= "\udfff":
        return "half of a character (a lone surrogate)"
    if char in "\ufffe\uffff":
        return "a non-character"
    return "an invisible control character"


class _CatalogueResolver(yaml.resolver.Resolver):
    """YAML 1.1 implicit types, except timestamps: dates stay strings, so that JSON Schema
    (format: date) checks them and output never depends on the type PyYAML guesses."""


_CatalogueResolver.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}


class _PythonParser(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.constructor.SafeConstructor,
    _CatalogueResolver,
):
    def __init__(self, text: str) -> None:
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        _CatalogueResolver.__init__(self)

    def scan_plain(self) -> Any:
        """PyYAML's own ``Scanner.scan_plain`` (MIT licence), but a ``?`` does not end an
        unquoted value inside ``[...]`` or ``{...}``: libyaml (since 0.2.1) and YAML 1.2 read
        ``[what is a GPU?, CUDA]`` as two values where PyYAML's scanner refused the file, so
        a file's fate depended on which parser read it (tests/test_fuzz_validate.py)."""
        chunks: list[str] = []
        start_mark = self.get_mark()
        end_mark = start_mark
        indent = self.indent + 1
        spaces: list[str] | None = []
        blanks = "\0 \t\r\n\x85\u2028\u2029"
        while True:
            length = 0
            if self.peek() == "#":
                break
            while True:
                ch = self.peek(length)
                if (ch in blanks
                        or (ch == ":" and self.peek(length + 1)
                            in blanks + (",[]{}" if self.flow_level else ""))
                        or (self.flow_level and ch in ",[]{}")):
                    break
                length += 1
            if length == 0:
                break
            self.allow_simple_key = False
            chunks.extend(spaces or [])
            chunks.append(self.prefix(length))
            self.forward(length)
            end_mark = self.get_mark()
            spaces = self.scan_plain_spaces(indent, start_mark)
            if not spaces or self.peek() == "#" or (not self.flow_level and self.column < indent):
                break
        return yaml.tokens.ScalarToken("".join(chunks), True, start_mark, end_mark)

    def scan_flow_scalar_non_spaces(self, double: bool, start_mark: Any) -> list[str]:
        try:
            return super().scan_flow_scalar_non_spaces(double, start_mark)
        except ValueError:
            # chr() of an escape past U+10FFFF ("\U00110000"), raised bare by PyYAML with the
            # reader on its hex digits: the escape starts two characters before.
            here = self.get_mark()
            mark = yaml.error.Mark(here.name, here.index - 2, here.line, here.column - 2,
                                   here.buffer, here.pointer - 2)
            raise _Refused(
                mark, f"YAML syntax error: the escape '\\U{self.prefix(8)}' stands for no "
                "character (the last one is \\U0010FFFF)",
                "write the character itself instead of an escape") from None


_CParser: Any
try:
    from yaml import _yaml

    _CParser = _yaml.CParser
except ImportError:  # a PyYAML built without libyaml: the Python parser does everything
    _CParser = None
_CLoaderClass: Any = None
if _CParser is not None:

    class _CLoader(_CParser, yaml.constructor.SafeConstructor, _CatalogueResolver):  # type: ignore[misc]
        def __init__(self, text: str) -> None:
            _CParser.__init__(self, text)
            yaml.constructor.SafeConstructor.__init__(self)
            _CatalogueResolver.__init__(self)

    _CLoaderClass = _CLoader

#: The parsers available, by name: "c" (libyaml, when the wheel has it) and "python".
PARSERS: dict[str, Any] = {"python": _PythonParser}
if _CLoaderClass is not None:
    PARSERS["c"] = _CLoaderClass


class _Refused(yaml.MarkedYAMLError):
    """A construct the catalogue refuses, with our own message and hint."""

    def __init__(self, mark: Any, message: str, hint: str) -> None:
        super().__init__(problem=message, problem_mark=mark)
        self.message = message
        self.hint = hint


_ANCHOR_HINT = (
    "write the value itself: anchors (&name), aliases (*name) and merge keys (<<) are not "
    "used in the catalogue; put text starting with '&' or '*' in quotes"
)
# Both parsers meet `*text` (libyaml as an alias event, PyYAML as an error while scanning it).
_ALIAS_MESSAGE = "a value starts with '*', which YAML reads as a reference to an anchor"
_ALIAS_HINT = 'put the text in quotes, e.g. "*text*"'


class _Builder:
    """Located values from one document's events (see :class:`LocatedStr`)."""

    def __init__(self, parser: Any, text: str, display: str) -> None:
        self.parser = parser
        self.text = text
        self.display = display
        self.duplicates: list[Diagnostic] = []

    def document(self) -> Any:
        """The single document of the stream (None when empty)."""
        parser = self.parser
        parser.get_event()  # stream start
        if parser.check_event(yaml.StreamEndEvent):
            return None
        start = parser.get_event()  # document start
        data, _ = self.value(1)
        parser.get_event()  # document end
        if not parser.check_event(yaml.StreamEndEvent):
            event = parser.get_event()
            raise yaml.composer.ComposerError(
                "expected a single document in the stream", start.start_mark,
                "but found another document", event.start_mark,
            )
        return data

    def value(self, depth: int) -> tuple[Any, Origin]:
        """The next value and where it starts."""
        event = self.parser.get_event()
        if event.anchor is not None or event.tag is not None:  # an alias has an anchor
            self._refuse_references(event)
        origin = _mark_origin(event.start_mark, self.display)
        if type(event) is yaml.ScalarEvent:
            return self.scalar(event, origin), origin
        if depth > MAX_DEPTH:
            raise _Refused(
                event.start_mark,
                f"the values here are nested more than {MAX_DEPTH} levels deep",
                "a catalogue entry needs a few levels only: check the brackets and indentation",
            )
        if isinstance(event, yaml.SequenceStartEvent):
            return self.sequence(origin, depth), origin
        return self.mapping(origin, depth), origin

    def _refuse_references(self, event: Any) -> None:
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event.start_mark, f"YAML syntax error: {_ALIAS_MESSAGE}", _ALIAS_HINT)
        if event.anchor is not None:
            raise _Refused(
                event.start_mark, f"an anchor ('&{event.anchor}') is not allowed here",
                _ANCHOR_HINT,
            )
        if event.tag is not None:
            written = re.match(r"!\S*", self.text[event.start_mark.index :])
            raise _Refused(
                event.start_mark,
                f"a YAML tag ('{written.group(0) if written else event.tag}') is not allowed here",
                "remove it and write the value plainly; put text starting with '!' in quotes",
            )

    def scalar(self, event: Any, origin: Origin, *, is_key: bool = False) -> Any:
        style = event.style or None  # libyaml says '' for plain scalars, PyYAML None
        if style is not None:  # quoted or block text, without a tag: always a string
            source = self.text[event.start_mark.index : event.end_mark.index]
            if style == '"' and _NOT_TEXT.search(event.value):
                self._refuse_escape(event, source)
            content_line = origin.line + 1 if style in ("|", ">") else origin.line
            return LocatedStr(event.value, origin, content_line, style in ("'", '"'), source, style)
        tag = self.parser.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _MERGE and is_key:
            raise _Refused(event.start_mark, "merge keys ('<<') are not allowed", _ANCHOR_HINT)
        if tag in (_STR, _VALUE, _MERGE):  # '=' and '<<' as values are plain text
            self._refuse_cut_text(event)
            source = self.text[event.start_mark.index : event.end_mark.index]
            return LocatedStr(event.value, origin, origin.line, False, source, None)
        if tag in (_INT, _FLOAT) and len(event.value) > MAX_NUMBER_LENGTH:
            raise _Refused(
                event.start_mark,
                f"this number is too long ({len(event.value)} characters)",
                "write a real value, or put it in quotes if it is text",
            )
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, style)
        try:
            return self.parser.construct_object(node)  # int, float, bool or null, as PyYAML does
        except (ValueError, OverflowError):  # e.g. '0x_': a number's shape without digits
            raise _Refused(
                event.start_mark, f"'{event.value}' looks like a number but is not one",
                "write the number in digits, or put the text in quotes",
            ) from None

    def _refuse_cut_text(self, event: Any) -> None:
        """Text cut short by a comment: an unquoted value of several words, or one whose
        comment does not read like one ('#1', '#hashtag'), followed by ' #' on its line. A
        comment after a single word (`kind: tool  # a note`) is left alone."""
        comment = _COMMENT_AFTER.match(self.text, event.end_mark.index)
        if comment is None:
            return
        after = comment.group(1)
        if not (any(c.isspace() for c in event.value) or after[:1] not in ("", " ", "#")):
            return
        start = comment.start(0) + comment.group(0).index("#")
        line, col = line_col(self.text, start)
        kept = event.value if len(event.value) <= 40 else "…" + event.value[-39:]
        lost = f"#{after.rstrip()}"
        raise _Refused(
            yaml.Mark(self.display, start, line - 1, col - 1, None, 0),
            f"YAML reads ' #' as the start of a comment: this value would stop at "
            f"'{kept}' and lose '{lost}'",
            "put the whole value in double quotes (\"...\"); a comment goes on a line of "
            "its own" if any(c.isspace() for c in event.value) or re.search(r"[]},]", after)
            else
            f"if '{lost}' belongs to the value, put the whole value in double quotes; if it "
            f"is a note, write it '# {after.strip()}' on a line of its own",
        )

    def _refuse_escape(self, event: Any, source: str) -> None:
        """A double-quoted text whose escapes stand for what the file itself may not hold
        (``"\x01"``, ``"\uDCFF"``, ``"\u2028"``): refused at the first such escape, like the
        character itself (a lone surrogate then made the build crash when writing pages)."""
        for escape in _ESCAPE.finditer(source):
            found = unwritable_character(_escaped_char(escape.group(1)))
            if found:
                what = found[1]
                start = event.start_mark.index + escape.start()
                line, col = line_col(self.text, start)
                raise _Refused(
                    yaml.Mark(self.display, start, line - 1, col - 1, None, 0),
                    f"the escape '{escape.group(0)}' stands for {what}, which catalogue text "
                    "cannot hold", "delete it; write a line break as \\n, or break the line itself",
                )
        raise _Refused(event.start_mark, "this text holds a character that catalogue text "
                       "cannot hold", "write the text again without escapes")

    def sequence(self, origin: Origin, depth: int) -> LocatedList:
        result = LocatedList()
        result.origin = origin
        result.item_origins = []
        while not self.parser.check_event(yaml.SequenceEndEvent):
            item, item_origin = self.value(depth + 1)
            result.append(item)
            result.item_origins.append(item_origin)
        self.parser.get_event()
        return result

    def mapping(self, origin: Origin, depth: int) -> LocatedDict:
        result = LocatedDict()
        result.origin = origin
        result.key_origins = {}
        result.value_origins = {}
        parser = self.parser
        while not parser.check_event(yaml.MappingEndEvent):
            if parser.check_event(yaml.ScalarEvent):
                key_event = parser.get_event()
                if key_event.anchor is not None or key_event.tag is not None:
                    self._refuse_references(key_event)
                key_origin = _mark_origin(key_event.start_mark, self.display)
                key: Any = self.scalar(key_event, key_origin, is_key=True)
            else:
                key, key_origin = self.value(depth + 1)
            # YAML allows `1:` or `yes:` as keys; the schema reports them by name
            key = str(key)
            value, value_origin = self.value(depth + 1)
            if key in result:
                first = result.key_origins[key]
                self.duplicates.append(error(
                    key_origin,
                    f"the field '{key}' is written twice (first at line {first.line})",
                    "keep only one: otherwise the first value would be silently ignored",
                ))
                continue
            result[key] = value
            result.key_origins[key] = key_origin
            result.value_origins[key] = value_origin
        parser.get_event()
        return result


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
    ("", "scanning an alias", True, _ALIAS_MESSAGE, _ALIAS_HINT),
    ("could not find expected ':'", "scanning a simple key", True,
     "this line is not a field: a field is written 'name: value', with a space after ':'",
     "write e.g. 'kind: tool'; a text that goes on from the line above is indented more"),
)
# After a quoted text or a list, the rest of the line is not part of the value:
# `fr: 'L'outil'` closes at the apostrophe, `en: [draft] A tool.` after ']'.
_ENDED_BEFORE = {
    "'": ("the quoted text ends here, at a quote, and the line goes on",
          "quote the whole text with double quotes: fr: \"L'outil de segmentation\" (inside "
          "single quotes, an apostrophe is written twice: 'L''outil')"),
    '"': ("the quoted text ends here, at a quote, and the line goes on",
          "quote the whole text with single quotes ('Le \"vrai\" outil'), or write a quote "
          'inside double quotes as \\"'),
    "]": ("the list ends here, at ']', and the line goes on",
          'put the whole text in quotes: en: "[draft] A tool."'),
    "}": ("the '{...}' ends here and the line goes on",
          'put the whole text in quotes: en: "{x} A tool."'),
}


def _syntax_error(exc: yaml.MarkedYAMLError, display: str, text: str) -> Diagnostic:
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark
    if "expected <block end>" in problem and mark is not None:
        before = text[: mark.index].rstrip(" ")
        if before and not before.endswith("\n") and before[-1] in _ENDED_BEFORE:
            ended = _ENDED_BEFORE[before[-1]]
            return error(Origin(display, *line_col(text, len(before) - 1)),
                         f"YAML syntax error: {ended[0]}", ended[1])
    if "character '\\t'" in problem and mark is not None:
        line_start = text.rfind("\n", 0, mark.index) + 1
        before = text[line_start:mark.index].strip()
        # after text, not after a list's '-' or a 'key:' (there it is indentation)
        if before and not re.fullmatch(r"(?:-\s*)*(?:[^\s:#]+:)?", before):
            return error(_mark_origin(mark, display),
                         "YAML syntax error: a tab character is used inside the text here",
                         "replace the tab with a space")
    reserved = re.search(r"found character '(.)' that cannot start any token", problem)
    if reserved and mark is not None:  # '@', '`', '%': the hint shows the value quoted
        line_end = text.find("\n", mark.index)
        written = text[mark.index: line_end if line_end >= 0 else len(text)].rstrip()
        return error(_mark_origin(mark, display),
                     f"YAML syntax error: a value cannot start with '{reserved.group(1)}' "
                     "unless it is in quotes",
                     'put the text in quotes: "{}"'.format(written.replace('"', '\\"')))
    known = next((m for m in _SYNTAX_MESSAGES if m[0] in problem and m[1] in context), None)
    if known:
        _, _, at_context, message, hint = known
        mark = (exc.context_mark if at_context else None) or exc.problem_mark
    else:
        mark = exc.problem_mark or exc.context_mark
        message = f"{context}, {problem}" if context and problem else problem or context
        message = message or "syntax error"
        hint = "check the indentation and put text containing ': ' or ' #' in quotes"
    return error(_mark_origin(mark, display), f"YAML syntax error: {message}", hint)


def parse_yaml(text: str, display: str) -> tuple[Any, list[Diagnostic]]:
    """Parse YAML text; return the located data (None on a syntax error) and diagnostics.

    Never raises for the text's sake: every problem is a diagnostic at its place."""
    text = text.removeprefix("\ufeff")  # a byte order mark: libyaml does not count it
    odd = _ODD_BREAK.search(text)
    if odd:
        return None, [error(
            Origin(display, *line_col(text, odd.start())),
            f"the file contains an unusual line break: {_BREAK_NAMES[odd.group()]}",
            "replace it with a normal line break (or a space); it often comes with text pasted "
            "from a PDF or a word processor",
        )]
    if _CLoaderClass is not None and not _PYTHON_ONLY.search(text):
        try:
            return _parse_with(_CLoaderClass, text, display)
        except Exception:  # the Python parser words every failure for people, or crashes
            pass
    try:
        return _parse_with(_PythonParser, text, display)
    except _Refused as exc:
        return None, [error(_mark_origin(exc.problem_mark, display), exc.message, exc.hint)]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_error(exc, display, text)]
    except yaml.reader.ReaderError as exc:
        return None, [_reader_error(exc, text, display)]


def parse_with(parser_name: str, text: str, display: str) -> tuple[Any, list[Diagnostic]]:
    """Parse with one parser only (``"c"`` or ``"python"``, see :data:`PARSERS`), raising
    what it raises; for tests and benchmarks: use :func:`parse_yaml`."""
    return _parse_with(PARSERS[parser_name], text.removeprefix("\ufeff"), display)


def _parse_with(parser_class: Any, text: str, display: str) -> tuple[Any, list[Diagnostic]]:
    parser = parser_class(text)
    try:
        builder = _Builder(parser, text, display)
        data = builder.document()
    finally:
        parser.dispose()
    return data, builder.duplicates


def _mark_origin(mark: Any, display: str) -> Origin:
    """Where a YAML mark (0-based line and column, or None) points, as 1-based positions."""
    return Origin(display, mark.line + 1, mark.column + 1) if mark else Origin(display)


def _reader_error(exc: yaml.reader.ReaderError, text: str, display: str) -> Diagnostic:
    line, col = line_col(text, exc.position)
    return error(
        Origin(display, line, col),
        f"the file contains an invisible control character (code {exc.character:#04x})",
        "delete it and type the text again; it often comes with text pasted from a PDF",
    )


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector paused while a catalogue is read and checked. Loading makes
    trees of values without cycles, and every full collection walks all the values made so
    far: reading 10,000 files took 2.3 times as long with it. The few cycles made meanwhile
    (32 objects for 10,000 files) are collected once it is on again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_yaml_file(path: Path, display: str) -> LoadedFile:
    """Read and parse one catalogue file. A symbolic link is refused, never followed: a
    pull request could point one at any file of the machine that runs the checks."""
    problem = _unreadable(path, display)
    if problem is not None:
        return LoadedFile(path, display, None, [problem])
    with path.open("rb") as handle:
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        return LoadedFile(path, display, None, [error(
            Origin(display),
            f"the file is larger than {MAX_FILE_BYTES // 1024} KB; an entry takes a few KB",
            "keep one entry per file, with its own text only",
        )])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return LoadedFile(path, display, None, [_not_utf8(raw, exc, display)])
    data, diagnostics = parse_yaml(text, display)
    if data is None and not diagnostics:
        diagnostics.append(error(Origin(display), "the file is empty", "fill it in or delete it"))
    return LoadedFile(path, display, data, diagnostics)


def _unreadable(path: Path, display: str) -> Diagnostic | None:
    if path.is_symlink():
        return symlink_error(display)
    if not path.is_file():
        return error(Origin(display), "this is not a regular file",
                     "catalogue entries are plain text files")
    return None


def symlink_error(display: str) -> Diagnostic:
    """The refusal of a symbolic link in the catalogue (never read, its target never shown)."""
    return error(
        Origin(display),
        "this is a symbolic link; the catalogue only holds real files and folders",
        "replace the link with the file or folder itself",
    )


def _not_utf8(raw: bytes, exc: UnicodeDecodeError, display: str) -> Diagnostic:
    line = raw.count(b"\n", 0, exc.start) + 1
    # the column counts characters, so decode the readable start of the line
    line_start = raw.rfind(b"\n", 0, exc.start) + 1
    col = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
    return error(
        Origin(display, line, col),
        f"the file is not saved as UTF-8 text (byte {raw[exc.start]:#04x} here is not a UTF-8 "
        "character)",
        "save the file with the UTF-8 encoding, as GitHub's web editor does; in other "
        "encodings accented letters such as é cannot be read",
    )
