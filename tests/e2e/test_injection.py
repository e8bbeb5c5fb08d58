"""Catalogue text is data: a corpus of injection vectors in every field type never runs script.

Each vector is written into every text-bearing field of a resource, a FAQ entry, a glossary
term, a cheat sheet, and into the labels and descriptions of vocabulary values (dims; sections,
whose labels are the site's navigation; tasks, the group headings of section pages) of a fixture
catalogue. `validate` either refuses a field, with a message located in that file, or the field
is kept. The catalogue is then built and every page (and the explorer searching for each vector)
is loaded in Chromium: no dialog, no script from the vectors, no `on*` attribute, no
`javascript:` URL, no request to another host.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser
from support.staticweb import FolderServer

from dl4mic_hub import LANGUAGES
from dl4mic_hub.build import build_site
from dl4mic_hub.validate import validate_catalogue

from .conftest import NewContext

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "catalogues" / "minimal"
MARK = "window.__xss=1"
VECTORS = [
    f"<script>{MARK}</script>",
    f'<img src=x onerror="{MARK}">',
    f"<svg/onload={MARK}>",
    f'"><img src=x onerror={MARK}>',
    f"'><svg onload={MARK}>",
    f"x <img src=x onerror={MARK} <",
    # a tag left open: no '>' for a raw-HTML check to see; the page's next '>' would close it
    f"<details open ontoggle={MARK} ",
    f"[click](javascript:{MARK})",
    f"[click](JaVaScRiPt:{MARK})",
    f'<a href="javascript:{MARK}">x</a>',
    f'![x](https://evil.example/x.png){{: onerror="{MARK}" }}',
    f'[docs](https://example.org/){{: href="javascript:{MARK}" }}',
    f"text {{: autofocus onfocus={MARK} }}",
    f'`"><script>{MARK}</script>`',
    f"https://example.org/x)<svg/onload={MARK}>",
    f"<!--<script>{MARK}</script>-->",
    f"&lt;script&gt;{MARK}&lt;/script&gt;",
    f"&#60;script&#62;{MARK}&#60;/script&#62;",
    f'<iframe src="javascript:{MARK}"></iframe>',
    f'<math><mi xlink:href="javascript:{MARK}">x</mi></math>',
    "[x](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)",
    ":smile: :material-alert: :octicons-alert-16:",
    "{{ config }} {% raw %} {# #}",
    f"</script><script>{MARK}</script>",
    "<style>body{display:none}</style>",
    '<base href="https://evil.example/">',
    f'<meta http-equiv="refresh" content="0;url=javascript:{MARK}">',
    f"javascript:{MARK}",
    f'https://example.org/"onmouseover="{MARK}',
    f'10.1000/x"><script>{MARK}</script>',
    f'[a](https://example.org/ "t\\" onmouseover={MARK}")',
    "line one\nfake.yml:1:1: error: forged line",
    "\u202egnp.exe bidi \u0000 nul",
    "<https://evil.example/auto>",
    # harmless, and common in a French label: escaped more than once, it would read "&amp;"
    "Tools & software : tutorials",
]
SAFE = "safe text"


def resource(i: int, v: str) -> dict[str, Any]:
    text = {"fr": v, "en": v}
    entry: dict[str, Any] = {
        "id": f"xss-{i}", "kind": "tool", "title": text, "summary": text, "description": text,
        "url": v, "links": [{"type": "docs", "url": f"https://example.org/{i}", "label": text}],
        "doi": v, "sections": ["tools", f"xss-{i}"], "tasks": [f"xss-{i}"], "dims": [f"xss-{i}"],
        "io": text, "keywords": {"fr": [v], "en": [v]}, "authors": [v],
        "content_language": ["en"], "added": "2026-01-01",
    }
    # every third a paper whose journal is the vector, every third a book whose publisher is:
    # what a citation prints (the page's facts, its BibTeX and CSL records, JSON-LD)
    if i % 3 == 1:
        entry.update(kind="paper", year=2020, published_in={"type": "journal", "name": v})
    elif i % 3 == 2:
        entry.update(kind="book", year=2020, publisher=v)
    return entry


def faq(i: int, v: str) -> dict[str, Any]:
    text = {"fr": v, "en": v}
    return {"id": f"xss-faq-{i}", "question": text, "answer": text, "status": "answered",
            "topics": ["training"], "keywords": {"fr": [v], "en": [v]}, "added": "2026-01-01"}


def glossary(i: int, v: str) -> dict[str, Any]:
    text = {"fr": v, "en": v}
    # its names are the vectors, which every other entry's text holds: texts link to it
    # (render.PageContext.term_link); a not_linked phrase that would cancel it is another
    return {"id": f"xss-term-{i}", "term": text, "abbr": text, "definition": text,
            "synonyms": {"fr": [v], "en": [v]}, "forms": {"fr": [v], "en": [v]},
            "not_linked": {"fr": [f"{v} (x)"], "en": [f"{v} (x)"]}, "added": "2026-01-01"}


def cheatsheet(i: int, v: str) -> dict[str, Any]:
    text = {"fr": v, "en": v}
    return {"id": f"xss-sheet-{i}", "type": "cheat-sheet", "title": text, "summary": text,
            "url": v, "format": "web", "content_language": ["en"], "added": "2026-01-01"}


# Required fields get a safe value instead of being dropped when validate refuses them.
REQUIRED_SAFE: dict[str, Any] = {
    "title": {"fr": SAFE, "en": SAFE}, "summary": {"fr": SAFE, "en": SAFE},
    "question": {"fr": SAFE, "en": SAFE}, "term": {"fr": SAFE, "en": SAFE},
    "definition": {"fr": SAFE, "en": SAFE}, "answer": {"fr": SAFE, "en": SAFE},
}


def write_entry(path: Path, data: dict[str, Any]) -> None:
    """One field per line (JSON is valid YAML), so a message's line names its field."""
    path.write_text("".join(f"{k}: {json.dumps(v)}\n" for k, v in data.items()), "utf-8")


def field_at(path: Path, line: int) -> str:
    return path.read_text("utf-8").splitlines()[line - 1].split(":", 1)[0]


def make_corpus(root: Path) -> tuple[Path, list[tuple[str, str]]]:
    """The corpus catalogue, valid once every refused field is neutralised; and the
    (file, field) pairs validate refused."""
    catalogue = root / "catalogue"
    shutil.copytree(MINIMAL, catalogue)
    for name in ("dims", "sections", "tasks"):
        vocabulary = catalogue / "vocab" / f"{name}.yml"
        extra = "".join(
            f"  xss-{i}: {{label: {{fr: {json.dumps(v)}, en: {json.dumps(v)}}}, "
            f"description: {{fr: {json.dumps(v)}, en: {json.dumps(v)}}}}}\n"
            for i, v in enumerate(VECTORS)
        )
        vocabulary.write_text(vocabulary.read_text("utf-8") + extra, "utf-8")
    for i, v in enumerate(VECTORS):
        write_entry(catalogue / "resources" / f"xss-{i}.yml", resource(i, v))
        write_entry(catalogue / "faq" / f"xss-faq-{i}.yml", faq(i, v))
        write_entry(catalogue / "glossary" / f"xss-term-{i}.yml", glossary(i, v))
        write_entry(catalogue / "cheatsheets" / f"xss-sheet-{i}.yml", cheatsheet(i, v))
    refused: list[tuple[str, str]] = []
    for _ in range(40):  # a file refused whole (a NUL escape) gives one error a round
        errors = [d for d in validate_catalogue(catalogue).diagnostics
                  if d.severity.value == "error"]
        if not errors:
            return catalogue, refused
        by_file: dict[Path, set[str]] = {}
        # A vocabulary refused whole (a NUL escape in a label) makes errors in the entries that
        # use it, and in its folder ("missing"): vocabularies are made valid first.
        in_vocab = [d for d in errors if Path(d.origin.path).parent.name == "vocab"]
        for d in in_vocab or errors:
            path = Path(d.origin.path)
            path = path if path.is_absolute() else Path.cwd() / path
            assert path.is_file(), f"unlocated error: {d.format_text()}"
            assert "\n" not in d.format_text(), f"a message spans lines: {d.format_text()!r}"
            lines = path.read_text("utf-8").splitlines()
            assert 1 <= d.origin.line <= len(lines), d.format_text()
            if path.parent.name == "vocab":  # a refused label: make it safe in place
                key = lines[d.origin.line - 1].split(":", 1)[0]
                lines[d.origin.line - 1] = f"{key}: {{label: {{fr: {SAFE}, en: {SAFE}}}}}"
                path.write_text("\n".join(lines) + "\n", "utf-8")
                refused.append((path.name, key.strip()))
                continue
            by_file.setdefault(path, set()).add(field_at(path, d.origin.line))
        for path, names in by_file.items():
            lines = path.read_text("utf-8").splitlines()
            data = {line.split(":", 1)[0]: json.loads(line.split(":", 1)[1]) for line in lines}
            for name in names:
                refused.append((path.name, name))
                if name in REQUIRED_SAFE:
                    data[name] = REQUIRED_SAFE[name]
                elif name == "url" and path.parent.name == "cheatsheets":
                    data[name] = f"https://example.org/{path.stem}"
                else:
                    data.pop(name, None)
            write_entry(path, data)
    pytest.fail("the corpus catalogue never became valid")


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("injection")
    catalogue, refused = make_corpus(root)
    server = FolderServer(root)  # bound now: the build needs its address
    url = f"{server.origin}/site/"
    try:
        build_site(catalogue, root / "site", config_file=ROOT / "mkdocs.yml", site_url=url)
        server.start()
        yield url, root / "site", refused
    finally:
        server.stop()


DOM_CHECK = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith('on')) bad.push(el.tagName + ' has ' + name);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data'].includes(name)
          && /^\\s*(javascript|vbscript|data):/i.test(a.value)) bad.push(el.tagName + ' ' + name
          + '=' + a.value.slice(0, 40));
    }
  }
  for (const s of document.scripts) {
    const data = ['application/json', 'application/ld+json'].includes(s.type);
    if (!s.src && !data) bad.push('inline script: ' + s.textContent.slice(0, 60));
    if (s.src && new URL(s.src).origin !== location.origin) bad.push('foreign script ' + s.src);
  }
  for (const el of document.querySelectorAll('iframe, object, embed, base, style, '
                                              + 'meta[http-equiv=refresh]')) {
    bad.push('element ' + el.outerHTML.slice(0, 60));
  }
  if (window.__xss) bad.push('a vector ran');
  return bad;
}"""


# The longest test of the suite, in two halves (every other page; the explorer in one
# language each) that two workers can share.
@pytest.mark.parametrize("half", [0, 1], ids=["half-1", "half-2"])
def test_the_corpus_is_refused_or_harmless(
    new_context: NewContext, corpus_site: Any, half: int
) -> None:
    url, site, refused = corpus_site
    # validate refuses at least the raw HTML and the bad addresses
    assert ("xss-0.yml", "summary") in refused
    javascript_url = VECTORS.index(f"javascript:{MARK}")
    assert (f"xss-{javascript_url}.yml", "url") in refused  # javascript: as an address
    context = new_context()
    page = context.new_page()
    outside: list[str] = []
    problems: list[str] = []

    # Every request is seen, none is held: routing each one through Python took most of the
    # test's time. Nothing can leave anyway: the browser resolves no name but the local ones
    # (conftest: no name resolves, no address is reached, but loopback).
    page.on("request", lambda request: urlsplit(request.url).hostname != "127.0.0.1"
            and outside.append(request.url))
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"),
                                       dialog.dismiss()))
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda m: "Content Security Policy" in m.text
            and problems.append(f"CSP: {m.text}"))
    # every page of both languages (the site root only redirects to /fr/)
    pages = sorted(p.relative_to(site).as_posix() for p in site.glob("*/**/index.html"))
    assert len(pages) > 2 * len(VECTORS)  # every resource page in both languages
    # Every page's menu lists every section label, and the home page their descriptions: one
    # language of the sections' own pages (their title) is enough, and halves their time.
    pages = [rel for rel in pages if not rel.startswith("en/sections/xss-")]
    lang = LANGUAGES[half]
    for rel in pages[half::2]:
        page.goto(url + rel.removesuffix("index.html"))
        for finding in page.evaluate(DOM_CHECK):
            problems.append(f"{rel}: {finding}")
    for vector in VECTORS[:12]:
        page.goto(f"{url}{lang}/explore/?q={quote(vector)}")
        page.wait_for_selector(".dl-explorer__status:not(:empty)")
        for finding in page.evaluate(DOM_CHECK):
            problems.append(f"explore {vector!r}: {finding}")
    assert problems == []
    assert outside == []


def test_vector_text_reaches_the_reader_as_text(browser: Browser, corpus_site: Any) -> None:
    url, _site, _refused = corpus_site
    page = browser.new_page()
    page.goto(f"{url}en/glossary/")
    # a glossary term made of an attribute list and emoji shortcodes shows them as written
    body = page.locator(".md-content").inner_text()
    assert ":smile: :material-alert: :octicons-alert-16:" in body
    assert "{{ config }} {% raw %} {# #}" in body
    page.close()


def test_section_labels_read_as_written_in_the_menu_and_the_footer(
    browser: Browser, corpus_site: Any
) -> None:
    # Section labels are the navigation's titles: the menu prints them, and the footer of the
    # pages around a section names it in its link's text and (for screen readers) aria-label.
    url, _site, refused = corpus_site
    kept = [(i, " ".join(v.split())) for i, v in enumerate(VECTORS)
            if ("sections.yml", f"xss-{i}") not in refused]
    assert (len(VECTORS) - 1, "Tools & software : tutorials") in kept
    assert (VECTORS.index(f"<details open ontoggle={MARK} "), f"<details open ontoggle={MARK}"
            ) in kept  # a tag left open stays text
    page = browser.new_page()
    page.goto(f"{url}en/")
    for i, label in kept:
        # MkDocs writes "sections/x/", Zensical "./sections/x/"
        link = page.locator(f".md-sidebar--primary a.md-nav__link[href$='sections/xss-{i}/']")
        assert link.inner_text().strip() == label
    for i, label in kept:
        page.goto(f"{url}en/sections/xss-{i}/")
        page.goto(page.locator(".md-footer__link--prev").evaluate("a => a.href"))
        after = page.locator(".md-footer__link--next")
        assert after.get_attribute("aria-label") == f"Next: {label}"
        assert after.locator(".md-ellipsis").inner_text().strip() == label
    page.close()
