"""The lean check path of issue 9 (cold start): what a short `privcheck check` run leaves out, and
proof that leaving it out changes no output byte.

- The configuration is plain dataclasses mirroring the pydantic schema that validates a file.
- Text output that is not going to a terminal is written without rich (PlainConsole).
- A warm run on one small policy imports none of the heavy modules below.
"""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from checker import records
from checker.checkfile import check_file
from checker.config import Config, Waiver, load_config_file
from checker.config_schema import ConfigSchema, WaiverSchema
from checker.errors import ConfigError
from checker.report import text as text_report
from checker.report import total_summary

ROOT = Path(__file__).resolve().parent.parent
ODD = "x\t\x07y\x1b[2Jz é 😀 ’ § ß ǅ K İ ſ"
POLICIES = sorted(p for p in (ROOT / "policies").iterdir() if p.suffix in (".md", ".txt"))
# Imported only when a run needs them; a warm `check` of one small Markdown policy, output
# piped and no configuration file, needs none of them.
DEFERRED = [
    "pydantic",  # the contract models (checker/models.py) and the config schema
    "checker.models", "checker.config_schema",
    "rich",  # text output on a terminal only
    "yaml",  # packs, lexicons and declarations come from the compiled-state cache
    "jsonschema", "lxml", "jinja2", "pathspec",
    "tempfile",  # writing a file (-o, a cache entry), never reading
    "difflib",  # "did you mean" in an error message
    "dateutil",  # dates in the common forms are read without it (checker/facts/dates.py)
    "multiprocessing", "subprocess",
]


def test_config_mirrors_the_schema_field_for_field() -> None:
    for plain, schema in ((Config, ConfigSchema), (Waiver, WaiverSchema)):
        fields = [f for f in dataclasses.fields(plain) if not f.name.startswith("_")]
        assert [f.name for f in fields] == list(schema.model_fields)
        made = plain(rule="r", reason="why") if plain is Waiver else plain()
        for f in fields:
            info = schema.model_fields[f.name]
            if info.is_required():
                assert f.default is dataclasses.MISSING
            else:
                default = info.default_factory() if info.default_factory else info.default
                assert getattr(made, f.name) == default, f.name


def test_a_config_file_s_values_are_pydantic_s(tmp_path: Path) -> None:
    path = tmp_path / "privcheck.yaml"
    path.write_text("max_size_mb: 2\nseverity: {core.contact: info}\nwaivers:\n"
                    "  - rule: core.contact\n    reason: later\n    expires: 2030-01-02\n",
                    encoding="utf-8")
    config = load_config_file(path)
    assert config.max_size_mb == 2.0 and isinstance(config.max_size_mb, float)
    assert config.severity == {"core.contact": records.Severity.INFO}
    assert isinstance(config.severity["core.contact"], records.Severity)
    assert config.waivers[0].expires.isoformat() == "2030-01-02"
    assert config.given("waivers") and not config.given("paths")
    dumped = config.model_dump(mode="json", exclude={"source"})
    assert dumped["waivers"] == [{"rule": "core.contact", "paths": "*", "reason": "later",
                                  "expires": "2030-01-02"}]
    assert "lines" not in dumped and "bundle_cwd" not in dumped and "_given" not in dumped
    assert list(dumped) == [n for n in ConfigSchema.model_fields
                            if n not in ("bundle_cwd", "lines", "source")]


@pytest.mark.parametrize("text, line, message", [
    ("max_size_mb: 0\n", 1, "max_size_mb: Input should be greater than 0"),
    ("packs: [core]\nfail_on: sometimes\n", 2, "fail_on: Input should be 'error'"),
    ("waivers:\n  - rule: a\n    reason: ok\n", 2, "waivers.0.reason: String should have at least"),
    ("select: [a]\nsurprise: 1\n", 2, "surprise: Extra inputs are not permitted"),
])
def test_a_bad_setting_is_one_line_with_file_and_line(
        tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "privcheck.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config_file(path)
    assert info.value.line == line and str(info.value.message).startswith(message)
    assert "\n" not in str(info.value)


def test_a_config_file_read_from_the_cache_is_the_one_parsed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from checker.facts import state_cache

    monkeypatch.setenv("PRIVCHECK_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "site"
    folder.mkdir()
    path = folder / "privcheck.yaml"
    path.write_text("rule_files: [my.yaml]\nseverity: {core.contact: info}\nmax_size_mb: 3\n"
                    "declare: {audience: general}\nwaivers:\n  - rule: core.contact\n"
                    "    reason: later\n    paths: [a/*.md]\n    expires: 2030-01-02\n",
                    encoding="utf-8")
    saved: list[str] = []
    real_save = state_cache.save
    monkeypatch.setattr(state_cache, "save", lambda key, *a, **k: (saved.append(key),
                                                                  real_save(key, *a, **k)))
    cold = load_config_file(path)
    warm = load_config_file(path)
    assert len(saved) == 1  # the first load wrote the entry, the second read it
    assert repr(warm) == repr(cold) and warm.model_dump() == cold.model_dump()
    assert isinstance(warm.severity["core.contact"], records.Severity)
    assert warm.waivers[0]._base == str(folder.resolve()) and warm.given("declare")
    assert warm.rule_files == [str(folder / "my.yaml")] and warm.line_of("waivers.0") == 6
    # A value JSON cannot hold is not cached (parsed every time, same result).
    path.write_text("declare: {since: 2020-01-01}\n", encoding="utf-8")
    assert load_config_file(path).declare == load_config_file(path).declare
    assert len(saved) == 1
    # A mistake is never cached: the same one-line error every time.
    path.write_text("max_size_mb: -1\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ConfigError, match="greater than 0"):
            load_config_file(path)


def _odd_policy(policy: records.PolicyReport) -> records.PolicyReport:
    """Control characters, a tab and non-ASCII where the renderer shows text unescaped."""
    odd = ODD
    first = policy.results[0].model_copy(update={"rule": "odd." + odd,
                                                 "status": records.Status.FAIL})
    return policy.model_copy(update={"path": "odd\u202e.md", "effective_date": odd,
                                     "results": [first, *policy.results[1:]],
                                     "redirects": ["https://e.example/" + odd]})


@pytest.fixture(scope="module")
def report(plan: Any) -> records.Report:
    policies = [check_file(str(p), plan) for p in POLICIES]
    policies.append(_odd_policy(policies[0]))
    errors = [records.InputError(path="gone.md", message="no such file")]
    return records.Report(privcheck="9.9", policies=policies, errors=errors,
                          summary=total_summary(policies, len(errors)))


@pytest.mark.parametrize("options", [{}, {"verbose": True}, {"quiet": True},
                                     {"color": False}])
def test_plain_text_is_what_rich_prints_when_piped(
        report: records.Report, options: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    plain = io.StringIO()
    console = text_report.text_console(plain, options.get("color"))
    assert isinstance(console, text_report.PlainConsole)
    text_report.render_text(report, plain, **options)
    monkeypatch.setattr(text_report, "text_console", text_report.rich_console)
    rich = io.StringIO()
    text_report.render_text(report, rich, **options)
    assert plain.getvalue() == rich.getvalue()
    assert "\t" not in rich.getvalue() and "\x07" not in rich.getvalue()  # rich's own cleaning
    assert len(plain.getvalue().splitlines()) > 20


@pytest.mark.parametrize("env, color, tty, styled", [
    ({}, None, False, False), ({}, False, False, False), ({}, True, False, True),
    ({}, None, True, True), ({"FORCE_COLOR": "1"}, None, False, True),
    ({"FORCE_COLOR": ""}, None, False, False), ({"TTY_COMPATIBLE": "1"}, False, False, True),
    ({"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"}, None, False, False),
])
def test_rich_is_used_exactly_when_it_would_style_or_wrap(
        env: dict[str, str], color: bool | None, tty: bool, styled: bool,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    class Out(io.StringIO):
        def isatty(self) -> bool:
            return tty

    console = text_report.text_console(Out(), color)
    rich = text_report.rich_console(Out(), color)
    assert rich.is_terminal == styled
    assert isinstance(console, Console) == (styled or tty)


@pytest.mark.parametrize("config, args", [(None, []), ("privcheck.yaml", []),
                                          ("pyproject.toml", []), (None, ["--no-cache"]),
                                          ("privcheck.yaml", ["--no-cache"])])
def test_a_warm_check_of_one_small_policy_imports_nothing_it_does_not_need(
        tmp_path: Path, config: str | None, args: list[str]) -> None:
    """What issue 9's cold start measures: `privcheck check policy.md`, output piped, cache warm,
    no configuration file (or an unchanged one: its checked settings are cached). Each module in
    DEFERRED is imported only where it is needed: on a results-cache hit, and with --no-cache
    (a check of the policy itself) too."""
    work = tmp_path / "work"
    work.mkdir()
    if config == "privcheck.yaml":
        (work / config).write_text("fail_on: warning\nseverity: {core.contact: info}\n"
                                   "waivers:\n  - rule: coppa.children-under-13\n"
                                   "    reason: not for children\n    expires: 2099-01-01\n",
                                   encoding="utf-8")
    elif config == "pyproject.toml":
        (work / config).write_text("[project]\nname = 'site'\n[tool.privcheck]\n"
                                   "ignore = ['coppa']\n", encoding="utf-8")
    policy = (ROOT / "policies" / "sample-compliant.md").read_text(encoding="utf-8")
    (work / "policy.md").write_text(policy, encoding="utf-8")
    code = ("import sys; from checker.cli import main\n"
            f"try:\n    main(['check', 'policy.md', *{args!r}])\nexcept SystemExit as e:\n"
            "    assert e.code in (0, 1), e.code\n"
            f"print('IMPORTED', [m for m in {DEFERRED!r} if m in sys.modules], file=sys.stderr)")
    env = dict(os.environ)  # the session's cache (conftest): warm after the first run
    for name in ("PRIVCHECK_ENGINE", "FORCE_COLOR", "TTY_COMPATIBLE", "GITHUB_ACTIONS",
                 "GITHUB_STEP_SUMMARY"):
        env.pop(name, None)
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           cwd=work, env=env, check=True) for _ in range(2)]
    assert runs[0].stdout == runs[1].stdout and "passed" in runs[1].stdout
    if config == "privcheck.yaml":
        assert "waived" in runs[1].stdout and "warning" in runs[1].stdout
    imported = runs[1].stderr.strip().splitlines()[-1]
    assert imported == "IMPORTED []"


def test_dates_in_the_common_forms_are_read_as_dateutil_reads_them() -> None:
    """quick_date answers only where it agrees with dateutil, on every English month name and
    abbreviation, impossible days, leap years and odd spacing; elsewhere dateutil decides."""
    from datetime import datetime

    from dateutil import parser

    from checker.facts.dates import parse_date, quick_date

    names = ["jan", "January", "FEB", "february", "Mar", "march", "apr", "April", "may", "Jun",
             "june", "jul", "July", "aug", "August", "sep", "Sept", "September", "oct",
             "October", "nov", "November", "dec", "December", "Marc", "Mayo", "Septem", "x"]
    cases = {form.format(m=m, d=d, y=y)
             for m in names for d in ("0", "1", "01", "9", "12", "13", "29", "30", "31", "32")
             for y in ("2019", "2020", "2024", "0000", "1900")
             for form in ("{m} {d} {y}", " {d}  {m} {y} ", "{m} {y}", "{y}-{d}-{d}",
                          "{y}-{d}-01", "{m}\u00a0{d} {y}", "{m}\t{d} {y}")}
    answered = 0
    for text in sorted(cases):
        quick = quick_date(text)
        if quick is None:
            continue
        answered += 1
        assert quick == parser.parse(text, default=datetime(2000, 1, 1)).date(), text
    assert answered > 1500
    assert quick_date("March\u00a04 2025") is None and quick_date("4.3.2025") is None
    assert str(parse_date("March 4th, 2025")) == "2025-03-04"
    assert str(parse_date("04.03.2015")) == "2015-03-04"  # dotted: day first, by dateutil


def test_a_closed_pipe_ends_plain_text_output_as_rich_ends_it() -> None:
    """`privcheck check policies/ | head -1`: PlainConsole flushes each line and, when the
    reader has gone, exits 1 with nothing on stderr, as rich's console does."""
    proc = subprocess.Popen([sys.executable, "-m", "checker.cli", "check", "-j", "1",
                             str(ROOT / "policies")], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=ROOT)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait() == 1 and err == b"" and b": " in first


def test_a_lazy_pattern_is_its_compiled_pattern_compiled_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """checker/lazy_re.py: what a module-level pattern of the path walker, the reader dispatch or
    the sanitiser answers is re.compile's answer; it is compiled on first use, and only once."""
    import re

    from checker import lazy_re

    calls: list[tuple[Any, ...]] = []
    real = re.compile
    monkeypatch.setattr(lazy_re.re, "compile", lambda *a: calls.append(a) or real(*a))
    lazy = lazy_re.LazyPattern(r"^#{1,6}\s+(\S+)", re.MULTILINE)
    assert calls == []
    text = "intro\n## Data we collect\n# Contact\n"
    eager = real(r"^#{1,6}\s+(\S+)", re.MULTILINE)
    assert [m.group(1) for m in lazy.finditer(text)] == ["Data", "Contact"]
    assert lazy.sub("-", text) == eager.sub("-", text) and lazy.pattern == eager.pattern
    assert len(calls) == 1
