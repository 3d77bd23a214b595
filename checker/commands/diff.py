"""`privcheck diff`: what a change to a policy does to its verdicts (for pull requests)."""

from __future__ import annotations

import json
import sys

import click

from checker.commands.common import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    config_option,
    encoding_option,
    error,
    fail_on_option,
)
from checker.inputs_cli import InputChoices, input_options


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--git-ref", help="Compare each PATH at this git ref (e.g. origin/main) with the "
              "working tree, instead of comparing OLD with NEW.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True, help="markdown: a table for a pull-request comment.")
@fail_on_option("Lowest severity of a regression that makes the exit code 1 "
                "[default: the config's fail_on, error].")
@config_option
@encoding_option
@input_options
def diff(paths: tuple[str, ...], git_ref: str | None, fmt: str, fail_on: str | None,
         config_path: str | None, encoding: str | None, inputs: InputChoices) -> None:
    """Compare two versions of a policy: `diff OLD NEW`, or `diff --git-ref REF PATH...`
    (with `--bundle NAME`, a bundle's members at REF against the working tree, as one policy).

    Exit 1 when a rule newly fails (at or above --fail-on), 2 on an error, else 0.
    """
    from checker import __version__
    from checker.checkfile import read_options
    from checker.commands.common import load_plans, path_filter
    from checker.diff import PolicyDiff, diff_bundle_at, diff_documents, git_show_document
    from checker.errors import PrivcheckError
    from checker.paths import expand_paths
    from checker.readers import read_policy
    from checker.records import Severity
    from checker.report.diff_text import render_diff_markdown, render_diff_text

    config, plans = load_plans(config_path, adjust=inputs.apply)
    diffs: list[PolicyDiff] = []
    errors: list[str] = []
    if git_ref is None:
        if inputs.bundles:
            raise click.UsageError("--bundle compares a bundle's members with themselves at a "
                                   "git ref: add --git-ref REF")
        if len(paths) != 2:
            raise click.UsageError("give OLD and NEW, or --git-ref REF with one or more PATHs")
        old_path, new_path = paths
        try:
            plan = plans.for_path(new_path)
            options = read_options(plan, encoding)
            old_doc = read_policy(old_path, options=options)
            new_doc = read_policy(new_path, options=options)
            diffs.append(diff_documents(new_path, old_doc, new_doc, plan, old_path, new_path))
        except PrivcheckError as exc:
            errors.append(str(exc))
    else:
        if not paths and not inputs.bundles:
            raise click.UsageError("--git-ref REF needs one or more PATHs or --bundle NAME")
        files, missing = expand_paths(list(paths), path_filter(config))
        errors += [f"{m}: no such file or directory" for m in missing]
        for path in files:
            try:
                plan = plans.for_path(path)
                options = read_options(plan, encoding)
                old_doc = git_show_document(git_ref, path, options)
                new_doc = read_policy(path, options=options)
                diffs.append(diff_documents(path, old_doc, new_doc, plan,
                                            git_ref if old_doc is not None else "(new file)",
                                            "working tree"))
            except PrivcheckError as exc:
                errors.append(str(exc))
        for path in inputs.paths(()):
            try:
                diffs.append(diff_bundle_at(git_ref, path, plans.for_path(path), encoding))
            except PrivcheckError as exc:
                errors.append(str(exc))
    for message in errors:
        error(message)
    if fmt == "json":
        click.echo(json.dumps({"privcheck": __version__, "policies": [d.to_dict() for d in diffs],
                               "errors": errors}, indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        click.echo(render_diff_markdown(diffs), nl=False)
    else:
        click.echo(render_diff_text(diffs), nl=False)
    threshold = fail_on or config.fail_on
    if errors:
        sys.exit(EXIT_ERROR)
    if threshold != "never" and any(c.severity.rank >= Severity(threshold).rank
                                    for d in diffs for c in d.regressions):
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)
