"""Web addresses and DOIs (urls.py): what the catalogue accepts, and when two are the same."""

from __future__ import annotations

import pytest

from dl4mic_hub.check.urls import UnusableURL, request_target
from dl4mic_hub.urls import doi_key, doi_problem, identity_links, normalize_url, url_problem

# --- normalize_url ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("http://www.cellpose.org/", "https://cellpose.org"),
        ("https://CellPose.org/", "https://cellpose.org"),
        ("https://github.com/MouseLand/cellpose/", "https://github.com/MouseLand/cellpose"),
        ("https://a.org/x?utm_source=news&utm_medium=mail", "https://a.org/x"),
        ("https://a.org/x?fbclid=123&id=4", "https://a.org/x?id=4"),
        ("https://a.org/x?b=2&a=1", "https://a.org/x?a=1&b=2"),
        ("https://a.org:443/x", "https://a.org/x"),
        ("http://a.org:80/x#", "https://a.org/x"),
        ("https://a.org/#/", "https://a.org"),
        (
            "https://doi.org/10.1038/S41592-020-01018-X",
            "https://dx.doi.org/10.1038/s41592-020-01018-x",
        ),
        ("  https://a.org/x ", "https://a.org/x"),
    ],
)
def test_same_page_same_key(first: str, second: str) -> None:
    assert normalize_url(first) == normalize_url(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://github.com/MouseLand/Cellpose", "https://github.com/MouseLand/cellpose"),
        ("https://a.org/x?id=4", "https://a.org/x?id=5"),
        ("https://a.org:8080/x", "https://a.org/x"),
        ("https://a.org/docs#install", "https://a.org/docs"),
        ("https://a.org/x", "https://b.a.org/x"),
    ],
)
def test_different_pages_different_keys(first: str, second: str) -> None:
    assert normalize_url(first) != normalize_url(second)


def test_doi_links_become_doi_keys() -> None:
    assert normalize_url("https://doi.org/10.1038/S41592-020-01018-X") == (
        "doi:10.1038/s41592-020-01018-x"
    )


# --- url_problem --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["https://a.org", "http://a.org/x?y=1#z", "https://a.org:8443/x", "https://a.org/%20x"]
)
def test_acceptable_urls(url: str) -> None:
    assert url_problem(url) is None


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("", ("the URL is empty", "write the full address, starting with https://")),
        (
            "www.a.org/x",
            (
                "the URL 'www.a.org/x' is incomplete: it must start with https://",
                "write it in full: https://www.a.org/x",
            ),
        ),
        (
            "a.org:8080/x",
            (
                "the URL 'a.org:8080/x' is incomplete: it must start with https://",
                "write it in full: https://a.org:8080/x",
            ),
        ),
        (
            "localhost:8000",
            (
                "the URL 'localhost:8000' is incomplete: it must start with https://",
                "write it in full: https://localhost:8000",
            ),
        ),
        (
            "JavaScript:alert(1)",
            (
                "URLs starting with 'javascript:' are not allowed",
                "catalogue links must start with https:// or http://",
            ),
        ),
        (
            "data:text/html,<b>x</b>",
            (
                "URLs starting with 'data:' are not allowed",
                "catalogue links must start with https:// or http://",
            ),
        ),
        (
            "file:///C:/images/cells.tif",
            (
                "URLs starting with 'file:' are not allowed",
                "catalogue links must start with https:// or http://",
            ),
        ),
        (
            "mailto:aide@example.org",
            (
                "URLs starting with 'mailto:' are not allowed",
                "catalogue links must start with https:// or http://",
            ),
        ),
        (
            "https://",
            ("the URL 'https://' has no host name", "write it like https://example.org/page"),
        ),
        (
            "https://a.org/deux mots",
            (
                "the URL 'https://a.org/deux mots' contains a space",
                "remove it, or write it as %20 if the address really contains a space",
            ),
        ),
        (
            "https://a.org\n",
            ("the URL 'https://a.org\n' has spaces around it", "remove the spaces"),
        ),
    ],
)
def test_url_problems(url: str, problem: tuple[str, str]) -> None:
    assert url_problem(url) == problem




def test_a_malformed_url_is_its_own_key_instead_of_an_exception() -> None:
    for url in ("https://[::1/", "https://a.org:8O80/", "https://a.org:99999999/"):
        assert normalize_url(url)


# --- characters: RFC 3986 only ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://a.org:8O80/", (
            "the URL 'https://a.org:8O80/' has an invalid port '8O80' (after ':')",
            "a port is a number from 1 to 65535, e.g. https://example.org:8080/; most links "
            "need none",
        )),
        ("https://a.org:0/", (  # accepted before, though no request can go to port 0
            "the URL 'https://a.org:0/' has an invalid port '0' (after ':')",
            "a port is a number from 1 to 65535, e.g. https://example.org:8080/; most links "
            "need none",
        )),
        ("https://[::1/", (
            "the URL 'https://[::1/' has a malformed host name: brackets may only enclose an "
            "IPv6 address, followed by nothing but a port",
            "write it like https://example.org/page or https://[2001:db8::1]:8080/page",
        )),
        ("https://[::1]x/", (  # urlsplit accepts it; no browser opens it
            "the URL 'https://[::1]x/' has a malformed host name: brackets may only enclose an "
            "IPv6 address, followed by nothing but a port",
            "write it like https://example.org/page or https://[2001:db8::1]:8080/page",
        )),
        ("https://user:secret@a.org/", (
            "the URL 'https://***@a.org/' contains a user name or password (before '@')",
            "remove it: links in the catalogue are public",
        )),
        ('https://a.org/"onmouseover=x', (
            "the URL 'https://a.org/\"onmouseover=x' contains the character '\"', which a URL "
            "cannot hold as it is",
            "write it percent-encoded, as the browser's address bar copies it: "
            "https://a.org/%22onmouseover=x",
        )),
        ("https://a.org/100%", (
            "the URL 'https://a.org/100%' contains a '%' that does not start a percent-escape "
            "such as %20, which a URL cannot hold as it is",
            "write it percent-encoded, as the browser's address bar copies it: "
            "https://a.org/100%25",
        )),
        ("https://a.org/\x07", (
            "the URL 'https://a.org/\x07' contains an invisible character (code 0x0007), which "
            "a URL cannot hold as it is",
            "write it percent-encoded, as the browser's address bar copies it: https://a.org/%07",
        )),
    ],
    ids=["port", "port-zero", "ipv6", "ipv6-trailing", "password", "quote", "percent", "control"],
)
def test_url_characters_and_parts(url: str, problem: tuple[str, str]) -> None:
    assert url_problem(url) == problem


@pytest.mark.parametrize(
    "url",
    [
        "https://bob:sécret@example.org/",  # was: "contains the character 'é'", hint s%C3%A9cret
        " https://bob:secret@example.org/",  # was: not masked at all
        "https://bob:secret@example.org/ ",
        "https://bob:sec ret@example.org/",
        "https://bob:secret%@example.org/",
        "https://bob:secret@example.org:99999/",
        "https://bob:secret@[::1/",
        "https://bob:secret@/",
        "https://bob:secret@example.org/\"x",
        "ftp://bob:secret@example.org/",
        # what browsers still read as https://bob:secret@example.org/
        "https:/\t/bob:secret@example.org/",  # was: "contains a space", password shown
        "https:bob:secret@example.org/",
        "https:\\\\bob:secret@example.org/",
        "HTTPS:///bob:secret@example.org/",
    ],
)
def test_a_password_is_never_repeated_and_is_the_problem_reported(url: str) -> None:
    problem = url_problem(url)
    assert problem is not None
    message, hint = problem
    assert "ecret" not in message + hint and "ec%20ret" not in hint
    assert "contains a user name or password" in message and "***@" in message
    assert hint == "remove it: links in the catalogue are public"


@pytest.mark.parametrize(
    "port", ["", "1", "080", "65535", "0", "65536", "80:90", "+80", "8O80", "-1", " 80"],
)
def test_the_validator_and_the_link_checker_accept_the_same_ports(port: str) -> None:
    url = f"https://a.org:{port}/x"
    try:
        request_target(url)
        requested = True
    except UnusableURL:
        requested = False
    accepted = port in ("", "1", "080", "65535")
    assert (url_problem(url) is None) == accepted
    assert requested == accepted


@pytest.mark.parametrize(
    "url",
    ["https://[::1]:8080/x", "https://a.org/(x)/y;z=1,2?q=a+b&r=*!$'", "https://a.org/%C3%A9"],
)
def test_every_rfc_3986_character_is_accepted(url: str) -> None:
    assert url_problem(url) is None


# --- DOIs ---------------------------------------------------------------------------------------


def test_doi_keys_ignore_case_and_escapes_and_match_doi_links() -> None:
    assert doi_key("10.1002/ABC%3C1%3E") == doi_key("10.1002/abc<1>") == "doi:10.1002/abc<1>"
    assert normalize_url("https://doi.org/10.1002/ABC%3C1%3E") == doi_key("10.1002/abc<1>")


@pytest.mark.parametrize("doi", ["10.1002/x#y", "10.1002/x?y", "10.1002/<x>", "10.1002/é"])
def test_a_doi_takes_only_characters_a_link_path_can_hold(doi: str) -> None:
    problem = doi_problem(doi)
    assert problem is not None
    assert problem[1].startswith("write it percent-encoded: 10.1002/")
    assert doi_problem(problem[1].removeprefix("write it percent-encoded: ")) is None


def test_identity_links_of_an_entry() -> None:
    data = {
        "url": "https://www.a.org/",
        "links": [{"type": "docs", "url": "https://a.org/docs"}, {"type": "x"}, "junk"],
        "doi": "10.1/X",
    }
    assert [(link.key, link.path, link.kind) for link in identity_links(data)] == [
        ("a.org", ("url",), "URL"),
        ("a.org/docs", ("links", 0, "url"), "URL"),
        ("doi:10.1/x", ("doi",), "DOI"),
    ]
