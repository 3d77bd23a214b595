"""JUnit XML for GitLab (artifacts:reports:junit), Jenkins and other CI test views.

One testsuite per policy, one testcase per rule: a failing rule is a <failure> carrying the message,
the remedy, the law and the line; waived and not-applicable rules are <skipped> with the reason.
A file that could not be checked is a suite with one <error>. Notices (an inline suppression whose
rule passes) never fail: they are the suite's <system-out>.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from checker.records import Finding, Report, Status
from checker.report.paths import repo_relative
from checker.sanitize import xml_text


def _failure_text(f: Finding, path: str) -> str:
    lines = [f.message, f"Fix: {f.remedy}", f"Law: {f.citation}" + (f" {f.url}" if f.url else "")]
    if f.location is not None:
        lines.append(f"At: {f.location.place(path)}")
    return "\n".join(lines)


def _testcase(suite: ET.Element, f: Finding, path: str) -> None:
    case = ET.SubElement(suite, "testcase", name=f.rule, classname=path, file=path)
    if f.location is not None:
        case.set("line", str(f.location.line))
    if f.status == Status.FAIL:
        failure = ET.SubElement(case, "failure", message=f"{f.title}: {f.message}",
                                type=f.severity.value)
        failure.text = _failure_text(f, path)
    elif f.status == Status.WAIVED:
        ET.SubElement(case, "skipped", message=f"waived: {f.waiver or ''}")
    elif f.status == Status.NOT_APPLICABLE:
        ET.SubElement(case, "skipped", message=f"not applicable: {f.message}")


def render_junit(report: Report, root: str | None = None) -> str:
    suites = ET.Element("testsuites", name="privcheck")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for policy in report.policies:
        path = repo_relative(policy.path, root)
        counts = {
            "tests": len(policy.results),
            "failures": sum(f.status == Status.FAIL for f in policy.results),
            "errors": 0,
            "skipped": sum(f.status in (Status.WAIVED, Status.NOT_APPLICABLE)
                           for f in policy.results),
        }
        suite = ET.SubElement(suites, "testsuite", name=path,
                              **{k: str(v) for k, v in counts.items()})
        for f in policy.results:
            _testcase(suite, f, path)
        if policy.notices:  # never a failure: shown in the suite's output, as a test's warnings
            ET.SubElement(suite, "system-out").text = "\n".join(
                f"{path}:{n.line}:{n.column}: warning {n.kind}: {n.message}"
                for n in policy.notices)
        for k, v in counts.items():
            totals[k] += v
    for err in report.errors:
        path = repo_relative(err.path, root)
        suite = ET.SubElement(suites, "testsuite", name=path, tests="1", failures="0",
                              errors="1", skipped="0")
        case = ET.SubElement(suite, "testcase", name="read", classname=path, file=path)
        ET.SubElement(case, "error", message=err.message, type="input-error").text = (
            f"{err.where()}: {err.message}")
        totals["tests"] += 1
        totals["errors"] += 1
    for k, v in totals.items():
        suites.set(k, str(v))
    for el in suites.iter():  # file names and waiver reasons may hold what XML 1.0 cannot
        for k, v in el.attrib.items():
            el.set(k, xml_text(v))
        if el.text:
            el.text = xml_text(el.text)
    ET.indent(suites)
    body = ET.tostring(suites, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
