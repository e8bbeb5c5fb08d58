"""Stage 3, render: turn a validated catalogue into Markdown pages, one tree per language.

Pure: catalogue in, ``{lang: {relative path: markdown}}`` out, plus the fallbacks used. Both
languages get exactly the same relative paths (slugs come from ids, never from translated
titles), so the language selector can keep the reader on the same page. Output is
deterministic: entries are sorted, nothing depends on the clock or on dict order of the disk.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined

from . import LANGUAGES, REPOSITORY_URL
from .model import Catalogue, Entry

RECENT_LIMIT = 30
_NAME_FIELD = {"faq": "question", "glossary": "term"}  # other types have a `title`


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

    def fallback_counts(self) -> dict[str, int]:
        return {lang: len(self.fallbacks.get(lang, [])) for lang in self.pages}


@cache
def ui_strings() -> dict[str, dict[str, str]]:
    """The interface strings: key → {lang: text}, from i18n/ui.yml."""
    text = (files("dl4mic_hub") / "i18n" / "ui.yml").read_text(encoding="utf-8")
    data: dict[str, dict[str, str]] = yaml.safe_load(text)
    for key, value in data.items():
        missing = [lang for lang in LANGUAGES if lang not in value]
        if missing:  # a packaging bug, not a user mistake
            raise ValueError(f"i18n/ui.yml: '{key}' has no {', '.join(missing)} text")
    return data


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("dl4mic_hub", "templates"),
        undefined=StrictUndefined,
        autoescape=False,  # output is Markdown; catalogue text has been checked for raw HTML
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = escape_cell
    env.filters["linktext"] = escape_link_text
    return env


def escape_cell(text: str) -> str:
    """Make inline Markdown safe inside a table cell (pipes and line breaks end cells)."""
    return " ".join(str(text).replace("|", "\\|").split())


_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()\s]*(?:\([^()\s]*\))?[^()\s]*(?:\s+\"[^\"]*\")?\)")


def strip_links(text: str) -> str:
    """Markdown inline text without its links and images (their text stays)."""
    return _MD_LINK.sub(r"\1", text)


def escape_link_text(text: str) -> str:
    return str(text).replace("[", "\\[").replace("]", "\\]")


def sort_key(text: str) -> str:
    """Accent- and case-insensitive key, so 'Écrire' sorts next to 'Ecrire' in any locale."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def entry_page(entry: Entry) -> str:
    """Where an entry is shown: its own page (resources) or an anchor on a list page."""
    if entry.type.name == "resource":
        return f"resources/{entry.id}.md"
    page = {"faq": "faq.md", "cheatsheet": "cheatsheets.md", "glossary": "glossary.md"}
    return f"{page[entry.type.name]}#{entry.id}"


# Facets a section page can filter on: entry field → vocabulary.
FILTER_FACETS = {
    "level": "levels",
    "dims": "dims",
    "platforms": "platforms",
    "access": "access",
    "content_language": "languages",
}


def _facet_keys(entry: Entry, facet: str) -> list[str]:
    value = entry.get(facet)
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value or []]


class PageContext:
    """What a template sees for one page in one language: texts, labels and links."""

    def __init__(self, site: _SiteRenderer, lang: str, path: str) -> None:
        self.site = site
        self.lang = lang
        self.path = path
        self.fallbacks: list[Fallback] = []
        self.ui = {key: value[lang] for key, value in ui_strings().items()}

    # --- texts ---------------------------------------------------------------------------------
    def _pick(self, entry: Entry, name: str, value: Any = None) -> tuple[str, str] | None:
        texts = entry.get(name) if value is None else value
        if not isinstance(texts, dict) or not texts:
            return None
        if self.lang in texts:
            return str(texts[self.lang]), self.lang
        shown = next(lang for lang in (*LANGUAGES, *texts) if lang in texts)
        self.fallbacks.append(Fallback(self.lang, shown, self.path, entry.id, name))
        return str(texts[shown]), shown

    def plain(self, entry: Entry, name: str) -> str:
        """Text without any fallback markup (front matter, link titles)."""
        picked = self._pick(entry, name)
        return picked[0] if picked else ""

    def text(self, entry: Entry, name: str, *, value: Any = None) -> str:
        """Inline text; a fallback is wrapped with its language and a visible marker."""
        picked = self._pick(entry, name, value)
        if picked is None:
            return ""
        text, shown = picked
        if shown == self.lang:
            return text
        return (
            f'<span lang="{shown}">{text}</span> '
            f'<small class="dl-fallback" title="{self.ui["fallback_inline_title"]}">'
            f"({self.ui['fallback_marker']})</small>"
        )

    def block(self, entry: Entry, name: str) -> str:
        """Block Markdown; a fallback goes in an element with its language, after a notice."""
        picked = self._pick(entry, name)
        if picked is None:
            return ""
        text, shown = picked
        if shown == self.lang:
            return text.strip()
        return (
            f'<p class="dl-fallback">{self.ui["fallback_inline_title"]}</p>\n\n'
            f'<div lang="{shown}" markdown="1">\n\n{text.strip()}\n\n</div>'
        )

    def name(self, entry: Entry) -> str:
        """The entry's name for link labels: a link cannot contain links, so any link inside
        (a FAQ question may cite a video) keeps only its text."""
        return strip_links(self.plain(entry, _NAME_FIELD.get(entry.type.name, "title")))

    # --- vocabularies --------------------------------------------------------------------------
    def label(self, vocab: str, key: str) -> str:
        return self.site.catalogue.vocabularies[vocab].label_of(key, self.lang)

    def labels(self, vocab: str, keys: Iterable[str] | None) -> list[str]:
        return [self.label(vocab, k) for k in keys or []]

    def vocab_title(self, vocab: str) -> str:
        labels = self.site.catalogue.vocabularies[vocab].label
        return labels.get(self.lang) or next(iter(labels.values()))

    def vocab_description(self, vocab: str, key: str) -> str:
        term = self.site.catalogue.vocabularies[vocab].terms[key]
        return term.description.get(self.lang) or next(iter(term.description.values()), "")

    # --- links ---------------------------------------------------------------------------------
    def url(self, target: str) -> str:
        """Relative link from this page to another generated page (MkDocs checks them)."""
        page, _, anchor = target.partition("#")
        rel = posixpath.relpath(page, posixpath.dirname(self.path) or ".")
        return f"{rel}#{anchor}" if anchor else rel

    def entry_url(self, entry: Entry) -> str:
        return self.url(entry_page(entry))

    def edit_url(self, entry: Entry) -> str:
        return f"{self.site.repo_url}/edit/main/{entry.source_path}"

    def filter_facets(
        self, entries: Iterable[Entry]
    ) -> list[tuple[str, str, list[tuple[str, str]]]]:
        """The filters offered above a section's tables: (facet, label, [(key, label)]) for
        every facet some entry of the section uses, values in vocabulary order."""
        entries = list(entries)
        offered = []
        for facet, vocab in FILTER_FACETS.items():
            used = {key for entry in entries for key in _facet_keys(entry, facet)}
            if used:
                values = [(key, self.label(vocab, key))
                          for key in self.site.catalogue.vocabularies[vocab].terms if key in used]
                offered.append((facet, self.vocab_title(vocab), values))
        return offered

    def facet_data(self, entry: Entry) -> str:
        """``data-*`` attributes carrying an entry's facet keys, read by the filter script."""
        return " ".join(
            f'data-{facet}="{" ".join(_facet_keys(entry, facet))}"' for facet in FILTER_FACETS
        )

    def facets(self, entry: Entry) -> list[str]:
        """Short facet labels shown in lists: dimensions, platforms, level, access."""
        out = self.labels("dims", entry.get("dims"))
        out += self.labels("platforms", entry.get("platforms"))
        for vocab, name in (("levels", "level"), ("access", "access")):
            if entry.get(name):
                out.append(self.label(vocab, entry.get(name)))
        return out


class _SiteRenderer:
    def __init__(self, catalogue: Catalogue, repo_url: str) -> None:
        self.catalogue = catalogue
        self.repo_url = repo_url.rstrip("/")
        self.env = _environment()
        self.by_id = catalogue.by_id()

    def render_page(
        self, lang: str, path: str, template: str, **values: Any
    ) -> tuple[str, PageContext]:
        ctx = PageContext(self, lang, path)
        body = self.env.get_template(template).render(
            c=ctx, ui=ctx.ui, lang=lang, catalogue=self.catalogue, by_id=self.by_id, **values
        )
        return body, ctx

    def sorted_entries(
        self, ctx_lang: str, entries: Iterable[Entry], field_name: str = "title"
    ) -> list[Entry]:
        def key(entry: Entry) -> tuple[str, str]:
            texts = entry.get(field_name) or {}
            text = (
                texts.get(ctx_lang) or next(iter(texts.values()), "")
                if isinstance(texts, dict)
                else ""
            )
            return sort_key(str(text)), entry.id

        return sorted(entries, key=key)


def _front_matter(meta: dict[str, Any]) -> str:
    meta = {key: str(value) if isinstance(value, str) else value for key, value in meta.items()}
    dumped = yaml.safe_dump(meta, allow_unicode=True, sort_keys=True, width=1000)
    return f"---\n{dumped}---\n\n"


def render_site(catalogue: Catalogue, *, repo_url: str = REPOSITORY_URL) -> RenderedSite:
    """Render every page of the site in every language."""
    site = _SiteRenderer(catalogue, repo_url)
    result = RenderedSite(pages={}, nav={})
    resources = catalogue.of_type("resource")
    sections = catalogue.vocabularies["sections"].terms
    task_order = list(catalogue.vocabularies["tasks"].terms)

    for lang in LANGUAGES:
        pages: dict[str, str] = {}
        fallbacks: list[Fallback] = []

        def emit(path: str, template: str, meta: dict[str, Any], **values: Any) -> None:
            body, ctx = site.render_page(lang, path, template, **values)  # noqa: B023
            meta = dict(meta)
            if ctx.fallbacks:
                meta["fallbacks"] = len(ctx.fallbacks)
                edit = values.get("edit_url") or f"{site.repo_url}/tree/main/catalogue"
                banner = ctx.ui["fallback_banner"].format(edit_url=edit)
                body = f'!!! warning "{ctx.ui["fallback_banner_title"]}"\n\n    {banner}\n\n{body}'
            fallbacks.extend(ctx.fallbacks)  # noqa: B023
            pages[path] = _front_matter(meta) + body.rstrip() + "\n"  # noqa: B023

        ui = {key: value[lang] for key, value in ui_strings().items()}
        counts = {
            key: sum(1 for r in resources if key in (r.get("sections") or [])) for key in sections
        }

        emit("index.md", "home.md.j2", {"title": ui["home"]}, counts=counts)
        for key, term in sections.items():
            members = [r for r in resources if key in (r.get("sections") or [])]
            groups: dict[str, list[Entry]] = {}
            for entry in members:
                tasks = entry.get("tasks") or []
                groups.setdefault(tasks[0] if tasks else "", []).append(entry)
            ordered = [
                (task, site.sorted_entries(lang, groups[task]))
                for task in [*task_order, ""]
                if task in groups
            ]
            meta = {
                "title": term.label.get(lang, key),
                "description": term.description.get(lang, ""),
            }
            if term.icon:
                meta["icon"] = term.icon
            emit(
                f"sections/{key}.md",
                "section.md.j2",
                meta,
                section=key,
                groups=ordered,
                count=len(members),
                members=members,
            )
        for entry in resources:
            path = entry_page(entry)
            # Front matter: plain texts (a fallback there is counted by the page body already).
            meta_ctx = PageContext(site, lang, path)
            ctx_title = meta_ctx.plain(entry, "title")
            summary = meta_ctx.plain(entry, "summary")
            emit(
                path,
                "resource.md.j2",
                {"title": ctx_title, "description": " ".join(summary.split())},
                entry=entry,
                edit_url=f"{site.repo_url}/edit/main/{entry.source_path}",
            )
        faq_topics = list(catalogue.vocabularies["faq-topics"].terms)
        faq_groups: dict[str, list[Entry]] = {}
        for entry in catalogue.of_type("faq"):
            faq_groups.setdefault((entry.get("topics") or [""])[0], []).append(entry)
        faq_ordered = [
            (topic, sorted(faq_groups[topic], key=lambda e: (e.get("order", 10**6), e.id)))
            for topic in faq_topics
            if topic in faq_groups
        ]
        emit("faq.md", "faq.md.j2", {"title": ui["faq"]}, groups=faq_ordered)
        cheat_types = list(catalogue.vocabularies["cheatsheet-types"].terms)
        cheat_groups = [
            (
                kind,
                site.sorted_entries(
                    lang, [e for e in catalogue.of_type("cheatsheet") if e.get("type") == kind]
                ),
            )
            for kind in cheat_types
        ]
        emit(
            "cheatsheets.md",
            "cheatsheets.md.j2",
            {"title": ui["cheatsheets"]},
            groups=[(k, g) for k, g in cheat_groups if g],
        )
        emit(
            "glossary.md",
            "glossary.md.j2",
            {"title": ui["glossary"]},
            terms=site.sorted_entries(lang, catalogue.of_type("glossary"), "term"),
        )
        recent = sorted(
            catalogue.all_entries(), key=lambda e: (str(e.get("added", "")), e.id), reverse=True
        )
        emit("recent.md", "recent.md.j2", {"title": ui["recent"]}, entries=recent[:RECENT_LIMIT])
        emit(
            "contribute.md", "contribute.md.j2", {"title": ui["contribute"]}, repo_url=site.repo_url
        )

        result.pages[lang] = dict(sorted(pages.items()))
        result.fallbacks[lang] = fallbacks
        result.nav[lang] = [
            {ui["home"]: "index.md"},
            {
                ui["sections_heading"]: [
                    {term.label.get(lang, key): f"sections/{key}.md"}
                    for key, term in sections.items()
                ]
            },
            {ui["faq"]: "faq.md"},
            {ui["cheatsheets"]: "cheatsheets.md"},
            {ui["glossary"]: "glossary.md"},
            {ui["recent"]: "recent.md"},
            {ui["contribute"]: "contribute.md"},
        ]
    return result
