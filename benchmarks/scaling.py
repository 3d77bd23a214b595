#!/usr/bin/env python3
"""Does every stage stay linear? Times each stage on 0.5/1/2/4 MB of hostile shapes.

    python benchmarks/scaling.py                      # every shape, 0.5 1 2 4 MB
    python benchmarks/scaling.py --shapes blank-lines --sizes 0.25 0.5 --limit 20

A policy under the 5 MB default limit must never take minutes: one quadratic regex turns a
128 KB run of spaces into 14 s. For each shape the text is generated (never corpus text), then
each stage is timed in-process: read (decode, sniff, reader, sentence splitting inside the
Document), sentences (split_sentences again over every block, alone), facts (extract_facts),
evaluate (rules, suppressions, locations) and render (every output format). Each line prints
the seconds per size and the growth ratio per doubling; a linear stage doubles (ratio ~2),
a quadratic one quadruples. `worst` is the largest single step, `overall` the growth per
doubling from the smallest to the largest size (geometric mean: less noisy); both count only
where the larger time is over --floor seconds (below it, timer noise decides the ratio). A
shape stops growing once a stage passes --limit seconds, so a regression shows as '>' rather
than a hang. Times are the process's CPU seconds (wall-clock ratios on a shared machine are
mostly other people's load).
"""

from __future__ import annotations

import argparse
import gc
import io
import itertools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checker import __version__
from checker.config import Config
from checker.engine import judge, make_plan, summarise
from checker.facts import extract_facts
from checker.locate import annotate
from checker.outputs import FORMATS, render_report
from checker.readers import read_policy
from checker.records import PolicyReport, Report
from checker.report import total_summary
from checker.sentences import split_sentences
from checker.suppressions import apply_suppressions, find_suppressions

PROSE = ("We collect your email address when you create an account. "
         "We do not sell your personal information. ")


def _fill(head: str, unit: str, tail: str, size: int) -> str:
    n = max(1, (size - len(head) - len(tail)) // len(unit))
    return head + unit * n + tail


# name -> (file extension, generator of about `size` characters)
SHAPES: dict[str, tuple[str, Callable[[int], str]]] = {
    "space-run": (".txt", lambda n: _fill("We collect your email", " ", "address. " + PROSE, n)),
    "tab-run": (".md", lambda n: _fill("We collect your email", "\t ", "address. " + PROSE, n)),
    "blank-lines": (".txt", lambda n: _fill(PROSE + "\n", "\n", PROSE, n)),
    "blank-lines-md": (".md", lambda n: _fill(PROSE + "\n", " \n", PROSE, n)),
    "long-line": (".txt", lambda n: _fill("", "we share data with our partners and ", "", n)),
    "tiny-sentences": (".txt", lambda n: _fill("", "We sell. No. A b. ", "", n)),
    "headings": (".md", lambda n: _fill("", "# Data we collect\n\nWe collect email.\n\n", "", n)),
    # 8 levels: markdown-it stops reading at its maxNesting (20 tokens deep, ~9 list levels)
    # and drops the rest of the document silently (reported for checker/readers/markdown.py).
    "nested-lists": (".md", lambda n: _fill(
        "", "".join("  " * d + f"- item at depth {d}, we collect data\n" for d in range(8)),
        "", n)),
    "brackets": (".txt", lambda n: _fill("We collect ", "[a](b[c", " data.", n)),
    "html-divs": (".html", lambda n: _fill("<html><body>", "<div><p>" + PROSE + "</p></div>",
                                           "</body></html>", n)),
}
STAGES = ("read", "sentences", "facts", "evaluate", "render")
# CPU time of this process, not wall-clock: on a shared machine other processes' load changes
# wall-clock ratios by 2x or more, while an algorithm's growth shows in its own CPU time.
_clock = time.process_time


def time_stages(path: str, plan) -> dict[str, float]:  # type: ignore[no-untyped-def]
    t: dict[str, float] = {}
    t0 = _clock()
    doc = read_policy(path, max_bytes=64 * 1024 * 1024)
    t["read"] = _clock() - t0
    t0 = _clock()
    for block in doc.blocks:
        split_sentences(block.text)
    t["sentences"] = _clock() - t0
    t0 = _clock()
    facts = extract_facts(doc)
    t["facts"] = _clock() - t0
    t0 = _clock()
    results = [judge(rule, facts, doc.path, plan) for rule in plan.rules]
    results = apply_suppressions(results, find_suppressions(doc.path, doc.source,
                                                             {r.id for r in plan.rules}))
    results = annotate(results, {r.id: r for r in plan.rules}, doc)
    policy = PolicyReport(path=doc.path, results=results, summary=summarise(results))
    t["evaluate"] = _clock() - t0
    t0 = _clock()
    report = Report(privcheck=__version__, policies=[policy], errors=[],
                    summary=total_summary([policy], 0))
    for fmt in FORMATS:
        render_report(fmt, report, io.StringIO(), plan.rules, verbose=True, quiet=False,
                      color=False)
    t["render"] = _clock() - t0
    return t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shapes", nargs="*", default=list(SHAPES), choices=list(SHAPES))
    ap.add_argument("--sizes", nargs="*", type=float, default=[0.5, 1, 2, 4], help="MB")
    ap.add_argument("--repeat", type=int, default=3, help="runs per size (median kept)")
    ap.add_argument("--limit", type=float, default=60.0, help="stop a shape past this (s)")
    ap.add_argument("--floor", type=float, default=0.05,
                    help="ratios count only where the larger time is over this (s)")
    args = ap.parse_args()
    plan = make_plan(Config(), today=date(2026, 1, 1))
    worst_all = overall_all = 0.0
    header = f"{'shape':15} {'stage':9} " + " ".join(f"{s:>7g}MB" for s in args.sizes)
    print(header + "   ratios per doubling      worst  overall")
    with tempfile.TemporaryDirectory() as tmp:
        for shape in args.shapes:
            ext, make = SHAPES[shape]
            times: dict[str, list[float]] = {s: [] for s in STAGES}
            stopped = False
            for size in args.sizes:
                if stopped:
                    break
                path = os.path.join(tmp, shape + ext)
                Path(path).write_text(make(int(size * 1024 * 1024)), encoding="utf-8")
                runs = []
                for _ in range(args.repeat):
                    gc.collect()  # the previous size's garbage is not this size's cost
                    runs.append(time_stages(path, plan))
                    if max(runs[-1].values()) > args.limit:
                        stopped = True
                        break
                for s in STAGES:
                    times[s].append(statistics.median(r[s] for r in runs))
            for s in STAGES:
                ts = times[s]
                ratios = [b / a if a > 0 else float("inf") for a, b in itertools.pairwise(ts)]
                counted = [r for r, b in zip(ratios, ts[1:], strict=True) if b >= args.floor]
                worst = max(counted, default=0.0)
                # The growth per doubling over the whole range (geometric mean of the ratios):
                # what decides linear vs quadratic, where one step's ratio is partly noise.
                overall = (ts[-1] / ts[0]) ** (1 / (len(ts) - 1)) if len(ts) > 1 and ts[0] \
                    and ts[-1] >= args.floor else 0.0
                overall_all = max(overall_all, overall)
                worst_all = max(worst_all, worst)
                cells = " ".join(f"{t:9.3f}" for t in ts)
                cells += " " * 10 * (len(args.sizes) - len(ts))
                rtxt = " ".join(f"{r:4.1f}" for r in ratios)
                flag = ">" if stopped and len(ts) < len(args.sizes) else ""
                print(f"{shape:15} {s:9} {cells}   {rtxt:24} {flag}{worst:4.1f}  "
                      + (f"{overall:4.2f}" if overall else "   -")
                      + ("" if counted else "  (under floor)"), flush=True)
    print(f"worst single-step ratio (stages over {args.floor}s): {worst_all:.2f}; "
          f"worst growth per doubling over the whole range: {overall_all:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
