"""Stage 5, check: are the catalogue's external links alive? (``dl4mic-hub check-links``)

- ``stage``: the stage as one call, :func:`check_links` (settings in, report out);
- ``targets``: the URLs to check and where each is written (catalogue, list, ``--since``);
- ``urls``: what a URL must look like to be requested; credentials masked;
- ``addresses``: which network addresses may be contacted (private ones are refused);
- ``transport``: one HTTP request to a checked address, within a wall-clock limit;
- ``engine``: verdicts and politeness (per-host caps, pauses, retries), following the host
  rules of ``catalogue/linkcheck.yml`` (read by ``validate``: ``dl4mic_hub.hostrules``);
- ``cache``: ok results kept between runs;
- ``report``: text, JSON, Markdown and GitHub annotation reports.
"""

from __future__ import annotations

from .stage import CheckOutcome, CheckSettings, check_links

__all__ = ["CheckOutcome", "CheckSettings", "check_links"]
