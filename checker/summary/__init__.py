"""Compliance summaries (`privcheck report`): what the HTML, Markdown and CSV renderers share.

A Summary folds PolicyReports in one at a time and keeps only counters and, per policy, one
compact Row (its statuses and totals). Each renderer spools what it writes per policy (a matrix
row, an evidence section) to a temporary file as the policy arrives, so a report over thousands
of policies never holds their findings in memory.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import IO, Any, Protocol

import yaml

from checker import __version__
from checker.errors import PrivcheckError
from checker.records import Finding, InputError, PolicyReport, Severity, Status
from checker.rules import Rule

STATUS_LABEL = {
    Status.PASS: "Pass", Status.FAIL: "Fail", Status.WAIVED: "Waived",
    Status.NOT_APPLICABLE: "Not applicable",
}
# Marks as well as colours: verdicts read in print, in greyscale and to the colour-blind.
STATUS_MARK = {Status.PASS: "✓", Status.FAIL: "✗", Status.WAIVED: "~",
               Status.NOT_APPLICABLE: "–"}
SEVERITIES = [s.value for s in Severity]


@dataclass(frozen=True)
class PackInfo:
    id: str
    title: str
    law: str
    description: str


def pack_infos(rules: list[Rule]) -> dict[str, PackInfo]:
    """Title, law and description of each pack the rules come from, read from their YAML."""
    infos: dict[str, PackInfo] = {}
    for source in dict.fromkeys(r.source for r in rules):
        try:
            with open(source, encoding="utf-8") as f:
                data = yaml.safe_load(f) or {}
        except (OSError, yaml.YAMLError):  # loaded fine once already; never fail a report here
            data = {}
        if "pack" in data:
            infos[data["pack"]] = PackInfo(data["pack"], data.get("title", data["pack"]),
                                           data.get("law", ""), data.get("description", ""))
    for rule in rules:
        infos.setdefault(rule.pack, PackInfo(rule.pack, rule.pack, "", ""))
    return infos


@dataclass
class Figure:
    """Rules passed out of applicable (pass, fail or waived), overall and by severity."""

    passed: int = 0
    applicable: int = 0
    by_severity: dict[str, list[int]] = field(
        default_factory=lambda: {s: [0, 0] for s in SEVERITIES})

    def add(self, finding: Finding) -> None:
        if finding.status == Status.NOT_APPLICABLE:
            return
        ok = finding.status == Status.PASS
        self.passed += ok
        self.applicable += 1
        counts = self.by_severity[finding.severity.value]
        counts[0] += ok
        counts[1] += 1

    @property
    def percent(self) -> float | None:
        return 100 * self.passed / self.applicable if self.applicable else None


@dataclass
class RuleStats:
    rule: Rule
    counts: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in Status})

    @property
    def applicable(self) -> int:
        return self.counts["pass"] + self.counts["fail"] + self.counts["waived"]

    @property
    def percent(self) -> float | None:
        return 100 * self.counts["pass"] / self.applicable if self.applicable else None


@dataclass
class Row:
    """One policy's line in the matrix: all a renderer keeps of it after its section is out."""

    index: int
    path: str
    anchor: str
    effective_date: str | None
    statuses: list[str]  # one Status value per rule column, "" where the rule was not run
    figure: Figure
    failed_by_severity: dict[str, int]


def generated_at(env: Mapping[str, str] | None = None) -> str:
    """When the report was made: now, or SOURCE_DATE_EPOCH (seconds since 1970, UTC) when set,
    so that a report built twice from the same policies is the same file byte for byte
    (https://reproducible-builds.org/specs/source-date-epoch/)."""
    env = os.environ if env is None else env
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            when = datetime.fromtimestamp(int(epoch), timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise PrivcheckError(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of "
                                 "seconds since 1970-01-01") from None
    else:
        when = datetime.now(timezone.utc)
    return when.strftime("%Y-%m-%d %H:%M UTC")


@dataclass
class Summary:
    rules: list[Rule]
    packs: dict[str, PackInfo]
    title: str = "Privacy policy compliance summary"
    generated: str = field(default_factory=generated_at)
    version: str = __version__
    stats: dict[str, RuleStats] = field(default_factory=dict)
    figure: Figure = field(default_factory=Figure)
    policies: int = 0
    failing_policies: int = 0
    errors: list[InputError] = field(default_factory=list)  # few, and each must be listed

    def __post_init__(self) -> None:
        self.stats = {r.id: RuleStats(r) for r in self.rules}

    @property
    def pack_rules(self) -> list[tuple[PackInfo, list[Rule]]]:
        """Rules grouped by pack, packs in the order their first rule runs."""
        groups: dict[str, list[Rule]] = {}
        for rule in self.rules:
            groups.setdefault(rule.pack, []).append(rule)
        return [(self.packs[p], rs) for p, rs in groups.items()]

    def add(self, policy: PolicyReport) -> Row:
        figure = Figure()
        by_rule = {f.rule: f for f in policy.results}
        failed = {s: 0 for s in SEVERITIES}
        for f in policy.results:
            figure.add(f)
            self.figure.add(f)
            if f.rule in self.stats:
                self.stats[f.rule].counts[f.status.value] += 1
            if f.status == Status.FAIL:
                failed[f.severity.value] += 1
        self.policies += 1
        self.failing_policies += any(failed.values())
        index = self.policies
        return Row(index=index, path=policy.path, anchor=f"p{index}",
                   effective_date=policy.effective_date,
                   statuses=[by_rule[r.id].status.value if r.id in by_rule else ""
                             for r in self.rules],
                   figure=figure, failed_by_severity=failed)


class Renderer(Protocol):
    """A report format: told about each policy as it finishes, writes the whole at the end."""

    def policy(self, summary: Summary, row: Row, report: PolicyReport) -> None: ...

    def finish(self, summary: Summary, out: IO[str]) -> None: ...


def grouped_findings(summary: Summary, report: PolicyReport) -> list[tuple[PackInfo, list[Any]]]:
    """A policy's findings grouped by pack, failures first, each with its Rule for the example."""
    rules = {r.id: r for r in summary.rules}
    groups: dict[str, list[Any]] = {}
    for f in report.results:
        rule = rules.get(f.rule)
        pack = rule.pack if rule else f.rule.split(".", 1)[0]
        groups.setdefault(pack, []).append((f, rule))
    return [(summary.packs.get(p) or PackInfo(p, p, "", ""),
             sorted(fs, key=lambda fr: _ORDER[fr[0].status])) for p, fs in groups.items()]


# What a reader acts on comes first: failures, then accepted failures, then passes.
_ORDER = {Status.FAIL: 0, Status.WAIVED: 1, Status.PASS: 2, Status.NOT_APPLICABLE: 3}
