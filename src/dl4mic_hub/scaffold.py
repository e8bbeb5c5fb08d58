"""The core of ``dl4mic-hub new``: field values in, a commented entry file (YAML text) out.

Everything a contributor reads in the new file comes from the JSON Schemas (the description of
each field, whether it is required) and the vocabulary files (the keys a field accepts), so the
scaffold never drifts from the format. Every value is judged by the validator itself
(:class:`~dl4mic_hub.validate.SchemaChecker`) as soon as it is given, so a terminal user is
asked again instead of losing the other answers. Nothing here reads or writes files or asks
questions: ``cli.cmd_new`` does the I/O, and passes an ``ask`` function in a terminal.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import re
import textwrap
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from . import LANGUAGES
from .diagnostics import (
    Diagnostic,
    Origin,
    Severity,
    UsageError,
    UserError,
    display_path,
    error,
    one_line,
)
from .load import strings_in, unwritable_character
from .model import PLACEHOLDER, TRANSLATION_TO_WRITE, Catalogue, Entry, EntryType
from .schema import field_specs, reserved_fields
from .text import slugify
from .urls import IdentityLink, identity_links
from .validate import SchemaChecker, identity_owners, vocabulary_keys

COMMENT_WIDTH = 98
# What a terminal says when a required question is left empty (French first, as the questions)
REQUIRED_ANSWER = "  champ obligatoire / this field is required"


@dataclass(frozen=True)
class Field:
    """One top-level field of an entry type, as its JSON Schema defines it."""

    name: str
    description: str
    required: bool
    shape: str  # i18n | i18n-list | list | object | object-list | scalar
    value_type: str = "string"  # of a scalar or of list items: string | integer
    vocabulary: str | None = None  # x-vocabulary name
    is_ref: bool = False  # x-entry-ref: ids of other entries
    choices: tuple[str, ...] = ()  # enum values
    is_date: bool = False
    is_url: bool = False  # x-url: an absolute http(s) address
    is_doi: bool = False  # x-doi: a DOI, the other address that identifies an entry
    has_default: bool = False  # the schema gives the value an absent field has
    excluded: frozenset[str] = frozenset()  # vocabulary keys the field refuses
    description_fr: str = ""  # the description in French (x-description-fr)
    # an object (or each object of a list) of a vocabulary key and one text, written TYPE=TEXT
    # on the command line: ("type", "url") for links, ("type", "name") for published_in
    pair: tuple[str, str] | None = None
    pair_vocabulary: str | None = None  # the vocabulary of the pair's TYPE
    # the schema allows the field only with this value of another field: ("kind", "paper")
    only_when: tuple[str, str] | None = None

    def keys(self, vocab_keys: Mapping[str, Iterable[str]]) -> list[str]:
        """The vocabulary keys this field accepts (for a pair field, its TYPE's)."""
        vocabulary = self.vocabulary or self.pair_vocabulary or ""
        return [k for k in vocab_keys.get(vocabulary, ()) if k not in self.excluded]

    @property
    def option(self) -> str:
        """Its command-line option (``content_language`` → ``--content-language``)."""
        return "--" + self.name.replace("_", "-")

    @property
    def pair_metavar(self) -> str:
        """``TYPE=URL``: how the command line writes one object of a :attr:`pair` field."""
        first, second = self.pair or ("type", "value")
        return f"{first.upper()}={second.upper()}"

    @property
    def prompted(self) -> bool:
        """Asked for in a terminal: required fields, the main address and the DOI (what
        identifies an entry: a paper's DOI was never asked), and every field with a vocabulary
        (what readers filter on) unless its absence already says something (a schema default:
        `status` is active)."""
        return (self.required or self.is_url or self.is_doi
                or (self.vocabulary is not None and not self.has_default)
                or self.only_when is not None)  # a paper's venue, a book's edition


def fields_of(entry_type: EntryType) -> list[Field]:
    """Every field of ``entry_type`` in schema order, described from the schema."""
    fields: list[Field] = []
    reserved = reserved_fields(entry_type.schema)
    for spec in field_specs(entry_type.schema):
        raw = spec.spec
        if spec.i18n:
            is_list = raw["properties"][LANGUAGES[0]].get("type") == "array"
            fields.append(Field(spec.name, spec.description, spec.required,
                                "i18n-list" if is_list else "i18n",
                                description_fr=spec.description_fr))
        elif spec.multiple:
            items = raw.get("items", {})
            shape = "object-list" if items.get("type") == "object" else "list"
            fields.append(Field(spec.name, spec.description, spec.required, shape,
                                value_type=items.get("type", "string"),
                                vocabulary=spec.vocabulary, excluded=spec.excluded,
                                is_ref=bool(items.get("x-entry-ref")),
                                description_fr=spec.description_fr, **_pair(items)))
        elif raw.get("type") == "object":
            fields.append(Field(spec.name, spec.description, spec.required, "object",
                                description_fr=spec.description_fr, **_pair(raw)))
        else:
            fields.append(Field(
                spec.name, spec.description, spec.required, "scalar",
                value_type=raw.get("type", "string"), vocabulary=spec.vocabulary,
                excluded=spec.excluded,
                choices=tuple(raw.get("enum", ())), is_date=raw.get("format") == "date",
                is_url=bool(raw.get("x-url")), is_doi=bool(raw.get("x-doi")),
                has_default="default" in raw,
                description_fr=spec.description_fr,
            ))
    return [dataclasses.replace(f, only_when=reserved[f.name]) if f.name in reserved else f
            for f in fields]


def _pair(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``pair`` ("type", "url") and its vocabulary, for an object schema of exactly two
    required properties, one a vocabulary key (a link, a venue): the command line writes it
    TYPE=URL. Empty for any other schema."""
    required = schema.get("required", [])
    properties = schema.get("properties", {})
    keyed = [n for n in required if properties.get(n, {}).get("x-vocabulary")]
    if schema.get("type") != "object" or len(required) != 2 or len(keyed) != 1:
        return {}
    other = next(n for n in required if n != keyed[0])
    return {"pair": (keyed[0], other), "pair_vocabulary": properties[keyed[0]]["x-vocabulary"]}


# --- judging values --------------------------------------------------------------------------


class ValueJudge:
    """Converts a value given to ``new`` to the field's type and judges it with the validator
    (JSON Schema and our keywords), placing each problem at the option it came from."""

    def __init__(self, entry_type: EntryType, catalogue: Catalogue) -> None:
        self.entry_type = entry_type
        self.catalogue = catalogue
        self.checker = SchemaChecker(catalogue, display_path(catalogue.root))
        self.vocab_keys = vocabulary_keys(catalogue)
        self._owners: dict[str, tuple[Entry, Origin]] | None = None

    def already_in(self, field: Field, value: Any) -> list[Diagnostic]:
        """The URLs and DOI of a good value that another entry already has: in a terminal,
        the question is asked again at once, rather than the whole entry refused at the end
        (:func:`conflicts`, which says the same for the options of a script)."""
        if self._owners is None:
            self._owners = link_owners(self.catalogue)
        return [error(Origin(field.option), f"this {link.kind} is already in entry '{entry.id}' "
                      f"({where}): {link.written}", "if that entry is what you wanted to add, "
                      "improve it instead; otherwise give another address")
                for link, entry, where in taken_links({field.name: value}, self._owners)]

    def accept(self, field: Field, value: Any) -> tuple[Any, list[Diagnostic]]:
        """(the converted value, its problems): an empty list means the value is good."""
        if field.shape in ("i18n", "i18n-list"):
            texts = value if isinstance(value, dict) else {}
            problems = [d for lang, text in texts.items()
                        for d in self._check(field, {lang: text}, f"{field.option}-{lang}")]
            return texts, problems
        if field.pair:
            option = _pair_option(field)
            example = _pair_example(field, self.vocab_keys)
            pairs, problems = _parse_pairs(value, field, option, f"{option} {example}")
            # one object, or a list of them
            given: Any = pairs if field.shape == "object-list" else next(iter(pairs), None)
            if problems:
                return given, problems
            return given, self._check(field, given, option)
        if field.shape == "list":
            items = [str(v).strip() for v in value if str(v).strip()]
            return items, self._check(field, items, field.option)
        text = str(value).strip()
        converted: Any = int(text) if field.value_type == "integer" and _is_int(text) else text
        problems = self._check(field, converted, field.option)
        if field.name == "id" and problems and slugify(text):
            problems = [dataclasses.replace(d, hint=f"e.g. '{slugify(text)}': {d.hint}")
                        for d in problems]
        if field.is_date and not problems:
            converted = dt.date.fromisoformat(text)  # written unquoted, like hand-made entries
        return converted, problems

    def _check(self, field: Field, value: Any, option: str) -> list[Diagnostic]:
        for text in strings_in(value):  # what the file could only hold as an escape
            unwritable = unwritable_character(text)
            if unwritable:
                return [error(Origin(option), f"the value holds {unwritable[1]}, which "
                              "catalogue text cannot hold", "type it again without that character")]
        found = self.checker.check(self.entry_type.schema, {field.name: value}, option,
                                   whole=False)
        # a missing translation is a warning about the finished entry, not about this value
        return [d for d in found if d.severity is Severity.ERROR]


def _is_int(text: str) -> bool:
    return re.fullmatch(r"[+-]?[0-9]{1,18}", text) is not None


def _parse_pairs(value: Any, field: Field, option: str,
                 example: str) -> tuple[list[dict[str, str]], list[Diagnostic]]:
    """``--link TYPE=URL`` texts (or ready mappings) as ``{type, url}`` mappings; the same for
    any :attr:`Field.pair` field (``--published-in TYPE=NAME``). ``example`` shows the form in
    the hint."""
    first, second = field.pair or ("type", "value")
    objects: list[dict[str, str]] = []
    problems: list[Diagnostic] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict):
            objects.append(item)
            continue
        key, sep, text = str(item).partition("=")
        if not sep or not key.strip() or not text.strip():
            problems.append(error(Origin(option), f"'{item}' is not {field.pair_metavar}",
                                  f"e.g. {example}"))
        else:  # on one line, as the catalogue writes them: {type: journal, name: ...}
            objects.append(_FlowDict({first: key.strip(), second: text.strip()}))
    return objects, problems


def _pair_example(field: Field, vocab_keys: Mapping[str, Sequence[str]]) -> str:
    """One value of a :attr:`Field.pair` field as the command line writes it: its
    vocabulary's first key, then an address or a placeholder (``docs=https://...``)."""
    first, second = field.pair or ("type", "value")
    key = next(iter(field.keys(vocab_keys)), first.upper())
    return f"{key}=" + ("https://..." if second == "url" else "...")


def _pair_option(field: Field) -> str:
    """``--link`` for ``links`` (one option per link), else the field's own option."""
    if field.shape == "object-list":
        return _singular(field.option) or field.option
    return field.option


# --- collecting values ----------------------------------------------------------------------

Ask = Callable[[str], str]
Say = Callable[[str], None]


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
    say: Say,
    judge: ValueJudge,
    catalogue_labels: Mapping[str, str] | None = None,
    again: Sequence[str] = (),
) -> dict[str, Any]:
    """Ask in a terminal for the fields without a value that are worth asking for (see
    :attr:`Field.prompted`), and for the fields named in ``again`` (given with a bad value).
    A wrong answer is explained and asked again; an empty answer skips an optional field.
    ``vocab_labels`` maps a vocabulary name to ``{key: label}``."""
    values = dict(values)
    catalogue_labels = catalogue_labels or {}  # vocabulary name → its own label, as a fallback
    for field in fields_of(entry_type):
        if _has_value(values.get(field.name)):
            continue
        if field.name == "id":
            continue  # asked last (collect_values), with the title's id as its proposal
        if field.name in again:
            pass  # given wrong: asked again, whatever the field
        elif field.name == "added" or not field.prompted:
            continue  # the date is today
        elif field.only_when and values.get(field.only_when[0]) != field.only_when[1]:
            continue  # reserved to other entries (a venue to papers)
        if field.name == "status" and entry_type.name == "faq":
            continue  # decided from the answer: open when there is none
        about = field.description
        if not about and field.vocabulary and field.vocabulary in catalogue_labels:
            about = catalogue_labels[field.vocabulary]
        _introduce(field, say, about)
        vocabulary = field.vocabulary or field.pair_vocabulary
        if vocabulary:
            labels = vocab_labels.get(vocabulary, {})
            say("  " + one_line(", ".join(f"{k} ({labels[k]})" for k in field.keys(vocab_labels))))
        if field.choices:
            say("  " + ", ".join(field.choices))
        values[field.name] = _ask_one(field, ask, say, judge)
    return values


def _introduce(field: Field, say: Say, about: str) -> None:
    """What a question is about: the field, whether it is needed, then what it holds in French
    and in English."""
    say("")
    need = ("obligatoire / required" if field.required
            else "facultatif, Entrée pour passer / optional, Enter to skip")
    say(one_line(f"{field.name} ({need}): {field.description_fr or about}".rstrip()))
    if field.description_fr and about:
        say("  " + one_line(about))


def _ask_id(field: Field, proposal: str | None, ask: Ask, say: Say, judge: ValueJudge,
            used: Callable[[str], str | None]) -> str:
    """The id, proposed from the title and confirmed in the terminal: it is the page's address
    for good, and a long question makes a long id. ``used`` says where an id is taken."""
    _introduce(field, say, field.description)
    say("  Entrée pour garder la proposition / Enter to keep the proposal")
    while True:
        answer = ask(f"  {field.name} [{proposal}]: " if proposal else f"  {field.name}: ")
        answer = answer.strip() or proposal or ""
        if not answer:
            say(REQUIRED_ANSWER)
            continue
        value, problems = judge.accept(field, answer)
        for problem in problems:
            say(f"  {problem.format_problem()}")
        where = None if problems else used(str(value))
        if where is not None:
            say(f"  the id '{value}' is already used by {where} (if that entry is what you "
                "wanted to add, improve it instead; otherwise type another id)")
        elif not problems:
            return str(value)
        proposal = None  # a refused proposal is not offered again


def _ask_one(field: Field, ask: Ask, say: Say, judge: ValueJudge) -> Any:
    """One field's value from the terminal, asked until the validator accepts it."""
    while True:
        if field.shape in ("i18n", "i18n-list"):
            texts: dict[str, Any] = {}
            for lang in LANGUAGES:
                answer = ask(f"  {field.name} [{lang}]: ").strip()
                if answer:
                    texts[lang] = _split(answer) if field.shape == "i18n-list" else answer
            if not texts and field.required:
                say("  il faut au moins une langue, l'autre pourra être traduite plus tard / at "
                    "least one language is needed, the other can be translated later")
                continue
            answer_value: Any = texts
        else:
            prompt = {"list": " (comma-separated)", "object-list": f" ({field.pair_metavar}, ...)",
                      "object": f" ({field.pair_metavar})"}.get(field.shape, "")
            answer = ask(f"  {field.name}{prompt}: ").strip()
            if not answer and field.required:
                say(REQUIRED_ANSWER)
                continue
            answer_value = _split(answer) if field.shape in ("list", "object-list") else answer
        if not _has_value(answer_value):
            return None
        value, problems = judge.accept(field, answer_value)
        problems = problems or judge.already_in(field, value)
        if not problems:
            return value
        for problem in problems:
            say(f"  {problem.format_problem()}")


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


# French puts a space before ; : ? ! » and after «: a line never starts with one of these
# (textwrap would break at that space; U+001F, a character no text holds, stands for it).
_FRENCH_SPACE = re.compile(r" (?=[;:?!»])|(?<=«) ")


def _comment(text: str) -> list[str]:
    lines = textwrap.wrap(_FRENCH_SPACE.sub("\x1f", text), COMMENT_WIDTH - 2,
                          initial_indent="# ", subsequent_indent="# ", break_on_hyphens=False)
    return [line.replace("\x1f", " ") for line in lines]


def _placeholder(field: Field, vocab_keys: Mapping[str, Sequence[str]]) -> str:
    """A commented-out example of the field, to uncomment and fill in."""
    keys = field.keys(vocab_keys)[:2]
    address = f"https://{PLACEHOLDER}"
    if field.shape == "i18n":
        sample: Any = dict.fromkeys(LANGUAGES, PLACEHOLDER)
    elif field.shape == "i18n-list":
        sample = {lang: [PLACEHOLDER] for lang in LANGUAGES}
    elif field.pair:
        first, second = field.pair
        one = _FlowDict({first: keys[0] if keys else PLACEHOLDER,
                         second: address if second == "url" else PLACEHOLDER})
        sample = [one] if field.shape == "object-list" else one
    elif field.shape == "object-list":
        sample = [PLACEHOLDER]
    elif field.shape == "list":
        sample = keys or [PLACEHOLDER]
    elif field.choices:
        sample = field.choices[0]
    elif field.is_date:
        sample = dt.date(2026, 1, 31)
    elif field.value_type == "integer":
        sample = 2020
    else:
        sample = keys[0] if keys else (address if field.name == "url" else PLACEHOLDER)
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
    # French first, as on the site: most contributors read French.
    out = [
        f"# yaml-language-server: $schema={schema_path}",
        f"# Nouvelle fiche ({entry_type.name}), créée par `dl4mic-hub new {entry_type.name}`.",
        f"# New {entry_type.name} entry, created by `dl4mic-hub new {entry_type.name}`.",
        *_comment("Les lignes qui commencent par # sont des commentaires : décommentez (retirez "
                  "« # ») un champ facultatif pour le remplir, supprimez ceux qui ne servent pas."),
        *_comment("Lines starting with # are comments: uncomment (remove '# ') an optional field "
                  "to fill it in, delete the ones you do not need."),
        "# Vérifiez avec / check with: dl4mic-hub validate",
    ]
    for field in fields_of(entry_type):
        value = values.get(field.name)
        has = _has_value(value)
        out.append("")
        if field.description_fr:
            status_fr = "Obligatoire." if field.required else "Facultatif."
            out.extend(_comment(f"{status_fr} {field.description_fr}"))
        status = "Required." if field.required else "Optional."
        description = re.sub(r"^Optional\s*", "", field.description)
        description = description[:1].upper() + description[1:]
        out.extend(_comment(f"{status} {description}".rstrip()))
        keys = field.keys(vocab_keys)
        if keys:
            vocabulary = field.vocabulary or field.pair_vocabulary
            out.extend(_comment(f"Clés / keys (vocab/{vocabulary}.yml): {', '.join(keys)}"))
        if field.choices:
            out.extend(_comment(f"Une valeur parmi / one of: {', '.join(field.choices)}"))
        if has and field.shape == "i18n" and isinstance(value, dict):
            missing = [lang for lang in LANGUAGES if not value.get(lang)]
            present = {lang: value[lang] for lang in LANGUAGES if value.get(lang)}
            text = _dump(field.name, present)
            # The missing translation as a visible reminder, right where it belongs.
            text += "".join(f"  # {lang}: {PLACEHOLDER}  {TRANSLATION_TO_WRITE}\n"
                            for lang in missing)
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
                    help=f"({lang}) {help_text}"
                    + (" (repeatable)" if field.shape == "i18n-list" else ""),
                )
        elif field.pair:
            repeated = field.shape == "object-list"
            parser.add_argument(_pair_option(field), dest=f"field__{field.name}",
                                action="append" if repeated else _GivenOnce,
                                metavar=field.pair_metavar,
                                help=help_text + (" (repeatable)" if repeated else ""))
        elif field.shape in ("object", "object-list"):
            continue  # no command-line form: written in the file
        else:
            names = [field.option]
            singular = _singular(field.option) if field.shape == "list" else None
            if singular:
                names.insert(0, singular)  # --task as well as --tasks
            is_list = field.shape == "list"
            parser.add_argument(*names, dest=f"field__{field.name}",
                                action="append" if is_list else "store",
                                metavar="KEY" if field.vocabulary else "VALUE",
                                help=help_text + (" (repeatable)" if is_list else ""))


class _GivenOnce(argparse.Action):
    """An option an entry has one value of: given twice, it is a usage error (argparse's
    "store" would keep the last one silently)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        if getattr(namespace, self.dest, None) is not None:
            raise argparse.ArgumentError(self, "given twice: an entry has one value of it")
        setattr(namespace, self.dest, values)


def _singular(option: str) -> str | None:
    """``--tasks`` → ``--task``: an option per value reads in the singular. None where an
    English plural is not simply a final "s" ("modalities", "classes", "species", "series"):
    a wrong guess ("--modalitie") is worse than the plural option alone."""
    if not option.endswith("s") or option.endswith(("ies", "ses", "xes", "ches", "shes",
                                                     "ss", "us", "is")):
        return None
    return option[:-1]


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
        if field.pair:
            values[field.name] = raw  # TYPE=URL texts, parsed when judged
        elif field.shape == "list" and (field.vocabulary or field.is_ref):
            values[field.name] = [k.strip() for item in raw for k in item.split(",")]
        else:
            values[field.name] = raw
    return values


def collect_values(
    entry_type: EntryType,
    given: Mapping[str, Any],
    catalogue: Catalogue,
    *,
    today: dt.date,
    ask: Ask | None = None,
    say: Say = print,
) -> dict[str, Any]:
    """Checked values for a new entry: the given ones, answers to ``ask`` for what is missing
    or was given wrong (in a terminal), then the defaults of :func:`prepare_values`.

    Raises :class:`UserError` for a bad value (when nobody can be asked), and
    :class:`UsageError` when a required value is missing."""
    judge = ValueJudge(entry_type, catalogue)
    fields = fields_of(entry_type)
    values: dict[str, Any] = {}
    problems: list[Diagnostic] = []
    for field in fields:
        if field.name in given:
            value, found = judge.accept(field, given[field.name])
            if ask is not None and not found:  # in a terminal, asked again (see already_in)
                found = judge.already_in(field, value)
            problems += found
            if not found:
                values[field.name] = value
    if problems and ask is None:
        raise UserError(problems)
    given_id = "id" in values  # given, and valid (a refused one is asked again below)
    if ask is not None:
        for problem in problems:
            say(f"{one_line(problem.origin.path)}: {problem.format_problem()}")
        labels = {name: {k: v.label_of(k, LANGUAGES[0]) for k in v.terms}
                  for name, v in catalogue.vocabularies.items()}
        names = {name: " / ".join(v.label.values()) for name, v in catalogue.vocabularies.items()}
        again = [f.name for f in fields if f.name in given and f.name not in values]
        values = ask_missing(entry_type, values, labels, ask, say, judge, names, again)
    values = prepare_values(entry_type, values, today)
    # in a terminal the id is asked below, even when the title gives none to propose
    missing = [f for f in missing_required(fields, values) if ask is None or f.name != "id"]
    if missing:
        options = ", ".join(
            f"{f.option}-{LANGUAGES[0]}/{f.option}-{LANGUAGES[1]}" if f.shape == "i18n"
            else f.option for f in missing
        )
        raise UsageError([error(
            Origin("new"), f"missing required value(s): {options}",
            "pass them as options, or run the command in a terminal to be asked",
        )])

    def used(entry_id: str) -> str | None:
        return id_holder(entry_type, entry_id, catalogue)

    if ask is not None and (not given_id or used(values["id"]) is not None):
        if given_id:  # valid, but taken: said, then asked without a proposal
            say(f"--id: the id '{values['id']}' is already used by {used(values['id'])}")
        values["id"] = _ask_id(fields[0], None if given_id else values.get("id"), ask, say,
                               judge, used)
    elif "id" not in given:  # an id made from the title is judged too
        _, found = judge.accept(fields[0], values["id"])
        if found:
            raise UserError(found)
    return values


def id_holder(entry_type: EntryType, entry_id: str, catalogue: Catalogue) -> str | None:
    """Where ``entry_id`` is taken: the entry that has it (any type), or a file at the new
    entry's path that is not one (a broken file still takes its name); None when free."""
    existing = catalogue.by_id().get(entry_id)
    if existing is not None:
        return existing.source_path
    path = catalogue.root / entry_type.folder / f"{entry_id}.yml"
    return display_path(path) if path.exists() or path.is_symlink() else None


def conflicts(entry_type: EntryType, values: Mapping[str, Any],
              catalogue: Catalogue) -> list[Diagnostic]:
    """Why the entry cannot be added: its id, one of its URLs or its DOI is already in the
    catalogue (compared as the validator does, :func:`dl4mic_hub.urls.identity_links`). Each
    problem points at the existing entry, so the contributor can go and look."""
    problems: list[Diagnostic] = []
    entry_id = values["id"]
    holder = id_holder(entry_type, entry_id, catalogue)
    if holder is not None:
        existing = catalogue.by_id().get(entry_id)
        where = existing.origin("id") if existing else Origin(holder)
        problems.append(error(
            where, f"the id '{entry_id}' is already used",
            "if that entry is what you wanted to add, improve it instead; otherwise choose "
            "another id with --id (ids are unique in the catalogue)"))
    for link, entry, where in taken_links(values, link_owners(catalogue)):
        problems.append(error(
            where, f"this {link.kind} is already in entry '{entry.id}': {link.written}",
            f"improve that entry instead, or point to it with --related {entry.id}",
        ))
    return problems


def link_owners(catalogue: Catalogue) -> dict[str, tuple[Entry, Origin]]:
    """Each URL and DOI key of the catalogue, with the first entry that has it and where."""
    return {link.key: first for _entry, link, _origin, first in identity_owners(catalogue)}


def taken_links(values: Mapping[str, Any], owners: Mapping[str, tuple[Entry, Origin]],
                ) -> Iterator[tuple[IdentityLink, Entry, Origin]]:
    """The URLs and DOI of ``values`` that an entry of ``owners`` (:func:`link_owners`) has."""
    for link in identity_links(values):
        if link.key in owners:
            entry, where = owners[link.key]
            yield link, entry, where


def schema_modeline_path(entry_type: EntryType, path: Path) -> str:
    """The schema file as seen from ``path``, for the editor modeline on the first line."""
    schemas = Path(str(files("dl4mic_hub") / "schemas"))
    return Path(os.path.relpath(schemas / entry_type.schema, path.parent.resolve())).as_posix()
