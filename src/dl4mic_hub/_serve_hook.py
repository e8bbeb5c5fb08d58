"""MkDocs hook used by ``dl4mic-hub serve`` only: render the catalogue before each rebuild."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from dl4mic_hub.diagnostics import UserError
from dl4mic_hub.serve import ENV_CATALOGUE, ENV_DOCS, ENV_LANG, ENV_REPO, refresh_docs

log = logging.getLogger("mkdocs.plugins.dl4mic_hub")


def on_config(config: Any) -> Any:
    lang = os.environ[ENV_LANG]
    try:
        rendered = refresh_docs(
            Path(os.environ[ENV_CATALOGUE]), lang, Path(os.environ[ENV_DOCS]), os.environ[ENV_REPO]
        )
    except UserError as exc:
        for diagnostic in exc.diagnostics:
            log.error(diagnostic.format_text())
        log.error("the catalogue has errors: showing the last good pages")
        return config
    config["nav"] = rendered.nav[lang]
    return config
