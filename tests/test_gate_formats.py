"""JUnit, GitHub workflow commands, Markdown, JSON additions and several outputs in one run."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from gatekit import (
    SAMPLE,
    SEEDS,
    cli,
    drop_paragraph,
    rule_counts,
    sample_text,
    seed_errors,
    seed_failures,
    write,
)

from checker.outputs import STEP_SUMMARY_LIMIT, append_step_summary, default_format


def test_junit_one_suite_per_policy_one_case_per_rule() -> None:
    result = cli("check", *map(str, SEEDS), str(SAMPLE), "--format", "junit")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [f"policies/{p.name}" for p in [*SEEDS, SAMPLE]]
    for suite in suites:
        cases = suite.findall("testcase")
        assert len(cases) == int(suite.get("tests", "0")) == rule_counts()[0]
        assert len(suite.findall("testcase/failure")) == int(suite.get("failures", "-1"))
    assert int(root.get("failures", "0")) == seed_failures()
    seed = suites[0]
    (dnt,) = [c for c in seed.findall("testcase") if c.get("name") == "caloppa.do-not-track"]
    failure = dnt.find("failure")
    assert failure is not None and failure.get("type") == "error"
    assert "Do Not Track" in failure.get("message", "")
    assert "Fix: Add a sentence stating how the site responds" in (failure.text or "")
    assert suites[-1].findall("testcase/failure") == []


def test_junit_reports_unreadable_files_as_errors(tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.md", "")
    result = cli("check", empty, str(SAMPLE), "--format", "junit")
    assert result.exit_code == 2
    root = ET.fromstring(result.stdout)
    assert root.get("errors") == "1"
    assert root.find("testsuite/testcase/error") is not None


def test_github_annotations_are_capped_with_a_pointer() -> None:
    result = cli("check", *map(str, SEEDS), "--format", "github")
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == 10  # GitHub shows 10 per step; the 10th says how many more
    assert f"{seed_errors() - 9} more privcheck errors" in errors[-1] and "SARIF" in errors[-1]
    first = errors[0]
    assert first.startswith("::error file=policies/0")
    assert ",line=" in first and ",col=" in first and ",endLine=" in first
    assert "title=privcheck caloppa.do-not-track%3A Response to Do Not Track signals::" in first
    # every failure is still in the log as a plain line
    assert sum(": error " in line for line in result.stdout.splitlines()) == seed_errors()


def test_github_is_the_default_inside_actions() -> None:
    assert default_format({"GITHUB_ACTIONS": "true"}) == "github"
    assert default_format({}) == "text"
    result = cli("check", str(SEEDS[0]), env={"GITHUB_ACTIONS": "true"})
    assert result.stdout.startswith("::error file=")


def test_markdown_table_and_job_summary(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    result = cli("check", str(SEEDS[1]), str(SAMPLE), "--format", "markdown",
                 env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    md = result.stdout
    assert "| ❌ | `caloppa.do-not-track` | error | 140 |" in md
    assert f"### `policies/sample-compliant.md`: 0 failed, {rule_counts()[1]} passed" in md
    written = summary.read_text("utf-8")
    assert written.startswith("earlier step\n") and md.strip() in written


def test_job_summary_never_passes_one_mebibyte(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_bytes(b"x" * (STEP_SUMMARY_LIMIT - 300) + b"\n")
    append_step_summary(str(summary), "| row |\n" * 1000)
    size = summary.stat().st_size
    assert STEP_SUMMARY_LIMIT - 300 < size <= STEP_SUMMARY_LIMIT
    assert b"1 MiB limit" in summary.read_bytes()


def test_several_outputs_in_one_run(tmp_path: Path) -> None:
    files = {"sarif": tmp_path / "out" / "r.sarif", "junit": tmp_path / "r.xml",
             "markdown": tmp_path / "r.md", "json-file": tmp_path / "r.json"}
    args = [x for k, v in files.items() for x in (f"--{k}", str(v))]
    result = cli("check", str(SEEDS[1]), "--format", "text", *args)
    assert result.exit_code == 1
    assert "caloppa.do-not-track" in result.stdout and not result.stdout.startswith("{")
    assert json.loads(files["sarif"].read_text("utf-8"))["version"] == "2.1.0"
    assert ET.parse(files["junit"]).getroot().tag == "testsuites"
    assert "privcheck" in files["markdown"].read_text("utf-8")
    report = json.loads(files["json-file"].read_text("utf-8"))
    (dnt,) = [f for f in report["policies"][0]["results"] if f["rule"] == "caloppa.do-not-track"]
    assert dnt["location"]["line"] == 140 and len(dnt["fingerprint"]) == 32
    passing = [f for f in report["policies"][0]["results"] if f["status"] == "pass"]
    assert all(f["fingerprint"] is None for f in passing)


def test_unwritable_output_is_one_line_and_exit_2(tmp_path: Path) -> None:
    blocker = write(tmp_path / "file", "x")
    result = cli("check", str(SAMPLE), "--sarif", f"{blocker}/sub/out.sarif")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "cannot write output" in result.stderr


def test_sample_policy_passes_every_rule() -> None:
    result = cli("check", str(SAMPLE), "--format", "json", "--fail-on", "info")
    assert result.exit_code == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["summary"]["pass"] == rule_counts()[1] and report["summary"]["fail"] == 0


def test_drop_paragraph_helper_really_removes_dnt() -> None:
    assert "Do Not Track" not in drop_paragraph(sample_text(), "Do Not Track")
