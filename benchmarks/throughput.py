#!/usr/bin/env python3
"""How fast is privcheck over a corpus, how much memory does it take, and how far from the floor?

    python benchmarks/throughput.py FOLDER [--replicate 5000] [--jobs 2] [--config FILE]
    python benchmarks/throughput.py            # ../shared/corpus/opp115-dev/policies, x5000
    python benchmarks/throughput.py FOLDER --replicate 300 --jobs 1 \
        --config policies/all-jurisdictions.yaml   # every pack applies (issue 9's figure)

Prints, for the corpus (optionally replicated into a temporary folder up to N files):
- privcheck policies/s single-process and with --jobs N, MB/s, policies/s per core;
- peak memory: the largest process (wait4's ru_maxrss, which covers the pool workers) and the
  largest sum over the process tree, sampled from /proc while it runs;
- the floor: the same files read, decoded, lower-cased and searched for one word, in one process,
  and privcheck's ratio to it;
- startup: `privcheck check` on one small policy and `privcheck --help`, from the shell.

privcheck runs as a subprocess exactly as a user runs it (`--format jsonl -o /dev/null
--no-progress`), so its imports, its pool and its output are all in the figures. The corpus is
never copied into the repository: replicas live in a temporary folder that is deleted after.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "opp115-dev" / "policies"
EXTENSIONS = (".txt", ".text", ".md", ".markdown", ".mdown", ".html", ".htm", ".xhtml")


def policy_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONS)


def replicate(files: list[Path], n: int, into: Path) -> list[Path]:
    """Copies of the corpus, cycled until there are n files (distinct names, same contents)."""
    out = []
    for i in range(n):
        src = files[i % len(files)]
        sub = into / f"{i // 1000:04d}"  # 1,000 files a folder, like a real crawl's layout
        sub.mkdir(exist_ok=True)
        dst = sub / f"{i:07d}_{src.name}"
        shutil.copyfile(src, dst)
        out.append(dst)
    return out


def privcheck_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("privcheck")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "checker.cli"]


def _tree_rss(root: int) -> int:
    """Resident memory of `root` and all its descendants, in bytes (Linux /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            with open(f"/proc/{entry}/statm") as f:
                pages = int(f.read().split()[1])
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += [c for c, p in parents.items() if p == pid]
    return total


def run_privcheck(args: list[str]) -> dict[str, float]:
    """Wall time, the largest process's peak RSS, and the peak summed RSS of the process tree."""
    start = time.perf_counter()
    proc = subprocess.Popen(privcheck_cmd() + args, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    peak_tree = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak_tree
        while not stop.is_set():
            if os.path.isdir("/proc"):
                peak_tree = max(peak_tree, _tree_rss(proc.pid))
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    stop.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        sys.exit(f"privcheck failed ({proc.returncode}): {stderr.decode()[-2000:]}")
    # wait4's ru_maxrss is in KB on Linux and covers the child's own waited-for children.
    return {"seconds": elapsed, "peak_mb": usage.ru_maxrss / 1024, "tree_mb": peak_tree / 1e6,
            "cpu": usage.ru_utime + usage.ru_stime}


def floor(files: list[Path], word: str = "privacy") -> float:
    """The least any checker must do: read, decode, lower-case, find one literal word."""
    start = time.perf_counter()
    hits = 0
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace").lower()
        hits += word in text
    return time.perf_counter() - start


def startup(small: Path, repeat: int) -> tuple[float, float]:
    def timed(args: list[str]) -> float:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(privcheck_cmd() + args, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    return timed(["check", str(small), "--no-progress"]), timed(["--help"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--replicate", type=int, default=None,
                    help="copy the corpus round-robin up to N files (default: 5000 for the "
                         "default corpus, none otherwise)")
    ap.add_argument("--jobs", type=int, default=2, help="the parallel run's --jobs [2]")
    ap.add_argument("--skip-single", action="store_true", help="skip the --jobs 1 run")
    ap.add_argument("--repeat", type=int, default=5, help="startup timing repetitions [5]")
    ap.add_argument("--config", type=Path, default=None,
                    help="check with this config (-c), e.g. policies/all-jurisdictions.yaml so "
                         "that every pack applies; the default is privcheck's built-in config")
    ap.add_argument("--skip-startup", action="store_true",
                    help="skip the one-small-policy and --help timings")
    args = ap.parse_args()

    if not args.folder.is_dir():
        print(f"skip: corpus folder {args.folder} not found", file=sys.stderr)
        return
    files = policy_files(args.folder)
    if not files:
        sys.exit(f"no policy files under {args.folder}")
    n = args.replicate if args.replicate is not None else (
        5000 if args.folder == DEFAULT_CORPUS else 0)
    with tempfile.TemporaryDirectory(prefix="privcheck-bench-") as tmp:
        if n:
            files = replicate(files, n, Path(tmp))
            target = Path(tmp)
        else:
            target = args.folder
        size_mb = sum(p.stat().st_size for p in files) / 1e6
        print(f"corpus: {args.folder} -> {len(files):,} policies, {size_mb:.1f} MB"
              f"{' (replicated)' if n else ''}; {os.cpu_count()} CPUs")
        floor(files[:50])  # warm the page cache so neither side pays for the disk
        t_floor = floor(files)
        rows = [("floor (read+lower+find, 1 process)", t_floor, None, None, t_floor)]
        common = ["check", str(target), "--format", "jsonl", "-o", os.devnull, "--no-progress"]
        if args.config is not None:
            common += ["-c", str(args.config.resolve())]
        print(f"config: {args.config or 'built-in defaults'}")
        # One policy first, so that neither timed run pays for building the compiled state
        # (a cold cache costs about 20 s of CPU once; every later run loads it).
        run_privcheck([*common[:1], str(files[0]), *common[2:]])
        runs = [] if args.skip_single else [1]
        if args.jobs not in runs:
            runs.append(args.jobs)
        results = {}
        for jobs in runs:
            r = run_privcheck([*common, "--jobs", str(jobs)])
            results[jobs] = r
            rows.append((f"privcheck --jobs {jobs}", r["seconds"], r["peak_mb"], r["tree_mb"],
                         r["cpu"]))
        # CPU seconds (user + system of the whole process tree) say more than wall time on a
        # shared machine: policies per CPU second is what one free core would do.
        print(f"\n{'run':<38}{'seconds':>9}{'policies/s':>12}{'per core':>10}{'MB/s':>8}"
              f"{'peak MB':>9}{'tree MB':>9}{'CPU s':>8}{'per CPU s':>11}")
        for label, secs, peak, tree, cpu in rows:
            jobs = int(label.rsplit(" ", 1)[1]) if label.startswith("privcheck") else 1
            rate = len(files) / secs
            print(f"{label:<38}{secs:>9.2f}{rate:>12,.0f}{rate / jobs:>10,.0f}"
                  f"{size_mb / secs:>8.2f}"
                  f"{'' if peak is None else f'{peak:.0f}':>9}"
                  f"{'' if tree is None else f'{tree:.0f}':>9}"
                  f"{cpu:>8.2f}{len(files) / cpu:>11,.0f}")
        print("\nratio to the floor (privcheck time / floor time; 1 = as fast as the floor):")
        for jobs, r in results.items():
            print(f"  --jobs {jobs}: {r['seconds'] / t_floor:,.0f}x")
        if args.skip_startup:
            return
        small = min(files, key=lambda p: p.stat().st_size)
        check_s, help_s = startup(small, args.repeat)
        print(f"\nstartup (median of {args.repeat}): `privcheck check` on one small policy "
              f"({small.stat().st_size:,} bytes) {check_s:.2f} s; "
              f"`privcheck --help` {help_s:.2f} s")
        print("targets: >= 300 policies/s per core, peak < 200 MB, one small policy < 0.5 s")


if __name__ == "__main__":
    main()
