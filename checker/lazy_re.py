"""Module-level regular expressions compiled on first use, not at import.

Every run imports the path walker, the reader dispatch and the display sanitiser, but a run that
reads its results from the cache sniffs no file and walks no folder: compiling their patterns at
import cost such a run a noticeable part of its time (about 30 `re.compile` calls in all).
"""

from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    """Stands for `re.compile(pattern, flags)`: the first attribute asked for (`search`, `sub`,
    `finditer`...) compiles it, once."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: Any, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[Any] | None = None

    def __getattr__(self, name: str) -> Any:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(*self._args)
        return getattr(compiled, name)
