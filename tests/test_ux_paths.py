"""Paths and configuration (issue 13): baselines relative to their file, the configuration of
each policy found from the policy, `privcheck config`, include/exclude/paths, .gitignore and the
pre-commit hook's filter."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from tests.gatekit import ROOT, cli, drop_paragraph, sample_text, write


def _no_dnt() -> str:
    return drop_paragraph(sample_text(), r"Do Not Track")


def _checked(result_stdout: str) -> list[str]:
    return sorted(os.path.normpath(p["path"]) for p in json.loads(result_stdout)["policies"])


def test_baseline_matches_from_any_working_directory(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    write(repo / "policies" / "legacy.md", _no_dnt())
    monkeypatch.chdir(tmp_path)  # created from the parent folder
    made = cli("baseline", "create", "repo/policies", "-o", "repo/privcheck-baseline.json")
    assert made.exit_code == 0, made.stderr
    data = json.loads((repo / "privcheck-baseline.json").read_text())
    assert [e["path"] for e in data["failures"]] == ["policies/legacy.md"]
    assert data["paths_relative_to"] == "baseline"
    for cwd, args in [(repo, ["policies", "--baseline", "privcheck-baseline.json"]),
                      (tmp_path, ["repo/policies", "--baseline", "repo/privcheck-baseline.json"]),
                      (repo / "policies", [".", "--baseline", "../privcheck-baseline.json"])]:
        monkeypatch.chdir(cwd)
        result = cli("check", *args, "--format", "json")
        assert result.exit_code == 0, (cwd, result.stdout)
        assert json.loads(result.stdout)["baseline"]["known"] == 1


def test_an_older_baseline_is_read_relative_to_the_working_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "policies" / "legacy.md", _no_dnt())
    write(tmp_path / "ci" / "old.json", json.dumps({"privcheck_baseline": 1, "failures": [
        {"path": "policies/legacy.md", "rule": "caloppa.do-not-track"}]}))
    monkeypatch.chdir(tmp_path)
    result = cli("check", "policies", "--baseline", "ci/old.json")
    assert result.exit_code == 0, result.stdout


def test_each_policy_gets_its_nearest_configuration(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "a" / "privcheck.yaml", "select: [core.contact]\n")
    write(tmp_path / "b" / "pyproject.toml", "[tool.privcheck]\nselect = ['core.security']\n")
    write(tmp_path / "a" / "policy.md", sample_text())
    write(tmp_path / "b" / "policy.md", sample_text())
    write(tmp_path / "c" / "policy.md", sample_text())
    monkeypatch.chdir(tmp_path)
    data = json.loads(cli("check", "a", "b", "c", "--format", "json").stdout)
    rules = {p["path"]: [f["rule"] for f in p["results"]] for p in data["policies"]}
    assert rules["a/policy.md"] == ["core.contact"]
    assert rules["b/policy.md"] == ["core.security"]
    assert len(rules["c/policy.md"]) > 2  # no configuration above it: the defaults
    # --config names one configuration for every policy.
    data = json.loads(cli("check", "a", "b", "--config", "a/privcheck.yaml", "--format",
                          "json").stdout)
    assert all([f["rule"] for f in p["results"]] == ["core.contact"] for p in data["policies"])


def test_a_comment_naming_the_table_is_not_a_configuration(tmp_path: Path) -> None:
    from checker.config import find_config

    write(tmp_path / "pyproject.toml", '[project]\nname = "x"  # see [tool.privcheck] docs\n')
    assert find_config(tmp_path) is None


def test_privcheck_config_shows_settings_and_their_source(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "privcheck.yaml", "fail_on: warning\ndeclare:\n  audience: children\n")
    write(tmp_path / "site" / "pyproject.toml", "[tool.privcheck]\nfail_on = 'info'\n")
    monkeypatch.chdir(tmp_path)
    out = cli("config").stdout
    source = str(tmp_path / "privcheck.yaml")
    assert f"# source: {source}" in out
    assert f"fail_on: warning  # {source}:1" in out
    assert "max_size_mb: 5.0  # default" in out
    assert "jurisdictions: [us, california]" in out  # declarations' defaults shown
    data = json.loads(cli("config", "site/policy.md", "--format", "json").stdout)
    assert data["source"] == str(tmp_path / "site" / "pyproject.toml")
    assert data["settings"]["fail_on"] == "info" and data["from"]["packs"] == "default"
    monkeypatch.chdir(tmp_path / "site")
    assert "# source: none found" not in cli("config").stdout


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()  # a work tree, so .gitignore applies
    write(tmp_path / ".gitignore", "build/\n*.tmp.md\n")
    write(tmp_path / "README.md", "# Project\n\nWe build things. Read the docs.\n")
    write(tmp_path / "legal" / "privacy.md", sample_text())
    write(tmp_path / "legal" / "terms.html", "<html><body><p>Terms of use.</p></body></html>")
    write(tmp_path / "legal" / "drafts" / "next.md", _no_dnt())
    write(tmp_path / "legal" / "notes.tmp.md", _no_dnt())
    write(tmp_path / "build" / "privacy.md", _no_dnt())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_gitignore_is_respected_when_walking(project: Path) -> None:
    checked = _checked(cli("check", ".", "--format", "json").stdout)
    assert "build/privacy.md" not in checked and "legal/notes.tmp.md" not in checked
    assert "legal/privacy.md" in checked and "README.md" in checked  # no config: every .md


def test_config_paths_include_and_exclude(project: Path) -> None:
    write(project / "privcheck.yaml", "paths: [legal]\ninclude: ['legal/**/*.md']\n"
                                      "exclude: ['legal/drafts/']\n")
    result = cli("check", "--format", "json")  # no PATH: the configured paths
    assert _checked(result.stdout) == ["legal/privacy.md"]
    assert result.exit_code == 0
    assert _checked(cli("check", ".", "--format", "json").stdout) == ["legal/privacy.md"]
    # A file named on the command line is checked, unless --force-exclude (pre-commit).
    named = ["legal/drafts/next.md", "README.md", "legal/privacy.md"]
    assert _checked(cli("check", *named, "--format", "json").stdout) == sorted(named)
    forced = cli("check", "--force-exclude", *named, "--format", "json")
    assert _checked(forced.stdout) == ["legal/privacy.md"]


def test_no_path_and_no_configured_paths_is_a_usage_error(project: Path) -> None:
    result = cli("check")
    assert result.exit_code == 2 and "paths:" in result.stderr


def test_the_pre_commit_hook_applies_the_same_filter() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert "--force-exclude" in hook["entry"].split()
