"""Safe YAML loading with positions (load.py): located values, duplicate keys, syntax errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dl4mic_hub import load
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


def refused(text: str) -> list[str]:
    """The messages of a text that is refused whole (no data comes out)."""
    data, diagnostics = parse_yaml(text, "f.yml")
    assert data is None
    return [d.format_text() for d in diagnostics]


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
quotes: "Le \\"vrai\\" \\u00e9 <b>"
joined: "un \\
  deux <b>"
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
        ("escaped", (12, 16)),  # an escape is one character in the value, two or more here
        ("quotes", (13, 29)),
        ("joined", (15, 8)),  # an escaped line break joins the lines
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
        (  # the French apostrophe closes a single-quoted text: said at that quote
            "id: x\nsummary:\n  fr: 'L'outil de segmentation.'\n",
            "f.yml:3:9: error: YAML syntax error: the quoted text ends here, at a quote, and the "
            "line goes on (hint: quote the whole text with double quotes: fr: \"L'outil de "
            "segmentation\" (inside single quotes, an apostrophe is written twice: 'L''outil'))",
        ),
        (
            "id: x\nsummary:\n  en: [draft] A tool.\n",
            "f.yml:3:13: error: YAML syntax error: the list ends here, at ']', and the line goes "
            "on (hint: put the whole text in quotes: en: \"[draft] A tool.\")",
        ),
        (  # it was reported on the next line, in the parser's words
            "id: x\nkind:tool\nadded: 2026-11-23\n",
            "f.yml:2:1: error: YAML syntax error: this line is not a field: a field is written "
            "'name: value', with a space after ':' (hint: write e.g. 'kind: tool'; a text that "
            "goes on from the line above is indented more)",
        ),
        (
            "id: x\nsummary:\n  en: @napari plugin\n",
            "f.yml:3:7: error: YAML syntax error: a value cannot start with '@' unless it is in "
            "quotes (hint: put the text in quotes: \"@napari plugin\")",
        ),
        (  # a tab between words: not an indentation problem
            "id: x\nsummary:\n  fr: Un outil\tpour les noyaux\n",
            "f.yml:3:15: error: YAML syntax error: a tab character is used inside the text "
            "here (hint: replace the tab with a space)",
        ),
        (  # after a list's dash, a tab is indentation
            "id: x\ntasks:\n  -\tsegmentation\n",
            "f.yml:3:4: error: YAML syntax error: a tab character is used here (hint: indent "
            "with spaces only: replace the tab with spaces)",
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
        "colon", "apostrophe", "text-after-list", "no-space-after-colon", "reserved-first",
        "tab-in-text", "tab-after-dash", "tab", "indent", "quote", "list", "braces", "alias",
        "undefined-alias", "documents", "control",
    ],
)
def test_syntax_errors_are_explained_in_plain_words(text: str, line: str) -> None:
    assert refused(text) == [line]


def test_other_syntax_errors_keep_pyyaml_words_with_a_position() -> None:
    _, diagnostics = parse_yaml("a: b\nc: |x\n", "f.yml")
    assert [d.format_text() for d in diagnostics] == [
        "f.yml:2:5: error: YAML syntax error: while scanning a block scalar, expected chomping "
        "or indentation indicators, but found 'x' (hint: check the indentation and put text "
        "containing ': ' or ' #' in quotes)"
    ]


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


# --- what a catalogue never needs is refused, with its place --------------------------------

ANCHOR_HINT = (
    "(hint: write the value itself: anchors (&name), aliases (*name) and merge keys (<<) are "
    "not used in the catalogue; put text starting with '&' or '*' in quotes)"
)
TAG_HINT = "(hint: remove it and write the value plainly; put text starting with '!' in quotes)"
DEPTH = (
    "error: the values here are nested more than 32 levels deep (hint: a catalogue entry needs "
    "a few levels only: check the brackets and indentation)"
)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: &x 1\nb: 2\n",
         f"f.yml:1:4: error: an anchor ('&x') is not allowed here {ANCHOR_HINT}"),
        ("a: 1\nb: *x\n",
         "f.yml:2:4: error: YAML syntax error: a value starts with '*', which YAML reads as a "
         "reference to an anchor (hint: put the text in quotes, e.g. \"*text*\")"),
        ("a: {b: 1}\nc:\n  <<: {d: 2}\n",
         f"f.yml:3:3: error: merge keys ('<<') are not allowed {ANCHOR_HINT}"),
        ("year: !!float x\n",
         f"f.yml:1:7: error: a YAML tag ('!!float') is not allowed here {TAG_HINT}"),
        ("a: !foo bar\n", f"f.yml:1:4: error: a YAML tag ('!foo') is not allowed here {TAG_HINT}"),
        ("a: ! bar\n", f"f.yml:1:4: error: a YAML tag ('!') is not allowed here {TAG_HINT}"),
        ("a: !!python/object:os.system x\n",
         f"f.yml:1:4: error: a YAML tag ('!!python/object:os.system') is not allowed here "
         f"{TAG_HINT}"),
        ("!!map\nid: x\n",
         f"f.yml:1:1: error: a YAML tag ('!!map') is not allowed here {TAG_HINT}"),
        ("related: " + "[" * 250 + "]" * 250 + "\n", f"f.yml:1:41: {DEPTH}"),
        ("a: " + "{a: " * 250 + "1" + "}" * 250 + "\n", f"f.yml:1:128: {DEPTH}"),
        ("year: " + "9" * 5000 + "\n",
         "f.yml:1:7: error: this number is too long (5000 characters) (hint: write a real "
         "value, or put it in quotes if it is text)"),
        ("year: 0x_\n",  # PyYAML itself raises ValueError on this one
         "f.yml:1:7: error: '0x_' looks like a number but is not one (hint: write the number "
         "in digits, or put the text in quotes)"),
    ],
    ids=["anchor", "alias", "merge", "float-tag", "local-tag", "bang", "python-tag", "root-tag",
         "deep-lists", "deep-mappings", "long-number", "not-a-number"],
)
def test_yaml_features_a_catalogue_never_needs_are_refused(text: str, line: str) -> None:
    assert refused(text) == [line]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("title:\n  en: A tool #1 for nuclei.\n",
         "f.yml:2:14: error: YAML reads ' #' as the start of a comment: this value would stop "
         "at 'A tool' and lose '#1 for nuclei.' (hint: put the whole value in double quotes "
         "(\"...\"); a comment goes on a line of its own)"),
        ("summary:\n  fr: Un outil\n    pour les noyaux # et les cellules\n",
         "f.yml:3:21: error: YAML reads ' #' as the start of a comment: this value would stop "
         "at 'Un outil pour les noyaux' and lose '# et les cellules' (hint: put the whole value "
         "in double quotes (\"...\"); a comment goes on a line of its own)"),
        ("keywords:\n  en: [napari, Cellpose #v2]\n",  # YAML would then miss the ']'
         "f.yml:2:25: error: YAML reads ' #' as the start of a comment: this value would stop "
         "at 'Cellpose' and lose '#v2]' (hint: put the whole value in double quotes "
         "(\"...\"); a comment goes on a line of its own)"),
        ("title: {en: Cellpose}  # the tool's own name\n",  # after a closing bracket
         {"title": {"en": "Cellpose"}}),
        ("kind: tool  # a note\n", {"kind": "tool"}),  # one word, and a comment that reads as one
        ("kind: tool  #note\n",  # nothing lost, but '#note' may be meant as text: asked
         "f.yml:1:13: error: YAML reads ' #' as the start of a comment: this value would stop "
         "at 'tool' and lose '#note' (hint: if '#note' belongs to the value, put the whole "
         "value in double quotes; if it is a note, write it '# note' on a line of its own)"),
        ("en: C# and F# notebooks\n", {"en": "C# and F# notebooks"}),  # '#' after a letter
        ('en: "A tool #1"\n', {"en": "A tool #1"}),
    ],
    ids=["word-after-hash", "folded-text", "in-brackets", "after-brackets", "note",
         "note-without-space", "c-sharp", "quoted"],
)
def test_text_a_comment_would_cut_is_refused_at_the_hash(
    text: str, line: str | dict[str, object]
) -> None:
    if isinstance(line, dict):  # accepted: the value as written, the comment left out
        assert parse(text) == line
    else:
        assert refused(text) == [line]


@pytest.mark.parametrize(
    ("text", "where", "name"),
    [
        ("a: 1\r\nb: x\u2028y\n", "2:5", "U+2028 (LINE SEPARATOR)"),
        ("a: x\u2029\n", "1:5", "U+2029 (PARAGRAPH SEPARATOR)"),
        ("a: \x85\n", "1:4", "U+0085 (NEXT LINE)"),
        ("a: 1\rb: 2\n", "1:5", "a carriage return (CR) without a line feed"),
    ],
)
def test_line_breaks_editors_do_not_all_show_are_refused_where_they_are(
    text: str, where: str, name: str
) -> None:
    # YAML counts them as new lines, git and GitHub do not: every later line number would lie
    assert refused(text) == [
        f"f.yml:{where}: error: the file contains an unusual line break: {name} (hint: replace "
        "it with a normal line break (or a space); it often comes with text pasted from a PDF "
        "or a word processor)"
    ]


ESCAPE_HINT = "(hint: delete it; write a line break as \\n, or break the line itself)"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('a: 1\nb: "mini\\uDCFFlot"\n',
         "f.yml:2:9: error: the escape '\\uDCFF' stands for half of a character (a lone "
         "surrogate) (U+DCFF), which catalogue text cannot hold"),
        ('a: "x\\x01y"\n', "f.yml:1:6: error: the escape '\\x01' stands for an invisible control "
         "character (U+0001), which catalogue text cannot hold"),
        ('a: "x\\0"\n', "f.yml:1:6: error: the escape '\\0' stands for an invisible control "
         "character (U+0000), which catalogue text cannot hold"),
        ('a: "\\e[31m"\n', "f.yml:1:5: error: the escape '\\e' stands for an invisible control "
         "character (U+001B), which catalogue text cannot hold"),
        ('a: ["ok", "x\\u2028y"]\n', "f.yml:1:13: error: the escape '\\u2028' stands for a line "
         "break that editors do not all show as one (U+2028), which catalogue text cannot hold"),
        ('a: "x\\r\\ny"\n', "f.yml:1:6: error: the escape '\\r' stands for a line break that "
         "editors do not all show as one (U+000D), which catalogue text cannot hold"),
        ('"k\\x7f": 1\n', "f.yml:1:3: error: the escape '\\x7f' stands for an invisible control "
         "character (U+007F), which catalogue text cannot hold"),
        ('a: "x\\uFFFE"\n', "f.yml:1:6: error: the escape '\\uFFFE' stands for a non-character "
         "(U+FFFE), which catalogue text cannot hold"),
    ],
    ids=["surrogate", "control", "nul", "terminal-escape", "line-separator", "carriage-return",
         "key", "non-character"],
)
def test_escapes_for_what_a_file_may_not_hold_are_refused_where_they_are(
    text: str, line: str
) -> None:
    # Written as they are, these characters are refused; written as escapes in double quotes
    # they passed, and a lone surrogate then crashed the build as it wrote the pages.
    assert refused(text) == [f"{line} {ESCAPE_HINT}"]


def test_escapes_for_ordinary_characters_are_text() -> None:
    assert parse('a: "tab\\there\\nnext \\u00e9\\x41 \\\\x01 \\U0001F600 \\_"\n') == {
        "a": "tab\there\nnext éA \\x01 \U0001F600 \xa0"
    }


@pytest.mark.parametrize(
    ("text", "where", "escape"),
    [
        ('a: 1\nb: "x\\U00110000"\n', "2:6", "\\U00110000"),
        # the same letters in single quotes, a comment or after an escaped backslash are text,
        # not an escape: the error was placed at the first of them (1:5)
        ("x: '\\U00110000'  # \\U00110000\ny: \"\\\\U00110000\"\nz: \"ab\\U0011FFFF\"\n",
         "3:7", "\\U0011FFFF"),
    ],
    ids=["alone", "after-lookalikes"],
)
def test_an_escape_past_the_last_character_is_a_located_error(
    text: str, where: str, escape: str,
) -> None:
    # PyYAML raises a bare ValueError on it (exit 3 before)
    assert refused(text) == [
        f"f.yml:{where}: error: YAML syntax error: the escape '{escape}' stands for no character "
        "(the last one is \\U0010FFFF) (hint: write the character itself instead of an escape)"
    ]


def test_a_value_error_of_another_cause_is_not_called_an_escape_problem(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the whole parse was wrapped in 'except ValueError', which named any bug this escape
    def broken(*args: object) -> None:
        raise ValueError("a bug")

    monkeypatch.setattr(load._Builder, "document", broken)
    with pytest.raises(ValueError, match="a bug"):
        parse_yaml("a: 1\n", "f.yml")


def test_an_alias_bomb_is_refused_at_its_first_anchor() -> None:
    # 9 levels of 9 aliases: 9**10 strings if expanded; refused before any expansion
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    text = "\n".join(lines) + "\nsections: [" + ", ".join(["*a8"] * 9) + "]\n"
    assert refused(text) == [
        f"f.yml:1:5: error: an anchor ('&a0') is not allowed here {ANCHOR_HINT}"
    ]


def test_quoted_look_alikes_are_plain_text() -> None:
    data = parse('a: "&x"\nb: "*bold*"\nc: "!!float x"\nd: "<<"\ne: =\n"<<": f\n')
    assert data == {"a": "&x", "b": "*bold*", "c": "!!float x", "d": "<<", "e": "=", "<<": "f"}


def test_a_symbolic_link_is_refused_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    link = tmp_path / "entry.yml"
    link.symlink_to(secret)
    loaded = load_yaml_file(link, "entry.yml")
    assert loaded.data is None
    assert [d.format_text() for d in loaded.diagnostics] == [
        "entry.yml:1:1: error: this is a symbolic link; the catalogue only holds real files and "
        "folders (hint: replace the link with the file or folder itself)"
    ]


def test_a_huge_file_is_refused_without_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yml"
    path.write_text("a: " + "x" * (300 * 1024) + "\n", encoding="utf-8")
    assert [d.format_text() for d in load_yaml_file(path, "big.yml").diagnostics] == [
        "big.yml:1:1: error: the file is larger than 256 KB; an entry takes a few KB (hint: "
        "keep one entry per file, with its own text only)"
    ]


# --- both parsers give the same located values ----------------------------------------------

PROJECT = Path(__file__).resolve().parent.parent


def _utf8(path: Path) -> bool:
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:  # the not-utf8 fixture: never parsed
        return False
    return True


REAL_FILES = sorted(
    path for path in [*(PROJECT / "catalogue").rglob("*.yml"),
                      *(PROJECT / "tests" / "fixtures" / "catalogues").rglob("*.yml")]
    if _utf8(path)
)


def located_shape(value: object) -> object:
    """Everything a later stage can read from a loaded value: types, text, every origin."""
    if isinstance(value, LocatedDict):
        return ("map", value.origin, [
            (key, value.key_origins[key], value.value_origins[key], located_shape(item))
            for key, item in value.items()
        ])
    if isinstance(value, LocatedList):
        return ("seq", value.origin, value.item_origins, [located_shape(v) for v in value])
    if isinstance(value, LocatedStr):
        return ("str", str(value), value.origin, value.content_line, value.quoted,
                value.source, value.style)
    return (type(value).__name__, value)


def parse_with(parser: str, text: str) -> tuple[object, list[str]]:
    data, diagnostics = load.parse_with(parser, text, "f.yml")
    return located_shape(data), [d.format_text() for d in diagnostics]


def test_libyaml_is_available() -> None:
    # the PyYAML wheels carry libyaml; without it validation is several times slower
    assert "c" in load.PARSERS


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.relative_to(PROJECT).as_posix())
def test_both_parsers_give_identical_data_and_positions(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        python = parse_with("python", text)
    except yaml.YAMLError:  # a fixture with a syntax error: both refuse it
        with pytest.raises(yaml.YAMLError):
            parse_with("c", text)
        return
    assert parse_with("c", text) == python


@pytest.mark.parametrize("text", [
    "keywords: [what is a GPU?, CUDA]\n",
    "tags: [f?undamentals]\n",  # found by the fuzz test
    "tags: {why?: yes}\n",
    "tags: [a, ? b]\n",  # a '?' then a space is still a key, in both
])
def test_a_question_mark_in_a_flow_list_reads_the_same_with_both_parsers(text: str) -> None:
    # PyYAML's scanner ended an unquoted value at '?' inside [...] and refused the file, where
    # libyaml reads one value: validate's verdict depended on which parser ran
    assert parse_with("python", text) == parse_with("c", text)
