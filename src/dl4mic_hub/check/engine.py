"""The checking engine: a dispatcher that keeps every host polite and a pool of workers.

One *task* is one URL being checked; each hop of a redirect chain and each retry is sent back
to the dispatcher, so the per-host cap counts every request, a paused host holds no worker
asleep, and work is interleaved across hosts (one slow host cannot occupy every worker).
Workers only send requests through :mod:`.transport` (HEAD, then a GET whose body is never
read, to a checked address, within a wall-clock limit) and report what they saw; the
dispatcher decides on redirects, retries and verdicts.
"""

from __future__ import annotations

import email.utils
import heapq
import itertools
import queue
import random
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urljoin

from .. import REPOSITORY_URL, __version__
from ..hostrules import HostRules, Rule
from ..urls import host_of, mask_credentials
from .transport import Transport, TransportError
from .urls import refused_url

USER_AGENT = f"dl4mic-hub-checker/{__version__} (+{REPOSITORY_URL})"
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
    # Once connected, the whole answer (TLS handshake, status line, headers) must come within
    # this many seconds of wall-clock time, however the bytes trickle in.
    timeout: float = 15.0
    # Per URL: wall-clock time spent waiting for answers, retries included (pauses and backoff
    # are not counted, they are ours or the server's choice). Default: twice the timeout.
    deadline: float | None = None
    retries: int = 2
    backoff: float = 1.0  # first retry delay; doubles each time, with jitter
    retry_after_cap: float = 60.0  # a longer Retry-After makes the URL a warning
    max_redirects: int = 10
    user_agent: str = USER_AGENT
    # Contact private, loopback, link-local... addresses (intranets, tests); never metadata.
    allow_private: bool = False

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
    # What the verdict rests on: "request" (what the network said), "rule" (a host rule said
    # so without a request) or "refusal" (no request allowed: invalid URL, credentials,
    # private address). Only "request" ok results are cached.
    basis: str = "request"
    # What went wrong, as a code pages can put in words in each language: a TransportError
    # kind when no HTTP answer came (dns, refused, timeout, tls, dropped, forbidden, invalid),
    # "status" when the answer's status says it all (404, 503, also after retries or
    # redirects), "loop" and "redirects" (a redirect loop, too many), "challenge" (a bot
    # challenge page), "" otherwise (a host rule's reason: ``reason`` says it).
    cause: str = ""

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
            "basis": self.basis,
            "cause": self.cause,
        }


# --- what one request attempt saw -----------------------------------------------------------


@dataclass
class _Seen:
    status: int | None = None
    location: str | None = None
    retry_after: float | None = None
    challenge: bool = False
    error: str | None = None  # a TransportError kind: timeout, dropped, dns, forbidden...
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
    queued_at: float = 0.0
    sent_at: float = 0.0  # when the current request was handed to a worker
    # Time spent queued behind caps and pauses the server asked for: not counted in the deadline.
    waited: float = 0.0

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


@dataclass
class _Run:
    """The state of one :meth:`Checker.run`, shared by the dispatcher's steps."""

    progress: Callable[[Result], None] | None
    results: dict[str, Result] = field(default_factory=dict)
    remaining: int = 0  # tasks not finished yet
    running: int = 0  # requests handed to workers
    delayed: list[tuple[float, int, _Task]] = field(default_factory=list)  # (not before, seq)
    releases: list[tuple[float, str]] = field(default_factory=list)  # host slots held a moment
    done: queue.Queue[tuple[_Task, str, _Seen, float]] = field(default_factory=queue.Queue)
    seq: itertools.count[int] = field(default_factory=itertools.count)
    order: deque[str] = field(default_factory=deque)  # round-robin over hosts

    def record(self, result: Result) -> None:
        self.results[result.url] = result
        if self.progress:
            self.progress(result)

    def finish(self, task: _Task, result: Result) -> None:
        result.redirects = list(task.chain)
        result.attempts = task.attempt + 1
        result.elapsed = time.monotonic() - (task.started or time.monotonic())
        result.checked_at = time.time()
        self.remaining -= 1
        self.record(result)


class Checker:
    """Check many URLs politely. ``run`` returns one :class:`Result` per distinct URL."""

    def __init__(self, options: Options | None = None, rules: HostRules | None = None) -> None:
        self.options = options or Options()
        self.rules = rules or HostRules()
        self.hosts: dict[str, _Host] = {}
        self.transport = Transport(
            connect_timeout=self.options.connect_timeout,
            timeout=self.options.timeout,
            user_agent=self.options.user_agent,
            allow_private=self.options.allow_private,
        )

    # -- worker side ------------------------------------------------------------------------

    def _attempt(self, url: str, rule: Rule | None, use_head: bool, until: float) -> _Seen:
        """One attempt: HEAD, then GET if HEAD failed (many servers mishandle HEAD)."""
        seen = _Seen()
        for method in ["HEAD", "GET"] if use_head else ["GET"]:
            try:
                answer = self.transport.request(
                    method,
                    url,
                    until=until,
                    headers=rule.headers if rule else None,
                    allow_private=self.rules.allows_private(url),
                )
            except TransportError as exc:
                seen = _Seen(error=exc.kind, detail=exc.detail, silent=exc.silent)
                # A HEAD dropped by the server may still get a GET answer; a HEAD timeout is
                # a timeout (a GET would only wait as long again).
                if method == "HEAD" and exc.kind == "dropped":
                    continue
                return seen
            seen = _Seen(
                status=answer.status,
                location=answer.location,
                retry_after=parse_retry_after(answer.retry_after),
                challenge=answer.challenge,
            )
            if method == "HEAD" and answer.status >= 400 and not self._is_pause(seen):
                continue  # many servers refuse or mishandle HEAD: ask again with GET
            if method == "GET" and use_head and answer.status < 400:
                seen.head_refused = True
            return seen
        return seen

    @staticmethod
    def _is_pause(seen: _Seen) -> bool:
        """A rate-limit answer: asking again at once with GET would be impolite."""
        return seen.status == 429 or (seen.status == 503 and seen.retry_after is not None)

    def _work(self, run: _Run, task: _Task, name: str, use_head: bool, until: float) -> None:
        try:
            seen = self._attempt(task.current, self.rules.for_url(task.current), use_head, until)
        except Exception as exc:  # a bug must not hang the run: report it on the URL
            seen = _Seen(error="dropped", detail=f"internal error: {exc!r}")
        run.done.put((task, name, seen, time.monotonic()))

    # -- dispatcher side: the run, step by step ---------------------------------------------

    def run(
        self,
        urls: Iterable[str],
        progress: Callable[[Result], None] | None = None,
    ) -> dict[str, Result]:
        run = _Run(progress)
        for task in self._triage(urls, run):
            self._queue(run, task)
        with ThreadPoolExecutor(
            max_workers=max(1, self.options.concurrency), thread_name_prefix="check"
        ) as pool:
            while run.remaining:
                now = time.monotonic()
                self._wake_delayed(run, now)
                self._release_slots(run, now)
                wake = self._start_ready(run, pool, now)
                self._collect_answers(run, wake)
        self.transport.close()
        return run.results

    def _triage(self, urls: Iterable[str], run: _Run) -> list[_Task]:
        """Decide what needs no request (refused URLs, host rules that warn or skip) and
        make a task of every other distinct URL, in order."""
        tasks: list[_Task] = []
        for url in dict.fromkeys(urls):
            problem = refused_url(url)
            if problem is not None:
                reason = problem[1]
                run.record(Result(url, "broken", reason, checked_at=time.time(), basis="refusal"))
                continue
            rule = self.rules.for_url(url)
            if rule is not None and rule.action in ("warn", "skip"):
                verdict = "warn" if rule.action == "warn" else "ok"
                run.record(
                    Result(
                        url,
                        verdict,
                        f"not checked: {rule.reason}",
                        note="skipped by a host rule" if rule.action == "skip" else "",
                        checked_at=time.time(),
                        basis="rule",
                    )
                )
                continue
            tasks.append(_Task(url, url, rule))
        run.remaining = len(tasks)
        return tasks

    def _host(self, name: str, rule: Rule | None) -> _Host:
        host = self.hosts.get(name)
        if host is None:
            # Only a host rule (not a URL pattern) sets how a whole host is treated.
            rule = rule if rule is not None and rule.host is not None else None
            cap = rule.max_in_flight if rule and rule.max_in_flight else self.options.per_host
            host = _Host(cap=max(1, cap), interval=(rule.interval or 0.0) if rule else 0.0)
            self.hosts[name] = host
        return host

    def _queue(self, run: _Run, task: _Task, first: bool = False) -> None:
        """Put a task in its host's queue (``first``: before fresh work, for a retry)."""
        name = host_of(task.current)
        host = self._host(name, self.rules.for_url(task.current))
        if first:
            host.ready.appendleft(task)
        else:
            host.ready.append(task)
        if name not in run.order:
            run.order.append(name)

    def _wake_delayed(self, run: _Run, now: float) -> None:
        """Retries whose backoff or pause is over go back to their host's queue."""
        while run.delayed and run.delayed[0][0] <= now:
            _, _, task = heapq.heappop(run.delayed)
            task.queued_at = now
            self._queue(run, task, first=True)

    def _release_slots(self, run: _Run, now: float) -> None:
        while run.releases and run.releases[0][0] <= now:
            self.hosts[heapq.heappop(run.releases)[1]].running -= 1

    def _start_ready(self, run: _Run, pool: ThreadPoolExecutor, now: float) -> float:
        """Start what the caps allow, one request per host per round (interleaving), the
        hosts with the most work waiting first: when the global limit binds, the host with
        the longest queue (the one that finishes last at its per-host cap) gets its slots
        before hosts with one URL, so its tail does not end the run. Returns when to look
        again at the latest."""
        wake = min([now + 1.0] + [q[0][0] for q in (run.delayed, run.releases) if q])
        started = True
        while started and run.running < self.options.concurrency:
            started = False
            run.order.rotate(-1)
            for name in sorted(run.order, key=lambda n: -len(self.hosts[n].ready)):
                host = self.hosts[name]
                if not host.ready or host.running >= host.cap:
                    continue
                gate = max(host.paused_until, host.next_start)
                if gate > now:
                    wake = min(wake, gate)
                    continue
                self._send(run, pool, name, host, now)
                started = True
                if run.running >= self.options.concurrency:
                    break
        return wake

    def _send(
        self, run: _Run, pool: ThreadPoolExecutor, name: str, host: _Host, now: float
    ) -> None:
        task = host.ready.popleft()
        if task.started is None:
            task.started = now
        elif task.queued_at:
            task.waited += now - task.queued_at
        until = now + max(task.deadline(self.options.url_deadline) - now, 0.1)
        host.running += 1
        host.max_running = max(host.max_running, host.running)
        host.next_start = now + host.interval
        task.sent_at = now
        run.running += 1
        pool.submit(self._work, run, task, name, not host.head_unreliable, until)

    def _collect_answers(self, run: _Run, wake: float) -> None:
        """Wait for an answer until ``wake`` at most, then handle every answer ready."""
        try:
            item = run.done.get(timeout=max(0.005, wake - time.monotonic()))
        except queue.Empty:
            return
        while True:
            task, name, seen, at = item
            run.running -= 1
            host = self.hosts[name]
            if seen.status is not None:
                host.last_answer = max(host.last_answer, at)
            if seen.error == "timeout":
                # The server is probably still working on the abandoned request: keep its
                # slot a moment before sending that host more work.
                heapq.heappush(run.releases, (at + TIMEOUT_GRACE, name))
            else:
                host.running -= 1
            self._handle(run, task, host, seen, at)
            try:
                item = run.done.get_nowait()
            except queue.Empty:
                return

    def _handle(self, run: _Run, task: _Task, host: _Host, seen: _Seen, now: float) -> None:
        """What an answer leads to: the next hop, a retry later, or the verdict."""
        rule = self.rules.for_url(task.current)
        if seen.head_refused:
            host.head_unreliable = True
        result: Result | None
        if seen.status in REDIRECTS and seen.location:
            result = self._follow_redirect(run, task, seen, rule, now)
        elif self._retryable(task, host, seen):
            result = self._retry_later(run, task, host, seen, rule, now)
        else:
            result = self._verdict(task, seen, rule)
        if result is not None:
            run.finish(task, result)

    def _follow_redirect(
        self, run: _Run, task: _Task, seen: _Seen, rule: Rule | None, now: float
    ) -> Result | None:
        """Queue the next hop, or the verdict if the chain ends here."""
        assert seen.status is not None and seen.location is not None
        status, location = seen.status, seen.location.strip()
        try:
            target = mask_credentials(urljoin(task.current, location))
        except ValueError:  # a malformed Location: refused below like any invalid URL
            target = mask_credentials(location)
        if rule is not None and not rule.follow:
            task.chain.append((status, target))
            reason = f"redirects to {target} (not followed: {rule.reason})"
            return Result(task.url, "ok", reason, status=status, final_url=target)
        visited = {task.url, *(u for _, u in task.chain)}
        task.chain.append((status, target))
        if target in visited:
            return Result(task.url, "broken", "redirect loop", status=status, final_url=target,
                          cause="loop")
        if len(task.chain) > self.options.max_redirects:
            reason = f"more than {self.options.max_redirects} redirects"
            return Result(task.url, "broken", reason, status=status, final_url=target,
                          cause="redirects")
        task.current = target
        task.attempt = 0
        problem = refused_url(target)  # e.g. a redirect to file:, or to user:password@
        if problem is not None:
            return self._verdict(task, _Seen(error=problem[0], detail=problem[1]), rule)
        task.queued_at = now
        self._queue(run, task)
        return None

    @staticmethod
    def _retryable(task: _Task, host: _Host, seen: _Seen) -> bool:
        status = seen.status
        retryable = seen.error in ("timeout", "dropped") or (
            # 5xx only: a 999 (LinkedIn-style refusal) or other non-standard code is an answer
            status is not None and (status in RETRY_STATUSES or 500 <= status < 600)
        )
        if retryable and seen.silent and host.last_answer > task.sent_at:
            # The host answered other requests while this one got no complete answer in
            # time: this page is slow, not the host stalled, and asking again would only
            # wait as long again. A stalled or unknown host still gets its retries.
            seen.detail += " (the host answered other requests meanwhile: not retried)"
            return False
        return retryable

    def _retry_later(
        self, run: _Run, task: _Task, host: _Host, seen: _Seen, rule: Rule | None, now: float
    ) -> Result | None:
        """Schedule a retry after a backoff or the pause the server asked for (a rate-limit
        answer pauses the whole host); the verdict if retries or time are used up."""
        opts = self.options
        delay = opts.backoff * (2**task.attempt) * random.uniform(0.75, 1.0)
        if seen.retry_after is not None:
            if seen.retry_after > opts.retry_after_cap:
                host.paused_until = max(host.paused_until, now + opts.retry_after_cap)
                why = (
                    f"asked to wait {seen.retry_after:.0f} s (Retry-After), "
                    f"more than the {opts.retry_after_cap:.0f} s cap"
                )
                return self._verdict(task, seen, rule, why=why)
            delay = seen.retry_after
            host.paused_until = max(host.paused_until, now + delay)
        elif seen.status == 429:
            host.paused_until = max(host.paused_until, now + delay)
        task.waited += delay  # the deadline bounds time spent waiting for answers, not pauses
        # A retry needs time left for a useful answer (a second, or the connect timeout).
        time_left = now + delay + min(1.0, opts.connect_timeout) < task.deadline(
            opts.url_deadline
        )
        if task.attempt < opts.retries and time_left:
            task.attempt += 1
            heapq.heappush(run.delayed, (now + delay, next(run.seq), task))
            return None
        return self._verdict(task, seen, rule)

    def _verdict(self, task: _Task, seen: _Seen, rule: Rule | None, why: str = "") -> Result:
        """The verdict for the last answer of a task (retries are over)."""
        status = seen.status
        tries = task.attempt + 1
        after = f" after {tries} attempts" if tries > 1 else ""
        hops = f" after {len(task.chain)} redirect(s)" if task.chain else ""
        final_url = task.current if task.chain else None
        if seen.error is not None:
            # timeout, dropped, tls: cannot be verified from here, but not proven dead either
            verdict = "warn" if seen.error in ("timeout", "dropped", "tls") else "broken"
            basis = "refusal" if seen.error in ("forbidden", "invalid") else "request"
            reason = seen.detail + hops + after
            return Result(task.url, verdict, reason, final_url=final_url, basis=basis,
                          cause=seen.error)
        assert status is not None
        override = None
        for r in (task.rule, rule):
            if r is not None and status in r.status:
                override = r.status[status]
                break
        plain = not (why or seen.challenge or 300 <= status < 400)  # the status says it all
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
        cause = "status" if plain else "challenge" if seen.challenge and not why else ""
        result = Result(task.url, verdict, reason + hops + after, status=status,
                        final_url=final_url, cause=cause)
        if verdict == "ok" and task.chain and task.chain[0][0] in PERMANENT:
            result.note = f"moved permanently: consider writing {task.current}"
        return result

    def observed_max_in_flight(self) -> dict[str, int]:
        return {name: host.max_running for name, host in self.hosts.items()}
