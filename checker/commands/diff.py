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


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--git-ref", help="Compare each PATH at this git ref (e.g. origin/main) with the "
              "working tree, instead of comparing OLD with NEW.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True, help="markdown: a table for a pull-request comment.")
@fail_on_option("Lowest severity of a regression that makes the exit code 1 "
                "[default: the config's fail_on, error].")
@config_option
@encoding_option
def diff(paths: tuple[str, ...], git_ref: str | None, fmt: str, fail_on: str | None,
         config_path: str | None, encoding: str | None) -> None:
    """Compare two versions of a policy: `diff OLD NEW`, or `diff --git-ref REF PATH...`.

    Exit 1 when a rule newly fails (at or above --fail-on), 2 on an error, else 0.
    """
    from checker import __version__
    from checker.commands.common import load_plans, path_filter
    from checker.diff import PolicyDiff, diff_texts, git_show
    from checker.errors import PrivcheckError
    from checker.models import Severity
    from checker.paths import expand_paths
    from checker.readers import read_policy
    from checker.report.diff_text import render_diff_markdown, render_diff_text

    config, plans = load_plans(config_path)
    diffs: list[PolicyDiff] = []
    errors: list[str] = []
    if git_ref is None:
        if len(paths) != 2:
            raise click.UsageError("give OLD and NEW, or --git-ref REF with one or more PATHs")
        old_path, new_path = paths
        try:
            old_doc = read_policy(old_path, encoding=encoding)
            new_doc = read_policy(new_path, encoding=encoding)
            diffs.append(diff_texts(new_path, old_doc.source, new_doc.source,
                                    plans.for_path(new_path), old_path, new_path))
        except PrivcheckError as exc:
            errors.append(str(exc))
    else:
        files, missing = expand_paths(list(paths), path_filter(config))
        errors += [f"{m}: no such file or directory" for m in missing]
        for path in files:
            try:
                old_text = git_show(git_ref, path, encoding)
                new_text = read_policy(path, encoding=encoding).source
                diffs.append(diff_texts(path, old_text, new_text, plans.for_path(path),
                                        git_ref if old_text is not None else "(new file)",
                                        "working tree"))
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
