"""Sentence splitting tuned for policies: abbreviations, initials, line breaks, list markers.

A rule-based splitter is enough here (policies are edited prose) and keeps offsets exact, which
evidence needs; the abbreviations it must not split after live in lexicons/language.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from checker.facts.lexicon import language

# Linear by construction: each alternative may start only where its run of punctuation or of
# horizontal whitespace starts (the lookbehinds), so a long run is scanned once, not once per
# character (`\s*\n\s*` made a 256 KB run of spaces take a minute).
_BOUNDARY = re.compile(
    r"(?<![.!?])[.!?]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])|(?<![^\S\n])[^\S\n]*\n\s*"
)
_INITIALS = re.compile(r"(?:[a-z]\.)+[a-z]")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


def _is_abbreviation(text: str, dot: int) -> bool:
    m = _WORD_BEFORE.search(text, max(0, dot - 20), dot + 1)
    if not m:
        return False
    word = m.group(1).lower()
    # Initials ("U.S.", "e.g.") are abbreviations; a domain ("help@acme.com.") ends a sentence.
    return word in language().abbreviations or len(word) == 1 or bool(_INITIALS.fullmatch(word))


_STARTS = ".!?\n"


def boundaries(text: str) -> Iterator[re.Match[str]]:
    """Exactly `_BOUNDARY.finditer(text)`, without running the regex at every character.

    A match starts at one of [.!?], at a newline, or at the first of the horizontal spaces
    before a newline; those places are found with str.find and the regex is tried there only
    (`match`, which sees the whole text as finditer does). The regex's leading lookbehinds kept
    `re` from skipping ahead by itself: it was 6% of a policy's time."""
    match = _BOUNDARY.match
    nexts = [text.find(c) for c in _STARTS]
    pos = 0
    while True:
        cand = -1
        for k, j in enumerate(nexts):
            if 0 <= j < pos:
                j = nexts[k] = text.find(_STARTS[k], pos)
            if j >= 0 and (cand < 0 or j < cand):
                cand = j
        if cand < 0:
            return
        if text[cand] == "\n":
            while cand > pos and text[cand - 1] != "\n" and text[cand - 1].isspace():
                cand -= 1
        m = match(text, cand)
        if m is None:
            pos = cand + 1
        else:
            yield m
            pos = m.end()  # never empty: every alternative consumes a character


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of a block, whitespace trimmed, never empty."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in boundaries(text):
        if text[m.start()] == "." and _is_abbreviation(text, m.start()):
            continue
        end = m.start() + len(m.group(0).rstrip())
        if m.group(0).strip() == "":
            end = m.start()
        spans.append((start, end))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out
