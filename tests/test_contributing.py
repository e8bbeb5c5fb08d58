"""CONTRIBUTING.md (French) and CONTRIBUTING.en.md (English) stay true to the code.

Every field of every JSON Schema is documented in the section of its catalogue folder, with the
right "required" answer; the validation message quoted in the guides is the one the validator
prints; every command-line option the guides mention exists; the tables of contents resolve.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from dl4mic_hub.cli import build_parser
from dl4mic_hub.model import ENTRY_TYPES, VOCAB_FOLDER, VOCAB_SCHEMA
from dl4mic_hub.validate import validate_catalogue

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "src" / "dl4mic_hub" / "schemas"
FIXTURES = ROOT / "tests" / "fixtures" / "catalogues"
GUIDES = {"fr": ROOT / "CONTRIBUTING.md", "en": ROOT / "CONTRIBUTING.en.md"}
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


@pytest.mark.parametrize("lang", GUIDES)
def test_the_quoted_validation_message_is_the_real_one(
    lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(FIXTURES / "minimal", tmp_path / "catalogue")
    shutil.copytree(FIXTURES / "unknown-vocab-key", tmp_path / "catalogue", dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    [diagnostic] = validate_catalogue(Path("catalogue")).diagnostics
    text = GUIDES[lang].read_text(encoding="utf-8")
    quoted = re.search(r"```text\n(.*?)\n```", text, flags=re.DOTALL)
    assert quoted is not None
    assert quoted.group(1) == diagnostic.format_text()


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


@pytest.mark.parametrize("lang", GUIDES)
def test_commands_and_options_in_the_guide_exist(lang: str) -> None:
    text = GUIDES[lang].read_text(encoding="utf-8")
    options = _all_options()
    for command in set(re.findall(r"dl4mic-hub ([a-z][a-z-]+)", text)):
        assert command in options, f"{GUIDES[lang].name}: no command 'dl4mic-hub {command}'"
    every = set().union(*options.values())
    for option in set(re.findall(r"(?<![\w-])--[a-z][a-z-]*[a-z]", text)):
        assert option in every, f"{GUIDES[lang].name}: no option {option}"
    # The options the guide gives for scripts really belong to `new`.
    assert {"--title-fr", "--title-en", "--url", "--section", "--task", "--link", "--id",
            "--no-input"} <= options["new"]


def _github_slug(heading: str) -> str:
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


@pytest.mark.parametrize("lang", GUIDES)
def test_internal_links_reach_a_heading(lang: str) -> None:
    text = GUIDES[lang].read_text(encoding="utf-8")
    slugs = {_github_slug(h) for h in re.findall(r"^#+ (.+)$", text, flags=re.MULTILINE)}
    links = re.findall(r"\]\(#([^)]+)\)", text)
    assert links
    for link in links:
        assert link in slugs, f"{GUIDES[lang].name}: #{link} matches no heading"


def test_both_guides_have_the_same_structure_and_point_to_each_other() -> None:
    fr, en = (GUIDES[lang].read_text(encoding="utf-8") for lang in ("fr", "en"))
    assert "(CONTRIBUTING.en.md)" in fr and "(CONTRIBUTING.md)" in en
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
