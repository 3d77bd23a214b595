"""The data contracts between the pipeline's stages: Evidence, Fact, Finding and Report.

These pydantic models are the contract: the JSON output's shape (docs/report.schema.json is
generated from them) and what users validate a report with (`Report.model_validate_json`). The
pipeline builds the same classes as plain dataclasses (checker/records.py), which serialise to
exactly the same JSON without importing pydantic; tests/test_records.py keeps the two in step.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from checker.records import Severity, Status

__all__ = ["Severity", "Status"]  # shared with the records: one enum each


class Evidence(BaseModel):
    """One span of the policy: where it is (1-based line and column) and what it says."""

    model_config = ConfigDict(frozen=True)

    line: int
    column: int
    end_line: int
    end_column: int
    quote: str
    section: str | None = None
    # Added with the DOCX, PDF and bundle readers (absent or null for Markdown, HTML and text):
    # where the quote is in the document's own terms ("paragraph 12", "table 1, row 2, cell 3",
    # "page 3, line 14"), and which document of a bundle it comes from.
    locator: str | None = None
    document: str | None = None

    def where(self) -> str:
        """`line L`, or the reader's own locator where lines mean little (DOCX, PDF)."""
        return self.locator or f"line {self.line}"

    def place(self, path: str) -> str:
        """`file:line:column`, or `file (paragraph 12)`; a bundle member's own file name wins."""
        path = self.document or path
        return f"{path} ({self.locator})" if self.locator else f"{path}:{self.line}:{self.column}"


class Fact(BaseModel):
    """Something the policy states, found by an extractor, never without evidence."""

    id: str
    value: Any = None
    evidence: list[Evidence] = Field(default_factory=list)


class Finding(BaseModel):
    """One rule's verdict on one policy, with what supports it or what is missing."""

    rule: str
    status: Status
    severity: Severity
    title: str
    citation: str
    url: str | None = None
    message: str
    remedy: str
    evidence: list[Evidence] = Field(default_factory=list)
    waiver: str | None = None
    # Added for the CI gate (optional, absent in older reports): where a failure points in the
    # policy (its evidence, else the section where the disclosure belongs, else the first line),
    # a fingerprint that survives unrelated edits, and what waived it.
    location: Evidence | None = None
    fingerprint: str | None = None
    waiver_kind: str | None = None  # "config", "inline" or "baseline"
    # Added in issue 8 (optional): for a failure, the sentence that came closest (an opt-out with
    # no method, a placeholder date, Do Not Track without a response); `location` points at it.
    near_miss: Evidence | None = None


class Notice(BaseModel):
    """Something about the policy file that is not a rule's verdict and never fails the gate,
    e.g. an inline suppression whose rule did not fail (`unused-suppression`)."""

    kind: str
    message: str
    line: int
    column: int = 1
    rule: str | None = None


class PolicyReport(BaseModel):
    path: str  # a file, a URL as given, or "bundle:NAME"
    effective_date: str | None = None
    results: list[Finding]
    summary: dict[str, int]
    notices: list[Notice] = Field(default_factory=list)  # added by issue 13; empty when none
    # Added with URLs and bundles (null otherwise): where a URL redirected to, hop by hop, and
    # the documents a bundle is made of.
    redirects: list[str] | None = None
    documents: list[str] | None = None


class InputError(BaseModel):
    """A file that could not be checked: the run goes on, the exit code says 2."""

    path: str
    message: str
    line: int | None = None  # e.g. an inline suppression without a reason

    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


class BaselineEntry(BaseModel):
    """One failure recorded by `privcheck baseline create`."""

    path: str
    rule: str
    severity: Severity | None = None
    fingerprint: str | None = None


class BaselineStatus(BaseModel):
    """How a run compared with `--baseline`: known failures waived, new ones, fixed ones."""

    file: str
    known: int = 0
    new: int = 0
    fixed: list[BaselineEntry] = Field(default_factory=list)


class Report(BaseModel):
    privcheck: str
    policies: list[PolicyReport]
    errors: list[InputError] = Field(default_factory=list)
    summary: dict[str, int]
    baseline: BaselineStatus | None = None
