"""Command line: parse arguments, call one core function, map problems to exit codes.

Exit codes, the same for every command: 0 success, 1 problems in the input (the catalogue, a
value, the links), 2 usage or setup problem (an option, a missing folder), 3 internal error.
No traceback is shown: a user mistake is a located message, and a crash (a bug) is one line
pointing at a file that holds the traceback, to attach to a bug report.
"""

from __future__ import annotations

import argparse
import errno
import gc
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__
from .diagnostics import (
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
    Diagnostic,
    Severity,
    UserError,
)
from .files import refuse_replacing, refuse_unwritable, write_atomically

DEFAULT_CATALOGUE = Path("catalogue")


def print_diagnostics(diagnostics: Sequence[Diagnostic], fmt: str = "text") -> None:
    # Text goes to stderr (human log); annotations to stdout, where GitHub Actions reads them.
    stream = sys.stdout if fmt == "github" else sys.stderr
    for d in diagnostics:
        print(d.format_github() if fmt == "github" else d.format_text(), file=stream)


def summarise(diagnostics: Sequence[Diagnostic]) -> str:
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    warnings = len(diagnostics) - errors
    files = len({d.origin.path for d in diagnostics})
    if not diagnostics:
        return "no problems found"
    return f"{errors} error(s), {warnings} warning(s) in {files} file(s)"


def cmd_validate(args: argparse.Namespace) -> int:
    from .diagnostics import has_errors
    from .validate import about_files, validate_catalogue

    result = validate_catalogue(args.catalogue)
    shown = (about_files(result.diagnostics, args.catalogue, args.files) if args.files
             else result.diagnostics)
    print_diagnostics(shown, args.format)
    entries = sum(1 for _ in result.catalogue.all_entries())
    summary = f"{args.catalogue}: {entries} entries checked, {summarise(shown)}"
    if args.files:
        summary = (f"{args.catalogue}: {entries} entries checked; {len(args.files)} file(s) "
                   f"named: {summarise(shown)}")
        others = len(result.diagnostics) - len(shown)
        if others:
            summary += (f"; {others} problem(s) in other files (run 'dl4mic-hub validate' "
                        "to see them)")
    print(summary, file=sys.stderr)
    return EXIT_FINDINGS if has_errors(shown) else EXIT_OK


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
    p.add_argument("files", nargs="*", type=Path, metavar="FILE",
                   help="report only the problems of these catalogue files (the whole "
                   "catalogue is still read: ids and addresses are compared across files)")
    p.add_argument("--format", choices=["text", "github"], default="text",
                   help="text (default) or github workflow annotations")
    p.set_defaults(handler=cmd_validate, parser=p)

    _register_site_commands(sub)
    _register_check_links(sub)
    _register_import_markdown(sub)
    _register_new(sub)
    return parser


if TYPE_CHECKING:  # argparse's class is generic for type checkers only
    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]


# --- build / serve (stage: render + build) -----------------------------------------------------
def cmd_build(args: argparse.Namespace) -> int:
    from .build import build_site
    from .diagnostics import Origin, display_path

    report = build_site(args.catalogue, args.site_dir, config_file=args.config,
                        site_url=args.site_url, strict=not args.no_strict, docs_dir=args.keep_docs,
                        generator=args.generator, defer_cleanup=True,
                        link_report=args.link_report, link_history=args.link_history)
    print_diagnostics(report.validation.diagnostics)
    print_diagnostics(report.generator_diagnostics(Origin(display_path(args.config))))
    counts = report.fallback_counts
    pages = {lang: len(p) for lang, p in report.rendered.pages.items()}
    for lang in pages:
        print(f"{lang}: {pages[lang]} pages, {counts[lang]} fallback(s) to another language",
              file=sys.stderr)
    generator = f"{report.generator.name} {report.generator.version()}"
    times = ", ".join(f"{lang.lang} {lang.seconds:.1f} s" for lang in report.languages)
    print(f"built with {generator} ({times})", file=sys.stderr)
    print(f"site built in {report.site_dir}", file=sys.stderr, flush=True)
    # The previous site and the temporary Markdown go only now: at 10,000 entries this takes
    # seconds that the reader should not wait for before the verdict.
    report.cleanup()
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    serve(args.catalogue, lang=args.lang, config_file=args.config, address=args.dev_addr,
          generator=args.generator)
    return EXIT_OK


def _add_site_options(parser: argparse.ArgumentParser) -> None:
    from .build.generators import CONFIG_KEY, GENERATOR_ENV, GENERATORS

    _add_catalogue_option(parser)
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"), metavar="FILE",
                        help="shared site configuration (default: %(default)s)")
    parser.add_argument("--generator", choices=list(GENERATORS),
                        help=f"site generator (default: ${GENERATOR_ENV}, else extra.{CONFIG_KEY} "
                        "of the configuration, else mkdocs)")


def _register_site_commands(sub: SubParsers) -> None:
    p = sub.add_parser("build", help="validate, render and build the French and English sites",
                       description="Validate the catalogue, render its pages in French and English "
                       "and build both sites (strict) into SITE_DIR/fr and SITE_DIR/en. The "
                       "previous site is replaced only if everything succeeded, and only a "
                       "folder written by an earlier build (or an empty one) is ever replaced.")
    _add_site_options(p)
    p.add_argument("--site-dir", type=Path, default=Path("site"), metavar="DIR",
                   help="where to write the site (default: %(default)s)")
    p.add_argument("--site-url", metavar="URL",
                   help="public base URL, e.g. http://127.0.0.1:8000/ for a local server "
                   "(default: $DL4MIC_SITE_URL or site_url of mkdocs.yml)")
    p.add_argument("--keep-docs", type=Path, metavar="DIR",
                   help="also keep the generated Markdown in DIR, even when the build fails "
                   "(for inspection; only a new, empty or earlier --keep-docs folder is "
                   "replaced)")
    p.add_argument("--no-strict", action="store_true",
                   help="do not fail on the generator's warnings (for quick local previews only)")
    _add_link_health_options(p)
    p.set_defaults(handler=cmd_build, parser=p)

    p = sub.add_parser("serve", help="preview one language, rebuilt when a catalogue file changes",
                       description="Serve one language of the site with live reload; the site is "
                       "built again whenever a catalogue file, a template or the theme overrides "
                       "change. A file with errors keeps the last good pages.")
    _add_site_options(p)
    p.add_argument("--lang", choices=["fr", "en"], default="fr",
                   help="language to serve (default: fr)")
    p.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT",
                   help="address to serve on (default: %(default)s)")
    p.set_defaults(handler=cmd_serve, parser=p)


def _add_link_health_options(parser: argparse.ArgumentParser) -> None:
    import os

    from .linkhealth import HISTORY_ENV, REPORT_ENV

    def path_from(env: str) -> Path | None:
        return Path(os.environ[env]) if os.environ.get(env) else None

    parser.add_argument("--link-report", type=Path, metavar="FILE", default=path_from(REPORT_ENV),
                        help="JSON report of 'check-links --format json': entry pages say when "
                        f"their link was checked, or that it is broken (default: ${REPORT_ENV})")
    parser.add_argument("--link-history", type=Path, metavar="FILE",
                        default=path_from(HISTORY_ENV),
                        help="history of earlier reports, read then updated: a link is shown as "
                        f"broken only after several broken runs (default: ${HISTORY_ENV})")


# --- check-links (stage: check) ----------------------------------------------------------------
def _register_check_links(sub: SubParsers) -> None:
    p = sub.add_parser(
        "check-links", help="check that the catalogue's external links still work",
        description="Check every URL of the catalogue (or of --urls FILE). Verdicts: ok; warn "
        "(could not be verified from a robot: 401/403/999, rate limited, too slow, TLS); broken "
        "(404/410, DNS failure, refused, redirect loop, persistent 5xx, or refused before any "
        "request: a private address, a password in the URL). Exit codes: 0 nothing broken, "
        "1 broken links or an invalid catalogue, 2 usage or configuration error. "
        "See docs/link-checking.md.",
    )
    _add_catalogue_option(p)
    src = p.add_mutually_exclusive_group()
    src.add_argument("--urls", type=Path, metavar="FILE",
                     help="check the URLs of a plain list (one a line, # comments; - for stdin)")
    src.add_argument("--since", metavar="GIT_REF",
                     help="only URLs added since this git revision (for pull requests)")
    rules = p.add_mutually_exclusive_group()
    rules.add_argument("--rules", type=Path, metavar="FILE",
                       help="host rules (default: DIR/linkcheck.yml when it exists)")
    rules.add_argument("--no-rules", action="store_true", help="ignore the host rules file")
    p.add_argument("--format", choices=["text", "json", "markdown", "github"], default="text",
                   help="report format on stdout (default: %(default)s)")
    p.add_argument("--output", type=Path, metavar="FILE", help="write the report to FILE")
    p.add_argument("-v", "--verbose", action="store_true", help="also list the ok URLs (text)")
    cache = p.add_mutually_exclusive_group()
    cache.add_argument("--cache", type=Path, default=Path(".cache/linkcheck.json"),
                       metavar="PATH", help="cache of ok results (default: %(default)s)")
    cache.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    p.add_argument("--max-age", default="3d", metavar="AGE",
                   help="reuse ok results younger than AGE: 30m, 12h, 3d... (default: %(default)s)")
    p.add_argument("--allow-private", action="store_true",
                   help="also contact private, loopback and link-local addresses (an intranet; "
                   "refused by default; cloud metadata addresses never are)")
    opts = p.add_argument_group("politeness and timing")
    opts.add_argument("--concurrency", type=int, default=64, metavar="N",
                      help="requests in flight overall (default: %(default)s)")
    opts.add_argument("--per-host", type=int, default=4, metavar="N",
                      help="requests in flight to one host (default: %(default)s)")
    opts.add_argument("--timeout", type=float, default=15.0, metavar="S",
                      help="once connected, the whole answer must come within S seconds, "
                      "however slowly it trickles in (default: %(default)s)")
    opts.add_argument("--connect-timeout", type=float, default=5.0, metavar="S",
                      help="connect timeout in seconds (default: %(default)s)")
    opts.add_argument("--deadline", type=float, metavar="S",
                      help="wall-clock time for one URL, retries included (default: twice "
                      "--timeout)")
    opts.add_argument("--retries", type=int, default=2, metavar="N",
                      help="retries on dropped connections, 408, 429, 5xx and timeouts (a "
                      "timeout only if the host answered nothing else meanwhile; at most "
                      "10) (default: %(default)s)")
    opts.add_argument("--backoff", type=float, default=1.0, metavar="S",
                      help="first retry delay, doubled each time (default: %(default)s)")
    opts.add_argument("--retry-after-cap", type=float, default=60.0, metavar="S",
                      help="longest Retry-After pause honoured (default: %(default)s)")
    opts.add_argument("--max-redirects", type=int, default=10, metavar="N",
                      help="redirects followed (default: %(default)s)")
    p.add_argument("--suggest-archive", action="store_true",
                   help="for broken links, ask the Wayback Machine for an archived copy")
    p.add_argument("--archive-api", metavar="URL",
                   help="Wayback availability API (default: archive.org's)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(handler=cmd_check_links, parser=p)


def cmd_check_links(args: argparse.Namespace) -> int:
    from .check import CheckSettings, check_links
    from .check.cache import is_a_cache
    from .check.engine import Options
    from .check.report import is_a_report, render
    from .hostrules import RULES_FILE
    from .model import CATALOGUE_FOLDERS

    settings = CheckSettings(
        catalogue=args.catalogue, urls_file=args.urls, since=args.since,
        rules_file=args.rules, use_rules=not args.no_rules,
        cache_file=None if args.no_cache else args.cache, max_age=args.max_age,
        options=Options(
            concurrency=args.concurrency, per_host=args.per_host,
            connect_timeout=args.connect_timeout, timeout=args.timeout, deadline=args.deadline,
            retries=args.retries, backoff=args.backoff, retry_after_cap=args.retry_after_cap,
            max_redirects=args.max_redirects, allow_private=args.allow_private,
        ),
        suggest_archive=args.suggest_archive, progress=not args.no_progress,
    )
    if args.archive_api:
        settings.archive_api = args.archive_api
    # Written after the run: a path that cannot take them is said before it, not after it.
    read = [args.urls, args.rules, args.catalogue / RULES_FILE]
    entries = [args.catalogue / folder for folder in CATALOGUE_FOLDERS]  # what the loader reads
    if settings.cache_file is not None:
        refuse_unwritable(settings.cache_file, "--cache", inputs=read, read_folders=entries)
        refuse_replacing(settings.cache_file, "--cache", belongs=is_a_cache,
                         what="a link-check cache")
    if args.output is not None:
        refuse_unwritable(args.output, "--output", inputs=[*read, settings.cache_file],
                          read_folders=entries)
        refuse_replacing(args.output, "--output", belongs=is_a_report,
                         what="a check-links report")
    outcome = check_links(settings)  # a UserError (or UsageError) is main()'s to report
    print_diagnostics(outcome.diagnostics)
    text = render(outcome.report, args.format, args.verbose)
    if args.output:
        write_atomically(args.output, text)
    else:
        sys.stdout.write(text)
    if args.format != "text" or args.output:
        print(outcome.report.summary(), file=sys.stderr)
    return EXIT_FINDINGS if outcome.report.counts()["broken"] else EXIT_OK


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
    p.set_defaults(handler=cmd_import_markdown, parser=p)


def cmd_import_markdown(args: argparse.Namespace) -> int:
    import datetime  # local imports: cli.py's header is shared by several command families

    from .diagnostics import Origin, display_path, error
    from .importer import DRAFT_NOTICE, import_markdown, write_drafts
    from .model import is_catalogue_folder
    from .text import iso_date

    display = display_path(args.file)
    date = args.date or datetime.date.today().isoformat()
    problem = None
    if iso_date(date) is None:
        problem = error(Origin("--date"), f"'{date}' is not a date", "write it as YYYY-MM-DD")
    elif not args.file.is_file():
        problem = error(Origin(display), "the file does not exist", "check the path")
    elif catalogue := next((folder for folder in (args.out, *args.out.resolve().parents)
                            if is_catalogue_folder(folder)), None):
        # drafts need a human pass first; with --force they would replace curated entries, and
        # in a folder of the catalogue (resources/) they would be published as they are
        where = ("is a catalogue" if catalogue == args.out
                 else f"is inside the catalogue {display_path(catalogue)}")
        problem = error(Origin("--out"), f"{display_path(args.out)} {where}, not a folder for "
                        "drafts", "write the drafts elsewhere, e.g. --out drafts; review each "
                        "one, then move it into the catalogue")
    if problem is not None:
        print_diagnostics([problem])
        return EXIT_USAGE
    refuse_unwritable(args.out, "--out", folder=True)
    try:  # "utf-8-sig": a byte order mark (Windows editors) is no part of the first line
        text = args.file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:  # the list's text is the input: a problem in it (exit 1)
        problem = error(Origin(display), f"the file is not valid UTF-8 ({exc.reason})",
                        "save it as UTF-8")
    else:  # drafts holding it could not be read back
        problem = _unwritable_text(text, display)
    if problem is not None:
        print_diagnostics([problem])
        return EXIT_FINDINGS
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


def _unwritable_text(text: str, display: str) -> Diagnostic | None:
    from .diagnostics import Origin, error
    from .load import unwritable_character
    from .text import line_col

    found = unwritable_character(text)
    if found is None:
        return None
    offset, what = found
    return error(Origin(display, *line_col(text, offset)),
                 f"the file holds {what}, which catalogue text cannot hold",
                 "delete it; it often comes with text pasted from a PDF or a word processor")


# --- new -----------------------------------------------------------------------------------------
def _register_new(sub: SubParsers) -> None:
    from .model import ENTRY_TYPES
    from .scaffold import add_field_options

    p = sub.add_parser(
        "new", help="create a commented entry file (asks in a terminal for missing values)",
        description="Write catalogue/<folder>/<id>.yml: a valid entry with a comment above each "
        "field. In a terminal, missing values are asked for; scripts pass them as options "
        "(every field has one; list options can be repeated or take comma-separated keys).",
    )
    types = p.add_subparsers(dest="entry_type", metavar="TYPE", required=True)
    for entry_type in ENTRY_TYPES:
        tp = types.add_parser(entry_type.name, help=f"a new {entry_type.name} entry "
                              f"(catalogue/{entry_type.folder}/<id>.yml)")
        _add_catalogue_option(tp)
        tp.add_argument("--no-input", action="store_true",
                        help="never ask: fail when a required value is missing")
        add_field_options(tp, entry_type)
        tp.set_defaults(handler=cmd_new, parser=tp)


def cmd_new(args: argparse.Namespace) -> int:
    """Check every value, then the whole entry in memory, and only then write the file."""
    import datetime as dt

    from . import scaffold
    from .diagnostics import Origin, UsageError, display_path, error
    from .load import symlink_error
    from .model import ENTRY_TYPES_BY_NAME, is_catalogue_folder, read_catalogue
    from .validate import validate_or_stop

    entry_type = ENTRY_TYPES_BY_NAME[args.entry_type]
    root: Path = args.catalogue
    if not is_catalogue_folder(root):
        raise UsageError([error(Origin(str(root)), "this is not a catalogue folder (no vocab/)",
                                "run the command from the project folder or pass --catalogue DIR")])
    catalogue, loaded = read_catalogue(root)
    # a file (or a link) where the entry's folder goes: the catalogue's problem, said as
    # validate says it, before any question
    unusable = [d for f in loaded if f.path == root / entry_type.folder for d in f.diagnostics]
    if unusable:
        raise UserError(unusable)
    interactive = not args.no_input and sys.stdin.isatty()
    try:
        values = scaffold.collect_values(
            entry_type, scaffold.values_from_args(args, entry_type), catalogue,
            today=dt.date.today(), ask=input if interactive else None, say=print,
        )
    except EOFError:  # Ctrl-D at a question
        print("\ndl4mic-hub new: no file written", file=sys.stderr)
        return EXIT_USAGE
    problems = scaffold.conflicts(entry_type, values, catalogue)
    if problems:
        raise UserError(problems)
    path = root / entry_type.folder / f"{values['id']}.yml"
    for folder in (root, path.parent):  # never write through a link, wherever it points
        if folder.is_symlink():
            raise UserError([symlink_error(display_path(folder))])
    refuse_unwritable(path, "the new entry", hint="entries go into the catalogue folder "
                      "(--catalogue): check that it is yours, not a built site, and writable")
    text = scaffold.render_entry(entry_type, values, catalogue,
                                 scaffold.schema_modeline_path(entry_type, path))
    # The validator is the judge, before anything is written: no half-made file is left.
    result = validate_or_stop(root, pending={path: text}, only=path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:  # never overwrite
        handle.write(text)
    print_diagnostics(result.diagnostics)  # warnings: e.g. a translation still to write
    print(f"created {display_path(path)}")
    return EXIT_OK


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: every stage cleans up on KeyboardInterrupt."""


def _stop(signum: int, frame: object) -> None:
    """SIGTERM or Ctrl-C: stop, once. A second signal while the first unwinds (make passes
    SIGTERM on to its child, a user presses Ctrl-C twice) raised inside a lock's release
    ('release unlocked lock'), an internal error (exit 3) instead of 143 or 130: both signals
    are ignored until main() restores them."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise Terminated if signum == signal.SIGTERM else KeyboardInterrupt


def _blame_unknown(top: argparse.ArgumentParser, command: argparse.ArgumentParser,
                   words: list[str], unknown: list[str]) -> NoReturn:
    """Exit with the usage of the command an unknown option was given to: the one whose name
    it follows ("dl4mic-hub --bogus new faq" is dl4mic-hub's, "new --bogus faq" is new's)."""
    names = command.prog.split()[1:]  # ["new", "faq"] of "dl4mic-hub new faq"
    parsers = [top]
    for name in names[:-1]:
        parsers.append(_subcommand(parsers[-1], name) or command)
    start = 0
    for level, name in enumerate(names):
        if name not in words[start:]:
            break
        at = words.index(name, start)
        given_here = [word for word in unknown if word in words[start:at]]
        if given_here:
            parsers[level].error(f"unrecognized arguments: {' '.join(given_here)}")
        start = at + 1
    command.error(f"unrecognized arguments: {' '.join(unknown)}")


def _subcommand(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser | None:
    for action in parser._actions:  # argparse keeps its subcommands there, and nowhere public
        if isinstance(action, argparse._SubParsersAction):
            found = action.choices.get(name)
            return found if isinstance(found, argparse.ArgumentParser) else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit code says how it went (see the module docstring)."""
    import signal
    import threading

    parser = build_parser()
    # a usage mistake exits 2 here, with argparse's message; an unknown option is told with
    # its own command's usage ("dl4mic-hub build --bogus" showed the top-level one)
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        _blame_unknown(parser, args.parser, list(sys.argv[1:] if argv is None else argv),
                       unknown)
    main_thread = threading.current_thread() is threading.main_thread()  # signals go there
    # a signal ignored from the start stays so (`cmd &` in a script ignores Ctrl-C: it is
    # meant for the job in front)
    previous = {number: signal.signal(number, _stop) for number in (signal.SIGTERM, signal.SIGINT)
                if main_thread and signal.getsignal(number) is not signal.SIG_IGN}
    try:
        return int(args.handler(args))
    except UserError as exc:  # UsageError included: each carries its exit code
        print_diagnostics(exc.diagnostics)
        return exc.exit_code
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (Terminated)
        print("terminated" if isinstance(exc, Terminated) else "interrupted", file=sys.stderr)
        return 128 + (signal.SIGTERM if isinstance(exc, Terminated) else signal.SIGINT)
    except BrokenPipeError:  # the reader went away (`| head`): nothing more to say
        _silence_stdout()
        return 128 + signal.SIGPIPE  # as shell tools: not a problem in the input (exit 1)
    except OSError as exc:
        if exc.errno not in REFUSED_BY_THE_SYSTEM:
            return _internal_error(exc, argv)
        print_diagnostics([_file_system_error(exc)])
        return EXIT_USAGE
    except Exception as exc:  # a bug: say so in one line, keep the details for a report
        return _internal_error(exc, argv)
    finally:
        for number, handler in previous.items():
            if handler is not None:  # None: set outside Python, nothing to put back
                signal.signal(number, handler)


# What the system refuses whatever the program does: no permission, a read-only or full disk,
# a name too long. A setup problem (exit 2) for the user to solve, said with the path.
REFUSED_BY_THE_SYSTEM = frozenset(
    getattr(errno, name) for name in ("EACCES", "EPERM", "EROFS", "ENOSPC", "EDQUOT",
                                      "ENAMETOOLONG", "ELOOP") if hasattr(errno, name)
)


def _file_system_error(exc: OSError) -> Diagnostic:
    from .diagnostics import Origin, display_path, error

    where = display_path(Path(str(exc.filename))) if exc.filename else "dl4mic-hub"
    return error(Origin(where), f"the system refused to read or write here: {exc.strerror}",
                 "check the path, its permissions and the free disk space")


def _internal_error(exc: BaseException, argv: Sequence[str] | None) -> int:
    """A bug: said in one line, the details kept in a file for a report."""
    print(_internal_error_line(exc, _save_traceback(exc, argv)), file=sys.stderr)
    return EXIT_INTERNAL


def _internal_error_line(exc: BaseException, report: Path | None) -> str:
    from . import REPOSITORY_URL
    from .diagnostics import one_line

    summary = one_line(f"{type(exc).__name__}: {exc}")[:300]
    where = f" with the file {report}" if report else ""
    return (f"dl4mic-hub: internal error (a bug): {summary}; please report it at "
            f"{REPOSITORY_URL}/issues{where}")


def _save_traceback(exc: BaseException, argv: Sequence[str] | None) -> Path | None:
    """The full traceback in a file of the system's temporary folder (not on screen: the
    contributor needs one clear line, the maintainer the details)."""
    import tempfile
    import traceback

    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - kept, not deleted
            "w", encoding="utf-8", prefix="dl4mic-hub-crash-", suffix=".txt", delete=False
        )
        with handle:
            handle.write(f"dl4mic-hub {__version__}, Python {sys.version.split()[0]}\n")
            handle.write(f"arguments: {list(sys.argv[1:] if argv is None else argv)}\n\n")
            handle.write("".join(traceback.format_exception(exc)))
        return Path(handle.name)
    except OSError:
        return None


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit raises no second error."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (tests capture it): nothing to flush
        pass


def run() -> None:
    """The console script: :func:`main`, then exit without a last walk of the collector over
    every object (a loaded catalogue is millions of them; ~1 s at 10,000 entries)."""
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
