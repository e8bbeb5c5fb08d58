"""Browser fixtures: the real catalogue built for a local server, served on 127.0.0.1, and
Playwright driving Debian's chromium (browsers are never downloaded)."""

from __future__ import annotations

import functools
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from dl4mic_hub.build import build_site

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build the real catalogue for http://127.0.0.1:<port>/ and serve it there.

    The port is chosen before the build: Material's language selector compares page URLs
    with the sitemap's, so ``site_url`` must be the address actually served, port included.
    """
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    site_dir = tmp_path_factory.mktemp("e2e") / "site"
    catalogue = Path(os.environ.get("DL4MIC_TEST_CATALOGUE", ROOT / "catalogue"))
    build_site(catalogue, site_dir, config_file=ROOT / "mkdocs.yml", site_url=url)
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must run the browser tests, never skip them silently
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": chromium,
        "headless": True,
        # Root in a container needs --no-sandbox; the others stop chromium from calling home.
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }
