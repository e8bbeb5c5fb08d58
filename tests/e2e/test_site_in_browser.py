"""End-to-end: the built site in a real headless chromium, served on 127.0.0.1."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from .conftest import NewContext

pytestmark = pytest.mark.e2e


@pytest.fixture
def local_only(page: Page) -> list[str]:
    """Note every request that would leave 127.0.0.1; the test fails if there was one. None
    gets out: the browser reaches nothing but loopback (conftest), and noting requests
    holds none of them, where routing each through Python slowed every page."""
    outside: list[str] = []
    page.on("request", lambda request: urlsplit(request.url).hostname not in ("127.0.0.1", None)
            and outside.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield outside
    assert outside == [], f"requests that would leave the site: {outside}"
    assert errors == [], f"JavaScript errors on the page: {errors}"


def switch_language(page: Page, lang: str) -> None:
    page.locator(".md-header__option .md-select").hover()
    page.locator(f"a.md-select__link[hreflang={lang}]").click()


def test_language_switch_keeps_the_page_both_ways(
    page: Page, site_url: str, local_only: list[str]
) -> None:
    page.goto(f"{site_url}fr/sections/tools/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    switch_language(page, "en")
    expect(page).to_have_url(f"{site_url}en/sections/tools/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Tools and software")
    switch_language(page, "fr")
    expect(page).to_have_url(f"{site_url}fr/sections/tools/")
    expect(page.locator("h1")).to_contain_text("Outils et logiciels")


def test_language_switch_keeps_query_and_anchor(
    page: Page, site_url: str, local_only: list[str]
) -> None:
    page.goto(f"{site_url}fr/sections/tools/?dims=3d#annotation-dense")
    switch_language(page, "en")
    expect(page).to_have_url(f"{site_url}en/sections/tools/?dims=3d#annotation-dense")
    expect(page.locator("form.dl-filters select[name=dims]")).to_have_value("3d")
    # A filter chosen on the page is carried too.
    page.select_option("form.dl-filters select[name=levels]", "beginner")
    switch_language(page, "fr")
    expect(page).to_have_url(
        re.compile(re.escape(f"{site_url}fr/sections/tools/?") + r".*levels=beginner")
    )


def test_language_switch_lands_on_the_question_being_read(
    page: Page, site_url: str, local_only: list[str]
) -> None:
    # While the reader scrolls, the theme sets the address's anchor to the topic: switching
    # language from the FAQ landed at the start of the topic, not on the question read
    page.goto(f"{site_url}fr/faq/")
    page.locator("h3#fine-tuning-cellpose").evaluate("h => h.scrollIntoView()")
    page.mouse.wheel(0, -40)  # as a reader does: the question a little below the header
    # the switch reads where the reader is when clicked: wait until the scroll has settled
    # (under load the click came first once, with Zensical's theme)
    page.wait_for_function("""() => new Promise(done => {
        const before = window.scrollY;
        requestAnimationFrame(() => requestAnimationFrame(() => done(window.scrollY === before
                                                                    && before > 0)));
    })""")
    expect(page).not_to_have_url(re.compile("#fine-tuning-cellpose$"))  # the theme's anchor
    switch_language(page, "en")
    expect(page).to_have_url(f"{site_url}en/faq/#fine-tuning-cellpose")
    # at the top of a page, no anchor is made up
    page.goto(f"{site_url}en/glossary/")
    switch_language(page, "fr")
    expect(page).to_have_url(f"{site_url}fr/glossary/")


@pytest.mark.parametrize(("lang", "code", "name", "button"), [
    ("fr", "FR", "Français", "Langue FR (français). Choisir une autre langue"),
    ("en", "EN", "English", "Language EN (English). Choose another language"),
])
def test_the_language_menu_shows_the_page_language(
    page: Page, site_url: str, lang: str, code: str, name: str, button: str
) -> None:
    # The menu was a bare icon, and its entries alike: nothing said which language was shown.
    page.goto(f"{site_url}{lang}/glossary/")
    menu_button = page.locator(".md-header__option .md-select button")
    expect(menu_button).to_have_text(code)
    expect(menu_button).to_have_accessible_name(button)
    page.locator(".md-header__option .md-select").hover()
    current = page.locator(".md-select__link[aria-current=page]")
    expect(current).to_have_count(1)
    expect(current).to_have_text(name)
    expect(current).to_have_attribute("hreflang", lang)


def test_entry_page_switches_language(page: Page, site_url: str, local_only: list[str]) -> None:
    page.goto(f"{site_url}fr/resources/cellpose/")
    switch_language(page, "en")
    expect(page).to_have_url(f"{site_url}en/resources/cellpose/")
    expect(page.locator(".md-content")).to_contain_text("segmentation")


def test_root_sends_visitors_to_french(page: Page, site_url: str, local_only: list[str]) -> None:
    page.goto(site_url)
    expect(page).to_have_url(f"{site_url}fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def visible_entries(page: Page) -> list[dict[str, str]]:
    return page.locator("li.dl-entry").evaluate_all(
        "items => items.filter(i => i.closest('[hidden]') === null)"
        ".map(i => ({id: i.dataset.entryId, levels: i.dataset.fLevels || '',"
        " dims: i.dataset.fDims || '', title: i.querySelector('a').textContent}))"
    )


def test_section_filters_combine_and_live_in_the_url(
    page: Page, site_url: str, local_only: list[str]
) -> None:
    page.goto(f"{site_url}en/sections/tools/")
    total = page.locator("li.dl-entry").count()
    expect(page.locator("form.dl-filters")).to_be_visible()
    page.select_option("form.dl-filters select[name=levels]", "beginner")
    page.select_option("form.dl-filters select[name=dims]", "3d")
    expect(page).to_have_url(re.compile(r"/en/sections/tools/\?(dims=3d&levels=beginner)$"))
    rows = visible_entries(page)
    assert 0 < len(rows) < total
    assert all(r["levels"] == "beginner" and "3d" in r["dims"].split() for r in rows), rows
    expect(page.locator(".dl-filter-status")).to_have_text(f"{len(rows)} of {total} entries shown")

    # The filtered view can be shared: opening its URL restores it.
    page.goto(f"{site_url}en/sections/tools/?levels=beginner&dims=3d")
    assert visible_entries(page) == rows
    # In-page links (jump links, table of contents) keep the filters.
    page.locator(".dl-jump a:not([hidden])").first.click()
    expect(page).to_have_url(re.compile(r"\?dims=3d&levels=beginner#"))
    assert visible_entries(page) == rows

    page.locator("form.dl-filters button[type=reset]").click()
    expect(page.locator(".dl-filter-status")).to_have_text(f"{total} of {total} entries shown")
    assert "?" not in page.url


def filter_by_words(page: Page, words: str) -> None:
    """Type ``words`` in a section page's word box; the first time, wait for the page's word
    index, which the box fetches when it is first used."""
    page.locator("form.dl-filters input[name=q]").fill(words)
    expect(page.locator(".dl-filter-status")).not_to_have_text(re.compile(r"^(Chargement|Loading)…$"))


def test_word_filter_ignores_accents_and_says_when_nothing_matches(
    page: Page, site_url: str, local_only: list[str]
) -> None:
    page.goto(f"{site_url}fr/sections/tools/")
    expect(page.locator("form.dl-filters")).to_be_visible()
    filter_by_words(page, "debruitage")
    with_accent = [r["id"] for r in visible_entries(page)]
    filter_by_words(page, "débruitage")
    assert with_accent and [r["id"] for r in visible_entries(page)] == with_accent
    filter_by_words(page, "zzzz-nothing")
    expect(page.locator(".dl-filter-status")).to_have_text(
        "Aucune fiche ne correspond à ces filtres.")
    assert visible_entries(page) == []
    # Empty task groups disappear with their headings and the links to them; "Aller à :"
    # with nothing after it, too.
    expect(page.locator(".md-content h2:not([hidden])")).to_have_count(0)
    expect(page.locator(".dl-jump a:not([hidden])")).to_have_count(0)
    expect(page.locator(".dl-jump")).to_be_hidden()
    expect(page.locator(".md-sidebar--secondary .md-nav__item:not([hidden])")).to_have_count(0)
    page.locator("form.dl-filters button[type=reset]").click()
    expect(page.locator(".dl-jump a:not([hidden])")).not_to_have_count(0)
    expect(page.locator(".dl-jump")).to_be_visible()


def every_word_in_the_explorer(page: Page, url: str) -> set[str]:
    """The entries the explorer at ``url`` (its ?q=) lists as holding every word searched
    for: those above its "only some of the words" line, or all when there is none."""
    page.goto(url)
    expect(page.locator(".dl-explorer__status")).not_to_have_text(re.compile(r"^$|…"))
    found: dict[str, Any] = page.locator("ol.dl-results > li").evaluate_all(
        "items => { const ids = []; for (const item of items) {"
        " if (!item.dataset.entryId) return {ids, end: item.className};"
        " ids.push(item.dataset.entryId); }"
        " return {ids, end: null}; }")
    assert found["end"] in ("dl-results__partial", None), found  # not "show more" before them
    return set(found["ids"])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_word_box_finds_what_the_explorer_finds_with_every_word(
    page: Page, site_url: str, local_only: list[str], lang: str
) -> None:
    # The box matched the card's letters: "segmenter noyaux" found µSAM alone where the
    # explorer finds Cellpose and StarDist, "nuclei" nothing on the French page, and "noyau"
    # 11 entries but "noyaux" 10. It now keeps what the explorer finds with every word:
    # stems, both languages, prefixes, typos ("fluorescense").
    queries = ["segmenter noyaux", "nuclei", "noyau", "noyaux", "noyaux fluorescence",
               "fluorescense", "débruitage"]
    expected = {q: every_word_in_the_explorer(page, f"{site_url}{lang}/explore/?q={q}")
                for q in queries}
    page.goto(f"{site_url}{lang}/sections/tools/")
    rows = {r["id"] for r in visible_entries(page)}
    shown = {}
    for query in queries:
        filter_by_words(page, query)
        shown[query] = {r["id"] for r in visible_entries(page)}
        assert shown[query] == expected[query] & rows, query
    assert {"cellpose", "stardist"} <= shown["segmenter noyaux"]
    assert "cellpose" in shown["nuclei"]
    assert shown["noyau"] == shown["noyaux"]


def test_the_word_box_loads_the_words_of_its_rows_when_first_used(
    page: Page, site_url: str, local_only: list[str]
) -> None:
    # not the explorer's index of the whole catalogue (460 kB), nor anything for a reader who
    # only chooses facets
    fetched: list[str] = []
    page.on("request", lambda request: request.url.endswith(".json")
            and fetched.append(urlsplit(request.url).path))
    page.goto(f"{site_url}fr/sections/tools/")
    page.select_option("form.dl-filters select[name=dims]", "3d")
    expect(page).to_have_url(re.compile(r"\?dims=3d$"))
    assert fetched == []
    filter_by_words(page, "noyaux")
    filter_by_words(page, "noyaux 3d")
    assert fetched == [urlsplit(f"{site_url}fr/assets/section-index/tools.json").path]


@pytest.mark.parametrize(("lang", "offer"), [
    ("fr", "Chercher « {} » dans tout le catalogue"),
    ("en", "Search the whole catalogue for “{}”"),
])
def test_few_entries_found_or_none_offer_the_whole_catalogue(
    page: Page, site_url: str, local_only: list[str], lang: str, offer: str
) -> None:
    page.goto(f"{site_url}{lang}/sections/tools/")
    elsewhere = page.locator("form.dl-filters .dl-filter-elsewhere a")
    filter_by_words(page, "segmentation")  # many: the page is the place
    assert len(visible_entries(page)) > 5
    expect(elsewhere).to_be_hidden()
    # a few: the name of one of them
    for name in page.locator("li.dl-entry .dl-entry__name").all_inner_texts():
        filter_by_words(page, name)
        if 0 < len(visible_entries(page)) <= 5:
            break
    expect(elsewhere).to_be_visible()
    expect(elsewhere).to_have_text(offer.format(name))
    # none, and what the reader typed is text, carried as typed
    typed = "zzqxw <b>$&"
    filter_by_words(page, typed)
    assert visible_entries(page) == []
    expect(elsewhere).to_have_text(offer.format(typed))
    elsewhere.click()
    expect(page).to_have_url(re.compile(re.escape(f"{site_url}{lang}/explore/?q=")))
    expect(page.locator("#dl-q")).to_have_value(typed)


@pytest.mark.parametrize(("lang", "words"), [("fr", "débruitage"), ("en", "denoising")])
def test_the_jump_line_separates_only_the_groups_shown(
    page: Page, site_url: str, local_only: list[str], lang: str, words: str
) -> None:
    # "a + a::before" counted the hidden links: the line began "Aller à : · Segmentation"
    page.goto(f"{site_url}{lang}/sections/tools/")
    filter_by_words(page, words)
    links = page.locator(".dl-jump a").evaluate_all(
        "links => links.map(a => [a.hidden, getComputedStyle(a, '::before').content])")
    shown = [before for hidden, before in links if not hidden]
    assert links[0][0] and len(shown) >= 2, links  # the first group hidden, two shown
    assert shown == ["none"] + ['" · "'] * (len(shown) - 1), links


def test_when_the_word_index_cannot_load_the_box_says_so_and_offers_the_explorer(
    page: Page, site_url: str
) -> None:
    page.route("**/section-index/*.json", lambda route: route.abort())
    page.goto(f"{site_url}en/sections/tools/?q=nuclei")
    expect(page.locator(".dl-filter-status")).to_contain_text(
        "The word filter could not be loaded")
    expect(page.locator(".dl-filter-elsewhere a")).to_have_text(
        "Search the whole catalogue for “nuclei”")
    # the network is back: the reader's next words load the index, where a reload was needed
    page.unroute("**/section-index/*.json")
    filter_by_words(page, "nuclei 2d")
    expect(page.locator(".dl-filter-status")).to_have_text(re.compile(r"^\d+ of \d+ entries"))
    assert visible_entries(page)


def test_section_filters_show_the_common_ones_and_fold_the_others(
    page: Page, site_url: str, local_only: list[str]
) -> None:
    page.goto(f"{site_url}fr/sections/tools/")
    form = page.locator("form.dl-filters")
    more = form.locator("details.dl-filters__more")
    # what the cards show as chips (task, dimensions, level...) is offered at once
    for name in ("tasks", "dims", "levels", "interfaces"):
        expect(form.locator(f"select[name={name}]")).to_be_visible()
    expect(form.locator("select[name=dims] option").first).to_have_text("Indifférent")
    expect(more.locator("select[name=licenses]")).to_be_hidden()
    more.locator("summary").click()
    expect(more.locator("select[name=licenses]")).to_be_visible()
    # a shared view that uses a folded filter opens the fold and counts it
    page.goto(f"{site_url}fr/sections/tools/?licenses=MIT")
    expect(more.locator("select[name=licenses]")).to_have_value("MIT")
    expect(more.locator("select[name=licenses]")).to_be_visible()
    expect(more.locator(".dl-filters__active")).to_have_text("(1)")
    # one entry shown reads as one, not "1 fiche(s)"
    total = page.locator("li.dl-entry").count()
    form.locator("button[type=reset]").click()
    names = page.locator("li.dl-entry .dl-entry__name").all_inner_texts()
    for name in names:
        filter_by_words(page, name)
        if len(visible_entries(page)) == 1:
            break
    expect(page.locator(".dl-filter-status")).to_have_text(f"1 fiche affichée sur {total}")


def test_on_a_phone_the_section_menus_fold_and_the_entries_start_on_the_first_screen(
    new_context: NewContext, site_url: str, local_only: list[str]
) -> None:
    # eight menus filled the first screen of a phone: the entries began below it
    page = new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    page.goto(f"{site_url}fr/sections/tools/")
    menus = page.locator("form.dl-filters details.dl-filters__menus")
    expect(menus.locator("select[name=tasks]")).to_be_hidden()
    expect(page.locator("form.dl-filters input[name=q]")).to_be_visible()  # the box stays
    # the first entry begins on the first screen (it was two screens down): the menus fold,
    # and the "Jump to" links keep to one line that scrolls sideways
    first = page.locator("li.dl-entry").first.bounding_box()
    assert first is not None and first["y"] + 24 < 844, first
    jump = page.locator(".dl-jump").bounding_box()
    assert jump is not None and jump["height"] < 60, jump
    menus.locator("> summary").click()
    page.select_option("form.dl-filters select[name=levels]", "beginner")
    expect(menus.locator("> summary .dl-filters__active")).to_have_text("(1)")
    # on a wide screen the menus are there, without the folding line
    page.set_viewport_size({"width": 1280, "height": 844})
    page.goto(f"{site_url}fr/sections/tools/")
    expect(menus.locator("select[name=tasks]")).to_be_visible()
    expect(menus.locator("> summary")).to_be_hidden()


def test_on_a_phone_back_to_top_waits_in_the_bottom_corner(
    new_context: NewContext, site_url: str
) -> None:
    # at the top, under the header, it covered the first lines read after scrolling up
    page = new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    page.goto(f"{site_url}fr/explore/?q=noyaux")
    expect(page.locator("li.dl-result").first).to_be_visible()
    page.mouse.wheel(0, 2000)
    page.wait_for_function("window.scrollY > 1500")  # down, then up: Material shows it
    page.mouse.wheel(0, -600)
    button = page.locator(".md-top")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box is not None and box["y"] > 844 / 2 and box["x"] > 390 / 2, box
    assert box["height"] < 60, box
    expect(button).to_have_accessible_name(re.compile("haut de la page"))
    button.click()
    page.wait_for_function("window.scrollY === 0")
    # the keyboard focus goes up too (it stayed on the body): to the page's title
    assert page.evaluate("document.activeElement.tagName") == "H1"


@pytest.mark.parametrize(("lang", "title", "home"), [
    ("fr", "Page introuvable", "Accueil du site en français"),
    ("en", "Page not found", "Home of the English site"),
])
def test_each_language_404_page_speaks_its_language_and_offers_a_way_on(
    page: Page, site_url: str, local_only: list[str], lang: str, title: str, home: str
) -> None:
    # Hosts that serve a folder's own 404.html showed Material's "404 - Not found", in English.
    page.goto(f"{site_url}{lang}/404.html")
    expect(page.locator("article h1")).to_have_text(title)
    page.locator("article input[name=q]").fill("cellpose")
    page.locator("article input[name=q]").press("Enter")
    expect(page).to_have_url(f"{site_url}{lang}/explore/?q=cellpose")
    page.go_back()
    page.locator("article a", has_text=home).click()
    expect(page).to_have_url(re.compile(re.escape(f"{site_url}{lang}/") + r"\.?$"))


def test_home_leads_a_beginner_to_beginner_courses(
    page: Page, site_url: str, local_only: list[str]
) -> None:
    page.goto(f"{site_url}fr/")
    page.locator("ul.dl-starts a", has_text="Débuter en apprentissage profond").click()
    expect(page.locator("ol.dl-results > li.dl-result").first).to_be_visible()
    kinds = page.locator("ol.dl-results .dl-result__head .dl-kind").all_inner_texts()
    assert kinds and set(kinds) <= {"Cours", "Tutoriel", "Vidéo", "Livre"}, kinds
    expect(page.locator("input[name=levels][value=beginner]")).to_be_checked()


@pytest.mark.parametrize(("lang", "to_dark", "permalink"), [
    ("fr", "Passer en mode sombre", "Lien vers cette section"),
    ("en", "Switch to dark mode", "Link to this section"),
])
def test_the_colour_switch_and_heading_links_speak_the_page_language(
    page: Page, site_url: str, local_only: list[str], lang: str, to_dark: str, permalink: str
) -> None:
    # They were "Mode sombre / Dark mode" and "Permanent link" on both sites.
    page.goto(f"{site_url}{lang}/faq/")
    switch = page.locator("label.md-header__button[for^=__palette]:visible")
    expect(switch).to_have_attribute("title", to_dark)
    expect(page.locator("a.headerlink").first).to_have_attribute("title", permalink)
    switch.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    # a screen reader names a link by its text: every "¶" was named "¶"; each says its heading
    link = page.locator("h2 a.headerlink").first
    heading = link.locator("xpath=..").evaluate(
        "h => h.cloneNode(true).childNodes[0].textContent.trim()")
    separator = " : " if lang == "fr" else ": "
    expect(link).to_have_accessible_name(f"{permalink}{separator}{heading}")


PHONE_PAGES = ["", "explore/", "open-data/", "faq/", "glossary/", "cheatsheets/", "recent/",
               "contribute/", "sections/tools/", "resources/cellpose/", "resources/fidle/"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_page_pans_sideways_on_a_phone(
    new_context: NewContext, site_url: str, lang: str
) -> None:
    # The language menu, centred under its button at the screen's edge, the section filters'
    # menus and the open-data files table stuck out of a phone's screen: the page could be
    # dragged sideways.
    # The header is the same on every page: the smallest phones (320 px) are tried on two.
    wide = []
    for width, paths in ((390, PHONE_PAGES), (320, ["", "sections/tools/", "explore/"])):
        page = new_context(viewport={"width": width, "height": 844}, is_mobile=True).new_page()
        for path in paths:
            page.goto(f"{site_url}{lang}/{path}")
            screen, content = page.evaluate(
                "() => [document.documentElement.clientWidth,"
                " document.documentElement.scrollWidth]")
            if content > screen:
                wide.append(f"{path or 'home'}: content {content} px wide on a {screen} px screen")
    assert wide == []


# A French text node whose space before ? ! : ; » (or after «) is an ordinary one, which lets
# the browser break the line there. Code shows what is typed. The table of contents of a page
# is left out: MkDocs' toc extension turns a heading's no-break space back into a space.
BREAKABLE_FRENCH_SPACE = r"""() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('code, pre, script, style, .md-nav--secondary')) continue;
    const match = node.textContent.match(/.{0,30}( [?!:;»]|« ).{0,10}/);
    if (match) found.push(match[0].trim());
  }
  return found;
}"""


def test_french_punctuation_never_starts_a_line(page: Page, site_url: str) -> None:
    # "Pourquoi Cellpose fonctionne-t-il si bien" then "?" alone on the next line: French
    # sets a space before ? ! : ; », and an ordinary one is where a browser may break
    found = {}
    for path in ("", "faq/", "glossary/", "resources/cellpose/", "resources/ai4life/",
                 "open-data/", "link-health/", "contribute/", "sections/tools/",
                 "explore/?q=cellpose"):
        page.goto(f"{site_url}fr/{path}")
        if path.startswith("explore/"):
            expect(page.locator("ol.dl-results > li").first).to_be_visible()
        texts = page.evaluate(BREAKABLE_FRENCH_SPACE)
        if texts:
            found[path or "home"] = texts[:5]
    assert found == {}  # (that code keeps its spaces: tests/test_markup.py)


ACTIVE = """() => {
  const e = document.activeElement;
  return {label: e.getAttribute('aria-label') || e.textContent.trim(),
          inDrawer: !!e.closest('.md-sidebar--primary'), tag: e.tagName,
          for: e.getAttribute('for') || ''};
}"""


def test_the_menu_works_with_the_keyboard_on_a_phone(page: Page, site_url: str) -> None:
    # The theme's menu button is a <label>: a keyboard could not reach it, and the closed
    # drawer's links, off screen, took 19 Tab stops before the page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{site_url}fr/faq/")
    button = page.locator('label.md-header__button[for="__drawer"]')
    expect(button).to_have_accessible_name("Menu de navigation")
    expect(button).to_have_attribute("aria-expanded", "false")
    stops = []
    for _ in range(14):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(ACTIVE))
    assert stops[1]["label"] == "Menu de navigation"  # after the skip link
    assert not any(stop["inDrawer"] for stop in stops), stops  # the closed drawer is skipped
    # Enter opens it and goes into it; its sections open the same way; Escape closes it
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#__drawer")).to_be_checked()
    expect(button).to_have_attribute("aria-expanded", "true")
    assert page.evaluate(ACTIVE)["inDrawer"]
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate(ACTIVE)["for"].startswith("__nav_"):
            break
    section = page.evaluate(ACTIVE)
    assert section["label"] == "Rubriques", section
    page.keyboard.press(" ")
    expect(page.locator(f"#{section['for']}")).to_be_checked()
    # its back arrow is named apart from the button that opened it (both bore its title)
    expect(page.locator(f"label.md-nav__title[for={section['for']}]")).to_have_accessible_name(
        "Retour au menu")
    page.keyboard.press("Tab")
    link = page.locator(".md-sidebar--primary a:focus")
    expect(link).to_have_text(re.compile("Données et modèles"))
    expect(link).to_be_in_viewport()
    page.keyboard.press("Escape")
    expect(page.locator("#__drawer")).not_to_be_checked()
    expect(button).to_be_focused()
    # on a wide screen the navigation is a sidebar, never inert, the button is gone and the
    # sections' titles, always open there, are no buttons (a dead Tab stop otherwise)
    page.set_viewport_size({"width": 1280, "height": 844})
    expect(button).to_be_hidden()
    assert page.locator(".md-sidebar--primary").evaluate("s => s.inert") is False
    expect(page.locator(f"label.md-nav__link[for={section['for']}]")).not_to_have_attribute(
        "role", "button")
    # on a section's page its panel is open: the drawer opens on it, and what it covers (the
    # other items, the logo) takes no Tab stop
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{site_url}fr/sections/tools/")
    button.focus()
    page.keyboard.press("Enter")
    stops = []
    for _ in range(6):
        stops.append(page.evaluate(
            "() => [document.activeElement.textContent.trim(),"
            " !!document.activeElement.closest('nav[data-md-level=\"1\"]')]"))
        page.keyboard.press("Tab")
    assert stops[0] == ["Rubriques", True] and all(inside for _text, inside in stops), stops
    # the open drawer keeps the focus, as a dialog does: Tab went on into the dimmed page
    # (past its last item, the focus leaves the document, to the browser, then comes back)
    for _ in range(25):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement === document.body"
                             " || !!document.activeElement.closest('.md-sidebar--primary')")
    page.keyboard.press("Escape")
    expect(button).to_be_focused()
    page.locator("#dl-filter-q, .dl-filters input").first.focus()  # the page is back in reach


def test_the_light_dark_switch_answers_space_as_enter(page: Page, site_url: str) -> None:
    # it answered Enter only; a switch is pressed with Space too
    page.goto(f"{site_url}en/")
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('md-option')"):
            break
    body = page.locator("body")
    scheme = body.get_attribute("data-md-color-scheme")
    page.keyboard.press(" ")
    expect(body).not_to_have_attribute("data-md-color-scheme", scheme or "")
    page.keyboard.press("Enter")
    expect(body).to_have_attribute("data-md-color-scheme", scheme or "")


# How much wider than its box a search field's placeholder is (0: it fits), measured with the
# field's own font.
PLACEHOLDER_OVERFLOW = """input => {
  const style = getComputedStyle(input);
  const context = document.createElement('canvas').getContext('2d');
  context.font = [style.fontStyle, style.fontWeight, style.fontSize, style.fontFamily].join(' ');
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return Math.max(0, Math.ceil(context.measureText(input.placeholder).width - room));
}"""


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_search_placeholders_are_never_cut(page: Page, site_url: str, lang: str) -> None:
    # "ex. segmentation noyaux, débruitage, epoch" showed as "ex. segmentation noyaux," on a
    # wide screen and as a few letters on a phone: the header says "Chercher" / "Search",
    # and on the smallest phones, where even that did not fit, shows only its button; the
    # home page's and the explorer's boxes, full width on a phone, give one short example.
    # One page per box, resized: the layout follows the width without a reload.
    widths = (320, 375, 390, 1280)
    cut = {}
    for path, fields in (("", ("#dl-header-q", "#dl-home-q")), ("explore/", ("#dl-q",))):
        page.set_viewport_size({"width": widths[0], "height": 844})
        page.goto(f"{site_url}{lang}/{path}")
        for width in widths:
            page.set_viewport_size({"width": width, "height": 844})
            for field in fields:
                box = page.locator(field)
                if field == "#dl-header-q" and width < 384:
                    expect(box).to_be_hidden()
                    continue
                overflow = box.evaluate(PLACEHOLDER_OVERFLOW)
                if overflow:
                    cut[f"{field} at {width} px"] = overflow
    assert cut == {}
    # where the header has only its button, the button opens the explorer's own box
    page.set_viewport_size({"width": 320, "height": 844})
    page.goto(f"{site_url}{lang}/")
    page.locator(".dl-header-search button").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/explore/\?q=$"))
    expect(page.locator("#dl-q")).to_be_focused()  # the reader came to type


# What each stacked cell shows: its ::before text, its box's width against its table's and the
# table's scrollable width (it scrolled sideways on a phone before), and the row's layout.
STACKED_CELLS = """table => [...table.querySelectorAll('tbody td')].map(td => ({
  label: getComputedStyle(td, '::before').content,
  text: td.innerText.trim(),
  display: getComputedStyle(td).display,
  fits: td.getBoundingClientRect().width <= table.clientWidth + 0.5,
  scrolls: table.scrollWidth > table.clientWidth,
}))"""


@pytest.mark.parametrize(("lang", "path", "first_column"), [
    ("fr", "", "Rubrique"), ("en", "", "Section"),
    ("fr", "open-data/", "Fichier"), ("en", "open-data/", "File"),
])
def test_small_tables_read_as_cards_on_a_phone(
    new_context: NewContext, site_url: str, lang: str, path: str, first_column: str
) -> None:
    # The home page's sections and the open-data files were three cramped columns on a phone
    # (the files table scrolled sideways): each row is now a card whose cells name their
    # column, in the page's language; on a wide screen it is still a table.
    page = new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    page.goto(f"{site_url}{lang}/{path}")
    table = page.locator("table.dl-stack")
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    assert headers[0] == first_column
    cells = table.evaluate(STACKED_CELLS)
    assert len(cells) >= 3 * 5
    for number, cell in enumerate(cells):
        assert cell["display"] == "block"
        assert cell["fits"] and not cell["scrolls"]
        assert cell["label"].startswith(f'"{headers[number % 3]}"'), cell  # then '/ ""'
        assert cell["text"]
    expect(table.locator("thead")).to_have_attribute("role", "rowgroup")
    wide = new_context(viewport={"width": 1280, "height": 900}).new_page()
    wide.goto(f"{site_url}{lang}/{path}")
    cells = wide.locator("table.dl-stack").evaluate(STACKED_CELLS)
    assert {cell["display"] for cell in cells} == {"table-cell"}
    assert {cell["label"] for cell in cells} == {"none"}


def test_a_section_selection_opens_in_the_explorer_with_its_filters(
    page: Page, site_url: str, local_only: list[str]
) -> None:
    # the explorer downloads what it shows (CSV, BibTeX): a section page's selection goes there
    page.goto(f"{site_url}fr/sections/tools/")
    link = page.locator("form.dl-filters .dl-filter-explore a")
    expect(link).to_have_text(
        "Ouvrir cette rubrique dans l'explorateur (pour la télécharger en CSV)")
    # another section chosen in the menu: the explorer would show either, this page both
    page.locator("details.dl-filters__more > summary").click()  # a folded, rarer filter
    other = page.locator("form.dl-filters select[name=sections] option").nth(1)
    page.select_option("form.dl-filters select[name=sections]", other.get_attribute("value"))
    expect(link).to_be_hidden()
    page.select_option("form.dl-filters select[name=sections]", "")
    page.select_option("form.dl-filters select[name=levels]", "beginner")
    shown = {entry["id"] for entry in visible_entries(page)}
    expect(link).to_have_text(
        "Ouvrir cette sélection dans l'explorateur (pour la télécharger en CSV)")
    link.click()
    expect(page).to_have_url(f"{site_url}fr/explore/?levels=beginner&sections=tools")
    expect(page.locator(".dl-explorer__status")).not_to_have_text(re.compile(r"^$|…"))
    more = page.locator(".dl-results__more button")
    while more.count():
        more.click()
    found = set(page.locator("ol.dl-results > li.dl-result").evaluate_all(
        "items => items.map(i => i.dataset.entryId)"))
    assert found == shown
    # the words typed go along
    page.go_back()
    filter_by_words(page, "noyaux")
    expect(link).to_have_attribute(
        "href", re.compile(r"\?q=noyaux&levels=beginner&sections=tools$"))
    # a section holding papers or books promises BibTeX too (tools hold none: CSV only)
    page.goto(f"{site_url}fr/sections/reading/")
    expect(link).to_have_text(
        "Ouvrir cette rubrique dans l'explorateur (pour la télécharger en CSV ou BibTeX)")
