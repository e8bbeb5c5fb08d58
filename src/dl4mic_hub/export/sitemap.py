"""``<lang>/sitemap-entries.xml``: the pages that describe catalogue entries, for harvesters.

TeSS (and other Bioschemas harvesters) fetch every page a registered sitemap lists and read
its JSON-LD. This sitemap lists only the pages that describe entries (each resource's page and
the FAQ, cheat-sheet and glossary pages), in one language: the two languages of an entry are
translations of one another (JSON-LD ``workTranslation``), not two resources, so harvesters
register one language's file (:data:`HARVEST_LANGUAGE`). It is separate from the site's own
sitemaps, which list every page for search engines.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from . import changed_on
from .feeds import xml_text

if TYPE_CHECKING:
    from ..render import _SiteRenderer

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def entry_pages(site: _SiteRenderer) -> dict[str, str]:
    """Page (Markdown path) → its newest ``added``/``reviewed`` date, for every page that
    describes entries."""
    from ..render import entry_page

    pages: dict[str, str] = {}
    for entry in site.catalogue.all_entries():
        page = entry_page(entry).partition("#")[0]
        pages[page] = max(pages.get(page, ""), changed_on(entry))
    return dict(sorted(pages.items()))


def harvest_sitemap(site: _SiteRenderer, lang: str) -> str:
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for page, date in entry_pages(site).items():
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = xml_text(site.addresses.page(lang, page))
        if date:
            ET.SubElement(url, "lastmod").text = date
    ET.indent(urlset)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(urlset, "unicode") + "\n"
