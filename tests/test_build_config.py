"""The shared site configuration (mkdocs.yml) as the build reads it: problems are usage errors
(exit 2) at their line, MkDocs' !ENV tag works, no object is ever built from a tag."""

from __future__ import annotations

from pathlib import Path

import pytest

from dl4mic_hub.build.config import read_base_config, resolve_base_url
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
