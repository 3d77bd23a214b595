"""PDF: the same verdicts as the Markdown it was printed from, quotes located by page and line,
hyphenation joined, running headers, footers and page numbers dropped; bad PDFs one line."""

from __future__ import annotations

import re

import pytest

from checker.engine import Plan, check_document
from checker.errors import InputFileError
from checker.readers import parse_bytes, parse_policy
from tests.inputs_kit import HEADER, SAMPLE, pdf_bytes, scanned_pdf, without_sections

PARTIAL = without_sections(SAMPLE, "Do Not Track", "Your California Privacy Rights")


def verdicts(doc, plan: Plan) -> dict[str, str]:
    return {f.rule: f.status.value for f in check_document(doc, plan).results}


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return pdf_bytes(SAMPLE)


@pytest.mark.parametrize("md", [SAMPLE, PARTIAL], ids=["full", "partial"])
def test_pdf_gets_the_markdowns_verdicts(md: str, plan: Plan) -> None:
    doc = parse_bytes("policy.pdf", pdf_bytes(md))
    assert doc.format == "pdf"
    expected = verdicts(parse_policy("policy.md", md), plan)
    assert verdicts(doc, plan) == expected
    assert "fail" in expected.values() or md is SAMPLE


def test_headings_hyphenation_headers_and_page_line_locators(sample_pdf: bytes) -> None:
    doc = parse_bytes("policy.pdf", sample_pdf)
    assert "infor-" in doc.source and "personal information Acme" in doc.text
    assert HEADER in doc.source and HEADER not in doc.text
    assert re.search(r"Page 1 of \d", doc.source) and "Page 1" not in doc.text
    title = doc.blocks[0]
    assert (title.kind, title.level, title.text) == ("heading", 1, "Acme Widgets Privacy Policy")
    children = next(b for b in doc.blocks if b.text.startswith("Our services"))
    assert children.section == ("Acme Widgets Privacy Policy", "Children")
    i = children.text.index("under 13")
    ev = doc.evidence(children, i, i + 8)
    assert ev.quote == "under 13"
    page, line = ev.locator.removeprefix("page ").split(", line ")
    assert page == "2"
    # the header counts as line 1 of the page; the heading "Children" is the page's first text
    assert int(line) >= 3
    assert doc.source.splitlines()[ev.line - 1][ev.column - 1:].startswith("under")


def test_a_pdf_named_txt_is_read_as_pdf(sample_pdf: bytes, plan: Plan) -> None:
    doc = parse_bytes("policy.txt", sample_pdf)
    assert doc.format == "pdf" and verdicts(doc, plan)["core.contact"] == "pass"


@pytest.mark.parametrize(("make", "expected"), [
    (scanned_pdf, "no text layer"),
    (lambda: pdf_bytes(SAMPLE, encrypt="secret"), "encrypted PDF"),
    (lambda: pdf_bytes(SAMPLE)[:400], "PDF"),
    (lambda: b"%PDF-1.7\n" + bytes(range(256)) * 20, "PDF"),
    (lambda: b"This is not a PDF at all, just text.", "not a PDF file"),
], ids=["scanned", "encrypted", "truncated", "garbage", "not-a-pdf"])
def test_bad_pdf_is_one_clear_error(make, expected: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputFileError) as info:
        parse_bytes("policy.pdf", make())
    assert expected in info.value.message and "\n" not in info.value.message


def _flate_bomb(inflated: int) -> bytes:
    """A minimal hand-written PDF whose one page's content stream inflates to `inflated` bytes."""
    import zlib

    stream = zlib.compress(b"0 0 m " * (inflated // 6), 1)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
        + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def test_a_decompression_bomb_is_refused_without_inflating_it() -> None:
    import resource

    bomb = _flate_bomb(160 * 1024 * 1024)  # 160 MB of drawing commands in under 1 MB
    assert len(bomb) < 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(InputFileError) as info:
        parse_bytes("bomb.pdf", bomb)
    assert "decompression bomb" in info.value.message
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 250  # the budget is 100 MB: the stream is never inflated in full
    # A small stream of the same kind is read (no text in it: the scan error, not the bomb one).
    with pytest.raises(InputFileError, match="no text layer"):
        parse_bytes("small.pdf", _flate_bomb(10_000))


def test_link_annotations_keep_their_targets() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 12)
    pdf.write(6, "You can opt out of interest-based ads on our ")
    pdf.write(6, "ad choices page", link="https://acme.example/opt-out")
    pdf.write(6, " at any time, or write to us and we will opt you out within ten days.")
    doc = parse_bytes("links.pdf", bytes(pdf.output()))
    [block] = doc.blocks
    assert [(block.text[k.start:k.end], k.target) for k in block.links] == [
        ("ad choices page", "https://acme.example/opt-out")]


def test_two_columns_are_read_one_after_the_other() -> None:
    from fpdf import FPDF

    left = "We collect your name and email address when you register. " * 6
    right = "We never sell your personal information to anyone at all. " * 6
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    top = pdf.get_y()
    pdf.set_xy(10, top)
    pdf.multi_cell(90, 5, left)
    pdf.set_xy(110, top)
    pdf.multi_cell(90, 5, right)
    doc = parse_bytes("columns.pdf", bytes(pdf.output()))
    sentences = [" ".join(s.text.split()) for s in doc.sentences]
    assert sentences == [left.split(". ")[0] + "."] * 6 + [right.split(". ")[0] + "."] * 6


def test_a_pdf_that_would_take_minutes_is_refused_in_one_line(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A content stream of a million drawing operators is interpreted one by one in Python:
    the reader looks at the clock as it goes (here the budget is cut to nothing)."""
    from checker.readers import pdf

    monkeypatch.setattr(pdf, "READ_SECONDS", 0.0)
    with pytest.raises(InputFileError) as info:
        parse_bytes("slow.pdf", _flate_bomb(6_000_000))
    assert info.value.message == "PDF took over 0 s to read (crafted or damaged?); not read"


def test_a_page_with_too_many_characters_is_refused(monkeypatch, sample_pdf: bytes) -> None:  # type: ignore[no-untyped-def]
    from checker.readers import pdf

    parse_bytes("policy.pdf", sample_pdf)  # read with the real cap
    monkeypatch.setattr(pdf, "MAX_PAGE_CHARS", 100)
    with pytest.raises(InputFileError, match="a page with over 100 characters"):
        parse_bytes("policy.pdf", sample_pdf)
