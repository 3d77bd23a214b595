"""Rules: every pack validates, every rule's own examples pass and fail as they say, and the
condition language (fact, value tests, declared, all/any/not) behaves."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from checker.conditions import evaluate
from checker.config import Config
from checker.engine import make_plan
from checker.errors import RuleFileError
from checker.records import Evidence, Fact, Status
from checker.rules import builtin_rules, load_pack
from tests.conftest import check_text

RULES = list(builtin_rules().rules.values())


def test_public_rule_ids() -> None:
    assert set(builtin_rules().rules) == {
        "core.contact", "core.opt-out", "core.security", "coppa.children-under-13",
        "caloppa.pii-categories", "caloppa.third-party-categories",
        "caloppa.review-and-change", "caloppa.change-notification", "caloppa.effective-date",
        "caloppa.do-not-track", "caloppa.third-party-tracking", "shine-the-light.notice",
    } | GDPR_IDS | CCPA_IDS


# The gdpr pack's public ids (issue 11): a contract, changed only on purpose.
GDPR_IDS = {
    "gdpr.controller-contact", "gdpr.dpo-contact", "gdpr.purposes", "gdpr.legal-basis",
    "gdpr.legitimate-interests", "gdpr.recipients", "gdpr.international-transfers",
    "gdpr.retention", "gdpr.right-of-access", "gdpr.right-to-rectification",
    "gdpr.right-to-erasure", "gdpr.right-to-restriction", "gdpr.right-to-portability",
    "gdpr.right-to-object", "gdpr.withdraw-consent", "gdpr.complaint",
    "gdpr.statutory-or-contractual", "gdpr.automated-decisions", "gdpr.data-categories",
    "gdpr.data-source",
}


CCPA_IDS = {f"ccpa.{name}" for name in (
    "categories-collected", "sources", "purposes", "categories-disclosed", "sale-and-sharing",
    "minors-under-16", "right-to-know", "right-to-delete", "right-to-correct", "right-to-opt-out",
    "right-to-limit", "non-discrimination", "request-methods", "verification", "authorized-agent",
    "opt-out-preference-signal", "retention", "contact", "last-updated",
    "updated-within-12-months", "toll-free-number")} | {f"us-states.{name}" for name in (
    "categories-processed", "purposes", "exercise-rights", "appeal", "categories-shared",
    "third-party-categories", "sale-and-targeted-advertising", "online-contact",
    "oregon-legal-names", "colorado-last-updated", "texas-sensitive-data-notice",
    "texas-biometric-data-notice", "nevada-notice-contents", "nevada-sale-opt-out-address")}


@pytest.fixture(scope="module")
def every_jurisdiction_plan():  # type: ignore[no-untyped-def]
    """Every pack applies, the Texas sales declared too: each rule's examples are checked under
    its own law."""
    from checker.config import declarations

    everywhere = declarations()["jurisdictions"]["values"]
    return make_plan(Config(declare={"jurisdictions": everywhere, "sells_sensitive_data": True,
                                     "sells_biometric_data": True}), today=TODAY)


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_examples(rule, every_jurisdiction_plan) -> None:  # type: ignore[no-untyped-def]
    plan = every_jurisdiction_plan
    passing = check_text(rule.example_pass, plan)
    failing = check_text(rule.example_fail, plan)
    assert next(f for f in passing.results if f.rule == rule.id).status == Status.PASS
    fail = next(f for f in failing.results if f.rule == rule.id)
    assert fail.status == Status.FAIL
    assert rule.citation in fail.citation and fail.remedy == rule.remedy


def _fact(fid: str, value: object = None) -> Fact:
    ev = Evidence(line=1, column=1, end_line=1, end_column=5, quote="text")
    return Fact(id=fid, value=value, evidence=[ev])


TODAY = date(2026, 1, 1)


def test_condition_value_tests() -> None:
    facts = {"pii.categories": _fact("pii.categories", ["name", "email address"]),
             "policy.effective_date": _fact("policy.effective_date", "2027-05-01")}
    assert evaluate({"fact": "pii.categories", "min_count": 2}, facts, {}, TODAY).ok
    out = evaluate({"fact": "pii.categories", "min_count": 3}, facts, {}, TODAY)
    assert not out.ok and "at least 3" in out.failed_tests[0]
    future = evaluate({"fact": "policy.effective_date", "not_after": "today"}, facts, {}, TODAY)
    assert not future.ok and "2027-05-01" in future.failed_tests[0]
    missing = evaluate({"fact": "dnt.response"}, facts, {}, TODAY)
    assert not missing.ok and missing.missing == ["dnt.response"]


def test_condition_combinators_and_declarations() -> None:
    facts = {"contact.email": _fact("contact.email", ["a@b.test"])}
    anyc = {"any": [{"fact": "contact.phone"}, {"fact": "contact.email"}]}
    assert evaluate(anyc, facts, {}, TODAY).ok
    allc = {"all": [{"fact": "contact.phone"}, {"fact": "contact.email"}]}
    out = evaluate(allc, facts, {}, TODAY)
    assert not out.ok and out.missing == ["contact.phone"]
    assert evaluate({"not": {"fact": "contact.phone"}}, facts, {}, TODAY).ok
    declared = {"jurisdictions": ["us"], "shares_for_direct_marketing": False}
    assert not evaluate({"declared": "jurisdictions", "contains": "california"}, {},
                        declared, TODAY).ok
    assert not evaluate({"declared": "shares_for_direct_marketing", "not_equals": False}, {},
                        declared, TODAY).ok


def test_applicability_from_declarations() -> None:
    plan = make_plan(Config(declare={"jurisdictions": ["us"],
                                     "shares_for_direct_marketing": False}), today=TODAY)
    report = check_text("We collect your name.", plan)
    status = {f.rule: f.status for f in report.results}
    assert status["caloppa.do-not-track"] == Status.NOT_APPLICABLE
    assert status["shine-the-light.notice"] == Status.NOT_APPLICABLE
    assert status["coppa.children-under-13"] == Status.FAIL


def test_children_hint_names_the_missing_age(plan) -> None:  # type: ignore[no-untyped-def]
    report = check_text("Our site is not intended for children, and we do not collect their data.",
                        plan)
    finding = next(f for f in report.results if f.rule == "coppa.children-under-13")
    assert finding.status == Status.FAIL and "names no age" in finding.message
    assert finding.evidence  # the statement that lacks the age is quoted


def test_new_rule_over_existing_facts_needs_no_python(tmp_path: Path) -> None:
    pack = tmp_path / "acme.yaml"
    pack.write_text(
        "pack: acme\ntitle: Acme house rules\nrules:\n"
        "  - id: acme.two-channels\n    title: Two contact channels\n    severity: warning\n"
        "    citation: Acme policy 1.2\n    why: Customers want a choice of channel.\n"
        "    remedy: Give both an email address and a phone number.\n"
        "    example: {pass: 'Email a@acme.test or call 212-555-0100.',\n"
        "              fail: 'Email a@acme.test.'}\n"
        "    require:\n      all: [{fact: contact.email}, {fact: contact.phone}]\n"
    )
    plan = make_plan(Config(rule_files=[str(pack)], select=["acme"]), today=TODAY)
    assert [r.id for r in plan.rules] == ["acme.two-channels"]
    ok = check_text("Email a@acme.test or call 212-555-0100.", plan)
    bad = check_text("Email a@acme.test about anything.", plan)
    assert ok.results[0].status == Status.PASS and bad.results[0].status == Status.FAIL
    assert "phone number" in bad.results[0].message


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        ("pack: x\ntitle: X\nrules:\n  - id: x.a\n    title: [unclosed\n", "(from line 5)", 6),
        ("pack: x\ntitle: X\nrules:\n  - id: x.a\n    title: A rule\n    severity: fatal\n",
         "fatal", 6),
        ("pack: x\ntitle: X\nrules:\n  - id: x.a\n    title: A rule\n    severity: error\n"
         "    citation: Some law\n    why: Because it matters.\n    remedy: Do the thing well.\n"
         "    example: {pass: a, fail: b}\n    require: {fact: dnt.responze}\n",
         "unknown fact 'dnt.responze'", 11),
    ],
)
def test_bad_rule_files_name_file_and_line(tmp_path: Path, body: str, message: str,
                                           line: int) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(body)
    with pytest.raises(RuleFileError) as err:
        load_pack(path)
    assert message in str(err.value)
    assert str(err.value).startswith(f"{path}:{line}:")


def test_builtin_packs_and_lexicons_validate_against_their_schemas() -> None:
    """A run trusts the built-in files and skips schema validation: this test is why."""
    import jsonschema
    import yaml

    from checker.facts.lexicon import LEXICON_DIR
    from checker.rules import rules_dir, schema_path

    pack_schema = yaml.safe_load(schema_path().read_text())
    packs = [p for p in rules_dir().glob("*.yaml") if p.name != "declarations.yaml"]
    assert {p.stem for p in packs} >= {"core", "coppa", "caloppa", "shine-the-light", "ccpa",
                                        "us-states", "gdpr"}
    for path in packs:
        jsonschema.validate(yaml.safe_load(path.read_text()), pack_schema)
    lexicon_schema = yaml.safe_load((LEXICON_DIR.parent / "lexicon.schema.json").read_text())
    for path in LEXICON_DIR.glob("*.yaml"):
        if path.name not in ("language.yaml", "entities.yaml"):
            jsonschema.validate(yaml.safe_load(path.read_text()), lexicon_schema)


RETENTION_LEXICON = r"""
terms:
  retention_verb: ['retain', 'keep', 'store']
facts:
  retention.period:
    title: Retention period
    looks_for: how long personal information is kept, or the criteria for deciding it
    all:
      - name: keeping data
        heading: true
        any: ['{retention_verb}', 'retention']
      - name: a period or criteria
        any: ['\b\d+\s+(?:days|months|years)\b', 'as\s+long\s+as\s+(?:necessary|needed)']
"""
RETENTION_PACK = """pack: acme
title: Acme
rules:
  - id: acme.retention
    title: Retention period
    severity: warning
    citation: GDPR Art. 13(2)(a)
    why: Readers must know how long their data is kept.
    remedy: Say how long you keep personal information.
    example: {pass: "We keep account data for 24 months.", fail: "We keep account data."}
    require: {fact: retention.period}
"""


def test_new_phrase_fact_and_rule_need_no_python(tmp_path: Path) -> None:
    (tmp_path / "retention.yaml").write_text(RETENTION_LEXICON)
    (tmp_path / "acme.yaml").write_text(RETENTION_PACK)
    (tmp_path / "privcheck.yaml").write_text(
        "lexicon_files: [retention.yaml]\nrule_files: [acme.yaml]\nselect: [acme]\n")
    from checker.config import load_config_file
    from checker.facts.lexicon import use_lexicon_files

    try:
        plan = make_plan(load_config_file(tmp_path / "privcheck.yaml"), today=TODAY)
        ok = check_text("## Data retention\n\nWe delete inactive accounts after 24 months.", plan)
        bad = check_text("We keep your account data.", plan)
        assert ok.results[0].status == Status.PASS
        # the deciding sentence first, its heading after
        assert ok.results[0].evidence[0].quote == "We delete inactive accounts after 24 months."
        assert bad.results[0].status == Status.FAIL
        assert "how long personal information is kept" in bad.results[0].message
    finally:
        use_lexicon_files(())  # back to the built-in lexicons for the other tests


def test_bad_lexicon_file_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "facts:\n  x.y:\n    title: X\n    looks_for: x\n    all:\n      - any: ['(unclosed']\n")
    from checker.facts.lexicon import use_lexicon_files

    try:
        with pytest.raises(RuleFileError) as err:
            make_plan(Config(lexicon_files=[str(tmp_path / "bad.yaml")]), today=TODAY)
        assert str(err.value).startswith(f"{tmp_path / 'bad.yaml'}:6: bad pattern")
    finally:
        use_lexicon_files(())
