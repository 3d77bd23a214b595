"""The on-disk cache of the prefilter's pattern analysis: same answers, never required."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.facts.lexicon import FLAGS, LEXICON_DIR, load_lexicon
from checker.facts.literal_cache import LiteralCache
from checker.facts.prefilter import parse_literals


def _literals(lexicon) -> dict[str, object]:  # type: ignore[no-untyped-def]
    out = {}
    for fact in lexicon.facts.values():
        for group in fact.groups:
            if group.pattern is not None:
                out.update({b.source: b.literals for b in group.pattern.branches})
    return out


def test_cached_analysis_equals_a_fresh_one(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRIVCHECK_CACHE_DIR", str(tmp_path))
    first = _literals(load_lexicon())  # parses everything and writes the cache
    files = list(tmp_path.glob("literals-*.json"))
    assert len(files) == 1
    second = _literals(load_lexicon())  # reads it back
    assert first == second
    for source, literals in list(second.items())[:50]:
        assert literals == parse_literals(source, FLAGS)


def test_cache_can_be_off_or_unwritable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRIVCHECK_CACHE_DIR", "")
    assert load_lexicon().facts  # no cache at all
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("PRIVCHECK_CACHE_DIR", str(blocker / "sub"))
    assert load_lexicon().facts  # cannot write: simply not kept


def test_a_changed_lexicon_gets_a_new_cache_key(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRIVCHECK_CACHE_DIR", str(tmp_path / "cache"))
    copy = tmp_path / "lexicons"
    copy.mkdir()
    for path in LEXICON_DIR.glob("*.yaml"):
        (copy / path.name).write_text(path.read_text())
    LiteralCache(copy.glob("*.yaml")).save()
    key = LiteralCache(sorted(copy.glob("*.yaml")))._path
    (copy / "dnt.yaml").write_text((copy / "dnt.yaml").read_text() + "\n# edited\n")
    assert LiteralCache(sorted(copy.glob("*.yaml")))._path != key


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '{"x": 5}'])
def test_a_damaged_cache_file_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         content: str) -> None:
    monkeypatch.setenv("PRIVCHECK_CACHE_DIR", str(tmp_path))
    path = LiteralCache(sorted(LEXICON_DIR.glob("*.yaml")))._path
    assert path is not None
    path.write_text(content)
    assert _literals(load_lexicon()) == _literals(load_lexicon())
    assert LiteralCache(sorted(LEXICON_DIR.glob("*.yaml"))).get("x") == (False, None)
