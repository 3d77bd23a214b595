"""`privcheck baseline create`: record today's failures so `check --baseline` fails on new ones."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from checker.commands.common import (
    EXIT_ERROR,
    config_option,
    default_paths,
    encoding_option,
    error,
    force_exclude_option,
    load_plans,
    path_filter,
    selection_options,
)

if TYPE_CHECKING:
    from checker.paths import PathFilter
    from checker.plans import Plans
    from checker.records import Report


def _checked(paths: tuple[str, ...], plans: Plans, encoding: str | None,
             filt: PathFilter) -> Report:
    """Every policy of PATHS checked, in memory: a baseline is written from the whole run."""
    from checker import __version__
    from checker.paths import expand_paths
    from checker.records import InputError, PolicyReport, Report
    from checker.report import total_summary
    from checker.runner import check_one

    files, missing = expand_paths(list(paths), filt)
    policies: list[PolicyReport] = []
    errors = [InputError(path=m, message="no such file or directory") for m in missing]
    for path in files:
        result = check_one(path, plans, encoding)
        if isinstance(result, InputError):
            errors.append(result)
        else:
            policies.append(result)
    return Report(privcheck=__version__, policies=policies, errors=errors,
                  summary=total_summary(policies, len(errors)))


@click.group()
def baseline() -> None:
    """Record today's failures so `check --baseline` fails only on new ones."""


@baseline.command("create")
@click.argument("paths", nargs=-1)
@click.option("-o", "--output", default="privcheck-baseline.json", show_default=True,
              type=click.Path(dir_okay=False), help="Where to write the baseline.")
@config_option
@selection_options
@encoding_option
@force_exclude_option
def baseline_create(paths: tuple[str, ...], output: str, config_path: str | None,
                    select: tuple[str, ...], ignore: tuple[str, ...],
                    encoding: str | None, force_exclude: bool) -> None:
    """Check PATHS (default: the configuration's `paths:`) and write every failure to the
    baseline file. Its paths are relative to the baseline file's folder."""
    from checker.baseline import create_baseline
    from checker.outputs import write_file
    from checker.words import plural

    config, plans = load_plans(config_path, select, ignore)
    paths = default_paths(paths, config)
    if not paths:
        raise click.UsageError("give PATH arguments, or `paths:` in the configuration")
    report = _checked(paths, plans, encoding, path_filter(config, force_exclude))
    for err in report.errors:
        error(f"{err.where()}: {err.message}")
    if report.errors:
        error("baseline not written: fix the files above first")
        sys.exit(EXIT_ERROR)
    data = create_baseline(report, output)
    write_file(output, json.dumps(data, indent=2) + "\n")
    click.echo(f"privcheck: wrote {plural(len(data['failures']), 'failure')} of "
               f"{plural(len(report.policies), 'policy')} to {output}", err=True)
