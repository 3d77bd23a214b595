"""`privcheck report`: a compliance summary people read (HTML, Markdown) or load (CSV).

Its heavy imports (Jinja2) happen only when it runs, so `privcheck --help` and `privcheck check`
do not pay for them.
"""

from __future__ import annotations

import sys
from contextlib import closing

import click

from checker.choices import REPORT_FORMATS
from checker.commands.common import (
    EXIT_ERROR,
    EXIT_OK,
    RunOptions,
    close_output,
    config_option,
    default_paths,
    encoding_option,
    force_exclude_option,
    format_from_output,
    load_plans,
    max_size_option,
    open_output,
    path_filter,
    run_options,
    selection_options,
)
from checker.inputs_cli import InputChoices, input_options


@click.command("report")
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default=None,
              help="html: self-contained page; markdown: PR comment or wiki; csv: the "
              "policy-by-rule matrix [default: from the -o file's extension, else html].")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option("--title", help="Heading of a many-policy report.")
@selection_options
@config_option
@encoding_option
@max_size_option
@force_exclude_option
@input_options
@run_options
def report(paths: tuple[str, ...], fmt: str | None, output: str | None, title: str | None,
           select: tuple[str, ...], ignore: tuple[str, ...], config_path: str | None,
           encoding: str | None, max_size: float | None, force_exclude: bool,
           run: RunOptions, inputs: InputChoices) -> None:
    """Write a compliance summary of policy files, folders or globs (or --from-list).

    One policy: its verdicts by law with evidence or remedy. Many: a policy-by-rule matrix,
    pass rates per rule, and each policy's evidence. Exit code 0, or 2 when a file could not
    be read (the report is still written, listing it); failing rules do not change it.
    """
    from checker.records import InputError
    from checker.runner import make_monitor
    from checker.summary import Renderer, Summary, pack_infos

    fmt = fmt or format_from_output(output, REPORT_FORMATS) or "html"
    config, plans = load_plans(config_path, select, ignore, max_size, adjust=inputs.apply)
    paths = inputs.paths(default_paths(paths, config))
    run.filter = path_filter(config, force_exclude)
    # The matrix's columns are the rules of the run's configuration (--config, or the one
    # found from the working directory); a policy under another configuration fills them in.
    rules = plans.default.rules
    summary = Summary(rules=rules, packs=pack_infos(rules))
    if title:
        summary.title = title
    monitor = make_monitor(run, paths, config.fail_on)
    out = open_output(output)
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
        with closing(run.results(paths, plans, encoding, monitor)) as results:
            for result in results:
                if isinstance(result, InputError):
                    summary.errors.append(result)
                else:
                    renderer.policy(summary, summary.add(result), result)
        renderer.finish(summary, out)
    finally:
        monitor.close()
        close_output(out)
    sys.exit(EXIT_ERROR if summary.errors else EXIT_OK)
