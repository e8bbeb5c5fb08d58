"""End-to-end: the explorer and the header search, in a real headless chromium."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import pytest
from playwright.sync_api import Page, Route, expect

from .conftest import NewContext, with_search_index

pytestmark = pytest.mark.e2e


def result_ids(page: Page) -> list[str]:
    return page.locator("ol.dl-results > li.dl-result").evaluate_all(
        "items => items.map(i => i.dataset.entryId)"
    )


def open_explorer(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator(".dl-explorer__status")).not_to_have_text(re.compile(r"^$|…"))


def test_search_finds_by_meaning_without_accents_and_in_english(
    page: Page, site_url: str
) -> None:
    open_explorer(page, f"{site_url}fr/explore/?q=debruitage")
    accentless = result_ids(page)
    assert accentless, "no result for 'debruitage'"
    open_explorer(page, f"{site_url}fr/explore/?q=d%C3%A9bruitage")
    assert result_ids(page)[:5] == accentless[:5]
    # English words on the French site
    open_explorer(page, f"{site_url}fr/explore/?q=nuclei%20segmentation")
    tools = {"cellpose", "stardist", "micro-sam", "instanseg", "nucleaizer", "deepcell"}
    assert tools & set(result_ids(page)[:3]), result_ids(page)[:3]
    # every result links to the entry's page, in the language of the site
    hrefs = page.locator("ol.dl-results a").evaluate_all("links => links.map(a => a.href)")
    assert hrefs and all(h.startswith(f"{site_url}fr/") for h in hrefs)


def test_typing_updates_results_and_the_url(page: Page, site_url: str) -> None:
    open_explorer(page, f"{site_url}en/explore/")
    total = page.locator(".dl-all li[data-entry-id]").count()
    page.locator("#dl-q").press_sequentially("cellpo", delay=20)  # a prefix, while typing
    expect(page).to_have_url(f"{site_url}en/explore/?q=cellpo")
    expect(page.locator("ol.dl-results > li.dl-result").first).to_have_attribute(
        "data-entry-id", re.compile("cellpose"))
    status = page.locator(".dl-explorer__status").inner_text()
    count = int(re.search(r"\d+", status).group(0))  # type: ignore[union-attr]
    assert 0 < count < total


def matches(page: Page) -> int:
    """The number of matching entries the status line announces."""
    text = page.locator(".dl-explorer__status").inner_text()
    found = re.search(r"\d+", text)
    return int(found.group(0)) if found else 0


def result_field(page: Page, name: str) -> list[Any]:
    """A field of every result shown (``facets``, ``added``...), from the index the page loaded."""
    found: list[Any] = with_search_index(
        page,
        """const byId = Object.fromEntries(index.docs.map(d => [d.id, d[arg]]));
        return [...document.querySelectorAll('li.dl-result')]
            .map(li => byId[li.dataset.entryId]);""",
        name,
    )
    return found


def result_facets(page: Page) -> list[dict[str, list[str]]]:
    """The facet keys of every result shown."""
    return result_field(page, "facets")


def test_facets_combine_count_and_survive_back_and_forward(page: Page, site_url: str) -> None:
    open_explorer(page, f"{site_url}en/explore/")
    everything = page.locator(".dl-explorer__status").inner_text()
    page.locator("input[name=tasks][value=segmentation]").check()
    expect(page).to_have_url(f"{site_url}en/explore/?tasks=segmentation")
    expect(page.locator(".dl-explorer__status")).not_to_have_text(everything)
    segmentation = matches(page)
    assert segmentation and all("segmentation" in f["tasks"] for f in result_facets(page))
    # OR within a facet
    before = page.locator(".dl-explorer__status").inner_text()
    page.locator("input[name=tasks][value=restoration]").check()
    expect(page).to_have_url(f"{site_url}en/explore/?tasks=segmentation,restoration")
    expect(page.locator(".dl-explorer__status")).not_to_have_text(before)  # painted
    either = matches(page)
    assert segmentation < either
    assert all({"segmentation", "restoration"} & set(f["tasks"]) for f in result_facets(page))
    # AND across facets; counts follow; values with no result are disabled
    dims = page.locator("details[data-facet=dims]")
    if dims.get_attribute("open") is None:
        dims.locator("summary").click()
    before = page.locator(".dl-explorer__status").inner_text()
    page.locator("input[name=dims][value='3d']").check()
    expect(page.locator(".dl-explorer__status")).not_to_have_text(before)
    both = matches(page)
    assert 0 < both < either
    assert all("3d" in f.get("dims", []) for f in result_facets(page))
    count_3d = page.locator("label:has(input[name=dims][value='3d']) .dl-facet__count").inner_text()
    assert count_3d == f"({both})"
    assert page.locator(".dl-facet input:disabled").count() > 0
    # Back and Forward walk through the states
    page.go_back()
    expect(page).to_have_url(f"{site_url}en/explore/?tasks=segmentation,restoration")
    expect(page.locator("input[name=dims][value='3d']")).not_to_be_checked()
    expect(page.locator(".dl-explorer__status")).to_contain_text(str(either))
    page.go_forward()
    expect(page.locator("input[name=dims][value='3d']")).to_be_checked()
    expect(page.locator(".dl-explorer__status")).to_contain_text(str(both))
    # a shared link restores the view; "clear all" empties it
    shown = result_ids(page)
    open_explorer(page, page.url)
    assert result_ids(page) == shown
    page.locator(".dl-clear").click()
    expect(page.locator(".dl-explorer__status")).to_have_text(everything)
    expect(page).to_have_url(f"{site_url}en/explore/")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_sorting_by_name_and_recently_added(page: Page, site_url: str, lang: str) -> None:
    open_explorer(page, f"{site_url}{lang}/explore/?sort=name")
    shown = result_ids(page)
    # the site's one name order: the same as the plain list (and every list of the site), where
    # accents, case and leading quotes do not count ("« Which GPU… »" under W, not first)
    site_order = page.locator(".dl-all li[data-entry-id]").evaluate_all(
        "items => items.map(item => item.dataset.entryId)")
    assert len(shown) > 10 and shown == site_order[: len(shown)], (shown[:10], site_order[:10])
    names = page.locator("ol.dl-results .dl-result__name > a").all_inner_texts()
    assert not names[0].startswith(("«", '"', "“")), names[:3]
    open_explorer(page, f"{site_url}{lang}/explore/?sort=recent")
    expect(page.locator("#dl-sort")).to_have_value("recent")
    added = result_field(page, "added")
    assert len(added) > 10 and added == sorted(added, reverse=True), added[:20]


def test_the_default_order_says_name_until_something_is_searched(
    page: Page, site_url: str
) -> None:
    # it said "Relevance" over a list in name order
    open_explorer(page, f"{site_url}en/explore/")
    default = page.locator("#dl-sort option[value='']")
    by_name = page.locator("#dl-sort option[value='name']")
    expect(default).to_have_text("By name, ended projects last")
    expect(by_name).to_have_js_property("hidden", True)  # the same choice twice otherwise
    page.locator("#dl-q").fill("cellpose")
    expect(default).to_have_text("Relevance")
    expect(by_name).to_have_js_property("hidden", False)
    page.locator("#dl-q").fill("")
    expect(default).to_have_text("By name, ended projects last")


def test_header_search_sends_the_query_to_the_explorer(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}fr/glossary/")
    page.locator("#dl-header-q").fill("epoque")
    page.locator("#dl-header-q").press("Enter")
    expect(page).to_have_url(f"{site_url}fr/explore/?q=epoque")
    expect(page.locator("ol.dl-results > li.dl-result").first).to_have_attribute(
        "data-entry-id", "epoch")


def test_a_glossary_hit_lands_on_its_term_on_a_phone(
    new_context: NewContext, site_url: str
) -> None:
    context = new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    open_explorer(page, f"{site_url}en/explore/?q=overfitting")
    page.locator("ol.dl-results li[data-entry-id=overfitting] a").first.click()
    expect(page).to_have_url(f"{site_url}en/glossary/#overfitting")
    term = page.locator("#overfitting")
    expect(term).to_be_in_viewport()


def test_without_javascript_the_whole_list_shows(new_context: NewContext, site_url: str) -> None:
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}fr/explore/")
    expect(page.locator(".dl-explorer")).to_be_hidden()
    items = page.locator(".dl-all li[data-entry-id]")
    expect(items.first).to_be_visible()
    assert items.count() > 150
    # a search sent from another page cannot run: the reader is told, and how to search
    page.goto(f"{site_url}fr/explore/?q=epoch")
    expect(page.locator(".dl-all")).to_contain_text(
        "La recherche et les filtres ont besoin de JavaScript")
    expect(page.locator(".dl-all")).to_contain_text("Ctrl+F")


def test_keyboard_reaches_search_facets_and_results(page: Page, site_url: str) -> None:
    open_explorer(page, f"{site_url}en/explore/?q=napari")
    page.locator("#dl-q").focus()
    reached = set()
    for _ in range(400):
        page.keyboard.press("Tab")
        reached.add(page.evaluate(
            "() => { const e = document.activeElement;"
            " return e.closest('.dl-results') ? 'result' : e.closest('.dl-facet') ? 'facet'"
            " : e.id || e.tagName }"))
        if "result" in reached:
            break
    assert {"dl-sort", "facet", "result"} <= reached, reached
    # the result count is announced
    expect(page.locator(".dl-explorer__status")).to_have_attribute("aria-live", "polite")


def test_closed_facets_show_that_they_open(page: Page, site_url: str) -> None:
    # Closed facets had no mark at all: "Dimensions" looked like a heading, not a control.
    open_explorer(page, f"{site_url}fr/explore/")
    dims = page.locator("details[data-facet=dims]")
    expect(dims).not_to_have_attribute("open", "")
    chevron = dims.locator("summary").evaluate(
        "s => { const c = getComputedStyle(s, '::after'); const r = s.getBoundingClientRect();"
        " const box = s.parentElement.getBoundingClientRect();"
        " return {display: c.display, mask: c.maskImage || c.webkitMaskImage,"
        " inside: r.left >= box.left && r.right <= box.right}; }")
    assert chevron["display"] != "none" and chevron["mask"] != "none", chevron
    assert chevron["inside"], "the facet's title sticks out of its box"
    dims.locator("summary").click()
    expect(dims.locator("input[value='3d']")).to_be_visible()


def test_back_from_a_result_finds_the_list_as_it_was(page: Page, site_url: str) -> None:
    open_explorer(page, f"{site_url}fr/explore/")
    page.locator(".dl-results__more button").click()
    expect(page.locator("ol.dl-results > li.dl-result")).to_have_count(100)
    opened = page.locator("ol.dl-results > li.dl-result").nth(70)
    entry_id = opened.get_attribute("data-entry-id")
    opened.locator("a").first.click()
    expect(page).not_to_have_url(re.compile(r"/explore/"))
    page.go_back()
    # all the results shown before, and the one opened on screen again
    expect(page.locator("ol.dl-results > li.dl-result")).to_have_count(100)
    expect(page.locator(f"ol.dl-results > li[data-entry-id='{entry_id}']")).to_be_in_viewport()


def test_nothing_found_says_why_and_offers_a_next_step(page: Page, site_url: str) -> None:
    open_explorer(page, f"{site_url}fr/explore/?q=zzqxw")
    # no filter is set: the word is the reason, not "remove a filter"
    expect(page.locator(".dl-explorer__status")).to_have_text(
        "Aucune fiche ne correspond à « zzqxw » : "
        "essayez un autre mot, plus court ou plus général.")
    open_explorer(page, f"{site_url}en/explore/?q=zzqxw&dims=3d")
    expect(page.locator(".dl-explorer__status")).to_have_text(
        "No entry matches: remove a filter or try another word.")
    suggest = page.locator(".dl-explorer__empty a")
    expect(suggest).to_be_visible()
    suggest.click()
    expect(page).to_have_url(f"{site_url}en/contribute/")


def test_words_for_the_site_s_own_pages_offer_those_pages(page: Page, site_url: str) -> None:
    # a trainer typing "bibtex" found no entry, and "export csv" tools that export annotations:
    # never the page of the catalogue's own exports
    pages = page.locator(".dl-explorer__pages")
    open_explorer(page, f"{site_url}fr/explore/?q=bibtex")
    expect(pages).to_be_visible()
    expect(pages.get_by_role("link")).to_have_text(["Données et réutilisation"])
    open_explorer(page, f"{site_url}en/explore/?q=export+csv")
    expect(pages.get_by_role("link")).to_have_text(["Data and reuse"])
    expect(pages.get_by_role("link")).to_have_attribute("href", f"{site_url}en/open-data/")
    assert "open-data" not in result_ids(page)  # a page is a way on, not a result counted
    # a query about an entry offers no page; each of the query's words must be the page's
    page.locator("#dl-q").fill("cellpose")
    expect(pages).to_be_hidden()
    page.locator("#dl-q").fill("contribute")
    expect(pages.get_by_role("link")).to_have_text(["Contribute"])
    pages.get_by_role("link").click()
    expect(page).to_have_url(f"{site_url}en/contribute/")


def test_what_the_reader_typed_is_shown_as_typed(page: Page, site_url: str) -> None:
    # "$&", "$`" and "$'" mean something to String.prototype.replace: not in this message
    typed = "zzqxw$`$&$'"
    open_explorer(page, f"{site_url}fr/explore/")
    page.locator("#dl-q").fill(typed)
    expect(page.locator(".dl-explorer__status")).to_have_text(
        f"Aucune fiche ne correspond à « {typed} » : "
        "essayez un autre mot, plus court ou plus général.")


@pytest.mark.parametrize(("lang", "message"), [
    ("fr", "Le catalogue ne contient encore aucune fiche."),
    ("en", "The catalogue has no entry yet."),
])
def test_an_empty_catalogue_says_so_rather_than_blame_the_words(
    new_context: NewContext, site_url: str, lang: str, message: str
) -> None:
    # a new catalogue, before its first entry: nothing was typed, so no word is at fault
    def no_entries(route: Route) -> None:
        index = route.fetch().json()
        route.fulfill(json={**index, "docs": [], "words": {}, "postings": {}})

    context = new_context()
    page = context.new_page()
    page.route("**/search-index.json", no_entries)
    open_explorer(page, f"{site_url}{lang}/explore/")
    expect(page.locator(".dl-explorer__status")).to_have_text(message)


def test_keyboard_skips_the_facets_to_the_results(page: Page, site_url: str) -> None:
    open_explorer(page, f"{site_url}en/explore/?q=napari")
    skip = page.locator(".dl-explorer__skip")
    expect(skip).not_to_be_in_viewport()  # hidden until reached
    page.locator("#dl-q").focus()
    sort_before = page.locator(".dl-explorer__sort").bounding_box()
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    # shown over the page, not in its flow: the sort menu and all below moved 44 px down
    assert page.locator(".dl-explorer__sort").bounding_box() == sort_before
    page.keyboard.press("Enter")
    expect(page.locator("ol.dl-results > li.dl-result a").first).to_be_focused()


@pytest.mark.parametrize("viewport", [
    {"width": 1280, "height": 800}, {"width": 390, "height": 844}])
def test_the_count_shows_the_keyboard_focus_when_there_is_no_result(
    new_context: NewContext, site_url: str, viewport: dict[str, int]
) -> None:
    # no result to go to: "Skip to the results" (and, on a phone, "Show the results") focus the
    # count, which must show where the focus went (WCAG 2.4.7), as every control does
    context = new_context(viewport=viewport)
    page = context.new_page()
    open_explorer(page, f"{site_url}en/explore/?q=zzqxw")
    status = page.locator(".dl-explorer__status")
    if viewport["width"] > 600:
        page.locator("#dl-q").focus()
        page.keyboard.press("Tab")  # to "Skip to the results"
    else:
        page.locator("details.dl-explorer__filters > summary").click()
        page.locator(".dl-explorer__show").focus()
    page.keyboard.press("Enter")
    expect(status).to_be_focused()
    ring = status.evaluate("e => { const s = getComputedStyle(e);"
                           " return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }")
    accent = page.evaluate("() => { const probe = document.createElement('i');"
                           " probe.style.color = 'var(--md-accent-fg-color)';"
                           " document.body.append(probe);"
                           " const color = getComputedStyle(probe).color; probe.remove();"
                           " return color; }")
    assert ring[0] == "solid" and ring[1] != "0px", ring
    assert ring[2] == accent, "the site's focus ring, in its accent colour"


def test_when_the_catalogue_cannot_load_the_whole_list_shows(
    new_context: NewContext, site_url: str
) -> None:
    context = new_context()
    page = context.new_page()
    page.route("**/search-index.json", lambda route: route.abort())
    page.goto(f"{site_url}fr/explore/")
    expect(page.locator(".dl-explorer__status")).to_contain_text(
        "Le catalogue n'a pas pu être chargé")
    expect(page.locator(".dl-all li[data-entry-id]").first).to_be_visible()


def test_a_question_of_a_paragraph_is_shortened_on_its_card(page: Page, site_url: str) -> None:
    open_explorer(page, f"{site_url}fr/explore/?kinds=faq")
    links = page.locator("ol.dl-results .dl-result__name > a").evaluate_all(
        "links => links.map(a => ({text: a.textContent, title: a.title}))")
    assert links
    for link in links:
        assert len(link["text"]) <= 200, link
        if link["title"]:  # shortened: the whole question is the link's title
            assert link["title"].startswith(link["text"].rstrip("…")), link


def test_on_a_phone_the_filters_lead_back_to_their_results(
    new_context: NewContext, site_url: str
) -> None:
    # The open filters push the results two screens down: a button at their foot goes there.
    context = new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    open_explorer(page, f"{site_url}fr/explore/")
    # the order menu sits under its label, the screen's width: beside it, « Par nom, projets
    # terminés en dernier » was cut and « Trier par » broke over two lines
    label = page.locator(".dl-explorer__sort label").bounding_box()
    menu = page.locator(".dl-explorer__sort select").bounding_box()
    assert label and menu
    assert menu["y"] >= label["y"] + label["height"] - 1 and menu["width"] > 0.85 * 390
    show = page.locator(".dl-explorer__show")
    expect(show).to_be_hidden()  # with the filters folded
    page.locator("details.dl-explorer__filters > summary").click()
    page.locator("input[name=sections][value=tools]").check()
    expect(show).to_be_in_viewport()  # it stays at the screen's foot
    count = matches(page)
    expect(show).to_have_text(f"Voir les résultats ({count})")
    show.click()
    expect(page.locator("details.dl-explorer__filters")).not_to_have_attribute("open", "")
    expect(page.locator(".dl-explorer__status")).to_be_in_viewport()
    expect(page.locator("ol.dl-results > li.dl-result").first).to_be_in_viewport()


def test_a_result_name_in_another_language_is_read_in_it(page: Page, site_url: str) -> None:
    # "Cell Detection with Star-convex Polygons (StarDist)" was read with French sounds
    open_explorer(page, f"{site_url}fr/explore/?q=stardist")
    card = page.locator("li.dl-result[data-entry-id=paper-stardist]")
    expect(card.locator(".dl-result__head a")).to_have_attribute("lang", "en")
    # a French course's French name on the French site: the page's language, no mark
    open_explorer(page, f"{site_url}fr/explore/?q=fidle")
    name = page.locator("li.dl-result[data-entry-id=fidle] .dl-result__head a")
    expect(name).to_have_text(re.compile("^FIDLE\u00a0: "))
    expect(name).not_to_have_attribute("lang", re.compile("."))


def test_the_explorer_keeps_the_site_menu_on_a_wide_screen(
    new_context: NewContext, site_url: str
) -> None:
    # It had none (and no menu button): a keyboard reader could only leave by the logo
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    open_explorer(page, f"{site_url}fr/explore/")
    menu = page.locator(".md-sidebar--primary")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("link", name="FAQ")).to_be_visible()
    # the results take the room the table of contents left (the page has none)
    assert page.locator(".md-sidebar--secondary").is_hidden()


def test_results_holding_only_some_of_the_words_are_said_so(page: Page, site_url: str) -> None:
    # "segmenter noyaux sans programmer" listed 133 entries with no sign of where the ones that
    # hold every word end
    open_explorer(page, f"{site_url}fr/explore/?q=segmenter+noyaux+sans+programmer")
    divider = page.locator("ol.dl-results > li.dl-results__partial")
    expect(divider).to_have_count(1)
    expect(divider).to_have_text(
        "Les fiches qui suivent ne contiennent qu'une partie des mots cherchés.")
    expect(page.locator("ol.dl-results > li.dl-result").first).to_contain_text("Cellpose")
    # one word, or another order than relevance: no divider; nor when no entry holds every
    # word (a word the catalogue never uses): all are partial, none "below" the others
    open_explorer(page, f"{site_url}fr/explore/?q=noyaux")
    expect(divider).to_have_count(0)
    open_explorer(page, f"{site_url}fr/explore/?q=segmenter+noyaux+zzqxw")
    expect(page.locator("ol.dl-results > li.dl-result").first).to_be_visible()
    expect(divider).to_have_count(0)
    open_explorer(page, f"{site_url}fr/explore/?q=segmenter+noyaux+sans+programmer&sort=name")
    expect(divider).to_have_count(0)


# What the count says of several words, when some results hold only some of them.
COUNTS = {
    "fr": {"every": ("1 fiche contient tous les mots", "{} fiches contiennent tous les mots"),
           "some": ("{}, 1 autre une partie", "{}, {} autres une partie"),
           "only_some": ("Aucune fiche ne contient tous les mots ; 1 en contient une partie",
                         "Aucune fiche ne contient tous les mots ; {} en contiennent une partie"),
           "all": ("1 fiche correspond", "{} fiches correspondent")},
    "en": {"every": ("1 entry contains every word", "{} entries contain every word"),
           "some": ("{}, 1 more some of them", "{}, {} more some of them"),
           "only_some": ("No entry contains every word; 1 contains some of them",
                         "No entry contains every word; {} contain some of them"),
           "all": ("1 entry matches", "{} entries match")},
}


def expected_count(lang: str, every: int, some: int) -> str:
    def say(kind: str, number: int, *before: str) -> str:
        one, many = COUNTS[lang][kind]
        return one.format(*before) if number == 1 else many.format(*before, number)

    if not some:
        return say("all", every)
    if not every:
        return say("only_some", some)
    return say("some", some, say("every", every))


# Queries of the shapes (how many results hold every word, how many only some) whose counts
# read differently, found in the catalogue with the site's engine, from rare words (at most 3
# entries) and pairs of them: {shape: [query, every, some]}.
FIND_SHAPES = """
const engine = new DL4MICSearch.Engine(index);
const shape = (q) => { const n = engine.queryWords(q).length; const r = engine.search(q) || [];
  const every = r.filter(m => m.matched === n).length; return [every, r.length - every]; };
const wanted = {one: s => s[0] === 1 && s[1] === 0, many: s => s[0] >= 2 && s[1] === 0,
  one_many: s => s[0] === 1 && s[1] >= 2, many_one: s => s[0] >= 2 && s[1] === 1,
  none_one: s => s[0] === 0 && s[1] === 1, none_many: s => s[0] === 0 && s[1] >= 2,
  many_many: s => s[0] >= 2 && s[1] >= 2};
const found = {};
const tryQuery = (q) => { const s = shape(q);
  for (const k in wanted) if (!found[k] && wanted[k](s)) found[k] = [q, ...s]; };
["noyaux", "noyaux fluorescence", "cellpose zzqxw"].forEach(tryQuery);
const rare = Object.keys(index.words).filter(w => /^[a-z]{6,}$/.test(w))
  .filter(w => (engine.search(w) || []).length <= 3).slice(0, 300);
for (const a of rare) {
  tryQuery(a);
  tryQuery(a + " zzqxw");
  for (const b of rare) if (a !== b) tryQuery(a + " " + b);
  if (Object.keys(found).length === Object.keys(wanted).length) break;
}
return found;
"""


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_count_says_how_many_hold_every_word_and_how_many_some(
    page: Page, site_url: str, lang: str
) -> None:
    # "noyaux" said 33 and "noyaux fluorescence" 44, of which 12 hold both words: the count
    # grew as the query got more precise
    assert expected_count(lang, 12, 32) == (
        "12 fiches contiennent tous les mots, 32 autres une partie" if lang == "fr"
        else "12 entries contain every word, 32 more some of them")
    open_explorer(page, f"{site_url}{lang}/explore/")
    shapes: dict[str, list[Any]] = with_search_index(page, FIND_SHAPES)
    assert len(shapes) == 7, shapes  # every wording, singular and plural
    for query, every, some in shapes.values():
        open_explorer(page, f"{site_url}{lang}/explore/?q={query}")
        # the line screen readers hear (role=status) is the line shown
        status = page.locator(".dl-explorer__status")
        expect(status).to_have_attribute("role", "status")
        expect(status).to_have_text(expected_count(lang, every, some))
        # and it counts the list: every result, and those above the "only some" line
        while page.locator(".dl-results__more button").count():
            page.locator(".dl-results__more button").click()
        expect(page.locator("ol.dl-results > li.dl-result")).to_have_count(every + some)
        if every and some:
            below = page.locator("ol.dl-results > li.dl-results__partial ~ li.dl-result")
            expect(below).to_have_count(some)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_index_is_asked_for_with_the_page_and_fetched_once(
    new_context: NewContext, site_url: str, lang: str
) -> None:
    # The script, at the foot of the page, asked for the index only once every script had
    # run; the page's head now preloads it, and the script takes that copy.
    context = new_context()
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda request: "search-index" in request.url
            and fetched.append(request.url))
    open_explorer(page, f"{site_url}{lang}/explore/?q=noyaux")
    expect(page.locator("ol.dl-results > li.dl-result").first).to_be_visible()
    index = page.evaluate("new URL(document.querySelector('.dl-explorer').dataset.index,"
                          " location.href).href")
    preload = page.locator("head link[rel=preload][as=fetch]")
    expect(preload).to_have_count(1)
    assert preload.evaluate("link => link.href") == index
    assert fetched == [index]
    # taken from the preload: the only time the browser fetched it was for the <link>
    assert page.evaluate(
        "(url) => performance.getEntriesByName(url).map(e => e.initiatorType)", index
    ) == ["link"]


def test_each_result_is_a_heading_named_as_its_entry(page: Page, site_url: str) -> None:
    # A screen reader went through the results word by word: now heading by heading, each
    # heading the entry's name alone (its kind and status follow it)
    open_explorer(page, f"{site_url}en/explore/?q=napari")
    card = page.locator("li.dl-result[data-entry-id=napari]")
    heading = card.get_by_role("heading", level=2)
    expect(heading).to_have_accessible_name("napari")
    expect(heading.get_by_role("link")).to_have_attribute("href", re.compile("/resources/napari/$"))
    expect(card.locator(".dl-kind")).to_be_visible()
    headings = page.locator("ol.dl-results").get_by_role("heading", level=2)
    assert headings.count() == page.locator("ol.dl-results > li.dl-result").count() > 1
    # its facets are a list, each item read apart: spans in a paragraph ran together
    # ("Visualisation2D3D") for a screen reader and when copied
    chips = card.get_by_role("list").get_by_role("listitem")
    assert chips.count() > 2
    assert {"2D", "3D"} <= set(chips.all_inner_texts())


def test_a_section_page_lists_each_entry_facets_as_a_list(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}en/sections/tools/")
    chips = page.locator("li.dl-entry").first.get_by_role("list").get_by_role("listitem")
    assert chips.count() > 1
    # the list looks as the chips did: no bullet, no indent
    style = page.locator("li.dl-entry ul.dl-chips").first.evaluate(
        "u => [getComputedStyle(u).listStyleType, getComputedStyle(u).marginLeft,"
        " u.getBoundingClientRect().left - u.previousElementSibling.getBoundingClientRect().left]")
    assert style == ["none", "0px", 0]


def test_browsing_lists_what_has_ended_after_what_is_current(page: Page, site_url: str) -> None:
    # The home page's start cards open the explorer with no query, in name order: AI4Life, a
    # project that has ended, came first among the communities
    open_explorer(page, f"{site_url}en/explore/?sections=community")
    ids = page.locator("ol.dl-results > li.dl-result").evaluate_all(
        "items => items.map(i => i.dataset.entryId)")
    assert len(ids) > 2 and ids[-1] == "ai4life"
    # its status is read with its heading ("Status: Ended"; an aria-label on a span was not)
    badge = page.locator("li.dl-result[data-entry-id=ai4life] .dl-badge")
    expect(badge).to_have_text("Status: Ended")
    # an order the reader chose is kept as chosen: by name, AI4Life is among the others
    open_explorer(page, f"{site_url}en/explore/?sections=community&sort=name")
    ids = page.locator("ol.dl-results > li.dl-result").evaluate_all(
        "items => items.map(i => i.dataset.entryId)")
    assert ids.index("ai4life") < len(ids) - 1, ids


def download_selection(page: Page, link: str) -> tuple[str, str]:
    """Click one of the "download this selection" links: the file's name and text."""
    with page.expect_download() as info:
        page.locator(f".dl-explorer__export a.dl-explorer__{link}").click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes().decode("utf-8")


def test_the_selection_downloads_as_csv_rows_and_bibtex_records(
    page: Page, site_url: str
) -> None:
    # a query whose results mix resources with FAQ and glossary entries (no CSV row), and
    # number more than the 50 shown at first: the selection is every result
    open_explorer(page, f"{site_url}fr/explore/?q=segmentation")
    said = page.locator(".dl-explorer__export-said")
    csv_name, csv_text = download_selection(page, "csv")
    bib_name, bib_text = download_selection(page, "bib")
    # one line per file: the CSV's stays said after the BibTeX download
    csv_said = said.locator("[data-format=csv]").text_content()
    bib_said = said.locator("[data-format=bib]").text_content()
    more = page.locator(".dl-results__more button")
    while more.count():
        more.click()
    shown = result_ids(page)
    assert len(shown) > 50
    # named after what was chosen, so that several selections keep apart in a folder
    assert csv_name == "dl4mic-hub-segmentation.csv"
    whole = urlopen(f"{site_url}data/catalogue.csv").read().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(csv_text, newline="")))
    every_row = {row["id"]: row for row in csv.DictReader(io.StringIO(whole, newline=""))}
    # the published file's header and rows, those of the results only, in the order shown
    assert csv_text.split("\r\n", 1)[0] == whole.split("\r\n", 1)[0]
    assert [row["id"] for row in rows] == [i for i in shown if i in every_row]
    assert all(row == every_row[row["id"]] for row in rows)
    others = len(shown) - len(rows)
    assert others > 0
    assert csv_said == (f"{len(rows)} ressources dans le CSV\xa0; les {others} autres fiches "
                        "(FAQ, glossaire, antisèches) n'ont pas de ligne dans le CSV. Dans Excel, "
                        "importez-le par Données > À partir d'un fichier texte/CSV (UTF-8)\xa0: "
                        "ouvert d'un double clic, il mélange les accents et les colonnes.")
    # the cited works of the results, as records of the published BibTeX file
    assert bib_name == "dl4mic-hub-segmentation.bib"
    keys = re.findall(r"^@\w+\{([^,]+),", bib_text, flags=re.MULTILINE)
    assert keys and set(keys) < set(shown) and keys == [i for i in shown if i in keys]
    assert bib_text.startswith("% dl4mic-hub references")
    assert bib_said == f"{len(keys)} références dans le fichier BibTeX"


def test_the_selection_offers_only_the_files_that_hold_it(page: Page, site_url: str) -> None:
    open_explorer(page, f"{site_url}en/explore/?kinds=tool")
    expect(page.locator(".dl-explorer__export")).to_be_visible()
    expect(page.locator(".dl-explorer__csv")).to_be_visible()
    expect(page.locator(".dl-explorer__bib")).to_be_hidden()  # no paper, no book
    page.locator("input[name=kinds][value=paper]").check()
    expect(page.locator(".dl-explorer__bib")).to_be_visible()
    # the file is named after the words typed and the values ticked, accents folded
    page.locator(".dl-explorer input[name=q]").fill("Débruitage")
    assert download_selection(page, "bib")[0] == "dl4mic-hub-debruitage-tool-paper.bib"
    # glossary terms are in neither file: no download is offered, and the page says why
    open_explorer(page, f"{site_url}en/explore/?kinds=glossary")
    expect(page.locator(".dl-explorer__export")).to_be_hidden()
    expect(page.locator(".dl-explorer__export-none")).to_contain_text(
        "have neither a row in the CSV nor a reference to cite")


def test_the_filters_chosen_show_above_the_count_and_untick_there(
    page: Page, site_url: str
) -> None:
    # A home-page shortcut ticks several values, mostly out of sight in the filter column on a
    # wide screen: they are named above the count, each a button that unticks it.
    open_explorer(page, f"{site_url}fr/explore/?q=noyaux&levels=beginner&dims=2d,3d")
    chosen = page.locator(".dl-explorer__chosen")
    chips = chosen.locator("button.dl-explorer__chip")
    expect(chosen).to_be_visible()
    expect(chosen).to_contain_text("Filtres choisis\u00a0:")
    expect(chips).to_have_text(["2D", "3D", "Débutant"])  # in the filter column's order
    # one group per filter, its values joined by "or": any of them, and every group
    expect(chosen.locator(".dl-explorer__group")).to_have_text(
        ["Dimensions\u00a0: 2D ou 3D", "Niveau\u00a0: Débutant"])
    expect(chips.nth(2)).to_have_accessible_name("Retirer le filtre Niveau\u00a0: Débutant")
    before = matches(page)
    chips.nth(2).click()
    expect(page).to_have_url(re.compile(r"\?q=noyaux&dims=2d,3d$"))
    expect(page.locator("input[name=levels][value=beginner]")).not_to_be_checked()
    expect(chips).to_have_text(["2D", "3D"])
    expect(chips.nth(1)).to_be_focused()  # the keyboard stays among the chips
    assert matches(page) > before
    # Back brings the filter, and its chip, back
    page.go_back()
    expect(chips).to_have_text(["2D", "3D", "Débutant"])
    chips.nth(0).click()
    chips.nth(0).click()
    chips.nth(0).click()
    expect(chosen).to_be_hidden()  # nothing chosen, nothing said
    expect(page.locator(".dl-explorer__status")).to_be_focused()
    expect(page).to_have_url(re.compile(r"\?q=noyaux$"))


def test_a_filter_no_result_could_match_is_left_out(page: Page, site_url: str) -> None:
    # Courses and videos have no cheat-sheet type nor question origin: those groups went on
    # showing nothing but zeros, among twenty-one. The resource's language, a French
    # trainer's first criterion, comes among the first groups, not last.
    open_explorer(page, f"{site_url}fr/explore/?kinds=course,video")
    facets = page.locator(".dl-explorer__facets > details.dl-facet")
    for name in ("cheatsheet-types", "faq-origins", "faq-topics"):
        expect(facets.locator(f"xpath=self::*[@data-facet='{name}']")).to_be_hidden()
    order = facets.evaluate_all("boxes => boxes.map(b => b.dataset.facet)")
    assert order.index("languages") < order.index("interfaces") < order.index("host-software")
    expect(page.locator("details.dl-facet[data-facet=languages]")).to_be_visible()
    # a value ticked keeps its group, and the groups come back with the results
    page.locator(".dl-explorer__chip").first.click()
    page.locator(".dl-explorer__chip").first.click()
    expect(page.locator("details.dl-facet[data-facet=cheatsheet-types]")).to_be_visible()


def test_my_list_keeps_entries_across_searches_and_shows_them_at_an_address(
    page: Page, new_context: NewContext, site_url: str
) -> None:
    # A trainer's reading list gathered from several searches: kept in the browser (both
    # languages), shown at an address that names the entries, to share and to download.
    open_explorer(page, f"{site_url}fr/explore/?q=stardist")
    line = page.locator(".dl-explorer__list")
    expect(line).to_be_hidden()
    keep = page.locator("li.dl-result[data-entry-id=stardist] .dl-result__keep")
    expect(keep).to_have_accessible_name("Ma liste\u00a0: StarDist")
    expect(keep).to_have_attribute("aria-pressed", "false")
    expect(keep).to_have_attribute("title", re.compile("^Garder cette fiche dans ma liste"))
    keep.click()
    expect(keep).to_have_attribute("aria-pressed", "true")
    expect(line).to_contain_text("Ma liste\u00a0: 1 fiche")
    open_explorer(page, f"{site_url}en/explore/?q=cellpose")
    expect(line).to_contain_text("My list: 1 entry")
    page.locator("li.dl-result[data-entry-id=cellpose] .dl-result__keep").click()
    expect(line).to_contain_text("My list: 2 entries")
    line.locator("a.dl-explorer__list-show").click()
    expect(page).to_have_url(re.compile(r"/en/explore/\?ids=stardist,cellpose$"))
    expect(page.locator(".dl-explorer__status")).to_have_text("2 entries match")
    # in the order the entries were kept (a reading list), which the order menu names
    assert result_ids(page) == ["stardist", "cellpose"]
    expect(page.locator("select[name=sort] option[value='']")).to_have_text("List order")
    expect(page.locator(".dl-explorer__chip")).to_have_text(["List of 2 entries"])
    # on one's own list's address, "show it" would lead here: it is not offered
    expect(line.locator("a.dl-explorer__list-show")).to_be_hidden()
    expect(page.locator(".dl-explorer__adopt")).to_be_hidden()
    name, text = download_selection(page, "csv")
    assert name == "dl4mic-hub-list.csv"
    assert [row["id"] for row in csv.DictReader(io.StringIO(text, newline=""))] == [
        "stardist", "cellpose"]
    # sent to someone else: the same entries; their own list stays theirs, and can take
    # the colleague's entries in one click
    other = new_context().new_page()
    open_explorer(other, page.url)
    assert result_ids(other) == ["stardist", "cellpose"]
    expect(other.locator(".dl-explorer__list")).to_be_hidden()
    expect(other.locator(".dl-result__keep[aria-pressed=true]")).to_have_count(0)
    adopt = other.locator(".dl-explorer__adopt button")
    expect(adopt).to_have_text("Add these 2 entries to my list")
    adopt.click()
    expect(other.locator(".dl-explorer__adopt")).to_be_hidden()
    expect(other.locator(".dl-explorer__list")).to_contain_text("My list: 2 entries")
    expect(other.locator(".dl-result__keep[aria-pressed=true]")).to_have_count(2)
    # taken out of one's own list on screen, an entry stays there, its star empty, so that
    # a second click keeps it again
    star = page.locator("li.dl-result[data-entry-id=stardist] .dl-result__keep")
    star.click()
    expect(star).to_have_attribute("aria-pressed", "false")
    assert result_ids(page) == ["stardist", "cellpose"]
    expect(line).to_contain_text("My list: 1 entry")
    star.click()
    expect(line).to_contain_text("My list: 2 entries")
    # emptied in one click, the list can be brought back, until it changes again
    line.locator("button.dl-explorer__list-clear").click()
    expect(line).to_have_text("My list is empty. Undo", use_inner_text=True)
    expect(line.locator("button.dl-explorer__list-restore")).to_be_focused()
    expect(page.locator(".dl-result__keep[aria-pressed=true]")).to_have_count(0)
    line.locator("button.dl-explorer__list-restore").click()
    expect(line).to_contain_text("My list: 2 entries")
    expect(page.locator(".dl-result__keep[aria-pressed=true]")).to_have_count(2)
    line.locator("button.dl-explorer__list-clear").click()
    star.click()
    expect(line).to_contain_text("My list: 1 entry")  # kept again: nothing left to undo
    # the chip lets go of the address's list
    page.locator(".dl-explorer__chip").click()
    expect(page).to_have_url(re.compile(r"/en/explore/$"))
    assert matches(page) > 200


def test_a_list_address_says_why_it_shows_nothing(page: Page, site_url: str) -> None:
    # an old shared list whose entries left the catalogue said "The catalogue has no entry
    # yet"; a word searched outside the list advised another word, though the entry exists
    open_explorer(page, f"{site_url}fr/explore/?ids=gone-one,gone-two")
    expect(page.locator(".dl-explorer__status")).to_have_text(
        "Aucune fiche de cette liste n'est au catalogue\u00a0: elles en ont peut-être été "
        "retirées depuis.")
    expect(page.locator(".dl-explorer__chip")).to_have_text(["Liste sans fiche du catalogue"])
    open_explorer(page, f"{site_url}fr/explore/?ids=cellpose&q=stardist")
    expect(page.locator(".dl-explorer__status")).to_have_text(
        "Aucune fiche de la liste ne correspond à ces filtres ou à ces mots\u00a0; retirez-en "
        "(ci-dessus) pour revoir toute la liste.")
    # with no result at all the filter groups stay, their values disabled (not hidden)
    open_explorer(page, f"{site_url}fr/explore/?q=zzzqqqxx")
    expect(page.locator("details.dl-facet[data-facet=kinds]")).to_be_visible()


def test_without_storage_no_entry_offers_to_be_kept(
    new_context: NewContext, site_url: str
) -> None:
    # a private window may refuse storage: the toggle would keep nothing
    context = new_context()
    context.add_init_script(
        "Object.defineProperty(window, 'localStorage', {get() { throw new Error('denied'); }})")
    page = context.new_page()
    open_explorer(page, f"{site_url}en/explore/?ids=cellpose,stardist")
    assert result_ids(page) == ["cellpose", "stardist"]  # a list's address still works
    expect(page.locator(".dl-result__keep")).to_have_count(0)
    expect(page.locator(".dl-explorer__list")).to_be_hidden()
    page.goto(f"{site_url}en/resources/cellpose/")
    expect(page.locator(".dl-keep")).to_be_hidden()  # nor does an entry's page


def test_an_entry_page_keeps_its_entry_in_my_list(page: Page, site_url: str) -> None:
    # a reader who opened an entry from a search decides there: the same toggle as its card
    page.goto(f"{site_url}fr/resources/cellpose/")
    keep = page.locator(".dl-keep button")
    expect(keep).to_have_accessible_name("Ma liste\u00a0: Cellpose")
    expect(keep).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".dl-keep a")).to_be_hidden()
    keep.click()
    expect(keep).to_have_attribute("aria-pressed", "true")
    page.locator(".dl-keep a").click()  # « voir ma liste (1) »
    expect(page).to_have_url(re.compile(r"/fr/explore/\?ids=cellpose$"))
    expect(page.locator(".dl-explorer__status")).to_have_text("1 fiche correspond")
    expect(page.locator(".dl-result__keep")).to_have_attribute("aria-pressed", "true")
    page.go_back()
    expect(page.locator(".dl-keep a")).to_have_text("voir ma liste (1)")
    keep.click()
    expect(keep).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".dl-keep a")).to_be_hidden()


def test_a_long_query_names_the_file_by_its_first_words(page: Page, site_url: str) -> None:
    # as text.slugify names an id: words up to 60 characters, cut at a word
    words = "segmentation noyaux fluorescence microscopie confocale apprentissage profond"
    open_explorer(page, f"{site_url}fr/explore/?q={words.replace(' ', '+')}")
    name = download_selection(page, "csv")[0]
    assert name == "dl4mic-hub-segmentation-noyaux-fluorescence-microscopie-confocale.csv"

