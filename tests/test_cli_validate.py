"""`dl4mic-hub validate` as a contributor sees it: exact message lines and exit codes.

Each scenario folder in tests/fixtures/catalogues/ holds one kind of mistake, laid over the
`minimal` catalogue (see conftest.py). Messages are an interface: the tests compare whole lines.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from dl4mic_hub.cli import main

PROJECT = Path(__file__).resolve().parent.parent


class Expected(NamedTuple):
    exit_code: int
    lines: list[str]
    summary: str


def validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    """Run `dl4mic-hub validate` in-process; return exit code, stderr lines and stdout."""
    code = main(["validate", *args])
    out, err = capsys.readouterr()
    return code, err.splitlines(), out


EXPECTED: dict[str, Expected] = {
    'bad-date': Expected(
        1,
        [
            "catalogue/glossary/epoch.yml:7:8: error: 'added' is not a valid date: '23/11/2026' "
            '(hint: write dates as YYYY-MM-DD, e.g. 2026-11-23, with a day that exists)',
            "catalogue/glossary/epoch.yml:8:11: error: 'reviewed' is not a valid date: "
            "'2026-02-30' (hint: write dates as YYYY-MM-DD, e.g. 2026-11-23, with a day that "
            'exists)',
        ],
        '5 entries checked, 2 error(s), 0 warning(s) in 1 file(s)',
    ),
    'bad-yaml': Expected(
        1,
        [
            "catalogue/resources/stardist.yml:6:26: error: YAML syntax error: unexpected ':' (a "
            "colon followed by a space starts a new field) (hint: put text containing ': ' in "
            'quotes, e.g. fr: "Noyaux : détection", or check the indentation of this line)',
        ],
        '4 entries checked, 1 error(s), 0 warning(s) in 1 file(s)',
    ),
    'duplicate-doi': Expected(
        1,
        [
            'catalogue/resources/cellpose.yml:18:6: error: the same DOI is already in entry '
            "'cellpose-paper' (catalogue/resources/cellpose-paper.yml:8:6): "
            '10.1038/s41592-020-01018-x (hint: describe each resource once: merge the two '
            "entries; one entry can be listed in several sections with 'sections: [a, b]')",
        ],
        '5 entries checked, 1 error(s), 0 warning(s) in 1 file(s)',
    ),
    'duplicate-id': Expected(
        1,
        [
            # said at both files: the new one, whichever it is, carries the annotation
            "catalogue/glossary/batch.yml:2:5: error: the id 'batch' is also used by "
            'catalogue/resources/batch.yml (hint: ids are unique across the whole catalogue, '
            'and a published id never changes (pages and links use it): rename the entry you '
            'are adding, its file and its id together)',
            "catalogue/resources/batch.yml:2:5: error: the id 'batch' is also used by "
            'catalogue/glossary/batch.yml (hint: ids are unique across the whole catalogue, '
            'and a published id never changes (pages and links use it): rename the entry you '
            'are adding, its file and its id together)',
        ],
        '5 entries checked, 2 error(s), 0 warning(s) in 2 file(s)',
    ),
    'duplicate-key': Expected(
        1,
        [
            "catalogue/resources/stardist.yml:12:1: error: the field 'url' is written twice "
            '(first at line 8) (hint: keep only one: otherwise the first value would be silently '
            'ignored)',
        ],
        '5 entries checked, 1 error(s), 0 warning(s) in 1 file(s)',
    ),
    'duplicate-url': Expected(
        1,
        [
            'catalogue/resources/cellpose.yml:15:6: error: the same URL is already in entry '
            "'cellpose-web' (catalogue/resources/cellpose-web.yml:8:6): "
            'https://www.cellpose.org/ (hint: describe each resource once: merge the two '
            "entries; one entry can be listed in several sections with 'sections: [a, b]')",
            'catalogue/resources/cellpose.yml:17:25: error: the same URL is already in entry '
            "'cellpose-web' (catalogue/resources/cellpose-web.yml:10:25): "
            'https://github.com/MouseLand/cellpose (hint: describe each resource once: merge the '
            "two entries; one entry can be listed in several sections with 'sections: [a, b]')",
        ],
        '5 entries checked, 2 error(s), 0 warning(s) in 1 file(s)',
    ),
    'empty-file': Expected(
        1,
        [
            'catalogue/glossary/epoch.yml:1:1: error: the file is empty (hint: fill it in or '
            'delete it)',
        ],
        '4 entries checked, 1 error(s), 0 warning(s) in 1 file(s)',
    ),
    'faq-answered-without-answer': Expected(
        1,
        [
            "catalogue/faq/optimising-gpu-use.yml:6:9: error: missing field 'answer', required "
            "when status is 'answered' (hint: add 'answer:': An answered question needs its "
            "answer: write it, or set status: open.)",
        ],
        '5 entries checked, 1 error(s), 0 warning(s) in 1 file(s)',
    ),
    # the page would say "not answered yet" while its structured data published the answer
    'faq-open-with-answer': Expected(
        1,
        [
            "catalogue/faq/optimising-gpu-use.yml:6:1: error: 'answer' cannot be written when "
            "status is 'open' (hint: An open question has no answer yet: with an answer, set "
            "status: answered.)",
        ],
        '5 entries checked, 1 error(s), 0 warning(s) in 1 file(s)',
    ),
    # said at the status, with the rule's reason (it was "missing required field" at line 2)
    'status-without-curation': Expected(
        1,
        [
            "catalogue/resources/cellpose.yml:23:9: error: missing field 'curation', required "
            "when status is 'discontinued' (hint: add 'curation:': A status other than active "
            "must say in curation how it was established.)",
        ],
        '4 entries checked, 1 error(s), 0 warning(s) in 1 file(s)',
    ),
    # a rule that needs another field's value: said at that field, with the rule's reason
    'edition-not-of-a-book': Expected(
        1,
        [
            "catalogue/resources/cellpose.yml:3:7: error: 'kind' must be 'book' when 'edition' "
            "is written (hint: An edition belongs to a book: remove 'edition', or set kind: "
            "book.)",
        ],
        '4 entries checked, 1 error(s), 0 warning(s) in 1 file(s)',
    ),
    # the same for a paper's venue (published_in)
    'venue-not-of-a-paper': Expected(
        1,
        [
            "catalogue/resources/cellpose.yml:3:7: error: 'kind' must be 'paper' when "
            "'published_in' is written (hint: A paper is published in a journal, proceedings or "
            "on a preprint server: remove 'published_in', or set kind: paper.)",
        ],
        '4 entries checked, 1 error(s), 0 warning(s) in 1 file(s)',
    ),
    'id-mismatch': Expected(
        1,
        [
            "catalogue/resources/stardist.yml:2:5: error: id 'star-dist' does not match the file "
            "name 'stardist.yml' (hint: write 'id: stardist' or rename the file to star-dist.yml)",
        ],
        '5 entries checked, 1 error(s), 0 warning(s) in 1 file(s)',
    ),
    'javascript-url': Expected(
        1,
        [
            "catalogue/resources/stardist.yml:6:43: error: links starting with 'javascript:' are "
            'not allowed (hint: links must start with https:// or http://, or mailto: for an '
            'e-mail address)',
            "catalogue/resources/stardist.yml:7:41: error: links starting with 'file:' are not "
            'allowed (hint: links must start with https:// or http://, or mailto: for an e-mail '
            'address)',
            "catalogue/resources/stardist.yml:11:5: error: images are not allowed in catalogue "
            "text (they would load from another site) (hint: link to the image instead: "
            "[description](https://...), without the '!')",
            "catalogue/resources/stardist.yml:11:13: error: links starting with 'data:' are not "
            'allowed (hint: links must start with https:// or http://, or mailto: for an e-mail '
            'address)',
            "catalogue/resources/stardist.yml:14:19: error: links starting with 'vbscript:' are "
            'not allowed (hint: links must start with https:// or http://, or mailto: for an '
            'e-mail address)',
            "catalogue/resources/stardist.yml:15:6: error: URLs starting with 'javascript:' are "
            'not allowed (hint: catalogue links must start with https:// or http://)',
            "catalogue/resources/stardist.yml:17:23: error: URLs starting with 'data:' are not "
            'allowed (hint: catalogue links must start with https:// or http://)',
            "catalogue/resources/stardist.yml:18:25: error: URLs starting with 'file:' are not "
            'allowed (hint: catalogue links must start with https:// or http://)',
        ],
        '5 entries checked, 8 error(s), 0 warning(s) in 1 file(s)',
    ),
    'missing-field': Expected(
        1,
        [
            "catalogue/resources/stardist.yml:2:1: error: missing required field 'sections' "
            "(hint: add 'sections:': Site sections where the resource is listed (keys of "
            'vocab/sections.yml); the first is its home.)',
            "catalogue/resources/stardist.yml:4:8: warning: 'title' has no English text ('en'); "
            "English readers will see the French text with a notice (hint: add a line 'en: ...' "
            "next to 'fr:')",
        ],
        '5 entries checked, 1 error(s), 1 warning(s) in 1 file(s)',
    ),
    'not-a-mapping': Expected(
        1,
        [
            "catalogue/glossary/epoch.yml:2:1: error: the file must hold 'field: value' lines, "
            "not a list (hint: remove the '- ' in front of the fields)",
        ],
        '4 entries checked, 1 error(s), 0 warning(s) in 1 file(s)',
    ),
    'not-utf8': Expected(
        1,
        [
            'catalogue/glossary/epoch.yml:3:12: error: the file is not saved as UTF-8 text (byte '
            '0xc9 here is not a UTF-8 character) (hint: save the file with the UTF-8 encoding, '
            "as GitHub's web editor does; in other encodings accented letters such as é cannot "
            'be read)',
        ],
        '4 entries checked, 1 error(s), 0 warning(s) in 1 file(s)',
    ),
    'raw-html': Expected(
        1,
        [
            'catalogue/resources/stardist.yml:6:42: error: the HTML tag <b> is not allowed in '
            'the text (hint: use Markdown instead: **bold**, *italic*, [text](https://...), '
            'lists)',
            'catalogue/resources/stardist.yml:6:53: error: the HTML tag </b> is not allowed in '
            'the text (hint: use Markdown instead: **bold**, *italic*, [text](https://...), '
            'lists)',
            'catalogue/resources/stardist.yml:7:31: error: the HTML tag <i> is not allowed in '
            'the text (hint: use Markdown instead: **bold**, *italic*, [text](https://...), '
            'lists)',
            'catalogue/resources/stardist.yml:7:45: error: the HTML tag </i> is not allowed in '
            'the text (hint: use Markdown instead: **bold**, *italic*, [text](https://...), '
            'lists)',
            'catalogue/resources/stardist.yml:11:25: error: the HTML tag <br/> is not allowed in '
            'the text (hint: use Markdown instead: **bold**, *italic*, [text](https://...), '
            'lists)',
            'catalogue/resources/stardist.yml:11:49: error: an HTML comment is not allowed in '
            'the text (hint: use Markdown instead: **bold**, *italic*, [text](https://...), '
            'lists)',
            'catalogue/resources/stardist.yml:15:7: error: the HTML tag <img '
            'src="https://stardist.net/logo.png"> is not allowed in the text (hint: use Markdown '
            'instead: **bold**, *italic*, [text](https://...), lists)',
        ],
        '5 entries checked, 7 error(s), 0 warning(s) in 1 file(s)',
    ),
    'unknown-field': Expected(
        1,
        [
            "catalogue/resources/stardist.yml:5:1: error: unknown field 'sumary' (hint: did you "
            "mean 'summary'?)",
        ],
        '5 entries checked, 1 error(s), 0 warning(s) in 1 file(s)',
    ),
    'unknown-reference': Expected(
        1,
        [
            "catalogue/glossary/epoch.yml:7:19: error: 'cellpose' is a resource entry, not a "
            "glossary entry (hint: this list only takes glossary entries; put it in 'related:' "
            'instead)',
            "catalogue/glossary/epoch.yml:7:29: error: 'learning-rate' is not the id of any "
            'entry (hint: an id is the file name without .yml)',
            "catalogue/resources/stardist.yml:11:21: error: 'celpose' is not the id of any entry "
            "(hint: did you mean 'cellpose'? an id is the file name without .yml)",
        ],
        '6 entries checked, 3 error(s), 0 warning(s) in 2 file(s)',
    ),
    'unknown-vocab-key': Expected(
        1,
        [
            "catalogue/resources/stardist.yml:10:9: error: 'tasks' has an unknown value "
            "'segmentaton' (not a key of catalogue/vocab/tasks.yml) (hint: did you mean "
            "'segmentation'? known keys: segmentation, classification)",
        ],
        '5 entries checked, 1 error(s), 0 warning(s) in 1 file(s)',
    ),
    'untranslated-en': Expected(
        0,
        [
            "catalogue/resources/stardist.yml:6:3: warning: 'summary' has no English text "
            "('en'); English readers will see the French text with a notice (hint: add a line "
            "'en: ...' next to 'fr:')",
            "catalogue/resources/stardist.yml:8:3: warning: 'description' has no English text "
            "('en'); English readers will see the French text with a notice (hint: add a line "
            "'en: ...' next to 'fr:')",
        ],
        '5 entries checked, 0 error(s), 2 warning(s) in 1 file(s)',
    ),
    'url-with-space': Expected(
        1,
        [
            'catalogue/resources/stardist.yml:8:6: error: the URL '
            "'https://github.com/stardist/stardist docs' contains a space (hint: remove it, or "
            'write it as %20 if the address really contains a space)',
            "catalogue/resources/stardist.yml:10:23: error: the URL ' https://stardist.net/' has "
            'spaces around it (hint: remove the spaces)',
        ],
        '5 entries checked, 2 error(s), 0 warning(s) in 1 file(s)',
    ),
    'url-without-scheme': Expected(
        1,
        [
            "catalogue/resources/stardist.yml:6:43: error: the link 'stardist.net' is "
            'incomplete: it must start with https:// (hint: write the full address, e.g. '
            'https://stardist.net)',
            "catalogue/resources/stardist.yml:8:6: error: the URL 'www.stardist.net' is "
            'incomplete: it must start with https:// (hint: write it in full: '
            'https://www.stardist.net)',
            'catalogue/resources/stardist.yml:10:25: error: the URL '
            "'//github.com/stardist/stardist' is incomplete: it must start with https:// (hint: "
            'write it in full: https://github.com/stardist/stardist)',
        ],
        '5 entries checked, 3 error(s), 0 warning(s) in 1 file(s)',
    ),
    'wrong-type': Expected(
        1,
        [
            "catalogue/resources/stardist.yml:4:8: error: 'title' must be a mapping (key: value "
            "lines), not the text 'StarDist' (hint: write it as {fr: ..., en: ...}, e.g. title: "
            '{fr: Texte, en: Text})',
            "catalogue/resources/stardist.yml:9:11: error: 'sections' must be a list, not the "
            "text 'tools' (hint: write it as a list, e.g. sections: [tools])",
            "catalogue/resources/stardist.yml:11:7: error: 'year' must be a whole number, not "
            "the text '2018' (hint: remove the quotes: year: 2018)",
        ],
        '5 entries checked, 3 error(s), 0 warning(s) in 1 file(s)',
    ),
}


def test_every_scenario_folder_has_expected_messages() -> None:
    folders = {p.name for p in (Path(__file__).parent / "fixtures" / "catalogues").iterdir()}
    assert folders - {"minimal", "README.md"} == set(EXPECTED)


def test_minimal_catalogue_passes(
    make_catalogue: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    make_catalogue("minimal")
    code, lines, out = validate(capsys, "--catalogue", "catalogue")
    assert (code, lines, out) == (0, ["catalogue: 4 entries checked, no problems found"], "")


@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_scenario_messages_and_exit_code(
    scenario: str, make_catalogue: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    make_catalogue(scenario)
    expected = EXPECTED[scenario]
    code, lines, out = validate(capsys, "--catalogue", "catalogue")
    assert lines == [*expected.lines, f"catalogue: {expected.summary}"]
    assert code == expected.exit_code
    assert out == ""


def test_every_problem_is_reported_before_failing(
    make_catalogue: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    make_catalogue("bad-date", "duplicate-id", "faq-answered-without-answer", "bad-yaml")
    code, lines, _ = validate(capsys, "--catalogue", "catalogue")
    assert code == 1
    expected = [*EXPECTED["faq-answered-without-answer"].lines, *EXPECTED["duplicate-id"].lines,
                *EXPECTED["bad-date"].lines, *EXPECTED["bad-yaml"].lines]
    assert lines == [
        # sorted by file, then line
        *sorted(expected, key=lambda line: (line.split(":")[0], int(line.split(":")[1]))),
        "catalogue: 7 entries checked, 6 error(s), 0 warning(s) in 5 file(s)",
    ]


WRONG_FOLDER_HINT = "(hint: run the command from the project folder or pass --catalogue DIR)"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("catalog", f"catalog:1:1: error: the catalogue folder does not exist {WRONG_FOLDER_HINT}"),
        (
            "cellpose.yml",
            f"cellpose.yml:1:1: error: the catalogue folder is a file, not a folder "
            f"{WRONG_FOLDER_HINT}",
        ),
        # e.g. `--catalogue .` from the project folder: "0 entries, no problems" would be a lie
        (
            "docs",
            "docs:1:1: error: this folder is not a catalogue: it has none of the folders "
            "resources/, faq/, cheatsheets/, glossary/, vocab/ (hint: pass the catalogue folder "
            "itself, e.g. --catalogue catalogue)",
        ),
    ],
)
def test_wrong_catalogue_folder_is_a_usage_error(
    given: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("cellpose.yml").write_text("id: cellpose\n", encoding="utf-8")
    Path("docs").mkdir()
    code, lines, _ = validate(capsys, "--catalogue", given)
    assert (code, lines) == (2, [expected])


@pytest.mark.parametrize(
    "command",
    [["build", "--site-dir", "out"], ["check-links", "--no-cache", "--no-progress"],
     ["new", "glossary", "--no-input"], ["validate"]],
    ids=lambda c: c[0],
)
def test_a_missing_catalogue_is_a_usage_error_for_every_command(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(PROJECT / "mkdocs.yml", "mkdocs.yml")
    code = main([*command[:2 if command[0] == "new" else 1], "--catalogue", "nowhere",
                 *command[2 if command[0] == "new" else 1 :]])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("nowhere:1:1: error: "), err
    assert not Path("out").exists()


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["build", "--site-dir", "mkdocs.yml/site"], "mkdocs.yml/site:1:1: error: --site-dir "
         "mkdocs.yml/site: refusing to replace this folder: mkdocs.yml is a file, not a folder"),
        (["build", "--keep-docs", "mkdocs.yml/docs"], "mkdocs.yml/docs:1:1: error: --keep-docs "
         "mkdocs.yml/docs: refusing to replace this folder: mkdocs.yml is a file, not a folder"),
        (["build", "--link-report", "urls.txt", "--link-history", "urls.txt"],
         "urls.txt:1:1: error: --link-history urls.txt: cannot write here: it is also urls.txt, "
         "which this command reads"),
        (["import-markdown", "urls.txt", "--out", "mkdocs.yml/drafts"], "mkdocs.yml/drafts:1:1: "
         "error: --out mkdocs.yml/drafts: cannot write here: mkdocs.yml is a file, not a folder"),
        (["check-links", "--urls", "urls.txt", "--output", "mkdocs.yml/report.md"],
         "mkdocs.yml/report.md:1:1: error: --output mkdocs.yml/report.md: cannot write here: "
         "mkdocs.yml is a file, not a folder"),
        (["check-links", "--urls", "urls.txt", "--output", "catalogue"], "catalogue:1:1: error: "
         "--output catalogue: cannot write here: it is a folder, not a file"),
        (["check-links", "--urls", "urls.txt", "--output", "urls.txt"], "urls.txt:1:1: error: "
         "--output urls.txt: cannot write here: it is also urls.txt, which this command reads"),
        (["check-links", "--urls", "urls.txt", "--cache", "catalogue/linkcheck.yml"],
         "catalogue/linkcheck.yml:1:1: error: --cache catalogue/linkcheck.yml: cannot write "
         "here: it is also catalogue/linkcheck.yml, which this command reads"),
        # whatever the command reads, not only the files named on its command line
        (["check-links", "--urls", "urls.txt", "--output", "catalogue/resources/cellpose.yml"],
         "catalogue/resources/cellpose.yml:1:1: error: --output catalogue/resources/cellpose.yml: "
         "cannot write here: it is inside catalogue/resources, which this command reads or "
         "replaces"),
        # a device or a link would be replaced by a file (as root, /dev/null itself)
        (["check-links", "--urls", "urls.txt", "--output", "null-device"],
         "null-device:1:1: error: --output null-device: cannot write here: it is a link, a "
         "device or a pipe, not a file (the file would replace it)"),
        (["build", "--link-report", "urls.txt", "--link-history", "mkdocs.yml"],
         "mkdocs.yml:1:1: error: --link-history mkdocs.yml: cannot write here: it is also "
         "mkdocs.yml, which this command reads"),
        (["build", "--site-dir", "newsite", "--link-report", "urls.txt", "--link-history",
          "newsite/history.json"],
         "newsite/history.json:1:1: error: --link-history newsite/history.json: cannot write "
         "here: it is inside newsite, which this command reads or replaces"),
        # the next build deletes what is in a site folder: drafts or a report written there
        (["import-markdown", "urls.txt", "--out", "site/drafts"], "site/drafts:1:1: error: "
         "--out site/drafts: cannot write here: it is inside site, which the next build replaces "
         "whole (it holds the build's marker file)"),
        (["import-markdown", "urls.txt", "--out", "site"], "site:1:1: error: --out site: cannot "
         "write here: it is site, which the next build replaces whole (it holds the build's "
         "marker file)"),
        (["check-links", "--urls", "urls.txt", "--output", "site/en/report.md"],
         "site/en/report.md:1:1: error: --output site/en/report.md: cannot write here: it is "
         "inside site, which the next build replaces whole (it holds the build's marker file)"),
        # a file the command did not write: the report or the cache would replace it
        (["check-links", "--urls", "urls.txt", "--output", "README.md"], "README.md:1:1: error: "
         "--output README.md: this file is not a check-links report, and the command would "
         "replace it"),
        (["check-links", "--urls", "urls.txt", "--cache", "pyproject.toml"], "pyproject.toml:1:1: "
         "error: --cache pyproject.toml: this file is not a link-check cache, and the command "
         "would replace it"),
    ],
    ids=["site-dir", "keep-docs", "link-history", "out", "output-under-a-file",
         "output-a-folder", "output-the-input", "cache-the-rules", "output-in-the-catalogue",
         "output-a-link",
         "history-the-config", "history-in-the-new-site", "out-in-a-site", "out-a-site",
         "output-in-a-site", "output-a-readme", "cache-a-project-file"],
)
def test_an_output_path_that_cannot_take_it_is_a_usage_error_before_any_work(
    command: list[str], message: str, make_catalogue: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    # these ended in a traceback (exit 3), after the whole run, or overwrote what was read
    catalogue = make_catalogue("minimal")
    (catalogue / "linkcheck.yml").write_text("rules: []\n", encoding="utf-8")
    shutil.copyfile(PROJECT / "mkdocs.yml", "mkdocs.yml")
    shutil.copyfile(PROJECT / "README.md", "README.md")
    shutil.copyfile(PROJECT / "pyproject.toml", "pyproject.toml")
    Path("urls.txt").write_text("http://127.0.0.1:9/\n", encoding="utf-8")  # never requested
    Path("site/en").mkdir(parents=True)
    Path("site/.dl4mic-hub-build").write_text("", encoding="utf-8")  # a site a build wrote
    Path("null-device").symlink_to(os.devnull)
    before = {p: p.read_bytes() for p in Path().rglob("*") if p.is_file() and not p.is_symlink()}
    code = main(command)
    err = capsys.readouterr().err
    assert (code, err.splitlines()[0].split(" (hint:")[0]) == (2, message), err
    assert {p: p.read_bytes() for p in Path().rglob("*")
            if p.is_file() and not p.is_symlink()} == before
    assert Path("null-device").is_symlink()


def test_a_cache_folder_beside_the_entries_is_fine(
    make_catalogue: Callable[..., Path], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # run from inside the catalogue, the default cache (.cache/) sits in it: the loader never
    # reads it, so it takes nothing from the catalogue
    catalogue = make_catalogue("minimal")
    monkeypatch.chdir(catalogue)
    Path("urls.txt").write_text("http://127.0.0.1:9/\n", encoding="utf-8")  # never requested
    code = main(["check-links", "--catalogue", ".", "--urls", "urls.txt", "--output", "r.md"])
    assert code == 1, capsys.readouterr().err  # the loopback URL is refused: broken
    assert Path(".cache/linkcheck.json").is_file() and Path("r.md").is_file()


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "github"])
def test_a_report_and_a_cache_of_an_earlier_run_are_replaced(
    fmt: str, make_catalogue: Callable[..., Path], capsys: pytest.CaptureFixture[str],
) -> None:
    # what --output and --cache refuse to replace is what the command did not write: its own
    # report (in any format) and its cache are simply written again, as is an empty file
    catalogue = make_catalogue("minimal")
    Path("urls.txt").write_text("http://127.0.0.1:9/\n", encoding="utf-8")  # never requested
    Path("empty.txt").write_text("", encoding="utf-8")
    run = ["check-links", "--catalogue", str(catalogue), "--urls", "urls.txt", "--no-progress",
           "--format", fmt]
    assert main([*run, "--output", "empty.txt", "--cache", "c.json"]) == 1
    first = Path("empty.txt").read_text(encoding="utf-8")
    assert "127.0.0.1:9" in first and Path("c.json").is_file()
    assert main([*run, "--output", "empty.txt", "--cache", "c.json"]) == 1, \
        capsys.readouterr().err
    assert "127.0.0.1:9" in Path("empty.txt").read_text(encoding="utf-8")


def test_a_damaged_cache_is_started_afresh_not_refused(
    make_catalogue: Callable[..., Path], capsys: pytest.CaptureFixture[str],
) -> None:
    # a cache cut short (a full disk, a killed CI job) is still the command's own file: a
    # warning and a new cache, never exit 2 on the default path that CI restores
    catalogue = make_catalogue("minimal")
    Path("urls.txt").write_text("http://127.0.0.1:9/\n", encoding="utf-8")  # never requested
    Path("c.json").write_text('{\n "entries": {\n  "https://a', encoding="utf-8")
    code = main(["check-links", "--catalogue", str(catalogue), "--urls", "urls.txt",
                 "--no-progress", "--cache", "c.json"])
    err = capsys.readouterr().err
    assert code == 1, err  # the loopback URL is refused: broken
    assert "unreadable cache" in err and "starting afresh" in err
    assert Path("c.json").read_text(encoding="utf-8").startswith('{\n "entries": {}')


def test_a_refusal_of_the_system_is_a_usage_error_with_its_path(
    make_catalogue: Callable[..., Path], capsys: pytest.CaptureFixture[str],
) -> None:
    make_catalogue("minimal")
    Path("urls.txt").write_text("http://127.0.0.1:9/\n", encoding="utf-8")
    name = "r" * 300 + ".md"  # longer than any file system takes: refused however one runs
    code = main(["check-links", "--urls", "urls.txt", "--no-cache", "--output", name])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith(f"{name}:1:1: error: the system refused to read or write here: File "
                          "name too long (hint: check the path"), err


@pytest.fixture
def disk_fills_up(make_catalogue: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A catalogue, a list of one URL never requested, and a disk that is full by the time
    the results are written (every rename of a written file fails)."""
    make_catalogue("minimal")
    Path("urls.txt").write_text("http://127.0.0.1:9/\n", encoding="utf-8")

    def disk_full(self: Path, target: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "replace", disk_full)


@pytest.mark.usefixtures("disk_fills_up")
def test_what_the_system_refuses_after_the_run_names_the_file_asked_for(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # the message named the temporary file, which the user never asked for
    code = main(["check-links", "--urls", "urls.txt", "--no-cache", "--output", "report.md"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("report.md:1:1: error: the system refused to read or write here: No "
                          "space left on device"), err
    assert sorted(p.name for p in Path().iterdir() if p.name.startswith(".report")) == []


@pytest.mark.usefixtures("disk_fills_up")
def test_a_cache_that_cannot_be_written_is_a_warning_and_the_report_is_kept(
    capsys: pytest.CaptureFixture[str],
) -> None:
    cache = "cache.json"
    code = main(["check-links", "--urls", "urls.txt", "--cache", cache, "--format", "json"])
    captured = capsys.readouterr()
    assert code == 1  # the loopback URL is refused: broken
    assert json.loads(captured.out)["results"][0]["url"] == "http://127.0.0.1:9/"
    assert (f"{cache}:1:1: warning: the cache was not written (No space left on device) (hint: "
            "the next run checks every link again; give --cache a writable path)") in captured.err


@pytest.mark.parametrize("folder", ["resources", "glossary", "vocab"])
def test_a_file_where_a_catalogue_folder_goes_is_an_error(
    folder: str, make_catalogue: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # its entries were silently missing: only references to them were reported, if any
    catalogue = make_catalogue("minimal")
    shutil.rmtree(catalogue / folder)
    (catalogue / folder).write_text("id: cellpose\n", encoding="utf-8")
    code, lines, _ = validate(capsys, "--catalogue", "catalogue")
    assert code == 1
    assert (f"catalogue/{folder}:1:1: error: this is a file: the catalogue keeps these files in "
            f"a folder '{folder}/' (hint: move the file away and make {folder}/ a folder)"
            ) in lines


def test_files_and_folders_that_are_not_read_are_errors(
    make_catalogue: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # an entry that is not read never reaches the site: a pull request adding one must fail
    catalogue = make_catalogue("minimal")
    entry = (catalogue / "resources" / "cellpose.yml").read_text(encoding="utf-8")
    (catalogue / "resources" / "stardist.txt").write_text("id: stardist\n", encoding="utf-8")
    (catalogue / "resources" / "napari.YML").write_text(entry, encoding="utf-8")
    (catalogue / "resources" / "odd.yml").mkdir()  # a folder named like an entry
    (catalogue / "ressources").mkdir()  # the French spelling
    (catalogue / "ressources" / "ilastik.yml").write_text(entry, encoding="utf-8")
    (catalogue / "fiji.yml").write_text(entry, encoding="utf-8")
    (catalogue / "README.md").write_text("Notes for maintainers\n", encoding="utf-8")  # fine
    (catalogue / "faqs").mkdir()  # next to faq/: cannot be renamed to it
    (catalogue / "linkcheck.yaml").write_text("rules: []\n", encoding="utf-8")
    (catalogue / "resources" / "ilastik.yml.bak").write_text(entry, encoding="utf-8")
    code, lines, _ = validate(capsys, "--catalogue", "catalogue")
    assert code == 1
    assert lines == [
        "catalogue/faqs:1:1: error: this folder is not part of the catalogue: nothing in it is "
        "read (the folders are resources/, faq/, cheatsheets/, glossary/, vocab/) (hint: move "
        "its files into faq/, then delete it)",
        "catalogue/fiji.yml:1:1: error: this file is not read: entry files go into the folder "
        "of their kind (hint: move it into resources/, faq/, cheatsheets/ or glossary/)",
        "catalogue/linkcheck.yaml:1:1: error: this file is not read: the link checker's host "
        "rules are read from linkcheck.yml (hint: rename it to linkcheck.yml)",
        "catalogue/resources/ilastik.yml.bak:1:1: error: this file is not read: entry files "
        "end in .yml (or .yaml) (hint: rename it to ilastik.yml if it is an entry, or move it "
        "out of resources/)",
        "catalogue/resources/napari.YML:1:1: error: this file is not read: entry files end in "
        ".yml (or .yaml) (hint: rename it to napari.yml if it is an entry, or move it out of "
        "resources/)",
        "catalogue/resources/odd.yml:1:1: error: this folder is not read: entries are files "
        "directly in resources/ (hint: move the entry files it holds up into resources/, then "
        "delete it)",
        "catalogue/resources/stardist.txt:1:1: error: this file is not read: entry files end "
        "in .yml (or .yaml) (hint: rename it to stardist.yml if it is an entry, or move it out of "
        "resources/)",
        "catalogue/ressources:1:1: error: this folder is not part of the catalogue: nothing in "
        "it is read (the folders are resources/, faq/, cheatsheets/, glossary/, vocab/) (hint: "
        "move its files into resources/, then delete it)",
        "catalogue: 4 entries checked, 8 error(s), 0 warning(s) in 8 file(s)",
    ]


def test_absolute_catalogue_path_is_shown_relative_to_the_working_directory(
    make_catalogue: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    catalogue = make_catalogue("unknown-vocab-key")
    _, lines, _ = validate(capsys, "--catalogue", str(catalogue))
    assert lines[0] == EXPECTED["unknown-vocab-key"].lines[0]


# --- positions: the column points at the mistake itself ---------------------------------------

POSITIONED = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): \w+: (?P<message>.*)$")
# what the file must show at the reported column, from the message
SHOWN_TEXT = [
    (re.compile(r"the HTML tag (<[^>]*>) is not allowed"), lambda m: m.group(1)),
    (re.compile(r"an HTML comment"), lambda m: "<!--"),
    (re.compile(r"(?:links|URLs) starting with '(\w+:)'"), lambda m: m.group(1)),
    (re.compile(r"the (?:link|URL) '([^']*)' is incomplete"), lambda m: m.group(1)),
    (re.compile(r"images are not allowed"), lambda m: "!["),
]


@pytest.mark.parametrize("scenario", ["raw-html", "javascript-url", "url-without-scheme"])
def test_columns_point_at_the_offending_text(
    scenario: str, make_catalogue: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    make_catalogue(scenario)
    _, lines, _ = validate(capsys, "--catalogue", "catalogue")
    checked = 0
    for line in lines[:-1]:
        where = POSITIONED.match(line)
        assert where, line
        for pattern, shown in SHOWN_TEXT:
            found = pattern.search(where["message"])
            if found:
                text = Path(where["path"]).read_text(encoding="utf-8").splitlines()
                at = text[int(where["line"]) - 1][int(where["col"]) - 1 :].lstrip("\"'")
                assert at.startswith(shown(found)), line
                checked += 1
                break
    assert checked == len(lines) - 1


# --- GitHub annotations -------------------------------------------------------------------------


def test_github_format_prints_annotations_on_stdout(
    make_catalogue: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    make_catalogue("url-with-space", "untranslated-en")
    code, lines, out = validate(capsys, "--catalogue", "catalogue", "--format", "github")
    assert code == 0  # untranslated-en's stardist.yml replaced the broken one: warnings only
    assert out.splitlines() == [
        "::warning file=catalogue/resources/stardist.yml,line=6,col=3::'summary' has no "
        "English text ('en'); English readers will see the French text with a notice (hint: "
        "add a line 'en: ...' next to 'fr:')",
        "::warning file=catalogue/resources/stardist.yml,line=8,col=3::'description' has no "
        "English text ('en'); English readers will see the French text with a notice (hint: "
        "add a line 'en: ...' next to 'fr:')",
    ]
    assert lines == ["catalogue: 5 entries checked, 0 error(s), 2 warning(s) in 1 file(s)"]


def test_github_format_escapes_percent_signs_and_exits_1_on_errors(
    make_catalogue: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    make_catalogue("url-with-space")
    code, _, out = validate(capsys, "--catalogue", "catalogue", "--format", "github")
    assert code == 1
    assert out.splitlines()[0] == (
        "::error file=catalogue/resources/stardist.yml,line=8,col=6::the URL "
        "'https://github.com/stardist/stardist docs' contains a space (hint: remove it, or "
        "write it as %2520 if the address really contains a space)"
    )


# --- the installed command, in a real process -------------------------------------------------


def _console_script() -> str:
    script = Path(sys.executable).parent / "dl4mic-hub"
    if not script.exists():
        pytest.fail(f"the console script is not installed next to {sys.executable}")
    return str(script)


def test_console_script_exit_codes_and_no_traceback(
    make_catalogue: Callable[..., Path], tmp_path: Path
) -> None:
    make_catalogue("not-a-mapping")
    broken = subprocess.run(
        [_console_script(), "validate", "--catalogue", "catalogue"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )
    assert broken.returncode == 1
    assert "Traceback" not in broken.stderr
    assert broken.stderr.splitlines() == [
        *EXPECTED["not-a-mapping"].lines,
        f"catalogue: {EXPECTED['not-a-mapping'].summary}",
    ]
    (tmp_path / "catalogue" / "glossary" / "epoch.yml").unlink()
    fixed = subprocess.run(
        [_console_script(), "validate", "--catalogue", "catalogue"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )
    assert fixed.returncode == 0
    assert fixed.stderr == "catalogue: 4 entries checked, no problems found\n"


# --- hostile input: a message at its place, never a traceback ---------------------------------

STARDIST = "catalogue/resources/cellpose.yml"


def _replace_in_cellpose(catalogue: Path, old: str, new: str) -> None:
    path = catalogue / "resources" / "cellpose.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


URL_LINE = "url: https://www.cellpose.org/"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (URL_LINE, "url: https://example.org:8O80/",
         f"{STARDIST}:15:6: error: the URL 'https://example.org:8O80/' has an invalid port "
         "'8O80' (after ':') (hint: a port is a number from 1 to 65535, e.g. "
         "https://example.org:8080/; most links need none)"),
        (URL_LINE, "url: https://example.org:99999999/",
         f"{STARDIST}:15:6: error: the URL 'https://example.org:99999999/' has an invalid port "
         "'99999999' (after ':') (hint: a port is a number from 1 to 65535, e.g. "
         "https://example.org:8080/; most links need none)"),
        (URL_LINE, "url: https://[::1/",
         f"{STARDIST}:15:6: error: the URL 'https://[::1/' has a malformed host name: brackets "
         "may only enclose an IPv6 address, followed by nothing but a port (hint: write it like "
         "https://example.org/page or https://[2001:db8::1]:8080/page)"),
        (URL_LINE, "url: https://fr.wikipedia.org/wiki/Réseau_de_neurones",
         f"{STARDIST}:15:6: error: the URL 'https://fr.wikipedia.org/wiki/Réseau_de_neurones' "
         "contains the character 'é', which a URL cannot hold as it is (hint: write it "
         "percent-encoded, as the browser's address bar copies it: "
         "https://fr.wikipedia.org/wiki/R%C3%A9seau_de_neurones)"),
        (URL_LINE, 'url: "https://example.org/x)<svg/onload=alert(1)>"',
         f"{STARDIST}:15:6: error: the URL 'https://example.org/x)<svg/onload=alert(1)>' "
         "contains the character '<', which a URL cannot hold as it is (hint: write it "
         "percent-encoded, as the browser's address bar copies it: "
         "https://example.org/x)%3Csvg/onload=alert(1)%3E)"),
        ("doi: 10.1038/s41592-020-01018-x", 'doi: "10.1038/x<svg/onload=alert(1)>"',
         f"{STARDIST}:18:6: error: the DOI '10.1038/x<svg/onload=alert(1)>' contains the "
         "character '<', which a link cannot hold as it is (hint: write it percent-encoded: "
         "10.1038/x%3Csvg/onload=alert(1)%3E)"),
        ("added: 2026-11-23", "added: 2026-11-23\nyear: " + "9" * 5000,
         f"{STARDIST}:24:7: error: this number is too long (5000 characters) (hint: write a "
         "real value, or put it in quotes if it is text)"),
        ("added: 2026-11-23", "added: 2026-11-23\nyear: !!float x",
         f"{STARDIST}:24:7: error: a YAML tag ('!!float') is not allowed here (hint: remove it "
         "and write the value plainly; put text starting with '!' in quotes)"),
        ("added: 2026-11-23", "added: 2026-11-23\ncuration: " + "[" * 250 + "]" * 250,
         f"{STARDIST}:24:42: error: the values here are nested more than 32 levels deep (hint: "
         "a catalogue entry needs a few levels only: check the brackets and indentation)"),
        ("sections: [tools]", "sections: &s [tools]\ntasks: *s",
         f"{STARDIST}:19:11: error: an anchor ('&s') is not allowed here (hint: write the value "
         "itself: anchors (&name), aliases (*name) and merge keys (<<) are not used in the "
         "catalogue; put text starting with '&' or '*' in quotes)"),
    ],
    ids=["port-typo", "port-range", "ipv6-bracket", "iri", "markdown-breakout", "doi-html",
         "5000-digits", "float-tag", "deep-nesting", "anchor"],
)
def test_hostile_values_get_one_located_error(
    old: str, new: str, expected: str, make_catalogue: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    _replace_in_cellpose(make_catalogue("minimal"), old, new)
    code, lines, _ = validate(capsys, "--catalogue", "catalogue")
    assert (code, lines[:-1]) == (1, [expected])


def test_ten_thousand_unknown_keys_are_each_reported_once(
    make_catalogue: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    keys = "".join(f"key{i}: v\n" for i in range(10_000))
    _replace_in_cellpose(make_catalogue("minimal"), "added: 2026-11-23\n",
                         "added: 2026-11-23\n" + keys)
    code, lines, _ = validate(capsys, "--catalogue", "catalogue")
    assert code == 1
    assert len(lines) == 10_001
    assert lines[0].startswith(f"{STARDIST}:24:1: error: unknown field 'key0' (hint: allowed here")


def test_a_value_with_line_breaks_cannot_forge_a_message(
    make_catalogue: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    forged = "catalogue/vocab/tasks.yml:1:1: error: forged"
    _replace_in_cellpose(make_catalogue("minimal"), "tasks: [segmentation]",
                         f'tasks: ["x\\n{forged}\\t{forged}\\u200b{forged}\\u202e"]')
    code, lines, _ = validate(capsys, "--catalogue", "catalogue")
    assert code == 1
    assert len(lines) == 2  # one error line and the summary
    assert lines[0].startswith(f"{STARDIST}:20:9: error: 'tasks' has an unknown value 'x\\n")
    # (a carriage return or U+2028 written as an escape is refused when the file is read)
    assert "\\t" in lines[0] and "\\u200b" in lines[0] and "\\u202e" in lines[0]
    assert all(line.isprintable() for line in lines)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_symbolic_link_in_the_catalogue_is_an_error_and_its_target_never_shown(
    what: str, make_catalogue: Callable[..., Path], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    catalogue = make_catalogue("minimal")
    secret = tmp_path / "outside"
    secret.mkdir()
    (secret / "passwd.yml").write_text("root: x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (secret / "notes.txt").write_text("secret\n", encoding="utf-8")
    if what == "file":
        link = catalogue / "glossary" / "passwd.yml"
        link.symlink_to(secret / "passwd.yml")
    else:
        shutil.rmtree(catalogue / "glossary")
        link = catalogue / "glossary"
        link.symlink_to(secret, target_is_directory=True)
    code, lines, out = validate(capsys, "--catalogue", "catalogue")
    assert code == 1
    assert (
        f"catalogue/glossary{'/passwd.yml' if what == 'file' else ''}:1:1: error: this is a "
        "symbolic link; the catalogue only holds real files and folders (hint: replace the link "
        "with the file or folder itself)"
    ) in lines
    assert "root" not in "\n".join(lines) + out
    assert "notes" not in "\n".join(lines) + out


# --- exit codes of the command itself ---------------------------------------------------------


def test_a_bug_is_one_line_exit_3_and_the_traceback_goes_to_a_file(
    make_catalogue: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_catalogue("minimal")
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)  # read TMPDIR again

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ZeroDivisionError("a slip\nover two lines")

    monkeypatch.setattr("dl4mic_hub.validate.validate_catalogue", broken)
    code, lines, out = validate(capsys, "--catalogue", "catalogue")
    assert code == 3
    assert out == ""
    (line,) = lines
    found = re.fullmatch(
        r"dl4mic-hub: internal error \(a bug\): ZeroDivisionError: a slip\\nover two lines; "
        r"please report it at https://github\.com/\S+/issues with the file (\S+)", line)
    assert found, line
    report = Path(found[1]).read_text(encoding="utf-8")
    assert report.startswith("dl4mic-hub ")
    assert "Traceback (most recent call last)" in report and "def broken" not in line


def test_ctrl_c_exits_130(
    make_catalogue: Callable[..., Path], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_catalogue("minimal")

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("dl4mic_hub.validate.validate_catalogue", interrupted)
    code, lines, _ = validate(capsys, "--catalogue", "catalogue")
    assert (code, lines) == (130, ["interrupted"])


def test_a_reader_that_goes_away_is_not_a_problem_in_the_input(
    make_catalogue: Callable[..., Path], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_catalogue("minimal")

    def reader_gone(*_args: object, **_kwargs: object) -> None:
        raise BrokenPipeError  # `dl4mic-hub ... | head`: head has stopped reading

    monkeypatch.setattr("dl4mic_hub.validate.validate_catalogue", reader_gone)
    code, lines, _ = validate(capsys, "--catalogue", "catalogue")
    assert (code, lines) == (141, [])  # 128 + SIGPIPE, like shell tools; 1 means bad input


def test_a_text_full_of_problems_lists_twenty_and_counts_the_rest(
    make_catalogue: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _replace_in_cellpose(
        make_catalogue("minimal"),
        "fr: Segmentation généraliste de cellules et de noyaux par apprentissage profond.",
        'fr: "' + "<b>" * 20_000 + '"',
    )
    code, lines, _ = validate(capsys, "--catalogue", "catalogue")
    assert code == 1
    assert sum("the HTML tag <b> is not allowed" in line for line in lines) == 20
    assert (
        f"{STARDIST}:6:7: error: 19980 more problem(s) with HTML or links in this text are not "
        "listed (hint: fix the ones above and run the command again)"
    ) in lines


def test_validate_can_report_only_the_files_a_contributor_names(
    make_catalogue: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # 'dl4mic-hub validate catalogue/resources/x.yml' was refused as an unknown argument
    catalogue = make_catalogue("minimal")
    path = catalogue / "resources" / "cellpose.yml"
    path.write_text(path.read_text("utf-8").replace("kind: tool", "kind: tol"), "utf-8")
    code, lines, _ = validate(capsys, "catalogue/resources/cellpose.yml")
    assert code == 1 and lines[0].startswith(
        "catalogue/resources/cellpose.yml:3:7: error: 'kind' has an unknown value 'tol'")
    code, lines, _ = validate(capsys, "catalogue/faq/fine-tuning-cellpose.yml")
    assert code == 0  # the named file is fine; the other file's problem is counted, not shown
    assert lines == ["catalogue: 4 entries checked; 1 file(s) named: no problems found; 1 "
                     "problem(s) in other files (run 'dl4mic-hub validate' to see them)"]
    code, lines, _ = validate(capsys, "catalogue/resources/nope.yml")
    assert code == 2 and lines == [
        "catalogue/resources/nope.yml:1:1: error: this file does not exist (hint: name "
        "catalogue files, e.g. catalogue/resources/cellpose.yml)"]


def test_run_from_inside_the_catalogue_says_where_to_run_it(
    make_catalogue: Callable[..., Path], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    catalogue = make_catalogue("minimal")
    monkeypatch.chdir(catalogue)
    code, lines, _ = validate(capsys)
    assert code == 2 and lines == [
        "catalogue:1:1: error: the catalogue folder does not exist (hint: this folder "
        "(catalogue/) looks like the catalogue itself: run the command from the folder above "
        "it, or pass --catalogue .)"]
    monkeypatch.chdir(catalogue / "resources")
    code, lines, _ = validate(capsys)
    assert code == 2 and "you are inside the catalogue: run the command from the project " \
        "folder" in lines[0]


def test_a_named_file_shows_the_problems_it_causes_elsewhere_and_where_it_lies(
    make_catalogue: Callable[..., Path], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    catalogue = make_catalogue("minimal")
    entry = (catalogue / "resources" / "cellpose.yml").read_text("utf-8")
    # a new file that sorts first: the repeated id and address are said at the other ends
    (catalogue / "resources" / "batch.yml").write_text(
        entry.replace("id: cellpose", "id: batch"), "utf-8")
    code, lines, _ = validate(capsys, "catalogue/resources/batch.yml")
    assert code == 1
    assert any(line.startswith("catalogue/resources/batch.yml:2:5: error: the id 'batch' is "
                               "also used by catalogue/glossary/batch.yml") for line in lines)
    assert any(line.startswith("catalogue/resources/cellpose.yml:15:6: error: the same URL")
               for line in lines)
    # a file in a folder nothing reads: the folder's error is the file's
    (catalogue / "resources" / "batch.yml").unlink()
    (catalogue / "tools").mkdir()
    (catalogue / "tools" / "stardist.yml").write_text(entry, "utf-8")
    code, lines, _ = validate(capsys, "catalogue/tools/stardist.yml")
    assert code == 1 and lines[0].startswith(
        "catalogue/tools:1:1: error: this folder is not part of the catalogue")
    # named from another folder, the way the shell completes it: the same file
    (catalogue / "tools" / "stardist.yml").unlink()
    (catalogue / "tools").rmdir()
    (catalogue / "resources" / "cellpose.yml").write_text(
        entry.replace("kind: tool", "kind: toool"), "utf-8")
    monkeypatch.chdir(catalogue / "resources")
    code, lines, _ = validate(capsys, "--catalogue", "..", "cellpose.yml")
    assert code == 1 and "'kind' has an unknown value 'toool'" in lines[0]


@pytest.mark.parametrize("command", [["build"], ["check-links"], ["new", "faq"]])
def test_an_unknown_option_is_told_with_its_commands_usage(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    # "dl4mic-hub build --bogus" showed the top-level usage, which lists no option of build
    with pytest.raises(SystemExit) as stopped:
        main([*command, "--bogus"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: dl4mic-hub {' '.join(command)} ")
    assert err.endswith(f"dl4mic-hub {' '.join(command)}: error: unrecognized arguments: "
                        "--bogus\n")


def test_an_unknown_option_before_the_command_is_told_as_dl4mic_hubs_own(
    capsys: pytest.CaptureFixture[str]
) -> None:
    # "dl4mic-hub --bogus validate" blamed validate, which would not take it either way
    with pytest.raises(SystemExit) as stopped:
        main(["--bogus", "validate"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: dl4mic-hub [-h]")
    assert err.endswith("dl4mic-hub: error: unrecognized arguments: --bogus\n")
    # those after the command are the command's, told with its usage
    with pytest.raises(SystemExit):
        main(["--bogus", "validate", "--other"])
    assert capsys.readouterr().err.endswith(
        "dl4mic-hub: error: unrecognized arguments: --bogus\n")
    # between "new" and the entry type, it is new's, told with new's usage
    with pytest.raises(SystemExit):
        main(["new", "--bogus", "resource"])
    err = capsys.readouterr().err
    assert err.startswith("usage: dl4mic-hub new [-h]")
    assert err.endswith("dl4mic-hub new: error: unrecognized arguments: --bogus\n")


def test_a_second_signal_while_stopping_is_ignored_then_the_handlers_come_back(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    # `make serve` stopped with SIGTERM: make passes the signal on, and the second one, raised
    # inside a lock's release while the first unwound, made an internal error (exit 3)
    import signal

    seen: dict[str, object] = {}

    def stopped_twice(_args: object) -> int:
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            signal.pause()  # never reached: the handler raises at once
        finally:
            os.kill(os.getpid(), signal.SIGTERM)  # ignored: this is the test
            os.kill(os.getpid(), signal.SIGINT)
            seen["term"], seen["int"] = (signal.getsignal(signal.SIGTERM),
                                         signal.getsignal(signal.SIGINT))
        return 0

    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    monkeypatch.setattr("dl4mic_hub.cli.cmd_validate", stopped_twice)
    assert main(["validate"]) == 128 + signal.SIGTERM
    assert seen == {"term": signal.SIG_IGN, "int": signal.SIG_IGN}
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
    assert capsys.readouterr().err == "terminated\n"
