"""The Document: a policy's text as blocks and sentences, mapped back to source lines and columns.

Readers build a Document from Markdown, HTML or plain text. Everything downstream (extractors,
rules, renderers) sees only this structure, never the file format. Offsets are mapped back to the
source lazily: only the few spans that become evidence pay for the alignment.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from checker.records import Evidence

_ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});?")
_SKIP_WINDOW = 600  # how far the aligner looks ahead for a character before giving up
_WORD = re.compile(r"[^\s&<]+")
_TAGS = re.compile(r"<[^>]*>")
_MD_LINK_TARGET = re.compile(r"\]\([^)]*\)")


@dataclass(eq=False)
class Origin:
    """A run of extracted text and where it starts in the source.

    Every Block's text is an exact slice of one Origin's text, so a block split in two by
    structure detection still maps back to the right source characters.
    """

    text: str
    src_start: int
    markup: str  # "html", "markdown" or "text": what may sit between the characters in source
    _map: list[int] = field(default_factory=list)
    _cursor: int = -1

    def source_offset(self, source: str, index: int) -> int:
        """Source offset of text[index], aligning just as far as needed (and cached)."""
        if self._cursor < 0:
            self._cursor = self.src_start
        text = self.text
        while len(self._map) <= index and len(self._map) < len(text):
            i = len(self._map)
            # Fastest path: a long run of text is verbatim at the cursor (plain text, Markdown
            # prose, HTML text without entities): map it in one step.
            run = _verbatim_run(text, i, source, self._cursor)
            if run:
                self._map.extend(range(self._cursor, self._cursor + run))
                self._cursor += run
                continue
            if not text[i].isspace():
                # Fast path: the whole word appears verbatim just ahead in the source.
                m = _WORD.match(text, i)
                word = m.group(0) if m else text[i]
                found = source.find(word, self._cursor, self._cursor + _SKIP_WINDOW)
                if found >= 0 and self._only_markup_between(source, self._cursor, found):
                    self._map.extend(range(found, found + len(word)))
                    self._cursor = found + len(word)
                    continue
            self._map.append(self._align_next(source, text[i]))
        if index < len(self._map):
            return self._map[index]
        return self._map[-1] + 1 if self._map else self.src_start

    def _only_markup_between(self, source: str, a: int, b: int) -> bool:
        """Whether source[a:b] holds nothing that the extracted text should have contained."""
        gap = source[a:b]
        if not gap or gap.isspace():
            return True
        if self.markup == "html":
            return not _TAGS.sub("", gap).strip()
        gap = _MD_LINK_TARGET.sub("", _TAGS.sub("", gap))
        return not gap.strip(" \t\n*_#>[]()`-+|:!\\")

    def _align_next(self, source: str, ch: str) -> int:
        j = self._cursor
        n = len(source)
        if ch.isspace():
            # Whitespace in the text stands for any run of whitespace or markup in the source.
            k = j
            while k < n and (source[k].isspace() or (self.markup == "html" and source[k] == "<")):
                if source[k] == "<":
                    close = source.find(">", k)
                    if close < 0:
                        break
                    k = close + 1
                else:
                    k += 1
            self._cursor = k
            return j
        limit = min(n, j + _SKIP_WINDOW)
        k = j
        while k < limit:
            c = source[k]
            if c == ch:
                self._cursor = k + 1
                return k
            if c == "<" and self.markup != "text":
                close = source.find(">", k)
                if close >= 0 and (self.markup == "html" or _is_md_tag(source[k:close])):
                    k = close + 1
                    continue
            if c == "]" and self.markup == "markdown" and source.startswith("(", k + 1):
                close = source.find(")", k)
                k = close + 1 if close >= 0 else k + 1
                continue
            if c == "&":
                m = _ENTITY.match(source, k)
                if m and html.unescape(m.group(0)) == ch:
                    self._cursor = m.end()
                    return k
            k += 1
        return j  # not found nearby: keep position, the next character may resync


def _verbatim_run(text: str, i: int, source: str, j: int) -> int:
    """Length of the longest power-of-two prefix (>= 8) of text[i:] found verbatim at source[j]."""
    if not source.startswith(text[i:i + 8], j) or i + 8 > len(text):
        return 0  # no longer prefix can be verbatim either (most calls in HTML end here)
    size = 512
    while size >= 8:
        if i + size <= len(text) and source.startswith(text[i:i + size], j):
            return size
        size //= 2
    return 0


def _is_md_tag(text: str) -> bool:
    """Inline HTML in Markdown (skipped), as opposed to an autolink <https://...> (kept)."""
    return "://" not in text and "@" not in text


def source_line_starts(source: str) -> list[int]:
    """Offset of the first character of every line: readers and the Document share one list."""
    return [0] + [m.end() for m in re.finditer("\n", source)]


@dataclass(eq=False)
class Link:
    """A hyperlink inside a block: its label's span in the block text and its target."""

    start: int
    end: int
    target: str


@dataclass(eq=False)
class Block:
    """A heading, paragraph, list item or table cell, with the headings above it."""

    kind: str  # heading | paragraph | list_item | table_cell
    text: str
    origin: Origin
    origin_offset: int
    section: tuple[str, ...] = ()
    level: int = 0  # heading level (1-6; 7 for a pseudo-heading found by structure detection)
    # How many lists enclose the block (1: an item of a top-level list, 2: of a list nested in
    # an item...); 0 outside lists, and for the list items of readers that cannot tell (DOCX,
    # PDF, plain text).
    depth: int = 0
    links: list[Link] = field(default_factory=list)
    headings: tuple[Block, ...] = ()  # the heading blocks of `section`, outermost first
    # A table cell's headers, recorded by the reader (checker/readers/tables.py): the blocks of
    # its row's header cell (the row's first cell, or a `<th>` in the row) followed by the
    # header above that cell, and of the header cells above its own column (outermost first).
    # They complete the cell the way a lead-in completes a list item ("| Do Not Track | We do
    # not respond |"; "Yes" under "Sold or shared" in the row "Identifiers"; phrases.py decides
    # how). Empty outside tables and for header cells.
    row_header: tuple[Block, ...] = ()
    column_header: tuple[Block, ...] = ()
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def is_heading(self) -> bool:
        return self.kind == "heading"

    @property
    def table_headers(self) -> tuple[Block, ...]:
        """The header blocks that complete this cell: its row's header, then its column's."""
        return (*self.row_header, *self.column_header)


@dataclass(eq=False, slots=True)
class Sentence:
    block: Block
    start: int
    end: int
    text: str
    index: int = 0  # position among all the document's sentences
    position: int = 0  # position among its block's sentences

    @property
    def section(self) -> tuple[str, ...]:
        return self.block.section

    def links(self) -> Iterator[Link]:
        for link in self.block.links:
            if link.start < self.end and link.end > self.start:
                yield link


def _scope_lead_ins(blocks: list[Block]) -> None:
    """A lead-in paragraph ending in a colon ("We will tell you of changes:") governs the list
    items under it the way a heading governs its paragraphs: it is added to their `headings`, so a
    statement split between the lead-in and an item ("- by email") is still one statement.

    A list item ending in a colon ("- If you live in the EEA, you also have these rights:")
    governs items too. With a list nested under it, it governs that sub-list and no more: its
    scope ends at the next item of its own or a shallower level (so the EEA item does not make
    the California rights listed after it foreign). Without one (authors who write the items
    after it as its siblings), it governs the siblings after it up to the end of its list or the
    next lead item of its level. Every scope also ends at the next paragraph, heading or table
    cell. Nested leads stack like headings, innermost last. Where the reader cannot tell the
    nesting (`depth` 0: plain text, DOCX, PDF), a lead item governs the items after it up to the
    next lead item."""
    leads: list[Block] = []
    nested: list[bool] = []  # per lead item: whether a sub-list of its own follows it
    prev: Block | None = None
    for block in blocks:
        prev, last = block, prev
        if block.kind != "list_item":
            ends = block.kind == "paragraph" and block.text.rstrip().endswith(":")
            leads, nested = ([block], [False]) if ends else ([], [])
            continue
        if leads and leads[0].section != block.section:
            leads, nested = [], []
        d = block.depth
        while d and leads and (leads[-1].kind == "list_item" or leads[-1].depth):
            e = leads[-1].depth
            if d > e:  # a deeper item: in the lead's sub-list, or a sibling's under a flat lead
                nested[-1] = nested[-1] or last is leads[-1]
                break
            if d == e and not nested[-1] and leads[-1].kind == "list_item":
                break  # a sibling of a lead item without a sub-list
            leads.pop()
            nested.pop()
        if leads:
            block.headings = (*block.headings, *leads)
        if block.text.rstrip().endswith(":"):
            while leads and leads[-1].kind == "list_item" and leads[-1].depth == d:
                leads.pop()  # the newer lead item of a level replaces the older
                nested.pop()
            leads.append(block)
            nested.append(False)


class Document:
    """A parsed policy. `text` joins every sentence with newlines, for whole-document scans."""

    def __init__(
        self,
        path: str,
        source: str,
        blocks: list[Block],
        fmt: str,
        line_starts: list[int] | None = None,
        locators: list[str] | None = None,
    ) -> None:
        from checker.sentences import split_sentences

        # DOCX and PDF readers write one source line per paragraph (or PDF text line) and say
        # what each line is in the original's terms: locators[line - 1], e.g. "paragraph 12".
        self.locators = locators
        self.name: str | None = None  # set for a bundle's member: evidence names its document
        self.redirects: list[str] = []  # a fetched URL's redirect hops, reported with the result
        self.path = path
        self.source = source
        self.format = fmt
        self.blocks = blocks
        self._line_starts = line_starts if line_starts is not None else source_line_starts(source)
        self._evidence: dict[tuple[int, int, int, str | None], Evidence] = {}
        # Per-document answers that depend on the document alone (locate.py's section headings)
        self.memo: dict[object, object] = {}
        _scope_lead_ins(blocks)
        self.sentences: list[Sentence] = []
        for block in blocks:
            block.sentences = [
                Sentence(block, a, b, block.text[a:b], position=i)
                for i, (a, b) in enumerate(split_sentences(block.text))
            ]
            for s in block.sentences:
                s.index = len(self.sentences)
                self.sentences.append(s)
        self.sentence_starts: list[int] = []
        parts: list[str] = []
        pos = 0
        for s in self.sentences:
            self.sentence_starts.append(pos)
            parts.append(s.text)
            pos += len(s.text) + 1
        self.text = "\n".join(parts)

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def evidence(self, block: Block, start: int, end: int) -> Evidence:
        """Evidence for block.text[start:end], with its 1-based source line and column range.
        Kept per span: facts quote the same sentences, and failing rules the same headings."""
        key = (id(block), start, end, self.name)
        found = self._evidence.get(key)
        if found is None:
            found = self._evidence[key] = self._make_evidence(block, start, end)
        return found

    def _make_evidence(self, block: Block, start: int, end: int) -> Evidence:
        start = max(0, min(start, len(block.text) - 1))
        end = max(start + 1, min(end, len(block.text)))
        a = block.origin.source_offset(self.source, block.origin_offset + start)
        b = block.origin.source_offset(self.source, block.origin_offset + end - 1) + 1
        line, col = self.line_col(a)
        end_line, end_col = self.line_col(max(a, b))
        quote = " ".join(block.text[start:end].split())
        return Evidence(
            line=line,
            column=col,
            end_line=end_line,
            end_column=end_col,
            quote=quote,
            section=" > ".join(block.section) or None,
            locator=self.locator(line),
            document=self.name,
        )

    def locator(self, line: int) -> str | None:
        """The reader's name for a 1-based source line (DOCX paragraph, PDF page and line)."""
        if self.locators and 0 < line <= len(self.locators):
            return self.locators[line - 1] or None
        return None

    def first_line_evidence(self) -> Evidence | None:
        for block in self.blocks:
            if block.text.strip():
                return self.evidence(block, 0, len(block.text))
        return None
