"""Our own check of the links between the built pages, the same whatever the generator.

A generator's strict mode checks the Markdown links it recognises, and Zensical's misses some
(absolute links, unrecognised links, orphan pages). This reads the built HTML instead:

- a link into the site that names no existing file (page or asset) is broken;
- a link to ``page/#anchor`` needs an element with that ``id`` (or ``name``) on the page;
- an absolute link to the site (``/hub/fr/x/`` or ``https://host/hub/fr/x/``) breaks as soon
  as the site moves: only the theme's language links (``hreflang``), ``<link>`` tags in the
  head and the 404 page (served at any address) may use one;
- every page must be reachable by following links from a language's home page.

It reads the HTML with regular expressions, not a parser: the site has tens of thousands of
pages of machine-written HTML, and tags inside code blocks are escaped there.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..diagnostics import Diagnostic, Origin, error
from ..text import line_col

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"<(a|link|img|script|source|iframe)\b([^>]*)>", re.I)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_ANCHOR = re.compile(r"""\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_URL_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src",
                   "iframe": "src"}
MAX_REPORTED = 40  # then a count: one broken template link is repeated on every page
HINT = ("the page is generated from the catalogue and the templates: fix the link in the "
        "catalogue entry or template that writes it")


@dataclass
class _Finding:
    page: str
    offset: int
    message: str
    hint: str = HINT
    repeats: int = 0


@dataclass
class _Site:
    root: Path
    base_url: str
    files: set[str] = field(default_factory=set)
    findings: dict[tuple[str, ...], _Finding] = field(default_factory=dict)
    anchors_wanted: dict[tuple[str, str], tuple[str, int, str]] = field(default_factory=dict)
    edges: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path.rstrip("/") + "/"

    def report(self, key: tuple[str, ...], page: str, offset: int, message: str,
               hint: str = HINT) -> None:
        """Record a problem; the same ``key`` on other pages only counts as a repeat."""
        found = self.findings.get(key)
        if found is None:
            self.findings[key] = _Finding(page, offset, message, hint)
        else:
            found.repeats += 1


def check_site_links(site_root: Path, base_url: str, homes: list[str]) -> list[Diagnostic]:
    """Check every HTML page under ``site_root`` (published at ``base_url``); ``homes`` are
    the pages every other page must be reachable from (e.g. ``fr/index.html``)."""
    site = _Site(site_root, base_url)
    site.files = {p.relative_to(site_root).as_posix() for p in site_root.rglob("*") if p.is_file()}
    pages = sorted(f for f in site.files if f.endswith(".html"))
    resolved: dict[tuple[str, str], _Target | None] = {}
    for page in pages:
        _check_page(site, page, _read_html(site_root / page), resolved)
    _check_anchors(site)
    _check_reachable(site, pages, homes)
    return _diagnostics(site)


def _read_html(path: Path) -> str:
    html = path.read_text(encoding="utf-8", errors="replace")
    return _COMMENT.sub("", html) if "<!--" in html else html


@dataclass(frozen=True)
class _Target:
    path: str  # in the site, as written (a folder ends with "/")
    kind: str  # relative, absolute (to the site) or outside (of the site's folder)
    existing: str | None  # the file it leads to
    fragment: str


def _has_anchor(html: str, fragment: str) -> bool:
    if f'id="{fragment}"' in html:  # how generated pages write it: a quick look first
        return True
    return any(fragment in m.groups() for m in _ANCHOR.finditer(html))


def _check_page(site: _Site, page: str, html: str,
                resolved: dict[tuple[str, str], _Target | None]) -> None:
    page_dir = posixpath.dirname(page)
    is_404 = posixpath.basename(page) == "404.html"
    own_fragments: dict[str, tuple[int, str]] = {}  # checked against this page's ids at the end
    for tag in _TAG.finditer(html):
        name = tag[1].lower()
        attributes = {m[1].lower(): m[2] if m[2] is not None else m[3] if m[3] is not None
                      else m[4] for m in _ATTRIBUTE.finditer(tag[2])}
        url = attributes.get(_URL_ATTRIBUTES[name])
        if url is None or url.startswith(("mailto:", "tel:", "data:", "javascript:")):
            continue
        if not url or url.startswith(("#", "?")):
            fragment = unquote(url.partition("#")[2])
            if fragment:
                own_fragments.setdefault(fragment, (tag.start(), url))
            continue
        key = (page_dir, url)
        if key not in resolved:
            resolved[key] = _target(site, page_dir, url)
        target = resolved[key]
        if target is None:
            continue  # outside the site
        if target.kind == "absolute" and not (is_404 or name == "link" or "hreflang" in attributes):
            site.report(("absolute", target.path), page, tag.start(),
                        f"absolute link to the site '{url}'",
                        "write it relative to the page, so it works wherever the site is served")
        if target.kind == "outside":
            site.report(("outside", target.path), page, tag.start(),
                        f"link '{url}' leaves the site's folder ({site.base_path})")
            continue
        if target.existing is None:
            site.report(("missing", url), page, tag.start(),
                        f"link to '{url}' leads to no page or file "
                        f"('{target.path or '/'}' does not exist in the built site)")
            continue
        if not target.existing.endswith(".html"):
            continue
        if target.existing == page:
            if target.fragment:
                own_fragments.setdefault(target.fragment, (tag.start(), url))
            continue
        if target.fragment:
            site.anchors_wanted.setdefault((target.existing, target.fragment),
                                           (page, tag.start(), url))
        if name == "a":
            site.edges[page].add(target.existing)
    for fragment, (offset, url) in own_fragments.items():
        if not _has_anchor(html, fragment):
            site.report(("anchor", page, fragment), page, offset,
                        f"link to '{url}': the page has no anchor '{fragment}'")


def _target(site: _Site, page_dir: str, url: str) -> _Target | None:
    found = _resolve(site, page_dir, url)
    if found is None:
        return None
    path, kind = found
    existing = _existing_file(site, path) if kind != "outside" else None
    return _Target(path, kind, existing, unquote(url.partition("#")[2]))


def _resolve(site: _Site, page_dir: str, url: str) -> tuple[str, str] | None:
    """``(path in the site, kind)`` for a link into the site, ``None`` for any other."""
    if ":" not in url and not url.startswith("/"):  # relative, by far the most common
        path = url.partition("#")[0].partition("?")[0]
        joined = posixpath.normpath(posixpath.join(page_dir, unquote(path)))
        if joined.startswith("../") or joined == "..":
            return path, "outside"
        return ("" if joined == "." else joined) + ("/" if path.endswith("/") else ""), "relative"
    parts = urlsplit(url)
    kind = "relative"
    if parts.scheme or parts.netloc:
        base = urlsplit(site.base_url)
        if parts.scheme not in ("", "http", "https") or parts.netloc != base.netloc:
            return None
        if not (parts.path + "/").startswith(site.base_path):
            return None  # same host, another site
        kind, page_dir, path = "absolute", "", parts.path[len(site.base_path):]
    elif parts.path.startswith("/"):
        if not (parts.path + "/").startswith(site.base_path):
            return parts.path, "outside"
        kind, page_dir, path = "absolute", "", parts.path[len(site.base_path):]
    else:
        path = parts.path
    joined = posixpath.normpath(posixpath.join(page_dir, unquote(path)))
    if joined.startswith("../") or joined == "..":
        return parts.path, "outside"
    trailing = "/" if path.endswith("/") else ""
    return ("" if joined == "." else joined) + trailing, kind


def _existing_file(site: _Site, path: str) -> str | None:
    path = path.lstrip("/")
    candidates = [path + "index.html"] if path.endswith("/") or not path else [
        path, path + "/index.html"]
    return next((c for c in candidates if c in site.files), None)


def _check_anchors(site: _Site) -> None:
    """The fragments of links to other pages (each target page is read once more)."""
    wanted: dict[str, list[tuple[str, tuple[str, int, str]]]] = defaultdict(list)
    for (target, fragment), where in site.anchors_wanted.items():
        wanted[target].append((fragment, where))
    for target, fragments in wanted.items():
        html = _read_html(site.root / target)
        for fragment, (page, offset, url) in fragments:
            if not _has_anchor(html, fragment):
                site.report(("anchor", target, fragment), page, offset,
                            f"link to '{url}': the page has no anchor '{fragment}'")


def _check_reachable(site: _Site, pages: list[str], homes: list[str]) -> None:
    seen = {home for home in homes if home in site.files}
    todo = list(seen)
    while todo:
        for target in site.edges.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    for page in pages:
        if page not in seen and posixpath.basename(page) != "404.html" and "/" in page:
            site.report(("orphan", page), page, 0, "no link leads to this page (orphan page)",
                        "link it from a section, a list or another page, or stop generating it")


def _diagnostics(site: _Site) -> list[Diagnostic]:
    result = []
    findings = sorted(site.findings.values(), key=lambda f: (f.page, f.offset, f.message))
    texts: dict[str, str] = {}  # findings come sorted by page: each is read once
    for finding in findings[:MAX_REPORTED]:
        # Offsets come from the text without comments: close enough to find the link, and
        # exact in pages without comments (every generated page).
        if finding.page not in texts:
            texts[finding.page] = (site.root / finding.page).read_text(encoding="utf-8",
                                                                       errors="replace")
        origin = Origin(finding.page, *line_col(texts[finding.page], finding.offset))
        more = f" (and {finding.repeats} more like it)" if finding.repeats else ""
        result.append(error(origin, finding.message + more, finding.hint))
    if len(findings) > MAX_REPORTED:
        result.append(error(Origin(findings[MAX_REPORTED].page),
                            f"{len(findings) - MAX_REPORTED} more link problem(s) not shown"))
    return result
