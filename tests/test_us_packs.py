"""The ccpa and us-states packs: verbatim Texas notices, the 12-month freshness test, request
methods, not-applicable findings that name their declarations, and the rules CLI on both packs."""

from __future__ import annotations

from datetime import date

import pytest

from checker.conditions import evaluate, months_before
from checker.config import Config
from checker.engine import make_plan
from checker.records import Evidence, Fact, Status
from checker.rules import builtin_rules
from tests.conftest import ROOT, check_text
from tests.test_cli import run

TODAY = date(2026, 6, 15)
TEXAS_SENSITIVE = "NOTICE: We may sell your sensitive personal data."


def _plan(**declare: object):  # type: ignore[no-untyped-def]
    return make_plan(Config(declare=declare), today=TODAY)


def _finding(text: str, rule: str, plan):  # type: ignore[no-untyped-def]
    return next(f for f in check_text(text, plan).results if f.rule == rule)


@pytest.fixture(scope="module")
def texas():  # type: ignore[no-untyped-def]
    return _plan(jurisdictions=["us", "texas"], sells_sensitive_data=True,
                 sells_biometric_data=True)


def test_texas_notice_verbatim_passes(texas) -> None:  # type: ignore[no-untyped-def]
    text = (f"## Texas residents\n\n{TEXAS_SENSITIVE}\n\n"
            "NOTICE: We may sell your biometric personal data.\n")
    assert _finding(text, "us-states.texas-sensitive-data-notice", texas).status == Status.PASS
    assert _finding(text, "us-states.texas-biometric-data-notice", texas).status == Status.PASS


@pytest.mark.parametrize("paraphrase", [
    "Notice: we may sell your sensitive personal data.",         # case differs
    "NOTICE: We might sell your sensitive personal data.",       # one word differs
    "We may sell sensitive personal data that you provide to us.",
    "NOTICE: We may sell your sensitive personal information.",  # data -> information
])
def test_texas_paraphrase_fails_quoting_the_required_text(texas, paraphrase: str) -> None:  # type: ignore[no-untyped-def]
    f = _finding(paraphrase, "us-states.texas-sensitive-data-notice", texas)
    assert f.status == Status.FAIL
    assert f'"{TEXAS_SENSITIVE}"' in f.message
    assert "paraphrase" in f.message or "not the required words" in f.message
    assert f.evidence, "the paraphrase is shown as the related text"


def test_texas_notice_required_only_when_declared() -> None:
    plan = _plan(jurisdictions=["us", "texas"])  # sells_sensitive_data unknown
    f = _finding("We respect your privacy.", "us-states.texas-sensitive-data-notice", plan)
    assert f.status == Status.NOT_APPLICABLE
    assert "sells_sensitive_data is null" in f.message


def test_not_applicable_names_the_deciding_declarations() -> None:
    plan = _plan(jurisdictions=["us", "california"], ccpa_business=False, sells_or_shares=False)
    f = _finding("We respect your privacy.", "ccpa.right-to-opt-out", plan)
    assert f.status == Status.NOT_APPLICABLE
    assert "ccpa_business is false" in f.message and "sells_or_shares is false" in f.message
    assert "jurisdictions" not in f.message  # it held: not what decided
    other = _finding("We respect your privacy.", "us-states.appeal", plan)
    assert "jurisdictions is [us, california]" in other.message
    assert "'virginia'" in other.message


def _date_fact(iso: str) -> dict[str, Fact]:
    ev = Evidence(line=1, column=1, end_line=1, end_column=5, quote="Last updated")
    return {"policy.effective_date": Fact(id="policy.effective_date", value=iso, evidence=[ev])}


@pytest.mark.parametrize(("iso", "ok"), [
    ("2026-06-15", True), ("2025-06-15", True), ("2025-06-14", False), ("2019-01-01", False),
])
def test_within_months(iso: str, ok: bool) -> None:
    cond = {"fact": "policy.effective_date", "within_months": 12}
    out = evaluate(cond, _date_fact(iso), {}, TODAY)
    assert out.ok is ok
    if not ok:
        assert "within 12 months" in out.failed_tests[0]


def test_months_before_clamps_to_the_month_end() -> None:
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)


def test_updated_within_12_months_is_a_warning() -> None:
    plan = _plan()
    stale = _finding("Last updated: January 2, 2024", "ccpa.updated-within-12-months", plan)
    assert stale.status == Status.FAIL and stale.severity.value == "warning"
    fresh = _finding("Last updated: March 2, 2026", "ccpa.updated-within-12-months", plan)
    assert fresh.status == Status.PASS


REQUESTS = ("To exercise your rights, email privacy@acme-widgets.com or call us toll-free at "
            "1-888-555-0100.")


def test_request_methods_and_toll_free() -> None:
    plan = _plan()
    assert _finding(REQUESTS, "ccpa.request-methods", plan).status == Status.PASS
    assert _finding(REQUESTS, "ccpa.toll-free-number", plan).status == Status.PASS
    email_only = "To exercise your rights, email us at privacy@acme-widgets.com."
    assert _finding(email_only, "ccpa.request-methods", plan).status == Status.FAIL
    assert _finding(email_only, "ccpa.toll-free-number", plan).status == Status.FAIL
    online = _plan(online_only=True)
    assert _finding(email_only, "ccpa.request-methods", online).status == Status.PASS
    assert _finding(email_only, "ccpa.toll-free-number", online).status == Status.NOT_APPLICABLE


CROSS_REFERENCE = ("## Your California rights\n\nTo exercise your rights, please contact us using "
                   "the details in the \"Contact us\" section below.\n\n## Contact us\n\n")


def test_request_methods_by_cross_reference_to_the_contact_section() -> None:
    """Requests sent "using the details in the Contact us section": two channels named there
    are two methods; one channel is one."""
    plan = _plan()
    two = CROSS_REFERENCE + ("Email privacy@acme-widgets.com, or write to Acme Widgets Inc., "
                             "100 Main Street, Springfield, CA 90000.\n")
    one = CROSS_REFERENCE + "Email privacy@acme-widgets.com.\n"
    found = _finding(two, "ccpa.request-methods", plan)
    assert found.status == Status.PASS
    assert "contact us using the details" in found.evidence[0].quote
    assert _finding(one, "ccpa.request-methods", plan).status == Status.FAIL


def test_every_new_pack_rule_is_cited_and_sectioned() -> None:
    rules = [r for r in builtin_rules().rules.values() if r.pack in ("ccpa", "us-states")]
    assert len(rules) >= 35
    for rule in rules:
        assert rule.citation and rule.url and rule.remedy and rule.example_pass
        assert rule.applies_when is not None
        if "unverified" in rule.citation:
            assert rule.citation_note and "unverified" in rule.citation_note


def test_rules_cli_on_both_packs() -> None:
    code, out, _ = run(["rules", "list"])
    assert code == 0 and "ccpa.right-to-delete" in out and "us-states.appeal" in out
    code, out, _ = run(["rules", "show", "us-states.texas-sensitive-data-notice"])
    assert code == 0 and TEXAS_SENSITIVE in out and "541.102(b)" in out
    code, out, _ = run(["rules", "show", "ccpa.opt-out-preference-signal"])
    assert code == 0 and "Global Privacy Control" in out
    for pack, count in (("ccpa", 21), ("us-states", 14)):
        code, out, _ = run(["rules", "validate", str(ROOT / "rules" / f"{pack}.yaml")])
        assert code == 0 and f"ok ({count} rules)" in out


def test_sample_compliant_us_passes_every_us_rule() -> None:
    """policies/sample-compliant-us.md under policies/us-all.yaml: every rule of the six US packs
    passes; only the Texas notices do not apply (it sells no sensitive or biometric data)."""
    from checker.checkfile import check_file
    from checker.config import load_config_file

    config = load_config_file(ROOT / "policies" / "us-all.yaml")
    plan = make_plan(config, today=date(2026, 1, 1))
    report = check_file(str(ROOT / "policies" / "sample-compliant-us.md"), plan)
    packs = {"core", "coppa", "caloppa", "shine-the-light", "ccpa", "us-states"}
    rules = {r.id: r for r in builtin_rules().rules.values() if r.pack in packs}
    seen = {f.rule: f for f in report.results if f.rule in rules}
    assert set(seen) == set(rules)
    not_passing = {rid: f.status for rid, f in seen.items() if f.status != Status.PASS}
    assert not_passing == {"us-states.texas-sensitive-data-notice": Status.NOT_APPLICABLE,
                           "us-states.texas-biometric-data-notice": Status.NOT_APPLICABLE}


def test_not_applicable_reason_in_junit_json_and_verbose_text(tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "privcheck.yaml"
    config.write_text("declare:\n  jurisdictions: [us, texas]\n", encoding="utf-8")
    policy = str(ROOT / "policies" / "sample-compliant-us.md")
    reason = "sells_sensitive_data is null (the rule needs it to be true)"
    for fmt in ("junit", "json", "text"):
        code, out, _ = run(["check", "-c", str(config), "-v", "--format", fmt, policy])
        assert code in (0, 1) and reason in out, fmt


SCOPED_LEXICON = r"""
facts:
  acme.refund_right:
    title: Refund right
    looks_for: the customer's right to a refund
    all:
      - any: ['right\s+to\s+(?:a\s+)?refund']
    none_heading: ['\bontario\b']
    min_words: 4
"""
SCOPED_PACK = """pack: acme
title: Acme
rules:
  - id: acme.refunds
    title: Refunds
    severity: warning
    citation: none
    why: Customers must know they can get their money back.
    remedy: Describe the right to a refund.
    example: {pass: "You have the right to a refund within 30 days.", fail: "All sales are final."}
    require: {fact: acme.refund_right}
"""


def test_none_heading_puts_a_section_out_of_scope(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A lexicon fact's none_heading: no sentence under a heading it matches counts; the same
    sentence under another heading does (issue 10: a GDPR section's rights are not CCPA rights)."""
    from checker.config import load_config_file
    from checker.facts.lexicon import use_lexicon_files

    (tmp_path / "scoped.yaml").write_text(SCOPED_LEXICON)
    (tmp_path / "acme.yaml").write_text(SCOPED_PACK)
    (tmp_path / "privcheck.yaml").write_text(
        "lexicon_files: [scoped.yaml]\nrule_files: [acme.yaml]\nselect: [acme]\n")
    try:
        plan = make_plan(load_config_file(tmp_path / "privcheck.yaml"), today=TODAY)
        sentence = "You have the right to a refund within 30 days of purchase."
        out = check_text(f"# Terms\n\n## Customers in Ontario\n\n{sentence}\n", plan)
        ok = check_text(
            f"# Terms\n\n## Customers in Ontario\n\nNone.\n\n## Refunds\n\n{sentence}\n", plan)
        assert out.results[0].status == Status.FAIL
        assert ok.results[0].status == Status.PASS
        assert ok.results[0].evidence[0].quote == sentence
    finally:
        use_lexicon_files(())


def test_bad_none_heading_pattern_names_its_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from checker.errors import RuleFileError
    from checker.facts.lexicon import use_lexicon_files

    (tmp_path / "bad.yaml").write_text(
        "facts:\n  x.y:\n    title: X\n    looks_for: x\n    all:\n      - any: ['x']\n"
        "    none_heading: ['(unclosed']\n")
    try:
        with pytest.raises(RuleFileError) as err:
            make_plan(Config(lexicon_files=[str(tmp_path / "bad.yaml")]), today=TODAY)
        assert str(err.value).startswith(f"{tmp_path / 'bad.yaml'}:7: bad pattern")
    finally:
        use_lexicon_files(())


VALUE_HEADINGS_LEXICON = r"""
facts:
  acme.fruit_sold:
    title: Fruit sold
    looks_for: the kinds of fruit sold
    all:
      - heading: true
        any: ['fruit', 'apples', 'pears']
    values:
      apples: ['\bapples\b']
      pears: ['\bpears\b']
    value_headings: ['\bwe\s+sell\b']
    min_words: 1
"""
VALUE_HEADINGS_PACK = """pack: acme
title: Acme
rules:
  - id: acme.fruit
    title: Fruit
    severity: warning
    citation: none
    why: Customers must know what is sold.
    remedy: Name the fruit.
    example: {pass: "We sell apples and pears.", fail: "We sell things."}
    require: {fact: acme.fruit_sold, min_count: 2}
"""


def test_value_headings_count_headings_under_a_listing_section(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A lexicon fact's value_headings: a heading that names a value counts under a section
    heading it matches ("### Apples" under "## What we sell"), and not under another section
    (issue 10: categories of personal information laid out as headings)."""
    from checker.config import load_config_file
    from checker.facts.lexicon import use_lexicon_files

    (tmp_path / "fruit.yaml").write_text(VALUE_HEADINGS_LEXICON)
    (tmp_path / "acme.yaml").write_text(VALUE_HEADINGS_PACK)
    (tmp_path / "privcheck.yaml").write_text(
        "lexicon_files: [fruit.yaml]\nrule_files: [acme.yaml]\nselect: [acme]\n")
    body = "### Apples\n\nPicked in October.\n\n### Pears\n\nPicked in September.\n"
    try:
        plan = make_plan(load_config_file(tmp_path / "privcheck.yaml"), today=TODAY)
        ok = check_text(f"# Shop\n\n## What we sell\n\n{body}", plan)
        out = check_text(f"# Shop\n\n## Our orchard\n\n{body}", plan)
        assert ok.results[0].status == Status.PASS
        assert [e.quote for e in ok.results[0].evidence] == ["Apples", "Pears"]
        assert out.results[0].status == Status.FAIL
    finally:
        use_lexicon_files(())
