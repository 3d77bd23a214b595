"""Outputs under faults: atomic files, one rule for parents, own reports never read back,
unreadable folders, full disks, signals and the --jobs workers."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main
from tests.test_cli import GOOD


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "policies"
    d.mkdir()
    (d / "good.md").write_text(GOOD)
    # GOOD answers the 12 rules the CCPA predates; this business is below the CCPA's thresholds.
    (d / "privcheck.yaml").write_text("declare:\n  ccpa_business: false\n")
    return d


def test_every_output_creates_its_missing_parent_folders(folder: Path) -> None:
    out = folder.parent / "missing" / "dir" / "x.json"
    sarif = folder.parent / "other" / "deep" / "x.sarif"
    code, _, err = run(["check", str(folder), "--format", "json", "-o", str(out),
                        "--sarif", str(sarif)])
    assert code == 0, err
    assert json.loads(out.read_text())["summary"]["policies"] == 1
    assert json.loads(sarif.read_text())["version"] == "2.1.0"


def test_an_interrupted_run_leaves_the_previous_output_intact(folder: Path,
                                                              monkeypatch) -> None:
    out = folder.parent / "report.json"
    out.write_text('{"previous": true}')

    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr("checker.outputs.render_report", interrupted)
    code, _, err = run(["check", str(folder), "--format", "sarif", "-o", str(out)])
    assert code == 130
    assert err.count("\n") == 1 and "interrupted" in err
    assert out.read_text() == '{"previous": true}'
    assert sorted(os.listdir(folder.parent)) == ["policies", "report.json"]  # no temp file


def test_an_interrupted_jsonl_stream_ends_with_an_interrupted_line(folder: Path,
                                                                   monkeypatch) -> None:
    shutil.copy(folder / "good.md", folder / "second.md")
    from checker.commands.common import RunOptions

    real = RunOptions.results

    def stops_after_one(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        for i, result in enumerate(real(self, *args, **kwargs)):
            if i == 1:
                raise KeyboardInterrupt
            yield result

    monkeypatch.setattr(RunOptions, "results", stops_after_one)
    out = folder.parent / "out.jsonl"
    code, _, _ = run(["check", str(folder), "--format", "jsonl", "-o", str(out)])
    assert code == 130
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(lines) == 2 and "path" in lines[0]
    assert lines[-1] == {"interrupted": "SIGINT", "policies": 1, "errors": 0}


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_is_one_error_line(folder: Path) -> None:
    for args in (["-o", "/dev/full"], ["--sarif", "/dev/full"]):
        code, _, err = run(["check", str(folder), "--format", "json", *args])
        assert code == 2
        assert err == "privcheck: error: /dev/full: cannot write output: " \
                      "No space left on device\n"


def test_a_nul_in_an_output_path_is_one_error_line(folder: Path) -> None:
    code, _, err = run(["check", str(folder), "-o", "x\x00y.json"])
    assert code == 2 and err.count("\n") == 1 and "NUL" in err


def test_special_files_are_written_in_place(folder: Path) -> None:
    code, _, err = run(["check", str(folder), "--format", "sarif", "-o", os.devnull])
    assert code == 0, err
    assert os.path.exists(os.devnull) and not Path(os.devnull).is_file()


def test_a_report_written_into_the_checked_folder_is_never_read_back(folder: Path) -> None:
    report = folder / "r.html"
    for _ in range(2):  # the second run finds the first run's report in the folder
        code, _, err = run(["report", str(folder), "-o", str(report)])
        assert code == 0, err
    assert "<html" in report.read_text()
    shutil.copy(report, folder / "old-report.html")  # a leftover under another name
    run(["check", str(folder), "--format", "markdown", "-o", str(folder / "summary.md")])
    code, out, err = run(["check", str(folder), "--format", "json"])
    assert code == 0, err
    assert [p["path"] for p in json.loads(out)["policies"]] == [str(folder / "good.md")]
    assert f"skipped {folder / 'old-report.html'}: a report written by privcheck" in err
    assert f"skipped {folder / 'summary.md'}: a report written by privcheck" in err


@pytest.mark.parametrize("flags", [[], ["-q"], ["-v"]], ids=["text", "quiet", "verbose"])
def test_a_text_report_left_in_the_folder_is_not_read_as_a_policy(folder: Path,
                                                                   flags: list[str]) -> None:
    bad = folder / "bad.md"
    bad.write_text("# Privacy\n\nWe collect your name.\n")
    run(["check", str(folder), *flags, "-o", str(folder / "out.txt")])
    assert "✗" in (folder / "out.txt").read_text()  # the report has findings to look like one
    _, out, err = run(["check", str(folder), "--format", "json"])
    assert [p["path"] for p in json.loads(out)["policies"]] == [str(bad), str(folder / "good.md")]
    assert f"skipped {folder / 'out.txt'}: a report written by privcheck" in err


def test_a_policy_that_quotes_times_and_counts_is_still_a_policy(folder: Path) -> None:
    (folder / "times.txt").write_text(
        "Our support desk answers at 09:30:15: pass the word. We collected 3 passed, 2 failed, "
        "1 waived requests last year.\nContact privacy@example.com.\n")
    _, out, err = run(["check", str(folder), "--format", "json"])
    assert "skipped" not in err
    assert str(folder / "times.txt") in [p["path"] for p in json.loads(out)["policies"]]


def test_an_unreadable_folder_is_an_error_not_an_empty_pass(folder: Path,
                                                           monkeypatch) -> None:
    sub = folder / "locked"
    sub.mkdir()
    real = os.scandir

    def scandir(path="."):  # type: ignore[no-untyped-def]
        if os.fspath(path) == str(sub):
            raise PermissionError(13, "Permission denied", str(sub))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    for args in ([str(sub)], [str(folder)]):
        code, out, _ = run(["check", *args, "--format", "json"])
        assert code == 2, args
        errors = json.loads(out)["errors"]
        assert errors == [{"path": str(sub), "message":
                           "cannot read this folder: Permission denied", "line": None}]


def _children(pid: int) -> list[int]:
    kids = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as f:
            kids += [int(k) for k in f.read().split()]
    return kids


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("signum,code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_to_the_main_process_stops_the_jobs_workers(tmp_path: Path, signum: int,
                                                             code: int) -> None:
    d = tmp_path / "many"
    d.mkdir()
    text = GOOD * 40
    for i in range(400):
        (d / f"p{i:03d}.md").write_text(text)
    out = tmp_path / "out.json"
    out.write_text("previous")
    proc = subprocess.Popen([sys.executable, "-m", "checker.cli", "check", str(d), "--jobs",
                             "2", "--format", "json", "-o", str(out), "--no-progress"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(workers) < 2:
        time.sleep(0.2)
        workers = [k for k in _children(proc.pid) if _alive(k)]
    assert len(workers) >= 2, "the pool never started"
    time.sleep(1.0)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert "Traceback" not in err
    time.sleep(0.5)
    assert not [w for w in workers if _alive(w)]
    assert out.read_text() == "previous"
    assert sorted(os.listdir(tmp_path)) == ["many", "out.json"]


def test_a_named_report_is_skipped_too(folder: Path) -> None:
    """`check *.md -o r.md` run twice: the shell names the first run's report."""
    report = folder / "r.md"
    args = ["check", str(folder / "good.md"), str(report), "--format", "markdown",
            "-o", str(report)]
    run(args[:2] + args[3:])  # the first run writes r.md
    code, _, err = run(args)
    assert code == 0, err
    assert f"skipped {report}: this run's own output file" in err
    assert "1 policies checked" in report.read_text()


def test_an_interrupt_a_library_turned_into_its_own_error_is_still_exit_130(
        folder: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """pydantic's JSON serializer catches the KeyboardInterrupt raised inside it and raises
    "Error serializing to JSON: KeyboardInterrupt": that is Ctrl-C, not a crash."""
    import checker.report.sarif as sarif

    def interrupted_inside(*_args: object) -> str:
        try:
            os.kill(os.getpid(), signal.SIGINT)  # the real signal, through privcheck's handler
            time.sleep(5)
        except KeyboardInterrupt as exc:
            raise RuntimeError("Error serializing to JSON: KeyboardInterrupt") from exc
        return ""

    monkeypatch.setattr(sarif, "render_sarif", interrupted_inside)
    out = folder.parent / "out.sarif"
    out.write_text("previous")
    code, _, err = run(["check", str(folder), "--format", "sarif", "-o", str(out)])
    assert code == 130, err
    assert err == "privcheck: error: interrupted; output files were left as they were\n"
    assert out.read_text() == "previous"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored
