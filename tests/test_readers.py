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
