"""DOCX: the same verdicts as the Markdown it was built from, tracked changes read as accepted (or
the original on request), comments ignored, quotes located by paragraph and table cell."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from checker.engine import Plan, check_document
from checker.errors import InputFileError
from checker.readers import ReadOptions, parse_bytes, parse_policy
from tests.gatekit import cli
from tests.inputs_kit import COMMENT, DELETED, SAMPLE, docx_bytes, without_sections

PARTIAL = without_sections(SAMPLE, "Do Not Track")


def verdicts(doc, plan: Plan) -> dict[str, str]:
    return {f.rule: f.status.value for f in check_document(doc, plan).results}


@pytest.mark.parametrize("md", [SAMPLE, PARTIAL], ids=["full", "partial"])
def test_docx_gets_the_markdowns_verdicts(md: str, plan: Plan) -> None:
    doc = parse_bytes("draft.docx", docx_bytes(md))
    assert doc.format == "docx"
    assert verdicts(doc, plan) == verdicts(parse_policy("policy.md", md), plan)


def test_tracked_changes_accepted_by_default_and_original_on_request(plan: Plan) -> None:
    data = docx_bytes(SAMPLE, tracked_section="Children")
    accepted = parse_bytes("draft.docx", data)
    original = parse_bytes("draft.docx", data, ReadOptions(docx_original=True))
    assert DELETED not in accepted.text and DELETED in original.text
    assert "children under 13" in accepted.text and "children under 13" not in original.text
    assert verdicts(accepted, plan)["coppa.children-under-13"] == "pass"
    assert verdicts(original, plan)["coppa.children-under-13"] == "fail"
    assert COMMENT not in accepted.text and COMMENT not in original.text


def test_headings_lists_tables_links_and_locators() -> None:
    doc = parse_bytes("draft.docx", docx_bytes(SAMPLE))
    kinds = {b.text.split()[0]: (b.kind, b.level) for b in doc.blocks}
    assert kinds["Acme"] == ("heading", 1) and kinds["Security"] == ("heading", 2)
    item = next(b for b in doc.blocks if b.text.startswith("When you create"))
    assert item.kind == "list_item" and item.section[-1] == "Information We Collect"
    cell = next(b for b in doc.blocks if b.text.startswith("We protect"))
    assert cell.kind == "table_cell" and cell.section[-1] == "Security"
    ev = doc.evidence(cell, cell.text.index("TLS"), cell.text.index("TLS") + 3)
    assert ev.locator == "table 1, row 1, cell 2" and ev.quote == "TLS"
    contact = next(b for b in doc.blocks if b.text.startswith("Questions"))
    assert [(contact.text[k.start:k.end], k.target) for k in contact.links] == [
        ("cookie policy", "https://acme-widgets.example/cookies")]
    # Paragraphs are numbered in body order, headings and empty paragraphs included.
    assert doc.evidence(contact, 0, 9).locator == "paragraph 26"
    heading = next(b for b in doc.blocks if b.text == "Children")
    assert doc.evidence(heading, 0, 8).locator == "paragraph 19"


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def _damaged_deflate() -> bytes:
    """A DOCX whose document.xml has its compressed bytes damaged (zlib fails mid-stream)."""
    data = bytearray(docx_bytes(SAMPLE))
    name = data.index(b"word/document.xml") + len(b"word/document.xml")
    data[name + 200:name + 240] = b"\xff" * 40
    return bytes(data)


@pytest.mark.parametrize(("data", "expected"), [
    (_damaged_deflate(), "corrupt"),
    (docx_bytes(SAMPLE)[:3000], "corrupt"),
    (b"PK\x03\x04" + b"\x00" * 100, "corrupt"),
    (_zip({"word/document.xml": b"<not xml"}), "corrupt or unsupported DOCX"),
    (_zip({"word/document.xml": b"\x00" * (200 * 1024 * 1024)}), "ZIP bomb"),
    (_zip({"hello.txt": b"hi"}), "not a Word document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "password-protected"),
    (b"just some text", "not a DOCX file"),
], ids=["damaged-deflate", "truncated", "bad-zip", "bad-xml", "zip-bomb", "other-zip", "ole",
        "not-zip"])
def test_bad_docx_is_one_clear_error(data: bytes, expected: str) -> None:
    with pytest.raises(InputFileError) as info:
        parse_bytes("draft.docx", data)
    assert expected in info.value.message and "\n" not in info.value.message


def test_diff_against_git_reads_the_old_docx_too(tmp_path: Path) -> None:
    draft = tmp_path / "draft.docx"
    draft.write_bytes(docx_bytes(SAMPLE))
    git = ["git", "-c", "user.email=t@t", "-c", "user.name=t", "-C", str(tmp_path)]
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run([*git, "add", "draft.docx"], check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], check=True)
    draft.write_bytes(docx_bytes(PARTIAL))
    result = cli("diff", "--git-ref", "HEAD", str(draft), "--format", "json")
    assert result.exit_code == 1, result.stderr
    [policy] = json.loads(result.stdout)["policies"]
    assert [c["rule"] for c in policy["regressions"]] == ["caloppa.do-not-track"]


def test_hyperlink_fields_keep_their_target_and_hide_their_code() -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    p = document.add_paragraph("You can opt out on our ")
    runs = [
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r><w:instrText xml:space="preserve"> HYPERLINK "https://acme.example/opt-out" '
        "</w:instrText></w:r>",
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        '<w:r><w:t>choices page</w:t></w:r>',
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        '<w:r><w:t xml:space="preserve"> at any time.</w:t></w:r>',
    ]
    for run in runs:
        p._p.append(parse_xml(run.replace("<w:r>", f"<w:r {nsdecls('w')}>", 1)))
    out = io.BytesIO()
    document.save(out)
    doc = parse_bytes("links.docx", out.getvalue())
    [block] = doc.blocks
    assert block.text == "You can opt out on our choices page at any time."
    [link] = block.links
    assert (block.text[link.start:link.end], link.target) == (
        "choices page", "https://acme.example/opt-out")
