"""The subcommands of `privcheck`: one module each, registered lazily by checker/cli.py.

Where things go: a subcommand's options and flow in checker/commands/<name>.py; what two or more
commands share (exit codes, the error line, option groups, --from-list and the scale options)
in checker/commands/common.py; the work itself (reading, checking, rendering) stays in the
library modules, imported inside the command functions.
"""

from __future__ import annotations

# name -> "module:attribute". checker/cli.py imports a module only when its command runs (or
# when --help lists them), so `privcheck check one.md` never loads Jinja2 or the diff code.
COMMANDS: dict[str, str] = {
    "check": "checker.commands.check:check",
    "report": "checker.commands.report:report",
    "diff": "checker.commands.diff:diff",
    "baseline": "checker.commands.baseline:baseline",
    "init": "checker.commands.init:init",
    "facts": "checker.commands.facts:facts",
    "rules": "checker.commands.rules:rules",
    "config": "checker.commands.config:config",
}
