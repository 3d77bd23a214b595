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
from functools import cache

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


def _conditions(items: Iterable[tuple[object, object]]) -> list[set[str]]:
    """Every literal set the top-level sequence requires (a literal run, or a group whose
    alternatives each require one): any match contains a literal of *each* set."""
    found: list[set[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is sre_constants.LITERAL:
            run.append(chr(av).lower())  # type: ignore[arg-type]
            continue
        if run:
            found.append({"".join(run)})
            run = []
        if op is sre_constants.SUBPATTERN:
            sub = _required(av[-1].data)  # type: ignore[index]
        elif op is sre_constants.BRANCH:
            sets = [_required(b.data) for b in av[1]]  # type: ignore[index]
            sub = set().union(*sets) if all(sets) else None  # type: ignore[arg-type]
        elif op in _REPEATS and av[0] >= 1:  # type: ignore[index]
            sub = _required(av[2].data)  # type: ignore[index]
        else:
            sub = None
        if sub:
            found.append(sub)
    if run:
        found.append({"".join(run)})
    common = _common_words()
    return [
        c for c in found
        if min(len(x) for x in c) >= _MIN_CONDITION and not any(x.strip() in common for x in c)
    ]


_MAX_CONDITIONS = 3  # the most selective few suffice; more only cost scan time
_MIN_CONDITION = 3  # a two-letter literal ("in", "or") is in every sentence: it prunes nothing


@cache
def _common_words() -> frozenset[str]:
    """Words in nearly every sentence of a policy: as a condition they would cost scan time and
    prune nothing (lexicons/language.yaml)."""
    from checker.facts.lexicon import language

    return language().common_words


def parse_literals(pattern: str, flags: int) -> tuple[frozenset[str], ...] | None:
    """Parse a pattern (raising re.error if it is invalid) and return the literal sets a match
    needs: one literal of each set occurs in any match. None: no such set (runs everywhere)."""
    parsed = sre_parse.parse(pattern, flags)
    try:
        conditions = _conditions(parsed.data)
        if not conditions:
            best = _required(parsed.data)
            conditions = [best] if best else []
    except (TypeError, IndexError, AttributeError, ValueError):
        return None  # an unanalysable pattern simply runs everywhere
    if not conditions:
        return None
    conditions.sort(key=_score, reverse=True)
    return tuple(frozenset(c) for c in conditions[:_MAX_CONDITIONS])


class Prefilter:
    """Built once per lexicon: patterns registered by key, one automaton over their literals.

    A pattern may need several literal sets at once ("you" ... "may" ... "update"): each set is a
    slot, and the pattern's sentences are those where every one of its slots has a hit."""

    def __init__(self) -> None:
        self._automaton = ahocorasick.Automaton()
        self._keys: list[str] = []
        self._key_slots: list[range] = []
        self._literal_slots: dict[str, list[int]] = {}
        self._slot_count = 0
        self._built = False

    def add(self, key: str, conditions: tuple[frozenset[str], ...] | None) -> None:
        """Register a pattern by the literal sets it needs (None: it may match anywhere)."""
        if not conditions:
            return  # absent from scan()'s result: the pattern may match anywhere
        first = self._slot_count
        for offset, literals in enumerate(conditions):
            for lit in literals:
                self._literal_slots.setdefault(lit, []).append(first + offset)
        self._slot_count += len(conditions)
        self._keys.append(key)
        self._key_slots.append(range(first, self._slot_count))

    def build(self) -> None:
        for lit, slots in self._literal_slots.items():
            self._automaton.add_word(lit, tuple(slots))
        if self._literal_slots:
            self._automaton.make_automaton()
        self._built = True

    def scan(self, text: str, starts: list[int]) -> dict[str, set[int]]:
        """For each pattern key, the indexes of the units (sentences starting at `starts` in
        `text`) where the pattern may match. Keys with no required literal are absent: they
        may match anywhere."""
        if not self._built:
            self.build()
        slot_hits: dict[int, set[int]] = {}
        if self._literal_slots:
            lowered = text.lower()
            if len(lowered) != len(text):  # a few characters lower-case to two (İ -> i̇)
                lowered = "".join(ch.lower()[:1] for ch in text)
            # Group the hits by literal first: a common literal hits often, and its slots are
            # then updated once per unit rather than once per occurrence.
            units_by_literal: dict[tuple[int, ...], set[int]] = {}
            bisect_right = bisect.bisect_right
            for end, slots in self._automaton.iter(lowered):
                units = units_by_literal.get(slots)
                if units is None:
                    units = units_by_literal[slots] = set()
                units.add(bisect_right(starts, end) - 1)
            for slots, units in units_by_literal.items():
                for slot in slots:
                    if slot in slot_hits:
                        slot_hits[slot] |= units
                    else:
                        slot_hits[slot] = set(units)
        result: dict[str, set[int]] = {}
        empty: set[int] = set()
        for key, slots in zip(self._keys, self._key_slots, strict=True):
            units = slot_hits.get(slots[0], empty)
            for slot in slots[1:]:
                if not units:
                    break
                units = units & slot_hits.get(slot, empty)
            result[key] = set(units)
        return result
