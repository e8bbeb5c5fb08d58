"""What the link checker knows, made visible to readers: "link checked on DATE", or a notice
for a link that has been broken for a while (with an archived copy when one is known).

Input: the JSON report of ``dl4mic-hub check-links --format json`` (its ``results``: url,
verdict, reason, checked_at, archive...). Sites fail transiently, so one report never marks a
link as broken: a small history (the last report's state plus a counter of consecutive broken
runs per URL) is kept between runs, and a link is shown as broken only after
:data:`BROKEN_AFTER_RUNS` consecutive broken checks spanning at least :data:`BROKEN_AFTER_DAYS`
days. Without a report (local builds) there is no :class:`LinkHealth` and the pages say nothing
about links.

Only our own code writes the history; it is read as untrusted input all the same (it lives in
a CI cache): a link of it that is not what we write is dropped. A file that is not a history
at all is refused rather than replaced: the path may be a mistake (the build would overwrite
someone's file), and a damaged history would silently lose every broken-run count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Container, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Origin, UsageError, display_path, error
from .files import write_atomically
from .text import iso_date

BROKEN_AFTER_RUNS = 3
BROKEN_AFTER_DAYS = 2
HISTORY_VERSION = 1
VERDICTS = ("ok", "warn", "broken")
REPORT_ENV = "DL4MIC_LINK_REPORT"
HISTORY_ENV = "DL4MIC_LINK_HISTORY"


@dataclass(frozen=True)
class LinkState:
    """One URL as the checks have seen it so far."""

    url: str
    verdict: str  # of the latest check: ok | warn | broken
    reason: str
    checked: str  # date of the latest check (YYYY-MM-DD, UTC)
    last_ok: str | None = None  # date it last answered well
    broken_runs: int = 0  # consecutive checks that found it broken (a warn neither adds nor resets)
    broken_since: str | None = None  # date of the first of those checks
    archive: str | None = None  # an archived copy (Wayback Machine), when the checker found one
    status: int | None = None  # of the latest check: the HTTP status, or
    cause: str = ""  # why there was no answer (pages say it in words: PageContext.link_problem)

    @property
    def persistently_broken(self) -> bool:
        """Broken on enough consecutive runs, over enough days, to tell readers."""
        if self.broken_runs < BROKEN_AFTER_RUNS or self.broken_since is None:
            return False
        return _days(self.broken_since, self.checked) >= BROKEN_AFTER_DAYS

    @property
    def suspect(self) -> bool:
        """Failing, but not (yet) for long enough to be shown as broken on entry pages."""
        return self.verdict != "ok" and not self.persistently_broken


@dataclass(frozen=True)
class EntryLinks:
    """What an entry page says about its links."""

    checked: str | None  # the main link answered well on this date
    broken: list[LinkState]  # its links broken for a while, main link first


@dataclass
class LinkHealth:
    """Every checked URL's state after the latest run."""

    links: dict[str, LinkState]
    runs: int = 1
    report_digest: str = ""  # the report this state includes (the same one never counts twice)

    @property
    def checked(self) -> str | None:
        """Date of the latest check of any link."""
        return max((s.checked for s in self.links.values()), default=None)

    def state(self, url: str | None) -> LinkState | None:
        return self.links.get(url.strip()) if url else None

    def for_entry(self, main_url: str | None, other_urls: Iterable[str]) -> EntryLinks:
        main = self.state(main_url)
        checked = main.last_ok if main is not None and not main.persistently_broken else None
        broken: list[LinkState] = []
        for url in [main_url, *other_urls]:
            state = self.state(url)
            if state is not None and state.persistently_broken and state not in broken:
                broken.append(state)
        return EntryLinks(checked, broken)

    def only(self, urls: Container[str]) -> LinkHealth:
        """The state of these URLs alone: a report older than the catalogue holds addresses
        no entry has any more, which a page about the catalogue's links must not count."""
        return LinkHealth({url: state for url, state in self.links.items() if url in urls},
                          self.runs, self.report_digest)

    def broken(self) -> list[LinkState]:
        return sorted((s for s in self.links.values() if s.persistently_broken),
                      key=lambda s: s.url)

    def suspect(self) -> list[LinkState]:
        return sorted((s for s in self.links.values() if s.suspect), key=lambda s: s.url)

    def to_json(self) -> str:
        data = {
            "version": HISTORY_VERSION,
            "runs": self.runs,
            "report_digest": self.report_digest,
            "links": {url: asdict(state) for url, state in sorted(self.links.items())},
        }
        return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


@dataclass(frozen=True)
class CheckResult:
    """The part of one result of a check-links JSON report that readers are told about."""

    url: str
    verdict: str
    reason: str
    checked: str
    archive: str | None = None
    status: int | None = None  # the HTTP status, when the server answered
    cause: str = ""  # why there was no answer (the checker's code), when it did not


@dataclass(frozen=True)
class LinkReport:
    results: list[CheckResult] = field(default_factory=list)
    digest: str = ""


def _days(start: str, end: str) -> int:
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days


def _archive_url(value: object) -> str | None:
    """An archived copy's address, when it is one readers may be sent to (https only)."""
    return value if isinstance(value, str) and value.startswith("https://") else None


def _date(epoch: object) -> str | None:
    if isinstance(epoch, bool) or not isinstance(epoch, (int, float)) or epoch <= 0:
        return None
    try:
        return dt.datetime.fromtimestamp(epoch, tz=dt.timezone.utc).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def parse_report(text: str, display: str) -> LinkReport:
    """A check-links JSON report; anything else is a :class:`UsageError` naming the file."""

    def bad(message: str, line: int = 1, column: int = 1) -> UsageError:
        return UsageError([error(
            Origin(display, line, column), message,
            "pass the file written by 'dl4mic-hub check-links --format json --output FILE'",
        )])

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise bad(f"not a JSON link report ({exc.msg})", exc.lineno, exc.colno) from None
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise bad("not a link report: no 'results' list")
    results: list[CheckResult] = []
    for number, item in enumerate(data["results"]):
        if not isinstance(item, dict):
            raise bad(f"results[{number}] is not an object")
        url, verdict = item.get("url"), item.get("verdict")
        if not isinstance(url, str) or verdict not in VERDICTS:
            raise bad(f"results[{number}] has no url or an unknown verdict")
        checked = _date(item.get("checked_at"))
        if checked is None:
            raise bad(f"results[{number}] ({url}) has no valid 'checked_at'")
        results.append(CheckResult(
            url=url.strip(),
            verdict=str(verdict),
            reason=str(item.get("reason") or ""),
            checked=checked,
            archive=_archive_url(item.get("archive")),
            status=_status(item.get("status")),
            cause=_cause(item.get("cause")),
        ))
    return LinkReport(results, hashlib.sha256(text.encode("utf-8")).hexdigest())


def read_report(path: Path) -> LinkReport:
    display = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError([error(
            Origin(display), f"cannot read the link report: {exc}",
            "run 'dl4mic-hub check-links --format json --output FILE' first, or leave out "
            f"--link-report (and {REPORT_ENV})",
        )]) from None
    return parse_report(text, display)


def _state_from_json(url: str, data: Any) -> LinkState | None:
    """One link of a history, or None when a value is not what :meth:`LinkHealth.to_json`
    writes (dates as YYYY-MM-DD text, a count, an https archive): that link starts afresh."""
    if not isinstance(data, dict):
        return None
    checked = iso_date(data.get("checked"))
    last_ok, since = data.get("last_ok"), data.get("broken_since")
    verdict, reason = data.get("verdict"), data.get("reason", "")
    runs, archive = data.get("broken_runs", 0), data.get("archive")
    if checked is None or not (
        all(date is None or iso_date(date) is not None for date in (last_ok, since))
        and verdict in VERDICTS
        and isinstance(reason, str)
        and isinstance(runs, int) and not isinstance(runs, bool) and runs >= 0
        and (archive is None or _archive_url(archive) is not None)
    ):
        return None
    return LinkState(url=url, verdict=str(verdict), reason=reason, checked=checked,
                     last_ok=last_ok, broken_runs=runs, broken_since=since, archive=archive,
                     status=_status(data.get("status")), cause=_cause(data.get("cause")))


def _status(value: Any) -> int | None:
    """An HTTP status of a report or history (older ones have none): a number or None."""
    ok = isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 599
    return value if ok else None


def _cause(value: Any) -> str:
    """The checker's code for a request without an answer: a short word, or ''."""
    return value if isinstance(value, str) and re.fullmatch(r"[a-z]{1,20}", value) else ""


def parse_history(text: str) -> LinkHealth | None:
    """A history written by :meth:`LinkHealth.to_json`, or None if it is not one."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict) or data.get("version") != HISTORY_VERSION:
        return None
    raw = data.get("links")
    if not isinstance(raw, dict):
        return None
    links = {}
    for url, item in raw.items():
        state = _state_from_json(str(url), item)
        if state is not None:
            links[state.url] = state
    runs = data.get("runs")
    digest = data.get("report_digest")
    return LinkHealth(
        links,
        runs if isinstance(runs, int) and not isinstance(runs, bool) and runs > 0 else 1,
        digest if isinstance(digest, str) else "",
    )


def advance(previous: LinkHealth | None, report: LinkReport) -> LinkHealth:
    """The state after ``report``, given the state before it (None: the first run).

    URLs the report does not hold are dropped (the history stays as small as the catalogue).
    The same report applied twice counts once.
    """
    if previous is not None and report.digest and previous.report_digest == report.digest:
        return previous
    links: dict[str, LinkState] = {}
    for result in report.results:
        before = previous.links.get(result.url) if previous is not None else None
        last_ok = before.last_ok if before else None
        runs = before.broken_runs if before else 0
        since = before.broken_since if before else None
        if result.verdict == "ok":
            last_ok, runs, since = result.checked, 0, None
        elif result.verdict == "broken":
            runs, since = runs + 1, since if runs else result.checked
        links[result.url] = LinkState(
            url=result.url,
            verdict=result.verdict,
            reason=result.reason,
            checked=result.checked,
            last_ok=last_ok,
            broken_runs=runs,
            broken_since=since,
            archive=result.archive or (before.archive if before else None),
            status=result.status,
            cause=result.cause,
        )
    runs_count = previous.runs + 1 if previous is not None else 1
    return LinkHealth(links, runs_count, report.digest)


def load_link_health(report_path: Path, history_path: Path | None) -> LinkHealth:
    """The state after the report at ``report_path``, counted on top of the history at
    ``history_path`` when there is one (a missing one starts a new history). Raises
    :class:`UsageError` for a file there that is not a history: the build would replace it."""
    report = read_report(report_path)
    if history_path is None or not (history_path.exists() or history_path.is_symlink()):
        return advance(None, report)
    try:
        text = history_path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise _not_a_history(history_path, "it is not text") from None
    except OSError as exc:
        why = f"it cannot be read: {(exc.strerror or str(exc)).lower()}"
        raise _not_a_history(history_path, why) from None
    if not text.strip():  # an empty file (touched, a fresh cache): nothing to lose
        return advance(None, report)
    previous = parse_history(text)
    if previous is None:
        raise _not_a_history(history_path, "it is not a link history written by dl4mic-hub build")
    return advance(previous, report)


def _not_a_history(path: Path, why: str) -> UsageError:
    return UsageError([error(
        Origin(display_path(path)),
        f"--link-history (or ${HISTORY_ENV}): {why}, and the build would replace it",
        "give the history of earlier builds or a new file's path; if this is a damaged "
        "history, delete it to start a new one, where broken links count from zero",
    )])


def write_history(health: LinkHealth, path: Path) -> None:
    """Replace the history file in one step (a crash never leaves half a file)."""
    write_atomically(path, health.to_json())
