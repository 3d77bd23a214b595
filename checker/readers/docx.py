"""DOCX reader (python-docx): a Word draft as blocks, each paragraph located by its number.

Legal teams draft in Word and send drafts with tracked changes and comments. This reader:
- walks the body in order (paragraphs and tables, nested tables too); headings come from the
  paragraph style ("Title", "Heading 1".."Heading 9", or a style based on one) or an outline
  level; numbered and bulleted paragraphs are list items; table cells are table cells;
- reads tracked changes as if accepted (`w:ins`/`w:moveTo` kept, `w:del`/`w:moveFrom` dropped), or
  as the original with `ReadOptions.docx_original` (`--docx-original`);
- ignores comments (they live in comments.xml, outside the text; their anchors carry no text);
- keeps hyperlinks with their targets, as the HTML reader does (a link to the full policy counts).

Word has no lines, so the Document's source is written here: one line per body paragraph (or
table-cell paragraph), and Evidence.locator names it: "paragraph 12" (the 12th paragraph of the
body, empty ones included, as Word's XML numbers them) or "table 1, row 2, cell 3".
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from checker.document import Document, Link
from checker.errors import InputFileError
from checker.readers.structure import BlockBuilder
from checker.readers.tables import TableBuilder

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# A .docx of a long policy is ~50 KB zipped and ~500 KB unzipped: far beyond that is a ZIP bomb.
EXPAND_FACTOR = 20  # the unzipped parts may be this many times --max-size
_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre|titolo|kop)\s*(\d)$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"^list", re.IGNORECASE)
_HYPERLINK_FIELD = re.compile(r'HYPERLINK\s+"([^"]+)"')


@dataclass
class _Para:
    text: str
    links: list[Link] = field(default_factory=list)


def check_zip(path: str, data: bytes, max_bytes: int) -> None:
    """Refuse a ZIP that would unpack into far more than a policy (a ZIP bomb) before parsing."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputFileError("corrupt DOCX (damaged ZIP archive)", path) from None
    limit = max_bytes * EXPAND_FACTOR
    total = sum(i.file_size for i in infos)
    if total > limit or len(infos) > 10_000:
        raise InputFileError(
            f"DOCX unpacks to {total / 1048576:.0f} MB in {len(infos)} parts, over the "
            f"{limit / 1048576:.0f} MB limit (a ZIP bomb?); raise --max-size if it is real",
            path)


class _Reader:
    def __init__(self, document: object, original: bool) -> None:
        self.doc = document
        self.original = original
        self.rels = document.part.rels  # type: ignore[attr-defined]
        self.builder = BlockBuilder("text")
        self.lines: list[str] = []
        self.locators: list[str] = []
        self.offset = 0
        self.paragraphs = 0
        self.tables = 0

    # ---- text of one paragraph --------------------------------------------------------------
    def paragraph_text(self, p: object) -> _Para:
        out = _Para("")
        parts: list[str] = []
        self._fields: list[list] = []  # open complex fields: [instruction, shown-text start]
        self._runs(p, parts, out.links, None)
        out.text = "".join(parts)
        return out

    def _runs(self, el: object, parts: list[str], links: list[Link], href: str | None) -> None:
        for child in el:  # type: ignore[attr-defined]
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag in (W + "del", W + "moveFrom"):
                if self.original:
                    self._runs(child, parts, links, href)
                continue
            if tag in (W + "ins", W + "moveTo"):
                if not self.original:
                    self._runs(child, parts, links, href)
                continue
            if tag == W + "hyperlink":
                target = self._target(child)
                start = sum(map(len, parts))
                self._runs(child, parts, links, target)
                if target:
                    links.append(Link(start, sum(map(len, parts)), target))
                continue
            if tag == W + "r":
                self._run(child, parts, links)
                continue
            if tag in (W + "pPr", W + "rPr", W + "commentRangeStart", W + "commentRangeEnd"):
                continue
            # smartTag, customXml, sdt/sdtContent, fldSimple: containers of runs
            self._runs(child, parts, links, href)

    def _run(self, r: object, parts: list[str], links: list[Link]) -> None:
        for child in r:  # type: ignore[attr-defined]
            tag = child.tag
            if tag == W + "fldChar":  # a complex field: HYPERLINK "url" pasted from the web
                self._field_char(child.get(W + "fldCharType"), parts, links)
            elif tag == W + "instrText":  # the field's code, never its text
                if self._fields:
                    self._fields[-1][0] += child.text or ""
            elif tag == W + "t" or (tag == W + "delText" and self.original):
                parts.append(child.text or "")
            elif tag == W + "tab":
                parts.append("\t")
            elif tag in (W + "br", W + "cr"):
                parts.append("\n")
            elif tag == W + "noBreakHyphen":
                parts.append("-")

    def _field_char(self, kind: str | None, parts: list[str], links: list[Link]) -> None:
        if kind == "begin":
            self._fields.append(["", None])
        elif kind == "separate" and self._fields:
            self._fields[-1][1] = sum(map(len, parts))
        elif kind == "end" and self._fields:
            instruction, start = self._fields.pop()
            m = _HYPERLINK_FIELD.search(instruction)
            if m and start is not None:
                links.append(Link(start, sum(map(len, parts)), m.group(1)))

    def _target(self, hyperlink: object) -> str | None:
        rid = hyperlink.get(R_ID)  # type: ignore[attr-defined]
        if rid and rid in self.rels:
            rel = self.rels[rid]
            return rel.target_ref if rel.is_external else None
        anchor = hyperlink.get(W + "anchor")  # type: ignore[attr-defined]
        return f"#{anchor}" if anchor else None

    # ---- what kind of block a paragraph is -----------------------------------------------------
    def kind_of(self, p: object) -> tuple[str, int]:
        from docx.text.paragraph import Paragraph

        para = Paragraph(p, self.doc.part)  # type: ignore[attr-defined]
        ppr = p.find(W + "pPr")  # type: ignore[attr-defined]
        style = para.style
        seen = 0
        while style is not None and seen < 10:
            name = style.name or ""
            if name.lower() == "title":
                return "heading", 1
            m = _HEADING_STYLE.match(name)
            if m:
                return "heading", max(1, min(int(m.group(1)), 6))
            if _LIST_STYLE.match(name):
                return "list_item", 0
            style = style.base_style
            seen += 1
        if ppr is not None:
            outline = ppr.find(W + "outlineLvl")
            if outline is not None and (outline.get(W + "val") or "9").isdigit():
                level = int(outline.get(W + "val") or "9")
                if level < 6:
                    return "heading", level + 1
            if ppr.find(W + "numPr") is not None:
                return "list_item", 0
        return "paragraph", 0

    # ---- the body in order ---------------------------------------------------------------------
    def add(self, kind: str, level: int, para: _Para, locator: str) -> None:
        line = " ".join(para.text.split("\n")).replace("\t", " ")
        start = self.offset
        self.lines.append(line)
        self.locators.append(locator)
        self.offset += len(line) + 1
        if para.text.strip():
            self.builder.add(kind, para.text, start, level=level, links=para.links)

    def body(self, container: object) -> None:
        for el in _block_items(container):
            if el.tag == W + "p":
                self.paragraphs += 1
                kind, level = self.kind_of(el)
                self.add(kind, level, self.paragraph_text(el), f"paragraph {self.paragraphs}")
            else:
                self.tables += 1
                self.table(el, f"table {self.tables}")

    def table(self, tbl: object, name: str, parent: TableBuilder | None = None) -> None:
        rows = [el for el in tbl if el.tag == W + "tr"]  # type: ignore[attr-defined]
        builder = TableBuilder(self.builder.blocks, parent)
        merged: dict[int, object] = {}  # grid column -> the cell a vertical merge started in
        for r, row in enumerate(rows, 1):
            builder.start_row(header=_is_header_row(row))
            column = 0
            for c, cell in enumerate(_cells(row), 1):
                span, merge = _cell_layout(cell)
                if merge == "continue" and column in merged:
                    merged[column].rowspan += 1  # type: ignore[attr-defined]
                    column += span
                    continue  # a continuation of the cell above holds no text of its own
                where = f"{name}, row {r}, cell {c}"
                nested = 0
                builder.start_cell(colspan=span)
                for el in _block_items(cell):
                    if el.tag == W + "p":
                        kind, level = self.kind_of(el)
                        kind = "heading" if kind == "heading" else "table_cell"
                        self.add(kind, level, self.paragraph_text(el), where)
                    else:
                        nested += 1
                        self.table(el, f"{where}, table {nested}", builder)
                done = builder.end_cell()
                if merge == "restart" and done is not None:
                    merged[column] = done
                else:
                    merged.pop(column, None)
                column += span
        builder.finish()


def _block_items(container: object) -> Iterator[object]:
    """Paragraphs and tables of a body or cell in order, looking through content controls."""
    for el in container:  # type: ignore[attr-defined]
        if el.tag in (W + "p", W + "tbl"):
            yield el
        elif el.tag in (W + "sdt", W + "customXml", W + "sdtContent", W + "ins"):
            yield from _block_items(el)  # content controls; w:ins wraps a tracked new paragraph


def _is_header_row(row: object) -> bool:
    """Word's "repeat as header row at the top of each page" (w:trPr/w:tblHeader)."""
    pr = row.find(W + "trPr")  # type: ignore[attr-defined]
    flag = pr.find(W + "tblHeader") if pr is not None else None
    return flag is not None and flag.get(W + "val", "true") not in ("0", "false", "off")


def _cell_layout(cell: object) -> tuple[int, str]:
    """(columns the cell spans, its vertical merge: "restart", "continue" or "")."""
    pr = cell.find(W + "tcPr")  # type: ignore[attr-defined]
    if pr is None:
        return 1, ""
    span_el = pr.find(W + "gridSpan")
    span = span_el.get(W + "val", "1") if span_el is not None else "1"
    merge_el = pr.find(W + "vMerge")
    merge = "" if merge_el is None else merge_el.get(W + "val", "continue")
    return max(1, min(int(span) if span.isdigit() else 1, 64)), merge


def _cells(row: object) -> Iterator[object]:
    for el in row:  # type: ignore[attr-defined]
        if el.tag == W + "tc":
            yield el
        elif el.tag in (W + "sdt", W + "customXml", W + "sdtContent"):
            yield from _cells(el)


def read_docx(path: str, data: bytes, options: object) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    max_bytes = getattr(options, "max_bytes", 5 * 1024 * 1024)
    check_zip(path, data, max_bytes)
    try:
        document = docx.Document(io.BytesIO(data))
        reader = _Reader(document, bool(getattr(options, "docx_original", False)))
        reader.body(document.element.body)
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, zlib.error,
            EOFError, OSError, etree.XMLSyntaxError) as exc:
        detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise InputFileError(f"corrupt or unsupported DOCX ({detail})", path) from None
    source = "\n".join(reader.lines) + "\n"
    return Document(path, source, reader.builder.blocks, "docx", locators=reader.locators)
