"""Where a finding points in the policy, and a fingerprint that survives unrelated edits.

CI tools (SARIF viewers, GitHub annotations, baselines) need a line even for a disclosure that is
missing. The rule says, as data (`section:` heading patterns), where that disclosure belongs; the
first heading that matches is the location, else the policy's first line. Python never names a rule.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from functools import lru_cache

from checker.document import Document
from checker.records import Evidence, Finding, Status
from checker.rules import Rule

FINGERPRINT_KEY = "privcheck/v1"
_NON_WORD = re.compile(r"\W+")


def normalise(text: str) -> str:
    """Case, punctuation and spacing do not change a fingerprint: only the words do."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


@lru_cache(maxsize=4096)
def _section_regex(pattern: str) -> re.Pattern[str]:
    # Compiled once per process: the packs' section patterns outnumber re's own cache (512),
    # and every failing rule of every policy asks for its patterns.
    return re.compile(pattern, re.IGNORECASE)


def section_heading(doc: Document, patterns: tuple[str, ...]) -> Evidence | None:
    """The first heading block matching the first pattern that matches any heading (kept per
    document: several rules share their sections)."""
    key = ("section_heading", patterns)
    if key not in doc.memo:
        doc.memo[key] = _section_heading(doc, patterns)
    return doc.memo[key]  # type: ignore[return-value]


def _section_heading(doc: Document, patterns: tuple[str, ...]) -> Evidence | None:
    headings = [b for b in doc.blocks if b.kind == "heading" and b.text.strip()]
    for pattern in patterns:
        rx = _section_regex(pattern)
        for block in headings:
            if rx.search(block.text):
                return doc.evidence(block, 0, len(block.text))
    return None


def locate(finding: Finding, rule: Rule | None, doc: Document) -> tuple[Evidence | None, str]:
    """(location, what the fingerprint hashes): evidence first, else section, else first line."""
    if finding.evidence:
        ev = finding.evidence[0]
        return ev, "evidence:" + normalise(ev.quote)
    if finding.status == Status.NOT_APPLICABLE:
        return None, ""
    heading = section_heading(doc, rule.section) if rule else None
    if heading is not None:
        return heading, "section:" + normalise(heading.quote)
    # The whole policy lacks it: the first line is only a place to point at, so the
    # fingerprint does not hash its text (a new first line must not make a new finding).
    return doc.first_line_evidence(), "document"


def fingerprint(rule: str, basis: str, occurrence: int) -> str:
    digest = hashlib.sha256(f"{rule}\0{basis}\0{occurrence}".encode()).hexdigest()
    return digest[:32]


def annotate(results: list[Finding], rules: dict[str, Rule], doc: Document) -> list[Finding]:
    """Add a location and fingerprint to every failing or waived finding (others unchanged)."""
    seen: Counter[tuple[str, str]] = Counter()
    out: list[Finding] = []
    for f in results:
        if f.status not in (Status.FAIL, Status.WAIVED):
            out.append(f)
            continue
        where, basis = locate(f, rules.get(f.rule), doc)
        n = seen[(f.rule, basis)]
        seen[(f.rule, basis)] += 1
        out.append(f.model_copy(update={"location": where,
                                        "fingerprint": fingerprint(f.rule, basis, n)}))
    return out
