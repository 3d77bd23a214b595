"""Rule-level table cases for packs that apply only where declared (tests/table_cases/*.yaml):
like tests/rule_cases/, but each file names the declarations its rules need (`declare:`). A cell
reads with its row and column headers; cases pin both the verdict and the first quote (the cell,
never its header). Every table is written for these tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.config import Config
from checker.engine import make_plan
from tests.conftest import case_params, check_text

CASES_DIR = Path(__file__).parent / "table_cases"
_DECLARE = {
    path.stem: yaml.safe_load(path.read_text(encoding="utf-8")).get("declare") or {}
    for path in CASES_DIR.glob("*.yaml")
}
_PLANS: dict[str, Any] = {}


def _plan(stem: str) -> Any:
    if stem not in _PLANS:
        _PLANS[stem] = make_plan(Config(declare=_DECLARE[stem]), today=date(2026, 1, 1))
    return _PLANS[stem]


@pytest.mark.parametrize(("rule", "case"), case_params(CASES_DIR, "rule"))
def test_table_case(rule: str, case: dict[str, Any], request: pytest.FixtureRequest) -> None:
    stem = request.node.callspec.id.split("[", 1)[0]
    report = check_text(case["text"], _plan(stem))
    finding = next(f for f in report.results if f.rule == rule)
    status = finding.status.value
    quotes = [ev.quote for ev in finding.evidence]
    if case["present"]:
        assert status == "pass", f"{rule} {status} on: {case['text']!r}"
        if "first_evidence" in case:
            assert case["first_evidence"] in " ".join(quotes[0].split()), quotes
    else:
        assert status == "fail", f"{rule} wrongly {status}: {quotes}"
