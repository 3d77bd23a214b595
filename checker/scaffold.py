"""Text of the files `privcheck init` writes (a starter config and a sample GitHub workflow), and
the questions it asks: one per declaration in rules/declarations.yaml that has an `ask:` text, so
a pack that adds a declaration adds its question without touching Python."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import yaml

# The action the sample workflow uses: this repository (pyproject's Source URL), at a branch that
# exists. Users pin a release tag or a commit SHA once they adopt it (the comment says so).
ACTION_REPOSITORY = "privcheck/privcheck"
ACTION_REF = "main"

# A yes/no/unknown declaration (values [true, false, null]) is asked in words.
_TRI = {"yes": True, "no": False, "unknown": None}
# (question, choices, default answer, whether a comma-separated list is expected) -> answer
Ask = Callable[[str, list[str], str, bool], str]


def _is_tri(item: dict[str, Any]) -> bool:
    return set(map(repr, item.get("values", []))) == {"True", "False", "None"}


def choices(item: dict[str, Any]) -> list[str]:
    """The answers a question accepts, as the user types them."""
    return list(_TRI) if _is_tri(item) else [str(v) for v in item["values"]]


def _default_answer(item: dict[str, Any]) -> str:
    default = item.get("default")
    if _is_tri(item):
        return next(word for word, value in _TRI.items() if value is default)
    return ",".join(map(str, default)) if item.get("list") else str(default)


def parse_answer(item: dict[str, Any], answer: str) -> Any:
    """An answer in the declaration's own terms (a list, a bool or null, a value)."""
    if _is_tri(item):
        return _TRI[answer.strip().lower()]
    if item.get("list"):
        return [v.strip() for v in answer.split(",") if v.strip()]
    return answer.strip()


def relevant(item: dict[str, Any], jurisdictions: list[str]) -> bool:
    """A question with `asked_for: [jurisdictions]` is asked only when one of them is chosen."""
    wanted = item.get("asked_for")
    return not wanted or bool(set(wanted) & set(jurisdictions))


def collect_declarations(spec: dict[str, dict[str, Any]], given: dict[str, Any],
                         ask: Ask | None) -> dict[str, Any]:
    """The `declare:` block: what was given, else the answer to each relevant question (or its
    default when `ask` is None, i.e. --no-input), in declarations.yaml's order."""
    out: dict[str, Any] = {}
    for key, item in spec.items():
        if key in given:
            out[key] = given[key]
            continue
        if "ask" not in item:
            continue
        if not relevant(item, out.get("jurisdictions") or spec["jurisdictions"]["default"]):
            continue
        if ask is None:
            out[key] = item.get("default")
            continue
        answer = ask(item["ask"], choices(item), _default_answer(item), bool(item.get("list")))
        out[key] = parse_answer(item, answer)
    return out


def config_yaml(declare: dict[str, Any], today: date | None = None) -> str:
    """The starter config; its sample waiver is dated today and expires in a year, so that
    uncommenting it gives a waiver that still applies."""
    today = today or date.today()
    expires = today + timedelta(days=365)
    block = yaml.safe_dump({"declare": declare}, sort_keys=False,
                           default_flow_style=None).rstrip()
    return f"""\
# privcheck configuration, written by `privcheck init`.
# What the business declares decides which rules apply (see `privcheck rules list`); null means
# unknown, and the rules that depend on it apply. The keys are described in rules/declarations.yaml.
{block}

# The lowest severity of a failure that fails the CI gate: error, warning, info or never.
fail_on: error

# Accepted failures: shown and counted as waived, never hidden. Give a reason; add an expiry.
# waivers:
#   - rule: caloppa.do-not-track
#     paths: "policies/legacy/*.md"
#     reason: "Legal approved the current wording on {today.isoformat()}"
#     expires: {expires.isoformat()}
"""


def workflow_yaml(paths: list[str]) -> str:
    joined = " ".join(paths) or "policies/"
    return f"""\
# privcheck: check the privacy policy on every pull request and push (written by `privcheck init`).
name: privcheck
on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read
  security-events: write  # upload SARIF to code scanning

jobs:
  privcheck:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # `privcheck diff --git-ref` reads the base branch
      # Pin a release tag or a commit SHA of {ACTION_REPOSITORY} for reproducible runs.
      - uses: {ACTION_REPOSITORY}@{ACTION_REF}
        id: privcheck
        with:
          paths: {joined}
          sarif-file: privcheck.sarif
      - name: What this pull request changes in the policy
        # always(): also when the check step failed, which is when the diff matters most
        if: always() && github.event_name == 'pull_request'
        env:
          BASE_REF: ${{{{ github.base_ref }}}}
        run: privcheck diff --git-ref "origin/$BASE_REF" {joined}
      - uses: github/codeql-action/upload-sarif@v3
        # the action names the file only when it was written (not after a configuration error)
        if: always() && steps.privcheck.outputs.sarif-file != ''
        with:
          sarif_file: ${{{{ steps.privcheck.outputs.sarif-file }}}}
          category: privcheck
"""
