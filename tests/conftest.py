"""Shared fixtures: the example policies and helpers that run the real pipeline on text."""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from checker.config import Config
from checker.engine import Plan, check_document, make_plan
from checker.facts import extract_facts
from checker.readers import parse_policy
from checker.records import Fact, PolicyReport

ROOT = Path(__file__).resolve().parent.parent

# The tests never read or write the user's cache (subprocesses inherit this too).
os.environ["PRIVCHECK_CACHE_DIR"] = tempfile.mkdtemp(prefix="privcheck-cache-")
# A fixed run date: the samples' "Last updated" dates must not age out of
# ccpa.updated-within-12-months (subprocesses inherit this too).
os.environ["PRIVCHECK_TODAY"] = "2026-01-01"
POLICIES = ROOT / "policies"
SEEDS = sorted(POLICIES.glob("00[0-4]_*.txt"))


@pytest.fixture(autouse=True)
def _own_results_cache(tmp_path_factory: pytest.TempPathFactory,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with an empty results cache (checker/results_cache.py) of its own, so a
    result that one test made under a monkeypatch is never served to another. The compiled
    state stays the session's (building it costs seconds)."""
    from checker import results_cache, state_cache

    folder = tmp_path_factory.mktemp("results")
    # PRIVCHECK_CACHE_DIR="" still turns it off
    monkeypatch.setattr(results_cache, "directory",
                        lambda: folder if state_cache.cache_dir() is not None else None)


@pytest.fixture(scope="session")
def plan() -> Plan:
    return make_plan(Config(), today=date(2026, 1, 1))


def facts_of(text: str, name: str = "policy.md") -> dict[str, Fact]:
    return extract_facts(parse_policy(name, text))


def check_text(text: str, plan: Plan, name: str = "policy.md") -> PolicyReport:
    return check_document(parse_policy(name, text), plan)


def case_params(folder: Path, key: str) -> list[Any]:
    """pytest params (the fact or rule id, the case) for every case of every YAML file in a
    cases folder; a case may override the file's `key`, and a file's `declare:` (the declarations
    its rules need, e.g. the gdpr pack's jurisdictions) goes with each case.
    Ids: `file[i]-id-kind`."""
    import yaml

    out = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data["cases"]):
            if "declare" in data:
                case = {"declare": data["declare"], **case}
            value = case.get(key, data[key])
            out.append(pytest.param(value, case, id=f"{path.stem}[{i}]-{value}-{case['kind']}"))
    return out
