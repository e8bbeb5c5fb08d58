"""`dl4mic-hub check-links` as a user runs it: exit codes, reports, cache, host rules, --since.

Catalogue URLs are rewritten to point at a FakeHost on a loopback address: no test touches
the real web.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from markdown_it import MarkdownIt
from support.fakeweb import FakeHost

from dl4mic_hub.check.cache import Cache
from dl4mic_hub.check.engine import Result
from dl4mic_hub.cli import main

MINIMAL = Path(__file__).parent / "fixtures" / "catalogues" / "minimal"
# The fake web lives on loopback addresses, which the checker refuses unless allowed.
FAST = ["--timeout", "0.5", "--connect-timeout", "0.5", "--backoff", "0.05", "--no-progress",
        "--allow-private"]


@pytest.fixture
def web() -> Iterator[FakeHost]:
    with FakeHost("127.0.0.6") as server:
        yield server


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check-links", *FAST, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def url_list(tmp_path: Path, *urls: str) -> Path:
    path = tmp_path / "urls.txt"
    path.write_text("# a comment\n\n" + "\n".join(urls) + "\n", encoding="utf-8")
    return path


def local_catalogue(tmp_path: Path, web: FakeHost, broken: bool = False) -> Path:
    """The minimal fixture with every URL pointing at ``web`` (the first one 404 if broken)."""
    root = tmp_path / "catalogue"
    shutil.copytree(MINIMAL, root)
    count = 0
    for path in sorted(root.rglob("*.yml")):
        text = path.read_text(encoding="utf-8")

        def local(match: re.Match[str]) -> str:
            nonlocal count
            count += 1
            return web.url("status/404" if broken and count == 1 else f"ok/{count}")

        path.write_text(re.sub(r"https?://[^\s)\"'>]+", local, text), encoding="utf-8")
    assert count >= 3
    return root


def test_all_ok_exits_0_and_says_so(
    tmp_path: Path, web: FakeHost, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--no-cache", "--urls", str(url_list(tmp_path, web.url("ok"))))
    assert code == 0
    assert "1 URL(s) checked" in out and "0 broken" in out


def test_broken_link_exits_1_and_points_at_the_line(
    tmp_path: Path, web: FakeHost, capsys: pytest.CaptureFixture[str]
) -> None:
    urls = url_list(tmp_path, web.url("ok"), web.url("status/404"), web.url("status/403"))
    code, out, _ = run(capsys, "--no-cache", "--urls", str(urls))
    assert code == 1
    assert out.index("Broken (1)") < out.index("Could not verify (warnings) (1)")
    assert f"{urls.as_posix()}:4:1" in out or "urls.txt:4:1" in out


def test_warnings_alone_do_not_fail(
    tmp_path: Path, web: FakeHost, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run(capsys, "--no-cache", "--urls", str(url_list(tmp_path, web.url("status/999"))))
    assert code == 0


def test_json_report(tmp_path: Path, web: FakeHost, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "--no-cache",
        "--format",
        "json",
        "--urls",
        str(url_list(tmp_path, web.url("redirect/1/ok"), web.url("status/410"))),
    )
    data = json.loads(out)
    assert code == 1 and data["summary"]["broken"] == 1 and data["summary"]["ok"] == 1
    first = data["results"][0]
    assert first["verdict"] == "ok" and first["redirects"][0]["status"] == 301
    assert first["origins"][0].endswith("urls.txt:3:1")
    assert data["summary"]["max_in_flight_per_host"]["127.0.0.6"] >= 1
    assert "2 URL(s) checked" in err


def test_markdown_report_for_a_job_summary(
    tmp_path: Path, web: FakeHost, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(
        capsys,
        "--no-cache",
        "--format",
        "markdown",
        "--urls",
        str(url_list(tmp_path, web.url("status/404"), web.url("status/401"))),
    )
    assert out.startswith("## Link check")
    assert "| broken | 1 |" in out and "### Broken (1)" in out and "### Could not verify" in out
    assert f"<{web.url('status/404')}>" in out


def test_markdown_report_keeps_its_table_whatever_the_file_is_called(
    tmp_path: Path, web: FakeHost, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "a|b<i>`c"
    folder.mkdir()
    urls = url_list(folder, web.url("status/404"))
    _, out, _ = run(capsys, "--no-cache", "--format", "markdown", "--urls", str(urls))
    tokens = MarkdownIt("commonmark").enable("table").parse(out)
    cells = [token for before, token in itertools.pairwise(tokens) if before.type == "td_open"]
    url, where, why = (cell.children or [] for cell in cells[-3:])  # the broken link's row
    assert [c.content for c in url if c.type == "text"] == [web.url("status/404")]
    assert [c.type for c in where] == ["code_inline"]
    assert where[0].content.endswith("a|b<i>`c/urls.txt:3:1")
    assert "404" in "".join(c.content for c in why)


def test_markdown_report_shows_what_a_server_sent_as_text(
    tmp_path: Path, web: FakeHost, capsys: pytest.CaptureFixture[str]
) -> None:
    # redirect targets come from remote servers: in the report (a GitHub job summary) they are
    # text, never markup
    target = "/status/404?<img src=x onerror=alert(1)>&amp"
    urls = url_list(tmp_path, web.url("goto/" + quote(target, safe="")))
    _, out, _ = run(capsys, "--no-cache", "--format", "markdown", "--urls", str(urls))
    tokens = MarkdownIt("commonmark").enable("table").parse(out)
    inline = [child for token in tokens for child in token.children or []]
    assert not [child for child in inline if child.type in ("html_inline", "html_block")]
    why = [t for before, t in itertools.pairwise(tokens) if before.type == "td_open"][-1]
    shown = "".join(child.content for child in why.children or [] if child.type == "text")
    assert "<img" in shown or "%3Cimg" in shown, shown  # readable, as the server sent it


def test_github_annotations_point_at_the_yaml_line(
    tmp_path: Path, web: FakeHost, capsys: pytest.CaptureFixture[str]
) -> None:
    root = local_catalogue(tmp_path, web, broken=True)
    code, out, _ = run(
        capsys, "--no-cache", "--catalogue", str(root), "--no-rules", "--format", "github"
    )
    assert code == 1
    annotation = next(line for line in out.splitlines() if line.startswith("::error"))
    match = re.match(r"::error file=([^,]+),line=(\d+),col=(\d+)::broken link (\S+?): ", annotation)
    assert match, annotation
    path, line, col, url = match.groups()
    written = Path(path.replace("%3A", ":")).read_text(encoding="utf-8").splitlines()[int(line) - 1]
    assert written[int(col) - 1 :].startswith(url)


def test_addresses_in_curation_notes_are_evidence_and_never_fetched(
    tmp_path: Path, web: FakeHost, capsys: pytest.CaptureFixture[str]
) -> None:
    # curation is for maintainers (not shown to readers): a dead or private address cited there
    # as evidence must neither fail the check nor make the checker fetch it
    root = local_catalogue(tmp_path, web)
    path = root / "resources" / "cellpose.yml"
    evidence = web.url("status/404")
    path.write_text(
        path.read_text(encoding="utf-8")
        + f'curation:\n  - "URL seen in [an old list]({evidence}) and at {evidence}"\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "--no-cache", "--catalogue", str(root), "--no-rules")
    assert code == 0, out
    assert web.stats.count("/status/404") == 0
    assert web.stats.count("/ok/1") >= 1  # the entry's own links are still checked


def test_cache_reuses_ok_results_and_rechecks_failures(
    tmp_path: Path, web: FakeHost, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache" / "linkcheck.json"
    urls = url_list(tmp_path, web.url("ok"), web.url("status/404"))
    assert run(capsys, "--cache", str(cache), "--urls", str(urls))[0] == 1
    stored = json.loads(cache.read_text(encoding="utf-8"))["entries"]
    assert list(stored) == [web.url("ok")]  # failures are never cached
    code, out, _ = run(capsys, "--cache", str(cache), "--urls", str(urls))
    assert code == 1 and "(1 from the cache)" in out
    assert web.stats.count("/ok") == 1  # not asked again
    assert web.stats.count("/status/404") == 4  # HEAD + GET, on each run
    run(capsys, "--cache", str(cache), "--max-age", "0s", "--urls", str(urls))
    assert web.stats.count("/ok") == 2  # expired: checked again
    run(capsys, "--no-cache", "--urls", str(urls))
    assert web.stats.count("/ok") == 3


def test_a_cached_result_keeps_its_redirect_chain(
    tmp_path: Path, web: FakeHost, capsys: pytest.CaptureFixture[str]
) -> None:
    # "HTTP 200 after 1 redirect(s)" came back from the cache with "redirects": []
    cache = tmp_path / "linkcheck.json"
    urls = url_list(tmp_path, web.url("redirect/1/ok"))
    report = tmp_path / "report.json"
    options = ["--cache", str(cache), "--urls", str(urls), "--format", "json"]
    chains = []
    for _ in range(2):
        run(capsys, *options, "--output", str(report))
        (result,) = json.loads(report.read_text(encoding="utf-8"))["results"]
        chains.append((result["cached"], result["redirects"]))
    assert chains[1] == (True, chains[0][1]) and chains[0][1]
    # a chain damaged in the file is dropped, not half read
    data = json.loads(cache.read_text(encoding="utf-8"))
    data["entries"][web.url("redirect/1/ok")]["redirects"] = [[301, "x"], ["302", 5]]
    cache.write_text(json.dumps(data), encoding="utf-8")
    run(capsys, *options, "--output", str(report))
    (result,) = json.loads(report.read_text(encoding="utf-8"))["results"]
    assert (result["cached"], result["redirects"]) == (True, [])


@pytest.mark.parametrize("checked_at", [float("nan"), float("inf"), 1e300, "yesterday"])
def test_a_cached_time_that_is_no_past_time_is_never_fresh(
    checked_at: object, tmp_path: Path, web: FakeHost, capsys: pytest.CaptureFixture[str]
) -> None:
    # before, NaN or a time to come made the entry fresh for ever: the link never checked again
    url = web.url("status/404")
    cache = tmp_path / "cache.json"
    entry = {"checked_at": checked_at, "status": 200, "reason": "ok"}
    cache.write_text(json.dumps({"version": 1, "entries": {url: entry}}), encoding="utf-8")
    code, _, err = run(capsys, "--urls", str(url_list(tmp_path, url)), "--cache", str(cache))
    assert "cache" not in err  # the file was read
    assert code == 1  # asked again: 404
    assert web.stats.count("/status/404") >= 1


@pytest.mark.parametrize("stale", [{"checked_at": 86400 * 365, "status": 200},
                                   {"checked_at": -86400 * 365, "status": 200}, 5],
                         ids=["to-come", "expired", "not-an-entry"])
def test_the_saved_cache_keeps_only_what_a_later_run_would_trust(
    stale: object, tmp_path: Path, web: FakeHost, capsys: pytest.CaptureFixture[str]
) -> None:
    # a time to come was never fresh, but saving kept it for ever; an entry that was no
    # mapping crashed the save (exit 3)
    cache = tmp_path / "cache.json"
    now = time.time()
    if isinstance(stale, dict):
        stale = {**stale, "checked_at": now + stale["checked_at"]}
    entries = {"https://fresh.example/": {"checked_at": now - 60, "status": 200},
               "https://stale.example/": stale}
    cache.write_text(json.dumps({"version": 1, "entries": entries}), encoding="utf-8")
    urls = url_list(tmp_path, web.url("ok"))
    assert run(capsys, "--urls", str(urls), "--cache", str(cache))[0] == 0
    kept = json.loads(cache.read_text(encoding="utf-8"))["entries"]
    assert sorted(kept) == sorted(["https://fresh.example/", web.url("ok")])


def test_a_result_saved_at_once_is_kept_though_its_time_is_rounded_up(tmp_path: Path) -> None:
    # times are stored to the millisecond: refusing every time ahead of the clock dropped a
    # result saved within half a millisecond of its check
    cache = Cache(tmp_path / "cache.json")
    checked = time.time() + 0.4  # as far ahead as rounding (and more) can put it
    cache.update({"https://a.example/": Result("https://a.example/", "ok", "ok", 200,
                                               checked_at=checked)})
    cache.save()
    assert list(Cache(tmp_path / "cache.json").entries) == ["https://a.example/"]


def test_invalid_catalogue_exits_1_with_its_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "catalogue"
    shutil.copytree(MINIMAL, root)
    path = next((root / "resources").glob("*.yml"))
    path.write_text(
        path.read_text(encoding="utf-8").replace("kind: tool", "kind: gadget"), encoding="utf-8"
    )
    code, _, err = run(capsys, "--no-cache", "--catalogue", str(root))
    assert code == 1  # a problem in the input, as with 'validate'
    assert re.search(r"resources/\S+\.yml:\d+:\d+: error: .*gadget", err)
    assert "links were not checked" in err


def test_missing_catalogue_folder_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--no-cache", "--catalogue", str(tmp_path / "nope"))
    assert code == 2 and "the catalogue folder does not exist" in err


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--timeout", "nan"], "--timeout:1:1: error: --timeout must be a number of seconds, "
         "more than 0 and at most 86400 (a day), not nan (hint: the default is 15)"),
        (["--timeout", "1e300"], "--timeout:1:1: error: --timeout must be a number of seconds, "
         "more than 0 and at most 86400 (a day), not 1e+300 (hint: the default is 15)"),
        (["--deadline", "inf"], "--deadline:1:1: error: --deadline must be a number of seconds, "
         "more than 0 and at most 86400 (a day), not inf (hint: leave it out: twice --timeout)"),
        (["--retry-after-cap", "nan"], "--retry-after-cap:1:1: error: --retry-after-cap must be "
         "a number of seconds, at least 0 and at most 86400 (a day), not nan (hint: the default "
         "is 60)"),
        (["--connect-timeout", "-1"], "--connect-timeout:1:1: error: --connect-timeout must be a "
         "number of seconds, more than 0 and at most 86400 (a day), not -1.0 (hint: the default "
         "is 5)"),
        # each retry doubles its pause: 30 retries could wait 2**30 s on one URL
        (["--retries", "30"], "--retries:1:1: error: --retries must be at most 10, not 30 "
         "(hint: the default is 2; each retry waits twice as long as the one before)"),
        (["--retries", "10", "--backoff", "86400"], "--backoff:1:1: error: --backoff 86400 with "
         "--retries 10 could pause one URL for 88387200 s, more than 86400 (a day) (hint: lower "
         "--backoff or --retries (defaults: 1 s and 2))"),
        # said at the option with a hint, as the others (they read "check-links: error: ...")
        (["--concurrency", "0"], "--concurrency:1:1: error: --concurrency must be at least 1, "
         "not 0 (hint: the default is 64)"),
        (["--max-age", "3x"], "--max-age:1:1: error: --max-age must be a duration, not '3x' "
         "(hint: write e.g. 3d, 12h, 30m or 90s; a bare number is days; the default is 3d)"),
    ],
    ids=["nan", "huge", "infinite", "cap-nan", "negative", "retries", "pauses", "concurrency",
         "max-age"],
)
def test_a_duration_that_is_no_number_of_seconds_exits_2_before_any_request(
    options: list[str], message: str, tmp_path: Path, web: FakeHost,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # "nan" made every URL a warning at once; with a cap of nan any Retry-After was waited
    # for, a day as well as these 2 s; 1e300 made every request an internal error
    urls = url_list(tmp_path, web.url("ratelimit/2"))
    code, _, err = run(capsys, "--no-cache", "--urls", str(urls), *options)
    assert (code, err.splitlines()) == (2, [message])
    assert web.stats.hits == []


def test_url_list_from_a_windows_editor_is_read_as_written(
    tmp_path: Path, web: FakeHost, capsys: pytest.CaptureFixture[str]
) -> None:
    # a byte order mark made the first URL "not an http(s) URL"; a form feed inside a line made
    # every later line number one too high
    urls = tmp_path / "urls.txt"
    urls.write_bytes(b"\xef\xbb\xbf" + f"{web.url('ok')}\r\n# a\x0cnote\r\nwww.x.org\r\n".encode())
    code, _, err = run(capsys, "--no-cache", "--urls", str(urls))
    assert (code, err.splitlines()) == (2, [
        f"{urls}:3:1: error: not an http(s) URL: 'www.x.org' (hint: write the full address, "
        "starting with https://)"])


def test_url_list_with_a_non_url_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--urls", str(url_list(tmp_path, "www.example.org")))
    assert code == 2 and "urls.txt:3:1: error: not an http(s) URL" in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "rules:\n  - host: doi.org\n    reason: short\n",
            r"rules\.yml:3:13: error: .*too short|must not be empty|reason",
        ),
        (
            "rules:\n  - host: doi.org\n    pattern: doi\n    reason: two selectors in one rule\n",
            r"rules\.yml:2:5: error: a rule needs exactly one of 'host' or 'pattern'",
        ),
        (
            "rules:\n  - pattern: '(unclosed'\n    reason: a broken regular expression\n",
            r"rules\.yml:2:14: error: the pattern is not a valid regular expression",
        ),
        (
            "rules:\n  - host: doi.org\n    folow: false\n    reason: a misspelt field name\n",
            r"rules\.yml:3:5: error: unknown field '.*folow'.*did you mean 'follow'",
        ),
        (
            "rules:\n  - host: doi.org\n    status: {404: fine}\n    reason: an unknown verdict\n",
            r"rules\.yml:3:\d+: error: .*fine",
        ),
        (  # a pattern is text anywhere in the URL: http://127.0.0.7/?intranet.example
            "rules:\n  - pattern: intranet\\.example\n    allow_private: true\n"
            "    reason: the wiki of our intranet\n",
            r"rules\.yml:3:5: error: allow_private needs a host rule: a pattern matches any URL "
            r"containing its text, whatever the host",
        ),
        (  # the rule covers sub-domains: any stranger's name under .org could be fetched at
            # a private address
            "rules:\n  - host: doi.org\n    reason: a fine rule\n  - host: ORG.\n"
            "    reason: a whole top-level domain\n    allow_private: true\n",
            r"rules\.yml:6:5: error: allow_private needs a host of two labels or more: 'org\.' "
            r"covers every site under it, whoever owns them \(hint: write the rule for the "
            r"intranet's host: 'host: wiki\.intranet\.example'\)",
        ),
        (
            "rules:\n  - host: doi.org\n    status: {not-found: ok}\n    reason: a status name\n",
            r"rules\.yml:3:14: error: 'rules\.status' has an invalid key 'not-found' \(hint: "
            r"A key is an HTTP status code: three digits, e\.g\. 404 or 503\.\)",
        ),
    ],
)
def test_host_rule_mistakes_exit_2_with_a_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    rules = tmp_path / "rules.yml"
    rules.write_text(text, encoding="utf-8")
    code, _, err = run(
        capsys, "--rules", str(rules), "--urls", str(url_list(tmp_path, "http://127.0.0.7/"))
    )
    assert code == 2
    assert re.search(message, err), err


def test_allow_private_is_accepted_for_one_site_or_one_address(tmp_path: Path) -> None:
    from dl4mic_hub.validate import load_host_rules

    rules_file = tmp_path / "rules.yml"
    rules_file.write_text("rules:\n" + "".join(
        f"  - host: '{host}'\n    allow_private: true\n    reason: our intranet\n"
        # localhost: every name under it is this machine (RFC 6761), no stranger's site
        for host in ("wiki.intranet.example", "10.0.0.5", "localhost")), encoding="utf-8")
    rules, problems = load_host_rules(rules_file)
    assert problems == []
    assert [rule.allow_private for rule in rules.rules] == [True] * 3


def test_the_project_rules_file_is_valid_and_every_rule_is_used() -> None:
    from dl4mic_hub.model import read_catalogue
    from dl4mic_hub.validate import load_host_rules

    root = Path(__file__).parent.parent / "catalogue"
    rules, problems = load_host_rules(root / "linkcheck.yml")
    assert problems == [] and rules.rules
    assert all(len(rule.reason) > 20 for rule in rules.rules)
    catalogue, _ = read_catalogue(root)
    assert rules.unused([url for url, _, _ in catalogue.urls()]) == []


def test_a_broken_rules_file_in_the_catalogue_stops_the_check_as_validate_does(
    tmp_path: Path, web: FakeHost, capsys: pytest.CaptureFixture[str]
) -> None:
    # the catalogue's linkcheck.yml is a catalogue file: validate reads it once for both
    root = local_catalogue(tmp_path, web)
    (root / "linkcheck.yml").write_text(
        "rules:\n  - host: example.org\n    reason: short\n", "utf-8")
    code, _, err = run(capsys, "--no-cache", "--catalogue", str(root))
    assert code == 1
    assert re.search(r"linkcheck\.yml:3:13: error: 'rules\.reason' is too short", err), err
    assert "links were not checked" in err
    assert web.stats.hits == []


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_since_checks_only_urls_added_after_a_revision(
    tmp_path: Path, web: FakeHost, capsys: pytest.CaptureFixture[str]
) -> None:
    root = local_catalogue(tmp_path, web)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    path = next((root / "resources").glob("*.yml"))
    old = re.search(r"^url: (\S+)$", path.read_text(encoding="utf-8"), re.M).group(1)
    new = web.url("status/404")
    path.write_text(
        path.read_text(encoding="utf-8").replace(f"url: {old}", f"url: {new}"), encoding="utf-8"
    )
    code, out, err = run(
        capsys,
        "--no-cache",
        "--catalogue",
        str(root),
        "--no-rules",
        "--since",
        "HEAD",
        "--format",
        "json",
    )
    assert out.startswith("{"), err
    data = json.loads(out)
    assert code == 1
    assert [r["url"] for r in data["results"]] == [new]
    assert web.stats.count("/status/404") == 2 and len(web.stats.hits) == 2


def test_since_an_unknown_revision_exits_2(
    tmp_path: Path, web: FakeHost, capsys: pytest.CaptureFixture[str]
) -> None:
    root = local_catalogue(tmp_path, web)
    _git(tmp_path, "init", "-q")
    code, _, err = run(capsys, "--catalogue", str(root), "--no-rules", "--since", "no-such-branch")
    assert code == 2 and "'no-such-branch' is not a known git revision" in err


def test_suggest_archive_asks_the_configured_api(
    tmp_path: Path, web: FakeHost, capsys: pytest.CaptureFixture[str]
) -> None:
    from pytest_httpserver import HTTPServer

    with HTTPServer(host="127.0.0.8") as archive:
        snapshot = "http://web.archive.org/web/2020/http://gone.example/"
        archive.expect_request("/wayback/available").respond_with_json(
            {"archived_snapshots": {"closest": {"available": True, "url": snapshot}}}
        )
        code, out, _ = run(
            capsys,
            "--no-cache",
            "--suggest-archive",
            "--archive-api",
            archive.url_for("/wayback/available"),
            "--urls",
            str(url_list(tmp_path, web.url("status/404"), web.url("ok"))),
        )
        assert code == 1 and f"archived copy: {snapshot}" in out
        assert len(archive.log) == 1  # only broken links are looked up


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("http://[::1/x", "the host of the URL is malformed"),
        ("https://example.org:8O80/", "the port '8O80' is not a number from 1 to 65535"),
        ("https://example.org:99999999/", "the port '99999999' is not a number"),
        ("https://user:secret@example.org:x/", "the port 'x' is not a number"),
    ],
)
def test_malformed_url_in_a_list_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    code, out, err = run(capsys, "--no-cache", "--urls", str(url_list(tmp_path, line)))
    assert code == 2 and out == ""
    assert f"urls.txt:3:1: error: {message}" in err and "Traceback" not in err
    assert "secret" not in err


def test_password_in_a_catalogue_url_is_refused_masked_and_located(
    tmp_path: Path, web: FakeHost, capsys: pytest.CaptureFixture[str]
) -> None:
    root = local_catalogue(tmp_path, web)
    path = next((root / "resources").glob("*.yml"))
    text = path.read_text(encoding="utf-8")
    old = re.search(r"^url: (\S+)$", text, re.M).group(1)
    path.write_text(text.replace(old, old.replace("http://", "http://alice:s3cr3t@")), "utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("url: "))
    # validate refuses it first, at its line, masked; no request is sent
    code, out, err = run(capsys, "--no-cache", "--catalogue", str(root), "--no-rules")
    assert code == 1 and "s3cr3t" not in out + err and "alice" not in out + err
    assert f"{path.name}:{line}:6: error: the URL 'http://***@" in err
    assert "user name or password" in err and "links were not checked" in err
    assert all(hit.path != old.split(web.netloc)[1] for hit in web.stats.hits)


def test_pull_request_adding_cloud_metadata_fails_without_fetching_it(
    tmp_path: Path, web: FakeHost, capsys: pytest.CaptureFixture[str]
) -> None:
    root = local_catalogue(tmp_path, web)
    _commit_all(tmp_path)
    path = next((root / "resources").glob("*.yml"))
    text = path.read_text(encoding="utf-8")
    old = re.search(r"^url: (\S+)$", text, re.M).group(1)
    path.write_text(text.replace(old, "http://169.254.169.254/latest/meta-data/"), "utf-8")
    # --allow-private (in FAST) does not lift the refusal of cloud metadata.
    code, out, _ = run(
        capsys, "--no-cache", "--catalogue", str(root), "--since", "HEAD", "--format", "github"
    )
    assert code == 1
    assert "::error file=" in out and "refused: 169.254.169.254 is a cloud metadata" in out


def test_pull_request_cannot_allow_itself_private_addresses(
    tmp_path: Path, web: FakeHost, capsys: pytest.CaptureFixture[str]
) -> None:
    root = local_catalogue(tmp_path, web)
    (root / "linkcheck.yml").write_text(
        "rules:\n  - host: example.org\n    reason: a rule that was there before\n", "utf-8"
    )
    _commit_all(tmp_path)
    (root / "linkcheck.yml").write_text(
        "rules:\n  - host: example.org\n    reason: a rule that was there before\n"
        "  - host: 127.0.0.6\n    allow_private: true\n    reason: added by the pull request\n",
        "utf-8",
    )
    path = next((root / "resources").glob("*.yml"))
    text = path.read_text(encoding="utf-8")
    old = re.search(r"^url: (\S+)$", text, re.M).group(1)
    path.write_text(text.replace(old, web.url("ok/new")), "utf-8")
    argv = ["check-links", "--no-progress", "--no-cache", "--catalogue", str(root)]
    code = main([*argv, "--since", "HEAD"])
    out, err = capsys.readouterr()
    assert code == 1 and "127.0.0.6 is a loopback address" in out
    assert "linkcheck.yml:4:5: warning: allow_private for 127.0.0.6 is new since HEAD" in err
    assert web.stats.hits == []
    # Once merged (a full check, no --since), the rule is honoured.
    assert main(argv) == 0
    assert web.stats.count("/ok/new") >= 1


def _commit_all(folder: Path) -> None:
    _git(folder, "init", "-q")
    _git(folder, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    _git(folder, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")


def test_the_installed_package_ships_no_test_server() -> None:
    # The fake web is test code (tests/support/fakeweb.py): nothing under src/ may serve HTTP,
    # but the preview server of `dl4mic-hub serve`.
    import dl4mic_hub

    package = Path(dl4mic_hub.__file__).parent
    serving = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if re.search(r"^\s*(from|import) (http\.server|socketserver)\b",
                     path.read_text(encoding="utf-8"), re.M)
    ]
    assert serving == ["serve.py"]


@pytest.mark.parametrize("both", [["--rules", "rules.yml", "--no-rules"],
                                  ["--cache", "c.json", "--no-cache"]])
def test_an_option_and_its_opposite_together_are_a_usage_error(
    both: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    # the help shows them as alternatives ([--rules FILE | --no-rules]): both were accepted,
    # and one silently won
    with pytest.raises(SystemExit) as stopped:  # argparse's own usage error
        run(capsys, "--urls", str(url_list(tmp_path, "http://127.0.0.1:9/")), *both)
    assert stopped.value.code == 2
    assert f"argument {both[-1]}: not allowed with argument {both[0]}" in capsys.readouterr().err
