"""Inline suppressions written in the policy itself, as real comments of Markdown and HTML sources:

    <!-- privcheck-ignore caloppa.do-not-track: DNT is covered by our cookie banner page -->

Only comments the document's own parser sees as comments count (markdown-it-py's HTML tokens,
lxml's comment nodes): the same text inside a code span, a fenced or indented code block, or
shown as `&lt;!-- ... --&gt;` in HTML is an example of the syntax, not a suppression. Plain-text
policies (.txt read as prose) have no comment syntax, so they have no suppressions: their
readers see every character, and a waiver for them belongs in the configuration (`waivers:`).

The comment names one or more rule ids (comma-separated) and must give a reason after a colon: an
unexplained exception is the thing a reviewer cannot judge, so it is an error (exit 2), as is an
unknown rule id. Suppressed failures are reported as waived, with the reason, never hidden; a
suppression whose rule ran and did not fail is reported as unused (as ruff's RUF100), so that
stale exceptions are removed.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from checker.errors import InputFileError
from checker.records import Finding, Notice, Status
from checker.words import did_you_mean

MARKER = "privcheck-ignore"
_BODY = re.compile(r"^\s*privcheck-ignore\b(?P<body>.*)\Z", re.DOTALL)
_COMMENT = re.compile(r"<!--(?P<text>.*?)-->", re.DOTALL)
_RULE_ID = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Suppression:
    rule: str
    reason: str
    line: int
    column: int = 1


def _markdown_comments(source: str) -> Iterator[tuple[int, str]]:
    """(0-based line, comment text) of each HTML comment markdown-it-py parses as raw HTML."""
    from markdown_it import MarkdownIt

    for tok in MarkdownIt("commonmark").enable("table").parse(source):
        if tok.type == "html_block" and tok.map:
            for m in _COMMENT.finditer(tok.content):
                yield tok.map[0] + tok.content.count("\n", 0, m.start()), m.group("text")
        elif tok.type == "inline" and tok.map:
            line = tok.map[0]
            for child in tok.children or []:
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
                elif child.type == "html_inline":
                    for m in _COMMENT.finditer(child.content):
                        yield line, m.group("text")
                else:
                    line += child.content.count("\n")


def _html_comments(source: str) -> Iterator[tuple[int, str]]:
    """(0-based line, comment text) of each comment node lxml parses."""
    from lxml import etree, html

    try:
        root = html.document_fromstring(source)
    except (etree.ParserError, ValueError):
        return
    nodes = [*reversed(list(root.itersiblings(preceding=True))), *root.iter(etree.Comment),
             *root.itersiblings()]
    for node in nodes:
        if isinstance(node, etree._Comment) and node.sourceline:
            yield node.sourceline - 1, node.text or ""


def real_comments(source: str, fmt: str) -> list[tuple[int, int, str]]:
    """(line, column, text) of every real comment that mentions privcheck-ignore (1-based)."""
    if MARKER not in source:  # the common case: no parse at all
        return []
    if fmt == "markdown":
        found = _markdown_comments(source)
    elif fmt == "html":
        found = _html_comments(source)
    else:
        return []
    lines = source.split("\n")
    out = []
    for line, text in found:
        if MARKER not in text:
            continue
        # The column of the comment on its first line (the parsers give lines only).
        first = text.split("\n", 1)[0]
        row = lines[line] if line < len(lines) else ""
        col = row.find("<!--" + first) + 1 if first else row.find("<!--") + 1
        out.append((line + 1, max(col, 1), text))
    return out


def find_suppressions(path: str, source: str, known: Collection[str],
                      fmt: str | None = None) -> list[Suppression]:
    """Every suppression in the document's real comments, validated; raise on the first bad
    one. `fmt` is the reader's format (sniffed from the path and text when not given)."""
    if fmt is None:
        from checker.readers import sniff_format

        fmt = sniff_format(path, source)
    out: list[Suppression] = []
    for line, column, text in real_comments(source, fmt):
        m = _BODY.match(text)
        if m is None:
            continue  # a comment that merely mentions the word
        body = m.group("body").strip()
        ids_part, colon, reason = body.partition(":")
        reason = " ".join(reason.split())
        ids = [r for r in re.split(r"[,\s]+", ids_part) if r]
        if not ids:
            raise InputFileError("privcheck-ignore names no rule id (write "
                                 "`<!-- privcheck-ignore RULE: reason -->`)", path, line)
        if not colon or not reason:
            raise InputFileError(f"privcheck-ignore {', '.join(ids)} has no reason (write "
                                 f"`<!-- privcheck-ignore {ids[0]}: why it is acceptable -->`)",
                                 path, line)
        for rid in ids:
            if not _RULE_ID.match(rid) or (known and rid not in known):
                hint = did_you_mean(rid, known) if known else ""
                raise InputFileError(f"privcheck-ignore names unknown rule '{rid}'{hint} "
                                     "(see `privcheck rules list`)", path, line)
            out.append(Suppression(rid, reason, line, column))
    return out


def apply_suppressions(results: list[Finding], suppressions: list[Suppression]) -> list[Finding]:
    """Failing findings named by a suppression become waived, with the reason and its line."""
    by_rule = {s.rule: s for s in suppressions}
    out = []
    for f in results:
        s = by_rule.get(f.rule)
        if s is not None and f.status == Status.FAIL:
            f = f.model_copy(update={"status": Status.WAIVED, "waiver_kind": "inline",
                                     "waiver": f"{s.reason} (inline, line {s.line})"})
        out.append(f)
    return out


_UNUSED_WHY = {
    Status.PASS: "the rule passes",
    Status.NOT_APPLICABLE: "the rule does not apply",
    Status.WAIVED: "the configuration already waives it",
}


def unused_suppressions(results: list[Finding],
                        suppressions: list[Suppression]) -> list[Notice]:
    """A notice for each suppression of a rule that ran and did not fail (before suppressions
    were applied). A rule left out of the run (--select, --ignore) says nothing either way."""
    status = {f.rule: f.status for f in results}
    notices = []
    for s in suppressions:
        st = status.get(s.rule)
        if st is None or st == Status.FAIL:
            continue
        notices.append(Notice(
            kind="unused-suppression", rule=s.rule, line=s.line, column=s.column,
            message=f"unused privcheck-ignore for {s.rule}: {_UNUSED_WHY[st]}; remove it",
        ))
    return notices
