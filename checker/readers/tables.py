"""Tables: which header cells complete each data cell (issues 8, 10, 11).

Policies often answer a requirement in a table: "| Do Not Track | We do not respond to these
signals |", a "No" under "Sold or shared" in the row "Identifiers", "Your consent" under "Legal
basis" in the row "To send you our newsletter". Every cell is its own block, so without its
headers a cell means little ("No", "Your consent"). The readers (HTML, Markdown, DOCX) report the
rows and cells they walk to a TableBuilder, which, when the table ends, records on every block
inside a data cell the blocks of its row's header cell (`Block.row_header`) and of the header
cells above its column (`Block.column_header`). The phrase extractor then reads a cell as completed
by its headers, as it reads a list item with its lead-in (checker/facts/phrases.py).

Which cells are headers:
- column headers: the rows the markup marks as header rows (`<thead>`, a leading row of `<th>`
  cells, Markdown's header row, a Word row repeated as header); in a table whose markup marks
  none (`<td>` only, most Word tables), the first row when every cell of it is a short label
  ("Category", "Sold or shared") and the table has more rows (a first row that reads as a
  statement, "We do not respond to these signals", is data: a table of keys and answers);
- a row's header: a `<th>` in the row (one with `scope="row"` first), else the row's first cell
  when the row has two columns or more and that cell is short (a key, a purpose, a category; a
  cell of more than a sentence or so is content, not a key). A cell spanning rows heads each.
A cell's row header includes the header above the row's key ("Category" over "Identifiers"):
it names what the rows are. Header cells take no context themselves, except a row's key, which
takes its column header ("To send you our newsletter" under "Purpose"). A table holding a real
heading or a nested table in its cells is laid out with a table, not a table of data: it records
nothing (the nested table records its own). How the headers complete a cell (all of them for a
short answer, the row's only for a longer statement) is the phrase extractor's decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checker.document import Block

_MAX_SPAN = 64  # a colspan/rowspan past this is a page gone wrong, not a table to lay out
_LABEL_WORDS = 6  # a header-row cell in unmarked markup: "Disclosed for a business purpose"
_KEY_WORDS = 20  # a row's first cell that is still a key ("To keep the service secure")
_HEADER_WORDS = 25  # a marked header cell longer than this is content, not a header
_PRONOUNS = {"we", "you", "our", "your", "it", "they", "this", "these", "us", "i", "if", "when"}


@dataclass(eq=False)
class _Cell:
    blocks: list[Block]
    header: bool  # marked a header by the markup (<th>, Markdown's header row)
    scope: str = ""
    colspan: int = 1
    rowspan: int = 1
    row: int = 0
    col: int = 0

    @property
    def text(self) -> str:
        return " ".join(" ".join(b.text.split()) for b in self.blocks)

    def words(self) -> int:
        return sum(len(b.text.split()) for b in self.blocks)


@dataclass(eq=False)
class _Row:
    header: bool  # a header row by markup (<thead>, Markdown's first row, Word's tblHeader)
    cells: list[_Cell] = field(default_factory=list)


class TableBuilder:
    """Collects one table's rows and cells as a reader walks it; `finish` records the headers.

    `blocks` is the reader's block list (BlockBuilder.blocks): a cell's blocks are those added
    between `start_cell` and `end_cell`. A table nested in a cell reports its blocks to its
    parent, which leaves them out of its own cell."""

    def __init__(self, blocks: list[Block], parent: TableBuilder | None = None) -> None:
        self._blocks = blocks
        self._parent = parent
        self._rows: list[_Row] = []
        self._open: list[tuple[bool, str, int, int, int]] = []
        self._nested: set[int] = set()  # ids of blocks of tables nested in this one's cells
        self._start = len(blocks)
        self.layout = False  # a real heading or a nested table in a cell: not a data table

    def start_row(self, header: bool = False) -> None:
        self._rows.append(_Row(header))

    def start_cell(self, header: bool = False, scope: str | None = None,
                   colspan: int | str | None = 1, rowspan: int | str | None = 1) -> None:
        if not self._rows:
            self.start_row()
        self._open.append((header, (scope or "").lower(), _span(colspan), _span(rowspan),
                           len(self._blocks)))

    def end_cell(self) -> _Cell | None:
        if not self._open:
            return None
        header, scope, colspan, rowspan, start = self._open.pop()
        blocks = [b for b in self._blocks[start:] if id(b) not in self._nested]
        if any(b.kind == "heading" and b.level < 7 for b in blocks):
            self.layout = True
        cell = _Cell(blocks, header, scope, colspan, rowspan)
        self._rows[-1].cells.append(cell)
        return cell

    def finish(self) -> None:
        """Record every data cell's headers on its blocks (nothing for a layout table)."""
        if self._parent is not None:
            self._parent._nested.update(id(b) for b in self._blocks[self._start:])
            self._parent.layout = True
        if not self.layout:
            _assign(self._rows)


def _span(value: int | str | None) -> int:
    try:
        n = int(str(value).strip()) if value is not None else 1
    except ValueError:
        return 1
    return max(1, min(n, _MAX_SPAN))


def _is_label(cell: _Cell) -> bool:
    """A short label: a few words, no sentence punctuation, not a statement ("We ...")."""
    text = cell.text.strip()
    words = text.split()
    if not words or len(words) > _LABEL_WORDS or len(text) > 60:
        return False
    if text[-1] in ".!?:;" or words[0].lower().strip("*_\"'“") in _PRONOUNS:
        return False
    first = text.lstrip("*_\"'“(")[:1]
    return bool(first) and (first.isupper() or not first.isalpha())


def _place(rows: list[_Row]) -> dict[tuple[int, int], _Cell]:
    """The grid: (row, column) -> the cell covering it, colspan and rowspan laid out."""
    grid: dict[tuple[int, int], _Cell] = {}
    # Spans may cover at most a few slots per cell on average: a hostile page of huge spans is
    # laid out cell by cell once the budget is spent (linear, never rows x columns x spans).
    budget = 16 * sum(len(row.cells) for row in rows) + 4096
    for r, row in enumerate(rows):
        c = 0
        for cell in row.cells:
            while (r, c) in grid:
                c += 1
            cell.row, cell.col = r, c
            rowspan, colspan = min(cell.rowspan, len(rows) - r), cell.colspan
            if rowspan * colspan > budget:
                rowspan = colspan = 1
            budget -= rowspan * colspan
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid.setdefault((r + dr, c + dc), cell)
            c += colspan
    return grid


def _header_rows(rows: list[_Row]) -> int:
    """How many leading rows are header rows."""
    marked = 0
    while marked < len(rows) and rows[marked].header:
        marked += 1
    if marked:
        return marked
    while marked < len(rows) and rows[marked].cells and all(
        c.header for c in rows[marked].cells if c.blocks
    ) and any(c.blocks for c in rows[marked].cells):
        marked += 1  # leading rows of <th> cells
    if marked or any(c.header for row in rows for c in row.cells):
        return marked  # the markup marks its headers (e.g. <th> down the first column only)
    first = [c for c in rows[0].cells if c.blocks] if rows else []
    if len(rows) >= 2 and len(first) >= 2 and all(_is_label(c) for c in first):
        return 1
    return 0


def _assign(rows: list[_Row]) -> None:
    if not rows:
        return
    grid = _place(rows)
    heads = _header_rows(rows)
    widths: dict[int, int] = {}
    for rr, c in grid:
        widths[rr] = max(widths.get(rr, 0), c + 1)
    columns: dict[int, tuple[Block, ...]] = {}
    for r in range(heads, len(rows)):
        key = _row_header(rows[r], grid, r, widths.get(r, 0))
        for cell in rows[r].cells:
            if not cell.blocks:
                continue
            if cell.col not in columns:
                columns[cell.col] = tuple(
                    b for h in _column_headers(grid, heads, cell.col) for b in h.blocks)
            column = columns[cell.col]
            row_blocks: tuple[Block, ...] = ()
            if key is not None and key is not cell:
                # the row's key, then the header above the key ("Category" over
                # "Identifiers"): it names what the rows are
                corner = _column_headers(grid, heads, key.col)
                row_blocks = (*key.blocks, *(b for h in corner for b in h.blocks))
            for block in cell.blocks:
                block.column_header = column
                block.row_header = row_blocks


def _row_header(row: _Row, grid: dict[tuple[int, int], _Cell], r: int, width: int
                ) -> _Cell | None:
    """The cell that heads row r: a <th scope=row>, another <th>, else a short first cell."""
    if width < 2:
        return None
    cells = [grid[(r, c)] for c in range(width) if (r, c) in grid]
    ths = [c for c in cells if c.header and c.blocks]
    for cell in ths:
        if cell.scope == "row":
            return cell
    if ths:
        return ths[0] if ths[0].words() <= _HEADER_WORDS else None
    first = grid.get((r, 0))
    if first is None or not first.blocks or first.words() > _KEY_WORDS:
        return None
    return first


def _column_headers(grid: dict[tuple[int, int], _Cell], heads: int, col: int) -> list[_Cell]:
    out: list[_Cell] = []
    for r in range(heads):
        cell = grid.get((r, col))
        if cell is not None and cell.blocks and cell not in out and (
            cell.words() <= _HEADER_WORDS
        ):
            out.append(cell)
    return out
