"""The static-site generators that can build the language sites, run through their own CLI.

All three read the MkDocs configuration format and Material's theme: MkDocs 1.6 (the default),
ProperDocs (MkDocs 1.x continued by its former maintainers) and Zensical (by Material's
authors). Each language is built by one subprocess of the chosen generator; the languages
build in parallel. The generator's output is kept, shown line by line if asked, and turned
into ``path:line:col`` diagnostics when the build fails.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Origin, Severity, UsageError, error, warning

GENERATOR_ENV = "DL4MIC_GENERATOR"
#: The setting of ``mkdocs.yml`` that chooses the generator (``extra`` is the only place all
#: generators accept keys of ours; ``extra.generator`` is taken by Material).
CONFIG_KEY = "site_generator"
DEFAULT_GENERATOR = "mkdocs"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_EXCEPTION_LINE = re.compile(r"^(?:[\w.]+(?:Error|Exception)): (.+)$")


@dataclass(frozen=True)
class Generator:
    name: str
    module: str  # run as `python -m <module>`: the copy installed next to dl4mic-hub
    requirement: str  # what to install, for the hint when it is missing
    log_line: re.Pattern[str]  # a warning or error line: groups `level` and `message`
    # Zensical rewrites every relative href and src of a page as if written relative to its
    # Markdown file (MkDocs leaves raw HTML alone): the render stage writes links to match.
    links_from_source: bool = False

    def installed(self) -> bool:
        return importlib.util.find_spec(self.module) is not None

    def version(self) -> str:
        try:
            return importlib.metadata.version(self.module)
        except importlib.metadata.PackageNotFoundError:
            return "?"

    def build_command(self, config_file: Path, strict: bool) -> list[str]:
        return [sys.executable, "-m", self.module, "build", "-f", config_file.name,
                *(["--strict"] if strict else [])]


_MKDOCS_LOG = re.compile(r"^(?P<level>WARNING|ERROR)\s*-\s+(?P<message>.*)$")
GENERATORS: dict[str, Generator] = {
    "mkdocs": Generator("mkdocs", "mkdocs", "mkdocs>=1.6,<2", _MKDOCS_LOG),
    "properdocs": Generator("properdocs", "properdocs", "properdocs==1.6.7", _MKDOCS_LOG),
    "zensical": Generator(
        "zensical", "zensical", "zensical==0.0.73",
        re.compile(r"^(?P<level>Warning|Error):\s*(?P<message>.*)$"),
        links_from_source=True,
    ),
}


def choose_generator(cli_value: str | None, extra: dict[str, Any], config_origin: Origin
                     ) -> Generator:
    """The generator named by the command line, else ``$DL4MIC_GENERATOR``, else
    ``extra.site_generator`` in ``mkdocs.yml``, else MkDocs. It must be installed."""
    env_value = os.environ.get(GENERATOR_ENV)
    name, where = (
        (cli_value, Origin("--generator")) if cli_value
        else (env_value, Origin(f"${GENERATOR_ENV}")) if env_value
        else (extra.get(CONFIG_KEY), config_origin) if extra.get(CONFIG_KEY)
        else (DEFAULT_GENERATOR, Origin("--generator"))
    )
    generator = GENERATORS.get(str(name).strip().lower())
    if generator is None:
        raise UsageError([error(where, f"unknown site generator '{name}'",
                                f"choose one of {', '.join(GENERATORS)}")])
    if not generator.installed():
        raise UsageError([error(
            where, f"the site generator '{generator.name}' is not installed",
            f"pip install '{generator.requirement}' (or pip install -e '.[{generator.name}]')")])
    return generator


@dataclass
class GeneratorRun:
    """One language built by one generator process."""

    lang: str
    generator: Generator
    returncode: int = -1
    seconds: float = 0.0
    output: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def diagnostics(self, config_origin: Origin) -> list[Diagnostic]:
        """The warnings and errors of the output; when the generator failed without a
        recognisable message, its last lines (a crash, a configuration error...)."""
        severity = Severity.WARNING if self.ok else Severity.ERROR
        found = []
        lines = self.output
        for index, line in enumerate(lines):
            match = self.generator.log_line.match(line.strip())
            if match is None:
                continue
            message = match["message"].strip()
            found.append(_diagnostic(severity, self._origin(message, lines[index + 1:index + 3],
                                                            config_origin),
                                     f"{self.lang}: {self.generator.name}: {message}"))
        if not self.ok and not any(d.severity is Severity.ERROR for d in found):
            # A crash: its exception's message says what went wrong, the traceback does not.
            crash = [m[1] for m in map(_EXCEPTION_LINE.match, lines) if m]
            said = crash[-1:] or [line.strip() for line in lines if line.strip()][-3:]
            found.append(error(config_origin, f"{self.lang}: {self.generator.name} failed "
                               f"(exit code {self.returncode}): " + " | ".join(said),
                               "fix the configuration or the template it names"))
        return found

    def _origin(self, message: str, following: Sequence[str], config_origin: Origin) -> Origin:
        # Zensical puts `╭─[ page.md:40:10 ]` on the next line; MkDocs names "Doc file 'x.md'".
        for line in following:
            located = re.search(r"\[\s*(\S+\.md):(\d+):(\d+)\s*\]", line)
            if located:
                return Origin(f"{self.lang}/{located[1]}", int(located[2]), int(located[3]))
        named = re.search(r"(?:Doc file|page) '([^']+\.md)'", message)
        return Origin(f"{self.lang}/{named[1]}") if named else config_origin


def _diagnostic(severity: Severity, origin: Origin, message: str) -> Diagnostic:
    hint = ("the page is generated from the catalogue: `dl4mic-hub build --keep-docs DIR` keeps "
            "its Markdown for a look" if origin.path.endswith(".md") else "")
    make = error if severity is Severity.ERROR else warning
    return make(origin, message, hint)


def run_generators(
    generator: Generator,
    configs: dict[str, Path],
    *,
    strict: bool,
    echo: Callable[[str], None] | None = None,
) -> list[GeneratorRun]:
    """Build each language (``lang -> its config file``) in its own process, all at once.

    ``echo`` receives every output line as it comes (prefixed with the language). On any
    exception, Ctrl-C or SIGTERM included, the processes are stopped before it propagates.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
    runs = [GeneratorRun(lang, generator) for lang in configs]
    processes: list[subprocess.Popen[str]] = []
    readers: list[threading.Thread] = []
    start = time.perf_counter()
    try:
        for run in runs:
            config = configs[run.lang]
            process = subprocess.Popen(
                generator.build_command(config, strict), cwd=config.parent, env=env,
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                text=True, encoding="utf-8", errors="replace",
            )
            processes.append(process)
            reader = threading.Thread(target=_read_output, args=(process, run, echo, start),
                                      daemon=True)
            reader.start()
            readers.append(reader)
        for run, process in zip(runs, processes, strict=True):
            run.returncode = process.wait()
    except BaseException:
        stop_processes(processes)
        raise
    finally:
        for reader in readers:
            reader.join(timeout=5)
    return runs


def _read_output(process: subprocess.Popen[str], run: GeneratorRun,
                 echo: Callable[[str], None] | None, start: float) -> None:
    assert process.stdout is not None
    with process.stdout:
        for raw in process.stdout:
            line = _ANSI.sub("", raw.rstrip("\n"))
            run.output.append(line)
            if echo is not None and line.strip():
                echo(f"{run.lang}: {line}")
    run.seconds = time.perf_counter() - start  # the output ends when the process does


def stop_processes(processes: Sequence[subprocess.Popen[Any]], grace: float = 5.0) -> None:
    """Terminate the processes still running, then kill those that do not stop in time."""
    running = [p for p in processes if p.poll() is None]
    for process in running:
        process.terminate()
    deadline = time.monotonic() + grace
    for process in running:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
