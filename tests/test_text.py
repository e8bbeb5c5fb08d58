"""Shared text helpers (text.py): ids from titles, "did you mean", positions in a text."""

from __future__ import annotations

import pytest

from dl4mic_hub.text import LinePositions, did_you_mean, line_col, shorten, slugify


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Antisèche : Deep Learning (GlobalSQA)", "antiseche-deep-learning-globalsqa"),
        ("Pl@ntNet: images de plantes", "pl-ntnet-images-de-plantes"),
        ("Œuvre «  à part »", "oeuvre-a-part"),  # Œ has no decomposition: fold writes it "oe"
        ("日本語", ""),
        ("x" * 80, "x" * 60),  # one word longer than an id: cut
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_slugify_cuts_at_a_word_boundary() -> None:
    slug = slugify("segmentation " * 10)
    assert len(slug) <= 60
    assert slug.split("-") == ["segmentation"] * 4


@pytest.mark.parametrize(
    ("text", "limit", "short"),
    [
        ("Quel GPU acheter ?", 18, "Quel GPU acheter ?"),  # fits: unchanged
        ("Quel GPU acheter pour la microscopie ?", 20, "Quel GPU acheter…"),
        ("Des noyaux. Des cellules aussi", 15, "Des noyaux…"),  # no stop before "…"
        ("Déconvolution", 8, "Déconvo…"),  # one word longer than the limit: cut inside it
        ("Deux outils\u00a0: Cellpose et StarDist", 14, "Deux outils…"),  # French spacing
    ],
)
def test_shorten_cuts_at_a_word(text: str, limit: int, short: str) -> None:
    assert shorten(text, limit) == short


def test_did_you_mean_suggests_a_typo_away_only() -> None:
    keys = ["segmentation", "classification", "denoising"]
    assert did_you_mean("segmentaton", keys) == "did you mean 'segmentation'? "
    assert did_you_mean("tracking", keys) == ""


def test_positions_are_one_based_and_the_inverse_holds() -> None:
    text = "ab\ncd\r\n\nef"
    positions = LinePositions(text)
    assert [positions.at(i) for i in (0, 1, 3, 8, 9)] == [(1, 1), (1, 2), (2, 1), (4, 1), (4, 2)]
    assert all(positions.offset(*positions.at(i)) == i for i in range(len(text)))
    assert positions.offset(9, 1) == -1
    assert line_col(text, 4) == (2, 2)


def test_a_french_date_in_words_never_wraps() -> None:
    # "3 novembre" / "2022" across two lines in an entry's description (a reader's check)
    from dl4mic_hub.text import french_spacing

    nbsp = "\u00a0"
    assert french_spacing("publié le 3 novembre 2022.") == f"publié le 3{nbsp}novembre{nbsp}2022."
    assert french_spacing("le 1er mars 2026 ?") == f"le 1er{nbsp}mars{nbsp}2026{nbsp}?"
    assert french_spacing("12 avril, 2022 images") == "12 avril, 2022 images"  # no date
