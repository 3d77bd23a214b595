"""The compliance summary as Markdown: fits a pull-request comment or a wiki page.

Every string from a policy goes through `md()`, which makes it inert text in GitHub-flavoured
Markdown (no links, emphasis, tables or raw HTML can come from a policy). Per-policy parts are
spooled to temporary files as policies finish, like the HTML report.
"""

from __future__ import annotations

import shutil
import tempfile
from typing import IO

from checker.records import Evidence, PolicyReport, Status
from checker.sanitize import html_inline, md_inline
from checker.summary import Figure, Row, Summary, grouped_findings
from checker.words import plural

ICON = {"pass": "✅", "fail": "❌", "waived": "⚠️", "not-applicable": "➖", "": " "}
LABEL = {"pass": "pass", "fail": "fail", "waived": "waived", "not-applicable": "n/a"}
# Every line of ours starts with our own "- ", "  > " or "| ", so line-start syntax (#, 1., -,
# >) can never come from the text; md() escapes the inline syntax (checker/sanitize.py).


def md(text: str | None) -> str:
    """Untrusted text as literal Markdown on one line (checker/sanitize.py: no HTML, links,
    images, emphasis or mentions; control and bidi characters visible)."""
    return md_inline(text or "")


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}%"


def _figure(fig: Figure) -> str:
    parts = [f"**{fig.passed} of {fig.applicable} applicable rules passed ({_pct(fig.percent)})**"]
    parts += [f"{sev}: {c[0]}/{c[1]}" for sev, c in fig.by_severity.items() if c[1]]
    return " · ".join(parts)


def _quote(ev: Evidence) -> str:
    where = md(ev.where()) + (f", {md(ev.section)}" if ev.section else "")
    return f"  > {md(ev.quote)}  \n  > — _{where}_\n"


class MarkdownReport:
    def __init__(self) -> None:
        self._rows = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - see finish
        self._details = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115

    def policy(self, summary: Summary, row: Row, report: PolicyReport) -> None:
        cells = " | ".join(ICON[s] for s in row.statuses)
        self._rows.write(f"| {md(row.path)} | {row.figure.passed}/{row.figure.applicable} "
                         f"| {cells} |\n")
        lines = [f"<details><summary><b>{html_inline(row.path)}</b>: {row.figure.passed}/"
                 f"{row.figure.applicable} passed · effective "
                 f"{html_inline(row.effective_date or '') or 'date not stated'}</summary>", ""]
        for pack, findings in grouped_findings(summary, report):
            lines.append(f"#### {md(pack.title)}" + (f" — {md(pack.law)}" if pack.law else ""))
            lines.append("")
            for f, rule in findings:
                cite = md(f.citation)
                if f.url and f.url.startswith(("https://", "http://")):
                    cite = f"[{cite}](<{f.url.replace('>', '%3E')}>)"
                lines.append(f"- {ICON[f.status.value]} **{md(f.title)}** "
                             f"(`{f.rule}`, {f.severity.value}) — {cite}")
                if f.status == Status.PASS:
                    lines += [_quote(ev) for ev in f.evidence[:2]]
                elif f.status in (Status.FAIL, Status.WAIVED):
                    if f.waiver:
                        lines.append(f"  - Waived: {md(f.waiver)}")
                    lines.append(f"  - Missing: {md(f.message)}")
                    lines.append(f"  - Remedy: {md(f.remedy)}")
                    if rule:
                        lines.append(f"  - Example: “{md(rule.example_pass)}”")
                elif f.status == Status.NOT_APPLICABLE:
                    lines.append(f"  - Not applicable: {md(f.message)}")
            lines.append("")
        lines += ["</details>", ""]
        self._details.write("\n".join(lines) + "\n")

    def finish(self, summary: Summary, out: IO[str]) -> None:
        packs = ", ".join(p.title for p, _ in summary.pack_rules)
        single = summary.policies == 1 and not summary.errors
        out.write(f"## {md(summary.title)}\n\n"
                  f"{summary.policies} {'policy' if summary.policies == 1 else 'policies'} "
                  f"checked against {plural(len(summary.rules), 'rule')} ({md(packs)}) · privcheck "
                  f"{summary.version} · {summary.generated}\n\n{_figure(summary.figure)}\n\n")
        if not single:
            out.write("### Pass rate by rule\n\n| Rule | Pack | Severity | Pass rate | Passed |\n"
                      "|---|---|---|---:|---:|\n")
            for rule in summary.rules:
                st = summary.stats[rule.id]
                out.write(f"| {md(rule.title)} (`{rule.id}`) | {md(summary.packs[rule.pack].title)}"
                          f" | {rule.severity.value} | {_pct(st.percent)} | "
                          f"{st.counts['pass']}/{st.applicable} |\n")
            out.write("\n### Policies by rule\n\n| Policy | Passed | "
                      + " | ".join(f"`{r.id}`" for r in summary.rules) + " |\n|---|---:|"
                      + "|".join(":-:" for _ in summary.rules) + "|\n")
            self._rows.seek(0)
            shutil.copyfileobj(self._rows, out)
            out.write("\n" + " · ".join(f"{ICON[k]} {v}" for k, v in LABEL.items()) + "\n\n")
        if summary.errors:
            out.write("### Files that could not be checked\n\n")
            out.writelines(f"- {md(e.path)}: {md(e.message)}\n" for e in summary.errors)
            out.write("\n")
        out.write("### Findings\n\n")
        self._details.seek(0)
        if single:  # one policy: its findings are the report, shown unfolded
            out.write(self._details.read().replace("<details>", "<details open>", 1))
        else:
            shutil.copyfileobj(self._details, out)
        self._rows.close()
        self._details.close()
