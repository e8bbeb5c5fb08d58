"""CONTRIBUTING.md (French) and CONTRIBUTING.en.md (English), and the other documents a
contributor reads (README.md, docs/*.md, bench/README.md), stay true to the code.

Every field of every JSON Schema is documented in the section of its catalogue folder, with the
right "required" answer; the validation message quoted in the guides and the README is the one
the validator prints; every command, option, make target and repository path the documents name
exists; every link between documents reaches a file and a heading; --help says which options
can be repeated.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest

from dl4mic_hub.cli import build_parser, main
from dl4mic_hub.model import ENTRY_TYPES, VOCAB_FOLDER, VOCAB_SCHEMA

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "src" / "dl4mic_hub" / "schemas"
FIXTURES = ROOT / "tests" / "fixtures" / "catalogues"
GUIDES = {"fr": ROOT / "CONTRIBUTING.md", "en": ROOT / "CONTRIBUTING.en.md"}
README = ROOT / "README.md"
# Every document a user or contributor reads in the repository.
DOCUMENTS = sorted({README, *GUIDES.values(), ROOT / "bench" / "README.md",
                    ROOT / ".github" / "pull_request_template.md", *(ROOT / "docs").glob("*.md")})
YES = {"fr": "oui", "en": "yes"}
# Where each schema's files live: the guide's section about it names this path in its heading.
SECTION_OF = {
    **{t.schema: f"catalogue/{t.folder}/" for t in ENTRY_TYPES},
    VOCAB_SCHEMA: f"catalogue/{VOCAB_FOLDER}/",
    "linkcheck.schema.json": "catalogue/linkcheck.yml",
}


def _schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def _resolve(node: dict[str, Any], home: str) -> tuple[dict[str, Any], str]:
    ref = node.get("$ref")
    if not ref:
        return node, home
    file, _, pointer = ref.partition("#")
    file = file or home
    target: Any = _schema(file)
    for part in pointer.strip("/").split("/"):
        target = target[part]
    return _resolve(target, file)


def _nested_fields(node: dict[str, Any], home: str, depth: int = 0) -> set[str]:
    """Property names below the top level (link types, vocabulary values, rules), not fr/en."""
    node, home = _resolve(node, home)
    names: set[str] = set()
    children = [*node.get("properties", {}).items()]
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            children.append(("", node[key]))
    for name, child in children:
        if name and name not in ("fr", "en") and depth > 0:
            names.add(name)
        if isinstance(child, dict):
            names |= _nested_fields(child, home, depth + 1)
    return names


def _section(text: str, marker: str) -> str:
    """The guide's text under the heading that names ``marker``, down to the next heading of
    the same or a higher level."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines)
                  if line.startswith("#") and f"`{marker}`" in line), None)
    assert start is not None, f"no heading names `{marker}`"
    level = len(lines[start]) - len(lines[start].lstrip("#"))
    end = next((i for i in range(start + 1, len(lines))
                if lines[i].startswith("#") and len(lines[i]) - len(lines[i].lstrip("#")) <= level),
               len(lines))
    return "\n".join(lines[start:end])


def _rows(section: str) -> dict[str, list[str]]:
    """Table rows by their first cell (a field name in backticks)."""
    rows = {}
    for line in section.splitlines():
        match = re.match(r"^\| `([a-z_]+)` \|(.*)\|$", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in match.group(2).split("|")]
    return rows


@pytest.mark.parametrize("lang", GUIDES)
@pytest.mark.parametrize("schema_name", sorted(SECTION_OF))
def test_every_schema_field_is_documented(lang: str, schema_name: str) -> None:
    schema = _schema(schema_name)
    section = _section(GUIDES[lang].read_text(encoding="utf-8"), SECTION_OF[schema_name])
    rows = _rows(section)
    required = set(schema.get("required", []))
    for name in schema["properties"]:
        assert name in rows, f"{GUIDES[lang].name}: field `{name}` of {schema_name} is missing"
        # The second column answers "required?": yes exactly for the schema's required fields.
        assert (rows[name][0] == YES[lang]) == (name in required), (
            f"{GUIDES[lang].name}: `{name}` of {schema_name} is "
            f"{'required' if name in required else 'optional'} in the schema"
        )
    for name in _nested_fields(schema, schema_name):
        assert f"`{name}`" in section, f"{GUIDES[lang].name}: `{name}` ({schema_name}) missing"


def test_the_schemas_are_all_covered() -> None:
    shipped = {p.name for p in SCHEMAS.glob("*.schema.json")} - {"common.schema.json"}
    assert shipped == set(SECTION_OF), "document the new schema and add it to SECTION_OF"


def _name(document: Path) -> str:
    return document.relative_to(ROOT).as_posix()


def _all_options() -> dict[str, set[str]]:
    """Every option of every command, by command name (``new`` gathers its four types)."""
    options: dict[str, set[str]] = {}

    def walk(parser: Any, command: str) -> None:
        for action in parser._actions:
            options.setdefault(command, set()).update(action.option_strings)
            choices = getattr(action, "choices", None)
            if isinstance(choices, dict):  # sub-commands
                for name, sub in choices.items():
                    walk(sub, command or name)

    walk(build_parser(), "")
    return options


def _without_code_blocks(text: str) -> str:
    return re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)


def _code(text: str) -> list[str]:
    """Where commands are written: inline code, and each line of a code block."""
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)
    inline = re.findall(r"`([^`]+)`", _without_code_blocks(text))
    return inline + [line for block in blocks for line in block.splitlines()]


# Options of other programs, named next to ours.
FOREIGN_OPTIONS = {"--strict": "python -m mkdocs build --strict", "--validate": "cffconvert"}


@pytest.mark.parametrize("document", DOCUMENTS, ids=_name)
def test_commands_and_options_in_the_documents_exist(document: Path) -> None:
    text = document.read_text(encoding="utf-8")
    options = _all_options()
    for span in _code(text):
        # `dl4mic-hub CMD --opt ...`: each option belongs to that command.
        for written in re.split(r"(?<![\w-])(?=dl4mic-hub )", span)[1:]:
            command, rest = re.fullmatch(r"dl4mic-hub ([a-z][a-z-]*)?([^#]*).*", written,
                                         flags=re.DOTALL).groups()
            assert command in options, f"{_name(document)}: no command in '{written.strip()}'"
            for option in re.findall(r"(?<![\w-])--[a-z][a-z-]*[a-z]", rest):
                assert option in options[command], (
                    f"{_name(document)}: 'dl4mic-hub {command}' has no option {option}")
    if document.parent.name == "bench":  # the benchmark scripts have options of their own
        return
    every = set().union(*options.values(), FOREIGN_OPTIONS)
    for option in set(re.findall(r"(?<![\w-])--[a-z][a-z-]*[a-z]", text)):
        assert option in every, f"{_name(document)}: no option {option}"


def test_the_guides_script_options_belong_to_new() -> None:
    assert {"--title-fr", "--title-en", "--url", "--section", "--task", "--link", "--id",
            "--no-input"} <= _all_options()["new"]


def test_help_says_which_options_can_be_repeated() -> None:
    def walk(parser: argparse.ArgumentParser, command: str) -> None:
        for action in parser._actions:
            if isinstance(action.choices, dict):  # sub-commands
                for name, sub in action.choices.items():
                    walk(sub, f"{command} {name}")
            elif action.option_strings:
                repeatable = isinstance(action, argparse._AppendAction)
                said = "(repeatable)" in (action.help or "")
                assert said == repeatable, f"{command} {action.option_strings[0]}: --help says " \
                    f"it {'can' if said else 'cannot'} be repeated"

    walk(build_parser(), "dl4mic-hub")


def _make_targets() -> set[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    variables = dict(re.findall(r"^(\w+)\s*[?:]?=\s*(\S+)", makefile, flags=re.MULTILINE))
    targets = set()
    for target in re.findall(r"^([^\s:#=]+):", makefile, flags=re.MULTILINE):
        for _ in range(3):  # $(BIN) is $(VENV)/bin
            target = re.sub(r"\$\((\w+)\)", lambda m: variables.get(m.group(1), ""), target)
        targets.add(target)
    return targets


@pytest.mark.parametrize("document", DOCUMENTS, ids=_name)
def test_make_targets_in_the_documents_exist(document: Path) -> None:
    targets = _make_targets()
    for span in _code(document.read_text(encoding="utf-8")):
        for target in re.findall(r"(?<![\w-])make ([\w./-]+)", span):
            assert target in targets, f"{_name(document)}: no make target '{target}'"


# Files the guides ask contributors to create, as examples.
EXAMPLE_PATHS = {"catalogue/vocab/x.yml", "catalogue/vocab/modalities.yml"}
TOP_FOLDERS = "src|tests|docs|bench|catalogue|overrides|\\.github|\\.ci|\\.vscode"


def _generated(path: str) -> bool:
    """Whether .gitignore covers the path (the documents name generated files too)."""
    lines = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    parts = path.strip("/").split("/")
    for pattern in patterns:
        bare = pattern.strip("/")
        if "/" in bare or pattern.startswith("/"):  # anchored: compare with the leading folders
            if any(fnmatch("/".join(parts[:n]), bare) for n in range(1, len(parts) + 1)):
                return True
        elif any(fnmatch(part, bare) for part in parts):
            return True
    return False


@pytest.mark.parametrize("document", DOCUMENTS, ids=_name)
def test_repository_paths_in_the_documents_exist(document: Path) -> None:
    text = document.read_text(encoding="utf-8")
    named = set(re.findall(rf"`((?:{TOP_FOLDERS})/[^`\s#:]*)", text))
    # The guides name vocabularies as vocab/<name>.yml, relative to catalogue/.
    named |= {f"catalogue/{v}" for v in re.findall(r"(?<![\w/.-])(vocab/[\w-]+\.yml)", text)}
    for path in sorted(named):
        if re.search(r"[<>*{}|]|\.\.\.", path) or path in EXAMPLE_PATHS or _generated(path):
            continue
        assert (ROOT / path).exists(), f"{_name(document)}: {path} does not exist"


def _github_slug(heading: str) -> str:
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(document: Path) -> set[str]:
    """The anchors GitHub gives the document's headings (a repeated heading gets -1, -2...)."""
    text = _without_code_blocks(document.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    anchors = set()
    for heading in re.findall(r"^#+ (.+)$", text, flags=re.MULTILINE):
        slug = _github_slug(heading)
        anchors.add(f"{slug}-{seen[slug]}" if slug in seen else slug)
        seen[slug] = seen.get(slug, 0) + 1
    return anchors


@pytest.mark.parametrize("document", DOCUMENTS, ids=_name)
def test_links_between_documents_reach_a_file_and_a_heading(document: Path) -> None:
    text = _without_code_blocks(document.read_text(encoding="utf-8"))
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        linked = (document.parent / path).resolve() if path else document
        assert linked.is_relative_to(ROOT) and linked.exists(), (
            f"{_name(document)}: ({target}) is not a file of the repository")
        if anchor:
            assert anchor in _anchors(linked), (
                f"{_name(document)}: ({target}): no heading of {_name(linked)} has that anchor")


def test_both_guides_have_the_same_structure_and_point_to_each_other() -> None:
    fr, en = (GUIDES[lang].read_text(encoding="utf-8") for lang in ("fr", "en"))
    assert "(CONTRIBUTING.en.md)" in fr and "(CONTRIBUTING.md)" in en
    assert "](#" in fr and "](#" in en  # each has its table of contents
    heading_levels = [
        [len(h) for h in re.findall(r"^(#+) ", text, flags=re.MULTILINE)] for text in (fr, en)
    ]
    assert heading_levels[0] == heading_levels[1]
    assert len(_rows(fr)) == len(_rows(en))


# --- local tooling the guides describe: pre-commit hook and editor schema mapping -----------


def _precommit_hook() -> dict[str, Any]:
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [repo] = config["repos"]
    [hook] = repo["hooks"]
    assert repo["repo"] == "local"  # nothing downloaded: the project's own validator
    return hook


@pytest.mark.parametrize(("scenario", "code"), [(None, 0), ("unknown-vocab-key", 1)])
def test_precommit_hook_runs_the_validator(
    scenario: str | None, code: int, tmp_path: Path
) -> None:
    import os
    import subprocess
    import sys

    hook = _precommit_hook()
    shutil.copytree(FIXTURES / "minimal", tmp_path / "catalogue")
    if scenario:
        shutil.copytree(FIXTURES / scenario, tmp_path / "catalogue", dirs_exist_ok=True)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(hook["entry"], shell=True, cwd=tmp_path, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == code, result.stderr
    assert "entries checked" in result.stderr


def test_precommit_hook_runs_when_catalogue_or_schemas_change() -> None:
    hook = _precommit_hook()
    pattern = re.compile(hook["files"])
    assert pattern.search("catalogue/resources/cellpose.yml")
    assert pattern.search("catalogue/vocab/tasks.yml")
    assert pattern.search("src/dl4mic_hub/schemas/resource.schema.json")
    assert not pattern.search("README.md")
    assert hook["pass_filenames"] is False  # cross-file checks need the whole catalogue


def test_editor_settings_map_every_schema_to_its_files() -> None:
    from dl4mic_hub.model import ENTRY_TYPES

    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    for schema in mapping:
        assert (ROOT / schema).is_file(), schema
    expected = {f"./src/dl4mic_hub/schemas/{t.schema}": f"catalogue/{t.folder}/*.yml"
                for t in ENTRY_TYPES}
    expected["./src/dl4mic_hub/schemas/vocabulary.schema.json"] = "catalogue/vocab/*.yml"
    expected["./src/dl4mic_hub/schemas/linkcheck.schema.json"] = "catalogue/linkcheck.yml"
    assert mapping == expected


def test_the_sample_message_is_what_validate_prints_for_that_mistake(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    # the guides' sample said line 10 and two known keys: the real entry has its tasks at line
    # 44 and the vocabulary thirteen keys; a reader compares the two when learning to read one
    shutil.copytree(ROOT / "catalogue", tmp_path / "catalogue")
    monkeypatch.chdir(tmp_path)
    entry = Path("catalogue/resources/stardist.yml")
    text = entry.read_text(encoding="utf-8")
    assert text.count("tasks: [segmentation]") == 1
    entry.write_text(text.replace("tasks: [segmentation]", "tasks: [segmentaton]"), "utf-8")
    assert main(["validate"]) == 1
    printed = next(line for line in capsys.readouterr().err.splitlines()
                   if "'segmentaton'" in line)  # (a warning elsewhere may come first)
    for document in (README, *GUIDES.values()):
        samples = [line for line in document.read_text(encoding="utf-8").splitlines()
                   if "'segmentaton'" in line]
        assert samples == [printed], document.name
