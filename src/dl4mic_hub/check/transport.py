"""One HTTP request from the link checker: to a checked address, within a wall-clock limit.

Two things a general HTTP client does not give:

- **The address is checked, then used.** The host name is resolved here, every address is
  judged by :mod:`.addresses`, and the socket connects to one of those addresses (the URL's
  host still goes into the ``Host`` header and the TLS name check). A DNS answer that changes
  between a check and the connection (DNS rebinding) therefore changes nothing.
- **Time limits are wall-clock.** A socket timeout only bounds the silence between two bytes:
  a server that sends its headers one byte a second never trips it. Here every read and write
  gets the time left until the request's limit, so a request ends on time however the bytes
  trickle in. Once connected, the whole answer (TLS handshake, status line, headers) must
  arrive within the read timeout, and never after the URL's deadline.

Requests are HEAD or GET; a GET is closed after the headers, its body never read. A HEAD
answer without a body leaves its connection open for the next request to the same host from
the same worker thread (keep-alive).
"""

from __future__ import annotations

import http.client
import ipaddress
import math
import os
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from requests.utils import DEFAULT_CA_BUNDLE_PATH

from ..addresses import refusal
from ..urls import is_ip_address
from .urls import RequestTarget, refused_url, request_target

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer, WriteableBuffer

ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
IDLE_PER_THREAD = 8  # open keep-alive connections a worker thread keeps
# A catalogue address is for every reader: the public one is the fix; an intranet catalogue
# (its maintainers, not a pull request) allows its own hosts.
ALLOW_PRIVATE_HINT = ("give the public address; for an intranet catalogue, its maintainers "
                      "allow the host (allow_private in linkcheck.yml, or --allow-private)")

_SockAddr = tuple[Any, ...]


class TransportError(Exception):
    """A request that got no HTTP answer. ``kind`` names the failure for the verdict:
    timeout | dropped | dns | refused | tls | invalid | forbidden."""

    def __init__(self, kind: str, detail: str, *, silent: bool = False) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.silent = silent  # connected, then no complete answer in time


@dataclass(frozen=True)
class Answer:
    status: int
    location: str | None
    retry_after: str | None
    challenge: bool  # a bot challenge page (Cloudflare's cf-mitigated: challenge)


class _TooSlow(TimeoutError):
    """The request's wall-clock limit passed (however recently the last byte came)."""


class _Clock:
    """The limits of the request a connection is carrying."""

    def __init__(self) -> None:
        self.until = math.inf  # the URL's deadline (monotonic)
        self.deadline = math.inf  # the current request's limit (monotonic)
        self.by_url_deadline = False  # the URL's deadline is the nearer limit
        self.connected = False
        self.received = 0  # bytes of the answer received so far

    def start(self, until: float) -> None:
        self.until = self.deadline = until
        self.by_url_deadline = True
        self.connected = False
        self.received = 0

    def answer_within(self, timeout: float) -> None:
        """Connected: the whole answer must now come within ``timeout`` (and the deadline)."""
        limit = time.monotonic() + timeout
        self.by_url_deadline = self.until <= limit
        self.deadline = min(self.until, limit)
        self.connected = True

    def left(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _TooSlow("the time limit of the request passed")
        return left


class _BoundedSocket(socket.socket):
    """A socket whose every read and write waits at most until its clock's limit."""

    clock: _Clock

    def _arm(self) -> None:
        self.settimeout(self.clock.left())

    def recv_into(self, buffer: WriteableBuffer, nbytes: int = 0, flags: int = 0) -> int:
        self._arm()
        count = super().recv_into(buffer, nbytes, flags)
        self.clock.received += count
        return count

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        self._arm()
        data = super().recv(bufsize, flags)
        self.clock.received += len(data)
        return data

    def send(self, data: ReadableBuffer, flags: int = 0) -> int:
        self._arm()
        return super().send(data, flags)

    def sendall(self, data: ReadableBuffer, flags: int = 0) -> None:
        self._arm()
        super().sendall(data, flags)


class _BoundedSSLSocket(_BoundedSocket, ssl.SSLSocket):  # type: ignore[misc]
    """The same for TLS (the methods above wrap SSLSocket's through the MRO)."""


def _tls_context() -> ssl.SSLContext:
    # The trust requests gives: certifi's CA bundle, or the one its environment variables
    # name (an intranet's own certificate authority).
    cafile = (
        os.environ.get("REQUESTS_CA_BUNDLE")
        or os.environ.get("CURL_CA_BUNDLE")
        or DEFAULT_CA_BUNDLE_PATH
    )
    context = ssl.create_default_context(cafile=cafile)
    context.sslsocket_class = _BoundedSSLSocket
    return context


class _Connection(http.client.HTTPConnection):
    """An HTTP(S) connection to addresses resolved and checked beforehand."""

    def __init__(
        self,
        target: RequestTarget,
        addresses: list[tuple[int, _SockAddr]],
        tls: ssl.SSLContext | None,
        connect_timeout: float,
        timeout: float,
    ) -> None:
        super().__init__(target.host, target.port)
        self.default_port = target.default_port  # no ":443" in the Host header
        self.addresses = addresses
        self.tls = tls
        self.connect_timeout = connect_timeout
        self.answer_timeout = timeout
        self.clock = _Clock()

    def connect(self) -> None:
        sock = self._open_tcp()
        self.clock.answer_within(self.answer_timeout)
        if self.tls is not None:
            try:
                tls = self.tls.wrap_socket(
                    sock, server_hostname=self.host, do_handshake_on_connect=False
                )
            except BaseException:
                sock.close()
                raise
            try:  # from here the TLS socket owns the connection
                assert isinstance(tls, _BoundedSocket)
                tls.clock = self.clock
                tls.settimeout(self.clock.left())  # bounds the handshake as a whole
                tls.do_handshake()
            except BaseException:
                tls.close()
                raise
            sock = tls
        self.sock = sock

    def _open_tcp(self) -> _BoundedSocket:
        """Connect to the first of the addresses that accepts, in the resolver's order (as
        urllib3 does: an unreachable IPv6 route falls back to IPv4), within the deadline."""
        failure: OSError = OSError("no address to connect to")
        for family, sockaddr in self.addresses:
            sock = _BoundedSocket(family, socket.SOCK_STREAM)
            sock.clock = self.clock
            try:
                sock.settimeout(min(self.connect_timeout, self.clock.left()))
                sock.connect(sockaddr)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                return sock
            except _TooSlow:  # the URL's deadline: no time for another address
                sock.close()
                raise
            except OSError as exc:
                sock.close()
                failure = exc
        raise failure


def _merge_headers(base: dict[str, str], extra: dict[str, str]) -> dict[str, str]:
    """``base`` with ``extra`` on top; header names compare without case."""
    replaced = {name.lower() for name in extra}
    merged = {k: v for k, v in base.items() if k.lower() not in replaced}
    merged.update(extra)
    return merged


def _decode_location(value: str | None) -> str | None:
    # http.client reads headers as Latin-1; servers send UTF-8 addresses (as requests assumes).
    if value is None:
        return None
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


class _Lookup:
    """One DNS look-up, in a daemon thread: a hung name server must hold neither a worker
    longer than its time limit nor the program's exit."""

    def __init__(self, host: str, port: int) -> None:
        self.addresses: list[tuple[int, _SockAddr]] = []  # empty: the name does not resolve
        self.done = threading.Event()
        threading.Thread(target=self._run, args=(host, port), name="check-dns", daemon=True).start()

    def _run(self, host: str, port: int) -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            self.addresses = [(family, sockaddr) for family, _, _, _, sockaddr in infos]
        except (OSError, UnicodeError):
            pass
        finally:
            self.done.set()


class Transport:
    """Sends requests for the engine's worker threads (thread-safe)."""

    def __init__(
        self, *, connect_timeout: float, timeout: float, user_agent: str, allow_private: bool
    ) -> None:
        self.connect_timeout = connect_timeout
        self.timeout = timeout
        self.allow_private = allow_private
        self.headers = {
            "User-Agent": user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": "gzip, deflate",
        }
        self._tls = _tls_context()
        self._lock = threading.Lock()
        # One look-up per host and run, shared by every request to it.
        self._lookups: dict[tuple[str, int], _Lookup] = {}
        self._local = threading.local()
        self._idle_pools: list[dict[tuple[str, str, int], _Connection]] = []

    # -- the request ------------------------------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        *,
        until: float,
        headers: dict[str, str] | None = None,
        allow_private: bool = False,
    ) -> Answer:
        """Send ``method`` for ``url``; raises :class:`TransportError` without an answer.

        ``until`` is the URL's deadline (``time.monotonic()``); ``allow_private`` comes from
        a host rule (``--allow-private`` allows every host).
        """
        problem = refused_url(url)
        if problem is not None:
            raise TransportError(*problem)
        target = request_target(url)
        addresses = self._checked_addresses(target, until, allow_private or self.allow_private)
        all_headers = _merge_headers(self.headers, headers or {})
        conn = self._idle().pop((target.scheme, target.host, target.port), None)
        if conn is not None:
            try:
                return self._exchange(conn, method, target, all_headers, until)
            except TransportError as exc:
                if exc.kind != "stale":
                    raise
            # The server closed the idle connection meanwhile: ask again on a new one.
        conn = _Connection(
            target,
            addresses,
            self._tls if target.tls else None,
            self.connect_timeout,
            self.timeout,
        )
        return self._exchange(conn, method, target, all_headers, until)

    def _exchange(
        self,
        conn: _Connection,
        method: str,
        target: RequestTarget,
        headers: dict[str, str],
        until: float,
    ) -> Answer:
        reused = conn.sock is not None
        clock = conn.clock
        clock.start(until)
        try:
            if reused:
                clock.answer_within(self.timeout)
            else:
                conn.connect()
            conn.request(method, target.path, headers=headers)
            response = conn.getresponse()
            answer = Answer(
                status=response.status,
                location=_decode_location(response.getheader("Location")),
                retry_after=response.getheader("Retry-After"),
                challenge=(response.getheader("cf-mitigated") or "").lower() == "challenge",
            )
            if method == "HEAD" and not response.will_close:
                response.read()  # nothing to read: the connection is ready for the next one
                self._keep(conn, target)
            else:
                response.close()  # drops the connection if a body is pending: nothing is read
                conn.close()
            return answer
        except Exception as exc:
            conn.close()
            stale = reused and clock.received == 0 and isinstance(
                exc, ConnectionResetError | BrokenPipeError | http.client.RemoteDisconnected
            )
            if stale:
                raise TransportError("stale", "the idle connection was closed") from None
            raise _failure(exc, clock) from None

    # -- addresses --------------------------------------------------------------------------

    def _checked_addresses(
        self, target: RequestTarget, until: float, allow_private: bool
    ) -> list[tuple[int, _SockAddr]]:
        key = (target.host, target.port)
        with self._lock:
            lookup = self._lookups.get(key)
            if lookup is None:
                lookup = self._lookups[key] = _Lookup(target.host, target.port)
        # getaddrinfo has no timeout of its own: wait for the look-up within the connect timeout.
        if not lookup.done.wait(max(0.0, min(self.connect_timeout, until - time.monotonic()))):
            raise TransportError("timeout", "the host name did not resolve before the timeout")
        if not lookup.addresses:
            raise TransportError("dns", "the host name does not resolve (DNS failure)")
        for _family, sockaddr in lookup.addresses:
            address = ipaddress.ip_address(sockaddr[0])
            why = refusal(address, allow_private)
            if why is None:
                continue
            said = (
                f"{address} is {why}"
                if is_ip_address(target.host)
                else f"{target.host} resolves to {address}, {why}"
            )
            advice = "it is never checked" if "metadata" in why else ALLOW_PRIVATE_HINT
            raise TransportError("forbidden", f"refused: {said}; {advice}")
        return lookup.addresses

    # -- keep-alive -------------------------------------------------------------------------

    def _idle(self) -> dict[tuple[str, str, int], _Connection]:
        idle: dict[tuple[str, str, int], _Connection] | None = getattr(self._local, "idle", None)
        if idle is None:
            idle = self._local.idle = {}
            with self._lock:
                self._idle_pools.append(idle)
        return idle

    def _keep(self, conn: _Connection, target: RequestTarget) -> None:
        idle = self._idle()
        idle[(target.scheme, target.host, target.port)] = conn
        if len(idle) > IDLE_PER_THREAD:
            idle.pop(next(iter(idle))).close()

    def close(self) -> None:
        """Close the idle connections (call it once the workers are done)."""
        with self._lock:
            for idle in self._idle_pools:
                for conn in idle.values():
                    conn.close()
                idle.clear()


def _failure(exc: Exception, clock: _Clock) -> TransportError:
    """Name a failed request: dns, refused and invalid are final; timeout, dropped retried."""
    if isinstance(exc, TransportError):
        return exc
    if isinstance(exc, TimeoutError):
        if not clock.connected:
            return TransportError("timeout", "no connection before the connect timeout")
        limit = "the deadline" if clock.by_url_deadline else "the timeout"
        if clock.received:
            return TransportError(
                "timeout",
                f"too slow: the answer was still incomplete at {limit} (it came a little at a "
                "time)",
                silent=True,
            )
        return TransportError("timeout", f"no answer before {limit}", silent=True)
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        reason = getattr(exc, "verify_message", None) or getattr(exc, "reason", None)
        more = f" ({reason})" if reason else ""
        return TransportError("tls", f"TLS certificate or handshake problem{more}")
    if isinstance(exc, ConnectionRefusedError):
        return TransportError("refused", "connection refused")
    if isinstance(exc, http.client.InvalidURL | UnicodeError):
        return TransportError("invalid", f"invalid URL ({exc})")
    if isinstance(exc, http.client.RemoteDisconnected) or (
        isinstance(exc, OSError) and clock.connected
    ):
        return TransportError("dropped", "connection dropped before an answer")
    if isinstance(exc, http.client.HTTPException):
        return TransportError("dropped", f"not a valid HTTP answer ({type(exc).__name__})")
    if isinstance(exc, OSError):
        return TransportError("dropped", f"could not connect ({exc.strerror or exc})")
    raise exc
