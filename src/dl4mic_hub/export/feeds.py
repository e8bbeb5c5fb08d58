"""``<lang>/feed.xml``: an Atom feed of the entries added or reviewed most recently.

Each entry's ``updated`` is the later of its ``added`` and ``reviewed`` dates and the feed's is
the newest of them, never the clock: the same catalogue gives the same feed. Every page links
to its language's feed from its ``<head>`` (overrides/main.html), where feed readers and TeSS
discover it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from ..render import summary_field
from . import ATTRIBUTION, CONTENT_LICENCE, FEED, changed_on, newest_date

if TYPE_CHECKING:
    from ..render import _SiteRenderer

FEED_LIMIT = 50
ATOM = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 cannot hold, even escaped (YAML can: "\x01" is a valid YAML escape).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _timestamp(date: str) -> str:
    return f"{date}T00:00:00Z"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attributes.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def atom_feed(site: _SiteRenderer, lang: str) -> str:
    from ..render import PageContext, ui_for

    ui = ui_for(lang)
    ctx = PageContext(site, lang, "recent.md")
    addresses = site.addresses
    entries = site.newest(lang, site.catalogue.all_entries(), changed_on, FEED_LIMIT)

    feed = ET.Element("feed", {"xml:lang": lang})
    feed.set("xmlns", ATOM)
    _add(feed, "id", addresses.root(lang) + FEED)
    _add(feed, "title", ui["feed_title"])
    _add(feed, "subtitle", ui["feed_subtitle"])
    _add(feed, "updated", _timestamp(newest_date(site.catalogue.all_entries())))
    _add(feed, "link", rel="self", type="application/atom+xml", href=addresses.root(lang) + FEED)
    _add(feed, "link", rel="alternate", type="text/html", href=addresses.page(lang, "recent.md"))
    author = _add(feed, "author")
    _add(author, "name", ATTRIBUTION)
    _add(feed, "rights", f"{CONTENT_LICENCE.name} ({CONTENT_LICENCE.url}), {ATTRIBUTION}")
    _add(feed, "generator", "dl4mic-hub", uri=site.repo_url)
    for entry in entries:
        page = addresses.entry(lang, entry)
        item = _add(feed, "entry")
        _add(item, "id", page)
        _add(item, "title", ctx.plain_name(entry))
        _add(item, "link", rel="alternate", type="text/html", href=page)
        _add(item, "published", _timestamp(entry.string("added") or changed_on(entry)))
        _add(item, "updated", _timestamp(changed_on(entry)))
        summary = ctx.plain(entry, summary_field(entry))
        if summary:
            _add(item, "summary", summary)
        for key in site.facet("kinds").keys(entry):
            _add(item, "category", term=key, label=ctx.label("kinds", key))
    ET.indent(feed)
    body = ET.tostring(feed, encoding="unicode", short_empty_elements=True)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"
