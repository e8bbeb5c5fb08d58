"""Every link and FAQ question of the seed list is in the catalogue, and on both built sites.

The seed is read with the importer's parser, so "a link" means exactly what
``dl4mic-hub import-markdown`` sees. A seed link is covered when its address (normalised with
``urls.normalize_url``, after the repairs of ``tests/data/seed_repairs.yml``) is the url, a
secondary link or a Markdown link of some entry (``Catalogue.urls()``) or an entry's DOI.
A failure lists one line per missing item with its seed line number: it is the content
writers' checklist. ``docs/seed-migration.md`` explains the repairs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from dl4mic_hub import LANGUAGES
from dl4mic_hub.importer import FaqQuestion, ParsedList, SeedLink, parse_markdown
from dl4mic_hub.model import Catalogue, Entry, read_catalogue
from dl4mic_hub.urls import normalize_url

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "catalogue"
SEED_NAME = "000_2234bebf01c31f0f.txt"
SHARED_SEED = ROOT.parent / "shared" / "seeds" / SEED_NAME  # the community's copy, when present
COMMITTED_SEED = ROOT / "tests" / "data" / "seed.md"
REPAIRS = ROOT / "tests" / "data" / "seed_repairs.yml"
DISPLAY = "tests/data/seed.md"
FAQ_ORIGIN = {n: "slack" if n <= 10 else "session" for n in range(1, 19)}  # seed numbers


# --- inputs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Repair:
    line: int
    seed: str  # the link text or the address as the seed writes it
    problem: str
    reason: str
    url: str | None  # the catalogue address that replaces the seed's
    entry: str | None  # the catalogue entry that holds it

    def matches(self, link: SeedLink) -> bool:
        return self.line == link.line and self.seed in (link.text, link.target)


@dataclass(frozen=True)
class Home:
    """Seed text that is not a link and the entry that now holds it."""

    line: int
    seed: str
    entry: str
    reason: str


@pytest.fixture(scope="module")
def seed() -> ParsedList:
    return parse_markdown(COMMITTED_SEED.read_text(encoding="utf-8"), DISPLAY)


@pytest.fixture(scope="module")
def repairs_data() -> dict[str, Any]:
    return yaml.safe_load(REPAIRS.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def repairs(repairs_data: dict[str, Any]) -> list[Repair]:
    return [Repair(r["line"], str(r["seed"]), r["problem"], r["reason"], r.get("url"),
                   r.get("entry")) for r in repairs_data["repairs"]]


@pytest.fixture(scope="module")
def homes(repairs_data: dict[str, Any]) -> list[Home]:
    return [Home(h["line"], h["seed"], h["entry"], h["reason"]) for h in repairs_data["not_links"]]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return read_catalogue(CATALOGUE)[0]


def catalogue_keys(catalogue: Catalogue) -> dict[str, set[str]]:
    """Normalised address (or ``doi:...``) → ids of the entries that carry it."""
    keys: dict[str, set[str]] = {}
    for url, _origin, entry in catalogue.urls():
        keys.setdefault(normalize_url(url), set()).add(entry.id)
    for entry in catalogue.all_entries():
        if isinstance(entry.get("doi"), str):
            keys.setdefault("doi:" + entry.get("doi").lower(), set()).add(entry.id)
    return keys


def checklist(title: str, problems: list[str]) -> None:
    """Fail with one line per problem and no traceback: the output is a to-do list."""
    if problems:
        pytest.fail(title + ":\n" + "\n".join(problems), pytrace=False)


def where(line: int) -> str:
    return f"{DISPLAY}:{line}"


def short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --- the seed itself ---------------------------------------------------------------------------


def test_committed_seed_is_the_shared_seed() -> None:
    if not SHARED_SEED.is_file():
        pytest.skip(f"{SHARED_SEED} is not present; the committed copy is used alone")
    assert COMMITTED_SEED.read_bytes() == SHARED_SEED.read_bytes(), (
        f"{COMMITTED_SEED} differs from {SHARED_SEED}: copy it again, re-run "
        "`dl4mic-hub import-markdown` on it and update tests/data/seed_repairs.yml"
    )


def test_every_repair_matches_the_seed(seed: ParsedList, repairs: list[Repair],
                                       homes: list[Home]) -> None:
    stale = [f"{where(r.line)}: repair for '{r.seed}' matches no seed link at that line"
             for r in repairs if not any(r.matches(link) for link in seed.links)]
    lines = COMMITTED_SEED.read_text(encoding="utf-8").split("\n")
    stale += [f"{where(h.line)}: '{h.seed}' is not written on that line"
              for h in homes if h.seed not in lines[h.line - 1]]
    stale += [f"{where(r.line)}: repair for '{r.seed}' names neither 'url' nor 'entry'"
              for r in repairs if not (r.url or r.entry)]
    checklist("tests/data/seed_repairs.yml is out of date", stale)


def test_migration_doc_lists_every_repair(repairs: list[Repair], homes: list[Home]) -> None:
    """docs/seed-migration.md is where maintainers look: each repair must be in its tables."""
    rows = [line for line in (ROOT / "docs" / "seed-migration.md").read_text(
        encoding="utf-8").splitlines() if line.startswith("| ")]
    absent = [f"{where(item.line)}: '{short(item.seed)}' (entry '{item.entry}')"
              for item in [*repairs, *homes]
              if not any(re.search(rf"(^\| |\D){item.line}\D", row) and f"`{item.entry}`" in row
                         for row in rows)]
    checklist("docs/seed-migration.md has no table row for these repairs", absent)


# --- part 1: in the catalogue ------------------------------------------------------------------


def expected_keys(link: SeedLink, repairs: list[Repair], catalogue: Catalogue) -> \
        tuple[set[str], str | None, Repair | None]:
    """The catalogue addresses that stand for a seed link, and the entry it must be on."""
    repair = next((r for r in repairs if r.matches(link)), None)
    if repair is None:
        return ({link.key} if link.key else set()), None, None
    if repair.url:
        return {normalize_url(repair.url)}, repair.entry, repair
    entry = catalogue.by_id().get(repair.entry or "")
    url = entry.get("url") if entry is not None else None
    return ({normalize_url(url)} if isinstance(url, str) else set()), repair.entry, repair


def missing_links(seed: ParsedList, repairs: list[Repair], catalogue: Catalogue) -> Iterator[str]:
    keys = catalogue_keys(catalogue)
    ids = catalogue.by_id()
    for link in seed.links:
        wanted, entry_id, repair = expected_keys(link, repairs, catalogue)
        label = f"{where(link.line)}: '{short(link.text)}'"
        if entry_id and entry_id not in ids:
            yield f"{label}: the repaired entry '{entry_id}' does not exist"
        elif not wanted:
            hint = ("add a repair in tests/data/seed_repairs.yml" if repair is None
                    else f"entry '{entry_id}' has no url")
            yield f"{label}: the seed gives no usable address ({hint})"
        elif not any(k in keys for k in wanted):
            shown = repair.url if repair and repair.url else link.url
            yield (f"{label} {shown}: in no entry (as url, links[].url, doi or a Markdown link)")
        elif entry_id and not any(entry_id in keys.get(k, ()) for k in wanted):
            yield f"{label}: the address is in the catalogue, but not on entry '{entry_id}'"


def test_every_seed_link_is_in_the_catalogue(seed: ParsedList, repairs: list[Repair],
                                             catalogue: Catalogue) -> None:
    missing = list(missing_links(seed, repairs, catalogue))
    checklist(f"{len(missing)} of {len(seed.links)} seed links are missing from the catalogue",
              missing)


def faq_entries(catalogue: Catalogue) -> dict[tuple[int, str], list[Entry]]:
    found: dict[tuple[int, str], list[Entry]] = {}
    for entry in catalogue.of_type("faq"):
        order, origin = entry.get("order"), entry.get("origin")
        if isinstance(order, int) and isinstance(origin, str):
            found.setdefault((order, origin), []).append(entry)
    return found


def faq_problems(question: FaqQuestion, found: dict[tuple[int, str], list[Entry]]) -> \
        Iterator[str]:
    origin = FAQ_ORIGIN[question.number]
    entries = found.get((question.number, origin), [])
    label = f"{where(question.line)}: FAQ question {question.number} ('{short(question.question)}')"
    if not entries:
        yield (f"{label}: no catalogue/faq entry has 'order: {question.number}' "
               f"and 'origin: {origin}'")
    elif len(entries) > 1:
        yield f"{label}: several entries claim it: {', '.join(e.id for e in entries)}"
    elif not question.answer and entries[0].get("status") != "open":
        yield f"{label}: the seed has no answer, so '{entries[0].id}' must have 'status: open'"


def test_every_faq_question_is_in_the_catalogue(seed: ParsedList, catalogue: Catalogue) -> None:
    assert [q.number for q in seed.questions] == list(range(1, 19))
    found = faq_entries(catalogue)
    missing = [p for q in seed.questions for p in faq_problems(q, found)]
    checklist(f"{len(missing)} FAQ question(s) missing from the catalogue", missing)


def test_seed_text_without_links_has_a_home(homes: list[Home], catalogue: Catalogue) -> None:
    ids = catalogue.by_id()
    missing = [f"{where(h.line)}: '{short(h.seed)}' should live in entry '{h.entry}', "
               "which does not exist" for h in homes if h.entry not in ids]
    checklist("seed text without a home in the catalogue", missing)


# --- part 2: on the built site, in both languages ----------------------------------------------


class _PageReader(HTMLParser):
    """Collects link targets and visible text of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


@dataclass
class BuiltSite:
    hrefs: set[str]  # normalised addresses of every link
    text: str  # every page's visible text, normalised with comparable()


def comparable(text: str) -> str:
    """Text reduced so that typography and Markdown markup do not matter."""
    text = re.sub(r"!?\[([^\[\]]*)\]\([^()]*\)", r"\1", text)
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"',
                                         "»": '"', "\u00a0": " ", "\u202f": " ", "*": "", "`": ""}))
    return " ".join(text.split()).casefold()


@pytest.fixture(scope="session")
def site_dir(request: pytest.FixtureRequest) -> Path:
    """The site of the real catalogue, built once per session (``real_site`` in conftest.py).

    DL4MIC_HUB_SITE_DIR=<folder> reuses a site built beforehand (e.g. by `make site`), which
    saves the build when iterating on content; it is the caller's job that it is up to date.
    """
    prebuilt = os.environ.get("DL4MIC_HUB_SITE_DIR")
    if prebuilt:
        return Path(prebuilt)
    return Path(request.getfixturevalue("real_site").root)


@pytest.fixture(scope="session")
def built(site_dir: Path) -> dict[str, BuiltSite]:
    sites: dict[str, BuiltSite] = {}
    for lang in LANGUAGES:
        hrefs: set[str] = set()
        texts: list[str] = []
        pages = sorted((site_dir / lang).rglob("*.html"))
        assert pages, f"no HTML page under {site_dir / lang}"
        for page in pages:
            reader = _PageReader()
            reader.feed(page.read_text(encoding="utf-8"))
            hrefs.update(normalize_url(h) for h in reader.hrefs if h.startswith("http"))
            texts.append("".join(reader.text))  # inline tags must not add spaces
        sites[lang] = BuiltSite(hrefs, comparable(" ".join(texts)))
    return sites


@pytest.mark.build
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_seed_link_is_on_the_site(lang: str, built: dict[str, BuiltSite], seed: ParsedList,
                                        repairs: list[Repair], catalogue: Catalogue) -> None:
    missing = []
    for link in seed.links:
        wanted, _entry, _repair = expected_keys(link, repairs, catalogue)
        if not wanted & built[lang].hrefs:
            missing.append(f"{where(link.line)}: '{short(link.text)}' "
                           f"{link.url or '(no URL)'}: no link to it on the {lang} site")
    checklist(f"{len(missing)} seed link(s) missing from the {lang} site", missing)


@pytest.mark.build
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_faq_question_is_on_the_site(lang: str, built: dict[str, BuiltSite],
                                           seed: ParsedList, catalogue: Catalogue) -> None:
    found = faq_entries(catalogue)
    missing = []
    for question in seed.questions:
        entries = found.get((question.number, FAQ_ORIGIN[question.number]), [])
        text = entries[0].get("question", {}).get(lang) if entries else None
        if not isinstance(text, str):
            missing.append(f"{where(question.line)}: FAQ question {question.number} has no "
                           f"'{lang}' text in the catalogue")
        elif comparable(text) not in built[lang].text:
            missing.append(f"{where(question.line)}: FAQ question {question.number} "
                           f"('{short(text)}') is not shown on the {lang} site")
    checklist(f"{len(missing)} FAQ question(s) missing from the {lang} site", missing)
