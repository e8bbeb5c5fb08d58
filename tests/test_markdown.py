"""Raw HTML and link targets in the Markdown of catalogue texts (markdown.py)."""

from __future__ import annotations

import pytest

from dl4mic_hub.markdown import blank_code, find_images, find_raw_html, iter_links, scheme_of

# --- find_raw_html ------------------------------------------------------------------------------


def test_tags_and_comments_are_found_with_their_position() -> None:
    text = "Un <b>noyau</b> bien net.\n  Puis <img src='x.png'/> et <!-- note -->"
    assert list(find_raw_html(text)) == [
        ("<b>", 0, 4),
        ("</b>", 0, 12),
        ("<img src='x.png'/>", 1, 8),
        ("<!--", 1, 30),
    ]


def test_upper_case_and_spaced_closing_tags_are_html() -> None:
    assert list(find_raw_html("a <BR> b </div > c")) == [("<BR>", 0, 3), ("</div >", 0, 10)]


@pytest.mark.parametrize(
    "text",
    [
        "Le code `<div>` est permis.",  # code span
        "`` a ` <b> ``",  # code span with a backtick inside
        "```\n<div class='x'>\n```",  # fenced code block
        "~~~html\n<p>\n~~~",  # tilde fence with an info string
        "Lien automatique : <https://cellpose.org> ou <mailto:aide@example.org>.",
        "si a < b et c > d, alors 3<4",  # comparisons are prose, not tags
        "",
    ],
)
def test_not_raw_html(text: str) -> None:
    assert list(find_raw_html(text)) == []


def test_positions_after_a_fence_count_the_fence_lines() -> None:
    text = "```\n<div>\n```\napres <span class='a'>"
    assert list(find_raw_html(text)) == [("<span class='a'>", 3, 7)]


# --- iter_links ---------------------------------------------------------------------------------


def test_inline_links_autolinks_and_bare_urls_with_positions() -> None:
    text = (
        "Voir la [doc](https://a.org/x) et <https://b.org>\n"
        "ou https://c.org/p. Puis ![logo](data:image/png;base64,AA)"
    )
    assert sorted(iter_links(text), key=lambda link: (link[1], link[2])) == [
        ("https://a.org/x", 0, 15),
        ("https://b.org", 0, 36),
        ("https://c.org/p", 1, 4),  # the full stop ends the sentence, not the URL
        ("data:image/png;base64,AA", 1, 34),
    ]


def test_link_titles_and_angle_brackets_are_not_part_of_the_target() -> None:
    assert list(iter_links('[x](https://e.org "Titre") [y](<https://f.org>)')) == [
        ("https://e.org", 0, 5),
        ("https://f.org", 0, 33),
    ]


def test_url_in_parentheses_in_prose_is_found() -> None:
    assert list(iter_links("Cellpose (https://cellpose.org) segmente.")) == [
        ("https://cellpose.org", 0, 11)
    ]


def test_reference_definitions_are_links() -> None:
    # Python-Markdown renders [text][ref] with the target defined further down
    text = "Voir [la démo][demo].\n\n[demo]: javascript:alert(1)"
    assert list(iter_links(text)) == [("javascript:alert(1)", 2, 9)]


def test_an_inline_target_is_reported_once() -> None:
    assert list(iter_links("[doc](https://a.org/x)")) == [("https://a.org/x", 0, 7)]


def test_links_in_code_are_ignored() -> None:
    assert list(iter_links("`https://code.org` et\n```\n[x](javascript:x)\n```")) == []


def test_anchor_and_mailto_targets_are_reported_for_the_caller_to_judge() -> None:
    assert list(iter_links("[a](#haut) [m](mailto:x@y.org)")) == [
        ("#haut", 0, 5),
        ("mailto:x@y.org", 0, 16),
    ]


# --- scheme_of ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "scheme"),
    [
        ("https://a.org", "https"),
        ("JavaScript:alert(1)", "javascript"),
        ("  data:text/html,x", "data"),
        ("mailto:a@b.org", "mailto"),
        ("www.a.org/x", None),
        ("//a.org", None),
        ("#anchor", None),
        ("java&#115;cript:alert(1)", None),  # not a scheme: reported as incomplete instead
    ],
)
def test_scheme_of(target: str, scheme: str | None) -> None:
    assert scheme_of(target) == scheme


# --- texts from strangers: every scan is linear (the fuzz test bounds their time) ---------------


@pytest.mark.parametrize(
    ("text", "links", "tags", "images"),
    [
        ("```x\n" * 20_000, 0, 0, 0),  # unclosed fences (a regex retried each one to the end)
        ("".join("`" * i + " a " for i in range(1, 300)), 0, 0, 0),  # unclosed backtick runs
        ("[a](" * 25_000, 0, 0, 0),  # unclosed link targets
        ("[a](x 'y" * 20_000 + ")", 20_000, 0, 0),  # titles up to one late ')'
        ("[a\n" * 30_000, 0, 0, 0),  # unclosed reference labels
        ("<b>" * 30_000, 0, 30_000, 0),
        ("![a" * 30_000, 0, 0, 0),  # unclosed image alt texts
        ("![" * 30_000 + "a]" + " " * 30_000 + "(x)", 0, 0, 1),  # many '![' share one ']'
    ],
    ids=["fences", "backticks", "targets", "titles", "labels", "tags", "images", "alt-texts"],
)
def test_hostile_texts_get_the_right_answer(text: str, links: int, tags: int,
                                            images: int) -> None:
    assert len(list(iter_links(text))) == links
    assert len(list(find_raw_html(text))) == tags
    assert len(list(find_images(text))) == images


def test_code_is_blanked_as_commonmark_pairs_backtick_runs() -> None:
    text = "a ``x ` y`` b `z` ```c``"
    assert blank_code(text) == "a " + " " * 9 + " b " + " " * 3 + " ```c``"  # no 3-run closes
    assert blank_code("```\n<b>\n```\n<i>") == "   \n   \n   \n<i>"
    assert blank_code("```\n<b>\n~~~\n<i>") == "```\n<b>\n~~~\n<i>"  # unclosed: still checked
