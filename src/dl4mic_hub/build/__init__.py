"""Stage 4, build: write the rendered pages and build one site per language with a generator.

``mkdocs.yml`` holds everything the languages share; for each language this stage writes a
complete configuration (``config``), runs the chosen generator's own command line on it
(``generators``: MkDocs, ProperDocs or Zensical; the languages build in parallel), then adds
what the generators do not share: the hreflang sitemaps (``sitemap``), the root pages, and
our own check of the links between pages (``links``).

Nothing is half-written and nothing of the user's is deleted (``folders``): the site is built
in a scratch folder next to the target and moved into place only when both languages built
cleanly; only a folder carrying our marker (or an empty one) is ever replaced.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .. import LANGUAGES
from ..diagnostics import (
    Diagnostic,
    Origin,
    UsageError,
    UserError,
    display_path,
    error,
    warning,
)
from ..export import HARVEST_SITEMAP
from ..files import BUILD_MARKER, refuse_unwritable, write_if_changed
from ..linkhealth import HISTORY_ENV, load_link_health, write_history
from ..render import NOT_FOUND_CSS, RenderedSite, not_found_page, render_site, ui_strings
from ..validate import ValidationResult, validate_or_stop
from .config import (
    SITE_URL_ENV,
    BaseConfig,
    language_config,
    language_site_url,
    read_base_config,
    repository_url,
    resolve_base_url,
    write_config,
)
from .folders import (
    Protected,
    check_replaceable,
    mark,
    move_folder,
    protected_folders,
    remove_stale_scratch,
    retire,
    scratch_folder,
)
from .generators import Generator, GeneratorRun, choose_generator, run_generators
from .links import check_site_links
from .sitemap import write_sitemaps

__all__ = [
    "BUILD_MARKER",
    "SITE_URL_ENV",
    "BaseConfig",
    "BuildReport",
    "build_site",
    "choose_generator",
    "generate_sites",
    "language_site_url",
    "read_base_config",
    "repository_url",
    "write_pages",
    "write_sources",
]


@dataclass
class BuildReport:
    site_dir: Path
    validation: ValidationResult
    rendered: RenderedSite
    generator: Generator
    languages: list[GeneratorRun]
    leftovers: list[Path] = field(default_factory=list)  # removed by cleanup()

    @property
    def fallback_counts(self) -> dict[str, int]:
        return self.rendered.fallback_counts()

    def generator_diagnostics(self, config_origin: Origin) -> list[Diagnostic]:
        """What the generator warned about (a build that passed has no error)."""
        return [d for run in self.languages for d in run.diagnostics(config_origin)]

    def cleanup(self) -> None:
        """Remove the previous site and the temporary Markdown (slow on a big site, so the
        command line calls this after its success message)."""
        for path in self.leftovers:
            shutil.rmtree(path, ignore_errors=True)
        self.leftovers = []


def write_pages(pages: dict[str, str], folder: Path) -> list[str]:
    """Make ``folder`` hold exactly ``pages`` (relative path -> Markdown), writing only the
    files whose text changed. Returns the paths written or removed."""
    changed = []
    existing = {p.relative_to(folder).as_posix() for p in folder.rglob("*.md")} if (
        folder.is_dir()) else set()
    for rel, text in pages.items():
        if write_if_changed(folder / rel, text):
            changed.append(rel)
    for rel in sorted(existing - pages.keys()):
        (folder / rel).unlink()
        changed.append(rel)
    return changed


def write_sources(
    rendered: RenderedSite,
    base: BaseConfig,
    work: Path,
    base_url: str,
    languages: tuple[str, ...] = LANGUAGES,
) -> tuple[dict[str, Path], list[str]]:
    """Write each language's pages (``work/docs/<lang>``) and configuration
    (``work/mkdocs.<lang>.yml``, building ``work/site/<lang>``). Returns the configuration
    files and the pages (``<lang>/<path>``) whose text changed."""
    configs, changed = {}, []
    for lang in languages:
        docs, site = work / "docs" / lang, work / "site" / lang
        changed += [f"{lang}/{rel}" for rel in write_pages(rendered.pages[lang], docs)]
        for rel, text in rendered.files.get(lang, {}).items():  # data the pages load
            if write_if_changed(docs / rel, text):
                changed.append(f"{lang}/{rel}")
        config = language_config(base, lang, base_url, rendered.nav[lang], work, docs, site)
        configs[lang] = work / f"mkdocs.{lang}.yml"
        if write_config(config, configs[lang]):
            changed.append(configs[lang].name)
    return configs, changed


def generate_sites(
    rendered: RenderedSite,
    base: BaseConfig,
    generator: Generator,
    work: Path,
    base_url: str,
    *,
    strict: bool,
) -> list[GeneratorRun]:
    """Build ``work/site/<lang>`` for every language with the generator (see write_sources)."""
    configs, _ = write_sources(rendered, base, work, base_url)
    return run_generators(generator, configs, strict=strict)


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


def _finish_site(site: Path, rendered: RenderedSite, base_url: str) -> None:
    """What every generator leaves to us: sitemaps, root pages, the marker."""
    write_sitemaps(site, {lang: list(rendered.pages[lang]) for lang in LANGUAGES}, base_url)
    for rel, text in rendered.root_files.items():  # exports shared by both languages
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (site / "index.html").write_text(root_index(base_url), encoding="utf-8")
    (site / "robots.txt").write_text(robots_txt(base_url), encoding="utf-8")
    (site / ".nojekyll").write_text("", encoding="utf-8")  # GitHub Pages: serve as is
    # GitHub Pages answers every unknown address with the root 404.html, whatever the
    # language: it speaks both, with absolute links.
    (site / "404.html").write_text(not_found_page(urlsplit(base_url).path), encoding="utf-8")
    (site / "404.css").write_text(NOT_FOUND_CSS, encoding="utf-8")
    mark(site)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while folders are swapped: the target is never left missing."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _replace(new: Path, target: Path) -> Path | None:
    """Put ``new`` at ``target``; returns where the previous ``target`` went (to delete)."""
    with _signals_deferred():
        aside = retire(target)
        try:
            move_folder(new, target)
        except BaseException:
            if aside is not None and not target.exists():
                aside.rename(target)
            raise
        mark(target)
    return aside


def _swap_in(new: Path, target: Path, option: str, protected: list[Protected],
             report: BuildReport) -> None:
    """Put a built folder at ``target`` (checked again: something may have been put there
    while the site was building); the previous one is deleted at cleanup."""
    check_replaceable(target.resolve(), option, protected)
    aside = _replace(new, target.resolve())
    if aside is not None:
        report.leftovers.append(aside)


def _keep_failed_docs(docs: Path, docs_dir: Path, protected: list[Protected],
                      report: BuildReport) -> Diagnostic:
    """Move a failed build's Markdown to ``docs_dir`` (--keep-docs) and say so; a problem with
    that folder is said too, never raised: the build's own errors are what matter."""
    where = Origin(display_path(docs_dir))
    try:
        _swap_in(docs, docs_dir, "--keep-docs", protected, report)
    except (UserError, OSError) as exc:
        reason = (exc.diagnostics[0].message if isinstance(exc, UserError) and exc.diagnostics
                  else str(exc))
        return warning(where, f"the generated Markdown of this build could not be kept here: "
                       f"{reason}")
    return warning(where, "the generated Markdown of this failed build is kept here, for a look "
                   "at the pages named above (the site was not replaced)")


def build_site(
    catalogue_dir: Path,
    site_dir: Path,
    *,
    config_file: Path = Path("mkdocs.yml"),
    site_url: str | None = None,
    strict: bool = True,
    docs_dir: Path | None = None,
    generator: str | None = None,
    defer_cleanup: bool = False,
    link_report: Path | None = None,
    link_history: Path | None = None,
) -> BuildReport:
    """Validate, render and build both language sites into ``site_dir``.

    Raises :class:`UsageError` for a setup problem (a missing generator, a folder that must not
    be replaced, a link report that is not one) before any work, and :class:`UserError` when
    the catalogue, the generator or the link check fails; ``site_dir`` is then left exactly as
    it was. ``docs_dir``, if given, receives the generated Markdown, also when the generator or
    the link check fails (it is what their messages point at). With ``defer_cleanup`` the
    previous site and the temporary files stay until :meth:`BuildReport.cleanup`.
    ``link_report`` (a ``check-links --format json`` report) shows link health on the pages;
    ``link_history`` counts broken runs across builds and is updated once the site is built.
    """
    base = read_base_config(config_file)
    base_url = resolve_base_url(base, site_url)
    chosen = choose_generator(generator, base.extra(), base.origin("extra"))
    protected = protected_folders(base.folder, catalogue_dir, base.theme_dir())
    check_replaceable(site_dir, "--site-dir", protected)
    if docs_dir is not None:
        check_replaceable(docs_dir, "--keep-docs", protected)
        a, b = site_dir.resolve(), docs_dir.resolve()
        if a.is_relative_to(b) or b.is_relative_to(a):
            raise UsageError([error(Origin(display_path(docs_dir)),
                                    "--keep-docs and --site-dir must be separate folders")])

    # A bad link report is a setup problem like the others: said before the catalogue is read.
    if link_history is not None and link_report is None:
        raise UsageError([error(Origin(str(link_history)), "a link history needs a link report",
                                "pass --link-report FILE too (a 'check-links --format json' "
                                f"report), or leave out --link-history (and ${HISTORY_ENV})")])
    if link_history is not None:  # written once the site is built: refused before any work
        refuse_unwritable(link_history, "--link-history", inputs=[link_report, config_file],
                          read_folders=[*(p.path for p in protected if p.inside_too),
                                        site_dir, docs_dir])
    health = load_link_health(link_report, link_history) if link_report else None

    validation = validate_or_stop(catalogue_dir)  # the one "validate, or stop" path
    rendered = render_site(validation.catalogue, repo_url=repository_url(base),
                           site_url=base_url, link_health=health,
                           links_from_source=chosen.links_from_source)

    site_dir = site_dir.resolve()
    for target in (site_dir, docs_dir):
        if target is not None:
            remove_stale_scratch(target.resolve())
    work = scratch_folder(site_dir)
    report = BuildReport(site_dir, validation, rendered, chosen, [], [work])
    try:
        report.languages = generate_sites(rendered, base, chosen, work, base_url, strict=strict)
        if not all(run.ok for run in report.languages):
            raise UserError(report.generator_diagnostics(base.origin()))
        new_site = work / "site"
        _finish_site(new_site, rendered, base_url)
        problems = check_site_links(new_site, base_url,
                                    ["index.html", *(f"{lang}/index.html" for lang in LANGUAGES)])
        if problems:
            raise UserError(problems)
        if docs_dir is not None:
            _swap_in(work / "docs", docs_dir, "--keep-docs", protected, report)
        _swap_in(new_site, site_dir, "--site-dir", protected, report)
    except UserError as failure:
        # The site stays as it was. The Markdown the pages were built from is what a reader
        # looks at next (a generator's message names its files): kept all the same, and said.
        try:
            if docs_dir is not None and (work / "docs").is_dir():
                failure.diagnostics.append(_keep_failed_docs(work / "docs", docs_dir,
                                                             protected, report))
        finally:
            report.cleanup()
        raise
    except BaseException:
        report.cleanup()
        raise
    if health is not None and link_history is not None:
        try:
            write_history(health, link_history)
        except OSError as exc:
            raise UsageError([error(
                Origin(str(link_history)), f"cannot write the link history: {exc}",
                "the site was built; give --link-history a writable path",
            )]) from None
    if not defer_cleanup:
        report.cleanup()
    return report
