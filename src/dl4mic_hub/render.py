"""Stage 3, render: turn a validated catalogue into Markdown pages, one tree per language.

Pure: catalogue in, ``{lang: {relative path: markdown}}`` out, plus the fallbacks used and the
data files the pages load (the search index). Both languages get exactly the same relative paths
(slugs come from ids, never from translated titles), so the language selector keeps the reader
on the same page. Output is deterministic: entries are sorted, nothing depends on the clock, the
hash seed or the order of the disk.

Catalogue text is untrusted: templates print every value escaped (``markup.escape``) unless it is
HTML made safe by ``markup`` (catalogue Markdown) or by this module (links, icons). Lists of
entries are raw HTML blocks, which the site generator copies as they are.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import multiprocessing
import os
import pickle
import re
import signal
import string
import sys
import threading
import traceback
from collections import Counter
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.resources import files
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any
from urllib.parse import quote

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from . import LANGUAGES, LOCAL_SITE_URL, REPOSITORY_URL, markup
from .export import CATALOGUE_CSV, REFERENCES_BIB, Addresses, web_address
from .export.references import REFERENCE_KINDS, bibtex_entry, is_reference, locator
from .facets import Facet, derive_facets, used_keys
from .linkhealth import EntryLinks, LinkHealth, LinkState
from .load import gc_paused
from .model import Catalogue, Entry, VocabTerm, in_language, shown_language
from .text import MONTHS, NO_BREAK_SPACE, fold, iso_date, shorten, typeset

RECENT_LIMIT = 30
SEARCH_INDEX = "assets/search-index.json"  # built by search.build_search_index
# Entries listed on a section page: all of them up to SECTION_LIMIT; beyond, that many shared
# equally among its groups (but at least GROUP_LIMIT per group), and a group cut short links to
# the explorer, so that no section page grows past about 400 kB however large the catalogue
# becomes (a card is 1 to 1.5 kB of HTML, the page around them 30 kB; see
# bench/RESULTS-explorer.md). A section under the limit is never cut, however many groups
# share it: the real tools page (67 entries, 12 groups) had its group of 21 cut at 20.
SECTION_LIMIT = 250
GROUP_LIMIT = 20
# The text that names an entry and the one that says what it is about, by entry type (other
# types have a `title` and a `summary`): see name_field and summary_field.
_NAME_FIELD = {"faq": "question", "glossary": "term"}
_SUMMARY_FIELD = {"faq": "answer", "glossary": "definition"}
LIST_PAGES = {"faq": "faq.md", "cheatsheet": "cheatsheets.md", "glossary": "glossary.md"}
# Longest name a list shows whole (see short_name).
LINK_NAME_MAX = 200
# Facets whose value places an entry on the site rather than describing it.
# Icons are drawn by the stylesheet (CSS masks, ``.dl-icon--<name>`` in dl4mic.css): one rule
# per icon, where an inline SVG repeated in every card of a section page made 40 % of its bytes.
_ICONS = frozenset({"external", "pencil"})


@dataclass(frozen=True)
class Fallback:
    """A text shown in another language than the page's because its translation is missing."""

    lang: str  # language of the page
    shown: str  # language of the text actually shown
    page: str
    entry_id: str
    field: str


@dataclass
class RenderedSite:
    pages: dict[str, dict[str, str]]  # lang → relative path → Markdown
    nav: dict[str, list[Any]]  # lang → MkDocs nav
    fallbacks: dict[str, list[Fallback]] = field(default_factory=dict)
    # lang → relative path → content of the data files the pages load (search index...)
    files: dict[str, dict[str, str]] = field(default_factory=dict)
    # path under the site root → content, for files shared by both languages (exports...)
    root_files: dict[str, str] = field(default_factory=dict)

    def fallback_counts(self) -> dict[str, int]:
        return {lang: len(self.fallbacks.get(lang, [])) for lang in self.pages}


def i18n_data(name: str) -> Any:
    """A data file of the package's ``i18n`` folder (``ui.yml``, ``entry_points.yml``...),
    parsed; its callers cache what they make of it."""
    return yaml.safe_load((files("dl4mic_hub") / "i18n" / name).read_text(encoding="utf-8"))


@cache
def ui_strings() -> dict[str, dict[str, str]]:
    """The interface strings: key → {lang: text}, from i18n/ui.yml."""
    data: dict[str, dict[str, str]] = i18n_data("ui.yml")
    for key, value in data.items():
        missing = [lang for lang in LANGUAGES if lang not in value]
        if missing:  # a packaging bug, not a user mistake
            raise ValueError(f"i18n/ui.yml: '{key}' has no {', '.join(missing)} text")
    return data


@cache
def ui_for(lang: str) -> dict[str, str]:
    """The interface strings of one language, built once; French ones with French spacing
    (none holds code or an attribute where a space before ':' would matter)."""
    return {key: typeset(value[lang], lang) for key, value in ui_strings().items()}


def _finalize(value: Any) -> Any:
    """Every value a template prints is escaped, unless it is already safe HTML."""
    return value if isinstance(value, Markup) else markup.escape(value)


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("dl4mic_hub", "templates"),
        undefined=StrictUndefined,
        # Every printed value goes through _finalize, which escapes it for HTML *and* Markdown
        # (the pages are Markdown); autoescape then leaves the result alone, and makes macros
        # return safe HTML.
        autoescape=True,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Our own interface texts may hold Markdown (links, bold): trusted, never catalogue text.
    env.filters["trusted"] = Markup
    return env


def sort_key(text: str) -> str:
    """Accent- and case-insensitive key, so 'Écrire' sorts next to 'Ecrire' in any locale;
    leading quotes and signs do not count ('« Which GPU… »' sorts under W); µ reads as the
    prefix it is, "micro" (µSAM sorts beside Micro-Manager, not after Z). The explorer's
    name order is this one: its index comes in it."""
    return _LEADING_SIGNS.sub("", fold(text).replace("\u03bc", "micro"))


_LEADING_SIGNS = re.compile(r"^[\W_]+")


def name_field(entry: Entry) -> str:
    """The text field that names the entry (``title``, a FAQ's ``question``, a ``term``)."""
    return _NAME_FIELD.get(entry.type.name, "title")


def summary_field(entry: Entry) -> str:
    """The text field that says what the entry is about (``summary``, ``answer``...)."""
    return _SUMMARY_FIELD.get(entry.type.name, "summary")


def entry_page(entry: Entry) -> str:
    """Where an entry is shown: its own page (resources) or an anchor on a list page."""
    if entry.type.name == "resource":
        return f"resources/{entry.id}.md"
    return f"{LIST_PAGES[entry.type.name]}#{entry.id}"


@lru_cache(maxsize=1 << 16)
def page_url(page: str) -> str:
    """The address of a generated page relative to the language root (``resources/x/``)."""
    path, _, anchor = page.partition("#")
    # a folder's index.md is the folder; any other page (an id may end in "index") its own
    url = "" if path == "index.md" else re.sub(r"(?:(?<=/)index)?\.md$", "", path).rstrip("/") + "/"
    return f"{url}#{anchor}" if anchor else url


# The vocabularies whose values group a section page's entries; a section's ``group_by`` says
# which comes first (tasks when absent).
GROUPING_VOCABULARIES = ("tasks", "learning-topics")


def group_key(entry: Entry, facets: Sequence[Facet]) -> tuple[str, str]:
    """(vocabulary, key) of the group an entry is listed under on a section page: its first
    value of the first of ``facets`` it has a value of."""
    for facet in facets:
        keys = facet.keys(entry)
        if keys:
            return facet.name, keys[0]
    return "", ""


def short_name(name: str) -> str:
    """A name as lists show it (links, the explorer's cards). A question asked during a training
    session may run to a paragraph, and lists of them read as walls of text: a name longer than
    LINK_NAME_MAX keeps its first question (up to the first "?") when that fits, else its first
    words."""
    if len(name) <= LINK_NAME_MAX:
        return name
    question = name[: name.find("?") + 1]
    return question if 0 < len(question) <= LINK_NAME_MAX else shorten(name, LINK_NAME_MAX)


@cache
def entry_points() -> list[dict[str, Any]]:
    """The home page's pre-filtered explorer links (i18n/entry_points.yml)."""
    points: list[dict[str, Any]] = i18n_data("entry_points.yml")
    return points


@dataclass
class Group:
    key: str  # anchor
    label: str
    entries: list[Entry]
    total: int
    explore_query: dict[str, str]


class PageContext:
    """What a template sees for one page in one language: texts, labels and links."""

    def __init__(self, site: _SiteRenderer, lang: str, path: str) -> None:
        self.site = site
        self.lang = lang
        self.path = path
        self.here = page_url(path)
        # From the built page to the language root: for attributes a browser resolves as they
        # are (form actions, data-*); hrefs may be rewritten by the generator (links_from_source)
        self.up_page = "../" * self.here.count("/")
        self.up = "../" * path.count("/") if site.links_from_source else self.up_page
        self.fallbacks: list[Fallback] = []
        self.ui = ui_for(lang)
        self._terms_linked: dict[str, set[str]] = {}  # entry id → terms its texts link

    # --- texts ---------------------------------------------------------------------------------
    def _pick(self, entry: Entry, name: str, value: Any = None) -> tuple[str, str] | None:
        texts = entry.text(name) if value is None else value
        shown = shown_language(texts, self.lang) if isinstance(texts, dict) else None
        if shown is None:
            return None
        if shown != self.lang:
            self.fallbacks.append(Fallback(self.lang, shown, self.path, entry.id, name))
        return str(texts[shown]), shown

    def plain(self, entry: Entry, name: str) -> str:
        """The text without any markup (front matter, titles of links); not escaped."""
        picked = self._pick(entry, name)
        return markup.plain(picked[0], picked[1]) if picked else ""

    def _in_language(self, html: Markup, shown: str, entry: Entry, name: str) -> Markup:
        if shown != self.lang:
            return markup.html_format(
                '<span lang="{}">{}</span> <small class="dl-fallback" title="{}">({})</small>',
                shown, html, self.ui["fallback_inline_title"], self.ui["fallback_marker"],
            )
        spoken = self.spoken_language(entry, name, shown)
        return markup.html_format('<span lang="{}">{}</span>', spoken, html) if spoken else html

    def spoken_language(self, entry: Entry, name: str, shown: str) -> str | None:
        """The language a text shown in ``shown`` is to be read in, when it is not the page's:
        a fallback's own; a name kept as it is in both languages (a course title in English)
        is in the language of the resource, and screen readers must read it so."""
        if shown != self.lang:
            return shown
        if name != "title":
            return None
        other = entry.strings("content_language")
        if other and self.lang not in other and len(set(entry.text(name).values())) == 1:
            return other[0]
        return None

    def read_in(self, entry: Entry, name: str) -> str | None:
        """The language a field of an entry is to be read in on this page, when not the page's
        (for the cards the explorer makes in the browser)."""
        shown = shown_language(entry.text(name), self.lang)
        return self.spoken_language(entry, name, shown) if shown else None

    def text(self, entry: Entry, name: str, *, value: Any = None, links: bool = True,
             terms: bool = False) -> Markup:
        """Inline text as safe HTML; a fallback is wrapped with its language and a marker.
        ``terms``: glossary terms in it link to the glossary (see :meth:`term_link`)."""
        picked = self._pick(entry, name, value)
        if picked is None:
            return Markup("")
        text, shown = picked
        html = (markup.with_terms(text, shown, self.site.term_finder(shown),
                                  self.term_link(entry), one_line=True)
                if terms and links else markup.inline(text, links=links, lang=shown))
        return self._in_language(html, shown, entry, name)

    def block(self, entry: Entry, name: str, *, terms: bool = False) -> Markup:
        """Block text as a raw HTML block; a fallback comes with a notice and its language.
        ``terms``: glossary terms in it link to the glossary (see :meth:`term_link`)."""
        picked = self._pick(entry, name)
        if picked is None:
            return Markup("")
        text, shown = picked
        body = (markup.with_terms(text, shown, self.site.term_finder(shown),
                                  self.term_link(entry))
                if terms else markup.block(text, shown))
        if shown == self.lang:
            return markup.html_format('<div class="dl-text">\n{}\n</div>', body)
        return markup.html_format(
            '<div class="dl-text">\n<p class="dl-fallback">{}</p>\n'
            '<div lang="{}">\n{}\n</div>\n</div>',
            self.ui["fallback_inline_title"], shown, body,
        )

    def term_link(self, entry: Entry) -> markup.TermLink:
        """How the texts of ``entry`` link the glossary terms they use: the first use of each
        term links to its glossary entry, titled "Glossary: <term>"; later uses, and the
        entry's own term, stay text. Counted per entry: a resource's page is its entry's, and
        the FAQ and glossary pages are read one entry at a time, reached by its anchor."""
        linked = self._terms_linked.setdefault(entry.id, {entry.id})

        def link(term_id: str) -> Markup | None:
            term = self.site.by_id.get(term_id)
            if term_id in linked or term is None:
                return None
            linked.add(term_id)
            # the term's name in the page's language, else in the text's (never a fallback
            # to count: it is a tooltip, not a text of the page)
            named = markup.plain(in_language(term.text("term"), self.lang))
            return markup.html_format(
                '<a class="dl-term" href="{}" title="{}">', self.entry_href(term),
                self.ui["glossary_link_title"].format(term=named))

        return link

    def name(self, entry: Entry) -> Markup:
        """The entry's name for link labels: a link cannot contain links, so any link inside
        (a FAQ question may cite a video) keeps only its text."""
        return self.text(entry, name_field(entry), links=False)

    def _name_shortened(self, entry: Entry) -> tuple[str, str, str] | None:
        """The name's text, its language, and short_name of it when that is shorter (else "")."""
        field = name_field(entry)
        picked = self._pick(entry, field)
        if picked is None:
            return None
        text, shown = picked
        whole = markup.plain(text, shown)
        short = short_name(whole)
        return text, shown, "" if short == whole else short

    def link_name(self, entry: Entry) -> tuple[Markup, str]:
        """The entry's name as a link in a list (see also, FAQ index...), shortened by
        short_name, and the link's title: the whole name when it was shortened, else ""."""
        named = self._name_shortened(entry)
        if named is None:
            return Markup(""), ""
        text, shown, short = named
        field = name_field(entry)
        if not short:  # (not self.name: it would pick, and count a fallback, again)
            return self._in_language(markup.inline(text, links=False, lang=shown), shown, entry,
                                     field), ""
        return self._in_language(markup.escape(short), shown, entry, field), markup.plain(
            text, shown)

    def heading_name(self, entry: Entry) -> tuple[Markup, Markup]:
        """The entry's name as the heading of its section on a list page, shortened like
        link_name, and the whole name, to be shown under the heading, when it was shortened:
        a question asked as a paragraph made a heading of up to eleven lines, and the same
        paragraph in the table of contents."""
        named = self._name_shortened(entry)
        if named is None:
            return Markup(""), Markup("")
        text, shown, short = named
        field = name_field(entry)
        whole = self._in_language(markup.inline(text, lang=shown), shown, entry, field)
        if not short:
            return whole, Markup("")
        return self._in_language(markup.escape(short), shown, entry, field), whole

    def date(self, iso: str | None) -> Markup:
        """A YYYY-MM-DD date as readers of the page's language write it, in a <time> element
        that keeps the ISO date; any other text is shown as it is."""
        if not iso:
            return Markup("")
        if iso_date(iso) is None:  # (date.fromisoformat would also read 20260301)
            return markup.escape(str(iso))
        day = dt.date.fromisoformat(iso)
        ui = self.ui
        written = ui["date_format"].format(
            day=ui["first_of_month"] if day.day == 1 else day.day,
            month=MONTHS[self.lang][day.month - 1], year=day.year)
        written = written.replace(" ", NO_BREAK_SPACE)  # a date never wraps
        return markup.html_format('<time datetime="{}">{}</time>', day.isoformat(), written)

    def format(self, template: str, **values: object) -> Markup:
        """An interface text whose ``{fields}`` are filled in, the text and the values escaped
        as any printed value is (:func:`_finalize`), except values that are safe HTML already
        (a date's <time>)."""
        parts: list[str] = []
        for literal, name, _spec, _conversion in string.Formatter().parse(template):
            parts.append(markup.escape(literal))
            if name is not None:
                parts.append(_finalize(values[name]))
        return Markup("".join(parts))

    def plain_name(self, entry: Entry) -> str:
        return self.plain(entry, name_field(entry))

    def keywords(self, entry: Entry) -> list[str]:
        return entry.text_lists("keywords").get(self.lang, [])

    # --- vocabularies --------------------------------------------------------------------------
    def label(self, vocab: str, key: str) -> str:
        return self.site.label(vocab, key, self.lang)

    def labels(self, vocab: str, keys: Iterable[str] | None) -> list[str]:
        return [self.label(vocab, k) for k in keys or []]

    def vocab_title(self, vocab: str) -> str:
        return self.site.vocab_title(vocab, self.lang)

    def vocab_description(self, vocab: str, key: str) -> str:
        return self.site.description(vocab, key, self.lang)

    def facts(self, entry: Entry) -> list[tuple[Facet, list[tuple[str, str]]]]:
        """The entry's facet values for its page: (facet, [(key, label)]), in facet order."""
        out = []
        for facet in self.site.facets:
            keys = facet.keys(entry)
            field = facet.fields.get(entry.type.name)
            if not keys or not field:
                continue
            if entry.get(field) is None and entry.type.name in facet.defaults:
                continue  # the schema's default says nothing of this entry ("Active" on a paper)
            out.append((facet, [(key, self.label(facet.name, key)) for key in keys]))
        return out

    def chips(self, entry: Entry) -> list[str]:
        """Short labels shown under an entry in lists (facets marked ``chips``)."""
        return [
            self.label(facet.name, key)
            for facet in self.site.facets
            if facet.chips
            for key in facet.keys(entry)
        ]

    def link_problem(self, state: LinkState) -> str:
        """What went wrong with a link, in the page's language: the checker's cause or the
        HTTP status in words. Anything else keeps the checker's own (English) words."""
        ui = self.ui
        if state.cause and f"link_cause_{state.cause}" in ui:
            return ui[f"link_cause_{state.cause}"]
        if state.cause == "status" and state.status is not None:
            meaning = ui.get(f"link_status_{state.status}") or (
                ui["link_status_5xx"] if state.status >= 500 else "")
            return f"HTTP {state.status}" + (f" ({meaning})" if meaning else "")
        return state.reason

    def status(self, entry: Entry) -> tuple[str, str, str] | None:
        """(key, label, description) of a status other than active, else None."""
        keys = self.site.facet("status").keys(entry)
        if not keys or keys[0] == "active":
            return None
        return keys[0], self.label("status", keys[0]), self.vocab_description("status", keys[0])

    def former_address(self, entry: Entry) -> bool:
        """Whether the entry's address no longer leads to it (its status says so in
        status.yml: ``former_address``)."""
        term = self.site.status_term(entry)
        return term is not None and term.former_address

    def open_label(self, entry: Entry) -> str:
        """The text of the button that opens the entry's address: a former address says so
        (``former_address`` in status.yml: a reader must not take it for the way in);
        otherwise what it opens, as a vocabulary value of the entry says (``open_label``): a
        more specific one (a cheat sheet's type: a glossary, a drawing tool) before its kind
        (kinds.yml), else the website."""
        if self.former_address(entry):
            return self.ui["open_former"]
        found: dict[bool, str] = {}  # is it the kind's → label
        for facet in self.site.facets:
            terms = self.site.catalogue.vocabularies[facet.name].terms
            for key in facet.keys(entry):
                term = terms.get(key)
                label = term.open_label.get(self.lang) if term else None
                if label:
                    found.setdefault(facet.name == "kinds", label)
        return typeset(found.get(False) or found.get(True) or self.ui["open_link"], self.lang)

    def facet_attributes(self, entry: Entry, facets: Iterable[Facet]) -> Markup:
        """``data-*`` attributes read by the filter script: the entry's id (its word box
        finds it by id in the page's word index, search.build_section_index) and its keys of
        the ``facets`` the page filters on."""
        parts = [markup.html_format(' data-entry-id="{}"', entry.id)]
        for facet in facets:
            keys = facet.keys(entry)
            if keys:
                parts.append(
                    markup.html_format(
                        ' data-f-{}="{}"', facet.name, markup.escape(" ".join(keys)))
                )
        return Markup("").join(parts)

    def filters(self, entries: Iterable[Entry]) -> list[tuple[Facet, str, list[tuple[str, str]]]]:
        """The filters offered above a section's lists: (facet, title, [(key, label)]) for every
        facet whose values tell the section's entries apart, values in vocabulary order."""
        entries = list(entries)
        offered = []
        for facet in self.site.facets:
            counts = Counter(key for entry in entries for key in set(facet.keys(entry)))
            # offered only when some value is held by some entries and not by others
            if not any(0 < count < len(entries) for count in counts.values()):
                continue
            # a value every entry holds filters nothing (the page's own section, on its page)
            telling = {key for key, count in counts.items() if count < len(entries)}
            offered.append((facet, self.vocab_title(facet.name), self._in_order(facet, telling)))
        return offered

    # --- links ---------------------------------------------------------------------------------
    def href(self, target: str) -> Markup:
        """Relative link from this page to another generated page, for an ``href`` in raw
        HTML: from the built page's address, not the Markdown file's (see ``up``)."""
        page, _, anchor = target.partition("#")
        there = page_url(page) if page else self.here
        rel = "" if there == self.here else self.up + there
        rel = f"{rel}#{anchor}" if anchor else rel or "./"
        return markup.escape_attribute(rel)

    def asset(self, path: str) -> Markup:
        """A file of the site (not a page) from the built page's address, for a data-*
        attribute (no generator rewrites those)."""
        return markup.escape_attribute(self.up_page + path)

    def file_href(self, path: str) -> Markup:
        """A file of the site (not a page), for an ``href``."""
        return markup.escape_attribute(self.up + path)

    def action(self, target: str) -> Markup:
        """A page's address for a form's ``action`` (no generator rewrites those)."""
        return markup.escape_attribute(self.up_page + page_url(target))

    def entry_href(self, entry: Entry) -> Markup:
        return self.href(entry_page(entry))

    def explore_href(self, query: dict[str, str] | None = None) -> Markup:
        base = self.up + "explore/"
        if not query:
            return markup.escape_attribute(base)
        # facet names and vocabulary keys are plain identifiers: nothing to encode but commas
        pairs = "&".join(f"{name}={quote(value, safe=',')}" for name, value in query.items())
        return markup.escape_attribute(f"{base}?{pairs}")

    def external(self, url: str | None) -> Markup | None:
        """An external address for an ``href`` (the web addresses the exports name too), or
        None."""
        address = web_address(url)
        return markup.escape_attribute(address) if address else None

    def edit_url(self, entry: Entry) -> Markup:
        """The entry's file in the repository's editor (a URL from our own configuration)."""
        return Markup(f"{self.site.repo_url}/edit/main/{quote(entry.source_path)}")

    def successor(self, entry: Entry) -> Markup | None:
        """A link to what replaces the entry (another entry, or an address)."""
        target = entry.string("successor")
        if not target:
            return None
        other = self.site.by_id.get(target)
        if other is not None:
            return markup.html_format(
                '<a href="{}">{}</a>', self.entry_href(other), self.name(other))
        href = self.external(target)
        if href is None:
            return None
        # the address as a reader reads it: no scheme, no final slash
        shown = target.split("://", 1)[-1].rstrip("/")
        return markup.html_format('<a href="{}">{}</a>', href, markup.escape(shown))

    def icon(self, name: str) -> Markup:
        if name not in _ICONS:
            raise KeyError(f"no icon '{name}' in dl4mic.css")
        return markup.html_format(
            '<span class="dl-icon dl-icon--{}" aria-hidden="true"></span>', name)

    # --- open data (export/) and link health (linkhealth.py) -------------------------------------
    def entry_links(self, entry: Entry) -> EntryLinks | None:
        """What the last link checks say of the entry's links; None without a report."""
        health = self.site.link_health
        if health is None:
            return None
        others = [str(link.get("url") or "") for link in entry.get("links") or []
                  if isinstance(link, dict)]
        return health.for_entry(entry.string("url"), others)

    def citation(self, entry: Entry) -> str | None:
        """The BibTeX record of a paper or book that can be cited, else None."""
        return bibtex_entry(entry) if is_reference(entry) else None

    def locator(self, entry: Entry) -> str:
        """Where in its venue a paper is, as a reference list prints it ('18(1), 100–106')."""
        return str(locator(entry))

    def edition(self, number: int) -> str:
        """A book's edition as the page's language writes it: « 2e édition », "2nd edition"."""
        if self.lang == "fr":
            ordinal = f"{number}e"
        else:
            last = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
            ordinal = f"{number}{'th' if number % 100 in (11, 12, 13) else last}"
        return self.ui["edition_ordinal"].format(ordinal=ordinal)

    def references_link(self) -> Markup:
        """A link to the file of every reference (BibTeX), named by its path."""
        return markup.html_format('<a href="{}"><code>{}</code></a>',
                                  self.file_href("../" + REFERENCES_BIB), REFERENCES_BIB)

    def kind_label(self, entry: Entry) -> str:
        term = self.site.kind_term(entry)
        return self.label("kinds", term.key) if term else ""

    def facet_values(self, facet: Facet, entries: Iterable[Entry]) -> list[tuple[str, str]]:
        """(key, label) of the facet's values some entry uses, in vocabulary order."""
        return self._in_order(facet, used_keys(facet, entries))

    def _in_order(self, facet: Facet, used: Container[str]) -> list[tuple[str, str]]:
        terms = self.site.catalogue.vocabularies[facet.name].terms
        return [(key, self.label(facet.name, key)) for key in terms if key in used]


class _SiteRenderer:
    def __init__(
        self,
        catalogue: Catalogue,
        repo_url: str,
        site_url: str = LOCAL_SITE_URL,
        link_health: LinkHealth | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.repo_url = repo_url.rstrip("/")
        self.addresses = Addresses.of_site(site_url)
        self.link_health = link_health
        self.env = _environment()
        self.by_id = catalogue.by_id()
        self.facets = derive_facets(catalogue)
        self._facets_by_name = {facet.name: facet for facet in self.facets}
        self._sort_keys: dict[tuple[str, int], tuple[str, str]] = {}
        self._labels: dict[tuple[str, str, str], str] = {}
        self._term_finders: dict[str, markup.TermFinder] = {}
        # lang → each section's key, resources and groups (_section_lists)
        self.section_lists: dict[str, list[tuple[str, list[Entry], list[Group]]]] = {}
        self.links_from_source = False  # see PageContext.up

    def term_finder(self, lang: str) -> markup.TermFinder:
        """The names of the glossary's terms in ``lang`` (:func:`model.glossary_names`), to
        find in texts written in it; made once per language. A name two terms share links to
        the first by id (``validate`` warns of it)."""
        finder = self._term_finders.get(lang)
        if finder is None:
            finder = markup.glossary_finder(self.catalogue.of_type("glossary"), lang)
            self._term_finders[lang] = finder
        return finder

    def facet(self, name: str) -> Facet:
        return self._facets_by_name[name]

    def kind_term(self, entry: Entry) -> VocabTerm | None:
        """The entry's value in kinds.yml (implied for FAQ, cheat sheets and glossary)."""
        keys = self.facet("kinds").keys(entry)
        kinds = self.catalogue.vocabularies.get("kinds")
        return kinds.terms.get(keys[0]) if kinds and keys else None

    def status_term(self, entry: Entry) -> VocabTerm | None:
        """The entry's value in status.yml, whose flags say what it means for the entry's
        address and its exports; None without a status (an active resource)."""
        keys = self.facet("status").keys(entry)
        return self.catalogue.vocabularies["status"].terms.get(keys[0]) if keys else None

    def render_page(
        self, lang: str, path: str, template: str, **values: Any
    ) -> tuple[str, PageContext]:
        ctx = PageContext(self, lang, path)
        body = self.env.get_template(template).render(
            c=ctx, ui=ctx.ui, lang=lang, catalogue=self.catalogue, by_id=self.by_id, **values
        )
        return body, ctx

    def name_key(self, lang: str, entry: Entry) -> tuple[str, str]:
        """The entry's place in name order on a ``lang`` page: its name as plain text, folded
        (:func:`sort_key`), then its id; computed once."""
        known = self._sort_keys.get((lang, id(entry)))
        if known is None:
            text = in_language(entry.text(name_field(entry)), lang)
            known = (sort_key(markup.plain(text)), entry.id)
            self._sort_keys[(lang, id(entry))] = known
        return known

    def label(self, vocab: str, key: str, lang: str) -> str:
        """A vocabulary value's label as a ``lang`` page shows it (typeset in its language);
        kept, since every list and page asks for the same few hundred, many times."""
        known = self._labels.get((vocab, key, lang))
        if known is None:
            known = typeset(*self.catalogue.vocabularies[vocab].shown_label(key, lang))
            self._labels[(vocab, key, lang)] = known
        return known

    def vocab_title(self, vocab: str, lang: str) -> str:
        return typeset(*self.catalogue.vocabularies[vocab].shown_title(lang))

    def description(self, vocab: str, key: str, lang: str) -> str:
        return typeset(*self.catalogue.vocabularies[vocab].shown_description(key, lang))

    def sorted_entries(self, lang: str, entries: Iterable[Entry]) -> list[Entry]:
        return sorted(entries, key=lambda entry: self.name_key(lang, entry))

    def browsing_order(self, lang: str, entries: Iterable[Entry]) -> list[Entry]:
        """Name order, what is current first (see :meth:`browsing_rank`): the order of lists
        a reader browses (section pages, cheat sheets; the explorer with nothing searched)."""
        return sorted(self.sorted_entries(lang, entries), key=self.browsing_rank)  # stable

    ENDED = 2

    def browsing_rank(self, entry: Entry) -> int:
        """0 current, 1 usable with care (a status that lowers its ``search_weight``, as
        unmaintained), :attr:`ENDED` over (``ended`` in status.yml)."""
        term = self.status_term(entry)
        if term is None:
            return 0
        return self.ENDED if term.ended else 1 if term.search_weight < 1 else 0

    def has_ended(self, entry: Entry) -> bool:
        """Whether the entry's status says it is over (the CSV's "archived")."""
        return self.browsing_rank(entry) == self.ENDED

    def newest(self, lang: str, entries: Iterable[Entry], date_of: Callable[[Entry], str],
               limit: int) -> list[Entry]:
        """The ``limit`` newest entries, newest first. The same ones in every language: chosen
        by date then id (a name order differs between languages), shown by date then name."""
        by_id = sorted(entries, key=lambda entry: entry.id)
        chosen = sorted(by_id, key=date_of, reverse=True)[:limit]  # stable: id order kept
        return sorted(self.sorted_entries(lang, chosen), key=date_of, reverse=True)


def front_matter(meta: dict[str, Any]) -> str:
    """YAML front matter written as JSON scalars (valid YAML, and one dump less per page).
    Texts are HTML-escaped: themes print ``title`` and ``description`` into the page as is."""
    lines = ["---"]
    for key in sorted(meta):
        value = meta[key]
        if isinstance(value, str):
            value = markup.escape_attribute(value) if key in ("title", "description") else value
            value = str(value)
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join([*lines, "---", "", ""])


def _section_groups(
    site: _SiteRenderer, lang: str, section: str, members: list[Entry]
) -> list[Group]:
    ui = ui_for(lang)
    term = site.catalogue.vocabularies["sections"].terms.get(section)
    first = (term.group_by if term else None) or GROUPING_VOCABULARIES[0]
    grouping = [site.facet(name) for name in
                sorted(GROUPING_VOCABULARIES, key=lambda name: name != first)]
    buckets: dict[tuple[str, str], list[Entry]] = {}
    for entry in members:
        buckets.setdefault(group_key(entry, grouping), []).append(entry)
    order = [
        (facet.name, key)
        for facet in grouping
        for key in site.catalogue.vocabularies[facet.name].terms
    ] + [("", "")]
    groups = []
    limit = (len(members) if len(members) <= SECTION_LIMIT
             else max(GROUP_LIMIT, SECTION_LIMIT // max(1, len(buckets))))
    for vocabulary, key in order:
        entries = buckets.get((vocabulary, key))
        if not entries:
            continue
        label = (
            site.label(vocabulary, key, lang) if vocabulary else ui["other_tasks"]
        )
        query = {"sections": section}
        if vocabulary:
            query[vocabulary] = key
        # a group shows its first entries: current ones first (see browsing_rank)
        ordered = site.browsing_order(lang, entries)
        groups.append(Group(key or "other", label, ordered[:limit], len(ordered), query))
    return groups


def render_site(
    catalogue: Catalogue,
    *,
    repo_url: str = REPOSITORY_URL,
    site_url: str = LOCAL_SITE_URL,
    link_health: LinkHealth | None = None,
    links_from_source: bool = False,
    jobs: int | None = None,
) -> RenderedSite:
    """Render every page of the site in every language. ``site_url`` is the public address
    (exports and structured data hold absolute links); ``link_health``, from the last link
    checks, adds what they found to entry pages; ``links_from_source`` writes links for a
    generator that rewrites them (see :class:`PageContext`). ``jobs``: 1 renders in this
    process; 2 renders the second language in a forked process meanwhile (same output);
    None chooses 2 for large catalogues where ``fork`` exists, two CPUs are free and no other
    thread runs."""
    from .export import build_exports  # exports read addresses and texts from here
    from .export.pages import emit_open_data_pages

    with gc_paused():  # pages and the index make many objects and no cycles worth collecting
        site = _SiteRenderer(catalogue, repo_url, site_url, link_health)
        site.links_from_source = links_from_source
        first, *others = LANGUAGES
        with _LanguagesElsewhere(site, others, _jobs(jobs, catalogue)) as elsewhere:
            exports = build_exports(site)
            languages = {first: _render_language(site, first), **elsewhere.results()}
        result = RenderedSite(pages={}, nav={}, root_files=exports.root_files)
        for lang in LANGUAGES:
            rendered = languages[lang]
            # the open-data pages list the exports' sizes: made here, after both
            emit_open_data_pages(
                site, _emitter(site, lang, rendered.pages, rendered.fallbacks), ui_for(lang),
                exports,
            )
            result.pages[lang] = dict(sorted(rendered.pages.items()))
            result.fallbacks[lang] = rendered.fallbacks
            result.files[lang] = {**rendered.indexes, **exports.files[lang]}
            result.nav[lang] = rendered.nav
    return result


@dataclass
class _Language:
    """One language's pages (but the open-data ones), what they show in another language,
    its search indexes and navigation."""

    pages: dict[str, str]
    fallbacks: list[Fallback]
    indexes: dict[str, str]  # path → JSON: the search index, each section's filter index
    nav: list[Any]


def _render_language(site: _SiteRenderer, lang: str) -> _Language:
    # the indexes are page assets; search imports render
    from .search import EntryStems, build_search_index, build_section_index

    pages: dict[str, str] = {}
    fallbacks: list[Fallback] = []
    emit = _emitter(site, lang, pages, fallbacks)
    for step in (_home, _sections, _resources, _faq, _cheatsheets, _glossary, _recent,
                 _explore, _contribute):
        step(site, lang, emit)
    stems = EntryStems(site, lang)
    indexes = {SEARCH_INDEX: build_search_index(site, lang, stems)}
    for key, _members, groups in _section_lists(site, lang):
        rows = [entry for group in groups for entry in group.entries]  # those the page lists
        indexes[section_index_path(key)] = build_section_index(site, lang, rows, stems)
    return _Language(pages, fallbacks, indexes, _nav(site, lang))


# Below this many entries a second process costs more than it saves (the real catalogue's
# 200 entries render in about 0.4 s).
PARALLEL_FROM_ENTRIES = 1000


def _jobs(jobs: int | None, catalogue: Catalogue) -> int:
    if jobs is not None:
        return max(1, jobs)
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1  # Windows; and no fork where the platform advises against it (macOS)
    if sys.platform == "darwin" or _usable_cpus() < 2:
        return 1
    if threading.active_count() > 1:
        return 1  # a fork copies only this thread: a lock another one holds would never free
    return 2 if sum(1 for _ in catalogue.all_entries()) >= PARALLEL_FROM_ENTRIES else 1


def _usable_cpus() -> int:
    """The CPUs this process may run on (a container's or a job's share), else all of them."""
    if hasattr(os, "sched_getaffinity"):  # Linux; not every Unix has it
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class ForkedRenderError(Exception):
    """The traceback of an error raised in the forked renderer (the cause of the error re-raised
    here), or why that process stopped without an answer."""


def _render_forked(
    site: _SiteRenderer, langs: list[str], receiver: Connection, sender: Connection
) -> None:
    """The forked process: renders ``langs`` and sends them back, or the error it met."""
    # Interruptions are the parent's to handle: Ctrl-C (sent to the whole process group) is
    # ignored here, and SIGTERM (from the parent, once the work is of no use) ends it quietly.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # Without the reading end, a send to a parent that died fails instead of waiting forever.
    receiver.close()
    try:
        message: tuple[Any, ...] = ("ok", {lang: _render_language(site, lang) for lang in langs})
    except Exception as exc:
        message = ("error", _sendable(exc), "".join(traceback.format_exception(exc)))
    try:
        sender.send(message)
    except Exception:  # the parent is gone (or the pages cannot be pickled: a bug, told)
        with contextlib.suppress(Exception):
            sender.send(("error", ForkedRenderError("the rendered pages could not be sent"),
                         traceback.format_exc()))
    finally:
        sender.close()


def _sendable(exc: Exception) -> Exception:
    """``exc`` if it comes out of a pickle as it went in, else a ForkedRenderError naming it
    (an exception whose arguments do not rebuild it would fail in the parent instead)."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return ForkedRenderError(f"{type(exc).__name__}: {exc}")
    return exc


class _LanguagesElsewhere:
    """Renders ``langs`` in one forked process while this one works on, when ``jobs`` > 1;
    else here, when their results are asked for. A fork inherits the loaded catalogue and the
    renderer (nothing is copied to it); only the rendered pages come back."""

    def __init__(self, site: _SiteRenderer, langs: list[str], jobs: int) -> None:
        self.site, self.langs, self.jobs = site, langs, jobs
        self.process: BaseProcess | None = None
        self.receiver: Connection | None = None

    def __enter__(self) -> _LanguagesElsewhere:
        if self.jobs > 1 and self.langs:
            context = multiprocessing.get_context("fork")
            self.receiver, sender = context.Pipe(duplex=False)
            self.process = context.Process(target=_render_forked, daemon=True,
                                           args=(self.site, self.langs, self.receiver, sender))
            self.process.start()
            sender.close()  # the child's copy is the one that writes
        return self

    def results(self) -> dict[str, _Language]:
        if self.process is None or self.receiver is None:
            return {lang: _render_language(self.site, lang) for lang in self.langs}
        try:
            message = self.receiver.recv()
        except EOFError:  # killed, or out of memory: no answer
            self.process.join()
            raise ForkedRenderError(
                f"the process rendering {', '.join(self.langs)} stopped without an answer "
                f"(exit code {self.process.exitcode})") from None
        except Exception as exc:  # an answer that does not unpickle
            raise ForkedRenderError(
                f"the answer of the process rendering {', '.join(self.langs)} could not be "
                f"read") from exc
        if message[0] == "ok":
            return dict(message[1])
        error: BaseException = message[1]
        raise error from ForkedRenderError(message[2])

    def __exit__(self, *exc: object) -> None:
        if self.process is None:
            return
        if self.receiver is not None:
            self.receiver.close()
        if exc[0] is None:
            self.process.join()  # it has answered: it ends now
        if self.process.is_alive():  # after an error or an interruption here: of no use
            self.process.terminate()
            self.process.join(timeout=5)
            if self.process.is_alive():
                self.process.kill()
                self.process.join()


Emit = Callable[..., None]


def _home(site: _SiteRenderer, lang: str, emit: Emit) -> None:
    ui, catalogue = ui_for(lang), site.catalogue
    resources = catalogue.of_type("resource")
    counts = {
        key: sum(1 for r in resources if key in r.strings("sections"))
        for key in catalogue.vocabularies["sections"].terms
    }
    emit("index.md", "home.md.j2", {"title": ui["home"], "description": ui["site_description"]},
         counts=counts, starts=entry_points(), total=sum(1 for _ in catalogue.all_entries()))


def _sections(site: _SiteRenderer, lang: str, emit: Emit) -> None:
    sections = site.catalogue.vocabularies["sections"]
    for key, members, groups in _section_lists(site, lang):
        meta = {"title": site.label("sections", key, lang),
                "description": site.description("sections", key, lang)}
        icon = sections.terms[key].icon
        if icon:
            meta["icon"] = icon
        emit(f"sections/{key}.md", "section.md.j2", meta, section=key, groups=groups,
             count=len(members), members=members, filter_index=section_index_path(key),
             cited=any(is_reference(member) for member in members))


def _section_lists(site: _SiteRenderer, lang: str) -> list[tuple[str, list[Entry], list[Group]]]:
    """Each section's key, its resources, and the groups its page lists them in; made once
    per language (the pages and their word indexes both ask)."""
    known = site.section_lists.get(lang)
    if known is None:
        resources = site.catalogue.of_type("resource")
        known = []
        for key in site.catalogue.vocabularies["sections"].terms:
            members = [r for r in resources if key in r.strings("sections")]
            known.append((key, members, _section_groups(site, lang, key, members)))
        site.section_lists[lang] = known
    return known


def section_index_path(section: str) -> str:
    """Where the word index of a section page's filter box is (search.build_section_index)."""
    return f"assets/section-index/{section}.json"


def _resources(site: _SiteRenderer, lang: str, emit: Emit) -> None:
    for entry in site.catalogue.of_type("resource"):
        path = entry_page(entry)
        meta_ctx = PageContext(site, lang, path)
        meta = {
            "title": meta_ctx.plain(entry, "title"),
            "description": meta_ctx.plain(entry, "summary"),
        }
        emit(path, "resource.md.j2", meta, entry=entry)


def _faq(site: _SiteRenderer, lang: str, emit: Emit) -> None:
    ui = ui_for(lang)
    groups: dict[str, list[Entry]] = {}
    for entry in site.catalogue.of_type("faq"):
        groups.setdefault((entry.strings("topics") or [""])[0], []).append(entry)
    ordered = [
        (topic, sorted(groups[topic], key=lambda e: (e.number("order") or 10**6, e.id)))
        for topic in site.catalogue.vocabularies["faq-topics"].terms
        if topic in groups
    ]
    emit("faq.md", "faq.md.j2", {"title": ui["faq"], "description": ui["faq_intro"]},
         groups=ordered)


def _cheatsheets(site: _SiteRenderer, lang: str, emit: Emit) -> None:
    ui, sheets = ui_for(lang), site.catalogue.of_type("cheatsheet")
    groups = [
        (kind, site.browsing_order(lang, [e for e in sheets if e.string("type") == kind]))
        for kind in site.catalogue.vocabularies["cheatsheet-types"].terms
    ]
    emit("cheatsheets.md", "cheatsheets.md.j2",
         {"title": ui["cheatsheets"], "description": ui["cheatsheets_intro"]},
         groups=[(kind, entries) for kind, entries in groups if entries])


def _glossary(site: _SiteRenderer, lang: str, emit: Emit) -> None:
    ui = ui_for(lang)
    terms = site.sorted_entries(lang, site.catalogue.of_type("glossary"))
    emit("glossary.md", "glossary.md.j2",
         {"title": ui["glossary"], "description": ui["glossary_intro"]},
         terms=terms, letters=_initials(site, lang, terms))


def _recent(site: _SiteRenderer, lang: str, emit: Emit) -> None:
    ui = ui_for(lang)
    everything = list(site.catalogue.all_entries())
    shown = site.newest(lang, everything, lambda e: e.string("added") or "", RECENT_LIMIT)
    emit("recent.md", "recent.md.j2", {"title": ui["recent"], "description": ui["recent_intro"]},
         entries=shown, total=len(everything))



#: The published files the explorer cuts its selection from, and the names it downloads as.
# a downloaded selection is named after what the reader chose ("dl4mic-hub-segmentation-
# tool.csv"), so that a trainer's several selections do not all arrive as "(1)", "(2)"...
SELECTION_FILES = {"csv": CATALOGUE_CSV, "csv_name": "dl4mic-hub-{selection}.csv",
                   "bib": REFERENCES_BIB, "bib_name": "dl4mic-hub-{selection}.bib"}


def _explore(site: _SiteRenderer, lang: str, emit: Emit) -> None:
    ui = ui_for(lang)
    # The explorer shows nothing before its index: the page's <head> asks for it at once
    # (overrides/main.html), where the script, run last, asked for it only after every other.
    emit("explore.md", "explore.md.j2",
         {"title": ui["explore"], "description": ui["explore_intro"], "hide": ["toc"],
          "preload": [SEARCH_INDEX]},
         entries=site.sorted_entries(lang, site.catalogue.all_entries()),
         facets=list(site.facets), search_index=SEARCH_INDEX,
         # "download this selection": the rows of the published CSV (resources only: the
         # kinds other types imply are not in it) and the records of the BibTeX file (the
         # kinds that are cited) that the explorer shows, cut from those files in the browser
         selection_files=SELECTION_FILES,
         other_kinds=sorted(key for type_name, key in site.facet("kinds").implied.items()
                            if type_name != "resource"),
         cite_kinds=sorted(REFERENCE_KINDS))


def _contribute(site: _SiteRenderer, lang: str, emit: Emit) -> None:
    ui = ui_for(lang)
    emit("contribute.md", "contribute.md.j2",
         {"title": ui["contribute"], "description": ui["contribute_intro"]},
         repo_url=site.repo_url)


def _nav(site: _SiteRenderer, lang: str) -> list[Any]:
    """The generator's navigation: the same pages in every language, translated titles.

    Every generator prints a navigation title into the page as it is, HTML included (no
    escaping), and section titles are catalogue text (vocab/sections.yml): each title is
    HTML-escaped here, once (``& < > "``, inert in text and in a quoted attribute). Not with
    ``markup.escape``: titles never pass through Markdown, and its numeric references for
    ``: # + =``... would be read aloud where a template escapes again (overrides/partials/
    footer.html prints them unescaped for that reason)."""
    ui = {key: str(markup.escape_attribute(text)) for key, text in ui_for(lang).items()}
    sections = site.catalogue.vocabularies["sections"]
    return [
        {ui["home"]: "index.md"},
        {ui["explore"]: "explore.md"},
        {ui["sections_heading"]: [
            {str(markup.escape_attribute(site.label("sections", key, lang))): f"sections/{key}.md"}
            for key in sections.terms
        ]},
        {ui["faq"]: "faq.md"},
        {ui["cheatsheets"]: "cheatsheets.md"},
        {ui["glossary"]: "glossary.md"},
        {ui["recent"]: "recent.md"},
        {ui["contribute"]: "contribute.md"},
        {ui["open_data"]: "open-data.md"},
        *([{ui["link_health"]: "link-health.md"}] if site.link_health is not None else []),
    ]


def _emitter(
    site: _SiteRenderer, lang: str, pages: dict[str, str], fallbacks: list[Fallback]
) -> Callable[..., None]:
    from .export.jsonld import head_meta

    def emit(path: str, template: str, meta: dict[str, Any], **values: Any) -> None:
        body, ctx = site.render_page(lang, path, template, **values)
        meta = dict(meta)
        if ctx.fallbacks:
            meta["fallbacks"] = len(ctx.fallbacks)
            title = ctx.ui["fallback_banner_title"]
            notice = f'!!! warning "{title}"\n\n    {_fallback_banner(site, ctx)}\n\n'
            # under the page's title, which readers (and screen readers) meet first
            heading, _, rest = body.partition("\n")
            body = f"{heading}\n\n{notice}{rest}" if heading.startswith("# ") else notice + body
        fallbacks.extend(ctx.fallbacks)
        meta.update(head_meta(site, lang, path, meta, values.get("data_files")))
        pages[path] = front_matter(meta) + body.rstrip() + "\n"

    return emit


def _fallback_banner(site: _SiteRenderer, ctx: PageContext) -> str:
    """The notice of a page that shows texts in another language, which says where to
    translate them: the entry's file, or when they come from several entries, their names,
    each linking to its file. Our interface text (Markdown) with links we built and names
    escaped by ``name``: safe."""
    entries = [site.by_id[entry_id]
               for entry_id in dict.fromkeys(fallback.entry_id for fallback in ctx.fallbacks)]
    if len(entries) == 1:
        return ctx.ui["fallback_banner"].format(edit_url=ctx.edit_url(entries[0]))
    namer = PageContext(site, ctx.lang, ctx.path)  # names in the notice are not the page's text
    links = ", ".join(
        markup.html_format('<a href="{}">{}</a>', namer.edit_url(entry), namer.name(entry))
        for entry in entries
    )
    return ctx.ui["fallback_banner_entries"].format(entries=links)


def _initials(site: _SiteRenderer, lang: str, entries: list[Entry]) -> list[tuple[str, str]]:
    """(letter, id of the first term starting with it) for the glossary's A-Z line, from the
    key the terms were sorted by."""
    seen: dict[str, str] = {}
    for entry in entries:
        name = site.name_key(lang, entry)[0]
        letter = name[:1].upper() if name[:1].isalpha() else "#"
        seen.setdefault(letter, entry.id)
    return sorted(seen.items())


def not_found_page(base_path: str) -> str:
    """The site root's 404.html, which GitHub Pages serves for every missing address, in
    either language: both languages side by side, links to both homes and explorers, and a
    search box. Links are absolute (``base_path`` is the site's path, e.g. ``/dl4mic-hub``),
    since the page is served at any depth. No script, so its policy allows none."""
    base = base_path.rstrip("/")
    blocks = []
    for lang in LANGUAGES:
        ui = ui_for(lang)
        root = f"{base}/{lang}/"
        blocks.append(
            f'<section lang="{lang}">\n'
            f"<h2>{markup.escape(ui['not_found_title'])}</h2>\n"
            f"<p>{markup.escape(ui['not_found_body'])}</p>\n"
            f'<form action="{root}explore/" role="search">'
            f'<label for="q-{lang}">{markup.escape(ui["search_label"])}</label> '
            f'<input id="q-{lang}" type="search" name="q"> '
            f'<button type="submit">{markup.escape(ui["search_button"])}</button></form>\n'
            f'<ul><li><a href="{root}">{markup.escape(ui["not_found_home"])}</a></li>'
            f'<li><a href="{root}explore/">{markup.escape(ui["explore"])}</a></li></ul>\n'
            "</section>"
        )
    ui = ui_for(LANGUAGES[0])
    return (
        "<!doctype html>\n"
        f'<html lang="{LANGUAGES[0]}">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'\">\n"
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>{markup.escape(ui_for('fr')['not_found_title'])} / "
        f"{markup.escape(ui_for('en')['not_found_title'])} - dl4mic-hub</title>\n"
        f'<link rel="stylesheet" href="{base}/404.css">\n'
        "</head>\n<body>\n<main>\n<h1>dl4mic-hub</h1>\n"
        + "\n".join(blocks)
        + "\n</main>\n</body>\n</html>\n"
    )


NOT_FOUND_CSS = """\
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 44rem; padding: 0 1rem;
       color: #1a1a1a; background: #fff; line-height: 1.5; }
h1 { color: #00695c; }
section { border-top: 1px solid #ccc; padding: 0.5rem 0 1rem; }
a { color: #00695c; }
input { padding: 0.3rem; border: 1px solid #555; }
button { padding: 0.3rem 0.8rem; background: #00695c; color: #fff; border: 0; }
@media (prefers-color-scheme: dark) {
  body { color: #eee; background: #1e2129; }
  h1, a { color: #80cbc4; }
}
"""

