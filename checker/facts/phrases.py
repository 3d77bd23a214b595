"""The phrase extractor: finds the sentences that make a statement described in a lexicon.

A statement is a set of groups that must all occur (a topic, an action, a method...). Groups
may be met in one sentence, in a few consecutive sentences of a block (`window`), or, for groups
marked `heading`, in the headings above the sentence: "Do Not Track" as a heading and "we do not
respond to such signals" below it make one statement. Headings alone never do, and neither does a
sentence too short to say anything (a table-of-contents line).
"""

from __future__ import annotations

from checker.document import Document, Sentence
from checker.facts.entities import sentence_entities
from checker.facts.lexicon import Group, PhraseFact
from checker.models import Evidence, Fact


class _Context:
    """Per-document caches shared by every phrase fact: entities per sentence, heading text."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._entities: dict[int, frozenset[str]] = {}

    def entities(self, s: Sentence) -> frozenset[str]:
        if s.index not in self._entities:
            self._entities[s.index] = sentence_entities(s)
        return self._entities[s.index]


def _group_in_text(group: Group, text: str) -> bool:
    return group.pattern is not None and group.pattern.search(text) is not None


def _group_met(group: Group, unit: list[Sentence], ctx: _Context) -> tuple[bool, bool]:
    """(met, met only through a heading)."""
    for s in unit:
        if _group_in_text(group, s.text):
            return True, False
        if group.entities and group.entities & ctx.entities(s):
            return True, False
    if group.heading and unit and any(_group_in_text(group, t) for t in unit[0].section):
        return True, True
    return False, False


def _candidates(fact: PhraseFact, doc: Document) -> list[int]:
    """Indexes of sentences worth testing: those where the first group occurs (one regex pass
    over the whole text), or whose headings hold it."""
    first = fact.groups[0]
    hits: set[int] = set()
    if first.pattern is not None:
        for m in first.pattern.finditer(doc.text):
            hits.add(doc.sentence_at(m.start()).index)
    if first.heading or first.pattern is None:
        seen: dict[tuple[str, ...], bool] = {}
        for s in doc.sentences:
            sec = s.section
            if sec not in seen:
                seen[sec] = first.pattern is None or any(_group_in_text(first, t) for t in sec)
            if seen[sec]:
                hits.add(s.index)
    return sorted(hits)


def extract_phrase_fact(fact: PhraseFact, doc: Document, ctx: _Context) -> Fact | None:
    evidence: list[Evidence] = []
    values: set[str] = set()
    used: set[int] = set()
    for idx in _candidates(fact, doc):
        s = doc.sentences[idx]
        if s.block.is_heading or idx in used:
            continue
        block_sentences = s.block.sentences
        pos = block_sentences.index(s)
        best = None
        # The candidate sentence plus up to window-1 neighbours on either side, same block.
        for lo in range(max(0, pos - fact.window + 1), pos + 1):
            unit = block_sentences[lo:lo + fact.window]
            if s not in unit:
                continue
            text = " ".join(u.text for u in unit)
            if len(text.split()) < fact.min_words:
                continue
            if fact.none is not None and fact.none.search(text):
                continue
            met = [_group_met(g, unit, ctx) for g in fact.groups]
            if not all(ok for ok, _ in met):
                continue
            found = {name for name, pattern in fact.values if pattern.search(text)}
            if fact.values and not found:
                continue
            best = (unit, any(via for _, via in met), found)
            break
        if best is None:
            continue
        unit, via_heading, found = best
        values |= found
        if len(evidence) < fact.max_evidence:
            if via_heading and s.block.headings:
                evidence.append(_heading_evidence(doc, s, fact))
            evidence.append(doc.evidence(s.block, unit[0].start, unit[-1].end))
        used.update(u.index for u in unit)
    if not evidence:
        return None
    evidence = list(dict.fromkeys(evidence))
    return Fact(id=fact.id, value=sorted(values) if fact.values else None, evidence=evidence)


def _heading_evidence(doc: Document, s: Sentence, fact: PhraseFact) -> Evidence:
    for h in reversed(s.block.headings):
        if any(_group_in_text(g, h.text) for g in fact.groups if g.heading):
            return doc.evidence(h, 0, len(h.text))
    h = s.block.headings[-1]
    return doc.evidence(h, 0, len(h.text))


def make_context(doc: Document) -> _Context:
    return _Context(doc)
