"""A synthetic catalogue of N resources, for benchmarks at sizes the real catalogue will reach.

Resources are cloned from the real ones in turn: every clone gets a unique id, title, URL and
DOI (so the validator's duplicate rules pass) and keeps everything else, vocabulary keys and
``related`` ids included (they point at the real entries, which are kept). FAQ entries, cheat
sheets, the glossary and the vocabularies are copied as they are. Deterministic: the same
source and N give the same files.

    .venv/bin/python bench/synthetic.py 10000 build/synthetic-10000
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
MODELINE = "# yaml-language-server: $schema=../../src/dl4mic_hub/schemas/resource.schema.json\n"


def _clone(data: dict[str, Any], number: int) -> dict[str, Any]:
    clone = dict(data)
    clone_id = f"{str(data['id'])[:50].rstrip('-')}-s{number}"
    clone["id"] = clone_id
    clone["title"] = {lang: f"{text} #{number}" for lang, text in data["title"].items()}
    if "url" in data:
        clone["url"] = f"https://synthetic.example.org/{clone_id}/"
    if "links" in data:
        clone["links"] = [
            {**link, "url": f"https://synthetic.example.org/{clone_id}/link-{i}"}
            for i, link in enumerate(data["links"])
        ]
    if "doi" in data:
        clone["doi"] = f"{data['doi']}.s{number}"
    if "successor" in data and "://" in str(data["successor"]):
        clone["successor"] = f"https://synthetic.example.org/{clone_id}/successor"
    if "curation" in data:  # required beside a status other than active; never shown
        clone["curation"] = [f"Synthetic clone of {data['id']} for benchmarks."]
    return clone


def make_synthetic_catalogue(source: Path, target: Path, resources: int) -> Path:
    """Write a catalogue with ``resources`` resources into ``target`` (replaced if it exists).
    The real resources count towards the total."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("resources"))
    out = target / "resources"
    out.mkdir()
    real = sorted((source / "resources").glob("*.yml"))
    for path in real[:resources]:
        shutil.copyfile(path, out / path.name)
    originals = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in real]
    for number in range(1, max(0, resources - len(real)) + 1):
        clone = _clone(originals[(number - 1) % len(originals)], number)
        text = yaml.safe_dump(clone, allow_unicode=True, sort_keys=False, width=100)
        (out / f"{clone['id']}.yml").write_text(MODELINE + text, encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("resources", type=int, help="number of resources (real ones included)")
    parser.add_argument("target", type=Path, help="folder to write (replaced if it exists)")
    parser.add_argument("--source", type=Path, default=ROOT / "catalogue")
    args = parser.parse_args()
    make_synthetic_catalogue(args.source, args.target, args.resources)
    print(f"{args.target}: {args.resources} resources")


if __name__ == "__main__":
    main()
