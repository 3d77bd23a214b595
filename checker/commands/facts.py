"""`privcheck facts`: what the extractor found in one policy, or the list of every fact id."""

from __future__ import annotations

import json
from typing import Any

import click

from checker.commands.common import encoding_option


@click.command()
@click.argument("policy", required=False)
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml",
              show_default=True)
@click.option("--list", "list_facts", is_flag=True, help="List every fact id and what it means.")
@encoding_option
def facts(policy: str | None, fmt: str, list_facts: bool, encoding: str | None) -> None:
    """Print the facts extracted from POLICY, with their evidence."""
    import yaml

    from checker.facts import extract_facts, known_facts
    from checker.readers import read_policy

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
