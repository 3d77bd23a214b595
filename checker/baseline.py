"""Baselines: adopt the gate on a legacy policy and ratchet.

`privcheck baseline create` records today's failures (policy path + rule id); `check --baseline`
then reports those as waived ("in the baseline"), fails only on new ones, and lists the recorded
failures that are now fixed so the baseline can be tightened. A policy has one verdict per rule, so
(path, rule) identifies a failure; the fingerprint is kept for reference.

Paths are stored relative to the baseline file's folder (with forward slashes) and matched that
way, so `check --baseline` gives the same answer from any working directory, and a baseline
committed beside the policies survives moving the checkout. Baselines written before this rule
(no `paths_relative_to` key) held paths relative to the working directory; they are read so.
"""

from __future__ import annotations

import json
import os
from typing import Any

from checker.engine import summarise
from checker.errors import PrivcheckError
from checker.records import BaselineEntry, BaselineStatus, Report, Status
from checker.report import total_summary

FORMAT_VERSION = 1


RELATIVE_TO = "baseline"  # the value of `paths_relative_to` in files this version writes


def base_dir(baseline_file: str) -> str:
    """The folder baseline paths are relative to: the baseline file's own."""
    return os.path.dirname(os.path.abspath(baseline_file))


def path_key(path: str, base: str | None = None) -> str:
    """`path` relative to `base` (default: the working directory), with forward slashes."""
    rel = os.path.relpath(os.path.abspath(path), base or os.getcwd())
    return rel.replace(os.sep, "/")


def create_baseline(report: Report, baseline_file: str | None = None) -> dict[str, Any]:
    """Deterministic (no timestamp), so re-creating an unchanged baseline makes no git diff.
    Paths are relative to the folder `baseline_file` will be written in."""
    base = base_dir(baseline_file) if baseline_file else None
    entries = [
        BaselineEntry(path=path_key(p.path, base), rule=f.rule, severity=f.severity,
                      fingerprint=f.fingerprint).model_dump(mode="json")
        for p in report.policies for f in p.results if f.status == Status.FAIL
    ]
    return {
        "privcheck_baseline": FORMAT_VERSION,
        "created_by": f"privcheck {report.privcheck}",
        "paths_relative_to": RELATIVE_TO,
        "failures": entries,
    }


def load_baseline(path: str) -> list[BaselineEntry]:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        raise PrivcheckError("no such baseline file (create it with `privcheck baseline "
                             "create`)", path) from None
    except OSError as exc:
        raise PrivcheckError(f"cannot read baseline: {exc.strerror}", path) from None
    except json.JSONDecodeError as exc:
        raise PrivcheckError(f"baseline is not valid JSON: {exc.msg}", path, exc.lineno) from None
    except UnicodeDecodeError as exc:
        raise PrivcheckError(f"baseline is not UTF-8 (byte 0x{exc.object[exc.start]:02x} at "
                             f"offset {exc.start})", path) from None
    except RecursionError:
        raise PrivcheckError("baseline is nested too deeply to be a privcheck baseline",
                             path) from None
    except ValueError as exc:  # a NUL in the path
        raise PrivcheckError(f"cannot read baseline: {exc}", path) from None
    if not isinstance(data, dict) or data.get("privcheck_baseline") != FORMAT_VERSION or \
            not isinstance(data.get("failures"), list):
        raise PrivcheckError("not a privcheck baseline (expected "
                             f'{{"privcheck_baseline": {FORMAT_VERSION}, "failures": [...]}})',
                             path)
    from checker import models  # the user's file is validated against the contract

    try:
        entries = [BaselineEntry(**models.BaselineEntry(**e).model_dump())
                   for e in data["failures"]]
    except (TypeError, ValueError) as exc:
        raise PrivcheckError(f"bad baseline entry: {exc}".splitlines()[0], path) from None
    if data.get("paths_relative_to") != RELATIVE_TO:
        # An older baseline: its paths are relative to the working directory; rebase them.
        base = base_dir(path)
        entries = [e.model_copy(update={"path": path_key(e.path, base)}) for e in entries]
    return entries


def apply_baseline(report: Report, entries: list[BaselineEntry], file: str) -> Report:
    """Known failures become waived; count the new ones; list the recorded ones now fixed."""
    known = {(e.path, e.rule) for e in entries}
    status = BaselineStatus(file=file)
    base = base_dir(file)
    policies = []
    for policy in report.policies:
        key = path_key(policy.path, base)
        results = []
        for f in policy.results:
            if f.status == Status.FAIL:
                if (key, f.rule) in known:
                    status.known += 1
                    f = f.model_copy(update={
                        "status": Status.WAIVED, "waiver_kind": "baseline",
                        "waiver": f"recorded in the baseline {file}"})
                else:
                    status.new += 1
            elif (key, f.rule) in known and f.status in (Status.PASS, Status.NOT_APPLICABLE):
                status.fixed.append(BaselineEntry(path=key, rule=f.rule, severity=f.severity))
            results.append(f)
        policies.append(policy.model_copy(update={"results": results,
                                                  "summary": summarise(results)}))
    return report.model_copy(update={
        "policies": policies,
        "summary": total_summary(policies, len(report.errors)),
        "baseline": status,
    })
