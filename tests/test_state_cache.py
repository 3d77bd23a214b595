"""The on-disk cache of compiled lexicon state: same answers, never required, never trusted
blindly (a damaged, foreign or well-formed but wrong entry is ignored and rebuilt)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checker.facts import state_cache
from checker.facts.lexicon import LEXICON_DIR, load_state
from checker.facts.matcher import available_engines, engine_name
from checker.readers import parse_policy

POLICY = """# Privacy Policy

We collect your name, email address and phone number when you register.
We do not respond to Do Not Track signals from your browser.
We share your information with advertising partners and analytics providers.
You may review and change your personal information by emailing privacy@acme.example.org.
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh cache directory; the re engine (its state is built in a fraction of the time,
    and the cache's checks do not depend on the engine) unless a test asks for hyperscan."""
    directory = tmp_path / "cache"
    monkeypatch.setenv("PRIVCHECK_CACHE_DIR", str(directory))
    monkeypatch.setenv("PRIVCHECK_ENGINE", "re")
    return directory


def _facts(state) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """What the state finds in the policy: fact ids, values and quotes."""
    doc = parse_policy("p.md", POLICY)
    matches = state.engine.document([s.text for s in doc.sentences])
    out = {}
    for fid, fact in state.lexicon.facts.items():
        lists = [g.pattern for g in fact.groups if g.pattern] + [p for _, p in fact.values]
        out[fid] = [sorted(matches.hits(p)) for p in lists]
    return out


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("state-*.bin"))


@pytest.mark.parametrize("engine", available_engines())
def test_a_warm_cache_gives_the_same_state(cache: Path, engine: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRIVCHECK_ENGINE", engine)
    cold = load_state()
    assert cold.engine.name == engine
    assert len(_entries(cache)) == 1
    warm = load_state()
    assert warm.lexicon.branches == cold.lexicon.branches
    assert warm.lexicon.facts == cold.lexicon.facts
    assert warm.entities == cold.entities and warm.language == cold.language
    assert _facts(warm) == _facts(cold)


def test_no_cache_directory_means_no_cache(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRIVCHECK_CACHE_DIR", "")
    assert state_cache.cache_dir() is None
    assert load_state().lexicon.facts


def test_the_default_directory_comes_from_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv("PRIVCHECK_CACHE_DIR")
    assert state_cache.cache_dir() == Path(platformdirs.user_cache_dir("privcheck",
                                                                       appauthor=False))


def test_an_unwritable_cache_is_simply_not_kept(cache: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("PRIVCHECK_CACHE_DIR", str(blocker / "sub"))
    assert load_state().lexicon.facts


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_a_damaged_entry_is_ignored_and_rebuilt(cache: Path, damage: str) -> None:
    expected = _facts(load_state())
    (entry,) = _entries(cache)
    raw = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(raw[: len(raw) // 2])
    elif damage == "flip":
        middle = len(raw) // 2
        entry.write_bytes(raw[:middle] + bytes([raw[middle] ^ 0xFF]) + raw[middle + 1:])
    elif damage == "garbage":
        entry.write_bytes(b"\x00" * 100)
    else:
        entry.write_bytes(b"")
    assert _facts(load_state()) == expected
    assert entry.read_bytes() == raw  # rebuilt and written back whole


def test_a_well_formed_but_wrong_entry_changes_no_verdict(cache: Path, tmp_path: Path) -> None:
    """An intact entry built from other lexicons, put where this run's entry belongs (a stale
    copy, a key collision, a hand-edited cache), is refused: its key is not this run's."""
    expected = _facts(load_state())
    (entry,) = _entries(cache)
    # Other lexicons: the built-in ones with one fact reduced to a pattern that never matches.
    other = tmp_path / "lexicons"
    shutil.copytree(LEXICON_DIR, other)
    security = other / "security.yaml"
    security.write_text(security.read_text(encoding="utf-8").replace(
        "facts:", "facts:\n  x.never:\n    title: Never\n    looks_for: nothing\n"
        "    all:\n      - any: 'zzzqqqzzz'\n", 1), encoding="utf-8")
    load_state(directory=other)
    wrong = next(p for p in _entries(cache) if p != entry)
    shutil.copyfile(wrong, entry)  # well-formed, digest intact, but built from other files
    state = load_state()
    assert "x.never" not in state.lexicon.facts
    assert _facts(state) == expected


def test_an_entry_with_a_consistent_digest_but_wrong_shape_is_rebuilt(cache: Path) -> None:
    expected = _facts(load_state())
    (entry,) = _entries(cache)
    key = entry.read_bytes()[len(state_cache.MAGIC):].split(b"\n", 1)[0].decode()
    data, blobs = state_cache.load(key)  # type: ignore[misc]
    data["facts"][0]["groups"][0][0] = [10**9]  # a branch that does not exist
    state_cache.save(key, data, blobs)
    assert _facts(load_state()) == expected


def test_the_key_covers_every_lexicon_file_and_the_engine(tmp_path: Path) -> None:
    files = sorted(LEXICON_DIR.glob("*.yaml"))
    key = state_cache.state_key(files, engine_name(), "1")
    assert state_cache.state_key(files, "re", "1") != state_cache.state_key(files, "hyperscan", "1")
    assert state_cache.state_key(files, engine_name(), "2") != key
    copy = tmp_path / "entities.yaml"
    copy.write_bytes((LEXICON_DIR / "entities.yaml").read_bytes() + b"\n# changed\n")
    changed = [copy if p.name == "entities.yaml" else p for p in files]
    assert state_cache.state_key(changed, engine_name(), "1") != key


def _fresh_builtin_rules():  # type: ignore[no-untyped-def]
    from checker.rules import builtin_rules

    builtin_rules.cache_clear()
    try:
        return builtin_rules()
    finally:
        builtin_rules.cache_clear()


def _parsed_rules():  # type: ignore[no-untyped-def]
    """The built-in packs parsed from their YAML, bypassing the cache."""
    from checker.builtin import rules_dir
    from checker.rules import RuleSet, load_pack

    ruleset = RuleSet()
    for path in sorted(rules_dir().glob("*.yaml")):
        if path.name != "declarations.yaml":
            load_pack(path, ruleset, trusted=True)
    return ruleset


def test_the_rule_packs_are_cached_and_restored_equal(cache: Path) -> None:
    before = set(_entries(cache))
    cold = _fresh_builtin_rules()
    added = set(_entries(cache)) - before
    assert len(added) >= 1  # the rules' entry (and the lexicons' on a cold cache)
    warm = _fresh_builtin_rules()
    assert warm == cold == _parsed_rules()
    assert list(warm.rules) == list(cold.rules)  # the packs' order is the report's order


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_a_damaged_rules_entry_is_ignored_and_rebuilt(cache: Path, damage: str) -> None:
    load_state()
    lexicon_entries = set(_entries(cache))
    expected = _fresh_builtin_rules()
    (entry,) = set(_entries(cache)) - lexicon_entries
    raw = entry.read_bytes()
    entry.write_bytes(raw[: len(raw) // 2] if damage == "truncate" else b"\x00" * 64)
    assert _fresh_builtin_rules() == expected
    assert entry.read_bytes() == raw


def test_a_rules_entry_of_the_wrong_shape_is_rebuilt(cache: Path) -> None:
    load_state()
    lexicon_entries = set(_entries(cache))
    expected = _fresh_builtin_rules()
    (entry,) = set(_entries(cache)) - lexicon_entries
    key = entry.read_bytes()[len(state_cache.MAGIC):].split(b"\n", 1)[0].decode()
    data, blobs = state_cache.load(key)  # type: ignore[misc]
    data["rules"][0]["severity"] = "catastrophic"
    state_cache.save(key, data, blobs)
    assert _fresh_builtin_rules() == expected


def test_the_rules_key_follows_the_pack_files(cache: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Another rules folder (a changed pack) gets its own entry, never the old one's rules."""
    import checker.rules as rules_module
    from checker.builtin import rules_dir

    expected = _fresh_builtin_rules()
    other = tmp_path / "rules"
    shutil.copytree(rules_dir(), other)
    core = other / "core.yaml"
    text = core.read_text(encoding="utf-8")
    first = next(r for r in expected.rules.values() if r.pack == "core")
    core.write_text(text.replace(first.title, first.title + " (changed)", 1), encoding="utf-8")
    monkeypatch.setattr(rules_module, "rules_dir", lambda: other)
    changed = _fresh_builtin_rules()
    assert changed.rules[first.id].title == first.title + " (changed)"


def test_the_declarations_are_cached_and_restored_equal(cache: Path) -> None:
    from checker.builtin import declarations, rules_dir
    from checker.errors import ConfigError
    from checker.yamlfile import YamlFile

    parsed = YamlFile.load(rules_dir() / "declarations.yaml", ConfigError).data
    declarations.cache_clear()
    try:
        assert declarations() == parsed  # cold: parsed, then written
        declarations.cache_clear()
        assert declarations() == parsed  # warm: from the entry
    finally:
        declarations.cache_clear()


def test_a_warm_run_without_configuration_parses_no_yaml(cache: Path, tmp_path: Path) -> None:
    """The cold start of issue 9: with the cache warm and no configuration file, packs,
    lexicons and declarations all come from the cache, so PyYAML is never imported."""
    import os
    import subprocess
    import sys

    work = tmp_path / "work"
    work.mkdir()
    (work / "policy.md").write_text(POLICY, encoding="utf-8")
    code = ("import sys; from click.testing import CliRunner; from checker.cli import main; "
            "r = CliRunner().invoke(main, ['check', '-q', 'policy.md']); "
            "assert r.exit_code in (0, 1), r.output; "
            "print('yaml' in sys.modules)")
    env = {**os.environ, "PRIVCHECK_CACHE_DIR": str(cache)}
    env.pop("PRIVCHECK_ENGINE", None)
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, cwd=work, env=env).stdout.strip() for _ in range(2)]
    assert runs == ["True", "False"]  # the first run builds the cache, the second reads it
