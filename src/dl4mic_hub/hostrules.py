"""Host rules: what the link checker does differently for one host or URL pattern, and why.

Rules live in a catalogue file (``catalogue/linkcheck.yml``). ``validate`` reads it and checks
it against ``schemas/linkcheck.schema.json`` like every other catalogue file, so that a mistake
is reported as ``path:line:col: error: ...``; this module turns the checked data into rules,
each exception to the defaults carrying its reason. It needs no network code: the check stage
(``check/``), which does, only receives the rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Diagnostic, Origin, error, warning
from .load import LocatedDict, origin_at
from .urls import host_of

RULES_FILE = "linkcheck.yml"
RULES_SCHEMA = "linkcheck.schema.json"


@dataclass
class Rule:
    """One rule; ``host`` matches the host and its sub-domains, ``pattern`` the whole URL."""

    reason: str
    host: str | None = None
    pattern: re.Pattern[str] | None = None
    action: str = "check"  # check | warn (no request) | skip (not checked, not reported)
    follow: bool = True  # False: a redirect with a Location header is the answer (doi.org)
    status: dict[int, str] = field(default_factory=dict)  # HTTP status → verdict
    headers: dict[str, str] = field(default_factory=dict)
    max_in_flight: int | None = None
    interval: float | None = None  # seconds between two requests to the host
    allow_private: bool = False  # may contact private addresses (an intranet host)
    origin: Origin = field(default_factory=lambda: Origin("<built-in>"))

    def matches(self, url: str, host: str) -> bool:
        if self.pattern is not None:
            return self.pattern.search(url) is not None
        assert self.host is not None
        return host == self.host or host.endswith("." + self.host)

    @property
    def label(self) -> str:
        return (
            self.host
            if self.host is not None
            else f"/{self.pattern.pattern if self.pattern else ''}/"
        )


@dataclass
class HostRules:
    rules: list[Rule] = field(default_factory=list)
    path: str | None = None

    def for_url(self, url: str) -> Rule | None:
        """The first matching rule: URL patterns first (more precise), then the longest host."""
        host = host_of(url)
        for rule in self.rules:
            if rule.pattern is not None and rule.matches(url, host):
                return rule
        best: Rule | None = None
        for rule in self.rules:
            if (
                rule.host is not None
                and rule.matches(url, host)
                and (best is None or len(rule.host) > len(best.host or ""))
            ):
                best = rule
        return best

    def allows_private(self, url: str) -> bool:
        """Whether a rule matching ``url`` (host or pattern) allows private addresses."""
        host = host_of(url)
        return any(rule.allow_private and rule.matches(url, host) for rule in self.rules)

    def unused(self, urls: list[str]) -> list[Diagnostic]:
        """A warning for each rule that matches none of ``urls`` (a stale exception)."""
        used = {id(r) for r in (self.for_url(u) for u in urls) if r is not None}
        return [
            warning(
                rule.origin,
                f"the host rule for {rule.label} matches no URL of the catalogue",
                "delete the rule if the links it was written for are gone",
            )
            for rule in self.rules
            if id(rule) not in used
        ]


def rules_from(data: Any, display: str) -> tuple[HostRules, list[Diagnostic]]:
    """The rules of a file's data, already checked against its schema; a rule the schema
    cannot judge (a broken regular expression, a private-address grant too wide) is an error
    and left out."""
    rules: list[Rule] = []
    problems: list[Diagnostic] = []
    for index, item in enumerate(data.get("rules") or []):
        rule, diags = _rule(item, data, index, display)
        problems.extend(diags)
        if rule is not None:
            rules.append(rule)
    return HostRules(rules, display), problems


def _rule(
    item: LocatedDict, data: Any, index: int, display: str
) -> tuple[Rule | None, list[Diagnostic]]:
    where = origin_at(data, ("rules", index)) or Origin(display)
    pattern = None
    if "pattern" in item:
        try:
            pattern = re.compile(str(item["pattern"]))
        except re.error as exc:
            return None, [
                error(
                    origin_at(data, ("rules", index, "pattern")) or where,
                    f"the pattern is not a valid regular expression: {exc.msg}",
                    "escape dots and other special characters with a backslash, e.g. github\\.com",
                )
            ]
    if pattern is not None and item.get("allow_private"):
        # a pattern is searched in the whole URL: any address that contains its text (a
        # stranger's http://10.0.0.5/?intranet.example) would be granted private addresses
        return None, [error(
            origin_at(data, ("rules", index, "allow_private"), key=True) or where,
            "allow_private needs a host rule: a pattern matches any URL containing its text, "
            "whatever the host",
            "write the rule for the intranet's host: 'host: wiki.intranet.example'",
        )]
    host = str(item["host"]).lower() if "host" in item else None
    if host is not None and item.get("allow_private") and _covers_strangers(host):
        # a rule covers its host's sub-domains: 'host: org' would let any stranger's
        # something.org, resolving to a private address, be fetched
        return None, [error(
            origin_at(data, ("rules", index, "allow_private"), key=True) or where,
            f"allow_private needs a host of two labels or more: '{host}' covers every site "
            "under it, whoever owns them",
            "write the rule for the intranet's host: 'host: wiki.intranet.example'",
        )]
    return Rule(
        reason=str(item["reason"]),
        host=host,
        pattern=pattern,
        action=str(item.get("action", "check")),
        follow=bool(item.get("follow", True)),
        status={int(k): str(v) for k, v in (item.get("status") or {}).items()},
        headers={str(k): str(v) for k, v in (item.get("headers") or {}).items()},
        max_in_flight=item.get("max_in_flight"),
        interval=item.get("interval"),
        allow_private=bool(item.get("allow_private", False)),
        origin=where,
    ), []


def _covers_strangers(host: str) -> bool:
    """Whether a host rule for ``host`` covers sites of many owners: a single label ('org',
    'wiki') is a top-level domain, or may become one; 'localhost' is not (every name under it
    is this machine, RFC 6761). (The schema allows no IPv6 host; an IPv4 address has four
    labels and covers itself only.) Public suffixes of two labels (co.uk, github.io) are not
    recognised: docs/link-checking.md says so."""
    labels = [label for label in host.split(".") if label]
    return len(labels) < 2 and labels != ["localhost"]
