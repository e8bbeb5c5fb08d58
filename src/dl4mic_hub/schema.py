"""The JSON Schemas shipped with the package: the single definition of the catalogue format.

Other stages read them through this module: the validator checks files against them, facets and
the scaffold's prompts are derived from their fields, the exports publish them. ``$ref``s are
inlined here once, so a reader sees each field with its shared definition merged in.
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


@cache
def inlined_schema(name: str) -> dict[str, Any]:
    """The schema ``name`` with every ``$ref`` replaced by what it points to: the same rules,
    checked without a reference lookup at each value (a third of jsonschema's time here).
    Sibling keywords of a ``$ref`` are merged into its target, as both apply."""
    inlined = inline_refs(load_schemas()[name], load_schemas(), name)
    assert isinstance(inlined, dict)
    return inlined


def inline_refs(node: Any, schemas: Mapping[str, Any], base: str) -> Any:
    """``node`` with its ``$ref``s resolved (``file#/pointer`` or ``#/pointer`` in ``base``)."""
    if isinstance(node, list):
        return [inline_refs(item, schemas, base) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    ref = node.get("$ref")
    if isinstance(ref, str):
        file, _, pointer = ref.partition("#")
        target: Any = schemas[file or base]
        for part in filter(None, pointer.split("/")):
            target = target[part]
        result = inline_refs(target, schemas, file or base)
    siblings = {k: inline_refs(v, schemas, base) for k, v in node.items() if k != "$ref"}
    return _merge_schemas(result, siblings) if result else siblings


# Words about a field, in both languages: a field's own replace those of the definition it
# refers to, which are more general ("Date ..." becomes "Date the entry was added ...").
ANNOTATIONS = ("title", "description", "x-description-fr")


def _merge_schemas(target: dict[str, Any], siblings: dict[str, Any]) -> dict[str, Any]:
    merged = dict(target)
    for key, value in siblings.items():
        if key not in merged or key in ANNOTATIONS:
            merged[key] = value  # the field's own description is the more precise one
        elif key == "properties" and isinstance(value, dict):
            merged[key] = {
                name: _merge_schemas(merged[key].get(name, {}), spec)
                for name, spec in {**merged[key], **value}.items()
            }
        elif merged[key] != value:  # both constrain the same keyword: keep both, as allOf
            return {"allOf": [target, siblings]}
    return merged


@dataclass(frozen=True)
class FieldSpec:
    """One top-level field of an entry type, with what the other stages need to know of it."""

    name: str
    spec: dict[str, Any]  # the field's schema, every $ref inlined
    required: bool
    vocabulary: str | None  # x-vocabulary of the value or of the list items
    multiple: bool  # a list of values
    i18n: bool  # a {fr, en} object

    @property
    def shown_to_readers(self) -> bool:
        """False for maintainers' fields (``x-shown-to-readers: false``): no page shows them,
        so the addresses they cite as evidence are not links to check."""
        return self.spec.get("x-shown-to-readers", True) is not False

    @property
    def description(self) -> str:
        return " ".join(str(self.spec.get("description", "")).split())

    @property
    def description_fr(self) -> str:
        """The description in French (``x-description-fr``), for contributors who read
        French first; empty when a schema gives none."""
        return " ".join(str(self.spec.get("x-description-fr", "")).split())

    @property
    def excluded(self) -> frozenset[str]:
        """Vocabulary keys the field refuses (``not: {enum: [...]}``): a resource's kind is
        never faq, which the kinds vocabulary holds for FAQ entries."""
        return excluded_keys(self.spec.get("items", self.spec) if self.multiple else self.spec)


def excluded_keys(spec: Any) -> frozenset[str]:
    """The values a (sub)schema refuses with ``not: {enum: [...]}``."""
    refused = spec.get("not") if isinstance(spec, dict) else None
    if not isinstance(refused, dict):
        return frozenset()
    return frozenset(str(value) for value in refused.get("enum", ()))


@cache
def field_specs(schema_file: str) -> tuple[FieldSpec, ...]:
    """The top-level fields of an entry schema, in schema order."""
    schema = inlined_schema(schema_file)
    required = set(schema.get("required", []))
    specs: list[FieldSpec] = []
    for name, spec in schema.get("properties", {}).items():
        multiple = spec.get("type") == "array"
        items = spec.get("items", {}) if multiple else spec
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


@cache
def fields_for_readers(schema_file: str) -> frozenset[str]:
    """The top-level fields of an entry schema that pages show to readers."""
    return frozenset(spec.name for spec in field_specs(schema_file) if spec.shown_to_readers)


@cache
def reserved_fields(schema_file: str) -> dict[str, tuple[str, str]]:
    """Fields an entry may hold only with one value of another field, read from the schema's
    rules (``allOf: [{if: {required: [edition]}, then: {properties: {kind: {const: book}}}}]``):
    ``{"edition": ("kind", "book")}``."""
    reserved: dict[str, tuple[str, str]] = {}
    for rule in load_schemas()[schema_file].get("allOf", []):
        needed = rule.get("if", {}).get("required", []) if isinstance(rule, dict) else []
        then = rule.get("then", {}).get("properties", {}) if isinstance(rule, dict) else {}
        constants = [(name, spec["const"]) for name, spec in then.items()
                     if isinstance(spec, dict) and isinstance(spec.get("const"), str)]
        if len(needed) == 1 and len(constants) == 1:
            reserved[needed[0]] = constants[0]
    return reserved


def implied_values(schema_file: str) -> dict[str, str]:
    """Vocabulary keys every entry of a type carries without writing them (``x-implied``): the
    FAQ, cheat sheets and the glossary are kinds of entries, like a resource's ``kind``."""
    implied = load_schemas()[schema_file].get("x-implied", {})
    return {str(k): str(v) for k, v in implied.items()}
