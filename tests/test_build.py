"""Build stage: two complete sites by the chosen generator, swapped into place only when
everything worked, and never at the cost of a folder the user owns."""

from __future__ import annotations

import hashlib
import html
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import dl4mic_hub.build as build_module
from dl4mic_hub.build import BUILD_MARKER, build_site, choose_generator
from dl4mic_hub.build.links import check_site_links
from dl4mic_hub.cli import main
from dl4mic_hub.diagnostics import Origin

ROOT = Path(__file__).resolve().parents[1]
SMALL = Path(__file__).parent / "fixtures" / "render" / "small"
CONFIG = ROOT / "mkdocs.yml"
GENERATORS = ["mkdocs", "properdocs", "zensical"]

pytestmark = pytest.mark.build


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".venv" not in p.parts
    }


def html_pages(site: Path, lang: str) -> set[str]:
    return {p.relative_to(site / lang).as_posix() for p in (site / lang).rglob("*.html")}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder (the working directory): mkdocs.yml, overrides/, the small catalogue
    and a docs/ folder with a file of the user's in it."""
    shutil.copyfile(CONFIG, tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", tmp_path / "overrides")
    shutil.copytree(SMALL, tmp_path / "catalogue")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.md").write_text("my notes\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DL4MIC_GENERATOR", raising=False)
    return tmp_path


def edit_config(project: Path, old: str, new: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new), encoding="utf-8")


def previous_site(project: Path) -> dict[str, str]:
    """A site left by an earlier build (it carries the marker); returns its digest."""
    site = project / "site"
    (site / "fr").mkdir(parents=True)
    (site / "fr" / "index.html").write_text("<p>the previous site</p>", encoding="utf-8")
    (site / BUILD_MARKER).write_text("", encoding="utf-8")
    return tree_digest(site)


def generator_of(site: Path) -> str:
    html = (site / "fr" / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<meta name="generator" content="([^"]+)"', html)
    assert found, "no generator meta tag"
    return found[1]


# --- the real catalogue (built once per session: `real_site` in conftest.py) -----------------

def test_real_catalogue_builds_two_complete_sites(real_site: Any) -> None:
    site, url = real_site.root, real_site.url
    fr, en = html_pages(site, "fr"), html_pages(site, "en")
    assert fr == en, f"pages only in fr: {fr - en}; only in en: {en - fr}"
    resources = sorted(p.stem for p in (ROOT / "catalogue" / "resources").glob("*.yml"))
    for rid in resources:
        assert f"resources/{rid}/index.html" in fr
    for page in ("index.html", "faq/index.html", "glossary/index.html", "cheatsheets/index.html",
                 "recent/index.html", "contribute/index.html", "sections/tools/index.html"):
        assert page in fr
    assert '<html lang="fr"' in (site / "fr" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in (site / "en" / "index.html").read_text(encoding="utf-8")
    root = (site / "index.html").read_text(encoding="utf-8")
    assert 'content="0; url=fr/"' in root and 'href="en/"' in root
    # GitHub Pages serves the root 404.html for any missing address: both languages, absolute
    not_found = (site / "404.html").read_text(encoding="utf-8")
    for lang in ("fr", "en"):
        assert f'<section lang="{lang}">' in not_found
        assert f'href="/hub/{lang}/"' in not_found and f'href="/hub/{lang}/explore/"' in not_found
    assert 'href="/hub/404.css"' in not_found and (site / "404.css").is_file()
    assert f"Sitemap: {url}en/sitemap.xml" in (site / "robots.txt").read_text()
    assert (site / BUILD_MARKER).is_file()


def test_sitemaps_list_every_page_with_its_hreflang_alternates(real_site: Any) -> None:
    site, url = real_site.root, real_site.url
    for lang in ("fr", "en"):
        sitemap = (site / lang / "sitemap.xml").read_text(encoding="utf-8")
        locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
        pages = {p.removesuffix("index.html") for p in html_pages(site, lang)} - {"404.html"}
        assert sorted(locs) == sorted(f"{url}{lang}/{page}" for page in pages)
        assert not (site / lang / "sitemap.xml.gz").exists()
        for hreflang, target in (("fr", "fr"), ("en", "en"), ("x-default", "fr")):
            assert (f'<xhtml:link rel="alternate" hreflang="{hreflang}" '
                    f'href="{url}{target}/resources/cellpose/"/>') in sitemap


def test_cellpose_page_links_the_glossary_terms_its_text_uses(real_site: Any) -> None:
    # a biologist reading "affinage" or "fine-tuned" on Cellpose's page is led to the glossary
    for lang, title, name in (("fr", "Glossaire : Affinage (fine-tuning)", "affinage"),
                              ("en", "Glossary: Fine-tuning", "fine-tuned")):
        page = (real_site.root / lang / "resources" / "cellpose" / "index.html").read_text(
            encoding="utf-8")
        links = re.findall(r'<a class="dl-term" href="([^"]+)" title="([^"]+)">([^<]+)</a>',
                           page)
        found = [(href, name_shown) for href, shown, name_shown in links
                 if html.unescape(shown).replace("\u00a0", " ") == title]
        assert found == [("../../glossary/#fine-tuning", name)], links
        # the anchor it leads to is the term's section of the built glossary page
        glossary = (real_site.root / lang / "glossary" / "index.html").read_text("utf-8")
        assert 'id="fine-tuning"' in glossary


def test_every_entry_type_is_represented(real_site: Any) -> None:
    for kind, page in (("faq", "faq"), ("glossary", "glossary"), ("cheatsheets", "cheatsheets")):
        html = (real_site.root / "en" / page / "index.html").read_text(encoding="utf-8")
        for path in (ROOT / "catalogue" / kind).glob("*.yml"):
            assert f'id="{path.stem}"' in html, f"{kind}/{path.name} missing from {page}"


def test_language_selector_points_at_the_same_page_in_each_language(real_site: Any) -> None:
    html = (real_site.root / "en" / "sections" / "tools" / "index.html").read_text(
        encoding="utf-8")
    # without scripts too: the link leads to the same page; the root is kept for the script
    assert re.search(r'<a href="/hub/fr/sections/tools/" data-root="/hub/fr/" hreflang="fr"', html)
    assert re.search(r'<a href="/hub/en/sections/tools/" data-root="/hub/en/" hreflang="en"', html)


def test_every_anchor_of_a_page_exists_in_the_other_language(real_site: Any) -> None:
    # the language switch keeps the #anchor: a heading id made from the heading's words
    # (#liens, #links) led to the top of the other language's page (a page's title, h1, is
    # its top anyway)
    heading_id = re.compile(r'<h[2-6][^>]*\sid="([^"]+)"')
    lost: list[str] = []
    for page in sorted(html_pages(real_site.root, "fr")):
        ids = {lang: set(heading_id.findall(
            (real_site.root / lang / page).read_text(encoding="utf-8"))) for lang in ("fr", "en")}
        lost += [f"{page}: #{anchor} only in {lang}" for lang, other in (("fr", "en"), ("en", "fr"))
                 for anchor in sorted(ids[lang] - ids[other])]
    assert lost == []


def test_the_footer_licence_line_speaks_the_page_language(real_site: Any) -> None:
    # it read "contenu / content" in both sites, then "© dl4mic-hub contributors" in French
    for lang, words, other in (("fr", "contenu sous licence", "content"),
                               ("en", "content licensed", "contenu"),
                               ("fr", "© les contributeurs de dl4mic-hub", "contributors"),
                               ("en", "© dl4mic-hub contributors", "contributeurs")):
        html = (real_site.root / lang / "faq" / "index.html").read_text(encoding="utf-8")
        footer = html[html.index('class="md-copyright"'):]
        footer = footer[: footer.index("</div>")]
        assert words in footer and other not in footer, footer


def test_pages_request_nothing_from_third_party_hosts(real_site: Any) -> None:
    for page in (real_site.root / "fr").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        # Scripts, styles and fonts are loaded by <script src> and <link href> only.
        for tag in re.findall(r"<(?:script|link)\b[^>]*>", html):
            url = re.search(r'(?:src|href)="([^"]+)"', tag)
            if url and 'rel="alternate"' not in tag and 'rel="canonical"' not in tag:
                assert not re.match(r"^(https?:)?//", url.group(1)), f"{page}: {tag}"
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_real_catalogue_has_no_fallbacks(real_site: Any) -> None:
    report = real_site.report
    assert report.fallback_counts == {"fr": 0, "en": 0}, report.rendered.fallbacks


DIGEST_SCRIPT = """
import hashlib, json, sys
from dl4mic_hub.render import render_site
from dl4mic_hub.validate import validate_catalogue
rendered = render_site(validate_catalogue(sys.argv[1]).catalogue)
print(json.dumps({
    "pages": {lang: {path: hashlib.sha256(text.encode()).hexdigest()
                     for path, text in pages.items()} for lang, pages in rendered.pages.items()},
    "order": {lang: list(pages) for lang, pages in rendered.pages.items()},
    "nav": rendered.nav,
}, ensure_ascii=False))
"""


def test_rendering_does_not_depend_on_hash_seeds() -> None:
    """Two processes with different string hashing render the same bytes (set or dict order
    leaking into a page would show here)."""
    outputs = []
    for seed in ("0", "4242"):
        run = subprocess.run([sys.executable, "-c", DIGEST_SCRIPT, str(ROOT / "catalogue")],
                             capture_output=True, text=True, check=False,
                             env={**os.environ, "PYTHONHASHSEED": seed})
        assert run.returncode == 0, run.stderr
        outputs.append(json.loads(run.stdout))
    first, second = outputs
    differing = [f"{lang}/{path}" for lang, pages in first["pages"].items()
                 for path, digest in pages.items() if second["pages"][lang].get(path) != digest]
    assert differing == [], f"pages that differ between hash seeds: {differing}"
    assert first == second


# --- builds of a small catalogue ---------------------------------------------------------------

def test_small_catalogue_build(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    previous_site(project)
    # Scratch folders: one of a build that was killed (its process is gone), one of a build
    # still running, and a folder of the user's that only looks like one.
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    stale = project / f".site-build-{int(dead.stdout)}-abc123"
    (stale / "site").mkdir(parents=True)
    (stale / BUILD_MARKER).write_text("", encoding="utf-8")
    running = project / f".site-build-{os.getppid()}-xyz"
    running.mkdir()
    (running / BUILD_MARKER).write_text("", encoding="utf-8")
    unmarked = project / f".site-build-{int(dead.stdout)}-mine"
    unmarked.mkdir()
    # whatever the project's own address (a fork changes it, as the README says)
    written = re.search(r"repository_url: \S+", (project / "mkdocs.yml").read_text("utf-8"))
    assert written is not None
    edit_config(project, written.group(), "repository_url: https://forge.example.org/team/hub")
    code = main(["build"])
    err = capsys.readouterr().err
    assert code == 0, err
    # 9 fixed pages + one page per section (10) + one per resource (3)
    assert "fr: 22 pages, 0 fallback(s) to another language" in err
    assert re.search(r"^en: 22 pages, \d+ fallback\(s\) to another language$", err, re.M)
    assert re.search(r"^built with mkdocs 1\.\d+\.\d+ \(fr [\d.]+ s, en [\d.]+ s\)$", err, re.M)
    en_page = (project / "site" / "en" / "resources" / "alpha-tool" / "index.html").read_text()
    assert '<div lang="fr">' in en_page
    assert "Missing translation" in en_page
    # "Suggest an edit" opens the entry's file in the configured repository.
    assert ("https://forge.example.org/team/hub/edit/main/catalogue/resources/alpha-tool.yml"
            in en_page)
    # Only the site is left: no scratch folder of this build or of the killed one, no copy of
    # the previous site; the running build's folder and the user's stay.
    assert sorted(p.name for p in project.iterdir()) == sorted([
        "catalogue", "docs", "mkdocs.yml", "overrides", "site", running.name, unmarked.name])


BROKEN_TEMPLATE = ('{% extends "base.html" %}\n'
                   '{% block content %}{{ no_such_function() }}{% endblock %}\n')


@pytest.mark.parametrize(("generator", "chosen_by"), [
    ("mkdocs", "default"), ("properdocs", "environment"), ("zensical", "configuration")])
def test_each_generator_builds_both_languages(
        project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        generator: str, chosen_by: str) -> None:
    if chosen_by == "environment":
        monkeypatch.setenv("DL4MIC_GENERATOR", generator)
    elif chosen_by == "configuration":
        edit_config(project, "site_generator: mkdocs", f"site_generator: {generator}")
    code = main(["build", "--site-url", "http://127.0.0.1:8000/"])
    err = capsys.readouterr().err
    assert code == 0, err
    site = project / "site"
    assert generator in generator_of(site).lower()
    assert html_pages(site, "fr") == html_pages(site, "en")
    assert len(html_pages(site, "fr")) == 23  # 22 pages and the 404 page
    sitemap = (site / "en" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>http://127.0.0.1:8000/en/resources/alpha-tool/</loc>" in sitemap
    assert ('hreflang="x-default" href="http://127.0.0.1:8000/fr/resources/alpha-tool/"'
            in sitemap)
    page = (site / "fr" / "resources" / "alpha-tool" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in page
    assert 'href="/en/resources/alpha-tool/" data-root="/en/" hreflang="en"' in page  # selector


@pytest.mark.parametrize("generator", ["mkdocs", "zensical"])  # properdocs talks as mkdocs
def test_failed_generator_build_is_reported_and_the_previous_site_kept(
        project: Path, generator: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = previous_site(project)
    (project / "overrides" / "main.html").write_text(BROKEN_TEMPLATE, encoding="utf-8")
    assert main(["build", "--generator", generator]) == 1
    err = capsys.readouterr().err
    assert re.search(rf"^\S+:\d+:\d+: error: (fr|en): {generator}\b.*no_such_function", err,
                     re.M), err
    assert "Traceback" not in err and "File \"" not in err
    assert tree_digest(project / "site") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".")] == []


def test_a_failed_build_keeps_the_markdown_its_message_points_at(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The generator's error says "`dl4mic-hub build --keep-docs DIR` keeps its Markdown for a
    # look": with --keep-docs the pages are kept even though the build fails, the site not.
    before = previous_site(project)
    (project / "overrides" / "main.html").write_text(BROKEN_TEMPLATE, encoding="utf-8")
    assert main(["build", "--keep-docs", "kept"]) == 1
    err = capsys.readouterr().err
    assert "--keep-docs DIR` keeps its Markdown" in err
    assert re.search(r"^kept\S*: warning: the generated Markdown of this failed build is kept "
                     r"here", err, re.M), err
    assert (project / "kept" / "fr" / "resources" / "alpha-tool.md").is_file()
    assert (project / "kept" / "en" / "index.md").is_file()
    assert tree_digest(project / "site") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".")] == []
    # and the next --keep-docs run may replace that folder, like any earlier --keep-docs one
    (project / "overrides" / "main.html").unlink()
    assert main(["build", "--keep-docs", "kept"]) == 0, capsys.readouterr().err


def test_a_kept_folder_taken_meanwhile_never_hides_the_build_error(
        project: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # The generator fails, and meanwhile the user puts a file of theirs into the --keep-docs
    # folder: that file stays, the generator's error is still the one reported (exit 1), the
    # folder problem is said, and no scratch folder is left behind.
    before = previous_site(project)
    (project / "overrides" / "main.html").write_text(BROKEN_TEMPLATE, encoding="utf-8")
    real_generate = build_module.generate_sites

    def generate_while_the_user_writes(*args: Any, **kwargs: Any) -> Any:
        (project / "kept").mkdir(exist_ok=True)
        (project / "kept" / "notes.txt").write_text("mine", encoding="utf-8")
        return real_generate(*args, **kwargs)

    monkeypatch.setattr(build_module, "generate_sites", generate_while_the_user_writes)
    assert main(["build", "--keep-docs", "kept"]) == 1
    err = capsys.readouterr().err
    assert re.search(r"^\S+:\d+:\d+: error: (fr|en): mkdocs\b.*no_such_function", err, re.M), err
    assert "could not be kept here" in err
    assert sorted(p.name for p in (project / "kept").iterdir()) == ["notes.txt"]
    assert tree_digest(project / "site") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".")] == []


def test_generator_setting_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    """--generator beats $DL4MIC_GENERATOR, which beats extra.site_generator."""
    extra, origin = {"site_generator": "zensical"}, Origin("mkdocs.yml", 3)
    monkeypatch.delenv("DL4MIC_GENERATOR", raising=False)
    assert choose_generator(None, {}, origin).name == "mkdocs"
    assert choose_generator(None, extra, origin).name == "zensical"
    monkeypatch.setenv("DL4MIC_GENERATOR", "properdocs")
    assert choose_generator(None, extra, origin).name == "properdocs"
    assert choose_generator("mkdocs", extra, origin).name == "mkdocs"


def test_unknown_generator_is_a_usage_error(project: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    edit_config(project, "site_generator: mkdocs", "site_generator: hugo")
    assert main(["build"]) == 2
    err = capsys.readouterr().err
    assert re.search(r"^mkdocs\.yml:\d+:1: error: unknown site generator 'hugo' \(hint: choose "
                     r"one of mkdocs, properdocs, zensical\)$", err, re.M), err
    assert not (project / "site").exists()


def test_missing_generator_is_a_usage_error_with_the_install_command(
        project: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    real_find_spec = importlib.util.find_spec

    def without_zensical(name: str, *args: Any) -> Any:  # as on a machine without it
        return None if name == "zensical" else real_find_spec(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", without_zensical)
    assert main(["build", "--generator", "zensical"]) == 2
    err = capsys.readouterr().err
    assert "--generator:1:1: error: the site generator 'zensical' is not installed" in err
    assert "pip install 'zensical==0.0.73'" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(("setting", "message"), [
    ("hooks: [my_hooks.py]\n", "MkDocs hooks are not supported"),
    ("plugins:\n  search: {}\n  blog: {}\n", "unsupported plugin(s): blog"),
    ("use_directory_urls: false\n", "use_directory_urls: false is not supported"),
])
def test_hooks_extra_plugins_and_file_addresses_are_refused(
        project: Path, setting: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    config = project / "mkdocs.yml"
    text = re.sub(r"^plugins:\n(?:  .*\n|\n)+", "", config.read_text(encoding="utf-8"), flags=re.M)
    config.write_text(text + setting, encoding="utf-8")
    line = len(text.splitlines()) + 1
    assert main(["build"]) == 2
    err = capsys.readouterr().err
    assert f"mkdocs.yml:{line}:1: error: {message}" in err, err


def test_broken_catalogue_leaves_the_previous_site_untouched(project: Path) -> None:
    before = previous_site(project)
    broken = project / "catalogue" / "resources" / "alpha-tool.yml"
    broken.write_text(broken.read_text().replace("kind: tool", "kind: [tool"), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "dl4mic_hub.cli", "build"], capture_output=True,
                          text=True, cwd=project, check=False)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert re.search(r"catalogue/resources/alpha-tool\.yml:\d+:\d+: error: ", proc.stderr), (
        proc.stderr)
    assert tree_digest(project / "site") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".")] == []


def test_our_link_check_catches_what_strict_mode_misses(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A template writing an absolute link to the site and a link to a missing page: no
    generator's strict mode looks at template HTML (Zensical's misses absolute links in pages
    too), our check of the built pages does."""
    (project / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}\n{% block content %}{{ super() }}'
        '<a href="/fr/faq/">FAQ</a> <a href="../no-such-page/">x</a>{% endblock %}\n',
        encoding="utf-8")
    code = main(["build", "--generator", "zensical", "--site-url", "http://127.0.0.1:8000/"])
    err = capsys.readouterr().err
    assert code == 1
    assert re.search(r"^(fr|en)/\S+/index\.html:\d+:\d+: error: absolute link to the site "
                     r"'/fr/faq/' \(and \d+ more like it\)", err, re.M), err
    assert re.search(r"^(fr|en)/\S+\.html:\d+:\d+: error: link to '\.\./no-such-page/' leads to "
                     r"no page or file", err, re.M), err
    assert not (project / "site").exists()


# --- our link check on hand-written pages ------------------------------------------------------

def write_site(root: Path, pages: dict[str, str]) -> Path:
    for rel, body in pages.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(f"<html><body>\n{body}\n</body></html>\n", encoding="utf-8")
    return root


def link_problems(root: Path) -> list[str]:
    return [d.format_text() for d in check_site_links(root, "https://example.org/hub/",
                                                      ["index.html", "fr/index.html"])]


def test_link_check_accepts_a_sound_site(tmp_path: Path) -> None:
    write_site(tmp_path, {
        "index.html": '<a href="fr/">fr</a>',
        "fr/index.html": '<a href="a/">a</a> <a href="a/#part">part</a> <a href="#top" id="top">'
                         '</a> <a href="/hub/en/" hreflang="en">English</a> '
                         '<link rel="canonical" href="https://example.org/hub/fr/">'
                         '<img src="pic.png"> <a href="https://elsewhere.org/x">out</a> '
                         '<a href="mailto:a@example.org">mail</a>',
        "fr/a/index.html": '<h2 id="part">Part</h2> <a href="../">up</a> <a href="..">up</a>',
        "en/index.html": "English",
        "fr/404.html": '<a href="/hub/fr/">home</a>',
    })
    (tmp_path / "fr" / "pic.png").write_bytes(b"png")
    assert link_problems(tmp_path) == []


def test_link_check_reports_each_kind_of_problem_once(tmp_path: Path) -> None:
    write_site(tmp_path, {
        "index.html": '<a href="fr/">fr</a>',
        "fr/index.html": '<a href="a/">a</a> <a href="b/">b</a>',
        "fr/a/index.html": '<a href="../missing/">m</a> <a href="../#nope">n</a>\n'
                           '<a href="/hub/fr/a/">self</a> <a href="../../../../x/">up</a>',
        "fr/b/index.html": '<a href="../missing/">m</a>',
        "fr/orphan/index.html": "nobody links here",
    })
    problems = link_problems(tmp_path)
    assert problems == [
        "fr/a/index.html:2:1: error: link to '../missing/' leads to no page or file "
        "('fr/missing/' does not exist in the built site) (and 1 more like it) (hint: the page "
        "is generated from the catalogue and the templates: fix the link in the catalogue entry "
        "or template that writes it)",
        "fr/a/index.html:2:29: error: link to '../#nope': the page has no anchor 'nope' (hint: "
        "the page is generated from the catalogue and the templates: fix the link in the "
        "catalogue entry or template that writes it)",
        "fr/a/index.html:3:1: error: absolute link to the site '/hub/fr/a/' (hint: write it "
        "relative to the page, so it works wherever the site is served)",
        "fr/a/index.html:3:31: error: link '../../../../x/' leaves the site's folder (/hub/) "
        "(hint: the page is generated from the catalogue and the templates: fix the link in the "
        "catalogue entry or template that writes it)",
        "fr/orphan/index.html:1:1: error: no link leads to this page (orphan page) (hint: link "
        "it from a section, a list or another page, or stop generating it)",
    ]


# --- folders: nothing the user owns is ever deleted --------------------------------------------

@pytest.mark.parametrize(("option", "folder", "reason"), [
    ("--site-dir", ".", "it is the current folder"),
    ("--site-dir", "..", "it contains the current folder"),
    ("--site-dir", "catalogue", "it is the catalogue folder"),
    ("--site-dir", "catalogue/resources", "it is inside the catalogue folder"),
    ("--site-dir", "docs", "it is the project's documentation folder (docs/)"),
    ("--site-dir", "docs/site", "it is inside the project's documentation folder (docs/)"),
    ("--site-dir", "mine", "it is not empty and was not written by dl4mic-hub"),
    ("--site-dir", "mine.txt", "it is a file, not a folder"),
    ("--site-dir", "mine.txt/site", "mine.txt is a file, not a folder"),
    # the generator copies the theme's files into the site: it came back inside the next one
    ("--site-dir", "overrides/site", "it is inside the theme's folder (custom_dir)"),
    ("--keep-docs", "overrides/docs", "it is inside the theme's folder (custom_dir)"),
    ("--keep-docs", "docs", "it is the project's documentation folder (docs/)"),
    ("--keep-docs", "catalogue", "it is the catalogue folder"),
    ("--keep-docs", "mine", "it is not empty and was not written by dl4mic-hub"),
])
def test_refuses_to_replace_a_folder_it_does_not_own(
        project: Path, option: str, folder: str, reason: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    (project / "mine").mkdir()
    (project / "mine" / "thesis.tex").write_text("years of work\n", encoding="utf-8")
    (project / "mine.txt").write_text("notes\n", encoding="utf-8")
    before = tree_digest(project)
    assert main(["build", option, folder]) == 2
    err = capsys.readouterr().err
    assert f"error: {option} {folder}: refusing to replace this folder: {reason}" in err, err
    assert tree_digest(project) == before
    assert not (project / "site").exists()


def test_replaces_only_its_own_or_empty_folders_and_marks_them(project: Path) -> None:
    (project / "empty").mkdir()
    (project / "markdown").mkdir()  # docs kept by an earlier build: replaced, stale files too
    (project / "markdown" / BUILD_MARKER).write_text("", encoding="utf-8")
    (project / "markdown" / "stale.md").write_text("old", encoding="utf-8")
    assert main(["build", "--site-dir", "empty", "--keep-docs", "markdown"]) == 0
    for folder in ("empty", "markdown"):
        assert (project / folder / BUILD_MARKER).is_file()
    assert (project / "empty" / "fr" / "index.html").is_file()
    assert (project / "markdown" / "fr" / "index.md").is_file()
    assert not (project / "markdown" / "stale.md").exists()
    assert (project / "docs" / "notes.md").read_text() == "my notes\n"


def test_keep_docs_and_site_dir_must_differ(project: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--site-dir", "out", "--keep-docs", "out/md"]) == 2
    assert "--keep-docs and --site-dir must be separate folders" in capsys.readouterr().err


def test_previous_site_is_removed_only_at_cleanup(project: Path) -> None:
    previous_site(project)
    report = build_site(project / "catalogue", project / "site", defer_cleanup=True)
    assert "the previous site" not in (project / "site" / "fr" / "index.html").read_text()
    left = [p for p in report.leftovers if p.exists()]
    assert any((p / "fr" / "index.html").is_file() for p in left), left
    assert all(p.name.startswith(".site-build-") for p in left)
    report.cleanup()
    assert not any(p.exists() for p in left)
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".")) == []


HOLD_GENERATOR = """
import os, sys, time
hold = os.environ.get("HOLD_GENERATOR_DIR")
if hold and "-f" in sys.argv:  # a generator started by dl4mic-hub build (-f CONFIG)
    open(os.path.join(hold, str(os.getpid())), "w").close()
    time.sleep(600)
"""


def test_sigterm_stops_the_generators_and_removes_temporary_folders(project: Path) -> None:
    """A build killed with SIGTERM (a CI timeout, `kill`): the generator processes stop, the
    scratch folder goes, the previous site stays, and nothing is printed as a crash."""
    before = previous_site(project)
    hooks = project.parent / "hold"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(HOLD_GENERATOR, encoding="utf-8")
    started = project.parent / "started"
    started.mkdir()
    env = {**os.environ, "PYTHONPATH": str(hooks), "HOLD_GENERATOR_DIR": str(started)}
    build = subprocess.Popen([sys.executable, "-m", "dl4mic_hub.cli", "build"], cwd=project,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while len(list(started.iterdir())) < 2:  # both languages' generators are running
            assert build.poll() is None, build.communicate()
            assert time.monotonic() < deadline, "the generators never started"
            time.sleep(0.05)
        generators = [int(p.name) for p in started.iterdir()]
        assert list(project.glob(".site-build-*")), "no scratch folder while building"
        build.send_signal(signal.SIGTERM)
        _, err = build.communicate(timeout=60)
    finally:
        if build.poll() is None:
            build.kill()
    assert build.returncode == 128 + signal.SIGTERM, err
    assert "terminated" in err and "Traceback" not in err
    for pid in generators:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert list(project.glob(".site-build-*")) == []
    assert tree_digest(project / "site") == before

