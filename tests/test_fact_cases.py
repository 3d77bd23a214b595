"""Recogniser cases kept as data (tests/cases/*.yaml): positive, negated, heading-split,
mention-only and placeholder sentences for every fact, each run through the real pipeline."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.facts import known_facts
from tests.conftest import case_params, facts_of

CASES_DIR = Path(__file__).parent / "cases"


def _cases() -> list[Any]:
    return case_params(CASES_DIR, "fact")


@pytest.mark.parametrize(("fact_id", "case"), _cases())
def test_fact_case(fact_id: str, case: dict[str, Any]) -> None:
    assert fact_id in known_facts()
    facts = facts_of(case["text"])
    fact = facts.get(fact_id)
    if case["present"]:
        assert fact is not None, f"{fact_id} not found in: {case['text']!r}"
        assert fact.evidence, "a fact always carries evidence"
        rendered = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", case["text"])  # Markdown links
        flat = " ".join(rendered.replace("*", "").replace("#", "").split())
        for ev in fact.evidence:  # every quote is the policy's own words, in order
            assert " ".join(ev.quote.replace("*", "").split()) in flat, ev.quote
        if "evidence" in case:  # the sentence that makes the disclosure is the one quoted
            assert any(case["evidence"] in ev.quote for ev in fact.evidence), fact.evidence
        if "first_evidence" in case:  # ... and quoted first, ahead of sentences that only qualify
            assert case["first_evidence"] in fact.evidence[0].quote, fact.evidence
        if "value" in case:
            assert fact.value == case["value"]
        for item in case.get("value_includes", []):
            assert item in fact.value
    else:
        assert fact is None, f"{fact_id} wrongly found: {fact.evidence if fact else ''}"


def test_every_rule_has_twenty_cases() -> None:
    """At least 20 labelled sentences or passages for the facts behind each rule."""
    from checker.conditions import condition_refs
    from checker.rules import builtin_rules

    per_fact: dict[str, int] = {}
    for path in CASES_DIR.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            fid = case.get("fact", data["fact"])
            per_fact[fid] = per_fact.get(fid, 0) + 1

    for rule in builtin_rules().rules.values():
        facts = {f for f, _ in condition_refs(rule.require, "fact")}
        count = sum(per_fact.get(f, 0) for f in facts)
        # The ccpa and us-states packs (new in this release) start at 10 cases per rule.
        assert count >= (10 if rule.pack in ("ccpa", "us-states") else 20), (rule.id, count)
