"""The open data in built sites: what a harvester, a feed reader or a search engine fetches.

Two builds of the fixture catalogue (with and without a link report) and one of the real
catalogue, read back with real parsers: extruct for JSON-LD, feedparser, bibtexparser, csv and
the published JSON Schemas.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import bibtexparser
import extruct
import feedparser
import jsonschema
import pytest
from referencing import Registry, Resource
from support.bioschemas import REQUIRED

from dl4mic_hub import LANGUAGES
from dl4mic_hub.cli import main
from dl4mic_hub.export.references import is_reference

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "mkdocs.yml"
SITE = "https://example.org/hub/"
FIXTURES = Path(__file__).parent / "fixtures" / "export"
REPORT = FIXTURES / "link-report.json"
XHTML = "{http://www.w3.org/1999/xhtml}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

pytestmark = pytest.mark.build


class Head(HTMLParser):
    """The <head> metadata of a built page."""

    def __init__(self) -> None:
        super().__init__()
        self.alternates: set[tuple[str, str]] = set()
        self.feeds: list[str] = []
        self.meta: dict[str, list[str]] = {}
        self.canonical = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and a.get("rel") == "alternate":
            if a.get("type") == "application/atom+xml":
                self.feeds.append(a["href"])
            elif "hreflang" in a:
                self.alternates.add((a["hreflang"], a["href"]))
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a["href"]
        elif tag == "meta" and ("property" in a or "name" in a):
            self.meta.setdefault(a.get("property") or a["name"], []).append(a.get("content", ""))


def head_of(path: Path) -> Head:
    parser = Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def json_ld(path: Path, url: str) -> list[dict[str, Any]]:
    found = extruct.extract(path.read_text(encoding="utf-8"), base_url=url,
                            syntaxes=["json-ld"], uniform=False)
    items: list[dict[str, Any]] = found["json-ld"]
    return items


def page_file(site: Path, url: str, base: str = SITE) -> Path:
    rel = url.removeprefix(base).split("#")[0]
    return site / rel / "index.html"


def html_pages(site: Path, lang: str) -> list[Path]:
    return sorted(p for p in (site / lang).rglob("index.html"))


def url_of(site: Path, path: Path, base: str = SITE) -> str:
    rel = path.parent.relative_to(site).as_posix()
    return f"{base}{rel}/"


@pytest.fixture(scope="module")
def fixture_site(export_catalogue: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built through the command line, as the Pages workflow does, with a link report."""
    folder = tmp_path_factory.mktemp("export-site")
    history = folder / "cache" / "link-history.json"
    code = main(["build", "--catalogue", str(export_catalogue), "--site-dir",
                 str(folder / "site"), "--config", str(CONFIG), "--site-url", SITE,
                 "--link-report", str(REPORT), "--link-history", str(history)])
    assert code == 0
    assert json.loads(history.read_text(encoding="utf-8"))["runs"] == 1
    return folder / "site"


# --- the fixture site -------------------------------------------------------------------------
def test_every_file_is_written_at_its_place(fixture_site: Path) -> None:
    for path in ("data/catalogue.json", "data/catalogue.csv", "data/references.bib",
                 "data/references.json", "schemas/catalogue.schema.json",
                 "schemas/resource.schema.json", "schemas/common.schema.json"):
        assert (fixture_site / path).is_file(), path
    for lang in LANGUAGES:
        for name in ("feed.xml", "sitemap-entries.xml", "open-data/index.html",
                     "link-health/index.html"):
            assert (fixture_site / lang / name).is_file(), (lang, name)
    robots = (fixture_site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {SITE}en/sitemap-entries.xml" in robots


def test_the_open_data_page_gives_every_size_as_its_language_writes_numbers(
    fixture_site: Path,
) -> None:
    for lang, unit, mark in (("fr", "Ko", ","), ("en", "KB", ".")):
        page = (fixture_site / lang / "open-data" / "index.html").read_text(encoding="utf-8")
        rows = re.findall(r"<tr[^>]*>(.*?)</tr>", page.split('class="dl-data-files')[1]
                          .split("</table>")[0], re.S)[1:]  # after the header row
        sizes = [re.findall(r"<td[^>]*>([^<]*)</td>", row)[-1] for row in rows]
        # the files and both feeds, each with a size ("929.5 Ko" and empty feed sizes before)
        assert sum("feed.xml" in row for row in rows) == 2
        # the unit bound to its number: "1249,1 / Ko" wrapped in the narrow column
        assert all(re.fullmatch(rf"\d+\{mark}\d\u00a0{unit}", size) for size in sizes), sizes


def test_every_page_head_has_json_ld_open_graph_feed_and_a_description(
    fixture_site: Path,
) -> None:
    for lang in LANGUAGES:
        descriptions: dict[str, Path] = {}
        for path in html_pages(fixture_site, lang):
            url = url_of(fixture_site, path)
            head = head_of(path)
            (node,) = json_ld(path, url)
            assert node["@id"].split("#")[0] == url
            # the language's feed, relative ("./feed.xml" under Zensical, "feed.xml" MkDocs)
            feeds = [feed.removeprefix("./") for feed in head.feeds]
            assert feeds == [f"{'../' * (url.count('/') - 5)}feed.xml"], url
            assert head.meta["og:url"] == [url] == [head.canonical]
            assert head.meta["og:locale"] == [{"fr": "fr_FR", "en": "en_GB"}[lang]]
            assert head.meta["twitter:card"] == ["summary"]
            (description,) = head.meta["description"]
            assert description and head.meta["og:description"] == [description]
            assert descriptions.setdefault(description, path) == path, "descriptions differ"


def test_head_hreflang_alternates_match_the_sitemaps(fixture_site: Path) -> None:
    for lang in LANGUAGES:
        root = ET.parse(fixture_site / lang / "sitemap.xml").getroot()
        listed = 0
        for url in root.iter(f"{SITEMAP}url"):
            loc = url.findtext(f"{SITEMAP}loc") or ""
            in_sitemap = {(link.get("hreflang"), link.get("href"))
                          for link in url.iter(f"{XHTML}link")}
            head = head_of(page_file(fixture_site, loc))
            assert head.alternates == in_sitemap, loc
            assert {h for h, _ in in_sitemap} == {*LANGUAGES, "x-default"}
            listed += 1
        assert listed == len(html_pages(fixture_site, lang))


def test_french_and_english_pages_of_an_entry_point_at_each_other(fixture_site: Path) -> None:
    for path in html_pages(fixture_site, "fr"):
        if "/resources/" not in path.as_posix():
            continue
        fr_url = url_of(fixture_site, path)
        en_url = fr_url.replace("/fr/", "/en/", 1)
        (fr,) = json_ld(path, fr_url)
        (en,) = json_ld(page_file(fixture_site, en_url), en_url)
        assert fr["workTranslation"] == {"@id": en_url}
        assert en["translationOfWork"] == {"@id": fr_url}
        assert ("en", en_url) in head_of(path).alternates
        assert ("fr", fr_url) in head_of(page_file(fixture_site, en_url)).alternates


def test_link_health_is_shown_from_the_report(fixture_site: Path) -> None:
    alpha = (fixture_site / "fr" / "resources" / "alpha-tool" / "index.html").read_text("utf-8")
    assert 'lien vérifié le <time datetime="2026-03-01">1er\u00a0mars\u00a02026</time>' in alpha
    health = (fixture_site / "en" / "link-health" / "index.html").read_text("utf-8")
    assert "https://beta.example.org/course" in health  # broken once: listed as doubtful
    beta = (fixture_site / "en" / "resources" / "beta-course" / "index.html").read_text("utf-8")
    assert "dl-link-broken" not in beta


def test_a_new_kind_without_a_schema_org_type_builds_as_a_creative_work(
    export_catalogue: Path, tmp_path: Path,
) -> None:
    catalogue = tmp_path / "catalogue"
    shutil.copytree(export_catalogue, catalogue)
    shutil.copytree(FIXTURES / "new-kind", catalogue, dirs_exist_ok=True)
    kinds = catalogue / "vocab" / "kinds.yml"
    kinds.write_text(kinds.read_text(encoding="utf-8")
                     + "  notebook: {label: {fr: Carnet, en: Notebook}}\n", encoding="utf-8")
    code = main(["build", "--catalogue", str(catalogue), "--site-dir", str(tmp_path / "site"),
                 "--config", str(CONFIG), "--site-url", SITE])
    assert code == 0
    for lang in LANGUAGES:
        url = f"{SITE}{lang}/resources/iota-notebook/"
        (node,) = json_ld(page_file(tmp_path / "site", url), url)
        assert node["@type"] == "CreativeWork" and "dct:conformsTo" not in node
        assert node["url"] == "https://iota.example.org/"


def test_a_bad_link_report_is_a_usage_error_and_leaves_the_site(
    export_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dl4mic_hub.build.folders import BUILD_MARKER

    site = tmp_path / "site"
    site.mkdir()
    (site / BUILD_MARKER).write_text("", encoding="utf-8")  # a site of ours, replaceable
    (site / "keep.txt").write_text("previous site", encoding="utf-8")
    bad = tmp_path / "report.json"
    bad.write_text('{"results": "nope"}', encoding="utf-8")
    monkeypatch.setenv("DL4MIC_LINK_REPORT", str(bad))  # the option's default comes from here
    code = main(["build", "--catalogue", str(export_catalogue), "--site-dir", str(site),
                 "--config", str(CONFIG)])
    assert code == 2
    assert "report.json:1:1: error: not a link report" in capsys.readouterr().err
    assert sorted(p.name for p in site.iterdir()) == sorted([BUILD_MARKER, "keep.txt"])


# --- the real catalogue -----------------------------------------------------------------------
def test_real_exports_parse_and_hold_every_entry(real_site: Any) -> None:
    site, catalogue = real_site.root, real_site.report.validation.catalogue
    data = json.loads((site / "data" / "catalogue.json").read_text(encoding="utf-8"))
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema))
        for schema in (json.loads(p.read_text("utf-8")) for p in (site / "schemas").glob("*.json"))
    )
    validator = jsonschema.Draft202012Validator(registry.contents(data["$schema"]),
                                                registry=registry)
    assert [e.message for e in validator.iter_errors(data)] == []
    ids = [e.id for e in catalogue.all_entries()]
    assert [e["id"] for e in data["entries"]] == ids

    rows = list(csv.DictReader(io.StringIO((site / "data" / "catalogue.csv").read_text("utf-8"))))
    assert [r["id"] for r in rows] == [e.id for e in catalogue.of_type("resource")]

    library = bibtexparser.parse_string((site / "data" / "references.bib").read_text("utf-8"))
    cited = sorted(e.id for e in catalogue.of_type("resource") if is_reference(e))
    assert library.failed_blocks == [] and sorted(e.key for e in library.entries) == cited
    assert len(cited) >= 20  # the catalogue's papers and books with a DOI or authors and year
    csl = json.loads((site / "data" / "references.json").read_text("utf-8"))
    assert sorted(i["id"] for i in csl) == cited

    for lang in LANGUAGES:
        feed = feedparser.parse((site / lang / "feed.xml").read_bytes())
        assert feed.bozo == 0 and len(feed.entries) == min(len(ids), 50)


# schema.org properties whose domain is CreativeWork (and not Thing or Organization)
CREATIVE_WORK_ONLY = {"author", "creator", "license", "inLanguage", "educationalLevel",
                      "creativeWorkStatus", "sdLicense", "sdPublisher", "workTranslation",
                      "translationOfWork", "isAccessibleForFree", "datePublished", "about"}


def test_real_entry_pages_carry_the_bioschemas_minimum(real_site: Any) -> None:
    site, catalogue, base = real_site.root, real_site.report.validation.catalogue, real_site.url
    seen: dict[str, int] = {}
    for entry in catalogue.of_type("resource"):
        for lang in LANGUAGES:
            url = f"{base}{lang}/resources/{entry.id}/"
            (node,) = json_ld(page_file(site, url, base), url)
            assert node["@id"] == url
            profile = node.get("dct:conformsTo", {}).get("@id")
            for prop in REQUIRED.get(profile, ("name", "description")):
                assert node.get(prop), (url, prop)
            other = url.replace(f"/{lang}/", "/en/" if lang == "fr" else "/fr/", 1)
            link = node.get("workTranslation") or node.get("translationOfWork")
            types = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
            if set(types) <= {"Organization", "Service"}:  # written out, not read from the code
                # an organisation or a service has no author, licence, language or translation
                assert not set(node) & CREATIVE_WORK_ONLY, (url, set(node) & CREATIVE_WORK_ONLY)
            else:
                assert link == {"@id": other}, url
            keywords = node.get("keywords", [])  # "Pretrained models" once, not in two cases
            assert len({k.casefold() for k in keywords}) == len(keywords), (url, keywords)
            key = str(node["@type"])
            seen[key] = seen.get(key, 0) + 1
    assert seen["SoftwareApplication"] > 0 and seen["ScholarlyArticle"] > 0
    assert seen["Organization"] > 0 and seen["Service"] > 0
    assert any("LearningResource" in key for key in seen)
    faq = json_ld(site / "en" / "faq" / "index.html", f"{base}en/faq/")[0]
    answered = [e for e in catalogue.of_type("faq") if e.text("answer")]
    assert faq["@type"] == "FAQPage" and len(faq["mainEntity"]) == len(answered)
    glossary = json_ld(site / "fr" / "glossary" / "index.html", f"{base}fr/glossary/")[0]
    assert len(glossary["hasDefinedTerm"]) == len(catalogue.of_type("glossary"))


def test_real_pages_have_distinct_descriptions(real_site: Any) -> None:
    site = real_site.root
    for lang in LANGUAGES:
        seen: dict[str, str] = {}
        for path in html_pages(site, lang):
            (description,) = head_of(path).meta["description"]
            url = url_of(site, path, real_site.url)
            assert seen.setdefault(description, url) == url, f"{url} repeats {seen[description]}"

