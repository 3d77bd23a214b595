"""Loads the YAML lexicons (phrase patterns per fact), checks every pattern, and compiles them
all into one engine (matcher.py) once; the result is cached on disk (state_cache.py).

Every pattern is checked when its file is loaded, so that a bad one is a one-line error naming
its file and line (exit 2) rather than a failure on every policy: it must compile with Python's
`re`, use only constructs the engine models (regex_syntax.py), and be free of the nested
quantifiers that make `re` backtrack exponentially (`(a+)+$`), since `re` still runs some
patterns (the fallback engine, and the confirmation of lookarounds and non-ASCII sentences).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from checker.errors import RuleFileError
from checker.yamlfile import YamlFile, load_schema

LEXICON_DIR = Path(__file__).parent / "lexicons"
_SCHEMA = Path(__file__).parent / "lexicon.schema.json"
FLAGS = re.IGNORECASE  # lexicon patterns match case-insensitively
_TERM = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


class Patterns:
    """A pattern list: the ids of its alternatives (branches) in the lexicon's branch table.
    Matching is the engine's job (matcher.py); a list is only a key into its answers."""

    __slots__ = ("ids",)

    def __init__(self, ids: tuple[int, ...]) -> None:
        self.ids = ids

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Patterns) and other.ids == self.ids

    def __hash__(self) -> int:
        return hash(self.ids)

    def __repr__(self) -> str:
        return f"Patterns{self.ids}"


@dataclass(frozen=True)
class Group:
    pattern: Patterns | None
    entities: frozenset[str]
    heading: bool
    name: str


@dataclass(frozen=True)
class PhraseFact:
    id: str
    title: str
    looks_for: str
    groups: tuple[Group, ...]
    none: Patterns | None
    values: tuple[tuple[str, Patterns], ...]
    window: int = 1
    min_words: int = 4
    max_evidence: int = 5
    source: str = ""
    # Sentences that state the fact most directly (e.g. a verb of sharing that reaches a
    # recipient): they are quoted first. Order only, never the verdict (issue 8).
    prefer: Patterns | None = None
    # Headings that put a sentence out of the fact's scope (a right described under "Your rights
    # under the GDPR" is not a California right): no sentence below them counts (issue 10).
    none_heading: Patterns | None = None
    # Section headings under which a heading that names one of the fact's values counts as
    # naming it: categories laid out as headings ("### Identifiers" under "Categories of
    # personal information we collect") are listed, not merely mentioned (issue 10).
    value_headings: Patterns | None = None


@dataclass(frozen=True)
class Language:
    abbreviations: frozenset[str]
    common_words: frozenset[str]


@dataclass
class Lexicon:
    terms: dict[str, str] = field(default_factory=dict)
    term_items: dict[str, list[str]] = field(default_factory=dict)
    facts: dict[str, PhraseFact] = field(default_factory=dict)
    branches: list[str] = field(default_factory=list)  # every distinct expanded alternative
    _branch_ids: dict[str, int] = field(default_factory=dict, repr=False)

    def branch_id(self, source: str) -> int:
        if source not in self._branch_ids:
            self._branch_ids[source] = len(self.branches)
            self.branches.append(source)
        return self._branch_ids[source]


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _expand(pattern: str, terms: dict[str, str], seen: tuple[str, ...] = ()) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in terms:
            return m.group(0)  # not a term: a regex quantifier such as {2}
        if name in seen:
            raise ValueError(f"term '{name}' refers to itself")
        return "(?:" + _expand(terms[name], terms, (*seen, name)) + ")"

    return _TERM.sub(sub, pattern)


def _flatten(items: list[str], lex: Lexicon, seen: tuple[str, ...] = ()) -> list[str]:
    """An item that is just `{term}` stands for the term's own alternatives."""
    out: list[str] = []
    for item in items:
        m = _TERM.fullmatch(item.strip())
        if m and m.group(1) in lex.term_items and m.group(1) not in seen:
            out += _flatten(lex.term_items[m.group(1)], lex, (*seen, m.group(1)))
        else:
            out.append(item)
    return out


def check_pattern(source: str) -> str | None:
    """Why the (expanded) pattern cannot be used, or None."""
    import checker.facts.regex_syntax as regex_syntax  # only when building: not on a warm start

    try:
        re.compile(source, FLAGS)
    except (re.error, OverflowError, RecursionError) as exc:
        return str(exc)
    try:
        risk = regex_syntax.backtracking_risk(source)
    except regex_syntax.Unsupported as exc:
        return (f"{exc} is not supported in lexicon patterns (use groups, classes, "
                "quantifiers, anchors and lookarounds)")
    except RecursionError:
        return "nested too deeply"
    if risk is not None:
        return (f"a repeated group could make matching take exponential time: {risk} "
                "(make each repetition start or end with something the rest cannot match)")
    return None


def compile_patterns(
    patterns: str | list[str],
    lex: Lexicon,
    yf: YamlFile,
    where: list[str | int],
) -> Patterns:
    ids: dict[int, None] = {}
    for i, p in enumerate(_as_list(patterns)):
        try:
            for item in _flatten([p], lex):
                expanded = _expand(item, lex.terms)
                if expanded not in lex._branch_ids:
                    problem = check_pattern(expanded)
                    if problem is not None:
                        raise ValueError(problem)
                ids[lex.branch_id(expanded)] = None
        except ValueError as exc:
            raise yf.fail(f"bad pattern {p!r}: {exc}", [*where, i]) from None
    return Patterns(tuple(ids))


def _load_file(path: Path, lexicon: Lexicon, files: list[YamlFile], trusted: bool) -> None:
    yf = YamlFile.load(path, RuleFileError)
    if yf.data is None:
        return
    if not trusted:  # the built-in lexicons are validated by the test suite
        yf.validate(load_schema(str(_SCHEMA)))
    for name, value in (yf.data.get("terms") or {}).items():
        lexicon.terms[name] = "|".join(f"(?:{p})" for p in _as_list(value))
        lexicon.term_items[name] = _as_list(value)
    files.append(yf)


def _compile_fact(fid: str, spec: dict[str, Any], terms: Lexicon, yf: YamlFile) -> PhraseFact:
    base: list[str | int] = ["facts", fid]
    groups = []
    for i, g in enumerate(spec["all"]):
        pattern = (
            compile_patterns(g["any"], terms, yf, [*base, "all", i, "any"]) if "any" in g else None
        )
        groups.append(
            Group(
                pattern,
                frozenset(g.get("entities", [])),
                g.get("heading", False),
                g.get("name", f"group {i + 1}"),
            )
        )
    values = tuple(
        (name, compile_patterns(p, terms, yf, [*base, "values", name]))
        for name, p in (spec.get("values") or {}).items()
    )
    none = compile_patterns(spec["none"], terms, yf, [*base, "none"]) if spec.get("none") else None
    return PhraseFact(
        id=fid,
        title=spec["title"],
        looks_for=spec["looks_for"],
        groups=tuple(groups),
        none=none,
        values=values,
        window=spec.get("window", 1),
        min_words=spec.get("min_words", 4),
        max_evidence=spec.get("max_evidence", 5),
        source=yf.path,
        prefer=(
            compile_patterns(spec["prefer"], terms, yf, [*base, "prefer"])
            if spec.get("prefer") else None
        ),
        none_heading=(
            compile_patterns(spec["none_heading"], terms, yf, [*base, "none_heading"])
            if spec.get("none_heading") else None
        ),
        value_headings=(
            compile_patterns(spec["value_headings"], terms, yf, [*base, "value_headings"])
            if spec.get("value_headings") else None
        ),
    )


_SPECIAL = ("language.yaml", "entities.yaml")


def _phrase_files(directory: Path, extra: tuple[Path, ...]) -> list[Path]:
    return [p for p in sorted(directory.glob("*.yaml")) if p.name not in _SPECIAL] + list(extra)


def load_lexicon(directory: Path = LEXICON_DIR, extra: tuple[Path, ...] = ()) -> Lexicon:
    """Every *.yaml under the directory (plus extra files): terms first, then facts."""
    lexicon = Lexicon()
    files: list[YamlFile] = []
    for path in _phrase_files(directory, extra):
        _load_file(path, lexicon, files, trusted=path.parent == LEXICON_DIR)
    for yf in files:
        for fid, spec in (yf.data.get("facts") or {}).items():
            if fid in lexicon.facts:
                raise yf.fail(
                    f"fact '{fid}' is already defined in {lexicon.facts[fid].source}",
                    ["facts", fid],
                )
            lexicon.facts[fid] = _compile_fact(fid, spec, lexicon, yf)
    return lexicon


# --- compiled state: lexicon + vocabularies + engine, cached on disk ----------------------


def _ids(p: Patterns | None) -> list[int] | None:
    return None if p is None else list(p.ids)


def _fact_data(f: PhraseFact) -> dict[str, Any]:
    return {
        "id": f.id, "title": f.title, "looks_for": f.looks_for,
        "groups": [[_ids(g.pattern), sorted(g.entities), g.heading, g.name] for g in f.groups],
        "none": _ids(f.none), "values": [[n, _ids(p)] for n, p in f.values],
        "window": f.window, "min_words": f.min_words, "max_evidence": f.max_evidence,
        "source": f.source, "prefer": _ids(f.prefer), "none_heading": _ids(f.none_heading),
        "value_headings": _ids(f.value_headings),
    }


def _fact_from(d: dict[str, Any], n: int) -> PhraseFact:
    def pats(ids: list[int] | None) -> Patterns | None:
        if ids is None:
            return None
        if not all(isinstance(i, int) and 0 <= i < n for i in ids):
            raise ValueError("branch id out of range")
        return Patterns(tuple(ids))

    return PhraseFact(
        id=str(d["id"]), title=str(d["title"]), looks_for=str(d["looks_for"]),
        groups=tuple(
            Group(pats(p), frozenset(e), bool(h), str(name)) for p, e, h, name in d["groups"]
        ),
        none=pats(d["none"]),
        values=tuple((str(name), pats(p)) for name, p in d["values"]),  # type: ignore[misc]
        window=int(d["window"]), min_words=int(d["min_words"]),
        max_evidence=int(d["max_evidence"]), source=str(d["source"]),
        prefer=pats(d.get("prefer")),
        none_heading=pats(d.get("none_heading")),
        value_headings=pats(d.get("value_headings")),
    )


@dataclass
class State:
    """Everything compiled from the lexicon files, restored whole from the cache when warm."""

    lexicon: Lexicon
    language: dict[str, list[str]]
    entities: dict[str, Any]
    engine: Any  # matcher.Engine

    def data(self) -> dict[str, Any]:
        lex = self.lexicon
        return {
            "branches": lex.branches,
            "facts": [_fact_data(f) for f in lex.facts.values()],
            "language": self.language,
            "entities": self.entities,
        }


def _build_state(directory: Path, extra: tuple[Path, ...], engine_name: str) -> State:
    from checker.facts.matcher import make_engine

    lex = load_lexicon(directory, extra)
    language_data = YamlFile.load(directory / "language.yaml", RuleFileError).data
    entities = YamlFile.load(directory / "entities.yaml", RuleFileError).data
    return State(lex, language_data, entities, make_engine(engine_name, lex.branches))


def _restore_state(data: dict[str, Any], blobs: dict[str, bytes | None], engine_name: str) -> State:
    from checker.facts.matcher import make_engine

    branches = [str(b) for b in data["branches"]]
    lex = Lexicon(branches=branches, _branch_ids={b: i for i, b in enumerate(branches)})
    for d in data["facts"]:
        lex.facts[d["id"]] = _fact_from(d, len(branches))
    engine_state = dict(data["engine"])
    if engine_name == "hyperscan":
        engine_state.update(ascii_db=blobs["ascii_db"], other_db=blobs["other_db"])
    engine = make_engine(engine_name, branches, engine_state)
    if not isinstance(data["language"], dict) or not isinstance(data["entities"], dict):
        raise ValueError("vocabularies missing")
    return State(lex, data["language"], data["entities"], engine)


def state_inputs() -> list[Path]:
    """Every file the compiled state of this process is built from (built-in and the user's)."""
    return [*_phrase_files(LEXICON_DIR, _extra_files), *(LEXICON_DIR / s for s in _SPECIAL)]


def load_state(directory: Path = LEXICON_DIR, extra: tuple[Path, ...] = ()) -> State:
    """The compiled state for these files, from the cache when an entry proves it fits."""
    import checker.state_cache as state_cache
    from checker.facts.matcher import ENGINE_VERSION, engine_name

    name = engine_name()
    inputs = [*_phrase_files(directory, extra), *(directory / s for s in _SPECIAL)]

    def dump(state: State) -> state_cache.Entry:
        exported = dict(state.engine.export())
        blobs = {"ascii_db": exported.pop("ascii_db", None),
                 "other_db": exported.pop("other_db", None)}
        return {**state.data(), "engine": exported}, blobs

    return state_cache.cached(inputs, name, ENGINE_VERSION,
                              lambda: _build_state(directory, extra, name),
                              lambda data, blobs: _restore_state(data, blobs, name), dump)


_extra_files: tuple[Path, ...] = ()


def use_lexicon_files(paths: tuple[str, ...]) -> None:
    """Add the user's lexicon files (config `lexicon_files:`) to the built-in ones. Cheap when
    unchanged, so every worker process can call it with its plan."""
    global _extra_files
    wanted = tuple(Path(p) for p in paths)
    if wanted != _extra_files:
        _extra_files = wanted
        reset()


def reset() -> None:
    """Forget the compiled state (after the lexicon files or PRIVCHECK_ENGINE changed)."""
    state.cache_clear()


@cache
def state() -> State:
    return load_state(extra=_extra_files)


def lexicon() -> Lexicon:
    return state().lexicon


@cache
def language() -> Language:
    data = state().language
    return Language(
        abbreviations=frozenset(a.lower().rstrip(".") for a in data["abbreviations"]),
        common_words=frozenset(w.lower() for w in data["common_words"]),
    )


def entity_data() -> dict[str, Any]:
    """Raw entity vocabulary (date labels, street suffixes, placeholders...) for the code-side
    recognisers in entities.py and dates.py."""
    return state().entities
