"""SARIF output: valid 2.1.0, every result located, fingerprints stable across unrelated edits."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from gatekit import ROOT, SEEDS, cli, drop_paragraph, sample_text, seed_failures, write

# The official OASIS schema, vendored from a PyPI wheel: see tests/data/README.md for the source.
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))


def sarif_for(*paths: str) -> dict:
    result = cli("check", *paths, "--format", "sarif", "--exit-zero")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_schema_is_the_official_one() -> None:
    assert SCHEMA["id"].endswith("/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")


def test_sarif_for_the_seeds_validates_and_every_result_has_a_region() -> None:
    log = sarif_for(*map(str, SEEDS))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    run = log["runs"][0]
    results = run["results"]
    assert len(results) == seed_failures()  # the seeds' failures, as JSON counts them
    for r in results:
        region = r["locations"][0]["physicalLocation"]["region"]
        assert {"startLine", "startColumn", "endLine", "endColumn"} <= set(region)
        assert region["startLine"] >= 1 and region["endLine"] >= region["startLine"]
        assert r["partialFingerprints"]["privcheck/v1"]
        uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri.startswith("policies/0") and not uri.startswith("/")
        assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]


def test_driver_lists_every_rule_that_ran_with_citation_and_pack() -> None:
    rules = sarif_for(str(SEEDS[0]))["runs"][0]["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    listed = json.loads(cli("rules", "list", "--format", "json").stdout)
    assert ids == [r["id"] for r in listed]
    dnt = next(r for r in rules if r["id"] == "caloppa.do-not-track")
    assert dnt["defaultConfiguration"]["level"] == "error"
    assert "22575(b)(5)" in dnt["help"]["text"] and "22575(b)(5)" in dnt["help"]["markdown"]
    assert dnt["helpUri"] in dnt["help"]["markdown"]
    assert "caloppa" in dnt["properties"]["tags"]
    assert dnt["shortDescription"]["text"] and dnt["fullDescription"]["text"]


def _results_by_rule(log: dict) -> dict[str, dict]:
    return {r["ruleId"]: r for r in log["runs"][0]["results"]}


def test_fingerprints_survive_lines_inserted_at_the_top(tmp_path: Path) -> None:
    for seed in SEEDS:
        text = seed.read_text("utf-8")
        before = write(tmp_path / "before" / "policy.txt", text)
        after = write(tmp_path / "after" / "policy.txt",
                      "Draft for review.\n\nPlease read this policy carefully.\n\n" + text)
        old, new = _results_by_rule(sarif_for(before)), _results_by_rule(sarif_for(after))
        assert old.keys() == new.keys()
        for rule, r in old.items():
            assert r["partialFingerprints"] == new[rule]["partialFingerprints"], (seed, rule)


def test_fingerprint_changes_with_the_rule_and_the_evidence(tmp_path: Path) -> None:
    log = sarif_for(*map(str, SEEDS))
    per_file: dict[str, set[str]] = {}
    for r in log["runs"][0]["results"]:
        uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        per_file.setdefault(uri, set()).add(r["partialFingerprints"]["privcheck/v1"])
    counts = {uri: len(fps) for uri, fps in per_file.items()}
    expected: dict[str, int] = {}
    for r in log["runs"][0]["results"]:
        uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        expected[uri] = expected.get(uri, 0) + 1
    assert counts == expected  # no two findings of one policy share a fingerprint


def _region(log: dict, rule: str) -> dict:
    return _results_by_rule(log)[rule]["locations"][0]["physicalLocation"]["region"]


def test_missing_disclosure_points_at_its_section(tmp_path: Path) -> None:
    text = drop_paragraph(sample_text(), r"not directed to children")
    text = drop_paragraph(text, r"Questions about this policy")
    text = drop_paragraph(text, r"privacy@acme-widgets.example|100 Main Street|toll-free")
    text = text.replace("## Children\n", "## Children\n\nWe care about families.\n")
    text = text.replace("## Contact Us\n", "## Contact Us\n\nPlease contact us with questions.\n")
    path = write(tmp_path / "policy.md", text)
    log = sarif_for(path)
    lines = text.splitlines()
    children = _region(log, "coppa.children-under-13")
    assert lines[children["startLine"] - 1] == "## Children"
    contact = _region(log, "core.contact")
    assert lines[contact["startLine"] - 1] == "## Contact Us"


def test_missing_disclosure_without_its_section_points_at_the_first_line() -> None:
    seed = next(s for s in SEEDS if s.name.startswith("000"))
    assert _region(sarif_for(str(seed)), "caloppa.do-not-track")["startLine"] == 1
    seed = next(s for s in SEEDS if s.name.startswith("001"))  # has a "### Cookies" heading
    lines = seed.read_text("utf-8").splitlines()
    line = _region(sarif_for(str(seed)), "caloppa.do-not-track")["startLine"]
    assert lines[line - 1] == "### Cookies"


def test_waived_findings_are_suppressed_results(tmp_path: Path) -> None:
    text = drop_paragraph(sample_text(), r"Do Not Track")
    text = "<!-- privcheck-ignore caloppa.do-not-track: DNT answered on /cookies -->\n" + text
    log = sarif_for(write(tmp_path / "p.md", text))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    (result,) = log["runs"][0]["results"]
    assert result["suppressions"] == [
        {"kind": "inSource", "justification": "DNT answered on /cookies (inline, line 1)"}]


@pytest.mark.parametrize("bad", ["(unclosed", "[z-a]"])
def test_rule_pack_rejects_a_bad_section_pattern(tmp_path: Path, bad: str) -> None:
    pack = (ROOT / "rules" / "core.yaml").read_text("utf-8").replace("pack: core", "pack: mine")
    pack = pack.replace("id: core.", "id: mine.")
    pack = pack.replace('section: ["secur"', f'section: ["{bad}"')
    path = write(tmp_path / "mine.yaml", pack)
    result = cli("rules", "validate", path)
    assert result.exit_code == 2
    assert "bad section pattern" in result.stderr and "Traceback" not in result.stderr
