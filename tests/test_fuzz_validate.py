"""Fuzzing `dl4mic-hub validate` with mutated real catalogue files (hypothesis).

Each example takes one real file of catalogue/, damages it (bytes, lines, indentation, value
types, YAML features, Unicode: BOM, NUL, bidi controls, invalid UTF-8, very long lines), may
give it a hostile file name, lays it over a small catalogue and runs the real entry point
(`cli.main`, in-process). Whatever the input, the command must behave like a tool, not crash:

- no traceback and no internal error (exit 3): only 0 or 1;
- exit 1 exactly when an error is printed;
- every diagnostic line reads `path:line:col: error|warning: ...` with a file that exists and
  a line that it has; GitHub annotations likewise, one per line;
- each file is handled in bounded time (a generous bound: it catches blow-ups such as alias
  bombs or quadratic parsing, not slowness, which bench/ measures).

A second property holds the two YAML parsers to the same result: whenever libyaml's accepts a
text, PyYAML's pure-Python one gives the same located values.

Profiles (environment variable DL4MIC_FUZZ_PROFILE): `fast` (the default, for `make test`: a
few hundred examples, the same ones every run) and `long` (the scheduled CI job: thousands of
new examples each run).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_load import located_shape  # tests/ is on sys.path (pytest's default import mode)

from dl4mic_hub import load
from dl4mic_hub.cli import main
from dl4mic_hub.diagnostics import UNSAFE_CATEGORIES

PROJECT = Path(__file__).resolve().parent.parent
REAL = PROJECT / "catalogue"
MINIMAL = PROJECT / "tests" / "fixtures" / "catalogues" / "minimal"
REAL_FILES = sorted(p.relative_to(REAL) for p in REAL.glob("*/*.yml"))
TIME_BOUND = 20.0  # seconds for one file: far above the ~0.05 s it takes (2 shared cores)

settings.register_profile(
    "fast", max_examples=250, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long", max_examples=5000, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = settings.get_profile(os.environ.get("DL4MIC_FUZZ_PROFILE", "fast"))

# --- mutations ----------------------------------------------------------------------------------

HOSTILE_TEXT = [
    "\ufeff", "\x00", "\x07", "\x1b[31m", "\u202e", "\u2066", "\u200f", "\u2028", "\u2029",
    "\x85", "\r", "\r\n", "\t", "é", "😀", "e\u0301", "\ufffe", "\uffff", "\\", "'", '"', ":",
    ": ", " #", "- ", "? ", "[", "]", "{", "}", ",", "&a ", "*a", "!!float ", "!x ", "<<: ",
    "%YAML 1.1\n---\n", "---\n", "...\n", "|\n", ">-\n", "<b>", "](javascript:x)",
    "https://[::1/", "https://a.org:8O80/", "https://a.org:99999999/",
]
HOSTILE_BYTES = [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe2\x80", b"\xc0\xaf", b"\x00"]
HOSTILE_VALUES = [
    "[a, b]", "{a: 1}", "123", "-1", "1e999", ".nan", "true", "no", "null", "~", '""', "''",
    "9" * 5000, "0x_", "0b_", "1:30", "2026-02-30", "!!float x", "!!binary aGk=", "&a x", "*a",
    "[" * 300 + "]" * 300, "{a: " * 100 + "1" + "}" * 100, "=", "<<", "'" + "x" * 50_000 + "'",
    "https://example.org:8O80/", "https://[::1/", "https://exa mple.org", "javascript:alert(1)",
    # escapes for what a file may not hold as it is; the last one made PyYAML raise ValueError
    '"\\uDCFF"', '"a\\x01"', '"\\u2028"', '"\\e[31m"', '"\\U00110000"', '"x\\0"',
    '"\\uD83D\\uDE00"',
    '"https://e.org/x)<svg/onload=alert(1)>"', '"10.1038/x<b>"', '"a\\nb:1:1: error: forged"',
    # texts that made the Markdown scans quadratic (minutes for 200 KB)
    '"' + "```x\\n" * 30_000 + '"', '"' + "[a](" * 40_000 + '"', '"' + "<b>" * 40_000 + '"',
    '"' + "".join("`" * i + " a " for i in range(1, 300)) + '"', '"' + "[a](x) " * 20_000 + '"',
    '"' + "![a" * 40_000 + '"',
]
HOSTILE_NAMES = [
    None, "a:9:9: error: x.yml", "x\ny.yml", "\u202egnp.yml", "sp ace.yml", "é.yml", "b\\n.yml",
    "-.yml",
]


@st.composite
def mutation(draw: st.DrawFn, data: bytes) -> bytes:
    """One way of damaging a file, as people (or attackers) do."""
    kind = draw(st.sampled_from(["bytes", "line", "indent", "value", "insert", "long"]))
    lines = data.split(b"\n")
    at_line = draw(st.integers(0, max(0, len(lines) - 1)))
    if kind == "bytes":
        pos = draw(st.integers(0, len(data)))
        chunk = draw(st.sampled_from(HOSTILE_BYTES) | st.binary(min_size=1, max_size=4))
        cut = draw(st.integers(0, 3))
        return data[:pos] + chunk + data[pos + cut :]
    if kind == "line":
        action = draw(st.sampled_from(["delete", "duplicate", "swap"]))
        other = draw(st.integers(0, max(0, len(lines) - 1)))
        if action == "delete":
            del lines[at_line]
        elif action == "duplicate":
            lines.insert(other, lines[at_line])
        else:
            lines[at_line], lines[other] = lines[other], lines[at_line]
        return b"\n".join(lines)
    if kind == "indent":
        indent = draw(st.sampled_from([b" ", b"  ", b"\t", b"   ", b""]))
        lines[at_line] = indent + lines[at_line].lstrip(b" ")
        return b"\n".join(lines)
    if kind == "value":
        line = lines[at_line]
        key, sep, _ = line.partition(b": ")
        value = draw(st.sampled_from(HOSTILE_VALUES) | st.text(max_size=30)).encode(
            "utf-8", "surrogatepass")
        lines[at_line] = (key + b": " + value) if sep else (line + b" " + value)
        return b"\n".join(lines)
    if kind == "insert":
        pos = draw(st.integers(0, len(data)))
        text = draw(st.sampled_from(HOSTILE_TEXT) | st.text(min_size=1, max_size=8))
        return data[:pos] + text.encode("utf-8", "surrogatepass") + data[pos:]
    long = draw(st.sampled_from([b"x", b"a: ", b"- ", b"[", b"#"])) * draw(
        st.sampled_from([1000, 20_000, 100_000]))
    lines.insert(at_line, long)
    return b"\n".join(lines)


@st.composite
def damaged_file(draw: st.DrawFn) -> tuple[Path, bytes]:
    relative = draw(st.sampled_from(REAL_FILES))
    data = (REAL / relative).read_bytes()
    for _ in range(draw(st.integers(1, 3))):
        data = draw(mutation(data))
    name = draw(st.sampled_from(HOSTILE_NAMES))
    return (relative if name is None else relative.with_name(name)), data


# --- the command under test ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A small catalogue (the real vocabularies, the minimal fixture's entries) and the
    working directory next to it, so messages show catalogue/... paths."""
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(MINIMAL, root / "catalogue")
    shutil.rmtree(root / "catalogue" / "vocab")
    shutil.copytree(REAL / "vocab", root / "catalogue" / "vocab")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        yield root


DIAGNOSTIC = re.compile(
    r"^(?P<path>(?:[^:\\]|\\.)+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): .+$"
)
ANNOTATION = re.compile(
    r"^::(?P<severity>error|warning) file=(?P<path>[^,]*),line=(?P<line>\d+),col=(?P<col>\d+)::.+$"
)
ESCAPE = re.compile(r"\\(x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8}|.)")
NAMED = {"n": "\n", "r": "\r", "t": "\t"}


def unescape(path: str) -> str:
    """The inverse of Diagnostic.format_text's escaping of a path."""
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        return chr(int(code[1:], 16)) if len(code) > 1 else NAMED.get(code, code)

    return ESCAPE.sub(one, path)


def run_validate(fmt: str) -> tuple[int, str, str, float]:
    out, err = io.StringIO(), io.StringIO()
    start = time.monotonic()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["validate", "--catalogue", "catalogue", "--format", fmt])
    return code, out.getvalue(), err.getvalue(), time.monotonic() - start


def assert_points_at_a_real_line(path: str, line: int, col: int, where: str) -> None:
    target = Path(path)
    assert target.exists() or target.is_symlink(), f"no such file: {where}"
    assert line >= 1 and col >= 1, where
    if target.is_file():
        lines = target.read_bytes().count(b"\n") + 1
        assert line <= lines, f"{where}: the file has {lines} line(s)"


@FUZZ
@given(damaged=damaged_file(), fmt=st.sampled_from(["text", "github"]))
def test_validate_survives_any_damaged_file(workspace: Path, damaged: tuple[Path, bytes],
                                             fmt: str) -> None:
    relative, data = damaged
    target = workspace / "catalogue" / relative
    target.write_bytes(data)
    try:
        check_one_run(relative, fmt)
    finally:
        target.unlink()


def check_one_run(relative: Path, fmt: str) -> None:
    code, out, err, elapsed = run_validate(fmt)
    assert elapsed < TIME_BOUND, f"{relative}: {elapsed:.1f} s"
    assert "Traceback" not in out + err and "internal error" not in err, err
    assert code in (0, 1), err
    *diagnostics, summary = err.splitlines()
    assert re.fullmatch(r"catalogue: \d+ entries checked, .+", summary), summary
    if fmt == "github":
        assert diagnostics == []
        diagnostics = out.splitlines()
        pattern = ANNOTATION
    else:
        assert out == ""
        pattern = DIAGNOSTIC
    errors = 0
    for line in diagnostics:
        found = pattern.match(line)
        assert found, f"not one located message: {line!r}"
        assert not any(unicodedata.category(c) in UNSAFE_CATEGORIES for c in line), line
        if fmt == "text":
            path = unescape(found["path"])
        else:  # GitHub's escapes, then the visible ones (a backslash stays itself there)
            raw = found["path"].replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
            path = raw if Path(raw).exists() else unescape(raw)
        assert_points_at_a_real_line(path, int(found["line"]), int(found["col"]), line)
        errors += found["severity"] == "error"
    assert (code == 1) == (errors > 0), err


# --- the two parsers agree ------------------------------------------------------------------------


@FUZZ
@given(damaged=damaged_file())
def test_libyaml_accepts_nothing_the_python_parser_reads_otherwise(
    damaged: tuple[Path, bytes],
) -> None:
    _, data = damaged
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return  # never parsed
    try:
        fast = load.parse_with("c", text, "f.yml")
    except yaml.YAMLError:
        return  # parse_yaml then asks the Python parser
    if load._PYTHON_ONLY.search(text) or load._ODD_BREAK.search(text):
        return  # parse_yaml never gives this text to libyaml
    python = load.parse_with("python", text, "f.yml")
    assert located_shape(fast[0]) == located_shape(python[0])
    assert fast[1] == python[1]
