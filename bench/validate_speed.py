"""Time the pipeline's stages on a synthetic catalogue of N resources (bench/synthetic.py).

Not a test: run it by hand (see bench/README.md). Every figure is compared with a baseline
measured in the same run on the same files, so the ratios hold on a busy machine too.

    .venv/bin/python bench/validate_speed.py [--resources 10000] [--repeat 3]

One function per stage; each returns the rows of its table.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from synthetic import make_synthetic_catalogue  # noqa: E402 - next to this script

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
    args = parser.parse_args()
    catalogue = args.workdir / f"synthetic-{args.resources}"
    if args.fresh and catalogue.exists():
        shutil.rmtree(catalogue)
    if not catalogue.exists():
        make_synthetic_catalogue(ROOT / "catalogue", catalogue, args.resources)
    print(versions())
    print(f"catalogue: {catalogue} ({args.resources} resources, "
          f"{sum(1 for _ in catalogue.rglob('*.yml'))} files), best of {args.repeat} runs")
    print_table("validate", validate_stage(catalogue, args.repeat))


if __name__ == "__main__":
    main()
