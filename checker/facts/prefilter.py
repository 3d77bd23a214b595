"""One pass over a document that tells every recogniser where it could possibly match.

Running a few hundred regex alternatives over every sentence is what made a naive checker slow.
Instead, each pattern is analysed once (with Python's own regex parser) for the literal strings
that any match must contain; all those literals go into one Aho-Corasick automaton, which scans
the lower-cased document once. A pattern is then run only on the sentences where one of its
required literals occurs. Patterns with no required literal (rare) run everywhere.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

import ahocorasick

try:  # Python 3.11+
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}
if hasattr(sre_constants, "POSSESSIVE_REPEAT"):
    _REPEATS.add(sre_constants.POSSESSIVE_REPEAT)
_MIN_LITERAL = 2


def _score(candidates: set[str]) -> tuple[int, int]:
    return min(len(c) for c in candidates), -len(candidates)


def _required(items: Iterable[tuple[object, object]]) -> set[str] | None:
    """A set of literals one of which every match contains, or None if there is none."""
    best: set[str] | None = None
    run: list[str] = []

    def consider(candidates: set[str] | None) -> None:
        nonlocal best
        if (
            candidates
            and min(len(c) for c in candidates) >= _MIN_LITERAL
            and (best is None or _score(candidates) > _score(best))
        ):
            best = candidates

    for op, av in items:
        if op is sre_constants.LITERAL:
            run.append(chr(av).lower())  # type: ignore[arg-type]
            continue
        if run:
            consider({"".join(run)})
            run = []
        if op is sre_constants.SUBPATTERN:
            consider(_required(av[-1].data))  # type: ignore[index]
        elif op is sre_constants.BRANCH:
            sets = [_required(b.data) for b in av[1]]  # type: ignore[index]
            if all(sets):
                consider(set().union(*sets))  # type: ignore[arg-type]
        elif op in _REPEATS and av[0] >= 1:  # type: ignore[index]
            consider(_required(av[2].data))  # type: ignore[index]
        elif getattr(sre_constants, "ATOMIC_GROUP", None) is op:
            consider(_required(av.data))  # type: ignore[attr-defined]
    if run:
        consider({"".join(run)})
    return best


def parse_literals(pattern: str, flags: int) -> frozenset[str] | None:
    """Parse a pattern (raising re.error if it is invalid) and return its required literals."""
    parsed = sre_parse.parse(pattern, flags)
    try:
        found = _required(parsed.data)
    except (TypeError, IndexError, AttributeError, ValueError):
        return None  # an unanalysable pattern simply runs everywhere
    return frozenset(found) if found else None


class Prefilter:
    """Built once per lexicon: patterns registered by key, one automaton over their literals."""

    def __init__(self) -> None:
        self._automaton = ahocorasick.Automaton()
        self._keys: list[str] = []
        self._literal_keys: dict[str, list[int]] = {}
        self._built = False

    def add(self, key: str, literals: frozenset[str] | None) -> None:
        """Register a pattern by the literals one of which any match contains (None: any)."""
        if literals is None:
            return  # absent from scan()'s result: the pattern may match anywhere
        self._keys.append(key)
        idx = len(self._keys) - 1
        for lit in literals:
            self._literal_keys.setdefault(lit, []).append(idx)

    def build(self) -> None:
        for lit, keys in self._literal_keys.items():
            self._automaton.add_word(lit, tuple(keys))
        if self._literal_keys:
            self._automaton.make_automaton()
        self._built = True

    def scan(self, text: str, starts: list[int]) -> dict[str, set[int]]:
        """For each pattern key, the indexes of the units (sentences starting at `starts` in
        `text`) where the pattern may match. Keys with no required literal are absent: they
        may match anywhere."""
        if not self._built:
            self.build()
        hits: dict[int, set[int]] = {}
        if self._literal_keys:
            lowered = text.lower()
            if len(lowered) != len(text):  # a few characters lower-case to two (İ -> i̇)
                lowered = "".join(ch.lower()[:1] for ch in text)
            # Group the hits by literal first: a common literal hits often, and its keys are
            # then updated once per unit rather than once per occurrence.
            units_by_literal: dict[tuple[int, ...], set[int]] = {}
            bisect_right = bisect.bisect_right
            for end, keys in self._automaton.iter(lowered):
                units = units_by_literal.get(keys)
                if units is None:
                    units = units_by_literal[keys] = set()
                units.add(bisect_right(starts, end) - 1)
            for keys, units in units_by_literal.items():
                for k in keys:
                    if k in hits:
                        hits[k] |= units
                    else:
                        hits[k] = set(units)
        return {key: hits.get(i, set()) for i, key in enumerate(self._keys)}
