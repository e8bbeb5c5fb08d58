"""The real catalogue: valid, fully translated, and every vocabulary key in use is labelled."""

from __future__ import annotations

from pathlib import Path

from dl4mic_hub import LANGUAGES
from dl4mic_hub.validate import validate_catalogue

CATALOGUE = Path(__file__).resolve().parents[1] / "catalogue"


def test_real_catalogue_has_no_error_and_no_warning() -> None:
    result = validate_catalogue(CATALOGUE)
    assert [d.format_text() for d in result.diagnostics] == []


def test_every_entry_type_has_real_entries() -> None:
    catalogue = validate_catalogue(CATALOGUE).catalogue
    for entry_type in ("resource", "faq", "cheatsheet", "glossary"):
        assert catalogue.of_type(entry_type), f"no {entry_type} entry"


def test_every_vocabulary_label_exists_in_every_language() -> None:
    catalogue = validate_catalogue(CATALOGUE).catalogue
    missing = [
        f"{vocab.display}: {term.key} has no {lang} label"
        for vocab in catalogue.vocabularies.values()
        for term in vocab.terms.values()
        for lang in LANGUAGES
        if lang not in term.label
    ]
    assert missing == []
