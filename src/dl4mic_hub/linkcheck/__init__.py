"""The link checker behind ``dl4mic-hub check-links`` (the ``check`` stage is ``dl4mic_hub.check``).

- ``engine``: requests, verdicts, politeness (per-host caps, pauses, retries);
- ``rules``: host rules read from ``catalogue/linkcheck.yml``;
- ``cache``: ok results kept between runs;
- ``report``: text, JSON, Markdown and GitHub annotation reports;
- ``testserver``: a fault-injecting local HTTP server for the tests and ``bench/``.
"""
