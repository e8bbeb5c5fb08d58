"""Papers and books as references: ``data/references.bib`` (BibTeX) and
``data/references.json`` (CSL-JSON), and the BibTeX record shown in each one's "cite" block.

A paper or book is a reference when it can be cited: it has a DOI, or authors and a year.
Catalogue text is untrusted: every value is escaped for BibTeX (braces, backslashes and the
characters LaTeX acts on), so no title can end a field or open a command.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from typing import Any

from .. import LANGUAGES, markup
from ..model import Catalogue, Entry
from ..text import page_range
from . import ATTRIBUTION, CONTENT_LICENCE, web_address

#: kind key → (BibTeX entry type, CSL type)
REFERENCE_KINDS = {"paper": ("article", "article-journal"), "book": ("book", "book")}


@dataclass(frozen=True)
class VenueType:
    """How a paper's venue (``published_in.type``, a key of ``vocab/venue-types.yml``) is
    cited: the BibTeX entry type and the field naming the venue, then CSL's."""

    bibtex_type: str
    bibtex_field: str
    csl_type: str
    csl_field: str


#: venue type key → how references cite it. A preprint is a BibTeX @misc whose server is in
#: `howpublished` (the field every BibTeX style prints for @misc), and, as Zotero maps it, a
#: CSL "article" whose server is the publisher.
VENUE_TYPES = {
    "journal": VenueType("article", "journal", "article-journal", "container-title"),
    "proceedings": VenueType("inproceedings", "booktitle", "paper-conference", "container-title"),
    "preprint": VenueType("misc", "howpublished", "article", "publisher"),
}
# "et al." in an author list: BibTeX says "others"; CSL has no way to say it, so it is dropped.
_ET_AL = re.compile(r"^et\.? al\.?$", re.IGNORECASE)
# "Caicedo JC": a family name followed by initials (how many papers list their authors).
_FAMILY_INITIALS = re.compile(
    r"^(?P<family>[^\s,]+(?: [^\s,]+)*) (?P<given>[A-Z](?:-?[A-Z]){0,2})$")  # 'Phan M-S' too
_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "des", "le", "la"}
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_RX = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIAL))
# arXiv's DOIs name the preprint: 10.48550/arXiv.1706.03762 is arXiv:1706.03762
_ARXIV_DOI = re.compile(r"^10\.48550/arXiv\.(?P<id>[0-9]{4}\.[0-9]{4,5})$", re.IGNORECASE)


@dataclass(frozen=True)
class Name:
    """An author: family and given names when they can be told apart, else one literal name."""

    literal: str
    family: str | None = None
    given: str | None = None


def split_name(text: str) -> Name:
    """'Carsen Stringer' → Stringer, Carsen; 'Caicedo JC' → Caicedo, JC; one word (an
    organisation, a single name) stays literal. Family names with particles keep them."""
    text = " ".join(text.split())
    match = _FAMILY_INITIALS.match(text)
    if match:
        return Name(text, match.group("family"), _dotted(match.group("given")))
    words = text.split(" ")
    if len(words) < 2:
        return Name(text)
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    return Name(text, " ".join(words[start:]), " ".join(words[:start]))


def _dotted(initials: str) -> str:
    """'JC' → 'J. C.', 'M-S' → 'M.-S.': written so, BibTeX and CSL styles read initials, not
    one given name 'JC' (which they would abbreviate to 'J.')."""
    return re.sub(r"([A-Z])(?=[A-Z])", r"\1. ", re.sub(r"([A-Z])(?=-|$)", r"\1.", initials))


def authors(entry: Entry) -> list[str]:
    """The entry's authors as written, without a final 'et al.' (exports say it their own
    way, or not: a harvester would make it a person)."""
    return [name for name in entry.strings("authors")
            if name.strip() and not _ET_AL.match(name.strip())]


def is_reference(entry: Entry) -> bool:
    if entry.type.name != "resource" or entry.string("kind") not in REFERENCE_KINDS:
        return False
    return bool(entry.string("doi")) or bool(entry.strings("authors") and entry.number("year"))


def references(catalogue: Catalogue) -> list[Entry]:
    """The papers and books that can be cited, by id."""
    return sorted((e for e in catalogue.of_type("resource") if is_reference(e)),
                  key=lambda e: e.id)


def reference_title(entry: Entry) -> str:
    """The work's own title: ``reference_title`` when the entry's title adds to it (a tool's
    name, an edition), else the title in the language of the work (papers keep theirs)."""
    own = entry.string("reference_title")
    if own:
        return own
    texts = entry.text("title")
    for lang in [*entry.strings("content_language"), *LANGUAGES]:
        if lang in texts:
            return markup.plain(texts[lang])
    return ""


def bibtex_field(text: str) -> str:
    """A value safe inside a braced BibTeX field (on one line)."""
    return _BIBTEX_RX.sub(lambda m: _BIBTEX_SPECIAL[m.group(0)], " ".join(text.split()))


def bibtex_title(text: str) -> str:
    """A title for BibTeX whose capitals stay as written: styles that set titles in sentence
    case ("U-net: convolutional networks...") lower every letter not inside braces, so each
    word holding a capital ("U-Net", "StarDist", "CNN", "Fiji") is braced, a run of them at
    once, as Better BibTeX does."""
    runs = itertools.groupby(text.split(), key=lambda word: any(c.isupper() for c in word))
    return " ".join(_protected(bibtex_field(" ".join(words))) if capital
                    else bibtex_field(" ".join(words)) for capital, words in runs)


def _protected(escaped: str) -> str:
    """A run of words in braces; twice when it starts with a command (``\\#MeToo``): BibTeX
    reads a brace then a backslash as a special character, whose letters it still lowers."""
    return f"{{{{{escaped}}}}}" if escaped.startswith("\\") else f"{{{escaped}}}"


def bibtex_verbatim(text: str) -> str:
    """A DOI or an address for a field that BibTeX tools read as it is (biblatex, hyperref's
    \\url): never LaTeX-escaped ('10.1007/x\\_30' is another DOI). Validated addresses hold no
    brace or backslash; were one there, it is percent-encoded, which keeps the address."""
    return "".join({"{": "%7B", "}": "%7D", "\\": "%5C"}.get(c, c) for c in text.strip())


def _bibtex_author(name: Name) -> str:
    if name.family and name.given:
        return f"{bibtex_field(name.family)}, {bibtex_field(name.given)}"
    return "{" + bibtex_field(name.literal) + "}"  # braces: never split into parts


def _authors(entry: Entry) -> tuple[list[Name], bool]:
    """The entry's authors, and whether the list ends with "et al."."""
    written = authors(entry)
    more = len(written) < len([name for name in entry.strings("authors") if name.strip()])
    return [split_name(name) for name in written], more


def published_in(entry: Entry) -> tuple[str, str] | None:
    """(venue type key, venue name on one line) of a paper's ``published_in``, or None: what
    the references and the page's structured data cite."""
    written = entry.get("published_in")
    if not isinstance(written, dict) or not isinstance(written.get("name"), str):
        return None
    name = " ".join(written["name"].split())
    return (str(written.get("type")), name) if name else None


@dataclass(frozen=True)
class Locator:
    """Where in its venue a paper is: ``published_in``'s volume, issue and pages as written
    (on one line; '' when not written)."""

    volume: str = ""
    issue: str = ""
    pages: str = ""

    @property
    def page_range(self) -> tuple[str, str] | None:
        """(first, last) when the pages are a range; None for one page or an article number."""
        return page_range(self.pages)

    def pages_as(self, dash: str) -> str:
        """The pages with the range's hyphen written as a style wants it ("--" for BibTeX,
        an en dash for readers)."""
        found = self.page_range
        return f"{found[0]}{dash}{found[1]}" if found else self.pages

    def __str__(self) -> str:
        """As a reference list prints it, in either language: '18(1), 100–106'."""
        issue = f"({self.issue})" if self.issue else ""
        return ", ".join(part for part in (self.volume + issue, self.pages_as("–")) if part)


def locator(entry: Entry) -> Locator:
    """The volume, issue and pages written in a paper's ``published_in`` (integers or text)."""
    written = entry.get("published_in")
    if not isinstance(written, dict):
        return Locator()

    def part(key: str) -> str:
        value = written.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            return ""
        return " ".join(str(value).split())

    return Locator(part("volume"), part("issue"), part("pages"))


def venue(entry: Entry) -> tuple[VenueType, str] | None:
    """Where the paper was published, as cited, and the venue's name; a paper that does not
    say but cites an arXiv DOI cites arXiv's record, a preprint (not a book with a
    publisher); None otherwise (or for a venue type no reference knows)."""
    written = published_in(entry)
    if written is None:
        # a book its publisher printed is cited as that book: its arXiv copy stays an eprint
        # (Dive into Deep Learning was a @misc on arXiv "published" by Cambridge UP)
        if _arxiv_id(entry) and not entry.string("publisher"):
            return VENUE_TYPES["preprint"], "arXiv"
        return None
    venue_type = VENUE_TYPES.get(written[0])
    return (venue_type, written[1]) if venue_type is not None else None


def _arxiv_id(entry: Entry) -> str | None:
    """``1706.03762`` for a paper whose DOI is arXiv's (10.48550/arXiv.1706.03762)."""
    found = _ARXIV_DOI.match(_doi(entry) or "")
    return found["id"] if found else None


def _doi(entry: Entry) -> str | None:
    doi = entry.string("doi")
    return doi.strip() if doi else None


def bibtex_entry(entry: Entry) -> str:
    """One BibTeX record, keyed by the entry's id (stable, unique)."""
    kind = REFERENCE_KINDS[entry.string("kind") or "paper"][0]
    published = venue(entry)
    if published:
        kind = published[0].bibtex_type
    names, more = _authors(entry)
    authors = [_bibtex_author(name) for name in names] + (["others"] if more else [])
    year = entry.number("year")
    where = locator(entry)
    fields = [
        ("author", " and ".join(authors)),
        ("title", bibtex_title(reference_title(entry))),
        *([(published[0].bibtex_field, bibtex_field(published[1]))] if published else []),
        ("volume", bibtex_field(where.volume)),
        ("number", bibtex_field(where.issue)),  # BibTeX's name for a journal's issue
        ("pages", bibtex_field(where.pages_as("--"))),  # "--": BibTeX's range, an en dash
        ("year", str(year) if year else ""),
        ("edition", str(entry.number("edition") or "")),  # an integer, as biblatex wants
        ("publisher", bibtex_field(entry.string("publisher") or "")),
        ("doi", bibtex_verbatim(_doi(entry) or "")),
        *_arxiv_fields(entry),
        ("url", bibtex_verbatim(web_address(entry.string("url")) or "")),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@{kind}{{{entry.id},\n{body}\n}}\n"


def _arxiv_fields(entry: Entry) -> list[tuple[str, str]]:
    """An arXiv preprint's identifier, which biblatex and natbib styles print as a link
    ("arXiv:1706.03762"): read from its arXiv DOI."""
    arxiv = _arxiv_id(entry)
    return [("eprint", arxiv), ("archiveprefix", "arXiv")] if arxiv else []


def bibtex(entries: list[Entry]) -> str:
    header = (
        f"% dl4mic-hub references: the papers and books of the catalogue.\n"
        f"% Licence {CONTENT_LICENCE.name} ({CONTENT_LICENCE.url}), {ATTRIBUTION}.\n"
    )
    return header + "".join("\n" + bibtex_entry(entry) for entry in entries)


def csl_item(entry: Entry) -> dict[str, Any]:
    kind = REFERENCE_KINDS[entry.string("kind") or "paper"][1]
    published = venue(entry)
    if published:
        kind = published[0].csl_type
    names, _ = _authors(entry)
    item: dict[str, Any] = {"id": entry.id, "type": kind, "title": reference_title(entry)}
    if published:
        item[published[0].csl_field] = published[1]
    where = locator(entry)
    # CSL's names; a range keeps its hyphen, which citation processors print as a dash
    for field, value in (("volume", where.volume), ("issue", where.issue),
                         ("page", where.pages)):
        if value:
            item[field] = value
    if names:
        item["author"] = [
            {"family": n.family, "given": n.given} if n.family and n.given
            else {"literal": n.literal}
            for n in names
        ]
    year = entry.number("year")
    if year:
        item["issued"] = {"date-parts": [[year]]}
    edition = entry.number("edition")
    if edition:
        item["edition"] = edition
    publisher = entry.string("publisher")
    if publisher:
        item["publisher"] = " ".join(publisher.split())
    if _doi(entry):
        item["DOI"] = _doi(entry)
    url = web_address(entry.string("url"))
    if url:
        item["URL"] = url
    languages = entry.strings("content_language")
    if languages:
        item["language"] = languages[0]
    # CSL's place for data without a field of its own; "license" would be the work's licence.
    item["custom"] = {
        "metadata_license": CONTENT_LICENCE.url,
        "attribution": ATTRIBUTION,
        "catalogue_id": entry.id,
    }
    return item


def csl_json(entries: list[Entry]) -> str:
    """CSL-JSON: a bare list of items (the licence of this metadata is in each item's
    ``custom``)."""
    return json.dumps([csl_item(entry) for entry in entries], ensure_ascii=False, indent=1) + "\n"
