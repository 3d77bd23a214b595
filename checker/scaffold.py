"""Text of the files `privcheck init` writes: a starter config and a sample GitHub workflow."""

from __future__ import annotations

from datetime import date, timedelta

import yaml

# The action the sample workflow uses: this repository (pyproject's Source URL), at a branch that
# exists. Users pin a release tag or a commit SHA once they adopt it (the comment says so).
ACTION_REPOSITORY = "privcheck/privcheck"
ACTION_REF = "main"


def config_yaml(audience: str, jurisdictions: list[str], shares: bool | None,
                today: date | None = None) -> str:
    """The starter config; its sample waiver is dated today and expires in a year, so that
    uncommenting it gives a waiver that still applies."""
    today = today or date.today()
    expires = today + timedelta(days=365)
    declare = yaml.safe_dump({"declare": {
        "audience": audience,
        "jurisdictions": jurisdictions,
        "shares_for_direct_marketing": shares,
    }}, sort_keys=False, default_flow_style=None).rstrip()
    return f"""\
# privcheck configuration, written by `privcheck init`.
# What the business declares decides which rules apply (see `privcheck rules list`).
{declare}

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
