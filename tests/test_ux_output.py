"""What a user reads: locations in text output, -q, plurals, wrapping, rule validation, "did you
mean", reproducible reports, format from the output's extension, standard input (issue 13)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tests.gatekit import SAMPLE, cli, drop_paragraph, sample_text, write

LOCATION = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): ")


@pytest.fixture
def failing(tmp_path: Path) -> Path:
    """The compliant sample without its Do Not Track and security paragraphs."""
    text = drop_paragraph(sample_text(), r"Do Not Track")
    text = drop_paragraph(text, r"encrypt|secur")
    path = tmp_path / "policy.md"
    write(path, text)
    return path


def _finding_lines(out: str) -> list[str]:
    return [line for line in out.splitlines()
            if re.search(r": [✗✓~-] (error|warning|info|pass|waived|n/a) ", line)]


def test_every_failure_starts_with_a_clickable_location(failing: Path) -> None:
    result = cli("check", str(failing))
    assert result.exit_code == 1
    lines = _finding_lines(result.stdout)
    assert len(lines) >= 2
    text = failing.read_text().splitlines()
    for line in lines:
        m = LOCATION.match(line)
        assert m, line
        assert m["path"] == str(failing)
        assert 1 <= int(m["line"]) <= len(text)
    assert "caloppa.do-not-track" in result.stdout


def test_passes_carry_their_location_under_verbose() -> None:
    result = cli("check", "-v", str(SAMPLE))
    passes = [line for line in _finding_lines(result.stdout) if " ✓ " in line]
    assert len(passes) >= 10
    assert all(": ✓ pass " in line for line in passes)  # never "✓ error"
    source = SAMPLE.read_text(encoding="utf-8").splitlines()
    for line in passes:
        m = LOCATION.match(line)
        assert m, line
        assert source[int(m["line"]) - 1].strip()  # points at a line with text on it


def test_quiet_is_one_line_per_failure(failing: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.md"
    write(good, sample_text())
    result = cli("check", "-q", str(failing), str(good))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines and all(LOCATION.match(line) for line in lines), result.stdout
    assert len(lines) == len(_finding_lines(cli("check", str(failing)).stdout))
    assert str(good) not in result.stdout


@pytest.mark.parametrize(("args", "singular", "wrong"), [
    (["check"], "1 policy:", "1 policies"),
    (["check"], "(1 error,", "(1 errors"),
])
def test_counts_agree_with_their_noun(tmp_path: Path, args: list[str], singular: str,
                                      wrong: str) -> None:
    path = tmp_path / "one.md"
    write(path, drop_paragraph(sample_text(), r"Do Not Track"))
    out = cli(*args, str(path)).stdout
    assert singular in out and wrong not in out


def test_diff_and_validate_plurals(tmp_path: Path) -> None:
    old = tmp_path / "old.md"
    new = tmp_path / "new.md"
    write(old, sample_text())
    write(new, drop_paragraph(sample_text(), r"Do Not Track"))
    out = cli("diff", str(old), str(new)).stdout
    assert "1 policy compared: 1 regression, 0 fixed" in out
    pack = Path(__file__).resolve().parent.parent / "rules" / "coppa.yaml"
    out = cli("rules", "validate", str(pack)).stdout
    assert "(1 rule)" in out


def test_wrapped_lines_keep_their_indent_on_an_80_column_terminal(
        failing: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from checker.checkfile import check_file
    from checker.commands.common import load_plan
    from checker.records import Report
    from checker.report import total_summary
    from checker.report.text import render_text

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    _, plan = load_plan(None)
    policy = check_file(str(failing), plan)
    report = Report(privcheck="x", policies=[policy], summary=total_summary([policy], 0))
    out = Terminal()
    monkeypatch.setenv("COLUMNS", "80")
    render_text(report, out, color=False)
    lines = re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue()).splitlines()
    assert max(len(line) for line in lines) <= 80
    # The message of a failure is long: its continuation lines are indented, never at column 0.
    start = next(i for i, line in enumerate(lines) if "why it fails:" in line)
    assert lines[start + 1].startswith("        ") and lines[start + 1].strip()
    for line in lines:
        if line and not line.startswith(" "):
            assert LOCATION.match(line) or line.startswith((str(failing), "Checked")), line
    assert not any(line != line.rstrip() for line in lines)


BAD_PACK = """\
pack: demo
title: Demo
rules:
  - id: demo.one
    title: x
    severity: fatal
    citation: Law 1
    why: Because it matters.
    remedy: Say it in the policy.
    example: {pass: a, fail: b}
    require: {fact: dnt.response}
  - id: demo.two
    title: Second rule
    severity: error
    citation: Law 2
    why: Because it matters.
    remedy: Say it in the policy.
    example: {pass: a, fail: b}
    require: {fact: dnt.response}
    colour: red
"""


def test_rules_validate_shows_every_schema_problem_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    write(path, BAD_PACK)
    result = cli("rules", "validate", str(path))
    assert result.exit_code == 2
    problems = [line for line in result.stderr.splitlines() if f"{path}:" in line]
    assert any(f"{path}:5:" in p and "too short" in p for p in problems)
    assert any(f"{path}:6:" in p and "'fatal'" in p for p in problems)
    assert any(f"{path}:20:" in p and "colour" in p for p in problems)  # the key's own line
    assert "more problem" not in result.stderr
    assert "3 problems" in result.stderr


def test_rules_validate_takes_declarations_for_what_they_are(tmp_path: Path) -> None:
    rules = Path(__file__).resolve().parent.parent / "rules"
    result = cli("rules", "validate", *map(str, sorted(rules.glob("*.yaml"))))
    assert result.exit_code == 0, result.stderr
    assert "declarations.yaml: ok" in result.stdout
    bad = tmp_path / "declarations.yaml"
    write(bad, "audience:\n  description: Who it is for.\n  values: [general, kids]\n"
               "  default: adults\n")
    result = cli("rules", "validate", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:4:" in result.stderr and "'adults'" in result.stderr


def test_unknown_fact_and_rule_ids_get_a_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    write(path, BAD_PACK.replace("title: x", "title: First rule").replace("fatal", "error")
          .replace("    colour: red\n", "").replace("fact: dnt.response}\n  - id: demo.two",
                                                      "fact: dnt.responze}\n  - id: demo.two"))
    result = cli("rules", "validate", str(path))
    assert "did you mean 'dnt.response'?" in result.stderr
    result = cli("check", "--select", "caloppa.do-not-trak", str(SAMPLE))
    assert result.exit_code == 2
    assert "did you mean 'caloppa.do-not-track'?" in result.stderr
    result = cli("rules", "show", "caloppa.do-not-trak")
    assert "did you mean 'caloppa.do-not-track'?" in result.stderr
    assert "did you mean" not in cli("check", "--select", "zzz.qqq", str(SAMPLE)).stderr


def test_reports_honour_source_date_epoch(tmp_path: Path) -> None:
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    first = cli("report", str(SAMPLE), env=env).stdout
    second = cli("report", str(SAMPLE), env=env).stdout
    assert "2023-11-14 22:13 UTC" in first
    assert first == second
    md = cli("report", "--format", "markdown", str(SAMPLE), env=env).stdout
    assert "2023-11-14 22:13 UTC" in md
    bad = cli("report", str(SAMPLE), env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert bad.exit_code == 2 and "SOURCE_DATE_EPOCH" in bad.stderr


@pytest.mark.parametrize(("name", "looks_like"), [
    ("r.md", "## "), ("r.csv", "policy,"), ("r.html", "<!doctype html"),
])
def test_report_format_follows_the_output_extension(tmp_path: Path, name: str,
                                                     looks_like: str) -> None:
    out = tmp_path / name
    result = cli("report", str(SAMPLE), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").lower().lstrip().startswith(looks_like.lower())


def test_check_output_extension_picks_a_machine_format(tmp_path: Path) -> None:
    out = tmp_path / "r.sarif"
    cli("check", str(SAMPLE), "-o", str(out))
    assert '"version": "2.1.0"' in out.read_text(encoding="utf-8")


def test_check_reads_standard_input_under_a_given_name() -> None:
    from checker.cli import main
    from tests.gatekit import runner

    text = drop_paragraph(sample_text(), r"Do Not Track")
    result = runner().invoke(main, ["check", "-", "--stdin-filename", "site/privacy.md", "-q"],
                             input=text, env={"NO_COLOR": "1", "GITHUB_ACTIONS": None})
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith("site/privacy.md:")
    assert "caloppa.do-not-track" in result.stdout
    empty = runner().invoke(main, ["check", "-"], input="  \n")
    assert empty.exit_code == 2
