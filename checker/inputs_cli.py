"""Command-line options for inputs, shared by `check`, `report` and `diff`: URLs, DOCX, bundles.

Kept apart from the command modules so each command adds them with one decorator and one line:

    @input_options
    def check(paths, ..., inputs: InputChoices):
        config = inputs.apply(load_config(config_path)); paths = inputs.paths(paths)
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import click

from checker.errors import ConfigError


@dataclass(frozen=True)
class InputChoices:
    offline: bool = False
    docx_original: bool = False
    timeout: float | None = None
    bundles: tuple[str, ...] = ()  # NAME (from the config) or NAME=a.md,b.md

    def _parsed(self) -> list[tuple[str, list[str] | None]]:
        out = []
        for spec in self.bundles:
            name, eq, members = spec.partition("=")
            name = name.strip()
            if not name or (eq and not members.strip()):
                raise ConfigError(f"--bundle {spec!r}: write NAME (from the config) or "
                                  "NAME=first.md,second.md")
            out.append((name, [m.strip() for m in members.split(",") if m.strip()] if eq
                        else None))
        return out

    def apply(self, config: Any) -> Any:
        """The config with these choices over it (a flag given wins over the config file)."""
        update: dict[str, Any] = {}
        if self.offline:
            update["offline"] = True
        if self.docx_original:
            update["docx_original"] = True
        if self.timeout:
            update["url_timeout"] = self.timeout
        adhoc = {name: members for name, members in self._parsed() if members is not None}
        if adhoc:
            # Command-line members are relative to the working directory, not the config.
            update["bundles"] = {**config.bundles, **adhoc}
            update["bundle_cwd"] = sorted({*config.bundle_cwd, *adhoc})
        return config.model_copy(update=update) if update else config

    def paths(self, paths: tuple[str, ...]) -> tuple[str, ...]:
        from checker.bundles import bundle_path  # imports the models: not at CLI start

        return (*paths, *(bundle_path(name) for name, _ in self._parsed()))


def input_options(func: Callable[..., Any] | None = None, *, bundles: bool = True) -> Any:
    """Add --offline, --docx-original, --timeout and (unless bundles=False) --bundle; pass them
    as `inputs`. `diff` compares two documents and takes no bundle."""
    if func is None:
        return functools.partial(input_options, bundles=bundles)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        kwargs["inputs"] = InputChoices(
            offline=kwargs.pop("offline"), docx_original=kwargs.pop("docx_original"),
            timeout=kwargs.pop("timeout"), bundles=tuple(kwargs.pop("bundle", ())))
        return func(*args, **kwargs)

    options = [
        click.option("--offline", is_flag=True,
                     help="Refuse URLs instead of fetching them (no network access)."),
        click.option("--docx-original", is_flag=True,
                     help="Read Word tracked changes as the original text, not as accepted."),
        click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None,
                     metavar="SECONDS", help="Network timeout for a URL [default: 20]."),
        click.option("--bundle", multiple=True, metavar="NAME[=A,B,...]",
                     help="Check documents as one policy: a bundle named in the config, or "
                          "NAME=first.md,second.md (repeatable)."),
    ][: None if bundles else 3]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper
