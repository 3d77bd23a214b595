"""`privcheck baseline create` and `check --baseline`: adopt the gate on a legacy policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gatekit import SEEDS, cli, drop_paragraph, sample_text, write


@pytest.fixture()
def legacy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a legacy policy (fails DNT) and a compliant one, as the working directory."""
    seed = next(s for s in SEEDS if s.name.startswith("001"))
    write(tmp_path / "policies" / "legacy.txt", seed.read_text("utf-8"))
    write(tmp_path / "policies" / "good.md", sample_text())
    # The legacy business is not a CCPA business: its policy predates the CCPA pack.
    write(tmp_path / "privcheck.yaml", "declare:\n  ccpa_business: false\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_baseline_records_failures_and_then_the_gate_passes(legacy: Path) -> None:
    assert cli("check", "policies/").exit_code == 1
    made = cli("baseline", "create", "policies/", "-o", "privcheck-baseline.json")
    assert made.exit_code == 0, made.output
    data = json.loads((legacy / "privcheck-baseline.json").read_text("utf-8"))
    assert [(e["path"], e["rule"]) for e in data["failures"]] == [
        ("policies/legacy.txt", "caloppa.do-not-track")]
    assert data["failures"][0]["fingerprint"]

    result = cli("check", "policies/", "--baseline", "privcheck-baseline.json")
    assert result.exit_code == 0, result.stdout
    assert "recorded in the baseline" in result.stdout
    assert "1 known failure waived, 0 new" in result.stdout
    report = json.loads(cli("check", "policies/", "--baseline", "privcheck-baseline.json",
                            "--format", "json").stdout)
    assert report["baseline"]["known"] == 1 and report["summary"]["fail"] == 0
    (dnt,) = [f for f in report["policies"][1]["results"] if f["rule"] == "caloppa.do-not-track"]
    assert dnt["status"] == "waived" and dnt["waiver_kind"] == "baseline"


def test_baseline_fails_only_on_new_failures(legacy: Path) -> None:
    cli("baseline", "create", "policies/")
    write(legacy / "policies" / "good.md", drop_paragraph(sample_text(), r"not directed to child"))
    result = cli("check", "policies/", "--baseline", "privcheck-baseline.json",
                 "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["baseline"]["new"] == 1 and report["baseline"]["known"] == 1
    failing = [(p["path"], f["rule"]) for p in report["policies"] for f in p["results"]
               if f["status"] == "fail"]
    assert failing == [("policies/good.md", "coppa.children-under-13")]


def test_baseline_reports_fixed_failures(legacy: Path) -> None:
    cli("baseline", "create", "policies/")
    legacy_policy = legacy / "policies" / "legacy.txt"
    legacy_policy.write_text(legacy_policy.read_text("utf-8") + "\n\nDo Not Track\n\nOur site "
                             "does not respond to Do Not Track signals.\n", encoding="utf-8")
    result = cli("check", "policies/", "--baseline", "privcheck-baseline.json")
    assert result.exit_code == 0
    assert "fixed since the baseline: policies/legacy.txt: caloppa.do-not-track" in result.stdout
    md = cli("check", "policies/", "--baseline", "privcheck-baseline.json", "--format", "markdown")
    assert "Fixed since the baseline" in md.stdout


@pytest.mark.parametrize(("content", "problem"), [
    (None, "no such baseline file"),
    ("{not json", "baseline is not valid JSON"),
    ('{"failures": []}', "not a privcheck baseline"),
])
def test_bad_baseline_is_one_line_exit_2(legacy: Path, content: str | None,
                                         problem: str) -> None:
    if content is not None:
        write(legacy / "b.json", content)
    result = cli("check", "policies/", "--baseline", "b.json")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and problem in result.stderr


def test_baseline_create_refuses_unreadable_files(legacy: Path) -> None:
    write(legacy / "policies" / "empty.md", "")
    result = cli("baseline", "create", "policies/")
    assert result.exit_code == 2 and "empty file" in result.stderr
    assert not (legacy / "privcheck-baseline.json").exists()
