"""The core of ``dl4mic-hub new``: field values in, a commented entry file (YAML text) out.

Everything a contributor reads in the new file comes from the JSON Schemas (the description of
each field, whether it is required) and the vocabulary files (the keys a field accepts), so the
scaffold never drifts from the format. Nothing here reads or writes files or asks questions:
``cli.cmd_new`` does the I/O, and passes an ``ask`` function when it runs in a terminal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import textwrap
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from . import LANGUAGES
from .diagnostics import Diagnostic, Origin, display_path, error
from .model import Catalogue, Entry, EntryType
from .schema import load_schemas
from .validate import normalize_url, url_problem

COMMENT_WIDTH = 98
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Optional fields still worth asking for in a terminal: they are what readers filter on.
PROMPTED_OPTIONAL = {
    "resource": ("url", "tasks", "dims", "platforms", "level", "access"),
    "faq": ("answer",),
    "cheatsheet": ("format", "tasks"),
    "glossary": (),
}


class ScaffoldError(Exception):
    """A value given to ``new`` is not acceptable; the sentence is shown as is, with a hint."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} (hint: {self.hint})" if self.hint else self.message


@dataclass(frozen=True)
class Field:
    """One top-level field of an entry type, as its JSON Schema defines it."""

    name: str
    description: str
    required: bool
    shape: str  # i18n | i18n-list | list | object-list | scalar
    value_type: str = "string"  # of a scalar or of list items: string | integer
    vocabulary: str | None = None  # x-vocabulary name
    is_ref: bool = False  # x-entry-ref: ids of other entries
    choices: tuple[str, ...] = ()  # enum values
    markdown_block: bool = False  # multi-line Markdown allowed (answer, description...)
    is_date: bool = False
    is_url: bool = False  # x-url: an absolute http(s) address

    @property
    def option(self) -> str:
        """Its command-line option (``content_language`` → ``--content-language``)."""
        return "--" + self.name.replace("_", "-")


def _resolve(node: Mapping[str, Any], schemas: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """``node`` with its ``$ref`` target merged in (local keys win, as in the schemas)."""
    ref = node.get("$ref")
    if not ref:
        return dict(node)
    file, _, pointer = ref.partition("#")
    target: Any = schemas[file]
    for part in pointer.strip("/").split("/"):
        target = target[part]
    merged = _resolve(target, schemas)
    for key, value in node.items():
        if key == "properties" and isinstance(merged.get("properties"), dict):
            merged["properties"] = {
                k: {**merged["properties"].get(k, {}), **v} for k, v in value.items()
            }
        elif key != "$ref":
            merged[key] = value
    return merged


def fields_of(entry_type: EntryType) -> list[Field]:
    """Every field of ``entry_type`` in schema order, described from the schema."""
    schemas = load_schemas()
    schema = schemas[entry_type.schema]
    required = set(schema.get("required", []))
    fields: list[Field] = []
    for name, raw in schema["properties"].items():
        spec = _resolve(raw, schemas)
        description = " ".join(str(spec.get("description", "")).split())
        props = spec.get("properties", {})
        if spec.get("type") == "object" and set(props) >= set(LANGUAGES):
            is_list = props[LANGUAGES[0]].get("type") == "array"
            block = props[LANGUAGES[0]].get("x-markdown") == "block"
            fields.append(Field(name, description, name in required,
                                "i18n-list" if is_list else "i18n", markdown_block=block))
        elif spec.get("type") == "array":
            items = _resolve(spec.get("items", {}), schemas)
            shape = "object-list" if items.get("type") == "object" else "list"
            fields.append(Field(name, description, name in required, shape,
                                value_type=items.get("type", "string"),
                                vocabulary=items.get("x-vocabulary"),
                                is_ref=bool(items.get("x-entry-ref"))))
        else:
            fields.append(Field(
                name, description, name in required, "scalar",
                value_type=spec.get("type", "string"), vocabulary=spec.get("x-vocabulary"),
                choices=tuple(spec.get("enum", ())), is_date=spec.get("format") == "date",
                is_url=bool(spec.get("x-url")),
            ))
    return fields


def slugify(text: str) -> str:
    """An id proposal from a title: ``Deep Learning (GlobalSQA)`` → ``deep-learning-globalsqa``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = "-".join(words)[:60].strip("-")
    return slug


# --- checking values ------------------------------------------------------------------------


def check_value(field: Field, value: Any, vocab_keys: Mapping[str, Sequence[str]]) -> Any:
    """``value`` converted to the field's type, or :class:`ScaffoldError` saying why not."""
    if field.shape == "list":
        items = [v for v in value if str(v).strip()]
        return [_check_scalar(field, str(v).strip(), vocab_keys) for v in items]
    if field.shape in ("i18n", "i18n-list"):
        return value
    return _check_scalar(field, str(value).strip(), vocab_keys)


def _check_scalar(field: Field, value: str, vocab_keys: Mapping[str, Sequence[str]]) -> Any:
    option = field.option
    if field.name == "id" and not ID_PATTERN.match(value):
        raise ScaffoldError(
            f"{option}: '{value}' is not a valid id",
            f"use lower-case letters, digits and hyphens, e.g. '{slugify(value) or 'my-tool'}'",
        )
    if field.vocabulary:
        keys = list(vocab_keys.get(field.vocabulary, ()))
        if value not in keys:
            close = _close(value, keys)
            raise ScaffoldError(
                f"{option}: unknown value '{value}' (not a key of vocab/{field.vocabulary}.yml)",
                f"{close}known keys: {', '.join(keys)}",
            )
    if field.choices and value not in field.choices:
        raise ScaffoldError(f"{option}: '{value}' is not allowed",
                            f"choose one of: {', '.join(field.choices)}")
    if field.is_url:
        problem = url_problem(value)
        if problem:
            raise ScaffoldError(f"{option}: {problem[0]}", problem[1])
    if field.is_date:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ScaffoldError(f"{option}: '{value}' is not a date",
                                "write it YYYY-MM-DD, e.g. 2026-01-31") from None
    if field.value_type == "integer":
        try:
            return int(value)
        except ValueError:
            raise ScaffoldError(f"{option}: '{value}' is not a whole number") from None
    return value


def _close(value: str, keys: Sequence[str]) -> str:
    import difflib

    match = difflib.get_close_matches(value, list(keys), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'? " if match else ""


def find_url_owner(catalogue: Catalogue, url: str) -> tuple[Entry, Origin] | None:
    """The entry whose main URL or secondary link is the same page as ``url``, with the place
    it is written; compared as the validator does (``normalize_url``)."""
    wanted = normalize_url(url)
    for entry in catalogue.all_entries():
        candidates: list[tuple[str | int, ...]] = (
            [("url",)] if isinstance(entry.get("url"), str) else []
        )
        for index, link in enumerate(entry.get("links") or []):
            if isinstance(link, dict) and isinstance(link.get("url"), str):
                candidates.append(("links", index, "url"))
        for path in candidates:
            value: Any = entry.data
            for part in path:
                value = value[part]
            if normalize_url(str(value)) == wanted:
                return entry, entry.origin(*path)
    return None


# --- collecting values ----------------------------------------------------------------------

Ask = Callable[[str], str]


def missing_required(fields: Sequence[Field], values: Mapping[str, Any]) -> list[Field]:
    """Required fields without a value (an i18n text needs at least one language)."""
    return [f for f in fields if f.required and not _has_value(values.get(f.name))]


def _has_value(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_value(v) for v in value.values())
    if isinstance(value, list):
        return bool(value)
    return value is not None and str(value) != ""


def ask_missing(
    entry_type: EntryType,
    values: dict[str, Any],
    vocab_labels: Mapping[str, Mapping[str, str]],
    ask: Ask,
    say: Callable[[str], None],
    catalogue_labels: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Ask in a terminal for the required fields (and a few useful optional ones) that have no
    value yet. A wrong answer is explained and asked again; an empty answer skips an optional
    field. ``vocab_labels`` maps a vocabulary name to ``{key: label}``."""
    values = dict(values)
    catalogue_labels = catalogue_labels or {}  # vocabulary name → its own label, as a fallback
    vocab_keys = {name: list(labels) for name, labels in vocab_labels.items()}
    wanted = set(PROMPTED_OPTIONAL.get(entry_type.name, ()))
    for field in fields_of(entry_type):
        if field.name in ("id", "added") or _has_value(values.get(field.name)):
            continue  # the id comes from the title, the date is today
        if not (field.required or field.name in wanted) or field.shape == "object-list":
            continue
        if field.name == "status" and entry_type.name == "faq":
            continue  # decided from the answer: open when there is none
        say("")
        need = ("obligatoire / required" if field.required
                else "facultatif, Entrée pour passer / optional, Enter to skip")
        about = field.description
        if not about and field.vocabulary and field.vocabulary in catalogue_labels:
            about = catalogue_labels[field.vocabulary]
        say(f"{field.name} ({need}): {about}".rstrip())
        if field.vocabulary:
            labels = vocab_labels.get(field.vocabulary, {})
            say("  " + ", ".join(f"{k} ({v})" for k, v in labels.items()))
        if field.choices:
            say("  " + ", ".join(field.choices))
        values[field.name] = _ask_one(field, ask, say, vocab_keys)
    return values


def _ask_one(field: Field, ask: Ask, say: Callable[[str], None],
             vocab_keys: Mapping[str, Sequence[str]]) -> Any:
    while True:
        if field.shape in ("i18n", "i18n-list"):
            texts: dict[str, Any] = {}
            for lang in LANGUAGES:
                answer = ask(f"  {field.name} [{lang}]: ").strip()
                if answer:
                    texts[lang] = _split(answer) if field.shape == "i18n-list" else answer
            if texts or not field.required:
                return texts or None
            say("  at least one language is needed (the other can be translated later)")
            continue
        prompt = "comma-separated" if field.shape == "list" else ""
        answer = ask(f"  {field.name}{f' ({prompt})' if prompt else ''}: ").strip()
        if not answer:
            if not field.required:
                return None
            say("  this field is required")
            continue
        try:
            return check_value(field, _split(answer) if field.shape == "list" else answer,
                               vocab_keys)
        except ScaffoldError as exc:
            say(f"  {exc}")


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


# --- rendering ------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Lists of words in flow style (``[a, b]``), mappings in block style, multi-line text as
    a literal block: the layout of the hand-written entries."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


class _FlowDict(dict):  # type: ignore[type-arg]
    """A small mapping inside a list, written on one line: ``- {type: docs, url: ...}``."""


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flat = all(not isinstance(item, (dict, list)) for item in data)
    items = [_FlowDict(item) if isinstance(item, dict) else item for item in data]
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flat)


def _represent_dict(dumper: yaml.SafeDumper, data: dict[Any, Any]) -> yaml.Node:
    flow = isinstance(data, _FlowDict)
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(_FlowDict, _represent_dict)


def _dump(name: str, value: Any) -> str:
    return yaml.dump({name: value}, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     width=COMMENT_WIDTH)


def _comment(text: str) -> list[str]:
    return textwrap.wrap(text, COMMENT_WIDTH - 2, initial_indent="# ", subsequent_indent="# ",
                         break_on_hyphens=False)


def _placeholder(field: Field, vocab_keys: Mapping[str, Sequence[str]]) -> str:
    """A commented-out example of the field, to uncomment and fill in."""
    keys = list(vocab_keys.get(field.vocabulary or "", ()))[:2]
    if field.shape == "i18n":
        sample: Any = dict.fromkeys(LANGUAGES, "...")
    elif field.shape == "i18n-list":
        sample = {lang: ["..."] for lang in LANGUAGES}
    elif field.shape == "object-list":
        sample = [{"type": "docs", "url": "https://..."}] if field.name == "links" else ["..."]
    elif field.shape == "list":
        sample = keys or ["..."]
    elif field.choices:
        sample = field.choices[0]
    elif field.is_date:
        sample = dt.date(2026, 1, 31)
    elif field.value_type == "integer":
        sample = 2020
    else:
        sample = keys[0] if keys else ("https://..." if field.name == "url" else "...")
    lines = _dump(field.name, sample).splitlines()
    return "".join(f"# {line}\n" if line else "#\n" for line in lines)


def render_entry(
    entry_type: EntryType,
    values: Mapping[str, Any],
    catalogue: Catalogue,
    schema_path: str,
) -> str:
    """The text of a new entry file: the schema modeline, then every field of the schema in
    order, each under a comment taken from the schema; fields without a value are written as
    commented-out examples. ``schema_path`` is the modeline's path to the schema file."""
    vocab_keys = vocabulary_keys(catalogue)
    out = [
        f"# yaml-language-server: $schema={schema_path}",
        f"# New {entry_type.name} entry, created by `dl4mic-hub new {entry_type.name}`.",
        "# Lines starting with # are comments: uncomment (remove '# ') an optional field to fill",
        "# it in, delete the ones you do not need.",
        "# Nouvelle entrée : décommentez (retirez « # ») un champ facultatif pour le remplir.",
        "# Check with / vérifiez avec : dl4mic-hub validate",
    ]
    for field in fields_of(entry_type):
        value = values.get(field.name)
        has = _has_value(value)
        out.append("")
        status = "Required." if field.required else "Optional."
        description = re.sub(r"^Optional\s*", "", field.description)
        description = description[:1].upper() + description[1:]
        out.extend(_comment(f"{status} {description}".rstrip()))
        if field.vocabulary and vocab_keys.get(field.vocabulary):
            out.extend(_comment(
                f"Keys (vocab/{field.vocabulary}.yml): {', '.join(vocab_keys[field.vocabulary])}"
            ))
        if field.choices:
            out.extend(_comment(f"One of: {', '.join(field.choices)}"))
        if has and field.shape == "i18n" and isinstance(value, dict):
            missing = [lang for lang in LANGUAGES if not value.get(lang)]
            present = {lang: value[lang] for lang in LANGUAGES if value.get(lang)}
            text = _dump(field.name, present)
            # The missing translation as a visible reminder, right where it belongs.
            text += "".join(f"  # {lang}: ...  (translation to write)\n" for lang in missing)
            out.append(text.rstrip("\n"))
        elif has:
            out.append(_dump(field.name, value).rstrip("\n"))
        else:
            out.append(_placeholder(field, vocab_keys).rstrip("\n"))
    return "\n".join(out) + "\n"


def prepare_values(entry_type: EntryType, values: Mapping[str, Any],
                   today: dt.date) -> dict[str, Any]:
    """Defaults that need no question: the id from the title or term, today's date, and a FAQ's
    status (``open`` until someone writes an answer)."""
    result = {k: v for k, v in values.items() if _has_value(v)}
    if "id" not in result:
        named = result.get("title") or result.get("term") or result.get("question") or {}
        text = (named.get("en") or named.get("fr") or "") if isinstance(named, dict) else ""
        if slugify(text):
            result["id"] = slugify(text)
    result.setdefault("added", today)
    if entry_type.name == "faq" and "status" not in result:
        result["status"] = "answered" if _has_value(result.get("answer")) else "open"
    return result


# --- the command-line edge (argparse options, defaults, checks against the catalogue) --------


def vocabulary_keys(catalogue: Catalogue) -> dict[str, list[str]]:
    return {name: list(v.terms) for name, v in catalogue.vocabularies.items()}


def add_field_options(parser: argparse.ArgumentParser, entry_type: EntryType) -> None:
    """One option per schema field: ``--title-fr``/``--title-en`` for texts, ``--task`` (or
    ``--tasks``, repeatable) for lists, ``--link TYPE=URL`` for secondary links."""
    for field in fields_of(entry_type):
        help_text = (field.description or field.name).replace("%", "%%")
        if field.shape in ("i18n", "i18n-list"):
            for lang in LANGUAGES:
                parser.add_argument(
                    f"{field.option}-{lang}", dest=f"field__{field.name}__{lang}",
                    action="append" if field.shape == "i18n-list" else "store",
                    metavar="WORD" if field.shape == "i18n-list" else "TEXT",
                    help=f"({lang}) {help_text}",
                )
        elif field.shape == "object-list":
            if field.name == "links":
                parser.add_argument("--link", dest="field__links", action="append",
                                    metavar="TYPE=URL", help=f"{help_text} (repeatable)")
        else:
            names = [field.option]
            if field.shape == "list" and field.name.endswith("s"):
                names.insert(0, field.option[:-1])  # --task as well as --tasks
            is_list = field.shape == "list"
            parser.add_argument(*names, dest=f"field__{field.name}",
                                action="append" if is_list else "store",
                                metavar="KEY" if field.vocabulary else "VALUE",
                                help=help_text + (" (repeatable)" if is_list else ""))


def values_from_args(args: argparse.Namespace, entry_type: EntryType) -> dict[str, Any]:
    """The option values of :func:`add_field_options`, by field name."""
    values: dict[str, Any] = {}
    for field in fields_of(entry_type):
        if field.shape in ("i18n", "i18n-list"):
            texts = {lang: getattr(args, f"field__{field.name}__{lang}", None)
                     for lang in LANGUAGES}
            if any(texts.values()):
                values[field.name] = {k: v for k, v in texts.items() if v}
            continue
        raw = getattr(args, f"field__{field.name}", None)
        if raw is None:
            continue
        if field.name == "links":
            values["links"] = [_parse_link(item) for item in raw]
        elif field.shape == "list" and (field.vocabulary or field.is_ref):
            values[field.name] = [k.strip() for item in raw for k in item.split(",")]
        else:
            values[field.name] = raw
    return values


def _parse_link(text: str) -> dict[str, str]:
    kind, sep, url = text.partition("=")
    if not sep or not kind.strip() or not url.strip():
        raise ScaffoldError(f"--link: '{text}' is not TYPE=URL", "e.g. --link docs=https://...")
    return {"type": kind.strip(), "url": url.strip()}


def collect_values(
    entry_type: EntryType,
    given: Mapping[str, Any],
    catalogue: Catalogue,
    *,
    today: dt.date,
    ask: Ask | None = None,
    say: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Checked values for a new entry: the given ones, answers to ``ask`` for what is missing
    (when given), then the defaults of :func:`prepare_values`. Raises :class:`ScaffoldError`."""
    vocab_keys = vocabulary_keys(catalogue)
    fields = fields_of(entry_type)
    values = dict(given)
    for field in fields:
        if field.name in values and field.shape != "object-list":
            values[field.name] = check_value(field, values[field.name], vocab_keys)
    link_type = Field("link", "", True, "scalar", vocabulary="link-types")
    link_url = Field("link", "", True, "scalar", is_url=True)
    for link in values.get("links", []):
        check_value(link_type, link["type"], vocab_keys)
        check_value(link_url, link["url"], vocab_keys)
    if ask is not None:
        labels = {name: {k: v.label_of(k, LANGUAGES[0]) for k in v.terms}
                  for name, v in catalogue.vocabularies.items()}
        names = {name: " / ".join(v.label.values()) for name, v in catalogue.vocabularies.items()}
        values = ask_missing(entry_type, values, labels, ask, say, names)
    values = prepare_values(entry_type, values, today)
    missing = missing_required(fields, values)
    if missing:
        options = ", ".join(
            f"{f.option}-{LANGUAGES[0]}/{f.option}-{LANGUAGES[1]}" if f.shape == "i18n"
            else f.option for f in missing
        )
        raise ScaffoldError(f"missing required value(s): {options}",
                            "pass them as options, or run the command in a terminal to be asked")
    values["id"] = check_value(fields[0], values["id"], vocab_keys)  # a derived id too
    return values


def conflicts(entry_type: EntryType, values: Mapping[str, Any],
              catalogue: Catalogue) -> list[Diagnostic]:
    """Why the entry cannot be added: its id or one of its URLs is already in the catalogue.
    Each problem points at the existing entry, so the contributor can go and look."""
    problems: list[Diagnostic] = []
    entry_id = values["id"]
    path = catalogue.root / entry_type.folder / f"{entry_id}.yml"
    existing = catalogue.by_id().get(entry_id)
    if existing is not None or path.exists():
        where = existing.origin("id") if existing else Origin(display_path(path))
        problems.append(error(where, f"the id '{entry_id}' is already used",
                              "choose another id with --id (ids are unique in the catalogue)"))
    urls = [values["url"]] if values.get("url") else []
    for url in urls + [link["url"] for link in values.get("links", [])]:
        owner = find_url_owner(catalogue, url)
        if owner is not None:
            entry, where = owner
            problems.append(error(
                where, f"this URL is already in entry '{entry.id}': {url}",
                f"improve that entry instead, or point to it with --related {entry.id}",
            ))
    return problems


def schema_modeline_path(entry_type: EntryType, path: Path) -> str:
    """The schema file as seen from ``path``, for the editor modeline on the first line."""
    schemas = Path(str(files("dl4mic_hub") / "schemas"))
    return Path(os.path.relpath(schemas / entry_type.schema, path.parent.resolve())).as_posix()
