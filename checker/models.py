"""The data contracts between the pipeline's stages: Evidence, Fact, Finding and Report.

They are pydantic models so that every stage hands the next one validated data, and so the JSON
output is the models' own serialisation (documented in docs/report.schema.json).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Severity(str, Enum):
    """How much a failing rule matters; `--fail-on` compares against this order."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class Status(str, Enum):
    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not-applicable"
    WAIVED = "waived"


class Evidence(BaseModel):
    """One span of the policy: where it is (1-based line and column) and what it says."""

    model_config = ConfigDict(frozen=True)

    line: int
    column: int
    end_line: int
    end_column: int
    quote: str
    section: str | None = None


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


class PolicyReport(BaseModel):
    path: str
    effective_date: str | None = None
    results: list[Finding]
    summary: dict[str, int]


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
