"""The shared site configuration (mkdocs.yml) as the build reads it: problems are usage errors
(exit 2) at their line, MkDocs' !ENV tag works, no object is ever built from a tag."""

from __future__ import annotations

from pathlib import Path

import pytest

from dl4mic_hub.build.config import language_config, read_base_config, resolve_base_url
from dl4mic_hub.diagnostics import EXIT_USAGE, UsageError


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def usage_message(path: Path) -> str:
    with pytest.raises(UsageError) as raised:
        read_base_config(path)
    assert raised.value.exit_code == EXIT_USAGE
    return "\n".join(d.format_text() for d in raised.value.diagnostics)


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    assert "the site configuration file does not exist" in usage_message(tmp_path / "nope.yml")


def test_invalid_yaml_is_located(tmp_path: Path) -> None:
    message = usage_message(config(tmp_path, "site_name: x\ntheme: [a, b\n"))
    assert "mkdocs.yml:3:1: error: invalid YAML" in message


def test_the_configuration_must_be_a_mapping(tmp_path: Path) -> None:
    message = usage_message(config(tmp_path, "- a\n- b\n"))
    assert "the configuration must be a mapping of settings" in message


def test_env_tags_resolve_like_mkdocs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DL4MIC_TEST_URL", "https://example.org/hub/")
    monkeypatch.delenv("DL4MIC_TEST_MISSING", raising=False)
    base = read_base_config(config(tmp_path, (
        "site_url: !ENV DL4MIC_TEST_URL\n"
        "extra:\n"
        "  a: !ENV [DL4MIC_TEST_MISSING, DL4MIC_TEST_URL, fallback]\n"
        "  b: !ENV [DL4MIC_TEST_MISSING, 42]\n"
        "  c: !!python/name:os.system\n"
    )))
    assert base.data["site_url"] == "https://example.org/hub/"
    assert base.extra()["a"] == "https://example.org/hub/"
    assert base.extra()["b"] == 42
    assert not callable(base.extra()["c"])  # kept as written, never imported
    assert resolve_base_url(base, None) == "https://example.org/hub/"
    assert resolve_base_url(base, "http://127.0.0.1:8000") == "http://127.0.0.1:8000/"


def test_a_bad_env_tag_is_a_usage_error(tmp_path: Path) -> None:
    message = usage_message(config(tmp_path, "site_url: !ENV {a: b}\n"))
    assert "!ENV expects a name or a list of names" in message


def test_a_configuration_not_in_utf8_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "mkdocs.yml"
    path.write_bytes(b"site_name: caf\xe9\n")  # Latin-1: a traceback (exit 3) before
    assert usage_message(path) == (
        "mkdocs.yml:1:1: error: the configuration is not UTF-8 text (invalid continuation byte) "
        "(hint: save it with the UTF-8 encoding)"
    ).replace("mkdocs.yml", str(path))


@pytest.mark.parametrize(("plugins", "named"), [
    ("7", "7"), ("search", ""),
    ("[{}]", "(an entry with no name)"), ("[search, null]", "(an entry with no name)"),
])
def test_plugins_of_any_shape_are_judged_by_name(
    tmp_path: Path, plugins: str, named: str,
) -> None:
    path = config(tmp_path, f"site_name: x\nplugins: {plugins}\n")
    if plugins == "search":
        read_base_config(path)  # one plugin written alone: search is allowed
        return
    # 'plugins: 7': a TypeError before; '[{}]' named an empty plugin ("plugin(s):  ")
    assert f"error: unsupported plugin(s): {named} (hint:" in usage_message(path)


@pytest.mark.parametrize(
    ("where", "value", "expected"),
    [
        ("option", "javascript:alert(1)", "--site-url:1:1: error: the site's address: URLs "
         "starting with 'javascript:' are not allowed (hint: the site's address must start "
         "with https:// or http://)"),
        ("option", "http://x y/", "--site-url:1:1: error: the site's address: the URL "
         "'http://x y/' contains a space"),
        ("environment", 'https://a.org/"><b>', "$DL4MIC_SITE_URL:1:1: error: the site's "
         "address: the URL 'https://a.org/\"><b>' contains the character '\"'"),
        ("configuration", "example.org", "mkdocs.yml:2:1: error: the site's address: the URL "
         "'example.org' is incomplete"),
        ("configuration", "5", "mkdocs.yml:2:1: error: the site's address: it must be an "
         "address, not 5"),
        # page addresses follow it: before, 'hub?a=1/fr/...' made ~170 links lead nowhere
        # and the build blamed the catalogue (exit 1)
        ("option", "https://x.org/hub?a=1", "--site-url:1:1: error: the site's address: the "
         "URL 'https://x.org/hub?a=1' has a query ('?') or a fragment ('#') (hint: write the "
         "folder's address alone, like https://x.org/hub)"),
        ("environment", "https://x.org/hub/#top", "$DL4MIC_SITE_URL:1:1: error: the site's "
         "address: the URL 'https://x.org/hub/#top' has a query"),
        ("configuration", "https://x.org/hub?", "mkdocs.yml:2:1: error: the site's address: "
         "the URL 'https://x.org/hub?' has a query"),
    ],
    ids=["javascript", "space", "quote", "no-scheme", "number", "query", "fragment",
         "empty-query"],
)
def test_a_site_address_that_is_no_web_address_is_a_usage_error_where_it_is_written(
    where: str, value: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # pages, feeds and sitemaps print it: before, the generator refused some (exit 1, as if
    # the catalogue were wrong) and the site was built with others
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DL4MIC_SITE_URL", raising=False)
    if where == "environment":
        monkeypatch.setenv("DL4MIC_SITE_URL", value)
    site_url = f"site_url: {value}\n" if where == "configuration" else ""
    base = read_base_config(config(tmp_path, f"site_name: x\n{site_url}"))
    with pytest.raises(UsageError) as raised:
        resolve_base_url(base, value if where == "option" else None)
    (found,) = [d.format_text() for d in raised.value.diagnostics]
    assert found.startswith(expected), found


@pytest.mark.parametrize(
    "extensions",
    ["  toc:\n    permalink: true\n  tables: {}\n",  # a mapping, like our mkdocs.yml
     "  - tables\n  - toc:\n      permalink: true\n"],  # a list, MkDocs' usual form
    ids=["mapping", "list"],
)
def test_heading_links_are_titled_in_each_sites_language(tmp_path: Path, extensions: str) -> None:
    # the toc extension titles the ¶ "Permanent link"; with the list form it stayed English
    # on the French site
    base = read_base_config(config(tmp_path, f"site_name: x\nmarkdown_extensions:\n{extensions}"))
    titles = {}
    for lang in ("fr", "en"):
        written = language_config(base, lang, "https://example.org/", [], tmp_path / lang,
                                  tmp_path / lang / "docs", tmp_path / lang / "site")
        extensions_of = written["markdown_extensions"]
        items = extensions_of.items() if isinstance(extensions_of, dict) else [
            next(iter(e.items())) for e in extensions_of if isinstance(e, dict)]
        titles[lang] = dict(items)["toc"]["permalink_title"]
        assert "tables" in str(extensions_of)  # the other extensions are kept
    assert titles == {"fr": "Lien vers cette section", "en": "Link to this section"}


def test_a_permalink_title_written_in_the_configuration_is_kept(tmp_path: Path) -> None:
    base = read_base_config(config(tmp_path, (
        "site_name: x\nmarkdown_extensions:\n"
        "  - toc:\n      permalink: true\n      permalink_title: Ancre\n")))
    written = language_config(base, "en", "https://example.org/", [], tmp_path,
                              tmp_path / "docs", tmp_path / "site")
    assert written["markdown_extensions"] == [{"toc": {"permalink": True,
                                                       "permalink_title": "Ancre"}}]
