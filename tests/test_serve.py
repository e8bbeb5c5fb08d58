"""serve: a live preview that renders the catalogue again when a file changes."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SMALL = Path(__file__).parent / "fixtures" / "render" / "small"

pytestmark = pytest.mark.build


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(url: str, needle: str, seconds: float = 30) -> str:
    end = time.monotonic() + seconds
    page = None
    while time.monotonic() < end:
        page = _get(url)
        if page is not None and needle in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} never appeared at {url}; last page: {(page or '')[:200]}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    catalogue = tmp_path / "catalogue"
    shutil.copytree(SMALL, catalogue)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "dl4mic_hub.cli", "serve", "--catalogue", str(catalogue),
         "--config", str(ROOT / "mkdocs.yml"), "--dev-addr", f"127.0.0.1:{port}", "--lang", "en"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        yield f"http://127.0.0.1:{port}/en/", catalogue, proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_renders_again_when_a_catalogue_file_changes(served) -> None:  # type: ignore[no-untyped-def]
    base, catalogue, proc = served
    page = _wait_for(base + "resources/alpha-tool/", "Alpha Screen")
    assert "A segmentation tool" in page
    entry = catalogue / "resources" / "alpha-tool.yml"
    renamed = entry.read_text().replace("Alpha Screen", "Alpha Screen Two")
    entry.write_text(renamed, encoding="utf-8")
    _wait_for(base + "resources/alpha-tool/", "Alpha Screen Two")

    # A broken file: the errors are printed and the last good pages stay served.
    entry.write_text(entry.read_text().replace("kind: tool", "kind: [tool"), encoding="utf-8")
    time.sleep(3)
    assert "Alpha Screen Two" in (_get(base + "resources/alpha-tool/") or "")
    proc.terminate()
    output = proc.communicate(timeout=10)[0]
    assert "alpha-tool.yml:" in output and "error:" in output
    assert "showing the last good pages" in output
    assert "Traceback" not in output
