"""benchmarks/label_agreement.py: Cohen's kappa against hand-computed values, and the CLI on two
small labels files written here (no corpus text)."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "label_agreement", Path(__file__).resolve().parents[1] / "benchmarks" / "label_agreement.py")
assert _SPEC and _SPEC.loader
la = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(la)


def test_kappa_matches_a_hand_computed_table() -> None:
    # 10 pairs: 4 pass/pass, 1 pass/fail, 2 fail/pass, 3 fail/fail.
    # observed 0.7; A says pass 5/10, B 6/10: expected 0.5*0.6 + 0.5*0.4 = 0.5; kappa 0.4
    pairs = ([("pass", "pass")] * 4 + [("pass", "fail")] + [("fail", "pass")] * 2
             + [("fail", "fail")] * 3)
    assert la.kappa(pairs) == pytest.approx(0.4)


def test_kappa_is_one_for_full_agreement_and_below_zero_for_systematic_disagreement() -> None:
    assert la.kappa([("pass", "pass"), ("fail", "fail"), ("ambiguous", "ambiguous")]) == 1.0
    assert la.kappa([("pass", "pass")] * 5) == 1.0   # one label only: no chance correction left
    assert la.kappa([("pass", "fail"), ("fail", "pass")]) < 0
    assert math.isnan(la.kappa([]))


def _write(path: Path, labels: dict[str, str]) -> Path:
    lines = ["site.md:"]
    for rule, label in labels.items():
        quote = ", quote: [We share data with our payment processor]" if label == "pass" else ""
        lines.append(f"  {rule}: {{label: {label}{quote}}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cli_prints_per_rule_rows_and_lists_disagreements(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture) -> None:
    a = _write(tmp_path / "a.yaml", {"core.contact": "pass", "core.opt-out": "fail"})
    b = _write(tmp_path / "b.yaml", {"core.contact": "pass", "core.opt-out": "ambiguous"})
    assert la.main([str(a), str(b), "--list"]) == 0
    out = capsys.readouterr().out
    assert "2 pairs labelled in both" in out
    assert "core.opt-out" in out and "fail -> ambiguous" in out
    assert "passes in both: 1; with a fragment in common: 1" in out


def test_cli_refuses_files_with_nothing_in_common(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.yaml", {"core.contact": "pass"})
    b = _write(tmp_path / "b.yaml", {"core.security": "fail"})
    assert la.main([str(a), str(b)]) == 2
