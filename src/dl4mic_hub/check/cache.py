"""Results kept between runs: only ``ok`` answers, so a failure is checked again every run.

The file is JSON keyed by URL, written atomically (a temporary file, then a rename) so that an
interrupted run never leaves a truncated cache behind. CI restores it with ``actions/cache``.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from ..files import write_atomically
from .engine import Result

CACHE_VERSION = 1
# How every cache file starts (json.dumps with indent=1 and sorted keys, see Cache.save).
_CACHE_START = '{\n "entries": '
DEFAULT_MAX_AGE = 3 * 86400.0
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_age(text: str) -> float:
    """``90s``, ``30m``, ``12h``, ``3d``, ``1w``; a bare number is days. Raises ValueError."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", text)
    if not match:
        raise ValueError(f"'{text}' is not a duration")
    return float(match.group(1)) * _UNITS[match.group(2) or "d"]


def _redirects(value: object) -> list[tuple[int, str]]:
    """A cached redirect chain, read as untrusted as the rest of the file: pairs of an HTTP
    status and an address, or nothing."""
    if not isinstance(value, list):
        return []
    chain = [(hop[0], hop[1]) for hop in value
             if isinstance(hop, list) and len(hop) == 2 and isinstance(hop[0], int)
             and not isinstance(hop[0], bool) and isinstance(hop[1], str)]
    return chain if len(chain) == len(value) else []


def is_a_cache(text: str) -> bool:
    """Whether ``text`` is a cache file of this command: ``--cache`` replaces such a file
    after the run, and refuses any other, which the cache would destroy. Known by the start
    :meth:`Cache.save` always writes, so a damaged cache is still one (it is read as empty);
    or, written another way (by hand, by a script), by what it holds."""
    if text.startswith(_CACHE_START):
        return True
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and "version" in data and "entries" in data


class Cache:
    def __init__(self, path: Path | None, max_age: float = DEFAULT_MAX_AGE) -> None:
        self.path = path
        self.max_age = max_age
        self.entries: dict[str, dict[str, object]] = {}
        self.problem: str | None = None  # why an existing file could not be used
        self.save_problem: str | None = None  # why the results could not be kept
        if path is not None and path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("version") == CACHE_VERSION and isinstance(data.get("entries"), dict):
                    self.entries = data["entries"]
                else:
                    self.problem = "unknown cache format; starting afresh"
            except (OSError, ValueError, AttributeError) as exc:
                self.problem = f"unreadable cache ({exc}); starting afresh"

    def get(self, url: str, now: float | None = None) -> Result | None:
        entry = self.entries.get(url)
        now = time.time() if now is None else now
        checked = self._fresh_since(entry, now)
        if not isinstance(entry, dict) or checked is None:
            return None
        status = entry.get("status")
        final_url = entry.get("final_url")
        return Result(
            url,
            "ok",
            str(entry.get("reason") or "ok"),
            status=status if isinstance(status, int) else None,
            final_url=final_url if isinstance(final_url, str) else None,
            redirects=_redirects(entry.get("redirects")),
            note=str(entry.get("note") or ""),
            cached=True,
            checked_at=checked,
        )

    def _fresh_since(self, entry: object, now: float) -> float | None:
        """When ``entry`` was checked, if that is recent enough to trust; None otherwise.
        The file is read as it is: NaN, or a time to come (a wrong clock), is never fresh,
        or it would stay fresh (and kept) for ever. Times are stored rounded to the
        millisecond, so a result saved at once may seem a little ahead: a second is allowed."""
        checked = entry.get("checked_at") if isinstance(entry, dict) else None
        if not isinstance(checked, int | float) or not -1 <= now - checked <= self.max_age:
            return None
        return float(checked)

    def update(self, results: dict[str, Result]) -> None:
        for url, result in results.items():
            if result.cached:
                continue
            # Only what a server said is worth keeping: a host rule decides afresh each run.
            if result.verdict == "ok" and result.basis == "request":
                self.entries[url] = {
                    "checked_at": round(result.checked_at, 3),
                    "status": result.status,
                    "final_url": result.final_url,
                    "reason": result.reason,
                    "note": result.note,
                    # the report's chain, as the reason says "after 1 redirect(s)"
                    "redirects": [[hop_status, hop] for hop_status, hop in result.redirects],
                }
            else:
                self.entries.pop(url, None)  # a failure is never served from the cache

    def save(self) -> None:
        if self.path is None:
            return
        now = time.time()
        keep = {url: entry for url, entry in self.entries.items()
                if self._fresh_since(entry, now) is not None}
        try:  # the run's report matters more than the cache: a failure here is a warning
            write_atomically(
                self.path,
                json.dumps({"version": CACHE_VERSION, "entries": keep}, indent=1, sort_keys=True),
            )
        except OSError as exc:
            self.save_problem = f"the cache was not written ({exc.strerror or exc})"
