"""Loading rule packs: YAML validated against the published JSON Schema, facts checked to exist.

The packs live in the repository's rules/ folder and ship in the wheel as checker/rules; user
rule files (config `rule_files:`) load the same way. Python never names a rule id.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from checker.conditions import condition_refs
from checker.errors import RuleFileError
from checker.facts import known_facts
from checker.models import Severity
from checker.yamlfile import YamlFile, load_schema


def rules_dir() -> Path:
    """Packs inside the installed wheel, or the checkout's rules/ in an editable install."""
    packaged = Path(__file__).parent / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent / "rules"


def schema_path() -> Path:
    return rules_dir() / "schema" / "rule-pack.schema.json"


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
    path: str | Path, ruleset: RuleSet | None = None, trusted: bool = False
) -> RuleSet:
    """Load and validate one pack file into `ruleset` (a new one if None). The built-in packs are
    `trusted`: the test suite validates them against the schema, so a run skips that step."""
    from checker.config import declarations

    ruleset = ruleset if ruleset is not None else RuleSet()
    yf = YamlFile.load(path, RuleFileError)
    if yf.data is None:
        raise yf.fail("empty rule file")
    if not trusted:
        yf.validate(load_schema(str(schema_path())))
    facts = known_facts()
    declared = declarations()
    pack = yf.data["pack"]
    ruleset.packs[pack] = yf.data["title"]
    for i, spec in enumerate(yf.data["rules"]):
        where: list[str | int] = ["rules", i]
        rid = spec["id"]
        if not rid.startswith(pack + "."):
            raise yf.fail(f"rule id '{rid}' must start with its pack name '{pack}.'",
                          [*where, "id"])
        if rid in ruleset.rules:
            raise yf.fail(f"duplicate rule id '{rid}' (also in {ruleset.rules[rid].source})",
                          [*where, "id"])
        conditions = [("require", spec["require"])]
        if "applies_when" in spec:
            conditions.append(("applies_when", spec["applies_when"]))
        conditions += [(("hints", j, "when"), h["when"])
                       for j, h in enumerate(spec.get("hints", []))]
        for key, cond in conditions:
            prefix = [*where, *(key if isinstance(key, tuple) else (key,))]
            for fid, loc in condition_refs(cond, "fact"):
                if fid not in facts:
                    raise yf.fail(
                        f"rule '{rid}' names unknown fact '{fid}' (see `privcheck facts --list`)",
                        [*prefix, *loc],
                    )
            for name, loc in condition_refs(cond, "declared"):
                if name not in declared:
                    raise yf.fail(
                        f"rule '{rid}' reads undeclarable key '{name}' "
                        f"(known: {', '.join(sorted(declared))})",
                        [*prefix, *loc],
                    )
        for j, pattern in enumerate(spec.get("section", [])):
            try:
                with warnings.catch_warnings():  # "possible nested set": ambiguous, refuse it
                    warnings.simplefilter("error", FutureWarning)
                    re.compile(pattern)
            except (re.error, FutureWarning) as exc:
                raise yf.fail(f"rule '{rid}': bad section pattern {pattern!r}: {exc}",
                              [*where, "section", j]) from None
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
    return ruleset


@cache
def builtin_rules() -> RuleSet:
    ruleset = RuleSet()
    for path in sorted(rules_dir().glob("*.yaml")):
        if path.name == "declarations.yaml":
            continue
        load_pack(path, ruleset, trusted=True)
    return ruleset


def load_rules(extra_files: tuple[str, ...] = ()) -> RuleSet:
    """The built-in packs plus the user's rule files."""
    base = builtin_rules()
    if not extra_files:
        return base
    ruleset = RuleSet(rules=dict(base.rules), packs=dict(base.packs))
    for path in extra_files:
        load_pack(path, ruleset)
    return ruleset
