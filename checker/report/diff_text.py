"""`privcheck diff` output for people: a terminal listing and a pull-request comment table."""

from __future__ import annotations

from checker.diff import PolicyDiff
from checker.records import Evidence
from checker.sanitize import display, md_inline
from checker.words import plural


def _quote(ev: Evidence, width: int = 110) -> str:
    return ev.quote if len(ev.quote) <= width else ev.quote[: width - 3] + "..."


def _lines(ev: Evidence) -> str:
    if ev.locator:  # DOCX, PDF: "paragraph 12", "page 3, line 14"
        return ev.locator
    return f"line {ev.line}" if ev.end_line == ev.line else f"lines {ev.line}-{ev.end_line}"


def render_diff_text(diffs: list[PolicyDiff]) -> str:
    out: list[str] = []
    for d in diffs:
        out.append(f"{d.path} ({d.old_label} -> {d.new_label})")
        if not (d.regressions or d.fixes or d.newly_waived):
            out.append("  no rule changed its verdict")
        for c in d.regressions:
            out.append(f"  ✗ newly fails  {c.severity.value:<7} {c.rule}  {c.title} "
                       f"(was {c.old})")
            for ev in c.removed:
                out.append(f"      removed, old {_lines(ev)}: \"{_quote(ev)}\"")
            if c.location is not None:
                out.append(f"      now points at {c.location.place(d.path)}")
            out.append(f"      {c.message}")
        for c in d.fixes:
            out.append(f"  ✓ newly passes {c.severity.value:<7} {c.rule}  {c.title} (now {c.new})")
        for c in d.newly_waived:
            out.append(f"  ~ newly waived {c.severity.value:<7} {c.rule}  {c.title}: {c.message}")
        out.append("")
    out.append(_closing(diffs))
    # File names and quotes are policy text: shown, never obeyed by the terminal (sanitize.py).
    return display("\n".join(out) + "\n", multiline=True)


def _closing(diffs: list[PolicyDiff]) -> str:
    regressions = sum(len(d.regressions) for d in diffs)
    fixes = sum(len(d.fixes) for d in diffs)
    return (f"{plural(len(diffs), 'policy')} compared: {plural(regressions, 'regression')}, "
            f"{fixes} fixed")


def _md(text: str) -> str:
    """Policy text as an inert table cell on one line (pipes, links, HTML, mentions escaped)."""
    return md_inline(text)


def render_diff_markdown(diffs: list[PolicyDiff]) -> str:
    """A pull-request comment: one table per policy of the rules whose verdict changed."""
    out = ["### privcheck: what this change does to the policy", ""]
    for d in diffs:
        out.append(f"**{_md(d.path)}** ({_md(d.old_label)} → {_md(d.new_label)})")
        out.append("")
        changes = [("✗", c) for c in d.regressions] + [("✓", c) for c in d.fixes] + [
            ("~", c) for c in d.newly_waived
        ]
        if not changes:
            out += ["No rule changed its verdict.", ""]
            continue
        out += ["| | rule | severity | before → after | what changed |", "|---|---|---|---|---|"]
        for mark, c in changes:
            detail = "; ".join(f"removed (old {_lines(ev)}): “{_md(_quote(ev, 90))}”"
                               for ev in c.removed) or _md(c.message)
            out.append(f"| {mark} | `{c.rule}` {_md(c.title)} | {c.severity.value} | "
                       f"{c.old} → {c.new} | {detail} |")
        out.append("")
    out.append(_closing(diffs) + ".")
    return "\n".join(out) + "\n"
