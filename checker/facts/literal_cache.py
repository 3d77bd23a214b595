"""An on-disk cache of the prefilter's analysis of the built-in patterns.

Parsing the ~700 built-in regex alternatives for their required literals takes about a tenth of a
second, most of a short run's start. The result depends only on the built-in lexicon files, this
version and the Python version, so it is kept in the user's cache directory (like ruff's or
mypy's cache) under a key made of exactly those. User lexicons are always parsed afresh.
`PRIVCHECK_CACHE_DIR` moves the cache; setting it to an empty string turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from checker import __version__

Conditions = tuple[frozenset[str], ...] | None


def cache_dir() -> Path | None:
    configured = os.environ.get("PRIVCHECK_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "privcheck"


class LiteralCache:
    """pattern source -> the literal sets it needs, for one set of built-in lexicon files."""

    def __init__(self, files: Iterable[Path]) -> None:
        digest = hashlib.sha256(f"{__version__} {sys.version_info[:2]}".encode())
        for path in sorted(files):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        directory = cache_dir()
        self._path = directory / f"literals-{digest.hexdigest()[:20]}.json" if directory else None
        self._entries: dict[str, list[list[str]] | None] = {}
        self._dirty = False
        if self._path is not None:
            try:
                entries = json.loads(self._path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                entries = {}
            self._entries = entries if isinstance(entries, dict) else {}

    def get(self, source: str) -> tuple[bool, Conditions]:
        """(found, conditions)."""
        if source not in self._entries:
            return False, None
        value = self._entries[source]
        if value is None:
            return True, None
        try:
            return True, tuple(frozenset(str(x) for x in c) for c in value)
        except TypeError:  # a damaged entry: analyse the pattern again
            return False, None

    def put(self, source: str, conditions: Conditions) -> None:
        self._entries[source] = None if conditions is None else [sorted(c) for c in conditions]
        self._dirty = True

    def save(self) -> None:
        """Write atomically; a cache that cannot be written is simply not kept."""
        if not self._dirty or self._path is None:
            return
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self._path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(self._entries, f)
            os.replace(tmp, self._path)
            self._dirty = False
        except OSError:
            pass
