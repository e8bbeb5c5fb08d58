"""Writing files so that nothing is half-written or rewritten for nothing.

Every stage that writes a file the user keeps (link history, link-check cache, imported drafts,
reports) replaces it in one step: a crash, Ctrl-C or a full disk leaves the old file or the new
one, never half of one. Pages and configurations handed to a site generator are rewritten only
when their text changed, so a watching generator rebuilds only what an edit touched.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, ``\\n`` line ends) in one step: written to a
    temporary file beside it, then renamed over it. Creates the parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` unless the file already holds exactly it; returns whether
    it wrote. Creates the parent folders."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True
