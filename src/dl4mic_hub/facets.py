"""Facets: the closed sets of values readers filter on, derived from the schemas.

A facet is a vocabulary (``vocab/<name>.yml``) used by a top-level field of some entry type
(``x-vocabulary`` in the schema). Nothing lists facets in code: a new vocabulary plus one schema
property is a new facet, on section pages, in the explorer, on entry pages, in the exports and
in ``dl4mic-hub new``. The vocabulary file says how it is shown (``order``, ``chips``); the
schema may give a ``default`` (``status`` is ``active`` when absent) and an entry type may imply
a value for all its entries (``x-implied``: every FAQ entry is of kind ``faq``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .model import ENTRY_TYPES, Catalogue, Entry
from .schema import field_specs, implied_values


@dataclass(frozen=True)
class Facet:
    """A vocabulary readers can filter on, and where each entry type keeps its values."""

    name: str  # the vocabulary's name; also the facet's URL parameter
    fields: dict[str, str]  # entry type → field holding the keys
    implied: dict[str, str]  # entry type → the key all its entries carry
    defaults: dict[str, str] = field(default_factory=dict)  # entry type → key when absent
    order: int = 100
    chips: bool = False
    # keys already computed, by entry (pages, lists, search and exports all ask, many times)
    _known: dict[int, tuple[Entry, list[str]]] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def keys(self, entry: Entry) -> list[str]:
        """The facet's keys for ``entry`` (empty when the facet does not apply or is unset).
        The list is shared: do not change it."""
        known = self._known.get(id(entry))
        if known is not None and known[0] is entry:
            return known[1]
        keys = self._keys(entry)
        self._known[id(entry)] = (entry, keys)  # the entry is kept, so its id is never reused
        return keys

    def _keys(self, entry: Entry) -> list[str]:
        type_name = entry.type.name
        if type_name in self.implied:
            return [self.implied[type_name]]
        name = self.fields.get(type_name)
        if name is None:
            return []
        keys = entry.strings(name)
        if not keys and type_name in self.defaults:
            return [self.defaults[type_name]]
        return keys


def derive_facets(catalogue: Catalogue) -> list[Facet]:
    """Every facet of the catalogue, in display order (vocabulary ``order``, then name).

    A field naming a vocabulary that does not exist is left out here: the validator reports it.
    """
    fields: dict[str, dict[str, str]] = {}
    implied: dict[str, dict[str, str]] = {}
    defaults: dict[str, dict[str, str]] = {}
    for entry_type in ENTRY_TYPES:
        for spec in field_specs(entry_type.schema):
            if spec.vocabulary is None:
                continue
            fields.setdefault(spec.vocabulary, {})[entry_type.name] = spec.name
            if isinstance(spec.spec.get("default"), str):
                defaults.setdefault(spec.vocabulary, {})[entry_type.name] = spec.spec["default"]
        for implied_vocabulary, key in implied_values(entry_type.schema).items():
            implied.setdefault(implied_vocabulary, {})[entry_type.name] = key
    facets = []
    for vocabulary_name in sorted(set(fields) | set(implied)):
        vocabulary = catalogue.vocabularies.get(vocabulary_name)
        if vocabulary is None:
            continue
        name = vocabulary_name
        facets.append(
            Facet(
                name=name,
                fields=fields.get(name, {}),
                implied=implied.get(name, {}),
                defaults=defaults.get(name, {}),
                order=vocabulary.order,
                chips=vocabulary.chips,
            )
        )
    return sorted(facets, key=lambda f: (f.order, f.name))


def used_keys(facet: Facet, entries: Iterable[Entry]) -> set[str]:
    return {key for entry in entries for key in facet.keys(entry)}
