"""Shared helpers for the CI-gate tests (a plain module, not conftest, to keep merges simple)."""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Mapping
from pathlib import Path

from click.testing import CliRunner, Result

from checker.cli import main

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "policies"
SEEDS = sorted(POLICIES.glob("0*.txt"))
SAMPLE = POLICIES / "sample-compliant.md"
# The gate's own variables are cleared so that a test run inside GitHub Actions behaves the same.
CLEAN_ENV = {"GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None, "GITHUB_WORKSPACE": None,
             "GITHUB_OUTPUT": None, "NO_COLOR": "1"}


def runner() -> CliRunner:
    """stdout and stderr apart, on click 8.1 (mix_stderr) and 8.2+ alike."""
    if "mix_stderr" in inspect.signature(CliRunner).parameters:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    return CliRunner()


def cli(*args: str, env: Mapping[str, str | None] | None = None) -> Result:
    merged = {**CLEAN_ENV, **(env or {})}
    return runner().invoke(main, list(args), env=merged, catch_exceptions=False)


def drop_paragraph(text: str, pattern: str) -> str:
    """The text without the paragraph (blank-line separated) that matches `pattern`."""
    parts = re.split(r"(\n\s*\n)", text)
    rx = re.compile(pattern, re.IGNORECASE)
    kept = [p for p in parts if not rx.search(p)]
    return "".join(kept)


def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return os.fspath(path)


def rule_counts() -> tuple[int, int]:
    """(rules loaded, rules that apply under the default declarations): what a report of the
    sample shows, whichever packs ship."""
    from datetime import date

    from checker.conditions import evaluate
    from checker.config import Config
    from checker.engine import make_plan

    plan = make_plan(Config())
    applies = [r for r in plan.rules if r.applies_when is None
               or evaluate(r.applies_when, {}, plan.declared, date.today()).ok]
    return len(plan.rules), len(applies)


def seed_failures(key: str = "fail") -> int:
    """How many rules fail on the seed policies, as the JSON report counts them."""
    import json

    result = cli("check", "--format", "json", *map(str, SEEDS))
    return int(json.loads(result.stdout)["summary"][key])


def seed_errors() -> int:
    """How many error-severity rules fail on the seeds (annotated as ::error)."""
    return seed_failures("failed_error")
