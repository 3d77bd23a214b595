"""The bytes that stand for non-ASCII characters when a sentence is scanned by the compiled
engine's second database: one per kind of character, as Python's `re` sees it (a word character
for `\\w`, whitespace for `\\s`, anything else). Kept apart from the pattern translator so that
scanning does not import it."""

from __future__ import annotations

import re

WORD, SPACE, OTHER = 0x80, 0x81, 0x82
_WORD_RX = re.compile(r"\w")
_SPACE_RX = re.compile(r"\s")


def placeholder_of(ch: str) -> int:
    """The placeholder byte standing for a non-ASCII character."""
    if _WORD_RX.match(ch):
        return WORD
    return SPACE if _SPACE_RX.match(ch) else OTHER


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_memo: dict[str, str] = {}


def _replace(m: re.Match[str]) -> str:
    run = m.group(0)
    out = _memo.get(run)
    if out is None:
        out = "".join(chr(placeholder_of(c)) for c in run)
        if len(_memo) < 10_000:
            _memo[run] = out
    return out


def with_placeholders(text: str) -> bytes:
    """The text as the second database reads it: one byte per character."""
    return _NON_ASCII.sub(_replace, text).encode("latin-1")
