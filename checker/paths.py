"""Expand command-line arguments (files, folders, globs) into policy files, in a stable order."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator

from checker.readers import POLICY_EXTENSIONS, is_url


def expand_paths(args: list[str]) -> tuple[list[str], list[str]]:
    """(policy files, arguments that matched nothing). Folders are walked for policy extensions;
    explicit files are taken whatever their extension."""
    files: list[str] = []
    missing: list[str] = []
    for arg in args:
        if is_url(arg):  # fetched by the reader, never looked up on disk
            files.append(arg)
        elif os.path.isdir(arg):
            found = []
            for root, dirs, names in os.walk(arg):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [os.path.join(root, n) for n in names
                          if n.lower().endswith(POLICY_EXTENSIONS)
                          and not n.startswith((".", "~$"))]
            files += sorted(found)
        elif os.path.exists(arg):
            files.append(arg)
        elif glob.has_magic(arg):
            matched = sorted(p for p in glob.glob(arg, recursive=True) if os.path.isfile(p))
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


def _walk_sorted(top: str) -> Iterator[str]:
    """Policy files under `top` in sorted path order, one directory listing in memory at a time."""
    try:
        entries = sorted(os.scandir(top), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith((".", "~$")):  # hidden; Word lock files
            continue
        if entry.is_dir(follow_symlinks=False):  # as os.walk: no loops through symlinks
            yield from _walk_sorted(entry.path)
        elif entry.name.lower().endswith(POLICY_EXTENSIONS) and entry.is_file():
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
        if is_url(arg) or arg.startswith("bundle:"):  # fetched or assembled by the reader
            yield arg
        elif os.path.isdir(arg):
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
        elif os.path.exists(arg):
            if not covered(arg):
                named.add(os.path.realpath(arg))
                yield arg
        elif glob.has_magic(arg):
            matched = sorted(p for p in glob.glob(arg, recursive=True) if os.path.isfile(p))
            if not matched:
                yield Missing(arg)
            for path in matched:
                if not covered(path):
                    named.add(os.path.realpath(path))
                    yield path
        else:
            yield Missing(arg)
