"""Tables: every reader records, for each cell, its row's header and its column's headers
(Block.row_header, Block.column_header), so that a cell reads as completed by them. Each table
here is written for these tests."""

from __future__ import annotations

import io

from checker.document import Block, Document
from checker.readers import parse_bytes, parse_policy


def cell(doc: Document, text: str) -> Block:
    return next(b for b in doc.blocks if b.text.strip() == text)


def heads(doc: Document, text: str) -> tuple[list[str], list[str]]:
    """(row header texts, column header texts) of the cell whose text is `text`."""
    b = cell(doc, text)
    return [h.text for h in b.row_header], [h.text for h in b.column_header]


# ---- Markdown -------------------------------------------------------------------------------

MD_SALE = (
    "# Notice\n\n"
    "| Category | Sold or shared | Disclosed for a business purpose |\n"
    "|---|---|---|\n"
    "| Identifiers | No | Yes |\n"
    "| Geolocation data | Yes | No |\n"
)


def test_markdown_header_row_and_first_column() -> None:
    doc = parse_policy("p.md", MD_SALE)
    yes = [b for b in doc.blocks if b.text == "Yes"]
    # the row's key, then the header over the key
    assert [[h.text for h in b.row_header] for b in yes] == [
        ["Identifiers", "Category"], ["Geolocation data", "Category"]]
    assert [[h.text for h in b.column_header] for b in yes] == [
        ["Disclosed for a business purpose"], ["Sold or shared"]]
    # a row's header takes its column header; header cells take nothing
    assert heads(doc, "Identifiers") == ([], ["Category"])
    assert heads(doc, "Sold or shared") == ([], [])


def test_markdown_table_with_an_empty_header_row_is_a_key_value_table() -> None:
    doc = parse_policy("p.md", "| | |\n|---|---|\n| Do Not Track | We do not respond to it |\n")
    assert heads(doc, "We do not respond to it") == (["Do Not Track"], [])


def test_markdown_one_column_table_has_no_row_header() -> None:
    doc = parse_policy("p.md", "| Legal bases |\n|---|\n| Consent |\n| Contract |\n")
    assert heads(doc, "Consent") == ([], ["Legal bases"])


def test_markdown_long_first_cell_is_content_not_a_key() -> None:
    long = " ".join(["word"] * 25)
    doc = parse_policy("p.md", f"| A | B |\n|---|---|\n| {long} | short answer |\n")
    assert heads(doc, "short answer") == ([], ["B"])


def test_markdown_text_outside_the_table_has_no_headers() -> None:
    doc = parse_policy("p.md", MD_SALE + "\nWe keep records for a year.\n")
    assert heads(doc, "We keep records for a year.") == ([], [])


def test_markdown_raw_html_table_is_read_by_the_html_walker() -> None:
    src = ("# Notice\n\n<table>\n<tr><th>Data</th><th>Retention</th></tr>\n"
           "<tr><td>Account data</td><td>until you close your account</td></tr>\n</table>\n")
    doc = parse_policy("p.md", src)
    assert heads(doc, "until you close your account") == (["Account data", "Data"], ["Retention"])


# ---- HTML -----------------------------------------------------------------------------------


def html(body: str) -> Document:
    return parse_policy("p.html", f"<html><body><h1>Notice</h1>{body}</body></html>")


def test_html_thead_and_first_column() -> None:
    doc = html(
        "<table><thead><tr><th>Purpose</th><th>Legal basis</th></tr></thead><tbody>"
        "<tr><td>To send you our newsletter</td><td>Your consent</td></tr>"
        "<tr><td>To keep the service secure</td><td>Our legitimate interests</td></tr>"
        "</tbody></table>")
    assert heads(doc, "Your consent") == (
        ["To send you our newsletter", "Purpose"], ["Legal basis"])
    assert heads(doc, "Our legitimate interests") == (
        ["To keep the service secure", "Purpose"], ["Legal basis"])
    assert heads(doc, "To keep the service secure") == ([], ["Purpose"])
    assert heads(doc, "Legal basis") == ([], [])


def test_html_first_row_of_th_without_thead() -> None:
    doc = html("<table><tr><th>Data</th><th>Retention</th></tr>"
               "<tr><td>Logs</td><td>30 days</td></tr></table>")
    assert heads(doc, "30 days") == (["Logs", "Data"], ["Retention"])


def test_html_row_headers_by_scope_and_th_down_the_first_column() -> None:
    doc = html("<table><tr><td>note</td><th scope='row'>Do Not Track</th>"
               "<td>We ignore it</td></tr>"
               "<tr><th>Browser signals</th><td>Not honoured</td></tr></table>")
    assert heads(doc, "We ignore it") == (["Do Not Track"], [])
    assert heads(doc, "Not honoured") == (["Browser signals"], [])


def test_html_td_only_table_with_a_label_row() -> None:
    doc = html("<table><tr><td>Recipient</td><td>Purpose</td><td>Location</td></tr>"
               "<tr><td>Payment processor</td><td>to take payments</td><td>Ireland</td></tr>"
               "</table>")
    assert heads(doc, "Ireland") == (["Payment processor", "Recipient"], ["Location"])
    assert heads(doc, "to take payments") == (["Payment processor", "Recipient"], ["Purpose"])


def test_html_td_only_key_value_table_has_no_header_row() -> None:
    # the first row states something: it is data, headed by its first cell like the others
    doc = html("<table><tr><td>Do Not Track</td><td>We do not respond to these signals</td></tr>"
               "<tr><td>Cookies</td><td>We use a session cookie</td></tr></table>")
    assert heads(doc, "We do not respond to these signals") == (["Do Not Track"], [])
    assert heads(doc, "We use a session cookie") == (["Cookies"], [])


def test_html_colspan_and_rowspan() -> None:
    doc = html(
        "<table><thead><tr><th>Category</th><th colspan='2'>Disclosed to</th></tr></thead>"
        "<tr><td rowspan='2'>Identifiers</td><td>Service providers</td><td>Yes</td></tr>"
        "<tr><td>Advertisers</td><td>No</td></tr></table>")
    assert heads(doc, "Yes") == (["Identifiers", "Category"], ["Disclosed to"])
    # the rowspan heads both rows
    assert heads(doc, "No") == (["Identifiers", "Category"], ["Disclosed to"])


def test_html_paragraphs_inside_a_cell_all_take_its_headers() -> None:
    doc = html("<table><tr><th>Data</th><th>Retention</th></tr>"
               "<tr><td>Orders</td><td><p>Seven years.</p><p>Then we delete them.</p></td></tr>"
               "</table>")
    assert heads(doc, "Then we delete them.") == (["Orders", "Data"], ["Retention"])


def test_html_layout_table_records_nothing() -> None:
    # a page laid out with a table: a heading in a cell means it is not a table of data
    doc = html("<table><tr><td>Menu</td><td><h2>Cookies</h2><p>We use cookies.</p></td></tr>"
               "<tr><td>Home</td><td>Sign in</td></tr></table>")
    assert heads(doc, "We use cookies.") == ([], [])
    assert heads(doc, "Sign in") == ([], [])


def test_html_nested_table_records_its_own_headers_only() -> None:
    doc = html("<table><tr><td>Outer</td><td>"
               "<table><tr><th>Data</th><th>Kept</th></tr><tr><td>Logs</td><td>90 days</td></tr>"
               "</table></td></tr></table>")
    assert heads(doc, "90 days") == (["Logs", "Data"], ["Kept"])
    assert heads(doc, "Outer") == ([], [])


def test_html_hostile_spans_are_capped() -> None:
    doc = html("<table><tr><th colspan='99999999'>A</th></tr>"
               "<tr><td rowspan='-3'>k</td><td>v</td></tr></table>")
    assert heads(doc, "v") == (["k", "A"], ["A"])  # the capped span still covers both columns


# ---- DOCX -----------------------------------------------------------------------------------


def docx_table(rows: list[list[str]], header_row: bool = False,
               merge_first_column: bool = False) -> Document:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    d.add_heading("Notice", 1)
    table = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.rows[r].cells[c].text = text
    if header_row:
        pr = table.rows[0]._tr.get_or_add_trPr()
        pr.append(OxmlElement("w:tblHeader"))
    if merge_first_column:
        table.cell(1, 0).merge(table.cell(2, 0))
        assert table.cell(2, 0)._tc.tcPr.find(qn("w:vMerge")) is not None
    out = io.BytesIO()
    d.save(out)
    return parse_bytes("p.docx", out.getvalue())


def test_docx_label_first_row_and_first_column() -> None:
    doc = docx_table([["Purpose", "Legal basis"],
                      ["To send you our newsletter", "Your consent"]])
    assert heads(doc, "Your consent") == (
        ["To send you our newsletter", "Purpose"], ["Legal basis"])


def test_docx_marked_header_row() -> None:
    doc = docx_table([["What we do with DNT", "How"], ["Do Not Track", "We ignore it."]],
                     header_row=True)
    assert heads(doc, "We ignore it.") == (["Do Not Track", "What we do with DNT"], ["How"])


def test_docx_key_value_table() -> None:
    doc = docx_table([["Do Not Track", "We do not respond to these signals."],
                      ["Cookies", "We use one session cookie."]])
    assert heads(doc, "We do not respond to these signals.") == (["Do Not Track"], [])


def test_docx_vertical_merge_heads_each_row() -> None:
    doc = docx_table([["Category", "Recipient", "Disclosed"],
                      ["Identifiers", "Service providers", "Yes"],
                      ["", "Advertisers", "No"]], merge_first_column=True)
    assert heads(doc, "No") == (["Identifiers", "Category"], ["Disclosed"])
    assert heads(doc, "Yes") == (["Identifiers", "Category"], ["Disclosed"])


# ---- plain text and PDF have no table markup: nothing is recorded ----------------------------


def test_plain_text_has_no_table_context() -> None:
    doc = parse_policy("p.txt", "Do Not Track | We do not respond to these signals\n")
    assert all(not b.row_header and not b.column_header for b in doc.blocks)


def test_docx_table_answer_passes_with_its_row_header_quoted(plan) -> None:  # type: ignore[no-untyped-def]
    from checker.engine import check_document

    doc = docx_table([["Topic", "Our answer"],
                      ["Do Not Track", "We do not respond to these signals"],
                      ["Cookies", "We use one session cookie"]])
    finding = next(f for f in check_document(doc, plan).results
                   if f.rule == "caloppa.do-not-track")
    assert finding.status.value == "pass"
    assert [e.quote for e in finding.evidence[:2]] == [
        "We do not respond to these signals", "Do Not Track"]
    assert finding.evidence[0].locator == "table 1, row 2, cell 2"


def test_a_huge_table_with_hostile_spans_is_laid_out_in_linear_time() -> None:
    import time

    rows = "".join(f"<tr><td rowspan='64' colspan='64'>k{i}</td><td>v{i}</td></tr>"
                   for i in range(3000))
    start = time.process_time()
    doc = html(f"<table><tr><th>A</th><th>B</th></tr>{rows}</table>")
    assert time.process_time() - start < 20  # ~1 s; quadratic layout took minutes
    assert heads(doc, "v0")[0][0] == "k0"
