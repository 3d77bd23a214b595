"""--engine dask: the same per-policy work on a Dask cluster gives the local run's results."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from policy_samples import corpus, seed_paths

from checker.cli import main
from checker.config import Config
from checker.engine import make_plan
from checker.paths import Missing
from checker.runner import run_checks

distributed = pytest.importorskip("distributed", reason="dask is not installed: privcheck[dask]")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    # Real worker processes, so the Plan and the results really travel by pickle.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=40) as c:
        yield c


def test_dask_results_identical_to_local(cluster: Any) -> None:
    plan = make_plan(Config())
    paths = seed_paths() * 8 + [Missing("gone.txt")]  # more than one chunk
    local = list(run_checks(paths, plan, jobs=1))
    remote = list(run_checks(paths, plan, engine="dask", scheduler=cluster.scheduler_address))
    assert remote == local
    assert [r.path for r in remote] == [str(p) for p in paths]


def test_cli_check_through_dask_scheduler(cluster: Any, tmp_path: Path) -> None:
    folder = corpus(tmp_path, copies=2)
    args = ["check", str(folder), "--format", "jsonl", "--no-progress"]
    local = CliRunner().invoke(main, [*args, "--jobs", "1"])
    remote = CliRunner().invoke(main, [*args, "--engine", "dask", "--scheduler",
                                       cluster.scheduler_address])
    assert remote.exit_code == local.exit_code == 1
    assert remote.stdout == local.stdout
    assert len([json.loads(line) for line in remote.stdout.splitlines()]) == 11


def test_dask_engine_needs_a_scheduler() -> None:
    result = CliRunner().invoke(main, ["check", seed_paths()[0], "--engine", "dask"])
    assert result.exit_code == 2
    assert "--scheduler" in result.output


def test_unreachable_scheduler_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """Issue 13: no 30 s hang, no traceback, and exit 2 (an error), never 1 (rules failed)."""
    import time

    from tests.gatekit import SAMPLE, cli

    started = time.monotonic()
    result = cli("check", str(SAMPLE), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9",
                 env={"PRIVCHECK_DASK_TIMEOUT": "1"})
    assert time.monotonic() - started < 20
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr
    bad = cli("check", str(SAMPLE), "--engine", "dask", "--scheduler", "nonsense:::")
    assert bad.exit_code == 2 and "not a Dask scheduler address" in bad.stderr
    assert "Traceback" not in bad.output + result.output
