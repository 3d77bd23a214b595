#!/usr/bin/env python3
"""Where one process's CPU goes when it checks a fixed sample of policies (in process, no CLI).

    python benchmarks/profile_check.py [FOLDER ...] [--limit 200] [--config FILE] [--repeat 3]
    python benchmarks/profile_check.py --config policies/all-jurisdictions.yaml --cprofile 25
    python benchmarks/profile_check.py --stages        # read / extract / judge / serialise split

Checks the first `--limit` policies (sorted by name) of the folders given (default: every
../shared/corpus/*-dev/policies folder, interleaved so that the sample mixes them) with the
compiled state warm, and writes each report as a JSONL line to a throw-away buffer, as
`privcheck check --format jsonl` does. Times are CPU seconds of this process (time.process_time,
not wall time: the machine is shared), one figure per repetition and their median.
`--stages` splits a policy's CPU into reading, the matching engine's scan, the rest of fact
extraction, rule evaluation and serialisation; `--cprofile N` prints cProfile's top N functions
by own time over one pass. Skips cleanly when no corpus folder exists.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from datetime import date
from itertools import zip_longest
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPORA = HERE.parent.parent / "shared" / "corpus"
EXTENSIONS = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml")


def sample(folders: list[Path], limit: int) -> list[Path]:
    per = [sorted(p for p in d.iterdir() if p.is_file() and p.suffix.lower() in EXTENSIONS)
           for d in folders]
    mixed = [p for group in zip_longest(*per) for p in group if p is not None]
    return mixed[:limit]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folders", nargs="*", type=Path)
    ap.add_argument("--limit", type=int, default=200, help="policies in the sample [200]")
    ap.add_argument("--config", type=Path, help="check with this config (-c)")
    ap.add_argument("--repeat", type=int, default=3, help="timed passes [3]")
    ap.add_argument("--cprofile", type=int, default=0, metavar="N",
                    help="print cProfile's top N functions (own time) over one pass")
    ap.add_argument("--stages", action="store_true", help="split the CPU by pipeline stage")
    args = ap.parse_args()
    folders = args.folders or sorted(p / "policies" for p in CORPORA.glob("*-dev")
                                     if (p / "policies").is_dir())
    folders = [d for d in folders if d.is_dir()]
    if not folders:
        print(f"skip: no corpus folder under {CORPORA}", file=sys.stderr)
        return 0
    files = [str(p) for p in sample(folders, args.limit)]

    from checker.checkfile import check_file
    from checker.config import Config, load_config_file
    from checker.engine import make_plan

    plan = make_plan(load_config_file(args.config) if args.config else Config(),
                     today=date(2026, 1, 1))

    def one_pass() -> None:
        out = io.StringIO()
        for path in files:
            report = check_file(path, plan)
            out.write(report.model_dump_json() + "\n")

    one_pass()  # warm: compiled state loaded, lazily compiled regexes built
    times = []
    for _ in range(args.repeat):
        start = time.process_time()
        one_pass()
        times.append(time.process_time() - start)
    med = statistics.median(times)
    print(f"{len(files)} policies, {args.repeat} passes: CPU s per pass "
          f"{', '.join(f'{t:.2f}' for t in times)}; median {med:.2f} s = "
          f"{len(files) / med:,.0f} policies per CPU second "
          f"({med / len(files) * 1000:.2f} ms each)")
    if args.stages:
        stages(files, plan)
    if args.cprofile:
        prof = cProfile.Profile()
        prof.enable()
        one_pass()
        prof.disable()
        stats = pstats.Stats(prof)
        stats.sort_stats("tottime").print_stats(args.cprofile)
        stats.sort_stats("cumulative").print_stats(args.cprofile)
    return 0


def stages(files: list[str], plan) -> None:  # type: ignore[no-untyped-def]
    """Median over 3 passes of each stage's CPU, summed over the sample."""
    from checker.checkfile import read_options
    from checker.engine import judge
    from checker.facts import extract_facts
    from checker.facts.lexicon import state
    from checker.readers import read_policy

    engine = state().engine
    split: dict[str, list[float]] = {k: [] for k in ("read", "scan", "facts", "judge", "json")}
    for _ in range(3):
        acc = dict.fromkeys(split, 0.0)
        for path in files:
            t0 = time.process_time()
            doc = read_policy(path, options=read_options(plan))
            t1 = time.process_time()
            texts = [s.text for s in doc.sentences]
            engine.document(texts)
            t2 = time.process_time()
            facts = extract_facts(doc, plan.needed_facts)
            t3 = time.process_time()
            results = [judge(rule, facts, doc.path, plan) for rule in plan.rules]
            t4 = time.process_time()
            for r in results:
                r.model_dump_json()
            t5 = time.process_time()
            acc["read"] += t1 - t0
            acc["scan"] += t2 - t1
            acc["facts"] += (t3 - t2) - (t2 - t1)  # extraction scans again: counted once
            acc["judge"] += t4 - t3
            acc["json"] += t5 - t4
        for k, v in acc.items():
            split[k].append(v)
    total = sum(statistics.median(v) for v in split.values())
    print(f"\n{'stage':<8}{'CPU s':>8}{'share':>8}{'ms/policy':>11}")
    for k, v in split.items():
        m = statistics.median(v)
        print(f"{k:<8}{m:>8.2f}{m / total:>8.0%}{m / len(files) * 1000:>11.2f}")


if __name__ == "__main__":
    sys.exit(main())
