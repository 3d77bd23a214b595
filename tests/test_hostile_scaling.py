"""Hostile shapes that once took minutes (quadratic regexes) and glob symlink loops that hung.

Each input here is sized so that the old behaviour took far longer than the bound (a 400,000
character run of spaces took about 30 minutes; 300,000 blank lines about 8 minutes) while the
linear code takes well under a second, so the bounds hold on a loaded CI machine too.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checker.paths import expand_paths, iter_policy_paths, safe_glob
from checker.readers import parse_policy, sniff_format
from checker.sentences import split_sentences

BOUND = 5.0  # seconds; the linear code needs ~0.1 s for each case


def timed(fn, *args):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t0


def test_a_long_run_of_spaces_inside_a_sentence_splits_in_linear_time() -> None:
    text = "We collect your email" + " \t" * 200_000 + "address. We sell nothing.\nNo data."
    spans, took = timed(split_sentences, text)
    assert took < BOUND
    assert [text[a:b][:8] for a, b in spans] == ["We colle", "We sell ", "No data."]


def test_a_long_run_of_blank_lines_in_a_text_file_reads_in_linear_time() -> None:
    text = "We collect your email address.\n" + "\n" * 300_000 + "We sell nothing.\n"
    doc, took = timed(parse_policy, "policy.txt", text)
    assert took < BOUND
    assert [s.text for s in doc.sentences] == ["We collect your email address.",
                                                "We sell nothing."]


def test_a_whitespace_only_line_in_a_text_file_reads_in_linear_time() -> None:
    text = "We collect your email address.\n" + " " * 400_000 + "\nWe sell nothing.\n"
    doc, took = timed(parse_policy, "policy.txt", text)
    assert took < BOUND
    assert len(doc.sentences) == 2


@pytest.mark.parametrize("unit", ["[a](b", "[[[[", "\n", " \n"],
                         ids=["links", "open-brackets", "blank-lines", "space-lines"])
def test_markdown_sniffing_is_linear_on_bracket_and_list_runs(unit: str) -> None:
    text = "We collect data " + unit * 100_000
    _, took = timed(sniff_format, "policy.txt", text)
    assert took < BOUND


def test_markdown_sniffing_still_recognises_markdown() -> None:
    assert sniff_format("p.txt", "Intro\n\n  - one item\n  - two items\n") == "markdown"
    assert sniff_format("p.txt", "See [our terms](https://acme.example/terms).") == "markdown"
    assert sniff_format("p.txt", "Intro\n   > quoted\n") == "markdown"
    assert sniff_format("p.txt", "We collect data.\n\n\n\nWe sell none.\n") == "text"


@pytest.fixture
def looped(tmp_path: Path) -> Path:
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "a.txt").write_text("We collect your email address.\n")
    (tmp_path / "b.txt").write_text("We collect your email address.\n")
    os.symlink("..", tmp_path / "sub" / "loop")
    os.symlink("../..", tmp_path / "sub" / "deeper" / "up")
    return tmp_path


def test_glob_with_directory_symlink_loops_ends(looped: Path) -> None:
    code = ("import sys; from checker.paths import iter_policy_paths;"
            "print(sorted(iter_policy_paths([sys.argv[1]])))")
    done = subprocess.run([sys.executable, "-c", code, "./**/*.txt"], cwd=looped,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['./b.txt', './sub/a.txt']"


def test_safe_glob_agrees_with_glob_where_there_is_no_loop(tmp_path: Path) -> None:
    import glob

    for rel in ["a.txt", "x/b.md", "x/y/c.txt", ".hidden/d.txt", "x/.e.txt"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("text")
    os.symlink(tmp_path / "x", tmp_path / "linked")  # a symlinked folder, not a loop
    for pattern in ["**/*.txt", "**", "x/**", "**/y/*", "*/**/*.md", "**/.*"]:
        pat = str(tmp_path / pattern)
        assert sorted(safe_glob(pat)) == sorted(glob.glob(pat, recursive=True)) or (
            {p for p in safe_glob(pat) if os.path.isfile(p)}
            == {p for p in glob.glob(pat, recursive=True) if os.path.isfile(p)}), pattern


def test_a_self_looping_symlink_in_a_folder_is_reported_and_the_run_goes_on(
        looped: Path) -> None:
    os.symlink("self.txt", looped / "self.txt")
    found = list(iter_policy_paths([str(looped)]))
    assert str(looped / "b.txt") in found and str(looped / "self.txt") in found
    files, missing = expand_paths([str(looped)])
    assert str(looped / "self.txt") in files and not missing


def test_deeply_nested_markdown_lists_are_read_completely_or_refused() -> None:
    """markdown-it's default nesting limit dropped the rest of a document after ~9 list levels."""
    from checker.errors import InputFileError
    from checker.readers import parse_policy

    def nested(levels: int) -> str:
        items = "".join("  " * i + f"- Item at level {i} says something.\n" for i in range(levels))
        return items + "\nWe do not respond to Do Not Track signals.\n"

    doc = parse_policy("deep.md", nested(40))
    assert len(doc.sentences) == 41 and doc.sentences[-1].text.startswith("We do not respond")
    with pytest.raises(InputFileError, match="nested more than 100 levels"):
        parse_policy("deeper.md", nested(150))
