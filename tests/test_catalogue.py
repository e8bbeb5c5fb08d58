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


def test_every_status_other_than_active_shows_a_badge_in_both_languages() -> None:
    import html

    from dl4mic_hub.facets import derive_facets
    from dl4mic_hub.render import entry_page, render_site

    catalogue = validate_catalogue(CATALOGUE).catalogue
    site = render_site(catalogue)
    status_facet = next(f for f in derive_facets(catalogue) if f.name == "status")
    flagged = [e for e in catalogue.all_entries() if status_facet.keys(e) not in ([], ["active"])]
    assert len(flagged) >= 10  # the content review found at least that many
    for entry in flagged:
        status = catalogue.vocabularies["status"].terms[str(entry.string("status"))]
        path = entry_page(entry).partition("#")[0]
        for lang in LANGUAGES:
            page = html.unescape(site.pages[lang][path])
            assert f"{status.label[lang]}</p>" in page, (entry.id, lang)
            assert f'dl-status--{status.key}' in page, (entry.id, lang)


def test_the_catalogue_is_complete_where_biologists_start() -> None:
    catalogue = validate_catalogue(CATALOGUE).catalogue
    resources = catalogue.of_type("resource")
    assert len(resources) >= 140
    french = [r for r in resources if "fr" in r.strings("content_language")]
    assert len(french) >= 10
    ids = {r.id for r in resources}
    expected = {"micro-sam", "cellprofiler", "qupath", "piximi", "csbdeep", "n2v", "careamics",
                "label-studio", "image-data-resource", "bioimage-archive", "biii",
                "france-bioimaging", "introduction-to-bioimage-analysis"}
    assert expected <= ids, expected - ids


def test_an_answer_starts_with_the_trainers_words_not_an_editors_note() -> None:
    # the explorer's cards, the page description and the structured data show an answer's
    # beginning: two answers opened with our note, so their cards showed only the note
    catalogue = validate_catalogue(CATALOGUE).catalogue
    notes = ("*Précision de la rédaction", "*Editor's note")
    opening = [f"{entry.id} ({lang})" for entry in catalogue.of_type("faq")
               for lang, text in entry.text("answer").items() if text.startswith(notes)]
    assert opening == []


def test_every_question_says_who_asked_it() -> None:
    # the FAQ page presents its answers as the trainers': two questions our editors wrote
    # arrived without an origin, so nothing on the page told them apart
    catalogue = validate_catalogue(CATALOGUE).catalogue
    assert [entry.id for entry in catalogue.of_type("faq") if not entry.string("origin")] == []
    editors = [entry.id for entry in catalogue.of_type("faq")
               if entry.string("origin") == "editors"]
    assert "gpu-for-applying-a-model" in editors


def test_a_resource_that_is_over_comes_after_current_ones_in_search() -> None:
    # the home page's "Pretrained models" start listed AI4Life (ended) and a discontinued
    # platform near the top: every status that ends a resource lowers its search score
    status = validate_catalogue(CATALOGUE).catalogue.vocabularies["status"]
    ended = {key: term.search_weight for key, term in status.terms.items() if term.ended}
    assert ended and all(weight < 1 for weight in ended.values()), ended
