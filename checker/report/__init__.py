"""Renderers: one small module per output format, each a function of the Report."""

from __future__ import annotations

from checker.choices import FAIL_ON as FAIL_ON  # re-exported: its old home
from checker.records import Finding, PolicyReport, Report, Severity, Status


def gate_failures(report: Report, fail_on: str) -> list[tuple[PolicyReport, Finding]]:
    """The failing findings at or above the threshold: what makes `check` exit 1."""
    if fail_on == "never":
        return []
    threshold = Severity(fail_on).rank
    return [
        (policy, f)
        for policy in report.policies
        for f in policy.results
        if f.status == Status.FAIL and f.severity.rank >= threshold
    ]


def total_summary(policies: list[PolicyReport], errors: int) -> dict[str, int]:
    summary: dict[str, int] = {"policies": len(policies), "errors": errors}
    for p in policies:
        for key, value in p.summary.items():
            summary[key] = summary.get(key, 0) + value
    return summary
