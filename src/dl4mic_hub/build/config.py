"""The shared site configuration (``mkdocs.yml``) and the per-language files derived from it.

Every supported generator reads the MkDocs configuration format, so each language gets a
complete configuration file of its own, written next to its docs and site folders with paths
relative to it (Zensical refuses an absolute ``docs_dir`` and a ``site_dir`` outside the
configuration's folder). Tags we do not interpret, such as ``!!python/name:...`` for Markdown
extensions, are copied to the written file unchanged for the generator to resolve; ``!ENV``
is resolved here, so our settings (``site_url``...) and the generator's are the same values.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .. import LANGUAGES, LOCAL_SITE_URL, REPOSITORY_URL
from ..diagnostics import Origin, UsageError, display_path, error
from ..export import ATTRIBUTION, CODE_LICENCE, CONTENT_LICENCE, Addresses
from ..files import write_if_changed
from ..render import ui_for, ui_strings
from ..urls import url_problem

SITE_URL_ENV = "DL4MIC_SITE_URL"
#: Plugins every generator provides; others (and MkDocs hooks) would make the sites differ
#: between generators, or silently stop working under Zensical.
ALLOWED_PLUGINS = frozenset({"search"})


@dataclass(frozen=True)
class KeptTag:
    """A YAML value with a tag we leave to the generator (e.g. ``!!python/name:...``)."""

    node: yaml.Node


class _ConfigLoader(yaml.SafeLoader):
    """Safe loading of ``mkdocs.yml``: no object is ever constructed from a tag."""


def _keep_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> KeptTag:
    return KeptTag(node)


def _resolve_env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """``!ENV NAME`` or ``!ENV [NAME, OTHER, default]``, resolved as MkDocs does."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode) and node.value:
        *name_nodes, last = node.value
        default = loader.construct_object(last) if name_nodes else None
        names = [loader.construct_scalar(n) for n in (name_nodes or [last])]
    else:
        raise yaml.constructor.ConstructorError(
            None, None, "!ENV expects a name or a list of names", node.start_mark
        )
    for name in names:
        if str(name) in os.environ:
            value = os.environ[str(name)]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


_ConfigLoader.add_constructor("!ENV", _resolve_env)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _keep_tag)
_ConfigLoader.add_multi_constructor("!", _keep_tag)


class _ConfigDumper(yaml.SafeDumper):
    pass


def _represent_kept(dumper: yaml.SafeDumper, value: KeptTag) -> yaml.Node:
    return value.node


_ConfigDumper.add_representer(KeptTag, _represent_kept)


@dataclass
class BaseConfig:
    """``mkdocs.yml`` as read: its settings, where it is, and where each top-level key is."""

    path: Path
    data: dict[str, Any]
    lines: dict[str, int]

    @property
    def folder(self) -> Path:
        return self.path.resolve().parent

    def origin(self, key: str | None = None) -> Origin:
        return Origin(display_path(self.path), self.lines.get(key or "", 1))

    def theme_dir(self) -> Path | None:
        """The theme's folder of overrides (``theme.custom_dir``), if any."""
        theme = self.data.get("theme")
        custom = theme.get("custom_dir") if isinstance(theme, dict) else None
        return self.folder / str(custom) if custom else None

    def extra(self) -> dict[str, Any]:
        extra = self.data.get("extra")
        return extra if isinstance(extra, dict) else {}


def read_base_config(config_file: Path) -> BaseConfig:
    """Read and check the shared configuration; problems are usage errors (exit 2)."""
    shown = display_path(config_file)
    if not config_file.is_file():
        what = "is a folder, not a file" if config_file.is_dir() else "does not exist"
        raise UsageError([error(Origin(shown), f"the site configuration file {what}",
                                "run the command from the project folder or pass --config FILE")])
    try:
        text = config_file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError([error(Origin(shown), "the configuration is not UTF-8 text "
                                f"({exc.reason})", "save it with the UTF-8 encoding")]) from None
    loader = _ConfigLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Origin(shown, mark.line + 1, mark.column + 1) if mark else Origin(shown)
        problem = getattr(exc, "problem", None) or str(exc)
        raise UsageError([error(where, f"invalid YAML: {problem}")]) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise UsageError([error(Origin(shown), "the configuration must be a mapping of settings")])
    lines = {}
    if isinstance(node, yaml.MappingNode):
        lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    config = BaseConfig(config_file, data, lines)
    _refuse_unsupported_settings(config)
    return config


def _refuse_unsupported_settings(config: BaseConfig) -> None:
    problems = []
    if config.data.get("use_directory_urls") is False:
        problems.append(error(
            config.origin("use_directory_urls"), "use_directory_urls: false is not supported",
            "every page is addressed as a folder (faq/, resources/<id>/) by its links, the "
            "sitemaps and the exports; remove the setting"))
    if config.data.get("hooks"):
        problems.append(error(
            config.origin("hooks"), "MkDocs hooks are not supported",
            "the site is built by several generators (mkdocs, properdocs, zensical) and Zensical "
            "ignores hooks; do the work in dl4mic-hub's render or build stage instead"))
    plugins = config.data.get("plugins") or {}
    if not isinstance(plugins, list | dict):
        plugins = [plugins]  # named below as an unsupported plugin, like any other
    names = plugins if isinstance(plugins, dict) else [
        next(iter(p), None) if isinstance(p, dict) else p for p in plugins
    ]
    # An empty entry ('- {}', '- ') has no name to show: say so rather than print nothing.
    unknown = sorted("(an entry with no name)" if n in (None, "") else str(n)
                     for n in names if str(n) not in ALLOWED_PLUGINS)
    if unknown:
        problems.append(error(
            config.origin("plugins"), f"unsupported plugin(s): {', '.join(unknown)}",
            f"only {', '.join(sorted(ALLOWED_PLUGINS))} works with every generator"))
    if problems:
        raise UsageError(problems)


def repository_url(config: BaseConfig) -> str:
    """The project's repository (for "suggest an edit" links): ``extra.repository_url``."""
    url = config.extra().get("repository_url")
    return str(url).rstrip("/") if url else REPOSITORY_URL


def footer_licence(lang: str, repo_url: str) -> str:
    """The footer's licence line in ``lang`` (HTML from ui.yml), with the licences and the
    attribution the exports state (export/__init__.py) and the project's repository."""
    return ui_strings()["copyright"][lang].format(
        attribution=ATTRIBUTION, licence=CONTENT_LICENCE.name, licence_url=CONTENT_LICENCE.url,
        code_licence=CODE_LICENCE.name, repo_url=repo_url)


def resolve_base_url(config: BaseConfig, site_url: str | None) -> str:
    """The site's public address: ``--site-url``, else ``$DL4MIC_SITE_URL``, else ``site_url``
    of the configuration, else the local preview's. Pages, feeds and sitemaps print it: it must
    be a plain http(s) address (a usage error otherwise, said where it was written)."""
    written = [(Origin("--site-url"), site_url),
               (Origin(f"${SITE_URL_ENV}"), os.environ.get(SITE_URL_ENV)),
               (config.origin("site_url"), config.data.get("site_url"))]
    origin, url = next(((o, u) for o, u in written if u), (Origin(""), LOCAL_SITE_URL))
    problem = url_problem(url, "the site's address") if isinstance(url, str) else (
        f"it must be an address, not {url!r}", "write it like https://example.org/hub/")
    if problem is None and ("?" in url or "#" in url):
        # Page addresses are written after it: 'https://x.org/hub?a=1' would give
        # 'https://x.org/hub?a=1/fr/...', every link leading to no page.
        problem = (f"the URL '{url}' has a query ('?') or a fragment ('#')",
                   f"write the folder's address alone, like {url.split('?')[0].split('#')[0]}")
    if problem is not None:
        message, hint = problem
        raise UsageError([error(origin, f"the site's address: {message}", hint)])
    return str(url).rstrip("/") + "/"


def language_site_url(base: str, lang: str) -> str:
    """The address of a language's site published under ``base`` (see export.Addresses)."""
    return Addresses.of_site(base).root(lang)


def language_config(
    base: BaseConfig, lang: str, base_url: str, nav: list[Any], config_dir: Path,
    docs_dir: Path, site_dir: Path,
) -> dict[str, Any]:
    """The complete configuration of one language, to be written into ``config_dir``.

    Everything comes from ``mkdocs.yml`` except the docs and site folders, ``site_url``,
    ``theme.language``, the translated site name and navigation, and the language selector.
    """
    root_path = urlsplit(base_url).path.rstrip("/")
    ui = ui_strings()
    config = dict(base.data)
    # Paths relative to mkdocs.yml become relative to the new file.
    if isinstance(config.get("INHERIT"), str):
        config["INHERIT"] = os.path.relpath(base.folder / config["INHERIT"], config_dir)
    theme = config.get("theme") or {}
    theme = dict(theme) if isinstance(theme, dict) else {"name": theme}
    if isinstance(theme.get("custom_dir"), str):
        theme["custom_dir"] = os.path.relpath(base.folder / theme["custom_dir"], config_dir)
    theme["language"] = lang
    if isinstance(theme.get("palette"), list):
        theme["palette"] = [_palette_option(option, lang) for option in theme["palette"]]
    extra = dict(config.get("extra") or {})
    # Absolute links to each language root: Material's selector maps the current path onto the
    # other root and checks it in that root's sitemap, so the reader stays on the same page.
    extra["alternate"] = [
        {
            "name": ui["language_name"][other],
            "link": f"{root_path}/{other}/",
            "lang": other,
            "site": language_site_url(base_url, other),  # absolute, for hreflang in <head>
        }
        for other in LANGUAGES
    ]
    # Interface strings the theme overrides print (header search box...).
    extra["ui"] = dict(ui_for(lang))  # a copy: ui_for's dict is shared
    if "markdown_extensions" in config:
        config["markdown_extensions"] = _with_permalink_title(config["markdown_extensions"], lang)
    config.update({
        "docs_dir": os.path.relpath(docs_dir, config_dir),
        "site_dir": os.path.relpath(site_dir, config_dir),
        "site_url": language_site_url(base_url, lang),
        "site_name": ui["root_title"][lang],
        "site_description": ui["site_description"][lang],
        "copyright": footer_licence(lang, repository_url(base)),
        "theme": theme,
        "extra": extra,
        "nav": nav,
        # Entry pages are reached from section tables, not the sidebar: the build stays fast
        # (every page renders the whole nav) and strict mode stays quiet about them.
        "not_in_nav": "/resources/\n",
    })
    return config


# The light and dark schemes' switches, by the scheme shown: the UI string of their label.
_PALETTE_TOGGLES = {"default": "palette_to_dark", "slate": "palette_to_light"}


def _palette_option(option: Any, lang: str) -> Any:
    """A colour scheme of the theme, its switch labelled in ``lang`` (mkdocs.yml has one label
    for both sites; it is the switch's only name for screen readers)."""
    if not isinstance(option, dict) or not isinstance(option.get("toggle"), dict):
        return option
    key = _PALETTE_TOGGLES.get(str(option.get("scheme")))
    if key is None:
        return option
    return {**option, "toggle": {**option["toggle"], "name": ui_for(lang)[key]}}


def _with_permalink_title(extensions: Any, lang: str) -> Any:
    """The Markdown extensions, with the headings' permanent links titled in ``lang`` (the
    toc extension's default title is English on both sites), unless mkdocs.yml sets one.
    MkDocs accepts a mapping (``toc: {...}``) or a list (``- toc: {...}``); both are read."""
    if isinstance(extensions, dict):
        return _toc_with_permalink_title(extensions, lang)
    if isinstance(extensions, list):
        return [_toc_with_permalink_title(item, lang) if isinstance(item, dict) else item
                for item in extensions]
    return extensions


def _toc_with_permalink_title(extensions: dict[str, Any], lang: str) -> dict[str, Any]:
    toc = extensions.get("toc")
    if not isinstance(toc, dict) or not toc.get("permalink") or "permalink_title" in toc:
        return extensions
    return {**extensions, "toc": {**toc, "permalink_title": ui_for(lang)["permalink_title"]}}


def write_config(config: dict[str, Any], path: Path) -> bool:
    """Write a language's configuration; returns whether the file's text changed."""
    text = "# Written by dl4mic-hub from mkdocs.yml: edit that file instead.\n" + yaml.dump(
        config, Dumper=_ConfigDumper, allow_unicode=True, sort_keys=False, width=100)
    return write_if_changed(path, text)
