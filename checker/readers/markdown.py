"""Markdown reader (markdown-it-py, CommonMark plus tables): blocks, headings, links, lines.

CommonMark allows raw HTML blocks, and many policies kept as Markdown are partly or wholly HTML
(generator exports, Jekyll and Hugo sites). Each raw HTML block is read by the HTML reader's
walker into the same block list, its lines mapped to the file; inline `<br>` is a line break and
an inline `<a href>` a link, as in HTML.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from checker.document import Document, Link, source_line_starts
from checker.errors import InputFileError
from checker.readers.structure import BlockBuilder
from checker.readers.tables import TableBuilder

_HREF = re.compile(r"""^<a\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)

# markdown-it stops reading a document silently once blocks nest deeper than maxNesting (its
# default, 20, dropped everything after ~9 nested list levels). Real policies nest a few levels;
# past this limit the reader says so rather than return part of the document.
MAX_NESTING = 200
_MD = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table")


def _inline_text(token: Token) -> tuple[str, list[Link]]:
    """Flatten an inline token: soft breaks become spaces, hard breaks newlines; keep links."""
    parts: list[str] = []
    links: list[Link] = []
    open_links: list[tuple[int, str]] = []
    length = 0
    for child in token.children or []:
        piece = ""
        if child.type in ("text", "code_inline"):
            piece = child.content
        elif child.type == "softbreak":
            piece = " "
        elif child.type == "hardbreak":
            piece = "\n"
        elif child.type == "image":
            piece = child.content
        elif child.type == "link_open":
            open_links.append((length, str(child.attrs.get("href", ""))))
        elif child.type == "link_close" and open_links:
            start, href = open_links.pop()
            links.append(Link(start, length, href))
        elif child.type == "html_inline":
            tag = child.content.lower()
            if tag.startswith("<br"):
                piece = "\n"
            elif (m := _HREF.match(child.content)):
                open_links.append((length, next(g for g in m.groups() if g is not None)))
            elif tag.startswith("</a") and open_links:
                start, href = open_links.pop()
                links.append(Link(start, length, href))
        parts.append(piece)
        length += len(piece)
    return "".join(parts), links


def read_markdown(path: str, source: str) -> Document:
    tokens = _MD.parse(source)
    if any(tok.level >= MAX_NESTING - 1 for tok in tokens):
        raise InputFileError(f"Markdown nested more than {MAX_NESTING // 2} levels deep: not "
                             "read completely", path)
    line_starts = source_line_starts(source)
    builder = BlockBuilder("markdown")
    kind_stack: list[str] = []
    heading_level = 0
    lists = 0  # how many lists enclose the token (Block.depth)
    tables: list[TableBuilder] = []  # pipe tables (a list item may hold one), innermost last
    head = False  # inside the table's header row
    for i, tok in enumerate(tokens):
        if tok.type == "table_open":
            tables.append(TableBuilder(builder.blocks, tables[-1] if tables else None))
        elif tok.type == "table_close" and tables:
            tables.pop().finish()
        elif tok.type in ("thead_open", "thead_close"):
            head = tok.type == "thead_open"
        elif tok.type == "tr_open" and tables:
            tables[-1].start_row(header=head)
        elif tok.type in ("th_open", "td_open") and tables:
            tables[-1].start_cell(header=tok.type == "th_open")
        elif tok.type in ("th_close", "td_close") and tables:
            tables[-1].end_cell()
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            lists += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            lists = max(0, lists - 1)
        if tok.type in ("bullet_list_open", "ordered_list_open", "list_item_open"):
            kind_stack.append("list_item")
        elif tok.type in ("th_open", "td_open"):
            kind_stack.append("table_cell")
        elif (
            tok.type
            in (
                "bullet_list_close",
                "ordered_list_close",
                "list_item_close",
                "th_close",
                "td_close",
            )
            and kind_stack
        ):
            kind_stack.pop()
        elif tok.type == "heading_open":
            heading_level = int(tok.tag[1:])
        elif tok.type == "inline":
            text, links = _inline_text(tok)
            line = tok.map[0] if tok.map else (tokens[i - 1].map or [0])[0]
            start = line_starts[min(line, len(line_starts) - 1)]
            if heading_level:
                builder.add("heading", text, start, level=heading_level, links=links)
            else:
                kind = kind_stack[-1] if kind_stack else "paragraph"
                builder.add(kind, text, start, links=links, depth=lists if kind_stack else 0)
        elif tok.type == "heading_close":
            heading_level = 0
        elif tok.type == "html_block" and tok.map:
            from checker.readers.html import walk_fragment  # lxml only for raw HTML blocks

            walk_fragment(tok.content, builder, line_starts, tok.map[0])
    return Document(path, source, builder.blocks, "markdown", line_starts)
