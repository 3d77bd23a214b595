"""Terminal output with rich: failures first, each on a line that starts with `path:line:col`.

That prefix is the form editors and terminals turn into a link (as ruff, mypy and gcc print it),
so every finding can be opened where it points: a failure at its location (its evidence, else
the section where the disclosure belongs, else the first line), a pass (under -v) at its first
evidence, a rule that does not apply at the policy's first line. The lines under a finding say
why it fails, how to fix it and which law asks for it; on a terminal they wrap with their indent
kept, piped they are never wrapped.

Layouts: the default lists failures and waivers with their detail and one count line per
policy; -v adds passes with their evidence; -q prints one line per failure and nothing else.

Colour follows rich's detection: none when output is not a terminal or NO_COLOR is set. When
rich would print neither colour nor wrapping (output piped or to a file, as in CI), the lines are
written by PlainConsole without importing rich, which costs more than the rest of a short run;
tests/test_lean.py checks that both give the same bytes.
"""

from __future__ import annotations

import builtins
import os
import sys
from typing import IO, TYPE_CHECKING, Any

from checker.lazy_re import LazyPattern
from checker.records import Evidence, Finding, Notice, PolicyReport, Report, Status
from checker.sanitize import display
from checker.words import plural

_MARK = {
    Status.PASS: ("✓", "green"),
    Status.FAIL: ("✗", "red"),
    Status.WAIVED: ("~", "yellow"),
    Status.NOT_APPLICABLE: ("-", "dim"),
}
_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_ORDER = {Status.FAIL: 0, Status.WAIVED: 1, Status.PASS: 2, Status.NOT_APPLICABLE: 3}
# The word after the mark: a failure's severity (how much it matters), else the verdict itself,
# so that a pass never reads "✓ error".
_WORD = {Status.PASS: "pass", Status.WAIVED: "waived", Status.NOT_APPLICABLE: "n/a"}
INDENT = 4  # detail lines under a finding

if TYPE_CHECKING:
    from typing import TypeAlias

    from rich.console import Console

    AnyConsole: TypeAlias = "Console | PlainConsole"

_CONTROL = LazyPattern("[\x00-\x1f\x7f]")  # rich strips or expands some: left to it
# A line is a list of parts: plain text, or (text, rich style).
Part = str | tuple[str, str]
Parts = list[Part]


class PlainConsole:
    """rich's output when it is not writing to a terminal, without rich: no colour, no
    wrapping, one line per print. A line holding a control character (never, in practice: the
    renderer shows policy text through `display`) is left to rich, which strips or expands
    some of them."""

    soft_wrap = True

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self._rich: Console | None = None

    def print_parts(self, parts: Parts) -> None:
        line = "".join(p if isinstance(p, str) else p[0] for p in parts)
        if _CONTROL.search(line):
            if self._rich is None:
                self._rich = rich_console(self.out, None)
            self._rich.print(_text(parts))
            return
        self._write(line + "\n")

    def print(self) -> None:
        self._write("\n")

    def _write(self, text: str) -> None:
        """As rich writes: flushed at once, and a closed pipe (`privcheck check ... | head`)
        ends the run as rich ends it: exit 1, standard output sent to /dev/null so that
        Python's own flush at exit does not fail again."""
        try:
            try:
                self.out.write(text)
            except UnicodeEncodeError as error:
                error.reason = (f"{error.reason}\n*** You may need to add PYTHONIOENCODING=utf-8 "
                                "to your environment ***")
                raise
            self.out.flush()
        except BrokenPipeError:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise SystemExit(1) from None


def _text(parts: Parts) -> Any:
    from rich.text import Text

    return Text.assemble(*parts)


def where(path: str, finding: Finding) -> str:
    """`path:line:col` of a finding: its location, else its first evidence, else line 1."""
    ev: Evidence | None = finding.location or (finding.evidence[0] if finding.evidence else None)
    return display(ev.place(path) if ev else f"{path}:1:1")


def _print(console: AnyConsole, parts: Parts, indent: int = 0,
           hang: int = INDENT) -> None:
    """A line indented by `indent`; when the terminal wraps it, each continuation is indented
    by `indent + hang`, so a wrapped finding still reads as one block. Piped (soft wrap), a line
    stays one line whatever its length: tools read it, not people."""
    if isinstance(console, PlainConsole):
        console.print_parts([" " * indent, *parts] if indent else parts)
        return
    from rich.text import Text

    text = _text(parts)
    if console.soft_wrap:
        console.print(Text.assemble(" " * indent, text))
        return
    first = True
    rest = text
    while rest.plain:
        pad = indent if first else indent + hang
        width = max(20, console.width - pad)
        lines = rest.wrap(console, width)
        line = lines[0]
        line.rstrip()
        console.print(Text.assemble(" " * pad, line), no_wrap=True, overflow="ignore")
        consumed = len(lines[0].plain) if len(lines) > 1 else len(rest.plain)
        rest = rest[consumed:] if len(lines) > 1 else Text()
        rest = rest[len(rest.plain) - len(rest.plain.lstrip()):]
        first = False


def _detail(console: AnyConsole, *parts: Part) -> None:
    """A detail line; policy text and file names in it are shown, never obeyed (sanitize.py)."""
    safe: Parts = [(display(p[0]), p[1]) if isinstance(p, tuple) else display(p) for p in parts]
    _print(console, safe, indent=INDENT)


def _evidence_lines(console: AnyConsole, finding: Finding, path: str, limit: int = 3) -> None:
    path = display(path)  # policy text and file names never reach the terminal raw
    for ev in finding.evidence[:limit]:
        quote = ev.quote if len(ev.quote) <= 160 else ev.quote[:157] + "..."
        _detail(console, (ev.place(path), "dim"), "  ", (f'"{quote}"', "italic"))
    if len(finding.evidence) > limit:
        _detail(console, (f"... and {len(finding.evidence) - limit} more", "dim"))


def finding_line(f: Finding, path: str) -> Parts:
    """`path:line:col: ✗ error rule-id  title`: the one line a finding always gets."""
    mark, style = _MARK[f.status]
    word = _WORD.get(f.status) or f.severity.value
    word_style = _SEVERITY_STYLE.get(word, "") if f.status == Status.FAIL else style
    return [
        (where(path, f), "bold"), ": ", (mark, style), " ",
        (f"{word:<7}", word_style), " ", (f.rule, "bold"), "  ", display(f.title),
    ]


def notice_line(n: Notice, path: str) -> Parts:
    """`path:line:col: ! warning kind  message`: a notice never fails the gate."""
    return [(display(f"{path}:{n.line}:{n.column}"), "bold"), ": ", ("!", "yellow"),
            " ", (f"{'warning':<7}", "yellow"), " ", (n.kind, "bold"), "  ",
            display(n.message)]


def _finding(console: AnyConsole, f: Finding, path: str, verbose: bool) -> None:
    _print(console, finding_line(f, path))
    if f.status == Status.FAIL:
        _detail(console, ("why it fails: ", "dim"), f.message)
        _detail(console, ("fix: ", "dim"), f.remedy)
        _detail(console, ("law: ", "dim"), f.citation)
        if verbose and f.evidence:
            _evidence_lines(console, f, path)
    elif f.status == Status.WAIVED:
        _detail(console, ("waived: ", "dim"), f.waiver or "")
        _detail(console, ("would fail: ", "dim"), f.message)
    elif f.status == Status.PASS and verbose:
        _evidence_lines(console, f, path)
    elif f.status == Status.NOT_APPLICABLE and verbose:
        _detail(console, ("not applicable: ", "dim"), f.message)


def _shown(f: Finding, verbose: bool, quiet: bool) -> bool:
    if quiet:
        return f.status == Status.FAIL
    return verbose or f.status in (Status.FAIL, Status.WAIVED)


def render_policy(console: AnyConsole, policy: PolicyReport, verbose: bool, quiet: bool) -> None:
    findings = [f for f in sorted(policy.results, key=lambda f: _ORDER[f.status])
                if _shown(f, verbose, quiet)]
    if quiet:
        for f in findings:
            _print(console, finding_line(f, policy.path))
        for n in policy.notices:
            _print(console, notice_line(n, policy.path))
        return
    for f in findings:
        _finding(console, f, policy.path, verbose)
    for n in policy.notices:
        _print(console, notice_line(n, policy.path))
    s = policy.summary
    counts = (f"{s['pass']} passed, {s['fail']} failed, {s['waived']} waived, "
              f"{s['not-applicable']} not applicable"
              + (f"; effective date {policy.effective_date}" if policy.effective_date else ""))
    _print(console, [(display(policy.path), "bold underline"), ": ", (counts, "dim")])
    if policy.redirects:
        _print(console, [(f"  redirected to {policy.redirects[-1]}", "dim")])
    console.print()


def _styled(out: IO[str], color: bool | None) -> bool:
    """Whether rich would treat `out` as a terminal (colour, styles, wrapping): rich's own
    test (Console.is_terminal), with Jupyter (rich's HTML output) counted as a terminal."""
    if color or hasattr(builtins, "get_ipython"):
        return True
    tty = os.environ.get("TTY_COMPATIBLE", "")
    if tty in ("0", "1"):
        return tty == "1"
    force = os.environ.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    try:
        return bool(out.isatty())
    except (AttributeError, ValueError):
        return False


def rich_console(out: IO[str], color: bool | None = None) -> Console:
    from rich.console import Console

    return Console(file=out, highlight=False, soft_wrap=not out.isatty(),
                   no_color=None if color is None else not color,
                   force_terminal=color if color else None)


def text_console(out: IO[str], color: bool | None = None) -> AnyConsole:
    """rich's console on a terminal (or with colour forced), else the plain writer."""
    if _styled(out, color) or out.isatty():
        return rich_console(out, color)
    return PlainConsole(out)


def render_text(report: Report, out: IO[str], verbose: bool = False, quiet: bool = False,
                color: bool | None = None) -> None:
    console = text_console(out, color)
    for policy in report.policies:
        render_policy(console, policy, verbose, quiet)
    if quiet:
        return
    t = report.summary
    failed = t.get("fail", 0)
    line: Parts = [
        ("Checked ", ""), (plural(t["policies"], "policy"), "bold"), ": ",
        (f"{t.get('pass', 0)} passed", "green"), ", ",
        (f"{failed} failed", "red" if failed else "green"),
        f" ({plural(t.get('failed_error', 0), 'error')}, "
        f"{plural(t.get('failed_warning', 0), 'warning')})",
        f", {t.get('waived', 0)} waived, {t.get('not-applicable', 0)} not applicable",
    ]
    if report.errors:
        n = len(report.errors)
        line.append((f"; {plural(n, 'file')} could not be checked", "bold red"))
    _print(console, line)
