"""Structured data: every page carries JSON-LD that cannot break out of its script element,
with schema.org types, Bioschemas profiles and links between the two language versions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.bioschemas import COMPUTATIONAL_TOOL, REQUIRED, TRAINING_MATERIAL

from dl4mic_hub import LANGUAGES
from dl4mic_hub.export.jsonld import script_json
from dl4mic_hub.model import read_catalogue
from dl4mic_hub.render import RenderedSite, render_site
from dl4mic_hub.validate import validate_catalogue

ROOT = Path(__file__).resolve().parents[1]
SITE = "https://example.org/hub/"


@pytest.fixture(scope="module")
def rendered(export_catalogue: Path) -> RenderedSite:
    result = validate_catalogue(export_catalogue)
    assert result.ok
    return render_site(result.catalogue, site_url=SITE)


def front_matter(page: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(page.split("---\n", 2)[1])
    return data


def jsonld(rendered: RenderedSite, lang: str, path: str) -> dict[str, Any]:
    text = front_matter(rendered.pages[lang][path])["jsonld"]
    assert not {"<", ">", "&"} & set(text), "the JSON must never close its script element"
    data: dict[str, Any] = json.loads(text)
    return data


def types_of(node: dict[str, Any]) -> list[str]:
    value = node["@type"]
    return value if isinstance(value, list) else [value]


def test_script_json_cannot_close_its_element_and_keeps_the_text() -> None:
    tricky = {"name": "</script><script>alert(1)</script><!-- & -->", "n": "a\u2028b"}
    text = script_json(tricky)
    assert not {"<", ">", "&"} & set(text)
    assert json.loads(text) == tricky


def test_every_kind_of_the_catalogue_has_its_schema_org_types() -> None:
    catalogue, _ = read_catalogue(ROOT / "catalogue")
    own_shapes = {"faq", "glossary"}  # their pages are a FAQPage and a DefinedTermSet
    terms = catalogue.vocabularies["kinds"].terms
    untyped = [key for key, term in terms.items() if not term.schema_org]
    assert set(untyped) <= own_shapes


def test_every_page_has_json_ld_in_its_language_linked_to_its_translation(
    rendered: RenderedSite,
) -> None:
    primary = LANGUAGES[0]
    for lang in LANGUAGES:
        for path in rendered.pages[lang]:
            node = jsonld(rendered, lang, path)
            assert node["@context"] == "https://schema.org"
            assert node["@id"].startswith(f"{SITE}{lang}/"), path
            if lang == primary:
                others = node["workTranslation"]
                others = others if isinstance(others, list) else [others]
                assert [o["@id"] for o in others] == [
                    node["@id"].replace(f"/{lang}/", f"/{other}/", 1)
                    for other in LANGUAGES if other != primary
                ], path
            else:
                assert node["translationOfWork"]["@id"] == node["@id"].replace(
                    f"/{lang}/", f"/{primary}/", 1), path


def test_resource_pages_describe_the_resource_with_its_bioschemas_profile(
    rendered: RenderedSite,
) -> None:
    profiles_seen = set()
    for path in [p for p in rendered.pages["en"] if p.startswith("resources/")]:
        node = jsonld(rendered, "en", path)
        assert node["@id"] == f"{SITE}en/{path.removesuffix('.md')}/"
        profile = node.get("dct:conformsTo", {}).get("@id")
        for prop in REQUIRED.get(profile, ("name", "description")):
            assert node.get(prop), (path, prop)
        profiles_seen.add(profile)
        assert node["sdLicense"] == "https://creativecommons.org/licenses/by/4.0/"
    assert {TRAINING_MATERIAL, COMPUTATIONAL_TOOL} <= profiles_seen

    tool = jsonld(rendered, "en", "resources/alpha-tool.md")
    assert types_of(tool) == ["SoftwareApplication"]
    assert tool["url"] == "https://alpha.example.org/"  # the resource, not our page
    assert tool["featureList"] == ["http://edamontology.org/operation_Image_segmentation"]
    assert tool["educationalLevel"] == "Beginner"
    course = jsonld(rendered, "fr", "resources/beta-course.md")
    assert types_of(course) == ["LearningResource"]
    assert course["learningResourceType"] == "Cours"
    assert course["inLanguage"] == "fr"  # the course's own language
    book = jsonld(rendered, "en", "resources/book-epsilon.md")
    assert set(types_of(book)) == {"Book", "LearningResource"}
    assert book["license"] == "https://spdx.org/licenses/CC-BY-4.0"
    assert book["bookEdition"] == "2"
    assert book["publisher"] == {"@type": "Organization",
                                 "name": "O'Reilly & {Sons} <i>Press</i> 100%_#"}
    paper = jsonld(rendered, "en", "resources/paper-gamma.md")
    assert types_of(paper) == ["ScholarlyArticle"]
    assert paper["identifier"] == "https://doi.org/10.1234/gamma.5678"
    assert paper["sameAs"] == ["https://doi.org/10.1234/gamma.5678"]
    assert paper["datePublished"] == "2021"
    assert "bookEdition" not in paper
    # its journal (published_in), typed by vocab/venue-types.yml, inside its volume and
    # issue as schema.org nests them; its pages are the article's
    assert paper["isPartOf"] == {
        "@type": "PublicationIssue", "issueNumber": "S1",
        "isPartOf": {"@type": "PublicationVolume", "volumeNumber": "18",
                     "isPartOf": {"@type": "Periodical",
                                  "name": "Journal of {Braces} & <b>Tags</b> 100%"}}}
    assert (paper["pageStart"], paper["pageEnd"]) == ("100", "106")
    assert "pagination" not in paper and "publisher" not in paper
    # a preprint server is no periodical: it is the paper's publisher
    preprint = jsonld(rendered, "en", "resources/paper-zeta-uncitable.md")
    assert preprint["publisher"] == {"@type": "Organization", "name": "arXiv"}
    assert "isPartOf" not in preprint
    # no "et al.": a harvester would make it a person
    assert paper["author"] == ["Caicedo JC", "Carsen Stringer", "Ludwig van Beethoven"]
    assert "a < b > c" in paper["name"]  # escaped in the page, intact once parsed
    legacy = jsonld(rendered, "en", "resources/delta-legacy.md")
    assert legacy["creativeWorkStatus"] == "Discontinued"
    no_url = jsonld(rendered, "en", "resources/eco-annotator.md")
    assert no_url["url"] == no_url["@id"]


def test_a_cheat_sheet_type_may_type_its_sheets(rendered: RenderedSite) -> None:
    # vocab/cheatsheet-types.yml: a drawing tool is software, other sheets are learning material
    parts = {part["name"]: part for part in jsonld(rendered, "en", "cheatsheets.md")["hasPart"]}
    drawer, sheet = parts["Network drawer"], parts["Gamma sheet"]
    assert types_of(drawer) == ["SoftwareApplication"]
    assert drawer["dct:conformsTo"]["@id"] == COMPUTATIONAL_TOOL
    assert types_of(sheet) == ["LearningResource"]
    assert sheet["dct:conformsTo"]["@id"] == TRAINING_MATERIAL


def test_faq_glossary_and_cheat_sheets_have_their_own_shapes(rendered: RenderedSite) -> None:
    faq = jsonld(rendered, "en", "faq.md")
    assert faq["@type"] == "FAQPage"
    assert [q["@id"] for q in faq["mainEntity"]] == [f"{SITE}en/faq/#answered-question"]
    assert faq["mainEntity"][0]["acceptedAnswer"]["text"]  # open questions are left out
    glossary = jsonld(rendered, "fr", "glossary.md")
    assert glossary["@type"] == "DefinedTermSet"
    terms = {t["termCode"]: t for t in glossary["hasDefinedTerm"]}
    assert set(terms) == {"epoch", "loss"}
    assert all(t["inDefinedTermSet"]["@id"] == glossary["@id"] for t in terms.values())
    sheets = jsonld(rendered, "en", "cheatsheets.md")
    assert sheets["@type"] == "CollectionPage"
    for part in sheets["hasPart"]:
        assert part["@id"].startswith(f"{SITE}en/cheatsheets/#")
        for prop in REQUIRED[part["dct:conformsTo"]["@id"]]:
            assert part.get(prop), prop
        assert part["translationOfWork"]["@id"].startswith(f"{SITE}fr/cheatsheets/#")


def test_home_page_describes_the_site(rendered: RenderedSite) -> None:
    home = jsonld(rendered, "en", "index.md")
    assert home["@type"] == "WebSite" and home["@id"] == f"{SITE}en/"
    assert home["name"] == "dl4mic-hub: deep learning for microscopy"
    assert home["publisher"]["name"] == "dl4mic-hub contributors"
    section = jsonld(rendered, "fr", "sections/tools.md")
    assert section["@type"] == "CollectionPage"
    assert section["isPartOf"] == {"@id": f"{SITE}fr/"}


def test_open_data_page_describes_the_catalogue_as_a_dataset(rendered: RenderedSite) -> None:
    node = jsonld(rendered, "en", "open-data.md")
    dataset = node["mainEntity"]
    assert dataset["@type"] == "Dataset"
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    downloads = {d["contentUrl"] for d in dataset["distribution"]}
    assert f"{SITE}data/catalogue.json" in downloads
    assert f"{SITE}data/catalogue.csv" in downloads


def test_every_page_has_open_graph_settings_and_a_description(rendered: RenderedSite) -> None:
    for lang in LANGUAGES:
        descriptions: dict[str, str] = {}
        for path, page in rendered.pages[lang].items():
            meta = front_matter(page)
            assert meta["og"]["locale"] == {"fr": "fr_FR", "en": "en_GB"}[lang]
            assert meta["og"]["type"] == ("website" if path == "index.md" else "article")
            assert meta.get("description"), (lang, path)
            first = descriptions.setdefault(meta["description"], path)
            assert first == path, f"{lang}: {path} has the description of {first}"
