"""Validation rules (validate.py) and the schemas they come from.

Whole-command behaviour per bad-input scenario is in test_cli_validate.py; here: URL rules,
the library API, the schemas themselves and the `$schema` line of every catalogue file.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from dl4mic_hub.diagnostics import Severity
from dl4mic_hub.model import ENTRY_TYPES, VOCAB_FOLDER, VOCAB_SCHEMA
from dl4mic_hub.validate import validate_catalogue

PROJECT = Path(__file__).resolve().parent.parent
SCHEMAS = PROJECT / "src" / "dl4mic_hub" / "schemas"
CATALOGUE = PROJECT / "catalogue"
MINIMAL = PROJECT / "tests" / "fixtures" / "catalogues" / "minimal"

# --- the library API ----------------------------------------------------------------------------


@pytest.fixture
def catalogue(make_catalogue: Callable[..., Path]) -> Callable[..., Path]:
    return make_catalogue


def test_result_of_a_valid_catalogue(catalogue: Callable[..., Path]) -> None:
    result = validate_catalogue(catalogue("minimal"))
    assert result.ok
    assert result.diagnostics == []
    assert sorted(result.catalogue.by_id()) == [
        "batch", "cellpose", "deep-learning-cheat-sheet", "fine-tuning-cellpose",
    ]


def test_warnings_do_not_make_a_catalogue_invalid(catalogue: Callable[..., Path]) -> None:
    result = validate_catalogue(catalogue("untranslated-en"))
    assert result.ok
    assert (result.count(Severity.ERROR), result.count(Severity.WARNING)) == (0, 2)


def test_errors_make_it_invalid_and_every_file_is_still_read(
    catalogue: Callable[..., Path],
) -> None:
    result = validate_catalogue(catalogue("duplicate-id"))
    assert not result.ok
    assert len(result.catalogue.of_type("resource")) == 2


def test_a_missing_vocabulary_is_reported_where_it_is_used(
    catalogue: Callable[..., Path],
) -> None:
    root = catalogue("minimal")
    entry = root / "resources" / "cellpose.yml"
    entry.write_text(
        entry.read_text(encoding="utf-8").replace("tasks: [segmentation]\n", "dims: [2d]\n"),
        encoding="utf-8",
    )
    (root / "vocab" / "dims.yml").unlink()
    assert [d.format_text() for d in validate_catalogue(root).diagnostics] == [
        "catalogue/resources/cellpose.yml:20:8: error: 'dims' uses the vocabulary 'dims', which "
        "does not exist (hint: create catalogue/vocab/dims.yml)",
        # and once for the catalogue: pages and filters need it even when nothing uses it
        "catalogue/vocab:1:1: error: the vocabulary 'dims' is missing (the resource entries' "
        "format uses it) (hint: create catalogue/vocab/dims.yml, e.g. by copying it from the "
        "project's catalogue)",
    ]


def test_a_field_left_empty_says_so(catalogue: Callable[..., Path]) -> None:
    root = catalogue("minimal")
    entry = root / "resources" / "cellpose.yml"
    text = entry.read_text(encoding="utf-8")
    entry.write_text(text.replace("url: https://www.cellpose.org/\n", "url:\n"), encoding="utf-8")
    assert [d.format_text() for d in validate_catalogue(root).diagnostics] == [
        "catalogue/resources/cellpose.yml:15:5: error: 'url' must be text, not empty (hint: "
        "write the value after 'url:' or delete the line)"
    ]


def test_bad_vocabulary_keys_get_a_hint_about_keys(catalogue: Callable[..., Path]) -> None:
    root = catalogue("minimal")
    (root / "vocab" / "tasks.yml").write_text(
        "label: {fr: Tâches, en: Tasks}\nvalues:\n  segmentation: {label: {fr: S, en: S}}\n"
        "  Deep_Learning: {label: {fr: A, en: D}}\n",
        encoding="utf-8",
    )
    assert [d.format_text() for d in validate_catalogue(root).diagnostics] == [
        "catalogue/vocab/tasks.yml:4:3: error: 'values' has an invalid key 'Deep_Learning' "
        "(hint: A vocabulary key: lower-case words joined by hyphens (licences keep their SPDX "
        "identifier, e.g. BSD-3-Clause).)"
    ]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("resources/cellpose.yml", "kind: tool", "kind: faq",  # 'not' in the schema
         "catalogue/resources/cellpose.yml:3:7: error: 'kind' cannot be 'faq' (hint: What the "
         "resource is: a key of vocab/kinds.yml (not faq, cheatsheet or glossary).)"),
        ("vocab/kinds.yml", "    label: {fr: Logiciel",
         "    search_weight: 0\n    label: {fr: Logiciel",
         "catalogue/vocab/kinds.yml:6:20: error: 'values.tool.search_weight' is out of range: 0 "
         "(hint: Optional: multiplies the search score of entries with this value (e.g. 0.8 so "
         "that papers come after the tools they describe); 1 when absent.)"),  # exclusiveMinimum
    ],
    ids=["not", "exclusive-minimum"],
)
def test_not_and_exclusive_bounds_are_said_in_a_contributors_words(
    catalogue: Callable[..., Path], file: str, old: str, new: str, expected: str,
) -> None:
    root = catalogue("minimal")
    path = root / file
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    assert [d.format_text() for d in validate_catalogue(root).diagnostics] == [expected]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("resources/cellpose.yml", "doi: 10.1038/s41592-020-01018-x",
         'doi: "10.1038/s41592-020-01018-x\\n"',
         "catalogue/resources/cellpose.yml:18:6: error: 'doi' has an invalid value "
         "'10.1038/s41592-020-01018-x\\n'"),
        ("vocab/dims.yml", "  3d: {label:", '  "3d\\n": {label:',
         "catalogue/vocab/dims.yml:7:3: error: 'values' has an invalid key '3d\\n'"),
        ("vocab/sections.yml", "icon: material/tools", 'icon: "material/tools\\n"',
         "catalogue/vocab/sections.yml:7:11: error: 'values.tools.icon' has an invalid value "
         "'material/tools\\n'"),
        ("linkcheck.yml", "", 'rules:\n  - host: "example.org\\n"\n    reason: An intranet.\n',
         "catalogue/linkcheck.yml:2:11: error: 'rules.host' has an invalid value "
         "'example.org\\n'"),
    ],
    ids=["doi", "vocabulary-key", "icon", "host-rule"],
)
def test_a_pattern_ends_with_the_text_not_before_a_final_line_break(
    catalogue: Callable[..., Path], file: str, old: str, new: str, expected: str,
) -> None:
    # Schemas are ECMA-262 regular expressions ('$' ends the text, as in editors); Python's
    # '$' also matches before a final '\n', which let such values through.
    root = catalogue("minimal")
    path = root / file
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(text.replace(old, new) if old else new, encoding="utf-8")
    found = [d.format_text() for d in validate_catalogue(root).diagnostics]
    assert [line.split(" (hint:")[0] for line in found] == [expected]


def test_an_id_with_a_final_line_break_is_refused_with_its_file(
    catalogue: Callable[..., Path],
) -> None:
    # a file named "cellpose\n.yml" has that id: validate passed it, the build then failed
    # with messages about pages and links
    root = catalogue("minimal")
    source = root / "resources" / "cellpose.yml"
    (root / "resources" / "cellpose\n.yml").write_text(
        source.read_text(encoding="utf-8").replace("id: cellpose", 'id: "cellpose\\n"'),
        encoding="utf-8")
    source.unlink()
    found = [d for d in validate_catalogue(root).diagnostics if "'id'" in d.message]
    assert [d.format_text().split(" (hint:")[0] for d in found] == [
        "catalogue/resources/cellpose\\n.yml:2:5: error: 'id' has an invalid value 'cellpose\\n'"
    ]


def test_an_icon_the_theme_does_not_have_is_refused_where_it_is_written(
    catalogue: Callable[..., Path],
) -> None:
    # the build failed on it, with a message about a template of the theme at mkdocs.yml:1:1
    root = catalogue("minimal")
    sections = root / "vocab" / "sections.yml"
    sections.write_text(sections.read_text(encoding="utf-8").replace(
        "icon: material/tools", "icon: material/no-such-icon"), encoding="utf-8")
    assert [d.format_text() for d in validate_catalogue(root).diagnostics] == [
        "catalogue/vocab/sections.yml:7:11: error: the theme has no icon 'material/no-such-icon' "
        "(hint: choose a Material Design icon, written material/<name> (see "
        "https://pictogrammers.com/library/mdi/), e.g. material/microscope)"
    ]


def test_the_link_checkers_rules_file_is_checked_with_the_catalogue(
    catalogue: Callable[..., Path],
) -> None:
    # a pull request that breaks linkcheck.yml hears it from validate, not from check-links
    root = catalogue("minimal")
    (root / "linkcheck.yml").write_text(
        "rules:\n"
        "  - host: forum.image.sc\n"
        "    max_in_flight: 2\n"
        "    reason: slow\n"
        "  - host: example.org\n"
        "    pattern: example\n"
        "    reason: Both a host and a pattern, which one is meant?\n",
        encoding="utf-8",
    )
    assert [d.format_text() for d in validate_catalogue(root).diagnostics] == [
        "catalogue/linkcheck.yml:4:13: error: 'rules.reason' is too short (4 characters, at "
        "least 10) (hint: Why this exception exists (a sentence a maintainer can check later).)",
        "catalogue/linkcheck.yml:5:5: error: a rule needs exactly one of 'host' or 'pattern' "
        "(hint: write 'host: example.org' for a site or 'pattern: <regex>' for some URLs)",
    ]


def test_links_inside_text_are_found_where_they_are_written(
    catalogue: Callable[..., Path],
) -> None:
    root = catalogue("minimal")
    result = validate_catalogue(root)
    found = result.catalogue.urls()
    urls = [(url, o.line, o.col) for url, o, entry in found if entry.id == "cellpose"]
    assert urls == [
        # inside the folded (>-) descriptions: the second line of each text
        ("https://cellpose.readthedocs.io/en/latest/", 11, 21),
        ("https://cellpose.readthedocs.io/en/latest/", 14, 21),
        ("https://www.cellpose.org/", 15, 6),
        ("https://github.com/MouseLand/cellpose", 17, 25),
    ]
    lines = (root / "resources" / "cellpose.yml").read_text(encoding="utf-8").splitlines()
    for url, line, col in urls:
        assert lines[line - 1][col - 1 :].lstrip('"').startswith(url)


# --- the schemas themselves ---------------------------------------------------------------------


def _schemas() -> dict[str, dict[str, Any]]:
    return {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(SCHEMAS.glob("*.schema.json"))
    }


def _walk(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


@pytest.mark.parametrize("name", sorted(_schemas()))
def test_every_schema_is_a_valid_draft_2020_12_schema(name: str) -> None:
    schema = _schemas()[name]
    assert schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", sorted(_schemas()))
def test_every_reference_in_a_schema_resolves(name: str) -> None:
    registry = Registry().with_resources(
        (other, Resource.from_contents(schema)) for other, schema in _schemas().items()
    )
    resolver = registry.resolver(base_uri=name)
    refs = [value for key, value in _walk(_schemas()[name]) if key == "$ref"]
    for ref in refs:
        resolver.lookup(ref)  # raises on a dangling reference


def test_every_vocabulary_named_in_a_schema_exists_in_the_catalogue() -> None:
    named = {
        value for schema in _schemas().values() for key, value in _walk(schema)
        if key == "x-vocabulary"
    }
    assert named
    vocab = CATALOGUE / VOCAB_FOLDER
    assert sorted(name for name in named if not (vocab / f"{name}.yml").is_file()) == []


# --- the `$schema` line of every catalogue file -------------------------------------------------

SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
EXPECTED_SCHEMA = {t.folder: t.schema for t in ENTRY_TYPES} | {VOCAB_FOLDER: VOCAB_SCHEMA}


def _catalogue_files() -> list[Path]:
    files = [*CATALOGUE.rglob("*.yml"), *CATALOGUE.rglob("*.yaml"), *MINIMAL.rglob("*.yml")]
    return sorted(files)


@pytest.mark.parametrize(
    "path", _catalogue_files(), ids=lambda p: p.relative_to(PROJECT).as_posix()
)
def test_catalogue_file_starts_with_its_schema_line(path: Path) -> None:
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    found = SCHEMA_LINE.match(first)
    shown = path.relative_to(PROJECT)
    assert found, f"{shown}:1:1: the first line must be '# yaml-language-server: $schema=...'"
    target = (path.parent / found[1]).resolve()
    assert target.is_file(), f"{shown}:1:1: {found[1]} does not exist"
    assert target.parent == SCHEMAS
    folder = path.parent.name
    if path.parent.parent in (CATALOGUE, MINIMAL) and folder in EXPECTED_SCHEMA:
        assert target.name == EXPECTED_SCHEMA[folder]


def test_the_real_catalogue_has_files_to_check() -> None:
    assert len(_catalogue_files()) > 20


def test_unknown_ids_get_a_suggestion_until_the_budget_is_spent(
    catalogue: Callable[..., Path],
) -> None:
    # each suggestion compares the id with every id of the catalogue: thousands of unknown ids
    # in a large catalogue would take minutes, so only the first ones get one
    root = catalogue("minimal")
    entry = root / "resources" / "cellpose.yml"
    typos = ", ".join(f"batch{i}" for i in range(150))
    entry.write_text(entry.read_text(encoding="utf-8").replace(
        "related: [batch]", f"related: [{typos}]"), encoding="utf-8")
    hints = [d.hint for d in validate_catalogue(root).diagnostics]
    assert len(hints) == 150
    suggested = [h for h in hints if h.startswith("did you mean 'batch'?")]
    assert len(suggested) == 100


# --- one formatter per JSON Schema keyword ------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "instance", "expected"),
    [
        ({"type": "object", "required": ["kind"], "properties": {"kind": {"description": "K."}}},
         {}, "f.yml:1:1: error: missing required field 'kind' (hint: add 'kind:': K.)"),
        ({"type": "object", "properties": {"title": {}}, "additionalProperties": False},
         {"titel": 1}, "f.yml:1:1: error: unknown field 'titel' (hint: did you mean 'title'?)"),
        ({"type": "object", "properties": {"a": {}, "b": {}}, "additionalProperties": False},
         {"zzz": 1}, "f.yml:1:1: error: unknown field 'zzz' (hint: allowed here: a, b)"),
        ({"properties": {"year": {"type": "integer"}}}, {"year": "2019"},
         "f.yml:1:1: error: 'year' must be a whole number, not the text '2019' (hint: remove "
         "the quotes: year: 2019)"),
        ({"properties": {"status": {"enum": ["open", "answered"]}}}, {"status": "opne"},
         "f.yml:1:1: error: 'status' cannot be 'opne' (hint: did you mean 'open'? choose one "
         "of: open, answered)"),
        ({"properties": {"id": {"pattern": "^[a-z]+$", "description": "Lower case."}}},
         {"id": "A"}, "f.yml:1:1: error: 'id' has an invalid value 'A' (hint: Lower case.)"),
        ({"properties": {"added": {"format": "date"}}}, {"added": "2026-02-30"},
         "f.yml:1:1: error: 'added' is not a valid date: '2026-02-30' (hint: write dates as "
         "YYYY-MM-DD, e.g. 2026-11-23, with a day that exists)"),
        ({"properties": {"tasks": {"minItems": 1}}}, {"tasks": []},
         "f.yml:1:1: error: 'tasks' must not be empty"),
        ({"properties": {"summary": {"maxLength": 3}}}, {"summary": "abcd"},
         "f.yml:1:1: error: 'summary' is too long (4 characters, at most 3) (hint: keep it "
         "short; put details in 'description')"),
        ({"properties": {"tasks": {"uniqueItems": True}}}, {"tasks": ["a", "a"]},
         "f.yml:1:1: error: 'tasks' lists the same value twice (hint: remove the repeated "
         "value)"),
        ({"properties": {"year": {"maximum": 2100, "description": "Year."}}}, {"year": 3000},
         "f.yml:1:1: error: 'year' is out of range: 3000 (hint: Year.)"),
        ({"properties": {"a": {"const": 1}}}, {"a": 2},
         "f.yml:1:1: error: 'a' must be 1"),
        ({"properties": {"a": {"multipleOf": 2}}}, {"a": 3},
         "f.yml:1:1: error: 'a': 3 is not a multiple of 2"),
    ],
    ids=["required", "unknown-close", "unknown-far", "type", "enum", "pattern", "format",
         "empty", "too-long", "repeated", "range", "const", "other-keyword"],
)
def test_each_keyword_has_its_sentence(schema: dict[str, Any], instance: Any,
                                       expected: str) -> None:
    from jsonschema import FormatChecker

    from dl4mic_hub.validate import schema_diagnostics

    errors = Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(instance)
    found = [d.format_text() for err in errors
             for d in schema_diagnostics(err, instance, "f.yml", schema)]
    assert found == [expected]


@pytest.mark.parametrize(
    ("items", "repeated"),
    [
        (["a", "b"], False),
        (["a", "a"], True),
        ([1, 1.0], True),  # JSON Schema: the same number
        ([1, True], False),  # but true is not 1
        ([{"a": 1, "b": [2]}, {"b": [2.0], "a": 1}], True),  # the order of keys does not count
        ([{"a": 1}, {"a": 2}, "x", 3, None, [1]], False),
        ([{"a": i} for i in range(5000)] + [{"a": 0}], True),  # pairwise, this took seconds
    ],
)
def test_unique_items_as_json_schema_defines_it(items: list[Any], repeated: bool) -> None:
    from dl4mic_hub.validate import unique_items

    assert bool(list(unique_items(None, True, items, {}))) is repeated


def test_a_long_vocabulary_is_not_listed_whole_in_every_hint(
    catalogue: Callable[..., Path],
) -> None:
    root = catalogue("minimal")
    terms = "".join(f"  task-{i}: {{label: {{fr: T, en: T}}}}\n" for i in range(40))
    (root / "vocab" / "tasks.yml").write_text(
        f"label: {{fr: Tâches, en: Tasks}}\nvalues:\n  segmentation: {{label: {{fr: S, en: S}}}}\n"
        f"{terms}", encoding="utf-8")
    entry = root / "resources" / "cellpose.yml"
    entry.write_text(entry.read_text(encoding="utf-8").replace(
        "tasks: [segmentation]", "tasks: [zzz]"), encoding="utf-8")
    (hint,) = [d.hint for d in validate_catalogue(root).diagnostics]
    assert hint.startswith("known keys: segmentation, task-0, task-1, ")
    assert hint.endswith(", task-28, ... (11 more in catalogue/vocab/tasks.yml)")


def test_images_and_html_in_any_text_field_are_refused_where_they_are(
    catalogue: Callable[..., Path],
) -> None:
    root = catalogue("minimal")
    entry = root / "resources" / "cellpose.yml"
    text = entry.read_text(encoding="utf-8")
    text = text.replace(
        "  en: General-purpose deep-learning segmentation of cells and nuclei.",
        '  en: "General-purpose ![logo](https://evil.example/x.png) segmentation."',
    ).replace("content_language: [en]", 'content_language: [en]\nauthors: ["<b>Bob</b>"]')
    entry.write_text(text, encoding="utf-8")
    messages = [d.format_text() for d in validate_catalogue(root).diagnostics]
    assert any(m.startswith("catalogue/resources/cellpose.yml:7:24: error: images are not "
                            "allowed in catalogue text") for m in messages), messages
    assert any(m.startswith("catalogue/resources/cellpose.yml:22:12: error: the HTML tag <b> "
                            "is not allowed") for m in messages), messages


def test_validating_the_rules_file_loads_no_network_code(
    make_catalogue: Callable[..., Path]
) -> None:
    # linkcheck.yml is judged by validate on every run (and by build, serve, new): reading it
    # must not import the checker's HTTP stack, which only check-links needs
    root = make_catalogue()
    (root / "linkcheck.yml").write_text("rules:\n  - host: example.org\n"
                                        "    reason: a site that needs a rule\n", "utf-8")
    script = ("import sys; from dl4mic_hub.validate import validate_catalogue; "
              f"r = validate_catalogue({str(root)!r}); "
              "print(r.host_rules is not None, sorted(m for m in sys.modules "
              "if m.split('.')[0] in ('requests', 'urllib3') or m.startswith('dl4mic_hub.check')))")
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True).stdout.strip()
    assert shown == "True []"


@pytest.mark.parametrize(("file_name", "written", "hint"), [
    ("Mistake.yml", "cellpose", "rename the file to cellpose.yml"),
    ("mistake-tool.yml", "Mistake_Tool", "write 'id: mistake-tool'"),
    ("my-tool.yml", "cellpose", "write 'id: my-tool' or rename the file to cellpose.yml"),
    ("Mon Outil.yml", "Mon_Outil", "ids are lower-case words joined by hyphens: rename the "
     "file to mon-outil.yml and write 'id: mon-outil'"),
])
def test_an_id_that_does_not_match_its_file_is_offered_only_valid_ids(
    make_catalogue: Callable[..., Path], file_name: str, written: str, hint: str
) -> None:
    # 'Mistake.yml' was told "write 'id: Mistake'", an id the schema refuses
    root = make_catalogue()
    entry = (root / "resources" / "cellpose.yml").read_text(encoding="utf-8")
    (root / "resources" / "cellpose.yml").unlink()
    (root / "resources" / file_name).write_text(
        entry.replace("id: cellpose", f"id: {written}"), encoding="utf-8")
    messages = [d.format_text() for d in validate_catalogue(root).diagnostics]
    assert any("does not match the file name" in m and m.endswith(f"(hint: {hint})")
               for m in messages), messages


@pytest.mark.parametrize(("old", "new", "message"), [
    ('  - {type: source, url: "https://github.com/MouseLand/cellpose"}',
     "  - https://github.com/MouseLand/cellpose",
     "17:5: error: an item of 'links' must be a mapping (key: value lines), not the text "
     "'https://github.com/MouseLand/cellpose' (hint: write each item as {type: ..., url: ...})"),
    ("added: 2026-11-23", "year: 2020a\nadded: 2026-11-23",
     "23:7: error: 'year' must be a whole number, not the text '2020a' (hint: write digits "
     "only, e.g. "
     "year: 2020)"),
    ("added: 2026-11-23", "year: 2020-21\nadded: 2026-11-23",  # no guess: 202021 was offered
     "23:7: error: 'year' must be a whole number, not the text '2020-21' (hint: write digits "
     "only)"),
    ('  en: >-\n    Installs as a Python library; see the\n'
     '    [documentation](https://cellpose.readthedocs.io/en/latest/).',
     "  en: >-\n    ...",  # said at the placeholder, not at '>-' on the line above
     "13:5: error: '...' is a placeholder: the value is still to be written (hint: write the "
     "real value, "
     "or comment the line out again with '# ')"),
])
def test_a_value_of_the_wrong_type_gets_a_hint_in_its_own_terms(
    make_catalogue: Callable[..., Path], old: str, new: str, message: str
) -> None:
    # both had no hint, and the list item was named as if it were the whole list
    root = make_catalogue()
    path = root / "resources" / "cellpose.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    messages = [d.format_text() for d in validate_catalogue(root).diagnostics]
    assert messages == [f"catalogue/resources/cellpose.yml:{message}"]


@pytest.mark.parametrize(("written", "bare"), [
    ("https://doi.org/10.1038/s41592-020-01018-x", "10.1038/s41592-020-01018-x"),
    ("doi:10.1038/s41592-020-01018-x", "10.1038/s41592-020-01018-x"),
    ("https://dx.doi.org/10.1038/s41592-020-01018-x", "10.1038/s41592-020-01018-x"),
    # it was told both "write it without the address part" and "write it percent-encoded"
    ("https://doi.org/10.1038/abc?x=1", "10.1038/abc?x=1"),
])
def test_a_doi_written_as_a_link_is_told_its_bare_form(
    make_catalogue: Callable[..., Path], written: str, bare: str
) -> None:
    root = make_catalogue()
    path = root / "resources" / "cellpose.yml"
    path.write_text(path.read_text("utf-8").replace(
        "doi: 10.1038/s41592-020-01018-x", f"doi: {written}"), "utf-8")
    messages = [d.format_text() for d in validate_catalogue(root).diagnostics]
    assert messages == [
        f"catalogue/resources/cellpose.yml:18:6: error: 'doi' has an invalid value '{written}' "
        f"(hint: write it without the address part: doi: {bare})"]


def test_an_entry_in_the_folder_of_another_type_is_told_where_it_belongs(
    make_catalogue: Callable[..., Path]
) -> None:
    # a resource saved in glossary/ got a dozen "unknown field" errors and no word on why
    root = make_catalogue()
    (root / "resources" / "cellpose.yml").rename(root / "glossary" / "cellpose.yml")
    messages = [d.format_text() for d in validate_catalogue(root).diagnostics]
    assert messages[0] == ("catalogue/glossary/cellpose.yml:1:1: error: this file reads like a "
                           "resource entry, but it is in glossary/ (hint: move it to resources/)")
    assert not any("reads like" in m for m in messages[1:])


def test_a_date_in_the_future_is_a_warning(make_catalogue: Callable[..., Path]) -> None:
    # 2031 for 2021 would keep an entry at the top of "recently added" for years; a warning,
    # as the build goes on (the date is only wrong by its value)
    root = make_catalogue()
    path = root / "resources" / "cellpose.yml"
    path.write_text(path.read_text("utf-8").replace("added: 2026-11-23", "added: 2999-01-01"),
                    "utf-8")
    result = validate_catalogue(root)
    assert result.ok
    assert [d.format_text() for d in result.diagnostics] == [
        "catalogue/resources/cellpose.yml:23:8: warning: 'added' is in the future (2999-01-01) "
        "(hint: write the date it happened, YYYY-MM-DD: today at the latest)"]


@pytest.mark.parametrize("suffix", [".yml", ".yaml"])
def test_a_broken_vocabulary_is_said_once_where_it_is_broken(tmp_path: Path, suffix: str) -> None:
    # its own YAML error came with "the vocabulary 'tasks' is missing" and, for every entry
    # using it, "... which does not exist (hint: create vocab/tasks.yml)": a file that is there
    folder = tmp_path / "catalogue"
    shutil.copytree(MINIMAL, folder)
    tasks = folder / "vocab" / "tasks.yml"
    broken = tasks.with_suffix(suffix)
    text = tasks.read_text(encoding="utf-8") + "  bad: [\n"
    tasks.unlink()
    broken.write_text(text, encoding="utf-8")
    uses = [e.id for e in validate_catalogue(MINIMAL).catalogue.all_entries() if e.get("tasks")]
    assert uses  # an entry uses the vocabulary: it would have been told to create it
    (problem,) = [d.format_text() for d in validate_catalogue(folder).diagnostics]
    assert f"vocab/tasks{suffix}:" in problem and "YAML syntax error" in problem


# --- addresses readers cannot reach -------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://192.168.1.10/seg", "a private address"),
        ("http://localhost:8080/", "this computer (localhost)"),
        ("http://169.254.169.254/latest/meta-data/", "a cloud metadata address"),
        ("https://intranet/wiki/cellpose", "a name only a local network knows (it has no dot)"),
        ("https://[::1]/", "a loopback address"),
        ("http://127.1/", "a loopback address"),  # short forms a resolver reads as addresses
        ("http://2130706433/", "a loopback address"),
    ],
)
def test_a_link_only_the_writers_network_reaches_is_said_where_it_is_written(
    url: str, kind: str, catalogue: Callable[..., Path],
) -> None:
    # `validate` said "no problems found"; the link checker then refused the address (broken),
    # in a job a pull request shows no annotation for
    root = catalogue("minimal")
    entry = root / "resources" / "cellpose.yml"
    entry.write_text(entry.read_text("utf-8").replace(
        "url: https://www.cellpose.org/", f"url: {url}"), "utf-8")
    result = validate_catalogue(root)
    assert result.ok  # a warning: an intranet catalogue may allow its hosts (below)
    [found] = result.diagnostics
    assert (found.severity, found.origin.line) == (Severity.WARNING, 15)
    assert found.message == (f"the URL '{url}' points to {kind}, which readers cannot reach "
                             "(the link check fails on it)")


def test_a_host_the_rules_allow_as_private_is_not_a_warning(
    catalogue: Callable[..., Path],
) -> None:
    root = catalogue("minimal")
    entry = root / "resources" / "cellpose.yml"
    entry.write_text(entry.read_text("utf-8").replace(
        "url: https://www.cellpose.org/", "url: https://wiki.institut.example/cellpose"),
        "utf-8")
    (root / "linkcheck.yml").write_text(
        "rules:\n  - host: wiki.institut.example\n    allow_private: true\n"
        "    reason: our intranet wiki\n", "utf-8")
    assert validate_catalogue(root).diagnostics == []  # a public-looking name: nothing to say
    entry.write_text(entry.read_text("utf-8").replace("wiki.institut.example", "10.1.2.3"),
                     "utf-8")
    (root / "linkcheck.yml").write_text(
        "rules:\n  - host: 10.1.2.3\n    allow_private: true\n"
        "    reason: our intranet wiki\n", "utf-8")
    assert validate_catalogue(root).diagnostics == []
    (root / "linkcheck.yml").unlink()
    assert [d.message for d in validate_catalogue(root).diagnostics] == [
        "the URL 'https://10.1.2.3/cellpose' points to a private address, which readers cannot "
        "reach (the link check fails on it)"]
    # no rule lets a cloud metadata address through, here as in the link checker
    entry.write_text(entry.read_text("utf-8").replace("10.1.2.3", "169.254.169.254"), "utf-8")
    (root / "linkcheck.yml").write_text(
        "rules:\n  - host: 169.254.169.254\n    allow_private: true\n"
        "    reason: not that\n", "utf-8")
    assert "points to a cloud metadata address" in " ".join(
        d.message for d in validate_catalogue(root).diagnostics)


@pytest.mark.parametrize("written", ["Outils et logiciels", "tools and software"])
def test_a_label_written_for_its_key_is_told_which_key(
    written: str, catalogue: Callable[..., Path],
) -> None:
    # the label is what the site shows and what `new` prints beside each key: it got only the
    # list of keys, with no suggestion (too far from 'tools' for a typo)
    root = catalogue("minimal")
    entry = root / "resources" / "cellpose.yml"
    entry.write_text(entry.read_text("utf-8").replace("sections: [tools]",
                                                      f"sections: [{written}]"), "utf-8")
    [found] = validate_catalogue(root).diagnostics
    assert found.hint.startswith(f"'{written}' is the label of the key 'tools': write tools; "
                                 "known keys: ")


def minibatch_term(root: Path, names_line: str, term: str = "{fr: Mini-lot, en: Minibatch}",
                   extra: str = "") -> Path:
    """A glossary term minibatch.yml whose 4th line is ``names_line`` (forms, not_linked)."""
    path = root / "glossary" / "minibatch.yml"
    path.write_text(f"id: minibatch\nterm: {term}\n"
                    "definition: {fr: Un petit lot., en: A small batch.}\n"
                    f"{names_line}\n{extra}added: 2026-11-23\n", encoding="utf-8")
    return path


def test_a_not_linked_phrase_that_is_another_terms_name_is_a_warning(
    make_catalogue: Callable[..., Path]
) -> None:
    # a term's not_linked phrases are never linked, whichever term's name they are: one that
    # is another term's whole name kept that term from ever being linked, without a word
    root = make_catalogue()
    minibatch_term(root, "not_linked: {en: [Batch]}")
    messages = [d.format_text() for d in validate_catalogue(root).diagnostics
                if "not_linked" in d.format_text() or "is a name" in d.format_text()]
    assert messages == [
        "catalogue/glossary/minibatch.yml:4:19: warning: 'Batch' is a name of the glossary "
        "term 'batch': as a phrase 'minibatch' never links, it keeps 'batch' from ever being "
        "linked (hint: remove it, or write the longer phrase texts use around a name of "
        "'minibatch')"]


def test_a_glossary_form_longer_than_a_name_is_an_error_where_it_is_written(
    make_catalogue: Callable[..., Path]
) -> None:
    root = make_catalogue()
    minibatch_term(root, f"forms: {{en: [{'a' * 1500}]}}", term="{fr: Abandon, en: Dropout}")
    result = validate_catalogue(root)
    assert not result.ok
    assert [d.format_text() for d in result.diagnostics if "minibatch" in d.format_text()] == [
        "catalogue/glossary/minibatch.yml:4:14: error: 'forms.en' is too long (1500 characters, "
        "at most 100)"]


def test_a_glossary_name_two_terms_share_or_a_not_linked_phrase_without_one_is_a_warning(
    make_catalogue: Callable[..., Path]
) -> None:
    # entry texts link a name to one term: the one whose id sorts first; and a phrase that
    # holds none of the term's names keeps nothing from being linked (a typo, most likely)
    root = make_catalogue()
    minibatch_term(root, "forms: {en: [mini-batches]}", extra="not_linked: {fr: [traitement "
                   "par lots, traitement par mini-lot], en: [batch mode]}\n")
    result = validate_catalogue(root)
    assert result.ok  # warnings: the build goes on
    messages = [d.format_text() for d in result.diagnostics
                if "glossary/minibatch.yml" in d.format_text()]
    assert messages == [
        "catalogue/glossary/minibatch.yml:2:12: warning: 'Mini-lot' also names the glossary "
        "term 'batch' (catalogue/glossary/batch.yml:7:24): entry texts link it to 'batch' "
        "(hint: give each name to one term; a word related to another term goes in 'keywords' "
        "(search only))",
        "catalogue/glossary/minibatch.yml:5:19: warning: 'traitement par lots' holds none of "
        "the term's fr names, so it keeps nothing from being linked (hint: write the phrase as "
        "texts do, with the term's title, abbreviation, a synonym or a form in it as a whole "
        "word)",
        "catalogue/glossary/minibatch.yml:5:71: warning: 'batch mode' holds none of the term's "
        "en names, so it keeps nothing from being linked (hint: write the phrase as texts do, "
        "with the term's title, abbreviation, a synonym or a form in it as a whole word)",
    ]


# --- where in its venue a paper is, and a book's publisher ---------------------------------


def _paper_published_in(root: Path, written: str) -> list[Any]:
    """The diagnostics of the fixture's Cellpose made a paper in Nature Methods, with
    ``written`` inside its ``published_in`` (line 23; the text starts at column 53)."""
    path = root / "resources" / "cellpose.yml"
    text = path.read_text(encoding="utf-8").replace("kind: tool", "kind: paper")
    path.write_text(text.replace(
        "added: 2026-11-23",
        f"published_in: {{type: journal, name: Nature Methods, {written}}}\nadded: 2026-11-23"),
        encoding="utf-8")
    return validate_catalogue(root).diagnostics


PAGES_HINT = ("The pages, first and last in full joined by one hyphen (100-106), one page "
              "(1119), or the article number that stands for pages (e1007012, dev194589).")


@pytest.mark.parametrize(("written", "message"), [
    # PubMed shortens the last page: cited as is, it would be pages 100 to 6
    ("pages: 100-6", "23:60: error: 'published_in.pages' ends before it starts ('100-6') "
     "(hint: write the last page in full: 100-106)"),
    ("pages: e1007012-e1007003", "23:60: error: 'published_in.pages' ends before it starts "
     "('e1007012-e1007003') (hint: write the first page, then the last, e.g. 100-106)"),
    # one way to write a range: a hyphen, which each export writes as its style wants
    ("pages: 100–106", f"23:60: error: 'published_in.pages' has an invalid value '100–106' "
     f"(hint: {PAGES_HINT})"),
    ("pages: 100--106", f"23:60: error: 'published_in.pages' has an invalid value '100--106' "
     f"(hint: {PAGES_HINT})"),
    ("pages: 0", f"23:60: error: 'published_in.pages' is out of range: 0 (hint: {PAGES_HINT})"),
    ("volume: [18]", "23:61: error: 'published_in.volume' must be a whole number or text, "
     "not a list"),
    ("volume: '18, 1'", "23:61: error: 'published_in.volume' has an invalid value '18, 1' "
     "(hint: Journals: the volume, as the work prints it: a number (18), or letters and digits "
     "(9351, 12B). Leave it out for a preprint.)"),
    ("issue: ''", "23:60: error: 'published_in.issue' has an invalid value '' (hint: Journals: "
     "the issue (number) within the volume, as the work prints it: a number (1), or letters "
     "and digits (S1, Suppl 2).)"),
])
def test_a_malformed_volume_issue_or_pages_is_said_where_it_is_written(
    make_catalogue: Callable[..., Path], written: str, message: str
) -> None:
    messages = [d.format_text() for d in _paper_published_in(make_catalogue(), written)]
    assert messages == [f"catalogue/resources/cellpose.yml:{message}"]


@pytest.mark.parametrize("written", [
    "pages: 100-106", "pages: 1119", "pages: e1007012", "pages: dev194589", "pages: S1-S12",
    "volume: 18, issue: 1", "volume: '9351', issue: Suppl 2", "volume: 30, pages: 5998",
])
def test_volume_issue_and_pages_as_papers_print_them_are_accepted(
    make_catalogue: Callable[..., Path], written: str
) -> None:
    assert _paper_published_in(make_catalogue(), written) == []


def test_a_publisher_is_a_books(make_catalogue: Callable[..., Path]) -> None:
    # a paper's publisher would be its journal's: said at the kind, with the rule's reason
    root = make_catalogue()
    path = root / "resources" / "cellpose.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "added: 2026-11-23", "publisher: Springer\nadded: 2026-11-23"), encoding="utf-8")
    messages = [d.format_text() for d in validate_catalogue(root).diagnostics]
    assert messages == [
        "catalogue/resources/cellpose.yml:3:7: error: 'kind' must be 'book' when 'publisher' "
        "is written (hint: A publisher here is a book's: remove 'publisher', or set kind: book "
        "(a paper's journal goes in published_in).)"]
