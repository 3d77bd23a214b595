#!/usr/bin/env python3
"""How long does one small policy take from the shell, cache warm?

    python benchmarks/cold_start.py [--runs 10] [--against TREE] [POLICY] [-- extra args]

Runs `privcheck check POLICY` (default: policies/sample-compliant.md) once to warm the
compiled-state cache, then --runs more times, and prints the median and min wall time and the
median CPU time (user + system of the child, from getrusage), which is steadier than wall time
on a shared machine. The child's stdout goes to a pipe, as in a CI job, so no terminal output
path is taken.

Python's bytecode cache is on for the child (PYTHONDONTWRITEBYTECODE is removed from its
environment), as in an installed privcheck whose .pyc files pip wrote; `--no-bytecode` keeps the
variable, and every privcheck module is then compiled from source on every run.

`--against TREE` also times another checkout (e.g. `git worktree add /tmp/main main`), run as
`python -m checker.cli` from its root, alternating run by run with this one (run the same way),
so that both see the same load: the fair before/after on a busy machine.
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


def one_run(cmd: list[str], cwd: str | None = None,
            env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall, cpu) seconds of one child run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False, cwd=cwd,
                   env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("policy", nargs="?", default=str(HERE.parent / "policies" /
                                                     "sample-compliant.md"))
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--against", metavar="TREE", help="another checkout to time alternately")
    ap.add_argument("--no-bytecode", action="store_true",
                    help="keep PYTHONDONTWRITEBYTECODE (modules compiled on every run)")
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    args = ap.parse_args(argv[:cut])
    extra = argv[cut + 1:]  # after `--`: more arguments for `privcheck check`
    policy = os.path.abspath(args.policy)
    env = dict(os.environ)
    if not args.no_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    trees: dict[str, tuple[list[str], str | None, dict[str, str]]] = {}
    if args.against:
        for name, root in (("this", str(HERE.parent)), ("against", args.against)):
            tree_env = {**env, "PYTHONPATH": os.path.abspath(root)}
            trees[name] = ([sys.executable, "-m", "checker.cli", "check", policy, *extra],
                           os.path.abspath(root), tree_env)
    else:
        trees["this"] = ([*privcheck_cmd(), "check", policy, *extra], None, env)
    for cmd, cwd, tree_env in trees.values():
        one_run(cmd, cwd, tree_env)  # warm the cache (and the OS's file cache)
        one_run(cmd, cwd, tree_env)  # and Python's bytecode cache
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    for _ in range(args.runs):
        for name, (cmd, cwd, tree_env) in trees.items():
            times[name].append(one_run(cmd, cwd, tree_env))
    print(f"engine: {os.environ.get('PRIVCHECK_ENGINE') or 'auto'}; runs: {args.runs}; "
          f"bytecode cache: {'off' if args.no_bytecode else 'on'}")
    for name, (cmd, cwd, _) in trees.items():
        walls, cpus = zip(*times[name], strict=True)
        print(f"{name}: {' '.join(cmd)}" + (f"  (in {cwd})" if cwd else ""))
        print(f"  wall: median {statistics.median(walls):.3f} s, min {min(walls):.3f} s")
        print(f"  cpu:  median {statistics.median(cpus):.3f} s, min {min(cpus):.3f} s")


if __name__ == "__main__":
    main()
