"""What a URL must look like before the checker sends a request for it.

Two questions, asked of every URL (from the catalogue, a ``--urls`` list or a redirect):
can it be requested at all (scheme, host, port: :func:`request_target`), and does it carry
credentials (``user:password@``), which would be sent to the site and printed in public
reports. Credentials are masked as soon as a URL is read (:func:`mask_credentials`), so the
secret never reaches a request, a report or the cache.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from requests.utils import requote_uri

from ..urls import PORT_RANGE, has_credentials, port_number, port_text, split_url

_DEFAULT_PORTS = {"http": 80, "https": 443}


class UnusableURL(ValueError):
    """Why a URL cannot be requested (a message and a hint for the person who wrote it)."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class RequestTarget:
    """Where a request goes: the parts of a URL that ``http.client`` needs."""

    scheme: str  # http | https
    host: str  # ASCII host name (IDNA) or IP address, without brackets
    port: int
    path: str  # path and query, percent-encoded; "/" at least

    @property
    def tls(self) -> bool:
        return self.scheme == "https"

    @property
    def default_port(self) -> int:
        return _DEFAULT_PORTS[self.scheme]


def refused_url(url: str) -> tuple[str, str] | None:
    """Why no request may be sent for ``url``, as (kind, detail) for a verdict: ``forbidden``
    (credentials) or ``invalid`` (not a usable http(s) URL); None if it may be requested."""
    if has_credentials(url):
        return (
            "forbidden",
            "refused: the URL contains a user name or password, which would be sent to the "
            "site and shown in reports (remove them from the address)",
        )
    try:
        request_target(url)
    except UnusableURL as exc:
        return ("invalid", f"invalid URL: {exc.message}")
    return None


def request_target(url: str) -> RequestTarget:
    """The request for ``url``, or :class:`UnusableURL` saying what is wrong with it.

    Credentials are not judged here (see :func:`has_credentials`): the caller decides.
    """
    if re.search(r"[\x00-\x20\x7f]", url):
        raise UnusableURL(
            "the URL contains a space or a control character",
            "write a space as %20; remove line breaks and tabs",
        )
    scheme = url.partition(":")[0].lower() if "://" in url else ""
    if scheme not in _DEFAULT_PORTS:
        raise UnusableURL(
            f"not an http(s) URL: '{url}'", "write the full address, starting with https://"
        )
    parts = split_url(url)
    if parts is None:  # e.g. http://[::1/x or http://[::1]x/ (see split_url)
        raise UnusableURL(
            "the host of the URL is malformed (brackets may only enclose an IPv6 address, "
            "followed by nothing but a port)",
            "write it like http://[2001:db8::1]/page",
        )
    written = port_text(parts)
    port = _DEFAULT_PORTS[scheme] if written is None else port_number(written)
    if port is None:
        raise UnusableURL(
            f"the port '{written}' is not {PORT_RANGE}",
            "write it like https://example.org:8080/ or leave it out",
        )
    host = parts.hostname or ""
    if not host:
        raise UnusableURL("the URL has no host name", "write it like https://example.org/page")
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise UnusableURL(
            f"the host name '{host}' is not a valid domain name",
            "check the spelling of the address",
        ) from None
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return RequestTarget(scheme, ascii_host, port, requote_uri(path))
