"""The `privcheck` console script: `privcheck check FILE...` on unchanged files, answered from
the results cache before click and the command modules are imported.

The commonest run in CI and in a pre-commit hook checks a few files that were checked before.
Once the results cache serves them (checker/results_cache.py), what is left of such a run is
Python's start and the imports; click and the command modules (about a third of those) only
parse a command line that has nothing to parse. So this module looks at the command line first:
when it is `check` followed by file paths and nothing else, and every file is a cache hit, it
prints the report with the same functions `check` uses (the configuration and Plans, the
results cache, the text writer, the exit-code rule) and exits. Anything else (an option, a
folder, a glob, a URL, a miss, a configuration error, a terminal on stderr, GitHub Actions'
format or job summary) goes to checker/cli.py, which checks as before; nothing is printed by
the quick path until it knows it can answer, so a fallback starts from a clean slate.

tests/test_results_cache.py checks that both paths print the same bytes and exit codes.
`python -m checker.cli` always takes the full path.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checker.records import PolicyReport


def main() -> None:
    """The console script (pyproject's [project.scripts])."""
    code = quick_check(sys.argv[1:])
    if code is not None:
        _leave(code)
    from checker.cli import main as cli

    cli()


def _leave(code: int) -> None:
    """Exit at once once the report is out: os._exit skips the interpreter's teardown, which
    frees every module and object one by one (measured: about a tenth of a quick run's CPU).
    Nothing on this path needs it: no atexit callback, no thread, no open output file; the only
    buffered output, stdout and stderr, is flushed here."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: the report was written or could not be
            code = code or 1
    os._exit(code)


def _simple(argv: list[str]) -> list[str] | None:
    """The paths of `check PATH...` with no option (a path is a word not starting with '-')."""
    if len(argv) < 2 or argv[0] != "check":
        return None
    paths = argv[1:]
    if any(not p or p.startswith("-") or "\x00" in p for p in paths):
        return None
    return paths


def quick_check(argv: list[str]) -> int | None:
    """The exit code of `privcheck check PATH...` served wholly from the results cache, with
    the report written to stdout; None (nothing written) when the full command must run."""
    paths = _simple(argv)
    if paths is None:
        return None
    env = os.environ
    if env.get("GITHUB_ACTIONS") == "true" or env.get("GITHUB_STEP_SUMMARY"):
        return None  # the github format, or a whole-run job summary
    from checker import signals

    previous = signals.install()  # Ctrl-C and SIGTERM as in checker/cli.py: 130 and 143
    try:
        return _quick(paths)
    except (KeyboardInterrupt, signals.Terminated) as exc:
        print("privcheck: error: interrupted; output files were left as they were",
              file=sys.stderr)
        return signals.exit_code(exc)
    finally:
        signals.restore(previous)


def _quick(paths: list[str]) -> int | None:
    try:
        if sys.stderr.isatty():  # the progress bar's closing line: checker/runner.py
            return None
        if not all(os.path.isfile(p) for p in paths):  # folders, globs, URLs, missing files
            return None
        found = _hits(paths)
    except Exception:  # whatever it is, the full command meets it again and says what it is
        return None
    if found is None:
        return None
    policies, fail_on = found
    from checker.report.stream import make_sink

    gated = 0
    try:
        sink = make_sink("text", sys.stdout)
        for policy in policies:  # as checker/commands/check.py and the runner's Monitor do
            sink.add(policy)
            gated += policy.gates(fail_on)
        sink.close()
        sys.stdout.flush()
    except BrokenPipeError:  # `privcheck check a.md | head -1`: exit 1 quietly, as click does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 1 if gated else 0


def _hits(paths: list[str]) -> tuple[list[PolicyReport], str] | None:
    """Every policy of the run from the results cache, and the run's --fail-on threshold; None
    when one of them is not there, or the run would say or build more than the report: a
    file it skips with a note, a configuration not proven to make a plan (building it is the
    full command's work, and its error is the run's error)."""
    from checker.config import load_config
    from checker.paths import PathFilter, iter_policy_paths, own_output
    from checker.plans import Plans
    from checker.results_cache import is_valid, lookup

    if any(own_output(p) for p in paths):
        return None
    config = load_config(None)  # as `check` without --config: see checker/commands/common.py
    plans = Plans(config, results_cache=True)
    if not is_valid(plans.fingerprint_for(config)):
        return None
    filt = PathFilter(root=config.base, include=config.include, exclude=config.exclude,
                      gitignore=config.respect_gitignore)
    policies = []
    for path in iter_policy_paths(paths, filt):
        if type(path) is not str:  # checker.paths.Missing, a str subclass
            return None
        hit, _, _ = lookup(path, plans, None)
        if hit is None:
            return None
        policies.append(hit)
    return policies, config.fail_on


if __name__ == "__main__":  # pragma: no cover
    main()
