"""Time the pipeline's stages on a synthetic catalogue of N resources (bench/synthetic.py).

Not a test: run it by hand (see bench/README.md). Every figure is compared with a baseline
measured in the same run, so the ratios hold on a busy machine too: for validate, loading the
same files with PyYAML's pure-Python loader; for render, the render stage of the commit before
the speed work (``--baseline``: a checkout of it, by default a git worktree of a1f6ea7 made
under build/bench/), on a synthetic catalogue of the same size made from its own catalogue.

    .venv/bin/python bench/validate_speed.py [--resources 10000] [--repeat 3] [--stages render]

One function per stage; each returns the rows of its table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from synthetic import make_synthetic_catalogue  # noqa: E402 - next to this script

BASELINE_COMMIT = "a1f6ea7"  # the first release, before the speed work of issue 12
Row = tuple[str, float, float]  # (what, wall seconds, CPU seconds): the best of the repeats


def best_of(repeat: int, steps: list[tuple[str, Callable[[], float]]]) -> list[Row]:
    """Each step's shortest wall time and shortest CPU time over ``repeat`` rounds; a step
    returns the CPU seconds it used (its own or a child process's). The steps take turns in
    each round, so a busy spell of the machine slows them alike."""
    walls: dict[str, list[float]] = {name: [] for name, _ in steps}
    cpus: dict[str, list[float]] = {name: [] for name, _ in steps}
    for _ in range(repeat):
        for name, run in steps:
            start = time.perf_counter()
            cpus[name].append(run())
            walls[name].append(time.perf_counter() - start)
    return [(name, min(walls[name]), min(cpus[name])) for name, _ in steps]


def _pure_python_load(files: list[Path]) -> float:
    start = time.process_time()
    for path in files:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    return time.process_time() - start


def _command(args: list[str]) -> float:
    before = os.times()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = os.times()
    return (after.children_user - before.children_user) + (
        after.children_system - before.children_system)


def validate_stage(catalogue: Path, repeat: int) -> list[Row]:
    """`dl4mic-hub validate` (the installed command, a process of its own, start-up included,
    and the same call in this process) against merely loading the same files with PyYAML's
    pure-Python SafeLoader (in this process): the target is at most half of that."""
    files = sorted(catalogue.rglob("*.yml"))
    command = [str(Path(sys.executable).with_name("dl4mic-hub")), "validate",
               "--catalogue", str(catalogue)]
    return best_of(repeat, [
        ("load every file with yaml.SafeLoader (pure Python)", lambda: _pure_python_load(files)),
        ("dl4mic-hub validate (the command, a process of its own)", lambda: _command(command)),
        ("the same in this process (cli.main)", lambda: _in_process(command[1:])),
    ])


# Renders a validated catalogue in a fresh process and prints what it took, as JSON: the
# whole stage (wall and CPU, a forked renderer's included) and, for today's code, its parts.
_RENDER_PROBE = """
import json, resource, sys, time
from pathlib import Path
from dl4mic_hub.validate import validate_catalogue
import dl4mic_hub.render as render
catalogue = validate_catalogue(Path(sys.argv[1])).catalogue
parts = {}
def timed(module, name, part):
    work = getattr(module, name)
    def run(*args, **kwargs):
        start = time.process_time()
        try:
            return work(*args, **kwargs)
        finally:
            parts[part] = parts.get(part, 0.0) + time.process_time() - start
    setattr(module, name, run)
options = {}
if sys.argv[2] != "baseline":
    import dl4mic_hub.export as export, dl4mic_hub.search as search
    if sys.argv[2] == "1":  # "auto": render_site's own choice (jobs=None)
        options["jobs"] = 1
        timed(export, "build_exports", "exports")
        timed(search, "build_search_index", "search index")
def cpu():
    used = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in used)
start_wall, start_cpu = time.perf_counter(), cpu()
render.render_site(catalogue, **options)
print(json.dumps({"wall": time.perf_counter() - start_wall, "cpu": cpu() - start_cpu,
                  "parts": parts}))
"""


def _render_probe(source: Path, catalogue: Path, jobs: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(source / "src")}
    out = subprocess.run([sys.executable, "-c", _RENDER_PROBE, str(catalogue), jobs],
                         check=True, capture_output=True, text=True, env=env).stdout
    return dict(json.loads(out.splitlines()[-1]))


def render_stage(catalogue: Path, baseline: Path, baseline_catalogue: Path,
                 repeat: int) -> list[Row]:
    """`render_site` in a fresh process (after validate, not timed), each way, best of
    ``repeat``: the baseline commit's; today's in one process (``jobs=1``), with its parts;
    today's as `build` runs it (``jobs`` chosen: a second language in a forked process from
    1,000 entries on two CPUs). Pages = the whole minus the search index and exports."""
    runs: dict[str, list[dict[str, Any]]] = {"baseline": [], "1": [], "auto": []}
    for _ in range(repeat):  # the ways take turns, so a busy spell slows them alike
        runs["baseline"].append(_render_probe(baseline, baseline_catalogue, "baseline"))
        runs["1"].append(_render_probe(ROOT, catalogue, "1"))
        runs["auto"].append(_render_probe(ROOT, catalogue, "auto"))

    def best(way: str, key: str) -> float:
        return min(float(run[key]) for run in runs[way])

    def part(name: str) -> float:
        return min(float(run["parts"][name]) for run in runs["1"])

    pages = min(run["cpu"] - sum(run["parts"].values()) for run in runs["1"])
    return [
        ("render at the baseline commit (pages only)", best("baseline", "wall"),
         best("baseline", "cpu")),
        ("render today, one process (jobs=1)", best("1", "wall"), best("1", "cpu")),
        ("  of which: pages", float("nan"), pages),
        ("  of which: search index (new)", float("nan"), part("search index")),
        ("  of which: exports (new)", float("nan"), part("exports")),
        ("render today, as build runs it (jobs chosen)", best("auto", "wall"),
         best("auto", "cpu")),
    ]


def baseline_checkout(commit: str, workdir: Path) -> Path:
    """A git worktree of ``commit`` under ``workdir`` (made once; the repository's own
    history, nothing fetched)."""
    target = workdir / f"baseline-{commit}"
    if not (target / "src").is_dir():
        made = subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach",
                               str(target), commit], capture_output=True, text=True)
        if made.returncode != 0:  # a shallow clone lacks the commit, for one
            sys.exit(f"validate_speed.py: cannot check out {commit} for the baseline "
                     f"(a full clone has it; or give --baseline PATH): {made.stderr.strip()}")
    return target


def synthetic_of(project: Path, workdir: Path, resources: int, fresh: bool) -> Path:
    """A synthetic catalogue made by ``project``'s own bench/synthetic.py from its catalogue
    (a baseline commit's catalogue fits its own schemas); named after the commit, written
    aside and renamed, so an interrupted run never leaves half a catalogue to reuse."""
    commit = subprocess.run(["git", "-C", str(project), "rev-parse", "--short=12", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or project.name
    target = workdir / f"baseline-synthetic-{commit}-{resources}"
    if fresh and target.exists():
        shutil.rmtree(target)
    if not target.exists():
        partial = target.with_name(target.name + ".partial")
        env = {**os.environ, "PYTHONPATH": str(project / "src")}
        subprocess.run([sys.executable, str(project / "bench" / "synthetic.py"), str(resources),
                        str(partial), "--source", str(project / "catalogue")],
                       check=True, capture_output=True, env=env)
        partial.rename(target)
    return target


def _in_process(args: list[str]) -> float:
    from contextlib import redirect_stderr
    from io import StringIO

    from dl4mic_hub.cli import main

    start = time.process_time()
    with redirect_stderr(StringIO()):
        main(args)
    return time.process_time() - start


def print_table(title: str, rows: list[Row]) -> None:
    base_wall, base_cpu = rows[0][1], rows[0][2]
    print(f"\n{title}\n")
    print("| step | wall s | CPU s | wall / first row | CPU / first row |")
    print("|---|---:|---:|---:|---:|")
    for what, wall, cpu in rows:
        if wall != wall:  # NaN: a part, timed in CPU only
            print(f"| {what} | | {cpu:.2f} | | {cpu / base_cpu:.2f} |")
            continue
        print(f"| {what} | {wall:.2f} | {cpu:.2f} | {wall / base_wall:.2f} | "
              f"{cpu / base_cpu:.2f} |")


def versions() -> str:
    from importlib.metadata import version

    libyaml = getattr(yaml, "__with_libyaml__", False) and yaml._yaml.get_version_string()
    return (f"Python {platform.python_version()}, PyYAML {yaml.__version__} (libyaml "
            f"{libyaml or 'absent'}), jsonschema {version('jsonschema')}, "
            f"{os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f} at the start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds; each step's best counts")
    parser.add_argument("--workdir", type=Path, default=ROOT / "build" / "bench")
    parser.add_argument("--fresh", action="store_true", help="write the catalogue again")
    parser.add_argument("--stages", nargs="+", choices=("validate", "render"),
                        default=["validate", "render"])
    parser.add_argument("--baseline", type=Path,
                        help=f"a checkout of the commit to compare render with (default: a git "
                             f"worktree of {BASELINE_COMMIT} under --workdir)")
    args = parser.parse_args()
    catalogue = args.workdir / f"synthetic-{args.resources}"
    if args.fresh and catalogue.exists():
        shutil.rmtree(catalogue)
    if not catalogue.exists():
        make_synthetic_catalogue(ROOT / "catalogue", catalogue, args.resources)
    print(versions())
    print(f"catalogue: {catalogue} ({args.resources} resources, "
          f"{sum(1 for _ in catalogue.rglob('*.yml'))} files), best of {args.repeat} runs")
    if "validate" in args.stages:
        print_table("validate", validate_stage(catalogue, args.repeat))
    if "render" in args.stages:
        baseline = args.baseline or baseline_checkout(BASELINE_COMMIT, args.workdir)
        old = synthetic_of(baseline, args.workdir, args.resources, args.fresh)
        print_table("render", render_stage(catalogue, baseline, old, args.repeat))


if __name__ == "__main__":
    main()
