"""Read a policy file into a Document: decode it safely, pick the reader, refuse what isn't text.

Every refusal is an InputFileError with one line that names the problem, so the CLI can report it,
skip the file and go on with the others.
"""

from __future__ import annotations

import codecs
import importlib
import os
import re

from checker.document import Document
from checker.errors import InputFileError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # a long policy is ~100 KB; 5 MB is a page gone wrong

# Linear by construction: line-start anchors take horizontal whitespace only (`^\s*` rescanned
# a run of blank lines from every line: 200,000 newlines took minutes), and bracket contents
# stop at the next opening bracket, so no run is scanned from each of its characters.
_MARKDOWN_SIGNS = re.compile(
    r"^#{1,6}\s+\S|\[[^\[\]\n]+\]\([^()\s]+\)|^[^\S\n]*[-*+]\s+\S.*\n\s*[-*+]\s+\S"
    r"|^[^\S\n]*>\s|\*\*[^*\n]+\*\*",
    re.MULTILINE,
)
_HTML_SIGNS = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body)", re.IGNORECASE)
# Each reader is imported on first use: a run over HTML never pays for the Markdown parser.
_READERS = {
    "markdown": ("checker.readers.markdown", "read_markdown"),
    "html": ("checker.readers.html", "read_html"),
    "text": ("checker.readers.text", "read_text"),
}
_EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
POLICY_EXTENSIONS = (*_EXTENSIONS, ".txt", ".text")


def decode(path: str, data: bytes, encoding: str | None = None) -> str:
    """UTF-8 (with or without BOM) by default; anything else needs an explicit --encoding."""
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputFileError(f"cannot decode as {encoding}: {exc}", path) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputFileError(
            "file is UTF-16 encoded; convert it to UTF-8 or pass --encoding utf-16", path
        )
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


def sniff_format(path: str, text: str) -> str:
    ext = os.path.splitext(path)[1].lower()
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    head = text[:4096]
    if _HTML_SIGNS.search(head):
        return "html"
    if _MARKDOWN_SIGNS.search(text[:200_000]):
        return "markdown"
    return "text"


def read_policy(
    path: str, *, max_bytes: int = DEFAULT_MAX_BYTES, encoding: str | None = None
) -> Document:
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
    return parse_policy(path, decode(path, data, encoding))


def parse_policy(path: str, text: str, fmt: str | None = None) -> Document:
    """Parse already-decoded text (tests and `privcheck diff` use this with text from git)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    fmt = fmt or sniff_format(path, text)
    module, function = _READERS[fmt]
    doc = getattr(importlib.import_module(module), function)(path, text)
    if not doc.sentences:
        raise InputFileError(f"no readable text found in this {fmt} file", path)
    return doc
