"""Stage 5, check: are the catalogue's external links alive? (``dl4mic-hub check-links``)

- ``stage``: the stage as one call, :func:`check_links` (settings in, report out);
- ``targets``: the URLs to check and where each is written (catalogue, list, ``--since``);
- ``urls``: what a URL must look like to be requested; credentials masked;
- ``addresses``: which network addresses may be contacted (private ones are refused);
- ``transport``: one HTTP request to a checked address, within a wall-clock limit;
- ``engine``: verdicts and politeness (per-host caps, pauses, retries);
- ``rules``: host rules read from ``catalogue/linkcheck.yml``;
- ``cache``: ok results kept between runs;
- ``report``: text, JSON, Markdown and GitHub annotation reports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .stage import CheckOutcome, CheckSettings, check_links

__all__ = ["CheckOutcome", "CheckSettings", "check_links"]


def __getattr__(name: str) -> Any:
    # The stage (and requests under it) loads on first use: validate reads the host rules
    # (check.rules) for every run and must not pay for the network code it never uses.
    if name in __all__:
        from . import stage

        return getattr(stage, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
