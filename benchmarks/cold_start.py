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
`python -m checker.entry` (what the `privcheck` script runs; `checker.cli` in a checkout
without checker/entry.py) from its root, alternating run by run with this one (run the same way),
so that both see the same load: the fair before/after on a busy machine.

The policy is unchanged from run to run, so a tree with the results cache serves it from there
(a hit). `--miss` times an edited file instead: before each run a copy of the policy gets one
more trailing newline (no new text, new bytes), so the results cache misses while the compiled
state stays warm; `-- --no-cache` times a check with the results cache off.

`--importtime` also runs `python -X importtime` on the same command --runs times (taking turns
with --against's tree) and prints,
for every module whose median cumulative import time is at least --min-ms, its median self and
cumulative time (microseconds, as importtime prints them), nested as in the first run.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def entry_module(root: str) -> str:
    """What the installed `privcheck` script runs in the checkout at `root`: checker/entry.py
    (the results-cache path before click) where it exists, else the click group itself."""
    return "checker.entry" if os.path.exists(os.path.join(root, "checker", "entry.py")) \
        else "checker.cli"


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
    ap.add_argument("--miss", action="store_true",
                    help="edit a copy of the policy before each run (a results-cache miss)")
    ap.add_argument("--importtime", action="store_true",
                    help="also print a median `python -X importtime` table")
    ap.add_argument("--min-ms", type=float, default=2.0,
                    help="--importtime: the smallest cumulative time shown [default: 2]")
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    args = ap.parse_args(argv[:cut])
    extra = argv[cut + 1:]  # after `--`: more arguments for `privcheck check`
    policy = os.path.abspath(args.policy)
    edit = None
    if args.miss:
        folder = tempfile.mkdtemp(prefix="privcheck-miss-")
        copy = os.path.join(folder, os.path.basename(policy))
        shutil.copy(policy, copy)
        original = Path(policy).read_bytes()
        policy, count = copy, [0]

        def edit() -> None:  # one more trailing newline: new bytes, the same text
            count[0] += 1
            Path(copy).write_bytes(original + b"\n" * count[0])
    env = dict(os.environ)
    if not args.no_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    trees: dict[str, tuple[list[str], str | None, dict[str, str]]] = {}
    if args.against:
        for name, root in (("this", str(HERE.parent)), ("against", args.against)):
            tree_env = {**env, "PYTHONPATH": os.path.abspath(root)}
            trees[name] = ([sys.executable, "-m", entry_module(root), "check", policy, *extra],
                           os.path.abspath(root), tree_env)
    else:
        trees["this"] = ([*privcheck_cmd(), "check", policy, *extra], None, env)
    for cmd, cwd, tree_env in trees.values():
        one_run(cmd, cwd, tree_env)  # warm the cache (and the OS's file cache)
        one_run(cmd, cwd, tree_env)  # and Python's bytecode cache
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    for _ in range(args.runs):
        for name, (cmd, cwd, tree_env) in trees.items():
            if edit is not None:
                edit()
            times[name].append(one_run(cmd, cwd, tree_env))
    print(f"engine: {os.environ.get('PRIVCHECK_ENGINE') or 'auto'}; runs: {args.runs}; "
          f"bytecode cache: {'off' if args.no_bytecode else 'on'}")
    for name, (cmd, cwd, _) in trees.items():
        walls, cpus = zip(*times[name], strict=True)
        print(f"{name}: {' '.join(cmd)}" + (f"  (in {cwd})" if cwd else ""))
        print(f"  wall: median {statistics.median(walls):.3f} s, min {min(walls):.3f} s")
        print(f"  cpu:  median {statistics.median(cpus):.3f} s, min {min(cpus):.3f} s")
    if args.importtime:
        runs: dict[str, tuple[list[str], str | None, dict[str, str]]] = {}
        for name, (cmd, cwd, tree_env) in trees.items():
            module = entry_module(cwd or str(HERE.parent))
            argv = [sys.executable, "-X", "importtime", "-m", module, *cmd[cmd.index("check"):]]
            runs[name] = (argv, cwd, tree_env)
        tables = importtime_tables(runs, args.runs, edit)  # alternating, as the timings above
        for name, (order, samples, totals) in tables.items():
            print(f"\n{name}: python -X importtime, median of {args.runs} runs "
                  f"(self / cumulative, us; {'miss' if edit else 'cache warm'})")
            print_table(order, samples, totals, args.min_ms)

_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")


Samples = dict[str, list[tuple[int, int]]]


def importtime_tables(runs: dict[str, tuple[list[str], str | None, dict[str, str]]],
                      count: int, edit: object) -> dict[str, tuple[list[tuple[str, int]],
                                                                  Samples, list[int]]]:
    """Each tree's `python -X importtime` output, `count` runs, the trees taking turns run by
    run (so that each sees the same load): (module order, samples per module, totals)."""
    out: dict[str, tuple[list[tuple[str, int]], Samples, list[int]]] = {
        name: ([], {}, []) for name in runs}
    for i in range(count):
        for name, (argv, cwd, env) in runs.items():
            order, samples, totals = out[name]
            if callable(edit):
                edit()
            err = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                 cwd=cwd, env=env, check=False, text=True).stderr
            total = 0
            for m in _LINE.finditer(err):
                own, cumulative, indent, module = int(m[1]), int(m[2]), len(m[3]), m[4]
                total += own
                samples.setdefault(module, []).append((own, cumulative))
                if i == 0:
                    order.append((module, indent))
            totals.append(total)
    return out


def print_table(order: list[tuple[str, int]], samples: Samples, totals: list[int],
                min_ms: float) -> None:
    """Median self and cumulative import times per module, nested as importtime prints them."""
    print(f"{'self':>8} {'cumul':>8}  module")
    for module, indent in order:  # as importtime prints them: a module after its imports
        own = statistics.median(s[0] for s in samples[module])
        cumulative = statistics.median(s[1] for s in samples[module])
        if cumulative >= min_ms * 1000:
            print(f"{own:8.0f} {cumulative:8.0f}  {' ' * indent}{module}")
    print(f"all imports (sum of self times): median {statistics.median(totals) / 1000:.1f} ms, "
          f"{len(order)} modules")

if __name__ == "__main__":
    main()
