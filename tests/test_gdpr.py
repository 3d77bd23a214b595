"""The gdpr pack (GDPR Arts. 13 and 14): the compliant EU sample passes every rule, the pack
applies only where `eu` or `uk` is declared, conditional items follow their declarations, a right
stated as absent fails, and the evidence for a right shows how to exercise it."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.config import Config, declarations, load_config_file
from checker.engine import make_plan
from checker.records import Status
from checker.rules import builtin_rules
from tests.conftest import POLICIES, check_text

TODAY = date(2026, 1, 1)
EU_SAMPLE = POLICIES / "sample-compliant-eu.md"
EU_CONFIG = POLICIES / "eu.yaml"
GDPR_RULES = sorted(r.id for r in builtin_rules().rules.values() if r.pack == "gdpr")
CONDITIONAL = {
    "dpo_appointed": "gdpr.dpo-contact",
    "legitimate_interests": "gdpr.legitimate-interests",
    "relies_on_consent": "gdpr.withdraw-consent",
    "automated_decisions": "gdpr.automated-decisions",
    "transfers_outside_eea": "gdpr.international-transfers",
}


def _plan(**declare: object):  # type: ignore[no-untyped-def]
    return make_plan(Config(declare={"jurisdictions": ["eu"], **declare}), today=TODAY)


def _status(text: str, rule: str, **declare: object) -> Status:
    report = check_text(text, _plan(**declare))
    return next(f for f in report.results if f.rule == rule).status


def test_the_eu_sample_passes_every_rule_under_its_config() -> None:
    from checker.engine import check_document
    from checker.readers import parse_policy

    plan = make_plan(load_config_file(EU_CONFIG), today=TODAY)
    doc = parse_policy(str(EU_SAMPLE), EU_SAMPLE.read_text(encoding="utf-8"))
    report = check_document(doc, plan)
    status = {f.rule: f.status for f in report.results}
    assert len(GDPR_RULES) == 20
    assert all(status[r] == Status.PASS for r in GDPR_RULES), status
    # Every rule that applies passes; the ccpa and us-states packs do not apply to this business.
    assert [r for r, s in status.items() if s == Status.FAIL] == []
    assert {r.split(".")[0] for r, s in status.items() if s == Status.NOT_APPLICABLE} == {
        "ccpa", "us-states"}


def test_the_pack_applies_only_where_eu_or_uk_is_declared() -> None:
    text = EU_SAMPLE.read_text(encoding="utf-8")
    for jurisdictions, applies in (([], False), (["us", "california"], False), (["uk"], True)):
        plan = make_plan(Config(declare={"jurisdictions": jurisdictions}), today=TODAY)
        report = check_text(text, plan)
        gdpr = [f.status for f in report.results if f.rule.startswith("gdpr.")]
        assert (Status.NOT_APPLICABLE not in gdpr) is applies, jurisdictions


@pytest.mark.parametrize(("key", "rule"), sorted(CONDITIONAL.items()))
def test_conditional_items_follow_their_declaration(key: str, rule: str) -> None:
    silent = "We use your email address to send you order confirmations."
    assert _status(silent, rule) == Status.FAIL  # null: unknown, the rule applies
    assert _status(silent, rule, **{key: True}) == Status.FAIL
    assert _status(silent, rule, **{key: False}) == Status.NOT_APPLICABLE


def test_article_14_items_follow_data_from_other_sources() -> None:
    silent = "We take your privacy seriously."
    for rule in ("gdpr.data-categories", "gdpr.data-source"):
        assert _status(silent, rule) == Status.FAIL
        assert _status(silent, rule, data_from_other_sources=False) == Status.NOT_APPLICABLE


@pytest.mark.parametrize(("text", "rule"), [
    ("We have not appointed a data protection officer.", "gdpr.dpo-contact"),
    ("We do not transfer personal data outside the EEA.", "gdpr.international-transfers"),
    ("We make no automated decisions about you, and we do not use profiling.",
     "gdpr.automated-decisions"),
    ("We do not rely on legitimate interests for any of our processing.",
     "gdpr.legitimate-interests"),
])
def test_a_denial_of_the_practice_discloses_it(text: str, rule: str) -> None:
    assert _status(text, rule) == Status.PASS


@pytest.mark.parametrize(("text", "rule"), [
    ("You cannot delete your account once it has been created.", "gdpr.right-to-erasure"),
    ("You are not able to correct the data in your order history.",
     "gdpr.right-to-rectification"),
    ("Users do not have the right to receive a copy of their information.",
     "gdpr.right-of-access"),
])
def test_a_right_stated_as_absent_is_not_the_right(text: str, rule: str) -> None:
    assert _status(text, rule) == Status.FAIL


@pytest.mark.parametrize(("text", "rule"), [
    ("You can ask us for a copy of your data.", "gdpr.right-of-access"),
    ("You can ask us to delete everything we hold about you.", "gdpr.right-to-erasure"),
    ("If your details are wrong, you can ask us to fix them.", "gdpr.right-to-rectification"),
    ("You can ask us to stop using your data for marketing.", "gdpr.right-to-object"),
])
def test_plain_words_inform_of_the_right(text: str, rule: str) -> None:
    assert _status(text, rule) == Status.PASS


def test_the_evidence_for_a_right_quotes_how_to_exercise_it() -> None:
    text = ("## Your rights\n\nYou may request a copy of the personal data we hold about you.\n\n"
            "To exercise your rights, email privacy@acme-widgets.com.\n")
    report = check_text(text, _plan())
    finding = next(f for f in report.results if f.rule == "gdpr.right-of-access")
    quotes = [e.quote for e in finding.evidence]
    assert finding.status == Status.PASS
    assert any("request a copy" in q for q in quotes)
    assert any("privacy@acme-widgets.com" in q for q in quotes)


def test_every_gdpr_declaration_asks_a_question() -> None:
    spec = declarations()
    for key in [*CONDITIONAL, "data_from_other_sources"]:
        assert spec[key]["default"] is None and spec[key]["ask"].endswith("?"), key
    assert {"eu", "uk"} <= set(spec["jurisdictions"]["values"])


def test_rules_list_and_show_explain_the_pack() -> None:
    runner = CliRunner()
    listed = runner.invoke(main, ["rules", "list"], terminal_width=200)
    assert listed.exit_code == 0
    for rule in GDPR_RULES:
        shown = runner.invoke(main, ["rules", "show", rule])
        assert shown.exit_code == 0, shown.output
        assert "GDPR Art. 1" in shown.output  # Art. 13 or 14, with the paragraph
    assert "gdpr.right-to-erasure" in listed.output


def test_rules_validate_accepts_the_pack() -> None:
    from checker.rules import rules_dir

    result = CliRunner().invoke(main, ["rules", "validate", str(rules_dir() / "gdpr.yaml")])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("text", "passes"), [
    # an address spelt out against harvesters is still an address
    ("If you have questions, write to me at jsmith1987(at)gmail(dot)com.", True),
    ("Contact: support [at] tinyapps [dot] co [dot] uk", True),
    ("Questions? Mail PRIVACY AT TINYAPPS DOT IO any time.", True),
    # email.com is a real mail provider; only a placeholder user there is a placeholder
    ("## Contact us\n\nmail: k9dev77@email.com", True),
    ("## Contact us\n\nmail: you@email.com", False),
    ("## Contact us\n\nWrite to name@example.com.", False),
    # national phone numbers after their label, Continental postal addresses
    ("## Contact us\n\nTel: 020 7946 0958", True),
    ("## Contact us\n\nYou can call us on 01632 960123 during office hours.", True),
    ("## Who we are\n\nAcme GmbH, Musterstrasse 1, 10115 Berlin, is the controller.", True),
    ("## Who we are\n\nAcme SA, Rue de la Loi 200, 1049 Brussels.", True),
    ("## Who we are\n\nSince 2019, 1234 families have used the app.", False),
    ("## Contact us\n\nOur phone lines are open from 9 to 5.", False),
    # "at" in prose is not an address
    ("Please look at (at least) the summary, then meet us at the office dot matrix.", False),
])
def test_controller_contact_reads_spelt_out_and_real_addresses(text: str, passes: bool) -> None:
    expected = Status.PASS if passes else Status.FAIL
    assert _status(text, "gdpr.controller-contact") == expected
