#!/usr/bin/env python3
"""A long fuzzing run: readers, rule packs, configs, lexicons and baselines, a million inputs.

    python benchmarks/fuzz.py                          # 1,000,000 inputs on every core
    python benchmarks/fuzz.py --total 20000 --jobs 2 --seed 7 --out /tmp/fuzz-finds

Inputs are random bytes, random Unicode, runs of structural fragments (Markdown, HTML, YAML,
control and bidi characters) and mutations of valid seeds (the policies/ examples, the built-in
rule packs, a full config, a lexicon, a baseline); see tests/fuzz_targets.py for the targets and
what counts as a bug (anything but a PrivcheckError). Readers get the whole pipeline (every
rule checked) on one input in --full-every; the others are read and split only, which is where
a policy's bytes are parsed.

Prints the count, the rate, the uncaught exceptions (each kind once, the input saved under --out
for replay) and the inputs over --slow seconds (also saved). Deterministic for a given --seed
and --jobs.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fuzz_targets import FRAGMENTS, TARGETS, fuzz_reader, mutate, seeds, warm_up

# Share of the inputs per target (readers also get the unstructured generators).
MIX = {"reader": 0.40, "rule_pack": 0.10, "config": 0.20, "lexicon": 0.10, "baseline": 0.20}
EXTS = (".md", ".html", ".txt", "")


def generate(rng: random.Random, kind: str) -> bytes:
    choice = rng.random()
    if choice < 0.15:
        return rng.randbytes(rng.randint(0, 512))
    if choice < 0.30:
        return "".join(chr(rng.randint(1, 0x2FFFF)) for _ in range(rng.randint(0, 256))
                       ).encode("utf-8", "surrogatepass")
    if choice < 0.45:
        return "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 64))
                       ).encode("utf-8", "surrogatepass")
    return mutate(rng, rng.choice(seeds()[kind]))


def worker(args: tuple[int, int, int, str, float, int]) -> dict:
    index, count, seed, out, slow, full_every = args
    warm_up()
    rng = random.Random(seed * 1_000_003 + index)
    kinds = list(MIX)
    weights = [MIX[k] for k in kinds]
    found: Counter[str] = Counter()
    per_kind: Counter[str] = Counter()
    slow_inputs = 0
    worst = 0.0
    for i in range(count):
        kind = rng.choices(kinds, weights)[0]
        data = generate(rng, kind)
        t0 = time.perf_counter()
        try:
            if kind == "reader":
                fuzz_reader(data, rng.choice(EXTS), full=i % full_every == 0)
            else:
                TARGETS[kind](data)
        except Exception as exc:  # the bug class this run hunts for
            key = f"{kind}: {type(exc).__name__}: {str(exc)[:100]}"
            if not found[key]:
                _save(out, f"bug-{kind}-{index}-{i}", data, traceback.format_exc())
            found[key] += 1
        took = time.perf_counter() - t0
        worst = max(worst, took)
        if took > slow:
            slow_inputs += 1
            _save(out, f"slow-{kind}-{index}-{i}-{took:.1f}s", data, "")
        per_kind[kind] += 1
    return {"bugs": found, "per_kind": per_kind, "slow": slow_inputs, "worst": worst}


def _save(out: str, name: str, data: bytes, note: str) -> None:
    os.makedirs(out, exist_ok=True)
    Path(out, name + ".bin").write_bytes(data)
    if note:
        Path(out, name + ".txt").write_text(note)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--total", type=int, default=1_000_000)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch", type=int, default=2000, help="inputs per task")
    ap.add_argument("--slow", type=float, default=2.0, help="report inputs over this (s)")
    ap.add_argument("--full-every", type=int, default=50,
                    help="run every rule on one reader input in N")
    ap.add_argument("--out", default="fuzz-finds", help="where bugs and slow inputs are saved")
    args = ap.parse_args()
    tasks = []
    left = args.total
    while left > 0:
        n = min(args.batch, left)
        tasks.append((len(tasks), n, args.seed, args.out, args.slow, args.full_every))
        left -= n
    bugs: Counter[str] = Counter()
    per_kind: Counter[str] = Counter()
    slow = 0
    worst = 0.0
    done = 0
    t0 = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        for result in pool.imap_unordered(worker, tasks):
            bugs.update(result["bugs"])
            per_kind.update(result["per_kind"])
            slow += result["slow"]
            worst = max(worst, result["worst"])
            done += sum(result["per_kind"].values())
            elapsed = time.perf_counter() - t0
            print(f"{done:>9,} inputs  {done / elapsed:8.0f}/s  {len(bugs)} bug kinds  "
                  f"{slow} over {args.slow:g}s  worst {worst:.2f}s", flush=True)
    elapsed = time.perf_counter() - t0
    print(f"\n{done:,} inputs in {elapsed:.0f} s ({done / elapsed:.0f}/s, {args.jobs} processes)")
    print("per target: " + ", ".join(f"{k} {v:,}" for k, v in sorted(per_kind.items())))
    print(f"uncaught exceptions: {sum(bugs.values())} ({len(bugs)} kinds)")
    for key, n in bugs.most_common():
        print(f"  {n:>6}  {key}")
    print(f"inputs over {args.slow:g} s: {slow}; slowest {worst:.2f} s")
    return 1 if bugs or slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
