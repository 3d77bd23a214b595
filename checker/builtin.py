"""Where the built-in data lives (rule packs, their schema, declarations.yaml), and the
declarations themselves.

Both the configuration (which checks a user's `declare:` values) and the rule loader (which
checks that a rule reads only declarable keys) depend on declarations.yaml; neither depends on
the other, so the file is read here, below both.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from checker.errors import ConfigError
from checker.yamlfile import YamlFile


def rules_dir() -> Path:
    """Packs inside the installed wheel, or the checkout's rules/ in an editable install."""
    packaged = Path(__file__).parent / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent / "rules"


def schema_path() -> Path:
    return rules_dir() / "schema" / "rule-pack.schema.json"


@cache
def declarations() -> dict[str, dict[str, Any]]:
    """declarations.yaml: each declarable key with its allowed values and default."""
    return YamlFile.load(rules_dir() / "declarations.yaml", ConfigError).data
