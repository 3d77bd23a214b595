"""Inline suppressions written in the policy itself, for Markdown and HTML sources:

    <!-- privcheck-ignore caloppa.do-not-track: DNT is covered by our cookie banner page -->

The comment names one or more rule ids (comma-separated) and must give a reason after a colon: an
unexplained exception is the thing a reviewer cannot judge, so it is an error (exit 2), as is an
unknown rule id. Suppressed failures are reported as waived, with the reason, never hidden.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from checker.errors import InputFileError
from checker.models import Finding, Status
from checker.words import did_you_mean

_COMMENT = re.compile(r"<!--\s*privcheck-ignore\b(?P<body>.*?)-->", re.DOTALL)
_RULE_ID = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Suppression:
    rule: str
    reason: str
    line: int


def find_suppressions(path: str, source: str, known: Collection[str]) -> list[Suppression]:
    """Every suppression in the decoded source, validated; raise on the first bad one."""
    out: list[Suppression] = []
    for m in _COMMENT.finditer(source):
        line = source.count("\n", 0, m.start()) + 1
        body = m.group("body").strip()
        ids_part, colon, reason = body.partition(":")
        reason = " ".join(reason.split())
        ids = [r for r in re.split(r"[,\s]+", ids_part) if r]
        if not ids:
            raise InputFileError("privcheck-ignore names no rule id (write "
                                 "`<!-- privcheck-ignore RULE: reason -->`)", path, line)
        if not colon or not reason:
            raise InputFileError(f"privcheck-ignore {', '.join(ids)} has no reason (write "
                                 f"`<!-- privcheck-ignore {ids[0]}: why it is acceptable -->`)",
                                 path, line)
        for rid in ids:
            if not _RULE_ID.match(rid) or (known and rid not in known):
                hint = did_you_mean(rid, known) if known else ""
                raise InputFileError(f"privcheck-ignore names unknown rule '{rid}'{hint} "
                                     "(see `privcheck rules list`)", path, line)
            out.append(Suppression(rid, reason, line))
    return out


def apply_suppressions(results: list[Finding], suppressions: list[Suppression]) -> list[Finding]:
    """Failing findings named by a suppression become waived, with the reason and its line."""
    by_rule = {s.rule: s for s in suppressions}
    out = []
    for f in results:
        s = by_rule.get(f.rule)
        if s is not None and f.status == Status.FAIL:
            f = f.model_copy(update={"status": Status.WAIVED, "waiver_kind": "inline",
                                     "waiver": f"{s.reason} (inline, line {s.line})"})
        out.append(f)
    return out
