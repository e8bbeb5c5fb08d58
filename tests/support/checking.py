"""Shortcuts for the link checker's tests: short timeouts, one call per URL."""

from __future__ import annotations

from dl4mic_hub.check.engine import Checker, Options, Result
from dl4mic_hub.hostrules import HostRules

# Short timeouts and backoffs so that each file runs in seconds. The fake web lives on
# loopback addresses, which the checker refuses unless they are allowed.
FAST: dict[str, float | bool] = {
    "timeout": 0.5,
    "connect_timeout": 0.5,
    "backoff": 0.05,
    "retry_after_cap": 5.0,
    "allow_private": True,
}


def check(url: str, rules: HostRules | None = None, **options: float | bool) -> Result:
    """The result of checking one URL with the FAST options (overridden by ``options``)."""
    return Checker(Options(**{**FAST, **options}), rules).run([url])[url]
