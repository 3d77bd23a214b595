"""PDF: the same verdicts as the Markdown it was printed from, quotes located by page and line,
hyphenation joined, running headers, footers and page numbers dropped; bad PDFs one line."""

from __future__ import annotations

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
    assert "Page 1 of 2" in doc.source and "Page 1" not in doc.text
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
