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
