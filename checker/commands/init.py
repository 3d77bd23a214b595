"""`privcheck init`: a starter privcheck.yaml and a sample GitHub workflow."""

from __future__ import annotations

import os
import sys

import click

from checker.commands.common import split


def interactive() -> bool:
    """Whether a person can answer prompts: standard input is a terminal."""
    return sys.stdin is not None and sys.stdin.isatty()


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
@click.option("--no-input", is_flag=True, help="Never prompt; take defaults for what is not "
              "given (also when standard input is not a terminal).")
def init(audience: str | None, jurisdictions: tuple[str, ...],
         shares_for_direct_marketing: str | None, declare_items: tuple[str, ...],
         policy_paths: str | None, workflow: bool, directory: str, force: bool,
         no_input: bool) -> None:
    """Write a starter privcheck.yaml (and a sample GitHub workflow), asking what is not given:
    every declaration of rules/declarations.yaml that has a question (`ask:`).

    Without a terminal (CI, a script) nothing is asked: the flags and the defaults are used.
    """
    from datetime import date

    from checker.builtin import declarations
    from checker.config import Config, declared_values
    from checker.errors import PrivcheckError
    from checker.outputs import write_file
    from checker.scaffold import collect_declarations, config_yaml, parse_answer, workflow_yaml

    spec = declarations()
    if not no_input and not interactive():
        no_input = True
        click.echo("privcheck: standard input is not a terminal: using the flags and the "
                   "defaults, asking nothing (pass --no-input to say so)", err=True)
    given: dict[str, object] = {}
    for item in declare_items:
        key, sep, value = item.partition("=")
        if not sep or key.strip() not in spec:
            raise PrivcheckError(f"--declare {item!r}: expected KEY=VALUE with KEY one of "
                                 f"{', '.join(spec)}")
        given[key.strip()] = parse_answer(spec[key.strip()], value)
    if audience is not None:
        given["audience"] = audience
    if split(jurisdictions):
        given["jurisdictions"] = split(jurisdictions)
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
    targets = {config_path: config_yaml(declare, date.today())}
    if workflow:
        targets[os.path.join(directory, ".github", "workflows", "privcheck.yml")] = \
            workflow_yaml(policy_paths.split())
    existing = [p for p in targets if os.path.exists(p)]
    if existing and not force:
        raise PrivcheckError("already exists (pass --force to overwrite)", existing[0])
    os.makedirs(directory, exist_ok=True)
    for path, text in targets.items():
        write_file(path, text)
    for path in targets:
        click.echo(f"privcheck: wrote {path}", err=True)
