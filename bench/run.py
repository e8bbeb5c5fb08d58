"""Benchmark `dl4mic-hub check-links` against peer link checkers on a local multi-host web.

Not a test: run it by hand (see bench/README.md). It starts 20 fake hosts on loopback
addresses 127.0.1.1-127.0.1.20 in a separate process (with latency and the usual faults),
writes the URL list, runs each checker with the same timeout, and prints a Markdown table:
wall time, peak memory, false alarms, missed breakage, and the most requests the server saw
in flight at once on one host. Only loopback addresses are ever contacted.

    .venv/bin/python bench/run.py [--urls-per-host 100] [--timeout 5] [--out bench/results]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
HOSTS = [f"127.0.1.{i}" for i in range(1, 21)]
TOOL_LIMIT = 300.0  # seconds; a tool still running then is reported as unfinished

# (path template, expected verdict, share of each host's URLs)
FAULTS: list[tuple[str, str, int]] = [
    ("redirect/2/ok/{n}", "ok", 6),
    ("status/404/{n}", "broken", 3),
    ("status/410/{n}", "broken", 1),
    ("status/500/{n}", "broken", 1),
    ("flaky/503/2/{n}", "ok", 2),  # 503 twice (HEAD and GET, or two GETs), then 200
    ("ratelimit/1/1/{n}", "ok", 2),  # 429 with Retry-After: 1 once, then 200
    ("nohead/{n}", "ok", 3),  # HEAD refused with 405, GET fine
    ("loop/a/{n}", "broken", 1),
    ("status/403/{n}", "warn", 1),  # bot protection: cannot be verified
    ("status/999/{n}", "warn", 1),
]
SLOW = ("slow/{delay}/{n}", "warn")  # one per host: answers after 1.6 x the timeout
BIG = ("big/50/{n}", "ok")  # one per host on the first 5 hosts: a 50 MB body


# --- the fake web (a separate process, so the checkers never share its GIL) ------------------


def serve(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from support.fakeweb import FakeHost

    hosts = []
    for index, address in enumerate(HOSTS):
        # latency 20-210 ms, the spread of real academic and CDN-backed sites
        hosts.append(FakeHost(address, latency=0.02 + 0.01 * index).__enter__())
    urls: list[tuple[str, str]] = []
    for index, host in enumerate(hosts):
        plan: list[tuple[str, str]] = []
        for template, verdict, share in FAULTS:
            for _ in range(share):
                plan.append((template, verdict))
        plan.append((SLOW[0].replace("{delay}", str(round(args.timeout * 1.6, 1))), SLOW[1]))
        if index < 5:
            plan.append(BIG)
        while len(plan) < args.urls_per_host:
            plan.append(("ok/{n}", "ok"))
        for n, (template, verdict) in enumerate(plan, start=1):
            urls.append((host.url(template.format(n=f"{index}-{n}")), verdict))
    # Dead hosts: a refused connection and a name that does not resolve.
    urls += [(f"http://127.0.1.99:9/page/{i}", "broken") for i in range(5)]
    urls += [(f"http://unknown-host-{i}.invalid/", "broken") for i in range(5)]
    # Interleave hosts like a real list (not 100 URLs of one site in a row).
    urls.sort(key=lambda item: (hash(item[0]) % 997, item[0]))
    Path(args.urls).write_text("".join(u + "\n" for u, _ in urls), encoding="utf-8")
    Path(args.truth).write_text(json.dumps(dict(urls), indent=0), encoding="utf-8")
    print("ready", flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command == "reset":
            for host in hosts:
                host.reset()
            print("ok", flush=True)
        elif command == "stats":
            print(
                json.dumps(
                    {
                        "max_in_flight": max(h.stats.max_in_flight for h in hosts),
                        "requests": sum(len(h.stats.hits) for h in hosts),
                        "body_bytes": sum(h.stats.body_bytes_sent for h in hosts),
                        "at_peak": max(
                            (h.stats for h in hosts), key=lambda st: st.max_in_flight
                        ).at_peak,
                    }
                ),
                flush=True,
            )
        elif command == "quit":
            break
    for host in hosts:
        host.__exit__(None, None, None)


# --- the checkers ----------------------------------------------------------------------------


def run_tool(
    argv: list[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, float, str, int]:
    """Wall time (s), peak RSS (MB) and stdout of one run; a run over the limit is killed."""
    start = time.monotonic()
    out_path = cwd / "stdout.txt"
    with out_path.open("w") as out:
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            stdout=out,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "CI": "true", **(env or {})},
        )
        deadline = start + TOOL_LIMIT
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                status = -1
                break
            time.sleep(0.05)
    wall = time.monotonic() - start
    return (
        wall,
        usage.ru_maxrss / 1024,
        out_path.read_text(encoding="utf-8", errors="replace"),
        status,
    )


def failures_ours(out: str) -> dict[str, str]:
    return {r["url"]: r["verdict"] for r in json.loads(out)["results"]}


def failures_lychee(out: str) -> set[str]:
    data = json.loads(out)
    return {item["url"] for items in data.get("error_map", {}).values() for item in items}


def failures_linkchecker(out: str) -> set[str]:
    failed = set()
    for line in out.splitlines():
        cells = line.split(";")
        if len(cells) > 7 and cells[0].startswith("http") and cells[6] == "False":
            failed.add(cells[0])
    return failed


def failures_linkinator(out: str) -> set[str]:
    data = json.loads(out[out.index("{") :])
    return {link["url"] for link in data["links"] if link.get("state") == "BROKEN"}


def failures_mlc(out: str) -> set[str]:
    return {m.group(1) for m in re.finditer(r"\[✖\] (\S+)", out)}


def version(argv: list[str]) -> str:
    try:
        text = subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unavailable ({exc})"
    return text.strip().splitlines()[-1] if text.strip() else "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--urls-per-host", type=int, default=100)
    parser.add_argument(
        "--timeout", type=float, default=5.0, help="the same timeout for every tool (s)"
    )
    parser.add_argument("--out", type=Path, default=BENCH / "results")
    parser.add_argument("--only", nargs="*", help="run only these tools")
    parser.add_argument("--urls", default="", help=argparse.SUPPRESS)
    parser.add_argument("--truth", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args)
        return

    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    urls, truth_path = out / "urls.txt", out / "truth.json"
    server = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--serve",
            "--urls-per-host",
            str(args.urls_per_host),
            "--timeout",
            str(args.timeout),
            "--urls",
            str(urls),
            "--truth",
            str(truth_path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout and server.stdin
    assert server.stdout.readline().strip() == "ready"
    truth: dict[str, str] = json.loads(truth_path.read_text(encoding="utf-8"))
    ok_urls = out / "urls-ok.txt"  # the working URLs only: what the cache can serve
    ok_urls.write_text("".join(u + "\n" for u, v in truth.items() if v == "ok"), encoding="utf-8")
    (out / "urls.md").write_text("".join(f"- <{u}>\n" for u in truth), encoding="utf-8")
    t = args.timeout
    ours = [
        str(ROOT / ".venv/bin/dl4mic-hub"),
        "check-links",
        "--urls",
        str(urls),
        "--no-rules",
        "--allow-private",  # the fake web is on loopback addresses, refused by default
        "--format",
        "json",
        "--timeout",
        str(t),
        "--no-progress",
    ]
    cache = out / "cache.json"
    ours_ok = [*ours[:3], str(ok_urls), *ours[4:]]
    env_bin, node_bin = BENCH / ".env/bin", BENCH / "node_modules/.bin"
    (out / "mlc.json").write_text(json.dumps({"timeout": f"{int(t)}s", "retryOn429": True}))
    tools = [
        ("dl4mic-hub (cold)", [*ours, "--no-cache"], failures_ours, None),
        ("dl4mic-hub (cold, fresh cache)", [*ours, "--cache", str(cache)], failures_ours, "fresh"),
        ("dl4mic-hub (cached re-run)", [*ours, "--cache", str(cache)], failures_ours, None),
        (
            "dl4mic-hub (working URLs only, cold)",
            [*ours_ok, "--cache", str(cache)],
            failures_ours,
            "fresh",
        ),
        (
            "dl4mic-hub (working URLs only, cached re-run)",
            [*ours_ok, "--cache", str(cache)],
            failures_ours,
            None,
        ),
        (
            "lychee",
            [
                str(env_bin / "lychee"),
                "--format",
                "json",
                "--no-progress",
                "-t",
                str(int(t)),
                str(urls),
            ],
            failures_lychee,
            None,
        ),
        (
            "linkchecker",
            [
                str(env_bin / "linkchecker"),
                "-r0",
                "--no-status",
                "-o",
                "csv",
                "--timeout",
                str(int(t)),
                "--check-extern",
                "--stdin",
            ],
            failures_linkchecker,
            None,
        ),
        (
            "linkinator",
            [
                str(node_bin / "linkinator"),
                *truth,
                "--format",
                "json",
                "--timeout",
                str(int(t * 1000)),
            ],
            failures_linkinator,
            None,
        ),
        (
            "markdown-link-check",
            [
                str(node_bin / "markdown-link-check"),
                "-c",
                str(out / "mlc.json"),
                str(out / "urls.md"),
            ],
            failures_mlc,
            None,
        ),
    ]
    rows = []
    for name, argv, parse, flag in tools:
        if args.only and not any(o in name for o in args.only):
            continue
        if flag == "fresh" and cache.exists():
            cache.unlink()
        if not Path(argv[0]).exists():
            rows.append({"tool": name, "error": f"not installed ({argv[0]})"})
            continue
        server.stdin.write("reset\n")
        server.stdin.flush()
        server.stdout.readline()
        work = out / re.sub(r"\W+", "-", name).strip("-")
        work.mkdir(exist_ok=True)
        if name == "linkchecker":
            argv = ["sh", "-c", f"{' '.join(argv)} < {urls}"]
        print(f"running {name}...", file=sys.stderr, flush=True)
        wall, rss, stdout, status = run_tool(argv, work)
        server.stdin.write("stats\n")
        server.stdin.flush()
        stats = json.loads(server.stdout.readline())
        row = {"tool": name, "wall": wall, "rss": rss, "exit": status, **stats}
        try:
            verdicts = parse(stdout)
        except (ValueError, KeyError) as exc:
            row["error"] = f"output not understood ({exc})"
            rows.append(row)
            continue
        if isinstance(verdicts, dict):  # ours: three verdicts
            failed = {u for u, v in verdicts.items() if v == "broken"}
            row["wrong"] = sum(1 for u, v in truth.items() if verdicts.get(u) != v)
            row["unchecked"] = sum(1 for u in truth if u not in verdicts)
            if "working URLs only" in name:  # scored on its own list
                row["wrong"] = sum(1 for u, v in verdicts.items() if truth.get(u) != v)
                row["unchecked"] = 0
        else:
            failed = verdicts
        row["false_ok"] = sum(1 for u in failed if truth.get(u) == "ok")
        row["false_warn"] = sum(1 for u in failed if truth.get(u) == "warn")
        scope = truth
        if "working URLs only" in name:
            scope = {u: v for u, v in truth.items() if v == "ok"}
        row["missed"] = sum(1 for u, v in scope.items() if v == "broken" and u not in failed)
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    server.stdin.write("quit\n")
    server.stdin.flush()
    server.wait(timeout=30)

    versions = {
        "dl4mic-hub": version([str(ROOT / ".venv/bin/dl4mic-hub"), "--version"]),
        "lychee": version([str(env_bin / "lychee"), "--version"]),
        "linkchecker": "10.6.0",
        "linkinator": version([str(node_bin / "linkinator"), "--version"]),
        "markdown-link-check": version([str(node_bin / "markdown-link-check"), "--version"]),
        "python": platform.python_version(),
        "node": version(["node", "--version"]),
    }
    counts = {v: sum(1 for x in truth.values() if x == v) for v in ("ok", "warn", "broken")}
    (out / "results.json").write_text(
        json.dumps({"rows": rows, "versions": versions, "counts": counts, "timeout": t}, indent=2)
    )
    print(table(rows, versions, counts, t))


def table(
    rows: list[dict], versions: dict[str, str], counts: dict[str, int], timeout: float
) -> str:
    lines = [
        f"Scenario: {sum(counts.values())} URLs on 20 loopback hosts (latency 20-210 ms) plus "
        f"refused and unresolvable hosts; expected {counts['ok']} ok, {counts['warn']} "
        f"unverifiable (403, 999, slower than the timeout), {counts['broken']} broken. "
        f"Timeout {timeout:g} s for every tool; machine: {os.cpu_count()} cores.",
        "",
        "| tool | wall time (s) | peak memory (MB) | false alarms on working URLs "
        "| alarms on unverifiable URLs | missed breakage | wrong verdicts (3-way) "
        "| max in flight per host | requests |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if "wall" not in r:
            lines.append(f"| {r['tool']} | {r.get('error')} | | | | | | | |")
            continue
        if "false_ok" not in r:
            lines.append(
                f"| {r['tool']} | {r['wall']:.1f} | {r['rss']:.0f} | {r.get('error')} | | | | "
                f"{r['max_in_flight']} | {r['requests']} |"
            )
            continue
        lines.append(
            f"| {r['tool']} | {r['wall']:.1f} | {r['rss']:.0f} | {r['false_ok']} "
            f"| {r['false_warn']} | {r['missed']} | {r.get('wrong', '—')} "
            f"| {r['max_in_flight']} | {r['requests']} |"
        )
    lines += ["", "Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items())]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
