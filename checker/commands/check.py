"""`privcheck check`: the gate. Checks policies, prints findings, exits 0, 1 (rules failed) or 2."""

from __future__ import annotations

import os
import sys
from contextlib import closing
from typing import TYPE_CHECKING

import click

from checker.choices import FORMATS
from checker.commands.common import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    RunOptions,
    close_output,
    config_option,
    default_paths,
    encoding_option,
    fail_on_option,
    force_exclude_option,
    format_from_output,
    load_plans,
    max_size_option,
    open_output,
    output_options,
    path_filter,
    run_options,
    selection_options,
)
from checker.inputs_cli import InputChoices, input_options

if TYPE_CHECKING:
    from checker.rules import Rule


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice([*FORMATS, "jsonl"]), default=None,
              help="Output format (jsonl: one policy per line, streamed) "
              "[default: from the -o file's extension (.json, .sarif, .xml, .md, ...), else "
              "github when GITHUB_ACTIONS=true, else text].")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here.")
@output_options
@selection_options
@fail_on_option("Lowest severity of a failure that makes the exit code 1 [default: error].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when rules fail (errors still 2).")
@config_option
@encoding_option
@max_size_option
@click.option("-v", "--verbose", is_flag=True, help="Show passes and their evidence too.")
@click.option("-q", "--quiet", is_flag=True, help="Show only failures.")
@click.option("--color/--no-color", default=None, help="Force colour on or off.")
@force_exclude_option
@click.option("--no-cache", is_flag=True,
              help="Check every policy afresh: neither read nor write the results cache.")
@input_options
@run_options
def check(
    paths: tuple[str, ...], fmt: str | None, output: str | None, select: tuple[str, ...],
    ignore: tuple[str, ...], fail_on: str | None, exit_zero: bool, config_path: str | None,
    encoding: str | None, max_size: float | None, verbose: bool, quiet: bool,
    color: bool | None, sarif_file: str | None, junit_file: str | None,
    markdown_file: str | None, json_file: str | None, baseline_file: str | None,
    force_exclude: bool, no_cache: bool, run: RunOptions, inputs: InputChoices,
) -> None:
    """Check policy files, folders, globs, http(s) URLs or bundles (or --from-list, or `-` for
    standard input, or the configuration's `paths:` when none is given) against the rule packs.

    Each policy is checked under the nearest configuration above it (privcheck.yaml, or
    [tool.privcheck] in pyproject.toml), unless --config names one for every file.
    """
    from checker import __version__
    from checker.outputs import default_format, render_report, write_extra_outputs
    from checker.records import InputError, PolicyReport, Report
    from checker.report import gate_failures, total_summary
    from checker.report.stream import STREAMED, make_sink, write_jsonl
    from checker.runner import make_monitor

    config, plans = load_plans(config_path, select, ignore, max_size, adjust=inputs.apply,
                               results_cache=not no_cache)
    paths = inputs.paths(default_paths(paths, config))
    run.filter = path_filter(config, force_exclude)
    baseline = None
    if baseline_file:
        from checker.baseline import apply_baseline, load_baseline

        baseline = load_baseline(baseline_file)
    fmt = fmt or format_from_output(output, [*FORMATS, "jsonl"]) or default_format()
    extras = {"sarif": sarif_file, "junit": junit_file, "markdown": markdown_file,
              "json": json_file}
    threshold = fail_on or config.fail_on
    monitor = make_monitor(run, paths, threshold)
    # Each policy is written as it finishes and not kept (flat memory), unless the output
    # needs the whole run: a baseline, extra report files, a job summary, a whole-run format.
    whole = (baseline is not None or any(extras.values()) or fmt not in STREAMED
             or bool(os.environ.get("GITHUB_STEP_SUMMARY")))
    report: Report | None = None
    rules: list[Rule] = []  # only SARIF lists the rules: the others need no plan
    out = open_output(output, stream=fmt == "jsonl" and not whole)
    try:
        if not whole:
            sink = make_sink(fmt, out, verbose=verbose, quiet=quiet, color=color)
            try:
                with closing(run.results(paths, plans, encoding, monitor)) as results:
                    for result in results:
                        sink.add(result)
            except BaseException as exc:
                sink.interrupted(exc)  # jsonl: a last line that says the stream is partial
                raise
            sink.close()
        else:
            policies: list[PolicyReport] = []
            errors: list[InputError] = []
            with closing(run.results(paths, plans, encoding, monitor)) as results:
                for result in results:
                    (errors if isinstance(result, InputError) else policies).append(result)
            report = Report(privcheck=__version__, policies=policies, errors=errors,
                            summary=total_summary(policies, len(errors)))
            if baseline is not None and baseline_file:
                report = apply_baseline(report, baseline, baseline_file)
            if fmt == "sarif" or sarif_file:
                rules = plans.rules_for(p.path for p in report.policies)
            if fmt == "jsonl":
                write_jsonl(report, out)
            else:
                render_report(fmt, report, out, rules, verbose=verbose, quiet=quiet,
                              color=color)
    finally:
        monitor.close()
        close_output(out)
    if report is not None:
        write_extra_outputs(report, rules, extras)
    if monitor.errors:
        sys.exit(EXIT_ERROR)
    gated = gate_failures(report, threshold) if report is not None else monitor.gated
    if gated and not exit_zero:
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)
