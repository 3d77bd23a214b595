"""Bundles: several documents that make one policy, checked as one.

A real policy is often a privacy policy, a cookie policy, a "Your California Privacy Rights" page
and a children's notice, or a layered short notice that points to the full policy. Checked one by
one, each misses what the others disclose. A bundle is named in the configuration:

    bundles:
      acme: [privacy.md, cookies.md, california.md]   # paths relative to the config file, or URLs

or on the command line (`--bundle acme=privacy.md,cookies.md`), and runs as the path
`bundle:acme`: each member is read by its own reader, the rules are evaluated over the union of
the members' facts, every piece of evidence names the member it comes from (Evidence.document), and
the report shows the bundle as one row (PolicyReport.documents lists the members). A layered
notice's link to the full policy is followed by reading the bundle: when the link's target is a
member, the full policy's disclosures count for the notice; links to documents outside the bundle
are never fetched.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from checker.errors import InputFileError
from checker.records import Fact, InputError, PolicyReport

PREFIX = "bundle:"
MAX_EVIDENCE = 8  # per fact, over all members: enough to show where each member says it


def bundle_path(name: str) -> str:
    return PREFIX + name


def members(name: str, config: Any) -> list[str]:
    """The member paths of bundle `name`, relative paths resolved against the config's folder."""
    listed = config.bundles.get(name)
    if not listed:
        known = ", ".join(sorted(config.bundles)) or "none configured"
        raise InputFileError(f"no bundle named '{name}' (known: {known})", bundle_path(name))
    # Config members are relative to the config file; --bundle members to the working folder.
    from_config = config.source and name not in config.bundle_cwd
    base = Path(config.source).parent if from_config else None
    out = []
    for member in listed:
        if member.lower().startswith(("http://", "https://")) or os.path.isabs(member) or \
                base is None:
            out.append(member)
        else:
            out.append(os.path.normpath(str(base / member)))
    return out


def merge_facts(per_doc: list[dict[str, Fact]]) -> dict[str, Fact]:
    """The union of the members' facts: list values joined, the first member's scalar value
    kept (the main document comes first), evidence from every member."""
    merged: dict[str, Fact] = {}
    for facts in per_doc:
        for fid, fact in facts.items():
            if fid not in merged:
                merged[fid] = fact.model_copy(deep=True)
                continue
            have = merged[fid]
            value = have.value
            if isinstance(value, list) and isinstance(fact.value, list):
                value = value + [v for v in fact.value if v not in value]
            evidence = (have.evidence + fact.evidence)[:MAX_EVIDENCE]
            merged[fid] = Fact(id=fid, value=value, evidence=evidence)
    return dict(sorted(merged.items()))


def check_bundle(path: str, plan: Any, options: Any) -> PolicyReport | InputError:
    """Read every member and judge the rules over the union of their facts, as one policy."""
    from checker.readers import read_policy

    paths = members(path[len(PREFIX):], plan.config)
    docs = []
    for member in paths:
        try:
            doc = read_policy(member, options=options)
        except InputFileError as exc:
            raise InputFileError(f"{member}: {exc.message}", path) from None
        doc.name = member
        docs.append(doc)
    return judge_bundle(path, docs, plan)


def judge_bundle(path: str, docs: list[Any], plan: Any) -> PolicyReport:
    """The rules judged over the union of the read members' facts (`diff` reads the members of
    an older version from git and judges them here too)."""
    from checker.engine import judge, summarise
    from checker.facts import extract_facts
    from checker.facts.lexicon import use_lexicon_files
    from checker.locate import annotate
    from checker.suppressions import apply_suppressions, find_suppressions

    use_lexicon_files(tuple(plan.config.lexicon_files))
    facts = merge_facts([extract_facts(doc) for doc in docs])
    known = plan.known_rules or {r.id for r in plan.rules}
    results = [judge(rule, facts, path, plan) for rule in plan.rules]
    for doc in docs:  # an inline waiver in any member applies to the bundle
        results = apply_suppressions(results, find_suppressions(doc.path, doc.source, known))
    results = annotate(results, {r.id: r for r in plan.rules}, docs[0])
    date_fact = facts.get("policy.effective_date")
    return PolicyReport(path=path, effective_date=date_fact.value if date_fact else None,
                        results=results, summary=summarise(results),
                        documents=[doc.name or doc.path for doc in docs])
