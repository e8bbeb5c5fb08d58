"""The check stage as one call, :func:`check_links`: settings in, a report out.

Reads the host rules, collects the URLs to check (the catalogue, a list, or only what changed
since a git revision), reuses fresh ``ok`` results from the cache, checks the rest with
:mod:`.engine`, and returns a report that points at the YAML ``file:line:col`` where each URL
is written. Problems that stop the run are raised: :class:`UsageError` (exit 2) for options,
files and revisions, :class:`UserError` (exit 1) for an invalid catalogue.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import requests

from ..diagnostics import Diagnostic, Origin, UsageError, display_path, error, warning
from ..hostrules import RULES_FILE, HostRules
from ..validate import load_host_rules
from .cache import Cache, parse_age
from .engine import Checker, Options, Result
from .report import Report, sort_results
from .targets import (
    Targets,
    catalogue_at_revision,
    catalogue_targets,
    catalogue_urls,
    file_targets,
    valid_catalogue,
)

WAYBACK_API = "https://archive.org/wayback/available"
DEFAULT_CACHE = Path(".cache/linkcheck.json")

Progress = Callable[[int], Callable[[Result], None] | None]


@dataclass
class CheckSettings:
    """What to check and how; the CLI maps its options onto these fields."""

    catalogue: Path = Path("catalogue")
    urls_file: Path | None = None  # check this list instead of the catalogue ("-": stdin)
    since: str | None = None  # only URLs added since this git revision
    rules_file: Path | None = None  # default: <catalogue>/linkcheck.yml when it exists
    use_rules: bool = True
    cache_file: Path | None = DEFAULT_CACHE  # None: neither read nor write a cache
    max_age: str = "3d"
    options: Options = field(default_factory=Options)
    suggest_archive: bool = False  # ask the Wayback Machine about broken links
    archive_api: str = WAYBACK_API
    progress: bool = True  # a progress bar, on a terminal outside CI


@dataclass
class CheckOutcome:
    report: Report
    diagnostics: list[Diagnostic]  # warnings and notes about the run, printed before the report


def check_links(settings: CheckSettings) -> CheckOutcome:
    """Check the links ``settings`` name. Raises UsageError or UserError (see the module)."""
    _check_options(settings.options)
    max_age = _max_age(settings.max_age)
    diagnostics: list[Diagnostic] = []
    if settings.urls_file is not None:
        targets = file_targets(settings.urls_file)
        rules, rules_path = _host_rules(settings)
    else:
        validated = valid_catalogue(settings.catalogue)
        targets = catalogue_targets(validated.catalogue)
        rules, rules_path = _host_rules(settings, validated.host_rules)
    if settings.since:
        with catalogue_at_revision(settings.catalogue, settings.since) as old:
            targets = targets.without(catalogue_urls(old))
            diagnostics += _withhold_new_private_grants(rules, rules_path, old, settings)
    elif settings.urls_file is None:
        diagnostics += rules.unused(targets.urls)
    cache = Cache(settings.cache_file, max_age)
    if cache.problem and settings.cache_file is not None:
        diagnostics.append(warning(Origin(display_path(settings.cache_file)), cache.problem))
    report = run_check(
        targets,
        settings.options,
        rules,
        cache,
        archive_api=settings.archive_api if settings.suggest_archive else None,
        progress=progress_bar(settings.progress),
    )
    if cache.save_problem and settings.cache_file is not None:
        diagnostics.append(warning(Origin(display_path(settings.cache_file)), cache.save_problem,
                                   "the next run checks every link again; give --cache a "
                                   "writable path"))
    return CheckOutcome(report, diagnostics)


def _usage(message: str, hint: str = "", where: str = "check-links") -> UsageError:
    return UsageError([error(Origin(where), message, hint)])


# The longest wait any option may ask for: a day. Beyond, a value is a slip (a "nan" or an
# "inf" from a script made every URL a warning in no time, or waited for ever on a server
# asking to wait; 1e300 made every request an internal error).
LONGEST_WAIT = 86400.0
# Each retry doubles its pause (--backoff), and pauses do not count against --deadline: 10
# retries already wait about 17 minutes (backoff 1 s); beyond, a URL could hold a run for days.
MOST_RETRIES = 10


def _check_options(options: Options) -> None:
    for name in ("concurrency", "per_host", "retries", "max_redirects"):
        value = getattr(options, name)
        fewest = 0 if name in ("retries", "max_redirects") else 1
        if value < fewest:
            option = f"--{name.replace('_', '-')}"
            raise _usage(f"{option} must be at least {fewest}, not {value}",
                         f"the default is {getattr(Options(), name)}", where=option)
    if options.retries > MOST_RETRIES:
        raise _usage(f"--retries must be at most {MOST_RETRIES}, not {options.retries}",
                     f"the default is {Options().retries}; each retry waits twice as long as "
                     "the one before", where="--retries")
    for name in ("timeout", "connect_timeout", "deadline", "backoff", "retry_after_cap"):
        value = getattr(options, name)
        least = 0.0 if name == "retry_after_cap" else math.ulp(0.0)  # a cap of 0: never wait
        if value is not None and not least <= value <= LONGEST_WAIT:  # NaN fails both
            option = f"--{name.replace('_', '-')}"
            lower = "at least 0" if least == 0 else "more than 0"
            default = getattr(Options(), name)
            raise _usage(f"{option} must be a number of seconds, {lower} and at most "
                         f"{LONGEST_WAIT:.0f} (a day), not {value}",
                         f"the default is {default:g}" if default is not None
                         else "leave it out: twice --timeout", where=option)
    # after each value's own range (--backoff inf is out of range, not an "inf s" pause)
    pauses = options.backoff * (2 ** options.retries - 1)  # the longest retries may wait
    if pauses > LONGEST_WAIT:
        defaults = Options()
        raise _usage(f"--backoff {options.backoff:g} with --retries {options.retries} could "
                     f"pause one URL for {pauses:.0f} s, more than {LONGEST_WAIT:.0f} (a day)",
                     f"lower --backoff or --retries (defaults: {defaults.backoff:g} s and "
                     f"{defaults.retries})", where="--backoff")


def _max_age(text: str) -> float:
    try:
        return parse_age(text)
    except ValueError:
        raise _usage(f"--max-age must be a duration, not '{text}'",
                     "write e.g. 3d, 12h, 30m or 90s; a bare number is days; the default is "
                     f"{CheckSettings.max_age}", where="--max-age") from None


def _host_rules(settings: CheckSettings,
                read_by_validate: HostRules | None = None) -> tuple[HostRules, Path | None]:
    """The host rules to apply and the file they come from (none without a file). The
    catalogue's own file was already read and checked when the catalogue was validated
    (``read_by_validate``); any other is read here."""
    path = settings.rules_file or settings.catalogue / RULES_FILE
    if not settings.use_rules or (settings.rules_file is None and not path.is_file()):
        return HostRules(), None
    if settings.rules_file is None and read_by_validate is not None:
        return read_by_validate, path
    rules, problems = load_host_rules(path, display_path(path))
    if problems:
        raise UsageError(problems)
    return rules, path


def _withhold_new_private_grants(
    rules: HostRules, rules_path: Path | None, old_root: Path | None, settings: CheckSettings
) -> list[Diagnostic]:
    """A change (pull request) cannot let itself reach private addresses: when checking
    what changed since a revision, ``allow_private`` only counts for rules that already had
    it at that revision. A rules file outside the catalogue is not part of the change."""
    granted = [rule for rule in rules.rules if rule.allow_private]
    if not granted or rules_path is None:
        return []
    try:
        relative = rules_path.resolve().relative_to(settings.catalogue.resolve())
    except ValueError:
        return []
    old_file = old_root / relative if old_root is not None else None
    old_rules = load_host_rules(old_file)[0] if old_file and old_file.is_file() else None
    before = {rule.label for rule in (old_rules.rules if old_rules else []) if rule.allow_private}
    withheld: list[Diagnostic] = []
    for rule in granted:
        if rule.label not in before:
            rule.allow_private = False
            withheld.append(
                warning(
                    rule.origin,
                    f"allow_private for {rule.label} is new since {settings.since}: not "
                    "honoured when checking a change",
                    "private addresses are contacted once a maintainer has merged the rule",
                )
            )
    return withheld


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
    progress: Progress | None = None,
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
            if result.verdict == "broken" and result.basis == "request":
                result.archive = suggest_archive(result, archive_api, options.timeout)
    ordered = sort_results(list(results.values()), targets.urls)
    return Report(
        ordered, targets.origins, time.monotonic() - start, checker.observed_max_in_flight()
    )


def in_ci() -> bool:
    return bool(os.environ.get("CI")) or bool(os.environ.get("GITHUB_ACTIONS"))


def progress_bar(enabled: bool) -> Progress:
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
