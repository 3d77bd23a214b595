"""The fast paths of the per-policy core (issue 9) give exactly the answers of the plain code
they stand in for: the sentence boundaries, the digit test, a window's exclusion list, and
branches that start with `^` and a lookahead, decided by the compiled engine alone."""

from __future__ import annotations

import random
import re

import pytest

from checker.facts.entities import _HAS_DIGIT, has_digit
from checker.facts.matcher import available_engines
from checker.sentences import _BOUNDARY, boundaries, split_sentences

HYPERSCAN = "hyperscan" in available_engines()


def _spans(matches: object) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in matches]  # type: ignore[attr-defined]


BOUNDARY_TEXTS = [
    "", "One. Two.", "e.g. this. And that!  Next?", "a\n\nb", "a  \n  b", "end...\nNext",
    "Line one\u00a0\nline two", "Tab\t\n\tafter", "He said “Stop.” Then left.", "(a.) B",
    "x.\n", "\n", "   \n", "Mr. Smith went. U.S. residents may ask.", "A!? B", "Ends with.",
]


@pytest.mark.parametrize("text", BOUNDARY_TEXTS)
def test_sentence_boundaries_are_those_of_the_regex(text: str) -> None:
    assert _spans(boundaries(text)) == _spans(_BOUNDARY.finditer(text))


def test_sentence_boundaries_on_random_text() -> None:
    """Newlines, horizontal and non-breaking spaces, closing quotes and runs of punctuation
    in every order: the candidate positions never skip a match the regex would find."""
    rnd = random.Random(9)
    alphabet = list(". .!?\n \t\u00a0\u2009Aa1(\"”’)]x\n\n  ")
    for _ in range(5000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        assert _spans(boundaries(text)) == _spans(_BOUNDARY.finditer(text)), repr(text)


def test_split_sentences_still_splits_policy_prose() -> None:
    text = "We collect data, e.g. your email. We do not sell it!\nContact us:  privacy@x.com"
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "We collect data, e.g. your email.", "We do not sell it!", "Contact us:  privacy@x.com"]


@pytest.mark.parametrize("text", ["no digits here", "room 101", "٣ Arabic-Indic", "ｔｅｓｔ１",
                                  "", "café 7", "café"])
def test_has_digit_is_the_regex(text: str) -> None:
    assert has_digit(text) == bool(_HAS_DIGIT.search(text))


class _List:
    def __init__(self, ids: tuple[int, ...]) -> None:
        self.ids = ids


LOOK_SOURCES = [
    r"^(?!.*(?:cookie|track|pixel)).*\bwe\s+(?:share|sell)\b",  # negative, both halves exact
    r"^(?=.*\bcalifornia\b).*\bsell\b",  # positive
    r"^(?!.*(?:(?<!\bwe\s)collect|beacon)).*\bshare\b",  # the lookahead's body is a superset
    r"^(?!.*\bEU\b).*\bshare(?!\s+price)",  # the rest is a superset
    r"\bsell(?!\s+out)",  # an ordinary lookaround, confirmed
    r"\bwe\s+share\b",
]
LOOK_TEXTS = [
    "We share data with partners.", "We share cookie data.", "Tracking: we sell data.",
    "California residents: we may sell data.", "We sell out.", "We collect and share data.",
    "Partners collect and we share.", "We share price lists.", "EU users: we share data.",
    "we share", "We\u00a0share data.", "Nous partageons: we share café data.",
    "Cookies aside, we share data.", "We share data.\nCookie notice", "", "share",
    "Beacon data: we share.", "We collect, they collect, we share.",
]


@pytest.mark.skipif(not HYPERSCAN, reason="hyperscan not installed")
@pytest.mark.parametrize("text", LOOK_TEXTS)
def test_a_leading_lookahead_is_decided_by_the_engine_as_re_decides(text: str) -> None:
    from checker.facts.matcher import CONFIRM, EXACT, LOOK_AND, LOOK_NOT, make_engine

    engine = make_engine("hyperscan", LOOK_SOURCES)
    assert engine.modes == [LOOK_NOT, LOOK_AND, LOOK_NOT, LOOK_NOT, CONFIRM, EXACT]
    # the third's exclusion splits: `beacon` exact, the lookbehind option a superset
    assert engine.looks[2][2] is True and engine.looks[2][3] >= 0
    assert engine.looks[0][3] == -1
    expected = {i for i, s in enumerate(LOOK_SOURCES) if re.search(s, text, re.IGNORECASE)}
    assert engine.scan(text) == expected


@pytest.mark.skipif(not HYPERSCAN, reason="hyperscan not installed")
def test_a_lookahead_engine_survives_its_cache() -> None:
    """The lookaheads' own patterns are part of the exported state: a restored engine gives the
    same answers."""
    from checker.facts.matcher import make_engine

    built = make_engine("hyperscan", LOOK_SOURCES)
    restored = make_engine("hyperscan", LOOK_SOURCES, dict(built.export()))
    for text in LOOK_TEXTS:
        assert restored.scan(text) == built.scan(text)


@pytest.mark.skipif(not HYPERSCAN, reason="hyperscan not installed")
def test_a_window_exclusion_list_answers_as_its_alternation() -> None:
    """matches_text runs only the branches whose required literals occur; the answer is the
    alternation's, on ASCII and non-ASCII windows."""
    from checker.facts.matcher import make_engine

    sources = [*LOOK_SOURCES, r"\bdo\s+not\s+(?:sell|share)\b", r"opt[- ]?out", r"\d{3}"]
    engine = make_engine("hyperscan", sources)
    matches = engine.document(["filler"])
    lists = [(i,) for i in range(len(sources))] + [tuple(range(len(sources))), (6, 7), (0, 8)]
    windows = [f"{a} {b}" for a in LOOK_TEXTS[:8] for b in LOOK_TEXTS[4:]] + [
        "We do not sell. Opt-out at 555.", "We do\u00a0not sell.", "Call 555-0100."]
    for ids in lists:
        alternation = re.compile("|".join(f"(?:{sources[i]})" for i in ids), re.IGNORECASE)
        for text in windows:
            assert matches.matches_text(_List(ids), text) == bool(alternation.search(text)), (
                ids, text)


SOURCE_PATTERNS = [
    *LOOK_SOURCES,
    r"(?<!internet\s)(?<!wireless\s)service\s+providers?",
    r"\b(?:you|users?)\s+(?:[\w,-]+\s+){0,4}?(?:can|may)\b",
    r"(?-i:EU)\s+(?:data|users)|\bGDPR\b",
    r"e-?mail(?=\s*(?:,|/|and\s|or\s|\)))",
    r"[^.]{0,20}\bopt[- ]?out\b(?!\s+of\s+cookies)",
    r"a{2}b{1,}c{0,3}d?",
]


@pytest.mark.parametrize("pattern", SOURCE_PATTERNS)
def test_a_parsed_pattern_written_back_for_re_matches_where_the_original_does(
    pattern: str,
) -> None:
    """regex_syntax.source (what the engine confirms a lookahead's options with) keeps every
    construct's meaning: lookarounds, case-sensitive groups, bounded repeats."""
    from checker.facts.regex_syntax import parse, source

    again = re.compile(source(parse(pattern)), re.IGNORECASE)
    original = re.compile(pattern, re.IGNORECASE)
    texts = [*LOOK_TEXTS, "Internet service providers", "Our service providers", "eu users",
             "EU users", "Users can opt out", "e-mail, phone", "email us", "aabbccc", "aab",
             "You and users may opt-out of cookies", "GDPR rights"]
    for text in texts:
        assert bool(again.search(text)) == bool(original.search(text)), text
