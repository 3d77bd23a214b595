"""The `privcheck` command line: the group that registers the subcommands of checker/commands/.

Exit codes: 0 nothing at or above --fail-on failed; 1 something did; 2 usage, configuration, rule
file or input errors (the other files of the run are still checked and reported).
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

import click

from checker import __version__, signals
from checker.atomic import forget_outputs
from checker.commands import COMMANDS
from checker.commands.common import EXIT_ERROR, error
from checker.errors import PrivcheckError


def _warning_line(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
    """A library's warning as one line on stderr, never a source line (the error contract)."""
    click.echo(f"privcheck: warning: {message}", err=True)


class _Group(click.Group):
    """Loads each subcommand's module only when it is needed, and turns every PrivcheckError
    into one line on stderr and exit code 2, never a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            module, _, attr = COMMANDS[cmd_name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attr), cmd_name)
        return super().get_command(ctx, cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["privcheck.nul_arg"] = any("\x00" in arg for arg in args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        if ctx.meta.get("privcheck.nul_arg"):  # a path with NUL would raise in os calls
            error("an argument contains a NUL character")
            ctx.exit(EXIT_ERROR)
        forget_outputs()
        previous = signals.install(), warnings.showwarning
        warnings.showwarning = _warning_line
        try:
            return super().invoke(ctx)
        except PrivcheckError as exc:
            error(str(exc))
            ctx.exit(EXIT_ERROR)
        except (KeyboardInterrupt, signals.Terminated) as exc:  # 130 / 143, as shells expect
            _interrupted(ctx, signals.exit_code(exc))
        except Exception:
            signum = signals.received()
            if signum is None:
                raise
            _interrupted(ctx, 128 + signum)
        finally:
            signals.restore(previous[0])
            warnings.showwarning = previous[1]


def _interrupted(ctx: click.Context, code: int) -> None:
    error("interrupted; output files were left as they were")
    signals.leave_if_stuck(code)
    ctx.exit(code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="privcheck")
def main() -> None:
    """privcheck: check website privacy policies against COPPA, CalOPPA, Shine the Light and
    core disclosure rules, with the evidence for every verdict."""


if __name__ == "__main__":  # pragma: no cover
    main()
