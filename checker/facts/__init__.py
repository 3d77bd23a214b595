"""Extract every known fact from a Document.

Two kinds of extractor feed one registry: phrase facts described entirely in YAML lexicons
(lexicons/*.yaml, run by phrases.py) and entity facts recognised by code (contact.py). A fact
appears in the result only when the policy states it, always with evidence.
"""

from __future__ import annotations

from dataclasses import dataclass

from checker.document import Document
from checker.facts.contact import ENTITY_FACTS
from checker.facts.lexicon import entity_data, lexicon
from checker.facts.phrases import Context, extract_phrase_fact
from checker.records import Fact


@dataclass(frozen=True)
class FactInfo:
    id: str
    title: str
    looks_for: str
    source: str  # the lexicon file that defines it, or "entities" for code recognisers


_KNOWN: dict[tuple[int, int], dict[str, FactInfo]] = {}


def known_facts() -> dict[str, FactInfo]:
    """Every fact id a rule may name, with what it means (built once per loaded lexicon: every
    failure message looks its facts up here)."""
    key = (id(entity_data()), id(lexicon()))
    if key not in _KNOWN:
        _KNOWN.clear()
        _KNOWN[key] = _build_known()
    return _KNOWN[key]


def _build_known() -> dict[str, FactInfo]:
    info = {
        fid: FactInfo(fid, spec["title"], spec["looks_for"], "entities")
        for fid, spec in entity_data()["facts"].items()
    }
    for fid, fact in lexicon().facts.items():
        info[fid] = FactInfo(fid, fact.title, fact.looks_for, fact.source)
    return dict(sorted(info.items()))


def extract_facts(doc: Document, only: frozenset[str] | None = None) -> dict[str, Fact]:
    """The document's facts: all of them, or `only` those (a plan's rules read a few)."""
    facts: dict[str, Fact] = {}
    for fid, extractor in ENTITY_FACTS.items():
        if only is not None and fid not in only:
            continue
        fact = extractor(doc)
        if fact is not None:
            facts[fid] = fact
    ctx = Context(doc)
    for fid, spec in lexicon().facts.items():
        if only is not None and fid not in only:
            continue
        fact = extract_phrase_fact(spec, ctx)
        if fact is not None:
            facts[fid] = fact
    return dict(sorted(facts.items()))
