#!/usr/bin/env python3
"""Per-rule accuracy of privcheck against labelled policies, from privcheck's own JSON output.

usage: benchmarks/accuracy.py LABELS FOLDER [--corrections FILE] [--show] [--half tune|check|all]
                             [--config FILE]

LABELS is a labels.json ({file: {rule: true|false}}) such as ../shared/corpus/opp115-dev/
labels.json, or a labels YAML with deciding sentences such as benchmarks/modern-dev-labels.yaml
({file: {rule: {label: pass|fail|ambiguous, quote: [fragments]}}}); FOLDER holds the policies.
The script runs `privcheck check --format json` over the
folder (the same code path a user runs), then prints, per rule, the agreements, false alarms
(privcheck says missing, the label says present), misses (privcheck says present, the label says
missing) and balanced accuracy, as labelled and, with --corrections, after applying the label
corrections argued in benchmarks/label-notes.md. It skips cleanly (exit 0) when LABELS is absent:
the OPP-115 corpus is research-only and never ships with the project.

Tuning and check halves: every labelled set is split once, by a hash of the file name (or of its
`_split_with` group, so near-duplicates stay together), into a tuning half and a check half.
Recognisers are tuned on the tuning half only; the check half says whether a change generalises.
By default both halves are printed; `--half` picks one. `--config` passes a privcheck config
(declarations such as jurisdictions) to the run, for packs that apply only when declared.

Evidence precision (labels with quotes only): of the rule-policy pairs that the labels and
privcheck both call a pass, the share whose first quote is a deciding sentence, i.e. contains one
of the label's quote fragments or lies inside one (case, quotes and Markdown marks ignored).
`--show` lists the passes that quote something else.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml


def _raw(path: Path) -> dict:
    if path.suffix in (".yaml", ".yml"):
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return json.loads(path.read_text(encoding="utf-8"))


def load_labels(path: Path) -> dict[str, dict[str, bool]]:
    """{file: {rule: bool}}; null and ambiguous labels (nobody can tell) are left out."""
    raw = _raw(path)
    if path.suffix in (".yaml", ".yml"):
        return {
            name: {rule: v["label"] == "pass" for rule, v in rules.items()
                   if v.get("label") in ("pass", "fail")}
            for name, rules in raw.items()
        }
    return {
        name: {rule: bool(v) for rule, v in rules.items()
               if not rule.startswith("_") and v is not None}
        for name, rules in raw.items()
    }


def half_of(name: str, meta: dict) -> str:
    """'tune' or 'check': fixed by a hash of the file's split group (or its name)."""
    key = str(meta.get("_split_with") or name)
    return "tune" if hashlib.sha256(key.encode("utf-8")).digest()[0] % 2 == 0 else "check"


def halves(path: Path) -> dict[str, str]:
    raw = _raw(path)
    return {name: half_of(name, meta if path.suffix == ".json" else {})
            for name, meta in raw.items()}


def load_quotes(path: Path) -> dict[tuple[str, str], list[str]]:
    """{(file, rule): deciding-sentence fragments} for the passes of a labels YAML."""
    if path.suffix not in (".yaml", ".yml"):
        return {}
    return {(name, rule): list(v.get("quote") or [])
            for name, rules in _raw(path).items() for rule, v in rules.items()
            if v.get("label") == "pass" and v.get("quote")}


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                         "\u2011": "-", "\u2013": "-", "\u2014": "-", "\xa0": " "})
_MARKS = re.compile(r"[*_`\[\]<>]+")


def _norm(text: str) -> str:
    return " ".join(_MARKS.sub("", text.translate(_QUOTES)).casefold().split())


def decides(quote: str, fragments: list[str]) -> bool:
    """Whether a quote is one of the deciding sentences: it holds a fragment or lies in one."""
    q = _norm(quote)
    return any((f := _norm(frag)) and (f in q or (len(q) >= 8 and q in f)) for frag in fragments)


def precision(quotes: dict[tuple[str, str], list[str]], firsts: dict[tuple[str, str], str],
              names: set[str], show: bool) -> None:
    pairs = [(k, firsts[k]) for k in quotes if k[0] in names and k in firsts]
    good = [k for k, q in pairs if decides(q, quotes[k])]
    share = len(good) / len(pairs) if pairs else 0.0
    print(f"evidence precision: {len(good)}/{len(pairs)} = {share:.3f} "
          "(passes, by labels and privcheck, whose first quote decides)")
    if show:
        for (name, rule), q in sorted(pairs):
            if (name, rule) not in good:
                print(f"  not deciding {rule:34} {name}: {q[:100]!r}")


_FIRSTS: dict[tuple[str, str], str] = {}  # (file, rule) -> the first quote of a pass


def run_privcheck(folder: Path, config: Path | None = None) -> dict[str, dict[str, bool]]:
    exe = Path(sys.executable).with_name("privcheck")
    cmd = [str(exe) if exe.exists() else "privcheck", "check", "--format", "json",
           "--exit-zero", str(folder)]
    if config is not None:
        cmd[2:2] = ["--config", str(config)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode not in (0, 2) or not out.stdout:
        sys.exit(f"privcheck failed: {out.stderr.strip()}")
    verdicts: dict[str, dict[str, bool]] = {}
    for policy in json.loads(out.stdout)["policies"]:
        name = os.path.basename(policy["path"])
        for r in policy["results"]:
            if r["status"] in ("pass", "fail"):
                verdicts.setdefault(name, {})[r["rule"]] = r["status"] == "pass"
            if r["status"] == "pass" and r.get("evidence"):
                _FIRSTS[(name, r["rule"])] = r["evidence"][0]["quote"]
    return verdicts


def table(labels: dict[str, dict[str, bool]], verdicts: dict[str, dict[str, bool]],
          show: bool) -> float:
    stats: dict[str, dict[str, int]] = {}
    wrong = []
    for name, rules in labels.items():
        for rule, truth in rules.items():
            said = verdicts.get(name, {}).get(rule)
            if said is None:
                continue
            s = stats.setdefault(rule, {"tp": 0, "tn": 0, "alarm": 0, "miss": 0})
            key = ("tp" if truth else "miss") if said else ("alarm" if truth else "tn")
            s[key] += 1
            if key in ("alarm", "miss"):
                wrong.append((rule, name, "false alarm" if key == "alarm" else "miss"))
    print(f"{'rule':34} {'n':>4} {'agree':>6} {'alarms':>7} {'misses':>7} {'bal.acc':>8}")
    bals = []
    for rule in sorted(stats):
        s = stats[rule]
        pos, neg = s["tp"] + s["alarm"], s["tn"] + s["miss"]
        recalls = [r for r in (s["tp"] / pos if pos else None, s["tn"] / neg if neg else None)
                   if r is not None]
        bal = sum(recalls) / len(recalls)
        bals.append(bal)
        print(f"{rule:34} {sum(s.values()):4} {s['tp'] + s['tn']:6} {s['alarm']:7} "
              f"{s['miss']:7} {bal:8.3f}")
    macro = sum(bals) / len(bals) if bals else 0.0
    print(f"{'macro balanced accuracy':34} {macro:.3f}  (min rule {min(bals):.3f})")
    if show:
        for rule, name, kind in sorted(wrong):
            print(f"  {kind:11} {rule:34} {name}")
    return macro


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("labels", type=Path)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--corrections", type=Path,
                    default=Path(__file__).with_name("label-corrections.yaml"))
    ap.add_argument("--show", action="store_true", help="list each disagreement")
    ap.add_argument("--half", choices=("tune", "check", "all"), default=None,
                    help="score one half only (default: the tuning half, then the check half)")
    ap.add_argument("--config", type=Path, default=None, help="privcheck config for the run")
    args = ap.parse_args()
    if not args.labels.is_file() or not args.folder.is_dir():
        print(f"skipped: {args.labels} or {args.folder} not found (the corpus is not shipped)")
        return 0
    labels = load_labels(args.labels)
    quotes = load_quotes(args.labels)
    split = halves(args.labels)
    verdicts = run_privcheck(args.folder, args.config)
    fixes = []
    if args.corrections.is_file():
        fixes = yaml.safe_load(args.corrections.read_text(encoding="utf-8")) or []
    corrected = {name: dict(rules) for name, rules in labels.items()}
    for fix in fixes:
        if fix["file"] in corrected:
            corrected[fix["file"]][fix["rule"]] = fix["label"]
    parts = ["tune", "check"] if args.half is None else [args.half]
    for part in parts:
        names = {n for n in labels if part == "all" or split.get(n) == part}
        title = {"tune": "Tuning half", "check": "Check half", "all": "All"}[part]
        print(f"{title} ({len(names)} policies), as labelled:")
        table({n: labels[n] for n in names}, verdicts, args.show)
        n_fixes = sum(1 for f in fixes if f["file"] in names)
        if n_fixes:
            print(f"\n{title}, with the {n_fixes} label corrections of benchmarks/label-notes.md:")
            table({n: corrected[n] for n in names}, verdicts, args.show)
        if quotes:
            precision(quotes, _FIRSTS, names, args.show)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
