"""Link health: what the link checker found reaches readers, and a link broken once is never
shown as broken. Offline, from report fixtures shaped like ``check-links --format json``."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest

from dl4mic_hub import LANGUAGES
from dl4mic_hub.diagnostics import UsageError, display_path
from dl4mic_hub.linkhealth import (
    BROKEN_AFTER_DAYS,
    BROKEN_AFTER_RUNS,
    LinkHealth,
    advance,
    load_link_health,
    parse_history,
    parse_report,
    write_history,
)
from dl4mic_hub.render import RenderedSite, render_site
from dl4mic_hub.validate import validate_catalogue

FIXTURES = Path(__file__).parent / "fixtures" / "export"
REPORT = FIXTURES / "link-report.json"
DAY = 86400.0
BETA = "https://beta.example.org/course"
GAMMA = "https://gamma.example.org/paper"


def report_text(days_later: float = 0, verdicts: dict[str, str] | None = None) -> str:
    """The fixture report, as if checked ``days_later`` days after it, with some verdicts
    changed."""
    data: dict[str, Any] = json.loads(REPORT.read_text(encoding="utf-8"))
    for result in data["results"]:
        if not result["cached"]:
            result["checked_at"] += days_later * DAY
        if verdicts and result["url"] in verdicts:
            result["verdict"] = verdicts[result["url"]]
    return json.dumps(data)


def runs(*days: float, verdicts: dict[float, dict[str, str]] | None = None) -> LinkHealth:
    health = None
    for day in days:
        health = advance(health, parse_report(report_text(day, (verdicts or {}).get(day)), "r"))
    assert health is not None
    return health


# --- counting runs ----------------------------------------------------------------------------
def test_one_broken_run_is_only_suspect() -> None:
    health = runs(0)
    assert health.broken() == []
    assert {s.url for s in health.suspect()} == {BETA, GAMMA, "https://delta.example.org/"}
    state = health.links[BETA]
    assert (state.broken_runs, state.broken_since, state.checked) == (1, "2026-03-01", "2026-03-01")


def test_broken_on_enough_runs_over_enough_days_is_broken() -> None:
    assert (BROKEN_AFTER_RUNS, BROKEN_AFTER_DAYS) == (3, 2)
    health = runs(0, 1, 2)
    assert [s.url for s in health.broken()] == [BETA, GAMMA]
    assert health.links[BETA].broken_runs == 3
    assert health.links[BETA].broken_since == "2026-03-01"
    assert health.links[GAMMA].archive == "https://web.archive.org/web/2025/https://gamma.example.org/paper"


def test_many_runs_within_a_day_are_not_enough() -> None:
    health = runs(0, 0.1, 0.2, 0.3)
    assert health.links[BETA].broken_runs == 4
    assert health.broken() == []


def test_an_ok_run_resets_the_count_and_a_warning_keeps_it() -> None:
    health = runs(0, 1, 2, 3, verdicts={1: {BETA: "ok"}, 2: {GAMMA: "warn"}})
    assert health.links[BETA].broken_runs == 2  # days 2 and 3 only
    assert health.links[BETA].last_ok == "2026-03-02"
    assert health.links[GAMMA].broken_runs == 3  # days 0, 1, 3; the warning neither adds nor resets
    assert [s.url for s in health.broken()] == [GAMMA]


def test_the_same_report_counts_once() -> None:
    report = parse_report(report_text(), "r")
    once = advance(None, report)
    assert advance(once, report) is once
    assert once.runs == 1


def test_history_survives_a_round_trip_and_garbage_is_read_as_nothing(tmp_path: Path) -> None:
    health = runs(0, 1, 2)
    path = tmp_path / "cache" / "history.json"
    write_history(health, path)
    again = parse_history(path.read_text(encoding="utf-8"))
    assert again is not None
    assert again.links == health.links and again.runs == 3
    link = '{"version": 1, "links": {"x": {"verdict": "ok", "checked": %s}}}'
    for garbage in ("", "[]", '{"version": 99}', '{"version": 1, "links": {"x": {"verdict": 1}}}',
                    link % "20260301", link % '"2026-03-01", "last_ok": 20260301',
                    link % '"2026-03-01", "archive": "javascript:alert(1)"'):
        parsed = parse_history(garbage)
        assert parsed is None or parsed.links == {}, garbage
    well_written = parse_history(link % '"2026-03-01"')
    assert well_written is not None and list(well_written.links) == ["x"]
    report = tmp_path / "report.json"
    report.write_text(report_text(), encoding="utf-8")
    assert load_link_health(report, tmp_path / "new.json").runs == 1  # a new history
    empty = tmp_path / "touched.json"  # a file made empty (touch, a fresh cache): nothing lost
    empty.write_text("", encoding="utf-8")
    assert load_link_health(report, empty).runs == 1


@pytest.mark.parametrize(("text", "why"), [
    ("my precious notes\n", "it is not a link history written by dl4mic-hub build"),
    ('{"version": 99, "links": {}}', "it is not a link history written by dl4mic-hub build"),
    (b"\xff\xfe\x00", "it is not text"),
])
def test_a_file_that_is_not_a_history_is_refused_not_replaced(
    tmp_path: Path, text: str | bytes, why: str
) -> None:
    # --link-history notes.txt replaced the notes; a damaged history lost every count silently
    path = tmp_path / "notes.txt"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    before = path.read_bytes()
    report = tmp_path / "report.json"
    report.write_text(report_text(), encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        load_link_health(report, path)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.format_text().startswith(
        f"{display_path(path)}:1:1: error: --link-history (or $DL4MIC_LINK_HISTORY): {why}, "
        "and the build would replace it (hint: give the history of earlier builds or a new "
        "file's path; if this is a damaged history, delete it to start a new one, where broken "
        "links count from zero)")
    assert path.read_bytes() == before


@pytest.mark.parametrize("text,message", [
    ("not json", "not a JSON link report"),
    ('{"summary": {}}', "no 'results' list"),
    ('{"results": [{"url": "https://x.org/", "verdict": "dead", "checked_at": 1}]}',
     "unknown verdict"),
    ('{"results": [{"url": "https://x.org/", "verdict": "ok"}]}', "'checked_at'"),
])
def test_a_file_that_is_not_a_report_is_a_usage_error(text: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_report(text, "links.json")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.origin.path == "links.json" and message in diagnostic.message
    assert "check-links --format json" in diagnostic.hint


def test_an_archive_that_is_not_https_is_ignored() -> None:
    data = json.loads(report_text())
    data["results"][3]["archive"] = "javascript:alert(1)"
    assert parse_report(json.dumps(data), "r").results[3].archive is None


# --- what readers see -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def catalogue(export_catalogue: Path) -> Any:
    result = validate_catalogue(export_catalogue)
    assert result.ok
    return result.catalogue


def page(rendered: RenderedSite, lang: str, path: str) -> str:
    return html.unescape(rendered.pages[lang][path])


def test_without_a_report_pages_say_nothing_about_links(catalogue: Any) -> None:
    rendered = render_site(catalogue)
    for lang in LANGUAGES:
        assert "link-health.md" not in rendered.pages[lang]
        assert all("link-health.md" not in item.values() for item in rendered.nav[lang])
        for text in rendered.pages[lang].values():
            assert "dl-link-checked" not in text and "dl-link-broken" not in text


def test_entry_pages_say_when_their_link_was_checked(catalogue: Any) -> None:
    rendered = render_site(catalogue, link_health=runs(0))
    fr = page(rendered, "fr", "resources/alpha-tool.md")
    # as a French reader writes a date, the ISO one kept for machines
    assert 'lien vérifié le <time datetime="2026-03-01">1er\u00a0mars\u00a02026</time>' in fr
    en = page(rendered, "en", "resources/book-epsilon.md")  # from the cache: checked earlier
    assert 'link checked on <time datetime="2026-02-27">27\u00a0February\u00a02026</time>' in en
    # broken once: neither a "checked" date (it failed) nor a notice
    beta = page(rendered, "en", "resources/beta-course.md")
    assert "dl-link-checked" not in beta and "dl-link-broken" not in beta
    sheets = page(rendered, "en", "cheatsheets.md")
    assert "dl-link-broken" not in sheets


def test_a_link_broken_for_a_while_gets_a_notice_with_its_archived_copy(catalogue: Any) -> None:
    rendered = render_site(catalogue, link_health=runs(0, 1, 2))
    beta = page(rendered, "en", "resources/beta-course.md")
    assert "Broken link" in beta
    assert ('has not answered since <time datetime="2026-03-01">1\u00a0March\u00a02026</time>'
            " (3 checks in a row)") in beta
    assert f'<a href="{BETA}">{BETA}</a>' in beta
    gamma = page(rendered, "fr", "resources/paper-gamma.md")
    assert "Lien cassé" in gamma
    assert ('<a href="https://web.archive.org/web/2025/https://gamma.example.org/paper">'
            "copie archivée</a>") in gamma
    assert "dl-link-checked" not in gamma
    # a link that still works keeps its date
    assert "dl-link-checked" in page(rendered, "en", "resources/alpha-tool.md")


def test_link_health_page_lists_broken_and_suspect_links_with_their_entries(
    catalogue: Any,
) -> None:
    rendered = render_site(catalogue, link_health=runs(0, 1, 2))
    for lang in LANGUAGES:
        assert any("link-health.md" in item.values() for item in rendered.nav[lang])
        assert 'href="link-health/"' in page(rendered, lang, "index.md")  # among other pages
    text = page(rendered, "en", "link-health.md")
    broken, suspect = text.split("## Doubtful links", 1)
    assert BETA in broken and GAMMA in broken
    assert 'href="../resources/beta-course/"' in broken  # the entry that holds the link
    assert "https://delta.example.org/" in suspect
    # what went wrong, in the page's language (the checker's reasons are English)
    assert "Not confirmed: HTTP 403 (access refused to robots)" in suspect
    fr = page(rendered, "fr", "link-health.md")
    assert "<td>HTTP 404 (page introuvable)</td>" in fr
    assert "<td>le nom du site ne correspond plus à aucun serveur (DNS)</td>" in fr
    assert "Non confirmé\u00a0: HTTP 403 (accès refusé aux robots)" in fr
    assert ('Latest check: <time datetime="2026-03-03">3\u00a0March\u00a02026</time>.'
            " Addresses checked: 5; broken: 2; doubtful: 1.") in text
    # label, then number: "1 douteuses" read wrong in French
    assert "Adresses vérifiées\u00a0: 5\u00a0; cassées\u00a0: 2\u00a0; douteuses\u00a0: 1." in fr
    assert "at least 3 checks in a row, over at least 2 days" in text


def test_a_report_older_than_the_catalogue_counts_only_its_addresses(catalogue: Any) -> None:
    # An entry deleted since the check: its link was listed with no entry and counted
    data = json.loads(report_text())
    gone = dict(next(r for r in data["results"] if r["url"] == BETA))
    gone.update(url="https://gone.example.org/", verdict="broken")
    data["results"].append(gone)
    health = advance(None, parse_report(json.dumps(data), "r"))
    text = page(render_site(catalogue, link_health=health), "en", "link-health.md")
    assert "gone.example.org" not in text
    assert "Addresses checked: 5; broken: 0; doubtful: 3." in text


def test_a_status_reached_after_retries_is_still_put_in_words(catalogue: Any) -> None:
    # the checker adds "after 3 attempts" to a 5xx it retried: that stayed in English
    data = json.loads(report_text())
    beta = next(r for r in data["results"] if r["url"] == BETA)
    beta.update(status=503, reason="HTTP 503 after 3 attempts", cause="status")
    health = advance(None, parse_report(json.dumps(data), "r"))
    text = page(render_site(catalogue, link_health=health), "fr", "link-health.md")
    assert "En échec\u00a0: HTTP 503 (erreur du serveur)" in text


@pytest.mark.parametrize(("cause", "status", "french"), [
    # a redirect loop also carries a status: "HTTP 301" alone would read as a plain redirect;
    # the French page said the checker's English "redirect loop"
    ("loop", 301, "En échec\u00a0: les redirections tournent en rond"),
    ("redirects", 302, "En échec\u00a0: trop de redirections"),
    ("", 301, "En échec\u00a0: redirect loop"),  # a report of an older checker: its own words
])
def test_a_redirect_loop_is_said_in_the_pages_language(
    catalogue: Any, cause: str, status: int, french: str
) -> None:
    data = json.loads(report_text())
    beta = next(r for r in data["results"] if r["url"] == BETA)
    beta.update(status=status, reason="redirect loop", cause=cause)
    health = advance(None, parse_report(json.dumps(data), "r"))
    text = page(render_site(catalogue, link_health=health), "fr", "link-health.md")
    assert french in text
    assert f"HTTP {status}" not in text


def test_a_bad_report_is_said_before_the_catalogue_is_read(
    make_catalogue: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dl4mic_hub.cli import main

    catalogue = make_catalogue("missing-field")  # a catalogue with an error too
    bad = tmp_path / "report.json"
    bad.write_text('{"results": "nope"}', encoding="utf-8")
    config = Path(__file__).resolve().parents[1] / "mkdocs.yml"
    code = main(["build", "--catalogue", str(catalogue), "--site-dir", str(tmp_path / "site"),
                 "--config", str(config), "--link-report", str(bad)])
    assert code == 2
    err = capsys.readouterr().err
    assert "report.json:1:1: error: not a link report" in err
    assert "stardist.yml" not in err  # no validation work before the setup problem
    assert not (tmp_path / "site").exists()


def test_a_history_without_a_report_is_a_usage_error(
    export_catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dl4mic_hub.cli import main

    config = Path(__file__).resolve().parents[1] / "mkdocs.yml"
    code = main(["build", "--catalogue", str(export_catalogue), "--site-dir",
                 str(tmp_path / "site"), "--config", str(config),
                 "--link-history", str(tmp_path / "history.json")])
    assert code == 2
    assert "a link history needs a link report" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()
