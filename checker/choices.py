"""Choice lists that command-line options offer and the modules behind them accept.

Kept in a module with no imports, so that defining the commands' options (at `privcheck --help`)
does not load the renderers or the data models.
"""

from __future__ import annotations

FORMATS = ("text", "json", "sarif", "junit", "github", "markdown")  # `check --format`
FAIL_ON = ("error", "warning", "info", "never")  # lowest severity that fails the gate
REPORT_FORMATS = ("html", "markdown", "csv")  # `privcheck report --format`
