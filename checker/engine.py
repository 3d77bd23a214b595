"""The evaluation stage: facts + rules + config -> findings, pure (file reading: checkfile.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from checker.conditions import condition_refs, evaluate
from checker.config import Config, declared_values, run_date
from checker.document import Document
from checker.errors import ConfigError
from checker.facts import extract_facts, known_facts
from checker.facts.lexicon import use_lexicon_files
from checker.locate import annotate
from checker.records import Evidence, Fact, Finding, PolicyReport, Severity, Status
from checker.rules import Rule, RuleSet, load_rules
from checker.suppressions import apply_suppressions, find_suppressions, unused_suppressions
from checker.words import did_you_mean


@dataclass
class Plan:
    """Everything a run needs that does not depend on the policy: resolved once per run."""

    rules: list[Rule]
    config: Config
    declared: dict[str, Any]
    today: date
    known_rules: frozenset[str] = frozenset()  # every loaded rule id, to validate suppressions
    # The facts this plan's rules can read (None: all): facts of rules that cannot apply under
    # the declarations are never extracted, so a policy's cost follows the rules that apply,
    # not the packs that are loaded.
    needed_facts: frozenset[str] | None = None
    # Rule id -> the outcome of its `applies_when` where that reads declarations alone: the
    # same for every policy of the run, so evaluated (and described) once, not per policy.
    fixed_applies: dict[str, Any] = field(default_factory=dict)


def _resolve(names: list[str], ruleset: RuleSet, what: str, config: Config) -> set[str]:
    ids: set[str] = set()
    for name in names:
        if name in ruleset.packs:
            ids.update(r.id for r in ruleset.by_pack(name))
        elif name in ruleset.rules:
            ids.add(name)
        else:
            raise ConfigError(
                f"unknown rule or pack '{name}' in {what}"
                f"{did_you_mean(name, [*ruleset.rules, *ruleset.packs])} "
                "(see `privcheck rules list`)",
                config.source if what.startswith("config") else None,
            )
    return ids


def make_plan(
    config: Config,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    today: date | None = None,
) -> Plan:
    use_lexicon_files(tuple(config.lexicon_files))  # before rules, which name their facts
    known_facts()  # load (and validate) the lexicons now: a bad one is a config error, not per file
    ruleset = load_rules(tuple(config.rule_files))
    if config.packs is not None:
        for pack in config.packs:
            if pack not in ruleset.packs:
                raise ConfigError(f"unknown pack '{pack}' in packs", config.source,
                                  config.line_of("packs"))
        chosen = {r.id for r in ruleset.rules.values() if r.pack in config.packs}
        chosen |= {r.id for r in ruleset.rules.values() if r.source in config.rule_files}
    else:
        chosen = set(ruleset.rules)
    selected = list(select or []) or config.select
    if selected:
        what = "--select" if select else "config select"
        chosen = _resolve(selected, ruleset, what, config)
    chosen -= _resolve(config.ignore, ruleset, "config ignore", config)
    chosen -= _resolve(list(ignore or []), ruleset, "--ignore", config)
    for waiver in config.waivers:
        if waiver.rule not in ruleset.rules:
            raise ConfigError(f"waiver names unknown rule '{waiver.rule}'"
                              f"{did_you_mean(waiver.rule, ruleset.rules)}", config.source,
                              config.line_of("waivers"))
    for rid in config.severity:
        if rid not in ruleset.rules:
            raise ConfigError(f"severity override names unknown rule '{rid}'"
                              f"{did_you_mean(rid, ruleset.rules)}", config.source,
                              config.line_of(f"severity.{rid}"))
    rules = [ruleset.rules[rid] for rid in sorted(chosen, key=_rule_order(ruleset))]
    declared, day = declared_values(config), today or run_date()
    fixed = {r.id: evaluate(r.applies_when, {}, declared, day) for r in rules
             if r.applies_when and not condition_refs(r.applies_when, "fact")}
    return Plan(rules, config, declared, day, frozenset(ruleset.rules),
                _needed_facts(rules, declared, day), fixed)


def _needed_facts(rules: list[Rule], declared: dict[str, Any], today: date) -> frozenset[str]:
    """Every fact a rule of the plan may read: its requirement's and its hints', unless the
    rule's applicability rests on declarations alone and they rule it out."""
    needed = {"policy.effective_date"}  # every report carries the policy's date
    for rule in rules:
        if rule.applies_when:
            gated_by_facts = condition_refs(rule.applies_when, "fact")
            needed |= {fid for fid, _ in gated_by_facts}
            if not gated_by_facts and not evaluate(rule.applies_when, {}, declared, today).ok:
                continue
        for cond in (rule.require, *(c for c, _ in rule.hints)):
            needed |= {fid for fid, _ in condition_refs(cond, "fact")}
    return frozenset(needed)


def _rule_order(ruleset: RuleSet):  # type: ignore[no-untyped-def]
    order = {rid: i for i, rid in enumerate(ruleset.rules)}
    return lambda rid: order[rid]


def _looked_for(need: str | tuple[str, list[Any]], nested: bool = False) -> str:
    """'X and Y' for what all must hold, 'X; or Y' for alternatives, from the facts' texts."""
    if isinstance(need, str):
        info = known_facts()
        return info[need].looks_for if need in info else need
    kind, parts = need
    texts = list(dict.fromkeys(_looked_for(p, nested=True) for p in parts))
    joined = (" and " if kind == "all" else "; or ").join(texts)
    return f"({joined})" if nested and kind == "any" and len(texts) > 1 else joined


def judge(rule: Rule, facts: dict[str, Fact], path: str, plan: Plan) -> Finding:
    severity = plan.config.severity.get(rule.id, rule.severity)
    base = dict(
        rule=rule.id, severity=severity, title=rule.title, citation=rule.citation,
        url=rule.url, remedy=rule.remedy,
    )
    if rule.applies_when:
        applies = plan.fixed_applies.get(rule.id) or evaluate(
            rule.applies_when, facts, plan.declared, plan.today)
        if not applies.ok:
            why = "; ".join(applies.decided_by)
            return Finding(status=Status.NOT_APPLICABLE, message="Does not apply to what the "
                           "configuration declares about this business"
                           + (f": {why}." if why else "."), **base)
    outcome = evaluate(rule.require, facts, plan.declared, plan.today)
    if outcome.ok:
        return Finding(status=Status.PASS, message=f"Found: {rule.title.lower()}.",
                       evidence=outcome.evidence, **base)
    parts = []
    if outcome.need is not None:
        parts.append(f"Looked for {_looked_for(outcome.need)}; found none.")
    parts += [f"Found, but expected {t}." for t in outcome.failed_tests]
    hints = [(evaluate(cond, facts, plan.declared, plan.today), msg) for cond, msg in rule.hints]
    parts += [_hint_message(msg, hint.evidence) for hint, msg in hints if hint.ok]
    message = " ".join(parts) or "The condition does not hold."
    evidence = outcome.evidence + [e for hint, _ in hints for e in hint.evidence]
    # A hint that holds is a near miss (something said, not enough): the failure points at it.
    near = next((h.evidence[0] for h, _ in hints if h.ok and h.evidence), None)
    for waiver in plan.config.waivers:
        if waiver.matches(rule.id, path):
            if waiver.expired(plan.today):
                message += (f" (A waiver for this rule expired on {waiver.expires}; "
                            "it no longer applies.)")
                continue
            return Finding(status=Status.WAIVED, message=message, evidence=evidence,
                           waiver=waiver.reason, waiver_kind="config", near_miss=near, **base)
    return Finding(status=Status.FAIL, message=message, evidence=evidence, near_miss=near, **base)


def _hint_message(message: str, evidence: list[Evidence]) -> str:
    """A hint's text with `{line}` replaced by the line of its first quote ("mentioned at line
    28"), so every output format says where the near miss is, not only the ones with locations."""
    if "{line}" not in message:
        return message
    return message.replace("{line}", str(evidence[0].line) if evidence else "?")


def summarise(results: list[Finding]) -> dict[str, int]:
    summary = {s.value: 0 for s in Status}
    summary.update({f"failed_{s.value}": 0 for s in Severity})
    for f in results:
        summary[f.status.value] += 1
        if f.status == Status.FAIL:
            summary[f"failed_{f.severity.value}"] += 1
    return summary


def check_document(doc: Document, plan: Plan) -> PolicyReport:
    use_lexicon_files(tuple(plan.config.lexicon_files))  # a worker process may start bare
    facts = extract_facts(doc, plan.needed_facts)
    known = plan.known_rules or {r.id for r in plan.rules}
    suppressions = find_suppressions(doc.path, doc.source, known, doc.format)
    results = [judge(rule, facts, doc.path, plan) for rule in plan.rules]
    notices = unused_suppressions(results, suppressions)
    results = apply_suppressions(results, suppressions)
    results = annotate(results, {r.id: r for r in plan.rules}, doc)
    date_fact = facts.get("policy.effective_date")
    return PolicyReport(
        path=doc.path,
        effective_date=date_fact.value if date_fact else None,
        results=results,
        summary=summarise(results),
        notices=notices,
        redirects=doc.redirects or None,
    )
