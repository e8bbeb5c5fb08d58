"""Structured data (JSON-LD, schema.org + Bioschemas) for every page of the site.

The render stage puts the JSON text in each page's front matter (``jsonld``) and the theme
prints it in a ``<script type="application/ld+json">`` in the page's ``<head>`` (the CSP does
not apply: browsers never execute it). What each page describes:

- a resource's page: the resource, typed by its kind, with the Bioschemas profile where one
  applies (TrainingMaterial for learning resources, ComputationalTool for software): both are
  data of the kind in ``vocab/kinds.yml`` (``schema_org``, ``bioschemas``), so a new kind needs
  no code (without them it is a ``CreativeWork`` with no profile); a cheat sheet's type in
  ``vocab/cheatsheet-types.yml`` may say more (a drawing tool is software); ``@id`` is the
  page, ``url`` the resource itself;
- the FAQ: a ``FAQPage`` of answered questions; the glossary: a ``DefinedTermSet``; the cheat
  sheets: a ``CollectionPage`` whose parts are learning resources;
- every other page: a ``WebPage`` (``CollectionPage`` for lists, ``WebSite`` for the home).

The French and English versions of a node point at each other: ``workTranslation`` from the
primary language (French), ``translationOfWork`` back to it.

Catalogue text is untrusted and this JSON sits inside a ``<script>`` element: "<", ">" and "&"
are written as ``\\u003c``..., so no text can close the element or open a comment.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .. import LANGUAGES, markup
from ..model import Entry
from ..render import summary_field
from . import (
    ATTRIBUTION,
    CATALOGUE_TITLE,
    CONTENT_LICENCE,
    Addresses,
    DataFile,
    newest_date,
    web_address,
)
from .references import authors, locator, published_in

if TYPE_CHECKING:
    from ..render import PageContext, _SiteRenderer

SCHEMA_ORG = "https://schema.org"
BIOSCHEMAS_PROFILES = "https://bioschemas.org/profiles/"
EDAM = "http://edamontology.org/"
SPDX = "https://spdx.org/licenses/"
DOI = "https://doi.org/"
#: The type of an entry whose kind names no schema.org type: the most general creative work.
DEFAULT_TYPE = "CreativeWork"
# The schema.org types a kind may give (kinds.yml) that are not creative works: Thing's other
# direct subtypes, and Service (an Intangible). An entry of only these types carries none of
# CreativeWork's properties (a validator flags an Organization with an author or a licence).
NOT_CREATIVE_WORKS = frozenset({"Action", "BioChemEntity", "Event", "Intangible", "MedicalEntity",
                                "Organization", "Person", "Place", "Product", "Service",
                                "Taxon"})
# What Organization and Service share with a creative work here (Thing's own properties, and
# keywords, which schema.org gives organisations too)
_THING_PROPERTIES = frozenset({"@type", "@id", "dct:conformsTo", "name", "description", "url",
                               "identifier", "sameAs"})
LIST_PAGE_TYPES = {"explore.md": "CollectionPage", "recent.md": "CollectionPage"}
_SCRIPT_SAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def script_json(data: Any) -> str:
    """JSON that can sit inside a ``<script>`` element whatever the strings hold."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _SCRIPT_SAFE.items():
        text = text.replace(char, escaped)
    return text


def _one_or_list(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


class _Describer:
    """Builds the nodes of one page in one language."""

    def __init__(self, site: _SiteRenderer, lang: str, path: str) -> None:
        from ..render import PageContext

        self.site = site
        self.lang = lang
        self.path = path
        self.ctx: PageContext = PageContext(site, lang, path)
        self.addresses: Addresses = site.addresses

    # --- shared pieces -------------------------------------------------------------------------
    def translations(self, address_in: Callable[[str], str]) -> dict[str, Any]:
        """``workTranslation`` (primary language) or ``translationOfWork`` (the others)."""
        primary = LANGUAGES[0]
        if self.lang == primary:
            others = [{"@id": address_in(lang)} for lang in LANGUAGES if lang != primary]
            return {"workTranslation": _one_or_list(others)} if others else {}
        return {"translationOfWork": {"@id": address_in(primary)}}

    def publisher(self) -> dict[str, Any]:
        return {"@type": "Organization", "name": ATTRIBUTION, "url": self.site.repo_url}

    def page_common(
        self, address_in: Callable[[str], str], name: str, description: str
    ) -> dict[str, Any]:
        node = {
            "@id": address_in(self.lang),
            "url": address_in(self.lang),
            "name": name,
            "inLanguage": self.lang,
            "license": CONTENT_LICENCE.url,
            "isPartOf": {"@id": self.addresses.root(self.lang)},
        }
        if description:
            node["description"] = description
        return {**node, **self.translations(address_in)}

    def labels(self, vocabulary: str, keys: list[str]) -> list[str]:
        return self.ctx.labels(vocabulary, keys)

    def edam_terms(self, entry: Entry) -> list[dict[str, Any]]:
        vocabulary = self.site.catalogue.vocabularies["tasks"]
        terms = []
        for key in entry.strings("tasks"):
            term = vocabulary.terms.get(key)
            if term is not None and term.edam:
                terms.append({
                    "@type": "DefinedTerm",
                    "@id": EDAM + term.edam,
                    "termCode": term.edam,
                    "name": self.ctx.label("tasks", key),
                    "inDefinedTermSet": EDAM,
                    "url": EDAM + term.edam,
                })
        return terms

    def keywords(self, entry: Entry) -> list[str]:
        words = [*self.ctx.keywords(entry), *self.labels("tasks", entry.strings("tasks")),
                 *self.labels("learning-topics", entry.strings("learning_topics"))]
        unique: dict[str, str] = {}  # the first of each, whatever its case ("pretrained
        for word in words:  # models" as a keyword and "Pretrained models" as a topic label)
            if word:
                unique.setdefault(word.casefold(), word)
        return list(unique.values()) or [self.ctx.kind_label(entry)]

    def description(self, entry: Entry) -> str:
        parts = [self.ctx.plain(entry, summary_field(entry))]
        if entry.type.name == "resource":
            parts.append(self.ctx.plain(entry, "description"))
        return " ".join(p for p in parts if p)

    def vocabulary_types(self, vocabulary: str, key: str) -> tuple[list[str], str | None] | None:
        """The schema.org types and the Bioschemas profile that a vocabulary value gives its
        entries (``schema_org``, ``bioschemas``: data of ``vocab/kinds.yml`` and
        ``vocab/cheatsheet-types.yml``), or None when it gives none."""
        vocab = self.site.catalogue.vocabularies.get(vocabulary)
        term = vocab.terms.get(key) if vocab is not None else None
        if term is None or not term.schema_org:
            return None
        profile = BIOSCHEMAS_PROFILES + term.bioschemas if term.bioschemas else None
        return list(term.schema_org), profile

    # --- entries -------------------------------------------------------------------------------
    def entry_node(self, entry: Entry) -> dict[str, Any]:
        """A resource or cheat sheet: what it is, typed by its kind, with its profile."""
        kind = (self.site.facet("kinds").keys(entry) or ["website"])[0]
        # a cheat sheet's own type may say more than its kind (a drawing tool is software)
        own = (self.vocabulary_types("cheatsheet-types", entry.string("type") or "")
               if entry.type.name == "cheatsheet" else None)
        type_list, profile = own or self.vocabulary_types("kinds", kind) or ([DEFAULT_TYPE], None)
        types = _one_or_list(type_list)

        def address_in(lang: str) -> str:
            return self.addresses.entry(lang, entry)

        page = address_in(self.lang)
        node: dict[str, Any] = {"@type": types, "@id": page}
        if profile:
            node["dct:conformsTo"] = {"@id": profile, "@type": "CreativeWork"}
        node["name"] = self.ctx.plain_name(entry)
        node["description"] = self.description(entry)
        node["url"] = web_address(entry.string("url")) or page
        node["keywords"] = self.keywords(entry)
        languages = entry.strings("content_language")
        if languages:
            node["inLanguage"] = _one_or_list(languages)
        level = entry.string("level")
        if level:
            node["educationalLevel"] = self.ctx.label("levels", level)
        if "LearningResource" in type_list:
            learning_type = (
                self.ctx.label("cheatsheet-types", entry.string("type") or "")
                if entry.type.name == "cheatsheet" else self.ctx.label("kinds", kind)
            )
            node["learningResourceType"] = learning_type
        terms = self.edam_terms(entry)
        if "SoftwareApplication" in type_list:
            node["applicationCategory"] = self.ctx.label("kinds", kind)
            if terms:
                node["featureList"] = [term["@id"] for term in terms]
            hosts = self.labels("host-software", entry.strings("host_software"))
            if hosts:
                node["softwareRequirements"] = hosts
        elif terms:
            node["about"] = terms
        licence = entry.string("license")
        if licence:
            node["license"] = SPDX + licence
        doi = entry.string("doi")
        if doi:
            node["identifier"] = DOI + doi.strip()
            node["sameAs"] = [DOI + doi.strip()]
        written = authors(entry)
        if written:
            node["creator" if "Dataset" in type_list else "author"] = written
        year = entry.number("year")
        if year:
            node["datePublished"] = str(year)
        edition = entry.number("edition")
        if edition and "Book" in type_list:
            node["bookEdition"] = str(edition)
        publisher = entry.string("publisher")
        if publisher and "Book" in type_list:
            node["publisher"] = {"@type": "Organization", "name": " ".join(publisher.split())}
        node.update(self.venue(entry))
        cost = entry.string("cost")
        if cost in ("free", "paid"):
            node["isAccessibleForFree"] = cost == "free"
        status = self.ctx.status(entry)
        node["creativeWorkStatus"] = status[1] if status else self.ctx.label("status", "active")
        node["sdLicense"] = CONTENT_LICENCE.url
        node["sdPublisher"] = self.publisher()
        node.update(self.translations(address_in))
        if NOT_CREATIVE_WORKS.issuperset(type_list):
            kept = _THING_PROPERTIES | ({"keywords"} if "Organization" in type_list else set())
            node = {key: value for key, value in node.items() if key in kept}
        return node

    def venue(self, entry: Entry) -> dict[str, Any]:
        """Where a paper was published: the journal or proceedings it is part of (their
        schema.org type is in ``vocab/venue-types.yml``), or else, a preprint server, its
        publisher. Its volume and issue are parts of the venue the paper is part of, as
        schema.org nests them (article → PublicationIssue → PublicationVolume → Periodical);
        its pages are the article's: pageStart and pageEnd for a range, else pagination."""
        written = published_in(entry)
        if written is None:
            return {}
        key, name = written
        where = locator(entry)
        pages: dict[str, Any] = {}
        if where.page_range:
            pages = {"pageStart": where.page_range[0], "pageEnd": where.page_range[1]}
        elif where.pages:
            pages = {"pagination": where.pages}
        types = self.vocabulary_types("venue-types", key)
        if types is None:
            return {"publisher": {"@type": "Organization", "name": name}, **pages}
        part_of: dict[str, Any] = {"@type": _one_or_list(types[0]), "name": name}
        if where.volume:
            part_of = {"@type": "PublicationVolume", "volumeNumber": where.volume,
                       "isPartOf": part_of}
        if where.issue:
            part_of = {"@type": "PublicationIssue", "issueNumber": where.issue,
                       "isPartOf": part_of}
        return {"isPartOf": part_of, **pages}

    def question(self, entry: Entry) -> dict[str, Any]:
        page = self.addresses.entry(self.lang, entry)
        return {
            "@type": "Question",
            "@id": page,
            "url": page,
            "name": self.ctx.plain_name(entry),
            "acceptedAnswer": {"@type": "Answer", "text": self.ctx.plain(entry, "answer")},
        }

    def term(self, entry: Entry, glossary: str) -> dict[str, Any]:
        page = self.addresses.entry(self.lang, entry)
        names = [self.ctx.plain(entry, "abbr"),
                 *entry.text_lists("synonyms").get(self.lang, [])]
        node: dict[str, Any] = {
            "@type": "DefinedTerm",
            "@id": page,
            "url": page,
            "name": self.ctx.plain_name(entry),
            "termCode": entry.id,
            "description": self.ctx.plain(entry, "definition"),
            "inDefinedTermSet": {"@id": glossary},
        }
        alternates = [markup.plain(n) for n in names if n]
        if alternates:
            node["alternateName"] = _one_or_list(alternates)
        return node

    # --- pages ---------------------------------------------------------------------------------
    def page(self, title: str, description: str, data_files: list[DataFile]) -> dict[str, Any]:
        catalogue = self.site.catalogue
        path = self.path

        def address_in(lang: str) -> str:
            return self.addresses.page(lang, path)

        if path.startswith("resources/"):
            entry = self.site.by_id[path.removeprefix("resources/").removesuffix(".md")]
            return self.entry_node(entry)
        if path == "faq.md":
            # Search engines require an accepted answer: open questions are left out.
            questions = [self.question(e) for e in catalogue.of_type("faq") if e.text("answer")]
            return {"@type": "FAQPage", **self.page_common(address_in, title, description),
                    "mainEntity": questions}
        if path == "glossary.md":
            glossary = address_in(self.lang)
            terms = [self.term(e, glossary) for e in catalogue.of_type("glossary")]
            return {"@type": "DefinedTermSet", **self.page_common(address_in, title, description),
                    "hasDefinedTerm": terms}
        if path == "cheatsheets.md":
            parts = [self.entry_node(e) for e in catalogue.of_type("cheatsheet")]
            return {"@type": "CollectionPage",
                    **self.page_common(address_in, title, description), "hasPart": parts}
        if path == "index.md":
            name = self.ctx.ui["site_name"]  # the site's name, not "Home"
            home = {"@type": "WebSite", **self.page_common(address_in, name, description),
                    "publisher": self.publisher()}
            home.pop("isPartOf")  # the site is what the other pages are part of
            return home
        node = {"@type": "CollectionPage" if path.startswith("sections/")
                else LIST_PAGE_TYPES.get(path, "WebPage"),
                **self.page_common(address_in, title, description)}
        if data_files:
            node["mainEntity"] = self.dataset(address_in(self.lang), data_files)
        return node

    def dataset(self, page: str, data_files: list[DataFile]) -> dict[str, Any]:
        """The catalogue itself, as the "Data and reuse" page describes it."""
        return {
            "@type": "Dataset",
            "@id": page + "#catalogue",
            "name": CATALOGUE_TITLE,
            "description": self.ctx.ui["data_dataset_description"],
            "url": page,
            "license": CONTENT_LICENCE.url,
            "creator": self.publisher(),
            "version": newest_date(self.site.catalogue.all_entries()),
            "isAccessibleForFree": True,
            "inLanguage": list(LANGUAGES),
            "keywords": self.ctx.ui["data_dataset_keywords"].split(", "),
            "distribution": [
                {
                    "@type": "DataDownload",
                    "contentUrl": self.addresses.file(f.path),
                    "encodingFormat": f.media_type,
                    "name": f.path.rsplit("/", 1)[-1],
                }
                for f in data_files
            ],
        }


def page_jsonld(
    site: _SiteRenderer,
    lang: str,
    path: str,
    title: str,
    description: str,
    data_files: list[DataFile] | None = None,
) -> str:
    """The JSON-LD text of one page, ready for a ``<script type="application/ld+json">``.
    ``data_files``: the published files, for the page that describes the catalogue."""
    node = _Describer(site, lang, path).page(title, description, data_files or [])
    return script_json({"@context": SCHEMA_ORG, **node})


def head_meta(
    site: _SiteRenderer,
    lang: str,
    path: str,
    meta: dict[str, Any],
    data_files: list[DataFile] | None = None,
) -> dict[str, Any]:
    """What the theme prints in a page's ``<head>`` besides title and description: the
    JSON-LD, and the Open Graph type and locales (overrides/main.html)."""
    from ..render import ui_for

    title, description = str(meta.get("title") or ""), str(meta.get("description") or "")
    return {
        "jsonld": page_jsonld(site, lang, path, title, description, data_files),
        "og": {
            "type": "website" if path == "index.md" else "article",
            "locale": ui_for(lang)["og_locale"],
            "alternate": [ui_for(other)["og_locale"] for other in LANGUAGES if other != lang],
        },
    }
