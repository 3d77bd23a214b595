"""The pipeline's records: Evidence, Fact, Finding, PolicyReport and the rest, as plain dataclasses.

checker/models.py holds the same classes as pydantic models: they are the data contract (the
JSON shape, docs/report.schema.json, what users validate a report with). The pipeline itself
builds these plain records instead, because importing pydantic and building nine models costs
about 0.2 s of CPU, more than checking a small policy, and validating data the pipeline made
itself adds nothing. tests/test_records.py keeps the two in step: same fields in the same order
with the same defaults, and every output format byte for byte the same from either.

The records offer the part of pydantic's API the project uses, with the same results:
`model_dump(mode=, exclude=)`, `model_dump_json(indent=)` (pydantic's JSON: UTF-8 kept as is,
`", "`-free compact form without indent) and `model_copy(update=, deep=)`.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import Enum
from typing import Any


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


_PLAIN = frozenset({str, int, float, bool, type(None)})  # returned as they are, in both modes
_FIELDS: dict[type, tuple[str, ...]] = {}  # a record class -> its field names, in order


def _data(value: Any, json_mode: bool) -> Any:
    """A value as pydantic's model_dump gives it: records as dicts (in field order), and in JSON
    mode enums as their values, dates as ISO strings, tuples and sets as lists.

    Every report of a run goes through here (a JSONL line per policy), so the common cases are
    decided on the exact type first: plain values, then records by a cached field list."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    names = _FIELDS.get(kind)
    if names is None and isinstance(value, Record):
        fields = getattr(kind, "__dataclass_fields__", None)
        if fields is not None:
            names = _FIELDS[kind] = tuple(fields)
    if names is not None:
        return {name: _data(getattr(value, name), json_mode) for name in names}
    if kind is list or isinstance(value, list):
        return [_data(v, json_mode) for v in value]
    if isinstance(value, dict):
        return {k: _data(v, json_mode) for k, v in value.items()}
    if not json_mode:
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (tuple, set, frozenset)):
        return [_data(v, json_mode) for v in value]
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    return value


_ORJSON: list[Any] = []  # [orjson.dumps or None], filled on the first compact dump


def _orjson_dumps() -> Any:
    """orjson.dumps, imported on first use (a short run that writes no JSON never pays for it),
    or None without orjson. It writes a record's dataclass fields in order, str enums as their
    values, UTF-8 as is and the compact separators: the bytes json.dumps(_data(...),
    ensure_ascii=False, separators=(",", ":")) gives (tests/test_records.py), ten times faster."""
    if not _ORJSON:
        try:
            import orjson
        except ImportError:  # pragma: no cover - a dependency; json does the same, slower
            _ORJSON.append(None)
        else:
            _ORJSON.append(orjson.dumps)
    return _ORJSON[0]


class Record:
    """pydantic's model methods that the project calls, over a dataclass."""

    __slots__ = ()

    def model_dump(self, mode: str = "python", exclude: set[str] | None = None) -> dict[str, Any]:
        data = _data(self, mode == "json")
        if exclude:
            for name in exclude:
                data.pop(name, None)
        return data

    def model_dump_json(self, indent: int | None = None, exclude_none: bool = False) -> str:
        if exclude_none:
            raise NotImplementedError("exclude_none: not used by privcheck")
        if indent is None:
            dumps = _orjson_dumps()
            if dumps is not None:
                try:
                    return dumps(self).decode()
                except TypeError:  # a lone surrogate, an int past 64 bits: json's answer below
                    pass
        data = _data(self, True)
        if indent is None:
            return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return json.dumps(data, ensure_ascii=False, indent=indent)

    def model_copy(self, update: dict[str, Any] | None = None, deep: bool = False) -> Any:
        new = copy.deepcopy(self) if deep else copy.copy(self)
        for name, value in (update or {}).items():
            object.__setattr__(new, name, value)
        return new


@dataclass(frozen=True, kw_only=True)
class Evidence(Record):
    """One span of the policy: where it is (1-based line and column) and what it says."""

    line: int
    column: int
    end_line: int
    end_column: int
    quote: str
    section: str | None = None
    locator: str | None = None
    document: str | None = None

    def where(self) -> str:
        """`line L`, or the reader's own locator where lines mean little (DOCX, PDF)."""
        return self.locator or f"line {self.line}"

    def place(self, path: str) -> str:
        """`file:line:column`, or `file (paragraph 12)`; a bundle member's own file name wins."""
        path = self.document or path
        return f"{path} ({self.locator})" if self.locator else f"{path}:{self.line}:{self.column}"


@dataclass(kw_only=True)
class Fact(Record):
    """Something the policy states, found by an extractor, never without evidence."""

    id: str
    value: Any = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(kw_only=True)
class Finding(Record):
    """One rule's verdict on one policy, with what supports it or what is missing."""

    rule: str
    status: Status
    severity: Severity
    title: str
    citation: str
    url: str | None = None
    message: str
    remedy: str
    evidence: list[Evidence] = field(default_factory=list)
    waiver: str | None = None
    location: Evidence | None = None
    fingerprint: str | None = None
    waiver_kind: str | None = None
    near_miss: Evidence | None = None


@dataclass(kw_only=True)
class Notice(Record):
    """Something about the policy file that is not a rule's verdict and never fails the gate,
    e.g. an inline suppression whose rule did not fail (`unused-suppression`)."""

    kind: str
    message: str
    line: int
    column: int = 1
    rule: str | None = None


@dataclass(kw_only=True)
class PolicyReport(Record):
    path: str
    effective_date: str | None = None
    results: list[Finding]
    summary: dict[str, int]
    notices: list[Notice] = field(default_factory=list)
    redirects: list[str] | None = None
    documents: list[str] | None = None

    def gates(self, fail_on: str) -> bool:
        """Whether a failure at or above `fail_on` ("never": none) makes the exit code 1."""
        if fail_on == "never":
            return False
        rank = Severity(fail_on).rank
        return any(f.status == Status.FAIL and f.severity.rank >= rank for f in self.results)


@dataclass(kw_only=True)
class InputError(Record):
    """A file that could not be checked: the run goes on, the exit code says 2."""

    path: str
    message: str
    line: int | None = None

    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(kw_only=True)
class BaselineEntry(Record):
    """One failure recorded by `privcheck baseline create`."""

    path: str
    rule: str
    severity: Severity | None = None
    fingerprint: str | None = None


@dataclass(kw_only=True)
class BaselineStatus(Record):
    """How a run compared with `--baseline`: known failures waived, new ones, fixed ones."""

    file: str
    known: int = 0
    new: int = 0
    fixed: list[BaselineEntry] = field(default_factory=list)


@dataclass(kw_only=True)
class Report(Record):
    privcheck: str
    policies: list[PolicyReport]
    errors: list[InputError] = field(default_factory=list)
    summary: dict[str, int]
    baseline: BaselineStatus | None = None

