"""How the link checker's requests reach a server: wall-clock limits, TLS, pinned addresses.

Real servers on loopback addresses (see support/fakeweb.py). The only timing assertions bound
a run from above with a wide margin against what the fault would cost without the limit (a
dripping answer takes minutes to complete).
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
from support.checking import FAST, check
from support.fakeweb import FakeHost

from dl4mic_hub.check.engine import Checker, Options
from dl4mic_hub.hostrules import HostRules, Rule

MARGIN = 3.0  # seconds of slack over a deadline (a slow machine), far below the fault's cost


def test_headers_dripping_one_byte_a_second_end_at_the_deadline(host: FakeHost) -> None:
    # Each byte comes well within the timeout, so only a wall-clock limit stops the request.
    start = time.monotonic()
    result = check(host.url("drip/1"), timeout=1.0, deadline=2.0, retries=1)
    elapsed = time.monotonic() - start
    assert result.verdict == "warn" and "too slow" in result.reason
    assert elapsed < 2.0 + MARGIN  # the whole answer head would take 230 s
    assert host.stats.drip_bytes_sent < 20  # the checker hung up; the server saw it


def test_reply_slower_than_the_timeout_is_a_warning_within_the_deadline(host: FakeHost) -> None:
    start = time.monotonic()
    result = check(host.url("slow/30"), timeout=0.5, deadline=1.0)
    assert result.verdict == "warn" and "no answer before" in result.reason
    assert time.monotonic() - start < 1.0 + MARGIN  # the reply would take 30 s


def test_body_dripping_after_the_headers_is_ok_without_waiting(host: FakeHost) -> None:
    # The body is never read: a slow body costs nothing.
    result = check(host.url("dripbody/1"), timeout=5.0)
    assert result.verdict == "ok" and result.attempts == 1
    assert host.stats.drip_bytes_sent <= 2


# --- TLS -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.10 (made with Debian's openssl)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", "/CN=127.0.0.10",
         "-addext", "subjectAltName=IP:127.0.0.10", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    return str(cert), str(key)


@pytest.fixture
def secure(certificate: tuple[str, str]) -> Iterator[FakeHost]:
    with FakeHost("127.0.0.10", tls=certificate) as server:
        yield server


def test_https_with_a_trusted_certificate_is_checked(
    secure: FakeHost, certificate: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # An intranet's own authority, named the way requests users know.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certificate[0])
    assert secure.url("ok").startswith("https://")
    result = check(secure.url("redirect/1/ok"))
    assert result.verdict == "ok" and result.final_url == secure.url("ok")
    dripping = check(secure.url("drip/1"), timeout=1.0, deadline=1.5)
    assert dripping.verdict == "warn" and "too slow" in dripping.reason


def test_untrusted_certificate_is_a_warning(
    secure: FakeHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    result = check(secure.url("ok"))
    assert result.verdict == "warn" and "TLS" in result.reason
    assert secure.stats.hits == []  # nothing was sent over the unverified connection


# --- connections ---------------------------------------------------------------------------


def test_head_answers_keep_their_connection_for_the_next_request(host: FakeHost) -> None:
    urls = [host.url(f"ok/{i}") for i in range(3)]
    Checker(Options(**{**FAST, "concurrency": 1})).run(urls)
    assert len({hit.client_port for hit in host.stats.hits}) == 1


def test_idle_connection_closed_by_the_server_is_replaced_at_once(host: FakeHost) -> None:
    # The server closes after each answer without saying so: the next request on the kept
    # connection fails before any answer, and is sent again on a new one, not retried later.
    urls = [host.url(f"hangup/{i}") for i in range(3)]
    results = Checker(Options(**{**FAST, "concurrency": 1})).run(urls)
    assert all(r.verdict == "ok" and r.attempts == 1 for r in results.values())
    assert len({hit.client_port for hit in host.stats.hits}) == 3


# --- the address checked is the address used -----------------------------------------------


def test_a_host_name_is_resolved_once_and_connected_at_the_checked_address(
    host: FakeHost, other: FakeHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DNS rebinding: the first answer passes the check, later ones point elsewhere. The
    # checker must never ask again and connect wherever the second answer says.
    port = int(host.netloc.rpartition(":")[2])
    answers = iter(["127.0.0.2"] + ["127.0.0.3"] * 10)
    real = socket.getaddrinfo

    def rebinding(name: Any, *args: Any, **kwargs: Any) -> Any:
        if name == "rebind.test":
            name = next(answers)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    rules = HostRules([Rule(reason="the test intranet", host="rebind.test", allow_private=True)])
    urls = [f"http://rebind.test:{port}/nohead/{i}" for i in range(6)]
    results = Checker(Options(**{**FAST, "allow_private": False}), rules).run(urls)
    assert all(r.verdict == "ok" for r in results.values())
    assert other.stats.hits == [] and len(host.stats.hits) >= 6
    # The name, not the address, is what the server is told (virtual hosts, TLS names).
    assert {hit.host_header for hit in host.stats.hits} == {f"rebind.test:{port}"}


def test_a_name_that_does_not_resolve_in_time_is_a_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = socket.getaddrinfo

    def hung(name: Any, *args: Any, **kwargs: Any) -> Any:
        if name == "hung.test":
            time.sleep(5)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", hung)
    start = time.monotonic()
    result = check("http://hung.test/", connect_timeout=0.5, retries=0)
    assert result.verdict == "warn" and "did not resolve" in result.reason
    assert time.monotonic() - start < 0.5 + MARGIN


def test_url_with_a_password_is_refused_without_a_request(host: FakeHost) -> None:
    result = check(host.url("ok").replace("http://", "http://user:secret@"))
    assert result.verdict == "broken" and "user name or password" in result.reason
    assert result.basis == "refusal" and host.stats.hits == []

