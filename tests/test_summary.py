"""`privcheck report`: HTML, Markdown and CSV summaries of one policy and of many."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from policy_samples import SEED_GLOB, SEEDS, corpus, seed_paths

from checker.cli import main
from checker.rules import builtin_rules
from checker.summary.markdown import md


def report(tmp_path: Path, *args: str) -> tuple[int, str]:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["report", *args, "-o", str(out), "--no-progress"],
                                catch_exceptions=False)
    return result.exit_code, out.read_text(encoding="utf-8")


def test_html_many_policies_has_matrix_chart_and_evidence(tmp_path: Path) -> None:
    # The seeds predate the CCPA: its pack is left out, every other rule is charted.
    code, page = report(tmp_path, SEED_GLOB, "--jobs", "2", "--ignore", "ccpa")
    assert code == 0
    assert page.startswith("<!DOCTYPE html>")
    assert page.count('<tr data-path="') == 5
    rules = sum(r.pack != "ccpa" for r in builtin_rules().rules.values())
    assert '<svg class="chart"' in page and page.count('<g class="bar"') == rules
    # every matrix cell links to an evidence article that exists
    targets = set(re.findall(r'<td class="cell[^>]*><a href="#([^"]+)"', page))
    assert len(targets) == 5 * rules
    assert all(f'id="{t}"' in page for t in targets)
    assert "Cal. Bus. &amp; Prof. Code §§ 22575–22579" in page  # the pack's law heading
    assert 'href="https://leginfo.legislature.ca.gov/' in page  # a citation link


def test_html_is_self_contained(tmp_path: Path) -> None:
    _, page = report(tmp_path, str(SEEDS))
    assert "default-src 'none'" in page
    assert not re.search(r'(src|href)="(https?:)?//', page.split("<body>")[0])
    assert not re.search(r'<(script|link|img)[^>]+(src|href)=', page)


def test_html_one_policy_reads_like_a_memo(tmp_path: Path) -> None:
    seed = seed_paths()[0]
    code, page = report(tmp_path, seed, "--ignore", "ccpa")  # the seed predates the CCPA
    assert code == 0
    assert 'id="matrix"' not in page and "<details open>" in page
    assert "Effective date: <strong>2015-03-04</strong>" in page
    assert "11<span class=\"of\"> / 12</span>" in page  # rules passed out of applicable
    assert "What is missing" in page and "Remedy" in page and "Example" in page
    assert re.search(r"Line \d+", page)  # evidence carries its line


def test_html_escapes_hostile_policy_text(tmp_path: Path) -> None:
    folder = corpus(tmp_path, evil=True)
    code, page = report(tmp_path, str(folder))
    assert code == 0
    assert "&lt;script&gt;window.__pwned = 1; alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=" in page
    assert "&lt;b&gt;evil.txt" in page
    assert "<b>evil" not in page and "<img src=x" not in page
    assert page.count("<script") == 1  # only the report's own script


def test_markdown_summary(tmp_path: Path) -> None:
    folder = corpus(tmp_path, evil=True)
    code, text = report(tmp_path, str(folder), "--format", "markdown", "--title", "Brands")
    assert code == 0
    assert text.startswith("## Brands")
    assert "### Pass rate by rule" in text and "### Policies by rule" in text
    assert text.count("<details>") == 6
    assert "<script" not in text and "<img" not in text
    assert "&lt;script&gt;" in text
    assert md("a|b <i>*x*</i>") == r"a\|b &lt;i&gt;\*x\*&lt;/i&gt;"


def test_csv_matrix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = corpus(tmp_path, evil=False)
    (folder / "=cmd.txt").write_text("", encoding="utf-8")  # empty: an input error
    monkeypatch.chdir(folder)
    code, text = report(tmp_path, "=cmd.txt", str(folder), "--format", "csv")
    assert code == 2  # a file could not be read; the report still lists it
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 6
    good = [r for r in rows if not r["error"]]
    assert len(good) == 5 and all(r["core.contact"] in {"pass", "fail"} for r in good)
    assert {r["policy"] for r in good} == {str(p) for p in sorted(folder.glob("c*.txt"))}
    bad = next(r for r in rows if r["error"])
    assert bad["policy"].startswith("'=")  # not a spreadsheet formula
    assert bad["error"] == "empty file"


