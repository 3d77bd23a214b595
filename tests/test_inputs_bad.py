"""The bad-input contract for every new reader, through the command line: one line naming the
file, exit 2, no traceback, and the other files still checked (in process and on a pool)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from tests.gatekit import cli
from tests.inputs_kit import SAMPLE, docx_bytes, pdf_bytes, scanned_pdf


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("word/document.xml", b" " * (120 * 1024 * 1024))
    return out.getvalue()


BAD = {
    "truncated.docx": lambda: docx_bytes(SAMPLE)[:2000],
    "bomb.docx": _bomb,
    "legacy.doc.docx": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000,
    "encrypted.pdf": lambda: pdf_bytes(SAMPLE, encrypt="secret"),
    "truncated.pdf": lambda: pdf_bytes(SAMPLE)[:500],
    "scan.pdf": scanned_pdf,
    "pdf-named.txt": lambda: b"%PDF-1.4\n%\xe2\xe3\n1 0 obj garbage",
}
EXPECTED = {
    "truncated.docx": "corrupt", "bomb.docx": "ZIP bomb", "legacy.doc.docx": "old binary Word",
    "encrypted.pdf": "encrypted PDF", "truncated.pdf": "PDF", "scan.pdf": "no text layer",
    "pdf-named.txt": "PDF",
}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_each_bad_document_is_one_line_and_the_rest_is_checked(tmp_path: Path,
                                                               jobs: str) -> None:
    for name, make in BAD.items():
        (tmp_path / name).write_bytes(make())
    good = tmp_path / "good.docx"
    good.write_bytes(docx_bytes(SAMPLE))
    paths = [str(tmp_path / n) for n in BAD] + [str(good)]
    # enough copies of the good file that two workers really start
    paths += [str(good)] * (8 if jobs == "2" else 0)
    result = cli("check", "--format", "json", "--jobs", jobs, *paths)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == len(BAD), lines
    for name, expected in EXPECTED.items():
        [line] = [x for x in lines if f"/{name}: " in x]
        assert line.startswith(f"privcheck: error: {tmp_path / name}: "), line
        assert expected in line and "Traceback" not in line, line
    data = json.loads(result.stdout)
    assert {p["path"] for p in data["policies"]} == {str(good)}
    assert {f["status"] for f in data["policies"][0]["results"]} - {"not-applicable"} == {"pass"}
