"""`privcheck diff`: two files, and a policy at a git ref against the working tree."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from gatekit import SEEDS, cli, drop_paragraph, sample_text, write

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def dnt_lines(text: str) -> list[int]:
    return [i for i, line in enumerate(text.splitlines(), 1) if "Do Not Track" in line
            and not line.startswith("#")]


def test_git_ref_diff_names_the_dropped_dnt_paragraph(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    original = sample_text()
    write(repo / "policy.md", original)
    git(repo, "init", "-q")
    git(repo, "add", "policy.md")
    git(repo, "commit", "-q", "-m", "compliant policy")
    monkeypatch.chdir(repo)

    write(repo / "policy.md", drop_paragraph(original, r"Do Not Track"))
    result = cli("diff", "--git-ref", "HEAD", "policy.md")
    assert result.exit_code == 1, result.output
    assert "newly fails" in result.stdout and "caloppa.do-not-track" in result.stdout
    first, *_ = dnt_lines(original)
    assert f"removed, old lines {first}-{first + 1}: \"Our site does not currently respond to Do " \
        "Not Track signals" in result.stdout

    data = json.loads(cli("diff", "--git-ref", "HEAD", "policy.md", "--format", "json").stdout)
    (change,) = data["policies"][0]["regressions"]
    assert change["rule"] == "caloppa.do-not-track" and change["old"] == "pass"
    assert {e["line"] for e in change["removed"]} <= set(dnt_lines(original))
    assert change["removed"]

    write(repo / "policy.md", original)
    restored = cli("diff", "--git-ref", "HEAD", "policy.md")
    assert restored.exit_code == 0, restored.output
    assert "0 regressions" in restored.stdout


def test_git_ref_diff_from_elsewhere_and_a_new_file(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    write(repo / "docs" / "privacy.md", sample_text())
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "one")
    write(repo / "docs" / "new.md", drop_paragraph(sample_text(), r"Do Not Track"))
    monkeypatch.chdir(tmp_path)
    result = cli("diff", "--git-ref", "HEAD", "repo/docs/")
    assert result.exit_code == 1  # the new policy fails DNT: a regression against nothing
    assert "repo/docs/new.md ((new file) -> working tree)" in result.stdout
    assert "repo/docs/privacy.md (HEAD -> working tree)" in result.stdout


def test_git_ref_errors_are_one_line_exit_2(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    write(repo / "policy.md", sample_text())
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "one")
    monkeypatch.chdir(repo)
    result = cli("diff", "--git-ref", "no-such-ref", "policy.md")
    assert result.exit_code == 2
    assert result.stderr == "privcheck: error: policy.md: unknown git ref 'no-such-ref'\n"
    outside = write(tmp_path / "outside" / "p.md", sample_text())
    result = cli("diff", "--git-ref", "HEAD", outside)
    assert result.exit_code == 2 and "not inside a git repository" in result.stderr


def test_two_files_fixed_and_regressed(tmp_path: Path) -> None:
    seed = next(s for s in SEEDS if s.name.startswith("001"))  # fails only DNT
    fixed = write(tmp_path / "fixed.txt", seed.read_text("utf-8") + "\n\nDo Not Track\n\nOur "
                  "site does not respond to Do Not Track signals.\n")
    result = cli("diff", str(seed), fixed)
    assert result.exit_code == 0
    assert "newly passes" in result.stdout and "caloppa.do-not-track" in result.stdout
    result = cli("diff", fixed, str(seed))
    assert result.exit_code == 1
    assert "removed, old line" in result.stdout and "Do Not Track signals" in result.stdout
    assert cli("diff", fixed, str(seed), "--fail-on", "never").exit_code == 0


def test_diff_needs_two_files_without_git_ref() -> None:
    result = cli("diff", str(SEEDS[0]))
    assert result.exit_code == 2 and "OLD and NEW" in result.stderr


def test_markdown_diff_is_a_pull_request_comment(tmp_path: Path) -> None:
    original = sample_text()
    old = write(tmp_path / "old.md", original)
    new = write(tmp_path / "new.md", drop_paragraph(original, r"Do Not Track"))
    result = cli("diff", old, new, "--format", "markdown")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    header = lines.index("| | rule | severity | before → after | what changed |")
    row = lines[header + 2]
    assert row.startswith("| ✗ | `caloppa.do-not-track`") and "| pass → fail |" in row
    assert "removed (old lines" in row and "respond to Do Not Track" in row
    assert lines[-1] == "1 policy compared: 1 regression, 0 fixed."
    unchanged = cli("diff", old, old, "--format", "markdown")
    assert unchanged.exit_code == 0 and "No rule changed its verdict." in unchanged.stdout


def test_diff_shows_hostile_names_and_quotes_without_obeying_them(tmp_path: Path) -> None:
    """File names and removed quotes are policy text: the terminal listing shows bidi overrides
    and control characters escaped, the pull-request table keeps them inert (no link, image or
    broken cell)."""
    original = sample_text()
    sentence = "Our site does not currently respond to Do Not Track"
    assert sentence in original
    hostile = original.replace(sentence, "Our site \u202edoes not\u202c currently respond | "
                               "![x](https://e.x/p.png) to Do Not Track")
    old = write(tmp_path / "old\u202egpj.md", hostile)
    new = write(tmp_path / "new.md", drop_paragraph(original, r"Do Not Track"))
    text = cli("diff", old, new)
    assert text.exit_code == 1 and "\u202e" not in text.stdout and "\u202c" not in text.stdout
    table = cli("diff", old, new, "--format", "markdown").stdout
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(table)
    assert "<img" not in html and "\u202e" not in table
    rows = [line for line in table.splitlines() if line.startswith("| ✗")]
    assert rows and all(line.count(" | ") == 4 for line in rows)  # five cells, none broken
