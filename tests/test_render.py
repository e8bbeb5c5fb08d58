"""Render stage: bilingual pages with identical paths, visible fallbacks, safe and stable output."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from dl4mic_hub import LANGUAGES, render
from dl4mic_hub.model import Catalogue
from dl4mic_hub.render import RenderedSite, entry_points, front_matter, render_site, sort_key
from dl4mic_hub.validate import validate_catalogue

SMALL = Path(__file__).parent / "fixtures" / "render" / "small"
ROOT = Path(__file__).resolve().parents[1]
# where the fixture's entries are edited ("small" is the catalogue folder's name)
EDIT = "https://github.com/example/hub/edit/main/small/"


@pytest.fixture(scope="module")
def rendered() -> RenderedSite:
    result = validate_catalogue(SMALL)
    assert result.ok, [d.format_text() for d in result.diagnostics]
    return render_site(result.catalogue, repo_url="https://github.com/example/hub")


def edited_small(tmp_path: Path, relative: str, old: str, new: str) -> Catalogue:
    """The small catalogue, copied, with ``old`` replaced by ``new`` in one file (which must
    hold it: an edit that misses would test the unedited fixture), validated."""
    folder = tmp_path / "small"
    shutil.copytree(SMALL, folder)
    path = folder / relative
    text = path.read_text("utf-8")
    assert old in text, f"{relative} no longer holds {old!r}"
    path.write_text(text.replace(old, new), "utf-8")
    result = validate_catalogue(folder)
    assert result.ok, [d.format_text() for d in result.diagnostics]
    return result.catalogue


def text(rendered: RenderedSite, lang: str, path: str) -> str:
    """A page as the browser reads it: character references decoded (the renderer writes
    ':' as '&#58;' and so on, so that the site generator never reads them as Markdown)."""
    return html.unescape(rendered.pages[lang][path])


def test_both_languages_have_the_same_pages(rendered: RenderedSite) -> None:
    assert set(rendered.pages["fr"]) == set(rendered.pages["en"])
    assert {
        "index.md",
        "explore.md",
        "faq.md",
        "glossary.md",
        "cheatsheets.md",
        "recent.md",
        "contribute.md",
        "sections/tools.md",
        "sections/courses.md",
        "resources/alpha-tool.md",
        "resources/beta-course.md",
        "resources/eco-annotator.md",
    } <= set(rendered.pages["fr"])
    # the search index, each section's word index, and the open-data files of each language
    # (tests/test_export.py)
    sections = validate_catalogue(SMALL).catalogue.vocabularies["sections"].terms
    assert set(rendered.files["fr"]) == set(rendered.files["en"]) == {
        "assets/search-index.json", "feed.xml", "sitemap-entries.xml",
        *(f"assets/section-index/{key}.json" for key in sections),
    }


def test_rendering_is_deterministic() -> None:
    first = render_site(validate_catalogue(SMALL).catalogue)
    second = render_site(validate_catalogue(SMALL).catalogue)
    assert first.pages == second.pages
    assert first.files == second.files


def test_a_language_rendered_in_a_forked_process_gives_the_same_site() -> None:
    # build renders the second language in a forked process for large catalogues (jobs=2):
    # same pages, files, navigation and fallbacks, and its errors still reach the caller.
    catalogue = validate_catalogue(SMALL).catalogue  # it has texts in one language only
    here = render_site(catalogue, jobs=1)
    assert here.fallback_counts()["en"] > 0
    forked = render_site(catalogue, jobs=2)
    assert forked.pages == here.pages
    assert forked.files == here.files
    assert forked.root_files == here.root_files
    assert forked.nav == here.nav
    assert forked.fallbacks == here.fallbacks


def test_the_second_process_is_for_large_catalogues_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    catalogue = validate_catalogue(SMALL).catalogue
    assert render._jobs(None, catalogue) == 1  # a few entries: not worth a process
    assert render._jobs(3, catalogue) == 3 and render._jobs(0, catalogue) == 1
    monkeypatch.setattr(render, "PARALLEL_FROM_ENTRIES", 1)
    monkeypatch.setattr(render.os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(render.threading, "active_count", lambda: 1)  # (pytest-xdist has more)
    assert render._jobs(None, catalogue) == 2
    monkeypatch.setattr(render.os, "sched_getaffinity", lambda pid: {0})
    assert render._jobs(None, catalogue) == 1  # one CPU: nothing runs meanwhile
    monkeypatch.setattr(render.os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(render.threading, "active_count", lambda: 2)
    assert render._jobs(None, catalogue) == 1  # another thread (serve's watcher): no fork


def test_an_error_in_the_forked_language_reaches_the_caller(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    catalogue = validate_catalogue(SMALL).catalogue

    def broken(site: object, lang: str, emit: object) -> None:
        raise RuntimeError(f"glossary of {lang} failed")

    monkeypatch.setattr(render, "_glossary", broken)
    with pytest.raises(RuntimeError, match="glossary of fr failed"):
        render_site(catalogue, jobs=2)  # fr here fails first; en is cancelled or discarded
    monkeypatch.setattr(render, "_glossary", lambda site, lang, emit: (
        broken(site, lang, emit) if lang == "en" else None))
    with pytest.raises(RuntimeError, match="glossary of en failed") as raised:
        render_site(catalogue, jobs=2)  # raised in the fork, re-raised here
    # with the fork's own traceback as its cause, for the internal-error report
    assert isinstance(raised.value.__cause__, render.ForkedRenderError)
    assert "in broken" in str(raised.value.__cause__)


def test_a_forked_renderer_that_dies_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue = validate_catalogue(SMALL).catalogue
    monkeypatch.setattr(render, "_glossary", lambda site, lang, emit: (
        os._exit(9) if lang == "en" else None))  # as if killed by the system
    with pytest.raises(render.ForkedRenderError, match=r"stopped without an answer.*code 9"):
        render_site(catalogue, jobs=2)


def _fork_started(pid_file: Path) -> None:
    """In the fork: say its pid (written whole, then renamed, so never read half-written)."""
    partial = pid_file.with_suffix(".partial")
    partial.write_text(str(os.getpid()), encoding="utf-8")
    partial.rename(pid_file)


def _wait_for(pid_file: Path) -> int:
    deadline = time.monotonic() + 60
    while not pid_file.exists():
        assert time.monotonic() < deadline, "the forked renderer never started its language"
        time.sleep(0.01)
    return int(pid_file.read_text(encoding="utf-8"))


def _ended(pid: int) -> bool:
    """Whether process ``pid`` is gone or a zombie (ended, not yet reaped by its new parent)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return True
    return state[0] in ("Z", "X")


def test_an_interruption_here_stops_the_forked_renderer(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    catalogue = validate_catalogue(SMALL).catalogue
    pid_file = tmp_path / "fork.pid"

    def glossary(site: object, lang: str, emit: object) -> None:
        if lang == "en":  # the fork: would render for a long while
            _fork_started(pid_file)
            time.sleep(120)
        _wait_for(pid_file)  # here: interrupted once the fork is at work
        raise KeyboardInterrupt

    monkeypatch.setattr(render, "_glossary", glossary)
    with pytest.raises(KeyboardInterrupt):
        render_site(catalogue, jobs=2)
    assert _ended(int(pid_file.read_text(encoding="utf-8")))  # stopped and reaped at once
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text(encoding="utf-8")), 0)


def test_an_error_the_parent_cannot_rebuild_keeps_its_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Unrebuildable(Exception):
        def __init__(self, problems: list[str]) -> None:
            super().__init__(f"{len(problems)} problem(s)")  # pickled args are not the init's

    def glossary(site: object, lang: str, emit: object) -> None:
        if lang == "en":
            raise Unrebuildable(["a", "b"])

    monkeypatch.setattr(render, "_glossary", glossary)
    with pytest.raises(render.ForkedRenderError, match="Unrebuildable: 2 problem") as raised:
        render_site(validate_catalogue(SMALL).catalogue, jobs=2)
    assert "in glossary" in str(raised.value.__cause__)  # the fork's traceback


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_the_forked_renderer_ends_when_its_parent_is_killed(tmp_path: Path) -> None:
    # The parent dies (kill -9, the out-of-memory killer) while the fork has pages to send:
    # the fork must end rather than wait forever on a pipe nobody reads.
    pid_file = tmp_path / "fork.pid"
    script = f"""
import os, sys, time
from pathlib import Path
sys.path.insert(0, {str(Path(__file__).parent)!r})
from test_render import _fork_started
from dl4mic_hub import render
from dl4mic_hub.validate import validate_catalogue
pid_file = Path({str(pid_file)!r})
def glossary(site, lang, emit):
    if lang == "en":
        _fork_started(pid_file)
    else:
        time.sleep(120)  # the parent never reads
nav = render._nav
def big_nav(site, lang):  # far more than a pipe holds, whatever the fixture's size
    return nav(site, lang) + ([{{"x" * 1_000_000: "big.md"}}] if lang == "en" else [])
render._glossary, render._nav = glossary, big_nav
render.render_site(validate_catalogue(Path({str(SMALL)!r})).catalogue, jobs=2)
"""
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        fork = _wait_for(pid_file)
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 60
    while not _ended(fork):
        assert time.monotonic() < deadline, "the forked renderer outlived its parent"
        time.sleep(0.05)


def test_missing_translation_is_shown_in_the_other_language_with_a_notice(
    rendered: RenderedSite,
) -> None:
    page = rendered.pages["en"]["resources/alpha-tool.md"]
    assert '<div lang="fr">\n<p>Texte <strong>français</strong> seulement.</p>\n</div>' in page
    assert "This text is not translated into English yet; it is shown in French." in page
    assert '!!! warning "Missing translation"' in page
    assert "fallbacks: 1" in page  # front matter flag for the page
    # The French page has everything in French: no notice.
    assert "Missing translation" not in rendered.pages["fr"]["resources/alpha-tool.md"]
    assert "Traduction manquante" not in rendered.pages["fr"]["resources/alpha-tool.md"]


def test_missing_translation_notice_comes_under_the_page_title(rendered: RenderedSite) -> None:
    page = rendered.pages["en"]["resources/alpha-tool.md"]
    body = page.split("\n---\n", 1)[1].lstrip()  # after the front matter
    assert body.startswith("# Alpha Screen\n\n!!! warning \"Missing translation\"")


@pytest.mark.parametrize(("path", "entry_file"), [
    ("sections/courses.md", "resources/beta-course.yml"),
    ("glossary.md", "glossary/epoch.yml"),
    ("resources/alpha-tool.md", "resources/alpha-tool.yml"),
])
def test_translation_notice_links_to_the_file_of_the_entry_to_translate(
    rendered: RenderedSite, path: str, entry_file: str
) -> None:
    # every French text on these English pages comes from one entry: the link opens its file
    page = rendered.pages["en"][path]
    assert '!!! warning "Missing translation"' in page
    assert f"[Help us translate it]({EDIT}{entry_file})." in page


def test_translation_notice_names_each_entry_to_translate(tmp_path: Path) -> None:
    catalogue = tmp_path / "small"
    shutil.copytree(SMALL, catalogue)
    legacy = catalogue / "resources" / "delta-legacy.yml"
    data = yaml.safe_load(legacy.read_text("utf-8"))
    data["summary"] = {"fr": data["summary"]["fr"]}  # French only, like beta-course's
    legacy.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = validate_catalogue(catalogue)
    assert result.ok, [d.format_text() for d in result.diagnostics]
    page = render_site(result.catalogue, repo_url="https://github.com/example/hub").pages["en"]
    # both cards of the tools section show a French summary: each entry is named, in page order
    assert (
        "Help us translate these entries: "
        f'<a href="{EDIT}resources/delta-legacy.yml">Delta legacy</a>, '
        f'<a href="{EDIT}resources/beta-course.yml">Beta course</a>.'
    ) in page["sections/tools.md"]


def test_fallbacks_are_counted_per_language(rendered: RenderedSite) -> None:
    counts = rendered.fallback_counts()
    assert counts["fr"] == 0
    fields = sorted((f.entry_id, f.field, f.page) for f in rendered.fallbacks["en"])
    assert ("alpha-tool", "description", "resources/alpha-tool.md") in fields
    assert ("beta-course", "summary", "sections/courses.md") in fields
    assert ("beta-course", "summary", "sections/tools.md") in fields
    assert ("beta-course", "summary", "resources/beta-course.md") in fields
    assert ("epoch", "definition", "glossary.md") in fields
    assert counts["en"] == 5  # those five texts shown in French, none counted twice


def test_inline_fallback_keeps_its_language(rendered: RenderedSite) -> None:
    section = rendered.pages["en"]["sections/courses.md"]
    assert '<span lang="fr">Un cours en français seulement.</span>' in section
    assert "(not translated)" in section


def test_section_groups_entries_by_first_operation_then_learning_topic(
    rendered: RenderedSite,
) -> None:
    page = rendered.pages["fr"]["sections/tools.md"]
    headings = re.findall(r"^## (.+?) \{ #([a-z-]+) \}", page, flags=re.M)
    assert headings == [
        ("Annotation de pixels (masques)", "annotation-dense"),
        ("Annotation d'objets (boîtes, points)", "annotation-sparse"),
        ("Segmentation", "segmentation"),
        ("Bases de l'apprentissage profond", "fundamentals"),
    ]
    # A pipe inside a summary is text, never a table separator.
    assert "Un outil de segmentation &#124; avec une barre verticale." in page


def test_contribute_page_says_how_the_catalogue_is_written(rendered: RenderedSite) -> None:
    # a trainer checking where the content comes from found nothing on the site
    fr = rendered.pages["fr"]["contribute.md"]
    en = rendered.pages["en"]["contribute.md"]
    assert "## Comment ce catalogue est rédigé { #editorial }" in fr
    assert "*Précision de la rédaction*" in fr and "*Editor's note*" in en
    assert "(https://github.com/example/hub/issues/new/choose)" in en


def test_a_section_may_group_its_entries_by_learning_topic_first(tmp_path: Path) -> None:
    # a page of computing resources grouped by image operation put a platform under
    # "Segmentation": such a section says `group_by: learning-topics` in sections.yml
    edited_small(  # copies the fixture to tmp_path/small, with this entry edited
        tmp_path, "resources/alpha-tool.yml", "tasks: [segmentation]\n",
        "tasks: [segmentation]\nlearning_topics: [computing]\n")
    sections = tmp_path / "small" / "vocab" / "sections.yml"
    text = sections.read_text("utf-8")
    assert "    icon: material/tools\n" in text
    sections.write_text(text.replace("    icon: material/tools\n",
                                     "    icon: material/tools\n    group_by: learning-topics\n"),
                        "utf-8")
    result = validate_catalogue(tmp_path / "small")
    assert result.ok, [d.format_text() for d in result.diagnostics]
    page = render_site(result.catalogue).pages["en"]["sections/tools.md"]
    headings = re.findall(r"^## .+? \{ #([a-z-]+) \}", page, flags=re.M)
    # learning topics first, in their vocabulary's order (the segmentation tool is now under
    # computing, and its group is gone); an entry with no learning topic by its task
    assert headings == ["fundamentals", "computing", "annotation-dense", "annotation-sparse"]


def test_every_entry_in_a_list_carries_its_id_and_facets(rendered: RenderedSite) -> None:
    page = rendered.pages["en"]["sections/tools.md"]
    item = re.search(r'<li class="dl-entry"[^>]*data-entry-id="alpha-tool"[^>]*>', page)
    assert item is not None
    assert 'data-f-dims="2d"' in item.group(0)
    assert 'data-f-host-software="fiji"' in item.group(0)
    assert 'data-f-status="active"' in item.group(0)  # the default of an absent status
    # its words are in the page's word index (below), not repeated on the card
    assert "data-keywords" not in page


def index_finds(index: dict[str, Any], word: str) -> set[str]:
    """The ids of the documents an index leads ``word`` to, through its stems (exactly, as
    dl4mic-search.js does first)."""
    found: set[str] = set()
    for stem in index["words"].get(word, []):
        doc = 0
        for gap in index["postings"][stem][0::2]:
            doc += gap
            found.add(index["docs"][doc]["id"])
    return found


def test_a_section_page_filters_its_rows_with_their_own_word_index(
    rendered: RenderedSite,
) -> None:
    # The word box runs the explorer's engine on an index of the page's rows, made as the
    # search index is: words folded and stemmed, in both languages.
    page = rendered.pages["fr"]["sections/tools.md"]
    form = re.search(r'<form class="dl-filters"[^>]*>', page)
    assert form is not None
    assert 'data-index="../../assets/section-index/tools.json"' in form.group(0)
    index = json.loads(rendered.files["fr"]["assets/section-index/tools.json"])
    rows = re.findall(r'<li class="dl-entry" data-entry-id="([^"]+)"', page)
    assert sorted(doc["id"] for doc in index["docs"]) == sorted(rows)
    # a keyword the card does not show, folded; the English one too, on the French site
    assert index_finds(index, "etiquetage") == {"delta-legacy"}
    assert index_finds(index, "labelling") == {"delta-legacy"}
    # what the cards show: names and facet labels, in both languages
    assert "alpha-tool" in index_finds(index, "alpha")
    # the same stop words as the explorer's, and its stems: the search index's own, for the
    # entries both hold
    search = json.loads(rendered.files["fr"]["assets/search-index.json"])
    assert index["stop"] == search["stop"]
    assert all(index["words"][word] == search["words"][word] for word in index["words"])
    assert index_finds(search, "etiquetage") == {"delta-legacy"}


# 9 tools in 4 groups: over the limit (8), each group shows its share; at the limit (9) or
# under it, all of them, though a share of 9 among 4 groups (2) is less than the group's 6
@pytest.mark.parametrize(("section_limit", "shown"), [(8, 2), (9, 6), (40, 6)])
def test_section_page_lists_a_share_of_each_group_and_links_to_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, section_limit: int, shown: int
) -> None:
    """However large the catalogue, a section page lists about SECTION_LIMIT entries, shared
    among its groups; a group cut short links to all its entries in the explorer. A section
    within the limit lists every entry."""
    catalogue = tmp_path / "small"
    shutil.copytree(SMALL, catalogue)
    original = yaml.safe_load((SMALL / "resources" / "alpha-tool.yml").read_text("utf-8"))
    for number in range(1, 6):  # alpha-tool and 5 more in the tools' segmentation group
        clone = {**original, "id": f"alpha-tool-{number}",
                 "url": f"https://alpha.example.org/{number}"}
        clone["title"] = {lang: f"{title} {number}" for lang, title in original["title"].items()}
        (catalogue / "resources" / f"alpha-tool-{number}.yml").write_text(
            yaml.safe_dump(clone, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(render, "SECTION_LIMIT", section_limit)  # 4 groups in tools
    monkeypatch.setattr(render, "GROUP_LIMIT", 2)
    result = validate_catalogue(catalogue)
    assert result.ok, [d.format_text() for d in result.diagnostics]
    site = render_site(result.catalogue)
    page = site.pages["en"]["sections/tools.md"]
    # the word box's index holds the rows the page lists, not those left to the explorer
    index = json.loads(site.files["en"]["assets/section-index/tools.json"])
    assert sorted(doc["id"] for doc in index["docs"]) == sorted(
        re.findall(r'<li class="dl-entry" data-entry-id="([^"]+)"', page))
    group = re.search(  # the group's list ends where no entry does (its chips are lists too)
        r'data-group="segmentation">(.*?)</ul>(?!\s*</li>)\s*(<p class="dl-more">.*?</p>)?',
        page, re.S)
    assert group is not None
    assert group.group(1).count('<li class="dl-entry"') == shown
    if shown < 6:
        assert group.group(2) == (
            '<p class="dl-more"><a href="../../explore/?sections=tools&amp;tasks=segmentation">'
            f"See all 6 entries of this group in the explorer ({shown} shown here)</a></p>")
    else:
        assert "dl-more" not in page


def test_links_between_pages_are_relative_to_the_built_page(rendered: RenderedSite) -> None:
    faq = rendered.pages["en"]["faq.md"]
    assert '<a href="../resources/alpha-tool/">Alpha Screen</a>' in faq
    assert '<a href="../glossary/#loss">Loss function</a>' in faq
    entry = rendered.pages["en"]["resources/alpha-tool.md"]
    assert '<a href="../../resources/beta-course/">Beta course</a>' in entry
    assert '<a href="../../explore/?sections=tools">Tools and software</a>' in entry
    assert "https://github.com/example/hub/edit/main/small/resources/alpha-tool.yml" in entry
    home = rendered.pages["en"]["index.md"]
    assert '<a href="sections/tools/">Tools and software</a>' in home


def test_dates_read_as_each_language_writes_them(rendered: RenderedSite) -> None:
    # "Ajouté le 2026-01-02": a French reader writes "2 janvier 2026"; machines keep the ISO
    # date in <time datetime>; a date never wraps
    assert ('Ajouté le <time datetime="2026-01-02">2\u00a0janvier\u00a02026</time>'
            in text(rendered, "fr", "resources/alpha-tool.md"))
    assert ('Added on <time datetime="2026-01-02">2\u00a0January\u00a02026</time>'
            in text(rendered, "en", "resources/alpha-tool.md"))
    recent = text(rendered, "fr", "recent.md")
    date = r'<time datetime="\d{4}-\d\d-\d\d">\d{1,2}(er)?\u00a0[a-zéû]+\u00a0\d{4}</time>'
    assert re.search(date, recent)


def test_entry_facts_link_to_the_explorer_with_that_value(rendered: RenderedSite) -> None:
    entry = text(rendered, "fr", "resources/alpha-tool.md")
    assert '<a href="../../explore/?host-software=fiji">Fiji/ImageJ</a>' in entry
    assert "<strong>Dimensions</strong>\u00a0: " in entry  # French: no line break before ':'
    # a status nobody wrote is the schema's default, no fact: "Status: Active" on every paper
    assert "?status=" not in entry
    assert "?status=discontinued" in text(rendered, "fr", "resources/delta-legacy.md")


def test_status_other_than_active_is_a_visible_badge_with_the_successor(
    rendered: RenderedSite,
) -> None:
    entry = text(rendered, "fr", "resources/delta-legacy.md")
    assert '<p class="admonition-title">État\u00a0: Abandonné</p>' in entry
    assert 'À la place\u00a0: <a href="../../resources/alpha-tool/">Écran Alpha</a>' in entry
    section = rendered.pages["en"]["sections/tools.md"]
    assert '<span class="dl-badge dl-badge--discontinued"' in section
    assert ">Discontinued</span>" in section
    assert "dl-badge" not in rendered.pages["en"]["resources/alpha-tool.md"]


def test_a_successor_address_reads_without_its_scheme(tmp_path: Path) -> None:
    catalogue = edited_small(tmp_path, "resources/delta-legacy.yml", "successor: alpha-tool",
                             "successor: https://example.org/new-tool/")
    entry = render_site(catalogue).pages["en"]["resources/delta-legacy.md"]
    assert 'Instead&#58; <a href="https://example.org/new-tool/">example.org/new-tool</a>.' in entry


def test_the_open_button_says_what_the_kind_opens(tmp_path: Path) -> None:
    # every entry said "Open the website", videos and papers too
    catalogue = edited_small(
        tmp_path, "vocab/kinds.yml", "    label: {fr: Cours, en: Course}\n",
        "    label: {fr: Cours, en: Course}\n"
        "    open_label: {fr: Ouvrir le cours, en: Open the course}\n")
    pages = render_site(catalogue).pages
    assert ">Open the course <span" in pages["en"]["resources/beta-course.md"]
    assert ">Ouvrir le cours <span" in pages["fr"]["resources/beta-course.md"]
    assert ">Open the website <span" in pages["en"]["resources/alpha-tool.md"]  # no open_label


def test_cheat_sheets_list_what_is_offline_after_what_is_current(tmp_path: Path) -> None:
    # an offline glossary, first by name, led its group
    folder = tmp_path / "small"
    shutil.copytree(SMALL, folder)
    sheet = (folder / "cheatsheets" / "gamma-sheet.yml").read_text("utf-8")
    (folder / "cheatsheets" / "aaa-sheet.yml").write_text(
        sheet.replace("gamma-sheet", "aaa-sheet").replace("Gamma", "Aaa")
        .replace("gamma.example.org", "aaa.example.org")
        + "status: offline\ncuration: [The page no longer answers.]\n", "utf-8")
    result = validate_catalogue(folder)
    assert result.ok, [d.format_text() for d in result.diagnostics]
    page = render_site(result.catalogue).pages["en"]["cheatsheets.md"]
    assert page.index("{ #gamma-sheet }") < page.index("{ #aaa-sheet }")


def test_a_cheat_sheet_type_says_what_its_button_opens(tmp_path: Path) -> None:
    # every cheat sheet said "Open the cheat sheet", glossaries and a drawing tool too: a value
    # of another vocabulary that says what it opens wins over the entry's kind
    folder = tmp_path / "small"
    shutil.copytree(SMALL, folder)
    kinds = folder / "vocab" / "kinds.yml"
    kinds.write_text(kinds.read_text("utf-8").replace(
        "  cheatsheet:\n",
        "  cheatsheet:\n    open_label: {fr: Ouvrir l'antisèche, en: Open the cheat sheet}\n"),
        "utf-8")
    types = folder / "vocab" / "cheatsheet-types.yml"
    types.write_text(types.read_text("utf-8").replace(
        "  cheat-sheet: {label: {fr: Antisèches, en: Cheat sheets}}",
        "  cheat-sheet:\n    label: {fr: Antisèches, en: Cheat sheets}\n"
        "    open_label: {fr: Ouvrir le résumé, en: Open the summary}"), "utf-8")
    result = validate_catalogue(folder)
    assert result.ok, [d.format_text() for d in result.diagnostics]
    pages = render_site(result.catalogue).pages
    assert ">Open the summary <span" in pages["en"]["cheatsheets.md"]
    assert ">Ouvrir le résumé <span" in pages["fr"]["cheatsheets.md"]
    assert "Open the cheat sheet" not in pages["en"]["cheatsheets.md"]


# "retired" is not in the fixture's status.yml: the test adds it, with both flags, and no code
# names it (what a status means for the address and the exports is vocabulary data)
@pytest.mark.parametrize(("status", "label", "tess"), [
    ("discontinued", "Open the website", "archived"),  # still there, only no longer developed
    ("unmaintained", "Open the website", "active"),
    ("offline", "Former address", "archived"), ("closed", "Former address", "archived"),
    ("moved", "Former address", "active"), ("retired", "Former address", "archived"),
])
def test_the_link_to_a_site_gone_says_former_address(
    tmp_path: Path, status: str, label: str, tess: str
) -> None:
    catalogue = tmp_path / "small"
    shutil.copytree(SMALL, catalogue)
    with (catalogue / "vocab" / "status.yml").open("a", encoding="utf-8") as vocabulary:
        vocabulary.write("  retired:\n    label: {fr: Retiré, en: Retired}\n"
                         "    former_address: true\n    ended: true\n")
    legacy = catalogue / "resources" / "delta-legacy.yml"
    changed = legacy.read_text("utf-8").replace("status: discontinued", f"status: {status}")
    legacy.write_text(changed, encoding="utf-8")
    result = validate_catalogue(catalogue)
    assert result.ok, [d.format_text() for d in result.diagnostics]
    site = render_site(result.catalogue)
    page = site.pages["en"]["resources/delta-legacy.md"]
    button = re.search(r'<a class="(md-button[^"]*)" href="https://delta\.example\.org/">([^<]*)',
                       page)
    assert button is not None and button.group(2).strip() == label
    # only a live site gets the primary button
    assert ("md-button--primary" in button.group(1)) == (label == "Open the website")
    # the TeSS column of the open-data table: archived when the resource is no longer active
    rows = csv.DictReader(io.StringIO(site.root_files["data/catalogue.csv"], newline=""))
    legacy_row = next(row for row in rows if row["id"] == "delta-legacy")
    assert (legacy_row["Status"], legacy_row["status"]) == (tess, status)


def test_open_question_invites_an_answer(rendered: RenderedSite) -> None:
    faq = text(rendered, "fr", "faq.md")
    assert '<p class="admonition-title">Question ouverte</p>' in faq
    assert "Cette question n'a pas encore de réponse" in faq
    assert "How to optimise the GPU" in rendered.pages["en"]["faq.md"]


def test_faq_starts_with_an_index_of_its_questions(rendered: RenderedSite) -> None:
    faq = rendered.pages["en"]["faq.md"]
    index = faq.index('<nav class="dl-index"')
    assert faq.index('<a href="#answered-question">', index) < faq.index("### ")


def test_a_question_of_a_paragraph_is_shortened_in_lists_of_links(tmp_path: Path) -> None:
    catalogue = tmp_path / "small"
    shutil.copytree(SMALL, catalogue)
    question = catalogue / "faq" / "answered-question.yml"
    data = yaml.safe_load(question.read_text("utf-8"))
    context = "J'ai des images de noyaux très bruitées, prises au confocal. " * 4
    data["question"] = {"fr": "Faut-il réentraîner ? " + context,  # a question, then context
                        "en": "I work on " + "noisy nuclei images " * 15}  # no question mark
    question.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = validate_catalogue(catalogue)
    assert result.ok, [d.format_text() for d in result.diagnostics]
    site = render_site(result.catalogue, repo_url="https://github.com/example/hub")
    pages = site.pages
    faq = html.unescape(pages["fr"]["faq.md"])
    # the index shows the question itself; the whole text is the link's title, and the heading
    link = re.search(r'<a href="#answered-question" title="([^"]*)">([^<]*)</a>', faq)
    assert link is not None
    assert link.group(2) == "Faut-il réentraîner\u00a0?"
    assert link.group(1) == f"Faut-il réentraîner\u00a0? {context}".strip()
    # the heading is the short question too (a paragraph made a heading of eleven lines, and
    # the same paragraph in the table of contents), and the whole question follows it
    assert "### Faut-il réentraîner\u00a0? { #answered-question }" in faq
    question_shown = re.search(r'<p class="dl-question">(.*?)</p>', faq, re.S)
    assert question_shown is not None
    assert question_shown.group(1) == f"Faut-il réentraîner\u00a0? {context.strip()}"
    # the explorer's card too
    index = json.loads(site.files["fr"]["assets/search-index.json"])
    card = next(doc for doc in index["docs"] if doc["id"] == "answered-question")
    assert (card["name"], card["title"]) == ("Faut-il réentraîner\u00a0?", link.group(1))
    # without a short question: its first words
    faq = html.unescape(pages["en"]["faq.md"])
    link = re.search(r'<a href="#answered-question" title="[^"]*">([^<]*)</a>', faq)
    assert link is not None
    short, whole = link.group(1), data["question"]["en"].strip()
    assert short.endswith("…") and len(short) <= render.LINK_NAME_MAX
    assert whole.startswith(short[:-1]) and whole[len(short) - 1] == " "  # cut between words
    # a short name stays whole, with no title
    small_faq = rendered_small_en_faq()
    assert '<a href="#answered-question">Should I retrain?</a>' in small_faq
    assert "### Should I retrain? { #answered-question }" in small_faq
    assert 'class="dl-question"' not in small_faq  # said once, as the heading


def rendered_small_en_faq() -> str:
    return render_site(validate_catalogue(SMALL).catalogue).pages["en"]["faq.md"]


def test_glossary_has_an_a_to_z(rendered: RenderedSite) -> None:
    glossary = rendered.pages["en"]["glossary.md"]
    assert '<nav class="dl-az"' in glossary
    assert '<a href="#epoch">E</a>' in glossary and '<a href="#loss">L</a>' in glossary


def test_entry_without_url_says_so(rendered: RenderedSite) -> None:
    assert "Address unknown" in rendered.pages["en"]["resources/eco-annotator.md"]


def test_recent_lists_newest_first_then_by_name(rendered: RenderedSite) -> None:
    page = rendered.pages["en"]["recent.md"]
    assert page.index("Beta course") < page.index("Alpha Screen") < page.index("Delta legacy")
    # same day (2026-01-02): alphabetical order
    assert page.index("Alpha Screen") < page.index("Eco annotator") < page.index("Epoch")


def test_recent_shows_the_same_entries_in_both_languages_and_leads_to_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # cut after the name order of each language, a long list of same-day entries showed
    # different entries in French and English, and the rest could not be reached
    monkeypatch.setattr(render, "RECENT_LIMIT", 3)
    result = validate_catalogue(SMALL)
    pages = render_site(result.catalogue, jobs=1).pages
    total = len(list(result.catalogue.all_entries()))
    shown = {lang: re.findall(r'href="([^"]+)"', pages[lang]["recent.md"]
                              .split('<ul class="dl-recent">')[1].split("</ul>")[0])
             for lang in ("fr", "en")}
    assert len(shown["fr"]) == 3 and set(shown["fr"]) == set(shown["en"]), shown
    assert (f'<a href="../explore/?sort=recent">All {total} entries, newest first, in the '
            "explorer</a>") in pages["en"]["recent.md"]
    assert f"Toutes les fiches ({total})" in pages["fr"]["recent.md"]


def test_navigation_is_translated_and_offers_the_explorer(rendered: RenderedSite) -> None:
    assert rendered.nav["fr"][0] == {"Accueil": "index.md"}
    assert rendered.nav["en"][0] == {"Home": "index.md"}
    assert rendered.nav["en"][1] == {"Explore": "explore.md"}
    sections_fr = rendered.nav["fr"][2]["Rubriques"]
    assert {"Outils et logiciels": "sections/tools.md"} in sections_fr


def test_navigation_titles_from_the_catalogue_are_text(tmp_path: Path) -> None:
    """Generators print navigation titles as they are: a section label holding a tag left
    open (which the raw-HTML check does not see: no closing '>') must not become one."""
    label = "Tools <details open ontoggle=alert(1) & more"
    catalogue = edited_small(tmp_path, "vocab/sections.yml",
                             "en: Tools and software}", f'en: "{label}"}}')
    nav = render_site(catalogue).nav["en"]
    titles = [title for item in nav[2]["Sections"] for title in item]
    assert html.unescape(titles[1]) == label
    assert not any(char in title for title in titles for char in "<>")


def test_sort_key_ignores_accents_and_case() -> None:
    assert sorted(["Zèbre", "écran", "Alpha"], key=sort_key) == ["Alpha", "écran", "Zèbre"]
    # the micro sign (and the Greek letter it folds to) is read "micro", as µSAM is said
    assert sorted(["Zoo", "µSAM", "napari", "Micro-Manager", "μManager"], key=sort_key) == [
        "Micro-Manager", "μManager", "µSAM", "napari", "Zoo"]


def test_section_offers_filters_for_the_facets_that_tell_its_entries_apart(
    rendered: RenderedSite,
) -> None:
    page = text(rendered, "en", "sections/tools.md")
    assert '<form class="dl-filters"' in page
    assert '<select name="dims">' in page and '<option value="3d">3D</option>' in page
    assert '<option value="2d-t">' not in page  # no entry of the section is 2D + time
    assert '<select name="host-software">' in page
    assert '<select name="sections">' in page  # beta-course is also in courses
    assert 'data-status="{shown} of {total} entries shown"' in page
    courses = rendered.pages["en"]["sections/courses.md"]
    assert '<form class="dl-filters"' not in courses  # one entry: nothing to tell apart



def test_link_labels_keep_only_the_text_of_nested_links(rendered: RenderedSite) -> None:
    # the answered question links to Alpha in its answer; its name in lists has no link
    faq = rendered.pages["en"]["faq.md"]
    assert '<li><a href="#answered-question">Should I retrain?</a></li>' in faq


def test_front_matter_is_json_scalars_with_html_escaped_texts() -> None:
    text = front_matter({"title": 'A <b> & "c"', "fallbacks": 2, "hide": ["navigation"]})
    assert text.startswith("---\n") and text.endswith("---\n\n")
    data = yaml.safe_load(text.split("---")[1])
    assert data == {"title": "A &lt;b&gt; &amp; &quot;c&quot;", "fallbacks": 2,
                    "hide": ["navigation"]}


def test_explorer_lists_every_entry_without_javascript(rendered: RenderedSite) -> None:
    page = rendered.pages["fr"]["explore.md"]
    listed = re.findall(r'<li data-entry-id="([a-z0-9-]+)"><a href="([^"]+)">', page)
    ids = {entry_id for entry_id, _ in listed}
    assert {"alpha-tool", "beta-course", "answered-question", "loss", "gamma-sheet"} <= ids
    assert ("loss", "../glossary/#loss") in listed
    # one checkbox per facet value in use, named after the facet (its URL parameter)
    assert '<input type="checkbox" name="tasks" value="annotation-sparse">' in page
    assert 'name="kinds" value="faq"' in page
    assert 'name="tasks" value="tracking"' not in page  # no entry tracks


def test_the_explorer_page_asks_for_its_index_in_its_head(rendered: RenderedSite) -> None:
    # The theme's <head> preloads what the front matter names (overrides/main.html): the
    # address the script fetches, from the same folder.
    page = rendered.pages["fr"]["explore.md"]
    assert '\npreload: ["assets/search-index.json"]\n' in page.partition("\n---\n")[0]
    assert 'data-index="../assets/search-index.json"' in page
    assert "preload" not in rendered.pages["fr"]["sections/tools.md"].partition("\n---\n")[0]


def test_home_entry_points_use_existing_facet_values() -> None:
    catalogue = validate_catalogue(ROOT / "catalogue").catalogue
    for point in entry_points():
        assert set(point["label"]) == set(point["description"]) == {"fr", "en"}
        for facet, keys in point["query"].items():
            vocabulary = catalogue.vocabularies[facet]
            for key in keys.split(","):
                assert key in vocabulary.terms, (facet, key)


def test_home_entry_points_lead_to_entries_of_the_real_catalogue() -> None:
    # a start card is a promise ("segment cells without coding"): it must open a list worth
    # reading, and only what the card says (tools for beginners, not papers or 3D builds)
    from dl4mic_hub.facets import derive_facets

    catalogue = validate_catalogue(ROOT / "catalogue").catalogue
    facets = {facet.name: facet for facet in derive_facets(catalogue)}

    def shown(query: dict[str, str]) -> list[str]:
        return [entry.id for entry in catalogue.all_entries()
                if all(set(facets[name].keys(entry)) & set(keys.split(","))
                       for name, keys in query.items())]

    for point in entry_points():
        assert len(shown(point["query"])) >= 5, point["label"]["en"]
    no_code = next(point["query"] for point in entry_points()
                   if point["label"]["en"] == "Segment cells without coding")
    listed = shown(no_code)
    assert "cellpose" in listed and "paper-cellpose" not in listed
    assert "3d-cell-annotator" not in listed  # intermediate: an NVIDIA GPU and a build


def test_search_index_lists_the_site_pages_with_the_words_readers_type_for_them(
    rendered: RenderedSite,
) -> None:
    for lang, name in (("fr", "Données et réutilisation"), ("en", "Data and reuse")):
        index = json.loads(rendered.files[lang]["assets/search-index.json"])
        pages = {page["url"]: page for page in index["pages"]}
        assert pages["open-data/"]["name"] == name
        # words of both languages, found through the index's own word table
        for word in ("bibtex", "telecharger", "download"):
            assert set(index["words"][word]) & set(pages["open-data/"]["stems"]), word
        assert list(index["words"]) == sorted(index["words"])  # still in order
        assert "open-data" not in {doc["id"] for doc in index["docs"]}  # not an entry


def test_search_index_holds_cards_and_postings(rendered: RenderedSite) -> None:
    index = json.loads(rendered.files["fr"]["assets/search-index.json"])
    cards = {doc["id"]: doc for doc in index["docs"]}
    assert cards["alpha-tool"]["url"] == "resources/alpha-tool/"
    assert cards["loss"]["url"] == "glossary/#loss"
    assert cards["delta-legacy"]["status"] == "discontinued"
    assert "status" not in cards["alpha-tool"]
    assert cards["answered-question"]["facets"]["kinds"] == ["faq"]
    # a question awaiting its answer says so, rather than showing no text at all
    assert cards["open-question"]["summary"] == (
        "Cette question n'a pas encore de réponse. Vous la connaissez\u00a0?")
    # accents are folded and words stemmed: "étiquetage" is found as "etiquetag"
    assert any(stem.startswith("etiquet") for stem in index["words"]["etiquetage"])
    # postings are (gap from the previous document, score) pairs: decoded, "alpha" leads to
    # the two entries that say it (a title, an answer), the title scoring higher
    found: dict[str, int] = {}
    for stem in index["words"]["alpha"]:
        doc = 0
        postings = index["postings"][stem]
        for gap, score in zip(postings[0::2], postings[1::2], strict=True):
            doc += gap
            found[index["docs"][doc]["id"]] = score
    assert set(found) == {"alpha-tool", "answered-question"}
    assert found["alpha-tool"] > found["answered-question"]
    # keywords of several words, of both languages, folded as the browser reads a query
    docs = [doc["id"] for doc in index["docs"]]
    assert {phrase: [docs[n] for n in numbers]
            for phrase, numbers in index["phrases"].items()} == {
        "mise a l echelle": ["delta-legacy"], "image scaling": ["delta-legacy"],
        "cost function": ["loss"]}  # a glossary term's synonym


def test_a_vocabulary_value_s_keywords_find_its_entries_and_are_not_shown(
    tmp_path: Path,
) -> None:
    # "débruiter" (the verb) and "débruitage" (the label's noun) have two stems: a reader who
    # typed the verb found 2 entries where the noun finds 19. The value's keywords carry it.
    catalogue = edited_small(tmp_path, "vocab/tasks.yml",
                             "    label: {fr: Segmentation, en: Segmentation}\n",
                             "    label: {fr: Segmentation, en: Segmentation}\n"
                             "    keywords: {fr: [segmenter, détourer], en: [outline]}\n")
    site = render_site(catalogue)
    for lang in LANGUAGES:  # both languages' words, on both sites, as labels are
        index = json.loads(site.files[lang]["assets/search-index.json"])
        segmented = {doc["id"] for doc in index["docs"]
                     if "segmentation" in doc["facets"].get("tasks", [])}
        assert segmented and index_finds(index, "detourer") == segmented
        assert index_finds(index, "outline") >= segmented
        assert "détourer" not in site.pages[lang]["resources/alpha-tool.md"]


@pytest.mark.parametrize(("text", "lang", "same_stem"), [
    # Snowball's French rules read accents: stemmed after folding, "annotées" became
    # "annote" and no longer met "annoter" ("annot")
    ("annotées annoter", "fr", True),
    ("bruitées bruité", "fr", True),
    ("noyaux noyau", "fr", True),  # "noyaux" was "noyal" (as "chevaux", "cheval")
    ("formation format", "fr", False),  # a training course is not a file format
    ("annotees annotées annoter", "fr", True),  # written both ways in one text: the accents
])
def test_index_words_of_one_family_share_a_stem(text: str, lang: str, same_stem: bool) -> None:
    from dl4mic_hub.search import _tokens

    stems = {word_stem for _word, word_stem in _tokens(text, lang)}
    assert (len(stems) == 1) is same_stem, stems


def test_the_c_stemmer_gives_the_stems_of_the_python_one() -> None:
    # PyStemmer (a dependency) makes the search index 0.4 s faster per 1,000 entries: through
    # snowballstemmer, which uses it when installed; the index must not change with it
    import snowballstemmer  # type: ignore[import-untyped]
    from snowballstemmer import english_stemmer, french_stemmer

    from dl4mic_hub.search import SNOWBALL, words

    text = " ".join(path.read_text(encoding="utf-8")
                    for path in (ROOT / "catalogue").rglob("*.yml"))
    vocabulary = sorted(set(words(text)))
    assert len(vocabulary) > 5000
    pure = {"fr": french_stemmer.FrenchStemmer(), "en": english_stemmer.EnglishStemmer()}
    for lang, name in SNOWBALL.items():
        fast = snowballstemmer.stemmer(name)
        assert type(fast).__module__ == "Stemmer", "PyStemmer is not installed"
        differ = [w for w in vocabulary if fast.stemWord(w) != pure[lang].stemWord(w)]
        assert differ == [], differ[:20]


def test_index_words_are_folded_and_elisions_dropped() -> None:
    from dl4mic_hub.search import _tokens

    words = [word for word, _stem in _tokens("C'est un cœur : j'ai annoté Œdème", "fr")]
    # "j'ai" is French, not the English "AI" that a reader of the French site may search for
    assert words == ["coeur", "annote", "oedeme"]
    assert [w for w, _stem in _tokens("J’AI vu l'AI, jai, maj'ai", "fr")] == [
        "vu", "ai", "jai", "maj", "ai"]


def test_search_cards_say_the_language_a_name_is_read_in(tmp_path: Path) -> None:
    # The explorer's cards read an English title on the French site with French sounds: the
    # static pages mark it (lang="en"), the cards the browser makes did not.
    catalogue = edited_small(tmp_path, "resources/alpha-tool.yml",
                             "title: {fr: Écran Alpha, en: Alpha Screen}",
                             "title: {fr: Alpha Screen, en: Alpha Screen}")
    site = render_site(catalogue)
    cards = {lang: {doc["id"]: doc for doc in
                    json.loads(site.files[lang]["assets/search-index.json"])["docs"]}
             for lang in LANGUAGES}
    assert cards["fr"]["alpha-tool"]["lang"] == "en"  # kept as is: the tool's language
    assert "lang" not in cards["en"]["alpha-tool"]
    assert "lang" not in cards["fr"]["beta-course"]  # a French title on the French site
    page = site.pages["fr"]["resources/alpha-tool.md"]
    assert '<span lang="en">Alpha Screen</span>' in page  # as the page itself says


def test_name_order_ignores_leading_quotes() -> None:
    names = ["« Which GPU? »", "zebra", "Écrire", "ecrire", "apple", '"Quoted"']
    assert sorted(names, key=sort_key) == [
        "apple", "Écrire", "ecrire", '"Quoted"', "« Which GPU? »", "zebra"]


def test_a_label_written_on_several_lines_is_one_heading(tmp_path: Path) -> None:
    # A YAML literal block or a quoted "\n" in a vocabulary label would end the group's
    # Markdown heading early: its anchor would be lost (Zensical's strict build then fails on
    # the jump links) and the rest would read as a paragraph. Labels are one line.
    catalogue = edited_small(tmp_path, "vocab/tasks.yml",
                             'en: "Dense annotation (pixels, masks)"',
                             'en: "Dense annotation\\n(pixels,\\u00a0masks)\\n"')
    site = render_site(catalogue)
    page = site.pages["en"]["sections/tools.md"]
    assert "\n## Dense annotation (pixels,\u00a0masks) { #annotation-dense }\n" in page
    index = json.loads(site.files["en"]["assets/search-index.json"])
    tasks_facet = next(f for f in index["facets"] if f["name"] == "tasks")
    assert tasks_facet["labels"]["annotation-dense"] == "Dense annotation (pixels,\u00a0masks)"


def test_a_name_shown_in_the_other_language_is_counted_once_per_link(tmp_path: Path) -> None:
    # A link to an entry whose name has no English text counted two fallbacks (the name was
    # picked twice), which inflated the page's and the build's "fallback(s)" figures.
    catalogue = edited_small(tmp_path, "resources/alpha-tool.yml",
                             "title: {fr: Écran Alpha, en: Alpha Screen}",
                             "title: {fr: Écran Alpha}")
    site = render._SiteRenderer(catalogue, "https://github.com/example/hub")
    ctx = render.PageContext(site, "en", "explore.md")
    name, title = ctx.link_name(site.by_id["alpha-tool"])
    assert "Écran Alpha" in name and title == ""
    assert [(f.entry_id, f.field) for f in ctx.fallbacks] == [("alpha-tool", "title")]


@pytest.mark.parametrize(("page", "url"), [
    ("index.md", ""),
    ("resources/cell-index.md", "resources/cell-index/"),  # an id may end in "index"
    ("sections/index.md", "sections/"),
    ("faq.md#choosing-a-gpu", "faq/#choosing-a-gpu"),
])
def test_page_addresses(page: str, url: str) -> None:
    assert render.page_url(page) == url


def test_a_section_group_lists_what_has_ended_after_what_is_current(tmp_path: Path) -> None:
    # A group shows its first entries and links to the rest: a discontinued tool whose name
    # sorts first took a place before the current ones
    catalogue = edited_small(tmp_path, "resources/delta-legacy.yml",
                             "tasks: [annotation-sparse]", "tasks: [segmentation]")
    site = render_site(catalogue, jobs=1)
    page = site.pages["fr"]["sections/tools.md"]
    group = page[page.index('data-group="segmentation"'):]
    delta, alpha = group.index('data-entry-id="delta-legacy"'), group.index(
        'data-entry-id="alpha-tool"')
    assert alpha < delta  # "Delta ancien" comes before "Écran Alpha" by name
    # its badge is read with what it is ("État : Abandonné"), by screen readers too
    assert '<span class="dl-sr-only">État\u00a0: </span>Abandonné</span>' in html.unescape(group)
    # and the explorer's index gives the status weight its browsing order reads
    docs = {d["id"]: d for d in json.loads(site.files["fr"]["assets/search-index.json"])["docs"]}
    assert docs["delta-legacy"]["later"] == 2 and "later" not in docs["alpha-tool"]


def test_browsing_puts_current_then_unmaintained_then_ended() -> None:
    # BIAflows (unmaintained: "use with care") led the segmentation tools, above Cellpose
    from dl4mic_hub.render import _SiteRenderer

    catalogue = validate_catalogue(ROOT / "catalogue").catalogue
    site = _SiteRenderer(catalogue, "https://example.org/repo")
    by_id = catalogue.by_id()
    assert [site.browsing_rank(by_id[i]) for i in ("cellpose", "biaflows", "ai4life")] == [0, 1, 2]
    order = [e.id for e in site.browsing_order("en", [by_id["ai4life"], by_id["biaflows"],
                                                      by_id["cellpose"], by_id["stardist"]])]
    assert order == ["cellpose", "stardist", "biaflows", "ai4life"]


def test_an_external_link_is_named_with_the_page_language_separator(
    rendered: RenderedSite,
) -> None:
    # "lien externe: Écran Alpha": French sets a (no-break) space before the colon
    page = text(rendered, "fr", "sections/tools.md")
    assert re.search(r'class="dl-entry__ext" href="[^"]+" aria-label="[^"]+\u00a0: ', page)
    assert re.search(r'class="dl-entry__ext" href="[^"]+" aria-label="[^"\u00a0]+: ',
                     text(rendered, "en", "sections/tools.md"))


# --- glossary terms linked from entry texts (PageContext.term_link) ----------------------------

GLOSSED = {
    "resources/alpha-tool.yml": {
        "summary: {fr: Un outil de segmentation | avec une barre verticale., en: A segmentation "
        "tool | with a pipe.}":
        "summary: {fr: \"Un outil qui suit l'époque et la fonction de coût.\", en: \"A tool "
        "that follows the epoch and the [loss](https://example.org/loss).\"}",
        'description: {fr: "Texte **français** seulement."}':
        'description: {fr: "Chaque Époque compte ; la `fonction de coût` en code, puis la '
        'fonction de coût.", en: "Each epoch counts; `loss` in code, then the Loss function."}',
    },
    "glossary/epoch.yml": {
        "definition: {fr: Un passage complet des données d'entraînement.}":
        "definition: {fr: \"Un passage complet ; chaque époque réduit la fonction de coût.\", "
        "en: One full pass; each epoch lowers the loss function.}",
    },
}


def glossed_small(tmp_path: Path, edits: dict[str, dict[str, str]]) -> Catalogue:
    """The small catalogue, copied, with texts that use its glossary terms, validated."""
    folder = tmp_path / "small"
    shutil.copytree(SMALL, folder)
    for relative, changes in edits.items():
        path = folder / relative
        written = path.read_text("utf-8")
        for old, new in changes.items():
            assert old in written, f"{relative} no longer holds {old!r}"
            written = written.replace(old, new)
        path.write_text(written, "utf-8")
    result = validate_catalogue(folder)
    assert result.ok, [d.format_text() for d in result.diagnostics]
    return result.catalogue


def term_links(page: str) -> list[tuple[str, str, str]]:
    """(href, title, text) of each glossary term link of a page, in order."""
    return re.findall(r'<a class="dl-term" href="([^"]*)" title="([^"]*)">([^<]*)</a>', page)


@pytest.mark.parametrize("links_from_source", [False, True])
def test_a_resource_page_links_each_glossary_term_at_its_first_use_in_either_language(
    tmp_path: Path, links_from_source: bool,
) -> None:
    site = render_site(glossed_small(tmp_path, GLOSSED), links_from_source=links_from_source)
    fr = site.pages["fr"]["resources/alpha-tool.md"]
    related = {name: href for href, name in re.findall(
        r'<li><a href="([^"]*)">([^<]*)</a></li>', fr.partition('class="dl-related"')[2])}
    # the summary comes first: its two terms link there, the description's stay text; the
    # link is the one the related list makes to the same term (both generators' rewriting)
    assert term_links(fr) == [
        (related["Fonction de coût"].replace("#loss", "#epoch"), "Glossaire\u00a0: Époque",
         "époque"),
        (related["Fonction de coût"], "Glossaire\u00a0: Fonction de coût", "fonction de coût"),
    ]
    assert "Chaque Époque compte" in fr and "<code>fonction de coût</code>" in fr
    # English: not in the summary's own link, nor in code; found in the description
    en = site.pages["en"]["resources/alpha-tool.md"]
    assert [(title, name) for _href, title, name in term_links(en)] == [
        ("Glossary: Epoch", "epoch"), ("Glossary: Loss function", "Loss function")]
    assert '<a href="https://example.org/loss">loss</a>' in en


def test_glossary_links_stay_out_of_lists_search_exports_and_meta_descriptions(
    tmp_path: Path,
) -> None:
    site = render_site(glossed_small(tmp_path, GLOSSED))
    for lang in LANGUAGES:
        pages = site.pages[lang]
        # the section's card shows the summary, unlinked (a card is one link already)
        assert {"fr": "la fonction de coût.", "en": "follows the epoch and"}[lang] in pages[
            "sections/tools.md"]
        for path, page in pages.items():
            if path not in ("resources/alpha-tool.md", "glossary.md"):
                assert "dl-term" not in page, path
            assert "dl-term" not in page.partition("\n---\n")[0], path  # front matter
        for path, data in {**site.files[lang], **site.root_files}.items():
            assert "dl-term" not in data, path


def test_a_term_is_not_linked_on_its_own_glossary_entry_but_others_are(tmp_path: Path) -> None:
    site = render_site(glossed_small(tmp_path, GLOSSED))
    for lang, title in (("fr", "Glossaire\u00a0: Fonction de coût"),
                        ("en", "Glossary: Loss function")):
        page = site.pages[lang]["glossary.md"]
        # in-page anchors; the epoch's definition names the epoch but links the loss only
        assert [(href, linked) for href, linked, _name in term_links(page)] == [("#loss", title)]


def test_a_term_name_holding_markup_is_escaped_in_the_link_and_its_title(
    tmp_path: Path,
) -> None:
    edits = {**GLOSSED, "glossary/loss.yml": {
        "term: {fr: Fonction de coût, en: Loss function}":
        "term: {fr: Fonction de coût, en: 'Loss & \"gain\" | *x*'}"}}
    edits["resources/alpha-tool.yml"] = {**GLOSSED["resources/alpha-tool.yml"],
                                         "then the Loss function.":
                                             'then the loss & \\"gain\\" | x.'}
    site = render_site(glossed_small(tmp_path, edits))
    en = site.pages["en"]["resources/alpha-tool.md"]
    # the title says the name as read (no Markdown), escaped for an attribute; the text
    # escaped as every catalogue text is
    assert term_links(en)[1][1:] == ("Glossary: Loss &amp; &#34;gain&#34; | x",
                                     "loss &#38; &#34;gain&#34; &#124; x")


@pytest.mark.parametrize(("lang", "number", "written"), [
    ("en", 2, "2nd edition"), ("en", 3, "3rd edition"), ("en", 4, "4th edition"),
    ("en", 11, "11th edition"), ("en", 21, "21st edition"), ("en", 112, "112th edition"),
    ("fr", 2, "2e édition"), ("fr", 11, "11e édition"),
])
def test_a_books_edition_reads_as_its_language_writes_it(
    lang: str, number: int, written: str
) -> None:
    from dl4mic_hub.render import PageContext, _SiteRenderer

    catalogue = validate_catalogue(SMALL).catalogue
    assert catalogue is not None
    site = _SiteRenderer(catalogue, "https://example.org/repo")
    assert PageContext(site, lang, "index.md").edition(number) == written

