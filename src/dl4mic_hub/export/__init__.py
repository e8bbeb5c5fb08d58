"""Stage 3b, export: the catalogue as open data, built with the site from the validated catalogue.

Called by the render stage (the pages list these files and embed structured data), so every
build writes them, and so does nothing else. Pure and deterministic like the render: catalogue
and public base URL in, file contents out; no clock, no network.

What is published (paths under the site root):

- ``data/catalogue.json``: every entry in both languages, with facets, status and page
  addresses, described by ``schemas/catalogue.schema.json`` (entry records by the entry-type
  schemas published next to it);
- ``data/catalogue.csv``: one row per resource, TeSS material columns first;
- ``data/references.bib`` and ``data/references.json`` (CSL-JSON): papers and books;
- ``<lang>/feed.xml``: Atom feed of the entries added or reviewed most recently;
- ``<lang>/sitemap-entries.xml``: the pages that describe entries, for harvesters (TeSS);
- JSON-LD in every page (:mod:`.jsonld`).

Licences: the content is CC BY 4.0 ("dl4mic-hub contributors"), stated in every file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import LANGUAGES, REPOSITORY_URL, markup
from ..markdown import scheme_of

if TYPE_CHECKING:
    from ..model import Entry
    from ..render import _SiteRenderer


@dataclass(frozen=True)
class Licence:
    spdx: str
    name: str
    url: str


CONTENT_LICENCE = Licence("CC-BY-4.0", "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
CODE_LICENCE = Licence("MIT", "MIT", "https://opensource.org/license/mit")
ATTRIBUTION = "dl4mic-hub contributors"
CATALOGUE_TITLE = "dl4mic-hub: a bilingual catalogue of deep-learning resources for microscopy"
#: The language whose entry pages harvesters register (TeSS: one material per resource).
HARVEST_LANGUAGE = "en"

# Paths of the published files under the site root.
CATALOGUE_JSON = "data/catalogue.json"
CATALOGUE_CSV = "data/catalogue.csv"
REFERENCES_BIB = "data/references.bib"
REFERENCES_CSL = "data/references.json"
SCHEMA_FOLDER = "schemas/"
CATALOGUE_SCHEMA = SCHEMA_FOLDER + "catalogue.schema.json"
FEED = "feed.xml"  # in each language root
HARVEST_SITEMAP = "sitemap-entries.xml"  # in each language root


def web_address(url: str | None) -> str | None:
    """``url`` (stripped) when it is a web address a reader may follow, else None: exports
    and structured data name nothing else (catalogue text is untrusted)."""
    url = (url or "").strip()
    followable = markup.safe_link(url) is not None and scheme_of(url) in ("http", "https")
    return url if followable else None


@dataclass(frozen=True)
class Addresses:
    """Absolute addresses on the published site (``base`` ends with a slash)."""

    base: str

    @classmethod
    def of_site(cls, site_url: str) -> Addresses:
        """The addresses of the site published at ``site_url`` (with or without its slash)."""
        return cls(site_url.rstrip("/") + "/")

    def root(self, lang: str) -> str:
        """The home of a language's site, e.g. ``https://example.org/hub/fr/``."""
        return f"{self.base}{lang}/"

    def page(self, lang: str, page: str) -> str:
        from ..render import page_url

        return self.root(lang) + page_url(page)

    def entry(self, lang: str, entry: Entry) -> str:
        from ..render import entry_page

        return self.page(lang, entry_page(entry))

    def file(self, path: str) -> str:
        return self.base + path


@dataclass(frozen=True)
class DataFile:
    """A published file, as the "Data and reuse" page and the JSON-LD describe it."""

    path: str  # under the site root
    media_type: str
    ui_key: str  # its description in i18n/ui.yml
    content: str


@dataclass
class Exports:
    """The files of one build: shared by both languages, and per language."""

    root_files: dict[str, str]  # path under the site root → content
    files: dict[str, dict[str, str]]  # lang → path under the language root → content
    data_files: list[DataFile]  # what the "Data and reuse" page lists

    def size(self, path: str, lang: str | None = None) -> int:
        """Bytes of a file under the site root, or under a language root with ``lang``."""
        files = self.root_files if lang is None else self.files[lang]
        return len(files[path].encode("utf-8"))


def build_exports(site: _SiteRenderer) -> Exports:
    """Every export of the catalogue, for the site at ``site.addresses``."""
    from .catalogue_json import catalogue_json, catalogue_schema, published_schemas
    from .feeds import atom_feed
    from .references import bibtex, csl_json, references
    from .sitemap import harvest_sitemap
    from .tabular import catalogue_csv

    refs = references(site.catalogue)
    data_files = [
        DataFile(CATALOGUE_JSON, "application/json", "data_catalogue_json", catalogue_json(site)),
        DataFile(CATALOGUE_CSV, "text/csv", "data_catalogue_csv", catalogue_csv(site)),
        DataFile(REFERENCES_BIB, "application/x-bibtex", "data_references_bib", bibtex(refs)),
        DataFile(REFERENCES_CSL, "application/vnd.citationstyles.csl+json",
                 "data_references_csl", csl_json(refs)),
        DataFile(CATALOGUE_SCHEMA, "application/schema+json", "data_catalogue_schema",
                 catalogue_schema(site.addresses)),
    ]
    root_files = {f.path: f.content for f in data_files}
    root_files.update(published_schemas(site.addresses))
    files = {
        lang: {FEED: atom_feed(site, lang), HARVEST_SITEMAP: harvest_sitemap(site, lang)}
        for lang in LANGUAGES
    }
    return Exports(dict(sorted(root_files.items())), files, data_files)


def repository_citation(site: _SiteRenderer) -> str:
    """A BibTeX record for the catalogue itself (the same facts as CITATION.cff)."""
    from .references import bibtex_field

    version = newest_date(site.catalogue.all_entries())
    fields = [
        ("author", "{" + bibtex_field(ATTRIBUTION) + "}"),
        ("title", bibtex_field(CATALOGUE_TITLE)),
        ("year", version[:4]),
        ("version", version),
        ("url", site.addresses.base),
        ("howpublished", bibtex_field(site.repo_url or REPOSITORY_URL)),
        ("note", bibtex_field(f"Licence {CONTENT_LICENCE.name}")),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{dl4mic-hub,\n{body}\n}}\n"


def newest_date(entries: Iterable[Entry]) -> str:
    """The newest ``added`` or ``reviewed`` date: the version of the catalogue, and the
    ``updated`` time of the feeds (never the clock, so builds are reproducible)."""
    return max((changed_on(entry) for entry in entries), default="1970-01-01")


def changed_on(entry: Entry) -> str:
    """When an entry last changed for readers: the later of ``added`` and ``reviewed``."""
    return max(entry.string("added") or "", entry.string("reviewed") or "")
