"""Web addresses and DOIs: what the catalogue accepts, and when two of them are the same.

One definition used by ``validate`` (the ``x-url`` and ``x-doi`` keywords, duplicate entries),
``new`` (a URL or DOI already in the catalogue) and ``import-markdown`` (duplicates in a list).
Nothing here raises on a malformed address: every problem comes back as a sentence and a hint.

Only the characters of RFC 3986 are accepted, as written in a browser's address bar once
copied: anything else (spaces, quotes, ``<``, ``>``, accented letters...) must be
percent-encoded. That keeps every address one unambiguous token in Markdown, HTML and YAML.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from .markdown import scheme_of

# RFC 3986: unreserved, gen-delims and sub-delims characters, and percent-escapes. A DOI
# becomes the path of https://doi.org/<doi>, so it takes path characters only ('?', '#' and
# brackets would change what the link points to).
_URL_TEXT = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
_DOI_TEXT = re.compile(r"(?:[A-Za-z0-9\-._~:@!$&'()*+,;=/]|%[0-9A-Fa-f]{2})*")
_SAFE_FOR_QUOTE_URL = "-._~:/?#[]@!$&'()*+,;=%"
_SAFE_FOR_QUOTE_DOI = "-._~:@!$&'()*+,;=/%"
# Query parameters that only track where a click came from; removed before comparing URLs.
TRACKING_PARAMS = re.compile(
    r"^(utm_.*|fbclid|gclid|mc_[a-z]+|ref|ref_src|pd_rd_.*|pf_rd_.*|psc|content-id|_hsenc|_hsmi)$"
)
DOI_HOSTS = ("doi.org", "dx.doi.org")
# Port 0 is not a real destination: no request can go there, so no link may name it.
MIN_PORT, MAX_PORT = 1, 65535
PORT_RANGE = f"a number from {MIN_PORT} to {MAX_PORT}"

Problem = tuple[str, str]  # (message, hint)


# --- what is accepted ----------------------------------------------------------------------


CREDENTIALS_MASK = "***"
# Where a browser finds the authority, so that a password is masked wherever a browser would
# send it. Spaces before the scheme stay in the first part (" https://user:pw@host/"); for the
# web schemes a browser also reads "https:user:pw@host" and "https:\\user:pw@host".
_WEB_SCHEME_AND_NETLOC = re.compile(r"^(\s*(?i:https?|ftp|wss?):[/\\]*)([^/\\?#]*)(.*)$", re.DOTALL)
_SCHEME_AND_NETLOC = re.compile(r"^(\s*[A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)(.*)$", re.DOTALL)
# A browser drops tabs and line breaks anywhere in a URL before reading it.
_DROPPED_BY_BROWSERS = str.maketrans("", "", "\t\n\r")


def split_netloc(url: str) -> tuple[str, str, str] | None:
    """(``scheme://``, the authority, the rest) of ``url`` as a browser reads it (tabs and
    line breaks dropped), or None (never raises)."""
    read = url.translate(_DROPPED_BY_BROWSERS)
    match = _WEB_SCHEME_AND_NETLOC.match(read) or _SCHEME_AND_NETLOC.match(read)
    return (match.group(1), match.group(2), match.group(3)) if match else None


def has_credentials(url: str) -> bool:
    """Whether the URL carries a user name or password (``https://user:pass@host/``)."""
    parts = split_netloc(url)
    return parts is not None and "@" in parts[1]


def mask_credentials(url: str) -> str:
    """The URL with its user name and password replaced by ``***`` (never raises): a password
    written in a catalogue must never be printed, sent or stored."""
    parts = split_netloc(url)
    if parts is None or "@" not in parts[1]:
        return url
    scheme, netloc, rest = parts
    return f"{scheme}{CREDENTIALS_MASK}@{netloc.rpartition('@')[2]}{rest}"


def url_problem(url: str, what: str = "catalogue links") -> Problem | None:
    """Why ``url`` is not an acceptable link (message, hint), or None; ``what`` names such
    addresses in the hints ("the site's address"). A password in the URL never appears in the
    message or the hint: every check reads the masked URL, and the credentials are the first
    problem reported."""
    shown = mask_credentials(url)
    return (_credentials_problem(shown) or _shape_problem(shown, what)
            or _character_problem(shown) or _parts_problem(shown))


def _credentials_problem(shown: str) -> Problem | None:
    if not has_credentials(shown):
        return None
    return (
        f"the URL '{shown}' contains a user name or password (before '@')",
        "remove it: links in the catalogue are public",
    )


def _shape_problem(url: str, what: str) -> Problem | None:
    if url != url.strip():
        return (f"the URL '{url}' has spaces around it", "remove the spaces")
    if not url:
        return ("the URL is empty", "write the full address, starting with https://")
    if re.search(r"\s", url):
        return (
            f"the URL '{url}' contains a space",
            "remove it, or write it as %20 if the address really contains a space",
        )
    scheme = scheme_of(url)
    # "example.org:8080/x" parses as scheme "example.org": a host name, not a scheme
    if scheme is None or ("://" not in url and ("." in scheme or re.match(r"[^:]*:\d", url))):
        return (
            f"the URL '{url}' is incomplete: it must start with https://",
            f"write it in full: https://{url.lstrip('/')}",
        )
    if scheme not in ("http", "https"):
        return (
            f"URLs starting with '{scheme}:' are not allowed",
            f"{what} must start with https:// or http://",
        )
    return None


# kind → (the text allowed, characters kept when encoding, what cannot hold others, the fix)
_CHARACTER_RULES = {
    "URL": (_URL_TEXT, _SAFE_FOR_QUOTE_URL, "a URL",
            "write it percent-encoded, as the browser's address bar copies it"),
    "DOI": (_DOI_TEXT, _SAFE_FOR_QUOTE_DOI, "a link", "write it percent-encoded"),
}


def _character_problem(text: str, kind: str = "URL") -> Problem | None:
    allowed, safe, holder, fix = _CHARACTER_RULES[kind]
    bad = first_bad_character(text, allowed)
    if bad is None:
        return None
    return (
        f"the {kind} '{text}' contains {_describe(text, bad)}, which {holder} cannot hold as it "
        "is",
        f"{fix}: {percent_encode(text, safe)}",
    )


def _parts_problem(url: str) -> Problem | None:
    parts = split_url(url)
    if parts is None:
        return (
            f"the URL '{url}' has a malformed host name: brackets may only enclose an IPv6 "
            "address, followed by nothing but a port",
            "write it like https://example.org/page or https://[2001:db8::1]:8080/page",
        )
    if not parts.netloc or not parts.netloc.rpartition("@")[2]:
        return (f"the URL '{url}' has no host name", "write it like https://example.org/page")
    host = parts.hostname or ""
    if "" in host.removesuffix(".").split("."):
        # 'https://...' (a placeholder left in), 'https://x..org': no site has such a name
        return (f"the URL '{url}' has a malformed host name '{host}': a dot at its start or "
                "two dots in a row", "write the site's address, like https://example.org/page")
    port = port_text(parts)
    if port is not None and port_number(port) is None:
        return (
            f"the URL '{url}' has an invalid port '{port}' (after ':')",
            f"a port is {PORT_RANGE}, e.g. https://example.org:8080/; most links need none",
        )
    return None


def doi_problem(doi: str) -> Problem | None:
    """Why ``doi`` (written without https://doi.org/) cannot become a link, or None."""
    return _character_problem(doi, "DOI")


def first_bad_character(text: str, allowed: re.Pattern[str]) -> int | None:
    """Index of the first character of ``text`` outside ``allowed``, or None."""
    end = allowed.match(text)
    stop = end.end() if end else 0
    return None if stop == len(text) else stop


def _describe(text: str, index: int) -> str:
    char = text[index]
    if char == "%":
        return "a '%' that does not start a percent-escape such as %20"
    if not char.isprintable():
        return f"an invisible character (code {ord(char):#06x})"
    return f"the character '{char}'"


def percent_encode(text: str, safe: str = _SAFE_FOR_QUOTE_URL) -> str:
    """``text`` with every character outside ``safe`` percent-encoded (UTF-8), and every '%'
    that does not start an escape written %25."""
    text = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", text)
    return quote(text, safe=safe)


def split_url(url: str) -> SplitResult | None:
    """``urlsplit``, or None where it raises or where a browser finds no host: a bracket that
    does not enclose an IPv6 address, or anything but a port after the ']'. ``urlsplit``
    accepts ``https://[::1]x/`` (and ``[v1.x]``), which no browser opens."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host_port = parts.netloc.rpartition("@")[2]
    if "[" in host_port or "]" in host_port:
        literal = _IP_LITERAL.fullmatch(host_port)
        if literal is None or not is_ip_address(literal.group(1), version=6):
            return None
    return parts


# An IPv6 literal as a URL host: "[address]", then only a port.
_IP_LITERAL = re.compile(r"\[([^\[\]]*)\](?::[^\[\]]*)?", re.DOTALL)


def host_of(url: str) -> str:
    """The lower-case host name of ``url``; empty if there is none (never raises)."""
    parts = split_url(url)  # None for an unclosed IPv6 bracket: refused before any request
    return (parts.hostname or "").lower() if parts else ""


def doi_from_link(text: str) -> str | None:
    """The DOI in a DOI written as a link or a label ('https://doi.org/10.1/x', 'doi:10.1/x'),
    or None when it is not written so."""
    text = text.strip()
    if text[:4].lower() == "doi:":
        return text[4:].strip()
    parts = split_url(text)
    host = (parts.hostname or "").lower().removeprefix("www.") if parts else ""
    if parts is None or parts.scheme.lower() not in ("http", "https") or host not in DOI_HOSTS:
        return None
    return parts.path.lstrip("/") + (f"?{parts.query}" if parts.query else "")


def is_ip_address(text: str, version: int | None = None) -> bool:
    """Whether ``text`` is an IP address (of ``version`` 4 or 6 when given), not a name."""
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    return version is None or address.version == version


def port_text(parts: SplitResult) -> str | None:
    """The port as written (may be wrong: ``8O80``, ``80:90``), or None when there is none.
    It starts at the first ':' after the host, as for ``urlsplit`` and browsers."""
    host_port = parts.netloc.rpartition("@")[2]
    if host_port.startswith("["):
        host_port = host_port.partition("]")[2]
    return host_port.partition(":")[2] or None


def port_number(port: str) -> int | None:
    """The number of a port as written (:func:`port_text`), or None when no request can go
    to it: not ASCII digits, or outside :data:`PORT_RANGE`."""
    if port.isascii() and port.isdigit() and MIN_PORT <= int(port) <= MAX_PORT:
        return int(port)
    return None


# --- when two addresses are the same ---------------------------------------------------------


def doi_key(doi: str) -> str:
    """Comparison key of a DOI: DOIs ignore case, and a percent-escape is its character."""
    return "doi:" + unquote(doi.strip()).lower()


def normalize_url(url: str) -> str:
    """A comparison key: same page → same key (scheme, case of the host, ``www.``, trailing
    slash, default port, tracking parameters and empty fragments do not matter). DOI links
    become ``doi:<lower-case doi>`` so they match ``doi:`` fields. Never raises: a malformed
    URL is its own key."""
    parts = split_url(url.strip())
    if parts is None:
        return url.strip()
    host = (parts.hostname or "").lower().removeprefix("www.")
    if host in DOI_HOSTS:
        return doi_key(parts.path.lstrip("/"))
    port = port_text(parts)
    port = f":{port}" if port and port not in ("80", "443") else ""
    query = urlencode(
        sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
               if not TRACKING_PARAMS.match(k))
    )
    path = parts.path.rstrip("/")
    fragment = "" if parts.fragment in ("", "/") else parts.fragment
    return urlunsplit(("", host + port, path, query, fragment)).lstrip("/")


@dataclass(frozen=True)
class IdentityLink:
    """An address that identifies an entry: two entries sharing one describe the same thing."""

    key: str  # the comparison key (normalize_url or doi_key)
    written: str  # the value as written in the entry
    path: tuple[str | int, ...]  # where it is in the entry, e.g. ("links", 2, "url")
    kind: str  # "URL" or "DOI", for messages


def identity_links(data: Mapping[str, Any]) -> Iterator[IdentityLink]:
    """The main URL, the secondary links' URLs and the DOI of an entry's data."""
    url = data.get("url")
    if isinstance(url, str) and url.strip():
        yield IdentityLink(normalize_url(url), url, ("url",), "URL")
    links = data.get("links")
    for index, link in enumerate(links if isinstance(links, list) else []):
        if isinstance(link, Mapping) and isinstance(link.get("url"), str):
            written = link["url"]
            yield IdentityLink(normalize_url(written), written, ("links", index, "url"), "URL")
    doi = data.get("doi")
    if isinstance(doi, str) and doi.strip():
        yield IdentityLink(doi_key(doi), doi, ("doi",), "DOI")
