"""`privcheck report`: a compliance summary people read (HTML, Markdown) or load (CSV).

Registered on the CLI group in checker/cli.py; its heavy imports (Jinja2) happen only when it
runs, so `privcheck --help` and `privcheck check` do not pay for them.
"""

from __future__ import annotations

import sys

import click

from checker.inputs_cli import InputChoices, input_options
from checker.runner import RunOptions, make_monitor, run_options

EXIT_OK, EXIT_ERROR = 0, 2


@click.command("report")
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["html", "markdown", "csv"]), default="html",
              show_default=True, help="html: self-contained page; markdown: PR comment or wiki; "
              "csv: the policy-by-rule matrix.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option("--title", help="Heading of a many-policy report.")
@click.option("--select", multiple=True, help="Only these rule ids or packs (comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these rule ids or packs (comma-separated).")
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
              help="Configuration file (default: privcheck.yaml found upwards).")
@click.option("--encoding", help="Decode policies with this encoding instead of UTF-8.")
@click.option("--max-size", type=float, help="Largest policy file to read, in MB [default: 5].")
@input_options
@run_options
def report(paths: tuple[str, ...], fmt: str, output: str | None, title: str | None,
           select: tuple[str, ...], ignore: tuple[str, ...], config_path: str | None,
           encoding: str | None, max_size: float | None, run: RunOptions,
           inputs: InputChoices) -> None:
    """Write a compliance summary of policy files, folders or globs (or --from-list).

    One policy: its verdicts by law with evidence or remedy. Many: a policy-by-rule matrix,
    pass rates per rule, and each policy's evidence. Exit code 0, or 2 when a file could not
    be read (the report is still written, listing it); failing rules do not change it.
    """
    from checker.cli import _open_output, _split
    from checker.config import load_config
    from checker.engine import make_plan
    from checker.models import InputError
    from checker.summary import Renderer, Summary, pack_infos

    config = inputs.apply(load_config(config_path))
    paths = inputs.paths(paths)
    if max_size:
        config = config.model_copy(update={"max_size_mb": max_size})
    plan = make_plan(config, _split(select), _split(ignore))
    summary = Summary(rules=plan.rules, packs=pack_infos(plan.rules))
    if title:
        summary.title = title
    monitor = make_monitor(run, paths, config.fail_on)
    out = _open_output(output)
    renderer: Renderer
    try:
        if fmt == "csv":
            from checker.summary.csv_report import CsvReport

            renderer = CsvReport(out)
        elif fmt == "markdown":
            from checker.summary.markdown import MarkdownReport

            renderer = MarkdownReport()
        else:
            from checker.summary.html import HtmlReport

            renderer = HtmlReport()
        for result in run.results(paths, plan, encoding, monitor):
            if isinstance(result, InputError):
                summary.errors.append(result)
            else:
                renderer.policy(summary, summary.add(result), result)
        renderer.finish(summary, out)
    finally:
        monitor.close()
        if out is not sys.stdout:
            out.close()
    sys.exit(EXIT_ERROR if summary.errors else EXIT_OK)
