"""HTML reader (lxml): block elements become blocks; script and style are dropped; links kept.

The same walker reads the raw HTML blocks of a Markdown file (`walk_fragment`), into the Markdown
reader's own block list, with lines offset to where the fragment sits in the file.

libxml2 silently drops everything nested deeper than 256 elements (a policy inside 300 `<div>`s
came out empty). A page nested deeper than 200 levels has its layout containers flattened first
(each `<div>`/`<span>`-like tag becomes a block break or nothing, on the same line), and the parser
runs with `huge_tree` (limit 2048) for what remains; deeper still ends in a RecursionError, which
the engine reports as "nested too deeply", so no text is ever lost without an error.
"""

from __future__ import annotations

import re

from lxml import etree, html

from checker.document import Document, Link, source_line_starts
from checker.readers.structure import BlockBuilder
from checker.readers.tables import TableBuilder

_SKIP = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object", "select"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = {
    "p",
    "div",
    "li",
    "td",
    "th",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "address",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "ul",
    "ol",
    "dl",
    "table",
    "tr",
    "tbody",
    "thead",
    "tfoot",
    "form",
    "fieldset",
    "figure",
    "figcaption",
    "caption",
    "body",
    "center",
    "hr",
    *_HEADINGS,
}
_KIND = {
    "li": "list_item",
    "dd": "list_item",
    "dt": "list_item",
    "td": "table_cell",
    "th": "table_cell",
}


_MAX_DEPTH = 200  # libxml2 drops text past 256 levels (2048 with huge_tree); the walker recurses
# `[^<>]*` stops at the next "<": linear on hostile text ("<a" a million times without a ">").
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "area", "base", "col", "embed",
         "source", "track", "param"}
# Layout containers that may be flattened: block ones become a break, inline ones vanish.
_FLAT_BLOCK = {"div", "section", "article", "main", "aside", "header", "footer", "nav", "center",
               "blockquote", "figure", "form", "fieldset"}
_FLAT_INLINE = {"span", "font", "b", "i", "em", "strong", "u", "small", "big", "label"}


def _max_depth(source: str) -> int:
    """Deepest element nesting, counted over the tags alone (linear, no tree built)."""
    depth = deepest = 0
    for m in _TAG.finditer(source):
        name = m.group(2).lower()
        if m.group(1):
            depth = max(0, depth - 1)
        elif name not in _VOID and not m.group(3).endswith("/"):
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _flatten(source: str) -> str:
    """Replace layout-container tags with block breaks (or nothing), keeping lines in place."""

    def repl(m: re.Match[str]) -> str:
        name = m.group(2).lower()
        if name in _FLAT_BLOCK:
            return "<hr>"
        if name in _FLAT_INLINE:
            return ""
        return m.group(0)

    return _TAG.sub(repl, source)


def parse_tree(source: str) -> etree._Element | None:
    """The lxml tree of a page or fragment, complete however deep it nests (None: unparsable)."""
    if _max_depth(source) > _MAX_DEPTH:
        source = _flatten(source)
    try:
        return html.document_fromstring(source, parser=html.HTMLParser(huge_tree=True))
    except (etree.ParserError, ValueError):
        return None


class _Walker:
    def __init__(self, source: str, builder: BlockBuilder | None = None,
                 line_starts: list[int] | None = None, line_base: int = 0) -> None:
        self.builder = builder or BlockBuilder("html")
        self.line_starts = line_starts if line_starts is not None else source_line_starts(source)
        self.line_base = line_base  # the fragment's first line in the file (0-based)
        self._parts: list[str] = []
        self._links: list[Link] = []
        self._len = 0
        self._kind = "paragraph"
        self._level = 0
        self._start = 0
        self._lists = 0  # how many ul/ol/dl enclose the walk (Block.depth)
        self._tables: list[TableBuilder] = []  # the tables being walked, innermost last
        self._head = False  # inside a <thead>

    def _offset(self, el: etree._Element) -> int:
        line = (el.sourceline or 1) - 1 + self.line_base
        return self.line_starts[min(line, len(self.line_starts) - 1)]

    def _text(self, text: str | None) -> None:
        if text:
            piece = " ".join(text.split())
            if text[:1].isspace():
                piece = " " + piece
            if text[-1:].isspace() and piece.strip():
                piece += " "
            self._parts.append(piece)
            self._len += len(piece)

    def flush(self) -> None:
        text = "".join(self._parts)
        if text.strip():
            kind = "heading" if self._level else self._kind
            self.builder.add(kind, text, self._start, level=self._level, links=self._links,
                             markup="html", depth=self._lists)
        self._parts, self._links, self._len = [], [], 0

    def walk(self, el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if tag in _SKIP or not tag:
            self._text(el.tail)  # comments and skipped elements still have a tail
            return
        if tag == "br":
            self._parts.append("\n")
            self._len += 1
            self._text(el.tail)
            return
        is_block = tag in _BLOCKS
        if is_block:
            self.flush()
            saved = (self._kind, self._level)
            self._kind = _KIND.get(tag, self._kind if tag not in ("div", "p") else "paragraph")
            self._level = _HEADINGS.get(tag, 0)
            self._start = self._offset(el)
        lists = tag in ("ul", "ol", "dl")
        self._lists += lists  # after the flush: an item's text above its nested list is outside it
        table = self._table_open(tag, el)
        link_start = self._len
        self._text(el.text)
        for child in el:
            self.walk(child)
        if lists:
            self.flush()  # the nested list's last run belongs to it
            self._lists -= 1
        if tag == "a" and el.get("href"):
            self._links.append(Link(link_start, self._len, el.get("href", "")))
        if is_block:
            self.flush()
            self._kind, self._level = saved
            self._start = self._offset(el)
        self._table_close(tag, table)
        self._text(el.tail)

    def _table_open(self, tag: str, el: etree._Element) -> object:
        """Report a table's structure to its TableBuilder (after the block's flush)."""
        if tag == "table":
            self._tables.append(TableBuilder(self.builder.blocks,
                                             self._tables[-1] if self._tables else None))
            saved, self._head = self._head, False
            return saved
        if not self._tables:
            return None
        if tag == "thead":
            saved, self._head = self._head, True
            return saved
        if tag in ("tbody", "tfoot"):
            saved, self._head = self._head, False
            return saved
        if tag == "tr":
            self._tables[-1].start_row(header=self._head)
        elif tag in ("td", "th"):
            self._tables[-1].start_cell(header=tag == "th", scope=el.get("scope"),
                                        colspan=el.get("colspan"), rowspan=el.get("rowspan"))
        return None

    def _table_close(self, tag: str, saved: object) -> None:
        if not self._tables:
            return
        if tag in ("td", "th"):
            self._tables[-1].end_cell()
        elif tag in ("thead", "tbody", "tfoot"):
            self._head = bool(saved)
        elif tag == "table":
            self._tables.pop().finish()
            self._head = bool(saved)


def walk_fragment(fragment: str, builder: BlockBuilder, line_starts: list[int],
                  line_base: int) -> None:
    """Read an HTML fragment (a Markdown file's raw HTML block) into another reader's blocks."""
    root = parse_tree(fragment)
    if root is None:
        return
    walker = _Walker(fragment, builder, line_starts, line_base)
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()


def read_html(path: str, source: str) -> Document:
    root = parse_tree(source)
    if root is None:
        return Document(path, source, [], "html")
    walker = _Walker(source)
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    return Document(path, source, walker.builder.blocks, "html", walker.line_starts)
