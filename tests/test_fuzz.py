"""Property-based fuzzing with a small, fixed budget for CI (a few seconds in all): whatever the
bytes, loading a policy, rule pack, config, lexicon or baseline ends in a result or a
PrivcheckError (one line, exit 2), never another exception. `derandomize` keeps CI reproducible;
benchmarks/fuzz.py runs the same targets on a million inputs."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz_targets import FRAGMENTS, TARGETS, fuzz_reader, mutate, seeds

BUDGET = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow])


def mutated(kind: str) -> st.SearchStrategy[bytes]:
    """A valid seed of this kind with a few random edits (seeded by hypothesis)."""
    return st.builds(lambda seed, r: mutate(random.Random(r), seed),
                     st.sampled_from(seeds()[kind]), st.integers(0, 2**32))


fragments = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(
    lambda parts: "".join(parts).encode("utf-8", "surrogatepass"))
unicode_text = st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass"))


@BUDGET
@given(data=st.one_of(st.binary(max_size=400), unicode_text, fragments, mutated("reader")),
       ext=st.sampled_from([".md", ".html", ".txt", ""]))
def test_readers_never_crash(data: bytes, ext: str) -> None:
    fuzz_reader(data, ext, full=False)


@settings(BUDGET, max_examples=10)
@given(data=st.one_of(fragments, mutated("reader")), ext=st.sampled_from([".md", ".html"]))
def test_the_whole_check_never_crashes(data: bytes, ext: str) -> None:
    fuzz_reader(data, ext, full=True)


@BUDGET
@given(data=st.one_of(st.binary(max_size=200), fragments, mutated("rule_pack")))
def test_rule_packs_never_crash(data: bytes) -> None:
    TARGETS["rule_pack"](data)


@BUDGET
@given(data=st.one_of(st.binary(max_size=200), fragments, mutated("config")))
def test_configs_never_crash(data: bytes) -> None:
    TARGETS["config"](data)


@BUDGET
@given(data=st.one_of(st.binary(max_size=200), fragments, mutated("lexicon")))
def test_lexicons_never_crash(data: bytes) -> None:
    TARGETS["lexicon"](data)


@BUDGET
@given(data=st.one_of(st.binary(max_size=200), fragments, mutated("baseline")))
def test_baselines_never_crash(data: bytes) -> None:
    TARGETS["baseline"](data)
