"""Markdown that holds HTML, encodings with byte-order marks and <meta charset>, readers chosen by
content, and HTML nested deeper than libxml2's limit: each gets the verdicts of the plain page."""

from __future__ import annotations

import pytest

from checker.engine import Plan, check_document
from checker.readers import ReadOptions, parse_bytes, parse_policy, sniff_format
from tests.inputs_kit import SAMPLE, html_body, html_page, mixed_markdown, without_sections

# The sample passes every rule; without these sections it fails the rules that need them.
VARIANTS = {"full": SAMPLE, "partial": without_sections(SAMPLE, "Do Not Track", "Children")}


def verdicts(doc, plan: Plan) -> dict[str, str]:
    return {f.rule: f.status.value for f in check_document(doc, plan).results}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_markdown_written_as_html_or_mixed_gets_the_html_pages_verdicts(
        variant: str, plan: Plan) -> None:
    md = VARIANTS[variant]
    page = verdicts(parse_policy("policy.html", html_page(md)), plan)
    as_html_blocks = parse_policy("policy.md", html_body(md))
    mixed = parse_policy("policy.md", mixed_markdown(md))
    assert verdicts(as_html_blocks, plan) == page
    assert verdicts(mixed, plan) == page
    if variant == "partial":
        assert page["caloppa.do-not-track"] == "fail" and page["core.contact"] == "pass"
    # Evidence from an HTML block points at its line in the Markdown file.
    src = html_body(md)
    for doc, text in ((as_html_blocks, src), (mixed, mixed_markdown(md))):
        report = check_document(doc, plan)
        contact = next(f for f in report.results if f.rule == "core.contact")
        ev = contact.evidence[0]
        line = text.splitlines()[ev.line - 1]
        assert ev.quote.split()[0] in line


def test_mixed_markdown_keeps_details_table_and_br_text() -> None:
    src = ("# Policy\n\n<details>\n<summary>Children</summary>\n\n"
           "We do not knowingly collect data from children under 13.\n\n</details>\n\n"
           "<table><tr><td>We sell no data.</td><td><a href=\"/ccpa\">Rights</a></td></tr>"
           "</table>\n\nFirst line.<br>Second line.\n")
    doc = parse_policy("p.md", src)
    texts = [b.text for b in doc.blocks]
    assert "We do not knowingly collect data from children under 13." in texts
    assert "We sell no data." in texts
    child = next(b for b in doc.blocks if b.text.startswith("We do not"))
    assert child.section[-1] == "Children"
    cell = next(b for b in doc.blocks if b.text == "Rights")
    assert [link.target for link in cell.links] == ["/ccpa"]
    ev = doc.evidence(cell, 0, len(cell.text))
    assert ev.line == 10 and src.splitlines()[9][ev.column - 1:].startswith("Rights")
    assert any(t == "First line.\nSecond line." for t in texts)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-32-be", "utf-8-sig"])
def test_byte_order_marks_are_decoded(codec: str, plan: Plan) -> None:
    text = SAMPLE
    data = text.encode(codec)
    if codec.endswith("-be"):
        data = {"utf-16-be": b"\xfe\xff", "utf-32-be": b"\x00\x00\xfe\xff"}[codec] + data
    doc = parse_bytes("policy.md", data)
    assert doc.source == text
    assert set(verdicts(doc, plan).values()) - {"not-applicable"} == {"pass"}


def test_meta_charset_is_honoured_and_encoding_flag_wins() -> None:
    page = ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
            "charset=windows-1252\"></head><body><p>We don\u2019t sell data \u2013 caf\u00e9."
            "</p></body></html>")
    doc = parse_bytes("p.html", page.encode("cp1252"))
    assert "We don\u2019t sell data \u2013 caf\u00e9." in doc.text
    latin = page.replace("windows-1252", "iso-8859-1").replace("\u2019", "'").replace("\u2013", "-")
    assert "caf\u00e9" in parse_bytes("p.html", latin.encode("latin-1")).text
    # A server's charset comes before the page's own; --encoding before both.
    assert "caf\u00e9" in parse_bytes("p", latin.encode("latin-1"), charset="latin-1").text
    forced = parse_bytes("p.html", "<p>café bar</p>".encode(), ReadOptions(encoding="latin-1"))
    assert "cafÃ©" in forced.text


def test_reader_chosen_by_content_not_only_by_extension() -> None:
    page = html_page(SAMPLE)
    assert sniff_format("policy.txt", page) == "html"
    assert sniff_format("policy.md", page) == "html"
    assert sniff_format("https://x.test/privacy", "We collect data.", "text/html") == "html"
    served_as_text = parse_bytes("https://x.test/p", page.encode(), media_type="text/plain")
    assert served_as_text.format == "html"
    assert not any("<p>" in b.text for b in served_as_text.blocks)


@pytest.mark.parametrize("depth", [300, 3000])
def test_html_nested_deeper_than_libxml2s_limit_is_read_completely(depth: int,
                                                                  plan: Plan) -> None:
    md = VARIANTS["partial"]
    flat_doc = parse_policy("p.html", html_page(md))
    flat = verdicts(flat_doc, plan)
    deep_page = ("<html><body>" + "<div class=\"x\">\n" * depth + html_body(md)
                 + "</div>\n" * depth + "</body></html>")
    deep = parse_policy("p.html", deep_page)
    assert verdicts(deep, plan) == flat
    assert sum(f == "pass" for f in flat.values()) >= 10
    last = deep.blocks[-1]  # nothing after the depth limit is lost
    assert last.text == flat_doc.blocks[-1].text and len(deep.blocks) == len(flat_doc.blocks)
    body = html_body(md)
    line_in_body = body[:body.rindex("<p>")].count("\n")  # the last paragraph's line
    assert deep.evidence(last, 0, 9).line == depth + 1 + line_in_body


def test_depth_scan_is_linear_on_unclosed_tags() -> None:
    import time

    from checker.readers.html import _flatten, _max_depth

    timings = []
    for n in (50_000, 100_000):
        hostile = "<a" * n + "<div>" * 300 + "<p>Text.</p>"
        start = time.perf_counter()
        assert _max_depth(hostile) == 301
        _flatten(hostile)
        timings.append(time.perf_counter() - start)
    assert timings[1] < 1.0 and timings[1] < 4 * timings[0] + 0.05
