"""Which URLs to check, and every place each one is written.

Three sources: every URL of the validated catalogue, a plain list (``--urls``), and, for pull
requests, the catalogue at an older git revision (to keep only the URLs added since). URLs
are stored with their credentials masked (``https://***@host/``): a password written in the
catalogue is refused by the checker and never reaches a request or a report.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, Origin, UsageError, UserError, display_path, error
from ..model import Catalogue, read_catalogue
from ..urls import mask_credentials
from ..validate import ValidationResult, validate_catalogue
from .urls import UnusableURL, request_target


@dataclass
class Targets:
    """URLs to check, in first-seen order, with every place each one is written."""

    origins: dict[str, list[Origin]] = field(default_factory=dict)

    def add(self, url: str, origin: Origin) -> None:
        self.origins.setdefault(mask_credentials(url), []).append(origin)

    @property
    def urls(self) -> list[str]:
        return list(self.origins)

    def without(self, old: set[str]) -> Targets:
        """Only the URLs that are not in ``old`` (the URLs of an older revision)."""
        old = {mask_credentials(url) for url in old}
        return Targets({u: o for u, o in self.origins.items() if u not in old})


def valid_catalogue(root: Path) -> ValidationResult:
    """The catalogue at ``root``, validated. A missing folder is a UsageError (exit 2); an
    invalid catalogue a UserError (exit 1, like ``validate``): links are only checked in a
    valid one."""
    result = validate_catalogue(root)  # raises the UsageError for a missing folder
    if not result.ok:
        errors = [d for d in result.diagnostics if d.severity.value == "error"]
        raise UserError(
            [
                *errors,
                error(
                    Origin(display_path(root)),
                    f"the catalogue has {len(errors)} error(s); links were not checked",
                    "fix them first ('dl4mic-hub validate' lists them)",
                ),
            ]
        )
    return result


def catalogue_targets(catalogue: Catalogue) -> Targets:
    """Every URL of ``catalogue``, with every place it is written."""
    targets = Targets()
    for url, origin, _entry in catalogue.urls():
        targets.add(url, origin)
    return targets


def file_targets(path: Path) -> Targets:
    """A plain list, one URL a line; blank lines and lines starting with # are ignored.
    A line that is not a usable http(s) URL is a located UsageError (the list is an option
    value, like a command-line argument)."""
    display = "<stdin>" if str(path) == "-" else display_path(path)
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(
            [
                error(
                    Origin(display),
                    f"cannot read the URL list: {exc}",
                    "pass a UTF-8 text file with one URL a line",
                )
            ]
        ) from None
    targets = Targets()
    problems: list[Diagnostic] = []
    # A byte order mark (Windows editors) is no part of the first URL; and lines end at '\n'
    # only, as editors number them (splitlines also breaks at form feeds, U+2028...).
    for number, line in enumerate(text.removeprefix("\ufeff").split("\n"), start=1):
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        origin = Origin(display, number, line.index(url) + 1)
        try:
            request_target(mask_credentials(url))  # a message never repeats a password
        except UnusableURL as exc:
            problems.append(error(origin, exc.message, exc.hint))
            continue
        targets.add(url, origin)
    if problems:
        raise UsageError(problems)
    return targets


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)


@contextmanager
def catalogue_at_revision(root: Path, revision: str) -> Iterator[Path | None]:
    """The catalogue folder ``root`` as it was at a git revision, in a temporary folder
    (None if it did not exist then). UsageError if git cannot tell."""
    root = root.resolve()
    top = _git(["rev-parse", "--show-toplevel"], root)
    if top.returncode != 0:
        raise UsageError(
            [
                error(
                    Origin(display_path(root)),
                    "--since needs the catalogue to be in a git repository",
                    "run it from a clone of the project",
                )
            ]
        )
    if _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], root).returncode != 0:
        raise UsageError(
            [
                error(
                    Origin("--since"),
                    f"'{revision}' is not a known git revision",
                    "fetch it first (e.g. git fetch origin main) or name a commit, branch or tag",
                )
            ]
        )
    top_dir = Path(top.stdout.decode().strip()).resolve()
    rel = root.relative_to(top_dir).as_posix()
    if _git(["cat-file", "-e", f"{revision}:{rel}"], root).returncode != 0:
        yield None  # the catalogue did not exist yet: every URL is new
        return
    archive = _git(["archive", "--format=tar", revision, "--", rel], top_dir)
    if archive.returncode != 0:
        raise UsageError(
            [error(Origin("--since"), f"git archive failed: {archive.stderr.decode().strip()}")]
        )
    with tempfile.TemporaryDirectory(prefix="dl4mic-since-") as tmp:
        tar_path = Path(tmp) / "old.tar"
        tar_path.write_bytes(archive.stdout)
        with tarfile.open(tar_path) as tar:
            tar.extractall(Path(tmp) / "old", filter="data")
        yield Path(tmp) / "old" / rel


def catalogue_urls(root: Path | None) -> set[str]:
    """Every URL written in the catalogue at ``root`` (none if there is no catalogue)."""
    if root is None:
        return set()
    old, _loaded = read_catalogue(root)
    return {url for url, _origin, _entry in old.urls()}
