"""Rule-level cases kept as data (tests/rule_cases/*.yaml): sentences and short policy excerpts,
written for these tests in the styles of many kinds of policy, run through the whole pipeline
(read, extract, evaluate) with no declarations, so every pack that needs none applies; a file's
`declare:` gives the declarations its rules need (the gdpr pack applies where `eu` is declared).

A case's `present: true` means the rule passes; `first_evidence` is a fragment of the sentence
that decides the rule, which must be the pass's first quote (evidence precision, issue 8).
The file's `rule:` may be overridden per case. Cases test classes of statements, not a policy:
each sentence is our own, never copied from a corpus."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from checker.config import Config
from checker.engine import Plan, make_plan
from tests.conftest import case_params, check_text

CASES_DIR = Path(__file__).parent / "rule_cases"


def _cases() -> list[Any]:
    return case_params(CASES_DIR, "rule")


def verdict(text: str, rule: str, plan: Plan) -> tuple[str, list[str]]:
    """The rule's status on the text and the quotes of its evidence, in order."""
    report = check_text(text, plan)
    finding = next(f for f in report.results if f.rule == rule)
    return finding.status.value if hasattr(finding.status, "value") else str(finding.status), [
        ev.quote for ev in finding.evidence
    ]


@pytest.mark.parametrize(("rule", "case"), _cases())
def test_rule_case(rule: str, case: dict[str, Any], plan: Plan) -> None:
    if "declare" in case:
        plan = make_plan(Config(declare=case["declare"]), today=date(2026, 1, 1))
    status, quotes = verdict(case["text"], rule, plan)
    if case["present"]:
        assert status == "pass", f"{rule} {status} on: {case['text']!r}"
        if "first_evidence" in case:
            flat = " ".join(quotes[0].replace("*", "").split())
            assert case["first_evidence"] in flat, quotes
    else:
        assert status == "fail", f"{rule} wrongly {status}: {quotes}"
