"""Stage 5, check: are the catalogue's external links alive?

Collects the URLs to check (every URL of the validated catalogue, a plain list, or only the
URLs added since a git revision), reuses fresh ``ok`` results from the cache, checks the rest
with :mod:`dl4mic_hub.check.engine`, and builds a report that points at the YAML
``file:line:col`` where each URL is written. Only ``broken`` links fail a run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import requests

from ..diagnostics import Diagnostic, Origin, display_path, error
from .cache import Cache
from .engine import Checker, Options, Result
from .report import Report, sort_results
from .rules import HostRules

WAYBACK_API = "https://archive.org/wayback/available"


class CheckError(Exception):
    """A usage or configuration problem (exit code 2), with diagnostics to print."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.format_text() for d in diagnostics))
        self.diagnostics = diagnostics


@dataclass
class Targets:
    """URLs to check, in first-seen order, with every place each one is written."""

    origins: dict[str, list[Origin]] = field(default_factory=dict)

    def add(self, url: str, origin: Origin) -> None:
        self.origins.setdefault(url, []).append(origin)

    @property
    def urls(self) -> list[str]:
        return list(self.origins)


def catalogue_targets(root: Path) -> Targets:
    """Every URL of a valid catalogue; an invalid catalogue is a CheckError (validate first)."""
    from ..validate import validate_catalogue

    result = validate_catalogue(root)
    if not result.ok:
        errors = [d for d in result.diagnostics if d.severity.value == "error"]
        raise CheckError(
            [
                *errors,
                error(
                    Origin(display_path(root)),
                    f"the catalogue has {len(errors)} error(s); links were not checked",
                    "fix them first ('dl4mic-hub validate' lists them)",
                ),
            ]
        )
    targets = Targets()
    for url, origin, _entry in result.catalogue.urls():
        targets.add(url, origin)
    return targets


def file_targets(path: Path) -> Targets:
    """A plain list, one URL a line; blank lines and lines starting with # are ignored."""
    display = "<stdin>" if str(path) == "-" else display_path(path)
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CheckError(
            [
                error(
                    Origin(display),
                    f"cannot read the URL list: {exc}",
                    "pass a UTF-8 text file with one URL a line",
                )
            ]
        ) from None
    targets = Targets()
    problems: list[Diagnostic] = []
    for number, line in enumerate(text.splitlines(), start=1):
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        if not url.startswith(("http://", "https://")):
            problems.append(
                error(
                    Origin(display, number, 1),
                    f"not an http(s) URL: '{url}'",
                    "write one full address a line, starting with https://",
                )
            )
            continue
        targets.add(url, Origin(display, number, line.index(url) + 1))
    if problems:
        raise CheckError(problems)
    return targets


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)


def urls_at_revision(root: Path, revision: str) -> set[str]:
    """The URLs the catalogue at ``root`` held at a git revision (none if it did not exist)."""
    from ..model import read_catalogue

    root = root.resolve()
    top = _git(["rev-parse", "--show-toplevel"], root)
    if top.returncode != 0:
        raise CheckError(
            [
                error(
                    Origin(display_path(root)),
                    "--since needs the catalogue to be in a git repository",
                    "run it from a clone of the project",
                )
            ]
        )
    if _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], root).returncode != 0:
        raise CheckError(
            [
                error(
                    Origin("--since"),
                    f"'{revision}' is not a known git revision",
                    "fetch it first (e.g. git fetch origin main) or name a commit, branch or tag",
                )
            ]
        )
    top_dir = Path(top.stdout.decode().strip()).resolve()
    rel = root.relative_to(top_dir).as_posix()
    if _git(["cat-file", "-e", f"{revision}:{rel}"], root).returncode != 0:
        return set()  # the catalogue did not exist yet: every URL is new
    archive = _git(["archive", "--format=tar", revision, "--", rel], top_dir)
    if archive.returncode != 0:
        raise CheckError(
            [error(Origin("--since"), f"git archive failed: {archive.stderr.decode().strip()}")]
        )
    with tempfile.TemporaryDirectory(prefix="dl4mic-since-") as tmp:
        tar_path = Path(tmp) / "old.tar"
        tar_path.write_bytes(archive.stdout)
        with tarfile.open(tar_path) as tar:
            tar.extractall(Path(tmp) / "old", filter="data")
        old, _loaded = read_catalogue(Path(tmp) / "old" / rel)
        return {url for url, _origin, _entry in old.urls()}


def suggest_archive(result: Result, api: str, timeout: float) -> str | None:
    """The closest Wayback Machine snapshot of a broken URL, if the API knows one."""
    try:
        response = requests.get(
            f"{api}?url={quote(result.url, safe='')}",
            timeout=timeout,
            headers={"User-Agent": Options().user_agent},
        )
        data = response.json() if response.ok else {}
    except (requests.RequestException, ValueError):
        return None
    closest = (data.get("archived_snapshots") or {}).get("closest") or {}
    url = closest.get("url")
    if closest.get("available") and isinstance(url, str):
        return url
    return None


def run_check(
    targets: Targets,
    options: Options,
    rules: HostRules,
    cache: Cache,
    *,
    archive_api: str | None = None,
    progress: Callable[[int], Callable[[Result], None] | None] | None = None,
) -> Report:
    """Check ``targets``: cached ok results are reused, everything else is requested."""
    start = time.monotonic()
    results: dict[str, Result] = {}
    todo: list[str] = []
    for url in targets.urls:
        cached = cache.get(url)
        if cached is not None:
            results[url] = cached
        else:
            todo.append(url)
    checker = Checker(options, rules)
    on_result = progress(len(todo)) if progress else None
    results.update(checker.run(todo, on_result))
    cache.update(results)
    cache.save()
    if archive_api:
        for result in results.values():
            if result.verdict == "broken":
                result.archive = suggest_archive(result, archive_api, options.timeout)
    ordered = sort_results(list(results.values()), targets.urls)
    return Report(
        ordered, targets.origins, time.monotonic() - start, checker.observed_max_in_flight()
    )


def in_ci() -> bool:
    return bool(os.environ.get("CI")) or bool(os.environ.get("GITHUB_ACTIONS"))


def progress_bar(enabled: bool) -> Callable[[int], Callable[[Result], None] | None]:
    """A tqdm bar on stderr, only on a terminal outside CI (a bar in a CI log is noise)."""

    def make(total: int) -> Callable[[Result], None] | None:
        if not enabled or total == 0 or in_ci() or not sys.stderr.isatty():
            return None
        from tqdm import tqdm

        bar = tqdm(total=total, file=sys.stderr, unit="URL", leave=False, dynamic_ncols=True)

        def tick(result: Result) -> None:
            bar.update(1)
            if bar.n >= total:
                bar.close()

        return tick

    return make
