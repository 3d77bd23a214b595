#!/usr/bin/env python3
"""Do the matching engines (and two versions of privcheck) give the same verdicts and evidence?

    python benchmarks/compare_engines.py                      # every engine, every dev corpus
    python benchmarks/compare_engines.py --save before.jsonl  # record this version's output
    python benchmarks/compare_engines.py --against before.jsonl
    python benchmarks/compare_engines.py --config policies/all-jurisdictions.yaml  # every pack

Runs, in process, every policy of ../shared/corpus/*-dev/policies (or the folders given)
through each available engine (PRIVCHECK_ENGINE=hyperscan and re) with every built-in rule, and
compares per policy the findings (status, message, evidence with line, column and quote) and the
extracted facts (values and evidence). Prints each difference and a count; exits 1 if any.
`--save` writes the first engine's results as JSON lines; `--against` compares with such a file,
e.g. one written by the previous version (run it with PYTHONPATH pointing at that checkout).
Skips cleanly when no corpus folder exists: the corpora are never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CORPORA = HERE.parent.parent / "shared" / "corpus"
TODAY = date(2026, 1, 1)  # fixed, so that date rules agree between runs on different days


def folders(given: list[Path]) -> list[Path]:
    if given:
        return [p for p in given if p.is_dir()]
    return sorted(p / "policies" for p in CORPORA.glob("*-dev") if (p / "policies").is_dir())


def _reset() -> None:
    try:
        from checker.facts.lexicon import reset
    except ImportError:  # an older version: one engine, nothing to reset
        return
    reset()


def engines() -> list[str]:
    try:
        from checker.facts.matcher import available_engines
    except ImportError:
        return ["re"]
    return available_engines()


def run(files: list[Path], engine: str, config: Path | None = None
        ) -> tuple[dict[str, Any], float]:
    """{file: {"findings": [...], "facts": {...}}} with this engine, and the seconds it took."""
    os.environ["PRIVCHECK_ENGINE"] = engine
    _reset()
    from checker.checkfile import check_file
    from checker.config import Config, load_config_file
    from checker.engine import make_plan
    from checker.facts import extract_facts
    from checker.readers import read_policy

    plan = make_plan(load_config_file(config) if config else Config(), today=TODAY)
    out: dict[str, Any] = {}
    start = time.perf_counter()
    for path in files:
        report = check_file(str(path), plan)
        entry: dict[str, Any] = {"report": report.model_dump(mode="json")}
        try:
            facts = extract_facts(read_policy(str(path)))
            entry["facts"] = {k: v.model_dump(mode="json") for k, v in facts.items()}
        except Exception as exc:  # the report above already records the input error
            entry["facts"] = {"error": type(exc).__name__}
        out[str(path)] = entry
    return out, time.perf_counter() - start


def diff(a: Any, b: Any, where: str = "") -> list[str]:
    """Human-readable differences between two JSON values."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b), key=str):
            if k not in a or k not in b:
                out.append(f"{where}/{k}: only in {'second' if k not in a else 'first'}")
            else:
                out += diff(a[k], b[k], f"{where}/{k}")
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items vs {len(b)}: {json.dumps(a)[:300]} | "
                    f"{json.dumps(b)[:300]}"]
        pairs = enumerate(zip(a, b, strict=True))
        return [d for i, (x, y) in pairs for d in diff(x, y, f"{where}[{i}]")]
    return [] if a == b else [f"{where}: {json.dumps(a)[:200]} vs {json.dumps(b)[:200]}"]


def compare(first: dict[str, Any], second: dict[str, Any], label: str) -> int:
    n = 0
    for path in sorted(set(first) | set(second)):
        if path not in first or path not in second:
            print(f"{label}: {path}: checked by one side only")
            n += 1
            continue
        lines = diff(first[path], second[path])
        for line in lines[:20]:
            print(f"{label}: {Path(path).name}{line}")
        n += bool(lines)
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folders", nargs="*", type=Path)
    ap.add_argument("--save", type=Path, help="write the first engine's results (JSON lines)")
    ap.add_argument("--against", type=Path, help="compare with results saved by --save")
    ap.add_argument("--engine", action="append", help="only these engines (repeatable)")
    ap.add_argument("--config", type=Path, help="check with this config (e.g. "
                    "policies/all-jurisdictions.yaml, so that every pack applies)")
    args = ap.parse_args()
    dirs = folders(args.folders)
    if not dirs:
        print(f"skip: no corpus folder under {CORPORA}", file=sys.stderr)
        return 0
    files = [p for d in dirs for p in sorted(d.iterdir()) if p.is_file()]
    names = args.engine or engines()
    results = {}
    for name in names:
        results[name], secs = run(files, name, args.config)
        print(f"{name}: {len(files)} policies from {len(dirs)} folders in {secs:.1f} s")
    differing = 0
    for other in names[1:]:
        n = compare(results[names[0]], results[other], f"{names[0]} vs {other}")
        print(f"{names[0]} vs {other}: {n} of {len(files)} policies differ")
        differing += n
    if args.save:
        with args.save.open("w", encoding="utf-8") as f:
            for path, entry in results[names[0]].items():
                f.write(json.dumps({"path": path, **entry}, sort_keys=True) + "\n")
    if args.against:
        saved = {}
        for line in args.against.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            saved[entry.pop("path")] = entry
        n = compare(saved, results[names[0]], f"saved vs {names[0]}")
        print(f"saved ({args.against}) vs {names[0]}: {n} of {len(files)} policies differ")
        differing += n
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
