"""Loads the YAML lexicons (phrase patterns per fact) and compiles them once per process."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from checker.errors import RuleFileError
from checker.facts.literal_cache import LiteralCache
from checker.facts.prefilter import parse_literals
from checker.yamlfile import YamlFile, load_schema

LEXICON_DIR = Path(__file__).parent / "lexicons"
_SCHEMA = Path(__file__).parent / "lexicon.schema.json"
_TERM = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
FLAGS = re.IGNORECASE


class Branch:
    """One alternative of a pattern list: parsed (validated) when loaded, with the literals the
    prefilter needs; compiled on its first use, since most runs touch a fraction of them."""

    __slots__ = ("_regex", "literals", "source")

    def __init__(self, source: str, cache: LiteralCache | None = None) -> None:
        self.source = source
        found, literals = cache.get(source) if cache is not None else (False, None)
        if not found:
            literals = parse_literals(source, FLAGS)  # raises re.error on a bad pattern
            if cache is not None:
                cache.put(source, literals)
        self.literals = literals
        self._regex: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        if self._regex is None:
            self._regex = re.compile(self.source, FLAGS)
        return self._regex

    def search(self, text: str) -> re.Match[str] | None:
        return self.regex.search(text)


class Patterns:
    """A list of alternatives, searched one branch at a time (the prefilter says which)."""

    __slots__ = ("_combined", "branches")

    def __init__(self, branches: tuple[Branch, ...]) -> None:
        self.branches = branches
        self._combined: re.Pattern[str] | None = None

    def search(self, text: str) -> re.Match[str] | None:
        if self._combined is None:
            joined = "|".join(f"(?:{b.source})" for b in self.branches)
            self._combined = re.compile(joined, FLAGS)
        return self._combined.search(text)


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


@dataclass(frozen=True)
class Language:
    abbreviations: frozenset[str]
    common_words: frozenset[str]


@dataclass
class Lexicon:
    terms: dict[str, str] = field(default_factory=dict)
    term_items: dict[str, list[str]] = field(default_factory=dict)
    facts: dict[str, PhraseFact] = field(default_factory=dict)


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


def compile_patterns(
    patterns: str | list[str],
    lex: Lexicon,
    yf: YamlFile,
    where: list[str | int],
    cache: LiteralCache | None = None,
) -> Patterns:
    branches: dict[str, Branch] = {}
    for i, p in enumerate(_as_list(patterns)):
        try:
            for item in _flatten([p], lex):
                expanded = _expand(item, lex.terms)
                if expanded not in branches:
                    branches[expanded] = Branch(expanded, cache)
        except (re.error, ValueError) as exc:
            raise yf.fail(f"bad pattern {p!r}: {exc}", [*where, i]) from None
    return Patterns(tuple(branches.values()))


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


def _compile_fact(
    fid: str, spec: dict[str, Any], terms: Lexicon, yf: YamlFile, cache: LiteralCache | None
) -> PhraseFact:
    base: list[str | int] = ["facts", fid]
    groups = []
    for i, g in enumerate(spec["all"]):
        pattern = (
            compile_patterns(g["any"], terms, yf, [*base, "all", i, "any"], cache)
            if "any" in g
            else None
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
        (name, compile_patterns(p, terms, yf, [*base, "values", name], cache))
        for name, p in (spec.get("values") or {}).items()
    )
    none = (
        compile_patterns(spec["none"], terms, yf, [*base, "none"], cache)
        if spec.get("none")
        else None
    )
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
    )


def load_lexicon(directory: Path = LEXICON_DIR, extra: tuple[Path, ...] = ()) -> Lexicon:
    """Every *.yaml under the directory (plus extra files): terms first, then facts."""
    lexicon = Lexicon()
    files: list[YamlFile] = []
    builtin = sorted(directory.glob("*.yaml"))
    # Keyed by the built-in files; entries map an expanded pattern to its literals, a pure
    # function of the pattern, so user patterns may share the cache safely.
    cache = LiteralCache(builtin)
    for path in [*builtin, *extra]:
        if path.name in ("language.yaml", "entities.yaml"):
            continue
        _load_file(path, lexicon, files, trusted=path.parent == LEXICON_DIR)
    for yf in files:
        for fid, spec in (yf.data.get("facts") or {}).items():
            if fid in lexicon.facts:
                raise yf.fail(
                    f"fact '{fid}' is already defined in {lexicon.facts[fid].source}",
                    ["facts", fid],
                )
            lexicon.facts[fid] = _compile_fact(fid, spec, lexicon, yf, cache)
    cache.save()
    return lexicon


_extra_files: tuple[Path, ...] = ()


def use_lexicon_files(paths: tuple[str, ...]) -> None:
    """Add the user's lexicon files (config `lexicon_files:`) to the built-in ones. Cheap when
    unchanged, so every worker process can call it with its plan."""
    global _extra_files
    wanted = tuple(Path(p) for p in paths)
    if wanted != _extra_files:
        _extra_files = wanted
        lexicon.cache_clear()


@cache
def lexicon() -> Lexicon:
    return load_lexicon(extra=_extra_files)


@cache
def language() -> Language:
    data = YamlFile.load(LEXICON_DIR / "language.yaml", RuleFileError).data
    return Language(
        abbreviations=frozenset(a.lower().rstrip(".") for a in data["abbreviations"]),
        common_words=frozenset(w.lower() for w in data["common_words"]),
    )


@cache
def entity_data() -> dict[str, Any]:
    """Raw entity vocabulary (date labels, street suffixes, placeholders...) for the code-side
    recognisers in entities.py and dates.py."""
    return YamlFile.load(LEXICON_DIR / "entities.yaml", RuleFileError).data
