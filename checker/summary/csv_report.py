"""The policy-by-rule matrix as CSV, one row per policy written as it finishes (nothing kept)."""

from __future__ import annotations

import csv
from typing import IO

from checker.records import PolicyReport
from checker.summary import SEVERITIES, Row, Summary

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str | None) -> str:
    """Text a spreadsheet will not run as a formula (file names and dates are untrusted)."""
    value = value or ""
    return "'" + value if value.startswith(_FORMULA) else value


class CsvReport:
    def __init__(self, out: IO[str]) -> None:
        self._writer = csv.writer(out, lineterminator="\n")
        self._out = out
        self._started = False

    def _header(self, summary: Summary) -> None:
        self._writer.writerow(
            ["policy", "effective_date", "passed", "applicable", "pass_percent",
             *(f"failed_{s}" for s in SEVERITIES), *(r.id for r in summary.rules), "error"])
        self._started = True

    def policy(self, summary: Summary, row: Row, report: PolicyReport) -> None:
        if not self._started:
            self._header(summary)
        pct = row.figure.percent
        self._writer.writerow(
            [_cell(row.path), _cell(row.effective_date), row.figure.passed,
             row.figure.applicable, "" if pct is None else f"{pct:.1f}",
             *(row.failed_by_severity[s] for s in SEVERITIES), *row.statuses, ""])
        self._out.flush()

    def finish(self, summary: Summary, out: IO[str]) -> None:
        if not self._started:
            self._header(summary)
        blanks = [""] * (4 + len(SEVERITIES) + len(summary.rules))
        for err in summary.errors:
            self._writer.writerow([_cell(err.path), *blanks, err.message])
