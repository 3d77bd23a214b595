#!/usr/bin/env python3
"""How long does one small policy take from the shell, cache warm?

    python benchmarks/cold_start.py [--runs 10] [POLICY] [-- extra privcheck args]

Runs `privcheck check POLICY` (default: policies/sample-compliant.md) once to warm the
compiled-state cache, then --runs more times, and prints the median and min wall time and the
median CPU time (user + system of the child, from getrusage), which is steadier than wall time
on a shared machine. The child's stdout goes to a pipe, as in a CI job, so no terminal output
path is taken.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def privcheck_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("privcheck")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "checker.cli"]


def one_run(cmd: list[str]) -> tuple[float, float]:
    """(wall, cpu) seconds of one child run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("policy", nargs="?", default=str(HERE.parent / "policies" /
                                                     "sample-compliant.md"))
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("extra", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    extra = [a for a in args.extra if a != "--"]
    cmd = [*privcheck_cmd(), "check", args.policy, *extra]
    one_run(cmd)  # warm the cache (and the OS's file cache)
    walls, cpus = zip(*(one_run(cmd) for _ in range(args.runs)), strict=True)
    print(f"command: {' '.join(cmd)}")
    print(f"engine: {os.environ.get('PRIVCHECK_ENGINE') or 'auto'}; runs: {args.runs}")
    print(f"wall: median {statistics.median(walls):.3f} s, min {min(walls):.3f} s")
    print(f"cpu:  median {statistics.median(cpus):.3f} s, min {min(cpus):.3f} s")


if __name__ == "__main__":
    main()
