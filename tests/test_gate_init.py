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
    assert config.declare == {"audience": "children", "jurisdictions": ["us", "california"],
                              "shares_for_direct_marketing": False}
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
                             input="teens\nus, eu\nunknown\ndocs/privacy.md\n",
                             env={"GITHUB_ACTIONS": None})
    assert result.exit_code == 0, result.output
    config = load_config_file(tmp_path / "privcheck.yaml")
    assert config.declare == {"audience": "teens", "jurisdictions": ["us", "eu"],
                              "shares_for_direct_marketing": None}
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
