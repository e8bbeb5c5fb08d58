"""``data/catalogue.json`` and the JSON Schemas that describe it, published under ``schemas/``.

Each entry carries what a harvester needs without reading the pages: its names and summaries
in both languages (plain text), its facets as keys with their labels in both languages, its
status, its page in each language, and ``record``: the validated catalogue file itself, which
the entry-type schema of the same build describes (``schemas/<type>.schema.json``). Every
schema gets a stable ``$id`` under the site's address, so their ``$ref``s resolve there.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from .. import LANGUAGES, markup
from ..model import ENTRY_TYPES, Entry
from ..render import name_field, summary_field
from ..schema import load_schemas
from . import (
    ATTRIBUTION,
    CATALOGUE_SCHEMA,
    CATALOGUE_TITLE,
    CONTENT_LICENCE,
    SCHEMA_FOLDER,
    Addresses,
    newest_date,
    web_address,
)

if TYPE_CHECKING:
    from ..render import _SiteRenderer

#: The shared definitions the entry-type schemas point at.
COMMON_SCHEMA = "common.schema.json"


def plain_data(value: Any) -> Any:
    """A loaded YAML value as plain JSON data (the loader's located types dropped)."""
    if isinstance(value, dict):
        return {str(key): plain_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain_data(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value


def plain_texts(entry: Entry, name: str) -> dict[str, str]:
    """A ``{fr, en}`` text field as plain text, in the languages it is written in."""
    return {lang: markup.plain(text) for lang, text in sorted(entry.text(name).items())}


def _labels(site: _SiteRenderer, vocabulary: str, key: str) -> dict[str, str]:
    vocab = site.catalogue.vocabularies[vocabulary]
    return {lang: vocab.label_of(key, lang) for lang in LANGUAGES}


def entry_facets(site: _SiteRenderer, entry: Entry) -> dict[str, list[dict[str, Any]]]:
    """``{facet: [{key, label: {fr, en}}]}`` for every facet the entry has a value of."""
    return {
        facet.name: [{"key": key, "label": _labels(site, facet.name, key)} for key in keys]
        for facet in site.facets
        if (keys := facet.keys(entry))
    }


def entry_record(site: _SiteRenderer, entry: Entry) -> dict[str, Any]:
    addresses = site.addresses
    status_keys = site.facet("status").keys(entry) if _has_facet(site, "status") else []
    return {
        "id": entry.id,
        "type": entry.type.name,
        "name": plain_texts(entry, name_field(entry)),
        "summary": plain_texts(entry, summary_field(entry)),
        "url": web_address(entry.string("url")),
        "pages": {lang: addresses.entry(lang, entry) for lang in LANGUAGES},
        "status": (
            {"key": status_keys[0], "label": _labels(site, "status", status_keys[0])}
            if status_keys else None
        ),
        "facets": entry_facets(site, entry),
        "added": entry.string("added"),
        "reviewed": entry.string("reviewed"),
        "record": plain_data(entry.data),
    }


def _has_facet(site: _SiteRenderer, name: str) -> bool:
    return any(facet.name == name for facet in site.facets)


def catalogue_json(site: _SiteRenderer) -> str:
    addresses = site.addresses
    catalogue = site.catalogue
    data = {
        "$schema": addresses.file(CATALOGUE_SCHEMA),
        "title": CATALOGUE_TITLE,
        "version": newest_date(catalogue.all_entries()),
        "license": {
            "id": CONTENT_LICENCE.spdx,
            "name": CONTENT_LICENCE.name,
            "url": CONTENT_LICENCE.url,
        },
        "attribution": ATTRIBUTION,
        "source": site.repo_url,
        "sites": {lang: addresses.root(lang) for lang in LANGUAGES},
        "facets": [
            {
                "name": facet.name,
                "label": dict(sorted(catalogue.vocabularies[facet.name].label.items())),
                "fields": dict(sorted(facet.fields.items())),
                "values": [
                    {"key": key, "label": _labels(site, facet.name, key)}
                    for key in catalogue.vocabularies[facet.name].terms
                ],
            }
            for facet in site.facets
        ],
    }
    # One entry a line: compact (about 640 KB for 176 entries), and a change to
    # one entry is a one-line difference between two builds.
    head = json.dumps(data, ensure_ascii=False, indent=1)[:-2]
    entries = ",\n".join(
        json.dumps(entry_record(site, entry), ensure_ascii=False, separators=(",", ":"))
        for entry in catalogue.all_entries()
    )
    return f'{head},\n "entries": [\n{entries}\n ]\n}}\n'


def _with_id(schema: dict[str, Any], address: str) -> dict[str, Any]:
    """The schema with its ``$id`` first (the address it is published at)."""
    return {"$schema": schema.get("$schema"), "$id": address,
            **{k: v for k, v in schema.items() if k not in ("$schema", "$id")}}


def catalogue_schema(addresses: Addresses) -> str:
    source = files("dl4mic_hub") / "export" / "catalogue.schema.json"
    schema = json.loads(source.read_text(encoding="utf-8"))
    # One entry type, one record schema: derived here so that a new type needs no edit.
    entry = schema["$defs"]["entry"]
    entry["properties"]["type"]["enum"] = [entry_type.name for entry_type in ENTRY_TYPES]
    entry["allOf"] = [
        {
            "if": {"properties": {"type": {"const": entry_type.name}}},
            "then": {"properties": {"record": {"$ref": entry_type.schema}}},
        }
        for entry_type in ENTRY_TYPES
    ]
    return json.dumps(_with_id(schema, addresses.file(CATALOGUE_SCHEMA)),
                      ensure_ascii=False, indent=2) + "\n"


def published_schemas(addresses: Addresses) -> dict[str, str]:
    """The entry-type schemas and their shared definitions, as published next to the export."""
    schemas = load_schemas()
    names = [entry_type.schema for entry_type in ENTRY_TYPES] + [COMMON_SCHEMA]
    return {
        SCHEMA_FOLDER + name: json.dumps(
            _with_id(schemas[name], addresses.file(SCHEMA_FOLDER + name)),
            ensure_ascii=False, indent=2,
        ) + "\n"
        for name in sorted(names)
    }
