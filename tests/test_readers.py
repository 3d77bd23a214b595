"""Readers: structure (blocks, sections, links) and exact source positions for evidence."""

from __future__ import annotations

from checker.readers import parse_policy, sniff_format
from tests.conftest import SEEDS


def test_markdown_sections_links_and_lines() -> None:
    src = (
        "# Privacy Policy\n\n"
        "## Contact\n\n"
        "Write to [our team](mailto:privacy@acme.test) or call us.\n"
        "- first item\n- second item\n"
    )
    doc = parse_policy("p.md", src)
    para = next(b for b in doc.blocks if b.text.startswith("Write"))
    assert para.section == ("Privacy Policy", "Contact")
    assert [link.target for link in para.links] == ["mailto:privacy@acme.test"]
    assert para.text[para.links[0].start:para.links[0].end] == "our team"
    ev = doc.evidence(para, para.text.index("call"), para.text.index("call") + 4)
    assert (ev.line, ev.column) == (5, src.splitlines()[4].index("call") + 1)
    assert [b.kind for b in doc.blocks][-2:] == ["list_item", "list_item"]


def test_html_skips_script_and_style_and_maps_lines() -> None:
    src = (
        "<html><head><style>p {color: red}</style></head><body>\n"
        "<h2>Do Not Track</h2>\n"
        "<script>var doNotTrack = 'we respond to signals';</script>\n"
        "<p>We do <b>not</b> respond to browser &ldquo;Do Not Track&rdquo;\n"
        "signals at this time.</p>\n"
        "<div>Cookies<br><br>A cookie is a small file.</div>\n"
        "</body></html>\n"
    )
    doc = parse_policy("p.html", src)
    texts = [b.text for b in doc.blocks]
    assert not any("doNotTrack" in t or "color" in t for t in texts)
    para = next(b for b in doc.blocks if b.text.startswith("We do"))
    assert para.section == ("Do Not Track",)
    assert "“Do Not Track”" in para.text
    ev = doc.evidence(para, para.text.index("signals"), para.text.index("signals") + 7)
    assert ev.line == 5 and ev.column == 1
    start = doc.evidence(para, 0, 2)
    assert (start.line, start.column) == (4, 4)
    # "Cookies<br><br>text" becomes a pseudo-heading over its paragraph.
    cookie = next(b for b in doc.blocks if b.text.startswith("A cookie"))
    assert cookie.section[-1] == "Cookies"


def test_plain_text_paragraphs_and_wrapped_lines() -> None:
    src = (
        "PRIVACY POLICY\n\n"
        "We collect your name and email address when you register for an account on\n"
        "our site, and we keep it safe.\n\n"
        "Contact\n"
        "privacy@acme.test\n"
    )
    doc = parse_policy("p.txt", src)
    assert sniff_format("p.txt", src) == "text"
    para = next(b for b in doc.blocks if b.text.startswith("We collect"))
    assert "account on our site" in para.text  # a wrapped line joins its sentence
    assert para.section == ("PRIVACY POLICY",)
    ev = doc.evidence(para, para.text.index("our site"), para.text.index("our site") + 8)
    assert (ev.line, ev.column) == (4, 1)


def test_seed_txt_files_are_sniffed_as_markdown() -> None:
    for path in SEEDS[:2]:
        doc = parse_policy(str(path), path.read_text(encoding="utf-8"))
        assert doc.format == "markdown"
    doc = parse_policy(str(SEEDS[0]), SEEDS[0].read_text(encoding="utf-8"))
    assert any(b.is_heading and "Collection Methods" in b.text for b in doc.blocks)
    email_links = [lk.target for b in doc.blocks for lk in b.links if "mailto:" in lk.target]
    assert "mailto:help@flavorus.com" in email_links


def test_sentences_respect_abbreviations() -> None:
    text = "We use cookies, e.g. session cookies. Mr. Smith at 2808 Elm St. reads it.\n"
    doc = parse_policy("p.md", text)
    assert [s.text for s in doc.sentences] == [
        "We use cookies, e.g. session cookies.",
        "Mr. Smith at 2808 Elm St. reads it.",
    ]


def test_evidence_quotes_match_source_lines_in_seeds() -> None:
    from checker.facts import extract_facts

    for path in SEEDS:
        src = path.read_text(encoding="utf-8")
        lines = src.splitlines()
        doc = parse_policy(str(path), src)
        for fact in extract_facts(doc).values():
            for ev in fact.evidence:
                def letters(text: str) -> str:
                    return "".join(ch for ch in text if ch.isalnum())

                start = letters(ev.quote)[:6]
                assert letters(lines[ev.line - 1][ev.column - 1:]).startswith(start), (
                    path.name, ev)


def test_a_sentence_ending_in_an_email_or_domain_ends_there() -> None:
    text = "Write to help@acme.com. You may also call us. See acme.com. Thanks.\n"
    doc = parse_policy("p.md", text)
    assert [s.text for s in doc.sentences] == [
        "Write to help@acme.com.", "You may also call us.", "See acme.com.", "Thanks."]


def _governing(doc: object, start: str) -> list[str]:
    """The lead-ins (headings that are not heading blocks) governing the block starting so."""
    block = next(b for b in doc.blocks if b.text.startswith(start))  # type: ignore[attr-defined]
    return [h.text for h in block.headings if not h.is_heading]


_NESTED_HTML = (
    "<h2>Your rights</h2><p>Depending on where you live and on the law that applies to you, "
    "you have these rights:</p><ul>"
    "<li>If you live in the EEA, you also have these rights:<ul>"
    "<li>the right to object to processing</li><li>the right to portability</li></ul>"
    "and these apply only there.</li>"
    "<li>California residents may ask what personal information we collect:<ul>"
    "<li>the categories we collected</li></ul></li>"
    "<li>You may ask us to delete your personal information.</li></ul>"
    "<p>Other choices:</p><ul><li>Unsubscribe from e-mails</li></ul>"
)
_NESTED_MD = (
    "## Your rights\n\nDepending on where you live and on the law that applies to you, "
    "you have these rights:\n\n"
    "- If you live in the EEA, you also have these rights:\n"
    "  - the right to object to processing\n"
    "    1. in writing:\n"
    "       - by post\n"
    "    2. by e-mail\n"
    "  - the right to portability\n"
    "- California residents may ask what personal information we collect:\n"
    "  - the categories we collected\n"
    "- You may ask us to delete your personal information.\n\n"
    "Other choices:\n\n- Unsubscribe from e-mails\n"
)


def test_a_lead_in_item_governs_its_nested_list_and_no_further() -> None:
    """A list item ending in a colon governs the items nested under it (wanted reach), and its
    scope ends at the next item of its own level, at the rest of its own item's text and at the
    next paragraph or heading (unwanted reach: the right to delete is no EEA right)."""
    for name, src in (("p.html", _NESTED_HTML), ("p.md", _NESTED_MD)):
        doc = parse_policy(name, src)
        lead = ("Depending on where you live and on the law that applies to you, you have these "
                "rights:")
        eea = "If you live in the EEA, you also have these rights:"
        assert _governing(doc, "the right to object") == [lead, eea], name
        assert _governing(doc, "the right to portability") == [lead, eea], name
        assert _governing(doc, "the categories we collected") == [
            lead, "California residents may ask what personal information we collect:"], name
        # siblings of the EEA item, and its own continuation, hang from the paragraph lead only
        assert _governing(doc, "California residents") == [lead], name
        assert _governing(doc, "You may ask us to delete") == [lead], name
        # a new paragraph lead-in ends the old one's scope
        assert _governing(doc, "Unsubscribe") == ["Other choices:"] or _governing(
            doc, "Unsubscribe") == [], name
    html = parse_policy("p.html", _NESTED_HTML)
    assert _governing(html, "and these apply only there.") == [
        "Depending on where you live and on the law that applies to you, you have these rights:"]
    md = parse_policy("p.md", _NESTED_MD)
    # a deeper lead governs only its own sub-list; the next item of its level is outside it
    assert _governing(md, "by post")[-1] == "in writing:"
    assert _governing(md, "by e-mail")[-1] == "If you live in the EEA, you also have these rights:"


def test_a_heading_or_paragraph_ends_a_lead_in_scope() -> None:
    doc = parse_policy("p.md", "- In the EEA you may object:\n\n## Deleting\n\n- You may ask us "
                       "to delete your data.\n\nNote this:\n\nWe answer in 45 days.\n\n- by "
                       "e-mail\n")
    assert _governing(doc, "You may ask us to delete") == []
    assert _governing(doc, "by e-mail") == []


def test_a_lead_in_item_where_the_reader_cannot_tell_the_nesting() -> None:
    """Plain text and DOCX list items have no nesting (depth 0): a lead item governs the items
    after it up to the next lead item or the next paragraph."""
    from checker.document import Block, Document, Origin

    def item(text: str, kind: str = "list_item") -> Block:
        return Block(kind=kind, text=text, origin=Origin(text=text, src_start=0,
                                                         markup="text"), origin_offset=0)

    blocks = [item("If you live in the EEA:"), item("erasure"), item("In California:"),
              item("deletion"), item("We answer in 45 days.", "paragraph"), item("by e-mail")]
    Document("p.txt", "", blocks, "text")
    assert [h.text for h in blocks[1].headings] == ["If you live in the EEA:"]
    assert [h.text for h in blocks[3].headings] == ["In California:"]
    assert blocks[5].headings == ()


def test_a_lead_in_item_without_a_sub_list_governs_its_later_siblings() -> None:
    """Authors who write a lead item's points as its siblings ("- In the EEA you have these
    rights:" / "- access" / "- objection") mean them to hang from it, up to the end of the list or
    the next lead item of the level; a sub-bullet of one of those siblings stays under it too."""
    src = ("<ul><li>Our newsletters</li><li>If you live in the EEA, you have these rights:</li>"
           "<li>access to your data</li><li>objection<ul><li>to profiling</li></ul></li>"
           "<li>erasure</li><li>In California you have these rights:</li><li>deletion</li></ul>"
           "<p>We answer every request within 45 days of receiving it from you.</p>"
           "<ul><li>by e-mail</li></ul>")
    doc = parse_policy("p.html", src)
    eea = "If you live in the EEA, you have these rights:"
    assert _governing(doc, "Our newsletters") == []
    for item in ("access to your data", "objection", "to profiling", "erasure"):
        assert _governing(doc, item) == [eea], item
    assert _governing(doc, "deletion") == ["In California you have these rights:"]
    assert _governing(doc, "by e-mail") == []
