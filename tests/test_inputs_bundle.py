"""Bundles: a policy split into privacy, California and children documents fails rules checked
one by one and passes them as a bundle, with evidence naming each document."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.gatekit import cli
from tests.inputs_kit import SAMPLE, without_sections

CALIFORNIA = ("Your California Privacy Rights", "Do Not Track",
              "California Consumer Privacy Act Notice")
CHILDREN = ("Children",)


def _only(markdown: str, *titles: str) -> str:
    parts = re.split(r"(?m)^(?=## )", markdown)
    kept = [p for p in parts[1:] if any(p.startswith(f"## {t}") for t in titles)]
    return "# Acme Widgets\n\n" + "".join(kept)


@pytest.fixture
def split_policy(tmp_path: Path) -> Path:
    (tmp_path / "privacy.md").write_text(without_sections(SAMPLE, *CALIFORNIA, *CHILDREN))
    (tmp_path / "california.md").write_text(_only(SAMPLE, *CALIFORNIA))
    (tmp_path / "children.md").write_text(_only(SAMPLE, *CHILDREN))
    (tmp_path / "privcheck.yaml").write_text(
        "bundles:\n  acme: [privacy.md, california.md, children.md]\n")
    return tmp_path


def _results(policy: dict) -> dict[str, dict]:
    return {f["rule"]: f for f in policy["results"]}


def test_split_policy_fails_alone_and_passes_as_a_bundle(split_policy: Path) -> None:
    docs = [str(split_policy / n) for n in ("privacy.md", "california.md", "children.md")]
    config = str(split_policy / "privcheck.yaml")
    alone = json.loads(cli("check", "--format", "json", "-c", config, *docs).stdout)
    for policy in alone["policies"]:
        assert policy["summary"]["fail"] > 0, policy["path"]
    privacy = _results(alone["policies"][0])
    for rule in ("shine-the-light.notice", "caloppa.do-not-track", "coppa.children-under-13"):
        assert privacy[rule]["status"] == "fail"

    result = cli("check", "--format", "json", "-c", config, "--bundle", "acme")
    assert result.exit_code == 0, result.stdout + result.stderr
    [bundle] = json.loads(result.stdout)["policies"]
    assert bundle["path"] == "bundle:acme" and bundle["documents"] == docs
    found = _results(bundle)
    assert {f["status"] for f in found.values()} - {"not-applicable"} == {"pass"}
    # Each disclosure's evidence names the document that makes it.
    assert {e["document"] for e in found["shine-the-light.notice"]["evidence"]} >= {docs[1]}
    assert {e["document"] for e in found["coppa.children-under-13"]["evidence"]} == {docs[2]}
    assert {e["document"] for e in found["core.security"]["evidence"]} == {docs[0]}


def test_command_line_bundle_and_one_row_in_reports(split_policy: Path, monkeypatch) -> None:
    monkeypatch.chdir(split_policy)
    (split_policy / "privcheck.yaml").unlink()
    spec = "acme=privacy.md,california.md,children.md"
    text = cli("check", "-v", "--bundle", spec)
    assert text.exit_code == 0, text.stdout + text.stderr
    assert "bundle:acme" in text.stdout and "children.md:" in text.stdout
    report = cli("report", "--format", "csv", "--bundle", spec, "-o", "r.csv")
    assert report.exit_code == 0, report.stderr
    rows = (split_policy / "r.csv").read_text().strip().splitlines()
    assert sum("bundle:acme" in r for r in rows) == 1 and not any("privacy.md" in r for r in rows)


def test_layered_notice_counts_the_full_policy_it_links_to(split_policy: Path) -> None:
    notice = split_policy / "notice.md"
    notice.write_text("# Short notice\n\nWe collect what you give us. Read the "
                      "[full privacy policy](privacy.md) and the "
                      "[California notice](california.md).\n")
    alone = cli("check", "--format", "json", str(notice))
    assert json.loads(alone.stdout)["policies"][0]["summary"]["pass"] < 6
    spec = f"layered={notice},{split_policy / 'privacy.md'},{split_policy / 'california.md'}"
    bundle = json.loads(cli("check", "--format", "json", "--bundle", spec).stdout)
    found = _results(bundle["policies"][0])
    assert found["core.contact"]["status"] == "pass"
    assert found["shine-the-light.notice"]["status"] == "pass"
    assert found["coppa.children-under-13"]["status"] == "fail"  # not in the bundle: not read


def test_bundle_errors_are_one_line(split_policy: Path) -> None:
    config = str(split_policy / "privcheck.yaml")
    unknown = cli("check", "-c", config, "--bundle", "nope")
    assert unknown.exit_code == 2 and "no bundle named 'nope' (known: acme)" in unknown.stderr
    (split_policy / "children.md").unlink()
    missing = cli("check", "-c", config, "--bundle", "acme")
    assert missing.exit_code == 2
    [line] = missing.stderr.strip().splitlines()
    assert line.startswith("privcheck: error: bundle:acme: ")
    assert "children.md: no such file" in line


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_of_a_bundle_at_a_git_ref_names_the_member_that_lost_a_disclosure(
        split_policy: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tests.test_gate_diff import git

    monkeypatch.chdir(split_policy)
    git(split_policy, "init", "-q")
    git(split_policy, "add", ".")
    git(split_policy, "commit", "-q", "-m", "split policy")
    unchanged = cli("diff", "--git-ref", "HEAD", "--bundle", "acme", "--format", "json")
    assert unchanged.exit_code == 0, unchanged.stderr
    assert json.loads(unchanged.stdout)["policies"][0]["regressions"] == []

    # The children's notice is emptied: the bundle, not one file, loses its COPPA answer.
    (split_policy / "children.md").write_text("# Acme Widgets\n\nSee our privacy policy.\n")
    result = cli("diff", "--git-ref", "HEAD", "--bundle", "acme", "--format", "json")
    assert result.exit_code == 1, result.stderr
    [policy] = json.loads(result.stdout)["policies"]
    assert policy["path"] == "bundle:acme" and policy["old"] == "HEAD"
    [change] = [c for c in policy["regressions"] if c["rule"] == "coppa.children-under-13"]
    assert {e["document"] for e in change["removed"]} == {str(split_policy / "children.md")}

    usage = cli("diff", "--bundle", "acme")
    assert usage.exit_code == 2 and "add --git-ref REF" in usage.stderr
