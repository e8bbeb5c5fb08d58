"""The checking engine: a dispatcher that keeps every host polite and a pool of workers.

One *task* is one URL being checked; each hop of a redirect chain and each retry is sent back
to the dispatcher, so the per-host cap counts every request, a paused host holds no worker
asleep, and work is interleaved across hosts (one slow host cannot occupy every worker).
Workers only send requests (HEAD, then a streamed GET whose body is never read) and report
what they saw; the dispatcher decides on redirects, retries and verdicts.
"""

from __future__ import annotations

import email.utils
import errno
import heapq
import itertools
import queue
import random
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter

from .. import REPOSITORY_URL, __version__
from .rules import HostRules, Rule

USER_AGENT = f"dl4mic-hub-checker/{__version__} (+{REPOSITORY_URL})"
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RETRY_STATUSES = frozenset({408, 429})  # plus every 5xx (500-599)
WARN_STATUSES = {
    401: "login required",
    403: "access refused to robots (bot protection?)",
    451: "unavailable for legal reasons (region?)",
    999: "refused to robots (LinkedIn-style 999)",
}
REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT = frozenset({301, 308})
TIMEOUT_GRACE = 0.5  # seconds a host slot stays taken after a request timed out


@dataclass
class Options:
    """Everything that tunes a run; the CLI maps its options onto these fields."""

    concurrency: int = 64  # requests in flight overall (threads mostly wait on the network)
    per_host: int = 4  # requests in flight to one host
    connect_timeout: float = 5.0
    timeout: float = 15.0  # read timeout: longest silence while waiting for the answer
    # Per URL: time spent waiting for answers, retries included (pauses and backoff are not
    # counted, they are ours or the server's choice). Default: twice the read timeout.
    deadline: float | None = None
    retries: int = 2
    backoff: float = 1.0  # first retry delay; doubles each time, with jitter
    retry_after_cap: float = 60.0  # a longer Retry-After makes the URL a warning
    max_redirects: int = 10
    user_agent: str = USER_AGENT

    @property
    def url_deadline(self) -> float:
        return self.deadline if self.deadline is not None else 2 * self.timeout


@dataclass
class Result:
    url: str
    verdict: str  # ok | warn | broken
    reason: str
    status: int | None = None
    final_url: str | None = None
    redirects: list[tuple[int, str]] = field(default_factory=list)  # (status, next URL)
    note: str = ""  # advice that does not change the verdict (e.g. a moved page)
    attempts: int = 0
    elapsed: float = 0.0
    cached: bool = False
    checked_at: float = 0.0  # epoch seconds
    archive: str | None = None  # a Wayback Machine copy, when asked for

    def to_json(self) -> dict[str, object]:
        return {
            "url": self.url,
            "verdict": self.verdict,
            "reason": self.reason,
            "status": self.status,
            "final_url": self.final_url,
            "redirects": [{"status": s, "url": u} for s, u in self.redirects],
            "note": self.note,
            "attempts": self.attempts,
            "elapsed": round(self.elapsed, 3),
            "cached": self.cached,
            "checked_at": round(self.checked_at, 3),
            "archive": self.archive,
        }


# --- what one request attempt saw -----------------------------------------------------------


@dataclass
class _Seen:
    status: int | None = None
    location: str | None = None
    retry_after: float | None = None
    challenge: bool = False
    error: str | None = None  # timeout | dropped | dns | refused | tls | invalid
    detail: str = ""
    silent: bool = False  # a read timeout: connected, then no answer (not a connect timeout)
    head_refused: bool = False  # HEAD failed but GET worked: skip HEAD for this host


@dataclass
class _Task:
    url: str
    current: str
    rule: Rule | None
    chain: list[tuple[int, str]] = field(default_factory=list)
    attempt: int = 0
    started: float | None = None
    not_before: float = 0.0
    queued_at: float = 0.0
    sent_at: float = 0.0  # when the current request was handed to a worker
    # Time spent queued behind caps and pauses the server asked for: not counted in the deadline.
    waited: float = 0.0
    last: _Seen | None = None

    def deadline(self, budget: float) -> float:
        assert self.started is not None
        return self.started + budget + self.waited


@dataclass
class _Host:
    cap: int
    interval: float = 0.0
    running: int = 0
    paused_until: float = 0.0
    next_start: float = 0.0
    head_unreliable: bool = False
    last_answer: float = 0.0  # when the host last answered any request (monotonic)
    ready: deque[_Task] = field(default_factory=deque)
    max_running: int = 0  # observed, for the report and the tests


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delay in seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _classify_error(exc: BaseException) -> tuple[str, str]:
    """Name a transport failure: dns and refused are final, timeout and dropped are retried."""
    if isinstance(exc, requests.exceptions.SSLError):
        return "tls", "TLS certificate or handshake problem"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "timeout", "no connection before the connect timeout"
    if isinstance(exc, requests.exceptions.Timeout):
        return "timeout", "no answer before the timeout"
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.InvalidSchema):
        return "invalid", f"invalid URL ({exc})"
    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:  # walk requests → urllib3 → socket errors
        item = todo.pop()
        if id(item) in seen or item is None:
            continue
        seen.add(id(item))
        if isinstance(item, socket.gaierror) or type(item).__name__ == "NameResolutionError":
            return "dns", "the host name does not resolve (DNS failure)"
        if (
            isinstance(item, ConnectionRefusedError)
            or getattr(item, "errno", None) == errno.ECONNREFUSED
        ):
            return "refused", "connection refused"
        if isinstance(item, BaseException):
            todo.extend(
                [item.__cause__, item.__context__, getattr(item, "reason", None), *item.args]
            )
    return "dropped", "connection dropped before an answer"


class Checker:
    """Check many URLs politely. ``run`` returns one :class:`Result` per distinct URL."""

    def __init__(self, options: Options | None = None, rules: HostRules | None = None) -> None:
        self.options = options or Options()
        self.rules = rules or HostRules()
        self.hosts: dict[str, _Host] = {}
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()

    # -- worker side --------------------------------------------------------------------

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            # Retries and redirects are ours (host-wide pauses, recorded chains).
            adapter = HTTPAdapter(pool_connections=32, pool_maxsize=4, max_retries=0)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.headers.update({"User-Agent": self.options.user_agent, "Accept": ACCEPT})
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def _request(
        self, method: str, url: str, rule: Rule | None, remaining: float
    ) -> requests.Response:
        opts = self.options
        timeout = (min(opts.connect_timeout, remaining), min(opts.timeout, remaining))
        return self._session().request(
            method,
            url,
            headers=rule.headers if rule else None,
            timeout=timeout,
            # HEAD has no body, so it can give its connection back to the pool (keep-alive);
            # a GET is streamed and closed unread: the body is never downloaded.
            allow_redirects=False,
            stream=method != "HEAD",
        )

    def _attempt(self, url: str, rule: Rule | None, use_head: bool, remaining: float) -> _Seen:
        seen = _Seen()
        methods = ["HEAD", "GET"] if use_head else ["GET"]
        for method in methods:
            try:
                response = self._request(method, url, rule, remaining)
            except requests.exceptions.RequestException as exc:
                kind, detail = _classify_error(exc)
                seen = _Seen(
                    error=kind,
                    detail=detail,
                    silent=isinstance(exc, requests.exceptions.ReadTimeout),
                )
                # A HEAD dropped by the server may still get a GET answer; a HEAD timeout is
                # a timeout (a GET would only wait as long again).
                if method == "HEAD" and kind == "dropped":
                    continue
                return seen
            try:
                status = response.status_code
                headers = response.headers
                seen = _Seen(
                    status=status,
                    location=headers.get("Location"),
                    retry_after=parse_retry_after(headers.get("Retry-After")),
                    challenge=headers.get("cf-mitigated", "").lower() == "challenge",
                )
            finally:
                response.close()  # drops the connection if a body is pending: nothing is read
            if method == "HEAD" and status >= 400 and not self._is_pause(seen):
                continue  # many servers refuse or mishandle HEAD: ask again with GET
            if method == "GET" and use_head and status < 400:
                seen.head_refused = True
            return seen
        return seen

    @staticmethod
    def _is_pause(seen: _Seen) -> bool:
        """A rate-limit answer: asking again at once with GET would be impolite."""
        return seen.status == 429 or (seen.status == 503 and seen.retry_after is not None)

    # -- dispatcher side -----------------------------------------------------------------

    def _host(self, name: str, rule: Rule | None) -> _Host:
        host = self.hosts.get(name)
        if host is None:
            # Only a host rule (not a URL pattern) sets how a whole host is treated.
            rule = rule if rule is not None and rule.host is not None else None
            cap = rule.max_in_flight if rule and rule.max_in_flight else self.options.per_host
            host = _Host(cap=max(1, cap), interval=(rule.interval or 0.0) if rule else 0.0)
            self.hosts[name] = host
        return host

    def run(
        self,
        urls: Iterable[str],
        progress: Callable[[Result], None] | None = None,
    ) -> dict[str, Result]:
        opts = self.options
        results: dict[str, Result] = {}
        tasks: list[_Task] = []
        for url in dict.fromkeys(urls):  # each distinct URL once, in order
            rule = self.rules.for_url(url)
            if rule is not None and rule.action in ("warn", "skip"):
                verdict = "warn" if rule.action == "warn" else "ok"
                result = Result(url, verdict, f"not checked: {rule.reason}", checked_at=time.time())
                result.note = "skipped by a host rule" if rule.action == "skip" else ""
                results[url] = result
                if progress:
                    progress(result)
                continue
            tasks.append(_Task(url, url, rule))
        for task in tasks:
            name = _host_of(task.current)
            self._host(name, self.rules.for_url(task.current)).ready.append(task)

        delayed: list[tuple[float, int, _Task]] = []  # (not_before, seq, task)
        seq = itertools.count()
        releases: list[tuple[float, str]] = []  # (time, host): slots held after a timeout
        done: queue.Queue[tuple[_Task, str, _Seen, float]] = queue.Queue()
        running = 0
        remaining_tasks = len(tasks)
        order = deque(self.hosts)  # round-robin over hosts with the same amount of work left

        def finish(task: _Task, result: Result) -> None:
            nonlocal remaining_tasks
            result.redirects = list(task.chain)
            result.attempts = task.attempt + 1
            result.elapsed = time.monotonic() - (task.started or time.monotonic())
            result.checked_at = time.time()
            results[task.url] = result
            remaining_tasks -= 1
            if progress:
                progress(result)

        def work(task: _Task, name: str, use_head: bool, remaining: float) -> None:
            try:
                seen = self._attempt(
                    task.current, self.rules.for_url(task.current), use_head, remaining
                )
            except Exception as exc:  # a bug must not hang the run: report it on the URL
                seen = _Seen(error="dropped", detail=f"internal error: {exc!r}")
            done.put((task, name, seen, time.monotonic()))

        with ThreadPoolExecutor(
            max_workers=max(1, opts.concurrency), thread_name_prefix="check"
        ) as pool:
            while remaining_tasks:
                now = time.monotonic()
                while delayed and delayed[0][0] <= now:
                    _, _, task = heapq.heappop(delayed)
                    name = _host_of(task.current)
                    host = self._host(name, self.rules.for_url(task.current))
                    host.ready.appendleft(task)  # a retry goes before fresh work
                    task.queued_at = now
                    if name not in order:
                        order.append(name)
                while releases and releases[0][0] <= now:
                    self.hosts[heapq.heappop(releases)[1]].running -= 1
                wake = min([now + 1.0] + [q[0][0] for q in (delayed, releases) if q])
                # Start what the caps allow, one request per host per round (interleaving),
                # the hosts with the most work waiting first: when the global limit binds, the
                # host with the longest queue (the one that finishes last at its per-host cap)
                # gets its slots before hosts with one URL, so its tail does not end the run.
                started = True
                while started and running < opts.concurrency:
                    started = False
                    order.rotate(-1)
                    for name in sorted(order, key=lambda n: -len(self.hosts[n].ready)):
                        host = self.hosts[name]
                        if not host.ready or host.running >= host.cap:
                            continue
                        gate = max(host.paused_until, host.next_start)
                        if gate > now:
                            wake = min(wake, gate)
                            continue
                        task = host.ready.popleft()
                        if task.started is None:
                            task.started = now
                        elif task.queued_at:
                            task.waited += now - task.queued_at
                        left = task.deadline(opts.url_deadline) - now
                        host.running += 1
                        host.max_running = max(host.max_running, host.running)
                        host.next_start = now + host.interval
                        task.sent_at = now
                        running += 1
                        pool.submit(work, task, name, not host.head_unreliable, max(left, 0.1))
                        started = True
                        if running >= opts.concurrency:
                            break
                if not remaining_tasks:
                    break
                try:
                    item = done.get(timeout=max(0.005, wake - time.monotonic()))
                except queue.Empty:
                    continue
                while True:
                    task, name, seen, at = item
                    running -= 1
                    if seen.status is not None:
                        self.hosts[name].last_answer = max(self.hosts[name].last_answer, at)
                    if seen.error == "timeout":
                        # The server is probably still working on the abandoned request:
                        # keep its slot a moment before sending that host more work.
                        heapq.heappush(releases, (at + TIMEOUT_GRACE, name))
                    else:
                        self.hosts[name].running -= 1
                    self._handle(task, name, seen, at, finish, delayed, seq, order)
                    try:
                        item = done.get_nowait()
                    except queue.Empty:
                        break
        for session in self._sessions:
            session.close()
        self._sessions.clear()
        return results

    def _handle(
        self,
        task: _Task,
        name: str,
        seen: _Seen,
        now: float,
        finish: Callable[[_Task, Result], None],
        delayed: list[tuple[float, int, _Task]],
        seq: itertools.count[int],
        order: deque[str],
    ) -> None:
        opts = self.options
        host = self.hosts[name]
        rule = self.rules.for_url(task.current)
        if seen.head_refused:
            host.head_unreliable = True
        task.last = seen
        status = seen.status

        if status is not None and status in REDIRECTS and seen.location:
            target = urljoin(task.current, seen.location.strip())
            if rule is not None and not rule.follow:
                task.chain.append((status, target))
                finish(
                    task,
                    Result(
                        task.url,
                        "ok",
                        f"redirects to {target} (not followed: {rule.reason})",
                        status=status,
                        final_url=target,
                    ),
                )
                return
            visited = {task.url, *(u for _, u in task.chain)}
            task.chain.append((status, target))
            if target in visited:
                finish(
                    task,
                    Result(task.url, "broken", "redirect loop", status=status, final_url=target),
                )
                return
            if len(task.chain) > opts.max_redirects:
                finish(
                    task,
                    Result(
                        task.url,
                        "broken",
                        f"more than {opts.max_redirects} redirects",
                        status=status,
                        final_url=target,
                    ),
                )
                return
            task.current = target
            task.attempt = 0
            task.queued_at = now
            new = _host_of(target)
            self._host(new, self.rules.for_url(target)).ready.append(task)
            if new not in order:
                order.append(new)
            return

        retryable = seen.error in ("timeout", "dropped") or (
            # 5xx only: a 999 (LinkedIn-style refusal) or other non-standard code is an answer
            status is not None and (status in RETRY_STATUSES or 500 <= status < 600)
        )
        if seen.silent and host.last_answer > task.sent_at:
            # The host answered other requests while this one stayed silent for the whole
            # read timeout: this page is slow, not the host stalled, and asking again would
            # only wait as long again. A stalled or unknown host still gets its retries.
            retryable = False
            seen.detail += " (the host answered other requests meanwhile: not retried)"
        if retryable:
            # Any rate-limit answer slows the whole host down, not only this URL.
            delay = opts.backoff * (2**task.attempt) * random.uniform(0.75, 1.0)
            if seen.retry_after is not None:
                if seen.retry_after > opts.retry_after_cap:
                    finish(
                        task,
                        self._verdict(
                            task,
                            seen,
                            rule,
                            final=True,
                            why=f"asked to wait {seen.retry_after:.0f} s (Retry-After), "
                            f"more than the {opts.retry_after_cap:.0f} s cap",
                        ),
                    )
                    host.paused_until = max(host.paused_until, now + opts.retry_after_cap)
                    return
                delay = seen.retry_after
                host.paused_until = max(host.paused_until, now + delay)
                task.waited += delay  # a pause the server asked for is not our slowness
            else:
                if status == 429:
                    host.paused_until = max(host.paused_until, now + delay)
                task.waited += delay  # the deadline bounds time spent waiting for answers
            deadline = task.deadline(opts.url_deadline)
            # A retry needs time left for a useful answer (a second, or the connect timeout).
            if (
                task.attempt < opts.retries
                and now + delay + min(1.0, opts.connect_timeout) < deadline
            ):
                task.attempt += 1
                task.not_before = now + delay
                heapq.heappush(delayed, (task.not_before, next(seq), task))
                return
        finish(task, self._verdict(task, seen, rule, final=True))

    def _verdict(
        self, task: _Task, seen: _Seen, rule: Rule | None, final: bool, why: str = ""
    ) -> Result:
        """The verdict for the last answer of a task (retries are over)."""
        status = seen.status
        tries = task.attempt + 1
        after = f" after {tries} attempts" if tries > 1 else ""
        hops = f" after {len(task.chain)} redirect(s)" if task.chain else ""
        final_url = task.current if task.chain else None
        if seen.error is not None:
            # timeout, dropped, tls: cannot be verified from here, but not proven dead either
            verdict = "broken" if seen.error in ("dns", "refused", "invalid") else "warn"
            return Result(task.url, verdict, seen.detail + hops + after, final_url=final_url)
        assert status is not None
        override = None
        for r in (task.rule, rule):
            if r is not None and status in r.status:
                override = r.status[status]
                break
        if why:
            reason, verdict = why, "warn"
        elif seen.challenge:
            reason, verdict = f"HTTP {status}: a bot challenge page", "warn"
        elif 200 <= status < 300:
            reason, verdict = f"HTTP {status}", "ok"
        elif status in WARN_STATUSES:
            reason, verdict = f"HTTP {status}: {WARN_STATUSES[status]}", "warn"
        elif status == 429:
            reason, verdict = "HTTP 429: still rate limited", "warn"
        elif status == 408:
            reason, verdict = "HTTP 408: the server timed out", "warn"
        elif 300 <= status < 400:
            reason, verdict = f"HTTP {status} without a usable Location", "warn"
        else:
            reason, verdict = f"HTTP {status}", "broken"
        if override is not None and override != verdict:
            reason += f" (counted as {override} by a host rule)"
            verdict = override
        result = Result(
            task.url, verdict, reason + hops + after, status=status, final_url=final_url
        )
        if verdict == "ok" and task.chain and task.chain[0][0] in PERMANENT:
            result.note = f"moved permanently: consider writing {task.current}"
        return result

    def observed_max_in_flight(self) -> dict[str, int]:
        return {name: host.max_running for name, host in self.hosts.items()}
