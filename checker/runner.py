"""Run the per-policy work over many files: in-process, on a process pool, or on a Dask cluster.

The unit of work is `checker.checkfile.check_file(path, plan, encoding)`. This module maps it over a
lazy stream of paths and yields the results in input order, so output is deterministic whatever
the number of workers. Only a bounded window of chunks is in flight at once, and nothing here
keeps a result after yielding it: memory stays flat however many policies there are.

It also owns what a long run shows on stderr (a rich progress bar, input errors, a closing line).
The options that select all of this live with the commands, in checker/commands/common.py.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

import click

from checker import signals
from checker.errors import PrivcheckError
from checker.paths import Missing
from checker.plans import Plans
from checker.records import InputError, PolicyReport, Status
from checker.sanitize import display

if TYPE_CHECKING:
    import multiprocessing.context

    from checker.commands.common import RunOptions
    from checker.engine import Plan

Result = PolicyReport | InputError

LOCAL_CHUNK = 8  # policies per task on a local pool: amortises pickling, keeps the bar moving
DASK_CHUNK = 32  # larger on a cluster, where each task has ~1 ms of scheduler overhead
PROGRESS_DELAY = 0.5  # seconds before the bar appears: short runs never flash one
WORKER_STOP_TIMEOUT = 5.0  # seconds a stopped worker or the pool's thread gets to end


def default_jobs() -> int:
    """The cores this process may use (honours CPU affinity and cgroup-pinned containers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


# ---- the per-policy work ------------------------------------------------------------------

def check_one(path: str, plan: Plan | Plans, encoding: str | None) -> Result:
    """One policy, under its own Plan when given Plans (the nearest configuration)."""
    if isinstance(path, Missing):
        return InputError(path=str(path), message=path.reason)
    if isinstance(plan, Plans):
        try:
            if plan.results_cache:  # a policy checked before, unchanged: no plan, no reading
                from checker import results_cache

                return results_cache.check(path, plan, encoding)
            plan = plan.for_path(path)
        except PrivcheckError as exc:  # its configuration is broken: this file cannot be checked
            return InputError(path=path, message=f"configuration: {exc}")
    from checker.checkfile import check_file  # the engine: only when a policy is checked

    return check_file(path, plan, encoding)


def check_chunk(chunk: list[str], plan: Plan | Plans, encoding: str | None) -> list[Result]:
    return [check_one(p, plan, encoding) for p in chunk]


_WORKER: tuple[Plan | Plans, str | None] | None = None


def _init_worker(plan: Plan | Plans, encoding: str | None) -> None:
    """Runs once per pool process: the Plan arrives once, not with every task."""
    global _WORKER
    signals.worker_init()
    _WORKER = (plan, encoding)


def _pool_chunk(chunk: list[str]) -> list[Result]:
    assert _WORKER is not None, "worker not initialised"
    return check_chunk(chunk, *_WORKER)


def _chunks(paths: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(paths)
    while chunk := list(islice(it, size)):
        yield chunk


def _ordered(submit: Callable[[list[str]], Any], chunks: Iterator[list[str]],
             window: int) -> Iterator[Result]:
    """Submit chunks keeping at most `window` in flight; yield results in submission order.

    Waiting on the oldest chunk while the newer ones run keeps every worker busy, and bounds
    both the queued paths and the finished-but-not-yet-yielded results.
    """
    pending: deque[Any] = deque(submit(c) for c in islice(chunks, window))
    while pending:
        done = pending.popleft().result()
        nxt = next(chunks, None)
        if nxt is not None:
            pending.append(submit(nxt))
        yield from done


def run_checks(paths: Iterable[str], plan: Plan | Plans, encoding: str | None = None, jobs: int = 1,
               engine: str = "local", scheduler: str | None = None) -> Iterator[Result]:
    """Check every path, yielding one result per path in input order."""
    if engine == "dask":
        yield from _run_dask(paths, plan, encoding, scheduler)
        return
    it = iter(paths)
    head = list(islice(it, jobs * LOCAL_CHUNK))
    if jobs <= 1 or len(head) < jobs * 4:
        # Not worth a pool: a CI gate's handful of policies checks faster than workers start.
        for path in chain(head, it):
            yield check_one(path, plan, encoding)
        return
    from concurrent.futures import ProcessPoolExecutor

    # A short run gets small chunks, so that it too is spread over every worker.
    size = LOCAL_CHUNK if len(head) == jobs * LOCAL_CHUNK else max(1, len(head) // (jobs * 2))
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                               initargs=(plan, encoding), mp_context=_start_method())
    try:
        yield from _ordered(lambda c: pool.submit(_pool_chunk, c),
                            _chunks(chain(head, it), size), jobs * 4)
    except BaseException:  # Ctrl-C, SIGTERM, an error downstream: stop the workers now
        _stop_workers(pool)
        raise
    pool.shutdown(wait=True)


def _stop_workers(pool: Any) -> None:
    """Terminate the pool's processes rather than let them finish their queued chunks, and make
    sure nothing is left for the interpreter's exit to wait on.

    A worker killed while sending a result leaves half a message in the result pipe; the pool's
    manager thread would wait for the rest for ever (this process holds the pipe's write end
    open) and the exit, which joins that thread, would hang. Closing our write end once the
    workers are dead turns the wait into end-of-file. If the thread still does not end,
    `signals.exit_hard_after_interrupt` makes the command leave without joining it.
    """
    processes = list((getattr(pool, "_processes", None) or {}).values())
    results_pipe = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    manager = getattr(pool, "_executor_manager_thread", None)
    for proc in processes:
        with contextlib.suppress(Exception):
            proc.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        with contextlib.suppress(Exception):
            proc.join(timeout=WORKER_STOP_TIMEOUT)
            if proc.is_alive():
                proc.kill()
                proc.join(timeout=WORKER_STOP_TIMEOUT)
    if results_pipe is not None:
        with contextlib.suppress(Exception):
            results_pipe.close()
    if manager is not None:
        manager.join(timeout=WORKER_STOP_TIMEOUT)
        if manager.is_alive():
            signals.exit_hard_after_interrupt()


def _start_method() -> multiprocessing.context.BaseContext | None:
    """Fork is fastest, but forking a process that already runs threads (an embedding
    application, a test runner) can deadlock the child: then start workers from a server."""
    import multiprocessing  # only with a pool: a short run never starts one
    if threading.active_count() > 1 and "forkserver" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("forkserver")
    return None  # the platform's default


DASK_CONNECT_TIMEOUT = 5.0  # seconds; PRIVCHECK_DASK_TIMEOUT changes it


def _connect(client_class: Any, address: str) -> Any:
    """A Client for `address`, or one line saying why not (exit 2), after a short wait rather
    than distributed's 30 s: a wrong address is the usual cause and should fail fast."""
    try:
        timeout = float(os.environ.get("PRIVCHECK_DASK_TIMEOUT") or DASK_CONNECT_TIMEOUT)
    except ValueError:
        timeout = DASK_CONNECT_TIMEOUT
    try:
        from distributed.comm.addressing import parse_host_port

        # Refuse a malformed address before a Client exists: a half-built one warns at exit.
        scheme, _, loc = address.rpartition("://")
        if scheme in ("", "tcp", "tls"):
            parse_host_port(loc, 8786)
    except ValueError as exc:
        raise PrivcheckError(f"--scheduler {address}: not a Dask scheduler address "
                             f"({exc}); e.g. tcp://host:8786") from None
    try:
        return client_class(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise PrivcheckError(f"cannot reach the Dask scheduler at {address} within "
                             f"{timeout:g} s ({detail})") from None


def _run_dask(paths: Iterable[str], plan: Plan | Plans, encoding: str | None,
              scheduler: str | None) -> Iterator[Result]:
    """The same chunks on a Dask cluster; the workers must see the files at the same paths."""
    try:
        from distributed import Client
    except ImportError:
        raise click.UsageError(
            "--engine dask needs the dask extra: pip install 'privcheck[dask]'") from None
    if not scheduler:
        raise click.UsageError("--engine dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
    client = scheduler if isinstance(scheduler, Client) else _connect(Client, scheduler)
    try:
        [plan_future] = client.scatter([plan], broadcast=True)
        threads = sum(client.nthreads().values()) or 1
        yield from _ordered(
            lambda c: client.submit(check_chunk, c, plan_future, encoding, pure=False),
            _chunks(paths, DASK_CHUNK), threads * 4,
        )
    finally:
        if client is not scheduler:
            client.close()


# ---- what a run shows on stderr ------------------------------------------------------------

@dataclass
class Monitor:
    """Counts results, reports input errors, drives the progress bar and the closing line.

    The bar appears only after PROGRESS_DELAY seconds; its total is then counted by a
    background walk of the same sources, so the checks start at once.
    """

    enabled: bool = False
    fail_on: str = "error"
    count_sources: Callable[[], Iterable[str]] | None = None
    policies: int = 0
    errors: int = 0
    failed: int = 0  # policies with at least one failing rule
    gated: int = 0  # policies with a failure at or above fail_on: what makes the exit code 1
    bytes: int = 0
    started: float = field(default_factory=time.perf_counter)
    _bar: Any = None
    _task: Any = None
    _total: int | None = None

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def _count(self) -> None:
        assert self.count_sources is not None
        n = 0
        for _ in self.count_sources():
            n += 1
        self._total = n
        if self._bar is not None:
            self._bar.update(self._task, total=n)

    def add(self, result: Result) -> None:
        if isinstance(result, InputError):
            self.errors += 1
            self.echo(f"privcheck: error: {result.where()}: {result.message}")
        else:
            self.policies += 1
            failing = [f for f in result.results if f.status == Status.FAIL]
            self.failed += bool(failing)
            self.gated += result.gates(self.fail_on)
            with contextlib.suppress(OSError):
                self.bytes += os.path.getsize(result.path)
        if self.enabled:
            self._advance()

    def _advance(self) -> None:
        if self._bar is None and self.elapsed >= PROGRESS_DELAY:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn("[bold]checking"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[rate]} policies/s"), TimeElapsedColumn(),
                TextColumn("eta"), TimeRemainingColumn(),
                console=Console(stderr=True), transient=True,
            )
            self._task = self._bar.add_task("check", total=self._total, rate="-")
            self._bar.start()
            if self.count_sources is not None:  # threads only now: the pool has forked already
                threading.Thread(target=self._count, daemon=True).start()
        if self._bar is not None:
            done = self.policies + self.errors
            self._bar.update(self._task, completed=done, total=self._total,
                             rate=f"{done / max(self.elapsed, 1e-9):,.0f}")

    def echo(self, line: str) -> None:
        line = display(line)  # a file name may hold ESC sequences or newlines
        """A line on stderr that does not tear the progress bar."""
        if self._bar is not None:
            self._bar.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            click.echo(line, err=True)

    def close(self) -> None:
        """Stop the bar; when enabled, print the closing line with counts and throughput."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
        if self.enabled:
            click.echo(self.closing_line(), err=True)

    def closing_line(self) -> str:
        t = self.elapsed
        done = self.policies + self.errors
        line = (f"privcheck: checked {self.policies:,} {_plural(self.policies, 'policy')} in "
                f"{t:.1f} s ({done / max(t, 1e-9):,.0f} policies/s, "
                f"{self.bytes / 1e6 / max(t, 1e-9):.1f} MB/s): "
                f"{self.failed:,} with failing rules")
        if self.errors:
            line += f", {self.errors:,} could not be checked"
        return line


def _plural(n: int, word: str) -> str:
    return word if n == 1 else (word[:-1] + "ies" if word.endswith("y") else word + "s")


def make_monitor(run: RunOptions, paths: tuple[str, ...], fail_on: str) -> Monitor:
    enabled = run.progress if run.progress is not None else sys.stderr.isatty()
    return Monitor(enabled=enabled, fail_on=fail_on,
                   count_sources=None if run.from_list == "-" else lambda: run.sources(paths))
