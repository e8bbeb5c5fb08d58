"""Output folders: which ones a build may replace, its scratch folders, and their cleanup.

Nothing the user owns is ever deleted. A build only replaces a folder that carries our
marker file (written into every site, docs and scratch folder we create) or an empty one,
and never the current folder, the project, the catalogue or ``docs/``, nor a parent of them.
A build works in a scratch folder next to its target (``.site-build-<pid>-<random>``); one
left by a killed build is removed by the next build once its process is gone.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Origin, UsageError, display_path, error
from ..files import BUILD_MARKER, unwritable_reason

_MARKER_TEXT = ("Written by dl4mic-hub (build or serve). The next build replaces this folder "
                "whole: keep nothing of yours in it.\n")


@dataclass(frozen=True)
class Protected:
    path: Path
    what: str
    inside_too: bool  # also refuse any folder inside it


def mark(folder: Path) -> None:
    (folder / BUILD_MARKER).write_text(_MARKER_TEXT, encoding="utf-8")


def is_marked(folder: Path) -> bool:
    return (folder / BUILD_MARKER).is_file()


def protected_folders(project: Path, catalogue_dir: Path,
                      theme_dir: Path | None = None) -> list[Protected]:
    """What an output folder must not be. Nor may it be inside a folder the build reads: the
    theme's (the generator copies its files into the site, so a site written there came back
    inside the next one, twice as large each time), the catalogue, docs/."""
    project = project.resolve()
    protected = [
        Protected(Path.cwd().resolve(), "the current folder", inside_too=False),
        Protected(project, "the project folder", inside_too=False),
        Protected(catalogue_dir.resolve(), "the catalogue folder", inside_too=True),
        Protected(project / "docs", "the project's documentation folder (docs/)",
                  inside_too=True),
    ]
    if theme_dir is not None:
        protected.append(Protected(theme_dir.resolve(), "the theme's folder (custom_dir)",
                                   inside_too=True))
    return protected


def check_replaceable(target: Path, option: str, protected: list[Protected]) -> None:
    """Refuse (exit 2) a ``target`` that a build must not replace."""
    resolved = target.resolve()
    shown = display_path(target)

    def refuse(reason: str, hint: str = "choose a new or empty folder") -> None:
        raise UsageError([error(Origin(shown), f"{option} {shown}: refusing to replace this "
                                f"folder: {reason}", hint)])

    for folder in protected:
        if resolved == folder.path:
            refuse(f"it is {folder.what}")
        if folder.path.is_relative_to(resolved):
            refuse(f"it contains {folder.what}")
        if folder.inside_too and resolved.is_relative_to(folder.path):
            refuse(f"it is inside {folder.what}")
    reason = unwritable_reason(target, folder=True)  # a file there, or in its path
    if reason is not None:
        refuse(reason)
    if not resolved.exists():
        return
    if not is_marked(resolved) and any(resolved.iterdir()):
        refuse(f"it is not empty and was not written by dl4mic-hub (no {BUILD_MARKER} file in "
               "it)", "choose a new or empty folder; if it is an old site of ours, delete it "
               "yourself once")


def scratch_folder(target: Path) -> Path:
    """A new, marked scratch folder next to ``target`` (same file system: moves are renames)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-build-{os.getpid()}-",
                                 dir=target.parent))
    mark(work)
    return work


def remove_stale_scratch(target: Path) -> list[Path]:
    """Remove the scratch folders of ``target`` whose build process no longer runs."""
    pattern = re.compile(rf"\.{re.escape(target.name)}-build-(\d+)-\w+")
    removed: list[Path] = []
    if not target.parent.is_dir():
        return removed
    for candidate in target.parent.iterdir():
        found = pattern.fullmatch(candidate.name)
        if (found and candidate.is_dir() and not candidate.is_symlink() and is_marked(candidate)
                and not _running(int(found[1]))):
            shutil.rmtree(candidate, ignore_errors=True)
            removed.append(candidate)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def retire(target: Path) -> Path | None:
    """Move a replaceable ``target`` aside (to a scratch name next to it) before its successor
    takes its place; ``None`` if there was nothing to move."""
    if not target.exists():
        return None
    if not is_marked(target):  # an empty folder (check_replaceable allowed nothing else)
        target.rmdir()
        return None
    aside = Path(tempfile.mkdtemp(prefix=f".{target.name}-build-{os.getpid()}-old",
                                  dir=target.parent))
    aside.rmdir()
    target.rename(aside)
    return aside


def move_folder(source: Path, target: Path) -> None:
    """Rename, or copy when ``target`` is on another file system."""
    try:
        source.rename(target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        shutil.copytree(source, target)
        shutil.rmtree(source, ignore_errors=True)
