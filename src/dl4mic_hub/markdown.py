"""Small, dependency-free inspection of the Markdown written in catalogue text fields.

The catalogue allows Markdown (links, emphasis, lists, code) but never raw HTML: HTML would
bypass the site's styling and is the usual vector for script injection. These helpers find
raw HTML and link targets, ignoring code spans and fenced code blocks, and report positions
relative to the text so callers can turn them into ``file:line:col``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

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


def blank_code(text: str) -> str:
    """Replace code blocks and spans by spaces of the same length (positions stay valid)."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    return _CODE_SPAN.sub(blank, _FENCE.sub(blank, text))


def _position(text: str, index: int) -> tuple[int, int]:
    """0-based line offset and 1-based column of ``index`` in ``text``."""
    line_offset = text.count("\n", 0, index)
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line_offset, col


def find_raw_html(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield (the tag as written, line offset, column) for each raw HTML tag or comment."""
    for match in _HTML.finditer(blank_code(text)):
        line_offset, col = _position(text, match.start())
        yield text[match.start() : match.end()], line_offset, col


def iter_links(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield (target, line offset, column) for inline links, autolinks, reference
    definitions and bare URLs."""
    code_free = blank_code(text)
    seen: set[int] = set()
    for pattern in (_INLINE_LINK, _AUTOLINK, _REFERENCE, _BARE_URL):
        for match in pattern.finditer(code_free):
            start = match.start(1)
            if start in seen:
                continue
            seen.add(start)
            line_offset, col = _position(text, start)
            yield text[start : match.end(1)], line_offset, col


def scheme_of(target: str) -> str | None:
    match = re.match(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):", target)
    return match.group(1).lower() if match else None
