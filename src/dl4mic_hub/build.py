"""Stage 4, build: write the rendered pages and build one MkDocs site per language.

``mkdocs.yml`` holds everything the languages share; for each language this module derives
the docs dir, site dir, ``site_url``, ``theme.language``, the translated navigation and the
language selector (``extra.alternate``), then runs MkDocs in its own process (the two
languages build in parallel, and MkDocs' global state never leaks between them).

Nothing is half-written: the site is built in a temporary folder next to the target and
moved into place only when both languages built cleanly.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import LANGUAGES, LOCAL_SITE_URL, REPOSITORY_URL
from .diagnostics import Origin, UsageError, UserError, error
from .export import HARVEST_SITEMAP
from .linkhealth import load_link_health, write_history
from .render import RenderedSite, render_site, ui_strings
from .validate import ValidationResult, validate_catalogue

SITE_URL_ENV = "DL4MIC_SITE_URL"


@dataclass
class LanguageBuild:
    lang: str
    ok: bool
    seconds: float
    messages: list[str] = field(default_factory=list)  # MkDocs warnings and errors


@dataclass
class BuildReport:
    site_dir: Path
    validation: ValidationResult
    rendered: RenderedSite
    languages: list[LanguageBuild]

    @property
    def fallback_counts(self) -> dict[str, int]:
        return self.rendered.fallback_counts()


def language_site_url(base: str, lang: str) -> str:
    return base.rstrip("/") + f"/{lang}/"


def language_overrides(
    base_config: dict[str, Any],
    lang: str,
    base_url: str,
    nav: list[Any],
    docs_dir: Path,
    site_dir: Path,
) -> dict[str, Any]:
    """The settings that differ between the language sites (all else comes from mkdocs.yml)."""
    root_path = urlsplit(base_url).path.rstrip("/")
    ui = ui_strings()
    theme = dict(base_config.get("theme") or {})
    theme["language"] = lang
    extra = dict(base_config.get("extra") or {})
    # Absolute links to each language root: Material's selector maps the current path onto the
    # other root and checks it in that root's sitemap, so the reader stays on the same page.
    extra["alternate"] = [
        {
            "name": ui["language_name"][other],
            "link": f"{root_path}/{other}/",
            "lang": other,
            "site": language_site_url(base_url, other),
        }
        for other in LANGUAGES
    ]
    # Interface strings the theme overrides print (header search box...).
    extra["ui"] = {key: value[lang] for key, value in ui.items()}
    # Per-page hreflang pairs go in the sitemap (overrides/sitemap.xml), French by default.
    extra["sitemap_alternates"] = [
        {"hreflang": other, "root": language_site_url(base_url, other)} for other in LANGUAGES
    ] + [{"hreflang": "x-default", "root": language_site_url(base_url, LANGUAGES[0])}]
    return {
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "site_url": language_site_url(base_url, lang),
        "site_name": ui["root_title"][lang],
        "site_description": ui["site_description"][lang],
        "theme": theme,
        "extra": extra,
        "nav": nav,
        # Entry pages are reached from section tables, not the sidebar: the build stays fast
        # (every page renders the whole nav) and --strict stays quiet about them.
        "not_in_nav": "/resources/\n",
    }


def _build_one_language(
    config_file: str, overrides: dict[str, Any], lang: str, strict: bool
) -> LanguageBuild:
    """Run MkDocs for one language (in a worker process). Returns its messages, never raises."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                messages.append(f"{lang}: mkdocs {record.levelname.lower()}: {record.getMessage()}")

    logger = logging.getLogger("mkdocs")
    logger.setLevel(logging.INFO)
    logger.addHandler(Collect())
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's maintenance banner is noise here
    start = time.perf_counter()
    try:
        config = load_config(config_file=config_file, strict=strict, **overrides)
        build(config)
    except (MkDocsException, OSError) as exc:
        messages.append(f"{lang}: mkdocs error: {exc}")
        return LanguageBuild(lang, False, time.perf_counter() - start, messages)
    return LanguageBuild(lang, True, time.perf_counter() - start, messages)


def read_base_config(config_file: Path) -> dict[str, Any]:
    from mkdocs.utils.yaml import yaml_load

    with config_file.open(encoding="utf-8") as handle:
        data = yaml_load(handle)
    return data if isinstance(data, dict) else {}


def repository_url(config: dict[str, Any]) -> str:
    """The project's repository (for "suggest an edit" links): ``extra.repository_url``."""
    extra = config.get("extra") or {}
    url = extra.get("repository_url") if isinstance(extra, dict) else None
    return str(url).rstrip("/") if url else REPOSITORY_URL


def resolve_base_url(config: dict[str, Any], site_url: str | None) -> str:
    url = (
        site_url
        or os.environ.get(SITE_URL_ENV)
        or config.get("site_url")
        or LOCAL_SITE_URL
    )
    return url.rstrip("/") + "/"


def write_pages(rendered: RenderedSite, docs_root: Path) -> None:
    for lang, pages in rendered.pages.items():
        for rel, text in [*pages.items(), *rendered.files.get(lang, {}).items()]:
            target = docs_root / lang / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


def root_index(base_url: str) -> str:
    """The root page: sends visitors to the French site, with visible links to both."""
    ui = ui_strings()
    links = "\n".join(
        f'    <li><a href="{lang}/" hreflang="{lang}" lang="{lang}">'
        f"{ui['language_name'][lang]}</a></li>"
        for lang in LANGUAGES
    )
    primary = LANGUAGES[0]
    return f"""<!doctype html>
<html lang="{primary}">
<head>
  <meta charset="utf-8">
  <title>{ui["root_title"][primary]}</title>
  <meta http-equiv="refresh" content="0; url={primary}/">
  <link rel="canonical" href="{language_site_url(base_url, primary)}">
</head>
<body>
  <ul>
{links}
  </ul>
</body>
</html>
"""


def robots_txt(base_url: str) -> str:
    lines = ["User-agent: *", "Allow: /", ""]
    lines += [f"Sitemap: {language_site_url(base_url, lang)}sitemap.xml" for lang in LANGUAGES]
    # the entry pages alone, for harvesters such as TeSS (export/sitemap.py)
    lines += [
        f"Sitemap: {language_site_url(base_url, lang)}{HARVEST_SITEMAP}" for lang in LANGUAGES
    ]
    return "\n".join(lines) + "\n"


def _replace_dir(new: Path, target: Path) -> None:
    """Move ``new`` to ``target``, replacing it; the old tree goes only once the new is in."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    try:
        new.rename(target)
    except OSError:
        if old.exists():
            old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def build_site(
    catalogue_dir: Path,
    site_dir: Path,
    *,
    config_file: Path = Path("mkdocs.yml"),
    site_url: str | None = None,
    strict: bool = True,
    docs_dir: Path | None = None,
    link_report: Path | None = None,
    link_history: Path | None = None,
) -> BuildReport:
    """Validate, render and build both language sites into ``site_dir``.

    Raises :class:`UserError` when the catalogue or a site build fails; ``site_dir`` is then
    left exactly as it was. ``docs_dir``, if given, keeps a copy of the generated Markdown.
    ``link_report`` (a ``check-links --format json`` report) shows link health on the pages;
    ``link_history`` counts broken runs across builds and is updated once the site is built.
    """
    validation = validate_catalogue(catalogue_dir)
    if not validation.ok:
        raise UserError(validation.diagnostics)
    if not config_file.is_file():
        raise UserError(
            [
                error(
                    Origin(str(config_file)),
                    "the MkDocs configuration file does not exist",
                    "run the command from the project folder or pass --config FILE",
                )
            ]
        )
    base_config = read_base_config(config_file)
    base_url = resolve_base_url(base_config, site_url)
    if link_history is not None and link_report is None:
        raise UsageError([error(Origin(str(link_history)), "a link history needs a link report",
                                "pass --link-report FILE too (a 'check-links --format json' "
                                "report), or leave out --link-history")])
    health = load_link_health(link_report, link_history) if link_report else None
    rendered = render_site(validation.catalogue, repo_url=repository_url(base_config),
                           site_url=base_url, link_health=health)

    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-build-", dir=site_dir.parent))
    try:
        docs_root, new_site = work / "docs", work / "site"
        write_pages(rendered, docs_root)
        jobs = {
            lang: language_overrides(
                base_config, lang, base_url, rendered.nav[lang], docs_root / lang, new_site / lang
            )
            for lang in LANGUAGES
        }
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=len(jobs), mp_context=context) as pool:
            futures = [
                pool.submit(
                    _build_one_language, str(config_file.resolve()), overrides, lang, strict
                )
                for lang, overrides in jobs.items()
            ]
            languages = [f.result() for f in futures]
        failed = [lb for lb in languages if not lb.ok]
        if failed:
            messages = [m for lb in languages for m in lb.messages]
            raise UserError(
                [
                    error(
                        Origin(str(config_file)),
                        m.split(": ", 1)[1] if ": " in m else m,
                        "fix the page or template named above; the previous site is untouched",
                    )
                    for m in messages
                ]
                or [error(Origin(str(config_file)), "the site build failed")]
            )
        for rel, text in rendered.root_files.items():
            target = new_site / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        (new_site / "index.html").write_text(root_index(base_url), encoding="utf-8")
        (new_site / "robots.txt").write_text(robots_txt(base_url), encoding="utf-8")
        (new_site / ".nojekyll").write_text("", encoding="utf-8")  # GitHub Pages: serve as is
        # GitHub Pages answers unknown addresses with the root 404.html; Material's links in it
        # are absolute, so the primary language's page works there.
        shutil.copyfile(new_site / LANGUAGES[0] / "404.html", new_site / "404.html")
        if docs_dir is not None:
            if docs_dir.exists():
                shutil.rmtree(docs_dir)
            shutil.copytree(docs_root, docs_dir)
        _replace_dir(new_site, site_dir)
        if health is not None and link_history is not None:
            try:
                write_history(health, link_history)
            except OSError as exc:
                raise UsageError([error(
                    Origin(str(link_history)), f"cannot write the link history: {exc}",
                    "the site was built; give --link-history a writable path",
                )]) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BuildReport(site_dir, validation, rendered, languages)
