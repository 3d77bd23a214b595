"""Agreement between two independent labellings of the same policies.

    python benchmarks/label_agreement.py A.yaml B.yaml [--list]

Both files use the labels format of benchmarks/modern-dev-labels.yaml ({file: {rule: {label:
pass|fail|ambiguous, quote: [...]}}}). For each rule it prints how many (file, rule) pairs both
files label, the raw agreement and Cohen's kappa over the three verdicts (pass, fail, ambiguous),
and the same two figures over the pairs that both call pass or fail (the ones that are scored).
Kappa corrects the raw agreement for the agreement two labellers would reach by chance given how
often each uses each verdict; with one verdict nearly always used, a high raw agreement can still
be a low kappa. `--list` prints every pair whose verdicts differ, to adjudicate by reading the
policy. Quote lists are compared too: how many passes share at least one fragment.

Why a script and not a spreadsheet: the figures are quoted in label-notes.md and must be
reproducible from the two files alone.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import yaml

VERDICTS = ("pass", "fail", "ambiguous")


def load(path: Path) -> dict[tuple[str, str], dict]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {(name, rule): v for name, rules in raw.items() for rule, v in (rules or {}).items()}


def kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa of a list of (label_a, label_b); 1.0 when both always use one same label."""
    n = len(pairs)
    if not n:
        return float("nan")
    observed = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    if expected >= 1.0:
        return 1.0
    return (observed - expected) / (1.0 - expected)


def _row(name: str, pairs: list[tuple[str, str]], scored: list[tuple[str, str]]) -> str:
    agree = sum(a == b for a, b in pairs) / len(pairs) if pairs else float("nan")
    sagree = sum(a == b for a, b in scored) / len(scored) if scored else float("nan")
    return (f"{name:34} {len(pairs):4} {agree:6.3f} {kappa(pairs):6.3f}   "
            f"{len(scored):4} {sagree:6.3f} {kappa(scored):6.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    ap.add_argument("--list", action="store_true", help="print each verdict disagreement")
    args = ap.parse_args(argv)
    a, b = load(args.a), load(args.b)
    common = sorted(set(a) & set(b))
    if not common:
        print("no (file, rule) pair is labelled in both files", file=sys.stderr)
        return 2
    rules = sorted({r for _, r in common})
    print(f"{len(common)} pairs labelled in both ({len(set(a) - set(b))} only in A, "
          f"{len(set(b) - set(a))} only in B)")
    print(f"{'rule':34} {'n':>4} {'agree':>6} {'kappa':>6}   {'n*':>4} {'agree*':>6} {'kappa*':>6}"
          "   (* pass/fail pairs only)")
    every: list[tuple[str, str]] = []
    every_scored: list[tuple[str, str]] = []
    for rule in rules:
        pairs = [(a[k].get("label"), b[k].get("label")) for k in common if k[1] == rule]
        scored = [p for p in pairs if p[0] in ("pass", "fail") and p[1] in ("pass", "fail")]
        every += pairs
        every_scored += scored
        print(_row(rule, pairs, scored))
    print(_row("all", every, every_scored))
    both_pass = [k for k in common if a[k].get("label") == b[k].get("label") == "pass"]
    shared = [k for k in both_pass
              if {q.casefold() for q in a[k].get("quote") or []}
              & {q.casefold() for q in b[k].get("quote") or []}]
    print(f"passes in both: {len(both_pass)}; with a fragment in common: {len(shared)}")
    if args.list:
        for k in common:
            la, lb = a[k].get("label"), b[k].get("label")
            if la != lb:
                print(f"  {k[0]:40} {k[1]:32} {la} -> {lb}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
