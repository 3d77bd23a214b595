"""JSON output: the Report model as documented in docs/report.schema.json."""

from __future__ import annotations

from checker.records import Report


def render_json(report: Report) -> str:
    return report.model_dump_json(indent=2, exclude_none=False) + "\n"
