"""`privcheck rules list|show|validate`: what the rules are, and whether a rule file is sound."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from checker.commands.common import EXIT_ERROR, EXIT_OK, config_option, error

if TYPE_CHECKING:
    from checker.rules import RuleSet


@click.group()
def rules() -> None:
    """List, explain and validate rules."""


def _ruleset(config_path: str | None) -> RuleSet:
    from checker.config import load_config
    from checker.rules import load_rules

    return load_rules(tuple(load_config(config_path).rule_files))


@rules.command("list")
@config_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def rules_list(config_path: str | None, fmt: str) -> None:
    """A table of every rule: id, severity, title and citation."""
    ruleset = _ruleset(config_path)
    if fmt == "json":
        click.echo(json.dumps([
            {"id": r.id, "pack": r.pack, "severity": r.severity.value, "title": r.title,
             "citation": r.citation, "url": r.url} for r in ruleset.rules.values()
        ], indent=2))
        return
    from rich.console import Console
    from rich.table import Table

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
@config_option
def rules_show(rule_id: str, config_path: str | None) -> None:
    """What RULE_ID checks, why, its citation, and examples that pass and fail."""
    from checker.conditions import condition_refs
    from checker.errors import PrivcheckError
    from checker.facts import known_facts
    from checker.words import did_you_mean

    ruleset = _ruleset(config_path)
    rule = ruleset.rules.get(rule_id)
    if rule is None:
        raise PrivcheckError(f"no such rule '{rule_id}'{did_you_mean(rule_id, ruleset.rules)} "
                             "(see `privcheck rules list`)")
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
    """Validate rule pack files (and declarations.yaml) against their schema and the known facts.

    Every problem is shown, each with its line; exit 2 when there is one.
    """
    from pathlib import Path

    from checker.builtin import declaration_problems
    from checker.errors import PrivcheckError
    from checker.rules import load_pack
    from checker.words import plural

    failed = False
    for path in files:
        problems: list[PrivcheckError] = []
        try:
            if Path(path).name == "declarations.yaml":
                problems = declaration_problems(path)
                ok = "ok (declarations)"
            else:
                ruleset = load_pack(path, problems=problems)
                ok = f"ok ({plural(len(ruleset.rules), 'rule')})"
        except PrivcheckError as exc:
            problems = [exc]
        for problem in problems:
            error(str(problem))
        if problems:
            failed = True
            if len(problems) > 1:  # one problem is its own line: the one-line error contract
                error(f"{path}: {plural(len(problems), 'problem')}")
        else:
            click.echo(f"{path}: {ok}")
    sys.exit(EXIT_ERROR if failed else EXIT_OK)
