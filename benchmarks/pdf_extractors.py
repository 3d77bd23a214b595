"""Measure the candidate PDF text extractors on a policy PDF built here (no download).

    python benchmarks/pdf_extractors.py [--copies 12] [--repeat 5]

For each library: median seconds to extract every page's text, pages per second, and what it gives
the reader beyond plain text (font size and weight per character, for headings). PyMuPDF is not a
candidate: it is AGPL-3.0, which an Apache-2.0 project cannot depend on.
Needs the dev extras (fpdf2 builds the PDF) and the candidates: pdfminer.six, pypdf, pypdfium2.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _pdfminer(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data))


def _pdfminer_layout(data: bytes) -> str:
    """What checker.readers.pdf does: layout analysis, with font size and name per character."""
    from checker.readers import ReadOptions
    from checker.readers.pdf import read_pdf

    return read_pdf("bench.pdf", data, ReadOptions()).text  # the text the rules see


def _pypdf(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def _pypdfium2(data: bytes) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()


CANDIDATES = {
    "pdfminer.six (extract_text)": (_pdfminer, "MIT", "per character: font name and size"),
    "pdfminer.six (privcheck reader)": (_pdfminer_layout, "MIT", "headings, headers dropped"),
    "pypdf": (_pypdf, "BSD-3-Clause", "font size only through a visitor callback"),
    "pypdfium2": (_pypdfium2, "Apache-2.0 / BSD-3 (PDFium binary)",
                  "font size via the raw C API per character"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from tests.inputs_kit import HEADER, SAMPLE, pdf_bytes

    data = pdf_bytes(SAMPLE * args.copies)
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(data)).pages)
    print(f"PDF: {len(data) / 1024:.0f} KB, {pages} pages ({args.copies} copies of the sample), "
          f"median of {args.repeat} runs")
    print(f"{'library':34} {'licence':36} {'median s':>9} {'pages/s':>8}  joined  headers  extra")
    for name, (fn, licence, extra) in CANDIDATES.items():
        times = []
        text = ""
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            text = fn(data)
            times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        joined = "infor-" not in text
        print(f"{name:34} {licence:36} {med:9.3f} {pages / med:8.1f}  {joined!s:6}  "
              f"{text.count(HEADER):7}  {extra}")


if __name__ == "__main__":
    main()
