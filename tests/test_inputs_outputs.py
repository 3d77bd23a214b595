"""Locations in each form's own terms reach every output format: a DOCX failure points at its
paragraph, a PDF's at page and line, a bundle's at the member document."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.gatekit import cli
from tests.inputs_kit import SAMPLE, docx_bytes, pdf_bytes, without_sections

# Fails "third-party tracking" with a hint-bearing location in the Cookies section.
PARTIAL = without_sections(SAMPLE, "Do Not Track")


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("drafts")
    (folder / "draft.docx").write_bytes(docx_bytes(PARTIAL))
    (folder / "print.pdf").write_bytes(pdf_bytes(PARTIAL))
    return {"docx": folder / "draft.docx", "pdf": folder / "print.pdf"}


@pytest.mark.parametrize(("form", "prefix"), [("docx", "paragraph "), ("pdf", "page ")])
def test_locator_in_every_format(drafts: dict[str, Path], form: str, prefix: str) -> None:
    path = str(drafts[form])
    data = json.loads(cli("check", path, "--format", "json").stdout)
    [policy] = data["policies"]
    located = [f["location"] for f in policy["results"] if f["status"] == "fail"]
    assert located and all(loc["locator"].startswith(prefix) for loc in located)
    evidence = [e for f in policy["results"] for e in f["evidence"]]
    assert evidence and all(e["locator"].startswith(("paragraph ", "table ", "page "))
                            for e in evidence)
    where = located[0]["locator"]

    text = cli("check", path, "-v").stdout
    assert f"{path} ({prefix}" in text

    sarif = json.loads(cli("check", path, "--format", "sarif").stdout)
    messages = [r["locations"][0].get("message", {}).get("text") for r in
                sarif["runs"][0]["results"]]
    assert where in messages

    github = cli("check", path, "--format", "github").stdout
    assert f"At: {path} ({where})" in github.replace("%0A", "\n")

    junit = ET.fromstring(cli("check", path, "--format", "junit").stdout)
    failures = [f.text or "" for f in junit.iter("failure")]
    assert any(f"At: {path} ({where})" in f for f in failures)

    markdown = cli("check", path, "--format", "markdown").stdout
    assert where in markdown
