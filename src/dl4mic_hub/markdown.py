"""Small, dependency-free inspection of the Markdown written in catalogue text fields.

The catalogue allows Markdown (links, emphasis, lists, code) but never raw HTML: HTML would
bypass the site's styling and is the usual vector for script injection. These helpers find
raw HTML and link targets, ignoring code spans and fenced code blocks, and report positions
relative to the text so callers can turn them into ``file:line:col``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .text import LinePositions

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,}).*?^\1\2[ \t]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
# An HTML tag or comment; `<https://...>` autolinks do not match (':' follows the name), nor
# does "a < b and c > d": as in CommonMark, no space may follow '<' or '</'.
_HTML = re.compile(r"<!--|</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>]*>")
# Inline link or image target: ](target) or ](<target>), with an optional title.
_INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'(][^)]*)?\s*\)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*)>")
# Reference definition `[label]: target`: Python-Markdown renders the links that use it.
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\n?[ \t]*<?([^\s>]+)>?", re.M)
# "(https://...)" is common in prose; an inline link's target is found first (same start).
_BARE_URL = re.compile(r"(?<![<\[\w])(https?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"])")

SAFE_SCHEMES = ("http", "https", "mailto")
# Every link pattern above needs one of these: `](`, `<`, `]:` or `://`.
_LINK_MARKERS = ("](", "<", "]:", "://")


def blank_code(text: str) -> str:
    """Replace code blocks and spans by spaces of the same length (positions stay valid)."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    return _CODE_SPAN.sub(blank, _FENCE.sub(blank, text))


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


def iter_link_spans(text: str) -> Iterator[tuple[str, int]]:
    """Yield (target, offset in ``text``) for inline links, autolinks, reference definitions
    and bare URLs."""
    if not any(marker in text for marker in _LINK_MARKERS):  # most texts: no link at all
        return
    code_free = blank_code(text)
    seen: set[int] = set()
    for pattern in (_INLINE_LINK, _AUTOLINK, _REFERENCE, _BARE_URL):
        for match in pattern.finditer(code_free):
            start = match.start(1)
            if start in seen:
                continue
            seen.add(start)
            yield text[start : match.end(1)], start


def iter_links(text: str) -> Iterator[tuple[str, int, int]]:
    """:func:`iter_link_spans` with (line offset, column) positions."""
    positions = LinePositions(text)
    for target, start in iter_link_spans(text):
        line, col = positions.at(start)
        yield target, line - 1, col


def scheme_of(target: str) -> str | None:
    """The scheme of a link target in lower case (``https``, ``mailto``...), or None."""
    match = re.match(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):", target)
    return match.group(1).lower() if match else None
