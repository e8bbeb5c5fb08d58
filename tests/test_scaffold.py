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
        comment = " ".join(line[2:] for line in lines[:index][::-1][:4][::-1]
                           if line.startswith("# "))
        assert field.description.split(".")[0].removeprefix("Optional ")[:30].lower() \
            in comment.lower(), field.name


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
        "catalogue/glossary/batch.yml:2:5: error: the id 'batch' is already used (hint: choose "
        "another id with --id"
    )
    assert (catalogue / "glossary" / "batch.yml").read_text(encoding="utf-8") == before


def test_an_id_used_by_another_type_is_refused(catalogue: Path) -> None:
    assert _new("faq", "--no-input", "--id", "cellpose", *VALID_OPTIONS["faq"]) == 1
    assert not (catalogue / "faq" / "cellpose.yml").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--task", "segmentaton"], "--tasks: unknown value 'segmentaton' (not a key of "
         "vocab/tasks.yml) (hint: did you mean 'segmentation'? known keys: "),
        (["--id", "My Tool"], "--id: 'My Tool' is not a valid id (hint: use lower-case "
         "letters, digits and hyphens, e.g. 'my-tool')"),
        (["--year", "soon"], "--year: 'soon' is not a whole number"),
        (["--added", "24/11/2026"], "--added: '24/11/2026' is not a date (hint: write it "
         "YYYY-MM-DD"),
        (["--link", "https://example.org/doc"], "--link: 'https://example.org/doc' is not "
         "TYPE=URL"),
        (["--link", "docs=javascript:alert(1)"], "--link: "),
        (["--link", "manual=https://example.org/m"], "--link: unknown value 'manual' (not a "
         "key of vocab/link-types.yml)"),
    ],
)
def test_bad_values_are_explained_without_traceback(
    options: list[str], message: str, catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _new("resource", "--no-input", *VALID_OPTIONS["resource"][:-4], *options) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"dl4mic-hub new: error: {message}"), err
    assert "javascript:" in err or "javascript" not in " ".join(options)
    assert "Traceback" not in err
    assert sorted(p.name for p in (catalogue / "resources").iterdir()) == ["cellpose.yml"]


def test_missing_required_values_are_listed(
    catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _new("resource", "--no-input", "--title-en", "Lonely tool") == 2
    assert capsys.readouterr().err == (
        "dl4mic-hub new: error: missing required value(s): --kind, --summary-fr/--summary-en, "
        "--sections, --content-language (hint: pass them as options, or run the command in a "
        "terminal to be asked)\n"
    )


def test_not_a_catalogue_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "faq", "--catalogue", "nowhere", "--no-input"]) == 1
    assert capsys.readouterr().err.startswith("nowhere:1:1: error: this is not a catalogue folder")


def test_a_terminal_asks_for_what_is_missing_and_asks_again_after_a_mistake(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter([
        "Réseau de neurones", "Neural network",  # term fr, en
        "Un modèle.", "",  # definition fr; en left for later
    ])
    asked: list[str] = []

    def fake_input(prompt: str) -> str:
        asked.append(prompt)
        return next(answers)

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", fake_input)
    assert _new("glossary") == 0
    assert asked == ["  term [fr]: ", "  term [en]: ", "  definition [fr]: ",
                     "  definition [en]: "]
    text = (catalogue / "glossary" / "neural-network.yml").read_text(encoding="utf-8")
    assert "definition:\n  fr: Un modèle.\n  # en: ...  (translation to write)\n" in text
    # The missing translation is a warning, shown at once, not an error.
    assert "warning: 'definition' has no English text" in capsys.readouterr().err


def test_ask_missing_explains_a_wrong_key_and_asks_again() -> None:
    catalogue, _ = read_catalogue(MINIMAL)
    labels = {name: {k: v.label_of(k, "fr") for k in v.terms}
              for name, v in catalogue.vocabularies.items()}
    answers = iter(["segmentaton", "segmentation, classification"])
    said: list[str] = []
    field = next(f for f in scaffold.fields_of(ENTRY_TYPES_BY_NAME["resource"])
                 if f.name == "tasks")
    value = scaffold._ask_one(field, lambda _p: next(answers), said.append,
                              {k: list(v) for k, v in labels.items()})
    assert value == ["segmentation", "classification"]
    assert any("did you mean 'segmentation'?" in line for line in said)


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
    assert "# Keys (vocab/tasks.yml): " in text  # the accepted keys, listed for the editor
    assert "\n# tasks: [" in text  # optional field left as a commented-out example


def test_modeline_points_at_the_schema_from_the_real_catalogue() -> None:
    path = ROOT / "catalogue" / "resources" / "x.yml"
    assert scaffold.schema_modeline_path(ENTRY_TYPES_BY_NAME["resource"], path) == (
        "../../src/dl4mic_hub/schemas/resource.schema.json"
    )


def test_slugify() -> None:
    assert scaffold.slugify("Antisèche : Deep Learning (GlobalSQA)") == (
        "antiseche-deep-learning-globalsqa"
    )
