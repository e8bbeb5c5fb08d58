"""Writing files so that nothing is half-written or rewritten for nothing.

Every stage that writes a file the user keeps (link history, link-check cache, imported drafts,
reports) replaces it in one step: a crash, Ctrl-C or a full disk leaves the old file or the new
one, never half of one. Pages and configurations handed to a site generator are rewritten only
when their text changed, so a watching generator rebuilds only what an edit touched.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .diagnostics import Origin, UsageError, display_path, error

#: The file that marks a folder written by a build (a site, kept docs, a preview): the next
#: build replaces such a folder whole (see build.folders).
BUILD_MARKER = ".dl4mic-hub-build"


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


def unwritable_reason(path: Path, *, folder: bool = False,
                      inputs: Iterable[Path | None] = ()) -> str | None:
    """Why a command must not write a file (or, with ``folder``, a folder) at ``path``, in
    words for a message ("it is a folder, not a file"); None when it may. Checked before any
    work, so that a run never ends on a crash, or by overwriting ``inputs`` (the files the
    same command reads). Nothing is created."""
    if path.is_dir() and not folder:
        return "it is a folder, not a file"
    if path.exists() and folder and not path.is_dir():
        return "it is a file, not a folder"
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                return f"{parent.as_posix()} is a file, not a folder"
            break
    target = path.resolve()
    read = next((p for p in inputs if p is not None and p.resolve() == target), None)
    if read is not None:
        return f"it is also {read.as_posix()}, which this command reads"
    return None


def refuse_unwritable(path: Path, option: str, *, folder: bool = False,
                      inputs: Iterable[Path | None] = (), hint: str = "") -> None:
    """Raise :class:`UsageError` (exit 2) when :func:`unwritable_reason` finds one, or when
    ``path`` is inside a folder a build wrote: the next build would delete it."""
    reason = unwritable_reason(path, folder=folder, inputs=inputs)
    owner = next((p for p in path.resolve().parents if (p / BUILD_MARKER).is_file()), None)
    if reason is None and owner is not None:
        reason = (f"it is inside {display_path(owner)}, which the next build replaces whole "
                  "(it holds the build's marker file)")
    if reason is not None:
        shown = display_path(path)
        raise UsageError([error(Origin(shown), f"{option} {shown}: cannot write here: {reason}",
                                hint or f"give {option} another path")])
