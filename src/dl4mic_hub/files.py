"""Writing files so that nothing is half-written or rewritten for nothing.

Every stage that writes a file the user keeps (link history, link-check cache, imported drafts,
reports) replaces it in one step: a crash, Ctrl-C or a full disk leaves the old file or the new
one, never half of one. Pages and configurations handed to a site generator are rewritten only
when their text changed, so a watching generator rebuilds only what an edit touched.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .diagnostics import Origin, UsageError, display_path, error

#: The file that marks a folder written by a build (a site, kept docs, a preview): the next
#: build replaces such a folder whole (see build.folders).
BUILD_MARKER = ".dl4mic-hub-build"


# The process's umask, read once at import (reading it means setting it, which threads started
# later must not see): what a new file's permissions would be with a plain open().
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def _permissions_for(path: Path) -> int:
    """An existing file's permissions, else those open() gives a new one (0666 less the umask):
    mkstemp's private 0600 would make reports and drafts unreadable to the group."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_UMASK


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, ``\\n`` line ends) in one step: written to a
    temporary file beside it, then renamed over it. Creates the parent folders. An error of
    the system names ``path``, never the temporary file (which the user never asked for)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # the temporary name is kept short: any name the file system takes can be written
        short = os.fsencode(path.name)[:64].decode("utf-8", "ignore")  # bytes count, not letters
        handle, temporary = tempfile.mkstemp(prefix=f".{short}.", suffix=".tmp",
                                             dir=path.parent)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        Path(temporary).chmod(_permissions_for(path))
        Path(temporary).replace(path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
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
                      inputs: Iterable[Path | None] = (),
                      read_folders: Iterable[Path | None] = ()) -> str | None:
    """Why a command must not write a file (or, with ``folder``, a folder) at ``path``, in
    words for a message ("it is a folder, not a file"); None when it may. Checked before any
    work, so that a run never ends on a crash, or by overwriting what the same command reads:
    ``inputs`` (files) and ``read_folders`` (the catalogue, the theme, the site being
    replaced...: nothing is written into them). Nothing is left behind (the probe of the
    system's refusal is removed)."""
    if path.is_dir() and not folder:
        return "it is a folder, not a file"
    if not folder and (path.is_symlink() or (path.exists() and not path.is_file())):
        # the new file would take the place of the link, device (/dev/null) or pipe
        return "it is a link, a device or a pipe, not a file (the file would replace it)"
    if path.exists() and folder and not path.is_dir():
        return "it is a file, not a folder"
    existing = next((parent for parent in path.parents if parent.exists()), None)
    if existing is not None and not existing.is_dir():
        return f"{existing.as_posix()} is a file, not a folder"
    target = path.resolve()
    read = next((p for p in inputs if p is not None and p.resolve() == target), None)
    if read is not None:
        return f"it is also {read.as_posix()}, which this command reads"
    inside = next((f for f in read_folders
                   if f is not None and target.is_relative_to(f.resolve())), None)
    if inside is not None:
        return f"it is inside {display_path(inside)}, which this command reads or replaces"
    probe_in = path if folder and path.is_dir() else existing
    if probe_in is None:
        return None
    return _refused_by_the_system(probe_in)



def _refused_by_the_system(folder: Path) -> str | None:
    """Whether the system lets us create a file in ``folder`` (permissions, read-only disk,
    special file systems such as /proc), asked by creating and removing one."""
    try:
        handle, probe = tempfile.mkstemp(prefix=".dl4mic-hub-probe-", dir=folder)
    except OSError as exc:
        return f"the system refuses to create a file in {display_path(folder)} ({exc.strerror})"
    os.close(handle)
    Path(probe).unlink(missing_ok=True)
    return None


def refuse_unwritable(path: Path, option: str, *, folder: bool = False,
                      inputs: Iterable[Path | None] = (),
                      read_folders: Iterable[Path | None] = (), hint: str = "") -> None:
    """Raise :class:`UsageError` (exit 2) when :func:`unwritable_reason` finds one, or when
    ``path`` is (or is inside) a folder a build wrote: the next build would delete it."""
    reason = unwritable_reason(path, folder=folder, inputs=inputs, read_folders=read_folders)
    resolved = path.resolve()
    owner = next((p for p in (resolved, *resolved.parents) if (p / BUILD_MARKER).is_file()),
                 None)
    if reason is None and owner is not None:
        reason = (f"it is {'' if owner == resolved else 'inside '}{display_path(owner)}, which "
                  "the next build replaces whole (it holds the build's marker file)")
    if reason is not None:
        shown = display_path(path)
        raise UsageError([error(Origin(shown), f"{option} {shown}: cannot write here: {reason}",
                                hint or f"give {option} another path")])
