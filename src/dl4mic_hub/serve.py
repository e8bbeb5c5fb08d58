"""Live preview of one language, built again when the catalogue, templates or theme change.

dl4mic-hub watches those folders itself (watchdog) and needs nothing from the generator but
its build command, so every generator previews the same way. On a change it validates and
renders the catalogue again (only when a catalogue file, a template or ``mkdocs.yml``
changed), writes only the pages whose text changed, and runs the generator's build, showing
its progress lines, into a staging folder that replaces the served one when it succeeded. A
small local server serves the last good build and makes open pages reload after a new one.

A catalogue with errors, or a failed build, keeps the last good pages and prints the errors.
Everything is written under ``build/preview/<lang>/``, which is not watched: one edit gives one
build, never a loop of builds.
"""

from __future__ import annotations

import errno
import functools
import queue
import shutil
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .build import BaseConfig, choose_generator, read_base_config, repository_url, write_sources
from .build.folders import check_replaceable, mark, protected_folders
from .build.generators import Generator, run_generators
from .diagnostics import Diagnostic, Origin, UsageError, UserError, error
from .render import RenderedSite, render_site
from .validate import validate_catalogue

# Not build/serve/: the hook-based preview wrote unmarked folders there, which are not ours to
# replace.
PREVIEW_ROOT = Path("build/preview")
#: Seconds without a new event that end a burst of changes (an editor's save is several events).
QUIET = 0.3
RELOAD_COUNTER = "/__dl4mic-hub/build"
RELOAD_SCRIPT = "/__dl4mic-hub/reload.js"
# Same-origin script (a Content-Security-Policy may forbid inline ones): poll the build number
# and reload the page when it changes.
_RELOAD_JS = f"""(() => {{
  if (window.__dl4micReload) return;
  window.__dl4micReload = true;
  let seen = null;
  const poll = () => fetch("{RELOAD_COUNTER}", {{cache: "no-store"}})
    .then(r => r.text())
    .then(n => {{ if (seen === null) seen = n; else if (n !== seen) location.reload(); }})
    .catch(() => {{}})
    .finally(() => setTimeout(poll, 1000));
  poll();
}})();
"""
_WATCHED_EVENTS = {"created", "deleted", "modified", "moved"}  # not opened/closed: we read too


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


@dataclass
class Preview:
    """The state of a running preview: what is served, and how to build it again."""

    catalogue_dir: Path
    lang: str
    config_file: Path
    base_url: str
    generator: Generator
    folder: Path  # build/preview/<lang>: configuration, docs/, site/ (staging), live/ (served)
    say: Callable[[str], None] = _say
    base: BaseConfig | None = None
    rendered: RenderedSite | None = None
    builds: int = 0  # successful builds so far (open pages reload when it changes)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def live(self) -> Path:
        return self.folder / "live"

    def templates(self) -> Path:
        return Path(str(files("dl4mic_hub") / "templates"))

    def overrides(self) -> Path | None:
        return self.base.theme_dir() if self.base else None

    def watched(self) -> list[Path]:
        found = [self.catalogue_dir.resolve(), self.templates()]
        overrides = self.overrides()
        return [p for p in [*found, *([overrides] if overrides else [])] if p.is_dir()]

    def start(self) -> None:
        """Validate, render and build once; a problem here stops the command (exit 1)."""
        problems, _ = self._render()
        if problems:
            raise UserError(problems)
        problems = self._build()
        if problems:
            raise UserError(problems)

    def refresh(self, changed: Iterable[Path]) -> None:
        """Bring the served site up to date after ``changed`` files changed."""
        changed = {p.resolve() for p in changed}
        config = self.config_file.resolve()
        sources = [self.catalogue_dir.resolve(), self.templates()]
        must_render = config in changed or any(
            p.is_relative_to(s) for p in changed for s in sources)
        overrides = self.overrides()
        must_build = overrides is not None and any(
            p.is_relative_to(overrides.resolve()) for p in changed)
        try:
            if must_render:
                if config in changed:
                    self.base = read_base_config(self.config_file)
                problems, pages_changed = self._render()
                if problems:
                    self._show(problems, "the catalogue has errors: showing the last good pages")
                    return
                self.say(f"serve: {len(pages_changed)} generated page(s) changed" if pages_changed
                         else "serve: no page changed")
                must_build = must_build or bool(pages_changed)
            if must_build:
                problems = self._build()
                if problems:
                    self._show(problems, "the build failed: showing the last good pages")
        except UserError as exc:
            self._show(exc.diagnostics, "showing the last good pages")
        except Exception:  # a bug must not end the preview: show it, keep the last pages
            self.say(traceback.format_exc().rstrip())
            self.say("serve: internal error: showing the last good pages")

    def _render(self) -> tuple[list[Diagnostic], list[str]]:
        """Validate and render; write the pages that changed. Returns the problems (nothing
        is written then) and the files written."""
        if self.base is None:
            self.base = read_base_config(self.config_file)
        validation = validate_catalogue(self.catalogue_dir)
        if not validation.ok:
            return validation.diagnostics, []
        self.rendered = render_site(validation.catalogue, repo_url=repository_url(self.base),
                                    site_url=self.base_url,  # as the generator's canonical links
                                    links_from_source=self.generator.links_from_source,
                                    jobs=1)  # no fork beside the watcher's threads
        _, changed = write_sources(self.rendered, self.base, self.folder, self.base_url,
                                   (self.lang,))
        return [], changed

    def _build(self) -> list[Diagnostic]:
        """Run the generator into ``site/`` and swap it in as ``live/`` if it succeeded."""
        assert self.base is not None
        staging = self.folder / "site"
        shutil.rmtree(staging, ignore_errors=True)
        self.say(f"serve: building the {self.lang} site with {self.generator.name}")
        start = time.perf_counter()
        config = self.folder / f"mkdocs.{self.lang}.yml"
        (run,) = run_generators(self.generator, {self.lang: config}, strict=False, echo=self.say)
        problems = run.diagnostics(self.base.origin())
        if not run.ok:
            return problems
        for problem in problems:  # warnings: the pages are served all the same
            self.say(problem.format_text())
        with self.lock:
            old = self.folder / "old"
            shutil.rmtree(old, ignore_errors=True)
            if self.live.exists():
                self.live.rename(old)
            staging.rename(self.live)
            shutil.rmtree(old, ignore_errors=True)
            self.builds += 1
        self.say(f"serve: build {self.builds} done in {time.perf_counter() - start:.1f} s")
        return []

    def _show(self, problems: list[Diagnostic], what: str) -> None:
        for problem in problems:
            self.say(problem.format_text())
        self.say(f"serve: {what}")


class _PreviewHandler(SimpleHTTPRequestHandler):
    """Serves ``live/``; adds the reload script to HTML pages (the files are not changed)."""

    def __init__(self, *args: Any, preview: Preview, **kwargs: Any) -> None:
        self.preview = preview
        super().__init__(*args, directory=str(preview.live), **kwargs)

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/":
            self.send_response(302)
            self.send_header("Location", f"/{self.preview.lang}/")
            self.end_headers()
            return
        if path == RELOAD_COUNTER:
            return self._send(str(self.preview.builds).encode(), "text/plain")
        if path == RELOAD_SCRIPT:
            return self._send(_RELOAD_JS.encode(), "text/javascript")
        local = Path(self.translate_path(self.path))
        if local.is_dir() and path.endswith("/"):
            local = local / "index.html"
        if local.suffix == ".html" and local.is_file():
            html = local.read_text(encoding="utf-8", errors="replace")
            tag = f'<script src="{RELOAD_SCRIPT}"></script>'
            html = html.replace("</body>", tag + "</body>", 1) if "</body>" in html else html + tag
            return self._send(html.encode(), "text/html; charset=utf-8")
        super().do_GET()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the console shows builds, not requests


def _parse_address(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError([error(Origin("--dev-addr"), f"'{address}' is not HOST:PORT",
                                "for example 127.0.0.1:8000")])
    return host.strip("[]"), int(port)


def _watch(paths: list[Path], config_file: Path, events: queue.Queue[Path]) -> Any:
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    config = config_file.resolve()

    class Handler(FileSystemEventHandler):
        def __init__(self, only: Path | None = None) -> None:
            self.only = only

        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type not in _WATCHED_EVENTS:
                return
            if event.is_directory and event.event_type == "modified":
                return  # a file inside changed: that file has its own event
            for raw in (event.src_path, getattr(event, "dest_path", "")):
                if raw:
                    path = Path(raw if isinstance(raw, str) else raw.decode())
                    if self.only is None or path.resolve() == self.only:
                        events.put(path)

    observer = Observer()
    for path in paths:
        observer.schedule(Handler(), str(path), recursive=True)
    # mkdocs.yml's folder holds build/ too: watch that one file, not the folder below it.
    observer.schedule(Handler(config), str(config.parent), recursive=False)
    observer.start()
    return observer


def _collect(events: queue.Queue[Path], first_wait: float | None) -> set[Path]:
    """The paths of the next burst of events: wait up to ``first_wait`` seconds (forever if
    ``None``) for one, then take more until none comes for ``QUIET`` seconds."""
    found: set[Path] = set()
    deadline = None if first_wait is None else time.monotonic() + first_wait
    while not found:
        remaining = 1.0 if deadline is None else deadline - time.monotonic()
        if remaining <= 0:
            return found
        try:
            found.add(events.get(timeout=min(remaining, 1.0)))
        except queue.Empty:
            continue
    while True:
        try:
            found.add(events.get(timeout=QUIET))
        except queue.Empty:
            return found


def serve(
    catalogue_dir: Path,
    *,
    lang: str,
    config_file: Path,
    address: str,
    generator: str | None = None,
) -> None:
    host, port = _parse_address(address)
    base = read_base_config(config_file)
    chosen = choose_generator(generator, base.extra(), base.origin("extra"))
    folder = (PREVIEW_ROOT / lang).resolve()
    preview = Preview(catalogue_dir, lang, config_file, f"http://{address}/", chosen, folder,
                      base=base)
    try:  # the address first: a busy port is known before anything is built
        server = ThreadingHTTPServer((host, port),
                                     functools.partial(_PreviewHandler, preview=preview))
    except OSError as exc:
        # a busy port is the usual cause; then an address this machine does not have, or a
        # port below 1024, which only the administrator may open
        if exc.errno == errno.EADDRNOTAVAIL:
            hint = f"use an address of this machine, e.g. --dev-addr 127.0.0.1:{port}"
        elif exc.errno == errno.EACCES and port < 1024:
            hint = (f"ports below 1024 need administrator rights: choose e.g. "
                    f"--dev-addr {host}:8000")
        else:
            hint = f"choose another port, e.g. --dev-addr {host}:{port + 1}"
        raise UsageError([error(Origin("--dev-addr"), f"cannot serve on {address}: "
                                f"{exc.strerror or exc}", hint)]) from None
    try:
        check_replaceable(folder, "the preview folder",
                          protected_folders(base.folder, catalogue_dir, base.theme_dir()))
        folder.mkdir(parents=True, exist_ok=True)
        mark(folder)
        preview.start()
    except BaseException:
        server.server_close()
        raise
    threading.Thread(target=server.serve_forever, daemon=True).start()
    events: queue.Queue[Path] = queue.Queue()
    observer = _watch(preview.watched(), config_file, events)
    watched = ", ".join(str(p) for p in preview.watched())
    _say(f"serving the {lang} site at {preview.base_url}{lang}/ (Ctrl+C to stop); "
         f"watching {watched} and {config_file}")
    try:
        while True:
            # Idle only once no event came for a while: our own writes never count as edits.
            changed = _collect(events, QUIET)
            if not changed:
                _say("serve: waiting for changes")
                changed = _collect(events, None)
            preview.refresh(changed)
    finally:
        observer.stop()
        observer.join(timeout=5)
        server.shutdown()
        server.server_close()
