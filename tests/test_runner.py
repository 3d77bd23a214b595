"""The runner: --jobs, streamed --format jsonl, --from-list, progress and the closing line."""

from __future__ import annotations

import json
import multiprocessing
import os
import struct
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from policy_samples import SEED_GLOB, SEEDS, corpus, seed_paths

from checker.checkfile import check_file
from checker.cli import main
from checker.commands.common import RunOptions
from checker.config import Config
from checker.engine import make_plan
from checker.paths import Missing, expand_paths, iter_policy_paths
from checker.records import InputError, PolicyReport
from checker.runner import LOCAL_CHUNK, Monitor, _stop_workers, run_checks


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def plan():  # type: ignore[no-untyped-def]
    return make_plan(Config())


def test_iter_policy_paths_matches_expand_paths() -> None:
    args = [str(SEEDS), str(SEEDS / "000_0211ab143a695b7b.txt"), "no/such/file"]
    files, missing = expand_paths(args)
    streamed = list(iter_policy_paths(args))
    assert [p for p in streamed if not isinstance(p, Missing)] == files
    assert [p for p in streamed if isinstance(p, Missing)] == missing


def test_iter_policy_paths_drops_files_under_a_walked_folder(tmp_path: Path) -> None:
    folder = corpus(tmp_path, evil=False)
    one = sorted(folder.iterdir())[0]
    assert list(iter_policy_paths([str(one), str(folder), str(folder)])).count(str(one)) == 1


@pytest.mark.parametrize("jobs", [1, 2])
def test_run_checks_keeps_input_order_and_matches_check_file(plan, jobs: int) -> None:
    paths = seed_paths() * 3 + [Missing("gone.txt")]
    results = list(run_checks(paths, plan, jobs=jobs))
    assert [r.path for r in results] == [str(p) for p in paths]
    assert results[:5] == [check_file(p, plan) for p in seed_paths()]
    assert isinstance(results[-1], InputError)
    assert results[-1].message == "no such file or directory"


def test_run_checks_streams_with_bounded_look_ahead(plan) -> None:
    """The first result comes out before the input is consumed: memory does not grow with it."""
    consumed = 0

    def endless():  # type: ignore[no-untyped-def]
        nonlocal consumed
        while True:
            for p in seed_paths():
                consumed += 1
                yield p

    results = run_checks(endless(), plan, jobs=2)
    assert isinstance(next(results), PolicyReport)
    assert consumed <= LOCAL_CHUNK * 2 * 4 + LOCAL_CHUNK * 2
    results.close()


def test_jsonl_one_policy_per_line_same_for_any_jobs(tmp_path: Path) -> None:
    folder = corpus(tmp_path, copies=2)
    outs = []
    for jobs in ("1", "2"):
        code, out, _ = invoke("check", str(folder), "--format", "jsonl", "--jobs", jobs,
                              "--no-progress")
        assert code == 1  # the seeds fail error-level rules
        outs.append(out)
    assert outs[0] == outs[1]
    lines = [json.loads(line) for line in outs[0].splitlines()]
    assert len(lines) == 11
    assert all(set(line) >= {"path", "results", "summary"} for line in lines)
    assert [line["path"] for line in lines] == sorted(line["path"] for line in lines)


def test_json_output_is_one_document_with_all_policies() -> None:
    code, out, _ = invoke("check", SEED_GLOB, "--format", "json", "--jobs", "2")
    report = json.loads(out)
    assert code == 1
    assert report["summary"]["policies"] == 5
    assert [p["path"] for p in report["policies"]] == seed_paths()


def test_input_error_is_exit_2_and_other_files_still_checked(tmp_path: Path) -> None:
    code, out, err = invoke("check", SEED_GLOB, str(tmp_path / "missing.txt"), "--format",
                            "jsonl", "--exit-zero", "--no-progress")
    assert code == 2
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 6
    assert lines[-1] == {"path": str(tmp_path / "missing.txt"),
                         "error": "no such file or directory"}
    assert "missing.txt: no such file or directory" in err


def test_exit_zero_and_clean_exit(tmp_path: Path) -> None:
    assert invoke("check", str(SEEDS), "--exit-zero", "--no-progress")[0] == 0
    assert invoke("check", str(SEEDS), "--fail-on", "never")[0] == 0


def test_from_list_reads_paths_and_folders(tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    paths = seed_paths()
    listing.write_text(f"# a comment\n{paths[0]}\n\n{paths[1]}\n", encoding="utf-8")
    code, out, _ = invoke("check", "--from-list", str(listing), "--format", "jsonl")
    assert [json.loads(line)["path"] for line in out.splitlines()] == paths[:2]
    assert code == 1


def test_no_paths_is_a_usage_error() -> None:
    code, _, err = invoke("check")
    assert code == 2
    assert "--from-list" in err


def test_progress_closing_line_only_when_asked() -> None:
    _, _, quiet = invoke("check", SEED_GLOB, "--format", "jsonl", "--jobs", "1")
    assert "policies/s" not in quiet  # stderr is not a terminal here: no bar, no closing line
    _, _, err = invoke("check", SEED_GLOB, "--format", "jsonl", "--jobs", "1", "--progress")
    assert "checked 5 policies in" in err
    assert "policies/s" in err and "MB/s" in err and "5 with failing rules" in err


@pytest.mark.parametrize("with_error", [False, True])
def test_streamed_json_and_text_equal_the_whole_report_renderers(plan, with_error: bool) -> None:
    import io

    from checker import __version__
    from checker.records import Report
    from checker.report import total_summary
    from checker.report.json_report import render_json
    from checker.report.stream import JsonSink, TextSink
    from checker.report.text import render_text

    paths = [*seed_paths(), *([Missing("gone.txt")] if with_error else [])]
    results = list(run_checks(paths, plan))
    policies = [r for r in results if isinstance(r, PolicyReport)]
    errors = [r for r in results if isinstance(r, InputError)]
    whole = Report(privcheck=__version__, policies=policies, errors=errors,
                   summary=total_summary(policies, len(errors)))
    for sink_cls, render in ((JsonSink, lambda o: o.write(render_json(whole))),
                             (TextSink, lambda o: render_text(whole, o))):
        expected, streamed = io.StringIO(), io.StringIO()
        render(expected)
        sink = sink_cls(streamed)
        for r in results:
            sink.add(r)
        sink.close()
        assert streamed.getvalue() == expected.getvalue()


def test_streamed_json_with_no_policies() -> None:
    import io

    from checker.report.stream import JsonSink

    out = io.StringIO()
    sink = JsonSink(out)
    sink.add(InputError(path="x", message="empty file"))
    sink.close()
    assert json.loads(out.getvalue())["policies"] == []


class _InterruptOnSecond(Monitor):
    """A monitor whose second result arrives with Ctrl-C, as a signal can land anywhere."""

    def add(self, result) -> None:  # type: ignore[no-untyped-def]
        super().add(result)
        if self.policies == 2:
            raise KeyboardInterrupt


def test_an_interrupt_between_results_stops_the_workers_at_once(plan) -> None:
    """Ctrl-C while a result is being handled (not while waiting for one) must stop the --jobs
    workers before the interrupt reaches the top, not when the suspended generators are
    collected: otherwise the exit waits for the workers to finish their queued chunks."""
    paths = [str(p) for p in seed_paths()] * 12
    run = RunOptions(jobs=2)
    monitor = _InterruptOnSecond()
    with (pytest.raises(KeyboardInterrupt) as caught,
          closing(run.results(tuple(paths), plan, None, monitor)) as results):
        for _ in results:
            pass
    # The traceback still references every frame (pytest keeps it): only an explicit close
    # can have stopped the pool.
    assert caught.traceback
    assert multiprocessing.active_children() == []


_POOL: Any = None  # the pool under test, seen by its forked workers


def _send_half_a_result() -> None:
    """In a worker: start a 1 MB result message and stall, as a worker killed mid-send leaves
    the result pipe."""
    fd = _POOL._result_queue._writer.fileno()
    os.write(fd, struct.pack("!i", 1 << 20) + b"x" * 100)
    time.sleep(60)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks")
def test_stopping_workers_frees_a_pool_thread_stuck_on_half_a_result() -> None:
    """The pool's thread waits for the rest of a message its killed worker never sends; the
    interpreter's exit joins that thread, so the interrupted command would never end."""
    global _POOL
    _POOL = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    try:
        _POOL.submit(_send_half_a_result)
        manager = _POOL._executor_manager_thread
        time.sleep(1.0)  # the worker has written its half message; the thread waits in recv
        assert manager is not None and manager.is_alive()
        _stop_workers(_POOL)
        manager.join(timeout=10)
        assert not manager.is_alive()
    finally:
        _POOL = None
