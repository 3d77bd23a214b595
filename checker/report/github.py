"""GitHub Actions workflow commands: failures become annotations on the policy's lines.

GitHub shows at most 10 annotations of each level per step, so past 9 the 10th says how many more
there are and points at the SARIF upload and the job summary, where every failure is listed. The
log also gets one plain line per failure, so nothing is lost when annotations are capped.
"""

from __future__ import annotations

import hashlib

from checker.records import Report, Severity, Status
from checker.report.paths import repo_relative
from checker.sanitize import display
from checker.words import plural

ANNOTATION_LIMIT = 10  # per level and step, as GitHub documents it
COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **props: object) -> str:
    given = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{kind}{' ' + given if given else ''}::{escape_data(message)}"


def stop_commands(plain: list[str]) -> list[str]:
    """Untrusted log lines between `::stop-commands::TOKEN` and `::TOKEN::`, GitHub's way to
    print text that must never run as a workflow command. The token hashes the lines it
    guards, so no file name can contain it, and the output stays reproducible."""
    if not plain:
        return []
    token = "privcheck-" + hashlib.sha256("\n".join(plain).encode()).hexdigest()[:32]
    return [f"::stop-commands::{token}", *plain, f"::{token}::"]


def render_github(report: Report, root: str | None = None,
                  limit: int = ANNOTATION_LIMIT) -> str:
    lines: list[str] = []
    plain: list[str] = []
    per_level: dict[str, list[str]] = {"error": [], "warning": [], "notice": []}
    for err in report.errors:
        per_level["error"].append(command("error", err.message, file=repo_relative(err.path, root),
                                          line=err.line, title="privcheck: cannot check file"))
        plain.append(display(f"{err.where()}: error: {err.message}"))
    for policy in report.policies:
        path = repo_relative(policy.path, root)
        for f in policy.results:
            if f.status != Status.FAIL:
                continue
            ev = f.location
            kind = COMMAND[f.severity]
            at = f"\nAt: {ev.place(path)}" if ev and (ev.locator or ev.document) else ""
            per_level[kind].append(command(
                kind, f"{f.message}\nFix: {f.remedy}\nLaw: {f.citation}{at}",
                file=repo_relative(ev.document, root) if ev and ev.document else path,
                line=ev.line if ev else None, col=ev.column if ev else None,
                endLine=ev.end_line if ev else None,
                title=f"privcheck {f.rule}: {f.title}",
            ))
            where = ev.place(path) if ev else path
            plain.append(display(f"{where}: {f.severity.value} {f.rule}: {f.title}"))
        for n in policy.notices:
            per_level["warning"].append(command("warning", n.message, file=path, line=n.line,
                                                col=n.column, title=f"privcheck: {n.kind}"))
            plain.append(display(f"{path}:{n.line}:{n.column}: warning {n.kind}: {n.message}"))
    for kind, commands in per_level.items():
        if len(commands) > limit:
            shown = commands[: limit - 1]
            more = len(commands) - len(shown)
            shown.append(command(kind, f"{more} more privcheck {kind}s are not shown as "
                                       "annotations (GitHub shows 10 per step): see the job "
                                       "summary, the SARIF results in code scanning, or the "
                                       "log below.", title=f"privcheck: {more} more"))
            commands = shown
        lines += commands
    s = report.summary
    lines += stop_commands(plain)
    lines.append(f"privcheck: {plural(s.get('policies', 0), 'policy')}, {s.get('fail', 0)} failed, "
                 f"{s.get('pass', 0)} passed, {s.get('waived', 0)} waived, "
                 f"{s.get('not-applicable', 0)} not applicable, "
                 f"{plural(len(report.errors), 'error')}")
    return "\n".join(lines) + "\n"
