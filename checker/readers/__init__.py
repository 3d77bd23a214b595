"""Read a policy into a Document: fetch or load the bytes, pick the reader, refuse what isn't one.

The one reader interface: `read_policy(path_or_url, options=ReadOptions(...))` returns a Document
or raises InputFileError with one line that names the problem, so the CLI can report it, skip the
input and go on with the others. The reader is chosen by content first (a PDF named `.txt`, HTML
served as text/plain, a Markdown file that is all HTML), then by extension or media type:

- PDF (`%PDF-` in the first KB) and DOCX (a ZIP holding `word/document.xml`) go to their binary
  readers, which write one source line per PDF text line or Word paragraph and name each line in
  the document's own terms (Evidence.locator: "page 3, line 14", "paragraph 12");
- text is decoded by: --encoding, else a byte-order mark (UTF-8, UTF-16, UTF-32), else the charset
  the server sent, else an HTML page's own `<meta charset>`, else UTF-8;
- then Markdown, HTML or plain text, by signs in the text and the extension.
"""

from __future__ import annotations

import codecs
import importlib
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checker.errors import InputFileError
from checker.lazy_re import LazyPattern

if TYPE_CHECKING:  # the document model loads with the first policy read, not with the CLI
    from checker.document import Document

DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # a long policy is ~100 KB; 5 MB is a page gone wrong


@dataclass(frozen=True)
class ReadOptions:
    """How to read every input of a run (picklable: it travels to worker processes)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    encoding: str | None = None  # --encoding: overrides every other way of decoding text
    docx_original: bool = False  # --docx-original: tracked changes read as before, not accepted
    offline: bool = False  # --offline: a URL is an error, never fetched
    timeout: float = 20.0  # seconds for a URL's connection and each read


def is_url(path: str) -> bool:
    return path.lower().startswith(("http://", "https://"))


# Linear by construction: line-start anchors take horizontal whitespace only (`^\s*` rescanned
# a run of blank lines from every line: 200,000 newlines took minutes), and bracket contents
# stop at the next opening bracket, so no run is scanned from each of its characters.
_MARKDOWN_SIGNS = LazyPattern(
    r"^#{1,6}\s+\S|\[[^\[\]\n]+\]\([^()\s]+\)|^[^\S\n]*[-*+]\s+\S.*\n\s*[-*+]\s+\S"
    r"|^[^\S\n]*>\s|\*\*[^*\n]+\*\*",
    re.MULTILINE,
)
_HTML_SIGNS = LazyPattern(r"^\s*(?:<!doctype html|<html|<head|<body)", re.IGNORECASE)
_META_CHARSET = LazyPattern(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# WHATWG: these labels mean windows-1252 in a web page (the bytes 0x80-0x9f are printable there).
_WEB_LATIN1 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii", "l1"}
_BOMS = (  # UTF-32 first: its little-endian mark begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_MEDIA = {"text/html": "html", "application/xhtml+xml": "html", "text/markdown": "markdown",
          "text/x-markdown": "markdown"}
# Each reader is imported on first use: a run over HTML never pays for the Markdown parser.
_READERS = {
    "markdown": ("checker.readers.markdown", "read_markdown"),
    "html": ("checker.readers.html", "read_html"),
    "text": ("checker.readers.text", "read_text"),
}
# Readers of binary documents: (path, bytes, ReadOptions) -> Document.
_BINARY_READERS = {
    "docx": ("checker.readers.docx", "read_docx"),
    "pdf": ("checker.readers.pdf", "read_pdf"),
}
_EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
POLICY_EXTENSIONS = (*_EXTENSIONS, ".txt", ".text", ".docx", ".pdf")


def _web_charset(label: str) -> str | None:
    """A charset label from a server or a <meta> tag as a Python codec (None: unknown)."""
    label = label.strip().strip("\"'").lower()
    if label in _WEB_LATIN1:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "utf-8-sig" if name == "utf-8" else name


def meta_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its own `<meta>` (first 4 KB, as browsers look)."""
    m = _META_CHARSET.search(data[:4096])
    name = _web_charset(m.group(1).decode("ascii", "replace")) if m else None
    # A page that could say "utf-16" in ASCII bytes is not UTF-16: browsers read it as UTF-8.
    return None if name and name.startswith(("utf-16", "utf-32", "utf_16", "utf_32")) else name


def decode(path: str, data: bytes, encoding: str | None = None,
           charset: str | None = None) -> str:
    """--encoding, else a BOM, else the server's charset, else <meta charset>, else UTF-8."""
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputFileError(f"cannot decode as {encoding}: {exc}", path) from None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputFileError(
                    f"starts with a {codec.upper().removesuffix('-SIG')} byte-order mark but is "
                    f"not valid {codec.upper().removesuffix('-SIG')} (offset {exc.start})",
                    path) from None
    declared = (_web_charset(charset) if charset else None) or meta_charset(data)
    if declared and declared != "utf-8-sig":
        try:
            return data.decode(declared)
        except UnicodeDecodeError as exc:
            raise InputFileError(
                f"declares charset {declared} but is not valid {declared} "
                f"(offset {exc.start}); pass --encoding", path) from None
    if b"\x00" in data[:8192]:
        raise InputFileError("binary file (contains NUL bytes), not a policy text", path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it to UTF-8 or pass --encoding latin-1 (or the file's encoding)",
            path,
        ) from None


def sniff_binary(path: str, data: bytes) -> str | None:
    """'pdf' or 'docx' by their signatures, None for text; refuses other binary documents."""
    ext = os.path.splitext(path.split("?")[0])[1].lower()
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        import io
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if "word/document.xml" in z.namelist():
                    return "docx"
        except (zipfile.BadZipFile, OSError, ValueError):
            raise InputFileError("corrupt ZIP archive (a damaged .docx?)", path) from None
        raise InputFileError("a ZIP archive but not a Word document (.docx)", path)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputFileError(
            "an old binary Word (.doc) file or a password-protected Office file; save it as "
            "an unprotected .docx or PDF", path)
    if ext == ".pdf":
        raise InputFileError("not a PDF file (no %PDF- header): damaged or mislabelled", path)
    if ext == ".docx":
        raise InputFileError("not a DOCX file (not a ZIP archive): damaged or mislabelled", path)
    return None


def sniff_format(path: str, text: str, media_type: str | None = None) -> str:
    head = text[:4096]
    if _HTML_SIGNS.search(head):
        return "html"  # a page named .md or .txt, or served as text/plain, is still a page
    if media_type in _MEDIA:
        return _MEDIA[media_type]
    ext = os.path.splitext(path.split("?")[0])[1].lower()
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    if _MARKDOWN_SIGNS.search(text[:200_000]):
        return "markdown"
    return "text"


def read_policy(
    path: str, *, max_bytes: int = DEFAULT_MAX_BYTES, encoding: str | None = None,
    options: ReadOptions | None = None,
) -> Document:
    """Read a file or an http(s) URL into a Document (options win over the two shortcuts)."""
    opts = options or ReadOptions(max_bytes=max_bytes, encoding=encoding)
    if is_url(path):
        from checker.fetch import fetch

        page = fetch(path, opts)
        doc = parse_bytes(path, page.data, opts, charset=page.charset,
                          media_type=page.media_type)
        doc.redirects = page.redirects
        return doc
    max_bytes = opts.max_bytes
    if not os.path.exists(path):
        raise InputFileError("no such file", path)
    if os.path.isdir(path):
        raise InputFileError("is a directory", path)
    size = os.path.getsize(path)
    if size > max_bytes:
        raise InputFileError(
            f"file is {size / 1048576:.1f} MB, over the {max_bytes / 1048576:.1f} MB limit "
            "(raise it with --max-size)",
            path,
        )
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise InputFileError(f"cannot read: {exc.strerror}", path) from None
    if not data.strip():
        raise InputFileError("empty file", path)
    return parse_bytes(path, data, opts)


def parse_bytes(path: str, data: bytes, options: ReadOptions | None = None, *,
                charset: str | None = None, media_type: str | None = None) -> Document:
    """Pick the reader for these bytes (by content, then name) and read them."""
    opts = options or ReadOptions()
    kind = sniff_binary(path, data)
    if kind:
        module, function = _BINARY_READERS[kind]
        doc = getattr(importlib.import_module(module), function)(path, data, opts)
        if not doc.sentences:
            raise InputFileError(f"no readable text found in this {kind.upper()} file", path)
        return doc
    return parse_policy(path, decode(path, data, opts.encoding, charset), media_type=media_type)


def parse_policy(path: str, text: str, fmt: str | None = None,
                 media_type: str | None = None) -> Document:
    """Parse already-decoded text (tests and `privcheck diff` use this with text from git)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    fmt = fmt or sniff_format(path, text, media_type)
    module, function = _READERS[fmt]
    doc = getattr(importlib.import_module(module), function)(path, text)
    if not doc.sentences:
        raise InputFileError(f"no readable text found in this {fmt} file", path)
    return doc
