"""Facets are derived from the schemas: a new facet is a vocabulary file plus one schema
property, and it then appears everywhere readers and contributors meet facets."""

from __future__ import annotations

import copy
import html
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dl4mic_hub import schema, validate
from dl4mic_hub.facets import derive_facets
from dl4mic_hub.render import render_site
from dl4mic_hub.validate import validate_catalogue

SMALL = Path(__file__).parent / "fixtures" / "render" / "small"
MODALITIES = """\
label: {fr: Modalités d'imagerie, en: Imaging modalities}
order: 33
chips: true
values:
  fluorescence: {label: {fr: Fluorescence, en: Fluorescence}}
  electron: {label: {fr: Microscopie électronique, en: Electron microscopy}}
"""


def test_facets_follow_the_schemas_and_the_vocabulary_settings() -> None:
    catalogue = validate_catalogue(SMALL).catalogue
    facets = {f.name: f for f in derive_facets(catalogue)}
    assert facets["tasks"].fields == {"resource": "tasks", "cheatsheet": "tasks"}
    assert facets["levels"].fields == {"resource": "level"}
    assert facets["kinds"].implied == {"faq": "faq", "cheatsheet": "cheatsheet",
                                       "glossary": "glossary"}
    assert facets["status"].defaults == {"resource": "active", "cheatsheet": "active"}
    orders = [f.order for f in facets.values()]
    assert orders == sorted(orders)
    assert "link-types" not in facets  # nested in links[], not a facet of the entry


@pytest.fixture
def with_modalities(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the small catalogue with a `modalities` vocabulary, a schema property that
    uses it and an entry that sets it. No Python changes."""
    root = tmp_path / "small"
    shutil.copytree(SMALL, root)
    (root / "vocab" / "modalities.yml").write_text(MODALITIES, encoding="utf-8")
    alpha = root / "resources" / "alpha-tool.yml"
    alpha.write_text(alpha.read_text(encoding="utf-8") + "modalities: [electron]\n",
                     encoding="utf-8")
    schemas = copy.deepcopy(schema.load_schemas())
    schemas["resource.schema.json"]["properties"]["modalities"] = {
        "type": "array",
        "items": {"type": "string", "x-vocabulary": "modalities"},
        "description": "Imaging modalities it works with (vocab/modalities.yml).",
    }

    def patched() -> dict[str, dict[str, Any]]:
        return schemas

    caches = (schema.field_specs, validate.inlined_schema)
    for cached in caches:
        cached.cache_clear()
    monkeypatch.setattr(schema, "load_schemas", patched)
    yield root
    for cached in caches:  # the next tests see the real schemas again
        cached.cache_clear()


def test_a_new_vocabulary_and_schema_property_make_a_facet_everywhere(
    with_modalities: Path,
) -> None:
    result = validate_catalogue(with_modalities)
    assert result.ok, [d.format_text() for d in result.diagnostics]
    assert "modalities" in [f.name for f in derive_facets(result.catalogue)]
    site = render_site(result.catalogue)
    en = {path: html.unescape(text) for path, text in site.pages["en"].items()}
    # entry page: a fact linking to the explorer
    assert '<a href="../../explore/?modalities=electron">Electron microscopy</a>' in (
        en["resources/alpha-tool.md"]
    )
    # lists: a chip, and the filter attribute on the entry
    assert '<li class="dl-chip">Electron microscopy</li>' in en["sections/tools.md"]
    assert 'data-f-modalities="electron"' in en["sections/tools.md"]
    # section filter: offered, since only some tools set it
    assert '<select name="modalities">' in en["sections/tools.md"]
    # explorer: a checkbox per value in use, and the search index knows the facet
    assert '<input type="checkbox" name="modalities" value="electron">' in en["explore.md"]
    index = json.loads(site.files["en"]["assets/search-index.json"])
    assert "modalities" in [f["name"] for f in index["facets"]]
    card = next(d for d in index["docs"] if d["id"] == "alpha-tool")
    assert card["facets"]["modalities"] == ["electron"]
    # searchable by its label in both languages
    assert "electron" in index["words"]


def test_a_missing_vocabulary_named_by_a_schema_is_an_error(with_modalities: Path) -> None:
    (with_modalities / "vocab" / "modalities.yml").unlink()
    messages = [d.format_text() for d in validate_catalogue(with_modalities).diagnostics]
    assert any("the vocabulary 'modalities' is missing" in m for m in messages), messages
