"""The phrase extractor: finds the sentences that make a statement described in a lexicon.

A statement is a set of groups that must all occur (a topic, an action, a method...). Groups
may be met in one sentence, in a few consecutive sentences of a block (`window`), or, for groups
marked `heading`, in the headings above the sentence: "Do Not Track" as a heading and "we do not
respond to such signals" below it make one statement. Headings alone never do (except a heading
that names one of a fact's values under a section its `value_headings` match: categories laid out
as headings), and neither does a sentence too short to say anything (a table-of-contents line).
The engine (matcher.py) says, for every pattern list, exactly which sentences it matches; the
logic here is set lookups on that.
"""

from __future__ import annotations

from checker.document import Block, Document, Sentence
from checker.facts.entities import sentence_entities
from checker.facts.lexicon import Group, Patterns, PhraseFact, state
from checker.records import Evidence, Fact


class Context:
    """Per-document state shared by every phrase fact: the engine's matches, entity caches."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.matches = state().engine.document([s.text for s in doc.sentences])
        self._entities: dict[int, frozenset[str]] = {}
        self._below: dict[int, list[int]] | None = None
        self._words: dict[int, int] = {}
        self._heading_met: dict[tuple[int, int], bool] = {}
        self._completes: dict[int, list[int]] | None = None

    def group_hits(self, patterns: Patterns) -> frozenset[int]:
        """The sentences where the list matches."""
        return self.matches.hits(patterns)

    def search(self, patterns: Patterns, s: Sentence) -> bool:
        """Whether the list matches in the sentence."""
        return s.index in self.matches.hits(patterns)

    def search_text(self, patterns: Patterns, text: str) -> bool:
        """Whether the list matches in a text that is not one sentence (a window's sentences
        joined: a match may span them)."""
        return self.matches.matches_text(patterns, text)

    def heading_met(self, patterns: Patterns, block: Block) -> bool:
        """Whether the list matches in one of the headings above the block (cached)."""
        k = (id(patterns), id(block))
        if k not in self._heading_met:
            hits = self.matches.hits(patterns)
            self._heading_met[k] = any(
                s.index in hits for h in block.headings for s in h.sentences
            )
        return self._heading_met[k]

    def entities(self, s: Sentence) -> frozenset[str]:
        if s.index not in self._entities:
            self._entities[s.index] = sentence_entities(s)
        return self._entities[s.index]

    def word_count(self, s: Sentence) -> int:
        n = self._words.get(s.index)
        if n is None:
            n = self._words[s.index] = len(s.text.split())
        return n

    def completes(self) -> dict[int, list[int]]:
        """Table header sentence index -> the sentences of the cells it heads (built once)."""
        if self._completes is None:
            out: dict[int, list[int]] = {}
            for block in self.doc.blocks:
                if not block.sentences or not (block.row_header or block.column_header):
                    continue
                indexes = [s.index for s in block.sentences]
                for h in _headers(block):
                    for hs in h.sentences:
                        out.setdefault(hs.index, []).extend(indexes)
            self._completes = out
        return self._completes

    def below_heading(self) -> dict[int, list[int]]:
        """Heading sentence index -> the sentences under that heading (built once)."""
        if self._below is None:
            below: dict[int, list[int]] = {}
            for block in self.doc.blocks:
                if not block.headings or not block.sentences:
                    continue
                indexes = [s.index for s in block.sentences]
                for h in block.headings:
                    for hs in h.sentences:
                        below.setdefault(hs.index, []).extend(indexes)
            self._below = below
        return self._below


def _group_met(
    group: Group, hits: frozenset[int] | None, unit: list[Sentence], ctx: Context
) -> tuple[bool, bool]:
    """(met, met only through a heading)."""
    if hits is not None:
        for s in unit:
            if s.index in hits:
                return True, False
    if group.entities:
        for s in unit:
            if group.entities & ctx.entities(s):
                return True, False
    if group.heading and group.pattern is not None and ctx.heading_met(
        group.pattern, unit[0].block
    ):
        return True, True
    # A list item and its lead-in ("If this policy changes, we will tell you:" / "- in the app")
    # are one statement: any group may be met in the lead-in (issue 8).
    lead = _lead_in(unit[0].block)
    if hits is not None and lead is not None and lead.index in hits:
        return True, True
    # A table cell and its headers ("| Do Not Track | We do not respond |"; "No" under "Sold or
    # shared" in the row "Identifiers") are one statement, as a list item and its lead-in are.
    if hits is not None and _header_hit(unit[0].block, hits) is not None:
        return True, True
    return False, False


_ANSWER_WORDS = 10  # a table cell this short is an answer ("No", "Your consent", "30 days")


def _headers(block: Block) -> tuple[Block, ...]:
    """The table headers that complete a cell: its row's header always (the row's subject: "Do
    Not Track", "Identifiers"), its column's headers only when the cell is a short answer ("No"
    under "Sold or shared"). A longer cell is a statement of its own, and a column header over
    it ("Description", "Details") labels the layout rather than completing what it says."""
    if not block.column_header or len(block.text.split()) > _ANSWER_WORDS:
        return block.row_header
    return block.table_headers


def _header_hit(block: Block, hits: frozenset[int]) -> Block | None:
    """The first of the cell's table headers (row, then column) with a sentence in hits."""
    for h in _headers(block):
        if any(hs.index in hits for hs in h.sentences):
            return h
    return None


def _lead_in(block: Block) -> Sentence | None:
    """The lead-in a list item hangs from (the last sentence, ending in a colon, of the paragraph
    or pseudo-heading right above its list), if any."""
    if block.kind != "list_item" or not block.headings:
        return None
    lead = block.headings[-1]
    if not lead.sentences or not lead.sentences[-1].text.rstrip().endswith(":"):
        return None
    return lead.sentences[-1]


def _candidates(fact: PhraseFact, ctx: Context) -> list[int]:
    """Sentences near a match of every group that only a pattern can meet (and of a value)."""
    doc = ctx.doc
    result: set[int] | None = None
    for group in fact.groups:
        if group.pattern is None or group.entities:
            continue
        hits = ctx.group_hits(group.pattern)
        possible = set(hits)
        for j in range(1, fact.window):  # a window may put the group in a neighbour
            possible |= {h - j for h in hits} | {h + j for h in hits}
        if hits:
            below = ctx.below_heading()
            completes = ctx.completes()
            for h in hits:
                # a heading scopes its section; a lead-in ending in a colon, the list under it
                if h in below and (group.heading or doc.sentences[h].text.rstrip().endswith(":")):
                    possible.update(below[h])
                if h in completes:  # a table header, the cells it heads
                    possible.update(completes[h])
        result = possible if result is None else result & possible
        if not result:
            return []
    if fact.values:  # a unit must name one of the values too
        value_hits: set[int] = set()
        for _, patterns in fact.values:
            value_hits |= ctx.group_hits(patterns)
        possible = set(value_hits)
        for j in range(1, fact.window):
            possible |= {h - j for h in value_hits} | {h + j for h in value_hits}
        result = possible if result is None else result & possible
    if result is None:
        return list(range(len(doc.sentences)))
    return sorted(i for i in result if 0 <= i < len(doc.sentences))


def extract_phrase_fact(fact: PhraseFact, ctx: Context) -> Fact | None:
    doc = ctx.doc
    candidates = _candidates(fact, ctx)
    if not candidates:
        return None
    keys = _Keys(fact, ctx)
    evidence: list[tuple[int, int, list[Evidence]]] = []
    values: set[str] = set()
    used: set[int] = set()
    for idx in candidates:
        s = doc.sentences[idx]
        if idx in used or (s.block.is_heading and not (
            fact.values and fact.value_headings is not None
            and ctx.heading_met(fact.value_headings, s.block)
        )):
            continue  # a heading counts only as a listed value under a listing section
        if fact.none_heading is not None and ctx.heading_met(fact.none_heading, s.block):
            continue  # under a heading that scopes it out ("Your rights under the GDPR")
        block_sentences = s.block.sentences
        pos = s.position
        # The candidate sentence alone first, then with up to window-1 neighbours in its block.
        units = [[s]] + [
            block_sentences[lo : lo + fact.window]
            for lo in range(max(0, pos - fact.window + 1), pos + 1)
            if fact.window > 1
        ]
        best = None
        for unit in units:
            if len(unit) > 1 and any(u.index in used for u in unit):
                continue
            best = _match_unit(fact, keys, unit, ctx, values)
            if best is not None and len(unit) > 1:
                # A window matched: if one of its sentences says it all, quote only that one.
                single = next(
                    (m for u in unit if (m := _match_unit(fact, keys, [u], ctx, values))), None
                )
                best = single or best
            if best is not None:
                break
        if best is None:
            continue
        unit, via_heading, found = best
        values |= found
        # For a fact with values (categories), each quote should add one not yet quoted; the
        # first unit that the fact's `prefer` patterns call direct is quoted in any case.
        direct = keys.prefer is not None and any(u.index in keys.prefer for u in unit)
        # a table's header cell is a label, like a heading: never the whole statement
        label = unit[0].index in ctx.completes()  # a table's header cell
        whole = len(unit) == 1 and not via_heading and not label
        if (len(evidence) < fact.max_evidence and (found or not fact.values)) or (
            direct and not any(not e[0] for e in evidence)
        ) or (not fact.values and (direct or keys.prefer is None) and whole and not any(
            _best(e, keys) for e in evidence
        )):
            # The sentence that decides comes first, the heading that completes it after. The
            # ranking of units (issue 8), each key deciding only when the earlier ones tie:
            # 1. a unit the fact's `prefer` patterns call direct (the practice stated, not named);
            # 2. a unit that names more of the fact's values (categories: a list beats a mention);
            # 3. a unit that is the whole statement, one sentence meeting every group itself,
            #    before one that needs a heading, a lead-in, a table header or a neighbour to
            #    complete it, before a table's header cell (a label, after the cells it heads);
            # 4. document order.
            quotes = [doc.evidence(unit[0].block, unit[0].start, unit[-1].end)]
            if via_heading:
                quotes += _context_evidence(ctx, unit, fact, keys)
            evidence.append((not direct, -len(found), 2 if label else int(not whole),
                             len(evidence), quotes))
        used.update(u.index for u in unit)
        if not fact.values and len(evidence) >= fact.max_evidence and (
            keys.prefer is None or any(not e[0] for e in evidence)
        ):
            # enough quotes (a direct one among them): the rest cannot change the fact. Scanning
            # on for a whole-sentence unit cost 15% of throughput; the ranking orders what is found.
            break
    if not evidence:
        return None
    evidence = list(dict.fromkeys(q for *_, quotes in sorted(evidence) for q in quotes))
    return Fact(id=fact.id, value=sorted(values) if fact.values else None, evidence=evidence)


def _best(entry: tuple, keys: _Keys) -> bool:
    """Whether an evidence entry of a fact without values has the best rank a unit can have:
    direct (when the fact has `prefer` patterns) and the whole statement in one sentence."""
    return (keys.prefer is None or not entry[0]) and not entry[2]


class _Keys:
    """A fact's groups, values and exclusions with the sentences their patterns match in this
    document, looked up once per fact rather than once per test."""

    __slots__ = ("groups", "none", "prefer", "values")

    def __init__(self, fact: PhraseFact, ctx: Context) -> None:
        self.groups = [
            (g, None if g.pattern is None else ctx.group_hits(g.pattern)) for g in fact.groups
        ]
        self.values = [(name, ctx.group_hits(p)) for name, p in fact.values]
        self.none = None if fact.none is None else ctx.group_hits(fact.none)
        self.prefer = None if fact.prefer is None else ctx.group_hits(fact.prefer)


def _match_unit(
    fact: PhraseFact, keys: _Keys, unit: list[Sentence], ctx: Context, known: set[str]
) -> tuple[list[Sentence], bool, set[str]] | None:
    """(unit, met through a heading, values newly found) when every group is met in the unit
    and, for a fact with values, the unit names at least one (`known` ones are not searched
    for again, only to qualify the unit)."""
    via_heading = False
    for group, hits in keys.groups:
        ok, via = _group_met(group, hits, unit, ctx)
        if not ok:
            return None
        via_heading |= via
    words = sum(ctx.word_count(u) for u in unit)  # = words of the joined text
    if words < fact.min_words and not _lead_in_completes(unit[0], words, fact.min_words, ctx):
        if not _headers_complete(unit[0], words, fact.min_words, ctx):
            return None
        via_heading = True  # a short cell ("Our legitimate interests") says it with its row
    # What rules a header out rules out its cells, as for a lead-in: the row's header always; a
    # column's header only when the cell needs its headers to say it ("No" under "Do you respond
    # to DNT?"), not when the cell says it alone ("Edit your profile" under "How to use it").
    block = unit[0].block
    if fact.none is not None and keys.none is not None and any(
        hs.index in keys.none
        for h in (_headers(block) if via_heading else block.row_header) for hs in h.sentences
    ):
        return None
    if fact.none is not None and keys.none is not None and (
        (lead := _lead_in(block)) is not None and lead.index in keys.none
    ):
        return None  # what rules a lead-in out rules out its list ("Use your browser:")
    if fact.none is not None and keys.none is not None and (
        unit[0].index in keys.none if len(unit) == 1
        else ctx.search_text(fact.none, " ".join(u.text for u in unit))
    ):
        return None
    found: set[str] = set()
    if keys.values:
        found = {
            name for name, hits in keys.values
            if name not in known and any(u.index in hits for u in unit)
        }
        if not found and not any(
            any(u.index in hits for u in unit) for name, hits in keys.values if name in known
        ):
            return None
    return unit, via_heading, found


def _lead_in_completes(s: Sentence, words: int, min_words: int, ctx: Context) -> bool:
    """A short list item under a lead-in ("We will tell you of changes:" / "- by email") is one
    statement with it: the lead-in's words count towards `min_words` (issue 8)."""
    lead = _lead_in(s.block)
    return lead is not None and words + ctx.word_count(lead) >= min_words


def _headers_complete(s: Sentence, words: int, min_words: int, ctx: Context) -> bool:
    """A short table cell ("No", "Your consent") is one statement with its headers: their words
    count towards `min_words`, as a lead-in's do for a list item."""
    headers = _headers(s.block)
    return bool(headers) and words + sum(
        ctx.word_count(hs) for h in headers for hs in h.sentences) >= min_words


def _context_evidence(
    ctx: Context, unit: list[Sentence], fact: PhraseFact, keys: _Keys
) -> list[Evidence]:
    """What completes a unit, quoted after it: a table cell's headers (row, then column) when
    they take part, then the heading or lead-in when a group is met only there."""
    s = unit[0]
    doc = ctx.doc
    quotes: list[Evidence] = []
    missing = [  # the groups the unit does not meet itself
        (g, hits) for g, hits in keys.groups
        if not (hits is not None and any(u.index in hits for u in unit))
        and not (g.entities and any(g.entities & ctx.entities(u) for u in unit))
    ]
    in_headers = [
        hits is not None and _header_hit(s.block, hits) is not None for _, hits in missing
    ]
    block = s.block
    if (block.row_header or block.column_header) and (not missing or any(in_headers)):
        # The cell's row header is quoted with it ("Your consent" is the basis of "To send you
        # our newsletter"), and the column headers that take part ("Legal basis").
        quotes = [
            doc.evidence(h, 0, len(h.text)) for h in _headers(block)
            if (block.row_header and h is block.row_header[0]) or any(
                hits is not None and hs.index in hits
                for _, hits in keys.groups for hs in h.sentences)
        ]
        if all(in_headers):
            return quotes  # the cell and its headers say it all
    if block.headings:
        quotes.append(_heading_evidence(ctx, s, fact, keys))
    return quotes


def _heading_evidence(ctx: Context, s: Sentence, fact: PhraseFact, keys: _Keys) -> Evidence:
    doc = ctx.doc
    lead = _lead_in(s.block)
    if lead is not None and any(hits is not None and lead.index in hits for _, hits in keys.groups):
        # the lead-in completes the item: quote it rather than the section's heading
        return doc.evidence(lead.block, lead.start, lead.end)
    for h in reversed(s.block.headings):
        if any(
            hits is not None and hs.index in hits
            for g, hits in keys.groups if g.heading for hs in h.sentences
        ):
            return doc.evidence(h, 0, len(h.text))
    h = s.block.headings[-1]
    return doc.evidence(h, 0, len(h.text))
