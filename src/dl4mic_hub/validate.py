"""Stage 2, validate: check a loaded catalogue and collect every problem before failing.

The JSON Schemas in ``schemas/`` are the single definition of the format. Besides standard
JSON Schema they use nine keywords of ours, so that the rules stay in the data:

- ``x-vocabulary: <name>``: the value must be a key of ``vocab/<name>.yml``;
- ``x-entry-ref: true | <type>``: the value must be the id of an existing entry;
- ``x-url``: an absolute http(s) address (see :mod:`dl4mic_hub.urls`);
- ``x-doi``: a DOI that can become the link https://doi.org/<doi> (RFC 3986 path characters);
- ``x-successor``: an address (as ``x-url``) or else the id of an entry (as ``x-entry-ref``);
- ``x-markdown: inline | block``: Markdown without raw HTML, links with safe schemes only;
- ``x-i18n``: a ``{fr, en}`` text; a missing language is a warning (the site falls back);
- ``x-past``: a date that is not in the future (a warning: 2031 for 2021 would keep an entry at
  the top of the "recently added" page for years);
- ``x-page-range``: pages written first-last whose last page is not before the first ("100-6",
  as PubMed shortens it, would be cited as pages 100 to 6).

Two more describe the data for the other stages and check nothing: ``x-implied`` (vocabulary
keys an entry type carries without writing them) and ``x-shown-to-readers: false`` (a field no
page shows; see :mod:`dl4mic_hub.schema`).

Standard keywords mean what JSON Schema says, ``pattern`` included: an ECMA-262 regular
expression, whose ``$`` is the end of the text (:func:`ecma_regex`).

Rules across files (ids equal to file names, duplicate ids, URLs and DOIs) live here in Python.
:class:`SchemaChecker` is the one judge of a value: ``validate`` runs it on whole files and
``new`` on each value before it writes anything.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators

from . import LANGUAGES, markup
from .addresses import private_host_kind
from .diagnostics import (
    Diagnostic,
    Origin,
    Severity,
    UsageError,
    UserError,
    display_path,
    error,
    has_errors,
    sort_key,
    warning,
)
from .hostrules import RULES_FILE, RULES_SCHEMA, HostRules, rules_from
from .load import (
    LoadedFile,
    LocatedDict,
    LocatedStr,
    gc_paused,
    load_yaml_file,
    origin_at,
    parse_yaml,
    strings_in,
    symlink_error,
)
from .markdown import SAFE_SCHEMES, find_images, find_raw_html, iter_links, scheme_of
from .model import (
    CATALOGUE_FOLDERS,
    ENTRY_TYPES,
    PLACEHOLDER,
    TRANSLATION_TO_WRITE,
    VOCAB_FOLDER,
    VOCAB_SCHEMA,
    Catalogue,
    Entry,
    read_catalogue,
)
from .schema import excluded_keys, field_specs, implied_values, inlined_schema, load_schemas
from .text import backward_page_range, closest, did_you_mean, fold, iso_date, slugify
from .urls import (
    IdentityLink,
    doi_from_link,
    doi_problem,
    host_of,
    identity_links,
    mask_credentials,
    url_problem,
)

WARNING_KEYWORDS = frozenset({"x-i18n", "x-past"})
# Names of the site's languages in the messages (which are in English).
LANGUAGE_NAMES = {"fr": "French", "en": "English"}
TYPE_NAMES = {
    "array": "a list",
    "object": "a mapping (key: value lines)",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
}


@dataclass
class ValidationResult:
    catalogue: Catalogue
    diagnostics: list[Diagnostic]
    host_rules: HostRules | None = None  # from linkcheck.yml, when the catalogue has one

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)


# --- custom keywords -------------------------------------------------------------------------


# Looking for the id (or vocabulary key) closest to an unknown one compares it with every id:
# with thousands of unknown ids in a large catalogue that is minutes of work. Past this many,
# no suggestion.
ID_SUGGESTIONS = 100
# A hint lists at most this many vocabulary keys (a vocabulary is catalogue data: it may be
# long, and the hint is repeated for every unknown value).
LISTED_KEYS = 30


@dataclass
class _Context:
    vocab_keys: dict[str, list[str]]
    vocab_display: dict[str, str]
    ids: dict[str, str]  # id → entry type name
    vocab_folder: str
    broken_vocabularies: frozenset[str] = frozenset()  # there, but unreadable
    id_suggestions_left: int = ID_SUGGESTIONS
    # vocabulary → folded label (either language) → key: a label written for its key
    vocab_labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def suggestion(self, value: str, choices: Iterable[str]) -> str:
        """:func:`did_you_mean`, while the budget lasts (``choices`` is only read then)."""
        if self.id_suggestions_left <= 0:
            return ""
        self.id_suggestions_left -= 1
        return did_you_mean(value, choices)


def _issue(message: str, hint: str = "", origin: Origin | None = None) -> ValidationError:
    err = ValidationError(message)
    err.hint = hint  # type: ignore[attr-defined,unused-ignore]
    err.origin = origin  # type: ignore[attr-defined,unused-ignore]
    return err


Keyword = Callable[..., Iterator[ValidationError]]


def _keywords(ctx: _Context) -> dict[str, Keyword]:
    def x_vocabulary(_v: Any, name: str, instance: Any, spec: Any) -> Iterator[ValidationError]:
        if not isinstance(instance, str):
            return
        keys = ctx.vocab_keys.get(name)
        if keys is None and name in ctx.broken_vocabularies:
            return  # the file's own error says where it is broken: no "create it" per entry
        if keys is None:
            yield _issue(
                f"uses the vocabulary '{name}', which does not exist",
                f"create {ctx.vocab_folder}/{name}.yml",
            )
        elif instance not in keys:
            refused = excluded_keys(spec)  # said by 'not'; never suggested here
            keys = [key for key in keys if key not in refused]
            shown = ", ".join(keys[:LISTED_KEYS])
            if len(keys) > LISTED_KEYS:
                shown += f", ... ({len(keys) - LISTED_KEYS} more in {ctx.vocab_display[name]})"
            # the label a page shows (and `new` prints) is not the key: say which key it is
            labelled = ctx.vocab_labels.get(name, {}).get(fold(instance).strip())
            meant = (f"'{instance}' is the label of the key '{labelled}': write {labelled}; "
                     if labelled in keys else ctx.suggestion(instance, keys))
            yield _issue(
                f"has an unknown value '{instance}' (not a key of {ctx.vocab_display[name]})",
                f"{meant}known keys: {shown}",
            )

    def x_entry_ref(_v: Any, wanted: Any, instance: Any, _s: Any) -> Iterator[ValidationError]:
        if not isinstance(instance, str):
            return
        kind = ctx.ids.get(instance)
        if kind is None:
            candidates = (i for i, k in ctx.ids.items() if wanted is True or k == wanted)
            yield _issue(
                f"'{instance}' is not the id of any entry",
                f"{ctx.suggestion(instance, candidates)}an id is the file name without .yml",
            )
        elif wanted is not True and kind != wanted:
            yield _issue(
                f"'{instance}' is a {kind} entry, not a {wanted} entry",
                f"this list only takes {wanted} entries; put it in 'related:' instead",
            )

    def x_url(_v: Any, _enabled: Any, instance: Any, _s: Any) -> Iterator[ValidationError]:
        if isinstance(instance, str):
            problem = url_problem(instance)
            if problem:
                yield _issue(*problem)

    def x_doi(_v: Any, _enabled: Any, instance: Any, _s: Any) -> Iterator[ValidationError]:
        # whitespace is reported by the schema's pattern, a DOI written as a link by the
        # pattern's hint: one message per mistake is enough
        if (isinstance(instance, str) and not re.search(r"\s", instance)
                and doi_from_link(instance) is None):
            problem = doi_problem(instance)
            if problem:
                yield _issue(*problem)

    def x_markdown(_v: Any, _mode: Any, instance: Any, _s: Any) -> Iterator[ValidationError]:
        if isinstance(instance, str):
            yield from _markdown_issues(instance)

    def x_successor(_v: Any, _enabled: Any, instance: Any, _s: Any) -> Iterator[ValidationError]:
        # An address when it has a scheme, otherwise the id of the entry that replaces this one.
        if not isinstance(instance, str):
            return
        if "://" in instance or scheme_of(instance):
            yield from x_url(_v, True, instance, _s)
        else:
            yield from x_entry_ref(_v, True, instance, _s)

    def x_i18n(_v: Any, _enabled: Any, instance: Any, _s: Any) -> Iterator[ValidationError]:
        if isinstance(instance, dict) and instance:
            other = next(iter(instance))
            for lang in LANGUAGES:
                if lang not in instance:
                    missing, shown = LANGUAGE_NAMES[lang], LANGUAGE_NAMES.get(other, other)
                    yield _issue(
                        f"has no {missing} text ('{lang}'); {missing} readers will see the "
                        f"{shown} text with a notice",
                        f"add a line '{lang}: ...' next to '{other}:'",
                    )

    # a day of margin: it is already tomorrow somewhere when it is today in UTC
    latest = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)).date().isoformat()

    def x_past(_v: Any, _enabled: Any, instance: Any, _s: Any) -> Iterator[ValidationError]:
        if isinstance(instance, str) and instance > latest and iso_date(instance):
            yield _issue(f"is in the future ({instance})",
                         "write the date it happened, YYYY-MM-DD: today at the latest")

    def x_page_range(_v: Any, _enabled: Any, instance: Any, _s: Any) -> Iterator[ValidationError]:
        written = instance if isinstance(instance, str) else ""
        instead = backward_page_range(written)
        if instead is not None:
            yield _issue(
                f"ends before it starts ('{written}')",
                f"write the last page in full: {instead}" if instead
                else "write the first page, then the last, e.g. 100-106",
            )

    return {
        "x-vocabulary": x_vocabulary,
        "x-entry-ref": x_entry_ref,
        "x-url": x_url,
        "x-doi": x_doi,
        "x-markdown": x_markdown,
        "x-i18n": x_i18n,
        "x-successor": x_successor,
        "x-past": x_past,
        "x-page-range": x_page_range,
    }


@cache
def ecma_regex(pattern: str) -> re.Pattern[str]:
    """A JSON Schema ``pattern`` compiled with its own meaning of ``$``: the end of the text.

    Schemas use ECMA-262 regular expressions (editors check catalogue files with them), where
    ``$`` ends the text; in Python it also matches before a final line break, so that
    ``^[a-z0-9-]+$`` took an id or a vocabulary key ending with one ("tools\n")."""
    out: list[str] = []
    in_class, i = False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":  # an escape: the next character is not a special one
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            first = i + 1 + pattern.startswith("^", i + 1)
            if pattern.startswith("]", first):  # a ']' first in a class is itself
                out.append(pattern[i : first + 1])
                i = first + 1
                continue
        elif char == "$":
            char = r"\Z"
        out.append(char)
        i += 1
    return re.compile("".join(out))


def pattern(_v: Any, expected: str, instance: Any, _s: Any) -> Iterator[ValidationError]:
    """JSON Schema's ``pattern``, read as the schemas mean it (see :func:`ecma_regex`)."""
    if isinstance(instance, str) and not ecma_regex(expected).search(instance):
        yield ValidationError(f"{instance!r} does not match {expected!r}")


def unique_items(_v: Any, unique: Any, instance: Any, _s: Any) -> Iterator[ValidationError]:
    """JSON Schema's uniqueItems in linear time. jsonschema compares every pair of items that
    cannot be sorted (mappings, or text mixed with numbers): 10,000 of them took 88 s."""
    if not unique or not isinstance(instance, list):
        return
    seen: set[Any] = set()
    for item in instance:
        key = _equality_key(item)
        if key in seen:
            yield _issue("has non-unique elements")  # worded by the formatter
            return
        seen.add(key)


def _equality_key(value: Any) -> Any:
    """A hashable key equal for values JSON Schema calls equal (1 and 1.0 are, true and 1 are
    not; mappings ignore the order of their keys)."""
    if isinstance(value, bool) or value is None:
        return ("literal", value)
    if isinstance(value, int | float):
        return ("number", value)
    if isinstance(value, str):
        return ("text", str(value))
    if isinstance(value, list):
        return ("list", tuple(_equality_key(item) for item in value))
    if isinstance(value, dict):
        return ("map", frozenset((str(k), _equality_key(v)) for k, v in value.items()))
    return ("other", repr(value))


#: JSON Schema (2020-12) as the catalogue's schemas mean it: patterns as in ECMA-262, and
#: uniqueItems in linear time. Every catalogue file is judged by it, ``linkcheck.yml`` too.
CatalogueValidator: Any = validators.extend(  # type: ignore[no-untyped-call]  # untyped in stubs
    Draft202012Validator, {"pattern": pattern, "uniqueItems": unique_items}
)


# Past this many problems in one text, the rest are counted, not listed: finding each one's
# place in the file reads the text again, and nobody fixes 20,000 tags one message at a time.
MAX_TEXT_PROBLEMS = 20


def _markdown_issues(text: str) -> Iterator[ValidationError]:
    """Raw HTML, and links that are incomplete, unsafe or not a valid address."""
    problems = _markdown_problems(text)
    for message, hint, line_offset, col in islice(problems, MAX_TEXT_PROBLEMS):
        where = text.origin_in_text(line_offset, col) if isinstance(text, LocatedStr) else None
        yield _issue(message, hint, where)
    more = sum(1 for _ in problems)
    if more:
        yield _issue(f"{more} more problem(s) with HTML or links in this text are not listed",
                     "fix the ones above and run the command again")


def _markdown_problems(text: str) -> Iterator[tuple[str, str, int, int]]:
    """(message, hint, line offset, column) of each problem, in the order of the checks."""
    for line_offset, col in find_images(text):
        yield ("images are not allowed in catalogue text (they would load from another site)",
               "link to the image instead: [description](https://...), without the '!'",
               line_offset, col)
    for tag, line_offset, col in find_raw_html(text):
        what = "an HTML comment" if tag.startswith("<!--") else f"the HTML tag {tag}"
        yield (f"{what} is not allowed in the text",
               "use Markdown instead: **bold**, *italic*, [text](https://...), lists",
               line_offset, col)
    for target, line_offset, col in iter_links(text):
        scheme = scheme_of(target)
        if scheme is None and not target.startswith("#"):
            yield (f"the link '{target}' is incomplete: it must start with https://",
                   f"write the full address, e.g. https://{target.lstrip('/')}", line_offset, col)
        elif scheme is not None and scheme not in SAFE_SCHEMES:
            yield (f"links starting with '{scheme}:' are not allowed",
                   "links must start with https:// or http://, or mailto: for an e-mail address",
                   line_offset, col)
        elif scheme in ("http", "https") and (problem := url_problem(target)):
            yield (*problem, line_offset, col)


# --- the judge of a file or a value ----------------------------------------------------------


class SchemaChecker:
    """The JSON Schemas with our keywords, bound to one catalogue's vocabularies and ids."""

    def __init__(self, catalogue: Catalogue, shown_root: str,
                 unreadable: Iterable[LoadedFile] = ()) -> None:
        ids: dict[str, str] = {}
        for entry in catalogue.all_entries():
            ids.setdefault(entry.id, entry.type.name)
        unreadable = list(unreadable)
        for file in unreadable:  # its own error is enough: references to it are not wrong
            if file.entry_type is not None and file.path.suffix in (".yml", ".yaml"):
                ids.setdefault(file.path.stem, file.entry_type.name)
        #: vocabularies whose file is there but could not be read (the same reasoning)
        self.broken_vocabularies = frozenset(
            f.path.stem for f in unreadable if f.path.parent.name == VOCAB_FOLDER)
        ctx = _Context(
            vocab_keys=vocabulary_keys(catalogue),
            vocab_display={name: v.display for name, v in catalogue.vocabularies.items()},
            vocab_labels={name: {fold(str(label)).strip(): key for key, term in v.terms.items()
                                 for label in term.label.values()}
                          for name, v in catalogue.vocabularies.items()},
            ids=ids,
            vocab_folder=f"{shown_root}/{VOCAB_FOLDER}",
            broken_vocabularies=self.broken_vocabularies,
        )
        self._class = validators.extend(  # type: ignore[no-untyped-call]  # untyped in stubs
            CatalogueValidator, _keywords(ctx)
        )
        self._validators: dict[str, Any] = {}
        self._format_checker = FormatChecker()

    def _validator(self, schema_name: str) -> Any:
        if schema_name not in self._validators:
            self._validators[schema_name] = self._class(
                inlined_schema(schema_name), format_checker=self._format_checker
            )
        return self._validators[schema_name]

    def check(self, schema_name: str, data: Any, display: str, *,
              whole: bool = True) -> list[Diagnostic]:
        """Every problem of ``data`` against the schema ``schema_name``. With ``whole=False``
        the rules about the mapping itself (required fields, conditions between fields) are
        left out: ``data`` then holds only some fields (``new`` checks values one by one)."""
        root = inlined_schema(schema_name)
        if not isinstance(data, dict):
            return [_not_a_mapping(data, display)]
        found: list[Diagnostic] = []
        try:
            errors = list(self._validator(schema_name).iter_errors(data))
            for err in _best_errors(errors):
                if whole or err.absolute_path:
                    found.extend(schema_diagnostics(err, data, display, root))
        except RecursionError:  # load caps the depth; this only guards the stage boundary
            found.append(error(Origin(display), "the values are nested too deeply to check",
                               "a catalogue entry needs a few levels only"))
        return found


def vocabulary_keys(catalogue: Catalogue) -> dict[str, list[str]]:
    """The keys of every vocabulary, in the file's order, by vocabulary name."""
    return {name: list(v.terms) for name, v in catalogue.vocabularies.items()}


def _not_a_mapping(data: Any, display: str) -> Diagnostic:
    return error(
        getattr(data, "origin", Origin(display)),
        f"the file must hold 'field: value' lines, not {_type_of(data)}",
        "remove the '- ' in front of the fields" if isinstance(data, list)
        else "start from an existing entry of the same folder",
    )


# --- schema errors → diagnostics: one formatter per JSON Schema keyword ----------------------


def _missing_vocabularies(catalogue: Catalogue, shown: str,
                          broken: frozenset[str]) -> Iterator[Diagnostic]:
    """Every vocabulary the schemas name must exist: pages, filters and exports rely on them
    even when no entry uses them yet (one whose file is ``broken`` has its own error). Values
    implied by an entry type must be keys of it."""
    for entry_type in ENTRY_TYPES:
        wanted = {spec.vocabulary for spec in field_specs(entry_type.schema) if spec.vocabulary}
        for name in sorted(wanted - set(catalogue.vocabularies) - broken):
            yield error(
                Origin(f"{shown}/{VOCAB_FOLDER}"),
                f"the vocabulary '{name}' is missing (the {entry_type.name} entries' format "
                "uses it)",
                f"create {shown}/{VOCAB_FOLDER}/{name}.yml, e.g. by copying it from the "
                "project's catalogue",
            )
        for name, key in implied_values(entry_type.schema).items():
            vocabulary = catalogue.vocabularies.get(name)
            if vocabulary is not None and key not in vocabulary.terms:
                yield error(
                    Origin(vocabulary.display),
                    f"'{key}' is missing from this vocabulary: every {entry_type.name} entry "
                    "is of that kind",
                    f"add a value '{key}' with its French and English labels",
                )


@dataclass
class SchemaError:
    """One jsonschema error with what every formatter needs, narrowed to plain values."""

    err: ValidationError
    data: Any  # the whole file's data, to find origins
    display: str
    root: dict[str, Any]  # the file's schema
    schema: dict[str, Any]  # the sub-schema that failed
    instance: Any
    expected: Any  # the keyword's value in the schema
    path: list[Any]
    origin: Origin
    field: str  # `links.url` for links[2].url
    keyword: str
    severity: Severity
    hint: str

    @classmethod
    def of(cls, err: ValidationError, data: Any, display: str,
           root: dict[str, Any]) -> SchemaError:
        # jsonschema types these as unions with "unset"; after validation they are plain.
        path = list(err.absolute_path)
        keyword = str(err.validator)
        return cls(
            err=err, data=data, display=display, root=root,
            schema=err.schema if isinstance(err.schema, dict) else {},
            instance=err.instance, expected=err.validator_value, path=path,
            origin=getattr(err, "origin", None) or origin_at(data, path) or Origin(display),
            field=_field_name(path), keyword=keyword,
            severity=Severity.WARNING if keyword in WARNING_KEYWORDS else Severity.ERROR,
            hint=getattr(err, "hint", ""),
        )

    def report(self, message: str, hint: str | None = None,
               origin: Origin | None = None) -> Iterator[Diagnostic]:
        yield Diagnostic(origin or self.origin, self.severity, message,
                         self.hint if hint is None else hint)


Formatter = Callable[[SchemaError], Iterator[Diagnostic]]


def _field_name(path: Iterable[Any]) -> str:
    """``links.url`` for ``links[2].url``: list positions mean little to a contributor, and
    the line number already points at the item."""
    return ".".join(str(step) for step in path if not isinstance(step, int)) or "the file"


def _describe(schema: dict[str, Any], key: str) -> str:
    prop = schema.get("properties", {}).get(key, {})
    return prop.get("description", "") if isinstance(prop, dict) else ""


def _add_hint(key: str, description: str) -> str:
    return f"add '{key}:'" + (f": {description}" if description else "")


@dataclass(frozen=True)
class _Rule:
    """The ``if``/``then`` rule an error was raised by: the fields its ``if`` tests and what
    the rule is for (its description)."""

    tested: tuple[str, ...]
    description: str
    present: tuple[str, ...] = ()  # fields whose mere presence the ``if`` tests (required)

    def when(self, instance: Any) -> str:
        """" when status is 'discontinued'": the tested fields with the values they have;
        " when 'edition' is written" for a field the rule only needs to be there."""
        values = instance if isinstance(instance, dict) else {}
        tests = [f"{key} is '{values[key]}'" for key in self.tested if key in values]
        tests += [f"'{key}' is written" for key in self.present
                  if key in values and key not in self.tested]
        return f" when {' and '.join(tests)}" if tests else ""


def _rule(err: ValidationError, root: dict[str, Any]) -> _Rule | None:
    """For an error raised inside a ``then``, the rule it belongs to."""
    schema_path = list(err.absolute_schema_path)
    if "then" not in schema_path:
        return None
    parent: Any = root
    for step in schema_path[: len(schema_path) - 1 - schema_path[::-1].index("then")]:
        if isinstance(parent, dict):
            parent = parent.get(step, {})
        elif isinstance(parent, list) and isinstance(step, int) and step < len(parent):
            parent = parent[step]
        else:
            return None
    if not isinstance(parent, dict):
        return None
    tests = parent.get("if", {}).get("properties", {})
    present = parent.get("if", {}).get("required", [])
    return _Rule(tuple(tests), str(parent.get("description", "")), tuple(present))


def _missing_fields(found: SchemaError) -> Iterator[Diagnostic]:
    rule = _rule(found.err, found.root)
    allowed = list(found.schema.get("properties", {}))
    # a misspelt key already gets "unknown field 'sumary' (hint: did you mean 'summary'?)"
    suggested = {closest(k, allowed) for k in found.instance if allowed and k not in allowed}
    where = f" in {found.field}" if found.path else ""
    for key in found.expected:
        if key in found.instance or key in suggested:
            continue
        description = _describe(found.schema, key) or _describe(found.root, key)
        if rule is not None and rule.when(found.instance):
            # said at the field that makes it required, with the rule's own reason
            at = origin_at(found.data, [*found.path, rule.tested[0]])
            yield from found.report(
                f"missing field '{key}'{where}, required{rule.when(found.instance)}",
                _add_hint(key, rule.description or description), at,
            )
        else:
            yield from found.report(f"missing required field '{key}'{where}",
                                    _add_hint(key, description))


def _unknown_fields(found: SchemaError) -> Iterator[Diagnostic]:
    if not isinstance(found.instance, dict):
        return
    allowed = list(found.schema.get("properties", {}))
    for key in found.instance:
        if key in allowed:
            continue
        name = f"{found.field}.{key}" if found.path else key
        # the closest name is the likely fix; the whole list only when nothing is close
        hint = did_you_mean(key, allowed).strip() or f"allowed here: {', '.join(allowed)}"
        at = origin_at(found.data, [*found.path, key], key=True)
        yield from found.report(f"unknown field '{name}'", hint, at)


def _wrong_type(found: SchemaError) -> Iterator[Diagnostic]:
    expected = found.expected if isinstance(found.expected, list) else [found.expected]
    wanted = " or ".join(TYPE_NAMES.get(str(t), str(t)) for t in expected)
    field, instance = found.field, found.instance
    hint = found.hint
    if "object" in expected and set(found.schema.get("properties", {})) >= {"fr", "en"}:
        hint = f"write it as {{fr: ..., en: ...}}, e.g. {field}: {{fr: Texte, en: Text}}"
    elif "array" in expected:
        hint = "write it as a list: [a, b]"
        if isinstance(instance, str):
            hint = f"write it as a list, e.g. {field}: [{instance}]"
    elif "object" in expected and found.schema.get("required"):
        # an item of a list of mappings (links): show the shape with the fields it needs
        sample = ", ".join(f"{key}: ..." for key in found.schema["required"])
        hint = f"write each item as {{{sample}}}"
    elif {"integer", "number"} & set(expected) and isinstance(instance, str):
        digits = instance.strip()
        kept = re.match(r"[0-9]{2,}", digits)  # '2020a': 2020; '2020-21' or '1e3': no guess
        hint = (f"remove the quotes: {field}: {digits}"
                if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", digits)
                else "write digits only" + (
                    f", e.g. {field}: {kept.group()}"
                    if kept and re.fullmatch(r"[a-zA-Z]*", digits[kept.end():]) else ""))
    if instance is None:  # `url:` with nothing after it
        hint = f"write the value after '{field.rsplit('.', 1)[-1]}:' or delete the line"
    item = "an item of " if found.path and isinstance(found.path[-1], int) else ""
    yield from found.report(f"{item}'{field}' must be {wanted}, not {_type_of(instance)}", hint)


def _not_a_choice(found: SchemaError) -> Iterator[Diagnostic]:
    choices = [str(c) for c in found.expected]
    yield from found.report(
        f"'{found.field}' cannot be '{found.instance}'",
        f"{did_you_mean(str(found.instance), choices)}choose one of: {', '.join(choices)}",
    )


def _not_the_value(found: SchemaError) -> Iterator[Diagnostic]:
    """``const``: in a rule's ``then``, the value the rule asks for, and why."""
    rule = _rule(found.err, found.root)
    parent: Any = found.data  # the object holding the field: the rule tests its siblings
    for step in found.path[:-1]:
        parent = parent[step]
    when = rule.when(parent) if rule is not None else ""
    value = f"'{found.expected}'" if isinstance(found.expected, str) else f"{found.expected}"
    yield from found.report(f"'{found.field}' must be {value}{when}",
                            rule.description if rule is not None else found.hint)


def _pattern_mismatch(found: SchemaError) -> Iterator[Diagnostic]:
    if "propertyNames" in found.err.absolute_schema_path:
        at = origin_at(found.data, [*found.path, found.instance], key=True)
        # the keys' own schema says what a key is (a vocabulary key, an HTTP status...)
        yield from found.report(
            f"'{found.field}' has an invalid key '{found.instance}'",
            found.schema.get("description")
            or "write keys in lower case, with hyphens between words, e.g. deep-learning", at,
        )
        return
    hint = found.schema.get("description") or f"it must match {found.expected}"
    written = found.instance if isinstance(found.instance, str) else ""
    bare = doi_from_link(written) if found.schema.get("x-doi") else None
    if bare and ecma_regex(str(found.expected)).search(bare):
        hint = f"write it without the address part: {found.field}: {bare}"  # a DOI as a link
    yield from found.report(f"'{found.field}' has an invalid value '{found.instance}'",
                            hint)



def _bad_format(found: SchemaError) -> Iterator[Diagnostic]:
    hint = found.hint
    if found.expected == "date":
        hint = "write dates as YYYY-MM-DD, e.g. 2026-11-23, with a day that exists"
    yield from found.report(
        f"'{found.field}' is not a valid {found.expected}: '{found.instance}'", hint
    )


def _empty(found: SchemaError) -> Iterator[Diagnostic]:
    """minLength: 1 is "not empty"; a longer minimum is said with its figure."""
    if isinstance(found.expected, int) and found.expected > 1 and found.instance:
        length = len(found.instance)
        message = (f"'{found.field}' is too short ({length} character{'s' * (length != 1)}, "
                   f"at least {found.expected})")
    else:
        message = f"'{found.field}' must not be empty"
    yield from found.report(message, found.schema.get("description", ""))


def _too_long(found: SchemaError) -> Iterator[Diagnostic]:
    hint = "keep it short; put details in 'description'" if found.field.startswith(
        "summary") else found.hint
    yield from found.report(
        f"'{found.field}' is too long ({len(found.instance)} characters, "
        f"at most {found.expected})", hint,
    )


def _repeated(found: SchemaError) -> Iterator[Diagnostic]:
    yield from found.report(f"'{found.field}' lists the same value twice",
                            "remove the repeated value")


def _out_of_range(found: SchemaError) -> Iterator[Diagnostic]:
    yield from found.report(f"'{found.field}' is out of range: {found.instance}",
                            found.schema.get("description", ""))


def _excluded(found: SchemaError) -> Iterator[Diagnostic]:
    """``not``: the schema's description says what the field takes instead. A ``not``
    of ``required`` in a rule's ``then`` forbids fields: said at the first one written."""
    forbidden = found.expected.get("required") if isinstance(found.expected, dict) else None
    rule = _rule(found.err, found.root)
    if forbidden and isinstance(found.instance, dict) and rule is not None:
        written = [key for key in forbidden if key in found.instance]
        at = origin_at(found.data, [*found.path, written[0]], key=True) if written else None
        names = ", ".join(f"'{key}'" for key in written)
        yield from found.report(f"{names} cannot be written{rule.when(found.instance)}",
                                rule.description, at)
        return
    yield from found.report(f"'{found.field}' cannot be '{found.instance}'",
                            found.schema.get("description", ""))


def _about_the_field(found: SchemaError) -> Iterator[Diagnostic]:
    """Our keywords that describe the field's value: "'tasks' has an unknown value..."."""
    yield from found.report(f"'{found.field}' {found.err.message}")


def _our_own_words(found: SchemaError) -> Iterator[Diagnostic]:
    """Our other keywords word the whole sentence themselves."""
    yield from found.report(found.err.message)


def _jsonschema_words(found: SchemaError) -> Iterator[Diagnostic]:
    yield from found.report(f"'{found.field}': {found.err.message}")


FORMATTERS: dict[str, Formatter] = {
    "required": _missing_fields,
    "additionalProperties": _unknown_fields,
    "type": _wrong_type,
    "enum": _not_a_choice,
    "const": _not_the_value,
    "pattern": _pattern_mismatch,
    "format": _bad_format,
    "minLength": _empty,
    "minItems": _empty,
    "minProperties": _empty,
    "maxLength": _too_long,
    "uniqueItems": _repeated,
    "minimum": _out_of_range,
    "maximum": _out_of_range,
    "exclusiveMinimum": _out_of_range,
    "exclusiveMaximum": _out_of_range,
    "not": _excluded,
    "x-vocabulary": _about_the_field,
    "x-i18n": _about_the_field,
    "x-past": _about_the_field,
    "x-page-range": _about_the_field,
}


def schema_diagnostics(
    err: ValidationError, data: Any, display: str, root: dict[str, Any]
) -> Iterator[Diagnostic]:
    """A jsonschema error in the contributor's words, at the place it is about."""
    found = SchemaError.of(err, data, display, root)
    fallback = _our_own_words if found.keyword.startswith("x-") else _jsonschema_words
    yield from FORMATTERS.get(found.keyword, fallback)(found)


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text '{value}'"
    if value is None:
        return "empty"
    return f"the number {value}" if isinstance(value, int | float) else type(value).__name__


def _best_errors(errors: list[ValidationError]) -> Iterator[ValidationError]:
    """Drop errors that only restate a more precise one (if/then wrappers, $ref chains)."""
    # dates have both a pattern (for editors) and a format: one message is enough
    bad_format = {tuple(err.absolute_path) for err in errors if err.validator == "format"}
    for err in errors:
        if err.validator in ("if", "then"):  # the inner 'required' error is reported itself
            continue
        if err.validator == "pattern" and tuple(err.absolute_path) in bad_format:
            continue
        yield err


# --- the stage: a straight sequence of named steps -------------------------------------------


def validate_catalogue(root: Path | str, *,
                       pending: Mapping[Path, str] | None = None) -> ValidationResult:
    """Load and check the catalogue at ``root``; every problem in its files is a diagnostic.

    ``pending`` maps paths to the text of files not written yet (``new`` checks its entry
    before writing it); they are judged as if they were on disk. Raises :class:`UsageError`
    when ``root`` is not a catalogue folder.
    """
    with gc_paused():  # the values are long-lived and make no cycles: see gc_paused
        return _validate(Path(root), pending or {})


def _validate(root: Path, pending: Mapping[Path, str]) -> ValidationResult:
    shown = display_path(root)
    if root.is_symlink():
        return ValidationResult(Catalogue(root=root), [symlink_error(shown)])
    _require_catalogue_folder(root, shown)
    catalogue, loaded = read_catalogue(root)
    for path, text in pending.items():
        _add_pending_file(catalogue, loaded, path, text)
    checker = SchemaChecker(catalogue, shown, [f for f in loaded if f.data is None])
    diagnostics = [d for file in loaded for d in file.diagnostics]
    diagnostics += _schema_problems(loaded, checker)
    diagnostics += _id_problems(catalogue)
    diagnostics += _resources_without_url(catalogue)
    diagnostics += _placeholders_left(loaded)
    diagnostics += _misplaced_entries(loaded)
    diagnostics += _duplicate_links(catalogue)
    diagnostics += _glossary_name_problems(catalogue)
    diagnostics += _missing_vocabularies(catalogue, shown, checker.broken_vocabularies)
    diagnostics += _unknown_icons(catalogue)
    diagnostics += _unread_files(root)
    host_rules, problems = _catalogue_host_rules(root)
    diagnostics += problems
    diagnostics += _private_addresses(catalogue, host_rules)
    return ValidationResult(catalogue, sorted(set(diagnostics), key=sort_key), host_rules)


def validate_or_stop(root: Path | str, *, pending: Mapping[Path, str] | None = None,
                     only: Path | None = None) -> ValidationResult:
    """:func:`validate_catalogue`, raising :class:`UserError` with every diagnostic when there
    is an error (about the file ``only``, when given: see :func:`diagnostics_about`). Warnings
    come back in the result."""
    result = validate_catalogue(root, pending=pending)
    found = result.diagnostics if only is None else diagnostics_about(result.diagnostics, [only])
    if has_errors(found):
        raise UserError(found)
    return ValidationResult(result.catalogue, found, result.host_rules)


def about_files(diagnostics: list[Diagnostic], root: Path,
                files: Sequence[Path]) -> list[Diagnostic]:
    """The diagnostics about ``files``, named on the command line (a contributor checks the
    files of a pull request; see :func:`diagnostics_about`). The whole catalogue was validated,
    as ids and addresses are compared across files. Raises :class:`UsageError` for a path that
    is not a file of the catalogue."""
    problems = []
    for file in files:
        if file.is_dir():
            problems.append(error(Origin(display_path(file)), "this is a folder, not a file",
                                  "name the files to check, e.g. catalogue/resources/*.yml"))
        elif not file.is_file():
            problems.append(error(Origin(display_path(file)), "this file does not exist",
                                  "name catalogue files, e.g. catalogue/resources/cellpose.yml"))
        elif not file.resolve().is_relative_to(root.resolve()):
            problems.append(error(
                Origin(display_path(file)),
                f"this file is not in the catalogue folder {display_path(root)}",
                "name a file of the catalogue, or give its folder with --catalogue DIR"))
    if problems:
        raise UsageError(problems)
    return diagnostics_about(diagnostics, files)


def diagnostics_about(diagnostics: list[Diagnostic], files: Sequence[Path]) -> list[Diagnostic]:
    """Those located in ``files``, in a folder holding them (a folder nothing reads), or
    naming them (the other end of a repeated id or address)."""
    named = [file.resolve() for file in files]
    shown = {display_path(file) for file in files}

    def concerns(diagnostic: Diagnostic) -> bool:
        where = Path(diagnostic.origin.path).resolve()  # display paths are from here
        return (any(where == file or where in file.parents for file in named)
                or any(name in diagnostic.message for name in shown))

    return [d for d in diagnostics if concerns(d)]


def _require_catalogue_folder(root: Path, shown: str) -> None:
    expected = CATALOGUE_FOLDERS
    if not root.is_dir():
        what = "is a file, not a folder" if root.exists() else "does not exist"
        hint = "run the command from the project folder or pass --catalogue DIR"
        here = Path.cwd()

        def looks_like_a_catalogue(folder: Path) -> bool:  # two of its folders at least
            return sum((folder / name).is_dir() for name in expected) >= 2

        if looks_like_a_catalogue(here):  # run from inside the catalogue
            hint = (f"this folder ({here.name}/) looks like the catalogue itself: run the "
                    "command from the folder above it, or pass --catalogue .")
        elif any(looks_like_a_catalogue(folder) for folder in here.parents):
            hint = ("you are inside the catalogue: run the command from the project folder "
                    "(the one holding catalogue/ and mkdocs.yml)")
        raise UsageError([error(Origin(shown), f"the catalogue folder {what}", hint)])
    if not any((root / name).is_dir() for name in expected):
        # an empty result would pass silently: most likely the wrong folder was given
        raise UsageError([error(
            Origin(shown), "this folder is not a catalogue: it has none of the folders "
            + ", ".join(f"{name}/" for name in expected),
            "pass the catalogue folder itself, e.g. --catalogue catalogue",
        )])


def _add_pending_file(catalogue: Catalogue, loaded: list[LoadedFile], path: Path,
                      text: str) -> None:
    entry_type = next(t for t in ENTRY_TYPES if t.folder == path.parent.name)
    display = display_path(path)
    data, diagnostics = parse_yaml(text, display)
    file = LoadedFile(path, display, data, diagnostics, entry_type)
    loaded[:] = [f for f in loaded if f.display != display] + [file]
    entries = [e for e in catalogue.entries.get(entry_type.folder, []) if e.display != display]
    if isinstance(data, LocatedDict):
        entries.append(Entry(entry_type, path, display, data))
    catalogue.entries[entry_type.folder] = entries


def _schema_problems(loaded: list[LoadedFile], checker: SchemaChecker) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for file in loaded:
        if file.data is not None:
            schema = file.entry_type.schema if file.entry_type else VOCAB_SCHEMA
            found += checker.check(schema, file.data, file.display)
    return found


def _misplaced_entries(loaded: list[LoadedFile]) -> list[Diagnostic]:
    """An entry saved in the folder of another type (a resource in glossary/) gets one
    error saying so, besides the fields its folder's schema does not know."""
    fields = {t.name: {spec.name for spec in field_specs(t.schema)} for t in ENTRY_TYPES}
    found = []
    for file in loaded:
        if file.entry_type is None or not isinstance(file.data, dict):
            continue
        keys = set(file.data)
        if keys <= fields[file.entry_type.name]:
            continue
        fits = [t for t in ENTRY_TYPES if t is not file.entry_type and keys <= fields[t.name]]
        if fits:
            found.append(error(
                Origin(file.display), f"this file reads like a {fits[0].name} entry, but it is "
                f"in {file.entry_type.folder}/", f"move it to {fits[0].folder}/"))
    return found


# The placeholders `new` writes, as they read once uncommented (spaces folded)
_LEFT_AS_WRITTEN = frozenset({PLACEHOLDER, "…", f"{PLACEHOLDER} {TRANSLATION_TO_WRITE}"})


def _placeholders_left(loaded: list[LoadedFile]) -> list[Diagnostic]:
    """A value still reading '...': a field of the file `new` wrote, uncommented but not
    filled in, would be published as '...'."""
    return [
        error(value.origin_in_text(0, 1),  # the text's place, not its '>-' or quote
              f"'{value.strip()}' is a placeholder: the value is still to be written",
              "write the real value, or comment the line out again with '# '")
        for file in loaded if file.entry_type is not None and file.data is not None
        for value in strings_in(file.data)
        if value[:1] in ".…" and isinstance(value, LocatedStr)
        and " ".join(value.split()) in _LEFT_AS_WRITTEN
    ]


def _id_problems(catalogue: Catalogue) -> list[Diagnostic]:
    """Each id equals its file name and is unique across the catalogue."""
    found: list[Diagnostic] = []
    with_id: dict[str, list[Entry]] = {}
    for entry in catalogue.all_entries():
        written = entry.data.get("id")
        if isinstance(written, str) and written != entry.id:
            found.append(error(
                entry.origin("id"),
                f"id '{written}' does not match the file name '{entry.path.name}'",
                _id_mismatch_hint(written, entry.id),
            ))
        with_id.setdefault(entry.id, []).append(entry)
    # Said at every file that holds the id: which one is new, only the contributor knows (a
    # pull request's annotations show only the files it changed, so the new file must be one).
    for entries in with_id.values():
        if len(entries) < 2:
            continue
        for entry in entries:
            others = ", ".join(other.display for other in entries if other is not entry)
            found.append(error(
                entry.origin("id"), f"the id '{entry.id}' is also used by {others}",
                "ids are unique across the whole catalogue, and a published id never changes "
                "(pages and links use it): rename the entry you are adding, its file and its "
                "id together",
            ))
    return found


def _id_mismatch_hint(written: str, file_stem: str) -> str:
    """Offer only ids the schema accepts: 'Mistake.yml' suggested 'id: Mistake'."""
    pattern = ecma_regex(str(load_schemas()["common.schema.json"]["$defs"]["id"]["pattern"]))
    offers = []
    if pattern.search(file_stem):
        offers.append(f"write 'id: {file_stem}'")
    if pattern.search(written):
        offers.append(f"rename the file to {written}.yml")
    if offers:
        return " or ".join(offers)
    proposal = slugify(file_stem) or slugify(written) or "my-entry"
    return (f"ids are lower-case words joined by hyphens: rename the file to {proposal}.yml "
            f"and write 'id: {proposal}'")


def _private_addresses(catalogue: Catalogue, host_rules: HostRules | None) -> list[Diagnostic]:
    """A warning at each link to a place only the writer's network reaches (a private or
    loopback address, localhost, a name without a dot): readers get nothing there, and the
    link check fails on it. A warning, not an error: an intranet catalogue allows its hosts in
    linkcheck.yml (``allow_private``, never for cloud metadata), and then nothing is said."""
    found = []
    for url, origin, _entry in catalogue.urls():
        allowed = host_rules is not None and host_rules.allows_private(url)
        kind = private_host_kind(host_of(url), allowed)
        if kind is not None:
            found.append(warning(
                origin, f"the URL '{mask_credentials(url)}' points to {kind}, which readers "
                "cannot reach (the link check fails on it)",
                "write the resource's public address, the one that works from any network",
            ))
    return found


def _resources_without_url(catalogue: Catalogue) -> list[Diagnostic]:
    return [
        warning(
            entry.origin(key=False), "this resource has no URL",
            "add 'url:' if a reliable address exists, and explain the gap in 'curation:'",
        )
        for entry in catalogue.of_type("resource")
        if "url" not in entry.data
    ]


def _duplicate_links(catalogue: Catalogue) -> list[Diagnostic]:
    """Two entries with the same URL or DOI (compared by :mod:`dl4mic_hub.urls`)."""
    return [
        error(
            origin,
            f"the same {link.kind} is already in entry '{first.id}' ({first_origin}): "
            f"{link.written}",
            "describe each resource once: merge the two entries; one entry can be "
            "listed in several sections with 'sections: [a, b]'",
        )
        for entry, link, origin, (first, first_origin) in identity_owners(catalogue)
        if first is not entry
    ]


def _glossary_name_problems(catalogue: Catalogue) -> list[Diagnostic]:
    """Names that entry texts would link to the wrong glossary term, or phrases that change
    nothing or too much (see render.PageContext.term_link): a name two terms share links to
    the first by id; a ``not_linked`` phrase that holds none of its term's names keeps nothing
    from being linked; one that is another term's name keeps that term from ever being."""
    found: list[Diagnostic] = []
    terms = sorted(catalogue.of_type("glossary"), key=lambda term: term.id)
    for lang in LANGUAGES:
        owners: dict[str, tuple[Entry, tuple[Any, ...]]] = {}
        names = {term.id: markup.term_names(term, lang) for term in terms}
        for term in terms:
            for name, path in names[term.id]:
                owner, where = owners.setdefault(markup.name_key(name), (term, path))
                if owner is not term:
                    found.append(warning(
                        term.origin(*path),
                        f"'{name}' also names the glossary term '{owner.id}' "
                        f"({owner.origin(*where)}): entry texts link it to '{owner.id}'",
                        "give each name to one term; a word related to another term goes "
                        "in 'keywords' (search only)"))
        for term in terms:
            own = markup.TermFinder((name, term.id) for name, _ in names[term.id])
            for place, phrase in enumerate(term.text_lists("not_linked").get(lang, [])):
                text = markup.plain(phrase)
                other, _where = owners.get(markup.name_key(text), (term, None))
                if other is not term:
                    found.append(warning(
                        term.origin("not_linked", lang, place),
                        f"'{text}' is a name of the glossary term '{other.id}': as a phrase "
                        f"'{term.id}' never links, it keeps '{other.id}' from ever being linked",
                        f"remove it, or write the longer phrase texts use around a name of "
                        f"'{term.id}'"))
                elif own.pattern is None or not own.pattern.search(text):
                    found.append(warning(
                        term.origin("not_linked", lang, place),
                        f"'{text}' holds none of the term's {lang} names, so it keeps "
                        "nothing from being linked",
                        "write the phrase as texts do, with the term's title, abbreviation, "
                        "a synonym or a form in it as a whole word"))
    return found


def identity_owners(
    catalogue: Catalogue,
) -> Iterator[tuple[Entry, IdentityLink, Origin, tuple[Entry, Origin]]]:
    """Every URL and DOI that identifies an entry (:func:`dl4mic_hub.urls.identity_links`):
    (the entry, the link, where it is written, the first entry with the same key and where it
    is written there). ``validate`` reports duplicates and ``new`` conflicts from it."""
    first_with_key: dict[str, tuple[Entry, Origin]] = {}
    for entry in catalogue.all_entries():
        for link in identity_links(entry.data):
            origin = entry.origin(*link.path)
            yield entry, link, origin, first_with_key.setdefault(link.key, (entry, origin))


def _unknown_icons(catalogue: Catalogue) -> list[Diagnostic]:
    """A value's icon is drawn by the theme, from its own set: the build failed on any other,
    with a message about a template of the theme instead of this line."""
    icons = _theme_icons()
    return [
        error(getattr(term.icon, "origin", term.origin),
              f"the theme has no icon '{term.icon}'",
              "choose a Material Design icon, written material/<name> (see "
              "https://pictogrammers.com/library/mdi/), e.g. material/microscope")
        for vocabulary in catalogue.vocabularies.values()
        for term in vocabulary.terms.values()
        # a malformed name is the schema's to report
        if term.icon and ecma_regex(_icon_pattern()).search(term.icon)
        and not (icons / f"{term.icon}.svg").is_file()
    ]


def _icon_pattern() -> str:
    """What the vocabulary schema accepts as an icon name: its own pattern, not a copy."""
    terms = load_schemas()["vocabulary.schema.json"]["properties"]["values"]
    return str(terms["additionalProperties"]["properties"]["icon"]["pattern"])


@cache
def _theme_icons() -> Path:
    """The icons of the theme every generator draws with (Material's set)."""
    from importlib.resources import files

    return Path(str(files("material") / "templates" / ".icons"))


def load_host_rules(path: Path, display: str | None = None) -> tuple[HostRules, list[Diagnostic]]:
    """Read and check a host rules file (the catalogue's ``linkcheck.yml``, or the file given
    to ``check-links --rules``); the rules come back with every problem found in it."""
    display = display or path.as_posix()
    if not path.is_file():
        return HostRules(path=display), [error(
            Origin(display), "the host rules file does not exist",
            "create it (see docs/link-checking.md) or pass --no-rules",
        )]
    file = load_yaml_file(path, display)
    if file.diagnostics:
        return HostRules(path=display), file.diagnostics
    data = file.data
    schema = load_schemas()[RULES_SCHEMA]
    problems: list[Diagnostic] = []
    for err in CatalogueValidator(schema).iter_errors(data):
        if err.validator == "oneOf":  # host XOR pattern: say it plainly
            problems.append(error(
                origin_at(data, list(err.absolute_path)) or Origin(display),
                "a rule needs exactly one of 'host' or 'pattern'",
                "write 'host: example.org' for a site or 'pattern: <regex>' for some URLs",
            ))
            continue
        problems.extend(schema_diagnostics(err, data, display, schema))
    if problems:
        return HostRules(path=display), sorted(set(problems), key=lambda d: (d.origin, d.message))
    return rules_from(data, display)


def _catalogue_host_rules(root: Path) -> tuple[HostRules | None, list[Diagnostic]]:
    """The link checker's host rules (``linkcheck.yml``) are a catalogue file too: a pull
    request that breaks them hears it from ``validate``, not weeks later from ``check-links``.
    None when the catalogue has no such file (the checker then uses its defaults)."""
    path = root / RULES_FILE
    if not path.is_file():
        return None, []
    return load_host_rules(path, display_path(path))


def _unread_files(root: Path) -> list[Diagnostic]:
    """Files and folders no stage reads, where a contributor expects them read: an entry
    that is not read never reaches the site, silently, so each one is an error."""
    found: list[Diagnostic] = []
    entry_folders = [t.folder for t in ENTRY_TYPES]
    for path in sorted(root.iterdir()):
        if path.name.startswith(".") or path.is_symlink():  # a link is reported by reading
            continue
        if path.is_dir() and path.name not in CATALOGUE_FOLDERS:
            near = closest(path.name.lower(), CATALOGUE_FOLDERS)
            hint = "move its entry files into the folder of their kind, then delete it"
            if near:  # 'faqs/' next to 'faq/' cannot be renamed to it
                hint = (f"move its files into {near}/, then delete it" if (root / near).exists()
                        else f"rename it to {near}/")
            found.append(error(
                Origin(display_path(path)),
                f"this folder is not part of the catalogue: nothing in it is read (the "
                f"folders are {', '.join(f'{name}/' for name in CATALOGUE_FOLDERS)})", hint,
            ))
        elif path.is_file() and _is_yaml(path) and path.name != RULES_FILE:
            rules = path.name.split(".")[0].lower() == RULES_FILE.split(".")[0]
            found.append(error(
                Origin(display_path(path)),
                "this file is not read: " + ("the link checker's host rules are read from "
                                            f"{RULES_FILE}" if rules else
                                            "entry files go into the folder of their kind"),
                f"rename it to {RULES_FILE}" if rules else
                f"move it into {', '.join(f'{name}/' for name in entry_folders[:-1])} or "
                f"{entry_folders[-1]}/",
            ))
    for folder in entry_folders:
        folder_path = root / folder
        if not folder_path.is_dir() or folder_path.is_symlink():
            continue
        # scandir: the names first, a stat only for what is not an entry file (10,000 of them)
        with os.scandir(folder_path) as items:
            odd = [item for item in items if not item.name.startswith(".")
                   and not (item.name.endswith((".yml", ".yaml"))
                            and item.is_file(follow_symlinks=False))]
        for item in odd:
            path = Path(item.path)
            if item.is_symlink():  # a link is reported by the reading
                continue
            if item.is_file() and path.suffix not in (".yml", ".yaml"):
                found.append(error(
                    Origin(display_path(path)),
                    "this file is not read: entry files end in .yml (or .yaml)",
                    f"rename it to {path.name.split('.')[0]}.yml if it is an entry, or move it "
                    f"out of {folder}/",
                ))
            elif item.is_dir():  # 'odd.yml/' made by mistake, or entries sorted into folders
                found.append(error(
                    Origin(display_path(path)),
                    f"this folder is not read: entries are files directly in {folder}/",
                    f"move the entry files it holds up into {folder}/, then delete it",
                ))
    return found


def _is_yaml(path: Path) -> bool:
    return path.suffix.lower() in (".yml", ".yaml")
