"""End-to-end: the built site in a real headless chromium, served on 127.0.0.1."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def local_only(page: Page) -> list[str]:
    """Abort and record every request that would leave 127.0.0.1."""
    outside: list[str] = []

    def guard(route: Route) -> None:
        if urlsplit(route.request.url).hostname in ("127.0.0.1", None):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield outside
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
    assert local_only == []


def test_language_switch_after_instant_navigation(
    page: Page, site_url: str, local_only: list[str]
) -> None:
    page.goto(f"{site_url}en/")
    # A click on an in-site link goes through Material's instant navigation (no full reload).
    page.locator(".md-content a[href$='faq/']").first.click()
    expect(page).to_have_url(f"{site_url}en/faq/")
    switch_language(page, "fr")
    expect(page).to_have_url(f"{site_url}fr/faq/")
    expect(page.locator("h1")).to_contain_text("FAQ")
    page.locator(".md-content a[href*='resources/cellpose/']").first.click()
    expect(page).to_have_url(f"{site_url}fr/resources/cellpose/")
    switch_language(page, "en")
    expect(page).to_have_url(f"{site_url}en/resources/cellpose/")
    assert local_only == []


def test_entry_page_switches_language(page: Page, site_url: str, local_only: list[str]) -> None:
    page.goto(f"{site_url}fr/resources/cellpose/")
    switch_language(page, "en")
    expect(page).to_have_url(f"{site_url}en/resources/cellpose/")
    expect(page.locator(".md-content")).to_contain_text(
        "General-purpose deep-learning segmentation"
    )


@pytest.mark.parametrize(("lang", "word"), [("en", "segmentation"), ("fr", "noyaux")])
def test_search_returns_pages_of_the_current_language_only(
    page: Page, site_url: str, local_only: list[str], lang: str, word: str
) -> None:
    page.goto(f"{site_url}{lang}/")
    # Each selector lists MkDocs-Material's element, then Zensical's (a dialog in a shadow DOM,
    # which Playwright's CSS selectors pierce).
    page.locator("label.md-search__icon, .md-search__input, button.md-search__button"
                 ).first.click()
    # press_sequentially, not fill: the search listens to key events.
    page.locator("input.md-search__input, input[role=combobox]").first.press_sequentially(
        word, delay=30)
    results = page.locator(".md-search-result__item a, [role=listbox][id$=-results] a")
    expect(results.first).to_be_visible(timeout=10_000)
    hrefs = results.evaluate_all("links => links.map(a => a.href)")
    assert hrefs, "no search result"
    assert all(href.startswith(f"{site_url}{lang}/") for href in hrefs), hrefs
    listing = page.locator(".md-search-result, [role=listbox][id$=-results]").first
    assert re.search(word, listing.inner_text(), re.I)
    assert local_only == []


def test_root_sends_visitors_to_french(page: Page, site_url: str, local_only: list[str]) -> None:
    page.goto(site_url)
    expect(page).to_have_url(f"{site_url}fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def visible_rows(page: Page) -> list[dict[str, str]]:
    return page.locator("tr:not([hidden]) .dl-row").evaluate_all(
        "markers => markers.filter(m => m.closest('table').closest('[hidden]') === null)"
        ".map(m => ({level: m.dataset.level, dims: m.dataset.dims,"
        " title: m.closest('tr').querySelector('a').textContent}))"
    )


def test_facet_filters_combine_and_live_in_the_url(page: Page, site_url: str,
                                                   local_only: list[str]) -> None:
    page.goto(f"{site_url}en/sections/tools/")
    total = page.locator(".dl-row").count()
    expect(page.locator("form.dl-filters")).to_be_visible()
    page.select_option("form.dl-filters select[name=level]", "beginner")
    page.select_option("form.dl-filters select[name=dims]", "3d")
    expect(page).to_have_url(f"{site_url}en/sections/tools/?level=beginner&dims=3d")
    rows = visible_rows(page)
    assert 0 < len(rows) < total
    assert all(r["level"] == "beginner" and "3d" in r["dims"].split() for r in rows), rows
    expect(page.locator(".dl-filter-status")).to_have_text(f"{len(rows)} of {total} entries shown")

    # The filtered view can be shared: opening its URL restores it.
    page.goto(f"{site_url}en/sections/tools/?level=beginner&dims=3d")
    assert visible_rows(page) == rows

    page.locator("form.dl-filters button[type=reset]").click()
    expect(page.locator(".dl-filter-status")).to_have_text(f"{total} of {total} entries shown")
    expect(page).to_have_url(f"{site_url}en/sections/tools/")
    assert local_only == []


def test_word_filter_and_no_match_message(page: Page, site_url: str,
                                          local_only: list[str]) -> None:
    page.goto(f"{site_url}fr/")
    # Reached through instant navigation: the script must still set the form up.
    page.locator(".md-content a[href$='sections/tools/']").first.click()
    expect(page.locator("form.dl-filters")).to_be_visible()
    page.locator("form.dl-filters input[name=q]").press_sequentially("napari")
    titles = [r["title"] for r in visible_rows(page)]
    assert "napari" in titles
    page.locator("form.dl-filters input[name=q]").fill("zzzz-nothing")
    page.locator("form.dl-filters input[name=q]").dispatch_event("input")
    expect(page.locator(".dl-filter-status")).to_have_text(
        "Aucune fiche ne correspond à ces filtres.")
    assert visible_rows(page) == []
    # Empty task groups disappear with their headings and the links to them.
    expect(page.locator(".md-content h2:not([hidden])")).to_have_count(0)
    expect(page.locator(".dl-jump:not([hidden])")).to_have_count(0)
    expect(page.locator(".md-sidebar--secondary .md-nav__item:not([hidden])")).to_have_count(0)
    page.locator("form.dl-filters button[type=reset]").click()
    expect(page.locator(".dl-jump:not([hidden])")).not_to_have_count(0)
