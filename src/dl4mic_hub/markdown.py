"""Small, dependency-free inspection of the Markdown written in catalogue text fields.

The catalogue allows Markdown (links, emphasis, lists, code) but never raw HTML: HTML would
bypass the site's styling and is the usual vector for script injection. These helpers find
raw HTML and link targets, ignoring code spans and fenced code blocks, and report positions
relative to the text so callers can turn them into ``file:line:col``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from itertools import accumulate

from .text import LinePositions

# Every pattern here runs in time linear in the text (catalogue text comes from strangers):
# where a run of characters is followed by a delimiter, `(?=(run))\N` takes the whole run at
# once (an atomic group, which Python 3.10 lacks), so a failed match never retries shorter runs.
_FENCE_OPEN = re.compile(r"( {0,3})(`{3,}|~{3,})")
_FENCE_CLOSE = re.compile(r"( {0,3})(`{3,}|~{3,})[ \t]*")
_BACKTICKS = re.compile(r"`+")
# An HTML tag or comment; `<https://...>` autolinks do not match (':' follows the name), nor
# does "a < b and c > d": as in CommonMark, no space may follow '<' or '</'.
_HTML = re.compile(r"<!--|</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>]*>")
# Where an inline link's target ends (see _inline_links).
_TARGET_END = re.compile(r"[)\s>]")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*)>")
# Reference definition `[label]: target`: Python-Markdown renders the links that use it.
_REFERENCE = re.compile(r"^ {0,3}\[(?=([^\[\]]+))\1\]:[ \t]*\n?[ \t]*<?([^\s>]+)>?", re.M)
_REFERENCE_TARGET = 2  # the group of _REFERENCE that holds the target
# "(https://...)" is common in prose; an inline link's target is found first (same start).
_BARE_URL = re.compile(r"(?<![<\[\w])(https?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"])")

SAFE_SCHEMES = ("http", "https", "mailto")
# Every link pattern above needs one of these: `](`, `<`, `]:` or `://`.
_LINK_MARKERS = ("](", "<", "]:", "://")


def blank_code(text: str) -> str:
    """Replace code blocks and spans by spaces of the same length (positions stay valid)."""
    chars = list(text)
    for start, end in _fenced_blocks(text):
        _blank(chars, start, end)
    fenced_out = "".join(chars)
    for start, end in _code_spans(fenced_out):
        _blank(chars, start, end)
    return "".join(chars)


def _blank(chars: list[str], start: int, end: int) -> None:
    chars[start:end] = [c if c == "\n" else " " for c in chars[start:end]]


def _fenced_blocks(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each fenced block: from an opening fence line to the first later line
    that is the same fence (same indentation, same characters). An unclosed fence is not a
    block: what follows it is still checked."""
    lines = text.split("\n")
    starts = list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    closers: dict[tuple[str, str], list[int]] = {}
    for number, line in enumerate(lines):
        if (close := _FENCE_CLOSE.fullmatch(line)) is not None:
            closers.setdefault((close[1], close[2]), []).append(number)
    number = 0
    while number < len(lines):
        opening = _FENCE_OPEN.match(lines[number])
        later = closers.get((opening[1], opening[2]), []) if opening else []
        after = bisect_right(later, number)
        if opening is None or after == len(later):
            number += 1
            continue
        last = later[after]
        yield starts[number], starts[last] + len(lines[last])
        number = last + 1


def _code_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each code span: a run of backticks up to the next run of the same
    length; a run without one is plain text (as in CommonMark)."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    index = 0
    while index < len(runs):
        start, end = runs[index]
        same = by_length[end - start]
        after = bisect_right(same, index)
        if after == len(same):
            index += 1
            continue
        closing = same[after]
        yield start, runs[closing][1]
        index = closing + 1


# Positions are (line offset, column): the 0-based line within the text, which callers add to
# the line where the text starts in its file, and the 1-based column.


def find_raw_html(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield (the tag as written, line offset, column) for each raw HTML tag or comment."""
    if "<" not in text:  # most texts: no need to look further
        return
    positions = LinePositions(text)
    for match in _HTML.finditer(blank_code(text)):
        line, col = positions.at(match.start())
        yield text[match.start() : match.end()], line - 1, col


# Where an image's alt text ends (see _images).
_ALT_END = re.compile(r"[\]\n]")


def find_images(text: str) -> Iterator[tuple[int, int]]:
    """Yield (line offset, column) of each Markdown image (``![alt](address)``): the site
    never shows images from catalogue text, which would load from another host."""
    if "![" not in text:
        return
    positions = LinePositions(text)
    for start in _images(blank_code(text)):
        line, col = positions.at(start)
        yield line - 1, col


def _images(text: str) -> Iterator[int]:
    """Start of each image: ``![``, alt text up to the first ']' on the line, optional spaces,
    then '(' or '[' (a reference image). Written as a scan, not a regex, so that a text full of
    unclosed ``![`` takes linear time."""
    stops = [m.start() for m in _ALT_END.finditer(text)]
    # Several '![' can share one ']' ("![![a](x)"): what follows it is looked at once.
    close, end = -1, -1  # the last ']' looked at, and where its image ends (-1: none)
    bang = text.find("![")
    while bang >= 0:
        index = bisect_left(stops, bang + 2)
        if index < len(stops) and text[stops[index]] == "]":
            if stops[index] != close:
                close = after = stops[index]
                after += 1
                while after < len(text) and text[after].isspace():
                    after += 1
                end = after + 1 if after < len(text) and text[after] in "([" else -1
            if end >= 0:
                yield bang
                bang = text.find("![", end)  # as a regex does, no image starts inside this one
                continue
        bang = text.find("![", bang + 1)


def iter_link_spans(text: str) -> Iterator[tuple[str, int]]:
    """Yield (target, offset in ``text``) for inline links, autolinks, reference definitions
    and bare URLs."""
    if not any(marker in text for marker in _LINK_MARKERS):  # most texts: no link at all
        return
    code_free = blank_code(text)
    seen: set[int] = set()
    spans = [
        _inline_links(code_free),
        _groups(_AUTOLINK, code_free, 1),
        _groups(_REFERENCE, code_free, _REFERENCE_TARGET),
        _groups(_BARE_URL, code_free, 1),
    ]
    for found in spans:
        for start, end in found:
            if start not in seen:
                seen.add(start)
                yield text[start:end], start


def _groups(pattern: re.Pattern[str], text: str, group: int) -> Iterator[tuple[int, int]]:
    for match in pattern.finditer(text):
        yield match.start(group), match.end(group)


def _inline_links(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each inline link or image target: ``](target)`` or ``](<target>)``,
    with an optional title (``](target "title")``). Written as a scan, not a regex, so that a
    text full of unclosed ``](`` takes linear time."""
    ends = [m.start() for m in _TARGET_END.finditer(text)]
    closes = [i for i, char in enumerate(text) if char == ")"]
    opening = text.find("](")
    while opening >= 0:
        start = opening + 2
        while start < len(text) and text[start].isspace():
            start += 1
        start += text.startswith("<", start)
        index = bisect_left(ends, start)
        end = ends[index] if index < len(ends) else len(text)
        if _closed_after(text, end + text.startswith(">", end), closes):
            yield start, end
        opening = text.find("](", opening + 2)


def _closed_after(text: str, pos: int, closes: list[int]) -> bool:
    """Whether the link goes on with optional spaces, or spaces and a title, then ')'."""
    index = bisect_left(closes, pos)
    if index == len(closes):
        return False
    after = pos
    while after < closes[index] and text[after].isspace():
        after += 1
    return after == closes[index] or (after > pos and text[after] in "\"'(")


def iter_links(text: str) -> Iterator[tuple[str, int, int]]:
    """:func:`iter_link_spans` with (line offset, column) positions."""
    positions: LinePositions | None = None  # found on the first link: most texts have none
    for target, start in iter_link_spans(text):
        positions = positions or LinePositions(text)
        line, col = positions.at(start)
        yield target, line - 1, col


def scheme_of(target: str) -> str | None:
    """The scheme of a link target in lower case (``https``, ``mailto``...), or None."""
    match = re.match(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):", target)
    return match.group(1).lower() if match else None
