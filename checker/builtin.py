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

from checker.errors import ConfigError, PrivcheckError, RuleFileError
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
    """declarations.yaml: each declarable key with its allowed values and default. Kept in the
    compiled-state cache (keyed by the file's content) with the packs, so that a warm run with
    no configuration file needs no YAML parser at all; an entry is used only if it equals what
    parsing gives when it is written (the cache never changes an answer)."""
    import json

    import checker.state_cache as state_cache

    path = rules_dir() / "declarations.yaml"

    def restore(entry: dict[str, Any], _blobs: object) -> dict[str, dict[str, Any]]:
        if not isinstance(entry.get("declarations"), dict):
            raise ValueError("not a declarations entry")
        return entry["declarations"]

    def dump(data: dict[str, dict[str, Any]]) -> state_cache.Entry | None:
        try:
            return ({"declarations": data}, {}) if json.loads(json.dumps(data)) == data else None
        except (TypeError, ValueError):
            return None

    return state_cache.cached([path, Path(__file__)], "declarations", "1",
                              lambda: YamlFile.load(path, ConfigError).data, restore, dump)


def declarations_schema_path() -> Path:
    return rules_dir() / "schema" / "declarations.schema.json"


def declaration_problems(path: str | Path) -> list[PrivcheckError]:
    """Every problem of a declarations file: its schema, then each default that is not one of
    its key's values. `rules validate` reports them; a run trusts the built-in file."""
    from checker.yamlfile import load_schema

    yf = YamlFile.load(path, RuleFileError)
    if yf.data is None:
        return [yf.fail("empty declarations file")]
    problems = yf.problems(load_schema(str(declarations_schema_path())))
    if problems:
        return problems
    for key, item in yf.data.items():
        default = item["default"]
        defaults = default if item.get("list") and isinstance(default, list) else [default]
        for value in defaults:
            if value not in item["values"]:
                problems.append(yf.fail(f"{key}: default {value!r} is not one of "
                                        f"{item['values']}", [key, "default"]))
    return problems
