"""Packaging (issue 13): licence and metadata, an sdist whose tests can run, a README whose links
work off GitHub."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.gatekit import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]


def test_license_file_and_metadata() -> None:
    text = (ROOT / "LICENSE").read_text("utf-8")
    assert text.lstrip().startswith("Apache License") and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text
    assert PROJECT["license"] == "Apache-2.0" and PROJECT["license-files"] == ["LICENSE"]
    assert PROJECT["authors"] and all(a.get("name") for a in PROJECT["authors"])
    assert {"Homepage", "Source", "Issues", "Changelog", "Documentation"} <= set(PROJECT["urls"])
    versions = {c.rsplit(" ", 1)[1] for c in PROJECT["classifiers"]
                if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)}
    assert versions == {"3.10", "3.11", "3.12", "3.13"}
    assert not any(c.startswith("License ::") for c in PROJECT["classifiers"])  # PEP 639
    assert (ROOT / "checker" / "py.typed").is_file()  # "Typing :: Typed"


def test_sdist_holds_what_its_tests_read(tmp_path: Path) -> None:
    pytest.importorskip("hatchling", reason="hatchling (the build backend) is not installed")
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d",
                    str(tmp_path)], cwd=ROOT, check=True, capture_output=True, timeout=120)
    (sdist,) = tmp_path.glob("*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    # Every repository file a test opens through ROOT must be in the sdist.
    wanted = set()
    for test in (ROOT / "tests").glob("*.py"):
        for m in re.finditer(r'ROOT((?:\s*/\s*"[^"]+")+)', test.read_text("utf-8")):
            wanted.add("/".join(re.findall(r'"([^"]+)"', m.group(1))))
    missing = [w for w in sorted(wanted) if not any(n == w or n.startswith(w + "/")
                                                    for n in names)]
    assert missing == []
    assert {"LICENSE", "action.yml", "docs/report.schema.json", ".pre-commit-hooks.yaml",
            "README.md"} <= names


def test_readme_links_work_outside_the_repository() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "../" not in readme
    for target in re.findall(r"\]\(([^)]+)\)", readme):
        assert target.startswith(("https://", "http://", "#", "mailto:")), target
