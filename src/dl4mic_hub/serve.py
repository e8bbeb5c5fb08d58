"""Live preview: serve one language with MkDocs and render again when the catalogue changes.

MkDocs' own server watches the catalogue folder; on every rebuild it calls our hook
(``_serve_hook.on_config``), which validates and renders the catalogue into the preview's
docs folder. A catalogue with errors keeps the last good pages and prints the errors.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from . import REPOSITORY_URL
from .build import language_overrides, read_base_config, repository_url, write_pages
from .diagnostics import UserError
from .render import RenderedSite, render_site
from .validate import validate_catalogue

PREVIEW_ROOT = Path("build/serve")
# How `serve` tells its MkDocs hook (another module, loaded by MkDocs) what to render.
ENV_CATALOGUE, ENV_LANG, ENV_DOCS, ENV_REPO = (
    "DL4MIC_SERVE_CATALOGUE",
    "DL4MIC_SERVE_LANG",
    "DL4MIC_SERVE_DOCS",
    "DL4MIC_SERVE_REPOSITORY",
)


def refresh_docs(
    catalogue_dir: Path, lang: str, docs_dir: Path, repo_url: str = REPOSITORY_URL
) -> RenderedSite:
    """Validate and render the catalogue into ``docs_dir`` (one language), replacing old pages.

    Raises :class:`UserError` (and leaves ``docs_dir`` alone) when the catalogue has errors.
    """
    validation = validate_catalogue(catalogue_dir)
    if not validation.ok:
        raise UserError(validation.diagnostics)
    rendered = render_site(validation.catalogue, repo_url=repo_url)
    staging = docs_dir.with_name(docs_dir.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    write_pages(RenderedSite({lang: rendered.pages[lang]}, {}), staging)
    shutil.rmtree(docs_dir, ignore_errors=True)
    (staging / lang).rename(docs_dir)
    shutil.rmtree(staging, ignore_errors=True)
    return rendered


def serve(catalogue_dir: Path, *, lang: str, config_file: Path, address: str) -> None:
    from mkdocs.commands.serve import serve as mkdocs_serve

    docs_dir = (PREVIEW_ROOT / lang).resolve()
    docs_dir.parent.mkdir(parents=True, exist_ok=True)
    base_config = read_base_config(config_file)
    repo_url = repository_url(base_config)
    rendered = refresh_docs(catalogue_dir, lang, docs_dir, repo_url)
    base_url = f"http://{address}/"
    overrides = language_overrides(
        base_config, lang, base_url, rendered.nav[lang], docs_dir, docs_dir
    )
    del overrides["site_dir"]  # mkdocs serve builds into its own temporary folder
    overrides["hooks"] = [str(Path(__file__).with_name("_serve_hook.py"))]
    os.environ.update(
        {
            ENV_CATALOGUE: str(catalogue_dir.resolve()),
            ENV_LANG: lang,
            ENV_DOCS: str(docs_dir),
            ENV_REPO: repo_url,
        }
    )
    print(
        f"serving the {lang} site at {base_url}{lang}/ (Ctrl+C to stop); "
        f"edits under {catalogue_dir} rebuild it"
    )
    mkdocs_serve(
        config_file=str(config_file),
        livereload=True,
        watch=[str(catalogue_dir)],
        dev_addr=address,
        **overrides,
    )
