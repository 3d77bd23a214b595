"""Streaming writers for `check`: each result is written as it arrives, and none is kept.

- jsonl: one line per policy, flushed at once (an unreadable file: {"path", "error"}).
- json: the same document as `render_json`, byte for byte, written policy by policy: only the
  input errors (few) and the summary counters are held until the end.
- text: each policy's block as it finishes, then `render_text`'s closing line.

So memory stays flat however many policies a run checks.
"""

from __future__ import annotations

import json
from typing import IO

from checker import __version__
from checker.records import InputError, PolicyReport, Report
from checker.report.text import render_policy, render_text, text_console

Result = PolicyReport | InputError
_POLICIES = '"policies": []'


class Sink:
    """Takes each result as it finishes; `close` writes whatever closes the document."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.errors: list[InputError] = []
        self.summary: dict[str, int] = {"policies": 0, "errors": 0}

    def add(self, result: Result) -> None:
        if isinstance(result, InputError):
            self.errors.append(result)
            self.summary["errors"] += 1
            return
        self.summary["policies"] += 1
        for key, value in result.summary.items():  # as total_summary adds them up
            self.summary[key] = self.summary.get(key, 0) + value
        self.policy(result)

    def policy(self, policy: PolicyReport) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def interrupted(self, exc: BaseException) -> None:
        """The run stopped early: leave nothing that looks like a complete document."""

    def report(self) -> Report:
        """The Report of the run without its policies: errors and totals."""
        return Report(privcheck=__version__, policies=[], errors=self.errors,
                      summary=self.summary)


class JsonlSink(Sink):
    def add(self, result: Result) -> None:
        super().add(result)
        if isinstance(result, InputError):
            line = {"path": result.path, "error": result.message}
            if result.line:
                line["line"] = result.line
            self.out.write(json.dumps(line) + "\n")
            self.out.flush()

    def policy(self, policy: PolicyReport) -> None:
        self.out.write(policy.model_dump_json() + "\n")
        self.out.flush()

    def interrupted(self, exc: BaseException) -> None:
        """A JSONL stream has no closing bracket: an interrupted one says so in a last line
        (`{"interrupted": ...}`), and the exit code is 130/143 (2 for an error)."""
        reason = {KeyboardInterrupt: "SIGINT"}.get(type(exc), type(exc).__name__)
        if type(exc).__name__ == "Terminated":
            reason = "SIGTERM"
        try:
            self.out.write(json.dumps({"interrupted": reason,
                                       "policies": self.summary["policies"],
                                       "errors": self.summary["errors"]}) + "\n")
            self.out.flush()
        except Exception:
            pass


class JsonSink(Sink):
    def __init__(self, out: IO[str]) -> None:
        super().__init__(out)
        self._count = 0
        self.out.write('{\n  "privcheck": ' + json.dumps(__version__) + ',\n  "policies": [')

    def policy(self, policy: PolicyReport) -> None:
        body = policy.model_dump_json(indent=2).replace("\n", "\n    ")
        self.out.write(("," if self._count else "") + "\n    " + body)
        self._count += 1

    def close(self) -> None:
        rest = self.report().model_dump_json(indent=2)
        tail = rest[rest.index(_POLICIES) + len(_POLICIES):]
        self.out.write(("\n  ]" if self._count else "]") + tail + "\n")


class TextSink(Sink):
    def __init__(self, out: IO[str], verbose: bool = False, quiet: bool = False,
                 color: bool | None = None) -> None:
        super().__init__(out)
        self.console = text_console(out, color)
        self.verbose, self.quiet, self.color = verbose, quiet, color

    def policy(self, policy: PolicyReport) -> None:
        render_policy(self.console, policy, self.verbose, self.quiet)

    def close(self) -> None:
        render_text(self.report(), self.out, self.verbose, self.quiet, self.color)


STREAMED = ("text", "json", "jsonl")


def make_sink(fmt: str, out: IO[str], verbose: bool = False, quiet: bool = False,
              color: bool | None = None) -> Sink:
    """The streaming writer for one of the STREAMED formats."""
    if fmt == "jsonl":
        return JsonlSink(out)
    if fmt == "json":
        return JsonSink(out)
    return TextSink(out, verbose=verbose, quiet=quiet, color=color)


def write_jsonl(report: Report, out: IO[str]) -> None:
    """A whole Report as JSON Lines (when a baseline or extra outputs needed the whole run)."""
    sink = JsonlSink(out)
    for result in [*report.policies, *report.errors]:
        sink.add(result)
