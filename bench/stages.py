"""Time each stage of `dl4mic-hub build` on synthetic catalogues, for each site generator.

Not a test: run it by hand (see bench/README.md). For each size it writes a synthetic catalogue
(bench/synthetic.py: real resources cloned with new ids), then times, one after another:
validate, render, the generator build of both languages (in parallel, strict, as `build`
runs it) for each generator asked for, and build's own last step (sitemaps, exports, root
pages) with the link check of the built pages. Each stage is its own function, so that a stage
can be timed alone. Prints a Markdown table and writes the figures as JSON.

    .venv/bin/python bench/stages.py --sizes 1000 10000 --generators mkdocs zensical
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from synthetic import make_synthetic_catalogue  # noqa: E402

from dl4mic_hub import LANGUAGES  # noqa: E402
from dl4mic_hub.build import (  # noqa: E402
    BaseConfig,
    _finish_site,
    choose_generator,
    generate_sites,
    read_base_config,
    repository_url,
)
from dl4mic_hub.build.generators import GeneratorRun  # noqa: E402
from dl4mic_hub.build.links import check_site_links  # noqa: E402
from dl4mic_hub.render import RenderedSite, render_site  # noqa: E402
from dl4mic_hub.validate import ValidationResult, validate_catalogue  # noqa: E402

BASE_URL = "http://127.0.0.1:8000/"
T = TypeVar("T")


def timed(work: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def stage_validate(catalogue: Path) -> tuple[float, ValidationResult]:
    seconds, result = timed(lambda: validate_catalogue(catalogue))
    if not result.ok:
        raise SystemExit(f"{catalogue}: the synthetic catalogue has errors")
    return seconds, result


def stage_render(validation: ValidationResult, base: BaseConfig, links_from_source: bool
                 ) -> tuple[float, RenderedSite]:
    """As build renders: for the address built for, links written for the generator."""
    return timed(lambda: render_site(validation.catalogue, repo_url=repository_url(base),
                                     site_url=BASE_URL, links_from_source=links_from_source))


def stage_generator(rendered: RenderedSite, base: BaseConfig, generator: str, work: Path
                    ) -> tuple[float, float, list[GeneratorRun]]:
    """Write the pages and configurations, then build both languages with the generator.
    Returns the wall time, the generator processes' CPU time (steadier on a shared machine)
    and the runs (each with its own wall time)."""
    chosen = choose_generator(generator, {}, base.origin())
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds, runs = timed(lambda: generate_sites(rendered, base, chosen, work, BASE_URL,
                                                 strict=True))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    failed = [line for run in runs if not run.ok for line in run.output[-5:]]
    if failed:
        raise SystemExit(f"{generator} failed:\n" + "\n".join(failed))
    return seconds, cpu, runs


def stage_finish(rendered: RenderedSite, site: Path) -> tuple[float, int]:
    """What build does after the generator (sitemaps, exports, root pages: the same function)
    and the link check of every built page; returns the problems found (none expected)."""
    def finish() -> int:
        _finish_site(site, rendered, BASE_URL)
        homes = ["index.html", *(f"{lang}/index.html" for lang in LANGUAGES)]
        return len(check_site_links(site, BASE_URL, homes))
    return timed(finish)


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def versions(generators: list[str]) -> dict[str, str]:
    from importlib.metadata import version

    found = {"python": platform.python_version(), "mkdocs-material": version("mkdocs-material")}
    found.update({name: version(name) for name in generators})
    return found


def bench_size(size: int, generators: list[str], out: Path, repeat: int
               ) -> list[dict[str, Any]]:
    """Each stage ``repeat`` times; the fastest time counts (the machine is shared)."""
    catalogue = make_synthetic_catalogue(ROOT / "catalogue", out / f"catalogue-{size}", size)
    base = read_base_config(ROOT / "mkdocs.yml")
    validate_s, validation = min((stage_validate(catalogue) for _ in range(repeat)),
                                 key=lambda timing: timing[0])
    rows = []
    renders: dict[bool, tuple[float, RenderedSite]] = {}
    for generator in generators:
        # Zensical rewrites relative links, so its pages are rendered for it (as build does)
        links_from_source = choose_generator(generator, {}, base.origin()).links_from_source
        if links_from_source not in renders:
            renders[links_from_source] = min(
                (stage_render(validation, base, links_from_source) for _ in range(repeat)),
                key=lambda timing: timing[0])
        render_s, rendered = renders[links_from_source]
        best: dict[str, Any] = {}
        for _ in range(repeat):
            work = out / f"work-{size}-{generator}"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            build_s, cpu_s, runs = stage_generator(rendered, base, generator, work)
            finish_s, problems = stage_finish(rendered, work / "site")
            row = {
                "resources": size, "generator": generator,
                "pages per language": len(rendered.pages[LANGUAGES[0]]),
                "validate s": validate_s, "render s": render_s,
                "generator s (both languages in parallel)": build_s,
                "per language s": {run.lang: run.seconds for run in runs},
                "generator CPU s (both languages)": cpu_s,
                "finish + link check s": finish_s, "link problems": problems,
                "site MB": folder_size(work / "site") / 1e6, "load average": os.getloadavg(),
            }
            shutil.rmtree(work, ignore_errors=True)
            key = "generator s (both languages in parallel)"
            if not best or row[key] < best[key]:
                best = row
            best["finish + link check s"] = min(best["finish + link check s"], finish_s)
            cpu_key = "generator CPU s (both languages)"
            best[cpu_key] = min(best[cpu_key], cpu_s)
        rows.append(best)
        print(json.dumps(best), flush=True)
    shutil.rmtree(catalogue, ignore_errors=True)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| resources | generator | validate s | render s | generator s (fr ‖ en) | "
             "generator CPU s | finish + links s | total s | site MB |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        gen = r["generator s (both languages in parallel)"]
        total = r["validate s"] + r["render s"] + gen + r["finish + link check s"]
        lines.append(f"| {r['resources']:,} | {r['generator']} | {r['validate s']:.1f} | "
                     f"{r['render s']:.1f} | {gen:.1f} | "
                     f"{r['generator CPU s (both languages)']:.1f} | "
                     f"{r['finish + link check s']:.1f} | "
                     f"{total:.1f} | {r['site MB']:.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--generators", nargs="+", default=["mkdocs", "zensical"])
    parser.add_argument("--out", type=Path, default=BENCH / "results-stages")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each stage N times and keep the fastest (default: 1)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = [row for size in args.sizes
            for row in bench_size(size, args.generators, args.out, args.repeat)]
    name = "stages-" + "-".join(map(str, args.sizes)) + ".json"
    (args.out / name).write_text(json.dumps(
        {"versions": versions(args.generators), "rows": rows}, indent=2), encoding="utf-8")
    print(json.dumps(versions(args.generators)))
    print(table(rows))


if __name__ == "__main__":
    main()
