"""A compact Markdown table per policy, for a pull-request comment or the job summary."""

from __future__ import annotations

from checker.records import Report, Status
from checker.report.paths import repo_relative
from checker.sanitize import md_code, md_inline

_ICON = {Status.FAIL: "❌", Status.WAIVED: "⚪", Status.PASS: "✅", Status.NOT_APPLICABLE: "➖"}


def _cell(text: str, limit: int = 200) -> str:
    """Untrusted text as literal Markdown in a table cell (cut before escaping)."""
    text = " ".join(text.split())
    return md_inline(text if len(text) <= limit else text[: limit - 1] + "…")


def render_markdown(report: Report, root: str | None = None) -> str:
    t = report.summary
    failed = t.get("fail", 0)
    verdict = "❌ failed rules" if failed else "✅ all rules pass"
    out = [f"## privcheck: {verdict}", "",
           f"{t.get('policies', 0)} policies checked: {t.get('pass', 0)} passed, {failed} "
           f"failed, {t.get('waived', 0)} waived, {t.get('not-applicable', 0)} not applicable.",
           ""]
    for err in report.errors:
        out.append(f"- ⛔ {md_code(repo_relative(err.path, root))}"
                   f"{':' + str(err.line) if err.line else ''}: {_cell(err.message)}")
    if report.errors:
        out.append("")
    for policy in report.policies:
        path = repo_relative(policy.path, root)
        s = policy.summary
        out.append(f"### {md_code(path)}: {s.get('fail', 0)} failed, {s.get('pass', 0)} passed, "
                   f"{s.get('waived', 0)} waived, {s.get('not-applicable', 0)} not applicable")
        out.append("")
        shown = [f for f in policy.results if f.status in (Status.FAIL, Status.WAIVED)]
        notes = [f"- ⚠️ line {n.line}: {md_code(n.kind)} {_cell(n.message)}"
                 for n in policy.notices]
        if not shown:
            out += ["Every applicable rule passes.", "", *notes, *([""] if notes else [])]
            continue
        out += ["| | Rule | Severity | Line | Missing or wrong | Fix, or why waived |",
                "|---|---|---|---|---|---|"]
        for f in sorted(shown, key=lambda f: (f.status != Status.FAIL, -f.severity.rank)):
            line = _cell(f.location.where().removeprefix("line ")) if f.location else ""
            if f.status == Status.FAIL:
                problem, fix = f.title, f.remedy
            else:
                problem, fix = f.title, f"waived: {f.waiver or ''}"
            out.append(f"| {_ICON[f.status]} | `{f.rule}` | {f.severity.value} | {line} | "
                       f"{_cell(problem)} | {_cell(fix)} |")
        out.append("")
        if notes:  # e.g. an inline suppression whose rule passes: never fails the gate
            out += [*notes, ""]
    if report.baseline is not None:
        b = report.baseline
        out.append(f"Baseline {md_code(b.file)}: {b.known} known failures waived, {b.new} new.")
        if b.fixed:
            out.append("Fixed since the baseline (refresh it with `privcheck baseline create`): "
                       + ", ".join(f"{md_code(e.path)} {md_code(e.rule)}" for e in b.fixed))
        out.append("")
    return "\n".join(out)
