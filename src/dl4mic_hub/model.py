"""The catalogue as data: entry types, entries, vocabularies, and reading a catalogue folder.

A catalogue folder holds one sub-folder per entry type (``resources/``, ``faq/``,
``cheatsheets/``, ``glossary/``) with one ``<id>.yml`` file per entry, and ``vocab/`` with one
file per controlled vocabulary. Nothing here judges the content: that is ``validate``'s job.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from . import LANGUAGES
from .diagnostics import Origin, display_path, error
from .load import (
    LoadedFile,
    LocatedDict,
    LocatedStr,
    load_yaml_file,
    origin_at,
    symlink_error,
)
from .schema import fields_for_readers

#: A text in each site language: ``{"fr": ..., "en": ...}`` (a language may be missing).
I18nText = dict[str, str]


def shown_language(texts: Mapping[str, object], lang: str) -> str | None:
    """The language a text is shown in on a ``lang`` page: ``lang`` when it is written in it,
    else the first site language it is written in (then any other); None when it has none."""
    return next((other for other in (lang, *LANGUAGES, *texts) if texts.get(other)), None)


def in_language(texts: I18nText, lang: str, default: str = "") -> str:
    """The text to show on a ``lang`` page (see :func:`shown_language`), else ``default``."""
    shown = shown_language(texts, lang)
    return texts[shown] if shown is not None else default


@dataclass(frozen=True)
class EntryType:
    """One kind of catalogue entry and where it lives."""

    name: str  # singular, used in messages and by `new`
    folder: str
    schema: str  # file name in dl4mic_hub/schemas/


ENTRY_TYPES: tuple[EntryType, ...] = (
    EntryType("resource", "resources", "resource.schema.json"),
    EntryType("faq", "faq", "faq.schema.json"),
    EntryType("cheatsheet", "cheatsheets", "cheatsheet.schema.json"),
    EntryType("glossary", "glossary", "glossary.schema.json"),
)
ENTRY_TYPES_BY_NAME = {t.name: t for t in ENTRY_TYPES}
VOCAB_FOLDER = "vocab"


def is_catalogue_folder(folder: Path) -> bool:
    """Whether ``folder`` is a catalogue: it holds the vocabularies (``vocab/``)."""
    return (folder / VOCAB_FOLDER).is_dir()
#: What ``new`` writes where a value is still to be written (commented out); ``validate``
#: refuses it when a contributor uncomments it as it is.
PLACEHOLDER = "..."
TRANSLATION_TO_WRITE = "(translation to write)"
VOCAB_SCHEMA = "vocabulary.schema.json"
#: The folders of a catalogue whose files are read: one per entry type, and the vocabularies.
CATALOGUE_FOLDERS: tuple[str, ...] = (*(t.folder for t in ENTRY_TYPES), VOCAB_FOLDER)


# A glossary term's title may end with a parenthesis that gives its other name or examples
# ("Époque (epoch)", "Notebook (Jupyter, Google Colab)"): texts write the name without it.
_FINAL_PARENTHESIS = re.compile(r"\s*\([^()]*\)$")


def glossary_names(term: Entry, lang: str) -> list[tuple[str, tuple[Any, ...]]]:
    """The names by which entry texts written in ``lang`` name a glossary term, as written
    (Markdown), each with the path of the field that holds it: its title, the title without a
    final parenthesis, its abbreviation, synonyms and ``forms`` (plurals...). Not its
    keywords: words related to the term, not names of it."""
    names: list[tuple[str, tuple[Any, ...]]] = []
    for field_name in ("term", "abbr"):
        written = term.text(field_name).get(lang)
        if written:
            names.append((written, (field_name, lang)))
            if field_name == "term" and _FINAL_PARENTHESIS.search(written):
                names.append((_FINAL_PARENTHESIS.sub("", written), (field_name, lang)))
    for field_name in ("synonyms", "forms"):
        names += [(name, (field_name, lang, place))
                  for place, name in enumerate(term.text_lists(field_name).get(lang, []))]
    return names


def string_list(value: Any) -> list[str]:
    """A list of strings as written in YAML, where a single string counts as one."""
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value] if isinstance(value, list) else []


@dataclass
class Entry:
    """One catalogue entry with the file it comes from."""

    type: EntryType
    path: Path
    display: str  # the path as shown to the user
    data: LocatedDict

    @cached_property  # asked for on every link, card and index record
    def id(self) -> str:
        """The entry's id, which the validator guarantees equals the file stem."""
        return self.path.stem

    @property
    def source_path(self) -> str:
        """Path relative to the catalogue's parent (e.g. ``catalogue/resources/x.yml``)."""
        return f"{self.path.parent.parent.name}/{self.type.folder}/{self.path.name}"

    def origin(self, *path: Any, key: bool = False) -> Origin:
        return origin_at(self.data, path, key=key) or Origin(self.display)

    def get(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)

    # Typed views of the data. The validator guarantees the shapes before any later stage runs;
    # these accessors still never fail, so a stage can read an entry that did not validate.
    def text(self, name: str) -> I18nText:
        """A ``{fr, en}`` text field (empty when absent)."""
        value = self.data.get(name)
        if not isinstance(value, dict):
            return {}
        return {str(lang): str(text) for lang, text in value.items() if isinstance(text, str)}

    def text_lists(self, name: str) -> dict[str, list[str]]:
        """A ``{fr: [...], en: [...]}`` field such as ``keywords`` (empty when absent)."""
        value = self.data.get(name)
        if not isinstance(value, dict):
            return {}
        return {
            str(lang): [str(item) for item in items]
            for lang, items in value.items()
            if isinstance(items, list)
        }

    def string(self, name: str) -> str | None:
        """A plain string field (``url``, ``doi``, ``added``...), or None."""
        value = self.data.get(name)
        return str(value) if isinstance(value, str) else None

    def strings(self, name: str) -> list[str]:
        """A list of strings (``related``, ``authors``...); a single string counts as one."""
        return string_list(self.data.get(name))

    def number(self, name: str) -> int | None:
        value = self.data.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass
class VocabTerm:
    key: str
    label: I18nText
    description: I18nText
    icon: str | None
    origin: Origin
    edam: str | None = None  # id under http://edamontology.org/
    schema_org: tuple[str, ...] = ()  # kinds: schema.org type(s) of their entries
    bioschemas: str | None = None  # kinds: profile id under https://bioschemas.org/profiles/
    search_weight: float = 1.0  # multiplies the search score of entries with this value
    # words readers type for this value besides its label ("débruiter"): searched, not shown
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    former_address: bool = False  # status: the entry's address no longer leads to it
    ended: bool = False  # status: the resource is no longer active (archived in exports)
    open_label: I18nText = field(default_factory=dict)  # text of the open button (any vocab)
    group_by: str | None = None  # sections: the vocabulary that groups its page's entries first


@dataclass
class Vocabulary:
    name: str
    label: I18nText
    terms: dict[str, VocabTerm]
    display: str
    order: int = 100  # where its filter comes among the others (smaller first)
    chips: bool = False  # its labels are shown under entries in lists

    def title(self, lang: str) -> str:
        return in_language(self.label, lang, self.name)

    def label_of(self, key: str, lang: str) -> str:
        term = self.terms.get(key)
        return key if term is None else in_language(term.label, lang, key)

    def shown_title(self, lang: str) -> tuple[str, str | None]:
        """The vocabulary's title on a ``lang`` page, and the language it is written in."""
        return self.title(lang), shown_language(self.label, lang)

    def shown_label(self, key: str, lang: str) -> tuple[str, str | None]:
        """A value's label on a ``lang`` page, and the language it is written in."""
        term = self.terms.get(key)
        return self.label_of(key, lang), shown_language(term.label, lang) if term else None

    def shown_description(self, key: str, lang: str) -> tuple[str, str | None]:
        """A value's description on a ``lang`` page ("" when it has none), and its language."""
        term = self.terms.get(key)
        texts = term.description if term else {}
        return in_language(texts, lang), shown_language(texts, lang)


@dataclass
class Catalogue:
    root: Path
    entries: dict[str, list[Entry]] = field(default_factory=dict)  # folder → entries by id
    vocabularies: dict[str, Vocabulary] = field(default_factory=dict)

    def all_entries(self) -> Iterator[Entry]:
        for entry_type in ENTRY_TYPES:
            yield from self.entries.get(entry_type.folder, [])

    def of_type(self, name: str) -> list[Entry]:
        return self.entries.get(ENTRY_TYPES_BY_NAME[name].folder, [])

    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.all_entries()}

    def urls(self) -> Iterator[tuple[str, Origin, Entry]]:
        """Every link address a reader meets in an entry (main, secondary and inside Markdown
        text), with the place it is written. The same URL may come more than once. Fields no
        page shows (the maintainers' ``curation`` notes) are left out: the addresses there are
        evidence, not links, and the link checker must not fetch them."""
        from .markdown import iter_links  # local: markdown helpers import nothing from here

        for entry in self.all_entries():
            shown = fields_for_readers(entry.type.schema)
            for key, value in entry.data.items():
                if key in shown:
                    yield from _urls_in({key: value}, entry, iter_links)


def _urls_in(value: Any, entry: Entry, iter_links: Any) -> Iterator[tuple[str, Origin, Entry]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "url" and isinstance(item, LocatedStr):
                yield str(item).strip(), item.origin, entry
            else:
                yield from _urls_in(item, entry, iter_links)
    elif isinstance(value, list):
        for item in value:
            yield from _urls_in(item, entry, iter_links)
    elif isinstance(value, LocatedStr):
        for target, line_offset, col in iter_links(str(value)):
            if target.startswith(("http://", "https://")):
                yield target, value.origin_in_text(line_offset, col), entry


def read_catalogue(root: Path) -> tuple[Catalogue, list[LoadedFile]]:
    """Read every YAML file of a catalogue folder.

    Returns the catalogue built from the files that could be parsed into a mapping, and every
    loaded file (with its parse diagnostics) so that the validator can check them all. A
    folder or file that is a symbolic link is reported and never followed.
    """
    catalogue = Catalogue(root=root)
    loaded: list[LoadedFile] = []
    for entry_type in ENTRY_TYPES:
        entries: list[Entry] = []
        for file in _load_folder(root / entry_type.folder, loaded):
            file.entry_type = entry_type
            if isinstance(file.data, LocatedDict):
                entries.append(Entry(entry_type, file.path, file.display, file.data))
        catalogue.entries[entry_type.folder] = entries
    for file in _load_folder(root / VOCAB_FOLDER, loaded):
        if isinstance(file.data, LocatedDict):
            catalogue.vocabularies[file.path.stem] = _vocabulary(file.path.stem, file)
    return catalogue, loaded


def _number(value: Any, default: float) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return default

def _load_folder(folder: Path, loaded: list[LoadedFile]) -> list[LoadedFile]:
    """The YAML files of one folder, each also appended to ``loaded``."""
    if folder.is_symlink():
        shown = display_path(folder)
        found = [LoadedFile(folder, shown, None, [symlink_error(shown)])]
    elif folder.exists() and not folder.is_dir():  # its entries would be silently missing
        shown = display_path(folder)
        found = [LoadedFile(folder, shown, None, [error(
            Origin(shown), f"this is a file: the catalogue keeps these files in a folder "
            f"'{folder.name}/'", f"move the file away and make {folder.name}/ a folder")])]
    else:
        shown = display_path(folder)  # once: resolving each file's path costs system calls
        found = [
            load_yaml_file(path, f"{shown}/{path.name}")
            for path in sorted(folder.glob("*.y*ml"))
            # a folder named like a file would crash the reading; a link is reported
            if path.is_file() or path.is_symlink()
        ]
    loaded.extend(found)
    return found


def _one_line(texts: dict[Any, Any]) -> I18nText:
    """A label in each language on one line: labels are headings, menu titles and chips, where
    a line break (a YAML literal block, a quoted ``\\n``) would end a Markdown heading early.
    A label without one is kept as written; only spaces and tabs around a break go, so a
    no-break space (French typography) stays."""
    return {str(lang): _joined_lines(str(text)) for lang, text in texts.items()}


def _joined_lines(text: str) -> str:
    lines = text.splitlines()
    if lines == [text]:  # no line break
        return text
    return " ".join(part for line in lines if (part := line.strip(" \t")))


def _vocabulary(name: str, file: LoadedFile) -> Vocabulary:
    data = file.data
    terms: dict[str, VocabTerm] = {}
    values = data.get("values")
    if isinstance(values, dict):
        for key, term in values.items():
            term = term if isinstance(term, dict) else {}
            label = term["label"] if isinstance(term.get("label"), dict) else {}
            desc = term["description"] if isinstance(term.get("description"), dict) else {}
            terms[str(key)] = VocabTerm(
                key=str(key),
                label=_one_line(label),
                description={k: str(v) for k, v in desc.items()},
                icon=term["icon"] if isinstance(term.get("icon"), str) else None,  # located
                origin=origin_at(data, ("values", key), key=True) or Origin(file.display),
                edam=str(term["edam"]) if isinstance(term.get("edam"), str) else None,
                schema_org=tuple(string_list(term.get("schema_org"))),
                bioschemas=str(term["bioschemas"]) if isinstance(term.get("bioschemas"), str)
                else None,
                search_weight=_number(term.get("search_weight"), 1.0),
                keywords={str(lang): tuple(string_list(words)) for lang, words in
                          term["keywords"].items()} if isinstance(term.get("keywords"), dict)
                else {},
                former_address=term.get("former_address") is True,
                ended=term.get("ended") is True,
                open_label=_one_line(term["open_label"]) if isinstance(
                    term.get("open_label"), dict) else {},
                group_by=str(term["group_by"]) if isinstance(term.get("group_by"), str) else None,
            )
    label = data.get("label") if isinstance(data.get("label"), dict) else {}
    order = data.get("order")
    return Vocabulary(
        name,
        _one_line(label),
        terms,
        file.display,
        order=order if isinstance(order, int) and not isinstance(order, bool) else 100,
        chips=data.get("chips") is True,
    )
