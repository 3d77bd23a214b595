"""Rule-level checks of the gdpr-a classes (issue 11, round 19): under a configuration declaring
`eu`, legitimate interests pass on the interest named beside the basis (same sentence or the
next), and fail on a restated Art. 6(1)(f), a basis in a list, or the right to object; the
evidence's first quotes include the sentence that names the interest. Sentences are our own."""

from __future__ import annotations

from datetime import date

import pytest

from checker.config import Config
from checker.engine import make_plan
from checker.records import Status
from tests.conftest import check_text

PLAN = make_plan(Config(declare={"jurisdictions": ["eu"]}), today=date(2026, 1, 1))


def _finding(text: str, rule: str):  # type: ignore[no-untyped-def]
    return next(f for f in check_text(text, PLAN).results if f.rule == rule)


@pytest.mark.parametrize(("text", "quoted"), [
    ("## Analytics\n\nWe rely on our legitimate interests for this analysis. "
     "Our interest is to find and fix errors quickly.", "Our interest is to find and fix errors"),
    ("We process your IP address on the basis of Art. 6(1)(f) GDPR. "
     "We have an interest in keeping our servers secure.", "keeping our servers secure"),
    ("We keep access logs for six weeks to trace abuse, relying on our legitimate interests.",
     "to trace abuse"),
    ("## Our legitimate interests\n\nWe analyse how the app is used so that we can fix crashes.",
     "fix crashes"),
    ("We do not rely on legitimate interests for any processing.", "do not rely"),
])
def test_legitimate_interests_pass_where_the_interest_is_named(text: str, quoted: str) -> None:
    finding = _finding(text, "gdpr.legitimate-interests")
    assert finding.status == Status.PASS
    assert any(quoted in e.quote for e in finding.evidence[:2]), finding.evidence


@pytest.mark.parametrize("text", [
    "The processing is in our legitimate interests and is not overridden by your rights.",
    "Legitimate interests: processing is necessary for the purposes of the legitimate interests "
    "pursued by the company.",
    "We may process data on the basis of consent, contract or legitimate interests. "
    "We keep it for two years.",
    "You may object to processing based on legitimate interests. "
    "Our interest is to send you offers.",
    "The processing is in our legitimate interests. Those interests are not outweighed by yours.",
])
def test_legitimate_interests_fail_where_no_interest_is_named(text: str) -> None:
    assert _finding(text, "gdpr.legitimate-interests").status == Status.FAIL


@pytest.mark.parametrize(("text", "rule"), [
    ("If you choose to provide such information, we keep it with your account.",
     "gdpr.statutory-or-contractual"),
    ("Fields marked * are required; everything else in your profile is optional.",
     "gdpr.statutory-or-contractual"),
    ("We collect your location only with your permission.", "gdpr.legal-basis"),
    ("You can stop sharing your location with us at any time in the settings.",
     "gdpr.withdraw-consent"),
])
def test_plain_words_disclose_the_item(text: str, rule: str) -> None:
    assert _finding(text, rule).status == Status.PASS
