"""The command line: exit codes, formats, the JSON contract, config, waivers and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from checker import __version__
from checker.cli import main
from checker.models import Report
from tests.conftest import ROOT, SEEDS

GOOD = (
    "# Privacy Policy\n\nLast updated: March 4, 2025\n\n"
    "We collect your name, email address and postal address when you register.\n\n"
    "We share your information with service providers who host our site.\n\n"
    "Third-party advertising networks may collect information about your online activities "
    "over time and across different websites when you use our site.\n\n"
    "You can review and update your information by logging in to your account.\n\n"
    "You can opt out of marketing emails by clicking the unsubscribe link in any email.\n\n"
    "We protect your information with TLS encryption and restrict access to staff who need it.\n\n"
    "Our site is not directed to children under 13, and we do not knowingly collect their data.\n\n"
    "Our site does not respond to Do Not Track signals.\n\n"
    "If we make material changes, we will post the new policy here and notify you by email.\n\n"
    "We do not share personal information with third parties for their direct marketing "
    "purposes.\n\n"
    "Contact: privacy@acme-widgets.com\n"
)


def run(args: list[str], cwd: Path | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    if cwd is None:
        result = runner.invoke(main, args)
    else:
        with runner.isolated_filesystem(temp_dir=cwd):
            result = runner.invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.md"
    path.write_text(GOOD)
    return path


def test_seeds_fail_the_gate_with_a_readable_report() -> None:
    code, out, err = run(["check", str(ROOT / "policies")])
    assert code == 1, err
    for seed in SEEDS:
        assert seed.name in out
    assert "caloppa.do-not-track" in out and "fix:" in out and "Checked" in out


def test_compliant_policy_passes(good: Path) -> None:
    code, out, _ = run(["check", str(good), "-v", "--ignore", "ccpa"])  # GOOD predates CCPA
    assert code == 0, out
    assert "good.md:" in out  # -v shows where each pass's evidence is


def test_json_output_matches_the_published_schema() -> None:
    code, out, _ = run(["check", "--format", "json", *map(str, SEEDS)])
    assert code == 1
    data = json.loads(out)
    schema = json.loads((ROOT / "docs" / "report.schema.json").read_text())
    jsonschema.validate(data, schema)
    assert data["privcheck"] == __version__
    result = data["policies"][0]["results"][0]
    assert set(result) >= {"rule", "status", "severity", "title", "citation", "message",
                           "remedy", "evidence"}
    assert data["summary"]["policies"] == 5


def test_published_schema_is_in_sync_with_the_models() -> None:
    published = json.loads((ROOT / "docs" / "report.schema.json").read_text())
    assert published["$defs"] == Report.model_json_schema()["$defs"]


@pytest.mark.parametrize(
    ("flags", "code"),
    [([], 1), (["--exit-zero"], 0), (["--fail-on", "never"], 0), (["--fail-on", "warning"], 1),
     (["--select", "core.contact"], 0), (["--ignore", "caloppa,coppa,core.opt-out,ccpa"], 0)],
)
def test_exit_codes(flags: list[str], code: int) -> None:
    seed = str(SEEDS[0])  # flavorus: only caloppa.do-not-track fails
    assert run(["check", seed, *flags])[0] == code


def test_unknown_rule_in_select_is_a_usage_error() -> None:
    code, out, err = run(["check", str(SEEDS[0]), "--select", "caloppa.dnt"])
    assert code == 2 and out == ""
    assert err.strip() == ("privcheck: error: unknown rule or pack 'caloppa.dnt' in --select "
                           "(did you mean 'caloppa'?) (see `privcheck rules list`)")


def test_output_file_and_quiet(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out, _ = run(["check", str(SEEDS[2]), "--format", "json", "-o", str(target)])
    assert code == 1 and out == ""
    assert json.loads(target.read_text())["policies"][0]["summary"]["fail"] >= 5
    code, out, _ = run(["check", str(SEEDS[0]), "-q"])
    assert "caloppa.do-not-track" in out and "core.contact" not in out


BAD_INPUTS = {
    "empty.md": b"",
    "blank.md": b"\n \n\t\n",
    "binary.html": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "latin1.txt": "Politique de confidentialité: nous protégeons vos données.".encode("latin-1"),
    # A UTF-16 byte-order mark over an odd number of bytes: the mark is certain, the text broken.
    "utf16.txt": "We do not respond to Do Not Track signals.".encode("utf-16") + b"!",
}
EXPECTED = {
    "empty.md": "empty file",
    "blank.md": "empty file",
    "binary.html": "binary file",
    "latin1.txt": "not valid UTF-8",
    "utf16.txt": "UTF-16",
}


def test_bad_inputs_each_get_one_line_and_the_rest_is_checked(tmp_path: Path) -> None:
    for name, data in BAD_INPUTS.items():
        (tmp_path / name).write_bytes(data)
    good = tmp_path / "good.md"
    good.write_text(GOOD)
    paths = [str(tmp_path / n) for n in BAD_INPUTS] + [str(tmp_path / "missing.md"), str(good)]
    code, out, err = run(["check", "--format", "json", *paths])
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == len(BAD_INPUTS) + 1  # one line per bad file, no traceback
    for name, expected in EXPECTED.items():
        line = next(x for x in lines if name in x)
        assert line.startswith(f"privcheck: error: {tmp_path / name}: ") and expected in line
    assert any("missing.md: no such file" in x for x in lines)
    data = json.loads(out)
    assert [p["path"] for p in data["policies"]] == [str(good)]
    assert len(data["errors"]) == len(BAD_INPUTS) + 1


def test_other_encodings_on_request(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("We do not respond to Do Not Track signals from browsers.".encode("utf-16"))
    code, out, _ = run(["check", str(path), "--encoding", "utf-16", "--select",
                        "caloppa.do-not-track", "--format", "json"])
    assert code == 0, out


def test_huge_file_is_refused_quickly_with_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    with path.open("wb") as f:
        f.write(b"<p>" + b"We collect data. " * (50 * 1024 * 1024 // 17) + b"</p>")
    code, _, err = run(["check", str(path)])
    assert code == 2
    assert "over the 5.0 MB limit" in err and "--max-size" in err


def test_config_file_waivers_severity_and_declarations(tmp_path: Path) -> None:
    (tmp_path / "privcheck.yaml").write_text(
        "severity:\n  caloppa.do-not-track: warning\n"
        "declare:\n  jurisdictions: [us, california]\n"
        "waivers:\n"
        "  - rule: core.opt-out\n    paths: '*.txt'\n    reason: Legal approved the old text.\n"
        "  - rule: core.contact\n    paths: '*'\n    reason: Expired.\n    expires: 2020-01-01\n"
    )
    seed = tmp_path / "seed.txt"
    seed.write_text(SEEDS[2].read_text())
    runner = CliRunner()
    import os

    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = runner.invoke(main, ["check", "seed.txt", "--format", "json"])
    finally:
        os.chdir(old)
    data = json.loads(result.stdout)
    status = {r["rule"]: r for r in data["policies"][0]["results"]}
    assert status["core.opt-out"]["status"] == "waived"
    assert status["core.opt-out"]["waiver"] == "Legal approved the old text."
    assert status["core.contact"]["status"] == "fail"
    assert "expired on 2020-01-01" in status["core.contact"]["message"]
    assert status["caloppa.do-not-track"]["severity"] == "warning"
    assert data["summary"]["waived"] == 1


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("severity: [oops\n", "invalid YAML"),
        ("waivers:\n  - rule: core.nope\n    reason: because\n", "unknown rule 'core.nope'"),
        ("declare:\n  audience: aliens\n", "declare.audience"),
        ("selct: [core]\n", "selct"),
    ],
)
def test_config_errors(tmp_path: Path, config: str, message: str) -> None:
    path = tmp_path / "privcheck.yaml"
    path.write_text(config)
    code, _, err = run(["check", str(SEEDS[0]), "--config", str(path)])
    assert code == 2 and message in err and str(path) in err
    assert "Traceback" not in err


def test_pyproject_config_is_found_walking_up(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.privcheck]\nselect = ['core.contact']\n")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    import os

    old = os.getcwd()
    os.chdir(sub)
    try:
        result = CliRunner().invoke(main, ["check", str(SEEDS[2]), "--format", "json"])
    finally:
        os.chdir(old)
    rules = [r["rule"] for r in json.loads(result.stdout)["policies"][0]["results"]]
    assert rules == ["core.contact"]


def test_rules_list_show_validate(tmp_path: Path) -> None:
    code, out, _ = run(["rules", "list"])
    assert code == 0 and "caloppa.do-not-track" in out and "22575" in out
    code, out, _ = run(["rules", "show", "caloppa.do-not-track"])
    assert code == 0
    for part in ("Why it matters", "Passes:", "Fails:", "§ 22575(b)(5)", "dnt.response"):
        assert part in out
    assert run(["rules", "show", "nope.rule"])[0] == 2
    code, out, _ = run(["rules", "validate", str(ROOT / "rules" / "core.yaml")])
    assert code == 0 and "ok (3 rules)" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("pack: bad\ntitle: Bad\nrules: []\n")
    code, _, err = run(["rules", "validate", str(bad)])
    assert code == 2 and f"{bad}:3:" in err


def test_facts_command_prints_evidence() -> None:
    _, out, _ = run(["facts", str(SEEDS[0]), "--format", "json"])
    data = json.loads(out)
    date = data["facts"]["policy.effective_date"]
    assert date["value"] == "2015-03-04" and date["evidence"][0]["line"] == 7
    code, out, _ = run(["facts", "--list"])
    assert code == 0
    assert "dnt.response" in out and "looks_for" in out


def test_no_color_and_plain_output_when_piped() -> None:
    _, out, _ = run(["check", str(SEEDS[0])])
    assert "\x1b[" not in out
