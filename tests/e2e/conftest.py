"""Browser fixtures: the real catalogue built once for a local server (``real_site`` in
tests/conftest.py, with the generator chosen by $DL4MIC_GENERATOR), and Playwright driving
Debian's chromium (browsers are never downloaded)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

# pytest-playwright's `new_context` fixture: opens a browser context with the given options
# and closes it when the test ends, failed or not.
NewContext = Callable[..., BrowserContext]


@pytest.fixture(scope="session")
def site_url(real_site: Any) -> str:
    """Where the built site is served: ``http://127.0.0.1:<port>/hub/``."""
    return str(real_site.url)


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
            # tests never touch the real web: no host name resolves but the local ones, and
            # what is not loopback (an address by number too) goes to a proxy that is not there
            # (Chromium never proxies loopback)
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
            "--proxy-server=http://127.0.0.1:9",
        ],
    }


def with_search_index(page: Page, body: str, arg: Any = None) -> Any:
    """Run ``body`` in ``page``, an explorer page: JavaScript that sees ``index``, the search
    index the explorer loads, and ``arg``; returns what the body returns."""
    return page.evaluate(
        "async (arg) => {"
        " const root = document.querySelector('.dl-explorer');"
        " const index = await (await fetch(root.dataset.index)).json();"
        f" {body} }}",
        arg,
    )
