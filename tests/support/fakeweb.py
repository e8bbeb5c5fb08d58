"""A fault-injecting HTTP server on loopback addresses, for the tests and ``bench/``.

Test code, kept out of the installed package: tests import it as ``support.fakeweb``;
``bench/run.py`` puts ``tests/`` on its path.

Each :class:`FakeHost` listens on its own loopback address (127.0.0.2, 127.0.0.3... are
distinct hosts on Linux) and answers by path, so one server plays any behaviour a link checker
meets: ``/ok``, ``/status/404``, ``/redirect/3/ok`` (a chain), ``/goto/<Location>`` (any
redirect target), ``/loop/a``, ``/flaky/503/2`` (503 twice, then 200), ``/ratelimit/2`` (429
with Retry-After: 2, then 200), ``/nohead`` (HEAD refused, GET fine), ``/slow/5`` (answers
after 5 s), ``/big/50`` (a 50 MB body), ``/drop`` (closes the connection without answering),
``/drip/1`` (status line and headers one byte a second), ``/dripbody/1`` (headers at once,
then the body one byte a second), ``/hangup`` (closes a kept-alive connection without saying
so). It records every request and the most requests it had in flight at once, which is what
politeness is measured by. It only ever binds loopback addresses; with ``tls=(cert, key)`` it
speaks HTTPS.
"""

from __future__ import annotations

import contextlib
import select
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit


@dataclass
class Hit:
    method: str
    path: str
    start: float  # time.monotonic() when the request line was read
    user_agent: str = ""
    host_header: str = ""
    client_port: int = 0  # one per connection: tells keep-alive from new connections


@dataclass
class Stats:
    hits: list[Hit] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    body_bytes_sent: int = 0
    drip_bytes_sent: int = 0  # bytes a /drip or /dripbody answer got out before the hang-up
    active: list[str] = field(default_factory=list)  # paths being answered now
    at_peak: list[str] = field(default_factory=list)  # paths in flight at the highest count
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, path: str, method: str | None = None) -> int:
        with self.lock:
            return sum(
                1 for h in self.hits if h.path == path and (method is None or h.method == method)
            )

    def times(self, path: str) -> list[float]:
        with self.lock:
            return [h.start for h in self.hits if h.path == path]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], latency: float) -> None:
        super().__init__(address, _Handler)
        self.stats = Stats()
        self.latency = latency
        self.counters: dict[str, int] = {}

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up early is what the tests provoke, not a server error


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like real servers
    server: _Server
    _pending: str | None = None  # path of the request counted in flight

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: the tests read Stats instead

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, head: bool) -> None:
        stats = self.server.stats
        path = urlsplit(self.path).path
        with stats.lock:
            stats.hits.append(
                Hit(
                    self.command,
                    path,
                    time.monotonic(),
                    self.headers.get("User-Agent", ""),
                    self.headers.get("Host", ""),
                    self.client_address[1],
                )
            )
            stats.in_flight += 1
            stats.max_in_flight = max(stats.max_in_flight, stats.in_flight)
            stats.active.append(path)
            if stats.in_flight == stats.max_in_flight:
                stats.at_peak = list(stats.active)
            key = f"{self.command} {path}" if path.startswith("/methodflaky") else path
            self.server.counters[key] = self.server.counters.get(key, 0) + 1
            seen = self.server.counters[key]
        self._pending = path
        try:
            if self._wait(self.server.latency):
                self._route(path, head, seen)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            self._answered()

    def _answered(self) -> None:
        """The request stops counting as in flight once its answer starts (before the client
        can see it, so the next request never overlaps it in the measure)."""
        if self._pending is None:
            return
        stats = self.server.stats
        with stats.lock:
            stats.in_flight -= 1
            stats.active.remove(self._pending)
        self._pending = None

    def _wait(self, seconds: float) -> bool:
        """Sleep, but stop as soon as the client hangs up (an abandoned request is no longer
        in flight: the per-host measure counts what the client really has outstanding)."""
        if seconds <= 0:
            return True
        readable, _, _ = select.select([self.connection], [], [], seconds)
        if readable:
            try:
                if self.connection.recv(1, socket.MSG_PEEK) == b"":
                    self.close_connection = True
                    return False
            except (OSError, ValueError):  # ValueError: a TLS socket takes no MSG_PEEK
                self.close_connection = True
                return False
            time.sleep(max(0.0, seconds))  # pipelined data, not a hang-up: keep the delay
        return True

    def _reply(self, status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> None:
        self._answered()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def _route(self, path: str, head: bool, seen: int) -> None:
        parts = path.strip("/").split("/")
        kind, args = parts[0], parts[1:]
        if kind in ("ok", ""):
            self._reply(200, {"Content-Type": "text/html"}, b"<html><body>ok</body></html>")
        elif kind == "status":  # /status/<code>
            self._reply(int(args[0]), {"Content-Type": "text/html"}, b"status page")
        elif kind == "redirect":  # /redirect/<n>/<rest>: n hops, then /<rest>
            n, rest = int(args[0]), "/".join(args[1:]) or "ok"
            target = f"/redirect/{n - 1}/{rest}" if n > 1 else f"/{rest}"
            self._reply(301 if n % 2 else 302, {"Location": target})
        elif kind == "to":  # /to/<host:port>/<rest>: a redirect to another host
            self._reply(302, {"Location": f"http://{args[0]}/{'/'.join(args[1:])}"})
        elif kind == "goto":  # /goto/<percent-encoded Location>: any redirect target at all
            self._reply(302, {"Location": unquote(path.split("/", 2)[2])})
        elif kind == "loop":  # /loop/a ⇄ /loop/b
            self._reply(302, {"Location": "/loop/b" if args[0] == "a" else "/loop/a"})
        elif kind == "flaky":  # /flaky/<code>/<n>[/<id>]: <code> n times, then 200
            code, times = int(args[0]), int(args[1])
            self._reply(code if seen <= times else 200, {}, b"x")
        elif kind == "ratelimit":  # /ratelimit/<seconds>[/<times>[/<id>]]
            delay = args[0]
            times = int(args[1]) if len(args) > 1 else 1
            if seen <= times:
                self._reply(429, {"Retry-After": delay})
            else:
                self._reply(200, {}, b"x")
        elif kind == "ratelimitdate":  # Retry-After as an HTTP date
            from email.utils import formatdate

            if seen <= 1:
                self._reply(
                    429, {"Retry-After": formatdate(time.time() + float(args[0]), usegmt=True)}
                )
            else:
                self._reply(200, {}, b"x")
        elif kind == "nohead":  # HEAD refused (405), GET fine
            if head:
                self._reply(405, {"Allow": "GET"})
            else:
                self._reply(200, {"Content-Type": "text/html"}, b"<html>fine</html>")
        elif kind == "slow":  # /slow/<seconds>
            if self._wait(float(args[0])):
                self._reply(200, {}, b"late")
        elif kind == "big":  # /big/<megabytes>: HEAD refused so the GET path is exercised
            if head:
                self._reply(405, {"Allow": "GET"})
                return
            self._send_big(int(args[0]) * 1024 * 1024)
        elif kind == "drop":  # close without a word
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
        elif kind == "drip":  # /drip/<seconds a byte>: the whole answer head, byte by byte
            head = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Padding: " + b"x" * 200
            self._drip(head + b"\r\n\r\n", float(args[0]))
        elif kind == "dripbody":  # /dripbody/<seconds a byte>: headers at once, slow body
            if head:
                self._reply(405, {"Allow": "GET"})  # so that the GET path is exercised
                return
            self._answered()
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 200\r\n\r\n")
            self._drip(b"x" * 200, float(args[0]))
        elif kind == "hangup":  # 200, then the connection is closed without warning
            self._reply(200, {}, b"x")
            self.close_connection = True
        elif kind == "challenge":
            self._reply(
                403, {"cf-mitigated": "challenge", "Content-Type": "text/html"}, b"challenge"
            )
        else:
            self._reply(404, {}, b"not found")

    def _drip(self, data: bytes, interval: float) -> None:
        """Send ``data`` one byte at a time, stopping when the client hangs up."""
        self._answered()
        self.close_connection = True
        for byte in data:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            with self.server.stats.lock:
                self.server.stats.drip_bytes_sent += 1
            if not self._wait(interval):
                return

    def _send_big(self, size: int) -> None:
        self._answered()
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        chunk = b"\0" * 16384
        sent = 0
        try:
            while sent < size:
                n = self.wfile.write(chunk[: size - sent]) or 0
                sent += n
                with self.server.stats.lock:
                    self.server.stats.body_bytes_sent += n
        finally:
            self.close_connection = True


class FakeHost:
    """One fake web host on ``address`` (a loopback address); use as a context manager."""

    def __init__(
        self,
        address: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        tls: tuple[str, str] | None = None,
    ) -> None:
        if not address.startswith("127."):
            raise ValueError("the fake web only binds loopback addresses")
        self._server = _Server((address, port), latency)
        # A small send buffer: the bytes counted are the bytes the client really let through.
        self._server.socket.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)
        self.scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            # The handshake happens in the handler thread, on the first read.
            self._server.socket = context.wrap_socket(
                self._server.socket, server_side=True, do_handshake_on_connect=False
            )
            self.scheme = "https"
        self._thread = threading.Thread(
            target=self._server.serve_forever, daemon=True, kwargs={"poll_interval": 0.05}
        )

    @property
    def stats(self) -> Stats:
        return self._server.stats

    @property
    def netloc(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{host!s}:{port}"  # an IPv4 server address: host is a str

    def reset(self) -> None:
        """Forget every request and counter (the next client sees the same faults afresh)."""
        stats = self._server.stats
        with stats.lock:
            stats.hits.clear()
            stats.max_in_flight = stats.body_bytes_sent = 0
            self._server.counters.clear()

    def url(self, path: str) -> str:
        return f"{self.scheme}://{self.netloc}/{path.lstrip('/')}"

    def __enter__(self) -> FakeHost:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def free_port(address: str = "127.0.0.1") -> int:
    """A port nobody listens on (to provoke a refused connection)."""
    with socket.socket() as sock:
        sock.bind((address, 0))
        return int(sock.getsockname()[1])
