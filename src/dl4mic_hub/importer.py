"""Import a Markdown resource list (like the seed list) as draft catalogue entries.

The core is pure: :func:`parse_markdown` reads Markdown text into links, FAQ questions and
findings (what could not be parsed, with line numbers); :func:`make_drafts` turns that into
YAML draft files. Only :func:`write_drafts` touches the disk. Drafts are a starting point for a
maintainer, never finished entries: every file says so in its header, and fields the importer
cannot know are left empty with a ``TODO`` comment so that ``dl4mic-hub validate`` flags them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, Origin, warning
from .files import write_atomically
from .markdown import blank_code, iter_link_spans, scheme_of
from .text import ID_MAX, LinePositions, fold, shorten, slugify
from .urls import normalize_url, split_url, url_problem

DRAFT_NOTICE = (
    "Drafts need a human pass: check every field, fill in the TODOs, write the English text, "
    "then move the files into catalogue/ and run `dl4mic-hub validate`."
)
SUMMARY_MAX = 300  # the schema's limit per language

# Words in a heading → a key of vocab/sections.yml. The earliest word found in the heading wins,
# so "Environnement logiciel" is programming, not tools. Accents are removed before matching.
SECTION_WORDS: dict[str, tuple[str, ...]] = {
    "datasets": ("base de donnees", "donnees partagees", "dataset", "data set", "jeux de donnees"),
    "tools": ("outil", "logiciel", "software", "tool"),
    "fiji": ("fiji", "imagej"),
    "hardware": ("hardware", "materiel", "gpu", "computing"),
    "programming": ("environnement", "programmation", "programming", "langage"),
    "courses": ("cours", "course", "formation", "training"),
    "videos": ("video",),
    "reading": ("biblio", "livre", "article", "book", "paper", "reading"),
    "community": ("communaute", "forum", "community", "reseau"),
    "culture": ("culture",),
}
# Words in a FAQ heading → a key of vocab/faq-origins.yml.
FAQ_ORIGIN_WORDS: dict[str, tuple[str, ...]] = {
    "slack": ("slack",),
    "session": ("presentation", "session", "skype"),
}
# Text of a link that only adds a secondary address to the item's first link.
SECONDARY_WORDS: dict[str, str] = {
    "video": "video", "videos": "video", "presentation": "slides", "slides": "slides",
    "documentation": "docs", "doc": "docs", "code": "source", "code package python": "source",
    "source": "source", "lien": "other", "autre lien": "other", "ici": "discussion",
    "here": "other", "link": "other",
}

_LINE_MARKER = re.compile(r"^(\s*)([*+-]|\d+[.)])\s+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_HR = re.compile(r"^\s*(<hr\s*/?>|-{3,}|\*{3,}|_{3,})\s*$", re.I)
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_QUOTE = re.compile(r"^\s*>")
_TAG = re.compile(r"<[^<>]+>")
_BRACKETS = re.compile(r"(!?)\[([^\[\]]*)\]")
_SPACED_TARGET = re.compile(r"[ \t]+\(([^()\n]*)\)")
_URL_LIKE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*://|www\.|[\w-]+(?:\.[\w-]+)+/)", re.I)


# --- parsed data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedLink:
    """One link found in the list, as written.

    ``target`` is the text between the parentheses (None when there were none); ``url`` is the
    address a draft uses (stripped; None when there is no address at all).
    """

    text: str
    target: str | None
    url: str | None
    line: int
    col: int
    context: str  # the enclosing item's text, Markdown links reduced to their text
    headings: tuple[str, ...]  # the section heading, then group headings
    faq_number: int | None = None  # set for links inside a FAQ question or answer
    secondary_of: int | None = None  # index of the item's main link when this one only adds to it

    @property
    def key(self) -> str | None:
        """The comparison key of the address (see urls.normalize_url)."""
        return normalize_url(self.url) if self.url else None


@dataclass(frozen=True)
class FaqQuestion:
    number: int
    question: str  # Markdown
    answer: str  # Markdown, "" when the list has no answer
    line: int
    heading: str


@dataclass
class ParsedList:
    links: list[SeedLink] = field(default_factory=list)
    questions: list[FaqQuestion] = field(default_factory=list)
    findings: list[Diagnostic] = field(default_factory=list)


@dataclass(frozen=True)
class Draft:
    path: str  # relative to the output folder, e.g. resources/cellpose.yml
    text: str


@dataclass
class ImportResult:
    drafts: list[Draft]
    findings: list[Diagnostic]


# --- blocks ------------------------------------------------------------------------------------


@dataclass
class _Block:
    kind: str  # heading, item, paragraph, quote, code, hr
    indent: int
    start: int  # offset of the first character in the text
    end: int  # offset after the last character
    line: int
    end_line: int
    marker: str = ""


def _blocks(text: str) -> Iterator[_Block]:
    """Cut the text into Markdown blocks; lazy continuation lines join the open block."""
    offset = 0
    current: _Block | None = None
    fence: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        start, offset = offset, offset + len(line) + 1
        if fence is not None:
            assert current is not None
            current.end, current.end_line = start + len(line), number
            if line.strip().startswith(fence):
                yield current
                current, fence = None, None
            continue
        if not line.strip():
            if current:
                yield current
            current = None
            continue
        block: _Block | None = None
        if match := _FENCE.match(line):
            fence = match.group(1)
            block = _Block("code", 0, start, start + len(line), number, number)
        elif _HEADING.match(line):
            block = _Block("heading", 0, start, start + len(line), number, number)
        elif _HR.match(line):
            block = _Block("hr", 0, start, start + len(line), number, number)
        elif match := _LINE_MARKER.match(line):
            block = _Block("item", len(match.group(1)), start, start + len(line), number, number,
                           match.group(2))
        elif _QUOTE.match(line) and (current is None or current.kind != "quote"):
            block = _Block("quote", 0, start, start + len(line), number, number)
        elif current is not None:  # lazy continuation of an item, paragraph or quote
            current.end, current.end_line = start + len(line), number
            continue
        else:
            block = _Block("paragraph", len(line) - len(line.lstrip()), start, start + len(line),
                           number, number)
        if current:
            yield current
        current = block
        if block.kind in ("heading", "hr"):
            yield block
            current = None
    if current:
        yield current


def _body(text: str, block: _Block) -> str:
    """The block's text without its list marker or quote signs."""
    raw = text[block.start : block.end]
    if block.kind == "item":
        raw = _LINE_MARKER.sub("", raw, count=1)
    elif block.kind == "quote":
        raw = re.sub(r"(?m)^\s*> ?", "", raw)
    return raw.strip()


def _plain(markdown: str) -> str:
    """Markdown reduced to its words: links to their text, no emphasis or tags, one line."""
    text = re.sub(r"!?\[([^\[\]]*)\]\s?\([^()]*\)", r"\1", markdown)
    text = _TAG.sub("", text).replace("**", "").replace("__", "")
    return " ".join(text.split())


def _heading_text(text: str) -> str:
    match = _HEADING.match(text)
    return _plain(match.group(1) if match else text).strip()


def guess_key(heading: str, words: dict[str, tuple[str, ...]]) -> str | None:
    """The key whose word appears earliest in ``heading`` (None if none appears)."""
    folded = fold(heading)
    found = [(folded.find(w), key) for key, ws in words.items() for w in ws if w in folded]
    return min(found)[1] if found else None


# --- parsing -----------------------------------------------------------------------------------


@dataclass
class _RawLink:
    text: str
    target: str | None
    start: int  # offset of the '[' (or of the bare URL)
    problem: tuple[str, str] | None  # (message, hint) when the link is malformed


def _scan_links(text: str, code_free: str, block: _Block, body: str) -> list[_RawLink]:
    """Inline links, malformed ones and bare URLs of one block, in reading order."""
    found: list[_RawLink] = []
    segment = code_free[block.start : block.end]
    consumed = list(segment)
    for match in _BRACKETS.finditer(segment):
        if match.group(1):  # an image, not a link
            continue
        label = " ".join(match.group(2).split())
        after = match.end()
        start = block.start + match.start()
        if segment.startswith("(", after):
            close = segment.find(")", after)
            if close < 0:
                continue
            target = text[block.start + after + 1 : block.start + close]
            end = close + 1
            if not target.startswith("#"):  # '#...' points to a heading of the same page
                found.append(_RawLink(label, target, start, None))
        elif (spaced := _SPACED_TARGET.match(segment, after)) and _URL_LIKE.match(spaced.group(1)):
            target = spaced.group(1)
            found.append(_RawLink(label, target, start, (
                f"malformed link '{text[start : block.start + spaced.end()]}': "
                "a space separates ']' from '('",
                f"remove the space: [{label}]({target.strip()})",
            )))
            end = spaced.end()
        elif body.strip() == match.group(0):  # the whole item is '[text]': a link lost its URL
            found.append(_RawLink(label, None, start, (
                f"'[{label}]' looks like a link but has no URL",
                f"write [{label}](https://...) or remove the brackets",
            )))
            end = after
        else:  # brackets in prose, e.g. "(pan-cytokeratin [PanCK])"
            continue
        consumed[match.start() : end] = " " * (end - match.start())
    for target, local in iter_link_spans("".join(consumed)):
        found.append(_RawLink(target, target, block.start + local, None))
    return sorted(found, key=lambda link: link.start)


@dataclass
class _OpenQuestion:
    number: int
    text: str
    line: int
    answer: list[str] = field(default_factory=list)  # the blocks after the question


def parse_markdown(text: str, display: str = "<input>") -> ParsedList:
    """Read a Markdown list into links, FAQ questions and findings (with line numbers)."""
    return _ListReader(text, display).read()


class _ListReader:
    """One pass over the blocks of a list; each kind of block has its own step."""

    def __init__(self, text: str, display: str) -> None:
        self.text = text
        self.display = display
        self.result = ParsedList()
        self.positions = LinePositions(text)
        self.code_free = blank_code(text)
        self.blocks = list(_blocks(text))
        self.section = ""
        self.in_faq = False
        self.groups: list[tuple[int, str, bool]] = []  # (indent, text, is a list item)
        self.question: _OpenQuestion | None = None
        self.seen: dict[str, SeedLink] = {}  # comparison key → first link with it

    def read(self) -> ParsedList:
        for index, block in enumerate(self.blocks):
            if block.kind == "heading":
                self.close_question()
                self.section = _heading_text(self.text[block.start : block.end])
                self.in_faq = "faq" in fold(self.section)
                self.groups = []
            elif block.kind == "hr":
                self.close_question()
            else:
                self.content_block(index, block)
        self.close_question()
        self.result.findings.sort(key=lambda d: (d.origin.line, d.origin.col))
        return self.result

    def report(self, line_col: tuple[int, int], message: str, hint: str) -> None:
        self.result.findings.append(warning(Origin(self.display, *line_col), message, hint))

    def content_block(self, index: int, block: _Block) -> None:
        body = _body(self.text, block)
        raw_links = ([] if block.kind == "code"
                     else _scan_links(self.text, self.code_free, block, body))
        self.follow_faq(block, body)
        if raw_links:
            self.links(block, body, raw_links)
        else:
            self.block_without_link(index, block, body)

    def follow_faq(self, block: _Block, body: str) -> None:
        """In the FAQ section a numbered item opens a question; what follows is its answer."""
        if self.in_faq and block.kind == "item" and block.marker[:-1].isdigit():
            self.close_question()
            self.question = _OpenQuestion(int(block.marker[:-1]), " ".join(body.split()),
                                          block.line)
        elif self.in_faq and self.question is not None:
            self.question.answer.append(body)

    def close_question(self) -> None:
        question = self.question
        if question is None:
            return
        answer = "\n".join(question.answer).strip()
        faq = FaqQuestion(question.number, question.text, answer, question.line, self.section)
        self.result.questions.append(faq)
        if not answer:
            self.report((faq.line, 1), f"question {faq.number} has no answer",
                        "drafted with 'status: open'; the site invites readers to answer it")
        self.question = None

    def block_without_link(self, index: int, block: _Block, body: str) -> None:
        """A group heading ("Livres :"), or text that cannot become a draft."""
        if self.in_faq or _is_internal_only(self.text[block.start : block.end]):
            return
        if block.kind == "code":
            self.report((block.line, 1), f"not a link: a code block (lines {block.line}-"
                        f"{block.end_line})", "no draft written; give this text a home by hand")
            return
        if _is_group_heading(block, body, self.blocks[index + 1 :]):
            level = block.indent
            paragraph = block.kind == "paragraph"
            self.groups = [g for g in self.groups
                           if g[0] < level or (g[0] == level and g[2] and paragraph)]
            self.groups.append((level, _plain(body).rstrip(": "), block.kind == "item"))
            return
        self.report((block.line, block.indent + 1), f"not a link: '{_plain(body)}'",
                    "no draft written; add a URL to the list or give this text a home by hand")

    def links(self, block: _Block, body: str, raw_links: list[_RawLink]) -> None:
        """Each link of a block, with its defects; the first one is the item's main link."""
        headings = (self.section, *[
            g[1] for g in self.groups
            if g[0] < block.indent or (g[0] == block.indent and not (g[2] and block.kind == "item"))
        ])
        context = _plain(body)
        main: int | None = None
        for raw in raw_links:
            line_col = self.positions.at(raw.start)
            url = raw.target.strip() if raw.target and raw.target.strip() else None
            self.link_defects(raw, url, line_col)
            secondary = main if main is not None and fold(raw.text) in SECONDARY_WORDS else None
            question = self.question.number if self.in_faq and self.question else None
            link = SeedLink(raw.text, raw.target, url, *line_col, context, headings, question,
                            secondary)
            if main is None and not self.in_faq:
                main = len(self.result.links)
            self.note_duplicate(link, url, line_col)
            self.result.links.append(link)

    def link_defects(self, raw: _RawLink, url: str | None, line_col: tuple[int, int]) -> None:
        if raw.problem:
            self.report(line_col, *raw.problem)
        elif raw.target is not None and not url:
            self.report(line_col, f"link '{raw.text}' has no URL",
                        "add the address between the parentheses, or remove the link")
        elif raw.target and (problem := url_problem(raw.target)):
            self.report(line_col, *problem)

    def note_duplicate(self, link: SeedLink, url: str | None, line_col: tuple[int, int]) -> None:
        if not link.key:
            return
        first = self.seen.setdefault(link.key, link)
        if first is not link:
            hint = ("the link stays in the FAQ text; the resource is drafted once"
                    if link.faq_number is not None else
                    "one draft is written; it lists the sections of every occurrence")
            self.report(line_col, f"duplicate link: the same address as line {first.line} "
                        f"('{first.text}'): {url}", hint)


def _is_internal_only(raw: str) -> bool:
    """A table-of-contents line: its only links point inside the page."""
    return bool(re.search(r"\]\(#", raw)) and not re.search(r"\]\((?!#)", raw)


def _is_group_heading(block: _Block, body: str, following: list[_Block]) -> bool:
    """A line without link that introduces the lines after it ("Livres:", "**Annotation**")."""
    if block.kind not in ("item", "paragraph"):
        return False
    plain = _plain(body)
    if plain.endswith(":") or re.fullmatch(r"(\*\*|\*|_)[^*_]+\1", body.strip()):
        return True
    after = next((b for b in following if b.kind != "hr"), None)
    if after is None or after.kind in ("heading", "code"):
        return False
    return (after.kind == "quote" or after.indent > block.indent
            or (block.kind == "paragraph" and after.kind == "item"))


# --- drafts ------------------------------------------------------------------------------------


def draft_id(text: str) -> str:
    """An id for a draft: the slug of the Markdown text's words (``entry`` when it has none)."""
    return slugify(_plain(text)) or "entry"


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        suffix = f"-{n}"
        candidate, n = slug[: ID_MAX - len(suffix)].rstrip("-") + suffix, n + 1
    taken.add(candidate)
    return candidate


def guess_kind(url: str, section: str | None) -> str | None:
    """A key of vocab/kinds.yml guessed from the address or the section (None if unsure)."""
    parts = split_url(url if "://" in url else "https://" + url)  # None: "https://[::1/x"
    host = ((parts.hostname if parts else "") or "").removeprefix("www.")
    path = parts.path if parts else ""
    if host in ("youtube.com", "youtu.be") or host.endswith(".youtube.com"):
        return "video"
    if (host in ("arxiv.org", "doi.org", "biorxiv.org", "dl.acm.org", "openaccess.thecvf.com")
            or path.lower().endswith(".pdf") or "/articles/" in path):
        return "paper"
    if host.startswith("amazon.") or host == "oreilly.com":
        return "book"
    return {"courses": "course", "community": "community", "fiji": "plugin",
            "videos": "video"}.get(section or "")


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _block_scalar(key: str, text: str, indent: str) -> str:
    lines = text.split("\n")
    if len(lines) == 1 or lines[0][:1].isspace() or any(x != x.rstrip() for x in lines):
        return f"{indent}{key}: {_q(text)}\n"
    body = "".join(f"{indent}  {x}\n" if x else "\n" for x in lines)
    return f"{indent}{key}: |-\n{body}"


def _header(schema: str, display: str, line: int, date: str) -> str:
    return (
        f"# yaml-language-server: $schema=../../src/dl4mic_hub/schemas/{schema}\n"
        f"# DRAFT imported from {display}:{line} by `dl4mic-hub import-markdown` on {date}.\n"
        "# It needs a human pass: check every field, fill in the TODOs, add the English text,\n"
        "# then delete these three DRAFT lines.\n"
    )


def _where(link: SeedLink, display: str) -> str:
    path = " > ".join(h for h in link.headings if h) or "no heading"
    return f"{display} line {link.line}, under '{path}'"


def make_drafts(parsed: ParsedList, *, display: str, lang: str = "fr",
                date: str = "") -> ImportResult:
    """Draft one resource per distinct address and one FAQ entry per question."""
    taken: set[str] = set()
    drafts: list[Draft] = []
    by_key: dict[str, list[SeedLink]] = {}
    secondary: dict[int, list[SeedLink]] = {}
    mains: list[SeedLink] = []
    for index, link in enumerate(parsed.links):
        if link.faq_number is not None:
            continue  # links of FAQ answers stay in the answer's text
        if link.secondary_of is not None:
            secondary.setdefault(link.secondary_of, []).append(link)
            continue
        if link.key and link.key in by_key:
            by_key[link.key].append(link)
            continue
        by_key.setdefault(link.key or f"#{index}", []).append(link)
        mains.append(link)
    index_of = {id(link): i for i, link in enumerate(parsed.links)}
    for link in mains:
        occurrences = by_key[link.key or f"#{index_of[id(link)]}"]
        extra = secondary.get(index_of[id(link)], [])
        drafts.append(_resource_draft(link, occurrences, extra, display, lang, date, taken))
    for question in parsed.questions:
        drafts.append(_faq_draft(question, display, lang, date, taken))
    return ImportResult(drafts, parsed.findings)


def _resource_draft(link: SeedLink, occurrences: list[SeedLink], extra: list[SeedLink],
                    display: str, lang: str, date: str, taken: set[str]) -> Draft:
    notes = [f"Imported from {_where(link, display)}."]
    sections: list[str] = []
    for occurrence in occurrences:
        key = guess_key(occurrence.headings[0], SECTION_WORDS) if occurrence.headings else None
        if key is None:
            key = next((k for h in occurrence.headings[1:]
                        if (k := guess_key(h, SECTION_WORDS))), None)
        if key and key not in sections:
            sections.append(key)
        if occurrence is not link:
            notes.append(f"Also listed at {_where(occurrence, display)}.")
    if not sections:
        heading = " > ".join(h for h in link.headings if h) or "(none)"
        notes.append(f"No section matched the heading '{heading}': choose 'sections:' by hand "
                     "(keys of vocab/sections.yml), or make it a cheat sheet or glossary entry.")
    url = link.url
    if url is None:
        notes.append(f"The list gives no URL for '{link.text}': find a reliable address or "
                     "drop the entry.")
    elif url_problem(url) and scheme_of(url) is None:
        notes.append(f"The list wrote the address without scheme ('{url}'); 'https://' was "
                     "added: check it and remove tracking parameters.")
        url = "https://" + url.lstrip("/")
    kind = guess_kind(url, sections[0] if sections else None) if url else None
    summary = _summary(link)
    slug = _unique(draft_id(link.text), taken)
    out = _header("resource.schema.json", display, link.line, date)
    out += f"id: {slug}\n"
    todo = "check the guess; " if kind else ""
    out += f"kind: {kind or _q('')}  # TODO: {todo}a key of vocab/kinds.yml\n"
    out += f"title: {{{lang}: {_q(link.text)}}}\n"
    out += f"summary:  # TODO: rewrite for a biologist (at most {SUMMARY_MAX} characters)\n"
    out += f"  {lang}: {_q(summary)}\n"
    if url:
        out += f"url: {_q(url)}\n"
    if extra:
        out += "links:\n"
        for item in extra:
            kind_of_link = SECONDARY_WORDS[fold(item.text)]
            out += f"  - {{type: {kind_of_link}, url: {_q(item.url or '')}}}\n"
    out += f"sections: [{', '.join(sections)}]\n"
    out += "content_language: []  # TODO: language(s) of the resource (vocab/languages.yml)\n"
    out += f"added: {date}\n"
    out += "curation:\n" + "".join(f"  - {_q(n)}\n" for n in notes)
    return Draft(f"resources/{slug}.yml", out)


def _summary(link: SeedLink) -> str:
    """The words around the link; the nearest heading when the item is only the link."""
    around = link.context.replace(f"[{link.text}]", "").replace(link.text, "", 1)
    around = around.strip(" :,.;-–()") if link.text else ""
    if not around:
        around = link.headings[-1] if len(link.headings) > 1 else link.text
    around = around[:1].upper() + around[1:]
    return shorten(around, SUMMARY_MAX)


def _faq_draft(question: FaqQuestion, display: str, lang: str, date: str,
               taken: set[str]) -> Draft:
    slug = _unique(draft_id(question.question), taken)
    origin = guess_key(question.heading, FAQ_ORIGIN_WORDS)
    out = _header("faq.schema.json", display, question.line, date)
    out += f"id: {slug}\n"
    out += f"question: {{{lang}: {_q(question.question)}}}\n"
    if question.answer:
        out += "answer:\n" + _block_scalar(lang, question.answer, "  ")
    out += f"status: {'answered' if question.answer else 'open'}\n"
    out += "topics: []  # TODO: keys of vocab/faq-topics.yml\n"
    if origin:
        out += f"origin: {origin}  # guessed from the heading '{question.heading}'\n"
    out += f"order: {question.number}\n"
    out += f"added: {date}\n"
    out += "curation:\n"
    where = f"Imported from {display} line {question.line}, under '{question.heading}'."
    out += f"  - {_q(where)}\n"
    if not question.answer:
        out += "  - \"The list has no answer: kept open to invite a contribution.\"\n"
    return Draft(f"faq/{slug}.yml", out)


def import_markdown(text: str, *, display: str, lang: str = "fr", date: str) -> ImportResult:
    """Markdown text in, drafts and findings out (no file access)."""
    return make_drafts(parse_markdown(text, display), display=display, lang=lang, date=date)


# --- file output -------------------------------------------------------------------------------


@dataclass
class WriteReport:
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # existed already, not overwritten


def write_drafts(drafts: Iterable[Draft], out_dir: Path, *, force: bool = False) -> WriteReport:
    """Write each draft atomically (temporary file, then rename); keep existing files unless
    ``force``, so a maintainer's edits are never lost by re-running the import."""
    report = WriteReport()
    for draft in drafts:
        target = out_dir / draft.path
        if target.exists() and not force:
            report.kept.append(target)
            continue
        write_atomically(target, draft.text)
        report.written.append(target)
    return report
