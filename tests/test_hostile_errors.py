"""The one-line-error contract under hostile configuration, rule packs and baselines: one line
on stderr naming the file (and the line for YAML), exit code 2, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main
from tests.conftest import ROOT
from tests.test_cli import GOOD


def one_line_error(args: list[str], cwd: Path) -> str:
    result = CliRunner().invoke(main, args)
    assert isinstance(result.exception, SystemExit) or result.exception is None, \
        repr(result.exception)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("privcheck: error: ")
    return result.stderr.strip()


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    p = tmp_path / "p.md"
    p.write_text(GOOD)
    return p


@pytest.mark.parametrize("config,expected", [
    ("null: 1\n", r"c\.yaml: configuration key None is not a name"),
    ("1: true\n", r"c\.yaml: configuration key 1 is not a name"),
    ('rule_files: ["a\\0b.yaml"]\n', r"a\\0b\.yaml: file name contains a NUL character"),
    ("fail_on: error\nwaivers:\n  - rule: caloppa.do-not-track\n    reason: later\n"
     "    expires: 2026-02-30\n", r"c\.yaml:5: invalid YAML: '2026-02-30' is not a valid value"),
    ('fail_on: "a\x07b"\n', r"c\.yaml:1: invalid YAML: control characters are not allowed"),
    ("select: []\nignore: [x\x01]\n", r"c\.yaml:2: invalid YAML: control characters"),
    ("a: " + "[" * 100_000 + "]" * 100_000 + "\n", r"c\.yaml: invalid YAML: nested more"),
    ("select:\n" + "- " * 100_000 + "x\n", r"c\.yaml: invalid YAML: nested more"),
], ids=["null-key", "int-key", "nul-path", "impossible-date", "bell", "control-line-2",
        "deep-flow", "deep-block"])
def test_hostile_configs_are_one_line(tmp_path: Path, policy: Path, config: str,
                                      expected: str) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text(config)
    err = one_line_error(["check", str(policy), "-c", str(cfg)], tmp_path)
    assert re.search(expected, err), err


def test_an_impossible_date_in_a_rule_pack_names_its_line(tmp_path: Path,
                                                         policy: Path) -> None:
    pack = (ROOT / "rules" / "core.yaml").read_text()
    bad = tmp_path / "bad.yaml"
    bad.write_text(pack + "\n# added\nreviewed: 2026-02-30\n")
    err = one_line_error(["rules", "validate", str(bad)], tmp_path)
    line = pack.count("\n") + 3
    assert f"bad.yaml:{line}: invalid YAML: '2026-02-30'" in err


def test_an_ambiguous_section_pattern_is_refused_not_warned(tmp_path: Path) -> None:
    pack = (ROOT / "rules" / "caloppa.yaml").read_text()
    bad = tmp_path / "bad.yaml"
    bad.write_text(pack.replace('section: ["shar"', 'section: ["[[shar]"', 1))
    err = one_line_error(["rules", "validate", str(bad)], tmp_path)
    assert "bad section pattern '[[shar]'" in err and "nested set" in err


@pytest.mark.parametrize("content,expected", [
    (b"\xff\xfe{}", "baseline is not UTF-8 (byte 0xff at offset 0)"),
    (b"[" * 100_000 + b"]" * 100_000,
     "baseline is nested too deeply to be a privcheck baseline"),
], ids=["not-utf8", "deep"])
def test_hostile_baselines_are_one_line(tmp_path: Path, policy: Path, content: bytes,
                                        expected: str) -> None:
    b = tmp_path / "b.json"
    b.write_bytes(content)
    err = one_line_error(["check", str(policy), "--baseline", str(b)], tmp_path)
    assert err == f"privcheck: error: {b}: {expected}"
