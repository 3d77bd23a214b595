"""Lexicon patterns are checked when loaded: an invalid pattern, a construct the engine does not
model, or a nested quantifier that makes Python's `re` backtrack exponentially is one line naming
the lexicon file and line (exit 2), never a hang or an "internal error" blamed on a policy."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from checker.facts.lexicon import check_pattern, load_lexicon, use_lexicon_files
from checker.facts.regex_syntax import backtracking_risk
from tests.conftest import SEEDS
from tests.test_cli import run

LEXICON = """facts:
  acme.retention:
    title: Retention
    looks_for: how long data is kept
    all:
      - any:
          - 'we keep'
          - '{pattern}'
"""

DANGEROUS = [
    r"(a+)+$",
    r"(\w+\s?)*:",
    r"(\s*\w+)*x",
    r"(?:a*)*b",
    r"(\w|\d)+!",
    r"(?:x(?:\w+\s?)*)+y",
]
SAFE = [
    r"(?:[\w-]+\s+){0,3}(?:share|sell)",
    r"(?:,?\s+(?:(?:and|or)\s*)?(?:physical|technical))*\s+safeguards",
    r"(?:a|ab)*c",
    r"\b(?:we|us)\b[^.]{0,60}\bkeep\b",
    r"(?<!not )retain(?!ed\s+by)",
]


@pytest.mark.parametrize("pattern", DANGEROUS)
def test_nested_quantifiers_over_overlapping_text_are_refused(pattern: str) -> None:
    assert backtracking_risk(pattern) is not None
    assert "exponential" in (check_pattern(pattern) or "")


@pytest.mark.parametrize("pattern", SAFE)
def test_ordinary_patterns_are_accepted(pattern: str) -> None:
    assert check_pattern(pattern) is None


def test_the_refused_patterns_really_are_slow_in_re() -> None:
    """The check is about a real hazard: the first pattern takes seconds on 24 characters."""
    start = time.perf_counter()
    re.search(r"(a+)+$", "a" * 22 + "!")
    assert time.perf_counter() - start > 0.05


def test_every_builtin_pattern_passes_the_checks() -> None:
    lexicon = load_lexicon()
    assert lexicon.branches
    assert all(check_pattern(b) is None for b in lexicon.branches)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (r"(a+)+$", "exponential time"),
        (r"(\w+\s?)*:", "exponential time"),
        (r"(?<=a+)b", "look-behind requires fixed-width pattern"),
        (r"(unclosed", "missing ), unterminated subpattern"),
        (r"(we) keep \1", "not supported in lexicon patterns"),
        (r"(?>atomic)", "not supported in lexicon patterns"),
    ],
)
def test_a_bad_user_pattern_is_one_line_naming_file_and_line(
    tmp_path: Path, pattern: str, message: str
) -> None:
    lexicon = tmp_path / "acme.yaml"
    lexicon.write_text(LEXICON.format(pattern=pattern))
    config = tmp_path / "privcheck.yaml"
    config.write_text(f"lexicon_files: [{lexicon.name}]\n")
    try:
        start = time.perf_counter()
        code, out, err = run(["check", str(SEEDS[0]), "--config", str(config)])
        assert time.perf_counter() - start < 30
    finally:
        use_lexicon_files(())
    assert code == 2, (out, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert f"{lexicon}:8: bad pattern" in lines[0] and message in lines[0], lines[0]
    assert "internal error" not in out + err
