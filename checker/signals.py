"""Signals: exit codes shells expect, and pool workers that never outlive the run.

- SIGINT ends a run with exit code 130 and SIGTERM with 143 (128 + the signal number), after
  the `finally` blocks have run: an output file being written is dropped (the previous one
  stays, see atomic.py) and the `--jobs` workers are terminated. That holds when a library turns
  the interrupt into an error of its own too: the handler records each signal.
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


_received: list[int] = []  # the signals that reached this command, newest last


def _on_signal(signum: int, _frame: Any) -> None:
    _received.append(signum)
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Terminated(signum)


def received() -> int | None:
    """The signal that interrupted this command, if one did. A library that catches the
    KeyboardInterrupt raised inside it and raises its own error instead (pydantic's JSON
    serializer does: "Error serializing to JSON: KeyboardInterrupt") is still an interrupt."""
    return _received[-1] if _received else None


def install() -> Any:
    """In the main thread of the CLI: SIGINT and SIGTERM are recorded and raise
    KeyboardInterrupt / Terminated (cleanup runs; exit 130 / 143). Returns the previous
    handlers, for `restore` when the command ends (an embedding program or a test runner keeps
    its own)."""
    if threading.current_thread() is threading.main_thread():
        _received.clear()
        with contextlib.suppress(ValueError, OSError):
            return (signal.signal(signal.SIGTERM, _on_signal),
                    signal.signal(signal.SIGINT, _on_signal))
    return None


def restore(previous: Any) -> None:
    if previous is not None and threading.current_thread() is threading.main_thread():
        _received.clear()
        with contextlib.suppress(ValueError, OSError, TypeError):
            signal.signal(signal.SIGTERM, previous[0])
            signal.signal(signal.SIGINT, previous[1])


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
