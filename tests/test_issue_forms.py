"""Issue forms: well-formed, bilingual, and their dropdowns follow the vocabulary files.

A dropdown whose ``id`` is the name of a vocabulary file (``tasks`` → catalogue/vocab/tasks.yml)
must list exactly that vocabulary, in order, as ``Libellé / Label (key)``. When a vocabulary
changes, ``make issue-forms`` rewrites them (tests/support/issue_forms.py).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import issue_forms
from support.issue_forms import COMMAND, FORMS, FORMS_DIR, VOCABULARIES, vocab_options

ROOT = Path(__file__).resolve().parent.parent


def resource_facets() -> tuple[set[str], set[str]]:
    """The facets the resource form must offer, derived from the schema and the vocabularies:
    (those a resource must have, those shown under every entry in lists)."""
    from dl4mic_hub.facets import derive_facets
    from dl4mic_hub.model import ENTRY_TYPES_BY_NAME, read_catalogue
    from dl4mic_hub.schema import field_specs

    catalogue, _ = read_catalogue(ROOT / "catalogue")
    specs = {s.name: s for s in field_specs(ENTRY_TYPES_BY_NAME["resource"].schema)}
    required, shown = set(), set()
    for facet in derive_facets(catalogue):
        field = facet.fields.get("resource")
        if field is None:
            continue
        if specs[field].required:
            required.add(facet.name)
        elif facet.chips:
            shown.add(facet.name)
    return required, shown


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dropdowns(form: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in form["body"] if item["type"] == "dropdown"}


def test_the_three_forms_exist() -> None:
    assert {p.name for p in FORMS} == {
        "suggest-resource.yml", "broken-link.yml", "translation-or-correction.yml"
    }


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_vocabulary_dropdowns_match_the_vocabulary_files(path: Path) -> None:
    for dropdown_id, dropdown in _dropdowns(_load(path)).items():
        if dropdown_id in VOCABULARIES:
            expected = vocab_options(dropdown_id)
            assert dropdown["attributes"]["options"] == expected, (
                f"{path.name}: dropdown '{dropdown_id}' differs from catalogue/vocab/"
                f"{dropdown_id}.yml: run '{COMMAND}' to rewrite it"
            )


def test_the_rewrite_follows_a_new_key_and_leaves_the_rest_of_the_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a contributor adds a task: the forms must follow with one command, not a hand edit
    vocab = tmp_path / "vocab"
    shutil.copytree(issue_forms.VOCAB_DIR, vocab)
    tasks = vocab / "tasks.yml"
    tasks.write_text(tasks.read_text("utf-8") + "  counting:\n    label: {fr: Comptage, en: "
                     "Counting}\n", "utf-8")
    monkeypatch.setattr(issue_forms, "VOCAB_DIR", vocab)
    path = FORMS_DIR / "suggest-resource.yml"
    before = path.read_text(encoding="utf-8")
    after = issue_forms.with_vocabulary_options(before)
    assert _dropdowns(yaml.safe_load(after))["tasks"]["attributes"]["options"][-1] == (
        "Comptage / Counting (counting)")
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert changed == ["        - Comptage / Counting (counting)"]
    assert issue_forms.with_vocabulary_options(after) == after


def test_resource_form_offers_the_main_facets_and_requires_the_essentials() -> None:
    form = _load(FORMS_DIR / "suggest-resource.yml")
    must, shown = resource_facets()
    assert must == {"kinds", "sections", "languages"}
    assert set(_dropdowns(form)) >= must | shown
    required = {item["id"] for item in form["body"]
                if item.get("validations", {}).get("required")}
    assert {"title", "url", "summary"} | must <= required


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_forms_follow_githubs_form_syntax_and_are_bilingual(path: Path) -> None:
    form = _load(path)
    assert {"name", "description", "body"} <= set(form)
    assert set(form) <= {"name", "description", "title", "labels", "assignees", "body"}
    ids: list[str] = []
    for item in form["body"]:
        assert item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        attributes = item["attributes"]
        if item["type"] == "markdown":
            assert "value" in attributes and "id" not in item
            continue
        ids.append(item["id"])
        assert re.fullmatch(r"[A-Za-z0-9_-]+", item["id"])
        # French first, then English: "Libellé / Label".
        assert " / " in attributes["label"], f"{path.name}: label '{attributes['label']}'"
        if item["type"] == "dropdown":
            options = attributes["options"]
            assert options and len(options) == len(set(options))
            assert "None" not in options  # reserved by GitHub
        if item["type"] == "checkboxes":
            assert all(" / " in option["label"] for option in attributes["options"])
    assert len(ids) == len(set(ids)), f"{path.name}: ids must be unique"
    assert " / " in form["name"]


def test_config_points_to_the_contributing_guide() -> None:
    from dl4mic_hub import REPOSITORY_URL

    config = _load(FORMS_DIR / "config.yml")
    urls = [link["url"] for link in config["contact_links"]]
    assert f"{REPOSITORY_URL}/blob/main/CONTRIBUTING.md" in urls


def test_pull_request_template_has_a_checklist() -> None:
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert len(re.findall(r"^- \[ \] ", text, flags=re.MULTILINE)) >= 3
    assert "dl4mic-hub validate" in text


def test_a_broken_vocabulary_is_said_where_it_is_broken(tmp_path: Path) -> None:
    # `make issue-forms` printed a YAML traceback (or KeyError: 'label') for a broken file
    catalogue = tmp_path / "catalogue"
    shutil.copytree(Path(__file__).parent / "fixtures" / "catalogues" / "minimal", catalogue)
    dims = catalogue / "vocab" / "dims.yml"
    dims.write_text(dims.read_text(encoding="utf-8") + "  bad: [\n", encoding="utf-8")
    (errors,) = issue_forms.vocabulary_errors(catalogue)
    assert re.match(r"\S*catalogue/vocab/dims\.yml:\d+:\d+: error: YAML syntax error", errors)
    assert issue_forms.vocabulary_errors() == []  # the project's own vocabularies
    dims.unlink()  # said at the vocab folder: the dims dropdown would be left as it was
    (missing,) = issue_forms.vocabulary_errors(catalogue)
    assert "catalogue/vocab:1:1: error: the vocabulary 'dims' is missing" in missing
