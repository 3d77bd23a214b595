"""The HTML compliance report: one self-contained file (inline CSS, JS and SVG, no network).

Built from Jinja2 templates with autoescaping on: policy text is untrusted input and is only ever
text in the page. A Content-Security-Policy that allows no network and only the report's own
script (by hash) is the second wall, should anything ever slip past escaping.

Per-policy fragments (a matrix row, an evidence section) are rendered as each policy finishes
and spooled to temporary files; `finish` writes the page around them.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import tempfile
from functools import cache
from importlib import resources
from typing import IO, Any

import jinja2
from markupsafe import Markup

from checker.records import PolicyReport
from checker.sanitize import html_display
from checker.summary import STATUS_LABEL, STATUS_MARK, Row, Summary, grouped_findings
from checker.words import plural

_ROWS = Markup("<!--privcheck:rows-->")
_SECTIONS = Markup("<!--privcheck:sections-->")


def _safe_url(value: Any) -> bool:
    """Only web links become hrefs (a rule file could carry a javascript: URL)."""
    return isinstance(value, str) and value.startswith(("https://", "http://"))


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("checker.summary", "templates"),
        autoescape=True,  # every template here is HTML: escape everything not marked safe
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
        finalize=html_display,  # bidi overrides and control characters shown, not obeyed
    )
    env.tests["safe_url"] = _safe_url
    env.filters["plural"] = plural
    env.globals.update(labels={s.value: label for s, label in STATUS_LABEL.items()},
                       marks={s.value: mark for s, mark in STATUS_MARK.items()})
    return env


def _asset(name: str) -> str:
    return resources.files("checker.summary").joinpath("templates", name).read_text("utf-8")


class HtmlReport:
    def __init__(self) -> None:
        self._macros = environment().get_template("policy.html.j2").module
        self._rows = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - see finish
        self._sections = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self._first: Row | None = None
        self._first_section = ""

    def policy(self, summary: Summary, row: Row, report: PolicyReport) -> None:
        m: Any = self._macros
        self._rows.write(str(m.matrix_row(row, summary.rules)) + "\n")
        section = str(m.policy_section(row, grouped_findings(summary, report), False))
        if self._first is None:  # kept in case it is the only one: then it is shown open
            self._first, self._first_section = row, str(
                m.policy_section(row, grouped_findings(summary, report), True))
        self._sections.write(section + "\n")

    def finish(self, summary: Summary, out: IO[str]) -> None:
        single = summary.policies == 1 and not summary.errors
        js = _asset("report.js")
        digest = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode()
        page = environment().get_template("report.html.j2").render(
            s=summary, single=single, single_row=self._first,
            css=Markup(_asset("report.css")), js=Markup(js),
            script_hash=f"sha256-{digest}", rows_marker=_ROWS, sections_marker=_SECTIONS,
        )
        try:
            if _ROWS in page:  # the matrix: absent from a one-policy report
                head, page = page.split(_ROWS)
                out.write(head)
                self._rows.seek(0)
                shutil.copyfileobj(self._rows, out)
            middle, tail = page.split(_SECTIONS)
            out.write(middle)
            if single:
                out.write(self._first_section)
            else:
                self._sections.seek(0)
                shutil.copyfileobj(self._sections, out)
            out.write(tail)
        finally:
            self._rows.close()
            self._sections.close()
