"""Shared pytest fixtures, one section per family of tests (each family owns its section)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.fakeweb import FakeHost
from support.staticweb import FolderServer

from dl4mic_hub.build import BuildReport, build_site

# === Catalogue fixtures (load, validate, markdown, diagnostics, CLI validate) ==================
#
# tests/fixtures/catalogues/minimal is a complete, valid catalogue. Every other folder there is a
# scenario: only the files it adds or replaces, laid over a copy of `minimal`, so each scenario
# shows the one mistake it is about (see tests/fixtures/catalogues/README.md).

CATALOGUE_FIXTURES = Path(__file__).parent / "fixtures" / "catalogues"


@pytest.fixture
def make_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Return a function building ``<tmp_path>/catalogue`` from `minimal` plus scenarios
    (laid over it in the order given).

    The working directory becomes ``tmp_path``, so messages show ``catalogue/...`` paths exactly
    as a contributor sees them when running the command from the project folder.
    """
    monkeypatch.chdir(tmp_path)

    def make(*scenarios: str) -> Path:
        target = tmp_path / "catalogue"
        shutil.copytree(CATALOGUE_FIXTURES / "minimal", target)
        for scenario in scenarios:
            if scenario != "minimal":
                shutil.copytree(CATALOGUE_FIXTURES / scenario, target, dirs_exist_ok=True)
        return target

    return make


# === Link checker (check-links: engine, transport, addresses) ===================
#
# Each FakeHost listens on its own loopback address, which the checker treats as a host of its
# own. Only loopback addresses are ever contacted.


@pytest.fixture
def host() -> Iterator[FakeHost]:
    with FakeHost("127.0.0.2") as server:
        yield server


@pytest.fixture
def other() -> Iterator[FakeHost]:
    with FakeHost("127.0.0.3") as server:
        yield server
# === Open-data fixtures (export, JSON-LD, link health) ==========================================
#
# The render fixture catalogue (tests/fixtures/render/small) plus tests/fixtures/export/extra:
# papers and books (citable or not) whose texts hold the characters BibTeX, CSV, XML and
# <script> elements treat specially.

EXPORT_FIXTURES = Path(__file__).parent / "fixtures" / "export"
SMALL_CATALOGUE = Path(__file__).parent / "fixtures" / "render" / "small"


def copy_export_catalogue(target: Path) -> Path:
    shutil.copytree(SMALL_CATALOGUE, target)
    shutil.copytree(EXPORT_FIXTURES / "extra", target, dirs_exist_ok=True)
    return target


@pytest.fixture(scope="session")
def export_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_export_catalogue(tmp_path_factory.mktemp("export") / "catalogue")
# === Built site (build, browser and seed-coverage tests) ========================================
#
# The real catalogue is built once per session and served on 127.0.0.1 under /hub/, the way a
# GitHub Pages project site is published. The port is bound before the build: Material's
# language selector compares page URLs with the sitemap's, so `site_url` must be the address
# actually served, port included. $DL4MIC_GENERATOR chooses the generator, as for the command
# line (the CI job that tries Zensical sets it); $DL4MIC_TEST_CATALOGUE another catalogue.

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class ServedSite:
    root: Path  # the built site: fr/, en/, index.html...
    url: str  # where it is served, ending with "/hub/"
    report: BuildReport


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    served = tmp_path_factory.mktemp("served")
    server = FolderServer(served)  # bound now: the build needs its address
    url = f"{server.origin}/hub/"
    catalogue = Path(os.environ.get("DL4MIC_TEST_CATALOGUE", ROOT / "catalogue"))
    try:
        report = build_site(catalogue, served / "hub", config_file=ROOT / "mkdocs.yml",
                            site_url=url)
        server.start()
        yield ServedSite(served / "hub", url, report)
    finally:
        server.stop()
