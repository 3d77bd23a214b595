"""The CI-gate commands: `baseline create`, `diff` and `init` (registered by checker.cli)."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import click

from checker import __version__
from checker.baseline import create_baseline
from checker.config import Config, declarations, declared_values, load_config
from checker.diff import PolicyDiff, diff_texts, git_show
from checker.engine import Plan, check_file, make_plan
from checker.errors import PrivcheckError
from checker.models import Evidence, InputError, PolicyReport, Report, Severity
from checker.outputs import write_file
from checker.paths import expand_paths
from checker.readers import read_policy
from checker.report import FAIL_ON, total_summary
from checker.scaffold import collect_declarations, config_yaml, parse_answer, workflow_yaml

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _error(message: str) -> None:
    click.echo(f"privcheck: error: {message}", err=True)


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _checked(paths: tuple[str, ...], plan: Plan, encoding: str | None) -> Report:
    files, missing = expand_paths(list(paths))
    policies: list[PolicyReport] = []
    errors = [InputError(path=m, message="no such file or directory") for m in missing]
    for path in files:
        result = check_file(path, plan, encoding)
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
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", default="privcheck-baseline.json", show_default=True,
              type=click.Path(dir_okay=False), help="Where to write the baseline.")
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False))
@click.option("--select", multiple=True, help="Only these rule ids or packs (comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these rule ids or packs (comma-separated).")
@click.option("--encoding", help="Decode policies with this encoding instead of UTF-8.")
def baseline_create(paths: tuple[str, ...], output: str, config_path: str | None,
                    select: tuple[str, ...], ignore: tuple[str, ...],
                    encoding: str | None) -> None:
    """Check PATHS and write every failure to the baseline file."""
    plan = make_plan(load_config(config_path), _split(select), _split(ignore))
    report = _checked(paths, plan, encoding)
    for err in report.errors:
        _error(f"{err.where()}: {err.message}")
    if report.errors:
        _error("baseline not written: fix the files above first")
        sys.exit(EXIT_ERROR)
    data = create_baseline(report)
    write_file(output, json.dumps(data, indent=2) + "\n")
    click.echo(f"privcheck: wrote {len(data['failures'])} failure(s) of "
               f"{len(report.policies)} policies to {output}", err=True)


def _quote(ev: Evidence, width: int = 110) -> str:
    return ev.quote if len(ev.quote) <= width else ev.quote[: width - 3] + "..."


def _lines(ev: Evidence) -> str:
    return f"line {ev.line}" if ev.end_line == ev.line else f"lines {ev.line}-{ev.end_line}"


def _render_diff_text(diffs: list[PolicyDiff]) -> str:
    out: list[str] = []
    for d in diffs:
        out.append(f"{d.path} ({d.old_label} -> {d.new_label})")
        if not (d.regressions or d.fixes or d.newly_waived):
            out.append("  no rule changed its verdict")
        for c in d.regressions:
            out.append(f"  ✗ newly fails  {c.severity.value:<7} {c.rule}  {c.title} "
                       f"(was {c.old})")
            for ev in c.removed:
                out.append(f"      removed, old {_lines(ev)}: \"{_quote(ev)}\"")
            if c.location is not None:
                out.append(f"      now points at {d.path}:{c.location.line}:{c.location.column}")
            out.append(f"      {c.message}")
        for c in d.fixes:
            out.append(f"  ✓ newly passes {c.severity.value:<7} {c.rule}  {c.title} (now {c.new})")
        for c in d.newly_waived:
            out.append(f"  ~ newly waived {c.severity.value:<7} {c.rule}  {c.title}: {c.message}")
        out.append("")
    regressions = sum(len(d.regressions) for d in diffs)
    fixes = sum(len(d.fixes) for d in diffs)
    out.append(f"{len(diffs)} policies compared: {regressions} regression(s), {fixes} fixed")
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    """A table cell: pipes escaped, one line."""
    return " ".join(text.split()).replace("|", "\\|")


def _render_diff_markdown(diffs: list[PolicyDiff]) -> str:
    """A pull-request comment: one table per policy of the rules whose verdict changed."""
    out = ["### privcheck: what this change does to the policy", ""]
    for d in diffs:
        out.append(f"**{_md(d.path)}** ({_md(d.old_label)} → {_md(d.new_label)})")
        out.append("")
        changes = [("✗", c) for c in d.regressions] + [("✓", c) for c in d.fixes] + [
            ("~", c) for c in d.newly_waived
        ]
        if not changes:
            out += ["No rule changed its verdict.", ""]
            continue
        out += ["| | rule | severity | before → after | what changed |", "|---|---|---|---|---|"]
        for mark, c in changes:
            detail = "; ".join(f"removed (old {_lines(ev)}): “{_md(_quote(ev, 90))}”"
                               for ev in c.removed) or _md(c.message)
            out.append(f"| {mark} | `{c.rule}` {_md(c.title)} | {c.severity.value} | "
                       f"{c.old} → {c.new} | {detail} |")
        out.append("")
    regressions = sum(len(d.regressions) for d in diffs)
    fixes = sum(len(d.fixes) for d in diffs)
    noun = "policy" if len(diffs) == 1 else "policies"
    out.append(f"{len(diffs)} {noun} compared: {regressions} regression(s), {fixes} fixed.")
    return "\n".join(out) + "\n"


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--git-ref", help="Compare each PATH at this git ref (e.g. origin/main) with the "
              "working tree, instead of comparing OLD with NEW.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True, help="markdown: a table for a pull-request comment.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Lowest severity of a regression that makes the exit code 1 "
                   "[default: the config's fail_on, error].")
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False))
@click.option("--encoding", help="Decode policies with this encoding instead of UTF-8.")
def diff(paths: tuple[str, ...], git_ref: str | None, fmt: str, fail_on: str | None,
         config_path: str | None, encoding: str | None) -> None:
    """Compare two versions of a policy: `diff OLD NEW`, or `diff --git-ref REF PATH...`.

    Exit 1 when a rule newly fails (at or above --fail-on), 2 on an error, else 0.
    """
    config = load_config(config_path)
    plan = make_plan(config)
    diffs: list[PolicyDiff] = []
    errors: list[str] = []
    if git_ref is None:
        if len(paths) != 2:
            raise click.UsageError("give OLD and NEW, or --git-ref REF with one or more PATHs")
        old_path, new_path = paths
        try:
            old_doc = read_policy(old_path, encoding=encoding)
            new_doc = read_policy(new_path, encoding=encoding)
            diffs.append(diff_texts(new_path, old_doc.source, new_doc.source, plan,
                                    old_path, new_path))
        except PrivcheckError as exc:
            errors.append(str(exc))
    else:
        files, missing = expand_paths(list(paths))
        errors += [f"{m}: no such file or directory" for m in missing]
        for path in files:
            try:
                old_text = git_show(git_ref, path, encoding)
                new_text = read_policy(path, encoding=encoding).source
                diffs.append(diff_texts(path, old_text, new_text, plan,
                                        git_ref if old_text is not None else "(new file)",
                                        "working tree"))
            except PrivcheckError as exc:
                errors.append(str(exc))
    for message in errors:
        _error(message)
    if fmt == "json":
        click.echo(json.dumps({"privcheck": __version__, "policies": [d.to_dict() for d in diffs],
                               "errors": errors}, indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        click.echo(_render_diff_markdown(diffs), nl=False)
    else:
        click.echo(_render_diff_text(diffs), nl=False)
    threshold = fail_on or config.fail_on
    if errors:
        sys.exit(EXIT_ERROR)
    if threshold != "never" and any(c.severity.rank >= Severity(threshold).rank
                                    for d in diffs for c in d.regressions):
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)


def _prompt(question: str, allowed: list[str], default: str, is_list: bool) -> str:
    if is_list:
        return str(click.prompt(f"{question} (comma-separated: {', '.join(allowed)})",
                                default=default))
    return str(click.prompt(question, type=click.Choice(allowed), default=default))


@click.command()
@click.option("--audience", help="Who the service is for.")
@click.option("--jurisdiction", "jurisdictions", multiple=True,
              help="Where the users are (repeat or comma-separate).")
@click.option("--shares-for-direct-marketing", type=click.Choice(["yes", "no", "unknown"]),
              help="Whether personal information went to third parties for their own direct "
                   "marketing last year (Shine the Light).")
@click.option("--declare", "declare_items", multiple=True, metavar="KEY=VALUE",
              help="Any other declaration of rules/declarations.yaml (repeatable), e.g. "
                   "--declare online_only=yes; a list is comma-separated.")
@click.option("--paths", "policy_paths", default=None,
              help="The policy files or folders the sample workflow checks [default: policies/].")
@click.option("--workflow/--no-workflow", default=True, show_default=True,
              help="Also write .github/workflows/privcheck.yml.")
@click.option("-d", "--dir", "directory", default=".", type=click.Path(file_okay=False),
              help="Where to write the files.")
@click.option("--force", is_flag=True, help="Overwrite existing files.")
@click.option("--no-input", is_flag=True, help="Never prompt; take defaults for what is not given.")
def init(audience: str | None, jurisdictions: tuple[str, ...],
         shares_for_direct_marketing: str | None, declare_items: tuple[str, ...],
         policy_paths: str | None, workflow: bool, directory: str, force: bool,
         no_input: bool) -> None:
    """Write a starter privcheck.yaml (and a sample GitHub workflow), asking what is not given:
    every declaration of rules/declarations.yaml that has a question (`ask:`)."""
    spec = declarations()
    given: dict[str, Any] = {}
    for item in declare_items:
        key, sep, value = item.partition("=")
        if not sep or key.strip() not in spec:
            raise PrivcheckError(f"--declare {item!r}: expected KEY=VALUE with KEY one of "
                                 f"{', '.join(spec)}")
        given[key.strip()] = parse_answer(spec[key.strip()], value)
    if audience is not None:
        given["audience"] = audience
    if _split(jurisdictions):
        given["jurisdictions"] = _split(jurisdictions)
    if shares_for_direct_marketing is not None:
        given["shares_for_direct_marketing"] = parse_answer(
            spec["shares_for_direct_marketing"], shares_for_direct_marketing)
    declare = collect_declarations(spec, given, None if no_input else _prompt)
    if policy_paths is None:
        policy_paths = "policies/" if no_input or not workflow else click.prompt(
            "Policy files or folders to check", default="policies/")
    # Check the answers before writing anything: a bad --audience must not cost a file.
    declared_values(Config(declare=declare))
    config_path = os.path.join(directory, "privcheck.yaml")
    targets = {config_path: config_yaml(declare)}
    if workflow:
        targets[os.path.join(directory, ".github", "workflows", "privcheck.yml")] = \
            workflow_yaml(policy_paths.split(), __version__)
    existing = [p for p in targets if os.path.exists(p)]
    if existing and not force:
        raise PrivcheckError("already exists (pass --force to overwrite)", existing[0])
    os.makedirs(directory, exist_ok=True)
    for path, text in targets.items():
        write_file(path, text)
    for path in targets:
        click.echo(f"privcheck: wrote {path}", err=True)


COMMANDS = (baseline, diff, init)
