"""SARIF 2.1.0 for GitHub code scanning (github/codeql-action/upload-sarif) and other viewers.

Every rule that ran is a reportingDescriptor; every failing or waived finding is a result with one
physical location (waived ones carry a suppression, so viewers show them as dismissed). A missing
disclosure points where it belongs (see checker.locate), so every result has a region.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from urllib.parse import quote

from checker.locate import FINGERPRINT_KEY
from checker.records import Finding, Report, Severity, Status
from checker.report.paths import repo_relative
from checker.rules import Rule

SCHEMA_URI = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
              "sarif-schema-2.1.0.json")
INFORMATION_URI = "https://github.com/privcheck/privcheck"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _descriptor_from_rule(rule: Rule, severity: Severity) -> dict:
    law = f"[{rule.citation}]({rule.url})" if rule.url else rule.citation
    text = f"{rule.why}\n\nHow to fix: {rule.remedy}\n\nLaw: {rule.citation}"
    if rule.url:
        text += f"\n{rule.url}"
    desc: dict = {
        "id": rule.id,
        "name": "".join(w.capitalize() for w in rule.id.replace(".", "-").split("-")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.why},
        "help": {
            "text": text,
            "markdown": f"{rule.why}\n\n**How to fix:** {rule.remedy}\n\n**Law:** {law}\n\n"
                        f"Passes: _{rule.example_pass}_\n\nFails: _{rule.example_fail}_",
        },
        "defaultConfiguration": {"level": LEVEL[severity]},
        "properties": {"tags": ["privacy-policy", rule.pack, *rule.tags]},
    }
    if rule.url:
        desc["helpUri"] = rule.url
    return desc


def _descriptor_from_finding(f: Finding) -> dict:
    """Without the rule objects (e.g. a report read back from JSON): what the finding carries."""
    pack = f.rule.split(".", 1)[0]
    law = f"[{f.citation}]({f.url})" if f.url else f.citation
    desc: dict = {
        "id": f.rule,
        "name": "".join(w.capitalize() for w in f.rule.replace(".", "-").split("-")),
        "shortDescription": {"text": f.title},
        "fullDescription": {"text": f.title},
        "help": {"text": f"How to fix: {f.remedy}\n\nLaw: {f.citation}"
                         + (f"\n{f.url}" if f.url else ""),
                 "markdown": f"**How to fix:** {f.remedy}\n\n**Law:** {law}"},
        "defaultConfiguration": {"level": LEVEL[f.severity]},
        "properties": {"tags": ["privacy-policy", pack]},
    }
    if f.url:
        desc["helpUri"] = f.url
    return desc


def _uri(path: str, root: str | None) -> str:
    """A repository-relative file URI; a checked URL is its own URI."""
    if path.lower().startswith(("http://", "https://")):
        return path
    return quote(repo_relative(path, root), safe="/")


def _result(f: Finding, uri: str, index: int, root: str | None = None) -> dict:
    result: dict = {
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": LEVEL[f.severity],
        "message": {"text": f"{f.title}. {f.message} Fix: {f.remedy}"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
    }
    ev = f.location
    if ev is not None and ev.document:  # a bundle: the member document the quote is in
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = _uri(
            ev.document, root)
    if ev is not None and ev.locator:  # DOCX, PDF: "paragraph 12", "page 3, line 14"
        result["locations"][0]["message"] = {"text": ev.locator}
    if ev is not None:
        result["locations"][0]["physicalLocation"]["region"] = {
            "startLine": ev.line,
            "startColumn": ev.column,
            "endLine": ev.end_line,
            "endColumn": max(ev.end_column, ev.column + 1) if ev.end_line == ev.line
            else ev.end_column,
            "snippet": {"text": ev.quote},
        }
    if f.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: f.fingerprint}
    if f.status == Status.WAIVED:
        result["suppressions"] = [{
            "kind": "inSource" if f.waiver_kind == "inline" else "external",
            "justification": f.waiver or "",
        }]
    return result


def render_sarif(report: Report, rules: Sequence[Rule] | None = None,
                 root: str | None = None) -> str:
    """The report as a SARIF log; `root` makes artifact URIs repository-relative."""
    descriptors: list[dict] = []
    index: dict[str, int] = {}
    severities = {f.rule: f.severity for p in report.policies for f in p.results}
    for rule in rules or ():
        index[rule.id] = len(descriptors)
        descriptors.append(_descriptor_from_rule(rule, severities.get(rule.id, rule.severity)))
    results = []
    for policy in report.policies:
        uri = _uri(policy.path, root)
        for f in policy.results:
            if f.rule not in index:
                index[f.rule] = len(descriptors)
                descriptors.append(_descriptor_from_finding(f))
            if f.status in (Status.FAIL, Status.WAIVED):
                results.append(_result(f, uri, index[f.rule], root))
    notifications = [{
        "level": "error",
        "message": {"text": e.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": _uri(e.path, root)},
            **({"region": {"startLine": e.line}} if e.line else {}),
        }}],
    } for e in report.errors]
    # Notices (an unused inline suppression) are about the file, not a rule's verdict: tool
    # notifications at their place, as warnings, so code scanning shows them without a rule.
    notifications += [{
        "level": "warning",
        "message": {"text": n.message},
        "descriptor": {"id": f"privcheck/{n.kind}"},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": quote(repo_relative(p.path, root), safe="/")},
            "region": {"startLine": n.line, "startColumn": n.column},
        }}],
    } for p in report.policies for n in p.notices]
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "privcheck",
                "version": report.privcheck,
                "semanticVersion": report.privcheck,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }},
            "invocations": [{
                "executionSuccessful": not report.errors,
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
