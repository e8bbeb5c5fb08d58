"""Reports of a run: a text summary grouped by verdict, JSON, Markdown and GitHub annotations.

Every URL is reported at each place it is written (``file:line:col``), because that is what
a maintainer edits.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..diagnostics import Diagnostic, Origin, Severity
from .engine import Result

ORDER = ("broken", "warn", "ok")
TITLES = {"broken": "Broken", "warn": "Could not verify (warnings)", "ok": "OK"}


@dataclass
class Report:
    results: list[Result]
    origins: dict[str, list[Origin]]
    elapsed: float
    max_in_flight: dict[str, int]

    def by_verdict(self, verdict: str) -> list[Result]:
        return [r for r in self.results if r.verdict == verdict]

    def counts(self) -> dict[str, int]:
        return {v: len(self.by_verdict(v)) for v in ORDER}

    def summary(self) -> str:
        c = self.counts()
        cached = sum(1 for r in self.results if r.cached)
        return (
            f"{len(self.results)} URL(s) checked in {self.elapsed:.1f} s: {c['ok']} ok "
            f"({cached} from the cache), {c['warn']} warning(s), {c['broken']} broken"
        )


# Every format but JSON holds the summary line: what tells a report from any other file.
_SUMMARY_LINE = re.compile(r"^\d+ URL\(s\) checked in \d+\.\d s: ", re.MULTILINE)


def is_a_report(text: str) -> bool:
    """Whether ``text`` is a report this command wrote (in any format): ``--output`` replaces
    such a file, and refuses any other (a README, a config), which the report would destroy.
    The JSON report is known by its start (see format_json), the others by their summary
    line."""
    return text.startswith('{\n  "summary": ') or bool(_SUMMARY_LINE.search(text))


def _where(report: Report, result: Result) -> list[Origin]:
    return report.origins.get(result.url, [])


def _details(result: Result) -> str:
    parts = [result.reason]
    if result.redirects:
        parts.append("via " + " → ".join(f"{s} {u}" for s, u in result.redirects))
    if result.note:
        parts.append(result.note)
    if result.archive:
        parts.append(f"archived copy: {result.archive}")
    return "; ".join(parts)


def format_text(report: Report, verbose: bool = False) -> str:
    lines: list[str] = []
    for verdict in ORDER:
        items = report.by_verdict(verdict)
        if not items or (verdict == "ok" and not verbose):
            continue
        lines.append(f"{TITLES[verdict]} ({len(items)}):")
        for result in items:
            lines.append(f"  {result.url}")
            lines.append(f"      {_details(result)}")
            lines.extend(f"      at {origin}" for origin in _where(report, result))
        lines.append("")
    notes = [r for r in report.by_verdict("ok") if r.note and not r.cached]
    if notes and not verbose:
        lines.append(f"Notes ({len(notes)}):")
        lines.extend(f"  {r.url}: {r.note}" for r in notes)
        lines.append("")
    lines.append(report.summary())
    return "\n".join(lines) + "\n"


def format_json(report: Report) -> str:
    return (
        json.dumps(
            {
                "summary": {
                    **report.counts(),
                    "total": len(report.results),
                    "cached": sum(1 for r in report.results if r.cached),
                    "elapsed": round(report.elapsed, 3),
                    "max_in_flight_per_host": report.max_in_flight,
                },
                "results": [
                    {**r.to_json(), "origins": [str(o) for o in _where(report, r)]}
                    for r in report.results
                ],
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    """``text`` as a code span in a table cell: its pipes escaped like any cell's, and fenced
    by more backticks than it holds in a row, so no file name can end the span or the row."""
    text = _md(text)
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def format_markdown(report: Report) -> str:
    c = report.counts()
    lines = [
        "## Link check",
        "",
        "| verdict | URLs |",
        "|---|---:|",
        f"| broken | {c['broken']} |",
        f"| warning | {c['warn']} |",
        f"| ok | {c['ok']} |",
        "",
        report.summary(),
        "",
    ]
    for verdict in ("broken", "warn"):
        items = report.by_verdict(verdict)
        if not items:
            continue
        lines += [
            f"### {TITLES[verdict]} ({len(items)})",
            "",
            "| URL | where | why |",
            "|---|---|---|",
        ]
        for result in items:
            where = "<br>".join(_code(str(o)) for o in _where(report, result)) or "—"
            # details quote what servers sent (redirect targets): text, never markup
            why = _md(html.escape(_details(result), quote=False))
            lines.append(f"| <{_md(result.url)}> | {where} | {why} |")
        lines.append("")
    return "\n".join(lines)


def diagnostics(report: Report) -> list[Diagnostic]:
    """One diagnostic per place a broken or unverified URL is written."""
    found: list[Diagnostic] = []
    for result in report.results:
        if result.verdict == "ok":
            continue
        severity = Severity.ERROR if result.verdict == "broken" else Severity.WARNING
        word = "broken link" if result.verdict == "broken" else "could not verify"
        hint = (
            "fix or replace the address, or remove it"
            if result.verdict == "broken"
            else "check it in a browser; add a host rule in catalogue/linkcheck.yml if it is fine"
        )
        if result.archive:
            hint = f"an archived copy exists: {result.archive}"
        for origin in _where(report, result) or [Origin("<urls>")]:
            found.append(
                Diagnostic(origin, severity, f"{word} {result.url}: {_details(result)}", hint)
            )
    return found


def format_github(report: Report) -> str:
    lines = [d.format_github() for d in diagnostics(report)]
    lines.append(report.summary())
    return "\n".join(lines) + "\n"


FORMATS = {
    "text": format_text,
    "json": format_json,
    "markdown": format_markdown,
    "github": format_github,
}


def render(report: Report, fmt: str, verbose: bool = False) -> str:
    if fmt == "text":
        return format_text(report, verbose)
    return FORMATS[fmt](report)


def sort_results(results: Sequence[Result], order: Sequence[str]) -> list[Result]:
    rank = {url: i for i, url in enumerate(order)}
    return sorted(results, key=lambda r: rank.get(r.url, len(rank)))
