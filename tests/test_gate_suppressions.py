"""Inline `<!-- privcheck-ignore RULE: reason -->` suppressions in Markdown and HTML policies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gatekit import cli, drop_paragraph, rule_counts, sample_text, write

from checker.errors import InputFileError
from checker.suppressions import find_suppressions

KNOWN = {"caloppa.do-not-track", "core.contact"}


def no_dnt() -> str:
    return drop_paragraph(sample_text(), r"Do Not Track")


def test_parses_rules_reasons_and_lines() -> None:
    source = ("# P\n\n<!-- privcheck-ignore caloppa.do-not-track, core.contact: legal "
              "approved\n on 2025-01-02 -->\n")
    found = find_suppressions("p.md", source, KNOWN)
    assert [(s.rule, s.reason, s.line) for s in found] == [
        ("caloppa.do-not-track", "legal approved on 2025-01-02", 3),
        ("core.contact", "legal approved on 2025-01-02", 3),
    ]


@pytest.mark.parametrize(("comment", "problem"), [
    ("<!-- privcheck-ignore caloppa.do-not-track -->", "has no reason"),
    ("<!-- privcheck-ignore caloppa.do-not-track:   -->", "has no reason"),
    ("<!-- privcheck-ignore : because -->", "names no rule"),
    ("<!-- privcheck-ignore caloppa.dnt: because -->", "unknown rule 'caloppa.dnt'"),
])
def test_bad_suppressions_are_errors_with_their_line(comment: str, problem: str) -> None:
    with pytest.raises(InputFileError) as info:
        find_suppressions("p.md", f"# P\n\ntext\n{comment}\n", KNOWN)
    assert problem in info.value.message
    assert str(info.value).startswith("p.md:4: ")


def test_markdown_suppression_waives_with_its_reason(tmp_path: Path) -> None:
    text = no_dnt().replace("## Security\n", "## Security\n\n<!-- privcheck-ignore "
                            "caloppa.do-not-track: answered on our /cookies page -->\n")
    path = write(tmp_path / "policy.md", text)
    assert cli("check", write(tmp_path / "plain.md", no_dnt())).exit_code == 1
    result = cli("check", path)
    assert result.exit_code == 0, result.stdout
    assert "waived" in result.stdout and "answered on our /cookies page" in result.stdout
    report = json.loads(cli("check", path, "--format", "json").stdout)
    (dnt,) = [f for f in report["policies"][0]["results"] if f["rule"] == "caloppa.do-not-track"]
    line = text.splitlines().index("<!-- privcheck-ignore caloppa.do-not-track: answered on "
                                   "our /cookies page -->") + 1
    assert dnt["status"] == "waived" and dnt["waiver_kind"] == "inline"
    assert dnt["waiver"] == f"answered on our /cookies page (inline, line {line})"
    assert report["summary"]["waived"] == 1 and report["summary"]["fail"] == 0


def test_html_suppression(tmp_path: Path) -> None:
    body = "".join(f"<p>{p.strip()}</p>\n" for p in no_dnt().split("\n\n") if p.strip())
    html = ("<!doctype html>\n<html><body>\n<!-- privcheck-ignore caloppa.do-not-track: DNT is "
            f"on the cookie page -->\n{body}</body></html>\n")
    path = write(tmp_path / "policy.html", html)
    result = cli("check", path, "--format", "json")
    assert result.exit_code == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["summary"]["waived"] == 1


def test_suppression_without_reason_exits_2_with_file_and_line(tmp_path: Path) -> None:
    text = "<!-- privcheck-ignore caloppa.do-not-track -->\n" + no_dnt()
    path = write(tmp_path / "policy.md", text)
    result = cli("check", path)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"privcheck: error: {path}:1: privcheck-ignore caloppa.do-not-track has no reason "
        "(write `<!-- privcheck-ignore caloppa.do-not-track: why it is acceptable -->`)"]
    assert "Traceback" not in result.output


def test_suppression_of_an_unknown_rule_exits_2(tmp_path: Path) -> None:
    path = write(tmp_path / "policy.md", "<!-- privcheck-ignore nope.rule: x -->\n" + no_dnt())
    result = cli("check", path)
    assert result.exit_code == 2 and "unknown rule 'nope.rule'" in result.stderr


def test_suppressing_a_passing_rule_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path / "policy.md",
                 "<!-- privcheck-ignore core.contact: not needed -->\n" + sample_text())
    report = json.loads(cli("check", path, "--format", "json").stdout)
    assert report["summary"]["pass"] == rule_counts()[1] and report["summary"]["waived"] == 0
