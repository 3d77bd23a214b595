"""`privcheck config [PATH]`: the configuration that applies, every setting, and where each
comes from (the file and line, or the default)."""

from __future__ import annotations

import json
import os

import click

from checker.commands.common import config_option


@click.command("config")
@click.argument("path", required=False)
@config_option
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml",
              show_default=True)
def config(path: str | None, config_path: str | None, fmt: str) -> None:
    """Print the effective configuration for PATH (a policy or folder; default: the working
    directory) and its source: the nearest privcheck.yaml or [tool.privcheck] above it, or
    --config."""
    from pathlib import Path

    import yaml

    from checker.config import (
        Config,
        config_for,
        declared_values,
        find_config,
        load_config,
        load_config_file,
    )

    if config_path:
        cfg = load_config(config_path)
    else:
        load_config(None)  # clears the per-folder lookup cache of an earlier command
        if path is None:
            found = find_config()
        elif os.path.isdir(path):
            found = find_config(Path(path))
        else:
            found = config_for(path)
        cfg = load_config_file(found) if found else Config()
    values = cfg.model_dump(mode="json", exclude={"source", "lines"})
    values["declare"] = declared_values(cfg)  # with the defaults of declarations.yaml
    origin = {key: (f"{cfg.source}:{cfg.line_of(key)}" if cfg.line_of(key) else cfg.source)
              if cfg.given(key) else "default" for key in values}
    if fmt == "json":
        click.echo(json.dumps({"source": cfg.source, "settings": values, "from": origin},
                              indent=2))
        return
    where = f"for {path}" if path else "for the working directory"
    click.echo(f"# privcheck configuration {where}")
    click.echo(f"# source: {cfg.source or 'none found (built-in defaults)'}")
    for key, value in values.items():
        flow = None if isinstance(value, (dict, list)) else False  # `fail_on: error`
        text = yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True,
                              default_flow_style=flow, width=100).rstrip("\n")
        first, *rest = text.split("\n")
        click.echo(f"{first}  # {origin[key]}")
        for line in rest:
            click.echo(line)
