"""Evaluating a rule's condition over facts and declarations: pure, no I/O.

A condition is `fact` (present, with optional value tests), `declared` (a config value test),
or `all` / `any` / `not` of conditions. The outcome carries the evidence that satisfied it and
the facts that were missing, which become the "looked for" part of a failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from checker.records import Evidence, Fact


@dataclass
class Outcome:
    ok: bool
    evidence: list[Evidence] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # fact ids that would have satisfied it
    failed_tests: list[str] = field(default_factory=list)  # value tests that did not hold
    # What would have satisfied a failed condition, as a tree: a fact id, or ("all" | "any",
    # [needs]); the engine renders it as "X and Y" / "X; or Y" in the failure message.
    need: str | tuple[str, list[Any]] | None = None
    # The declarations whose tests decided the outcome, described ("jurisdictions is [us]; the
    # rule needs it to include 'california'"): what a not-applicable finding tells the reader.
    decided_by: list[str] = field(default_factory=list)


def condition_refs(cond: dict[str, Any], kind: str) -> list[tuple[str, list[str | int]]]:
    """Every value of `kind` ("fact" or "declared") a condition names, with its location inside
    the condition (for `file:line` errors)."""
    out: list[tuple[str, list[str | int]]] = []
    if kind in cond:
        out.append((cond[kind], [kind]))
    for key in ("all", "any"):
        for i, sub in enumerate(cond.get(key, [])):
            out += [(v, [key, i, *loc]) for v, loc in condition_refs(sub, kind)]
    if "not" in cond:
        out += [(v, ["not", *loc]) for v, loc in condition_refs(cond["not"], kind)]
    return out


def _as_date(value: str, today: date) -> date:
    return today if value == "today" else date.fromisoformat(value)


def months_before(day: date, months: int) -> date:
    """The same day of the month `months` earlier (the month's last day when it has fewer)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has a 28th


def _value_tests(cond: dict[str, Any], value: Any, today: date) -> list[str]:
    """Descriptions of the value tests that fail (empty when all hold)."""
    failed = []
    if "min_count" in cond and (not isinstance(value, list) or len(value) < cond["min_count"]):
        failed.append(f"at least {cond['min_count']} item(s), found {len(value or [])}")
    if "equals" in cond and value != cond["equals"]:
        failed.append(f"equal to {cond['equals']!r}, found {value!r}")
    if "not_equals" in cond and value == cond["not_equals"]:
        failed.append(f"not {cond['not_equals']!r}")
    if "contains" in cond and (not isinstance(value, list) or cond["contains"] not in value):
        failed.append(f"includes {cond['contains']!r}")
    if "in" in cond and value not in cond["in"]:
        failed.append(f"one of {cond['in']!r}, found {value!r}")
    for key, word in (("not_after", "after"), ("not_before", "before")):
        if key in cond:
            limit = _as_date(cond[key], today)
            try:
                actual = date.fromisoformat(str(value))
            except ValueError:
                failed.append(f"a date, found {value!r}")
                continue
            if (actual > limit) if key == "not_after" else (actual < limit):
                failed.append(f"a date not {word} {limit.isoformat()}, found {actual.isoformat()}")
    if "within_months" in cond:  # a date no more than N months before the run's date
        limit = months_before(today, cond["within_months"])
        try:
            actual = date.fromisoformat(str(value))
        except ValueError:
            failed.append(f"a date, found {value!r}")
        else:
            if actual < limit:
                failed.append(f"a date within {cond['within_months']} months of "
                              f"{today.isoformat()} (on or after {limit.isoformat()}), "
                              f"found {actual.isoformat()}")
    return failed


def _unique_evidence(evidence: list[Evidence]) -> list[Evidence]:
    """The evidence in order, each span once: two facts may quote the same sentence (a transfer
    and its safeguard), and the reader should see it once."""
    return list(dict.fromkeys(evidence))


_TEST_WORDS = {
    "equals": "to be {}", "not_equals": "not to be {}", "contains": "to include {}",
    "in": "to be one of {}", "min_count": "to list at least {} item(s)",
}


def _show(value: Any) -> str:
    """A declared value as the user wrote it in YAML: null, true, [us, california], 'x'."""
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, list):
        return "[" + ", ".join(v if isinstance(v, str) else _show(v) for v in value) + "]"
    return repr(value) if isinstance(value, str) else str(value)


def _describe_declared(cond: dict[str, Any], value: Any) -> str:
    """'ccpa_business is false (the rule needs it not to be false)', for a report's reader."""
    needs = [w.format(_show(cond[k])) for k, w in _TEST_WORDS.items() if k in cond]
    return f"{cond['declared']} is {_show(value)}" + (
        f" (the rule needs it {' and '.join(needs)})" if needs else "")


def _unique(items: Any) -> list[str]:
    """Descriptions without repeats; tests on one value are merged: "jurisdictions is [us] (the
    rule needs it to include 'texas' or to include 'utah')"."""
    merged: dict[str, list[str]] = {}
    for item in dict.fromkeys(items):
        head, sep, need = item.partition(" (the rule needs it ")
        merged.setdefault(head, [])
        if sep:
            merged[head].append(need.removesuffix(")"))
    return [head + (f" (the rule needs it {' or '.join(needs)})" if needs else "")
            for head, needs in merged.items()]


def evaluate(
    cond: dict[str, Any], facts: dict[str, Fact], declared: dict[str, Any], today: date
) -> Outcome:
    if "fact" in cond:
        fact = facts.get(cond["fact"])
        if fact is None:
            return Outcome(False, missing=[cond["fact"]], need=cond["fact"])
        failed = _value_tests(cond, fact.value, today)
        if failed:
            return Outcome(False, list(fact.evidence), failed_tests=[
                f"{cond['fact']}: expected {f}" for f in failed
            ])
        return Outcome(True, list(fact.evidence))
    if "declared" in cond:
        value = declared.get(cond["declared"])
        failed = _value_tests(cond, value, today)
        return Outcome(not failed, decided_by=[_describe_declared(cond, value)])
    if "all" in cond:
        parts = [evaluate(c, facts, declared, today) for c in cond["all"]]
        needs = [p.need for p in parts if not p.ok and p.need is not None]
        ok = all(p.ok for p in parts)
        return Outcome(
            ok,
            _unique_evidence([e for p in parts for e in p.evidence]),
            [m for p in parts if not p.ok for m in p.missing],
            [t for p in parts if not p.ok for t in p.failed_tests],
            needs[0] if len(needs) == 1 else ("all", needs) if needs else None,
            _unique(d for p in parts if p.ok == ok for d in p.decided_by),
        )
    if "any" in cond:
        parts = [evaluate(c, facts, declared, today) for c in cond["any"]]
        good = [p for p in parts if p.ok]
        if good:
            return Outcome(True, _unique_evidence([e for p in good for e in p.evidence]),
                           decided_by=_unique(d for p in good for d in p.decided_by))
        needs = [p.need for p in parts if p.need is not None]
        return Outcome(
            False,
            [],
            [m for p in parts for m in p.missing],
            [t for p in parts for t in p.failed_tests],
            needs[0] if len(needs) == 1 else ("any", needs) if needs else None,
            _unique(d for p in parts for d in p.decided_by),
        )
    if "not" in cond:
        inner = evaluate(cond["not"], facts, declared, today)
        # A failed `not` keeps the evidence of what it forbids: that is what the reader must see.
        return Outcome(not inner.ok, list(inner.evidence) if inner.ok else [],
                       decided_by=list(inner.decided_by))
    raise ValueError(f"unknown condition: {cond!r}")
