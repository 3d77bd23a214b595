"""`privcheck init`: a starter privcheck.yaml and a sample workflow, from prompts or flags."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from gatekit import SAMPLE, cli, runner

from checker.cli import main
from checker.config import declared_values, load_config_file


def test_init_from_flags_writes_a_config_that_loads(tmp_path: Path) -> None:
    result = cli("init", "-d", str(tmp_path), "--audience", "children", "--jurisdiction",
                 "us,california", "--shares-for-direct-marketing", "no", "--no-input")
    assert result.exit_code == 0, result.output
    config = load_config_file(tmp_path / "privcheck.yaml")
    assert declared_values(config)["audience"] == "children"
    given = {k: v for k, v in config.declare.items() if v is not None}
    assert given == {"audience": "children", "jurisdictions": ["us", "california"],
                     "shares_for_direct_marketing": False}
    # The other California questions are written as unknown (null), for the user to answer.
    assert config.declare["ccpa_business"] is None and "online_only" in config.declare
    workflow = yaml.safe_load((tmp_path / ".github" / "workflows" / "privcheck.yml").read_text())
    steps = workflow["jobs"]["privcheck"]["steps"]
    assert any(str(s.get("uses", "")).startswith("privcheck/privcheck@") for s in steps)
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)
    # With "no" sharing, Shine the Light does not apply under this config.
    check = cli("check", str(SAMPLE), "-c", str(tmp_path / "privcheck.yaml"), "--format", "json")
    statuses = {f["rule"]: f["status"] for f in json.loads(check.stdout)["policies"][0]["results"]}
    assert statuses["shine-the-light.notice"] == "not-applicable"


def test_init_asks_what_is_not_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("checker.commands.init.interactive", lambda: True)  # a terminal
    result = runner().invoke(main, ["init", "-d", str(tmp_path)],
                             input="teens\nus, eu\nunknown\n" + "\n" * 6 + "docs/privacy.md\n",
                             env={"GITHUB_ACTIONS": None})
    assert result.exit_code == 0, result.output
    config = load_config_file(tmp_path / "privcheck.yaml")
    # The six GDPR questions (asked for eu) were answered with their default, unknown.
    assert config.declare == {"audience": "teens", "jurisdictions": ["us", "eu"],
                              "shares_for_direct_marketing": None, "dpo_appointed": None,
                              "legitimate_interests": None, "relies_on_consent": None,
                              "automated_decisions": None, "transfers_outside_eea": None,
                              "data_from_other_sources": None}
    workflow = (tmp_path / ".github" / "workflows" / "privcheck.yml").read_text()
    assert "paths: docs/privacy.md" in workflow


def test_init_refuses_to_overwrite_and_rejects_bad_answers(tmp_path: Path) -> None:
    assert cli("init", "-d", str(tmp_path), "--no-input", "--no-workflow").exit_code == 0
    before = (tmp_path / "privcheck.yaml").read_text()
    again = cli("init", "-d", str(tmp_path), "--no-input")
    assert again.exit_code == 2 and "already exists (pass --force" in again.stderr
    bad = cli("init", "-d", str(tmp_path), "--no-input", "--force", "--audience", "martians")
    assert bad.exit_code == 2 and "'martians' is not one of" in bad.stderr
    assert len(bad.stderr.splitlines()) == 1
    assert (tmp_path / "privcheck.yaml").read_text() == before


def test_init_asks_every_declaration_with_a_question(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Questions come from rules/declarations.yaml (`ask:`), only for the chosen jurisdictions."""
    monkeypatch.setattr("checker.commands.init.interactive", lambda: True)  # a terminal
    answers = ["general", "us, california, texas", "no",  # audience, where, direct marketing
               "yes", "yes", "no", "no", "yes",  # 20+ staff, CCPA, sells, sensitive, online
               "yes", "unknown",                # Texas: sells sensitive, sells biometric
               "policies/"]
    result = runner().invoke(main, ["init", "-d", str(tmp_path)], input="\n".join(answers) + "\n",
                             env={"GITHUB_ACTIONS": None})
    assert result.exit_code == 0, result.output
    assert "operate exclusively online" in result.output
    declare = load_config_file(tmp_path / "privcheck.yaml").declare
    assert declare["jurisdictions"] == ["us", "california", "texas"]
    assert declare["ccpa_business"] is True and declare["sells_or_shares"] is False
    assert declare["online_only"] is True and declare["sells_sensitive_data"] is True
    assert declare["sells_biometric_data"] is None


def test_init_declare_flag_and_schema(tmp_path: Path) -> None:
    import jsonschema

    from checker.config import declarations
    from checker.rules import rules_dir

    schema = json.loads((rules_dir() / "schema" / "declarations.schema.json").read_text())
    jsonschema.validate(declarations(), schema)
    result = cli("init", "-d", str(tmp_path), "--no-input", "--no-workflow",
                 "--declare", "online_only=yes", "--declare", "jurisdictions=us,texas")
    assert result.exit_code == 0, result.output
    declare = load_config_file(tmp_path / "privcheck.yaml").declare
    assert declare["online_only"] is True and declare["jurisdictions"] == ["us", "texas"]
    assert "sells_sensitive_data" in declare and "ccpa_business" not in declare
    bad = cli("init", "-d", str(tmp_path), "--no-input", "--force", "--declare", "nope=1")
    assert bad.exit_code == 2 and "--declare" in bad.stderr
