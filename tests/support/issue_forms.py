"""The issue forms' dropdowns that follow a vocabulary file (``tasks`` → catalogue/vocab/tasks.yml).

GitHub issue forms are static YAML: when a vocabulary changes, ``make issue-forms`` (this file
run as a script) rewrites the options of every such dropdown in place, comments and all else
untouched; ``tests/test_issue_forms.py`` fails until it is run. It needs the project installed
(``make site``), not the test tools.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
FORMS_DIR = ROOT / ".github" / "ISSUE_TEMPLATE"
VOCAB_DIR = ROOT / "catalogue" / "vocab"
FORMS = sorted(p for p in FORMS_DIR.glob("*.yml") if p.name != "config.yml")
VOCABULARIES = sorted(p.stem for p in VOCAB_DIR.glob("*.yml"))
COMMAND = "make issue-forms"


def refused_keys(name: str) -> frozenset[str]:
    """Keys of a vocabulary a resource's field refuses (kinds: faq, cheatsheet, glossary), as
    `new` and `validate` read them from the schema."""
    from dl4mic_hub.model import ENTRY_TYPES_BY_NAME
    from dl4mic_hub.schema import field_specs

    specs = field_specs(ENTRY_TYPES_BY_NAME["resource"].schema)
    return frozenset().union(*(spec.excluded for spec in specs if spec.vocabulary == name))


def vocab_options(name: str) -> list[str]:
    """Dropdown options for a vocabulary: French label first, then English, then the key a
    maintainer copies into the YAML file."""
    data = yaml.safe_load((VOCAB_DIR / f"{name}.yml").read_text(encoding="utf-8"))
    skipped = refused_keys(name)
    options = []
    for key, term in data["values"].items():
        if key in skipped:
            continue
        fr, en = term["label"].get("fr"), term["label"].get("en")
        label = fr if not en or fr == en else f"{fr} / {en}" if fr else en
        options.append(f"{label} ({key})")
    return options


def _scalar(text: str) -> str:
    return yaml.safe_dump(text, allow_unicode=True, width=1000).removesuffix("\n...\n").strip()


def with_vocabulary_options(text: str) -> str:
    """A form's text with the options of each vocabulary dropdown made those of its file."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    dropdown: str | None = None
    index = 0
    kind = None
    while index < len(lines):
        line = lines[index]
        out.append(line)
        index += 1
        element = re.match(r"\s*- type: (\S+)\s*$", line)
        if element:  # a new element of the form: forget the one before
            kind, dropdown = element.group(1), None
        found = re.match(r"\s+id: (\S+)\s*$", line)
        if found and kind == "dropdown":
            dropdown = found.group(1) if found.group(1) in VOCABULARIES else None
        options = re.match(r"(\s+)options:\s*$", line)
        if options and dropdown is not None:
            item = options.group(1) + "  - "
            while index < len(lines) and lines[index].startswith(item):
                index += 1  # the old options
            out += [f"{item}{_scalar(option)}\n" for option in vocab_options(dropdown)]
            dropdown = None
    return "".join(out)


def update_forms() -> list[Path]:
    """Rewrite the forms whose dropdowns no longer follow the vocabularies; the changed ones."""
    changed = []
    for path in FORMS:
        text = path.read_text(encoding="utf-8")
        new = with_vocabulary_options(text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def vocabulary_errors(catalogue: Path = ROOT / "catalogue") -> list[str]:
    """The errors `dl4mic-hub validate` finds in the vocabulary files, as it words them: a
    broken vocabulary is said where it is broken, not as a traceback of this script."""
    from dl4mic_hub.diagnostics import Severity
    from dl4mic_hub.model import VOCAB_FOLDER
    from dl4mic_hub.validate import validate_catalogue

    result = validate_catalogue(catalogue)
    return [d.format_text() for d in result.diagnostics
            if d.severity is Severity.ERROR and VOCAB_FOLDER in Path(d.origin.path).parts]


if __name__ == "__main__":
    errors = vocabulary_errors()
    if errors:
        print("\n".join(errors), file=sys.stderr)
        print(f"{COMMAND}: fix the vocabulary files first (dl4mic-hub validate says the same)",
              file=sys.stderr)
        sys.exit(1)
    updated = update_forms()
    for path in updated:
        print(f"updated {path.relative_to(ROOT)}")
    if not updated:
        print("the issue forms already follow the vocabularies")
    sys.exit(0)
