"""Build stage: two complete MkDocs sites, swapped into place only when everything worked."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dl4mic_hub.build import build_site
from dl4mic_hub.cli import main

ROOT = Path(__file__).resolve().parents[1]
SMALL = Path(__file__).parent / "fixtures" / "render" / "small"
CONFIG = ROOT / "mkdocs.yml"

pytestmark = pytest.mark.build


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build_argv(catalogue: Path, site: Path, config: Path = CONFIG) -> list[str]:
    return ["build", "--catalogue", str(catalogue), "--site-dir", str(site),
            "--config", str(config)]


def html_pages(site: Path, lang: str) -> set[str]:
    return {p.relative_to(site / lang).as_posix() for p in (site / lang).rglob("*.html")}


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    site = tmp_path_factory.mktemp("real") / "site"
    report = build_site(
        ROOT / "catalogue", site, config_file=CONFIG, site_url="https://example.org/hub/"
    )
    return site, report


def test_real_catalogue_builds_two_complete_sites(real_site) -> None:  # type: ignore[no-untyped-def]
    site, _ = real_site
    fr, en = html_pages(site, "fr"), html_pages(site, "en")
    assert fr == en, f"pages only in fr: {fr - en}; only in en: {en - fr}"
    resources = sorted(p.stem for p in (ROOT / "catalogue" / "resources").glob("*.yml"))
    for rid in resources:
        assert f"resources/{rid}/index.html" in fr
    for page in (
        "index.html",
        "faq/index.html",
        "glossary/index.html",
        "cheatsheets/index.html",
        "recent/index.html",
        "contribute/index.html",
        "sections/tools/index.html",
    ):
        assert page in fr
    assert '<html lang="fr"' in (site / "fr" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in (site / "en" / "index.html").read_text(encoding="utf-8")
    root = (site / "index.html").read_text(encoding="utf-8")
    assert 'content="0; url=fr/"' in root and 'href="en/"' in root
    assert 'href="/hub/fr/assets/' in (site / "404.html").read_text(encoding="utf-8")
    assert "Sitemap: https://example.org/hub/en/sitemap.xml" in (site / "robots.txt").read_text()
    sitemap = (site / "en" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/hub/en/resources/cellpose/</loc>" in sitemap
    for hreflang, lang in (("fr", "fr"), ("en", "en"), ("x-default", "fr")):
        assert (f'<xhtml:link rel="alternate" hreflang="{hreflang}" '
                f'href="https://example.org/hub/{lang}/resources/cellpose/"/>') in sitemap


def test_every_entry_type_is_represented(real_site) -> None:  # type: ignore[no-untyped-def]
    site, _ = real_site
    for kind, page in (("faq", "faq"), ("glossary", "glossary"), ("cheatsheets", "cheatsheets")):
        html = (site / "en" / page / "index.html").read_text(encoding="utf-8")
        for path in (ROOT / "catalogue" / kind).glob("*.yml"):
            assert f'id="{path.stem}"' in html, f"{kind}/{path.name} missing from {page}"


def test_language_selector_points_at_both_roots(real_site) -> None:  # type: ignore[no-untyped-def]
    site, _ = real_site
    html = (site / "en" / "sections" / "tools" / "index.html").read_text(encoding="utf-8")
    assert 'href="/hub/fr/" hreflang="fr" class="md-select__link"' in html
    assert 'href="/hub/en/" hreflang="en" class="md-select__link"' in html


def test_pages_request_nothing_from_third_party_hosts(real_site) -> None:  # type: ignore[no-untyped-def]
    site, _ = real_site
    for page in (site / "fr").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        # Scripts, styles and fonts are loaded by <script src> and <link href> only.
        for tag in re.findall(r"<(?:script|link)\b[^>]*>", html):
            url = re.search(r'(?:src|href)="([^"]+)"', tag)
            if url and 'rel="alternate"' not in tag and 'rel="canonical"' not in tag:
                assert not re.match(r"^(https?:)?//", url.group(1)), f"{page}: {tag}"
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_real_catalogue_has_no_fallbacks(real_site) -> None:  # type: ignore[no-untyped-def]
    _, report = real_site
    assert report.fallback_counts == {"fr": 0, "en": 0}, report.rendered.fallbacks


def test_build_prints_fallback_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(build_argv(SMALL, tmp_path / "site"))
    err = capsys.readouterr().err
    assert code == 0
    # 6 fixed pages + one page per section (10) + one per resource (3)
    assert "fr: 19 pages, 0 fallback(s) to another language" in err
    assert re.search(r"^en: 19 pages, 5 fallback\(s\) to another language$", err, re.M)
    en_page = (tmp_path / "site" / "en" / "resources" / "alpha-tool" / "index.html").read_text()
    assert '<div lang="fr">' in en_page
    assert "Missing translation" in en_page


def test_broken_catalogue_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue"
    shutil.copytree(SMALL, catalogue)
    site = tmp_path / "site"
    assert main(build_argv(catalogue, site)) == 0
    before = tree_digest(site)
    broken = catalogue / "resources" / "alpha-tool.yml"
    broken.write_text(broken.read_text().replace("kind: tool", "kind: [tool"), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "dl4mic_hub.cli", *build_argv(catalogue, site)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert re.search(r"catalogue/resources/alpha-tool\.yml:\d+:\d+: error: ", proc.stderr), (
        proc.stderr
    )
    assert tree_digest(site) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_failed_mkdocs_build_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(SMALL, site, config_file=CONFIG)
    before = tree_digest(site)
    bad_config = tmp_path / "mkdocs.yml"
    # A nav entry pointing nowhere is a warning, hence an error under --strict.
    bad_config.write_text(
        CONFIG.read_text() + "\nextra_css: [missing.css]\nvalidation:\n  "
        "omitted_files: warn\n  absolute_links: warn\n  unrecognized_links: warn\n"
        "  anchors: warn\nhooks: [does-not-exist.py]\n",
        encoding="utf-8",
    )
    (tmp_path / "overrides").symlink_to(ROOT / "overrides")
    code = main(build_argv(SMALL, site, bad_config))
    assert code == 1
    assert tree_digest(site) == before


def test_edit_links_point_at_the_configured_repository(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(CONFIG.read_text().replace(
        "repository_url: https://github.com/dl4mic-hub/dl4mic-hub",
        "repository_url: https://forge.example.org/team/hub"), encoding="utf-8")
    (tmp_path / "overrides").symlink_to(ROOT / "overrides")
    build_site(SMALL, tmp_path / "site", config_file=config)
    page = (tmp_path / "site" / "fr" / "resources" / "alpha-tool" / "index.html").read_text()
    assert "https://forge.example.org/team/hub/edit/main/small/resources/alpha-tool.yml" in page
