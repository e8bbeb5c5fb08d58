"""Which addresses the link checker refuses to contact, before a request and after redirects.

Catalogue URLs come from strangers' pull requests and the checker runs in CI next to cloud
metadata services: private and special-purpose addresses are refused unless allowed, cloud
metadata always. Refused URLs are `broken` (nobody outside the intranet can follow them).
"""

from __future__ import annotations

from ipaddress import ip_address

import pytest
from support.checking import check
from support.fakeweb import FakeHost

from dl4mic_hub.addresses import address_kind, refusal
from dl4mic_hub.check.engine import Checker, Options
from dl4mic_hub.hostrules import HostRules, Rule


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("10.0.0.5", "private"),
        ("172.16.3.4", "private"),
        ("192.168.1.1", "private"),
        ("127.0.0.2", "loopback"),
        ("::1", "loopback"),
        ("169.254.10.10", "link-local"),
        ("fe80::1", "link-local"),
        ("100.64.0.1", "carrier-grade NAT"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("192.0.2.10", "documentation"),
        ("2001:db8::1", "documentation"),
        ("198.18.0.1", "benchmarking"),
        ("fc00::1", "private"),
        ("169.254.169.254", "cloud metadata"),
        ("fd00:ec2::254", "cloud metadata"),
        ("168.63.129.16", "cloud metadata"),
        # IPv6 forms of an IPv4 address are judged by that address
        ("::ffff:10.0.0.5", "private"),
        ("::ffff:169.254.169.254", "cloud metadata"),
        ("64:ff9b::7f00:1", "loopback"),
        ("2002:a00:1::1", "private"),
    ],
)
def test_special_addresses_are_named(address: str, kind: str) -> None:
    described = address_kind(ip_address(address))
    assert described is not None and kind in described


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700::6810:84e5", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert refusal(ip_address(address), allow_private=False) is None


def test_allowing_private_addresses_never_allows_cloud_metadata() -> None:
    assert refusal(ip_address("10.0.0.5"), allow_private=True) is None
    assert refusal(ip_address("169.254.169.254"), allow_private=True) is not None


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://127.0.0.1:9/", "refused: 127.0.0.1 is a loopback address"),
        ("http://10.0.0.5/", "refused: 10.0.0.5 is a private address"),
        ("http://[::1]:9/", "refused: ::1 is a loopback address"),
        ("http://0.0.0.0:9/", "refused: 0.0.0.0 is an unspecified"),
        # written so as to slip past a check on the text: judged after resolution
        ("http://2130706433:9/", "refused: 2130706433 resolves to 127.0.0.1, a loopback"),
        ("http://localhost:9/", "refused: localhost resolves to"),
    ],
)
def test_private_targets_are_refused_by_default_and_say_why(url: str, said: str) -> None:
    result = Checker(Options(timeout=0.5, connect_timeout=0.5)).run([url])[url]
    assert result.verdict == "broken" and result.basis == "refusal"
    assert result.reason.startswith(said), result.reason
    assert "--allow-private" in result.reason


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/latest/"]
)
def test_cloud_metadata_is_refused_even_when_private_addresses_are_allowed(url: str) -> None:
    result = check(url, allow_private=True)  # no connection is tried: an instant verdict
    assert result.verdict == "broken" and "cloud metadata" in result.reason
    assert result.attempts == 1


def test_refused_host_gets_no_request(host: FakeHost) -> None:
    result = check(host.url("ok"), allow_private=False)
    assert result.verdict == "broken" and "127.0.0.2 is a loopback address" in result.reason
    assert host.stats.hits == []


def test_host_rule_allows_one_intranet_host(host: FakeHost, other: FakeHost) -> None:
    rules = HostRules([Rule(reason="our intranet mirror", host="127.0.0.2", allow_private=True)])
    assert check(host.url("ok"), rules, allow_private=False).verdict == "ok"
    assert check(other.url("ok"), rules, allow_private=False).verdict == "broken"
    assert other.stats.hits == []


def test_redirect_to_a_private_address_is_refused_after_the_hop(
    host: FakeHost, other: FakeHost
) -> None:
    rules = HostRules([Rule(reason="our intranet mirror", host="127.0.0.2", allow_private=True)])
    result = check(host.url(f"to/{other.netloc}/ok"), rules, allow_private=False)
    assert result.verdict == "broken" and result.basis == "refusal"
    assert "127.0.0.3 is a loopback address" in result.reason and "1 redirect" in result.reason
    assert result.redirects == [(302, other.url("ok"))]
    assert other.stats.hits == []  # the redirect was never followed


def test_redirect_to_cloud_metadata_is_refused(host: FakeHost) -> None:
    result = check(host.url("to/169.254.169.254/latest/meta-data/"))
    assert result.verdict == "broken" and "cloud metadata" in result.reason
