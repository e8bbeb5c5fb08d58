"""The JSON Schemas shipped with the package: the single definition of the catalogue format.

Other stages read them through this module: the validator checks files against them, facets and
the scaffold's prompts are derived from their fields, the exports publish them. ``$ref``s are
resolved here once, so a reader sees each field with its shared definition merged in.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from . import LANGUAGES


@cache
def load_schemas() -> dict[str, dict[str, Any]]:
    """Every JSON Schema shipped with the package, by file name."""
    folder = files("dl4mic_hub") / "schemas"
    return {
        item.name: json.loads(item.read_text(encoding="utf-8"))
        for item in folder.iterdir()
        if item.name.endswith(".schema.json")
    }


def resolve(node: Mapping[str, Any], home: str) -> dict[str, Any]:
    """``node`` (found in the schema file ``home``) with its ``$ref`` target merged in; keys
    written next to the ``$ref`` win, and ``properties`` are merged one level deep."""
    ref = node.get("$ref")
    if not ref:
        return dict(node)
    file, _, pointer = str(ref).partition("#")
    file = file or home
    target: Any = load_schemas()[file]
    for part in pointer.strip("/").split("/"):
        if part:
            target = target[part]
    merged = resolve(target, file)
    for key, value in node.items():
        if key == "properties" and isinstance(merged.get("properties"), dict):
            merged["properties"] = {
                k: {**merged["properties"].get(k, {}), **v} for k, v in value.items()
            }
        elif key != "$ref":
            merged[key] = value
    return merged


@dataclass(frozen=True)
class FieldSpec:
    """One top-level field of an entry type, with what the other stages need to know of it."""

    name: str
    spec: dict[str, Any]  # the field's schema, $ref resolved
    required: bool
    vocabulary: str | None  # x-vocabulary of the value or of the list items
    multiple: bool  # a list of values
    i18n: bool  # a {fr, en} object

    @property
    def description(self) -> str:
        return " ".join(str(self.spec.get("description", "")).split())


@cache
def field_specs(schema_file: str) -> tuple[FieldSpec, ...]:
    """The top-level fields of an entry schema, in schema order."""
    schema = load_schemas()[schema_file]
    required = set(schema.get("required", []))
    specs: list[FieldSpec] = []
    for name, raw in schema.get("properties", {}).items():
        spec = resolve(raw, schema_file)
        multiple = spec.get("type") == "array"
        items = resolve(spec.get("items", {}), schema_file) if multiple else spec
        props = spec.get("properties", {})
        specs.append(
            FieldSpec(
                name=name,
                spec=spec,
                required=name in required,
                vocabulary=items.get("x-vocabulary"),
                multiple=multiple,
                i18n=spec.get("type") == "object" and set(props) >= set(LANGUAGES),
            )
        )
    return tuple(specs)


def implied_values(schema_file: str) -> dict[str, str]:
    """Vocabulary keys every entry of a type carries without writing them (``x-implied``): the
    FAQ, cheat sheets and the glossary are kinds of entries, like a resource's ``kind``."""
    implied = load_schemas()[schema_file].get("x-implied", {})
    return {str(k): str(v) for k, v in implied.items()}
