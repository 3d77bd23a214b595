"""What the fuzzers feed and what counts as a bug, shared by tests/test_fuzz.py (hypothesis, a
small budget in CI) and benchmarks/fuzz.py (a million inputs).

Each target takes raw bytes as a user could supply them (a policy file, a rule pack, a config, a
lexicon, a baseline) and runs the real loading code on them. A PrivcheckError is the contract's
answer to bad input (one line, exit 2); any other exception is a bug.
"""

from __future__ import annotations

import contextlib
import os
import random
import tempfile
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path

from checker.errors import PrivcheckError

ROOT = Path(__file__).resolve().parent.parent
_SCRATCH = Path(tempfile.mkdtemp(prefix="privcheck-fuzz-",
                                 dir="/dev/shm" if os.path.isdir("/dev/shm") else None))

CONFIG_SEED = """\
fail_on: warning
packs: [caloppa, coppa, core, shine-the-light]
select: [caloppa, core.contact]
ignore: [coppa.parental-consent]
severity:
  caloppa.do-not-track: warning
declare:
  collects_from_children: false
  california_customers: true
waivers:
  - rule: caloppa.do-not-track
    paths: "policies/*.md"
    reason: Legacy policy (LEGAL-1)
    expires: 2026-12-31
max_size_mb: 5
"""
LEXICON_SEED = """\
terms:
  data: "(?:personal )?(?:information|data)"
facts:
  fuzz.sells-data:
    title: Sells data
    looks_for: a sentence saying the site sells personal information
    patterns:
      - "we (?:do not )?sell (?:your )?{data}"
      - "sale of {data}"
    near: ["third part(?:y|ies)"]
"""
FRAGMENTS = [
    "# Privacy Policy\n", "## Do Not Track\n", "<html><body>", "</div>", "<p>", "<br><br>",
    "<!-- privcheck-ignore caloppa.do-not-track: reason -->", "<!-- privcheck-ignore",
    "- item\n", "  - nested\n", "1. first\n", "> quote\n", "| a | b |\n|---|---|\n", "**bold**",
    "[link](https://example.com)", "We do not sell your personal information. ",
    "Effective date: March 4, 2025. ", "Contact privacy@example.com. ", "U.S. ", "e.g. ",
    "\n\n", "   ", "\t", "\u202e", "\x1b[2J", "&amp;", "&#x0;", "<![CDATA[", "<script>", "`",
    "{", "}", "[", "]", ": ", "- ", "!!python/object/apply:os.system", "*anchor", "&anchor ",
    "2026-02-30", "null", "~", "'", '"', "\\", "\x00", "\ufeff", "\r\n",
]


@cache
def seeds() -> dict[str, list[bytes]]:
    """Valid inputs of each kind, from the repository: what mutations start from."""
    policies = sorted((ROOT / "policies").glob("*"))
    return {
        "reader": [p.read_bytes() for p in policies if p.is_file()],
        "rule_pack": [p.read_bytes() for p in sorted((ROOT / "rules").glob("*.yaml"))
                      if p.name != "declarations.yaml"],
        "config": [CONFIG_SEED.encode()],
        "lexicon": [LEXICON_SEED.encode()],
        "baseline": [baseline_seed()],
    }


def baseline_seed() -> bytes:
    import json

    entry = {"path": "policies/a.md", "rule": "caloppa.do-not-track", "severity": "error",
             "fingerprint": "0123456789abcdef"}
    return json.dumps({"privcheck_baseline": 1, "created_by": "privcheck 0.1.0",
                       "failures": [entry, {**entry, "rule": "core.contact"}]},
                      indent=2).encode()


def mutate(rng: random.Random, data: bytes, rounds: int | None = None) -> bytes:
    """A few random edits: flip, insert a fragment or random bytes, delete, duplicate, splice."""
    buf = bytearray(data)
    for _ in range(rounds if rounds is not None else rng.randint(1, 8)):
        op = rng.randrange(7)
        pos = rng.randint(0, len(buf))
        if op == 0 and buf:
            buf[min(pos, len(buf) - 1)] = rng.randrange(256)
        elif op == 1:
            buf[pos:pos] = rng.choice(FRAGMENTS).encode("utf-8", "surrogatepass")
        elif op == 2:
            buf[pos:pos] = rng.randbytes(rng.randint(1, 16))
        elif op == 3:
            del buf[pos:pos + rng.randint(1, 64)]
        elif op == 4:
            chunk = bytes(buf[pos:pos + rng.randint(1, 128)])
            buf[pos:pos] = chunk * rng.randint(1, 8)
        elif op == 5:
            buf[pos:pos] = "".join(chr(rng.randint(1, 0x2FFFF)) for _ in range(
                rng.randint(1, 8))).encode("utf-8", "surrogatepass")
        else:
            buf = buf[:pos]
    return bytes(buf)


def _file(name: str, data: bytes) -> str:
    path = _SCRATCH / f"{os.getpid()}-{name}"
    path.write_bytes(data)
    return str(path)


@cache
def _plan():  # type: ignore[no-untyped-def]
    from checker.config import Config
    from checker.engine import make_plan

    return make_plan(Config(), today=date(2026, 1, 1))


def fuzz_reader(data: bytes, ext: str = ".md", full: bool = True) -> None:
    """A policy file: decode, sniff, read, and (full) check it against every rule."""
    from checker.engine import check_document
    from checker.readers import decode, parse_policy

    path = f"policy{ext}"
    try:
        doc = parse_policy(path, decode(path, data))
        if full:
            check_document(doc, _plan())
    except PrivcheckError:
        pass


def fuzz_rule_pack(data: bytes) -> None:
    from checker.rules import load_pack

    with contextlib.suppress(PrivcheckError):
        load_pack(_file("pack.yaml", data))


def fuzz_config(data: bytes) -> None:
    from checker.config import load_config_file
    from checker.engine import make_plan

    try:
        config = load_config_file(_file("privcheck.yaml", data))
        if not config.rule_files and not config.lexicon_files:  # not files the fuzzer named
            make_plan(config, today=date(2026, 1, 1))
    except PrivcheckError:
        pass


def fuzz_lexicon(data: bytes) -> None:
    """A user lexicon: loaded and compiled on its own folder (built-in terms not included)."""
    from checker.facts.lexicon import load_lexicon

    folder = _SCRATCH / f"{os.getpid()}-lexicons"
    folder.mkdir(exist_ok=True)
    (folder / "fuzz.yaml").write_bytes(data)
    with contextlib.suppress(PrivcheckError):
        load_lexicon(directory=folder)


def fuzz_baseline(data: bytes) -> None:
    from checker import __version__
    from checker.baseline import apply_baseline, load_baseline
    from checker.records import Report

    path = _file("baseline.json", data)
    try:
        entries = load_baseline(path)
        apply_baseline(Report(privcheck=__version__, policies=[], errors=[], summary={}),
                       entries, path)
    except PrivcheckError:
        pass


def warm_up() -> None:
    """Run each target once on a seed: imports and caches are not what a timing measures."""
    for kind, target in TARGETS.items():
        for data in seeds()[kind][:1]:
            target(data)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "reader": fuzz_reader,
    "rule_pack": fuzz_rule_pack,
    "config": fuzz_config,
    "lexicon": fuzz_lexicon,
    "baseline": fuzz_baseline,
}
