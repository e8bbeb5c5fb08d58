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
    assert local_only == []


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
    assert local_only == []


def test_word_filter_ignores_accents_and_says_when_nothing_matches(
    page: Page, site_url: str, local_only: list[str]
) -> None:
    page.goto(f"{site_url}fr/sections/tools/")
    expect(page.locator("form.dl-filters")).to_be_visible()
    page.locator("form.dl-filters input[name=q]").fill("debruitage")
    with_accent = [r["id"] for r in visible_entries(page)]
    page.locator("form.dl-filters input[name=q]").fill("débruitage")
    assert with_accent and [r["id"] for r in visible_entries(page)] == with_accent
    page.locator("form.dl-filters input[name=q]").fill("zzzz-nothing")
    expect(page.locator(".dl-filter-status")).to_have_text(
        "Aucune fiche ne correspond à ces filtres.")
    assert visible_entries(page) == []
    # Empty task groups disappear with their headings and the links to them.
    expect(page.locator(".md-content h2:not([hidden])")).to_have_count(0)
    expect(page.locator(".dl-jump a:not([hidden])")).to_have_count(0)
    expect(page.locator(".md-sidebar--secondary .md-nav__item:not([hidden])")).to_have_count(0)
    page.locator("form.dl-filters button[type=reset]").click()
    expect(page.locator(".dl-jump a:not([hidden])")).not_to_have_count(0)
