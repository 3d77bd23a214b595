"""Plain-text reader: blank lines separate paragraphs; short lines keep their line breaks."""

from __future__ import annotations

import re

from checker.document import Document
from checker.readers.structure import BlockBuilder

# Anchored at line starts (where every match began anyway), so a long whitespace-only line is
# scanned once rather than from each of its characters.
_PARAGRAPHS = re.compile(r"^(?:[^\n]*\S[^\n]*(?:\n|$))+", re.MULTILINE)
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)]|\([a-z0-9]+\))\s+")


def read_text(path: str, source: str) -> Document:
    builder = BlockBuilder("text")
    for m in _PARAGRAPHS.finditer(source):
        lines = m.group(0).rstrip("\n").split("\n")
        kind = "list_item" if _BULLET.match(lines[0]) else "paragraph"
        pieces: list[str] = []
        for i, line in enumerate(lines):
            pieces.append(line)
            if i + 1 < len(lines):
                nxt = lines[i + 1]
                hard = (
                    len(line.strip()) < 45
                    or line.rstrip().endswith((".", ":", "?", "!"))
                    or _BULLET.match(nxt) is not None
                )
                pieces.append("\n" if hard else " ")
        # Same length as the source paragraph: the joins replace one newline each.
        builder.add(kind, "".join(pieces), m.start())
    return Document(path, source, builder.blocks, "text")
