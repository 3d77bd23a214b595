"""The results cache (checker/results_cache.py): a hit gives the bytes a fresh check gives, in
every format; every input of a result is part of the key (each change below is a miss); a
damaged entry, a file changed mid-check, an input error are never served; the folder is
bounded; `--no-cache` and PRIVCHECK_CACHE_DIR="" turn it off."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import checker.checkfile
from checker import results_cache
from checker.choices import FORMATS
from checker.cli import main
from tests.conftest import ROOT, SEEDS

POLICY = ("# Privacy Policy\n\nLast updated: March 4, 2025\n\n"
          "We collect your name and email address when you sign up for our newsletter.\n\n"
          "We do not sell your personal information to anyone.\n\n"
          "Write to privacy@example.org with any question about this policy.\n")
RULES = """pack: mine
title: Mine
rules:
  - id: mine.newsletter
    title: Newsletter
    severity: {severity}
    citation: House rule 1
    why: Readers should know about the newsletter.
    remedy: Say whether you send a newsletter.
    example: {{pass: "We send a newsletter.", fail: "We send nothing."}}
    require: {{fact: mine.newsletter}}
"""
LEXICON = """facts:
  mine.newsletter:
    title: Newsletter
    looks_for: a sentence about the newsletter
    all:
      - any: ['{word}']
"""


@pytest.fixture(autouse=True)
def _builtin_lexicons() -> Any:
    """A run under a configuration with lexicon_files changes the process's lexicons."""
    yield
    from checker.facts.lexicon import use_lexicon_files

    use_lexicon_files(())


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A results cache of this test's own (the compiled state stays the session's: building
    it afresh costs seconds)."""
    folder = tmp_path / "cache"
    monkeypatch.setattr(results_cache, "directory", lambda: folder / "results")
    return folder


class Counter:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = checker.checkfile.check_file

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(checker.checkfile, "check_file", counted)


def run(args: list[str], cwd: Path) -> tuple[int, str]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout


def entries(cache: Path) -> list[Path]:
    return sorted((cache / "results").glob("r-*.bin"))


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and samples in one folder for every format below (the same paths: the same
    fresh results)."""
    folder = tmp_path_factory.mktemp("work")
    for p in [*SEEDS[:2], *sorted((ROOT / "policies").glob("sample-*.md"))]:
        shutil.copy(p, folder / p.name)
    return folder


_FRESH: dict[tuple[str, bytes, str | None], Any] = {}


def checked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """check_file as it is, but run once per file (path and bytes) in this module: each call
    returns a copy of that fresh result. So every format's fresh run and cache-filling run
    below is a real check's result, without checking the six policies again per format."""
    import copy

    real = checker.checkfile.check_file

    def once(path: str, plan: Any, encoding: str | None = None) -> Any:
        key = (os.path.abspath(path), Path(path).read_bytes(), encoding)
        if key not in _FRESH:
            _FRESH[key] = real(path, plan, encoding)
        return copy.deepcopy(_FRESH[key])

    monkeypatch.setattr(checker.checkfile, "check_file", once)


@pytest.mark.parametrize("fmt", [*FORMATS, "jsonl"])
def test_a_hit_prints_the_bytes_a_fresh_check_prints(
        fmt: str, cache: Path, work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names = sorted(p.name for p in work.iterdir())
    args = ["check", "-j", "1", "--format", fmt, "-v", *names]
    checked_once(monkeypatch)
    counter = Counter(monkeypatch)
    first = run(args, work)
    assert counter.calls == len(names) and len(entries(cache)) == len(names)
    second = run(args, work)
    assert counter.calls == len(names)  # every policy from the cache
    fresh = run([*args, "--no-cache"], work)
    assert counter.calls == 2 * len(names)
    assert first == second == fresh
    assert len(first[1]) > 1000


def test_extra_report_files_from_a_hit_are_the_fresh_ones(
        cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "policy.md").write_text(POLICY, encoding="utf-8")
    files = {"--sarif": "r.sarif", "--junit": "r.xml", "--markdown": "r.md",
             "--json-file": "r.json"}
    outputs = []
    for extra in ([], [], ["--no-cache"]):
        args = ["check", "policy.md", *[a for k, v in files.items() for a in (k, v)], *extra]
        run(args, tmp_path)
        outputs.append({v: (tmp_path / v).read_bytes() for v in files.values()})
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(entries(cache)) == 1


SITE_CONFIG = "packs: [core]\nrule_files: [mine.yaml]\nlexicon_files: [words.yaml]\n"


@pytest.fixture(scope="module")
def site_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One path for every test's site: the compiled state of the user's lexicon is keyed by its
    path and content, so a site at a new path would pay a cold build of every lexicon."""
    return tmp_path_factory.mktemp("sites") / "site"


@pytest.fixture
def site(site_folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A policy, a user's rule pack and lexicon, and a configuration that loads them with the
    core pack only, checked with the `re` engine: a user's lexicon makes a compiled state of
    its own, which Hyperscan compiles in about ten times the time (the key, not the engine or
    the packs, is what the tests here are about; the engine's own change is tested below)."""
    monkeypatch.setenv("PRIVCHECK_ENGINE", "re")
    shutil.rmtree(site_folder, ignore_errors=True)
    site_folder.mkdir()
    (site_folder / "policy.md").write_text(POLICY, encoding="utf-8")
    (site_folder / "mine.yaml").write_text(RULES.format(severity="warning"), encoding="utf-8")
    (site_folder / "words.yaml").write_text(LEXICON.format(word="newsletter"), encoding="utf-8")
    (site_folder / "privcheck.yaml").write_text(SITE_CONFIG, encoding="utf-8")
    return site_folder


CHANGES: dict[str, Any] = {
    "the policy's bytes": lambda site, args, mp: (site / "policy.md").write_text(
        POLICY + "\nWe keep data for a year.\n", encoding="utf-8"),
    "a setting": lambda site, args, mp: (site / "privcheck.yaml").write_text(
        SITE_CONFIG + "severity: {core.contact: info}\n", encoding="utf-8"),
    "a user's rule file": lambda site, args, mp: (site / "mine.yaml").write_text(
        RULES.format(severity="error"), encoding="utf-8"),
    "a user's lexicon file": lambda site, args, mp: (site / "words.yaml").write_text(
        LEXICON.format(word="mailing list"), encoding="utf-8"),
    "--select": lambda site, args, mp: args.extend(["--select", "core"]),
    "--ignore": lambda site, args, mp: args.extend(["--ignore", "core.security"]),
    "--max-size": lambda site, args, mp: args.extend(["--max-size", "3"]),
    "--encoding": lambda site, args, mp: args.extend(["--encoding", "utf-8"]),
    "--offline": lambda site, args, mp: args.append("--offline"),
    "the run's date": lambda site, args, mp: mp.setenv("PRIVCHECK_TODAY", "2027-06-01"),
    "privcheck's version": lambda site, args, mp: (
        mp.setattr(results_cache, "__version__", "99.0"),
        results_cache._installation.cache_clear()),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_every_input_of_a_result_is_in_its_key(
        change: str, cache: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["check", "--format", "json", "policy.md"]
    counter = Counter(monkeypatch)
    run(list(args), site)
    run(list(args), site)
    assert counter.calls == 1
    CHANGES[change](site, args, monkeypatch)
    changed = run(list(args), site)
    assert counter.calls == 2, f"{change}: served from the cache"
    assert changed == run([*args, "--no-cache"], site)
    results_cache._installation.cache_clear()


def test_the_engine_asked_for_is_in_the_key(
        cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PRIVCHECK_ENGINE (the built-in lexicons only: their compiled states are the session's)."""
    monkeypatch.delenv("PRIVCHECK_ENGINE", raising=False)
    (tmp_path / "policy.md").write_text(POLICY, encoding="utf-8")
    args = ["check", "--format", "json", "policy.md"]
    counter = Counter(monkeypatch)
    first = run(args, tmp_path)
    assert run(args, tmp_path) == first and counter.calls == 1
    monkeypatch.setenv("PRIVCHECK_ENGINE", "re")
    changed = run(args, tmp_path)
    assert counter.calls == 2, "served from the cache"
    assert changed == run([*args, "--no-cache"], tmp_path) == first  # the engines agree


def test_a_policy_under_another_folder_s_configuration_has_that_configuration_s_key(
        cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same bytes under two configurations (the nearest to each file) are two entries."""
    for name, severity in (("a", "info"), ("b", "error")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "policy.md").write_text(POLICY, encoding="utf-8")
        (folder / "privcheck.yaml").write_text(f"severity: {{core.contact: {severity}}}\n",
                                               encoding="utf-8")
    counter = Counter(monkeypatch)
    args = ["check", "-j", "1", "--format", "json", "a/policy.md", "b/policy.md"]
    first = run(args, tmp_path)
    assert counter.calls == 2 and len(entries(cache)) == 2, first
    assert run(args, tmp_path) == first and counter.calls == 2


def test_the_code_and_data_of_privcheck_are_in_the_key(tmp_path: Path) -> None:
    """A change to any module, pack or lexicon of the installation is a new fingerprint; its
    bytecode caches are not part of it."""
    import hashlib

    copy = tmp_path / "checker"
    shutil.copytree(ROOT / "checker", copy, ignore=shutil.ignore_patterns("__pycache__"))

    def digest() -> str:
        h = hashlib.sha256()
        results_cache._digest_tree(h, copy)
        return h.hexdigest()

    base = digest()
    (copy / "__pycache__").mkdir(exist_ok=True)
    (copy / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    assert digest() == base
    for rel in ("engine.py", "facts/lexicons/choice.yaml"):
        path = copy / rel
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert digest() != base, rel
        path.write_bytes(original)
    assert digest() == base


def test_the_installation_s_stamp_is_trusted_only_while_every_file_is_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The content digest of the code and data is kept under a stamp of their sizes, times and
    inodes: an edit of a lexicon or a rule pack (even one of the same length), a new or removed
    file, a library's changed stamp, a damaged stamp: each is hashed again and gives the
    digest of the new content; a file changed within the last seconds is never stamped."""
    import time

    package, rules = tmp_path / "checker", tmp_path / "rules"
    shutil.copytree(ROOT / "checker", package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "rules", rules)
    old = time.time_ns() - 60 * 10**9
    for root in (package, rules):
        for p in root.rglob("*"):
            os.utime(p, ns=(old, old))
    monkeypatch.setattr(results_cache, "_roots", lambda: [package, rules])
    monkeypatch.setattr(results_cache, "directory", lambda: tmp_path / "results")
    real = results_cache._content_digest
    hashed: list[str] = []

    def content(*args: Any) -> str:
        hashed.append(real(*args))
        return hashed[-1]

    monkeypatch.setattr(results_cache, "_content_digest", content)

    def installation() -> str:
        results_cache._installation.cache_clear()
        return results_cache._installation()

    def truth() -> str:
        return real([package, rules], results_cache._library_stamps())

    first = installation()
    assert hashed == [first] == [truth()]
    [marker] = (tmp_path / "results").glob("install-*")
    assert installation() == first and len(hashed) == 1  # from the stamp
    seen = {first}

    def edit(path: Path, data: bytes, settled: bool = True) -> str:
        path.write_bytes(data)
        if settled:
            os.utime(path, ns=(old + len(hashed) * 10**9,) * 2)
        count = len(hashed)
        digest = installation()
        assert len(hashed) == count + 1 and digest == truth(), path
        return digest

    lexicon = package / "facts" / "lexicons" / "choice.yaml"
    text = lexicon.read_bytes()
    seen = [first, edit(lexicon, text.replace(b"a", b"e", 1))]  # the same length
    pack = next(rules.glob("*.yaml"))
    seen.append(edit(pack, pack.read_bytes() + b"\n"))
    seen.append(edit(package / "new.py", b"x = 1\n"))
    assert len(set(seen)) == len(seen)
    (package / "new.py").unlink()  # the files, stats and content of two edits ago: its stamp
    assert installation() == seen[-2] == truth()
    count = len(hashed)
    next(p for p in lexicon.parent.glob("*.yaml") if p != lexicon).unlink()
    assert installation() == truth() not in seen and len(hashed) == count + 1
    # Just changed: hashed now and on the next run too (no stamp while the clock could lie).
    count = len(hashed)
    changed = edit(lexicon, text.replace(b"a", b"o", 1), settled=False)
    assert changed not in seen
    assert installation() == changed and len(hashed) == count + 2
    # A damaged stamp, a library's stamp that no longer holds: hashed again.
    os.utime(lexicon, ns=(old, old))
    digest = installation()
    [marker] = [m for m in (tmp_path / "results").glob("install-*")
                if m.read_text().split("\n")[1] == digest]
    for damaged in (b"", marker.read_bytes()[:-5], marker.read_bytes().replace(b"\t", b"\t9", 1)):
        marker.write_bytes(damaged)
        count = len(hashed)
        assert installation() == digest and len(hashed) == count + 1


def test_a_damaged_or_foreign_entry_is_a_miss_and_is_replaced(
        cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "policy.md").write_text(POLICY, encoding="utf-8")
    args = ["check", "--format", "json", "policy.md"]
    counter = Counter(monkeypatch)
    good = run(args, tmp_path)
    [entry] = entries(cache)
    raw = entry.read_bytes()
    middle = len(raw) // 2
    flipped = raw[:middle] + bytes([raw[middle] ^ 1]) + raw[middle + 1:]
    for damaged in (raw[:-7], flipped, b"", b"privcheck-state 1\n"):
        entry.write_bytes(damaged)
        assert run(args, tmp_path) == good
        assert entry.read_bytes() == raw  # rebuilt and written again
    assert counter.calls == 5


def test_no_cache_neither_reads_nor_writes(
        cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "policy.md").write_text(POLICY, encoding="utf-8")
    args = ["check", "--format", "json", "policy.md"]
    run([*args, "--no-cache"], tmp_path)
    assert entries(cache) == []
    run(args, tmp_path)
    [entry] = entries(cache)
    # An entry that is well formed for its key but says something else: a hit shows it (so
    # the entry is what is read), --no-cache does not.
    key = entry.name[2:-4]
    full_key = entry.read_bytes().split(b"\n")[1].decode()
    assert full_key.startswith(key)
    policy = results_cache.load(full_key)
    assert policy is not None
    planted = policy.model_copy(update={"effective_date": "1999-12-31"})
    results_cache.save(full_key, planted)
    assert "1999-12-31" in run(args, tmp_path)[1]
    assert "1999-12-31" not in run([*args, "--no-cache"], tmp_path)[1]


def test_an_empty_cache_dir_setting_turns_the_cache_off(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRIVCHECK_CACHE_DIR", "")
    (tmp_path / "policy.md").write_text(POLICY, encoding="utf-8")
    assert results_cache.directory() is None
    counter = Counter(monkeypatch)
    for _ in range(2):
        run(["check", "policy.md"], tmp_path)
    assert counter.calls == 2


def test_input_errors_are_never_cached(
        cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "empty.md").write_text("  \n", encoding="utf-8")
    counter = Counter(monkeypatch)
    for _ in range(2):
        code, _out = run(["check", "empty.md"], tmp_path)
        assert code == 2
    assert counter.calls == 2 and entries(cache) == []


def test_a_file_changed_while_it_is_checked_is_not_cached(
        cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "policy.md"
    path.write_text(POLICY, encoding="utf-8")
    real = checker.checkfile.check_file

    def editing(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        path.write_text(POLICY + "\nEdited.\n", encoding="utf-8")
        return result

    monkeypatch.setattr(checker.checkfile, "check_file", editing)
    run(["check", "policy.md"], tmp_path)
    assert entries(cache) == []


def test_a_configuration_that_makes_no_plan_is_still_the_run_s_error(
        cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The plan is built lazily on a warm cache, but only for inputs that made one before: a
    configuration naming an unknown pack fails the run at once, as without a cache."""
    (tmp_path / "policy.md").write_text(POLICY, encoding="utf-8")
    run(["check", "policy.md"], tmp_path)
    assert len(entries(cache)) == 1
    (tmp_path / "privcheck.yaml").write_text("packs: [nope]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # the run's own configuration is found from the working folder
    result = CliRunner().invoke(main, ["check", "policy.md"])
    assert result.exit_code == 2 and "unknown pack 'nope'" in result.stderr
    assert result.stdout == ""


def test_the_folder_is_bounded_least_recently_used_first(tmp_path: Path) -> None:
    folder = tmp_path / "results"
    folder.mkdir()
    for i in range(12):
        entry = folder / f"r-{i:02d}.bin"
        entry.write_bytes(b"x" * 100)
        os.utime(entry, ns=(i * 10**9, i * 10**9))
    os.utime(folder / "r-00.bin")  # used just now
    (folder / "plan-x").write_text("x")
    # By count: past 10, down to 8 (PRUNE_TO), the oldest first.
    assert results_cache.prune(folder, most=10) == 4
    left = sorted(p.name for p in folder.iterdir())
    assert left == ["plan-x", "r-00.bin", *(f"r-{i:02d}.bin" for i in range(5, 12))]
    assert results_cache.prune(folder, most=10) == 0
    # By size: past 500 bytes, down to 400.
    assert results_cache.prune(folder, most=100, most_bytes=500) == 4
    left = sorted(p.name for p in folder.iterdir())
    assert left == ["plan-x", "r-00.bin", "r-09.bin", "r-10.bin", "r-11.bin"]


def test_a_hit_builds_no_plan_and_imports_no_reader_or_matcher(tmp_path: Path) -> None:
    """`privcheck check policy.md` on an unchanged file: no markdown-it, lxml, YAML, matcher,
    lexicons, rules or engine; an edited file is a miss that checks it (and imports them)."""
    (tmp_path / "policy.md").write_text(POLICY, encoding="utf-8")
    heavy = ["markdown_it", "lxml", "yaml", "pydantic", "rich", "checker.engine",
             "checker.checkfile", "checker.facts", "checker.facts.matcher",
             "checker.facts.lexicon", "checker.rules", "checker.readers.markdown",
             "checker.document", "hyperscan"]
    code = ("import sys; from checker.cli import main\n"
            "try:\n    main(['check', 'policy.md'])\nexcept SystemExit as e:\n"
            "    assert e.code in (0, 1), e.code\n"
            f"print('IMPORTED', [m for m in {heavy!r} if m in sys.modules], file=sys.stderr)")
    env = dict(os.environ)  # the session's cache: the compiled state is warm after one run
    for name in ("PRIVCHECK_ENGINE", "FORCE_COLOR", "TTY_COMPATIBLE", "GITHUB_ACTIONS",
                 "GITHUB_STEP_SUMMARY"):
        env.pop(name, None)

    def once() -> tuple[str, str]:
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              cwd=tmp_path, env=env, check=True)
        return proc.stdout, proc.stderr.strip().splitlines()[-1]

    miss = once()
    assert "markdown_it" in miss[1] and "checker.engine" in miss[1]
    hit = once()
    assert hit == (miss[0], "IMPORTED []")
    # The console script (checker/entry.py, run as the script runs it) on the same hit: the same
    # output, and not even click or the command modules are imported.
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "checker.entry", "check",
                           "policy.md"], capture_output=True, text=True, cwd=tmp_path, env=env)
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines()
                if line.startswith("import time:")}
    assert proc.returncode in (0, 1) and proc.stdout == hit[0]
    assert "checker.results_cache" in imported
    assert [m for m in [*heavy, "click", "checker.cli", "checker.runner"] if m in imported] == []
    assert not any(m.startswith("checker.commands") for m in imported)
    (tmp_path / "policy.md").write_text(POLICY + "\nWe never sell data.\n", encoding="utf-8")
    assert "markdown_it" in once()[1]


# ---- the console script's quick path (checker/entry.py) --------------------------------------

def quick(argv: list[str], cwd: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int | None,
                                                                                    str]:
    from checker.entry import quick_check

    old = os.getcwd()
    os.chdir(cwd)
    try:
        capsys.readouterr()
        code = quick_check(argv)
    finally:
        os.chdir(old)
    out = capsys.readouterr()
    assert out.err == ""
    return code, out.out


def test_the_quick_path_prints_the_bytes_and_exit_code_of_the_full_command(
        cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """`privcheck check FILE...` from the cache without click: the same report (text: piped,
    so no colour) and the same exit code as `check`, for policies that pass and fail, alone
    and together, under the defaults and under a configuration (fail_on, a waiver)."""
    work = tmp_path / "work"
    work.mkdir()
    for p in [*SEEDS[:2], *sorted((ROOT / "policies").glob("sample-*.md"))]:
        shutil.copy(p, work / p.name)
    names = sorted(p.name for p in work.iterdir())
    counter = Counter(monkeypatch)
    for files in [[name] for name in names] + [names]:
        if len(files) == 1:  # a miss: left to the full path, which caches it
            assert quick(["check", *files], work, capsys) == (None, "")
        full = run(["check", *files], work)
        calls = counter.calls
        assert quick(["check", *files], work, capsys) == full, files
        assert counter.calls == calls  # nothing checked afresh
    assert {run(["check", name], work)[0] for name in names} == {0, 1}  # both kinds seen
    (work / "privcheck.yaml").write_text(
        "fail_on: warning\nwaivers:\n  - {rule: core.contact, reason: on the contact page}\n",
        encoding="utf-8")
    full = run(["check", *names], work)
    assert "waived" in full[1]
    assert quick(["check", *names], work, capsys) == full


def test_the_quick_path_leaves_everything_else_to_the_full_command(
        cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Options, folders, globs, missing files, standard input, GitHub Actions, a configuration
    whose plan was never made: None, and nothing written."""
    (tmp_path / "policy.md").write_text(POLICY, encoding="utf-8")
    assert run(["check", "policy.md"], tmp_path)[0] in (0, 1)
    assert quick(["check", "policy.md"], tmp_path, capsys)[0] is not None  # a hit
    for argv in (["check", "-v", "policy.md"], ["check", "policy.md", "--format", "json"],
                 ["check", "."], ["check", "*.md"], ["check", "none.md"], ["check", "-"],
                 ["check"], ["report", "policy.md"], ["check", "policy.md", "--"]):
        assert quick(argv, tmp_path, capsys) == (None, ""), argv
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GITHUB_ACTIONS", "true")
        assert quick(["check", "policy.md"], tmp_path, capsys) == (None, "")
    with pytest.MonkeyPatch.context() as mp:  # the cache turned off (PRIVCHECK_CACHE_DIR="")
        mp.setattr(results_cache, "directory", lambda: None)
        assert quick(["check", "policy.md"], tmp_path, capsys) == (None, "")
    (tmp_path / "privcheck.yaml").write_text("packs: [nope]\n", encoding="utf-8")
    assert quick(["check", "policy.md"], tmp_path, capsys) == (None, "")
