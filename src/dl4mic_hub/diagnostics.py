"""Findings reported to the user: ``path:line:col: severity: message (hint: ...)``.

Every stage reports problems as :class:`Diagnostic` values instead of raising, so that
validation can collect all of them before failing. Formatting lives here, once.

Messages quote catalogue text, which comes from strangers: a diagnostic is always printed on
one line, with line breaks, other control characters and bidirectional-text controls written
as visible escapes (``\\n``, ``\\u202e``), so that no value or file name can forge a second
``path:line:col`` line or reorder what the reader sees.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import NamedTuple


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


class Origin(NamedTuple):
    """Where a value was written: a file and a 1-based line and column. (A named tuple: the
    loader makes one for every value of the catalogue, and tuples are the cheapest.)"""

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
        """One line: ``path:line:col: severity: message (hint: ...)``. In the path, ':' is
        written ``\\:`` (and a backslash ``\\\\``) so that the first ``:line:col:`` of the line
        is always the real one, and the path can be read back exactly."""
        where = self.origin
        path = one_line(where.path.replace("\\", "\\\\")).replace(":", "\\:")
        return f"{path}:{where.line}:{where.col}: {self.severity.value}: {self.format_problem()}"

    def format_problem(self) -> str:
        """``message (hint: ...)`` on one line, without the place (a prompt already says it)."""
        text = one_line(self.message)
        return f"{text} (hint: {one_line(self.hint)})" if self.hint else text

    def format_github(self) -> str:
        """A GitHub workflow annotation (shown on the pull request's diff), on one line."""
        text = self.format_problem()
        level = "error" if self.severity is Severity.ERROR else "warning"
        where = self.origin
        props = f"file={_gh_escape_prop(where.path)},line={where.line},col={where.col}"
        return f"::{level} {props}::{_gh_escape_data(text)}"


# Characters that break a line or change how the rest of it is shown: controls (Cc), format
# characters such as bidi overrides and zero-width marks (Cf), line and paragraph separators
# (Zl, Zp), lone surrogates (Cs) from undecodable input, and private-use or unassigned code
# points (Co, Cn), which a terminal may draw as anything.
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Fast path: printable ASCII and the Latin blocks up to U+0377, which hold no character of
# those categories except the soft hyphen (U+00AD).
_MAYBE_UNSAFE = re.compile(r"[^\x20-\x7e\xa0-\xac\xae-\u0377]")


def one_line(text: str) -> str:
    """``text`` with every line break, control and bidi character written as a visible escape
    (``\\n``, ``\\x07``, ``\\u202e``): safe to print inside a one-line message."""
    if not _MAYBE_UNSAFE.search(text):
        return text
    return "".join(_escape(char) for char in text)


def _escape(char: str) -> str:
    if unicodedata.category(char) not in UNSAFE_CATEGORIES:
        return char
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else (
        f"\\U{code:08x}"
    )


def _gh_escape_data(text: str) -> str:
    # GitHub decodes %25, %0D and %0A; one_line has already made CR and LF visible escapes.
    return one_line(text).replace("%", "%25")


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
    """A path as the user should see it: relative to the working directory when possible.

    The last component is never resolved: a symbolic link is shown as itself, not as the
    file it points to (which may be anywhere on the machine)."""
    full = path.parent.resolve() / path.name if path.name else path.resolve()
    for root in (base, Path.cwd()):
        if root is None:
            continue
        try:
            return full.relative_to(root.resolve()).as_posix()
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
