"""Turns a reader's raw text runs into Blocks with section paths.

Real policies hide their structure: bold lines, question lines and `<br><br>`-separated labels act
as headings without being marked up as such. The builder finds those pseudo-headings so that a
statement split across a heading and its paragraph ("Do Not Track" / "We do not respond to such
signals") is still one statement to the extractors.
"""

from __future__ import annotations

import re

from checker.document import Block, Link, Origin

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_NOT_A_HEADING = re.compile(r"@|https?://|www\.|\d{3}[-. )]\d{3}|[,;]$|\.$")
PSEUDO_LEVEL = 7


def looks_like_heading(line: str) -> bool:
    """A short, unpunctuated, capitalised line: a label rather than a sentence."""
    line = line.strip().strip("*_#").strip()
    if not line or len(line) > 90:
        return False
    words = line.split()
    if len(words) > 12 or _NOT_A_HEADING.search(line):
        return False
    first = line.lstrip("0123456789.)( ")[:1]
    return bool(first) and (first.isupper() or not first.isalpha())


class BlockBuilder:
    """Collects blocks in document order and keeps the heading stack for section paths."""

    def __init__(self, markup: str) -> None:
        self.markup = markup
        self.blocks: list[Block] = []
        self._stack: list[tuple[int, str, Block | None]] = []

    def _section(self) -> tuple[str, ...]:
        return tuple(title for _, title, _ in self._stack)

    def _push_heading(self, level: int, title: str) -> None:
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        self._stack.append((level, title, None))

    def add(
        self,
        kind: str,
        text: str,
        src_start: int,
        level: int = 0,
        links: list[Link] | None = None,
        markup: str | None = None,
        depth: int = 0,
    ) -> None:
        """Add one run of text (a paragraph, list item, cell or heading) from the source.

        `markup` overrides the builder's for this run (raw HTML inside a Markdown file); `depth`
        is how many lists enclose it (Block.depth)."""
        origin = Origin(text=text, src_start=src_start, markup=markup or self.markup)
        links = links or []
        if kind == "heading":
            title = " ".join(text.split())
            if title:
                self._push_heading(level, title)
                self._emit("heading", origin, 0, len(text), level, links)
            return
        pos = 0
        for part in [*_PARAGRAPH_BREAK.split(text)]:
            idx = text.find(part, pos)
            pos = idx + len(part)
            self._add_piece(kind, origin, idx, idx + len(part), links, depth)

    def _add_piece(
        self, kind: str, origin: Origin, a: int, b: int, links: list[Link], depth: int = 0
    ) -> None:
        text = origin.text
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a >= b:
            return
        piece = text[a:b]
        first_break = piece.find("\n")
        first_line = piece if first_break < 0 else piece[:first_break]
        if kind == "paragraph" and looks_like_heading(first_line):
            if first_break < 0:
                self._pseudo_heading(origin, a, b, links)
                return
            rest = piece[first_break:].strip()
            if len(rest.split()) >= 6:  # a label line above real prose
                self._pseudo_heading(origin, a, a + first_break, links)
                a = a + first_break + 1
                while a < b and text[a].isspace():
                    a += 1
        self._emit(kind, origin, a, b, 0, links, depth)

    def _pseudo_heading(self, origin: Origin, a: int, b: int, links: list[Link]) -> None:
        title = " ".join(origin.text[a:b].split()).strip("*_ ")
        real = [lvl for lvl, _, _ in self._stack if lvl < PSEUDO_LEVEL]
        level = max(real, default=0) + PSEUDO_LEVEL
        self._push_heading(level, title)
        self._emit("heading", origin, a, b, level, links)

    def _emit(
        self, kind: str, origin: Origin, a: int, b: int, level: int, links: list[Link],
        depth: int = 0,
    ) -> None:
        own = [Link(k.start - a, k.end - a, k.target) for k in links if a <= k.start < b]
        stack = self._stack if kind != "heading" else self._stack[:-1]
        block = Block(
            kind=kind,
            text=origin.text[a:b],
            origin=origin,
            origin_offset=a,
            section=tuple(title for _, title, _ in stack),
            level=level,
            depth=depth,
            links=own,
            headings=tuple(h for _, _, h in stack if h is not None),
        )
        if kind == "heading" and self._stack:
            lvl, title, _ = self._stack[-1]
            self._stack[-1] = (lvl, title, block)
        self.blocks.append(block)
