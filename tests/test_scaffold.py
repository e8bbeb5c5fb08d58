"""`dl4mic-hub new`: a commented entry file that passes validation at once, and clear refusals."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
import yaml

from dl4mic_hub import scaffold
from dl4mic_hub.cli import main
from dl4mic_hub.model import ENTRY_TYPES, ENTRY_TYPES_BY_NAME, read_catalogue
from dl4mic_hub.schema import field_specs, inlined_schema, load_schemas
from dl4mic_hub.validate import validate_catalogue

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "catalogues" / "minimal"

# Enough options for a valid entry of each type (the minimal fixture's vocabularies).
VALID_OPTIONS = {
    "resource": ["--title-fr", "Mon outil", "--title-en", "My tool",
                 "--summary-fr", "Un outil de test.", "--summary-en", "A test tool.",
                 "--kind", "tool", "--section", "tools", "--content-language", "en",
                 "--url", "https://example.org/my-tool",
                 "--link", "source=https://example.org/my-tool/code"],
    "faq": ["--question-fr", "Faut-il un GPU ?", "--question-en", "Do I need a GPU?",
            "--topic", "training"],
    "cheatsheet": ["--title-fr", "Fiche", "--title-en", "Sheet", "--summary-fr", "Une fiche.",
                   "--summary-en", "A sheet.", "--url", "https://example.org/sheet.pdf",
                   "--type", "cheat-sheet", "--content-language", "en"],
    "glossary": ["--term-fr", "Époque", "--term-en", "Epoch era",
                 "--definition-fr", "Un passage.", "--definition-en", "One pass."],
}


@pytest.fixture
def catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the minimal catalogue, with the working directory next to it, so messages
    show paths as a contributor sees them (catalogue/resources/...)."""
    shutil.copytree(MINIMAL, tmp_path / "catalogue")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: never ask
    return Path("catalogue")


def _new(kind: str, *options: str) -> int:
    return main(["new", kind, "--catalogue", "catalogue", *options])


@pytest.mark.parametrize("kind", [t.name for t in ENTRY_TYPES])
def test_new_entry_passes_validation_and_documents_every_field(
    kind: str, catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _new(kind, "--no-input", *VALID_OPTIONS[kind]) == 0
    out = capsys.readouterr()
    files = sorted((catalogue / ENTRY_TYPES_BY_NAME[kind].folder).glob("*.yml"))
    created = [f for f in files if f.name not in {p.name for p in MINIMAL.glob("*/*.yml")}]
    assert len(created) == 1
    assert f"created {created[0].as_posix()}" in out.out
    result = validate_catalogue(catalogue)
    assert [d.format_text() for d in result.diagnostics] == []

    text = created[0].read_text(encoding="utf-8")
    lines = text.splitlines()
    schema = ENTRY_TYPES_BY_NAME[kind].schema
    assert lines[0].startswith("# yaml-language-server: $schema=")
    assert (created[0].parent / lines[0].split("=", 1)[1]).resolve().name == schema
    for field in scaffold.fields_of(ENTRY_TYPES_BY_NAME[kind]):
        # Each field is written (or shown commented out) right after its schema description.
        index = next(i for i, line in enumerate(lines)
                     if line.startswith((f"{field.name}:", f"# {field.name}:")))
        block = []  # the comment lines right above the field
        for line in reversed(lines[:index]):
            if not line.startswith("# ") or line.startswith(("# yaml-language-server",)):
                break
            block.insert(0, line[2:])
        # French first, then English, each under its own "Obligatoire."/"Required."
        required = (("Obligatoire. ", "Required. ") if field.required
                    else ("Facultatif. ", "Optional. "))
        english = next(i for i, line in enumerate(block) if line.startswith(required[1]))
        assert block[0].startswith(required[0]), field.name
        assert " ".join(block[:english]) == f"{required[0]}{field.description_fr}", field.name
        comment = " ".join(block[english:])
        assert field.description.split(".")[0].removeprefix("Optional ")[:30].lower() \
            in comment.lower(), field.name
    # French spacing never leaves a line starting with ; : ? ! or »
    assert not [line for line in lines if line.startswith(("# ;", "# :", "# ?", "# !", "# »"))]


@pytest.mark.parametrize("kind", [t.name for t in ENTRY_TYPES])
def test_every_field_is_described_in_french_too(kind: str) -> None:
    # `new` writes both above each field: a field added to a schema without its French
    # description would leave French contributors with English only.
    for spec in field_specs(ENTRY_TYPES_BY_NAME[kind].schema):
        assert spec.description_fr, f"{kind}.{spec.name}: add x-description-fr to its schema"
        assert spec.description_fr != spec.description, spec.name


def test_the_date_and_faq_status_are_filled_in(catalogue: Path) -> None:
    assert _new("faq", "--no-input", *VALID_OPTIONS["faq"]) == 0
    data = yaml.safe_load((catalogue / "faq" / "do-i-need-a-gpu.yml").read_text(encoding="utf-8"))
    # Without an answer the question is published as open (the site invites an answer).
    assert data["status"] == "open"
    assert data["added"] == dt.date.today()


def test_a_url_already_in_the_catalogue_is_refused_with_the_entry_that_has_it(
    catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    options = VALID_OPTIONS["resource"][:-4]  # without --url and --link
    # Same page as the minimal catalogue's https://www.cellpose.org/ once normalized.
    assert _new("resource", "--no-input", *options, "--url", "http://cellpose.org") == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == (
        "catalogue/resources/cellpose.yml:15:6: error: this URL is already in entry "
        "'cellpose': http://cellpose.org (hint: improve that entry instead, or point to it "
        "with --related cellpose)"
    )
    assert not (catalogue / "resources" / "my-tool.yml").exists()


def test_a_secondary_link_of_another_entry_is_refused_too(
    catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    options = VALID_OPTIONS["resource"][:-2]
    code = _new("resource", "--no-input", *options,
                "--link", "source=https://github.com/MouseLand/cellpose/")
    assert code == 1
    assert "catalogue/resources/cellpose.yml:17:" in capsys.readouterr().err


def test_an_existing_id_is_refused(catalogue: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (catalogue / "glossary" / "batch.yml").read_text(encoding="utf-8")
    assert _new("glossary", "--no-input", "--id", "batch", *VALID_OPTIONS["glossary"]) == 1
    assert capsys.readouterr().err.startswith(
        "catalogue/glossary/batch.yml:2:5: error: the id 'batch' is already used (hint: if "
        "that entry is what you wanted to add, improve it instead; otherwise choose another id "
        "with --id"
    )
    assert (catalogue / "glossary" / "batch.yml").read_text(encoding="utf-8") == before


def test_an_id_used_by_another_type_is_refused(catalogue: Path) -> None:
    assert _new("faq", "--no-input", "--id", "cellpose", *VALID_OPTIONS["faq"]) == 1
    assert not (catalogue / "faq" / "cellpose.yml").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--task", "segmentaton"], "--tasks:1:1: error: 'tasks' has an unknown value "
         "'segmentaton' (not a key of catalogue/vocab/tasks.yml) (hint: did you mean "
         "'segmentation'? known keys: "),
        (["--id", "My Tool"], "--id:1:1: error: 'id' has an invalid value 'My Tool' (hint: "
         "e.g. 'my-tool': "),
        (["--year", "soon"], "--year:1:1: error: 'year' must be a whole number, not the text "
         "'soon'"),
        (["--added", "24/11/2026"], "--added:1:1: error: 'added' is not a valid date: "
         "'24/11/2026' (hint: write dates as YYYY-MM-DD"),
        (["--link", "https://example.org/doc"], "--link:1:1: error: 'https://example.org/doc' "
         "is not TYPE=URL"),
        (["--link", "docs=javascript:alert(1)"], "--link:1:1: error: URLs starting with "
         "'javascript:' are not allowed"),
        (["--link", "manual=https://example.org/m"], "--link:1:1: error: 'links.type' has an "
         "unknown value 'manual' (not a key of catalogue/vocab/link-types.yml)"),
        (["--kind", "paper", "--published-in", "Nature Methods"], "--published-in:1:1: error: "
         "'Nature Methods' is not TYPE=NAME (hint: e.g. --published-in journal=...)"),
        (["--kind", "paper", "--published-in", "magazine=Nature"], "--published-in:1:1: error: "
         "'published_in.type' has an unknown value 'magazine' (not a key of "
         "catalogue/vocab/venue-types.yml) (hint: known keys: journal, proceedings, preprint)"),
        (["--doi", "10.1000/<x>"], "--doi:1:1: error: the DOI '10.1000/<x>' contains the "
         "character '<', which a link cannot hold as it is (hint: write it percent-encoded: "
         "10.1000/%3Cx%3E)"),
        (["--url", "https://example.org:8O80/"], "--url:1:1: error: the URL "
         "'https://example.org:8O80/' has an invalid port '8O80'"),
        (["--summary-en", "A <b>bold</b> tool."], "--summary-en:1:1: error: the HTML tag <b> "
         "is not allowed in the text"),
        # what the file could only hold as an escape, which validate refuses
        (["--summary-en", "A\x1b[31m tool."], "--summary-en:1:1: error: the value holds an "
         "invisible control character (U+001B), which catalogue text cannot hold"),
        (["--author", "Ana\udcff"], "--authors:1:1: error: the value holds half of a "  # not UTF-8
         "character (a lone surrogate) (U+DCFF), which catalogue text cannot hold"),
    ],
)
def test_a_bad_value_without_a_terminal_is_located_at_its_option_and_exits_1(
    options: list[str], message: str, catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the same judge as `validate`: the schema's rules and our keywords, before any writing
    assert _new("resource", "--no-input", *VALID_OPTIONS["resource"][:-4], *options) == 1
    err = capsys.readouterr().err
    assert err.startswith(message), err
    assert "Traceback" not in err
    assert sorted(p.name for p in (catalogue / "resources").iterdir()) == ["cellpose.yml"]


def test_a_paper_venue_is_given_as_type_and_name(
    catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # published_in is an object: TYPE=NAME on the command line, like --link TYPE=URL
    options = [o if o != "tool" else "paper" for o in VALID_OPTIONS["resource"]]
    assert _new("resource", "--no-input", *options,
                "--published-in", "journal = Nature Methods") == 0
    written = (catalogue / "resources" / "my-tool.yml").read_text(encoding="utf-8")
    # on one line, as the catalogue's entries write it
    assert "\npublished_in: {type: journal, name: Nature Methods}\n" in written
    assert validate_catalogue(catalogue).diagnostics == []


def test_a_venue_given_twice_is_refused_not_half_kept(
    catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    options = [o if o != "tool" else "paper" for o in VALID_OPTIONS["resource"]]
    with pytest.raises(SystemExit) as stopped:  # a usage error, told with new's usage
        _new("resource", "--no-input", *options, "--published-in", "journal=A",
             "--published-in", "preprint=B")
    assert stopped.value.code == 2
    assert capsys.readouterr().err.endswith(
        "dl4mic-hub new resource: error: argument --published-in: given twice: an entry has "
        "one value of it\n")
    assert not (catalogue / "resources" / "my-tool.yml").exists()


def test_an_unused_venue_is_an_example_with_its_keys(catalogue: Path) -> None:
    assert _new("resource", "--no-input", *VALID_OPTIONS["resource"]) == 0
    written = (catalogue / "resources" / "my-tool.yml").read_text(encoding="utf-8")
    assert ("# Clés / keys (vocab/venue-types.yml): journal, proceedings, preprint\n"
            "# published_in: {type: journal, name: '...'}\n") in written


def test_a_doi_already_in_the_catalogue_is_refused_like_a_url(
    catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # DOIs ignore case: the same identity as validate's duplicate rule
    code = _new("resource", "--no-input", *VALID_OPTIONS["resource"],
                "--doi", "10.1038/S41592-020-01018-X")
    assert code == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "catalogue/resources/cellpose.yml:18:6: error: this DOI is already in entry 'cellpose': "
        "10.1038/S41592-020-01018-X (hint: improve that entry instead, or point to it with "
        "--related cellpose)"
    )


def test_missing_required_values_are_a_usage_error(
    catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _new("resource", "--no-input", "--title-en", "Lonely tool") == 2
    assert capsys.readouterr().err == (
        "new:1:1: error: missing required value(s): --kind, --summary-fr/--summary-en, "
        "--sections, --content-language (hint: pass them as options, or run the command in a "
        "terminal to be asked)\n"
    )


def test_not_a_catalogue_folder_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "faq", "--catalogue", "nowhere", "--no-input"]) == 2
    assert capsys.readouterr().err.startswith("nowhere:1:1: error: this is not a catalogue folder")


def test_a_terminal_asks_for_what_is_missing_and_asks_again_after_a_mistake(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter([
        "Réseau de neurones", "Neural network",  # term fr, en
        "Un modèle.", "",  # definition fr; en left for later
        "",  # the id proposed from the term, kept
    ])
    asked: list[str] = []

    def fake_input(prompt: str) -> str:
        asked.append(prompt)
        return next(answers)

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", fake_input)
    assert _new("glossary") == 0
    assert asked == ["  term [fr]: ", "  term [en]: ", "  definition [fr]: ",
                     "  definition [en]: ", "  id [neural-network]: "]
    text = (catalogue / "glossary" / "neural-network.yml").read_text(encoding="utf-8")
    assert "definition:\n  fr: Un modèle.\n  # en: ...  (translation to write)\n" in text
    # The missing translation is a warning, shown at once, not an error.
    out = capsys.readouterr()
    assert "warning: 'definition' has no English text" in out.err
    # Each question says what the field is in French, then in English
    lines = out.out.splitlines()
    term = lines.index("term (obligatoire / required): Le terme tel qu'il s'écrit dans chaque "
                       "langue.")
    assert lines[term + 1] == "  The term as written in each language."


def test_ask_missing_explains_a_wrong_key_and_asks_again() -> None:
    catalogue, _ = read_catalogue(MINIMAL)
    answers = iter(["segmentaton", "segmentation, classification"])
    said: list[str] = []
    resource = ENTRY_TYPES_BY_NAME["resource"]
    field = next(f for f in scaffold.fields_of(resource) if f.name == "tasks")
    value = scaffold._ask_one(field, lambda _p: next(answers), said.append,
                              scaffold.ValueJudge(resource, catalogue))
    assert value == ["segmentation", "classification"]
    assert any("did you mean 'segmentation'?" in line for line in said)


@pytest.mark.parametrize(("name", "answers", "said"), [
    ("kind", ["", "tool"], "  champ obligatoire / this field is required"),
    ("title", ["", "", "", "Outil"], "  il faut au moins une langue, l'autre pourra être "
     "traduite plus tard / at least one language is needed, the other can be translated later"),
])
def test_an_empty_answer_to_a_required_question_is_said_in_both_languages(
    name: str, answers: list[str], said: str
) -> None:
    catalogue, _ = read_catalogue(MINIMAL)
    typed = iter(answers)
    lines: list[str] = []
    resource = ENTRY_TYPES_BY_NAME["resource"]
    field = next(f for f in scaffold.fields_of(resource) if f.name == name)
    assert scaffold._ask_one(field, lambda _p: next(typed), lines.append,
                             scaffold.ValueJudge(resource, catalogue))
    assert lines == [said]


def test_a_bad_option_in_a_terminal_is_asked_again_and_the_other_answers_are_kept(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asked: list[str] = []
    answers = {"  year: ": iter(["bientôt", "2019"])}

    def fake_input(prompt: str) -> str:
        asked.append(prompt)
        return next(answers[prompt]) if prompt in answers else ""

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", fake_input)
    assert _new("resource", *VALID_OPTIONS["resource"], "--year", "soon") == 0
    out = capsys.readouterr().out
    assert "--year: 'year' must be a whole number, not the text 'soon'" in out
    assert "  'year' must be a whole number, not the text 'bientôt'" in out
    assert asked.count("  year: ") == 2
    data = yaml.safe_load((catalogue / "resources" / "my-tool.yml").read_text(encoding="utf-8"))
    assert data["year"] == 2019
    assert data["title"] == {"fr": "Mon outil", "en": "My tool"}  # given answers kept


def test_placeholders_uncommented_as_they_are_are_refused_where_they_are(
    catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # uncommenting '# en: ...  (translation to write)', '# authors: [...]' or the example link
    # published '...' and a link to https://...
    assert _new("resource", "--no-input", "--title-fr", "Mon outil", "--summary-fr", "Un outil.",
                "--kind", "tool", "--section", "tools", "--content-language", "en") == 0
    path = catalogue / "resources" / "mon-outil.yml"
    text = path.read_text(encoding="utf-8")
    for commented in ("  # en: ...  (translation to write)", "# authors: ['...']", "# links:",
                      "# - {type: docs, url: 'https://...'}"):
        assert commented in text, commented
        text = text.replace(commented, commented.replace("# ", "", 1), 1)
    path.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", "--catalogue", "catalogue"]) == 1
    captured = capsys.readouterr()
    errors = [line for line in (captured.out + captured.err).splitlines() if ": error: " in line]
    lines = text.splitlines()
    en, link, authors = (next(n for n, line in enumerate(lines, 1) if line.startswith(start))
                         for start in ("  en: ...", "- {type: docs", "authors: ['...']"))
    where = "catalogue/resources/mon-outil.yml"
    placeholder = ("is a placeholder: the value is still to be written (hint: write the real "
                   "value, or comment the line out again with '# ')")
    assert errors == [
        f"{where}:{en}:7: error: '...  (translation to write)' {placeholder}",
        f"{where}:{link}:21: error: the URL 'https://...' has a malformed host name '...': a "
        "dot at its start or two dots in a row (hint: write the site's address, like "
        "https://example.org/page)",
        f"{where}:{authors}:12: error: '...' {placeholder}",
    ]


def test_kinds_a_resource_cannot_have_are_never_offered(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # the kinds vocabulary holds faq, cheatsheet and glossary for those entries; a resource
    # that took the offer was refused ("'kind' cannot be 'faq'")
    options = VALID_OPTIONS["resource"]
    without_kind = [v for i, v in enumerate(options)
                    if "--kind" not in options[max(i - 1, 0): i + 1]]
    answers = iter(["faq", "tool"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input",
                        lambda prompt: next(answers) if prompt == "  kind: " else "")
    assert _new("resource", *without_kind) == 0
    out = capsys.readouterr().out
    offered = next(line for line in out.splitlines() if line.startswith("  tool ("))
    assert "faq" not in offered and "glossary" not in offered, offered
    assert "'kind' cannot be 'faq'" in out  # the refused answer is explained, then asked again
    text = (catalogue / "resources" / "my-tool.yml").read_text(encoding="utf-8")
    keys = next(line for line in text.splitlines() if "keys (vocab/kinds.yml)" in line)
    assert "faq" not in keys and "tool" in keys


def test_a_bad_id_or_date_in_a_terminal_is_asked_again_not_replaced(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # they were reported, then silently replaced by the title's id and today's date
    # the id is asked last, the title's proposed; a refused answer is not proposed again
    answers = {"  id [weights]: ": iter(["Mes Poids"]), "  id: ": iter(["mes-poids"]),
               "  added: ": iter(["2025-06-01"])}
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input",
                        lambda prompt: next(answers[prompt]) if prompt in answers else "")
    assert _new("glossary", "--id", "Mes Poids", "--added", "2025/06/01",
                "--term-fr", "Poids", "--term-en", "Weights",
                "--definition-fr", "Les paramètres.", "--definition-en", "The parameters.") == 0
    data = yaml.safe_load((catalogue / "glossary" / "mes-poids.yml").read_text(encoding="utf-8"))
    assert data["id"] == "mes-poids" and str(data["added"]) == "2025-06-01"
    assert not (catalogue / "glossary" / "weights.yml").exists()
    # both were asked, the id twice (its first answer refused too), every answer used
    assert all(next(left, None) is None for left in answers.values())
    out = capsys.readouterr().out
    assert out.count("'id' has an invalid value 'Mes Poids'") == 2 and "'added'" in out


def test_a_terminal_proposes_the_id_and_takes_another_until_one_is_free(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The id is the page's address for good: a long term made a long id nobody was asked
    # about, and a taken one ended the command after every answer had been typed.
    proposal = "batch"
    answers = {f"  id [{proposal}]: ": iter([""]),  # the proposal is kept: but it is taken
               "  id: ": iter(["Lot", "batch", "lot"])}  # invalid, taken, then free
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input",
                        lambda prompt: next(answers[prompt]) if prompt in answers else "")
    assert _new("glossary", "--term-fr", "Lot", "--term-en", "Batch",
                "--definition-fr", "Un lot d'images.", "--definition-en", "Images.") == 0
    assert yaml.safe_load((catalogue / "glossary" / "lot.yml").read_text("utf-8"))["id"] == "lot"
    assert all(next(left, None) is None for left in answers.values())
    out = capsys.readouterr().out
    assert out.count("the id 'batch' is already used by catalogue/glossary/batch.yml") == 2
    assert "'id' has an invalid value 'Lot'" in out
    assert "Enter to keep the proposal" in out


@pytest.mark.parametrize("how", ["--id given", "bad --id, then a taken answer", "a file"])
def test_a_taken_id_is_asked_again_in_a_terminal_however_it_came(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    how: str,
) -> None:
    # these ended the command after every answer: a taken --id; a bad --id answered with a
    # taken one; a file at the id's path that is not an entry (a broken one still takes it)
    options = {"--id given": ["--id", "batch"], "bad --id, then a taken answer": ["--id", "B_"],
               "a file": []}[how]
    if how == "a file":
        (catalogue / "glossary" / "weights.yml").write_text("term: [\n", encoding="utf-8")
    answers = iter({"--id given": ["poids"], "a file": ["", "poids"]}.get(how, ["batch", "poids"]))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input",
                        lambda prompt: next(answers) if prompt.startswith("  id") else "")
    code = _new("glossary", *options, "--term-fr", "Poids", "--term-en", "Weights",
                "--definition-fr", "Les paramètres.", "--definition-en", "The parameters.")
    out = capsys.readouterr()
    assert code == 0, out.err
    assert (catalogue / "glossary" / "poids.yml").is_file()
    assert next(answers, None) is None
    taken = ("catalogue/glossary/weights.yml" if how == "a file"
             else "catalogue/glossary/batch.yml")
    assert "is already used by " + taken in out.out
    if how == "--id given":
        assert out.out.startswith("--id: the id 'batch' is already used by "
                                  "catalogue/glossary/batch.yml\n")


@pytest.mark.parametrize("how", ["answered", "--url given"])
def test_an_address_already_in_the_catalogue_is_asked_again_in_a_terminal(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    how: str,
) -> None:
    # Cellpose's address, typed at the url question (or given as --url), ended the command
    # with exit 1 after every other answer, and its hint named an option (--related)
    options = [o for o in VALID_OPTIONS["resource"] if o != "https://example.org/my-tool"]
    options.remove("--url")
    if how == "--url given":
        options += ["--url", "https://www.cellpose.org"]
    answers = iter(["https://www.cellpose.org", "https://example.org/mon-outil"]
                   if how == "answered" else ["https://example.org/mon-outil"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input",
                        lambda prompt: next(answers) if prompt == "  url: " else "")
    code = _new("resource", *options)
    out = capsys.readouterr()
    assert code == 0, out.err
    assert next(answers, None) is None
    assert "this URL is already in entry 'cellpose' (catalogue/resources/cellpose.yml:15:6): " \
           "https://www.cellpose.org (hint: if that entry is what you wanted to add, improve " \
           "it instead; otherwise give another address)" in out.out
    written = yaml.safe_load((catalogue / "resources" / "my-tool.yml").read_text("utf-8"))
    assert written["url"] == "https://example.org/mon-outil"


def test_a_title_without_a_word_for_an_id_gets_the_id_asked(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "« ? »" gives no id to propose: a terminal asks for one (it stopped on "missing --id")
    asked: list[str] = []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input",
                        lambda prompt: asked.append(prompt) or ("qmark" if "id" in prompt else ""))
    assert _new("glossary", "--term-fr", "« ? »", "--term-en", "?",
                "--definition-fr", "Un signe.", "--definition-en", "A sign.") == 0
    assert "  id: " in asked
    assert (catalogue / "glossary" / "qmark.yml").is_file()


def test_an_id_proposal_kept_in_a_terminal_names_the_file(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "")
    assert _new("glossary", "--term-fr", "Époque", "--term-en", "Training epoch",
                "--definition-fr", "Un passage.", "--definition-en", "One pass.") == 0
    assert (catalogue / "glossary" / "training-epoch.yml").is_file()


@pytest.mark.parametrize("kind", [t.name for t in ENTRY_TYPES])
def test_optional_questions_come_from_the_schema(kind: str, catalogue: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # besides the required values (given here): the main URL, the DOI and every field with a
    # vocabulary, read from the schema; a new facet gets its question with no code change
    asked: list[str] = []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "")
    pairs = list(zip(VALID_OPTIONS[kind][::2], VALID_OPTIONS[kind][1::2], strict=True))
    optional = ("--url", "--link") if kind == "resource" else ()
    options = [part for flag, value in pairs if flag not in optional for part in (flag, value)]
    assert _new(kind, *options) == 0
    schema_file = ENTRY_TYPES_BY_NAME[kind].schema
    schema = load_schemas()[schema_file]
    given = {o[2:].replace("-", "_") for o in options if o.startswith("--")}
    expected = set()
    for name, raw in inlined_schema(schema_file)["properties"].items():
        spec = {**raw, **raw.get("items", {})}
        if name in schema["required"] or "default" in spec:
            continue  # given, or the default says it (status: active)
        if "x-vocabulary" in spec or "x-url" in spec or "x-doi" in spec:
            expected.add(name)
    # a field the schema keeps for one kind of entry, asked for that kind only (none here)
    assert not {"published_in", "edition", "publisher"} & expected
    expected -= given | {g + "s" for g in given}
    expected |= {"id"}  # proposed from the title, to keep or change
    assert {p.strip().split(" ")[0].rstrip(":") for p in asked} == expected


@pytest.mark.parametrize(("kind", "asked_for"), [
    ("paper", {"published_in"}), ("book", {"edition", "publisher"}), ("tool", set()),
])
def test_a_field_kept_for_one_kind_is_asked_for_that_kind(
    kind: str, asked_for: set[str], catalogue: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # the schema's rules say which kind may hold published_in (papers), edition and publisher
    # (books)
    asked: list[str] = []
    answers = {"  published_in (TYPE=NAME): ": "journal=Nature Methods", "  edition: ": "2",
               "  publisher: ": "Manning"}
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input",
                        lambda prompt: asked.append(prompt) or answers.get(prompt, ""))
    options = [o if o != "tool" else kind for o in VALID_OPTIONS["resource"]]
    assert _new("resource", *options) == 0
    reserved = {"published_in", "edition", "publisher"}
    assert {p.strip().split(" ")[0].rstrip(":") for p in asked} & reserved == asked_for
    written = (catalogue / "resources" / "my-tool.yml").read_text(encoding="utf-8")
    if kind == "paper":  # its keys are shown before the question, with their labels
        assert "journal (Revue), proceedings (Actes de conférence)" in capsys.readouterr().out
        assert "\npublished_in: {type: journal, name: Nature Methods}\n" in written
    if kind == "book":
        assert "\nedition: 2\n" in written and "\npublisher: Manning\n" in written
    assert validate_catalogue(catalogue).diagnostics == []


def test_render_is_pure_and_round_trips() -> None:
    catalogue, _ = read_catalogue(MINIMAL)
    values = {
        "id": "noise2void", "kind": "tool", "title": {"fr": "Noise2Void", "en": "Noise2Void"},
        "summary": {"fr": "Débruitage « auto-supervisé » : deux lignes\net un deux-points: oui.",
                    "en": "Self-supervised denoising."},
        "sections": ["tools"], "content_language": ["en"], "added": dt.date(2026, 1, 2),
        "links": [{"type": "docs", "url": "https://example.org/n2v#usage"}], "year": 2019,
    }
    text = scaffold.render_entry(ENTRY_TYPES_BY_NAME["resource"], values, catalogue, "x.json")
    assert text == scaffold.render_entry(ENTRY_TYPES_BY_NAME["resource"], values, catalogue,
                                         "x.json")
    assert yaml.safe_load(text) == values
    assert "# Clés / keys (vocab/tasks.yml): " in text  # the accepted keys, for the editor
    assert "\n# tasks: [" in text  # optional field left as a commented-out example


def test_modeline_points_at_the_schema_from_the_real_catalogue() -> None:
    path = ROOT / "catalogue" / "resources" / "x.yml"
    assert scaffold.schema_modeline_path(ENTRY_TYPES_BY_NAME["resource"], path) == (
        "../../src/dl4mic_hub/schemas/resource.schema.json"
    )


def test_the_id_made_from_a_title_is_cut_at_a_word_boundary(catalogue: Path) -> None:
    words = "Un glossaire " + "très long " * 12
    assert _new("glossary", "--no-input", "--term-fr", words, "--term-en", "",
                "--definition-fr", "Une définition.") == 0
    (created,) = [p for p in (catalogue / "glossary").glob("*.yml") if p.name != "batch.yml"]
    # 60 characters at most, and never half a word ("tres-l")
    assert created.stem == "un-glossaire-" + "-".join(["tres-long"] * 4) + "-tres"


def test_a_file_where_the_entry_folder_goes_is_reported_as_validate_does(
    catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a problem in the catalogue, at the folder's path: 'new' said exit 2 at
    # catalogue/glossary/epoch.yml:1:1, a path that cannot exist (exit 3 before that)
    shutil.rmtree(catalogue / "glossary")
    (catalogue / "glossary").write_text("mine\n", encoding="utf-8")
    expected = ("catalogue/glossary:1:1: error: this is a file: the catalogue keeps these files "
                "in a folder 'glossary/' (hint: move the file away and make glossary/ a folder)")
    assert main(["validate", "--catalogue", "catalogue"]) == 1
    assert expected in capsys.readouterr().err.splitlines()
    assert _new("glossary", "--no-input", "--id", "epoch", *VALID_OPTIONS["glossary"]) == 1
    assert capsys.readouterr().err.splitlines() == [expected]
    assert (catalogue / "glossary").read_text(encoding="utf-8") == "mine\n"


def test_new_never_writes_through_a_symbolic_link(
    catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    (catalogue / "glossary").rename(elsewhere)
    (catalogue / "glossary").symlink_to(elsewhere, target_is_directory=True)
    assert _new("glossary", "--no-input", *VALID_OPTIONS["glossary"]) == 1
    assert capsys.readouterr().err.startswith(
        "catalogue/glossary:1:1: error: this is a symbolic link"
    )
    assert sorted(p.name for p in elsewhere.iterdir()) == ["batch.yml"]


@pytest.mark.parametrize(("option", "singular"), [
    ("--tasks", "--task"), ("--learning-topics", "--learning-topic"), ("--sections", "--section"),
    # the guides' example of a new vocabulary gave "--modalitie": no guess rather than a wrong one
    ("--modalities", None), ("--species", None), ("--series", None), ("--classes", None),
    ("--analyses", None), ("--statuses", None), ("--boxes", None), ("--see-also", None),
])
def test_a_list_option_has_its_singular_when_it_is_sure(option: str, singular: str | None) -> None:
    assert scaffold._singular(option) == singular
