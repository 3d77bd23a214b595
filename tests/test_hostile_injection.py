"""A hostile corpus (file names, policy text, waiver reasons) through every output format, each
output parsed back by its real consumer to show that nothing was injected.

Consumers: json, the SARIF 2.1.0 schema, an XML parser (JUnit), GitHub's workflow-command
grammar (as the runner reads a log), markdown-it-py (check and report Markdown), a terminal
(no escape sequences), lxml (the HTML report) and the csv module (no cell a spreadsheet runs).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import lxml.html
import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from checker.cli import main
from checker.sanitize import display, md_code, md_inline, xml_text
from tests.conftest import ROOT

BIDI = "\u202e"
HOSTILE_NAMES = [
    "evil\n::error title=Forged::pwned.md",
    "::warning file=x.md,line=1::forged.md",
    "##[error]old-syntax.md",
    f"report{BIDI}dm.txt.md",
    "back`tick``s.md",
    "\x1b]0;pwned\x07title.md",
    "\x1b[2Jclear.md",
    "<script>alert(1)<_script>.md",
    "![img](https:evil.example_p.png).md",
    "@octocat please.md",
    "ctrl\x01\x0b\x0c\x7f.md",
    "pipe | cell & amp.md",
    "=HYPERLINK(x,y).md",
]
HOSTILE_TEXT = (
    "We collect your email address \x1b]0;pwned\x07 and your name \x1b[2J when you "
    "register ![x](https://evil.example/p.png) <img src=x onerror=alert(1)> @octocat "
    f"`code` {BIDI}txt.exe [link](https://evil.example/) <script>alert(1)</script>.\n\n"
    "<!-- privcheck-ignore caloppa.do-not-track: ![i](https://evil.example/t.png) "
    f"<b>bold</b> @octocat `tick` \x1b[2J {BIDI} -->\n"
)
WAIVER_REASON = r'"![w](https://evil.example/w.png) <i>x</i> @octocat \e[2J \x01 \u202e `b`"'
FORBIDDEN_IN_DISPLAY = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / "policies").mkdir()
    for name in HOSTILE_NAMES:
        (root / "policies" / name).write_text(HOSTILE_TEXT)
    (root / "privcheck.yaml").write_text(
        "waivers:\n  - rule: caloppa.effective-date\n    reason: " + WAIVER_REASON + "\n")
    return root


def run(corpus: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.chdir(corpus)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(corpus))
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = CliRunner().invoke(main, [*args, "-c", "privcheck.yaml"])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert result.exit_code in (0, 1), result.stderr
    assert not FORBIDDEN_IN_DISPLAY.search(result.stderr)  # notes and errors too
    return result.stdout


def rel(name: str) -> str:
    return f"policies/{name}"


def test_json_round_trips_every_name(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = json.loads(run(corpus, monkeypatch, "check", "policies", "--format", "json"))
    assert sorted(p["path"] for p in data["policies"]) == sorted(rel(n) for n in HOSTILE_NAMES)


def test_sarif_is_valid_against_the_schema(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = json.loads(run(corpus, monkeypatch, "check", "policies", "--format", "sarif"))
    schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(data, schema)
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in data["runs"][0]["results"] for loc in r["locations"]}
    assert all("\n" not in u and " " not in u and "\x1b" not in u for u in uris)


def test_junit_is_well_formed_xml(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = run(corpus, monkeypatch, "check", "policies", "--format", "junit")
    root = ET.fromstring(out.encode())
    suites = root.findall("testsuite")
    assert sorted(s.get("name") for s in suites) == sorted(xml_text(rel(n))
                                                           for n in HOSTILE_NAMES)
    reasons = [s.get("message") for s in root.iter("skipped")]
    assert any("evil.example/w.png" in r for r in reasons)  # the waiver reason, intact


def github_commands(log: str) -> list[tuple[str, dict[str, str], str]]:
    """The workflow commands GitHub's runner would execute from this log: `::name k=v::data`
    and the old `##[name k=v;]data`, on any line (trimmed), except between
    `::stop-commands::TOKEN` and `::TOKEN::`."""
    commands = []
    stopped: str | None = None
    for raw in log.split("\n"):
        line = raw.strip()
        if stopped is not None:
            if line == f"::{stopped}::":
                stopped = None
            continue
        m = re.match(r"::([A-Za-z-]+)(?: ([^:]*))?::(.*)$", line)
        separator = ","  # the runner splits `::` properties on commas, `##[` ones on semicolons
        if not m:
            m = re.match(r"##\[([A-Za-z-]+)(?: ([^\]]*))?\](.*)$", line)
            separator = ";"
        if not m:
            continue
        name, props, data = m.groups()
        if name == "stop-commands":
            stopped = data
            continue
        parsed = {}
        for prop in (props or "").split(separator):
            if "=" in prop:
                k, v = prop.split("=", 1)
                parsed[k] = (v.replace("%3A", ":").replace("%2C", ",").replace("%0D", "\r")
                             .replace("%0A", "\n").replace("%25", "%"))
        commands.append((name, parsed, data))
    return commands


def test_github_log_runs_only_our_annotations(corpus: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    log = run(corpus, monkeypatch, "check", "policies", "--format", "github")
    commands = github_commands(log)
    assert commands
    names = {rel(n) for n in HOSTILE_NAMES}
    for name, props, _ in commands:
        assert name in ("error", "warning", "notice"), (name, props)
        assert props.get("title", "").startswith("privcheck"), props
        assert "file" not in props or props["file"] in names, props
    # The plain lines are there, shown (escaped), not executed.
    assert "evil\\n::error title=Forged::pwned.md" in log


def markdown_tokens(text: str):  # type: ignore[no-untyped-def]
    md = MarkdownIt("commonmark").enable(["table", "linkify"] if _has_linkify() else "table")
    for tok in md.parse(text):
        yield tok
        yield from tok.children or []


def _has_linkify() -> bool:
    try:
        import linkify_it  # noqa: F401
    except ImportError:
        return False
    return True


OUR_TAGS = re.compile(r"</?(?:details|summary|b)(?: open)?>")


def assert_inert_markdown(text: str) -> None:
    for tok in markdown_tokens(text):
        assert tok.type != "image", tok.content
        if tok.type in ("html_inline", "html_block"):  # only the report's own folding tags
            assert "<" not in OUR_TAGS.sub("", tok.content), tok.content
        if tok.type == "link_open":
            assert "evil" not in str(tok.attrs.get("href")), tok.attrs
        if tok.type == "text":  # GitHub finds mentions in text, never inside code spans
            assert "@octocat" not in tok.content
        if tok.type in ("text", "code_inline"):
            assert not FORBIDDEN_IN_DISPLAY.search(tok.content)


def test_check_markdown_is_inert(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = run(corpus, monkeypatch, "check", "policies", "--format", "markdown")
    assert_inert_markdown(text)
    codes = {t.content for t in markdown_tokens(text) if t.type == "code_inline"}
    for name in HOSTILE_NAMES:  # each file name is one whole code span, backticks included
        assert display(rel(name)) in codes, name
    shown = lxml.html.fromstring(MarkdownIt("commonmark").enable("table").render(text))
    assert "![i](https://evil.example/t.png)" in shown.text_content()  # shown, as text


def test_report_markdown_is_inert(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_inert_markdown(run(corpus, monkeypatch, "report", "policies", "--format",
                              "markdown"))


def test_text_output_writes_no_terminal_controls(corpus: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    out = run(corpus, monkeypatch, "check", "policies", "-v", "--no-color")
    assert not FORBIDDEN_IN_DISPLAY.search(out)
    assert "\\x1b]0;pwned\\x07" in out  # shown, escaped


def test_html_report_shows_bidi_and_runs_nothing(corpus: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    page = run(corpus, monkeypatch, "report", "policies", "--format", "html")
    doc = lxml.html.fromstring(page)
    assert len(doc.xpath("//script")) == 1  # the report's own script only
    assert not doc.xpath("//*[@onerror]") and not doc.xpath("//img")
    assert not FORBIDDEN_IN_DISPLAY.search(doc.text_content())
    assert "report\\u202edm.txt.md" in doc.text_content()


def test_csv_cells_are_never_formulas(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import csv
    import io

    monkeypatch.chdir(corpus / "policies")  # file names as given: "=HYPERLINK(...)" first
    result = CliRunner().invoke(main, ["report", *HOSTILE_NAMES, "--format", "csv",
                                       "-c", "../privcheck.yaml"])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert len(rows) == len(HOSTILE_NAMES) + 1
    assert not [c for row in rows for c in row if c[:1] in ("=", "+", "-", "@")]
    assert "'=HYPERLINK(x,y).md" in [r[0] for r in rows]  # shown, as text


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_md_code_keeps_a_name_in_one_code_span(name: str) -> None:
    tokens = [t for t in markdown_tokens(md_code(name)) if t.type == "code_inline"]
    assert [t.content for t in tokens] == [display(name)]


@pytest.mark.parametrize("text", [*HOSTILE_NAMES, HOSTILE_TEXT, WAIVER_REASON])
def test_md_inline_renders_back_to_the_text(text: str) -> None:
    html = MarkdownIt("commonmark").render(md_inline(text))
    shown = lxml.html.fromstring(html).text_content().replace("\u2060", "")
    assert shown.strip() == display(" ".join(text.split()))
