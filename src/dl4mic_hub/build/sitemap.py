"""Each language's ``sitemap.xml``, with reciprocal hreflang alternates for every page.

Written by us after the generator has run, from the rendered page list, so every generator
gets the same sitemap. Both languages share page paths, so the alternates of a page are the
same path under each language root, plus ``x-default`` pointing at the primary language.
``<loc>`` is ``site_url`` + the page's address, as MkDocs writes it: Material's language
selector reads it to keep the reader on the same page.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from .. import LANGUAGES
from ..render import page_url
from .config import language_site_url


def sitemap_xml(lang: str, addresses: Iterable[str], base_url: str) -> str:
    alternates = [(other, language_site_url(base_url, other)) for other in LANGUAGES]
    alternates.append(("x-default", language_site_url(base_url, LANGUAGES[0])))
    root = language_site_url(base_url, lang)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for address in sorted(set(addresses)):
        lines.append("  <url>")
        lines.append(f"    <loc>{escape(root + address)}</loc>")
        lines += [
            f'    <xhtml:link rel="alternate" hreflang="{hreflang}" '
            f"href={quoteattr(other_root + address)}/>"
            for hreflang, other_root in alternates
        ]
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def write_sitemaps(site_root: Path, pages: dict[str, Iterable[str]], base_url: str) -> None:
    """Replace the generators' sitemaps (``pages``: language -> Markdown paths)."""
    for lang, paths in pages.items():
        addresses = [quote(page_url(path), safe="/") for path in paths]
        folder = site_root / lang
        (folder / "sitemap.xml").write_text(sitemap_xml(lang, addresses, base_url),
                                            encoding="utf-8")
        # A compressed copy from the generator would still list the pages without alternates.
        (folder / "sitemap.xml.gz").unlink(missing_ok=True)
