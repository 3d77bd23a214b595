"""Expand command-line arguments (files, folders, globs) into policy files, in a stable order."""

from __future__ import annotations

import fnmatch
import glob
import os
import re
import sys
from collections.abc import Iterable, Iterator

from checker.atomic import is_output
from checker.readers import POLICY_EXTENSIONS

# What privcheck's own reports start with (HTML report, Markdown summary, check's Markdown): a
# report left in a folder of policies must not be graded as a policy.
_OWN_REPORT = re.compile(
    r'<meta name="generator" content="privcheck[ "]|\A## privcheck: '
    r"|^\d+ polic(?:y|ies) checked against \d+ rules .*· privcheck \S+ · ",
    re.MULTILINE,
)


def own_output(path: str) -> str | None:
    """Why a file is not a policy, or None when it may be: this run's own output file, or a
    report privcheck wrote earlier (named, walked or globbed: `check *.md -o r.md` twice)."""
    if is_output(path):
        return "this run's own output file"
    try:
        with open(path, "rb") as f:
            head = f.read(2048).decode("utf-8", "replace")
    except (OSError, ValueError):
        return None  # reported when it is read
    if _OWN_REPORT.search(head):
        return "a report written by privcheck, not a policy"
    return None


def _skip(path: str) -> bool:
    """Whether to leave a found file out, with a note on stderr (never silently)."""
    why = own_output(path)
    if why:
        print(f"privcheck: note: skipped {path}: {why}", file=sys.stderr)
    return why is not None


def expand_paths(args: list[str]) -> tuple[list[str], list[str]]:
    """(policy files, arguments that matched nothing). Folders are walked for policy extensions;
    explicit files are taken whatever their extension."""
    files: list[str] = []
    missing: list[str] = []
    for arg in args:
        if os.path.isdir(arg):
            found = []
            for root, dirs, names in os.walk(arg, onerror=lambda e, top=arg: missing.append(
                    Unreadable(e.filename or top, e))):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [os.path.join(root, n) for n in names
                          if n.lower().endswith(POLICY_EXTENSIONS) and not n.startswith(".")]
            files += sorted(p for p in found if not _skip(p))
        elif os.path.lexists(arg):
            if not _skip(arg):
                files.append(arg)
        elif glob.has_magic(arg):
            matched = sorted(p for p in safe_glob(arg) if _is_file(p) and not _skip(p))
            if matched:
                files += matched
            else:
                missing.append(arg)
        else:
            missing.append(arg)
    return list(dict.fromkeys(files)), missing


class Missing(str):
    """An argument that matched nothing: kept in the stream so it is reported in its place."""

    __slots__ = ()
    reason = "no such file or directory"


class Unreadable(Missing):
    """A folder that could not be listed: an input error in its place, never a silent skip
    (a run over an unreadable folder must not pass with 0 policies)."""

    def __new__(cls, path: str, exc: OSError | None = None) -> Unreadable:
        self = super().__new__(cls, path)
        detail = (exc.strerror or str(exc)) if exc is not None else "unknown error"
        self.__dict__["reason"] = f"cannot read this folder: {detail}"
        return self

    def __reduce__(self):  # type: ignore[no-untyped-def]  # to --jobs workers and Dask
        return _unreadable, (str(self), self.reason)


def _unreadable(path: str, reason: str) -> Unreadable:
    self = Unreadable(path)
    self.__dict__["reason"] = reason
    return self


def _is_file(path: str) -> bool:
    """os.path.isfile, but a self-looping or dangling symlink is kept (and reported when read)
    rather than silently dropped or, in a scandir entry, raising through the whole run."""
    try:
        return os.path.isfile(path) or os.path.islink(path)
    except (OSError, ValueError):
        return False


def safe_glob(pattern: str) -> list[str]:
    """glob.glob(pattern, recursive=True), but `**` never follows a symlink back into a folder
    it is already inside (`sub/loop -> ..` made glob run forever). Other symlinked folders are
    followed as glob does; names starting with '.' match only a pattern that starts with '.'."""
    if "**" not in pattern:
        return glob.glob(pattern)
    parts = pattern.split(os.sep)
    i = 0
    while i < len(parts) and not glob.has_magic(parts[i]):
        i += 1
    root = os.sep.join(parts[:i])
    if pattern.startswith(os.sep) and not root:
        root = os.sep
    out: list[str] = []

    def visit(path: str, comps: list[str], inside: frozenset[tuple[int, int]]) -> None:
        if not comps:
            out.append(path)
            return
        here = path or os.curdir
        try:
            st = os.stat(here)
            entries = sorted(os.scandir(here), key=lambda e: e.name)
        except (OSError, ValueError):
            return
        key = (st.st_dev, st.st_ino)
        if key in inside:  # `inside`: the folders above this one
            return  # a symlink loop: this folder is already on the way down
        below = inside | {key}
        comp, rest = comps[0], comps[1:]
        if comp == "**":
            visit(path, rest, inside)  # `**` as no folder at all
            for e in entries:
                if e.name.startswith("."):
                    continue
                if _entry_is_dir(e):
                    visit(os.path.join(path, e.name), comps, below)
                elif not rest:  # a trailing `**` matches the files too
                    out.append(os.path.join(path, e.name))
            return
        for e in entries:
            if e.name.startswith(".") and not comp.startswith("."):
                continue
            if fnmatch.fnmatchcase(e.name, comp) if glob.has_magic(comp) else e.name == comp:
                if rest and not _entry_is_dir(e):
                    continue
                visit(os.path.join(path, e.name), rest, below)

    visit(root, parts[i:], frozenset())
    return list(dict.fromkeys(out))


def _entry_is_file(entry: os.DirEntry[str]) -> bool:
    """As _is_file, from the directory entry (no extra stat for a plain file)."""
    try:
        return entry.is_file() or entry.is_symlink()
    except OSError:  # a symlink loop: reported when read
        return True


def _entry_is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _walk_sorted(top: str) -> Iterator[str]:
    """Policy files under `top` in sorted path order, one directory listing in memory at a time."""
    try:
        entries = sorted(os.scandir(top), key=lambda e: e.name)
    except OSError as exc:
        yield Unreadable(top, exc)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):  # as os.walk: no loops through symlinks
            yield from _walk_sorted(entry.path)
        elif (entry.name.lower().endswith(POLICY_EXTENSIONS) and _entry_is_file(entry)
              and not _skip(entry.path)):
            yield entry.path


def iter_policy_paths(args: Iterable[str]) -> Iterator[str]:
    """Like `expand_paths`, but lazily, so a run over millions of files holds no list of them.

    Arguments that match nothing come out as `Missing`. Duplicates are dropped when a file was
    named before or lies under a folder already walked (only explicit files and walked folders
    are remembered, never every file found).
    """
    walked: list[str] = []
    named: set[str] = set()

    def covered(path: str) -> bool:
        real = os.path.realpath(path)
        return real in named or any(real.startswith(w) for w in walked)

    for arg in args:
        if os.path.isdir(arg):
            real = os.path.realpath(arg).rstrip(os.sep) + os.sep
            if any(real.startswith(w) for w in walked):
                continue
            earlier = list(walked)
            walked.append(real)
            for path in _walk_sorted(arg):
                if not (named or earlier):
                    yield path
                    continue
                rp = os.path.realpath(path)
                if rp not in named and not any(rp.startswith(w) for w in earlier):
                    yield path
        elif os.path.lexists(arg):
            if not covered(arg) and not _skip(arg):
                named.add(os.path.realpath(arg))
                yield arg
        elif glob.has_magic(arg):
            matched = sorted(p for p in safe_glob(arg) if _is_file(p) and not _skip(p))
            if not matched:
                yield Missing(arg)
            for path in matched:
                if not covered(path):
                    named.add(os.path.realpath(path))
                    yield path
        else:
            yield Missing(arg)
