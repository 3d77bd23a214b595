"""The multi-pattern engine: which lexicon branches match which sentences of a document.

Every branch (one alternative of a pattern list) of every loaded lexicon has an id in one table.
For a document, the engine answers "in which sentences does any of these branches match?", and
the phrase logic (phrases.py) is set lookups on that answer. Two engines give the same answers:

- `hyperscan`: all branches compiled into one Hyperscan database, each sentence scanned once,
  in linear time. Branches are translated by regex_syntax.py so that on ASCII text the database
  accepts exactly what Python's `re` accepts; a sentence with other characters is scanned, with
  those characters replaced by placeholders, by a second database that over-approximates, and
  each branch it reports is confirmed by `re` on the real sentence. A branch with a lookaround
  is matched without it and confirmed the same way.
- `re`: Python's `re`, one alternation per pattern list, on every sentence (the fallback where
  no Hyperscan wheel exists; also selectable with PRIVCHECK_ENGINE=re for tests and benchmarks).

An engine's per-document work is a pure function of the sentences and the compiled table.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any, Protocol

from checker.errors import ConfigError
from checker.facts.placeholders import with_placeholders

FLAGS = re.IGNORECASE  # lexicons match case-insensitively (regex_syntax.FLAGS)

ENGINE_VERSION = "6"  # part of the compiled-state cache key: bump when translation changes

# How the hyperscan engine runs a branch.
EXACT = 0  # in the ASCII database, exact
CONFIRM = 1  # in the ASCII database as a superset: confirm a hit with re
RE_ONLY = 2  # not in the databases (Hyperscan refused it): re on every sentence
# A branch longer than this (a term of many alternatives inside a longer phrase) goes into the
# databases in Hyperscan's prefilter mode (a superset, confirmed by re, as CONFIRM branches are):
# compiled exactly, one such branch was refused as too large, and finding it cost 20 s of a cold
# build.
HS_PREFILTER_LENGTH = 1400
NEVER_ASCII = 3  # cannot match ASCII text at all
# `^(?!Y)REST` / `^(?=Y)REST` (regex_syntax.leading_lookahead): the ASCII database holds `^REST`
# under the branch's id and `^Y` under an id of its own past the branch table; the branch
# matches when the first does and the second does not (LOOK_NOT) or does too (LOOK_AND). Where
# either half is a superset, an answer it cannot settle is confirmed by re.
LOOK_NOT = 4
LOOK_AND = 5


class PatternList(Protocol):
    ids: tuple[int, ...]


def engine_name() -> str:
    """The engine to use: PRIVCHECK_ENGINE (re | hyperscan) if set, else hyperscan when its
    module can be imported, else re."""
    wanted = os.environ.get("PRIVCHECK_ENGINE", "").strip().lower()
    if wanted == "re":
        return "re"
    if wanted not in ("", "auto", "hyperscan"):
        raise ConfigError(f"PRIVCHECK_ENGINE={wanted!r}: expected 're' or 'hyperscan'")
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        if wanted == "hyperscan":
            raise ConfigError("PRIVCHECK_ENGINE=hyperscan but the hyperscan module is not "
                              "installed (pip install hyperscan)") from None
        return "re"
    return "hyperscan"


def available_engines() -> list[str]:
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        return ["re"]
    return ["hyperscan", "re"]


class _Regexes:
    """Each branch compiled by `re` on first use (the hyperscan engine needs only a few)."""

    def __init__(self, sources: Sequence[str]) -> None:
        self.sources = sources
        self._compiled: dict[int, re.Pattern[str]] = {}
        self._lists: dict[tuple[int, ...], re.Pattern[str]] = {}
        self._literals: dict[int, list[str] | None] = {}

    def branch(self, i: int) -> re.Pattern[str]:
        rx = self._compiled.get(i)
        if rx is None:
            rx = self._compiled[i] = re.compile(self.sources[i], FLAGS)
        return rx

    def literals(self, i: int) -> list[str] | None:
        """Lower-case strings one of which every match of the branch contains (None: no such
        list), worked out on first use."""
        if i not in self._literals:
            from checker.facts.regex_syntax import required_literals

            self._literals[i] = required_literals(self.sources[i])
        return self._literals[i]

    def alternation(self, ids: tuple[int, ...]) -> re.Pattern[str]:
        rx = self._lists.get(ids)
        if rx is None:
            if len(ids) == 1:
                rx = self.branch(ids[0])
            else:
                rx = re.compile("|".join(f"(?:{self.sources[i]})" for i in ids), FLAGS)
            self._lists[ids] = rx
        return rx


# `re` matches the ASCII letters i, s and k with these under IGNORECASE; lower() alone would
# not turn them into the letters the literal prefilter looks for.
_FOLD_FOR_LITERALS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


class ReEngine:
    """Python's re, each branch only on the sentences holding one of the literal strings that
    every match of it contains (regex_syntax.required_literals), found with str.find over the
    document's lower-cased text."""

    name = "re"

    def __init__(self, sources: Sequence[str], state: dict[str, Any] | None = None) -> None:
        self.regexes = _Regexes(sources)
        if state is None or len(state.get("literals", ())) != len(sources):
            from checker.facts.regex_syntax import required_literals

            state = {"literals": [required_literals(s) for s in sources]}
        self._state = state
        self.literals: list[list[str] | None] = state["literals"]

    def document(self, texts: Sequence[str]) -> ReMatches:
        return ReMatches(self, texts)

    def export(self) -> dict[str, Any]:
        return self._state


class ReMatches:
    """A document's matches, computed per pattern list on first request."""

    def __init__(self, engine: ReEngine, texts: Sequence[str]) -> None:
        self._engine = engine
        self._regexes = engine.regexes
        self._texts = texts
        self._hits: dict[tuple[int, ...], frozenset[int]] = {}
        self._lowered: str | None = None
        self._starts: list[int] = []
        self._literal_hits: dict[str, set[int]] = {}

    def _lower(self) -> str:
        if self._lowered is None:
            pos = 0
            for t in self._texts:
                self._starts.append(pos)
                pos += len(t) + 1
            # Lower-casing may change a text's length (İ): fold those first, keep offsets.
            joined = "\n".join(self._texts).translate(_FOLD_FOR_LITERALS)
            lowered = joined.lower()
            self._lowered = lowered if len(lowered) == len(joined) else "".join(
                c.lower()[:1] for c in joined)
        return self._lowered

    def _holding(self, literal: str) -> set[int]:
        """The sentences whose (folded, lower-cased) text holds the literal: one str.find per
        such sentence, cached for the document."""
        found = self._literal_hits.get(literal)
        if found is None:
            lowered = self._lower()
            starts = self._starts
            found = set()
            j = lowered.find(literal)
            while j >= 0:
                k = bisect_right(starts, j) - 1
                found.add(k)
                j = lowered.find(literal, starts[k + 1]) if k + 1 < len(starts) else -1
            self._literal_hits[literal] = found
        return found

    def hits(self, patterns: PatternList) -> frozenset[int]:
        """Each branch runs only on the sentences holding one of its literals (a branch with
        none runs everywhere)."""
        ids = patterns.ids
        found = self._hits.get(ids)
        if found is None:
            texts = self._texts
            literals = self._engine.literals
            branch = self._regexes.branch
            out: set[int] = set()
            for b in ids:
                lits = literals[b]
                if lits:
                    candidates: set[int] = set()
                    for x in lits:
                        candidates |= self._holding(x)
                    candidates -= out
                else:
                    candidates = set(range(len(texts))) - out
                search = branch(b).search
                out.update(i for i in candidates if search(texts[i]))
            found = self._hits[ids] = frozenset(out)
        return found

    def matches_text(self, patterns: PatternList, text: str) -> bool:
        return self._regexes.alternation(patterns.ids).search(text) is not None


class HyperscanEngine:
    """Two databases over the branch table: ASCII (exact, or confirmed) and placeholder (always
    confirmed). Built from the sources, or restored from `export()`'s data (the cache)."""

    name = "hyperscan"

    def __init__(self, sources: Sequence[str], state: dict[str, Any] | None = None) -> None:
        import hyperscan

        self._hs = hyperscan
        self.regexes = _Regexes(sources)
        self.window_uses: dict[int, int] = {}  # HsMatches.matches_text: scans per list
        if state is None:
            state = self._build(sources)
        self._state = state
        self.modes: list[int] = list(state["modes"])
        if len(self.modes) != len(sources):
            raise ValueError("compiled state does not fit the branch table")
        self._ascii_ids: list[int] = list(state["ascii_ids"])
        self._other_ids: list[int] = list(state["other_ids"])
        self._ascii_db = self._load(state["ascii_db"])
        self._other_db: Any = None  # loaded on the first sentence that needs it
        self.re_only = tuple(i for i, m in enumerate(self.modes) if m == RE_ONLY)
        # LOOK_NOT, LOOK_AND branch -> (the id of its lookahead's own pattern, whether `^REST`
        # is exact, whether `^Y` is exact, the id of the superset for the rest of Y or -1)
        looks = state.get("looks", ())
        self.looks: dict[int, tuple[int, bool, bool, int]] = {
            int(b): (int(a), bool(r), bool(y), int(m)) for b, a, r, y, m, _ in looks
        }
        # LOOK_ branch with such a superset -> `re`'s pattern for that rest of Y alone
        self._more_sources: dict[int, str] = {
            int(b): str(src) for b, _, _, _, m, src in looks if int(m) >= 0
        }
        self._more_rx: dict[int, re.Pattern[str]] = {}
        # The ids an ASCII scan may report that are not plainly exact branches: most sentences
        # report none of them, and their hits are taken as they are.
        self._special = frozenset(
            i for i, m in enumerate(self.modes) if m not in (EXACT, NEVER_ASCII)
        ) | frozenset(int(i) for i in state.get("aux_ids", ()))

    def _load(self, blob: bytes | None) -> Any:
        if blob is None:
            return None
        db = self._hs.loadb(blob, self._hs.HS_MODE_BLOCK)
        db.scratch = self._hs.Scratch(db)  # a deserialised database comes without one
        return db

    def export(self) -> dict[str, Any]:
        return self._state

    def _build(self, sources: Sequence[str]) -> dict[str, Any]:
        # Only a cold cache builds: the translator is not imported on a warm start.
        from checker.facts.regex_syntax import leading_lookahead, min_length, parse, translate

        modes: list[int] = []
        ascii_exprs: list[tuple[int, bytes]] = []
        other_exprs: list[tuple[int, bytes]] = []
        long = {i for i, s in enumerate(sources) if len(s) > HS_PREFILTER_LENGTH}
        # Hyperscan wants to be told which patterns may match the empty string (rare, and
        # slower to compile), so only those get the flag.
        empty = {i for i, s in enumerate(sources) if min_length(parse(s)) == 0}
        looks: dict[int, list[Any]] = {}
        next_id = len(sources)  # the lookaheads' own patterns are numbered past the branches
        for i, source in enumerate(sources):
            a = translate(source, placeholder=False)
            o = translate(source, placeholder=True)
            split = None if a.exact or i in long else leading_lookahead(source)
            if a.pattern is None:
                modes.append(NEVER_ASCII)
            elif split is not None:
                modes.append(LOOK_NOT if split.negative else LOOK_AND)
                look_id = next_id
                more_id = -1 if split.look_more is None else next_id + 1
                next_id += 1 if more_id < 0 else 2
                looks[i] = [look_id, split.rest_exact, split.look_exact, more_id,
                            split.look_more_source or ""]
                ascii_exprs.append((i, split.rest.encode("latin-1")))
                ascii_exprs.append((look_id, split.look.encode("latin-1")))
                if split.look_empty:
                    empty.add(look_id)
                if split.look_more is not None:
                    ascii_exprs.append((more_id, split.look_more.encode("latin-1")))
                    if split.look_more_empty:
                        empty.add(more_id)
            else:
                modes.append(EXACT if a.exact and i not in long else CONFIRM)
                ascii_exprs.append((i, a.pattern.encode("latin-1")))
            if o.pattern is not None:
                other_exprs.append((i, o.pattern.encode("latin-1")))
        ascii_db, ascii_ok = self._compile(ascii_exprs, empty, long)
        other_db, other_ok = self._compile(other_exprs, empty, long)
        refused = ({i for i, _ in ascii_exprs if i < len(sources)} - ascii_ok) | (
            {i for i, _ in other_exprs} - other_ok
        )
        for i in refused:  # Hyperscan could not take it (too large): re runs it everywhere
            modes[i] = RE_ONLY
        for i, (look_id, _, _, more_id, _) in list(looks.items()):
            if i in refused or not {look_id, more_id} - {-1} <= ascii_ok:
                del looks[i]
                if i not in refused:  # its lookahead refused: `^REST` alone, confirmed
                    modes[i] = CONFIRM
        return {
            "modes": modes,
            "ascii_ids": sorted(i for i in ascii_ok - refused if i < len(sources)),
            "other_ids": sorted(other_ok - refused),
            "looks": [[i, *looks[i]] for i in sorted(looks)],
            # every id past the branch table in the ASCII database (a lookahead's pattern,
            # orphaned too where its partner was refused): never a branch hit by itself
            "aux_ids": sorted(i for i in ascii_ok if i >= len(sources)),
            "ascii_db": ascii_db,
            "other_db": other_db,
        }

    def _compile(
        self, exprs: list[tuple[int, bytes]], empty: set[int], prefilter: set[int]
    ) -> tuple[bytes | None, set[int]]:
        """A serialised database of the expressions Hyperscan accepts (ids: branch ids); those in
        `prefilter` are compiled as supersets, to be confirmed by re."""
        hs = self._hs
        base = hs.HS_FLAG_CASELESS | hs.HS_FLAG_SINGLEMATCH

        def build(items: list[tuple[int, bytes]]) -> bytes | None:
            if not items:
                return None
            db = hs.Database(mode=hs.HS_MODE_BLOCK)
            db.compile(expressions=[e for _, e in items], ids=[i for i, _ in items],
                       elements=len(items),
                       flags=[base | (hs.HS_FLAG_ALLOWEMPTY if i in empty else 0)
                              | (hs.HS_FLAG_PREFILTER if i in prefilter else 0)
                              for i, _ in items])
            return hs.dumpb(db)

        # Hyperscan refuses a pattern whose automaton is too large, without saying which one.
        # The refused are among the longest, so try those alone, longest first, in growing
        # batches, until the rest compiles: one per pattern would cost ~25 ms x 1,500 patterns.
        suspects = sorted(exprs, key=lambda item: len(item[1]), reverse=True)
        kept, tried, batch = list(exprs), 0, 32
        while True:
            try:
                return build(kept), {i for i, _ in kept}
            except hs.error:
                if tried >= len(suspects):
                    return None, set()
            for item in suspects[tried:tried + batch]:
                try:
                    build([item])
                except hs.error:
                    kept.remove(item)
            tried, batch = tried + batch, batch * 2

    def _more(self, i: int) -> re.Pattern[str]:
        rx = self._more_rx.get(i)
        if rx is None:
            rx = self._more_rx[i] = re.compile(self._more_sources[i], FLAGS)
        return rx

    def document(self, texts: Sequence[str]) -> HsMatches:
        return HsMatches(self, texts)

    def scan(self, text: str) -> set[int]:
        """Every branch that matches in the text, exactly."""
        return set(self.scan_all([text]))

    def scan_all(self, texts: Sequence[str]) -> dict[int, list[int]]:
        """branch -> the indexes of the texts it matches, exactly."""
        found: list[int] = []

        def on_match(i: int, _a: int, _b: int, _f: int, _c: object) -> None:
            found.append(i)

        by_branch: dict[int, list[int]] = {}
        modes = self.modes
        looks = self.looks
        special = self._special
        branch = self.regexes.branch
        ascii_scan = self._ascii_db.scan if self._ascii_db is not None else None
        for index, text in enumerate(texts):
            found.clear()
            if text.isascii():
                if ascii_scan is not None:
                    ascii_scan(text.encode("ascii"), match_event_handler=on_match)
                odd = special.intersection(found)
                if not odd:
                    hits = list(found)
                else:
                    hits = [i for i in found if i not in odd]
                    for i in odd:
                        if i >= len(modes):
                            continue  # a lookahead's own pattern
                        if i in looks:
                            # Does the lookahead's body Y match at the start? True, False, or
                            # None where only a superset of it matched.
                            look, rest_exact, look_exact, more = looks[i]
                            if look in odd:
                                y = True if look_exact else None
                            elif more >= 0 and more in odd:
                                # Y's exact options did not match: Y holds where its options
                                # with lookarounds do, which `re` decides on those alone.
                                y = self._more(i).search(text) is not None
                            else:
                                y = False
                            if y is not None:
                                if y == (modes[i] == LOOK_NOT):
                                    continue  # excluded (LOOK_NOT), or not confirmed (LOOK_AND)
                                if rest_exact:
                                    hits.append(i)
                                    continue
                        if branch(i).search(text):  # confirmed
                            hits.append(i)
            else:
                if self._other_db is None:
                    self._other_db = self._load(self._state["other_db"])
                if self._other_db is not None:
                    self._other_db.scan(with_placeholders(text), match_event_handler=on_match)
                hits = [i for i in found if branch(i).search(text)]
            for i in self.re_only:
                if branch(i).search(text):
                    hits.append(i)
            for i in hits:
                if i in by_branch:
                    by_branch[i].append(index)
                else:
                    by_branch[i] = [index]
        return by_branch


WINDOW_SCANS = 2  # a pattern list's first uses on a window scan rather than compile `re`


class HsMatches:
    """A document's matches: every sentence scanned once, up front."""

    def __init__(self, engine: HyperscanEngine, texts: Sequence[str]) -> None:
        self._engine = engine
        self._by_branch = engine.scan_all(texts)
        self._matched = set(self._by_branch)  # the branches that matched somewhere
        self._hits: dict[int, frozenset[int]] = {}

    def hits(self, patterns: PatternList) -> frozenset[int]:
        # Keyed by the list object: lists live as long as the lexicon, and id() is cheaper
        # than hashing the id tuple on each of the thousands of calls per document.
        found = self._hits.get(id(patterns))
        if found is None:
            by_branch = self._by_branch
            acc: set[int] = set()
            # Only the list's branches that matched somewhere are visited (a set intersection
            # in C): the work follows the matches, not the length of the list.
            for i in self._matched.intersection(patterns.ids):
                acc.update(by_branch[i])
            found = self._hits[id(patterns)] = frozenset(acc)
        return found

    def matches_text(self, patterns: PatternList, text: str) -> bool:
        # One pattern list on one joined window: `re` on that list alone costs far less than
        # scanning the text for every branch. On ASCII text each branch runs only where one of
        # its required literals occurs (most do not): the list matches if any branch does, as
        # their alternation would. Otherwise the list's alternation, whose compile costs more
        # than a scan, so a list's first uses scan (a short run's start-up was a fifth `re`
        # compiling lists it used once): the same answer.
        engine = self._engine
        regexes = engine.regexes
        if not text.isascii():
            uses = engine.window_uses.get(id(patterns), 0)
            if uses < WINDOW_SCANS:
                engine.window_uses[id(patterns)] = uses + 1
                return not engine.scan(text).isdisjoint(patterns.ids)
            return regexes.alternation(patterns.ids).search(text) is not None
        lowered = text.lower()
        for i in patterns.ids:
            literals = regexes.literals(i)
            if literals and not any(x in lowered for x in literals):
                continue
            if regexes.branch(i).search(text):
                return True
        return False


Engine = ReEngine | HyperscanEngine


def make_engine(name: str, sources: Sequence[str], state: dict[str, Any] | None = None) -> Engine:
    if name == "hyperscan":
        return HyperscanEngine(sources, state)
    return ReEngine(sources, state)
