"""Small text helpers shared by every stage, one definition each: ids from titles, "did you
mean" suggestions, texts shortened at a word, positions (line, column) inside a text,
dates written YYYY-MM-DD, and a paper's pages written first-last."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache

ID_MAX = 60  # the schemas' maxLength of an id
# 0.75: close enough for a typo; lower cut-offs suggest unrelated long ids
SUGGESTION_CUTOFF = 0.75


# Ligatures Unicode does not decompose, written out as readers type them ("coeur" for "cœur").
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


# Names, keywords and search words are folded many times over (pages, sorting, the search
# index, in each language): the results are kept, keyed by the text itself.
@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower case without accents (``Époque`` → ``epoque``, ``cœur`` → ``coeur``), for ids,
    sorting, filtering and search. The browser folds exactly so (NFKD, drop marks,
    ``toLowerCase``, then the two ligatures) in dl4mic-search.js: ``lower()``, not
    ``casefold()``, keeps both sides equal (``ß`` stays)."""
    decomposed = unicodedata.normalize("NFKD", text)
    # every mark, as the browser's \p{M} (combining() misses marks of class 0: U+034F...)
    kept = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    return kept.lower().translate(_LIGATURES)


# French sets a space before "?", "!", ":", ";" and "»" and after "«"; an ordinary one let the
# browser put the sign alone at the start of a line ("bien" / "?"). No-break spaces do not.
_SIGNS_AFTER_A_SPACE = "?!:;»"
_FRENCH_SPACE_BEFORE = re.compile(rf"[ \u00a0\u202f]+(?=[{_SIGNS_AFTER_A_SPACE}])")
_FRENCH_SPACE_AFTER = re.compile(r"«[ \u00a0\u202f]+")
NO_BREAK_SPACE = "\u00a0"


# Month names as each language writes them in a date: the pages' dates (render.PageContext.date)
# and the French rule below read this one list.
MONTHS: dict[str, tuple[str, ...]] = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}
# A date written in words ("3 novembre 2022", "1er mars 2026") is read as one: it never wraps.
_FRENCH_DATE = re.compile(rf"\b(\d{{1,2}}|1er) ({'|'.join(MONTHS['fr'])}) (\d{{4}})\b")


@lru_cache(maxsize=1 << 16)  # labels and interface texts are asked for on every page
def french_spacing(text: str) -> str:
    """French text whose spaces around ? ! : ; « », and inside a date written in words, never
    break a line (a no-break space)."""
    if any(sign in text for sign in _SIGNS_AFTER_A_SPACE + "«"):
        text = _FRENCH_SPACE_BEFORE.sub(NO_BREAK_SPACE, text)
        text = _FRENCH_SPACE_AFTER.sub("«" + NO_BREAK_SPACE, text)
    if any(char.isdigit() for char in text):
        text = _FRENCH_DATE.sub(NO_BREAK_SPACE.join(("\\1", "\\2", "\\3")), text)
    return text


def binds_across(before: str, after: str, lang: str | None) -> bool:
    """Whether the space between two texts must not break the line: in French, before ? ! :
    ; » and after « (a line break in the source between them is such a space)."""
    return lang == "fr" and (after.startswith(tuple(_SIGNS_AFTER_A_SPACE))
                             or before.endswith("«"))


def typeset(text: str, lang: str | None) -> str:
    """A text as a page shows it, written in ``lang`` (the language it is shown in, which a
    fallback makes another than the page's): French gets :func:`french_spacing`."""
    return french_spacing(text) if lang == "fr" else text


def slugify(text: str, max_length: int = ID_MAX) -> str:
    """An id proposal: lower-case ASCII words joined by hyphens, cut at a word boundary
    (``Antisèche : Deep Learning`` → ``antiseche-deep-learning``); "" when there is no word."""
    words = re.findall(r"[a-z0-9]+", fold(text))
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    if not slug and words:  # a single word longer than the limit: cut it
        slug = words[0][:max_length]
    return slug


def shorten(text: str, limit: int) -> str:
    """``text`` when it fits in ``limit`` characters, else its words that fit, then "…"
    (without the stop or comma before it)."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    cut = max(head.rfind(" "), head.rfind(NO_BREAK_SPACE))  # French: "outils :" is a space too
    return (head[:cut] if cut > 0 else head).rstrip(" .,;:" + NO_BREAK_SPACE) + "…"


def closest(value: str, choices: Iterable[str]) -> str | None:
    """The choice ``value`` was most likely meant to be (a typo away), or None."""
    found = difflib.get_close_matches(value, list(choices), n=1, cutoff=SUGGESTION_CUTOFF)
    return found[0] if found else None


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """``"did you mean 'x'? "`` to start a hint with, or "" when nothing is close."""
    close = closest(value, choices)
    return f"did you mean '{close}'? " if close else ""


class LinePositions:
    """Line and column of offsets in one text, both 1-based as editors show them.

    Line starts are found once, so many look-ups in the same text stay cheap. Only ``\\n``
    ends a line (``\\r\\n`` ends with it too), as in YAML's and Markdown's positions.
    """

    def __init__(self, text: str) -> None:
        self.starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def offset(self, line: int, col: int) -> int:
        """The inverse of :meth:`at` (-1 for a line the text does not have)."""
        if not 1 <= line <= len(self.starts):
            return -1
        return self.starts[line - 1] + col - 1


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of one offset in ``text``."""
    return LinePositions(text).at(offset)


def iso_date(value: object) -> str | None:
    """``value`` when it is a real date written YYYY-MM-DD (not 2026-02-30, nor the other
    forms ``date.fromisoformat`` accepts, such as 20260102), else None."""
    if not isinstance(value, str):
        return None
    try:
        return value if dt.date.fromisoformat(value).isoformat() == value else None
    except ValueError:
        return None


# "100-106", "S1-S12": a first and a last page, each an optional letter prefix and digits
_PAGE_RANGE = re.compile(r"^(?P<first>[A-Za-z]*[0-9]+)-(?P<last>[A-Za-z]*[0-9]+)$")
_PAGE = re.compile(r"^(?P<prefix>[A-Za-z]*)(?P<number>[0-9]+)$")


def page_range(pages: str) -> tuple[str, str] | None:
    """(first, last) of pages written as a range ('100-106' is ('100', '106')); None for one
    page or an article number ('1119', 'e1007012')."""
    found = _PAGE_RANGE.match(pages.strip())
    return (found["first"], found["last"]) if found else None


def backward_page_range(pages: str) -> str | None:
    """For a range whose last page comes before its first, the range to write instead:
    '100-6' (the last page shortened, as PubMed prints it) is '100-106'; '106-100', which
    nothing completes, is '' (the pages must be put in order). None for a range in order, one
    page, or pages whose prefixes differ (nothing to compare)."""
    found = page_range(pages)
    if found is None:
        return None
    first, last = (_PAGE.match(page) for page in found)
    if first is None or last is None or first["prefix"] != last["prefix"]:
        return None
    start, end = first["number"], last["number"]
    if int(end) >= int(start):
        return None
    completed = start[: len(start) - len(end)] + end
    if len(end) < len(start) and int(completed) > int(start):
        return f"{found[0]}-{first['prefix']}{completed}"
    return ""
