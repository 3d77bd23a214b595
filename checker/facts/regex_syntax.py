"""The lexicons' regular expressions, parsed with public means only, for two jobs.

1. Translation for the compiled engine. Hyperscan reads bytes with ASCII classes; Python's `re`
   reads code points with Unicode classes and its own case folding. Instead of trusting that the
   two agree, every single-character matcher of a pattern (a literal, `[...]`, `\\w`, `.`...) is
   asked, through `re` itself, which of the 128 ASCII characters it accepts under IGNORECASE,
   and written out for Hyperscan as that explicit byte set. On ASCII text the translated pattern
   therefore accepts exactly what `re` accepts. For text with other characters, a second
   translation lets every matcher also accept one placeholder byte that stands for any
   non-ASCII character, with word boundaries and lookarounds dropped: a superset, confirmed by
   `re`. Lookarounds are dropped in the ASCII translation too (a superset), and confirmed.
2. Safety. Python's `re` backtracks: a quantifier over a body that can be split several ways
   (`(a+)+$`, `(\\w+\\s?)*:`) takes exponential time. Such patterns are refused at load.

The parser accepts the syntax Python's `re` accepts (the pattern has been compiled by `re`
first); a construct it does not model (backreferences, conditionals, atomic groups, inline
flags other than `i`) raises Unsupported, and such a branch is simply run by `re`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from checker.facts.placeholders import OTHER, SPACE, WORD, placeholder_of

FLAGS = re.IGNORECASE
INF = -1  # an unbounded repeat's upper bound


class Unsupported(ValueError):
    """A construct the translation does not model: the branch is run by `re` instead."""


@dataclass(frozen=True)
class Atom:
    """One character matcher, kept as its source text (`a`, `\\.`, `[^a-z]`, `\\w`, `.`), and
    whether it is read case-insensitively (lexicons are; `(?-i:...)` turns it off)."""

    src: str
    icase: bool = True


@dataclass(frozen=True)
class Assert:
    src: str  # ^ $ \A \Z \b \B


@dataclass(frozen=True)
class Look:
    child: Node
    ahead: bool
    negative: bool


@dataclass(frozen=True)
class Group:
    child: Node


@dataclass(frozen=True)
class Repeat:
    child: Node
    lo: int
    hi: int  # INF: unbounded


@dataclass(frozen=True)
class Seq:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Alt:
    options: tuple[Node, ...]


Node = Atom | Assert | Look | Group | Repeat | Seq | Alt

_QUANT = re.compile(r"\{(\d*)(?:(,)(\d*))?\}")
_SIMPLE_ESCAPES = set("wWsSdDntrfva")


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0
        self.icase = True

    def parse(self) -> Node:
        node = self.alt()
        if self.i != len(self.p):
            raise Unsupported(f"unexpected {self.p[self.i]!r} at {self.i}")
        return node

    def alt(self) -> Node:
        options = [self.seq()]
        while self.i < len(self.p) and self.p[self.i] == "|":
            self.i += 1
            options.append(self.seq())
        return options[0] if len(options) == 1 else Alt(tuple(options))

    def seq(self) -> Node:
        items: list[Node] = []
        p = self.p
        while self.i < len(p) and p[self.i] not in "|)":
            atom = self.atom()
            if atom is None:
                continue
            items.append(self.quantified(atom))
        return items[0] if len(items) == 1 else Seq(tuple(items))

    def quantified(self, atom: Node) -> Node:
        p = self.p
        while self.i < len(p):
            c = p[self.i]
            if c == "*":
                lo, hi, self.i = 0, INF, self.i + 1
            elif c == "+":
                lo, hi, self.i = 1, INF, self.i + 1
            elif c == "?":
                lo, hi, self.i = 0, 1, self.i + 1
            elif c == "{":
                m = _QUANT.match(p, self.i)
                if not m or p.startswith("{}", self.i) or (not m.group(1) and not m.group(2)):
                    return atom  # a literal brace, as `re` reads it
                lo = int(m.group(1) or 0)
                hi = (int(m.group(3)) if m.group(3) else INF) if m.group(2) else lo
                self.i = m.end()
            else:
                return atom
            if self.i < len(p) and p[self.i] == "?":
                self.i += 1  # lazy: the same matches exist, only their choice differs
            elif self.i < len(p) and p[self.i] == "+":
                raise Unsupported("possessive quantifier")
            if isinstance(atom, (Assert, Look)):
                raise Unsupported("quantified assertion")
            atom = Repeat(atom, lo, hi)
        return atom

    def atom(self) -> Node | None:
        p, i = self.p, self.i
        c = p[i]
        if c == "(":
            return self.group()
        if c == "[":
            end = _class_end(p, i)
            self.i = end
            return Atom(p[i:end], self.icase)
        if c == "\\":
            return self.escape()
        self.i += 1
        if c in "^$":
            return Assert(c)
        return Atom(c, self.icase)

    def escape(self) -> Node:
        p, i = self.p, self.i
        if i + 1 >= len(p):
            raise Unsupported("trailing backslash")
        c = p[i + 1]
        if c in "bBAZ":
            self.i = i + 2
            return Assert("\\" + c)
        if c in _SIMPLE_ESCAPES or not c.isalnum():
            self.i = i + 2
            return Atom(p[i : i + 2], self.icase)
        if c == "x":
            self.i = i + 4
        elif c == "u":
            self.i = i + 6
        elif c == "U":
            self.i = i + 10
        elif c == "N":
            self.i = p.index("}", i) + 1
        elif c == "0":
            m = re.compile(r"\\0[0-7]{0,2}").match(p, i)
            assert m is not None
            self.i = m.end()
        else:
            raise Unsupported(f"escape \\{c} (a backreference?)")
        return Atom(p[i : self.i], self.icase)

    def group(self) -> Node | None:
        p, i = self.p, self.i
        if not p.startswith("(?", i):
            self.i = i + 1
            return self._close(Group(self.alt()))
        rest = p[i + 2 :]
        if rest.startswith(":"):
            self.i = i + 3
            return self._close(Group(self.alt()))
        if rest.startswith("P<"):
            self.i = p.index(">", i) + 1
            return self._close(Group(self.alt()))
        for prefix, ahead, negative in (("=", True, False), ("!", True, True),
                                        ("<=", False, False), ("<!", False, True)):
            if rest.startswith(prefix):
                self.i = i + 2 + len(prefix)
                return self._close(Look(self.alt(), ahead, negative))
        if rest.startswith("#"):
            self.i = p.index(")", i) + 1
            return None
        m = re.compile(r"(i*)(?:-(i))?(:|\))").match(rest)  # only the case flag is modelled
        if m and (m.group(1) or m.group(2) or m.group(3) == ":"):
            self.i = i + 2 + m.end()
            if m.group(3) == ")":  # (?i) at the start: IGNORECASE is on anyway
                return None
            outer = self.icase
            self.icase = not m.group(2)
            node = self._close(Group(self.alt()))
            self.icase = outer
            return node
        raise Unsupported(f"group {p[i : i + 4]!r}")

    def _close(self, node: Node) -> Node:
        if self.i >= len(self.p) or self.p[self.i] != ")":
            raise Unsupported("unbalanced group")
        self.i += 1
        return node


def _class_end(p: str, i: int) -> int:
    """Index just past the `]` closing the class that opens at p[i] (as `re` reads it)."""
    j = i + 1
    if j < len(p) and p[j] == "^":
        j += 1
    if j < len(p) and p[j] == "]":
        j += 1  # a leading ] is a literal
    while j < len(p):
        if p[j] == "\\":
            j += 2
            continue
        if p[j] == "]":
            return j + 1
        j += 1
    raise Unsupported("unterminated class")


@cache
def parse(pattern: str) -> Node:
    """The pattern's tree (the pattern must already compile with `re`)."""
    return _Parser(pattern).parse()


# --- what a single-character matcher accepts ----------------------------------------------


@cache
def ascii_set(src: str, icase: bool = True) -> frozenset[int]:
    """The ASCII characters `re` accepts for this one-character matcher."""
    rx = re.compile(src, FLAGS if icase else 0)
    return frozenset(i for i in range(128) if rx.fullmatch(chr(i)))


# Non-ASCII characters are replaced, for the second translation, by one placeholder byte per
# kind: word characters (as `re` reads \w), whitespace, anything else. A matcher accepts a
# placeholder when it may accept some character of that kind.
_ALL_PLACEHOLDERS = frozenset((WORD, SPACE, OTHER))
_ESCAPE_KINDS = {
    "\\w": {WORD}, "\\d": {WORD}, "\\s": {SPACE},
    "\\W": {SPACE, OTHER}, "\\S": {WORD, OTHER}, "\\D": _ALL_PLACEHOLDERS, ".": _ALL_PLACEHOLDERS,
}
# The only non-ASCII characters that `re` matches with an ASCII letter under IGNORECASE
# (İ ı ſ K: found by trying every code point); all four are word characters.
_FOLDS = "\u0130\u0131\u017f\u212a"


@cache
def _kinds(src: str, icase: bool) -> frozenset[int]:
    """The placeholders a matcher accepts (a superset: when unsure, all of them)."""
    if src in _ESCAPE_KINDS:
        return frozenset(_ESCAPE_KINDS[src])
    rx = re.compile(src, FLAGS if icase else 0)
    if len(src) == 1 or (src.startswith("\\") and len(src) == 2):  # one literal character
        ch = src[-1]
        if not ch.isascii():
            return frozenset({placeholder_of(ch)})
        return frozenset({WORD}) if any(rx.fullmatch(f) for f in _FOLDS) else frozenset()
    if src.startswith("[") and not src.startswith("[^") and src.isascii() and not re.search(
        r"\\[a-zA-Z]", src
    ):
        return frozenset({WORD}) if any(rx.fullmatch(f) for f in _FOLDS) else frozenset()
    return _ALL_PLACEHOLDERS


def _emit_set(codes: frozenset[int]) -> str:
    """A byte set for a Hyperscan pattern compiled caselessly: a set closed under ASCII case is
    written with its lower-case letters only; any other set is fenced off with (?-i:...)."""
    swapped = {ord(chr(c).swapcase()) if chr(c).isalpha() and c < 128 else c for c in codes}
    if swapped <= codes:
        return _byte_class(frozenset(c for c in codes if not chr(c).isupper()))
    return "(?-i:" + _byte_class(codes) + ")"


def _byte_class(codes: frozenset[int]) -> str:
    """An explicit byte class, as ranges (`[0-9a]`)."""
    if len(codes) == 1:
        return _byte(next(iter(codes)))
    out = []
    ordered = sorted(codes)
    k = 0
    while k < len(ordered):
        j = k
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        out.append(_byte(ordered[k]) if j == k else f"{_byte(ordered[k])}-{_byte(ordered[j])}")
        k = j + 1
    return "[" + "".join(out) + "]"


def _byte(c: int) -> str:
    return chr(c) if chr(c).isalnum() and c < 128 else f"\\x{c:02x}"


class _Never(Exception):
    """The (sub)pattern can match nothing in this translation."""


@dataclass
class Translation:
    pattern: str | None  # None: matches nothing in this translation
    exact: bool  # False: a superset (lookarounds or word boundaries dropped): confirm with re


def translate(pattern: str, placeholder: bool) -> Translation:
    """The Hyperscan pattern (compiled caselessly, bytes given as latin-1 text) for ASCII text
    (placeholder=False: exact unless a lookaround was dropped) or for text whose non-ASCII
    characters were replaced by their placeholders (placeholder=True: a superset)."""
    return translate_node(parse(pattern), placeholder)


@dataclass
class LeadingLook:
    """A pattern `^(?!Y)REST` or `^(?=Y)REST`, as two Hyperscan patterns for ASCII text."""

    negative: bool
    rest: str  # `^REST`
    rest_exact: bool  # False: a superset (REST holds lookarounds of its own)
    look: str  # `^Y`
    look_exact: bool  # False: a superset (Y holds lookarounds of its own)
    look_empty: bool  # `^Y` may match the empty string
    # Where Y ends in an alternation of which only some options hold lookarounds, `look` is
    # exact for the others and `look_more` a superset of the rest: Y matches where `look` does,
    # cannot match where neither does, and only a hit of `look_more` alone needs `re`.
    look_more: str | None = None
    look_more_empty: bool = False
    # The same part of Y for `re` (`^P(?:the options with lookarounds)`): where only
    # `look_more` matched, `re` decides Y with these few options instead of running the whole
    # branch (a 60-option `^(?!.*(...))` exclusion cost `re` about 1 ms a sentence).
    look_more_source: str | None = None


def leading_lookahead(pattern: str) -> LeadingLook | None:
    """Split a pattern that starts with `^` and a lookahead into two Hyperscan patterns.

    Without MULTILINE, `^` holds only at the start of the text, so `re` tries the lookahead at
    position 0 alone: `^(?!Y)REST` matches exactly when `^REST` matches and `^Y` does not
    (`^(?=Y)REST`: when both match). Where both halves are exact on ASCII text the compiled
    engine decides such a branch from its own two answers; where one is a superset, its answer
    still settles most sentences (no `^REST`: no match; no `^Y`: the exclusion does not apply)
    and `re` confirms the rest. (A `^(?!.*(?:many|words))` exclusion made `re` try every
    alternative at every position: 230 us a sentence.)"""
    try:
        node = parse(pattern)
    except (Unsupported, RecursionError):
        return None
    if not (isinstance(node, Seq) and len(node.items) >= 3 and node.items[0] == Assert("^")
            and isinstance(node.items[1], Look) and node.items[1].ahead):
        return None
    look = node.items[1]
    assert isinstance(look, Look)
    rest = translate_node(Seq((node.items[0], *node.items[2:])), placeholder=False)
    body_node = Seq((node.items[0], look.child))
    body = translate_node(body_node, placeholder=False)
    if rest.pattern is None or body.pattern is None:
        return None
    if not body.exact:
        split = _split_alternation(look.child)
        if split is not None:
            exact, more = split
            return LeadingLook(look.negative, rest.pattern, rest.exact, exact[0], True,
                               exact[1], more[0], more[1], more[2])
    return LeadingLook(look.negative, rest.pattern, rest.exact, body.pattern, body.exact,
                       min_length(body_node) == 0)


def _split_alternation(
    child: Node,
) -> tuple[tuple[str, bool], tuple[str, bool, str]] | None:
    """For Y = `P(?:A|B|...)`: (`^P(?:exact options)`, may be empty) and (`^P(?:the others)`,
    may be empty, the same for `re`), when both kinds of option exist; else None."""
    items = child.items if isinstance(child, Seq) else (child,)
    last = items[-1]
    if isinstance(last, Group):
        last = last.child
    if not isinstance(last, Alt):
        return None
    prefix = (Assert("^"), *items[:-1])
    exact: list[Node] = []
    other: list[Node] = []
    for option in last.options:
        t = translate_node(Seq((*prefix, option)), placeholder=False)
        if t.pattern is None:
            continue  # cannot match ASCII text: neither half needs it
        (exact if t.exact else other).append(option)
    if not exact or not other:
        return None
    halves = []
    for options in (exact, other):
        node = Seq((*prefix, Group(Alt(tuple(options)))))
        t = translate_node(node, placeholder=False)
        if t.pattern is None:
            return None
        halves.append((t.pattern, min_length(node) == 0, source(node)))
    (e, e_empty, _), (o, o_empty, o_source) = halves
    return (e, e_empty), (o, o_empty, o_source)


_LOOKS = {(True, False): "(?=", (True, True): "(?!", (False, False): "(?<=",
          (False, True): "(?<!"}


def _quantifier(node: Repeat) -> str:
    """The repeat's bounds written as a quantifier ("*", "+", "?", "{n}", "{n,m}", "{n,}")."""
    quant = {(0, INF): "*", (1, INF): "+", (0, 1): "?"}.get((node.lo, node.hi))
    if quant is not None:
        return quant
    hi = "" if node.hi == INF else str(node.hi)
    return f"{{{node.lo}}}" if node.lo == node.hi else f"{{{node.lo},{hi}}}"


def source(node: Node) -> str:
    """The node as a pattern for `re` (compiled with IGNORECASE) that matches where the parsed
    one does: groups come back non-capturing and lazy repeats greedy, neither of which changes
    whether a match exists."""
    if isinstance(node, Atom):
        return node.src if node.icase else f"(?-i:{node.src})"
    if isinstance(node, Assert):
        return node.src
    if isinstance(node, Look):
        return _LOOKS[(node.ahead, node.negative)] + source(node.child) + ")"
    if isinstance(node, Group):
        return "(?:" + source(node.child) + ")"
    if isinstance(node, Repeat):
        body = source(node.child)
        if not isinstance(node.child, (Atom, Group)):
            body = "(?:" + body + ")"
        return body + _quantifier(node)
    if isinstance(node, Seq):
        return "".join(source(item) for item in node.items)
    if isinstance(node, Alt):
        return "|".join(source(option) for option in node.options)
    raise Unsupported(type(node).__name__)


def translate_node(node: Node, placeholder: bool) -> Translation:
    """translate() for a parsed pattern."""
    state = {"exact": not placeholder}

    def emit(node: Node) -> str:
        if isinstance(node, Atom):
            codes = ascii_set(node.src, node.icase)
            if placeholder:
                codes = codes | _kinds(node.src, node.icase)
            if not codes:
                raise _Never
            return _emit_set(codes)
        if isinstance(node, Assert):
            if node.src in ("\\b", "\\B"):
                if placeholder:  # a placeholder's neighbours decide nothing: dropped
                    state["exact"] = False
                    return ""
                return node.src
            return {"^": "^", "$": "$", "\\A": "\\A", "\\Z": "\\z"}[node.src]
        if isinstance(node, Look):
            state["exact"] = False  # dropped: every match of the rest is a candidate
            return ""
        if isinstance(node, Group):
            return "(?:" + emit(node.child) + ")"
        if isinstance(node, Repeat):
            try:
                body = emit(node.child)
            except _Never:
                if node.lo == 0:
                    return ""
                raise
            if not isinstance(node.child, Atom):
                body = "(?:" + body + ")"
            return body + _quantifier(node)
        if isinstance(node, Seq):
            return "".join(emit(item) for item in node.items)
        if isinstance(node, Alt):
            options = []
            for option in node.options:
                try:
                    options.append(emit(option))
                except _Never:
                    continue
            if not options:
                raise _Never
            return "(?:" + "|".join(options) + ")"
        raise Unsupported(type(node).__name__)

    try:
        out = emit(node)
    except _Never:
        return Translation(None, True)
    return Translation(out, state["exact"])


def min_length(node: Node) -> int:
    """The fewest characters a match of the node consumes (0: it may match the empty string)."""
    if isinstance(node, Atom):
        return 1
    if isinstance(node, (Assert, Look)):
        return 0
    if isinstance(node, Group):
        return min_length(node.child)
    if isinstance(node, Repeat):
        return node.lo * min_length(node.child)
    if isinstance(node, Alt):
        return min(min_length(o) for o in node.options)
    return sum(min_length(i) for i in node.items)  # type: ignore[union-attr]


# --- safety: no quantifier over an ambiguous body -----------------------------------------

_SAMPLE = [chr(i) for i in range(128)] + list("\xa0é’“ßİ\u2009٣K")


@cache
def _sample_set(src: str) -> frozenset[str]:
    rx = re.compile(src, FLAGS)  # case-insensitive: the larger set, so the safer judgement
    return frozenset(c for c in _SAMPLE if rx.fullmatch(c))


def _first(node: Node) -> tuple[frozenset[str], bool]:
    """(characters a match of the node may start with, whether it may match the empty string),
    over a sample alphabet."""
    if isinstance(node, Atom):
        return _sample_set(node.src), False
    if isinstance(node, (Assert, Look)):
        return frozenset(), True
    if isinstance(node, Group):
        return _first(node.child)
    if isinstance(node, Repeat):
        chars, empty = _first(node.child)
        return chars, empty or node.lo == 0
    if isinstance(node, Alt):
        chars: frozenset[str] = frozenset()
        empty = False
        for option in node.options:
            c, e = _first(option)
            chars |= c
            empty |= e
        return chars, empty
    chars = frozenset()
    for item in node.items:  # type: ignore[union-attr]
        c, e = _first(item)
        chars |= c
        if not e:
            return chars, False
    return chars, True


def _chars(node: Node) -> frozenset[str]:
    """Every sample character the node may consume anywhere in a match."""
    if isinstance(node, Atom):
        return _sample_set(node.src)
    if isinstance(node, (Assert, Look)):
        return frozenset()
    if isinstance(node, (Group, Repeat)):
        return _chars(node.child)
    parts = node.options if isinstance(node, Alt) else node.items  # type: ignore[union-attr]
    out: frozenset[str] = frozenset()
    for part in parts:
        out |= _chars(part)
    return out


def _ambiguous_body(body: Node) -> str | None:
    """Why repeating `body` could backtrack exponentially, or None.

    Repeating a body is linear when each iteration's text is decided: no quantifier inside the
    body can hand characters to what follows it in the body, or, when it can end the body, to
    the next iteration. Flagged: `(a+)+`, `(\\w+\\s?)*`, `(\\s*\\w+)*`, and bodies that are
    alternatives of one character overlapping each other (`(\\w|\\d)*`).
    `(?:[\\w-]+\\s+){0,3}` is fine: the word must end in a space before the next word starts.
    """
    first, _ = _first(body)
    for inner in _repeats(body):
        if inner.hi == INF or inner.hi > 1:
            follow, at_end = _follow(body, inner)
            chars = _chars(inner.child)
            if chars & follow or (at_end and chars & first):
                return "a repeat inside it can also match what follows it"
    node = body.child if isinstance(body, Group) else body
    if isinstance(node, Alt):
        singles = [_sample_set(o.src) for o in node.options if isinstance(o, Atom)]
        for k, a in enumerate(singles):
            if any(a & b for b in singles[k + 1 :]):
                return "two of its alternatives match the same character"
    return None


def _repeats(node: Node) -> list[Repeat]:
    out: list[Repeat] = []
    if isinstance(node, Repeat):
        out.append(node)
        out += _repeats(node.child)
    elif isinstance(node, (Group, Look)):
        out += _repeats(node.child)
    elif isinstance(node, Seq):
        for item in node.items:
            out += _repeats(item)
    elif isinstance(node, Alt):
        for option in node.options:
            out += _repeats(option)
    return out


def _follow(body: Node, target: Repeat) -> tuple[frozenset[str], bool]:
    """(characters that may come right after `target` inside `body`, whether `target` may end
    the body)."""

    def walk(node: Node, after: frozenset[str], at_end: bool) -> tuple[frozenset[str], bool] | None:
        if node is target:
            return after, at_end
        if isinstance(node, (Group, Look)):
            return walk(node.child, after, at_end)
        if isinstance(node, Repeat):
            inner_first, _ = _first(node.child)
            return walk(node.child, after | inner_first, at_end)
        if isinstance(node, Alt):
            for option in node.options:
                found = walk(option, after, at_end)
                if found is not None:
                    return found
            return None
        if isinstance(node, Seq):
            items = node.items
            for k, item in enumerate(items):
                follow: frozenset[str] = frozenset()
                empty = True
                for nxt in items[k + 1 :]:
                    c, e = _first(nxt)
                    follow |= c
                    if not e:
                        empty = False
                        break
                found = walk(item, follow | after if empty else follow, at_end and empty)
                if found is not None:
                    return found
        return None

    return walk(body, frozenset(), True) or (frozenset(), False)


def backtracking_risk(pattern: str) -> str | None:
    """Why `re` could take exponential (or high-degree polynomial) time on this pattern, or
    None. Raises Unsupported for constructs the parser does not model."""

    def visit(node: Node) -> str | None:
        if isinstance(node, Repeat):
            if node.hi == INF or node.hi > 1:
                reason = _ambiguous_body(node.child)
                if reason is not None:
                    return reason
            return visit(node.child)
        if isinstance(node, (Group, Look)):
            return visit(node.child)
        parts = node.items if isinstance(node, Seq) else (
            node.options if isinstance(node, Alt) else ())
        for part in parts:
            reason = visit(part)
            if reason:
                return reason
        return None

    return visit(parse(pattern))


# --- required literals: a prefilter for the re engine ---------------------------------------

_MIN_LITERAL = 3


def _literal_char(node: Node) -> str | None:
    """The lower-case ASCII character a one-character matcher stands for, or None."""
    if not isinstance(node, Atom):
        return None
    src = node.src
    ch = src[1] if len(src) == 2 and src[0] == "\\" and not src[1].isalnum() else src
    if len(ch) != 1 or not ch.isascii() or ch in ".^$[]()|*+?{}\\":
        return None
    return ch.lower()


def required_literals(pattern: str) -> list[str] | None:
    """Lower-case strings one of which every match contains (in the text lower-cased after
    `fold_for_literals`), or None when there is no useful such set."""
    found = _required(parse(pattern))
    if not found or min(len(x) for x in found) < _MIN_LITERAL:
        return None
    return sorted(found)


def _better(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    def score(s: set[str]) -> tuple[int, int]:
        return min(len(x) for x in s), -len(s)

    if not a:
        return b
    if not b:
        return a
    return a if score(a) >= score(b) else b


def _required(node: Node) -> set[str] | None:
    if isinstance(node, Group):
        return _required(node.child)
    if isinstance(node, Repeat):
        return _required(node.child) if node.lo >= 1 else None
    if isinstance(node, Alt):
        sets = [_required(o) for o in node.options]
        if all(sets):
            return set().union(*sets)  # type: ignore[arg-type]
        return None
    if isinstance(node, Seq):
        best: set[str] | None = None
        run: list[str] = []
        for item in node.items:
            ch = _literal_char(item)
            if ch is not None:
                run.append(ch)
                continue
            if run:
                best = _better(best, {"".join(run)})
                run = []
            best = _better(best, _required(item))
        if run:
            best = _better(best, {"".join(run)})
        return best
    ch = _literal_char(node)
    return {ch} if ch is not None else None
