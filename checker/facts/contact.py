"""Contact channels (email, phone, postal address, contact page) and the effective date.

These facts are entities rather than phrases, so they are found by the recognisers in
entities.py and dates.py over every block, headings included (an address often sits alone).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from checker.document import Block, Document
from checker.facts.dates import find_date_placeholders, find_effective_dates, standalone_date
from checker.facts.entities import (
    Match,
    find_emails,
    find_phones,
    find_postal,
    find_urls,
    is_contact_link,
    is_contact_section,
)
from checker.facts.lexicon import entity_data
from checker.records import Evidence, Fact

MAX_EVIDENCE = 5


def _entity_fact(
    fact_id: str, doc: Document, finder: Callable[[Block], list[Match]]
) -> Fact | None:
    values: list[str] = []
    found: list[tuple[bool, bool, int, Evidence]] = []
    for block in doc.blocks:
        for m in finder(block):
            value = " ".join(m.text.split())
            if value in values:
                continue
            values.append(value)
            # quoted first: a channel in a contact section ("Contact us", "Questions") decides the
            # rule; one met in passing elsewhere (a company's support address) only qualifies
            outside = not (block.section and is_contact_section(block.section[-1]))
            # then a channel offered as the way to reach us ("questions? email us at ...") ahead
            # of one standing alone in a page's header or footer (recog2)
            offered = _contact_lead_in().search(block.text, max(0, m.start - 120), m.start)
            quote = doc.evidence(block, m.start, m.end)
            found.append((outside, offered is None, len(found), quote))
    evidence = [ev for *_, ev in sorted(found)[:MAX_EVIDENCE]]
    return Fact(id=fact_id, value=values, evidence=evidence) if values else None


@cache
def _contact_lead_in() -> re.Pattern[str]:
    return re.compile("|".join(entity_data()["contact_lead_ins"]), re.IGNORECASE)


def _contact_links(block: Block) -> list[Match]:
    found = [
        Match(link.start, link.end, link.target)
        for link in block.links
        if not link.target.lower().startswith("mailto:")
        and is_contact_link(block.text[link.start : link.end], link.target)
    ]
    in_contact_section = bool(block.section) and is_contact_section(block.section[-1])
    found += [
        u for u in find_urls(block.text) if in_contact_section or is_contact_link("", u.text)
    ]
    return found


def _effective_date(doc: Document) -> Fact | None:
    """The first block that dates the policy; where it gives several dates ("Effective: July 1,
    2004, Updated: December 23, 2013"), the latest is the date of the version in force."""
    for block in doc.blocks:
        found = find_effective_dates(block.text)
        if found:
            start, end, value = max(found, key=lambda item: item[2])
            return Fact(
                id="policy.effective_date",
                value=value.isoformat(),
                evidence=[doc.evidence(block, start, end)],
            )
    # No label: a date standing alone right under the title, or under a heading that says what
    # it is ("Status of this notice", "Version"), dates the policy too.
    seen: dict[str, bool] = {}  # heading text -> whether it announces a date (this document)
    for i, block in enumerate(doc.blocks):
        above = [block.headings[-1].text if block.headings else ""]
        above.append(doc.blocks[i - 1].text if i and doc.blocks[i - 1].is_heading else "")
        if i < 3 or any(_is_date_heading(text, seen) for text in above):
            value = standalone_date(block.text)
            if value is not None:
                return Fact(id="policy.effective_date", value=value.isoformat(),
                            evidence=[doc.evidence(block, 0, len(block.text))])
    return None


@cache
def _date_heading() -> re.Pattern[str]:
    return re.compile("|".join(entity_data()["date_headings"]), re.IGNORECASE)


def _is_date_heading(text: str, seen: dict[str, bool]) -> bool:
    # asked for every block with the heading above it: answered once per heading text
    if text not in seen:
        seen[text] = _date_heading().search(text) is not None
    return seen[text]


def _date_placeholder(doc: Document) -> Fact | None:
    """A date label with a placeholder instead of a date ("Effective: [DATE]")."""
    for block in doc.blocks:
        found = find_date_placeholders(block.text)
        if found:
            start, end = found[0]
            return Fact(id="policy.date_placeholder", value=block.text[start:end],
                        evidence=[doc.evidence(block, start, end)])
    return None


def _on_text(finder: Callable[[str], list[Match]]) -> Callable[[Block], list[Match]]:
    return lambda block: finder(block.text)


ENTITY_FACTS: dict[str, Callable[[Document], Fact | None]] = {
    "contact.email": lambda doc: _entity_fact("contact.email", doc, _on_text(find_emails)),
    "contact.phone": lambda doc: _entity_fact("contact.phone", doc, _on_text(find_phones)),
    "contact.postal_address": lambda doc: _entity_fact(
        "contact.postal_address", doc, _on_text(find_postal)
    ),
    "contact.web_form": lambda doc: _entity_fact("contact.web_form", doc, _contact_links),
    "policy.effective_date": _effective_date,
    "policy.date_placeholder": _date_placeholder,
}
