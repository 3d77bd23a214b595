"""HTML reader (lxml): block elements become blocks; script and style are dropped; links kept."""

from __future__ import annotations

from lxml import etree, html

from checker.document import Document, Link, source_line_starts
from checker.readers.structure import BlockBuilder

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


class _Walker:
    def __init__(self, source: str) -> None:
        self.builder = BlockBuilder("html")
        self.line_starts = source_line_starts(source)
        self._parts: list[str] = []
        self._links: list[Link] = []
        self._len = 0
        self._kind = "paragraph"
        self._level = 0
        self._start = 0

    def _offset(self, el: etree._Element) -> int:
        line = (el.sourceline or 1) - 1
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
            self.builder.add(kind, text, self._start, level=self._level, links=self._links)
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
        link_start = self._len
        self._text(el.text)
        for child in el:
            self.walk(child)
        if tag == "a" and el.get("href"):
            self._links.append(Link(link_start, self._len, el.get("href", "")))
        if is_block:
            self.flush()
            self._kind, self._level = saved
            self._start = self._offset(el)
        self._text(el.tail)


def read_html(path: str, source: str) -> Document:
    try:
        root = html.document_fromstring(source)
    except (etree.ParserError, ValueError):
        return Document(path, source, [], "html")
    walker = _Walker(source)
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    return Document(path, source, walker.builder.blocks, "html", walker.line_starts)
