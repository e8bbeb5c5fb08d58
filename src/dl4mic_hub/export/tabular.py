"""``data/catalogue.csv``: one row per resource, for spreadsheets and for TeSS.

The first columns are TeSS's material CSV columns, in English (TeSS splits lists on commas and
semicolons); then the catalogue's own: id, pages, French texts, status and one column per facet
of resources (keys joined by "; "), derived from the schemas like every facet.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from .. import LANGUAGES
from ..model import Entry, in_language
from . import ATTRIBUTION, CONTENT_LICENCE, web_address
from .catalogue_json import plain_texts
from .references import authors

if TYPE_CHECKING:
    from ..render import _SiteRenderer

TESS_COLUMNS = (
    "Title", "URL", "Description", "Keywords", "Contact", "Licence", "Status", "DOI", "Version",
    "Published", "Modified", "Competency", "Authors", "Contributors", "Fields", "Audiences",
    "Types", "Other Types", "Objectives", "Prerequisites", "Syllabus",
)
LANGUAGE = "en"  # of the TeSS columns
SEPARATOR = "; "
# A cell starting with one of these is a formula for spreadsheet programs (CSV injection):
# catalogue text is untrusted, so such a cell starts with an apostrophe, as OWASP advises.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _list(values: list[str]) -> str:
    # TeSS splits on "," and ";": a comma inside one value would make two.
    return SEPARATOR.join(" ".join(v.replace(",", " ").replace(";", " ").split()) for v in values)


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _row(site: _SiteRenderer, entry: Entry) -> dict[str, str]:
    vocabularies = site.catalogue.vocabularies
    titles = plain_texts(entry, "title")
    summaries = plain_texts(entry, "summary")
    descriptions = plain_texts(entry, "description")
    status = site.status_term(entry)
    level = entry.string("level")
    year = entry.number("year")

    keywords = entry.text_lists("keywords").get(LANGUAGE, []) + [
        vocabularies["tasks"].label_of(key, LANGUAGE) for key in entry.strings("tasks")
    ]
    row = {
        "Title": in_language(titles, LANGUAGE),
        "URL": web_address(entry.string("url")) or site.addresses.entry(LANGUAGE, entry),
        "Description": " ".join(
            t for t in (in_language(summaries, LANGUAGE), in_language(descriptions, LANGUAGE)) if t
        ),
        "Keywords": _list(keywords),
        "Contact": "",
        "Licence": entry.string("license") or "notspecified",
        # TeSS's material statuses are active, development and archived
        "Status": "archived" if site.has_ended(entry) else "active",
        "DOI": entry.string("doi") or "",
        "Version": "",
        "Published": str(year) if year else "",
        "Modified": entry.string("reviewed") or "",
        "Competency": level or "notspecified",
        "Authors": _list(authors(entry)),
        "Contributors": "",
        "Fields": "",
        "Audiences": "",
        "Types": _list([vocabularies["kinds"].label_of(entry.string("kind") or "", LANGUAGE)]),
        "Other Types": "",
        "Objectives": "",
        "Prerequisites": "",
        "Syllabus": "",
        "id": entry.id,
        **{f"page_{lang}": site.addresses.entry(lang, entry) for lang in LANGUAGES},
        **{f"title_{lang}": titles.get(lang, "") for lang in LANGUAGES},
        **{f"summary_{lang}": summaries.get(lang, "") for lang in LANGUAGES},
        "added": entry.string("added") or "",
        "reviewed": entry.string("reviewed") or "",
        "status": status.key if status is not None else "active",
    }
    for facet in site.facets:
        if "resource" in facet.fields and facet.name != "status":
            row[facet.name] = SEPARATOR.join(facet.keys(entry))
    row["metadata_license"] = f"{CONTENT_LICENCE.name} {CONTENT_LICENCE.url} ({ATTRIBUTION})"
    return row


def catalogue_csv(site: _SiteRenderer) -> str:
    rows = [_row(site, entry) for entry in site.catalogue.of_type("resource")]
    columns = list(rows[0]) if rows else list(TESS_COLUMNS)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({key: _cell(value) for key, value in row.items()} for row in rows)
    return out.getvalue()
