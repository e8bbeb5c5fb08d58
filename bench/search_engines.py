"""Compare search engines for the site on the committed query set, and their cost at scale.

Not a test: run it by hand (see bench/README.md, "Search engines compared"). It builds the
real catalogue once, serves it on 127.0.0.1 and runs every query of
tests/data/search_queries.yml, per language, in headless Chromium through:

- ours: dl4mic-search.js over assets/search-index.json, as tests/e2e/test_search_quality.py;
- material: Material for MkDocs' built-in search (lunr) on the site as it was before our engine
  (a worktree of commit a1f6ea7, --baseline, built from its own catalogue), typed into the
  header search box; result links are mapped to entry ids;
- pagefind: Pagefind (PyPI ``pagefind[extended]``, in bench/.env) over the entries' own HTML
  taken from our built pages, one document per entry, one index per language;
- minisearch: MiniSearch (npm, bench/node_modules) over the same field texts as our engine
  (dumped with dl4mic_hub's own ``_entry_fields``), with our field weights, prefix and fuzzy
  matching and accent folding.

It reports the top-3 hit rate and the misses, then, at --size resources (bench/synthetic.py),
what each engine downloads before its first answer (gzipped bytes) and how long that takes.
Builds are kept in --out and reused (--rebuild to redo them).

    .venv/bin/python bench/search_engines.py --baseline ../baseline [--material-timing]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import html
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
QUERIES = ROOT / "tests" / "data" / "search_queries.yml"
LANGS = ("fr", "en")
PAGEFIND_PYTHON = BENCH / ".env" / "bin" / "python"
MINISEARCH_LIB = BENCH / "node_modules" / "minisearch" / "dist" / "umd" / "index.js"
LIST_PAGES = ("faq", "glossary", "cheatsheets")  # pages that hold several entries, by anchor
TOP = 3
ENGINES = ("ours", "material", "pagefind", "minisearch")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def gzipped_size(data: bytes) -> int:
    """Bytes on the wire with gzip (level 6, what servers use); already compressed data
    (Pagefind's files) is sent as is."""
    return min(len(data), len(gzip.compress(data, compresslevel=6)))


# --- building ----------------------------------------------------------------------------------


def build_site(project: Path, catalogue: Path, site_dir: Path, url: str, rebuild: bool) -> float:
    """Build ``catalogue`` with ``project``'s own dl4mic-hub (its .venv); seconds, 0 if reused."""
    stamp = site_dir.parent / f"{site_dir.name}.url"  # the address the site was built for
    if site_dir.is_dir() and not rebuild and stamp.exists() and stamp.read_text() == url:
        return 0.0
    program = project / ".venv" / "bin" / "dl4mic-hub"
    if not program.exists():  # a fresh worktree: the project's own set-up creates .venv
        subprocess.run(["make", "site"], cwd=project, check=True)
    log(f"building {catalogue} into {site_dir}")
    started = time.perf_counter()
    subprocess.run(
        [str(program), "build", "--catalogue", str(catalogue), "--site-dir", str(site_dir),
         "--site-url", url],
        cwd=project, check=True, stdout=subprocess.DEVNULL,
    )
    stamp.write_text(url)
    return time.perf_counter() - started


def synthetic_catalogue(source: Path, size: int, target: Path, rebuild: bool) -> Path:
    """bench/synthetic.py's catalogue of ``size`` resources cloned from ``source``, except that
    clones keep ``curation``: a status other than active now requires it (the generator drops
    it, so its catalogues fail validation)."""
    if target.is_dir() and not rebuild:
        return target
    sys.path.insert(0, str(BENCH))
    import synthetic

    clone = synthetic._clone

    def clone_keeping_curation(data: dict[str, Any], number: int) -> dict[str, Any]:
        cloned = clone(data, number)
        if "curation" in data:
            cloned["curation"] = data["curation"]
        return cloned

    synthetic._clone = clone_keeping_curation  # type: ignore[assignment]
    try:
        synthetic.make_synthetic_catalogue(source, target, size)
    finally:
        synthetic._clone = clone  # type: ignore[assignment]
    return target


def dump_fields(catalogue_dir: Path, site_dir: Path, target: Path, rebuild: bool) -> None:
    """Per language, one document per entry with the plain texts our engine indexes, by field
    (``name``, ``keywords``...; ``<field>_other`` for the other language's texts), and our
    engine's document prior. MiniSearch indexes these."""
    if all((target / f"{lang}.json").exists() for lang in LANGS) and not rebuild:
        return
    from dl4mic_hub.render import REPOSITORY_URL, _SiteRenderer
    from dl4mic_hub.search import _entry_fields
    from dl4mic_hub.validate import validate_catalogue

    catalogue = validate_catalogue(catalogue_dir).catalogue
    site = _SiteRenderer(catalogue, REPOSITORY_URL)
    target.mkdir(parents=True, exist_ok=True)
    for lang in LANGS:
        index = json.loads((site_dir / lang / "assets" / "search-index.json").read_text("utf-8"))
        priors = {doc["id"]: doc.get("prior", 1) for doc in index["docs"]}
        docs = []
        for entry in catalogue.all_entries():
            fields: dict[str, list[str]] = defaultdict(list)
            for kind, text_lang, text in _entry_fields(site, entry, lang):
                fields[kind if text_lang == lang else f"{kind}_other"].append(text)
            doc: dict[str, Any] = {"id": entry.id, "prior": priors[entry.id]}
            doc.update({name: "\n".join(texts) for name, texts in fields.items()})
            docs.append(doc)
        payload = {"stop": index["stop"], "docs": docs}
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        (target / f"{lang}.json").write_text(text, encoding="utf-8")


# --- Pagefind: one HTML document per entry, from the built pages ------------------------------

_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
_OPEN_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)(\s[^<>]*)?>")
_HEADING = re.compile(r"<h([1-3])\b[^>]*>", re.S)
# Not the entry's own text: links out, "See also", how to cite, the footer, buttons, permalinks
# (our engine never indexes them either).
IGNORED_CLASSES = {"dl-links", "dl-related", "dl-see-also", "dl-entry-footer", "dl-cite",
                   "md-button", "headerlink"}
IGNORED_HEADINGS = {"liens", "links", "voir-aussi", "see-also", "cite"}


def _mark_ignored(fragment: str) -> str:
    def mark(match: re.Match[str]) -> str:
        attributes = match.group(2) or ""
        classes = set(re.findall(r'class="([^"]*)"', attributes)[0].split()) if (
            'class="' in attributes) else set()
        ids = set(re.findall(r'\bid="([^"]*)"', attributes))
        if classes & IGNORED_CLASSES or (match.group(1) == "h2" and ids & IGNORED_HEADINGS):
            return f"<{match.group(1)}{attributes} data-pagefind-ignore>"
        return match.group(0)

    return _OPEN_TAG.sub(mark, fragment)


def _pagefind_document(lang: str, entry_id: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"></head><body>'
        f'<main data-pagefind-body data-pagefind-meta="entry:{entry_id}">{body}</main>'
        "</body></html>"
    )


def pagefind_sources(site_dir: Path, target: Path) -> int:
    """Write one HTML document per entry and language under ``target``: a resource page's
    article, or an entry's section of a list page (FAQ, glossary, cheat sheets) with its
    heading as the h1; both with data-pagefind-body, and data-pagefind-ignore on what is not
    the entry's own text. Returns the number of documents."""
    count = 0
    for lang in LANGS:
        index = json.loads((site_dir / lang / "assets" / "search-index.json").read_text("utf-8"))
        anchored: dict[str, set[str]] = defaultdict(set)
        for doc in index["docs"]:
            page, _, anchor = doc["url"].partition("#")
            if anchor:
                anchored[page.strip("/")].add(anchor)
            else:
                entry_id = doc["id"]
                page_html = (site_dir / lang / page / "index.html").read_text("utf-8")
                article = _ARTICLE.search(page_html)
                assert article, f"no article in {lang}/{page}"
                body = _mark_ignored(article.group(1))
                out = target / lang / "resources" / entry_id / "index.html"
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(_pagefind_document(lang, entry_id, body), encoding="utf-8")
                count += 1
        for page, ids in anchored.items():
            page_html = (site_dir / lang / page / "index.html").read_text("utf-8")
            article = _ARTICLE.search(page_html)
            assert article, f"no article in {lang}/{page}"
            text = article.group(1)
            headings = list(_HEADING.finditer(text))
            for number, heading in enumerate(headings):
                entry_id = (re.findall(r'\bid="([^"]*)"', heading.group(0)) or [""])[0]
                if entry_id not in ids:
                    continue
                end = headings[number + 1].start() if number + 1 < len(headings) else len(text)
                level = heading.group(1)
                close = text.index(f"</h{level}>", heading.end())
                title = text[heading.end():close]
                body = f"<h1>{title}</h1>{text[close + 5:end]}"
                out = target / lang / page / entry_id / "index.html"
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(_pagefind_document(lang, entry_id, _mark_ignored(body)),
                               encoding="utf-8")
                count += 1
    _query_pages(target)
    return count


def pagefind_field_sources(fields_dir: Path, weights: dict[str, float], other_language: float,
                           target: Path) -> int:
    """A variant: one HTML document per entry made of the same field texts as MiniSearch's,
    each field in an element with our weight (data-pagefind-weight), not the page's text."""
    count = 0
    for lang in LANGS:
        payload = json.loads((fields_dir / f"{lang}.json").read_text("utf-8"))
        for doc in payload["docs"]:
            blocks = []
            for name, weight in weights.items():
                for field, factor in ((name, 1.0), (f"{name}_other", other_language)):
                    if doc.get(field):
                        blocks.append(f'<p data-pagefind-weight="{weight * factor:g}">'
                                      f"{html.escape(doc[field])}</p>")
            out = target / lang / doc["id"] / "index.html"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(_pagefind_document(lang, doc["id"], "".join(blocks)), "utf-8")
            count += 1
    _query_pages(target)
    return count


def _query_pages(target: Path) -> None:
    """The pages the queries run from (not indexed: no data-pagefind-body): Pagefind picks
    the index of the page's language."""
    for lang in LANGS:
        (target / lang / "index.html").write_text(
            f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"></head>'
            "<body></body></html>", encoding="utf-8")


def build_pagefind(target: Path, write_sources: Callable[[Path], int], rebuild: bool) -> float:
    """The documents ``write_sources`` writes and Pagefind's bundle in ``target``/pagefind;
    seconds to index."""
    if (target / "pagefind" / "pagefind.js").exists() and not rebuild:
        return 0.0
    if target.exists():
        shutil.rmtree(target)
    documents = write_sources(target)
    log(f"pagefind: indexing {documents} documents in {target}")
    started = time.perf_counter()
    subprocess.run([str(PAGEFIND_PYTHON), "-m", "pagefind", "--site", str(target), "--quiet"],
                   check=True)
    return time.perf_counter() - started


def pagefind_version() -> str:
    result = subprocess.run([str(PAGEFIND_PYTHON), "-m", "pagefind", "--version"],
                            capture_output=True, text=True, check=True)
    return result.stdout.strip().split()[-1]


# --- serving -----------------------------------------------------------------------------------


class _Handler(SimpleHTTPRequestHandler):
    """Serves one directory; /_bench/... is served from the benchmark's output folder."""

    bench_dir: Path

    def translate_path(self, path: str) -> str:
        if path.startswith("/_bench/"):
            relative = path.split("?", 1)[0][len("/_bench/"):]
            return str(self.bench_dir / relative)
        return super().translate_path(path)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path, port: int, bench_dir: Path) -> Iterator[str]:
    handler = functools.partial(
        type("Handler", (_Handler,), {"bench_dir": bench_dir}), directory=str(directory)
    )
    ThreadingHTTPServer.allow_reuse_address = True
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


# --- the engines, in the browser ---------------------------------------------------------------

OURS_JS = """async ({queries, top}) => {
    const root = document.querySelector('.dl-explorer');
    const index = await (await fetch(root.dataset.index)).json();
    const engine = new window.DL4MICSearch.Engine(index);
    return queries.map(q => (engine.search(q) || []).slice(0, top).map(r => index.docs[r.doc].id));
}"""

PAGEFIND_JS = """async ({queries, top}) => {
    const pagefind = await import('/pagefind/pagefind.js');
    await pagefind.init();
    const out = [];
    for (const q of queries) {
        const found = await pagefind.search(q);
        const data = await Promise.all(found.results.slice(0, top).map(r => r.data()));
        out.push(data.map(d => d.meta.entry));
    }
    return out;
}"""

# MiniSearch with our field weights (other-language texts at OTHER_LANGUAGE), our stop words,
# accent and case folding, prefix and fuzzy matching, and our document prior.
MINISEARCH_SETUP = """
window.benchMiniSearch = function (payload, weights, otherLanguage, options) {
    const stop = new Set(payload.stop);
    const fields = [];
    const boost = {};
    for (const [name, weight] of Object.entries(weights)) {
        fields.push(name, name + '_other');
        boost[name] = weight;
        boost[name + '_other'] = weight * otherLanguage;
    }
    const prior = new Map(payload.docs.map(d => [d.id, d.prior]));
    const processTerm = (term) => {
        const folded = term.normalize('NFKD').replace(/\\p{M}/gu, '').toLowerCase();
        return stop.has(folded) ? null : folded;
    };
    const config = {
        fields, idField: 'id', processTerm,
        searchOptions: Object.assign({
            boost, prefix: true, fuzzy: 0.2,
            boostDocument: options.noPrior ? undefined : (id) => prior.get(id) || 1,
        }, options),
    };
    return {config, make: () => new MiniSearch(config)};
};
"""

MINISEARCH_QUERIES_JS = """async ({url, weights, otherLanguage, options, queries, top}) => {
    const payload = await (await fetch(url)).json();
    const {make} = window.benchMiniSearch(payload, weights, otherLanguage, options);
    const engine = make();
    engine.addAll(payload.docs);
    return queries.map(q => engine.search(q).slice(0, top).map(r => r.id));
}"""

# Material's header search: type the query, wait until the result list stops changing, read
# the visible result links in order (not those folded into "N more on this page").
MATERIAL_READ_JS = """() => {
    const meta = document.querySelector('.md-search-result__meta');
    const links = [...document.querySelectorAll('.md-search-result__list a.md-search-result__link')]
        .filter(a => !a.closest('details:not([open])'))
        .map(a => a.getAttribute('href'));
    return {meta: meta ? meta.textContent.trim() : '', links};
}"""


def material_entry(href: str, site_url: str, lang: str, ids: set[str]) -> str | None:
    """The entry id a Material result link leads to; None for a list page itself (FAQ,
    glossary: a container whose questions are listed under it); 'page:<path>' for any other
    page (a section page, the home page), which still takes a place in the results."""
    path = href.split(site_url + lang + "/", 1)[-1]
    path = re.sub(r"^(\.\./)+", "", path).lstrip("./")
    page, _, anchor = path.partition("#")
    page = page.split("?", 1)[0].strip("/")  # search.highlight adds ?h=<query>
    if page.startswith("resources/"):
        return page.split("/")[1]
    if page in LIST_PAGES:
        if not anchor:
            return None
        return anchor if anchor in ids else f"page:{page}/#{anchor}"
    return f"page:{page}/" + (f"#{anchor}" if anchor else "")


def run_material(page: Any, site_url: str, lang: str, queries: list[str],
                 ids: set[str]) -> list[list[str]]:
    page.goto(f"{site_url}{lang}/")
    # The result line's texts in the page's language: a list is final when the line says how
    # many documents were found and has stopped changing.
    texts = page.evaluate("() => JSON.parse(document.getElementById('__config').textContent)"
                          ".translations")
    placeholder = texts["search.result.placeholder"]
    counted = re.compile("|".join(
        [re.escape(texts["search.result.none"]), re.escape(texts["search.result.one"]),
         re.escape(texts["search.result.other"]).replace("\\#", "#").replace("#", r"\d+")]))
    box = page.locator("input.md-search__input")
    box.click()
    page.wait_for_function(  # the worker has loaded the index
        "(t) => document.querySelector('.md-search-result__meta').textContent.trim() === t",
        arg=placeholder, timeout=300_000)
    results = []
    for query in queries:
        box.fill("")
        box.press("End")
        page.wait_for_function(
            "(t) => document.querySelector('.md-search-result__meta').textContent.trim() === t",
            arg=placeholder)
        box.press_sequentially(query, delay=10)
        box.press("End")
        last: Any = None
        stable_since = time.perf_counter()
        deadline = time.perf_counter() + 30
        while time.perf_counter() < deadline:
            state = page.evaluate(MATERIAL_READ_JS)
            if state != last:
                last, stable_since = state, time.perf_counter()
            elif time.perf_counter() - stable_since > 0.6 and counted.fullmatch(state["meta"]):
                break
            time.sleep(0.1)
        else:
            raise RuntimeError(f"material: no stable result list for {query!r}: {last}")
        found: list[str] = []
        for href in last["links"]:
            entry = material_entry(href, site_url, lang, ids)
            if entry is not None and entry not in found:
                found.append(entry)
        results.append(found[:TOP])
    return results


def run_queries(engine: str, page: Any, site_url: str, lang: str, queries: list[str],
                context: dict[str, Any]) -> list[list[str]]:
    if engine == "ours":
        page.goto(f"{site_url}{lang}/explore/")
        return page.evaluate(OURS_JS, {"queries": queries, "top": TOP})  # type: ignore
    if engine == "pagefind":
        page.goto(f"{site_url}{lang}/")
        return page.evaluate(PAGEFIND_JS, {"queries": queries, "top": TOP})  # type: ignore
    if engine == "minisearch":
        page.goto(f"{site_url}{lang}/")
        page.add_script_tag(path=str(MINISEARCH_LIB))
        page.add_script_tag(content=MINISEARCH_SETUP)
        return page.evaluate(MINISEARCH_QUERIES_JS, {  # type: ignore[no-any-return]
            "url": f"/_bench/{context['fields_dir']}/{lang}.json", "weights": context["weights"],
            "otherLanguage": context["other_language"], "options": context["options"],
            "queries": queries, "top": TOP,
        })
    if engine == "material":
        return run_material(page, site_url, lang, queries, context["ids"])
    raise ValueError(engine)


# --- scoring -----------------------------------------------------------------------------------


def score(queries: list[dict[str, Any]], results: list[list[str]]) -> dict[str, Any]:
    misses = [
        {"q": q["q"], "kind": q["kind"], "got": got, "ok": q["ok"]}
        for q, got in zip(queries, results, strict=True)
        if not set(got) & set(q["ok"])
    ]
    hits = len(queries) - len(misses)
    return {"hits": hits, "total": len(queries), "misses": misses}


def baseline_ids(baseline: Path) -> set[str]:
    """Entry ids of the old catalogue (an entry's id is its file name)."""
    return {path.stem for path in (baseline / "catalogue").glob("*/*.yml")
            if path.parent.name != "vocab"}


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        raise SystemExit("error: Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def quality(args: argparse.Namespace, out: Path) -> dict[str, Any]:
    from dl4mic_hub.search import FIELD_WEIGHTS, OTHER_LANGUAGE

    all_queries: dict[str, list[dict[str, Any]]] = yaml.safe_load(QUERIES.read_text("utf-8"))
    site = out / "site"
    old_site = out / "baseline-site"
    ports = {"ours": args.port, "material": args.port + 1, "pagefind": args.port + 2,
             "minisearch": args.port}
    builds = {
        "ours": build_site(ROOT, ROOT / "catalogue", site, f"http://127.0.0.1:{ports['ours']}/",
                           args.rebuild),
    }
    if "material" in args.engines:
        builds["material"] = build_site(args.baseline, args.baseline / "catalogue", old_site,
                                        f"http://127.0.0.1:{ports['material']}/", args.rebuild)
    stale = args.rebuild or builds["ours"] > 0  # what is made from our site is remade
    if {"minisearch", "pagefind"} & set(args.engines):
        dump_fields(ROOT / "catalogue", site, out / "fields", stale)
    if "pagefind" in args.engines:
        builds["pagefind"] = build_pagefind(
            out / "pagefind", functools.partial(pagefind_sources, site), stale)
        builds["pagefind, our fields"] = build_pagefind(
            out / "pagefind-fields", functools.partial(
                pagefind_field_sources, out / "fields", FIELD_WEIGHTS, OTHER_LANGUAGE), stale)
    old_ids = baseline_ids(args.baseline) if "material" in args.engines else set()
    roots = {"ours": site, "material": old_site, "pagefind": out / "pagefind",
             "pagefind, our fields": out / "pagefind-fields", "minisearch": site}
    results: dict[str, Any] = {"builds": builds, "engines": {}}
    variants: list[tuple[str, str, dict[str, Any]]] = []
    for engine in args.engines:
        if engine == "minisearch":
            variants.append(("minisearch", "minisearch", {"combineWith": "OR"}))
            variants.append(("minisearch", "minisearch, AND", {"combineWith": "AND"}))
            variants.append(("minisearch", "minisearch, no prior", {"combineWith": "OR",
                                                                    "noPrior": True}))
        elif engine == "pagefind":
            variants.append(("pagefind", "pagefind", {}))
            variants.append(("pagefind", "pagefind, our fields", {}))
        else:
            variants.append((engine, engine, {}))
    with chromium() as browser:
        for engine, label, options in variants:
            context = {"fields_dir": "fields", "weights": FIELD_WEIGHTS,
                       "other_language": OTHER_LANGUAGE, "options": options, "ids": old_ids}
            per_lang: dict[str, Any] = {}
            with serve(roots[label if label in roots else engine], ports[engine], out) as url:
                for lang in LANGS:
                    queries = all_queries[lang]
                    if engine == "material":  # only what the old catalogue could answer
                        queries = [q for q in queries if set(q["ok"]) & old_ids]
                    page = browser.new_page(viewport={"width": 1280, "height": 900},
                                    bypass_csp=True)  # MiniSearch is injected inline
                    started = time.perf_counter()
                    got = run_queries(engine, page, url, lang, [q["q"] for q in queries],
                                      context)
                    elapsed = time.perf_counter() - started
                    page.close()
                    per_lang[lang] = {**score(queries, got), "seconds": round(elapsed, 1),
                                      "results": dict(zip([q["q"] for q in queries], got,
                                                          strict=True))}
                    log(f"{label} {lang}: {per_lang[lang]['hits']}/{per_lang[lang]['total']}")
            results["engines"][label] = per_lang
    # Index sizes at the real catalogue's size (gzipped), per language.
    sizes: dict[str, dict[str, int]] = {}
    for lang in LANGS:
        files = {
            "ours": site / lang / "assets" / "search-index.json",
            "material": old_site / lang / "search" / "search_index.json",
            "minisearch documents": out / "fields" / f"{lang}.json",
        }
        sizes[lang] = {name: gzipped_size(path.read_bytes())
                       for name, path in files.items() if path.exists()}
        bundle = out / "pagefind" / "pagefind"
        if bundle.is_dir():
            sizes[lang]["pagefind bundle"] = sum(
                f.stat().st_size for f in bundle.rglob(f"*{lang}*") if f.is_file())
    results["index_bytes_gz"] = sizes
    # The same subset for every engine, to compare with Material on equal terms.
    for lang in LANGS:
        subset = [q["q"] for q in all_queries[lang] if set(q["ok"]) & old_ids] if old_ids else []
        results.setdefault("subset", {})[lang] = subset
    return results


# --- scale: what each engine needs before its first answer -------------------------------------

FIRST_OURS_JS = """async ({url, query}) => {
    const started = performance.now();
    const index = await (await fetch(url)).json();
    const engine = new window.DL4MICSearch.Engine(index);
    const found = (engine.search(query) || []).slice(0, 10).map(r => index.docs[r.doc].id);
    return {ms: performance.now() - started, found};
}"""

FIRST_PAGEFIND_JS = """async (query) => {
    const started = performance.now();
    const pagefind = await import('/pagefind/pagefind.js');
    await pagefind.init();
    const found = await pagefind.search(query);
    const data = await Promise.all(found.results.slice(0, 10).map(r => r.data()));
    return {ms: performance.now() - started, found: data.map(d => d.meta.entry)};
}"""

FIRST_MINISEARCH_JS = """async ({url, weights, otherLanguage, query, serialized}) => {
    const started = performance.now();
    const payload = await (await fetch(url)).json();
    const fetched = performance.now();
    const {config, make} = window.benchMiniSearch(payload, weights, otherLanguage, {});
    let engine;
    if (serialized) {
        const text = await (await fetch(serialized)).text();
        engine = MiniSearch.loadJSON(text, config);
    } else {
        engine = make();
        engine.addAll(payload.docs);
    }
    const built = performance.now();
    const found = engine.search(query).slice(0, 10).map(r => r.id);
    return {ms: performance.now() - started, index_ms: built - fetched, found,
            serialized: serialized ? null : JSON.stringify(engine)};
}"""


def _median_run(browser: Any, url: str, repeat: int,
                action: Callable[[Any], dict[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    """Run ``action`` on a fresh page (empty cache) ``repeat`` times; the median run and the
    paths the first run requested."""
    runs = []
    requested: list[str] = []
    for number in range(repeat):
        context = browser.new_context(viewport={"width": 1280, "height": 900},
                                    bypass_csp=True)  # MiniSearch is injected inline
        page = context.new_page()
        seen: list[str] = []
        page.on("request", lambda request, seen=seen: seen.append(request.url))
        runs.append(action(page))
        if number == 0:
            requested = [u.split(url, 1)[-1].split("?")[0] for u in seen if u.startswith(url)]
        context.close()
    runs.sort(key=lambda run: run["ms"])
    return runs[len(runs) // 2], requested


def _bytes_of(root: Path, paths: list[str], keep: Callable[[str], bool]) -> tuple[int, int]:
    """(gzipped bytes, files) of the requested paths that ``keep`` selects."""
    total = files = 0
    for path in dict.fromkeys(paths):
        if keep(path) and (root / path).is_file():
            total += gzipped_size((root / path).read_bytes())
            files += 1
    return total, files


def scale(args: argparse.Namespace, out: Path) -> dict[str, Any]:
    from dl4mic_hub.search import FIELD_WEIGHTS, OTHER_LANGUAGE

    size = args.size
    lang = "fr"
    query = args.scale_query
    site = out / f"site-{size}"
    old_site = out / f"baseline-site-{size}"
    catalogue = synthetic_catalogue(ROOT / "catalogue", size, out / f"catalogue-{size}",
                                    args.rebuild)
    report: dict[str, Any] = {"size": size, "lang": lang, "query": query, "engines": {}}
    report["build_seconds"] = {
        "ours": build_site(ROOT, catalogue, site, f"http://127.0.0.1:{args.port}/",
                           args.rebuild)}
    engines = report["engines"]
    stale = args.rebuild or report["build_seconds"]["ours"] > 0

    index = site / lang / "assets" / "search-index.json"
    engine_js = site / lang / "assets" / "javascripts" / "dl4mic-search.js"
    with chromium() as browser:
        if "ours" in args.engines:
            with serve(site, args.port, out) as url:
                # From the home page (the explorer would fetch the index itself meanwhile).
                run, _ = _median_run(browser, url, args.repeat, lambda page: (
                    page.goto(f"{url}{lang}/"), page.evaluate(FIRST_OURS_JS, {
                        "url": "assets/search-index.json", "query": query}))[1])
            parts = json.loads(index.read_text("utf-8"))
            engines["ours"] = {
                "index_bytes_gz": gzipped_size(index.read_bytes()),
                "index_bytes": index.stat().st_size,
                "part_bytes": {  # which part of the index weighs what (cards are "docs")
                    key: len(json.dumps(value, ensure_ascii=False, separators=(",", ":"))
                             .encode()) for key, value in parts.items()},
                "code_bytes_gz": gzipped_size(engine_js.read_bytes()),
                "first_answer_ms": round(run["ms"]), "top3": run["found"][:3],
            }
            log(f"scale ours: {engines['ours']}")
        if "minisearch" in args.engines:
            fields_dir = out / f"fields-{size}"
            dump_fields(catalogue, site, fields_dir, stale)
            docs = fields_dir / f"{lang}.json"
            base = {"url": f"/_bench/{fields_dir.name}/{lang}.json", "weights": FIELD_WEIGHTS,
                    "otherLanguage": OTHER_LANGUAGE, "query": query}
            with serve(site, args.port, out) as url:
                def minisearch(page: Any, serialized: str | None) -> dict[str, Any]:
                    page.goto(f"{url}{lang}/")
                    page.add_script_tag(path=str(MINISEARCH_LIB))
                    page.add_script_tag(content=MINISEARCH_SETUP)
                    return page.evaluate(  # type: ignore[no-any-return]
                        FIRST_MINISEARCH_JS, {**base, "serialized": serialized})

                built, _ = _median_run(browser, url, args.repeat,
                                       lambda page: minisearch(page, None))
                serialized_path = fields_dir / f"{lang}.index.json"
                serialized_path.write_text(built["serialized"], encoding="utf-8")
                loaded, _ = _median_run(
                    browser, url, args.repeat,
                    lambda page: minisearch(page, f"/_bench/{fields_dir.name}/{lang}.index.json"))
            engines["minisearch"] = {
                "index_bytes_gz": gzipped_size(docs.read_bytes()),
                "index_bytes": docs.stat().st_size,
                "serialized_bytes_gz": gzipped_size(serialized_path.read_bytes()),
                "serialized_bytes": serialized_path.stat().st_size,
                "code_bytes_gz": gzipped_size(MINISEARCH_LIB.read_bytes()),
                "first_answer_ms": round(built["ms"]),
                "index_build_ms": round(built["index_ms"]),
                "first_answer_serialized_ms": round(loaded["ms"]),
                "load_serialized_ms": round(loaded["index_ms"]),
                "top3": built["found"][:3],
            }
            log(f"scale minisearch: {engines['minisearch']}")
        if "pagefind" in args.engines:
            target = out / f"pagefind-{size}"
            report["build_seconds"]["pagefind"] = build_pagefind(
                target, functools.partial(pagefind_sources, site), stale)
            with serve(target, args.port + 2, out) as url:
                run, requested = _median_run(browser, url, args.repeat, lambda page: (
                    page.goto(f"{url}{lang}/"), page.evaluate(FIRST_PAGEFIND_JS, query))[1])
            bundle = target / "pagefind"
            code, _ = _bytes_of(target, requested, lambda p: p.endswith(".js"))
            data, files = _bytes_of(target, requested, lambda p: p.startswith("pagefind/")
                                    and not p.endswith(".js") and "fragment/" not in p)
            fragments, fragment_files = _bytes_of(target, requested, lambda p: "fragment/" in p)
            engines["pagefind"] = {
                "index_bytes_gz": data, "files": files,
                "fragment_bytes_gz": fragments, "fragment_files": fragment_files,
                "code_bytes_gz": code,
                "bundle_bytes": sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file()),
                "bundle_files": sum(1 for f in bundle.rglob("*") if f.is_file()),
                "first_answer_ms": round(run["ms"]), "top3": run["found"][:3],
                "requested": sorted(set(requested)),
            }
            log(f"scale pagefind: {engines['pagefind']}")
        if "material" in args.engines:
            old_catalogue = synthetic_catalogue(args.baseline / "catalogue", size,
                                                out / f"baseline-catalogue-{size}", args.rebuild)
            report["build_seconds"]["material"] = build_site(
                args.baseline, old_catalogue, old_site, f"http://127.0.0.1:{args.port + 1}/",
                args.rebuild)
            search_index = old_site / lang / "search" / "search_index.json"
            workers = list((old_site / lang / "assets" / "javascripts" / "workers").glob("*.js"))
            engines["material"] = {
                "index_bytes_gz": gzipped_size(search_index.read_bytes()),
                "index_bytes": search_index.stat().st_size,
                "code_bytes_gz": sum(gzipped_size(w.read_bytes()) for w in workers),
            }
            if args.material_timing:
                with serve(old_site, args.port + 1, out) as url:
                    run, _ = _median_run(browser, url, args.material_repeat,
                                         lambda page: material_first_answer(page, url, lang,
                                                                            query))
                engines["material"]["first_answer_ms"] = round(run["ms"])
            log(f"scale material: {engines['material']}")
    # Clones repeat their originals' texts, which gzip removes: text-heavy indexes (Material's,
    # MiniSearch's documents) shrink 50-fold, far more than distinct texts would. Estimate:
    # the raw size at scale, compressed as well as the real catalogue's index compresses.
    real = {"ours": out / "site" / lang / "assets" / "search-index.json",
            "material": out / "baseline-site" / lang / "search" / "search_index.json",
            "minisearch": out / "fields" / f"{lang}.json"}
    for name, path in real.items():
        if name in engines and path.exists():
            data = path.read_bytes()
            engines[name]["real_catalogue_bytes"] = len(data)
            engines[name]["real_catalogue_bytes_gz"] = gzipped_size(data)
            engines[name]["index_bytes_gz_estimate"] = round(
                engines[name]["index_bytes"] * gzipped_size(data) / len(data))
    return report


def material_first_answer(page: Any, url: str, lang: str, query: str) -> dict[str, Any]:
    """From navigation start to Material's first result list for ``query``, typed as soon as
    the page is loaded (the worker fetches and indexes search_index.json meanwhile)."""
    page.goto(f"{url}{lang}/")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")
    page.wait_for_function(
        "() => document.querySelectorAll('.md-search-result__list a.md-search-result__link')"
        ".length > 0", timeout=300_000, polling=50)
    ms = page.evaluate("() => performance.now()")
    return {"ms": ms, "found": []}


# --- report ------------------------------------------------------------------------------------


def versions(args: argparse.Namespace) -> dict[str, str]:
    found = {"python": sys.version.split()[0]}
    found["node"] = subprocess.run(["node", "--version"], capture_output=True,
                                   text=True).stdout.strip()
    chromium_path = shutil.which("chromium")
    if chromium_path:
        found["chromium"] = subprocess.run([chromium_path, "--version"], capture_output=True,
                                           text=True).stdout.strip()
    package = json.loads((MINISEARCH_LIB.parents[2] / "package.json").read_text("utf-8"))
    found["minisearch"] = package["version"]
    if PAGEFIND_PYTHON.exists():
        found["pagefind"] = pagefind_version()
    material = args.baseline / ".venv" / "bin" / "python"
    if material.exists():
        found["mkdocs-material (baseline)"] = subprocess.run(
            [str(material), "-c", "import importlib.metadata as m;"
             "print(m.version('mkdocs-material'))"], capture_output=True, text=True
        ).stdout.strip()
    found["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                     capture_output=True, text=True).stdout.strip()
    found["baseline commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"],
                                              cwd=args.baseline, capture_output=True,
                                              text=True).stdout.strip()
    return found


def quality_table(results: dict[str, Any]) -> str:
    lines = ["| engine | fr top 3 | en top 3 | fr, old-catalogue subset | en, old-catalogue "
             "subset |", "|---|---:|---:|---:|---:|"]
    subset = results.get("subset", {})
    for label, per_lang in results["engines"].items():
        cells = []
        for lang in LANGS:
            hits, total = per_lang[lang]["hits"], per_lang[lang]["total"]
            cells.append("—" if label == "material" else f"{hits}/{total} ({hits / total:.0%})")
        for lang in LANGS:
            names = set(subset.get(lang, []))
            if not names:
                cells.append("—")
                continue
            missed = {m["q"] for m in per_lang[lang]["misses"]}
            total = len(names)
            hits = total - len(names & missed)
            cells.append(f"{hits}/{total} ({hits / total:.0%})")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, default=ROOT.parent / "baseline",
                        help="a worktree of the commit before our engine (a1f6ea7)")
    parser.add_argument("--out", type=Path, default=BENCH / "results-search")
    parser.add_argument("--port", type=int, default=18765, help="first of 3 local ports")
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--size", type=int, default=10_000, help="resources at scale (0: skip)")
    parser.add_argument("--scale-query", default="segmentation noyaux")
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing (median)")
    parser.add_argument("--material-timing", action="store_true",
                        help="also time Material's first answer at scale (slow)")
    parser.add_argument("--material-repeat", type=int, default=3)
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--rebuild", action="store_true", help="rebuild sites and indexes")
    args = parser.parse_args()
    args.baseline = args.baseline.resolve()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    if "material" in args.engines and not (args.baseline / "catalogue").is_dir():
        parser.error(f"--baseline {args.baseline}: no catalogue/ there "
                     "(git worktree add ../baseline a1f6ea7)")
    if "pagefind" in args.engines and not PAGEFIND_PYTHON.exists():
        parser.error("Pagefind: python3 -m venv bench/.env && "
                     "bench/.env/bin/pip install 'pagefind[extended]'")
    if "minisearch" in args.engines and not MINISEARCH_LIB.exists():
        parser.error("MiniSearch: (cd bench && npm ci)")
    report: dict[str, Any] = {"versions": versions(args)}
    if not args.skip_quality:
        report["quality"] = quality(args, out)
    if args.size:
        report["scale"] = scale(args, out)
    (out / "search.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), "utf-8")
    if "quality" in report:
        print(quality_table(report["quality"]))
        for label, per_lang in report["quality"]["engines"].items():
            for lang in LANGS:
                for miss in per_lang[lang]["misses"]:
                    print(f"  {label} {lang} miss: {miss['q']!r} ({miss['kind']}) got "
                          f"{miss['got']}, wanted one of {miss['ok'][:4]}")
    if "scale" in report:
        print(json.dumps(report["scale"], indent=1, ensure_ascii=False))
    print(f"full results: {out / 'search.json'}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
