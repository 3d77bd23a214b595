"""The composite action's steps, run locally as GitHub would run them.

How: action.yml is parsed with PyYAML and every `run:` step is executed with bash as Actions does
(`bash --noprofile --norc -eo pipefail`), in a temporary workspace, with `${{ inputs.* }}` and
`${{ github.action_path }}` substituted into the steps' `env:` and GITHUB_ACTIONS,
GITHUB_STEP_SUMMARY, GITHUB_OUTPUT and GITHUB_WORKSPACE pointed at temporary files. `uses:` steps
(setup-python) and the `install` step are skipped: the privcheck of this checkout, the one
under test, is put first on PATH instead of being pip-installed from the network.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from gatekit import ROOT, SAMPLE, SEEDS, write

ACTION = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
EXPR = re.compile(r"\$\{\{\s*([\w.-]+)\s*\}\}")

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def _privcheck_bin(tmp: Path) -> Path:
    """A directory with a `privcheck` that runs this checkout with this interpreter."""
    found = shutil.which("privcheck", path=str(Path(sys.executable).parent))
    folder = tmp / "bin"
    folder.mkdir()
    script = folder / "privcheck"
    if found:
        script.symlink_to(found)
    else:
        script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m checker.cli "$@"\n')
        script.chmod(0o755)
    return folder


def run_action(workspace: Path, tmp: Path, inputs: dict[str, str]) -> dict[str, Any]:
    values = {k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()}
    values.update(inputs)
    summary, output = tmp / "step_summary.md", tmp / "github_output"
    summary.touch()
    output.touch()
    base_env = {**os.environ, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary),
                "GITHUB_OUTPUT": str(output), "GITHUB_WORKSPACE": str(workspace),
                "PATH": f"{_privcheck_bin(tmp)}{os.pathsep}{os.environ.get('PATH', '')}",
                "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}

    def expand(text: str) -> str:
        def one(m: re.Match[str]) -> str:
            name = m.group(1)
            if name.startswith("inputs."):
                return values[name.removeprefix("inputs.")]
            if name == "github.action_path":
                return str(ROOT)
            raise AssertionError(f"unexpected expression {name}")
        return EXPR.sub(one, text)

    stdout, code = "", 0
    for step in ACTION["runs"]["steps"]:
        if "run" not in step or step.get("id") == "install":
            continue
        assert "${{" not in step["run"], "inputs must reach scripts through env only"
        assert step["shell"] == "bash"
        env = {**base_env, **{k: expand(str(v)) for k, v in step.get("env", {}).items()}}
        script = tmp / f"step-{step.get('id', 'x')}.sh"
        script.write_text(step["run"], encoding="utf-8")
        cwd = workspace / expand(str(step.get("working-directory", ".")))
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                              cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=120, check=False)
        stdout += proc.stdout
        code = proc.returncode
        assert "Traceback" not in proc.stderr, proc.stderr
        if code != 0:
            break
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
    return {"code": code, "stdout": stdout, "summary": summary.read_text("utf-8"),
            "outputs": outputs}


def test_action_metadata_is_a_composite_with_the_inputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert {"paths", "config", "fail-on", "sarif-file", "version"} <= set(ACTION["inputs"])
    assert {s.get("id") for s in ACTION["runs"]["steps"]} >= {"install", "check"}


def test_action_annotates_summarises_and_leaves_sarif(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    seed = next(s for s in SEEDS if s.name.startswith("001"))
    write(workspace / "policies" / "legacy policy.txt", seed.read_text("utf-8"))
    write(workspace / "policies" / "privacy.md", SAMPLE.read_text("utf-8"))
    # The legacy seed predates the CCPA pack: this business declares it is not a CCPA business.
    write(workspace / "privcheck.yaml", "declare:\n  ccpa_business: false\n")
    result = run_action(workspace, tmp_path, {"paths": "policies/", "sarif-file": "out/p.sarif"})
    assert result["code"] == 1
    assert "::error file=policies/legacy policy.txt,line=140," in result["stdout"]
    assert "privcheck caloppa.do-not-track" in result["stdout"]
    assert "## privcheck: ❌ failed rules" in result["summary"]
    assert "`caloppa.do-not-track`" in result["summary"]
    assert result["outputs"] == {"exit-code": "1", "sarif-file": "out/p.sarif"}
    sarif = json.loads((workspace / "out" / "p.sarif").read_text("utf-8"))
    schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
    jsonschema.Draft4Validator(schema).validate(sarif)
    (res,) = sarif["runs"][0]["results"]
    location = res["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "policies/legacy%20policy.txt"
    assert location["region"]["startLine"] == 140


def test_action_green_on_the_sample_and_inputs_are_passed(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    write(workspace / "privacy.md", SAMPLE.read_text("utf-8"))
    write(workspace / "privcheck.yaml", "fail_on: info\n")
    result = run_action(workspace, tmp_path, {"paths": "privacy.md", "fail-on": "warning",
                                              "config": "privcheck.yaml"})
    assert result["code"] == 0, result["stdout"]
    assert result["outputs"]["exit-code"] == "0"
    assert "✅ all rules pass" in result["summary"]
    assert (workspace / "privcheck.sarif").is_file()


def test_pre_commit_hook_targets_policy_files() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["id"] == "privcheck" and hook["entry"] == "privcheck check --force-exclude"
    assert hook["language"] == "python"
    files = re.compile(hook["files"])
    for name in ("privacy.md", "docs/privacy-policy.html", "site/PRIVACY.txt", "privacy.htm"):
        assert files.search(name), name
    for name in ("README.md", "docs/terms.md", "privacy/logo.png"):
        assert not files.search(name), name


def test_project_ci_runs_ruff_tests_and_the_sample() -> None:
    ci = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text("utf-8"))
    text = json.dumps(ci)
    assert "ruff check ." in text and "pytest" in text
    assert ci["jobs"]["test"]["strategy"]["matrix"]["python-version"][0] == "3.10"
    steps = ci["jobs"]["privcheck"]["steps"]
    assert any(s.get("uses") == "./" and "sample-compliant" in s["with"]["paths"] for s in steps)


def test_no_sarif_output_when_none_was_written(tmp_path: Path) -> None:
    """Issue 13: after a configuration error the upload step must not be handed a missing file."""
    workspace = tmp_path / "ws"
    write(workspace / "privacy.md", SAMPLE.read_text("utf-8"))
    write(workspace / "privcheck.yaml", "fail_on: sometimes\n")
    result = run_action(workspace, tmp_path, {"paths": "privacy.md"})
    assert result["code"] == 2
    assert result["outputs"]["sarif-file"] == ""
    assert not (workspace / "privcheck.sarif").exists()


def test_paths_one_per_line_keep_their_spaces(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    write(workspace / "legal" / "Privacy Policy.md", SAMPLE.read_text("utf-8"))
    write(workspace / "other policy.md", SAMPLE.read_text("utf-8"))
    result = run_action(workspace, tmp_path, {
        "paths": "legal/Privacy Policy.md\n  other policy.md  \n", "sarif-file": "p.sarif"})
    assert result["code"] == 0, result["stdout"]
    assert "privcheck: 2 policies," in result["stdout"]
    assert "no such file" not in result["stdout"]


def test_working_directory_input(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    seed = next(s for s in SEEDS if s.name.startswith("001"))
    write(workspace / "site" / "policies" / "p.txt", seed.read_text("utf-8"))
    write(workspace / "site" / "privcheck.yaml", "fail_on: error\n")
    result = run_action(workspace, tmp_path, {"working-directory": "site",
                                              "paths": "policies/", "sarif-file": "out.sarif"})
    assert result["code"] == 1
    assert (workspace / "site" / "out.sarif").is_file()
    assert result["outputs"]["sarif-file"] == "site/out.sarif"  # relative to the workspace
    assert "::error file=site/policies/p.txt," in result["stdout"]


def test_action_caches_pip_downloads() -> None:
    caches = [s for s in ACTION["runs"]["steps"]
              if str(s.get("uses", "")).startswith("actions/cache@")]
    assert caches and "~/.cache/pip" in caches[0]["with"]["path"]
    assert ACTION["inputs"]["cache"]["default"] == "true"
