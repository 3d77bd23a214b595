"""Every matching engine gives the same verdicts and evidence: the whole case suite, the seeds,
non-ASCII text, and each built-in branch against Python's `re` on altered sentences."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.checkfile import check_file
from checker.config import Config
from checker.engine import make_plan
from checker.facts import extract_facts
from checker.facts.lexicon import reset, state
from checker.facts.matcher import available_engines
from checker.readers import parse_policy
from tests.conftest import POLICIES, SEEDS

CASES_DIR = Path(__file__).parent / "cases"
ENGINES = available_engines()


def _use(engine: str | None) -> None:
    if engine is None:
        os.environ.pop("PRIVCHECK_ENGINE", None)
    else:
        os.environ["PRIVCHECK_ENGINE"] = engine
    reset()


@pytest.fixture
def each_engine() -> Iterator[list[str]]:
    before = os.environ.get("PRIVCHECK_ENGINE")
    try:
        yield ENGINES
    finally:
        _use(before)


def _facts(text: str, name: str = "policy.md") -> dict[str, Any]:
    facts = extract_facts(parse_policy(name, text))
    return {k: v.model_dump(mode="json") for k, v in facts.items()}


def _case_texts() -> list[str]:
    texts = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            texts.append(case["text"])
    return texts


def _altered(text: str) -> list[str]:
    """The text as a real policy may write it: non-breaking spaces, curly quotes, accents."""
    return [
        text.replace(" ", "\xa0"),
        text.replace("'", "’").replace('"', "“"),
        text.replace("e", "é").replace("a", "à"),
        text.replace(" ", " \u2009", 3).replace("do not", "do\xa0not"),
        "Ünïcödé prélude — " + text.replace("s", "ſ", 2).replace("k", "\u212a", 1),
    ]


def test_hyperscan_is_available_here() -> None:
    """CI installs the compiled engine; without it the comparison below would be empty."""
    assert "hyperscan" in ENGINES


def test_case_suite_identical_on_every_engine(each_engine: list[str]) -> None:
    texts = _case_texts()
    assert len(texts) > 200
    results: dict[str, list[dict[str, Any]]] = {}
    for engine in each_engine:
        _use(engine)
        assert state().engine.name == engine
        results[engine] = [_facts(t) for t in texts]
    first = results[each_engine[0]]
    for engine in each_engine[1:]:
        for text, a, b in zip(texts, first, results[engine], strict=True):
            assert a == b, (engine, text)


def test_seeds_identical_on_every_engine(each_engine: list[str]) -> None:
    policies = [*SEEDS, *sorted(POLICIES.glob("sample-*.md"))]
    results: dict[str, list[Any]] = {}
    for engine in each_engine:
        _use(engine)
        plan = make_plan(Config(), today=date(2026, 1, 1))
        results[engine] = [check_file(str(p), plan).model_dump(mode="json") for p in policies]
    for engine in each_engine[1:]:
        assert results[engine] == results[each_engine[0]]


def test_non_ascii_text_identical_on_every_engine(each_engine: list[str]) -> None:
    """Sentences with non-breaking spaces, accented letters, curly quotes, a long s and a
    Kelvin sign (which Python's re matches with `s` and `k`) give the same facts."""
    texts = [alt for t in _case_texts()[::3] for alt in _altered(t)]
    texts.append("We do\xa0not track you. “Do Not Track” signals are ignored: Dö Nöt Träck.")
    results: dict[str, list[dict[str, Any]]] = {}
    for engine in each_engine:
        _use(engine)
        results[engine] = [_facts(t) for t in texts]
    for engine in each_engine[1:]:
        for text, a, b in zip(texts, results[each_engine[0]], results[engine], strict=True):
            assert a == b, (engine, text)


SOURCES = [
    "do not sell",  # a literal space is U+0020 only, for re
    r"do\s+not\s+sell",  # \s takes the non-breaking and thin spaces too
    r"\bcaf[ée]\b",  # a non-ASCII letter in a class, and word boundaries beside it
    r"children[’']s\s+privacy",
    r"(?-i:Do Not Track)",  # case-sensitive inside
    r"\bsell(?!\s+out)",  # a lookahead, confirmed by re
    r"(?<!not )share",  # a lookbehind
    r"\w+@\w+\.com",
    r"^\s*what\b[^.]*\?\s*$",
    r"k\w{2}p",  # re matches the Kelvin sign with k
    r"x{,2}y",  # {,n} is a quantifier for re, a literal for PCRE
]
TEXTS = [
    "We do not sell data.", "We do\xa0not sell data.", "We do\u2009not\u00a0sell data.",
    "Our café is here.", "Our cafe is here.", "Our cafés are here.", "Our caféteria.",
    "Children’s Privacy", "children's  privacy", "CHILDREN’S PRIVACY",
    "We honour Do Not Track.", "We honour do not track.", "We honour DO NOT TRACK.",
    "We sell out.", "We sell.", "We sell\xa0out.", "We do not share.", "We do share.",
    "mail bob@example.com now", "mail bøb@exämple.com now", "What is this?", " What café?",
    "\u212aeep it", "keep it", "KEEP", "xxxy", "xy", "y", "ſell", "Do Not Track\u00a0!",
]


@pytest.mark.skipif("hyperscan" not in ENGINES, reason="hyperscan not installed")
@pytest.mark.parametrize("text", TEXTS)
def test_compiled_engine_matches_exactly_what_re_matches(text: str) -> None:
    """Where \\w, \\s, \\b and case folding differ between ASCII Hyperscan and Python's re
    (non-breaking spaces, accents, curly quotes, the Kelvin sign), re's answer wins."""
    from checker.facts.matcher import make_engine

    engine = make_engine("hyperscan", SOURCES)
    expected = {i for i, s in enumerate(SOURCES) if re.search(s, text, re.IGNORECASE)}
    assert engine.scan(text) == expected


@pytest.mark.skipif("hyperscan" not in ENGINES, reason="hyperscan not installed")
def test_every_branch_agrees_with_re_on_altered_sentences(each_engine: list[str]) -> None:
    """Branch by branch: the compiled engine's answer is exactly `re.search`'s, on the case
    sentences and on their non-ASCII variants."""
    _use("hyperscan")
    engine = state().engine
    branches = state().lexicon.branches
    regexes = [re.compile(b, re.IGNORECASE) for b in branches]
    from checker.sentences import split_sentences

    sentences = []
    for t in _case_texts()[::2]:
        for variant in [t, *_altered(t)]:
            sentences += [variant[a:b] for a, b in split_sentences(variant)]
    assert len(sentences) > 500
    for s in sentences:
        expected = {i for i, rx in enumerate(regexes) if rx.search(s)}
        assert engine.scan(s) == expected, s


def test_no_private_regex_internals_are_used() -> None:
    """CPython's re._parser / re._constants (sre_parse) change between versions: the pattern
    analysis goes through regex_syntax.py and re's public API only."""
    root = Path(__file__).resolve().parent.parent / "checker"
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for private in ("re._parser", "re._constants", "_parser", "sre_parse", "sre_constants"):
            assert private not in text, (path, private)


def test_without_the_hyperscan_module_the_re_engine_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where no wheel exists, the import fails: privcheck falls back to re, same verdicts."""
    import sys

    from checker.facts.matcher import engine_name

    monkeypatch.delenv("PRIVCHECK_ENGINE", raising=False)
    monkeypatch.setitem(sys.modules, "hyperscan", None)  # import hyperscan -> ImportError
    assert engine_name() == "re"
    try:
        reset()
        assert state().engine.name == "re"
        assert "dnt.response" in _facts("We do not respond to Do Not Track signals.")
    finally:
        monkeypatch.undo()
        reset()


@pytest.mark.parametrize("value", ["pcre", "hyperscan-missing"])
def test_a_bad_engine_choice_is_one_line_exit_2(value: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from tests.test_cli import run

    if value == "hyperscan-missing":
        monkeypatch.setitem(sys.modules, "hyperscan", None)
        value = "hyperscan"
    monkeypatch.setenv("PRIVCHECK_ENGINE", value)
    try:
        reset()
        code, out, err = run(["check", str(SEEDS[0])])
    finally:
        monkeypatch.undo()
        reset()
    assert code == 2, (out, err)
    assert "PRIVCHECK_ENGINE" in err and len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize("text", [*TEXTS, "\u212aEEP it", "we ſell", "İS IT", "Thıs"])
def test_re_engine_literal_prefilter_loses_no_match(text: str) -> None:
    """The re engine runs a list only where one of its literals occurs (in the lower-cased
    text, with the letters re folds into i, s and k folded first)."""
    from checker.facts.matcher import make_engine

    sources = [*SOURCES, "keep", "sell", "is it", "this"]
    matches = make_engine("re", sources).document([text, "filler"])
    for i, s in enumerate(sources):
        expected = re.search(s, text, re.IGNORECASE) is not None
        assert (0 in matches.hits(_One((i,)))) == expected, s


class _One:
    def __init__(self, ids: tuple[int, ...]) -> None:
        self.ids = ids


@pytest.mark.skipif("hyperscan" not in ENGINES, reason="hyperscan not installed")
def test_a_long_branch_is_a_prefiltered_superset_confirmed_by_re() -> None:
    """A term of hundreds of alternatives inside a phrase compiles slowly, or not at all, as an
    exact automaton: it goes in as Hyperscan's prefilter superset and re confirms each hit."""
    from checker.facts.matcher import CONFIRM, EXACT, HS_PREFILTER_LENGTH, make_engine

    long = (r"\b(?:" + "|".join(f"tracker{i}" for i in range(300)) +
            r")\s+(?:tracks|follows)\s+you(?!\s+not)")
    sources = [long, r"\bwe\s+sell\b"]
    engine = make_engine("hyperscan", sources)
    assert len(long) > HS_PREFILTER_LENGTH
    assert engine.modes == [CONFIRM, EXACT]
    for text in ["tracker7 tracks you", "Tracker299 follows you.", "tracker7 tracks you not",
                 "stracker7 tracks you", "tracker300 tracks you", "We sell.",
                 "tracker1\xa0tracks you"]:
        expected = {i for i, s in enumerate(sources) if re.search(s, text, re.IGNORECASE)}
        assert engine.scan(text) == expected, text


@pytest.mark.skipif("hyperscan" not in ENGINES, reason="hyperscan not installed")
def test_a_branch_hyperscan_refuses_is_found_without_one_compile_per_branch(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Hyperscan says a pattern is too large without saying which: the longest are tried alone
    first, so a cold build costs a few compiles, not one per branch (1,500 took 36 s)."""
    import hyperscan

    from checker.facts.matcher import EXACT, RE_ONLY, make_engine

    compiles = []

    class Refusing(hyperscan.Database):  # type: ignore[misc]
        def compile(self, *args: Any, **kwargs: Any) -> Any:
            compiles.append(kwargs["elements"])
            if any(b"refuseme" in e for e in kwargs["expressions"]):
                raise hyperscan.error("Pattern is too large.")
            return super().compile(*args, **kwargs)

    monkeypatch.setattr(hyperscan, "Database", Refusing)
    sources = [rf"\bword{i}\b" for i in range(200)] + [r"\brefuseme\s+(?:at\s+)?(?:all|once)\b"]
    engine = make_engine("hyperscan", sources)
    assert engine.modes[-1] == RE_ONLY and set(engine.modes[:-1]) == {EXACT}
    assert engine.scan("please refuseme at once, word7") == {7, 200}
    assert engine.scan("word199 only") == {199}
    assert len(compiles) < 80  # two databases; one compile per branch would be over 400
