"""How findings are written for people and for GitHub (diagnostics.py)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from dl4mic_hub.diagnostics import (
    UNSAFE_CATEGORIES,
    Origin,
    UserError,
    display_path,
    error,
    has_errors,
    one_line,
    sort_key,
    warning,
)

HERE = Origin("catalogue/resources/cellpose.yml", 14, 11)


def test_text_format_with_and_without_hint() -> None:
    found = error(HERE, "unknown task 'segmentaton'", "did you mean 'segmentation'?")
    assert found.format_text() == (
        "catalogue/resources/cellpose.yml:14:11: error: unknown task 'segmentaton' "
        "(hint: did you mean 'segmentation'?)"
    )
    assert warning(HERE, "no English text").format_text() == (
        "catalogue/resources/cellpose.yml:14:11: warning: no English text"
    )


def test_github_annotation() -> None:
    assert error(HERE, "bad: value", "fix it").format_github() == (
        "::error file=catalogue/resources/cellpose.yml,line=14,col=11::bad: value (hint: fix it)"
    )
    assert warning(HERE, "careful").format_github() == (
        "::warning file=catalogue/resources/cellpose.yml,line=14,col=11::careful"
    )


def test_github_annotation_escapes_what_would_end_or_split_it() -> None:
    # GitHub reads '%' as an escape, and ',' and ':' also in properties; line breaks become
    # visible escapes, so the annotation stays one workflow command
    odd = Origin("cat,a:b%.yml", 1, 2)
    assert error(odd, "50% done\r\n::error file=x::forged", "a, b: c").format_github() == (
        "::error file=cat%2Ca%3Ab%25.yml,line=1,col=2::50%25 done\\r\\n::error file=x::forged "
        "(hint: a, b: c)"
    )


# Values and file names come from strangers' pull requests.
FORGERIES = [
    "x\ncatalogue/resources/ok.yml:1:1: error: forged",
    "x\rcatalogue/resources/ok.yml:1:1: error: forged",
    "x\u2028catalogue/resources/ok.yml:1:1: error: forged",  # a Unicode line separator
    "x\x85next line",  # NEL
    "safe\u202eexe.yml",  # right-to-left override: shows the end of the line reversed
    "bell\x07 escape\x1b[31m",
]


@pytest.mark.parametrize("value", FORGERIES)
def test_a_value_never_makes_a_second_line_or_reorders_the_text(value: str) -> None:
    found = error(Origin(f"catalogue/{value}.yml", 3, 4), f"bad value '{value}'", value)
    for line in (found.format_text(), found.format_github()):
        assert len(line.splitlines()) == 1
        assert not any(unicodedata.category(c) in UNSAFE_CATEGORIES for c in line), line
    assert found.format_text().startswith("catalogue/")
    assert found.format_text().count(":3:4: error: ") == 1


def test_escapes_are_visible_and_plain_text_is_unchanged() -> None:
    assert one_line("a\nb\tc\u202ed\x00") == "a\\nb\\tc\\u202ed\\x00"
    french = "Noyaux\u00a0: détection « auto-supervisée » – 3D"  # no-break space is fine
    assert one_line(french) == french


def test_a_colon_in_a_file_name_cannot_fake_the_position() -> None:
    found = error(Origin("catalogue/resources/a.yml:9:9: error: x.yml", 2, 1), "m")
    assert found.format_text() == (
        "catalogue/resources/a.yml\\:9\\:9\\: error\\: x.yml:2:1: error: m"
    )
    assert re.match(r"^(.+?):(\d+):(\d+): ", found.format_text()).groups()[1:] == ("2", "1")


def test_origin_defaults_to_the_start_of_the_file() -> None:
    assert str(Origin("catalogue/vocab/tasks.yml")) == "catalogue/vocab/tasks.yml:1:1"


def test_sorting_is_by_file_then_position_then_message() -> None:
    found = [
        error(Origin("b.yml", 1, 1), "z"),
        error(Origin("a.yml", 10, 1), "y"),
        warning(Origin("a.yml", 2, 5), "x"),
        error(Origin("a.yml", 2, 5), "w"),
    ]
    assert [d.message for d in sorted(found, key=sort_key)] == ["w", "x", "y", "z"]


def test_only_errors_count_as_errors() -> None:
    assert not has_errors([warning(HERE, "a"), warning(HERE, "b")])
    assert has_errors([warning(HERE, "a"), error(HERE, "b")])
    assert not has_errors([])


def test_display_path_is_relative_to_the_base_then_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    entry = tmp_path / "catalogue" / "faq" / "q.yml"
    assert display_path(entry) == "catalogue/faq/q.yml"
    assert display_path(entry, tmp_path / "catalogue") == "faq/q.yml"
    assert display_path(Path("/elsewhere/q.yml")) == "/elsewhere/q.yml"


def test_user_error_reads_as_the_message_lines() -> None:
    found = [error(HERE, "one", "fix one"), warning(Origin("x.yml"), "two")]
    exc = UserError(found)
    assert exc.diagnostics == found
    assert str(exc) == (
        "catalogue/resources/cellpose.yml:14:11: error: one (hint: fix one)\n"
        "x.yml:1:1: warning: two"
    )
