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
