"""Command line: parse arguments, call one core function, map problems to exit codes.

Exit codes: 0 success, 1 the catalogue (or the links) has errors, 2 usage or setup problem.
No traceback is shown for a user mistake; an unexpected crash still shows one (it is a bug).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .diagnostics import Diagnostic, Severity, UserError

DEFAULT_CATALOGUE = Path("catalogue")
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

Handler = Callable[[argparse.Namespace], int]


def print_diagnostics(diagnostics: Sequence[Diagnostic], fmt: str = "text") -> None:
    for d in diagnostics:
        print(d.format_github() if fmt == "github" else d.format_text(), file=sys.stderr if fmt == "text" else sys.stdout)


def summarise(diagnostics: Sequence[Diagnostic]) -> str:
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    warnings = len(diagnostics) - errors
    files = len({d.origin.path for d in diagnostics})
    if not diagnostics:
        return "no problems found"
    return f"{errors} error(s), {warnings} warning(s) in {files} file(s)"


def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import validate_catalogue

    result = validate_catalogue(args.catalogue)
    print_diagnostics(result.diagnostics, args.format)
    entries = sum(1 for _ in result.catalogue.all_entries())
    print(f"{args.catalogue}: {entries} entries checked, {summarise(result.diagnostics)}", file=sys.stderr)
    return EXIT_OK if result.ok else EXIT_FINDINGS


def _add_catalogue_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--catalogue", type=Path, default=DEFAULT_CATALOGUE, metavar="DIR",
        help="catalogue folder to read (default: %(default)s)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dl4mic-hub",
        description="Validate the dl4mic-hub catalogue and build its French and English sites.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("validate", help="check every catalogue file and report problems",
                       description="Check every catalogue file; print path:line:col: error: ... "
                       "for each problem; exit 1 if there is any error (warnings pass).")
    _add_catalogue_option(p)
    p.add_argument("--format", choices=["text", "github"], default="text",
                   help="text (default) or github workflow annotations")
    p.set_defaults(handler=cmd_validate)

    _register_site_commands(sub)
    _register_check_links(sub)
    _register_import_markdown(sub)
    _register_new(sub)
    return parser


SubParsers = argparse._SubParsersAction  # type: ignore[type-arg]


# --- build / serve (stage: render + build) -----------------------------------------------------
def _register_site_commands(sub: SubParsers) -> None:
    pass


# --- check-links (stage: check) ----------------------------------------------------------------
def _register_check_links(sub: SubParsers) -> None:
    pass


# --- import-markdown ---------------------------------------------------------------------------
def _register_import_markdown(sub: SubParsers) -> None:
    pass


# --- new -----------------------------------------------------------------------------------------
def _register_new(sub: SubParsers) -> None:
    pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except UserError as exc:
        print_diagnostics(exc.diagnostics)
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
