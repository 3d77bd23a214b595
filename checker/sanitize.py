"""Hostile text made safe for each output: one module every renderer uses.

Policy text, file names and waiver reasons come from whoever can edit a repository or a web page.
Each renderer escapes for its own format (JSON and XML libraries, Jinja autoescape), but some
characters survive format escaping and still do harm:

- control characters: `ESC ] 0 ; ... BEL` retitles a terminal, `ESC [2J` clears it; a newline in
  a file name starts a new log line (`::error ...` forges a GitHub workflow command); most C0
  characters make XML 1.0 not well-formed;
- bidirectional controls (U+202E RIGHT-TO-LEFT OVERRIDE and friends) make a name display as
  something else (`evil\u202etxt.exe` shows as `evilexe.txt`);
- Markdown syntax in untrusted text: images and links (tracking pixels), raw HTML, `@mentions`
  that notify people, a backtick that breaks out of a code span.

Every such character is shown as a visible escape (`\\x1b`, `\\u202e`), never dropped silently,
so the reader sees that something odd is in the name.
"""

from __future__ import annotations

import re

from checker.lazy_re import LazyPattern

# C0 and C1 control characters, DEL, bidi embeddings/overrides/isolates and marks, the line and
# paragraph separators (they end lines in some consumers), and BOM/zero-width no-break space.
_DISPLAY = LazyPattern(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
# Kept when a renderer asks for several lines (tab, newline are harmless inside a text block).
_DISPLAY_MULTILINE = LazyPattern(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ufeff]")
# Not allowed anywhere in an XML 1.0 document (even escaped), plus the display set above.
_XML = LazyPattern(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
    "\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff]")
_MD_SPECIAL = LazyPattern(r"([\\`*_{}\[\]()#+\-.!|~\"'=:$^])")
_MENTION = LazyPattern(r"@(?=[A-Za-z0-9])")


def _escape_char(m: re.Match[str]) -> str:
    c = m.group(0)
    if c == "\n":
        return "\\n"
    if c == "\r":
        return "\\r"
    if c == "\t":
        return "\\t"
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def display(text: str, multiline: bool = False) -> str:
    """Text for a terminal or a plain log line: control and bidi characters as visible escapes.

    One line unless `multiline` (then newlines and tabs stay; everything else is escaped)."""
    return (_DISPLAY_MULTILINE if multiline else _DISPLAY).sub(_escape_char, text)


def xml_text(text: str) -> str:
    """Text that XML 1.0 can hold (ElementTree escapes markup, not forbidden characters)."""
    return _XML.sub(_escape_char, text)


def md_inline(text: str) -> str:
    """Untrusted text as literal inline Markdown on one line: no links, images, HTML, emphasis,
    code spans or mentions can come out of it; control and bidi characters made visible."""
    text = display(" ".join(text.split()))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # no HTML
    return _MENTION.sub("@\u2060", text)  # word joiner: GitHub does not see a mention


def html_inline(text: str) -> str:
    """Untrusted text inside a raw HTML block of a Markdown file (`<summary>...`), where Markdown
    escapes are not read: HTML-escaped, on one line, mentions broken as in md_inline."""
    text = display(" ".join(text.split()))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MENTION.sub("@\u2060", text)


def md_code(text: str) -> str:
    """Untrusted text as an inline code span: the fence is longer than any backtick run in it,
    so a backtick in a file name cannot close the span early."""
    text = display(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def html_display(value: object) -> object:
    """Jinja `finalize` for HTML: strings get bidi and control characters made visible (then
    autoescaped as usual); markup already marked safe and other values pass through."""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return display(value, multiline=True)
    return value
