"""Every non-ambiguous verdict of the gold file on the five seed policies, with the evidence."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from checker.checkfile import check_file
from checker.engine import Plan
from checker.records import PolicyReport, Status
from tests.conftest import POLICIES

GOLD = yaml.safe_load((Path(__file__).parent / "data" / "seeds-gold.yaml").read_text())
CASES = [
    pytest.param(name, rule, verdict, id=f"{name[:3]}-{rule}")
    for name, rules in GOLD.items()
    for rule, verdict in rules.items()
    if verdict != "ambiguous"
]
_reports: dict[str, PolicyReport] = {}


def _report(name: str, plan: Plan) -> PolicyReport:
    if name not in _reports:
        result = check_file(str(POLICIES / name), plan)
        assert isinstance(result, PolicyReport)
        _reports[name] = result
    return _reports[name]


@pytest.mark.parametrize(("name", "rule", "verdict"), CASES)
def test_seed_verdict(name: str, rule: str, verdict: str, plan: Plan) -> None:
    finding = next(f for f in _report(name, plan).results if f.rule == rule)
    assert finding.status.value == verdict, finding.message
    if finding.status == Status.PASS:
        assert finding.evidence and all(e.line >= 1 and e.quote for e in finding.evidence)
    else:
        assert finding.message.startswith("Looked for") and finding.remedy


# The sentence that decides a verdict (from the gold notes) is among the evidence of the pass.
DECISIVE = [
    ("000_0211ab143a695b7b.txt", "coppa.children-under-13", "children under the age of 13"),
    ("000_0211ab143a695b7b.txt", "caloppa.effective-date", "Revision Date: March 4, 2015"),
    ("000_0211ab143a695b7b.txt", "caloppa.change-notification", "by means of a notice on our home"),
    ("000_0211ab143a695b7b.txt", "core.contact", "help@flavorus.com"),
    ("001_a932c6604ebaf6d4.txt", "caloppa.effective-date", "Effective Date: 05/26/2016"),
    ("001_a932c6604ebaf6d4.txt", "coppa.children-under-13", "children under 13"),
    ("001_a932c6604ebaf6d4.txt", "core.security", "SSL"),
    ("002_32440544426ef4ce.txt", "core.security", "Secured Socket Layer"),
    ("003_34aba836f9ffa14b.txt", "caloppa.review-and-change", "not possible for you to update"),
    ("003_34aba836f9ffa14b.txt", "caloppa.third-party-tracking", "use cookies on our site"),
    ("004_473cca7521ebc7d6.txt", "core.opt-out", "opt-out by contacting us at info@kconusa.com"),
]


@pytest.mark.parametrize(("name", "rule", "phrase"), DECISIVE)
def test_seed_evidence_is_the_deciding_sentence(
    name: str, rule: str, phrase: str, plan: Plan
) -> None:
    finding = next(f for f in _report(name, plan).results if f.rule == rule)
    quotes = " | ".join(e.quote for e in finding.evidence)
    assert phrase.lower() in quotes.lower(), quotes
