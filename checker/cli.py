"""The `privcheck` command line: a thin layer over the pipeline (read, extract, evaluate, render).

Exit codes: 0 nothing at or above --fail-on failed; 1 something did; 2 usage, configuration, rule
file or input errors (the other files of the run are still checked and reported).
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from typing import IO, Any

import click
import yaml

from checker import __version__, signals
from checker.atomic import forget_outputs, open_output
from checker.baseline import apply_baseline, load_baseline
from checker.conditions import condition_refs
from checker.config import Config, load_config
from checker.engine import make_plan
from checker.errors import PrivcheckError
from checker.facts import extract_facts, known_facts
from checker.gate_cli import COMMANDS as GATE_COMMANDS
from checker.models import InputError, PolicyReport, Report
from checker.outputs import (
    FORMATS,
    default_format,
    output_options,
    render_report,
    write_extra_outputs,
)
from checker.readers import read_policy
from checker.report import FAIL_ON, gate_failures, total_summary
from checker.report.stream import STREAMED, make_sink, write_jsonl
from checker.rules import RuleSet, load_pack, load_rules
from checker.runner import RunOptions, make_monitor, run_options
from checker.sanitize import display
from checker.summary.command import report as report_command

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _error(message: str) -> None:
    click.echo(f"privcheck: error: {display(message)}", err=True)


def _warning_line(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
    """A library's warning as one line on stderr, never a source line (the error contract)."""
    click.echo(f"privcheck: warning: {message}", err=True)


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


class _Group(click.Group):
    """Turns every PrivcheckError into one line on stderr and exit code 2, never a traceback."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["privcheck.nul_arg"] = any("\x00" in arg for arg in args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        if ctx.meta.get("privcheck.nul_arg"):  # a path with NUL would raise in os calls
            _error("an argument contains a NUL character")
            ctx.exit(EXIT_ERROR)
        forget_outputs()
        previous = signals.install(), warnings.showwarning
        warnings.showwarning = _warning_line
        try:
            return super().invoke(ctx)
        except PrivcheckError as exc:
            _error(str(exc))
            ctx.exit(EXIT_ERROR)
        except (KeyboardInterrupt, signals.Terminated) as exc:  # 130 / 143, as shells expect
            _error("interrupted; output files were left as they were")
            ctx.exit(signals.exit_code(exc))
        finally:
            signals.restore(previous[0])
            warnings.showwarning = previous[1]


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="privcheck")
def main() -> None:
    """privcheck: check website privacy policies against COPPA, CalOPPA, Shine the Light and
    core disclosure rules, with the evidence for every verdict."""


def _open_output(output: str | None, stream: bool = False) -> IO[str]:
    """stdout, or a file that appears only when the run ends normally (see atomic.py)."""
    return open_output(output, stream=stream) if output else sys.stdout


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice([*FORMATS, "jsonl"]), default=None,
              help="Output format (jsonl: one policy per line, streamed) "
              "[default: github when GITHUB_ACTIONS=true, else text].")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here.")
@output_options
@click.option("--select", multiple=True, help="Only these rule ids or packs (comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these rule ids or packs (comma-separated).")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Lowest severity of a failure that makes the exit code 1 [default: error].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when rules fail (errors still 2).")
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
              help="Configuration file (default: privcheck.yaml found upwards).")
@click.option("--encoding", help="Decode policies with this encoding instead of UTF-8.")
@click.option("--max-size", type=float, help="Largest policy file to read, in MB [default: 5].")
@click.option("-v", "--verbose", is_flag=True, help="Show passes and their evidence too.")
@click.option("-q", "--quiet", is_flag=True, help="Show only failures.")
@click.option("--color/--no-color", default=None, help="Force colour on or off.")
@run_options
def check(
    paths: tuple[str, ...], fmt: str, output: str | None, select: tuple[str, ...],
    ignore: tuple[str, ...], fail_on: str | None, exit_zero: bool, config_path: str | None,
    encoding: str | None, max_size: float | None, verbose: bool, quiet: bool,
    color: bool | None, sarif_file: str | None, junit_file: str | None,
    markdown_file: str | None, json_file: str | None, baseline_file: str | None,
    run: RunOptions,
) -> None:
    """Check policy files, folders or globs (or --from-list) against the rule packs."""
    config = load_config(config_path)
    baseline = load_baseline(baseline_file) if baseline_file else None
    if max_size:
        config = config.model_copy(update={"max_size_mb": max_size})
    plan = make_plan(config, _split(select), _split(ignore))
    fmt = fmt or default_format()
    extras = {"sarif": sarif_file, "junit": junit_file, "markdown": markdown_file,
              "json": json_file}
    threshold = fail_on or config.fail_on
    monitor = make_monitor(run, paths, threshold)
    # Each policy is written as it finishes and not kept (flat memory), unless the output
    # needs the whole run: a baseline, extra report files, a job summary, a whole-run format.
    whole = (baseline is not None or any(extras.values()) or fmt not in STREAMED
             or bool(os.environ.get("GITHUB_STEP_SUMMARY")))
    report: Report | None = None
    out = _open_output(output, stream=fmt == "jsonl" and not whole)
    try:
        if not whole:
            sink = make_sink(fmt, out, verbose=verbose, quiet=quiet, color=color)
            try:
                for result in run.results(paths, plan, encoding, monitor):
                    sink.add(result)
            except BaseException as exc:
                sink.interrupted(exc)  # jsonl: a last line that says the stream is partial
                raise
            sink.close()
        else:
            policies: list[PolicyReport] = []
            errors: list[InputError] = []
            for result in run.results(paths, plan, encoding, monitor):
                (errors if isinstance(result, InputError) else policies).append(result)
            report = Report(privcheck=__version__, policies=policies, errors=errors,
                            summary=total_summary(policies, len(errors)))
            if baseline is not None and baseline_file:
                report = apply_baseline(report, baseline, baseline_file)
            if fmt == "jsonl":
                write_jsonl(report, out)
            else:
                render_report(fmt, report, out, plan.rules, verbose=verbose, quiet=quiet,
                              color=color)
    finally:
        monitor.close()
        if out is not sys.stdout:
            out.close()
    if report is not None:
        write_extra_outputs(report, plan.rules, extras)
    if monitor.errors:
        sys.exit(EXIT_ERROR)
    gated = gate_failures(report, threshold) if report is not None else monitor.gated
    if gated and not exit_zero:
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)


@main.command()
@click.argument("policy", required=False)
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml",
              show_default=True)
@click.option("--list", "list_facts", is_flag=True, help="List every fact id and what it means.")
@click.option("--encoding", help="Decode the policy with this encoding instead of UTF-8.")
def facts(policy: str | None, fmt: str, list_facts: bool, encoding: str | None) -> None:
    """Print the facts extracted from POLICY, with their evidence."""
    if list_facts:
        data: Any = {fid: {"title": i.title, "looks_for": i.looks_for}
                     for fid, i in known_facts().items()}
    else:
        if not policy:
            raise click.UsageError("give a POLICY file, or --list")
        doc = read_policy(policy, encoding=encoding)
        data = {fid: f.model_dump(exclude={"id"}) for fid, f in extract_facts(doc).items()}
        data = {"path": policy, "facts": data}
    if fmt == "json":
        click.echo(json.dumps(data, indent=2))
    else:
        click.echo(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), nl=False)


@main.group()
def rules() -> None:
    """List, explain and validate rules."""


def _ruleset(config_path: str | None) -> tuple[RuleSet, Config]:
    config = load_config(config_path)
    return load_rules(tuple(config.rule_files)), config


@rules.command("list")
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def rules_list(config_path: str | None, fmt: str) -> None:
    """A table of every rule: id, severity, title and citation."""
    from rich.console import Console
    from rich.table import Table

    ruleset, _ = _ruleset(config_path)
    if fmt == "json":
        click.echo(json.dumps([
            {"id": r.id, "pack": r.pack, "severity": r.severity.value, "title": r.title,
             "citation": r.citation, "url": r.url} for r in ruleset.rules.values()
        ], indent=2))
        return
    table = Table(title="privcheck rules", show_lines=False)
    table.add_column("rule", no_wrap=True)  # ids are copied into configs: never broken
    table.add_column("severity", no_wrap=True)
    table.add_column("title", overflow="fold")
    table.add_column("citation", overflow="fold")
    for r in ruleset.rules.values():
        table.add_row(r.id, r.severity.value, r.title, r.citation)
    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = 140  # piped: a readable width rather than the 80-column default
    console.print(table)


@rules.command("show")
@click.argument("rule_id")
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False))
def rules_show(rule_id: str, config_path: str | None) -> None:
    """What RULE_ID checks, why, its citation, and examples that pass and fail."""
    ruleset, _ = _ruleset(config_path)
    rule = ruleset.rules.get(rule_id)
    if rule is None:
        raise PrivcheckError(f"no such rule '{rule_id}' (see `privcheck rules list`)")
    info = known_facts()
    facts_used = sorted({f for f, _ in condition_refs(rule.require, "fact") if f in info})
    lines = [
        f"{rule.id}: {rule.title}",
        f"pack: {rule.pack}    severity: {rule.severity.value}",
        f"law: {rule.citation}" + (f"\n     {rule.citation_note}" if rule.citation_note else ""),
    ]
    if rule.url:
        lines.append(f"     {rule.url}")
    lines += ["", "What it checks:"]
    lines += [f"  - {info[f].looks_for} [{f}]" for f in facts_used]
    lines += ["", "Why it matters:", f"  {rule.why}", "", "How to fix:", f"  {rule.remedy}",
              "", "Passes:", f"  {rule.example_pass}", "", "Fails:", f"  {rule.example_fail}"]
    click.echo("\n".join(lines))


@rules.command("validate")
@click.argument("files", nargs=-1, required=True)
def rules_validate(files: tuple[str, ...]) -> None:
    """Validate rule pack files against the schema and the known facts."""
    failed = False
    for path in files:
        try:
            ruleset = load_pack(path)
        except PrivcheckError as exc:
            _error(str(exc))
            failed = True
            continue
        click.echo(f"{path}: ok ({len(ruleset.rules)} rules)")
    sys.exit(EXIT_ERROR if failed else EXIT_OK)


# The CI-gate commands live in their own module: baseline, diff, init; `report` in its own.
for _command in GATE_COMMANDS:
    main.add_command(_command)
main.add_command(report_command)


if __name__ == "__main__":  # pragma: no cover
    main()
