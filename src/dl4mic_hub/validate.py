"""Stage 2, validate: check a loaded catalogue and collect every problem before failing.

The JSON Schemas in ``schemas/`` are the single definition of the format. Besides standard
JSON Schema they use four keywords of ours, so that the rules stay in the data:

- ``x-vocabulary: <name>``: the value must be a key of ``vocab/<name>.yml``;
- ``x-entry-ref: true | <type>``: the value must be the id of an existing entry;
- ``x-url``: an absolute http(s) address;
- ``x-markdown: inline | block``: Markdown without raw HTML, links with safe schemes only;
- ``x-i18n``: a ``{fr, en}`` text; a missing language is a warning (the site falls back).

Rules across files (ids equal to file names, duplicate ids, URLs and DOIs) live here in Python.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
from referencing import Registry, Resource

from . import LANGUAGES
from .diagnostics import (
    Diagnostic,
    Origin,
    Severity,
    display_path,
    error,
    has_errors,
    sort_key,
    warning,
)
from .load import LocatedDict, LocatedStr, origin_at
from .markdown import SAFE_SCHEMES, find_raw_html, iter_links, scheme_of
from .model import ENTRY_TYPES, VOCAB_FOLDER, VOCAB_SCHEMA, Catalogue, Entry, read_catalogue
from .schema import field_specs, implied_values, load_schemas

WARNING_KEYWORDS = frozenset({"x-i18n"})
# Query parameters that only track where a click came from; removed before comparing URLs.
TRACKING_PARAMS = re.compile(
    r"^(utm_.*|fbclid|gclid|mc_[a-z]+|ref|ref_src|pd_rd_.*|pf_rd_.*|psc|content-id|_hsenc|_hsmi)$"
)
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

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)


def _registry() -> Registry:
    resources = [
        (name, Resource.from_contents(schema)) for name, schema in load_schemas().items()
    ]
    return Registry().with_resources(resources)


# --- custom keywords -------------------------------------------------------------------------


@dataclass
class _Context:
    vocab_keys: dict[str, list[str]]
    vocab_display: dict[str, str]
    ids: dict[str, str]  # id → entry type name
    vocab_folder: str


def _issue(message: str, hint: str = "", origin: Origin | None = None) -> ValidationError:
    err = ValidationError(message)
    err.hint = hint  # type: ignore[attr-defined,unused-ignore]
    err.origin = origin  # type: ignore[attr-defined,unused-ignore]
    return err


def _closest(value: str, choices: list[str]) -> str | None:
    # 0.75: close enough for a typo; lower cut-offs suggest unrelated long ids
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.75)
    return close[0] if close else None


def _did_you_mean(value: str, choices: list[str]) -> str:
    close = _closest(value, choices)
    return f"did you mean '{close}'? " if close else ""


def _keywords(ctx: _Context) -> dict[str, Callable[..., Iterator[ValidationError]]]:
    def x_vocabulary(_v: Any, name: str, instance: Any, _s: Any) -> Iterator[ValidationError]:
        if not isinstance(instance, str):
            return
        keys = ctx.vocab_keys.get(name)
        if keys is None:
            yield _issue(
                f"uses the vocabulary '{name}', which does not exist",
                f"create {ctx.vocab_folder}/{name}.yml",
            )
        elif instance not in keys:
            yield _issue(
                f"has an unknown value '{instance}' (not a key of {ctx.vocab_display[name]})",
                f"{_did_you_mean(instance, keys)}known keys: " + ", ".join(keys),
            )

    def x_entry_ref(_v: Any, wanted: Any, instance: Any, _s: Any) -> Iterator[ValidationError]:
        if not isinstance(instance, str):
            return
        kind = ctx.ids.get(instance)
        if kind is None:
            candidates = [i for i, k in ctx.ids.items() if wanted is True or k == wanted]
            yield _issue(
                f"'{instance}' is not the id of any entry",
                f"{_did_you_mean(instance, candidates)}an id is the file name without .yml",
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

    def x_markdown(_v: Any, _mode: Any, instance: Any, _s: Any) -> Iterator[ValidationError]:
        if not isinstance(instance, str):
            return
        def where(line_offset: int, col: int) -> Origin | None:
            if isinstance(instance, LocatedStr):
                return instance.origin_in_text(line_offset, col)
            return None

        for tag, line_offset, col in find_raw_html(instance):
            what = "an HTML comment" if tag.startswith("<!--") else f"the HTML tag {tag}"
            yield _issue(
                f"{what} is not allowed in the text",
                "use Markdown instead: **bold**, *italic*, [text](https://...), lists",
                where(line_offset, col),
            )
        for target, line_offset, col in iter_links(instance):
            scheme = scheme_of(target)
            if scheme is None and not target.startswith("#"):
                yield _issue(
                    f"the link '{target}' is incomplete: it must start with https://",
                    f"write the full address, e.g. https://{target.lstrip('/')}",
                    where(line_offset, col),
                )
            elif scheme is not None and scheme not in SAFE_SCHEMES:
                yield _issue(
                    f"links starting with '{scheme}:' are not allowed",
                    "links must start with https:// or http://, or mailto: for an e-mail address",
                    where(line_offset, col),
                )

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

    return {
        "x-vocabulary": x_vocabulary,
        "x-entry-ref": x_entry_ref,
        "x-url": x_url,
        "x-markdown": x_markdown,
        "x-i18n": x_i18n,
        "x-successor": x_successor,
    }


def url_problem(url: str) -> tuple[str, str] | None:
    """Why ``url`` is not an acceptable link (message, hint), or None."""
    if url != url.strip():
        return (f"the URL '{url}' has spaces around it", "remove the spaces")
    if not url:
        return ("the URL is empty", "write the full address, starting with https://")
    if re.search(r"\s", url):
        return (
            f"the URL '{url}' contains a space",
            "remove it, or write it as %20 if the address really contains a space",
        )
    scheme = scheme_of(url)
    # "example.org:8080/x" parses as scheme "example.org": a host name, not a scheme
    if scheme is None or ("://" not in url and ("." in scheme or re.match(r"[^:]*:\d", url))):
        return (
            f"the URL '{url}' is incomplete: it must start with https://",
            f"write it in full: https://{url.lstrip('/')}",
        )
    if scheme not in ("http", "https"):
        return (
            f"URLs starting with '{scheme}:' are not allowed",
            "catalogue links must start with https:// or http://",
        )
    if not urlsplit(url).netloc:
        return (f"the URL '{url}' has no host name", "write it like https://example.org/page")
    return None


# --- duplicate detection ---------------------------------------------------------------------


def normalize_url(url: str) -> str:
    """A comparison key: same page → same key (scheme, case of the host, ``www.``, trailing
    slash, default port, tracking parameters and empty fragments do not matter). DOI links
    become ``doi:<lower-case doi>`` so they match ``doi:`` fields."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if host in ("doi.org", "dx.doi.org"):
        return "doi:" + parts.path.lstrip("/").lower()
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    query = urlencode(
        sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
               if not TRACKING_PARAMS.match(k))
    )
    path = parts.path.rstrip("/")
    fragment = "" if parts.fragment in ("", "/") else parts.fragment
    return urlunsplit(("", host + port, path, query, fragment)).lstrip("/")


def _duplicate_links(catalogue: Catalogue) -> Iterator[Diagnostic]:
    seen: dict[str, tuple[Entry, Origin]] = {}
    for entry in catalogue.all_entries():
        for value, origin in _identity_links(entry):
            key = normalize_url(value) if not value.startswith("doi:") else value.lower()
            first = seen.setdefault(key, (entry, origin))
            if first[0] is not entry:
                what = "DOI" if key.startswith("doi:") else "URL"
                written = value.removeprefix("doi:")
                yield error(
                    origin,
                    f"the same {what} is already in entry '{first[0].id}' ({first[1]}): {written}",
                    "describe each resource once: merge the two entries; one entry can be "
                    "listed in several sections with 'sections: [a, b]'",
                )


def _missing_vocabularies(catalogue: Catalogue, shown: str) -> Iterator[Diagnostic]:
    """Every vocabulary the schemas name must exist: pages, filters and exports rely on them
    even when no entry uses them yet. Values implied by an entry type must be keys of it."""
    for entry_type in ENTRY_TYPES:
        wanted = {spec.vocabulary for spec in field_specs(entry_type.schema) if spec.vocabulary}
        for name in sorted(wanted - set(catalogue.vocabularies)):
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


def _identity_links(entry: Entry) -> Iterator[tuple[str, Origin]]:
    """Links that identify an entry: its main URL, secondary links and DOI."""
    data = entry.data
    if isinstance(data.get("url"), str) and data["url"].strip():
        yield data["url"], entry.origin("url")
    for index, link in enumerate(data.get("links") or []):
        if isinstance(link, dict) and isinstance(link.get("url"), str):
            yield link["url"], entry.origin("links", index, "url")
    if isinstance(data.get("doi"), str):
        yield "doi:" + data["doi"], entry.origin("doi")


# --- schema errors → diagnostics -------------------------------------------------------------


def _field_name(path: Any) -> str:
    """``links.url`` for ``links[2].url``: list positions mean little to a contributor, and
    the line number already points at the item."""
    return ".".join(str(step) for step in path if not isinstance(step, int)) or "the file"


def _describe(schema: dict[str, Any], key: str) -> str:
    prop = schema.get("properties", {}).get(key, {})
    return prop.get("description", "") if isinstance(prop, dict) else ""


def _add_hint(key: str, description: str) -> str:
    return f"add '{key}:'" + (f": {description}" if description else "")


def _condition(err: ValidationError, root: dict[str, Any]) -> dict[str, Any]:
    """For an error raised by ``then``, the ``field: value`` pairs its ``if`` tests."""
    schema_path = list(err.absolute_schema_path)
    if len(schema_path) < 2 or schema_path[-2] != "then":
        return {}
    parent: Any = root
    for step in schema_path[:-2]:
        if isinstance(parent, dict):
            parent = parent.get(step, {})
        elif isinstance(parent, list) and isinstance(step, int) and step < len(parent):
            parent = parent[step]
        else:
            parent = {}
    tests = parent.get("if", {}).get("properties", {}) if isinstance(parent, dict) else {}
    return {key: test["const"] for key, test in tests.items() if "const" in test}


def schema_diagnostics(
    err: ValidationError, data: Any, display: str, root: dict[str, Any]
) -> Iterator[Diagnostic]:
    # jsonschema types these as unions with "unset"; after validation they are plain values.
    schema: dict[str, Any] = err.schema if isinstance(err.schema, dict) else {}
    instance: Any = err.instance
    expected_value: Any = err.validator_value
    path = list(err.absolute_path)
    origin = getattr(err, "origin", None) or origin_at(data, path) or Origin(display)
    field = _field_name(path)
    keyword = str(err.validator)
    severity = Severity.WARNING if keyword in WARNING_KEYWORDS else Severity.ERROR
    hint = getattr(err, "hint", "")

    if keyword == "required":
        condition = _condition(err, root)
        allowed = list(schema.get("properties", {}))
        # a misspelt key already gets "unknown field 'sumary' (hint: did you mean 'summary'?)"
        suggested = {_closest(k, allowed) for k in instance if allowed and k not in allowed}
        for key in expected_value:
            if key in instance or key in suggested:
                continue
            where = "" if not path else f" in {field}"
            description = _describe(schema, key) or _describe(root, key)
            if condition:
                when = " and ".join(f"{k} is '{v}'" for k, v in condition.items())
                yield Diagnostic(
                    origin_at(data, [*path, next(iter(condition))]) or origin, severity,
                    f"missing field '{key}'{where}, required when {when}",
                    _add_hint(key, description),
                )
            else:
                yield Diagnostic(
                    origin, severity, f"missing required field '{key}'{where}",
                    _add_hint(key, description),
                )
        return
    if keyword == "additionalProperties" and isinstance(instance, dict):
        allowed = list(schema.get("properties", {}))
        for key in instance:
            if key not in allowed:
                name = f"{field}.{key}" if path else key
                yield Diagnostic(
                    origin_at(data, [*path, key], key=True) or origin, severity,
                    f"unknown field '{name}'",
                    f"{_did_you_mean(key, allowed)}allowed here: {', '.join(allowed)}",
                )
        return
    if keyword == "type":
        value = expected_value
        expected = value if isinstance(value, list) else [value]
        wanted = " or ".join(TYPE_NAMES.get(str(t), str(t)) for t in expected)
        got = _type_of(instance)
        if "object" in expected and _describe_i18n(schema):
            hint = f"write it as {{fr: ..., en: ...}}, e.g. {field}: {{fr: Texte, en: Text}}"
        elif "array" in expected:
            hint = "write it as a list: [a, b]"
            if isinstance(instance, str):
                hint = f"write it as a list, e.g. {field}: [{instance}]"
        elif (
            {"integer", "number"} & set(expected)
            and isinstance(instance, str)
            and re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", instance.strip())
        ):
            hint = f"remove the quotes: {field}: {instance.strip()}"
        if instance is None:  # `url:` with nothing after it
            hint = f"write the value after '{field.rsplit('.', 1)[-1]}:' or delete the line"
        message = f"'{field}' must be {wanted}, not {got}"
    elif keyword == "enum":
        choices = [str(c) for c in expected_value]
        message = f"'{field}' cannot be '{instance}'"
        hint = f"{_did_you_mean(str(instance), choices)}choose one of: {', '.join(choices)}"
    elif keyword == "pattern" and "propertyNames" in err.absolute_schema_path:
        origin = origin_at(data, [*path, instance], key=True) or origin
        message = f"'{field}' has an invalid key '{instance}'"
        hint = "write keys in lower case, with hyphens between words, e.g. deep-learning"
    elif keyword == "pattern":
        message = f"'{field}' has an invalid value '{instance}'"
        hint = schema.get("description") or f"it must match {expected_value}"
    elif keyword == "format":
        message = f"'{field}' is not a valid {expected_value}: '{instance}'"
        if expected_value == "date":
            hint = "write dates as YYYY-MM-DD, e.g. 2026-11-23, with a day that exists"
    elif keyword in ("minLength", "minItems", "minProperties"):
        message = f"'{field}' must not be empty"
        hint = schema.get("description", "")
    elif keyword == "maxLength":
        message = (
            f"'{field}' is too long ({len(instance)} characters, "
            f"at most {expected_value})"
        )
        hint = "keep it short; put details in 'description'" if field.startswith("summary") else ""
    elif keyword == "uniqueItems":
        message = f"'{field}' lists the same value twice"
        hint = "remove the repeated value"
    elif keyword in ("minimum", "maximum"):
        message = f"'{field}' is out of range: {instance}"
        hint = schema.get("description", "")
    elif keyword in ("x-vocabulary", "x-i18n"):
        message = f"'{field}' {err.message}"
    elif keyword.startswith("x-"):
        message = err.message
    else:
        message = f"'{field}': {err.message}"
    yield Diagnostic(origin, severity, message, hint)


def _describe_i18n(schema: dict[str, Any]) -> bool:
    return set(schema.get("properties", {})) >= {"fr", "en"}


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


# --- the stage -------------------------------------------------------------------------------


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


def validate_catalogue(root: Any) -> ValidationResult:
    """Load and check the catalogue at ``root``; never raises for user mistakes."""
    from pathlib import Path

    root = Path(root)
    diagnostics: list[Diagnostic] = []
    shown = display_path(root)
    expected = [t.folder for t in ENTRY_TYPES] + [VOCAB_FOLDER]
    if not root.is_dir():
        what = "is a file, not a folder" if root.exists() else "does not exist"
        diagnostics.append(
            error(Origin(shown), f"the catalogue folder {what}",
                  "run the command from the project folder or pass --catalogue DIR")
        )
        return ValidationResult(Catalogue(root=root), diagnostics)
    if not any((root / name).is_dir() for name in expected):
        # an empty result would pass silently: most likely the wrong folder was given
        diagnostics.append(
            error(Origin(shown), "this folder is not a catalogue: it has none of the folders "
                  + ", ".join(f"{name}/" for name in expected),
                  "pass the catalogue folder itself, e.g. --catalogue catalogue")
        )
        return ValidationResult(Catalogue(root=root), diagnostics)

    catalogue, loaded = read_catalogue(root)
    for file in loaded:
        diagnostics.extend(file.diagnostics)

    ids: dict[str, str] = {}
    for entry in catalogue.all_entries():
        ids.setdefault(entry.id, entry.type.name)
    ctx = _Context(
        vocab_keys={name: list(v.terms) for name, v in catalogue.vocabularies.items()},
        vocab_display={name: v.display for name, v in catalogue.vocabularies.items()},
        ids=ids,
        vocab_folder=f"{shown}/{VOCAB_FOLDER}",
    )
    checker_class = validators.extend(  # type: ignore[no-untyped-call]  # untyped in stubs
        Draft202012Validator, _keywords(ctx)
    )
    registry = _registry()
    schemas = load_schemas()

    def check(schema_name: str, data: Any, display: str) -> None:
        validator = checker_class(
            schemas[schema_name], registry=registry, format_checker=FormatChecker()
        )
        for err in _best_errors(list(validator.iter_errors(data))):
            diagnostics.extend(schema_diagnostics(err, data, display, schemas[schema_name]))

    for file in loaded:
        if file.data is None:
            continue
        if not isinstance(file.data, LocatedDict):
            is_list = isinstance(file.data, list)
            diagnostics.append(error(
                getattr(file.data, "origin", Origin(file.display)),
                f"the file must hold 'field: value' lines, not {_type_of(file.data)}",
                "remove the '- ' in front of the fields" if is_list
                else "start from an existing entry of the same folder",
            ))
            continue
        check(file.entry_type.schema if file.entry_type else VOCAB_SCHEMA, file.data, file.display)

    first_with_id: dict[str, Entry] = {}
    for entry in catalogue.all_entries():
        written = entry.data.get("id")
        if isinstance(written, str) and written != entry.id:
            diagnostics.append(error(
                entry.origin("id"),
                f"id '{written}' does not match the file name '{entry.path.name}'",
                f"write 'id: {entry.id}' or rename the file to {written}.yml",
            ))
        previous = first_with_id.setdefault(entry.id, entry)
        if previous is not entry:
            diagnostics.append(error(
                entry.origin("id"), f"the id '{entry.id}' is already used by {previous.display}",
                "ids are unique across the whole catalogue: rename this file and its id",
            ))
    for entry in catalogue.of_type("resource"):
        if "url" not in entry.data:
            diagnostics.append(warning(
                entry.origin(key=False), "this resource has no URL",
                "add 'url:' if a reliable address exists, and explain the gap in 'curation:'",
            ))
    diagnostics.extend(_duplicate_links(catalogue))
    diagnostics.extend(_missing_vocabularies(catalogue, shown))
    for entry_type in ENTRY_TYPES:
        folder = root / entry_type.folder
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            ignored = path.suffix not in (".yml", ".yaml") and not path.name.startswith(".")
            if path.is_file() and ignored:
                diagnostics.append(warning(
                    Origin(display_path(path)),
                    "this file is ignored: entries must be .yml files",
                    f"rename it to {path.stem}.yml if it is an entry",
                ))
    return ValidationResult(catalogue, sorted(set(diagnostics), key=sort_key))
