"""Signals: exit codes shells expect, and pool workers that never outlive the run.

- SIGINT ends a run with exit code 130 and SIGTERM with 143 (128 + the signal number), after
  the `finally` blocks have run: an output file being written is dropped (the previous one stays,
  see atomic.py) and the `--jobs` workers are terminated.
- Pool workers ignore SIGINT (Ctrl-C reaches the whole process group; the parent stops them) and
  on Linux ask the kernel to SIGKILL them if the parent dies, even by SIGKILL.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from typing import Any


class Terminated(BaseException):
    """Raised in the main thread by SIGTERM, so that cleanup runs as for Ctrl-C."""

    def __init__(self, signum: int = signal.SIGTERM) -> None:
        super().__init__(signum)
        self.signum = signum


_exit_hard = False


def exit_hard_after_interrupt() -> None:
    """Called when a pool's thread would not stop: the interrupted command then leaves with
    os._exit, since the interpreter's normal exit joins every thread and would hang."""
    global _exit_hard
    _exit_hard = True


def leave_if_stuck(code: int) -> None:
    """After an interrupt: exit now with `code` if a thread was left that cannot be joined."""
    global _exit_hard
    if _exit_hard:
        _exit_hard = False
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


def exit_code(exc: BaseException) -> int:
    """128 + signal number, as a shell reports a process killed by that signal."""
    if isinstance(exc, Terminated):
        return 128 + exc.signum
    return 128 + signal.SIGINT


def _raise_terminated(signum: int, _frame: Any) -> None:
    raise Terminated(signum)


def install() -> Any:
    """In the main thread of the CLI: SIGTERM raises Terminated (cleanup runs, exit 143).
    Returns the previous handler, for `restore` when the command ends (an embedding program
    or a test runner keeps its own)."""
    if threading.current_thread() is threading.main_thread():
        with contextlib.suppress(ValueError, OSError):
            return signal.signal(signal.SIGTERM, _raise_terminated)
    return None


def restore(previous: Any) -> None:
    if previous is not None and threading.current_thread() is threading.main_thread():
        with contextlib.suppress(ValueError, OSError, TypeError):
            signal.signal(signal.SIGTERM, previous)


def worker_init() -> None:
    """First thing in a pool worker: the parent decides when workers stop."""
    with contextlib.suppress(ValueError, OSError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()


def _die_with_parent() -> None:
    """Linux prctl(PR_SET_PDEATHSIG, SIGKILL): no orphaned worker whatever kills the parent."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent's cleanup still stops workers
        pass
