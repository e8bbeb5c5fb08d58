"""The link checker's verdicts, retries and politeness, against real servers on loopback.

Each FakeHost listens on its own address (127.0.0.2, 127.0.0.3...), which the checker treats
as distinct hosts (fixtures in conftest.py). Timeouts and backoffs are short so the whole file
runs in seconds.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from support.checking import FAST, check
from support.fakeweb import FakeHost, free_port

from dl4mic_hub.check.engine import Checker, Options, parse_retry_after
from dl4mic_hub.hostrules import HostRules, Rule


def test_redirect_chain_is_followed_recorded_and_a_permanent_move_suggested(host: FakeHost) -> None:
    result = check(host.url("redirect/3/ok"))
    assert result.verdict == "ok"
    assert [s for s, _ in result.redirects] == [301, 302, 301]
    assert result.final_url == host.url("ok")
    assert "moved permanently" in result.note and host.url("ok") in result.note


def test_redirect_loop_is_broken_and_named(host: FakeHost) -> None:
    result = check(host.url("loop/a"))
    assert (result.verdict, result.reason, result.cause) == ("broken", "redirect loop", "loop")
    assert host.stats.count("/loop/a") == 1 and host.stats.count("/loop/b") == 1


def test_too_many_redirects_is_broken(host: FakeHost) -> None:
    result = check(host.url("redirect/5/ok"), max_redirects=3)
    assert result.verdict == "broken" and "more than 3 redirects" in result.reason
    assert result.cause == "redirects"  # a code the pages put in words in each language


def test_redirect_to_a_missing_page_is_broken(host: FakeHost, other: FakeHost) -> None:
    result = check(host.url(f"to/{other.netloc}/status/404"))
    assert result.verdict == "broken" and "404" in result.reason and "1 redirect" in result.reason


@pytest.mark.parametrize("code", [404, 410, 400])
def test_client_errors_are_broken_at_once(host: FakeHost, code: int) -> None:
    result = check(host.url(f"status/{code}"))
    assert result.verdict == "broken" and result.attempts == 1
    # HEAD, then one GET (HEAD is unreliable), and no retry
    assert host.stats.count(f"/status/{code}") == 2


def test_persistent_500_is_retried_then_broken(host: FakeHost) -> None:
    result = check(host.url("status/500"), retries=2)
    assert result.verdict == "broken" and result.attempts == 3
    assert host.stats.count("/status/500", "GET") == 3
    # "HTTP 500 after 3 attempts": the status still says it all, for pages to put in words
    assert (result.status, result.cause) == (500, "status")


def test_503_then_200_is_ok_after_a_retry(host: FakeHost) -> None:
    result = check(host.url("flaky/503/2/a"))  # HEAD 503, GET 503, then HEAD 200
    assert result.verdict == "ok" and result.attempts == 2


def test_429_retry_after_is_honoured_without_early_retry(host: FakeHost) -> None:
    result = check(host.url("ratelimit/1"))
    assert result.verdict == "ok" and result.attempts == 2
    first, second = host.stats.times("/ratelimit/1")
    assert second - first >= 1.0


def test_retry_after_pauses_the_whole_host(host: FakeHost) -> None:
    urls = [host.url("ratelimit/1/1/a"), host.url("ok")]
    Checker(Options(**FAST, per_host=1)).run(urls)
    limited, ok = host.stats.times("/ratelimit/1/1/a")[0], host.stats.times("/ok")[0]
    assert ok - limited >= 1.0  # the other URL of the host waited for the pause


def test_retry_after_as_an_http_date_is_honoured(host: FakeHost) -> None:
    result = check(host.url("ratelimitdate/2"))
    assert result.verdict == "ok"
    first, second = host.stats.times("/ratelimitdate/2")
    assert second - first >= 1.0  # the date has a one-second resolution


def test_retry_after_beyond_the_cap_is_a_warning_without_retry(host: FakeHost) -> None:
    result = check(host.url("ratelimit/120"), retry_after_cap=2)
    assert result.verdict == "warn" and "Retry-After" in result.reason
    assert host.stats.count("/ratelimit/120") == 1


def test_head_refused_but_get_fine_is_ok(host: FakeHost) -> None:
    result = check(host.url("nohead"))
    assert result.verdict == "ok"
    assert [h.method for h in host.stats.hits] == ["HEAD", "GET"]


def test_host_that_refused_head_gets_get_directly_afterwards(host: FakeHost) -> None:
    Checker(Options(**FAST, per_host=1)).run([host.url("nohead"), host.url("nohead/2")])
    assert [h.method for h in host.stats.hits] == ["HEAD", "GET", "GET"]


def test_lone_slow_url_is_retried_before_the_warning(host: FakeHost) -> None:
    # Nothing else tells whether the host or the page is slow: one retry. The deadline leaves
    # room for it however late the first timeout is seen, so the count does not depend on load.
    result = check(host.url("slow/30"), timeout=0.5, deadline=10.0, retries=1)
    assert result.verdict == "warn" and "timeout" in result.reason
    assert result.attempts == 2 and host.stats.count("/slow/30") == 2


def test_slow_page_on_a_host_that_answers_others_is_not_retried(host: FakeHost) -> None:
    # The other pages are answered within milliseconds while the slow one stays silent for the
    # whole 1 s timeout: a margin no machine load closes (the decision needs the answers to
    # arrive before the timeout does).
    urls = [host.url("slow/30")] + [host.url(f"ok/{i}") for i in range(3)]
    results = Checker(Options(**{**FAST, "timeout": 1.0, "deadline": 10.0})).run(urls)
    slow = results[host.url("slow/30")]
    assert slow.verdict == "warn" and slow.attempts == 1 and "not retried" in slow.reason
    assert host.stats.count("/slow/30") == 1


def test_999_is_a_warning_at_once_not_a_retried_server_error(host: FakeHost) -> None:
    result = check(host.url("status/999"))
    assert result.verdict == "warn" and result.attempts == 1
    assert host.stats.count("/status/999") == 2  # HEAD, then GET; no retry


def test_host_with_the_most_urls_waiting_starts_first(host: FakeHost, other: FakeHost) -> None:
    # Under the global limit, the long queue starts before the single URL listed before it:
    # it is the host that would otherwise end the run.
    urls = [other.url("ok")] + [host.url(f"ok/{i}") for i in range(6)]
    Checker(Options(**FAST, concurrency=1)).run(urls)
    assert host.stats.hits[0].start < other.stats.hits[0].start


def test_big_body_is_not_downloaded(host: FakeHost) -> None:
    result = check(host.url("big/50"))
    assert result.verdict == "ok"
    assert host.stats.count("/big/50", "GET") == 1
    # 50 MB offered; the server could only push what fits in socket buffers before the close.
    assert host.stats.body_bytes_sent < 2 * 1024 * 1024


def test_per_host_cap_is_never_exceeded_and_work_is_spread(host: FakeHost, other: FakeHost) -> None:
    with FakeHost("127.0.0.4", latency=0.05) as slow:
        urls = [slow.url(f"ok/{i}") for i in range(30)] + [other.url(f"ok/{i}") for i in range(5)]
        checker = Checker(Options(**FAST, per_host=3, concurrency=8))
        results = checker.run(urls)
    assert all(r.verdict == "ok" for r in results.values())
    assert slow.stats.max_in_flight == 3  # measured by the server: reached, never exceeded
    assert checker.observed_max_in_flight()["127.0.0.4"] == 3
    assert len(slow.stats.hits) == 30


def test_refused_connection_and_dns_failure_are_broken_without_retry() -> None:
    refused = f"http://127.0.0.5:{free_port('127.0.0.5')}/page"
    results = Checker(Options(**FAST)).run([refused, "http://no-such-host.invalid/"])
    assert results[refused].verdict == "broken" and "refused" in results[refused].reason
    assert results[refused].attempts == 1
    dns = results["http://no-such-host.invalid/"]
    assert dns.verdict == "broken" and "DNS" in dns.reason and dns.attempts == 1
    # the cause travels as a code the pages put in words in each language
    assert (results[refused].cause, dns.cause) == ("refused", "dns")
    assert dns.to_json()["cause"] == "dns"


def test_dropped_connection_is_retried_then_a_warning(host: FakeHost) -> None:
    result = check(host.url("drop"), retries=1)
    assert result.verdict == "warn" and "dropped" in result.reason and result.attempts == 2


@pytest.mark.parametrize(
    ("path", "word", "cause"),
    [
        ("status/401", "login", "status"),
        ("status/403", "robots", "status"),
        ("status/999", "999", "status"),
        ("challenge", "challenge", "challenge"),
    ],
)
def test_answers_a_robot_cannot_verify_are_warnings(host: FakeHost, path: str, word: str,
                                                    cause: str) -> None:
    result = check(host.url(path))
    assert result.verdict == "warn" and word in result.reason
    assert result.cause == cause


def test_user_agent_is_honest_and_avoids_the_word_link(host: FakeHost) -> None:
    check(host.url("ok"))
    agent = host.stats.hits[0].user_agent
    assert agent.startswith("dl4mic-hub-checker/") and "(+https://" in agent
    assert "link" not in agent.lower()


def test_each_distinct_url_is_requested_once(host: FakeHost) -> None:
    results = Checker(Options(**FAST)).run([host.url("ok")] * 5)
    assert len(results) == 1 and host.stats.count("/ok") == 1


def test_resolver_rule_stops_at_the_redirect(host: FakeHost, other: FakeHost) -> None:
    rules = HostRules([Rule(reason="a DOI-like resolver", host="127.0.0.2", follow=False)])
    ok = check(host.url(f"to/{other.netloc}/status/403"), rules)
    assert ok.verdict == "ok" and other.stats.hits == []  # the publisher is never asked
    missing = check(host.url("status/404"), rules)
    assert missing.verdict == "broken"


def test_rule_can_warn_without_request_or_override_a_status(host: FakeHost) -> None:
    rules = HostRules(
        [
            Rule(
                reason="login wall",
                pattern=re.compile("/status/404$"),
                status={404: "warn"},
            ),
            Rule(reason="never answers robots", host="127.0.0.2", action="warn"),
        ]
    )
    results = Checker(Options(**FAST), rules).run([host.url("status/404"), host.url("ok")])
    assert (
        results[host.url("ok")].verdict == "warn"
        and "never answers robots" in results[host.url("ok")].reason
    )
    assert results[host.url("status/404")].verdict == "warn"
    assert host.stats.count("/ok") == 0


def test_parse_retry_after_reads_seconds_and_dates() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("soon") is None


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://[::1/x", "malformed"),
        ("http://[::1]x/", "malformed"),  # urlsplit accepts it; it would have been fetched
        ("http://[v1.x]/", "malformed"),
        ("https://example.org:8O80/", "'8O80' is not a number"),
        ("https://example.org:99999999/", "'99999999' is not a number"),
        ("ftp://example.org/file", "not an http(s) URL"),
    ],
)
def test_url_that_cannot_be_requested_is_broken_not_a_crash(url: str, why: str) -> None:
    result = check(url)
    assert result.verdict == "broken" and result.basis == "refusal"
    assert result.reason.startswith("invalid URL") and why in result.reason


@pytest.mark.parametrize("location", ["http://[::1/x", "file:///etc/passwd", "javascript:alert(1)"])
def test_redirect_to_an_unusable_url_is_broken(host: FakeHost, location: str) -> None:
    result = check(host.url("goto/" + quote(location, safe="")))
    assert result.verdict == "broken" and "invalid URL" in result.reason
    assert "1 redirect" in result.reason


def test_redirect_to_a_url_with_a_password_is_refused_and_masked(
    host: FakeHost, other: FakeHost
) -> None:
    location = other.url("ok").replace("http://", "http://alice:s3cr3t@")
    result = check(host.url("goto/" + quote(location, safe="")))
    assert result.verdict == "broken" and "user name or password" in result.reason
    assert result.redirects == [(302, other.url("ok").replace("http://", "http://***@"))]
    assert result.final_url == result.redirects[0][1] and other.stats.hits == []
