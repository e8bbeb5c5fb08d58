"""A built site served from a folder on 127.0.0.1, for the browser tests.

The port is bound when the server is made, before the site is built: the build needs the
address it will be served at (``site_url``), port included, and a port chosen then bound later
could be taken in between.
"""

from __future__ import annotations

import functools
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class FolderServer(ThreadingHTTPServer):
    """Serves ``folder``; requests are answered once :meth:`start` is called."""

    daemon_threads = True

    def __init__(self, folder: Path) -> None:
        super().__init__(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
        self._thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> None:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self.shutdown()
        self.server_close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that leaves a page before all of it arrived closes the connection under
        # the answer: that is not a failure, and its traceback would bury the test output.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)
