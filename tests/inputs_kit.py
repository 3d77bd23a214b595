"""The same policy in every input form, built in the test from policies/sample-compliant.md.

Each builder takes Markdown text and returns the bytes of another form (an HTML page, a Markdown
file written as HTML blocks, a mixed file, a DOCX, a PDF), so that tests can assert that the form
never changes a verdict. Nothing is downloaded.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from tests.conftest import POLICIES

SAMPLE = (POLICIES / "sample-compliant.md").read_text(encoding="utf-8")


def without_sections(markdown: str, *titles: str) -> str:
    """The policy with these `## ` sections removed: a variant that fails some rules."""
    parts = re.split(r"(?m)^(?=## )", markdown)
    return "".join(p for p in parts if not any(p.startswith(f"## {t}") for t in titles))


def sections(markdown: str) -> list[tuple[int, str, list[str]]]:
    """(heading level, heading text, paragraphs) for each heading of a simple Markdown policy;
    paragraphs are unwrapped to one line each."""
    out: list[tuple[int, str, list[str]]] = []
    for chunk in re.split(r"\n\s*\n", markdown.strip()):
        m = re.match(r"(#+) (.*)", chunk)
        if m:
            out.append((len(m.group(1)), m.group(2).strip(), []))
        else:
            out[-1][2].append(" ".join(chunk.split()))
    return out


def html_body(markdown: str) -> str:
    return MarkdownIt("commonmark").render(markdown)


def html_page(markdown: str) -> str:
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Privacy</title>"
            "</head>\n<body>\n" + html_body(markdown) + "</body></html>\n")


def mixed_markdown(markdown: str) -> str:
    """Markdown with one section in <details>, one paragraph in an HTML <table>, and <br> joins."""
    out = []
    for i, (level, title, paras) in enumerate(sections(markdown)):
        if i % 3 == 1:
            out.append(f"<details>\n<summary>{title}</summary>\n\n" + "\n\n".join(paras)
                       + "\n\n</details>")
        elif i % 3 == 2:
            out.append("#" * level + " " + title)
            out.append("<table>\n" + "\n".join(f"<tr><td>{p}</td></tr>" for p in paras)
                       + "\n</table>")
        else:
            out.append("#" * level + " " + title)
            out += [p.replace(". ", ".<br>", 1) for p in paras]
    return "\n\n".join(out) + "\n"


COMMENT = "Legal: we sell personal data to data brokers, check with counsel"
DELETED = "We sell your personal information to data brokers for cash."


def _tracked(paragraph, tag: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Append a tracked insertion (w:ins) or deletion (w:del) holding `text` to a paragraph."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    t = "w:delText" if tag == "del" else "w:t"
    paragraph._p.append(parse_xml(
        f'<w:{tag} {nsdecls("w")} w:id="{len(text)}" w:author="Counsel" '
        f'w:date="2026-01-02T00:00:00Z"><w:r><{t} xml:space="preserve">{text}</{t}></w:r>'
        f"</w:{tag}>"))


def _hyperlink(paragraph, text: str, url: str) -> None:  # type: ignore[no-untyped-def]
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    paragraph._p.append(parse_xml(
        f'<w:hyperlink {nsdecls("w", "r")} r:id="{rid}"><w:r><w:t xml:space="preserve">'
        f"{text}</w:t></w:r></w:hyperlink>"))


def docx_bytes(markdown: str, tracked_section: str = "Children") -> bytes:
    """The policy as a Word draft: headings styled, the first section's paragraphs as a bulleted
    list, the Security section in a table, the paragraphs of `tracked_section` as a tracked
    insertion, a tracked deletion of a sale sentence, and a comment that must be ignored."""
    import io

    import docx

    document = docx.Document()
    for level, title, paras in sections(markdown):
        document.add_heading(title, level=level)
        for i, text in enumerate(paras):
            if title == "Security":
                document.add_table(rows=1, cols=2).rows[0].cells[1].text = text
            elif title == tracked_section:
                _tracked(document.add_paragraph(), "ins", text)
            elif title == "Information We Collect":
                document.add_paragraph(text, style="List Bullet")
            elif title == "How We Share Your Information" and i == 0:
                p = document.add_paragraph(text + " ")
                _tracked(p, "del", DELETED)
                document.add_comment(p.runs[0], text=COMMENT, author="Counsel")
            elif title == "Contact Us":
                p = document.add_paragraph(text + " See also our ")
                _hyperlink(p, "cookie policy", "https://acme-widgets.example/cookies")
            else:
                document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


HEADER = "Acme Widgets Privacy Policy - confidential draft"


def pdf_bytes(markdown: str, hyphenate: str | None = "information", font_size: float = 12,
              encrypt: str | None = None) -> bytes:
    """The policy as a printed PDF (fpdf2, built here): headings in larger bold type, a running
    header and a "Page N of M" footer on every page, and the first occurrence of `hyphenate` in a
    body paragraph broken across two lines with a hyphen, as print layouts do."""
    from fpdf import FPDF

    class _Pdf(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", "", 8)
            self.cell(0, 8, HEADER, align="C")
            self.ln(12)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", "", 8)
            self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = _Pdf(format="A4")
    pdf.alias_nb_pages()
    if encrypt is not None:
        pdf.set_encryption(owner_password="owner", user_password=encrypt)
    pdf.add_page()
    done = hyphenate is None
    for level, title, paras in sections(markdown):
        pdf.set_font("Helvetica", "B", {1: 20, 2: 15}.get(level, 13))
        pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", font_size)
        for text in paras:
            if not done and f" {hyphenate} " in text:
                cut = text.index(f" {hyphenate} ") + 1 + len(hyphenate) // 2
                text = text[:cut] + "-\n" + text[cut:]
                done = True
            text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
            pdf.multi_cell(0, font_size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """A page that is an image of text: shapes only, no text layer (as a scanner makes)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 150, style="F")
    return bytes(pdf.output())
