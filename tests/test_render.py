"""Render stage: bilingual pages with identical paths, visible fallbacks, stable output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dl4mic_hub.render import escape_cell, render_site, sort_key, strip_links
from dl4mic_hub.validate import validate_catalogue

SMALL = Path(__file__).parent / "fixtures" / "render" / "small"


@pytest.fixture(scope="module")
def rendered():  # type: ignore[no-untyped-def]
    result = validate_catalogue(SMALL)
    assert result.ok, [d.format_text() for d in result.diagnostics]
    return render_site(result.catalogue, repo_url="https://github.com/example/hub")


def test_both_languages_have_the_same_pages(rendered) -> None:  # type: ignore[no-untyped-def]
    assert set(rendered.pages["fr"]) == set(rendered.pages["en"])
    assert {
        "index.md",
        "faq.md",
        "glossary.md",
        "cheatsheets.md",
        "recent.md",
        "contribute.md",
        "sections/tools.md",
        "sections/courses.md",
        "resources/alpha-tool.md",
        "resources/beta-course.md",
        "resources/eco-annotator.md",
    } <= set(rendered.pages["fr"])


def test_rendering_is_deterministic() -> None:
    first = render_site(validate_catalogue(SMALL).catalogue)
    second = render_site(validate_catalogue(SMALL).catalogue)
    assert first.pages == second.pages


def test_missing_translation_is_shown_in_the_other_language_with_a_notice(rendered) -> None:  # type: ignore[no-untyped-def]
    page = rendered.pages["en"]["resources/alpha-tool.md"]
    assert '<div lang="fr" markdown="1">\n\nTexte **français** seulement.\n\n</div>' in page
    assert "This text is not translated into English yet; it is shown in French." in page
    assert '!!! warning "Missing translation"' in page
    assert "fallbacks: 1" in page  # front matter flag for the page
    # The French page has everything in French: no notice.
    assert "Missing translation" not in rendered.pages["fr"]["resources/alpha-tool.md"]
    assert "Traduction manquante" not in rendered.pages["fr"]["resources/alpha-tool.md"]


def test_fallbacks_are_counted_per_language(rendered) -> None:  # type: ignore[no-untyped-def]
    counts = rendered.fallback_counts()
    assert counts["fr"] == 0
    fields = sorted((f.entry_id, f.field, f.page) for f in rendered.fallbacks["en"])
    # beta-course's summary shows on its page, on two section pages; alpha's description once;
    # epoch's definition on the glossary page.
    assert ("alpha-tool", "description", "resources/alpha-tool.md") in fields
    assert ("beta-course", "summary", "sections/courses.md") in fields
    assert ("beta-course", "summary", "sections/tools.md") in fields
    assert ("epoch", "definition", "glossary.md") in fields
    assert counts["en"] == len(fields)


def test_inline_fallback_keeps_its_language(rendered) -> None:  # type: ignore[no-untyped-def]
    section = rendered.pages["en"]["sections/courses.md"]
    assert '<span lang="fr">Un cours en français seulement.</span>' in section
    assert "(not translated)" in section


def test_section_groups_entries_by_first_task_in_vocabulary_order(rendered) -> None:  # type: ignore[no-untyped-def]
    page = rendered.pages["fr"]["sections/tools.md"]
    headings = re.findall(r"^## (.+?) \{", page, flags=re.M)
    assert headings == [
        "Bases de l'apprentissage profond",
        "Annotation",
        "Segmentation et détection",
    ]
    # A pipe inside a summary must not break the table.
    assert "Un outil de segmentation \\| avec une barre verticale." in page


def test_links_between_pages_are_relative_to_the_page(rendered) -> None:  # type: ignore[no-untyped-def]
    faq = rendered.pages["en"]["faq.md"]
    assert "[Alpha Screen](resources/alpha-tool.md)" in faq
    assert "[Loss function](glossary.md#loss)" in faq
    entry = rendered.pages["en"]["resources/alpha-tool.md"]
    assert "[Beta course](beta-course.md)" in entry
    assert "[Tools and software](../sections/tools.md)" in entry
    assert "https://github.com/example/hub/edit/main/small/resources/alpha-tool.yml" in entry


def test_open_question_invites_an_answer(rendered) -> None:  # type: ignore[no-untyped-def]
    faq = rendered.pages["fr"]["faq.md"]
    assert '!!! question "Question ouverte"' in faq
    assert "Cette question n'a pas encore de réponse" in faq
    assert "How to optimise the GPU?" in rendered.pages["en"]["faq.md"]


def test_entry_without_url_says_so(rendered) -> None:  # type: ignore[no-untyped-def]
    assert "Address unknown" in rendered.pages["en"]["resources/eco-annotator.md"]


def test_recent_lists_newest_first(rendered) -> None:  # type: ignore[no-untyped-def]
    page = rendered.pages["en"]["recent.md"]
    assert page.index("Beta course") < page.index("Alpha Screen")


def test_navigation_is_translated(rendered) -> None:  # type: ignore[no-untyped-def]
    assert rendered.nav["fr"][0] == {"Accueil": "index.md"}
    assert rendered.nav["en"][0] == {"Home": "index.md"}
    sections_fr = rendered.nav["fr"][1]["Rubriques"]
    assert {"Outils et logiciels": "sections/tools.md"} in sections_fr


def test_escape_cell_and_sort_key() -> None:
    assert escape_cell("a | b\nc") == "a \\| b c"
    assert sorted(["Zèbre", "écran", "Alpha"], key=sort_key) == ["Alpha", "écran", "Zèbre"]


def test_section_offers_filters_for_the_facets_its_entries_use(rendered) -> None:  # type: ignore[no-untyped-def]
    page = rendered.pages["en"]["sections/tools.md"]
    # Hidden until the script runs: without JavaScript the reader just sees every table.
    assert '<form class="dl-filters" hidden' in page
    assert '<select name="dims">' in page and '<option value="3d">3D</option>' in page
    assert '<option value="2d-t">' not in page  # no entry of the section is 2D + time
    assert '<select name="platforms">' in page and '<option value="fiji">' in page
    assert 'data-status="{shown} of {total} entries shown"' in page
    row = next(line for line in page.splitlines() if "alpha-tool.md" in line)
    assert ('<span class="dl-row" data-level="beginner" data-dims="2d" data-platforms="fiji" '
            'data-access="open-source" data-content_language="en"></span>') in row


def test_link_labels_keep_only_the_text_of_nested_links() -> None:
    question = "About [episode 1, video 4](https://www.youtube.com/watch?v=x&index=6): why?"
    assert strip_links(question) == "About episode 1, video 4: why?"
    assert strip_links("[a (b)](https://example.org/a_(b)) ![logo](logo.png)") == "a (b) logo"
