"""Export stage: every open-data file parses with a real parser and holds every entry.

The catalogue is the render fixture plus papers and books whose texts hold the characters
BibTeX, CSV and XML treat specially (tests/fixtures/export/extra).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import bibtexparser
import feedparser
import jsonschema
import pytest
import yaml
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from referencing import Registry, Resource

from dl4mic_hub import LANGUAGES
from dl4mic_hub.build.config import footer_licence
from dl4mic_hub.export import (
    ATTRIBUTION,
    CATALOGUE_CSV,
    CATALOGUE_JSON,
    CATALOGUE_TITLE,
    CONTENT_LICENCE,
    REFERENCES_BIB,
    REFERENCES_CSL,
    web_address,
)
from dl4mic_hub.export.feeds import FEED_LIMIT
from dl4mic_hub.export.tabular import TESS_COLUMNS
from dl4mic_hub.facets import derive_facets
from dl4mic_hub.model import Catalogue
from dl4mic_hub.render import RenderedSite, render_site
from dl4mic_hub.validate import validate_catalogue

ROOT = Path(__file__).resolve().parents[1]
SITE = "https://example.org/hub/"
CFF_SCHEMA = Path(__file__).parent / "data" / "citation-file-format-1.2.0.schema.json"


@pytest.fixture(scope="module")
def catalogue(export_catalogue: Path) -> Catalogue:
    result = validate_catalogue(export_catalogue)
    assert result.ok, [d.format_text() for d in result.diagnostics]
    return result.catalogue


@pytest.fixture(scope="module")
def rendered(catalogue: Catalogue) -> RenderedSite:
    return render_site(catalogue, repo_url="https://github.com/example/hub", site_url=SITE)


def entry_ids(catalogue: Catalogue, type_name: str | None = None) -> set[str]:
    return {
        e.id for e in catalogue.all_entries() if type_name is None or e.type.name == type_name
    }


def published_registry(rendered: RenderedSite) -> Registry:
    """The published schemas, found by their $id as a harvester would fetch them."""
    resources = []
    for path, text in rendered.root_files.items():
        if path.startswith("schemas/"):
            schema = json.loads(text)
            assert schema["$id"] == SITE + path, "each schema's $id is where it is published"
            resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


# --- what is published ------------------------------------------------------------------------
def test_every_export_is_built_with_the_pages(rendered: RenderedSite) -> None:
    assert set(rendered.root_files) == {
        "data/catalogue.json", "data/catalogue.csv", "data/references.bib",
        "data/references.json", "schemas/catalogue.schema.json", "schemas/common.schema.json",
        "schemas/resource.schema.json", "schemas/faq.schema.json",
        "schemas/cheatsheet.schema.json", "schemas/glossary.schema.json",
    }
    for lang in LANGUAGES:
        assert {"feed.xml", "sitemap-entries.xml"} <= set(rendered.files[lang])
        assert "open-data.md" in rendered.pages[lang]
        assert {"Données et réutilisation": "open-data.md"} in rendered.nav["fr"]
        assert {"Data and reuse": "open-data.md"} in rendered.nav["en"]


def test_exports_are_deterministic(catalogue: Catalogue, rendered: RenderedSite) -> None:
    again = render_site(catalogue, repo_url="https://github.com/example/hub", site_url=SITE)
    assert again.root_files == rendered.root_files
    assert again.files == rendered.files


def test_exports_use_the_public_address_they_are_given(catalogue: Catalogue) -> None:
    other = render_site(catalogue, site_url="https://mirror.example.net/dl/")
    text = other.root_files["data/catalogue.json"]
    assert "https://mirror.example.net/dl/en/resources/alpha-tool/" in text
    assert SITE not in text


# --- catalogue.json ---------------------------------------------------------------------------
def test_catalogue_json_is_valid_against_its_published_schema(
    rendered: RenderedSite, catalogue: Catalogue
) -> None:
    data = json.loads(rendered.root_files["data/catalogue.json"])
    registry = published_registry(rendered)
    schema = registry.contents(data["$schema"])
    validator = jsonschema.Draft202012Validator(
        schema, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []
    assert {e["id"] for e in data["entries"]} == entry_ids(catalogue)
    assert len(data["entries"]) == sum(1 for _ in catalogue.all_entries())


def test_published_schema_rejects_a_broken_record(rendered: RenderedSite) -> None:
    """The entry-type schemas really apply to the records (a wrong kind key is refused)."""
    data = json.loads(rendered.root_files["data/catalogue.json"])
    registry = published_registry(rendered)
    validator = jsonschema.Draft202012Validator(registry.contents(data["$schema"]),
                                                registry=registry)
    alpha = next(e for e in data["entries"] if e["id"] == "alpha-tool")
    alpha["record"]["sections"] = "tools"  # a list in the format
    assert any("record" in list(e.absolute_path) for e in validator.iter_errors(data))


def test_catalogue_json_gives_both_languages_facets_with_labels_and_pages(
    rendered: RenderedSite, catalogue: Catalogue
) -> None:
    data = json.loads(rendered.root_files["data/catalogue.json"])
    assert [f["name"] for f in data["facets"]] == [f.name for f in derive_facets(catalogue)]
    assert data["license"]["url"] == CONTENT_LICENCE.url
    assert data["attribution"] == ATTRIBUTION
    alpha = next(e for e in data["entries"] if e["id"] == "alpha-tool")
    assert alpha["name"] == {"fr": "Écran Alpha", "en": "Alpha Screen"}
    assert alpha["pages"] == {lang: f"{SITE}{lang}/resources/alpha-tool/" for lang in LANGUAGES}
    assert alpha["facets"]["tasks"] == [
        {"key": "segmentation", "label": {"fr": "Segmentation", "en": "Segmentation"}}
    ]
    assert alpha["status"]["key"] == "active"  # the schema's default, written out
    legacy = next(e for e in data["entries"] if e["id"] == "delta-legacy")
    assert legacy["status"]["key"] == "discontinued"
    assert legacy["status"]["label"]["en"] == "Discontinued"
    question = next(e for e in data["entries"] if e["type"] == "faq")
    assert question["status"] is None  # no status facet for FAQ entries
    assert question["pages"]["en"].startswith(f"{SITE}en/faq/#")
    assert question["facets"]["kinds"][0]["key"] == "faq"  # implied by the entry type


# --- catalogue.csv ----------------------------------------------------------------------------
def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_catalogue_csv_has_one_row_per_resource_with_tess_columns_first(
    rendered: RenderedSite, catalogue: Catalogue
) -> None:
    text = rendered.root_files["data/catalogue.csv"]
    header = next(csv.reader(io.StringIO(text)))
    assert tuple(header[: len(TESS_COLUMNS)]) == TESS_COLUMNS
    rows = read_csv(text)
    assert [r["id"] for r in rows] == [e.id for e in catalogue.of_type("resource")]
    gamma = next(r for r in rows if r["id"] == "paper-gamma")
    assert gamma["DOI"] == "10.1234/gamma.5678"
    assert gamma["Competency"] == "advanced"
    assert gamma["Published"] == "2021"
    # "et al." ends the list in the catalogue: a harvester would make it a person
    assert gamma["Authors"] == "Caicedo JC; Carsen Stringer; Ludwig van Beethoven"
    assert gamma["page_fr"] == f"{SITE}fr/resources/paper-gamma/"
    book = next(r for r in rows if r["id"] == "book-epsilon")
    assert book["Licence"] == "CC-BY-4.0"
    assert book["Authors"] == "Ian Goodfellow; Yoshua Bengio; Aaron Courville"
    legacy = next(r for r in rows if r["id"] == "delta-legacy")
    assert (legacy["Status"], legacy["status"]) == ("archived", "discontinued")
    assert legacy["tasks"] == "annotation-sparse"


def test_csv_cells_never_start_a_spreadsheet_formula(rendered: RenderedSite) -> None:
    rows = read_csv(rendered.root_files["data/catalogue.csv"])
    for row in rows:
        for column, value in row.items():
            assert not value.startswith(("=", "+", "-", "@")), (row["id"], column, value)
    # the fixture's formula (zeta's first author) is there, defused
    zeta = next(r for r in rows if r["id"] == "paper-zeta-uncitable")
    assert zeta["Authors"] == "'=HYPERLINK(\"https://evil.example\"); Somebody Else"


# --- references -------------------------------------------------------------------------------
def test_references_bib_parses_and_holds_the_citable_papers_and_books(
    rendered: RenderedSite,
) -> None:
    library = bibtexparser.parse_string(
        rendered.root_files["data/references.bib"],
        append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors(), SplitNameParts()],
    )
    assert library.failed_blocks == []
    # paper-zeta-uncitable has authors but neither a DOI nor a year
    assert {e.key: e.entry_type for e in library.entries} == {
        "book-epsilon": "book", "paper-gamma": "article",
    }
    epsilon = {f.key: f.value for f in library.entries[0].fields}
    assert epsilon["edition"] == "2"  # an integer, as biblatex wants ("Second" would not do)
    assert "edition" not in {f.key for f in library.entries[1].fields}
    gamma = {f.key: f.value for f in library.entries[1].fields}
    assert gamma["journal"] == "Journal of {Braces} & <b>Tags</b> 100%"  # published_in
    # where in the journal: BibTeX's names, the range with BibTeX's "--" (read as an en dash)
    assert (gamma["volume"], gamma["number"], gamma["pages"]) == ("18", "S1", "100–106")
    assert "publisher" not in gamma
    # a book's publisher, every special character kept
    assert epsilon["publisher"] == "O'Reilly & {Sons} <i>Press</i> 100%_#"
    # every special character survives the round trip (pylatexenc reads \textasciicircum as ˆ)
    assert gamma["title"].replace("ˆ", "^") == (
        "Gamma: {braces}, 50% & $math$ #1 in_x ~ ^ \\ a < b > c"
    )
    assert gamma["doi"] == "10.1234/gamma.5678"
    authors = [(" ".join(n.first), " ".join(n.von), " ".join(n.last)) for n in gamma["author"]]
    assert authors[:3] == [("J. C.", "", "Caicedo"), ("Carsen", "", "Stringer"),
                           ("Ludwig", "van", "Beethoven")]
    assert authors[-1] == ("", "", "others")  # "et al."


@pytest.mark.parametrize(("title", "written"), [
    ("U-Net: Convolutional Networks for Biomedical Image Segmentation",
     "{U-Net: Convolutional Networks} for {Biomedical Image Segmentation}"),
    ("Cellpose: a generalist algorithm for cellular segmentation",
     "{Cellpose:} a generalist algorithm for cellular segmentation"),
    ("deep learning {in} 100% of cases", "deep learning \\{in\\} 100\\% of cases"),
    ("Démêler le CNN_2", "{Démêler} le {CNN\\_2}"),
    # a run that starts with a command is braced twice: "{\" is a special character to BibTeX
    ("#MeToo in images", "{{\\#MeToo}} in images"),
])
def test_a_bibtex_title_keeps_its_capitals_in_sentence_case_styles(
    title: str, written: str
) -> None:
    # styles such as IEEEtran or apalike lower every letter outside braces ("U-net",
    # "cellpose"): each run of words holding a capital is braced, special characters escaped
    from dl4mic_hub.export.references import bibtex_title

    assert bibtex_title(title) == written
    outside = re.sub(r"(?<!\\)\{[^{}]*(?<!\\)\}", "", written)
    assert not any(c.isupper() for c in outside)


# A paper as the real catalogue writes StarDist's (a DOI with an underscore, the work's own
# title beside the catalogue's) with an address holding a tilde and hyphenated initials.
PAPER_DELTA = """\
id: paper-delta
kind: paper
title: {en: Cell Detection with Star-convex Polygons (StarDist), fr: StarDist}
reference_title: Cell Detection with Star-convex Polygons
summary: {en: A paper., fr: Un article.}
url: https://www.example.org/~someone/our_papers/delta+94.pdf
doi: 10.1007/978-3-030-00934-2_30
sections: [tools]
content_language: [en]
authors: [Phan M-S, Caicedo JC]
year: 2018
published_in: {type: proceedings, name: "Medical Image Computing – MICCAI 2018"}
added: 2026-03-04
"""


def test_bibtex_dois_and_addresses_are_written_as_they_are(
    export_catalogue: Path, tmp_path: Path
) -> None:
    # '10.1007/978-3-030-00934-2\\_30' is another DOI for biblatex and hyperref, which read
    # these fields verbatim; hyphenated initials ('Phan M-S') stay initials
    from dl4mic_hub.export.references import bibtex_entry

    folder = tmp_path / "catalogue"
    shutil.copytree(export_catalogue, folder)
    (folder / "resources" / "paper-delta.yml").write_text(PAPER_DELTA, encoding="utf-8")
    result = validate_catalogue(folder)
    assert [d.format_text() for d in result.diagnostics if "paper-delta" in d.format_text()] == []
    delta = bibtex_entry(result.catalogue.by_id()["paper-delta"])
    assert "doi = {10.1007/978-3-030-00934-2_30}" in delta
    assert "url = {https://www.example.org/~someone/our_papers/delta+94.pdf}" in delta
    # the work's own title (reference_title), not the catalogue's "... (StarDist)"
    # its capitals braced, so that a style setting titles in sentence case keeps them
    assert "title = {{Cell Detection} with {Star-convex Polygons}}," in delta
    assert "author = {Phan, M.-S. and Caicedo, J. C.}" in delta
    # a paper in proceedings is cited as such, its venue as the book's title
    assert delta.startswith("@inproceedings{paper-delta,\n")
    assert "booktitle = {Medical Image Computing – MICCAI 2018}," in delta
    assert "journal" not in delta


PLOS = {"@type": "Periodical", "name": "PLOS Computational Biology"}
MICCAI = {"@type": "Book", "name": "Medical Image Computing – MICCAI 2018"}


@pytest.mark.parametrize(("written", "bibtex", "csl", "jsonld"), [
    # a journal's volume and issue; an article number stands for pages: one value, no range
    ("{type: journal, name: PLOS Computational Biology, volume: 16, issue: 8, pages: e1007012}",
     "  journal = {PLOS Computational Biology},\n"
     "  volume = {16},\n  number = {8},\n  pages = {e1007012},\n",
     {"volume": "16", "issue": "8", "page": "e1007012"},
     {"isPartOf": {"@type": "PublicationIssue", "issueNumber": "8", "isPartOf": {
         "@type": "PublicationVolume", "volumeNumber": "16", "isPartOf": PLOS}},
      "pagination": "e1007012"}),
    # proceedings: a single page written as a number
    ('{type: proceedings, name: "Medical Image Computing – MICCAI 2018", pages: 234}',
     "  booktitle = {Medical Image Computing – MICCAI 2018},\n  pages = {234},\n",
     {"page": "234"}, {"isPartOf": MICCAI, "pagination": "234"}),
    # a volume as text, a range of prefixed pages
    ('{type: proceedings, name: "Medical Image Computing – MICCAI 2018", volume: 12B, '
     'pages: S1-S12}',
     "  booktitle = {Medical Image Computing – MICCAI 2018},\n"
     "  volume = {12B},\n  pages = {S1--S12},\n",
     {"volume": "12B", "page": "S1-S12"},
     {"isPartOf": {"@type": "PublicationVolume", "volumeNumber": "12B", "isPartOf": MICCAI},
      "pageStart": "S1", "pageEnd": "S12"}),
])
def test_volume_issue_and_pages_reach_every_reference_format(
    export_catalogue: Path, tmp_path: Path, written: str, bibtex: str, csl: dict[str, str],
    jsonld: dict[str, Any],
) -> None:
    from dl4mic_hub.export.references import bibtex_entry, csl_item

    folder = tmp_path / "catalogue"
    shutil.copytree(export_catalogue, folder)
    text = PAPER_DELTA.replace(
        'published_in: {type: proceedings, name: "Medical Image Computing – MICCAI 2018"}',
        f"published_in: {written}")
    (folder / "resources" / "paper-delta.yml").write_text(text, encoding="utf-8")
    result = validate_catalogue(folder)
    assert [d.format_text() for d in result.diagnostics if "paper-delta" in d.format_text()] == []
    delta = result.catalogue.by_id()["paper-delta"]
    # after the venue, before the year, as BibTeX styles print them
    assert f"{bibtex}  year = {{2018}}," in bibtex_entry(delta)
    item = csl_item(delta)
    assert {key: item[key] for key in ("volume", "issue", "page") if key in item} == csl
    page = render_site(result.catalogue, site_url=SITE).pages["en"]["resources/paper-delta.md"]
    node = json.loads(yaml.safe_load(page.split("---\n", 2)[1])["jsonld"])  # its front matter
    assert {key: node[key] for key in ("isPartOf", "pagination", "pageStart", "pageEnd")
            if key in node} == jsonld


@pytest.mark.parametrize(("lang", "label"), [("fr", "Revue"), ("en", "Journal")])
def test_a_paper_page_says_where_it_was_published(
    rendered: RenderedSite, lang: str, label: str
) -> None:
    page = rendered.pages[lang]["resources/paper-gamma.md"]
    fact = re.search(rf"<li><strong>{label}</strong>[^<]*<cite>(.*?)</cite>(.*?)</li>", page)
    assert fact is not None
    assert "<b>" not in fact.group(1)  # catalogue text, shown as text
    assert html.unescape(fact.group(1)).replace("\\", "") == (
        "Journal of {Braces} & <b>Tags</b> 100%")
    # volume(issue), pages, as references print, never broken at the dash
    assert fact.group(2) == ", <span class=\"dl-nowrap\">18(S1), 100–106</span>"
    book = rendered.pages[lang]["resources/book-epsilon.md"]
    assert "<cite>" not in book
    publisher = re.search(r"<li><strong>(?:Éditeur|Publisher)</strong>[^<]*?([^<]*)</li>", book)
    assert publisher is not None and "<i>" not in book
    assert html.unescape(publisher.group(1)).replace("\\", "").endswith(
        "O'Reilly & {Sons} <i>Press</i> 100%_#")
    # the edition its BibTeX gives, in the page's words
    edition = re.search(r"<li><strong>(?:Édition|Edition)</strong>[^<]*?([^<]*)</li>", book)
    assert edition is not None
    assert html.unescape(edition.group(1)).endswith(
        {"fr": "\u00a0: 2e édition", "en": ": 2nd edition"}[lang])


def test_an_arxiv_preprint_carries_its_arxiv_identifier(
    export_catalogue: Path, tmp_path: Path
) -> None:
    # biblatex and natbib print eprint/archiveprefix as "arXiv:1706.03762", linked
    from dl4mic_hub.export.references import bibtex_entry

    folder = tmp_path / "catalogue"
    shutil.copytree(export_catalogue, folder)
    arxiv = PAPER_DELTA.replace("paper-delta", "paper-eta").replace(
        "doi: 10.1007/978-3-030-00934-2_30", "doi: 10.48550/arXiv.1706.03762").replace(
        "type: proceedings, name: \"Medical Image Computing – MICCAI 2018\"",
        "type: preprint, name: arXiv")
    (folder / "resources" / "paper-eta.yml").write_text(arxiv, encoding="utf-8")
    result = validate_catalogue(folder)
    assert [d.format_text() for d in result.diagnostics if "paper-eta" in d.format_text()] == []
    eta = bibtex_entry(result.catalogue.by_id()["paper-eta"])
    assert eta.startswith("@misc{paper-eta,\n")
    assert "  howpublished = {arXiv},\n" in eta
    assert "  eprint = {1706.03762},\n  archiveprefix = {arXiv},\n" in eta
    # any other DOI has none
    assert "eprint" not in bibtex_entry(result.catalogue.by_id()["paper-gamma"])
    # without a venue an arXiv DOI still names a preprint (it was an @article with no journal)
    bare_text = arxiv.replace("published_in: {type: preprint, name: arXiv}\n", "")
    assert "published_in" not in bare_text
    (folder / "resources" / "paper-eta.yml").write_text(bare_text, encoding="utf-8")
    bare = bibtex_entry(validate_catalogue(folder).catalogue.by_id()["paper-eta"])
    assert bare.startswith("@misc{paper-eta,\n") and "  howpublished = {arXiv},\n" in bare
    # a book its publisher printed, with an arXiv copy: the book, its arXiv id as eprint
    book_text = bare_text.replace("kind: paper", "kind: book") + "publisher: Cambridge UP\n"
    (folder / "resources" / "paper-eta.yml").write_text(book_text, encoding="utf-8")
    book = bibtex_entry(validate_catalogue(folder).catalogue.by_id()["paper-eta"])
    assert book.startswith("@book{paper-eta,\n") and "howpublished" not in book
    assert "  publisher = {Cambridge UP},\n" in book and "  eprint = {1706.03762},\n" in book


def test_every_venue_type_has_its_reference_types() -> None:
    # vocab/venue-types.yml is data; the BibTeX and CSL types of each key are in code
    from dl4mic_hub.export.references import VENUE_TYPES

    vocabulary = yaml.safe_load((ROOT / "catalogue/vocab/venue-types.yml").read_text("utf-8"))
    assert set(VENUE_TYPES) == set(vocabulary["values"])


def test_references_csl_json_holds_the_same_references(rendered: RenderedSite) -> None:
    items = {i["id"]: i for i in json.loads(rendered.root_files["data/references.json"])}
    assert set(items) == {"book-epsilon", "paper-gamma"}
    assert items["paper-gamma"]["type"] == "article-journal"
    assert items["paper-gamma"]["container-title"] == "Journal of {Braces} & <b>Tags</b> 100%"
    assert items["paper-gamma"]["DOI"] == "10.1234/gamma.5678"
    assert items["paper-gamma"]["issued"] == {"date-parts": [[2021]]}
    assert items["paper-gamma"]["author"][0] == {"family": "Caicedo", "given": "J. C."}
    assert items["book-epsilon"]["type"] == "book"
    assert items["book-epsilon"]["edition"] == 2
    assert items["book-epsilon"]["publisher"] == "O'Reilly & {Sons} <i>Press</i> 100%_#"
    # CSL's names; the range keeps its hyphen, which citeproc prints as an en dash
    assert {key: items["paper-gamma"][key] for key in ("volume", "issue", "page")} == {
        "volume": "18", "issue": "S1", "page": "100-106"}
    assert "publisher" not in items["paper-gamma"]
    assert not {"volume", "issue", "page"} & set(items["book-epsilon"])
    assert "edition" not in items["paper-gamma"]
    for item in items.values():
        assert item["custom"]["metadata_license"] == CONTENT_LICENCE.url


def test_cite_block_only_on_pages_of_citable_references(rendered: RenderedSite) -> None:
    for lang in LANGUAGES:
        pages = rendered.pages[lang]
        page = html.unescape(pages["resources/paper-gamma.md"])
        block = re.search(r'<pre class="dl-cite"><code>(.*?)</code></pre>', page, re.S)
        assert block is not None
        assert block.group(1).startswith("@article{paper-gamma,\n")
        assert "\\{braces\\}" in block.group(1)
        assert '<pre class="dl-cite">' in pages["resources/book-epsilon.md"]
        assert '<pre class="dl-cite">' not in pages["resources/paper-zeta-uncitable.md"]
        assert '<pre class="dl-cite">' not in pages["resources/alpha-tool.md"]
        # the sentence above the record links to the page with every reference
        intro = re.search(r"<p>([^\n]*)</p>\n<pre class=\"dl-cite\">", page)
        assert intro is not None
        # and the file itself is a link, from the page's folder up to the site's root
        assert '<a href="../../../data/references.bib"><code>data/references.bib</code></a>' \
            in intro.group(1)
        assert '<a href="../../open-data/">' in intro.group(1)


# --- feeds ------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGUAGES)
def test_atom_feed_parses_and_lists_recent_entries_newest_first(
    rendered: RenderedSite, catalogue: Catalogue, lang: str
) -> None:
    feed = feedparser.parse(rendered.files[lang]["feed.xml"])
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.language == lang
    assert feed.feed.updated == "2026-03-10T00:00:00Z"  # paper-gamma's review, not the clock
    assert CONTENT_LICENCE.url in feed.feed.rights
    total = sum(1 for _ in catalogue.all_entries())
    assert len(feed.entries) == min(total, FEED_LIMIT)
    assert {e.id for e in feed.entries} <= {
        f"{SITE}{lang}/{path}" for path in _entry_addresses(catalogue)
    }
    updated = [e.updated for e in feed.entries]
    assert updated == sorted(updated, reverse=True)
    first = feed.entries[0]
    assert first.id == f"{SITE}{lang}/resources/paper-gamma/"
    assert first.published == "2026-03-04T00:00:00Z"
    assert first.link == first.id


def test_both_feeds_hold_the_same_entries_when_the_limit_cuts(
    catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    # cut after each language's name order, the French and English feeds differed (37 of 50
    # shared, on a day that added many entries)
    monkeypatch.setattr("dl4mic_hub.export.feeds.FEED_LIMIT", 3)
    monkeypatch.setattr("dl4mic_hub.export.feeds.changed_on", lambda entry: "2026-01-01")
    files = render_site(catalogue, site_url=SITE, jobs=1).files
    ids = {lang: {e.id.split(f"/{lang}/", 1)[1] for e in
                  feedparser.parse(files[lang]["feed.xml"]).entries} for lang in LANGUAGES}
    assert len(ids["fr"]) == 3 and ids["fr"] == ids["en"], ids


def _entry_addresses(catalogue: Catalogue) -> set[str]:
    from dl4mic_hub.render import entry_page, page_url

    return {page_url(entry_page(e)) for e in catalogue.all_entries()}


# --- harvest sitemap --------------------------------------------------------------------------
def test_harvest_sitemap_lists_the_pages_that_describe_entries(
    rendered: RenderedSite, catalogue: Catalogue
) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.fromstring(rendered.files["en"]["sitemap-entries.xml"])
    locs = [u.findtext("s:loc", namespaces=ns) for u in root.findall("s:url", ns)]
    expected = {f"{SITE}en/resources/{rid}/" for rid in entry_ids(catalogue, "resource")}
    expected |= {f"{SITE}en/{page}/" for page in ("faq", "glossary", "cheatsheets")}
    assert set(locs) == expected and len(locs) == len(expected)
    for url in root.findall("s:url", ns):
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", url.findtext("s:lastmod", namespaces=ns) or "")


# --- licences and citation --------------------------------------------------------------------
def test_every_export_states_its_licence(rendered: RenderedSite) -> None:
    files = rendered.root_files
    assert json.loads(files["data/catalogue.json"])["license"]["id"] == "CC-BY-4.0"
    assert all(CONTENT_LICENCE.url in row["metadata_license"]
               for row in read_csv(files["data/catalogue.csv"]))
    assert CONTENT_LICENCE.url in files["data/references.bib"].splitlines()[1]
    assert "CC BY 4.0" in json.loads(files["schemas/catalogue.schema.json"])["description"]
    for lang in LANGUAGES:
        assert CONTENT_LICENCE.url in feedparser.parse(rendered.files[lang]["feed.xml"]).feed.rights


def test_open_data_page_lists_every_file_its_licence_and_how_to_cite(
    rendered: RenderedSite,
) -> None:
    for lang in LANGUAGES:
        page = html.unescape(rendered.pages[lang]["open-data.md"])
        for path in rendered.root_files:
            assert path in page, path
        for other in LANGUAGES:
            assert f"{other}/feed.xml" in page
        assert CONTENT_LICENCE.url in page and ATTRIBUTION in page
        assert f"{SITE}en/sitemap-entries.xml" in page  # what TeSS registers
        assert "@misc{dl4mic-hub," in page and "CITATION.cff" in page


def test_licence_files_and_package_metadata() -> None:
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert ATTRIBUTION in (ROOT / "LICENSE").read_text(encoding="utf-8")
    content = (ROOT / "LICENSE-content").read_text(encoding="utf-8")
    assert CONTENT_LICENCE.url in content and ATTRIBUTION in content
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^license = "MIT"$', pyproject, re.M)
    for lang in LANGUAGES:  # the footer of each language's pages
        footer = footer_licence(lang, "https://github.com/example/hub")
        assert CONTENT_LICENCE.url in footer and "MIT" in footer
        # the attribution, in the page's words ("les contributeurs de dl4mic-hub" in French)
        assert ("contributeurs de dl4mic-hub" if lang == "fr" else ATTRIBUTION) in footer
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme and "LICENSE-content" in readme


def test_citation_cff_is_valid_and_says_what_the_site_says() -> None:
    """Validated offline against the Citation File Format 1.2.0 schema (the file cffconvert
    validates with; cffconvert itself pins jsonschema < 4 and cannot share our environment)."""
    citation: dict[str, Any] = yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    assert [e.message for e in validator.iter_errors(citation)] == []
    assert citation["title"] == CATALOGUE_TITLE
    assert citation["authors"] == [{"name": ATTRIBUTION}]
    assert citation["license"] == CONTENT_LICENCE.spdx
    # the program's version (0.1.0) once stood here, while the site cites the catalogue by the
    # date of its latest change: two versions for one dataset
    assert "version" not in citation
    broken = {**citation, "license": "CC-BY-FOO"}
    assert list(validator.iter_errors(broken)), "the schema check can fail"


@pytest.mark.parametrize(("url", "kept"), [
    ("https://example.org/tool", True),
    ("HTTPS://Example.org/tool", True),  # a scheme in capitals is the same address (RFC 3986)
    ("  http://example.org/  ", True),
    ("mailto:someone@example.org", False),
    ("#section", False),
    ("javascript:alert(1)", False),
    ("https://example.org/a b", False),
    ("", False),
])
def test_a_web_address_is_what_a_browser_opens(url: str, kept: bool) -> None:
    assert (web_address(url) is not None) is kept
    if kept:
        assert web_address(url) == url.strip()


def test_exports_and_pages_name_the_same_web_addresses(
    export_catalogue: Path, tmp_path: Path
) -> None:
    # An address linked on the page was once written as null in catalogue.json because of its
    # capitals: the page's button and every export give the same address, as written.
    folder = tmp_path / "catalogue"
    shutil.copytree(export_catalogue, folder)
    entry_file = folder / "resources" / "paper-gamma.yml"
    address = "HTTPS://Gamma.example.org/Paper"
    text = entry_file.read_text(encoding="utf-8")
    assert "url: https://gamma.example.org/paper\n" in text
    entry_file.write_text(text.replace("https://gamma.example.org/paper", address), "utf-8")
    result = validate_catalogue(folder)
    assert result.ok, [d.format_text() for d in result.diagnostics]
    site = render_site(result.catalogue, site_url=SITE)
    named = {}
    for lang in LANGUAGES:
        page = site.pages[lang]["resources/paper-gamma.md"]
        button = re.search(r'<a class="md-button[^"]*" href="([^"]+)"', page)
        named[f"{lang} page button"] = html.unescape(button.group(1)) if button else None
        named[f"{lang} JSON-LD"] = json.loads(yaml.safe_load(
            page.split("---\n")[1])["jsonld"])["url"]
    files = site.root_files
    entries = {e["id"]: e for e in json.loads(files[CATALOGUE_JSON])["entries"]}
    named["catalogue.json"] = entries["paper-gamma"]["url"]
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(files[CATALOGUE_CSV]))}
    named["catalogue.csv"] = rows["paper-gamma"]["URL"]
    references = {item["id"]: item for item in json.loads(files[REFERENCES_CSL])}
    named["references.json"] = references["paper-gamma"]["URL"]
    bib = re.search(r"@article\{paper-gamma,.*?url = \{([^}]*)\}", files[REFERENCES_BIB], re.S)
    named["references.bib"] = bib.group(1) if bib else None
    assert named == dict.fromkeys(named, address)

