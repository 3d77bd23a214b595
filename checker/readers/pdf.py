"""PDF reader (pdfminer.six): text in reading order, headings from type size and weight.

pdfminer.six was chosen on measurement (docs/inputs.md, benchmarks/pdf_extractors.py): MIT
licensed, pure Python (no binary wheel to trust), maintained, and the only candidate whose layout
analysis hands over each character's font name and size, which is what recovers headings from a
printed policy. It is slower than pypdfium2, which does not matter at policy sizes. PyMuPDF is
AGPL-3.0 and not an option for an Apache-2.0 project.

What the reader does with the layout:
- text boxes in pdfminer's reading order (columns are read one after the other);
- a line set in type clearly larger than the body's, or wholly bold and short, is a heading
  (larger type, higher level);
- a word hyphenated at a line end is joined ("infor-" + "mation" = "information");
- running headers and footers (the same text, digits aside, at the top or bottom of most pages)
  and page numbers ("3", "Page 3 of 9") are dropped;
- a PDF with no text layer (a scan) is refused with one line, as are encrypted and corrupt files,
  decompression bombs, and PDFs that would take over READ_SECONDS to interpret or put more than
  MAX_PAGE_CHARS characters on a page (crafted content streams: a hang otherwise).

The Document's source is written here, one line per PDF text line, and Evidence.locator says
"page 3, line 14" (lines counted from the top of the page, headers included).
"""

from __future__ import annotations

import contextvars
import io
import re
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from checker.document import Document, Link
from checker.errors import InputFileError
from checker.readers.structure import BlockBuilder

_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–]?\s*\d{1,4}\s*[-–]?(?:\s*(?:of|/)\s*\d{1,4})?$",
                          re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[•·▪‣◦●○■□–-]|\d{1,3}[.)]|\([a-z0-9]{1,3}\))\s+")
_HYPHEN_END = re.compile(r"[A-Za-z]-$")
_MARGIN = 0.1  # the top and bottom tenth of a page is where running headers and footers sit
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
HEADING_RATIO = 1.15  # a line's type this much larger than the body's is a heading
MAX_PAGES = 2000
MAX_PAGE_CHARS = 200_000  # a dense printed page has ~6,000; layout analysis grows faster than this
READ_SECONDS = 30.0  # the most time reading one PDF may take (a 100-page policy takes ~6 s)
_CHECK_EVERY = 4096  # content-stream operands between two looks at the clock
EXPAND_FACTOR = 20  # a PDF's streams may inflate to this many times --max-size, no more


class _Bomb(Exception):
    """A PDF whose compressed streams inflate past the budget (a decompression bomb)."""


class _Slow(Exception):
    """A PDF whose pages take longer than READ_SECONDS to interpret, or carry more characters
    than a page can: crafted content streams that would hold the run for minutes."""


# What is left of the current PDF's inflation budget (None: no PDF being read in this context).
_BUDGET: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("pdf_budget",
                                                                          default=None)


def _spend(n: int) -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget[0] -= n
        if budget[0] < 0:
            raise _Bomb


class _BoundedDecompressor:
    def __init__(self, *args: object, **kwargs: object) -> None:
        self._d = zlib.decompressobj(*args, **kwargs)  # type: ignore[arg-type]

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        budget = _BUDGET.get()
        cap = budget[0] + 1 if budget is not None else 0
        out = self._d.decompress(data, max_length or cap)
        _spend(len(out))
        if budget is not None and self._d.unconsumed_tail:
            raise _Bomb
        return out

    def flush(self, *args: int) -> bytes:
        out = self._d.flush(*args)
        _spend(len(out))
        return out

    def __getattr__(self, name: str) -> object:
        return getattr(self._d, name)


class _BoundedZlib:
    """Stands in for the `zlib` module inside pdfminer: the same calls, with every inflation
    counted against the budget of the PDF being read, so a 5 MB file cannot inflate to 5 GB."""

    error = zlib.error

    def decompressobj(self, *args: object, **kwargs: object) -> _BoundedDecompressor:
        return _BoundedDecompressor(*args, **kwargs)

    def decompress(self, data: bytes, *args: object, **kwargs: object) -> bytes:
        if _BUDGET.get() is None:
            return zlib.decompress(data, *args, **kwargs)  # type: ignore[arg-type]
        d = _BoundedDecompressor()
        out = d.decompress(data)
        if not d.eof:
            raise zlib.error("incomplete or truncated stream")
        return out

    def __getattr__(self, name: str) -> object:
        return getattr(zlib, name)


def _guard_pdfminer() -> None:
    import logging

    from pdfminer import pdftypes

    # pdfminer warns through logging about damaged fonts and xrefs; with no handler configured
    # Python prints those on stderr, which would break the one-line-per-bad-input contract.
    quiet = logging.getLogger("pdfminer")
    if not quiet.handlers:
        quiet.addHandler(logging.NullHandler())
        quiet.propagate = False

    if not isinstance(pdftypes.zlib, _BoundedZlib):
        pdftypes.zlib = _BoundedZlib()  # type: ignore[assignment]


@dataclass
class _Line:
    page: int
    number: int  # 1-based on its page, top to bottom in reading order
    box: int  # the text box it came from (a paragraph, in pdfminer's analysis)
    text: str
    size: float
    bold: bool
    band: str  # "top", "bottom" or "" (the page's margins, where headers and footers are)
    drop: bool = False
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, target) on this line


def _page_links(page: object) -> list[tuple[tuple[float, float, float, float], str]]:
    """The page's link annotations to web or mail addresses: (rectangle, target)."""
    from pdfminer.pdftypes import resolve1

    out = []
    for annot in resolve1(getattr(page, "annots", None)) or []:
        annot = resolve1(annot)
        if not isinstance(annot, dict):
            continue
        action = resolve1(annot.get("A"))
        rect = resolve1(annot.get("Rect"))
        if not isinstance(action, dict) or not isinstance(rect, list) or len(rect) != 4:
            continue
        uri = resolve1(action.get("URI"))
        if isinstance(uri, bytes):
            uri = uri.decode("latin-1")
        if isinstance(uri, str) and uri.strip():
            x0, y0, x1, y1 = (float(resolve1(v) or 0) for v in rect)
            out.append(((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)), uri.strip()))
    return out


def _line_links(line: object, links: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    """(label, target) for each link whose rectangle holds some of this line's characters: the
    label runs from the first character inside to the last (spaces between them included)."""
    found = []
    items = list(line)  # type: ignore[call-overload]
    for (x0, y0, x1, y1), target in links:
        inside = [i for i, c in enumerate(items) if hasattr(c, "x0") and
                  x0 - 1 <= (c.x0 + c.x1) / 2 <= x1 + 1 and y0 - 1 <= (c.y0 + c.y1) / 2 <= y1 + 1]
        if inside:
            text = "".join(c.get_text() for c in items[inside[0]:inside[-1] + 1])
            label = " ".join(text.split())
            if label:
                found.append((label, target))
    return found


def _bounded_tools(deadline: float) -> tuple[type, type]:
    """pdfminer's interpreter and layout device, with a look at the clock every few thousand
    operands (a content stream is interpreted in Python, one operator at a time) and a cap on a
    page's characters (what the layout analysis is run over)."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfinterp import PDFPageInterpreter

    class Interpreter(PDFPageInterpreter):
        operands = 0

        def push(self, obj: object) -> None:
            self.operands += 1
            if not self.operands % _CHECK_EVERY and time.monotonic() > deadline:
                raise _Slow(f"took over {READ_SECONDS:g} s to read")
            self.argstack.append(obj)  # type: ignore[arg-type]

    class Aggregator(PDFPageAggregator):
        chars = 0

        def begin_page(self, page: object, ctm: object) -> None:
            self.chars = 0
            super().begin_page(page, ctm)  # type: ignore[arg-type]

        def render_char(self, *args: object, **kwargs: object) -> float:
            self.chars += 1
            if self.chars > MAX_PAGE_CHARS:
                raise _Slow(f"a page with over {MAX_PAGE_CHARS:,} characters")
            return super().render_char(*args, **kwargs)  # type: ignore[arg-type]

    return Interpreter, Aggregator


def _lines(data: bytes, path: str, max_bytes: int) -> list[_Line]:
    from pdfminer.layout import LAParams, LTChar, LTTextBox, LTTextLine
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser, PDFSyntaxError
    from pdfminer.psparser import PSException

    out: list[_Line] = []
    box_id = 0
    _guard_pdfminer()
    token = _BUDGET.set([max_bytes * EXPAND_FACTOR])
    try:
        # pdfminer's extract_pages, spelled out so that each page's link annotations are at hand
        deadline = time.monotonic() + READ_SECONDS
        interpreter_class, aggregator_class = _bounded_tools(deadline)
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        resources = PDFResourceManager()
        device = aggregator_class(resources, laparams=LAParams())
        interpreter = interpreter_class(resources, device)
        for page_no, pdf_page in enumerate(PDFPage.create_pages(document), 1):
            if page_no > MAX_PAGES:
                raise InputFileError(f"over {MAX_PAGES} pages: not a policy", path)
            if time.monotonic() > deadline:
                raise _Slow(f"took over {READ_SECONDS:g} s to read")
            interpreter.process_page(pdf_page)
            page = device.get_result()
            links = _page_links(pdf_page)
            height = page.height or 1
            number = 0
            for box in page:
                if not isinstance(box, LTTextBox):
                    continue
                box_id += 1
                for line in box:
                    if not isinstance(line, LTTextLine):
                        continue
                    text = line.get_text().rstrip("\n")
                    chars = [c for c in line
                             if isinstance(c, LTChar) and not c.get_text().isspace()]
                    if not text.strip() or not chars:
                        continue
                    number += 1
                    sizes = Counter(round(c.size, 1) for c in chars)
                    top = (height - line.y1) / height
                    bottom = line.y0 / height
                    band = "top" if top < _MARGIN else "bottom" if bottom < _MARGIN else ""
                    out.append(_Line(page_no, number, box_id, text, sizes.most_common(1)[0][0],
                                     all(_BOLD.search(c.fontname or "") for c in chars), band,
                                     links=_line_links(line, links) if links else []))
    except InputFileError:
        raise
    except _Slow as exc:
        raise InputFileError(f"PDF {exc} (crafted or damaged?); not read", path) from None
    except _Bomb:
        raise InputFileError(
            f"PDF inflates to more than {max_bytes * EXPAND_FACTOR / 1048576:.0f} MB "
            "(a decompression bomb?); raise --max-size if it is real", path) from None
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise InputFileError("encrypted PDF: save an unprotected copy to check it", path) \
            from None
    except (PDFSyntaxError, PSException) as exc:
        raise InputFileError(f"corrupt PDF ({type(exc).__name__}: {str(exc)[:80]})", path) \
            from None
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        if "crypt" in type(exc).__name__.lower() or "password" in str(exc).lower():
            raise InputFileError("encrypted PDF: save an unprotected copy to check it", path) \
                from None
        raise InputFileError(
            f"corrupt or unreadable PDF ({type(exc).__name__}: {str(exc)[:80]})", path) from None
    finally:
        _BUDGET.reset(token)
    return out


def _drop_running_lines(lines: list[_Line]) -> None:
    """Mark page numbers and text repeated in the same margin on most pages."""
    pages = len({ln.page for ln in lines})
    key = {id(ln): (ln.band, re.sub(r"\d+", "#", " ".join(ln.text.split()).lower()))
           for ln in lines if ln.band}
    seen = Counter({(k, p) for ln in lines if ln.band for k, p in [(key[id(ln)], ln.page)]})
    per_key = Counter(k for k, _ in seen)
    for ln in lines:
        if not ln.band:
            continue
        if _PAGE_NUMBER.match(ln.text.strip()) or (
                pages >= 2 and per_key[key[id(ln)]] >= max(2, pages // 2 + pages % 2)):
            ln.drop = True


def _join(a: str, b: str, last: str) -> str:
    """Two lines of one paragraph: a hyphen that split a word at the line end is dropped; a line
    wrapped by the layout joins with a space (a newline would make its first line look like a
    label to the structure detection); a short line or one ending a sentence keeps its break
    (addresses, lists of labels), as in the plain-text reader."""
    a = a.rstrip()
    if _HYPHEN_END.search(a) and b[:1].islower():
        return a[:-1] + "\u00ad" + b  # soft hyphen marks the join; removed below
    last = last.rstrip()  # the PDF line that `a` ends with
    hard = len(last) < 45 or last.endswith((".", ":", "?", "!")) or _BULLET.match(b) is not None
    return a + ("\n" if hard else " ") + b


def read_pdf(path: str, data: bytes, options: object) -> Document:
    lines = _lines(data, path, int(getattr(options, "max_bytes", 5 * 1024 * 1024)))
    if not lines:
        raise InputFileError(
            "PDF has no text layer (a scanned image?): run OCR on it first, e.g. ocrmypdf", path)
    _drop_running_lines(lines)
    kept = [ln for ln in lines if not ln.drop]
    body_size: Counter[float] = Counter()
    for ln in kept:
        body_size[ln.size] += len(ln.text)
    body = body_size.most_common(1)[0][0] if body_size else 0
    larger = sorted({ln.size for ln in kept if ln.size >= body * HEADING_RATIO}, reverse=True)
    level_of = {size: min(i + 1, 6) for i, size in enumerate(larger)}

    source_lines = [ln.text for ln in lines]
    starts: list[int] = []
    pos = 0
    for text in source_lines:
        starts.append(pos)
        pos += len(text) + 1
    source = "\n".join(source_lines) + "\n"
    locators = [f"page {ln.page}, line {ln.number}" for ln in lines]

    builder = BlockBuilder("text")
    index = {id(ln): i for i, ln in enumerate(lines)}
    group: list[_Line] = []

    def flush() -> None:
        if not group:
            return
        first = group[0]
        heading = first.size in level_of or (
            first.bold and len(group) == 1 and len(first.text.split()) <= 12
            and not first.text.rstrip().endswith("."))
        text = " ".join(group[0].text.split())  # justified lines have runs of spaces
        line_starts = [0]
        for prev, ln in pairwise(group):
            text = _join(text, " ".join(ln.text.split()), prev.text)
            line_starts.append(len(text) - len(" ".join(ln.text.split())))
        # Link labels are found in the text each line contributed (before hyphens are removed).
        links: list[Link] = []
        for ln, at in zip(group, line_starts, strict=True):
            for label, target in ln.links:
                found = text.find(label, at)
                if found >= 0:
                    links.append(Link(found, found + len(label), target))
        if "\u00ad" in text:
            for link in links:
                link.start -= text.count("\u00ad", 0, link.start)
                link.end -= text.count("\u00ad", 0, link.end)
            text = text.replace("\u00ad", "")
        start = starts[index[id(first)]] + (len(first.text) - len(first.text.lstrip()))
        if heading:
            level = level_of.get(first.size, len(larger) + 1)
            builder.add("heading", " ".join(text.split()), start, level=min(level, 6))
        else:
            kind = "list_item" if _BULLET.match(first.text) else "paragraph"
            builder.add(kind, text, start, links=links)
        group.clear()

    for ln in kept:
        if group:
            prev = group[-1]
            new_block = (
                ln.box != prev.box or ln.size != prev.size or ln.bold != prev.bold
                or _BULLET.match(ln.text) is not None
            )
            # A paragraph that layout analysis split (its first line boxed alone, or continued
            # on the next page): same type, the last line unfinished, the next in lower case.
            if ln.box != prev.box and ln.size == prev.size and ln.bold == prev.bold and \
                    not prev.text.rstrip().endswith((".", ":", "?", "!")) and \
                    ln.text.lstrip()[:1].islower() and _BULLET.match(ln.text) is None:
                new_block = False
            if new_block:
                flush()
        group.append(ln)
    flush()
    return Document(path, source, builder.blocks, "pdf", locators=locators)
