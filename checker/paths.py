"""Expand command-line arguments (files, folders, globs) into policy files, in a stable order.

Which files found in a folder are policies is a PathFilter: the configuration's `include` and
`exclude` patterns (gitignore syntax, through pathspec, relative to the configuration's folder)
and the repository's .gitignore files. Files named on the command line are always policies,
unless the filter is `forced` (--force-exclude, as the pre-commit hook runs it).
"""

from __future__ import annotations

import fnmatch
import glob
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from checker.atomic import is_output
from checker.lazy_re import LazyPattern
from checker.readers import POLICY_EXTENSIONS, is_url

# What privcheck's own reports start with (HTML report, Markdown summary, check's Markdown,
# check's text: a finding line `path:3:1: ✗ error rule.id  Title` or a policy's summary line): a
# report left in a folder of policies must not be graded as a policy.
_OWN_REPORT = LazyPattern(
    r'<meta name="generator" content="privcheck[ "]|\A## privcheck: '
    r"|^\d+ polic(?:y|ies) checked against \d+ rules .*· privcheck \S+ · "
    r"|^[^\n]*:\d+:\d+: [✓✗~!-] (?:error|warning|info|pass|waived|n/a) +[a-z0-9-]+\.[a-z0-9.-]+  "
    r"|^[^\n]*: \d+ passed, \d+ failed, \d+ waived, \d+ not applicable(?:;|$)",
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


@cache
def _git_root(directory: str) -> str | None:
    """The top of the git work tree holding `directory` (where `.git` is), or None."""
    here = directory
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


@dataclass
class PathFilter:
    """Whether a path is a policy to check: include/exclude patterns and .gitignore."""

    root: str  # absolute folder the patterns are relative to (the configuration's)
    include: list[str] | None = None  # None: the policy file extensions
    exclude: list[str] = field(default_factory=list)
    gitignore: bool = True
    forced: bool = False  # apply to files named on the command line too
    _specs: dict[str, Any] = field(default_factory=dict, repr=False)

    _compiled: tuple[Any, Any] | None = field(default=None, repr=False)

    def _patterns(self) -> tuple[Any, Any]:
        """(include, exclude) compiled on first use: a run over named files never needs them
        (nor pathspec's import, which counts in a one-file check's start-up time)."""
        if self._compiled is None:
            import pathspec

            include = (pathspec.GitIgnoreSpec.from_lines(self.include)
                       if self.include is not None else None)
            exclude = (pathspec.GitIgnoreSpec.from_lines(self.exclude)
                       if self.exclude else None)
            self._compiled = (include, exclude)
        return self._compiled

    def _rel(self, path: str, directory: bool = False) -> str:
        full = os.path.abspath(path)
        rel = os.path.relpath(full, self.root)
        if rel.startswith(".."):  # outside the configuration's folder: match from the top
            rel = full.lstrip(os.sep)
        rel = rel.replace(os.sep, "/")
        return rel + "/" if directory else rel

    def _ignored_by_git(self, path: str, directory: bool) -> bool:
        """Whether a .gitignore from the work tree's top down to the path's folder ignores it."""
        full = os.path.abspath(path)
        top = _git_root(os.path.dirname(full))
        if top is None:
            return False
        folder = os.path.dirname(full)
        chain = []
        while True:
            chain.append(folder)
            if folder == top or os.path.dirname(folder) == folder:
                break
            folder = os.path.dirname(folder)
        for folder in reversed(chain):
            spec = self._gitignore_in(folder)
            if spec is None:
                continue
            rel = os.path.relpath(full, folder).replace(os.sep, "/")
            if spec.match_file(rel + "/" if directory else rel):
                return True
        return False

    def _gitignore_in(self, folder: str) -> Any:
        if folder not in self._specs:
            import pathspec

            try:
                with open(os.path.join(folder, ".gitignore"), encoding="utf-8") as f:
                    self._specs[folder] = pathspec.GitIgnoreSpec.from_lines(f)
            except (OSError, UnicodeDecodeError):
                self._specs[folder] = None
        return self._specs[folder]

    def skip_dir(self, path: str) -> bool:
        _, exclude = self._patterns()
        if exclude is not None and exclude.match_file(self._rel(path, directory=True)):
            return True
        return self.gitignore and self._ignored_by_git(path, directory=True)

    def keep(self, path: str, named: bool = False, walked: bool = False) -> bool:
        """Whether a file is checked. `named`: given on the command line (or by a glob there);
        `walked`: found by walking folders this filter already let through."""
        if named and not self.forced:
            return True
        include, exclude = self._patterns()
        rel = self._rel(path)
        if include is not None:
            if not include.match_file(rel):
                return False
        elif not path.lower().endswith(POLICY_EXTENSIONS):
            return False
        if exclude is not None and exclude.match_file(rel):
            return False
        if not walked and any(self.skip_dir(d) for d in _parents_below(path, self.root)):
            return False
        return not (self.gitignore and self._ignored_by_git(path, directory=False))


def _parents_below(path: str, root: str) -> list[str]:
    """The folders between `root` and the file (an excluded folder excludes what it holds)."""
    full = os.path.dirname(os.path.abspath(path))
    out = []
    while full.startswith(root + os.sep):
        out.append(full)
        full = os.path.dirname(full)
    return out


def _is_policy(path: str, filt: PathFilter | None, named: bool = False) -> bool:
    if filt is None:
        return named or path.lower().endswith(POLICY_EXTENSIONS)
    return filt.keep(path, named=named)


def expand_paths(args: list[str],
                 filt: PathFilter | None = None) -> tuple[list[str], list[str]]:
    """(policy files, arguments that matched nothing). Folders are walked for policy files (by
    extension, or by `filt`); explicit files are taken whatever their extension."""
    files: list[str] = []
    missing: list[str] = []
    for arg in args:
        if is_url(arg):  # fetched by the reader, never looked up on disk
            files.append(arg)
        elif os.path.isdir(arg):
            for found in _walk_sorted(arg, filt):
                (missing if isinstance(found, Missing) else files).append(found)
        elif os.path.lexists(arg):
            if not _skip(arg) and _is_policy(arg, filt, named=True):
                files.append(arg)
        elif glob.has_magic(arg):
            matched = sorted(p for p in safe_glob(arg) if _is_file(p) and not _skip(p))
            if matched:
                files += [p for p in matched if _is_policy(p, filt, named=True)]
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



def _walk_sorted(top: str, filt: PathFilter | None = None) -> Iterator[str]:
    """Policy files under `top` in sorted path order, one directory listing in memory at a time."""
    try:
        entries = sorted(os.scandir(top), key=lambda e: e.name)
    except OSError as exc:
        yield Unreadable(top, exc)
        return
    for entry in entries:
        if entry.name.startswith((".", "~$")):  # hidden; Word lock files
            continue
        if entry.is_dir(follow_symlinks=False):  # as os.walk: no loops through symlinks
            if filt is None or not filt.skip_dir(entry.path):
                yield from _walk_sorted(entry.path, filt)
        elif _entry_is_file(entry) and (
                entry.name.lower().endswith(POLICY_EXTENSIONS) if filt is None
                else filt.keep(entry.path, walked=True)) and not _skip(entry.path):
            yield entry.path


def iter_policy_paths(args: Iterable[str], filt: PathFilter | None = None) -> Iterator[str]:
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
            for path in _walk_sorted(arg, filt):
                if not (named or earlier):
                    yield path
                    continue
                rp = os.path.realpath(path)
                if rp not in named and not any(rp.startswith(w) for w in earlier):
                    yield path
        elif os.path.lexists(arg):
            if not covered(arg) and not _skip(arg) and _is_policy(arg, filt, named=True):
                named.add(os.path.realpath(arg))
                yield arg
        elif glob.has_magic(arg):
            matched = sorted(p for p in safe_glob(arg) if _is_file(p) and not _skip(p))
            if not matched:
                yield Missing(arg)
            for path in matched:
                if not covered(path) and _is_policy(path, filt, named=True):
                    named.add(os.path.realpath(path))
                    yield path
        else:
            yield Missing(arg)
