"""Writing files so that nothing is half-written or rewritten for nothing.

Every stage that writes a file the user keeps (link history, link-check cache, imported drafts,
reports) replaces it in one step: a crash, Ctrl-C or a full disk leaves the old file or the new
one, never half of one. Pages and configurations handed to a site generator are rewritten only
when their text changed, so a watching generator rebuilds only what an edit touched.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .diagnostics import Origin, UsageError, display_path, error

#: The file that marks a folder written by a build (a site, kept docs, a preview): the next
#: build replaces such a folder whole (see build.folders).
BUILD_MARKER = ".dl4mic-hub-build"


def _open_beside(path: Path) -> tuple[int, Path]:
    """A new temporary file next to ``path``, opened for writing with the permissions a plain
    open() gives (0666 less the current umask: the system applies it), not mkstemp's private
    0600, which made reports and drafts unreadable to the group."""
    # the temporary name is kept short: any name the file system takes can be written
    short = os.fsencode(path.name)[:64].decode("utf-8", "ignore")  # bytes count, not letters
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temporary = path.parent / f".{short}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path))


def _keep_access(temporary: Path, path: Path) -> None:
    """A file written again keeps its permissions and, where the system lets us, its group."""
    try:
        before = path.stat()
    except OSError:
        return  # a new file: open() gave it its permissions
    temporary.chmod(stat.S_IMODE(before.st_mode))
    if hasattr(os, "chown"):
        with contextlib.suppress(OSError):  # only a member of the group may give it
            os.chown(temporary, -1, before.st_gid)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, ``\\n`` line ends) in one step: written to a
    temporary file beside it, then renamed over it. Creates the parent folders. An error of
    the system names ``path``, never the temporary file (which the user never asked for)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = _open_beside(path)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        _keep_access(temporary, path)
        temporary.replace(path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
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



def refuse_replacing(path: Path, option: str, *, belongs: Callable[[str], bool],
                     what: str) -> None:
    """Raise :class:`UsageError` (exit 2) when ``path`` is a file with something in it that is
    not ``what`` this option writes (``belongs`` tells): the command would replace a file it
    did not write (a README, a config). An empty file, or one of its own, is replaced."""
    if not path.is_file():
        return
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = None
    if text is not None and (not text.strip() or belongs(text)):
        return
    shown = display_path(path)
    raise UsageError([error(Origin(shown), f"{option} {shown}: this file is not {what}, and "
                            "the command would replace it",
                            f"give {option} a new path, or remove the file first if it may go")])


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
