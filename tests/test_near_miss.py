"""A failure points at its near miss (issue 8): the sentence that said something, not enough.

"opt-out mentioned at line 5 with no method", "placeholder [DATE] at line 3", "Do Not Track
mentioned at line 7 without a response", "security claimed at line 9 without a measure": the line
is in the message of every format, and the location (JSON, SARIF, GitHub, text) is that sentence.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gatekit import cli, write

POLICY = """# Privacy Policy

Last updated: [DATE]

You may opt out of our newsletter at any time.

Some browsers send Do Not Track signals to the sites you visit.

We use commercially acceptable means to protect your personal information.

We may change this privacy policy from time to time.
"""

# rule -> (line of the near miss, words of the message)
NEAR = {
    "caloppa.effective-date": (3, "placeholder"),
    "core.opt-out": (5, "no method"),
    "caloppa.do-not-track": (7, "without the site's response"),
    "core.security": (9, "without naming any measure"),
    "caloppa.change-notification": (11, "not how users are told"),
}
SELECT = ",".join(NEAR)


@pytest.fixture
def policy(tmp_path: Path) -> str:
    return write(tmp_path / "policy.md", POLICY)


def test_json_carries_the_near_miss_and_points_at_it(policy: str) -> None:
    result = cli("check", policy, "--select", SELECT, "--format", "json")
    results = {r["rule"]: r for r in json.loads(result.stdout)["policies"][0]["results"]}
    for rule, (line, words) in NEAR.items():
        r = results[rule]
        assert r["status"] == "fail"
        assert r["near_miss"]["line"] == line, rule
        assert r["location"]["line"] == line, rule
        assert f"line {line}" in r["message"] and words in r["message"], r["message"]


def test_no_near_miss_when_nothing_came_close(tmp_path: Path) -> None:
    bare = write(tmp_path / "bare.md", "# Notice\n\nWe sell handmade soap at the market.\n")
    result = cli("check", bare, "--select", SELECT, "--format", "json")
    for r in json.loads(result.stdout)["policies"][0]["results"]:
        assert r["status"] == "fail" and r["near_miss"] is None, r
        assert "at line" not in r["message"]


def test_sarif_region_is_the_near_miss(policy: str) -> None:
    result = cli("check", policy, "--select", SELECT, "--format", "sarif")
    runs = json.loads(result.stdout)["runs"][0]["results"]
    lines = {r["ruleId"]: r["locations"][0]["physicalLocation"]["region"]["startLine"]
             for r in runs}
    assert lines == {rule: line for rule, (line, _) in NEAR.items()}
    opt_out = next(r for r in runs if r["ruleId"] == "core.opt-out")
    assert "line 5" in opt_out["message"]["text"]


def test_github_annotation_is_on_the_near_miss_line(policy: str) -> None:
    result = cli("check", policy, "--select", "core.opt-out", "--format", "github")
    (line,) = [ln for ln in result.stdout.splitlines() if ln.startswith("::error")]
    assert "line=5," in line and "mentioned at line 5 with no method" in line


def test_text_names_the_line(policy: str) -> None:
    result = cli("check", policy, "--select", "caloppa.do-not-track", "--no-color")
    assert "Do Not Track is mentioned at line 7" in " ".join(result.stdout.split())
