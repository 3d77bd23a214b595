"""Suppressions come only from real comments of the parsed document, and unused ones are reported
(issue 13)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from checker.suppressions import find_suppressions
from tests.gatekit import ROOT, cli, drop_paragraph, sample_text, write

KNOWN = {"caloppa.do-not-track", "core.security"}
IGNORE = "<!-- privcheck-ignore core.security: documented elsewhere -->"


@pytest.mark.parametrize("source", [
    f"# Docs\n\nWrite `{IGNORE}` to waive a rule.\n",  # a code span
    f"# Docs\n\n```html\n{IGNORE}\n```\n",  # a fenced block
    f"# Docs\n\nExample:\n\n    {IGNORE}\n",  # an indented code block
    "# Docs\n\nWrite `<!-- privcheck-ignore RULE: reason -->` to waive RULE.\n",  # bad id, in code
])
def test_markdown_code_is_not_a_suppression(source: str) -> None:
    assert find_suppressions("doc.md", source, KNOWN) == []


def test_html_text_that_shows_the_syntax_is_not_a_suppression() -> None:
    source = ("<html><body><p>Write <code>&lt;!-- privcheck-ignore core.security: x --&gt;"
              "</code></p><script>var s = '<!-- privcheck-ignore core.security: y -->';</script>"
              "</body></html>")
    assert find_suppressions("doc.html", source, KNOWN) == []


def test_plain_text_has_no_suppressions() -> None:
    source = f"Our policy.\n\n{IGNORE}\n\nMore prose.\n"
    assert find_suppressions("policy.txt", source, KNOWN) == []


@pytest.mark.parametrize(("source", "fmt", "line"), [
    (f"# P\n\nSome text.\n\n{IGNORE}\n", "markdown", 5),
    (f"# P\n\nSome text\nand more {IGNORE} here.\n", "markdown", 4),
    (f"<html><body>\n<p>text</p>\n{IGNORE}\n</body></html>", "html", 3),
    (f"{IGNORE}\n<!doctype html><html><body><p>t</p></body></html>", "html", 1),
])
def test_real_comments_are_suppressions(source: str, fmt: str, line: int) -> None:
    (s,) = find_suppressions(f"p.{'md' if fmt == 'markdown' else fmt}", source, KNOWN)
    assert (s.rule, s.reason, s.line) == ("core.security", "documented elsewhere", line)
    assert source.splitlines()[line - 1][s.column - 1:].startswith("<!--")


def test_a_fenced_example_no_longer_waives_a_failure(tmp_path: Path) -> None:
    text = drop_paragraph(sample_text(), r"encrypt|secur")
    text += f"\n\n## How to waive a rule\n\n```\n{IGNORE}\n```\n"
    result = cli("check", write(tmp_path / "policy.md", text), "--format", "json")
    (security,) = [f for f in json.loads(result.stdout)["policies"][0]["results"]
                   if f["rule"] == "core.security"]
    assert security["status"] == "fail"
    assert result.exit_code == 1


def test_documenting_the_syntax_is_not_an_error(tmp_path: Path) -> None:
    doc = ("# Contributing\n\nWaive a rule with `<!-- privcheck-ignore RULE: reason -->`.\n\n"
           "```\n<!-- privcheck-ignore caloppa.dnt -->\n```\n")
    result = cli("check", write(tmp_path / "CONTRIBUTING.md", doc))
    assert result.exit_code != 2, result.stderr
    assert "privcheck-ignore" not in result.stderr


def test_unused_suppression_is_reported_with_its_location(tmp_path: Path) -> None:
    text = sample_text().replace("## ", f"{IGNORE}\n\n## ", 1)  # security passes in the sample
    path = write(tmp_path / "policy.md", text)
    line = text.splitlines().index(IGNORE) + 1
    result = cli("check", path)
    assert result.exit_code == 0  # a notice never fails the gate
    expected = f"{path}:{line}:1: ! warning unused-suppression"
    assert any(out.startswith(expected) for out in result.stdout.splitlines()), result.stdout
    assert "core.security: the rule passes" in result.stdout
    data = json.loads(cli("check", path, "--format", "json").stdout)
    (notice,) = data["policies"][0]["notices"]
    assert notice == {"kind": "unused-suppression", "rule": "core.security", "line": line,
                      "column": 1, "message": notice["message"]}
    quiet = cli("check", "-q", path).stdout.splitlines()
    assert len(quiet) == 1 and quiet[0].startswith(expected)
    sarif = json.loads(cli("check", path, "--format", "sarif").stdout)
    schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
    jsonschema.Draft4Validator(schema).validate(sarif)
    (note,) = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "warning"
    assert note["locations"][0]["physicalLocation"]["region"] == {"startLine": line,
                                                                  "startColumn": 1}
    github = cli("check", path, "--format", "github").stdout
    assert f"::warning file={path},line={line},col=1,title=privcheck: unused-suppression::" \
        in github.replace("%3A", ":")
    junit = ET.fromstring(cli("check", path, "--format", "junit").stdout)
    (suite,) = junit.iter("testsuite")
    assert int(suite.get("failures", "")) == data["policies"][0]["summary"]["fail"]  # not one
    assert suite.findtext("system-out", "").startswith(f"{path}:{line}:1: warning "
                                                       "unused-suppression: ")
    markdown = cli("check", path, "--format", "markdown").stdout
    assert f"- ⚠️ line {line}: `unused-suppression` " in markdown


def test_a_used_suppression_is_not_reported(tmp_path: Path) -> None:
    text = drop_paragraph(sample_text(), r"encrypt|secur").replace("## ", f"{IGNORE}\n\n## ", 1)
    data = json.loads(cli("check", write(tmp_path / "p.md", text), "--format", "json").stdout)
    assert data["policies"][0]["notices"] == []
    assert data["summary"]["waived"] == 1
