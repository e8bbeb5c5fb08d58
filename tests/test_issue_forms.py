"""Issue forms: well-formed, bilingual, and their dropdowns follow the vocabulary files.

A dropdown whose ``id`` is the name of a vocabulary file (``tasks`` → catalogue/vocab/tasks.yml)
must list exactly that vocabulary, in order, as ``Libellé / Label (key)``. When a vocabulary
changes, print the blocks to paste with:  python tests/test_issue_forms.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
FORMS_DIR = ROOT / ".github" / "ISSUE_TEMPLATE"
VOCAB_DIR = ROOT / "catalogue" / "vocab"
FORMS = sorted(p for p in FORMS_DIR.glob("*.yml") if p.name != "config.yml")
VOCABULARIES = sorted(p.stem for p in VOCAB_DIR.glob("*.yml"))


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


def implied_kinds() -> set[str]:
    """Kinds that belong to the other entry types (FAQ, cheat sheets, glossary)."""
    from dl4mic_hub.model import ENTRY_TYPES
    from dl4mic_hub.schema import implied_values

    return {implied_values(t.schema).get("kinds", "") for t in ENTRY_TYPES} - {""}


def vocab_options(name: str) -> list[str]:
    """Dropdown options for a vocabulary: French label first, then English, then the key a
    maintainer copies into the YAML file."""
    data = yaml.safe_load((VOCAB_DIR / f"{name}.yml").read_text(encoding="utf-8"))
    skipped = implied_kinds() if name == "kinds" else set()
    options = []
    for key, term in data["values"].items():
        if key in skipped:
            continue
        fr, en = term["label"].get("fr"), term["label"].get("en")
        label = fr if not en or fr == en else f"{fr} / {en}" if fr else en
        options.append(f"{label} ({key})")
    return options


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
                f"{dropdown_id}.yml; paste this (or run python tests/test_issue_forms.py):\n"
                + _options_block(expected)
            )


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


def _options_block(options: list[str]) -> str:
    def scalar(text: str) -> str:
        return yaml.safe_dump(text, allow_unicode=True, width=1000).removesuffix("\n...\n").strip()

    return "      options:\n" + "".join(f"        - {scalar(o)}\n" for o in options)


if __name__ == "__main__":
    for name in sys.argv[1:] or VOCABULARIES:
        print(f"# {name}\n{_options_block(vocab_options(name))}")
