"""`privcheck init` keeps its contract without a terminal, and writes files that work today
(issue 13)."""

from __future__ import annotations

import re
import sys
from datetime import date, timedelta
from pathlib import Path

import yaml

from checker.scaffold import config_yaml
from tests.gatekit import ROOT, cli, runner

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def test_init_without_a_terminal_takes_the_defaults(tmp_path: Path) -> None:
    from checker.cli import main

    # CliRunner's standard input is not a terminal, like CI's; nothing is typed.
    result = runner().invoke(main, ["init", "-d", str(tmp_path), "--audience", "teens"],
                             input="", env={"GITHUB_ACTIONS": None})
    assert result.exit_code == 0, result.output
    assert "Aborted" not in result.output
    assert "--no-input" in result.stderr and len(result.stderr.splitlines()) == 3
    data = yaml.safe_load((tmp_path / "privcheck.yaml").read_text())
    assert data["declare"]["audience"] == "teens"  # the flag
    assert data["declare"]["jurisdictions"] == ["us", "california"]  # the default


def test_sample_waiver_expires_in_the_future(tmp_path: Path) -> None:
    text = config_yaml({"audience": "general", "jurisdictions": ["us"]})
    sample = "\n".join(line.removeprefix("# ") for line in text.splitlines()
                       if line.startswith("#   ") or line.startswith("# waivers:"))
    (waiver,) = yaml.safe_load(sample)["waivers"]
    assert waiver["expires"] > date.today() + timedelta(days=300)
    # Uncommented, it is a valid waiver that still applies.
    uncommented = text.replace("# waivers:", "waivers:").replace("#   ", "  ")
    path = tmp_path / "privcheck.yaml"
    path.write_text(uncommented)
    from checker.config import load_config_file

    (loaded,) = load_config_file(path).waivers
    assert not loaded.expired(date.today())


def test_workflow_diff_step_runs_always_and_uses_a_real_action(tmp_path: Path) -> None:
    assert cli("init", "-d", str(tmp_path), "--no-input").exit_code == 0
    workflow = yaml.safe_load((tmp_path / ".github" / "workflows" / "privcheck.yml").read_text())
    steps = workflow["jobs"]["privcheck"]["steps"]
    (diff,) = [s for s in steps if "privcheck diff" in s.get("run", "")]
    assert diff["if"].startswith("always() && ")
    (action,) = [s["uses"] for s in steps if s.get("uses", "").startswith("privcheck/")]
    repo, _, ref = action.partition("@")
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]
    assert any(u.rstrip("/").endswith("github.com/" + repo) for u in urls.values())
    assert not re.fullmatch(r"v?\d+\.\d+\.\d+", ref)  # no tag that has not been released
    assert (ROOT / "action.yml").is_file()  # the repository is an action
