"""Findings reported to the user: ``path:line:col: severity: message (hint: ...)``.

Every stage reports problems as :class:`Diagnostic` values instead of raising, so that
validation can collect all of them before failing. Formatting lives here, once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Origin:
    """Where a value was written: a file and a 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    origin: Origin
    severity: Severity
    message: str
    hint: str = ""

    def format_text(self) -> str:
        text = f"{self.origin}: {self.severity.value}: {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text

    def format_github(self) -> str:
        """A GitHub workflow annotation (shown on the pull request's diff)."""
        text = f"{self.message} (hint: {self.hint})" if self.hint else self.message
        level = "error" if self.severity is Severity.ERROR else "warning"
        where = self.origin
        props = f"file={_gh_escape_prop(where.path)},line={where.line},col={where.col}"
        return f"::{level} {props}::{_gh_escape_data(text)}"


def _gh_escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_escape_prop(text: str) -> str:
    return _gh_escape_data(text).replace(":", "%3A").replace(",", "%2C")


def error(origin: Origin, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(origin, Severity.ERROR, message, hint)


def warning(origin: Origin, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(origin, Severity.WARNING, message, hint)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    return (d.origin.path, d.origin.line, d.origin.col, d.message)


def display_path(path: Path, base: Path | None = None) -> str:
    """A path as the user should see it: relative to the working directory when possible."""
    for root in (base, Path.cwd()):
        if root is None:
            continue
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()


#: Exit codes, the same for every command.
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class UserError(Exception):
    """A mistake the user can fix in the input (exit code 1); the CLI prints the diagnostics
    without a traceback."""

    exit_code = EXIT_FINDINGS

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.format_text() for d in diagnostics))
        self.diagnostics = diagnostics


class UsageError(UserError):
    """A usage or setup mistake: a wrong option, a missing folder or file (exit code 2)."""

    exit_code = EXIT_USAGE
