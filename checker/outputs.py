"""The CI side of `check`: which format by default, extra report files, the job summary.

Kept apart from the command so that it stays thin: checker/commands/check.py asks `render_report`
for its main output and `write_extra_outputs` for the `--sarif/--junit/--markdown/--json-file`
files.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

from checker.atomic import write_text
from checker.choices import FORMATS as FORMATS  # re-exported: its old home
from checker.errors import PrivcheckError
from checker.records import Report
from checker.sanitize import display
from checker.words import plural

if TYPE_CHECKING:
    from checker.rules import Rule

# Each renderer is imported when its format is asked for: a run writes one or two formats, and
# importing all of them (ElementTree, csv, rich...) is a noticeable part of a short run.

STEP_SUMMARY_LIMIT = 1024 * 1024  # GitHub refuses a step summary over 1 MiB


def default_format(env: Mapping[str, str] | None = None) -> str:
    """`github` inside GitHub Actions (annotations), `text` everywhere else."""
    env = os.environ if env is None else env
    return "github" if env.get("GITHUB_ACTIONS") == "true" else "text"


def repo_root(env: Mapping[str, str] | None = None) -> str:
    """Where artifact paths are relative to: the Actions workspace, the git top level, or cwd."""
    env = os.environ if env is None else env
    if env.get("GITHUB_WORKSPACE"):
        return env["GITHUB_WORKSPACE"]
    import subprocess

    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True,
                             text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return os.getcwd()
    return top.stdout.strip() if top.returncode == 0 and top.stdout.strip() else os.getcwd()


def render(fmt: str, report: Report, rules: Sequence[Rule], root: str) -> str:
    """Every machine format as a string (text is written by render_report itself)."""
    if fmt == "json":
        from checker.report.json_report import render_json

        return render_json(report)
    if fmt == "sarif":
        from checker.report.sarif import render_sarif

        return render_sarif(report, rules, root)
    if fmt == "junit":
        from checker.report.junit import render_junit

        return render_junit(report, root)
    if fmt == "github":
        from checker.report.github import render_github

        return render_github(report, root)
    if fmt == "markdown":
        return _render_markdown(report, root)
    raise KeyError(fmt)


def _render_markdown(report: Report, root: str) -> str:
    from checker.report.markdown import render_markdown

    return render_markdown(report, root)


def render_report(fmt: str, report: Report, out: IO[str], rules: Sequence[Rule],
                  **text_options: Any) -> None:
    if fmt == "text":
        from checker.report.text import render_text

        render_text(report, out, **text_options)
        if report.baseline is not None:
            out.write(baseline_note(report))
        return
    out.write(render(fmt, report, rules, repo_root()))


def baseline_note(report: Report) -> str:
    b = report.baseline
    if b is None:
        return ""
    lines = [f"Baseline {b.file}: {plural(b.known, 'known failure')} waived, {b.new} new."]
    for e in b.fixed:
        lines.append(f"  fixed since the baseline: {display(e.path)}: {e.rule} "
                     "(refresh it with `privcheck baseline create`)")
    return "\n".join(lines) + "\n"


def write_file(path: str, text: str) -> None:
    """Atomically, parents created: the same rule as `-o` (checker/atomic.py)."""
    write_text(path, text)


def write_extra_outputs(report: Report, rules: Sequence[Rule], files: Mapping[str, str | None],
                        env: Mapping[str, str] | None = None) -> None:
    """Write each requested `{format: file}` and, under Actions, append the job summary."""
    env = os.environ if env is None else env
    summary = env.get("GITHUB_STEP_SUMMARY")
    wanted = {fmt: path for fmt, path in files.items() if path}
    if not wanted and not summary:
        return
    root = repo_root(env)
    for fmt, path in wanted.items():
        write_file(path, render(fmt, report, rules, root))
    if summary:
        append_step_summary(summary, _render_markdown(report, root))


def append_step_summary(path: str, markdown: str) -> None:
    """Append without taking the file past GitHub's 1 MiB, cutting at a line if need be."""
    try:
        used = os.path.getsize(path) if os.path.exists(path) else 0
        room = STEP_SUMMARY_LIMIT - used
        data = markdown.encode("utf-8") + b"\n"
        if len(data) > room:
            note = (b"\n\n_privcheck: summary cut at GitHub's 1 MiB limit; see the SARIF or "
                    b"JUnit report for every finding._\n")
            if room <= len(note):
                return
            cut = data[: room - len(note)]
            cut = cut[: cut.rfind(b"\n") + 1] if b"\n" in cut else b""
            data = cut + note
        with open(path, "ab") as f:
            f.write(data)
    except OSError as exc:
        raise PrivcheckError(f"cannot write the job summary: {exc.strerror}", path) from None
