"""Safe YAML loading with positions (load.py): located values, duplicate keys, syntax errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from dl4mic_hub.diagnostics import Origin
from dl4mic_hub.load import (
    LocatedDict,
    LocatedList,
    LocatedStr,
    load_yaml_file,
    origin_at,
    parse_yaml,
)

ENTRY = """\
# yaml-language-server: $schema=../../src/dl4mic_hub/schemas/resource.schema.json
id: cellpose
title: {fr: Cellpose, en: "Cellpose"}
sections:
  - tools
  - datasets
summary:
  fr: >-
    Segmentation de
    cellules.
added: 2026-11-23
"""


def parse(text: str) -> LocatedDict:
    data, diagnostics = parse_yaml(text, "f.yml")
    assert diagnostics == []
    assert isinstance(data, LocatedDict)
    return data


# --- located values -----------------------------------------------------------------------------


def test_values_keys_and_items_carry_their_origin() -> None:
    data = parse(ENTRY)
    assert data.origin == Origin("f.yml", 2, 1)
    assert data.key_origins["title"] == Origin("f.yml", 3, 1)
    assert data.value_origins["title"] == Origin("f.yml", 3, 8)
    assert data["title"].value_origins["en"] == Origin("f.yml", 3, 27)  # the opening quote
    sections = data["sections"]
    assert isinstance(sections, LocatedList)
    assert sections.item_origins == [Origin("f.yml", 5, 5), Origin("f.yml", 6, 5)]
    assert sections[1].origin == Origin("f.yml", 6, 5)


def test_text_knows_where_its_content_starts_and_how_it_was_written() -> None:
    data = parse(ENTRY)
    folded = data["summary"]["fr"]
    assert isinstance(folded, LocatedStr)
    assert folded == "Segmentation de cellules."
    assert (folded.origin.line, folded.content_line, folded.quoted) == (8, 9, False)
    assert data["title"]["en"].quoted is True
    assert data["id"].content_line == 2


def test_dates_stay_text_and_odd_keys_become_text() -> None:
    data = parse("added: 2026-11-23\n1: one\n")
    assert data["added"] == "2026-11-23"
    assert type(data["added"]) is LocatedStr  # not datetime.date
    assert list(data) == ["added", "1"]


def test_origin_at_follows_keys_and_list_positions() -> None:
    data = parse(ENTRY)
    assert origin_at(data, ("sections", 1)) == Origin("f.yml", 6, 5)
    assert origin_at(data, ("title", "fr")) == Origin("f.yml", 3, 13)
    assert origin_at(data, ("title",), key=True) == Origin("f.yml", 3, 1)
    assert origin_at(data, ()) == Origin("f.yml", 2, 1)


def test_origin_at_a_missing_place_is_the_nearest_existing_parent() -> None:
    data = parse(ENTRY)
    assert origin_at(data, ("title", "de")) == Origin("f.yml", 3, 8)
    assert origin_at(data, ("sections", 5)) == Origin("f.yml", 5, 3)  # the list's first '-'
    assert origin_at({"a": 1}, ("a",)) is None  # plain values know nothing


# --- positions inside text ----------------------------------------------------------------------

TEXTS = """\
plain: Un <b> ici
multi: un texte
  sur <b> deux lignes
folded: >-
  Premier paragraphe,
  puis <b> ici.
literal: |
  ligne un
    <b> indentée
double: "Un <b> ici"
single: 'l''<b> ici'
escaped: "a\\tb <b>"
"""


@pytest.mark.parametrize(
    ("key", "where"),
    [
        ("plain", (1, 11)),
        ("multi", (3, 7)),  # a plain scalar continued on the next line
        ("folded", (6, 8)),  # lines are joined in the value, not in the file
        ("literal", (9, 5)),  # indentation is removed from the value
        ("double", (10, 13)),
        ("single", (11, 13)),  # '' is one character in the value, two in the file
    ],
)
def test_origin_in_text_finds_the_character_in_the_file(
    key: str, where: tuple[int, int]
) -> None:
    value = parse(TEXTS)[key]
    index = value.index("<b>")
    line_offset = value.count("\n", 0, index)
    col = index - (value.rfind("\n", 0, index) + 1) + 1
    assert value.origin_in_text(line_offset, col) == Origin("f.yml", *where)
    line, column = where
    assert TEXTS.splitlines()[line - 1][column - 1 :].startswith("<b>")


def test_origin_in_text_with_escapes_stays_on_the_right_line() -> None:
    # escapes change lengths: the column is approximate, the line is still right
    value = parse(TEXTS)["escaped"]
    assert value.origin_in_text(0, value.index("<b>") + 1).line == 12


def test_windows_line_endings_keep_positions() -> None:
    data = parse("a: 1\r\nfolded: >-\r\n  un\r\n  deux <b>\r\n")
    value = data["folded"]
    assert value.origin_in_text(0, value.index("<b>") + 1) == Origin("f.yml", 4, 8)


# --- duplicate keys -----------------------------------------------------------------------------


def test_a_repeated_key_is_an_error_at_the_second_one_and_the_first_value_is_kept() -> None:
    data, diagnostics = parse_yaml("url: https://a.org\nid: x\nurl: https://b.org\n", "f.yml")
    assert [d.format_text() for d in diagnostics] == [
        "f.yml:3:1: error: the field 'url' is written twice (first at line 1) (hint: keep only "
        "one: otherwise the first value would be silently ignored)"
    ]
    assert data["url"] == "https://a.org"


def test_repeated_keys_are_found_inside_flow_mappings_too() -> None:
    _, diagnostics = parse_yaml("title: {fr: Un, en: One, fr: Deux}\n", "f.yml")
    assert [d.format_text() for d in diagnostics] == [
        "f.yml:1:26: error: the field 'fr' is written twice (first at line 1) (hint: keep only "
        "one: otherwise the first value would be silently ignored)"
    ]


def test_same_key_in_different_mappings_is_fine() -> None:
    parse("title: {fr: A, en: A}\nsummary: {fr: B, en: B}\n")


# --- syntax errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (
            "id: x\nsummary:\n  fr: Noyaux: détection\n",
            "f.yml:3:13: error: YAML syntax error: unexpected ':' (a colon followed by a space "
            "starts a new field) (hint: put text containing ': ' in quotes, e.g. fr: \"Noyaux : "
            "détection\", or check the indentation of this line)",
        ),
        (
            "id: x\n\tkind: tool\n",
            "f.yml:2:1: error: YAML syntax error: a tab character is used here (hint: indent "
            "with spaces only: replace the tab with spaces)",
        ),
        (
            "title:\n  fr: A\n en: B\n",
            "f.yml:3:2: error: YAML syntax error: this line is not indented like the lines above "
            "it (hint: fields of the same level start in the same column; indent with spaces)",
        ),
        (
            'id: x\nsummary: {fr: "Un texte, en: B}\nadded: 2026-11-23\n',
            "f.yml:2:15: error: YAML syntax error: a quote opened here is never closed (hint: add "
            "the closing quote at the end of the text)",
        ),
        (
            "sections: [tools, datasets\nadded: 2026-11-23\n",
            "f.yml:1:11: error: YAML syntax error: the list '[' opened here is not closed "
            "properly (hint: separate the items with commas, end the list with ']' and put items "
            "containing ':' or ',' in quotes)",
        ),
        (
            "title: {fr: A, en: B\nadded: 2026-11-23\n",
            "f.yml:1:8: error: YAML syntax error: the '{' opened here is not closed properly "
            "(hint: separate the fields with commas, end it with '}' and put text containing ':' "
            "or ',' in quotes)",
        ),
        (
            "summary: {fr: *important*}\n",
            "f.yml:1:15: error: YAML syntax error: a value starts with '*', which YAML reads as a "
            "reference to an anchor (hint: put the text in quotes, e.g. \"*text*\")",
        ),
        (
            "summary:\n  fr: *important texte\n",
            "f.yml:2:7: error: YAML syntax error: a value starts with '*', which YAML reads as a "
            "reference to an anchor (hint: put the text in quotes, e.g. \"*text*\")",
        ),
        (
            "id: a\n---\nid: b\n",
            "f.yml:2:1: error: YAML syntax error: a second document starts here ('---'), but a "
            "file holds one entry (hint: remove the '---' line, or move what follows to a file "
            "of its own)",
        ),
        (
            "id: x\nsummary: caf\x07e\n",
            "f.yml:2:13: error: the file contains an invisible control character (code 0x07) "
            "(hint: delete it and type the text again; it often comes with text pasted from a "
            "PDF)",
        ),
    ],
    ids=[
        "colon", "tab", "indent", "quote", "list", "braces", "alias", "undefined-alias",
        "documents", "control",
    ],
)
def test_syntax_errors_are_explained_in_plain_words(text: str, line: str) -> None:
    data, diagnostics = parse_yaml(text, "f.yml")
    assert data is None
    assert [d.format_text() for d in diagnostics] == [line]


def test_other_syntax_errors_keep_pyyaml_words_with_a_position() -> None:
    _, diagnostics = parse_yaml("a: !!python/object:os.system x\n", "f.yml")
    assert len(diagnostics) == 1
    assert diagnostics[0].format_text().startswith("f.yml:1:4: error: YAML syntax error: ")


# --- files --------------------------------------------------------------------------------------


def test_a_file_not_in_utf8_points_at_the_first_bad_character(tmp_path: Path) -> None:
    path = tmp_path / "e.yml"
    path.write_bytes("id: e\nterm: {fr: é".encode() + " \xc9poque}\n".encode("latin-1"))
    loaded = load_yaml_file(path, "e.yml")
    assert loaded.data is None
    assert [d.format_text() for d in loaded.diagnostics] == [
        # column 14 counts characters: é before it is two bytes but one character
        "e.yml:2:14: error: the file is not saved as UTF-8 text (byte 0xc9 here is not a UTF-8 "
        "character) (hint: save the file with the UTF-8 encoding, as GitHub's web editor does; "
        "in other encodings accented letters such as é cannot be read)"
    ]


@pytest.mark.parametrize("content", ["", "# yaml-language-server: $schema=x.json\n", "\n\n"])
def test_an_empty_file_is_an_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "e.yml"
    path.write_text(content, encoding="utf-8")
    loaded = load_yaml_file(path, "e.yml")
    assert [d.format_text() for d in loaded.diagnostics] == [
        "e.yml:1:1: error: the file is empty (hint: fill it in or delete it)"
    ]


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "e.yml"
    path.write_text("\ufeffid: e\nkind: tool\n", encoding="utf-8")
    loaded = load_yaml_file(path, "e.yml")
    assert loaded.diagnostics == []
    assert loaded.data == {"id": "e", "kind": "tool"}
    assert loaded.data.key_origins["kind"] == Origin("e.yml", 2, 1)
