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
    p = sub.add_parser(
        "import-markdown", help="turn a Markdown resource list into draft catalogue entries",
        description="Read a Markdown list of links (like the seed list) and write draft entries "
        "(resources/<id>.yml, faq/<id>.yml) into DIR; report, with line numbers, what could not "
        "be parsed. Drafts need a human pass before they join the catalogue.",
    )
    p.add_argument("file", type=Path, metavar="FILE", help="the Markdown file to import")
    p.add_argument("--out", type=Path, required=True, metavar="DIR",
                   help="folder for the drafts (created if needed)")
    p.add_argument("--lang", choices=["fr", "en"], default="fr",
                   help="language of the list's text (default: %(default)s)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="value of 'added:' (default: today)")
    p.add_argument("--force", action="store_true", help="overwrite drafts that already exist")
    p.set_defaults(handler=cmd_import_markdown)


def cmd_import_markdown(args: argparse.Namespace) -> int:
    import datetime  # local imports: cli.py's header is shared by several command families
    import re

    from .diagnostics import Origin, display_path, error
    from .importer import DRAFT_NOTICE, import_markdown, write_drafts

    display = display_path(args.file)
    date = args.date or datetime.date.today().isoformat()
    problem = None
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", date):
        problem = error(Origin("--date"), f"'{date}' is not a date", "write it as YYYY-MM-DD")
    elif not args.file.is_file():
        problem = error(Origin(display), "the file does not exist", "check the path")
    elif args.out.exists() and not args.out.is_dir():
        problem = error(Origin(display_path(args.out)), "--out must be a folder, not a file",
                        "choose another --out")
    if problem is None:
        try:
            text = args.file.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            problem = error(Origin(display), f"the file is not valid UTF-8 ({exc.reason})",
                            "save it as UTF-8")
    if problem is not None:
        print_diagnostics([problem])
        return EXIT_USAGE
    result = import_markdown(text, display=display, lang=args.lang, date=date)
    print_diagnostics(result.findings)
    report = write_drafts(result.drafts, args.out, force=args.force)
    shown = 10  # enough to recognise the files without flooding the report on a re-run
    for path in report.kept[:shown]:
        print(f"kept {display_path(path)}: it already exists (use --force to overwrite it)",
              file=sys.stderr)
    if len(report.kept) > shown:
        print(f"kept {len(report.kept) - shown} more existing draft(s)", file=sys.stderr)
    out = display_path(args.out)
    print(f"{display}: {len(report.written)} draft(s) written to {out}, {len(report.kept)} kept, "
          f"{len(result.findings)} item(s) to look at (listed above)")
    print(DRAFT_NOTICE)
    return EXIT_OK


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
