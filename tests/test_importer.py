"""import-markdown: parsing a Markdown list, the report of defects, drafts and the command."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from dl4mic_hub.cli import main
from dl4mic_hub.diagnostics import Severity
from dl4mic_hub.importer import draft_id, import_markdown, parse_markdown, write_drafts
from dl4mic_hub.validate import validate_catalogue

SEED = Path(__file__).parent / "data" / "seed.md"
VOCAB = Path(__file__).parents[1] / "catalogue" / "vocab"


def report(text: str) -> list[str]:
    return [d.format_text() for d in parse_markdown(text, "list.md").findings]


# --- one fixture per defect kind: the exact report lines ---------------------------------------


def test_link_with_empty_parentheses_is_reported() -> None:
    assert report("# Langages\n1. [Julia](https://julialang.org/)\n1. [R]()\n") == [
        "list.md:3:4: warning: link 'R' has no URL "
        "(hint: add the address between the parentheses, or remove the link)"
    ]


def test_brackets_without_parentheses_are_a_link_without_url() -> None:
    text = "# Visualisation\n* [napari](https://napari.org/)\n* [Fiji - avec hyperstack]\n"
    assert report(text) == [
        "list.md:3:3: warning: '[Fiji - avec hyperstack]' looks like a link but has no URL "
        "(hint: write [Fiji - avec hyperstack](https://...) or remove the brackets)"
    ]


def test_brackets_inside_prose_are_not_links() -> None:
    text = "# Outils\n* [QuPath](https://qupath.github.io/) marque (pan-cytokeratin [PanCK]).\n"
    assert report(text) == []


def test_space_between_brackets_and_parentheses_is_malformed() -> None:
    text = "# Fiji\n1. Conseil [ICI] (https://github.com/stardist/stardist/issues/90).\n"
    assert report(text) == [
        "list.md:2:12: warning: malformed link '[ICI] (https://github.com/stardist/stardist/"
        "issues/90)': a space separates ']' from '(' "
        "(hint: remove the space: [ICI](https://github.com/stardist/stardist/issues/90))"
    ]
    (link,) = parse_markdown(text).links
    assert link.url == "https://github.com/stardist/stardist/issues/90"


def test_url_without_scheme_is_reported() -> None:
    text = "# Livres\n* [Un livre](amazon.fr/dp/2100790668), 2020\n"
    assert report(text) == [
        "list.md:2:3: warning: the URL 'amazon.fr/dp/2100790668' is incomplete: it must start "
        "with https:// (hint: write it in full: https://amazon.fr/dp/2100790668)"
    ]


def test_url_with_spaces_around_is_reported_and_stripped() -> None:
    text = "# Outils\n1. [ZeroCostDL4Mic]( https://github.com/HenriquesLab/ZeroCostDL4Mic)\n"
    assert report(text) == [
        "list.md:2:4: warning: the URL ' https://github.com/HenriquesLab/ZeroCostDL4Mic' has "
        "spaces around it (hint: remove the spaces)"
    ]
    assert parse_markdown(text).links[0].url == "https://github.com/HenriquesLab/ZeroCostDL4Mic"


def test_duplicates_compare_normalized_urls() -> None:
    text = (
        "# Données\n* [Cytomine](https://open.cytomine.com/)\n\n"
        "# Annotation\n* [Cytomine (online)](http://www.open.cytomine.com)\n"
    )
    assert report(text) == [
        "list.md:5:3: warning: duplicate link: the same address as line 2 ('Cytomine'): "
        "http://www.open.cytomine.com "
        "(hint: one draft is written; it lists the sections of every occurrence)"
    ]


def test_items_that_are_not_links_are_reported_but_group_headings_are_not() -> None:
    text = (
        "# Conseil hardware\n"
        "Conseil pour l'achat d'un GPU:\n"
        "1) Discussion avec un IT admin\n"
        "1. **Logiciel (?)**\n"
        "      * TissueMiner\n"
        "      * [napari](https://napari.org/)\n"
    )
    assert report(text) == [
        "list.md:3:1: warning: not a link: 'Discussion avec un IT admin' "
        "(hint: no draft written; add a URL to the list or give this text a home by hand)",
        "list.md:5:7: warning: not a link: 'TissueMiner' "
        "(hint: no draft written; add a URL to the list or give this text a home by hand)",
    ]


def test_code_block_is_reported_once_and_its_content_ignored() -> None:
    text = "# Communauté\n```\n[pas un lien](https://example.org)\n```\n"
    assert report(text) == [
        "list.md:2:1: warning: not a link: a code block (lines 2-4) "
        "(hint: no draft written; give this text a home by hand)"
    ]
    assert parse_markdown(text).links == []


def test_links_spanning_lines_and_table_of_contents() -> None:
    text = (
        "1. [Antisèches](#antiseches)\n\n"
        "# Biblio\n"
        "   * [BioImage Model Zoo: A Community-Driven Resource for Accessible\n"
        "      Deep Learning](https://www.biorxiv.org/content/10.1101/2022.06.07.495102v1)\n"
    )
    parsed = parse_markdown(text)
    assert report(text) == []
    assert [(link.text, link.line) for link in parsed.links] == [
        ("BioImage Model Zoo: A Community-Driven Resource for Accessible Deep Learning", 4)
    ]


def test_faq_questions_answers_and_empty_answer() -> None:
    text = (
        "# FAQ pendant les présentations\n\n"
        "11. Comment optimiser l'utilisation des GPU?\n\n>\n\n"
        "12. Quelle quantité de données?\n\n> Quelques centaines\nd'instances, voir [ici](https://example.org/a).\n"
    )
    parsed = parse_markdown(text, "list.md")
    assert [(q.number, q.line, q.question, q.answer) for q in parsed.questions] == [
        (11, 3, "Comment optimiser l'utilisation des GPU?", ""),
        (12, 7, "Quelle quantité de données?",
         "Quelques centaines\nd'instances, voir [ici](https://example.org/a)."),
    ]
    assert [d.format_text() for d in parsed.findings] == [
        "list.md:3:1: warning: question 11 has no answer "
        "(hint: drafted with 'status: open'; the site invites readers to answer it)"
    ]
    assert [(link.url, link.faq_number) for link in parsed.links] == [("https://example.org/a", 12)]


# --- drafts ------------------------------------------------------------------------------------


def drafts(text: str) -> dict[str, dict]:
    result = import_markdown(text, display="list.md", date="2026-11-23")
    return {d.path: yaml.safe_load(d.text) for d in result.drafts}


def test_resource_draft_fields() -> None:
    text = (
        "# Conseil outils et logiciels\n"
        "1. [NGROK](https://ngrok.com) Utile pour visualiser les courbes dans Google Colab.\n"
        "* [ITK-SNAP (3D)](http://www.itksnap.org/): [vidéo](https://www.youtube.com/watch?v=x)\n"
    )
    out = drafts(text)
    assert set(out) == {"resources/ngrok.yml", "resources/itk-snap-3d.yml"}
    ngrok = out["resources/ngrok.yml"]
    assert ngrok["id"] == "ngrok"
    assert ngrok["title"] == {"fr": "NGROK"}
    assert ngrok["summary"] == {"fr": "Utile pour visualiser les courbes dans Google Colab"}
    assert ngrok["url"] == "https://ngrok.com"
    assert ngrok["sections"] == ["tools"]
    assert str(ngrok["added"]) == "2026-11-23"
    assert out["resources/itk-snap-3d.yml"]["links"] == [
        {"type": "video", "url": "https://www.youtube.com/watch?v=x"}
    ]


def test_duplicate_becomes_one_draft_listed_in_every_section() -> None:
    text = (
        "# Base de données partagées\n* [OMERO](https://www.openmicroscopy.org/omero/)\n\n"
        "# Conseil outils\n* [OMERO](https://www.openmicroscopy.org/omero)\n"
    )
    out = drafts(text)
    assert list(out) == ["resources/omero.yml"]
    assert out["resources/omero.yml"]["sections"] == ["datasets", "tools"]
    assert "Also listed at list.md line 5, under 'Conseil outils'." in (
        out["resources/omero.yml"]["curation"]
    )


def test_a_malformed_host_is_reported_not_a_crash() -> None:
    # was an internal error (exit 3): the kind was guessed with urlsplit, which raises here
    result = import_markdown("# Outils\n* [X](https://[::1/page) un outil\n",
                             display="list.md", date="2026-11-23")
    assert [d.format_text() for d in result.findings] == [
        "list.md:2:3: warning: the URL 'https://[::1/page' has a malformed host name: brackets "
        "may only enclose an IPv6 address, followed by nothing but a port (hint: write it like "
        "https://example.org/page or https://[2001:db8::1]:8080/page)"
    ]
    assert yaml.safe_load(result.drafts[0].text)["kind"] == ""


def test_unknown_heading_is_kept_in_a_curation_note() -> None:
    out = drafts("# Antisèches - Cheat Sheet\n1. [Sheet](https://example.org/sheet)\n")
    draft = out["resources/sheet.yml"]
    assert draft["sections"] == []
    assert any("No section matched the heading 'Antisèches - Cheat Sheet'" in note
               for note in draft["curation"])


def test_faq_draft_open_when_no_answer() -> None:
    text = "# FAQ Slack\n1. Faut-il un GPU ?\n\n> Oui.\n\n# FAQ (Skype)\n2. Et le batch ?\n\n>\n"
    out = drafts(text)
    assert out["faq/faut-il-un-gpu.yml"] == {
        "id": "faut-il-un-gpu", "question": {"fr": "Faut-il un GPU ?"},
        "answer": {"fr": "Oui."}, "status": "answered", "topics": [], "origin": "slack",
        "order": 1, "added": out["faq/faut-il-un-gpu.yml"]["added"],
        "curation": ["Imported from list.md line 2, under 'FAQ Slack'."],
    }
    batch = out["faq/et-le-batch.yml"]
    assert batch["status"] == "open" and "answer" not in batch and batch["origin"] == "session"


def test_every_draft_says_it_needs_a_human_pass() -> None:
    result = import_markdown(SEED.read_text(encoding="utf-8"), display="seed.md", date="2026-11-23")
    for draft in result.drafts:
        lines = draft.text.splitlines()
        assert lines[0].startswith("# yaml-language-server: $schema=")
        assert lines[1].startswith("# DRAFT imported from seed.md:")
        assert "needs a human pass" in lines[2]


def test_draft_ids() -> None:
    assert draft_id("Grand Lexique Francais de l'IA") == "grand-lexique-francais-de-l-ia"
    assert draft_id("Pl@ntNet: images de plantes") == "pl-ntnet-images-de-plantes"
    assert draft_id("[**Cellpose**](https://cellpose.org) 2.0") == "cellpose-2-0"
    assert draft_id("日本語") == "entry"  # no Latin word: a placeholder to rename
    assert len(draft_id("mot " * 40)) <= 60


# --- the real seed -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed():  # type: ignore[no-untyped-def]
    return parse_markdown(SEED.read_text(encoding="utf-8"), "seed.md")


def test_seed_counts(seed) -> None:  # type: ignore[no-untyped-def]
    assert len(seed.links) == 134  # every [text](url), bare URL and '[text]' without URL
    assert sum(1 for link in seed.links if link.url) == 132
    assert len({link.key for link in seed.links if link.key}) == 127  # distinct addresses
    assert [q.number for q in seed.questions] == list(range(1, 19))


def test_seed_known_defects_are_all_reported(seed) -> None:  # type: ignore[no-untyped-def]
    found = {(d.origin.line, d.message.split(":")[0].split(" '")[0]) for d in seed.findings}
    assert found == {
        (44, "duplicate link"),  # OMERO (first at 37)
        (58, "duplicate link"), (70, "duplicate link"),  # Cytomine (first at 36)
        (87, "'[Fiji - avec hyperstack]' looks like a link but has no URL"),
        (90, "not a link"), (91, "not a link"),  # TissueAnalyzer, TissueMiner
        (101, "the URL"),  # ZeroCostDL4Mic, space before the URL
        (117, "not a link"), (118, "not a link"), (119, "not a link"),  # GPU-buying tips
        (120, "not a link"), (121, "not a link"),
        (130, "link"),  # [R]()
        (141, "malformed link"),  # [ICI] (url)
        (174, "the URL"), (175, "the URL"),  # Amazon, no scheme
        (218, "duplicate link"),  # RMS-DAIM course (first at 216)
        (225, "not a link"),  # mailing-list subscription steps
        (258, "duplicate link"),  # bioRxiv DOI (first at 190)
        (292, "question 11 has no answer"),
    }


# --- the command -------------------------------------------------------------------------------


def test_command_writes_drafts_and_reports(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "list.md"
    source.write_text("# Outils\n* [napari](https://napari.org/)\n* [R]()\n", encoding="utf-8")
    out = tmp_path / "drafts"
    code = main(["import-markdown", str(source), "--out", str(out), "--date", "2026-11-23"])
    captured = capsys.readouterr()
    assert code == 0
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "resources", "resources/napari.yml", "resources/r.yml",
    ]
    assert "list.md:3:3: warning: link 'R' has no URL" in captured.err
    assert captured.out.splitlines()[-1].startswith("Drafts need a human pass")


def test_command_never_overwrites_without_force(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "list.md"
    source.write_text("# Outils\n* [napari](https://napari.org/)\n", encoding="utf-8")
    out = tmp_path / "drafts"
    (out / "resources").mkdir(parents=True)
    edited = out / "resources" / "napari.yml"
    edited.write_text("# edited by a maintainer\n", encoding="utf-8")
    assert main(["import-markdown", str(source), "--out", str(out)]) == 0
    assert edited.read_text(encoding="utf-8") == "# edited by a maintainer\n"
    assert "napari.yml: it already exists (use --force to overwrite it)" in capsys.readouterr().err
    assert main(["import-markdown", str(source), "--out", str(out), "--force"]) == 0
    assert "url: \"https://napari.org/\"" in edited.read_text(encoding="utf-8")
    assert [p.name for p in (out / "resources").iterdir()] == ["napari.yml"]  # no temp file left


@pytest.mark.parametrize(("args", "message"), [
    (["missing.md"], "missing.md:1:1: error: the file does not exist (hint: check the path)"),
    (["{source}", "--date", "23/11/2026"],
     "--date:1:1: error: '23/11/2026' is not a date (hint: write it as YYYY-MM-DD)"),
    (["{source}", "--date", "2026-02-30"],  # the right shape, a day that does not exist
     "--date:1:1: error: '2026-02-30' is not a date (hint: write it as YYYY-MM-DD)"),
    (["{source}", "--date", "20261123"],  # a date to Python, not the form 'added:' takes
     "--date:1:1: error: '20261123' is not a date (hint: write it as YYYY-MM-DD)"),
])
def test_command_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch, args: list[str],
                              message: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "list.md").write_text("* [a](https://a.org)\n", encoding="utf-8")
    argv = [a.replace("{source}", "list.md") for a in args]
    assert main(["import-markdown", *argv, "--out", "drafts"]) == 2
    assert capsys.readouterr().err.strip() == message
    assert not (tmp_path / "drafts").exists()


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_drafts_are_never_written_into_a_catalogue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    force: list[str],
) -> None:
    # --out catalogue wrote raw drafts among the curated entries, and with --force replaced them
    monkeypatch.chdir(tmp_path)
    (tmp_path / "catalogue" / "vocab").mkdir(parents=True)
    curated = tmp_path / "catalogue" / "resources" / "a.yml"
    curated.parent.mkdir()
    curated.write_text("id: a  # curated\n", encoding="utf-8")
    (tmp_path / "list.md").write_text("* [a](https://a.org)\n", encoding="utf-8")
    assert main(["import-markdown", "list.md", "--out", "catalogue", *force]) == 2
    assert capsys.readouterr().err.strip() == (
        "--out:1:1: error: catalogue is a catalogue, not a folder for drafts (hint: write the "
        "drafts elsewhere, e.g. --out drafts; review each one, then move it into the catalogue)")
    assert curated.read_text(encoding="utf-8") == "id: a  # curated\n"
    assert sorted(p.name for p in curated.parent.iterdir()) == ["a.yml"]
    # nor into one of its folders, where validate would read them as published entries
    for inside in ("catalogue/resources", "catalogue/faq/new"):
        assert main(["import-markdown", "list.md", "--out", inside, *force]) == 2
        assert capsys.readouterr().err.startswith(
            f"--out:1:1: error: {inside} is inside the catalogue catalogue, not a folder for "
            "drafts (hint:")
    assert sorted(p.name for p in curated.parent.iterdir()) == ["a.yml"]
    assert not (tmp_path / "catalogue" / "faq").exists()


@pytest.mark.parametrize(("char", "what"), [
    ("\x00", "an invisible control character (U+0000)"),
    ("\x1b", "an invisible control character (U+001B)"),
    ("\u2028", "a line break that editors do not all show as one (U+2028)"),
])
def test_a_character_no_draft_could_hold_is_found_before_any_draft_is_written(
    char: str, what: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # drafts were written with it, and could not be read back (a YAML error in every one)
    monkeypatch.chdir(tmp_path)
    Path("list.md").write_text(f"# Tools\n\n* [Fiji](https://fiji.sc/) image{char} analysis\n",
                               encoding="utf-8")
    assert main(["import-markdown", "list.md", "--out", "drafts"]) == 1  # a problem in the input
    assert capsys.readouterr().err.strip() == (
        f"list.md:3:33: error: the file holds {what}, which catalogue text cannot hold (hint: "
        "delete it; it often comes with text pasted from a PDF or a word processor)")
    assert not Path("drafts").exists()


def test_a_list_saved_by_a_windows_editor_gives_the_same_drafts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the byte order mark hid the first heading: its '#' and the mark went into the drafts
    monkeypatch.chdir(tmp_path)
    text = "# Outils\r\n\r\n* [Fiji](https://fiji.sc/) analyse d'images\r\n"
    Path("a.md").write_bytes(b"\xef\xbb\xbf" + text.encode())
    Path("b.md").write_text(text.replace("\r\n", "\n"), encoding="utf-8")
    assert main(["import-markdown", "a.md", "--out", "a", "--date", "2026-01-01"]) == 0
    assert main(["import-markdown", "b.md", "--out", "b", "--date", "2026-01-01"]) == 0
    drafts = [Path(name, "resources", "fiji.yml").read_text(encoding="utf-8") for name in "ab"]
    assert drafts[0] == drafts[1].replace("b.md", "a.md")


def test_lang_option_sets_the_language_of_the_text(tmp_path: Path) -> None:
    source = tmp_path / "list.md"
    source.write_text("# Courses\n1. [CS231n](https://cs231n.github.io/) Stanford course.\n",
                      encoding="utf-8")
    out = tmp_path / "drafts"
    assert main(["import-markdown", str(source), "--out", str(out), "--lang", "en"]) == 0
    draft = yaml.safe_load((out / "resources" / "cs231n.yml").read_text(encoding="utf-8"))
    assert draft["title"] == {"en": "CS231n"}
    assert draft["summary"] == {"en": "Stanford course"}
    assert draft["sections"] == ["courses"]


def test_seed_drafts_only_fail_validation_on_their_todo_fields(tmp_path: Path) -> None:
    """Drafts follow the schema: what a maintainer must fill in is all the validator flags."""
    result = import_markdown(SEED.read_text(encoding="utf-8"), display="seed.md", date="2026-11-23")
    write_drafts(result.drafts, tmp_path)
    shutil.copytree(VOCAB, tmp_path / "vocab")
    errors = {re.sub(r"\(not a key of .*", "", d.message).strip()
              for d in validate_catalogue(tmp_path).diagnostics if d.severity is Severity.ERROR}
    assert errors == {
        "'content_language' must not be empty",  # TODO in every resource draft
        "'kind' has an unknown value ''",  # TODO where the kind could not be guessed
        "'sections' must not be empty",  # headings such as "Antisèches" match no section
        "'topics' must not be empty",  # TODO in every FAQ draft
    }


def test_a_list_that_is_not_utf8_is_a_problem_in_the_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the list is what the command reads: like a catalogue file, a problem in it exits 1
    monkeypatch.chdir(tmp_path)
    Path("list.md").write_bytes("# Outils\n\n* [Fiji](https://fiji.sc/) analyse d'images\n"
                                .encode("latin-1") + b"\xe9")
    assert main(["import-markdown", "list.md", "--out", "drafts"]) == 1
    assert capsys.readouterr().err.startswith("list.md:1:1: error: the file is not valid UTF-8")
    assert not Path("drafts").exists()
