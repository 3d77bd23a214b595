"""Lexicon branches compiled by `re` without parsing them again: their compiled code, cached.

The hyperscan engine confirms some hits with `re` (lookarounds, prefilter supersets, and every hit
in a sentence with a non-ASCII character), so a short run compiles a hundred or more branches:
`re`'s parser and code generator are pure Python, and that was a tenth of the CPU of checking one
small policy (one "§" in it was enough). What `re.compile` hands CPython's regex engine in the end
is a list of integers (the pattern's code), which is a pure function of the pattern, its flags and
the Python build; `_sre.compile` takes it back. So the code of every branch is computed once,
checked (the pattern built from it must compare equal to `re.compile`'s, and Pattern equality
compares the code itself), and kept in the compiled-state cache under a key made of the branches'
text, the flags, the exact Python version and `_sre.MAGIC`.

Anything unexpected (another Python implementation, a version whose internals differ, no cache
directory) and `re.compile` is used as before: the cache only ever saves time.
"""

from __future__ import annotations

import hashlib
import re
import struct
import sys
from collections.abc import Sequence
from typing import Any

_VERSION = "1"
# (id(sources), flags) -> the table of that sources list (None: compile as usual)
_tables: dict[tuple[int, int], _Table | None] = {}


class _Table:
    """The cached code of every branch of one sources list."""

    def __init__(self, sources: Sequence[str], meta: list[Any], blob: bytes) -> None:
        if len(meta) != len(sources):
            raise ValueError("not this table")
        self.sources = sources  # held, so that id(sources) is not reused while cached
        self.meta = meta  # per branch: [offset, length, flags, groups, groupindex, indexgroup]
        self.blob = memoryview(blob)

    def pattern(self, i: int) -> re.Pattern[str] | None:
        import _sre  # type: ignore[import-not-found]

        entry = self.meta[i]
        if entry is None:
            return None
        offset, length, flags, groups, groupindex, indexgroup = entry
        code = list(struct.unpack_from(f"<{length}I", self.blob, offset))
        return _sre.compile(self.sources[i], flags, code, groups, groupindex,  # type: ignore
                            tuple(indexgroup))


def _code(source: str, flags: int) -> tuple[list[int], int, int, dict[str, int], list[Any]]:
    """What re._compiler.compile gives _sre.compile for this pattern (CPython 3.11+)."""
    parser, compiler = re._parser, re._compiler  # type: ignore[attr-defined]
    p = parser.parse(source, flags)
    code = compiler._code(p, flags)
    groupindex = dict(p.state.groupdict)
    indexgroup: list[Any] = [None] * p.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return code, flags | p.state.flags, p.state.groups - 1, groupindex, indexgroup


def _key(sources: Sequence[str], flags: int) -> str | None:
    try:
        import _sre  # type: ignore[import-not-found]

        magic = _sre.MAGIC
    except (ImportError, AttributeError):
        return None
    if sys.implementation.name != "cpython" or not hasattr(re, "_compiler"):
        return None
    digest = hashlib.sha256(f"re-codes {_VERSION}\0{sys.version}\0{magic}\0{flags}\0".encode())
    for source in sources:
        digest.update(source.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def _build(sources: Sequence[str], flags: int) -> tuple[dict[str, Any], dict[str, bytes | None]]:
    import _sre  # type: ignore[import-not-found]

    meta: list[Any] = []
    chunks: list[bytes] = []
    offset = 0
    for source in sources:
        try:
            code, all_flags, groups, groupindex, indexgroup = _code(source, flags)
            made = _sre.compile(source, all_flags, code, groups, groupindex, tuple(indexgroup))
            if made != re.compile(source, flags):
                raise ValueError("code differs")
            chunk = struct.pack(f"<{len(code)}I", *code)
        except Exception:
            meta.append(None)
            continue
        meta.append([offset, len(code), all_flags, groups, groupindex, indexgroup])
        chunks.append(chunk)
        offset += len(chunk)
    return {"meta": meta}, {"code": b"".join(chunks)}


def _table(sources: Sequence[str], flags: int) -> _Table | None:
    import checker.facts.state_cache as state_cache

    key = _key(sources, flags)
    if key is None or state_cache.cache_dir() is None:
        return None  # no cache to keep it in: computing it would only cost time
    entry = state_cache.load(key, "re-codes")
    if entry is not None:
        try:
            return _Table(sources, entry[0]["meta"], entry[1]["code"] or b"")
        except (KeyError, TypeError, ValueError):
            pass
    data, blobs = _build(sources, flags)
    state_cache.save(key, data, blobs, prefix="re-codes")
    return _Table(sources, data["meta"], blobs["code"] or b"")


def compile_branch(sources: Sequence[str], i: int, flags: int) -> re.Pattern[str]:
    """`re.compile(sources[i], flags)`, from the cached code when there is one."""
    table = _tables.get((id(sources), flags), False)
    if table is False:
        try:
            table = _table(sources, flags)
        except Exception:
            table = None
        _tables[(id(sources), flags)] = table
    if table is not None and table.sources is sources:
        try:
            made = table.pattern(i)
        except Exception:
            made = None
        if made is not None:
            return made
    return re.compile(sources[i], flags)
