"""Every pack at once: under a configuration declaring every jurisdiction, the US and EU sample
policies checked as one bundle pass every rule that applies, and every pack is represented."""

from __future__ import annotations

import json

from tests.conftest import ROOT
from tests.gatekit import cli

CONFIG = ROOT / "policies" / "all-jurisdictions.yaml"


def test_the_samples_as_one_bundle_pass_every_pack_under_every_jurisdiction() -> None:
    result = cli("check", "--format", "json", "-c", str(CONFIG), "--bundle", "samples")
    assert result.exit_code == 0, result.stdout + result.stderr
    [policy] = json.loads(result.stdout)["policies"]
    status = {f["rule"]: f["status"] for f in policy["results"]}
    assert [r for r, s in status.items() if s == "fail"] == []
    passed_packs = {r.split(".")[0] for r, s in status.items() if s == "pass"}
    assert passed_packs == {"core", "coppa", "caloppa", "shine-the-light", "ccpa", "us-states",
                            "gdpr"}
    # Only the Texas sale notices stay out: this business declares no such sales.
    assert sorted(r for r, s in status.items() if s == "not-applicable") == [
        "us-states.texas-biometric-data-notice", "us-states.texas-sensitive-data-notice"]


def test_each_sample_alone_misses_what_the_other_one_says() -> None:
    result = cli("check", "--format", "json", "-c", str(CONFIG),
                 str(ROOT / "policies" / "sample-compliant-us.md"))
    status = {f["rule"]: f["status"] for f in json.loads(result.stdout)["policies"][0]["results"]}
    assert result.exit_code == 1 and status["gdpr.complaint"] == "fail"


def test_facts_of_rules_that_cannot_apply_are_not_extracted_and_verdicts_do_not_change() -> None:
    import dataclasses

    from checker.checkfile import check_file
    from checker.config import Config
    from checker.engine import make_plan
    from tests.conftest import SEEDS

    plan = make_plan(Config(declare={"ccpa_business": False}))  # no eu: gdpr cannot apply
    assert plan.needed_facts is not None
    assert not any(f.startswith("gdpr.") for f in plan.needed_facts)
    assert "dnt.response" in plan.needed_facts and "policy.effective_date" in plan.needed_facts
    everything = dataclasses.replace(plan, needed_facts=None)
    for path in [*SEEDS, ROOT / "policies" / "sample-compliant-eu.md"]:
        assert check_file(str(path), plan) == check_file(str(path), everything)
