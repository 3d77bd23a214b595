"""The plain records the pipeline builds (checker/records.py) against the pydantic contract
(checker/models.py): same fields, and every output byte for byte the same from either.

The check path never imports pydantic, so nothing validates its output at run time; these tests
are what keeps it honest. The seeds and samples are checked, then each report is turned into the
pydantic models (which validates it: the JSON schema users build on is generated from them) and
every format is rendered from both.
"""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from checker import models, records
from checker.checkfile import check_file
from checker.outputs import render
from checker.report import total_summary
from checker.report.text import render_text

ROOT = Path(__file__).resolve().parent.parent
POLICIES = sorted(p for p in (ROOT / "policies").iterdir() if p.suffix in (".md", ".txt"))
NAMES = ["Evidence", "Fact", "Finding", "Notice", "PolicyReport", "InputError", "BaselineEntry",
         "BaselineStatus", "Report"]
# Every kind of character JSON, XML and terminals treat specially, and non-ASCII text.
ODD = ("\x00\x01\x07\x08\t\n\x0b\x0c\r\x1b[31m\x1f \"'\\/<>&]]> \x7f\x80\x9f\u00a0é\u2028\u2029"
       "\u202e\ufeff ✓ 😀 ::error::")


def _default(f: Any) -> Any:
    """A field's default value, from either a pydantic FieldInfo or a dataclass Field."""
    if isinstance(f, dataclasses.Field):
        if f.default_factory is not dataclasses.MISSING:
            return f.default_factory()
        return f.default
    if f.default_factory is not None:
        return f.default_factory()
    return f.default


@pytest.mark.parametrize("name", NAMES)
def test_a_record_has_the_contract_s_fields_in_its_order_with_its_defaults(name: str) -> None:
    model: type[BaseModel] = getattr(models, name)
    record = getattr(records, name)
    fields = {f.name: f for f in dataclasses.fields(record)}
    assert list(fields) == list(model.model_fields)
    for fname, info in model.model_fields.items():
        if info.is_required():
            assert fields[fname].default is dataclasses.MISSING
            assert fields[fname].default_factory is dataclasses.MISSING
        else:
            assert _default(fields[fname]) == _default(info), fname


def test_the_enums_are_shared() -> None:
    assert models.Status is records.Status and models.Severity is records.Severity


def _odd_report(report: records.Report) -> records.Report:
    """The seeds' report plus every optional part a report can have, holding odd text."""
    ev = records.Evidence(line=3, column=2, end_line=4, end_column=9, quote=ODD, section=ODD,
                          locator="paragraph 2", document="b/" + ODD)
    finding = records.Finding(
        rule="x.odd", status=records.Status.WAIVED, severity=records.Severity.INFO, title=ODD,
        citation=ODD, url="https://example.com/" + ODD, message=ODD, remedy=ODD,
        evidence=[ev, dataclasses.replace(ev, locator=None, document=None)], waiver=ODD,
        location=ev, fingerprint="ab" * 8, waiver_kind="config", near_miss=ev)
    failing = finding.model_copy(update={"status": records.Status.FAIL,
                                         "severity": records.Severity.ERROR, "waiver": None})
    results = [finding, failing]
    policy = records.PolicyReport(
        path="odd/" + ODD + ".md", effective_date="2025-01-02", results=results,
        summary={"pass": 0, "fail": 1, "not-applicable": 0, "waived": 1, "failed_error": 1,
                 "failed_warning": 0, "failed_info": 0},
        notices=[records.Notice(kind="unused-suppression", message=ODD, line=2, rule="x.odd")],
        redirects=["https://a.example/", "https://b.example/" + ODD], documents=["a.md", ODD])
    policies = [*report.policies, policy]
    errors = [records.InputError(path=ODD, message=ODD, line=7),
              records.InputError(path="gone.md", message="no such file")]
    baseline = records.BaselineStatus(file="base.json", known=2, new=1, fixed=[
        records.BaselineEntry(path=ODD, rule="x.odd", severity=records.Severity.WARNING),
        records.BaselineEntry(path="p.md", rule="y", fingerprint="cd" * 8)])
    return records.Report(privcheck="9.9", policies=policies, errors=errors,
                          summary=total_summary(policies, len(errors)), baseline=baseline)


@pytest.fixture(scope="module")
def reports(plan: Any) -> tuple[records.Report, models.Report]:
    policies = [check_file(str(p), plan) for p in POLICIES]
    assert all(isinstance(p, records.PolicyReport) for p in policies)
    lean = _odd_report(records.Report(privcheck="9.9", policies=policies,
                                      summary=total_summary(policies, 0)))
    full = models.Report.model_validate(lean.model_dump())  # validates against the contract
    return lean, full


def test_the_samples_give_findings_of_every_status(reports: Any) -> None:
    lean, _ = reports
    statuses = {f.status for p in lean.policies for f in p.results}
    assert statuses == set(records.Status)


def test_json_is_byte_identical_and_valid_against_the_published_schema(reports: Any) -> None:
    import jsonschema

    lean, full = reports
    assert lean.model_dump_json(indent=2) == full.model_dump_json(indent=2)
    assert lean.model_dump_json() == full.model_dump_json()
    for lp, fp in zip(lean.policies, full.policies, strict=True):
        assert lp.model_dump_json() == fp.model_dump_json()
    assert lean.model_dump(mode="json") == full.model_dump(mode="json")
    schema = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(lean.model_dump_json(indent=2)), schema)


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "github", "markdown"])
def test_every_format_is_byte_identical_from_records_and_models(
        reports: Any, plan: Any, fmt: str) -> None:
    lean, full = reports
    assert render(fmt, lean, plan.rules, str(ROOT)) == render(fmt, full, plan.rules, str(ROOT))


@pytest.mark.parametrize("options", [{}, {"verbose": True}, {"quiet": True}])
def test_text_is_byte_identical_from_records_and_models(reports: Any, options: Any) -> None:
    lean, full = reports
    outs = []
    for report in (lean, full):
        out = io.StringIO()
        render_text(report, out, **options)
        outs.append(out.getvalue())
    assert outs[0] == outs[1]


@pytest.mark.parametrize("fmt", ["csv", "markdown", "html"])
def test_the_report_command_s_formats_are_byte_identical(
        reports: Any, plan: Any, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from checker.summary import Summary, pack_infos
    from checker.summary.csv_report import CsvReport
    from checker.summary.html import HtmlReport
    from checker.summary.markdown import MarkdownReport

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # the "generated at" line
    outs = []
    for report in reports:
        out = io.StringIO()
        summary = Summary(rules=plan.rules, packs=pack_infos(plan.rules), generated="then")
        renderer = CsvReport(out) if fmt == "csv" else \
            MarkdownReport() if fmt == "markdown" else HtmlReport()
        for policy in report.policies:
            renderer.policy(summary, summary.add(policy), policy)
        summary.errors.extend(report.errors)
        renderer.finish(summary, out)
        outs.append(out.getvalue())
    assert outs[0] == outs[1] and len(outs[0]) > 1000


def test_model_copy_and_dump_behave_as_pydantic_s(reports: Any) -> None:
    lean, full = reports
    lf, ff = lean.policies[0].results[0], full.policies[0].results[0]
    lc = lf.model_copy(update={"status": records.Status.WAIVED, "waiver": "w"})
    fc = ff.model_copy(update={"status": records.Status.WAIVED, "waiver": "w"})
    assert lc.model_dump(mode="json") == fc.model_dump(mode="json")
    assert lf.status != records.Status.WAIVED or lf.waiver == "w"  # the original is unchanged
    assert lf.model_dump(exclude={"evidence"}) == ff.model_dump(exclude={"evidence"})
    fact = records.Fact(id="a", value=["x"], evidence=[lean.policies[-1].results[0].evidence[0]])
    deep = fact.model_copy(deep=True)
    assert deep == fact and deep.evidence is not fact.evidence and deep.value is not fact.value
    assert fact.model_dump() == models.Fact.model_validate(fact.model_dump()).model_dump()


def test_the_compact_dump_is_json_s_bytes_and_falls_back_to_json_where_orjson_refuses(
        reports: Any) -> None:
    """model_dump_json() writes through orjson when it is installed: the same text as json.dumps
    over the dicts (odd characters, enums, nested evidence), and json's answer for what orjson
    refuses (a lone surrogate from a file decoded with surrogateescape)."""
    lean, _ = reports

    def by_json(record: records.Record) -> str:
        return json.dumps(record.model_dump(mode="json"), ensure_ascii=False,
                          separators=(",", ":"))

    assert lean.model_dump_json() == by_json(lean)
    for policy in lean.policies:
        assert policy.model_dump_json() == by_json(policy)
    odd = records.InputError(path="bad\udcff.md", message="x", line=2**70)
    assert odd.model_dump_json() == by_json(odd)
