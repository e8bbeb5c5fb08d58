"""The pages that tell readers about the open data: "Data and reuse" (every published file,
its licence, how to cite the catalogue, how harvesters register the site) and, when the build
has a link report, "Link health" (what is broken or suspect)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .. import LANGUAGES
from ..linkhealth import BROKEN_AFTER_DAYS, BROKEN_AFTER_RUNS
from ..model import Entry
from . import (
    ATTRIBUTION,
    CATALOGUE_SCHEMA,
    CODE_LICENCE,
    CONTENT_LICENCE,
    FEED,
    HARVEST_LANGUAGE,
    HARVEST_SITEMAP,
    Exports,
    repository_citation,
)
from .catalogue_json import published_schemas

if TYPE_CHECKING:
    from ..render import _SiteRenderer

OPEN_DATA_PAGE = "open-data.md"
LINK_HEALTH_PAGE = "link-health.md"


def entries_by_url(site: _SiteRenderer) -> dict[str, list[Entry]]:
    """Every address written in the catalogue → the entries that hold it (catalogue order)."""
    found: dict[str, list[Entry]] = {}
    for url, _origin, entry in site.catalogue.urls():
        holders = found.setdefault(url, [])
        if entry not in holders:
            holders.append(entry)
    return found


def kilobytes(size: int, ui: dict[str, str]) -> str:
    """A size in kilobytes, one decimal, written the way the page's language writes numbers
    ("929,5 Ko", "929.5 KB")."""
    return ui["open_data_kb"].format(kb=f"{size / 1024:.1f}".replace(".", ui["decimal_mark"]))


def emit_open_data_pages(
    site: _SiteRenderer, emit: Callable[..., None], ui: dict[str, str], exports: Exports
) -> None:
    addresses = site.addresses
    schemas = sorted([CATALOGUE_SCHEMA, *published_schemas(addresses)])
    emit(
        OPEN_DATA_PAGE,
        "open-data.md.j2",
        {"title": ui["open_data"], "description": ui["open_data_intro"]},
        data_files=exports.data_files,
        sizes={f.path: kilobytes(exports.size(f.path), ui) for f in exports.data_files},
        schemas=[(path, addresses.file(path)) for path in schemas],
        feeds=[(lang, addresses.root(lang) + FEED, kilobytes(exports.size(FEED, lang), ui))
               for lang in LANGUAGES],
        harvest_sitemap=addresses.root(HARVEST_LANGUAGE) + HARVEST_SITEMAP,
        addresses=addresses,
        content_licence=CONTENT_LICENCE,
        code_licence=CODE_LICENCE,
        attribution=ATTRIBUTION,
        citation=repository_citation(site),
        repo_url=site.repo_url,
        link_health=site.link_health is not None,
    )
    health = site.link_health
    if health is None:
        return
    holders = entries_by_url(site)
    emit(
        LINK_HEALTH_PAGE,
        "link-health.md.j2",
        {"title": ui["link_health"], "description": ui["link_health_intro"]},
        health=health.only(holders),  # the catalogue's addresses, not a stale report's
        holders=holders,
        broken_after_runs=BROKEN_AFTER_RUNS,
        broken_after_days=BROKEN_AFTER_DAYS,
    )


