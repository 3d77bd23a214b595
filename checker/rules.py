"""Loading rule packs: YAML validated against the published JSON Schema, facts checked to exist.

The packs live in the repository's rules/ folder and ship in the wheel as checker/rules; user
rule files (config `rule_files:`) load the same way. Python never names a rule id.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker.builtin import declarations, rules_dir
from checker.builtin import schema_path as schema_path  # re-exported: its old home
from checker.conditions import condition_refs
from checker.errors import PrivcheckError, RuleFileError
from checker.facts import known_facts
from checker.records import Severity
from checker.words import did_you_mean
from checker.yamlfile import YamlFile, load_schema

if TYPE_CHECKING:
    from checker import state_cache


@dataclass(frozen=True)
class Rule:
    id: str
    pack: str
    title: str
    severity: Severity
    citation: str
    why: str
    remedy: str
    example_pass: str
    example_fail: str
    require: dict[str, Any]
    applies_when: dict[str, Any] | None = None
    url: str | None = None
    citation_note: str | None = None
    hints: tuple[tuple[dict[str, Any], str], ...] = ()
    tags: tuple[str, ...] = ()
    section: tuple[str, ...] = ()  # heading patterns: where a missing disclosure belongs
    source: str = ""
    line: int | None = None


@dataclass
class RuleSet:
    rules: dict[str, Rule] = field(default_factory=dict)
    packs: dict[str, str] = field(default_factory=dict)  # pack id -> title

    def by_pack(self, pack: str) -> list[Rule]:
        return [r for r in self.rules.values() if r.pack == pack]


def load_pack(
    path: str | Path, ruleset: RuleSet | None = None, trusted: bool = False,
    problems: list[PrivcheckError] | None = None,
) -> RuleSet:
    """Load and validate one pack file into `ruleset` (a new one if None). The built-in packs are
    `trusted`: the test suite validates them against the schema, so a run skips that step.

    A problem raises the first RuleFileError found, unless `problems` is given: then every
    problem is appended to it (schema problems, or else each rule's) and the sound rules load.
    """
    ruleset = ruleset if ruleset is not None else RuleSet()
    yf = YamlFile.load(path, RuleFileError)
    if yf.data is None:
        raise yf.fail("empty rule file")
    found: list[PrivcheckError] = []
    if problems is not None:
        found = yf.problems(load_schema(str(schema_path())))
        if found:
            problems.extend(found)
            return ruleset
    elif not trusted:
        yf.validate(load_schema(str(schema_path())))
    facts = known_facts()
    declared = declarations()
    pack = yf.data["pack"]
    ruleset.packs[pack] = yf.data["title"]
    for i, spec in enumerate(yf.data["rules"]):
        where: list[str | int] = ["rules", i]
        rid = spec["id"]
        bad: list[PrivcheckError] = []
        if not rid.startswith(pack + "."):
            bad.append(yf.fail(f"rule id '{rid}' must start with its pack name '{pack}.'",
                               [*where, "id"]))
        if rid in ruleset.rules:
            bad.append(yf.fail(f"duplicate rule id '{rid}' (also in {ruleset.rules[rid].source})",
                               [*where, "id"]))
        conditions = [("require", spec["require"])]
        if "applies_when" in spec:
            conditions.append(("applies_when", spec["applies_when"]))
        conditions += [(("hints", j, "when"), h["when"])
                       for j, h in enumerate(spec.get("hints", []))]
        for key, cond in conditions:
            prefix = [*where, *(key if isinstance(key, tuple) else (key,))]
            for fid, loc in condition_refs(cond, "fact"):
                if fid not in facts:
                    bad.append(yf.fail(
                        f"rule '{rid}' names unknown fact '{fid}'{did_you_mean(fid, facts)} "
                        "(see `privcheck facts --list`)",
                        [*prefix, *loc],
                    ))
            for name, loc in condition_refs(cond, "declared"):
                if name not in declared:
                    bad.append(yf.fail(
                        f"rule '{rid}' reads undeclarable key '{name}'"
                        f"{did_you_mean(name, declared)} (known: {', '.join(sorted(declared))})",
                        [*prefix, *loc],
                    ))
        for j, pattern in enumerate(spec.get("section", [])):
            try:
                with warnings.catch_warnings():  # "possible nested set": ambiguous, refuse it
                    warnings.simplefilter("error", FutureWarning)
                    re.compile(pattern)
            except (re.error, FutureWarning) as exc:
                bad.append(yf.fail(f"rule '{rid}': bad section pattern {pattern!r}: {exc}",
                                   [*where, "section", j]))
        if bad:
            found += bad
            continue
        ruleset.rules[rid] = Rule(
            id=rid,
            pack=pack,
            title=spec["title"],
            severity=Severity(spec["severity"]),
            citation=spec["citation"],
            why=" ".join(spec["why"].split()),
            remedy=" ".join(spec["remedy"].split()),
            example_pass=spec["example"]["pass"],
            example_fail=spec["example"]["fail"],
            require=spec["require"],
            applies_when=spec.get("applies_when"),
            url=spec.get("url"),
            citation_note=spec.get("citation_note"),
            hints=tuple((h["when"], h["message"]) for h in spec.get("hints", [])),
            tags=tuple(spec.get("tags", [])),
            section=tuple(spec.get("section", [])),
            source=yf.path,
            line=yf.line_of([*where, "id"]),
        )
    if found:
        if problems is None:
            raise found[0]
        problems.extend(found)
    return ruleset


@cache
def builtin_rules() -> RuleSet:
    """The built-in packs, from the compiled-state cache when an entry proves it fits (parsing
    seven YAML packs and checking every rule costs a short run more than checking a policy)."""
    from checker import state_cache
    from checker.facts.lexicon import state_inputs

    pack_files = sorted(p for p in rules_dir().glob("*.yaml") if p.name != "declarations.yaml")

    def build() -> RuleSet:
        ruleset = RuleSet()
        for path in pack_files:
            load_pack(path, ruleset, trusted=True)
        return ruleset

    # This module's own source too: a change in how a rule is built invalidates the entry.
    return state_cache.cached([*pack_files, rules_dir() / "declarations.yaml", *state_inputs(),
                               Path(__file__)], "rules", RULES_CACHE_VERSION, build,
                              lambda data, _blobs: _ruleset_from(data), _ruleset_entry)


RULES_CACHE_VERSION = "1"  # part of the rules' cache key: bump when Rule's fields change


def _rule_data(rule: Rule) -> dict[str, Any]:
    data = {f.name: getattr(rule, f.name) for f in fields(Rule)}
    data["severity"] = rule.severity.value
    return data


def _ruleset_from(data: dict[str, Any]) -> RuleSet:
    rules = {}
    for d in data["rules"]:
        d = dict(d)
        d["severity"] = Severity(d["severity"])
        d["hints"] = tuple((cond, str(msg)) for cond, msg in d["hints"])
        d["tags"], d["section"] = tuple(d["tags"]), tuple(d["section"])
        rule = Rule(**d)
        rules[rule.id] = rule
    return RuleSet(rules=rules, packs={str(k): str(v) for k, v in data["packs"].items()})


def _ruleset_entry(ruleset: RuleSet) -> state_cache.Entry | None:
    """Cached only if it round-trips through JSON to an equal RuleSet (a YAML date in a
    condition, say, would not): the cache must never change an answer."""
    import json

    data = {"rules": [_rule_data(r) for r in ruleset.rules.values()], "packs": ruleset.packs}
    try:
        data = json.loads(json.dumps(data))
        same = _ruleset_from(data) == ruleset
    except (TypeError, ValueError):
        return None
    return (data, {}) if same else None


def load_rules(extra_files: tuple[str, ...] = ()) -> RuleSet:
    """The built-in packs plus the user's rule files."""
    base = builtin_rules()
    if not extra_files:
        return base
    ruleset = RuleSet(rules=dict(base.rules), packs=dict(base.packs))
    for path in extra_files:
        load_pack(path, ruleset)
    return ruleset
