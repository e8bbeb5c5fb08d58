"""Browser benchmark of the explorer, the section pages and the baselines they replace.

A script, not a test (see bench/README.md). Two steps:

    # build the synthetic sites once (minutes each at 10,000 resources), then reuse them
    .venv/bin/python bench/explorer.py prepare --resources 10000 1000
    .venv/bin/python bench/explorer.py prepare --resources 10000 --project /work/wt/baseline
    # measure every prepared site in one run, in headless Chromium (median of 5)
    .venv/bin/python bench/explorer.py run --runs 5

``prepare`` makes the synthetic catalogue with the project's own ``bench/synthetic.py`` and
builds it with the project's own ``.venv`` (so a baseline commit is built exactly as it was),
into ``build/bench-explorer/<label>-<N>/``. ``run`` serves each site on its port with a small
HTTP server that gzips text responses (as GitHub Pages does), drives Chromium through
Playwright, and interleaves the variants run by run so that the load of the shared machine
falls on all of them alike.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import platform
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "bench-explorer"
BASE_PORT = 8800


def _git(project: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(project), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def _label(project: Path) -> str:
    """The commit a site is built from (``+`` if tracked files differ from it)."""
    dirty = _git(project, "status", "--porcelain", "--untracked-files=no")
    return _git(project, "rev-parse", "--short=7", "HEAD") + ("+" if dirty else "")


def prepare(
    project: Path, resources: int, port: int | None = None, synthetic: Path | None = None
) -> Path:
    """Generate the synthetic catalogue and build its site with ``project``'s own tools (its
    ``bench/synthetic.py`` unless ``synthetic`` names another generator, always cloning
    ``project``'s catalogue). Each site is built for its own port (Material's language
    selector needs the real address), kept across runs."""
    project = project.resolve()
    synthetic = (synthetic or project / "bench" / "synthetic.py").resolve()
    label = _label(project)
    target = WORK / f"{label}-{resources}"
    if port is None:
        ports = {site.name: int(site.info["port"]) for site in _sites(None)}
        port = ports.get(target.name, max([BASE_PORT, *ports.values()]) + 1)
    target.mkdir(parents=True, exist_ok=True)
    python = project / ".venv" / "bin" / "python"
    catalogue = target / "catalogue"
    subprocess.run(
        [str(python), str(synthetic), str(resources), str(catalogue),
         "--source", str(project / "catalogue")],
        check=True, cwd=project,
    )
    site_url = f"http://127.0.0.1:{port}/"
    started = time.monotonic()
    subprocess.run(
        [str(project / ".venv" / "bin" / "dl4mic-hub"), "build", "--catalogue", str(catalogue),
         "--site-dir", str(target / "site"), "--site-url", site_url],
        check=True, cwd=project,
    )
    info = {
        "label": label,
        "project": str(project),
        "commit": _git(project, "rev-parse", "HEAD"),
        "resources": resources,
        "synthetic": str(synthetic),
        "site_url": site_url,
        "port": port,
        "build_seconds": round(time.monotonic() - started, 1),
        "versions": json.loads(subprocess.run(
            [str(python), "-c", "import importlib.metadata as m, json; print(json.dumps("
             "{p: m.version(p) for p in ('dl4mic-hub', 'mkdocs', 'mkdocs-material')}))"],
            check=True, capture_output=True, text=True).stdout),
    }
    (target / "site.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return target


# --- serving: a static server that gzips text as GitHub Pages does ---------------------------

COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml",
                "application/xml")


def serve(site: Path, port: int) -> ThreadingHTTPServer:
    """Serve ``site`` on 127.0.0.1:``port`` in a thread; text is sent gzipped (level 6) to
    clients that accept it, with GitHub Pages' ``Cache-Control: max-age=600``."""
    compressed: dict[Path, bytes] = {}
    lock = threading.Lock()

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(site), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "max-age=600")
            super().end_headers()

        def send_head(self) -> Any:
            path = Path(self.translate_path(self.path))
            if path.is_dir() and self.path.split("?")[0].endswith("/"):
                path = path / "index.html"
            ctype = self.guess_type(str(path))
            wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
            if not (wants_gzip and path.is_file() and ctype.startswith(COMPRESSIBLE)):
                return super().send_head()
            with lock:
                body = compressed.get(path)
                if body is None:
                    body = compressed[path] = gzip.compress(path.read_bytes(), compresslevel=6)
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --- in-page instrumentation -------------------------------------------------------------------

# Installed before the page's own scripts. "Painted" is measured as the end of the first frame
# after a DOM change: a change made in a normal task (a fetch callback, an input handler, a
# worker's message) is painted in the next frame, so the mark is a setTimeout(0) queued from
# that frame's requestAnimationFrame; a change made *inside* a frame (the explorer updates in
# requestAnimationFrame) is painted in that same frame, so the mark is a setTimeout(0) queued
# at once. The wrapper around requestAnimationFrame tells the two apart with takeRecords().
# Time zero of an interaction is the timestamp of its first keydown or pointerdown event.
PROBE = r"""
(() => {
  const b = window.__bench = {
    armed: false, t0: null, mutations: 0, lastMutation: 0, lastPaint: 0, firstPaint: null,
    events: [], observer: null, firstSelector: null,
  };
  const markPaint = () => {
    const now = performance.now();
    if (now > b.lastPaint) b.lastPaint = now;
  };
  const seen = (records, inFrame) => {
    if (!records.length) return;
    b.mutations += records.length;
    b.lastMutation = performance.now();
    if (b.firstSelector && b.firstPaint === null && document.querySelector(b.firstSelector)) {
      const found = () => { if (b.firstPaint === null) b.firstPaint = performance.now(); };
      if (inFrame) setTimeout(found, 0);
      else requestAnimationFrame(() => setTimeout(found, 0));
    }
    if (inFrame) setTimeout(markPaint, 0);
    else requestAnimationFrame(() => setTimeout(markPaint, 0));
  };
  b.observe = (selector, firstSelector) => {
    if (b.observer) b.observer.disconnect();
    b.firstSelector = firstSelector || null;
    b.observer = new MutationObserver((records) => seen(records, false));
    const target = selector ? document.querySelector(selector) : document.documentElement;
    b.observer.observe(target || document.documentElement, {
      subtree: true, childList: true, attributes: true, characterData: true,
    });
    if (b.firstSelector && document.querySelector(b.firstSelector)) seen([true], false);
  };
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) => raf((time) => {
    try { callback(time); } finally {
      if (b.observer) seen(b.observer.takeRecords(), true);
    }
  });
  const start = (event) => {
    if (b.armed) { b.armed = false; b.t0 = event.timeStamp; }
  };
  addEventListener("keydown", start, true);
  addEventListener("pointerdown", start, true);
  b.arm = () => { b.armed = true; b.t0 = null; b.mutations = 0; b.events = []; };
  // The browser's own measure (Event Timing, as for INP): interactions of 16 ms or more.
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (!entry.interactionId) continue;
        b.events.push({ start: entry.startTime, duration: entry.duration });
      }
    }).observe({ type: "event", durationThreshold: 16, buffered: false });
  } catch (error) { /* Event Timing unavailable: the mutation measure still works */ }
  // Watch from DOMContentLoaded (not during parsing: a record per parsed node would slow
  // the very load being measured) for the first element the page is waiting for.
  document.addEventListener("DOMContentLoaded", () => b.observe(null, __FIRST__), { once: true });
})();
"""


# --- measurements ------------------------------------------------------------------------------

WORDS = {"fr": "noyaux", "en": "nuclei"}  # typed one key at a time
# Facet changes on the explorer: check two values of two facets, then uncheck them.
FACET_CLICKS = [
    ("tasks", "segmentation"), ("dims", "3d"), ("dims", "3d"), ("tasks", "segmentation"),
]
SECTION = "tools"  # the largest section page, the one the baseline figure is about
QUIET_MS = 300  # an interaction is over when the observed DOM has not changed for this long
VIEWPORT = {"width": 1366, "height": 768}


@dataclass
class Site:
    folder: Path
    info: dict[str, Any]

    @property
    def name(self) -> str:
        return f"{self.info['label']}-{self.info['resources']}"

    @property
    def url(self) -> str:
        return str(self.info["site_url"])

    @property
    def root(self) -> Path:
        return self.folder / "site"

    @property
    def has_explorer(self) -> bool:
        return (self.root / "fr" / "explore" / "index.html").is_file()

    @property
    def has_material_search(self) -> bool:
        return (self.root / "fr" / "search" / "search_index.json").is_file()


@contextmanager
def _page(browser: Any, first_selector: str | None = None) -> Iterator[Any]:
    """A page in a fresh context (empty cache), with the probe installed."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(PROBE.replace("__FIRST__", json.dumps(first_selector)))
    try:
        yield context.new_page()
    finally:
        context.close()


_LOADED = """(t) => {
  const nav = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource").filter((e) => e.responseEnd <= t);
  const sum = (key) => resources.reduce((total, e) => total + e[key], nav[key]);
  const index = resources.filter((e) => /search[-_]index\\.json/.test(e.name));
  return {
    ms: t, transfer_bytes: sum("transferSize"), decoded_bytes: sum("decodedBodySize"),
    requests: 1 + resources.length, dom_content_loaded_ms: nav.domContentLoadedEventEnd,
    index_transfer_bytes: index.reduce((total, e) => total + e.transferSize, 0),
    dom_nodes: document.getElementsByTagName("*").length,
  };
}"""


def _heap_mb(page: Any) -> float:
    session = page.context.new_cdp_session(page)
    session.send("HeapProfiler.collectGarbage")
    used = session.send("Runtime.getHeapUsage")["usedSize"]
    session.detach()
    return round(used / 2**20, 1)


def _wait_first(page: Any) -> None:
    # a function, not an expression: the site's Content-Security-Policy forbids eval
    page.wait_for_function("() => window.__bench.firstPaint !== null", polling=50,
                           timeout=180_000)


def _interaction(page: Any, observed: str, action: Callable[[], None]) -> dict[str, float]:
    """Run ``action`` (one key or one click) and time it to the frame that shows its result."""
    page.evaluate("(selector) => { window.__bench.observe(selector); window.__bench.arm(); }",
                  observed)
    action()
    page.wait_for_function(
        """(quiet) => { const b = window.__bench;
           return b.t0 !== null && b.mutations > 0 && b.lastPaint >= b.lastMutation
             && performance.now() - b.lastMutation > quiet; }""",
        arg=QUIET_MS, polling=50, timeout=120_000,
    )
    found = page.evaluate("""() => { const b = window.__bench;
        const mine = b.events.filter((e) => e.start >= b.t0 - 1);
        return { ms: b.lastPaint - b.t0,
                 event_ms: mine.length ? Math.max(...mine.map((e) => e.duration)) : null }; }""")
    return {k: v for k, v in found.items() if v is not None}


def _type_word(page: Any, field: str, observed: str, word: str) -> list[dict[str, float]]:
    page.focus(field)
    return [_interaction(page, observed, lambda key=key: page.keyboard.press(key)) for key in word]


def measure_explorer(browser: Any, site: Site, lang: str) -> dict[str, Any]:
    """Cold load of the explorer to its first results, then keystrokes and facet changes."""
    with _page(browser, ".dl-results .dl-result") as page:
        page.goto(f"{site.url}{lang}/explore/", wait_until="domcontentloaded")
        _wait_first(page)
        first = page.evaluate(_LOADED, page.evaluate("window.__bench.firstPaint"))
        first["heap_mb"] = _heap_mb(page)
        keys = _type_word(page, "#dl-q", ".dl-explorer", WORDS[lang])
        # facets without a query: the case where every entry is a candidate
        page.evaluate("""() => { const q = document.querySelector('#dl-q'); q.value = '';
                         q.dispatchEvent(new Event('input', { bubbles: true })); }""")
        page.wait_for_timeout(QUIET_MS)
        page.evaluate("document.querySelectorAll('details.dl-facet').forEach(d => d.open = true)")
        facets = [
            _interaction(page, ".dl-explorer",
                         lambda f=f, v=v: page.click(f"input[name='{f}'][value='{v}']"))
            for f, v in FACET_CLICKS
        ]
    return {"first_results": first, "keys": keys, "facets": facets}


def measure_section(browser: Any, site: Site, lang: str) -> dict[str, Any]:
    """Load of the largest section page, then its word filter, one key at a time."""
    with _page(browser) as page:
        page.goto(f"{site.url}{lang}/sections/{SECTION}/", wait_until="load")
        loaded = page.evaluate(_LOADED, page.evaluate("performance.now()"))
        keys = _type_word(page, "form.dl-filters input[name=q]", ".md-content", WORDS[lang])
    return {"load": loaded, "keys": keys}


def measure_material_search(browser: Any, site: Site, lang: str) -> dict[str, Any]:
    """Material's search on the home page: a word typed as soon as the page is usable, timed to
    its first result; then, index loaded, one key at a time."""
    with _page(browser, ".md-search-result__item") as page:
        page.goto(f"{site.url}{lang}/", wait_until="domcontentloaded")
        page.focus("input.md-search__input")
        page.keyboard.type(WORDS[lang])
        typed = page.evaluate("performance.now()")
        _wait_first(page)
        first = page.evaluate(_LOADED, page.evaluate("window.__bench.firstPaint"))
        first["after_typing_ms"] = first["ms"] - typed
        page.fill("input.md-search__input", "")
        page.wait_for_timeout(QUIET_MS)
        keys = _type_word(page, "input.md-search__input", ".md-search-result", WORDS[lang])
    return {"first_result": first, "keys": keys}


def static_sizes(site: Site) -> dict[str, Any]:
    """Bytes on disk and gzipped (level 6, as served) of the pages and indexes that matter."""
    def sizes(path: Path) -> dict[str, int]:
        data = path.read_bytes()
        return {"bytes": len(data), "gzip_bytes": len(gzip.compress(data, compresslevel=6))}

    out: dict[str, Any] = {}
    for lang in ("fr", "en"):
        root = site.root / lang
        out[lang] = {
            "sections": {p.parent.name: sizes(p)
                         for p in sorted(root.glob("sections/*/index.html"))},
        }
        for name, path in (("explorer_page", root / "explore" / "index.html"),
                           ("explorer_index", root / "assets" / "search-index.json"),
                           ("material_index", root / "search" / "search_index.json")):
            if path.is_file():
                out[lang][name] = sizes(path)
    return out


# --- the run -----------------------------------------------------------------------------------


# summary key -> (scenario, measure, field) of single figures; (scenario, samples) of series
_FIGURES = {
    "explorer_first_results_ms": ("explorer", "first_results", "ms"),
    "explorer_first_results_transfer_bytes": ("explorer", "first_results", "transfer_bytes"),
    "explorer_index_transfer_bytes": ("explorer", "first_results", "index_transfer_bytes"),
    "explorer_requests": ("explorer", "first_results", "requests"),
    "explorer_heap_mb": ("explorer", "first_results", "heap_mb"),
    "section_transfer_bytes": ("section", "load", "transfer_bytes"),
    "section_dom_content_loaded_ms": ("section", "load", "dom_content_loaded_ms"),
    "section_dom_nodes": ("section", "load", "dom_nodes"),
    "material_first_result_ms": ("material", "first_result", "ms"),
    "material_after_typing_ms": ("material", "first_result", "after_typing_ms"),
    "material_index_transfer_bytes": ("material", "first_result", "index_transfer_bytes"),
}
_SERIES = {
    "explorer_key": ("explorer", "keys"),
    "explorer_facet": ("explorer", "facets"),
    "section_key": ("section", "keys"),
    "material_key": ("material", "keys"),
}


def _summary(measured: dict[str, Any]) -> dict[str, float]:
    """The figures of one run of one site: medians over keys and clicks, and the worst."""
    out: dict[str, float] = {}
    for key, (scenario, measure, name) in _FIGURES.items():
        if scenario in measured:
            out[key] = measured[scenario][measure][name]
    for key, (scenario, series) in _SERIES.items():
        if scenario not in measured:
            continue
        samples = measured[scenario][series]
        out[f"{key}_ms"] = statistics.median(s["ms"] for s in samples)
        out[f"{key}_max_ms"] = max(s["ms"] for s in samples)
        events = [s["event_ms"] for s in samples if "event_ms" in s]
        if events:  # the browser's Event Timing, reported from 16 ms on
            out[f"{key}_event_max_ms"] = max(events)
    return out


def _machine() -> dict[str, Any]:
    model = next((line.split(":", 1)[1].strip()
                  for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    return {"cpus": os.cpu_count(), "cpu": model, "load_average": os.getloadavg(),
            "python": platform.python_version()}


def run(sites: list[Site], runs: int, langs: list[str]) -> dict[str, Any]:
    from importlib.metadata import version

    from playwright.sync_api import sync_playwright

    servers = [serve(site.root, int(site.info["port"])) for site in sites]
    results: dict[str, Any] = {
        "machine_before": _machine(),
        "sites": {site.name: {**site.info, "sizes": static_sizes(site)} for site in sites},
        "runs": [],
        "settings": {"runs": runs, "langs": langs, "words": WORDS, "facet_clicks": FACET_CLICKS,
                     "section": SECTION, "quiet_ms": QUIET_MS, "viewport": VIEWPORT,
                     "gzip_level": 6, "playwright": version("playwright")},
    }
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            results["settings"]["chromium"] = browser.version
            for number in range(runs):
                # rotate the order, so no variant always runs first (or last) in a round
                order = sites[number % len(sites):] + sites[:number % len(sites)]
                for site in order:
                    for lang in langs:
                        measured: dict[str, Any] = {}
                        if site.has_explorer:
                            measured["explorer"] = measure_explorer(browser, site, lang)
                        measured["section"] = measure_section(browser, site, lang)
                        if site.has_material_search:
                            measured["material"] = measure_material_search(browser, site, lang)
                        summary = _summary(measured)
                        results["runs"].append({"run": number, "site": site.name, "lang": lang,
                                                "summary": summary, "measured": measured})
                        print(f"run {number + 1}/{runs} {site.name} {lang}: "
                              + ", ".join(f"{k}={v:g}" for k, v in summary.items()), flush=True)
            browser.close()
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    results["machine_after"] = _machine()
    return results


# --- the table ---------------------------------------------------------------------------------

TARGETS: dict[str, tuple[str, float]] = {  # summary key → (target as written, limit)
    "explorer_first_results_transfer_bytes": ("< 1.5 MB", 1.5e6),
    "explorer_key_ms": ("< 100 ms", 100),
    "explorer_key_max_ms": ("< 100 ms", 100),
    "explorer_facet_ms": ("< 100 ms", 100),
    "explorer_facet_max_ms": ("< 100 ms", 100),
}
ROWS = [  # (label, summary key, unit)
    ("Explorer: bytes transferred before the first results (gzip)",
     "explorer_first_results_transfer_bytes", "MB"),
    ("Explorer: of which the search index", "explorer_index_transfer_bytes", "MB"),
    ("Explorer: requests before the first results", "explorer_requests", ""),
    ("Explorer: load to first results painted", "explorer_first_results_ms", "ms"),
    ("Explorer: JS heap after first results", "explorer_heap_mb", "MB heap"),
    ("Explorer: keystroke to results painted (median of the word's keys)", "explorer_key_ms",
     "ms"),
    ("Explorer: slowest keystroke of the word", "explorer_key_max_ms", "ms"),
    ("Explorer: facet checkbox to results painted (median of 4)", "explorer_facet_ms", "ms"),
    ("Explorer: slowest facet change", "explorer_facet_max_ms", "ms"),
    ("Explorer: slowest keystroke, by Event Timing (to presentation, 8 ms steps)",
     "explorer_key_event_max_ms", "ms"),
    ("Explorer: slowest facet change, by Event Timing", "explorer_facet_event_max_ms", "ms"),
    (f"Section page '{SECTION}': bytes transferred (gzip)", "section_transfer_bytes", "MB"),
    (f"Section page '{SECTION}': DOMContentLoaded", "section_dom_content_loaded_ms", "ms"),
    (f"Section page '{SECTION}': DOM nodes", "section_dom_nodes", ""),
    (f"Section page '{SECTION}': filter keystroke to rows painted (median)", "section_key_ms",
     "ms"),
    (f"Section page '{SECTION}': slowest filter keystroke", "section_key_max_ms", "ms"),
    (f"Section page '{SECTION}': slowest filter keystroke, by Event Timing",
     "section_key_event_max_ms", "ms"),
    ("Material search: index transferred (gzip)", "material_index_transfer_bytes", "MB"),
    ("Material search: word typed at page load → first result (from navigation)",
     "material_first_result_ms", "ms"),
    ("Material search: same, from the last key typed", "material_after_typing_ms", "ms"),
    ("Material search: keystroke to results painted, index loaded (median)", "material_key_ms",
     "ms"),
]


def _format(value: float, unit: str) -> str:
    if unit == "MB":
        return f"{value / 1e6:.2f} MB" if value >= 1e5 else f"{value / 1e3:.0f} kB"
    if unit == "MB heap":
        return f"{value:.0f} MB"
    if unit == "ms":
        return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"
    return f"{value:,.0f}"


def medians(results: dict[str, Any], lang: str) -> dict[str, dict[str, tuple[float, float, float]]]:
    """site → summary key → (median, min, max) over the runs."""
    collected: dict[str, dict[str, list[float]]] = {}
    for entry in results["runs"]:
        if entry["lang"] != lang:
            continue
        per_site = collected.setdefault(entry["site"], {})
        for key, value in entry["summary"].items():
            per_site.setdefault(key, []).append(value)
    return {site: {key: (statistics.median(v), min(v), max(v)) for key, v in values.items()}
            for site, values in collected.items()}


def table(results: dict[str, Any], lang: str) -> str:
    figures = medians(results, lang)
    names = list(figures)
    lines = [
        "| measure | " + " | ".join(names) + " | target |",
        "|---|" + "---:|" * len(names) + "---|",
    ]
    for label, key, unit in ROWS:
        if not any(key in figures[name] for name in names):
            continue
        cells = []
        for name in names:
            if key not in figures[name]:
                cells.append("—")
                continue
            middle, low, high = figures[name][key]
            cell = _format(middle, unit)
            if high > low and unit == "ms":
                cell += f" ({_format(low, unit)}–{_format(high, unit)})"
            if key in TARGETS:
                cell += " ✅" if middle < TARGETS[key][1] else " ❌"
            cells.append(cell)
        target = TARGETS[key][0] if key in TARGETS else ""
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")
    return "\n".join(lines)


def section_table(results: dict[str, Any]) -> str:
    """Every section page of every site, raw HTML bytes (gzip in brackets)."""
    sites = results["sites"]
    names = list(sites)
    sections = sorted({s for site in sites.values() for lang in ("fr", "en")
                       for s in site["sizes"][lang]["sections"]})
    lines = ["| section page (fr / en) | " + " | ".join(names) + " |",
             "|---|" + "---:|" * len(names)]
    for section in sections:
        cells = []
        for name in names:
            parts = []
            for lang in ("fr", "en"):
                found = sites[name]["sizes"][lang]["sections"].get(section)
                parts.append(f"{found['bytes'] / 1e3:,.0f} kB ({found['gzip_bytes'] / 1e3:,.0f})"
                             if found else "—")
            worst = max((sites[name]["sizes"][lang]["sections"].get(section) or {"bytes": 0})
                        ["bytes"] for lang in ("fr", "en"))
            cells.append(" / ".join(parts) + (" ❌" if worst > 500e3 else ""))
        lines.append(f"| {section} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# Pairs compared run by run (same run, same load): (label, explorer-side key, baseline key).
RATIOS = [
    ("explorer keystroke / old section filter keystroke", "explorer_key_ms", "section_key_ms"),
    ("explorer facet change / old section filter keystroke", "explorer_facet_ms",
     "section_key_ms"),
    ("new section filter keystroke / old one", "section_key_ms", "section_key_ms"),
    ("explorer load to first results / Material's first answer", "explorer_first_results_ms",
     "material_first_result_ms"),
]


def ratio_table(results: dict[str, Any], lang: str) -> str:
    """Medians over the runs of per-run ratios, each site with an explorer against each site
    with Material's search at the same size (the pairs ran in the same round)."""
    runs: dict[tuple[int, str], dict[str, float]] = {
        (entry["run"], entry["site"]): entry["summary"]
        for entry in results["runs"] if entry["lang"] == lang
    }
    sites = results["sites"]

    def having(key: str) -> list[str]:
        return [name for name in sites
                if any(key in summary for (_, site), summary in runs.items() if site == name)]

    lines = ["| ratio (same run) | sites | median | min–max |", "|---|---|---:|---:|"]
    for label, ours, theirs in RATIOS:
        for new in having("explorer_key_ms"):
            for old in having("material_first_result_ms"):
                if sites[new]["resources"] != sites[old]["resources"]:
                    continue
                values = [runs[(number, new)][ours] / runs[(number, old)][theirs]
                          for number in range(results["settings"]["runs"])
                          if (number, new) in runs and (number, old) in runs]
                lines.append(f"| {label} | {new} / {old} | {statistics.median(values):.2f} "
                             f"| {min(values):.2f}–{max(values):.2f} |")
    return "\n".join(lines)


# --- command line ------------------------------------------------------------------------------


def _sites(only: list[str] | None) -> list[Site]:
    found = [Site(path.parent, json.loads(path.read_text(encoding="utf-8")))
             for path in sorted(WORK.glob("*/site.json"))]
    return [site for site in found if not only or site.name in only]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare", help="make and build the synthetic sites (once)")
    p.add_argument("--resources", type=int, nargs="+", default=[10000, 1000])
    p.add_argument("--project", type=Path, default=ROOT,
                   help="a checkout with its own .venv (default: this one)")
    p.add_argument("--port", type=int, help="port the site is built for (default: derived)")
    p.add_argument("--synthetic", type=Path, metavar="FILE",
                   help="catalogue generator to use (default: the project's bench/synthetic.py)")
    p = sub.add_parser("run", help="measure every prepared site in one run")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--lang", nargs="+", default=["fr"], choices=["fr", "en"])
    p.add_argument("--only", nargs="+", metavar="SITE", help="e.g. current-10000 a1f6ea7-10000")
    p.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "explorer.json")
    p = sub.add_parser("table", help="print the tables of a run again")
    p.add_argument("results", type=Path, nargs="?",
                   default=ROOT / "bench" / "results" / "explorer.json")
    args = parser.parse_args()

    if args.command == "prepare":
        for resources in args.resources:
            print(prepare(args.project, resources, args.port, args.synthetic))
        return
    if args.command == "run":
        sites = _sites(args.only)
        if not sites:
            raise SystemExit(f"no prepared site in {WORK} (run 'prepare' first)")
        results = run(sites, args.runs, args.lang)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    else:
        results = json.loads(args.results.read_text(encoding="utf-8"))
    for lang in results["settings"]["langs"]:
        print(f"\n## {lang}: medians of {results['settings']['runs']} runs (min–max)\n")
        print(table(results, lang))
        print(f"\n## {lang}: ratios measured in the same run\n")
        print(ratio_table(results, lang))
    print("\n## Section pages: HTML bytes (gzip)\n")
    print(section_table(results))


if __name__ == "__main__":
    main()
