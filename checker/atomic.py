"""Every output file privcheck writes goes through here: one rule for `-o`, `--sarif`, baselines.

- Missing parent folders are created (`-o reports/2026/x.json` just works, for every output).
- A regular file is written to a hidden temporary file in the same folder and renamed over the
  target only when the run ends normally, so an interrupted or failed run leaves the previous
  file intact, never a truncated JSON or an empty HTML report. The temporary name starts with a
  dot, so a run over that folder never picks it up.
- Special files (`/dev/stdout`, `/dev/null`, a FIFO) are written in place: renaming over them
  would be wrong.
- Write errors (a full disk, `/dev/full`, a read-only folder) become one PrivcheckError line
  naming the file, never a traceback.
- Streams (`--format jsonl`) are written in place as they go, so a long run's results survive a
  crash; an interrupted stream ends with an `{"interrupted": ...}` line (see report/stream.py).

Each output path is remembered for the life of the process (`is_output`), so that a run never
reads its own report back as a policy (`report DIR -o DIR/r.html`).
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys

from checker.errors import PrivcheckError

_OUTPUTS: set[str] = set()


def _key(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


def forget_outputs() -> None:
    """A new command starts: earlier commands' outputs are inputs like any other file."""
    _OUTPUTS.clear()


def is_output(path: str) -> bool:
    """Whether `path` is a file this process writes as output (and so must not read)."""
    return bool(_OUTPUTS) and _key(path) in _OUTPUTS


def _fail(exc: BaseException, path: str) -> PrivcheckError:
    detail = getattr(exc, "strerror", None) or str(exc)
    return PrivcheckError(f"cannot write output: {detail}", path)


def _check_path(path: str) -> None:
    if "\x00" in path:
        raise PrivcheckError("cannot write output: the file name contains a NUL character",
                             path.replace("\x00", "\\0"))


class OutputFile(io.TextIOWrapper):
    """A text file that appears at `path` only when closed without an exception in flight."""

    def __init__(self, path: str, *, in_place: bool = False) -> None:
        self.target = path
        self.in_place = in_place
        self._tmp: str | None = None
        self._dead = False  # aborted: nothing more is flushed
        try:
            if in_place:
                raw = io.FileIO(path, "w")
            else:
                import tempfile  # only when a file is written: not on a run to stdout

                folder = os.path.dirname(path) or "."
                fd, self._tmp = tempfile.mkstemp(
                    prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
                raw = io.FileIO(fd, "w")
        except (OSError, ValueError) as exc:
            raise _fail(exc, path) from None
        super().__init__(io.BufferedWriter(raw), encoding="utf-8", newline=None)

    def write(self, s: str) -> int:
        if self._dead:
            raise PrivcheckError("cannot write output: writing stopped after an error",
                                 self.target)
        try:
            return super().write(s)
        except OSError as exc:
            self._abort()
            raise _fail(exc, self.target) from None

    def flush(self) -> None:
        if self.closed or self._dead:
            return
        try:
            super().flush()
        except OSError as exc:
            self._abort()
            raise _fail(exc, self.target) from None

    def isatty(self) -> bool:  # rich asks: a report file never gets colour codes
        return False

    def close(self) -> None:
        """Commit (rename into place) unless an exception is propagating through the caller."""
        if self.closed:
            return
        if sys.exc_info()[0] is not None:
            self._abort()
            return
        try:
            super().flush()
            if self._tmp is not None:
                os.fsync(self.buffer.fileno())
        except OSError as exc:
            self._abort()
            raise _fail(exc, self.target) from None
        super().close()
        if self._tmp is not None:
            try:
                _match_umask(self._tmp)
                os.replace(self._tmp, self.target)
            except OSError as exc:
                self._abort()
                raise _fail(exc, self.target) from None
            self._tmp = None

    def __del__(self) -> None:  # dropped without close(): never commit a partial file
        if not self.closed:
            self._abort()

    def abort(self) -> None:
        """Drop what was written: the target keeps its previous content (if any)."""
        self._abort()

    def _abort(self) -> None:
        if self.in_place and not self._dead:  # a stream keeps what it has written
            with contextlib.suppress(OSError, ValueError):
                super().flush()
        self._dead = True
        with contextlib.suppress(OSError, ValueError):
            super().close()
        with contextlib.suppress(OSError, ValueError):
            self.buffer.raw.close()
        if self._tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._tmp)
            self._tmp = None


def _match_umask(path: str) -> None:
    """mkstemp creates 0600; a report should get the mode `open()` would have given it."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def _special(path: str) -> bool:
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return not stat.S_ISREG(mode)


def open_output(path: str, *, stream: bool = False) -> OutputFile:
    """Open `path` for a report: parents created, atomic unless `stream` or a special file."""
    _check_path(path)
    parent = os.path.dirname(path)
    if parent:
        try:
            os.makedirs(parent, exist_ok=True)
        except OSError as exc:
            raise _fail(exc, path) from None
    _OUTPUTS.add(_key(path))
    return OutputFile(path, in_place=stream or _special(path))


def write_text(path: str, text: str) -> None:
    """Write a whole output file atomically (the extra reports, baselines, scaffolds)."""
    out = open_output(path)
    try:
        out.write(text)
    except BaseException:
        out.abort()
        raise
    out.close()
