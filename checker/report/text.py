"""Terminal output with rich: failures first with what was looked for and how to fix it.

Colour follows rich's detection: none when output is not a terminal or NO_COLOR is set.
"""

from __future__ import annotations

from typing import IO

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from checker.models import Finding, PolicyReport, Report, Status

_MARK = {
    Status.PASS: ("✓", "green"),
    Status.FAIL: ("✗", "red"),
    Status.WAIVED: ("~", "yellow"),
    Status.NOT_APPLICABLE: ("-", "dim"),
}
_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _evidence_lines(console: Console, finding: Finding, path: str, limit: int = 3) -> None:
    for ev in finding.evidence[:limit]:
        quote = ev.quote if len(ev.quote) <= 160 else ev.quote[:157] + "..."
        console.print(
            Text.assemble(("      ", ""), (f"{path}:{ev.line}:{ev.column}", "dim"), "  ",
                          (f'"{quote}"', "italic"))
        )
    if len(finding.evidence) > limit:
        console.print(f"      [dim]... and {len(finding.evidence) - limit} more[/dim]")


def _finding(console: Console, f: Finding, path: str, verbose: bool) -> None:
    mark, style = _MARK[f.status]
    sev = f.severity.value
    head = Text.assemble(
        ("  ", ""), (mark, style), " ", (f"{sev:<7}", _SEVERITY_STYLE.get(sev, "")), " ",
        (f.rule, "bold"), "  ", f.title,
    )
    console.print(head)
    if f.status == Status.FAIL:
        console.print(f"      [dim]why it fails:[/dim] {escape(f.message)}")
        console.print(f"      [dim]fix:[/dim] {escape(f.remedy)}")
        console.print(f"      [dim]law:[/dim] {escape(f.citation)}")
        if verbose and f.evidence:
            _evidence_lines(console, f, path)
    elif f.status == Status.WAIVED:
        console.print(f"      [dim]waived:[/dim] {escape(f.waiver or '')}")
        console.print(f"      [dim]would fail:[/dim] {escape(f.message)}")
    elif f.status == Status.PASS and verbose:
        _evidence_lines(console, f, path)
    elif f.status == Status.NOT_APPLICABLE and verbose:
        console.print(f"      [dim]not applicable:[/dim] {escape(f.message)}")


def render_policy(console: Console, policy: PolicyReport, verbose: bool, quiet: bool) -> None:
    s = policy.summary
    console.print(Text(policy.path, style="bold underline"))
    order = {Status.FAIL: 0, Status.WAIVED: 1, Status.PASS: 2, Status.NOT_APPLICABLE: 3}
    for f in sorted(policy.results, key=lambda f: order[f.status]):
        if f.status == Status.FAIL or f.status == Status.WAIVED or verbose:
            if quiet and f.status != Status.FAIL:
                continue
            _finding(console, f, policy.path, verbose)
    console.print(
        f"  [dim]{s['pass']} passed, {s['fail']} failed, {s['waived']} waived, "
        f"{s['not-applicable']} not applicable"
        + (f"; effective date {policy.effective_date}" if policy.effective_date else "")
        + "[/dim]"
    )
    console.print()


def text_console(out: IO[str], color: bool | None = None) -> Console:
    return Console(file=out, highlight=False, soft_wrap=not out.isatty(),
                   no_color=None if color is None else not color,
                   force_terminal=color if color else None)


def render_text(report: Report, out: IO[str], verbose: bool = False, quiet: bool = False,
                color: bool | None = None) -> None:
    console = text_console(out, color)
    for policy in report.policies:
        if quiet and policy.summary["fail"] == 0:
            continue
        render_policy(console, policy, verbose, quiet)
    t = report.summary
    failed = t.get("fail", 0)
    line = Text.assemble(
        ("Checked ", ""), (str(t["policies"]), "bold"),
        (" policy: " if t["policies"] == 1 else " policies: ", ""),
        (f"{t.get('pass', 0)} passed", "green"), ", ",
        (f"{failed} failed", "red" if failed else "green"),
        f" ({t.get('failed_error', 0)} errors, {t.get('failed_warning', 0)} warnings)",
        f", {t.get('waived', 0)} waived, {t.get('not-applicable', 0)} not applicable",
    )
    if report.errors:
        line.append(f"; {len(report.errors)} file(s) could not be checked", style="bold red")
    console.print(line)
