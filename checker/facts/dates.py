"""The policy's effective date: a date label ("Last updated", "Effective") followed by a date.

Dates come in every form (March 4, 2015 / 4 March 2015 / Jan. 2, 2014 / January, 2015 /
12/23/2014 / 2014-12-23); dateutil does the parsing once the regex has found the span.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache

from checker.facts.entities import has_digit, is_placeholder
from checker.facts.lexicon import entity_data

_DIGIT = re.compile(r"\d")


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    d = entity_data()
    month = "|".join([*d["months"], *d["month_abbreviations"]])
    day = r"\d{1,2}(?:st|nd|rd|th)?"
    date_forms = "|".join(
        [
            # March 4, 2015 / Jan. 2, 2014 / January, 30, 2023 / March 20/2023
            rf"(?:{month})\.?,?\s+{day}(?:,?\s+|,|/)\d{{4}}",
            rf"{day}\s+(?:of\s+)?(?:{month})\.?,?\s+\d{{4}}",  # 4 March 2015
            rf"(?:{month})\.?,?\s+\d{{4}}",  # January, 2015
            r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}",  # 2014-12-23 / 2025/09/12
            r"\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})",  # 12/23/2014 / 04.03.2015 (day first)
            r"\d{1,2}-\d{1,2}-\d{4}",  # 06-01-2025
            r"(?:0?[1-9]|1[0-2])[/.]\d{4}",  # 10/2014 (month and year)
        ]
    )
    weekday = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"  # Mon, 02 Aug 2010 09:15
    labels = "|".join(d["date_labels"])
    labelled = re.compile(
        rf"\b(?:{labels})\b[\s:,\-–—*_]{{0,6}}(?:on\s+|date\s*:?\s*|is\s+|the\s+)?{weekday}(?P<date>{date_forms})\b",
        re.IGNORECASE,
    )
    return labelled, re.compile(rf"^(?:{date_forms})$", re.IGNORECASE)


def parse_date(text: str) -> date | None:
    """A real calendar date from the matched text, or None (placeholders, impossible dates)."""
    if is_placeholder(text):
        return None
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.replace(".", " ").replace(",", " "))
    # "March 20/2023": a slash between the day and the year of a written-out month
    cleaned = re.sub(r"^([^\W\d]+\s+\d{1,2})/(\d{4})\s*$", r"\1 \2", cleaned.strip())
    cleaned = re.sub(r"\bof\s+", "", cleaned)  # 1st of March, 2015
    # Numeric dates: dots are the day-first (European) form, 04.03.2015 = 4 March 2015; slashes
    # and dashes are read month first (US) unless the first number cannot be a month (23/12/2014).
    dayfirst = bool(re.fullmatch(r"\s*\d{1,2}\.\d{1,2}\.\d{2,4}\s*", text))
    if re.fullmatch(r"\s*\d{1,2}\s+\d{1,2}\s+\d{2,4}\s*", cleaned):
        cleaned = text  # numeric dates keep their separators for dateutil
    month_year = re.fullmatch(r"\s*(\d{1,2})[/.](\d{4})\s*", text)
    if month_year:
        cleaned = f"{month_year.group(2)}-{int(month_year.group(1)):02d}-01"
    quick = None if dayfirst else quick_date(cleaned)
    if quick is not None:
        parsed = datetime(quick.year, quick.month, quick.day)
    else:
        from dateutil import parser as dateparser  # only for the less common forms

        try:
            parsed = dateparser.parse(cleaned, default=_FIRST_OF_MONTH, dayfirst=dayfirst)
        except (ValueError, OverflowError):
            return None
    if not 1990 <= parsed.year <= date.today().year + 2:
        return None
    return parsed.date()


# dateutil's English month names (parserinfo.MONTHS), for the forms read without it.
_MONTH_NUMBER = {name: i for i, names in enumerate(
    ["jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july",
     "aug august", "sep sept september", "oct october", "nov november", "dec december"], 1)
    for name in names.split()}
_QUICK = re.compile(r" *(?:(?P<m1>[A-Za-z]+) +(?:(?P<d1>[0-9]{1,2}) +)?(?P<y1>[0-9]{4})"
                    r"|(?P<d2>[0-9]{1,2}) +(?P<m2>[A-Za-z]+) +(?P<y2>[0-9]{4})"
                    r"|(?P<y3>[0-9]{4})-(?P<m3>[0-9]{1,2})-(?P<d3>[0-9]{1,2})) *")


def quick_date(cleaned: str) -> date | None:
    """The date dateutil would read from the common forms ("March 4 2025", "4 March 2025",
    "March 2025", "2025-03-04"), without importing dateutil (a fifth of a short run's
    start-up); None when the text is in another form or is no date, and dateutil decides.
    tests/test_lean.py compares the two on every month name and day."""
    m = _QUICK.fullmatch(cleaned)
    if m is None:
        return None
    if m["y3"]:
        year, month, day = int(m["y3"]), int(m["m3"]), int(m["d3"])
    else:
        number = _MONTH_NUMBER.get((m["m1"] or m["m2"]).lower())
        if number is None:
            return None
        year, month, day = int(m["y1"] or m["y2"]), number, int(m["d1"] or m["d2"] or 1)
    try:
        return date(year, month, day)
    except ValueError:
        return None


_FIRST_OF_MONTH = datetime(2000, 1, 1)


@cache
def _placeholder_pattern() -> re.Pattern[str]:
    d = entity_data()
    labels = "|".join(d["date_labels"])
    holders = "|".join(d["placeholders"])
    return re.compile(rf"\b(?:{labels})\b[\s:,\-–—*_]{{0,6}}(?:on\s+)?(?P<date>{holders})",
                      re.IGNORECASE)


def find_date_placeholders(text: str) -> list[tuple[int, int]]:
    """(start, end) of each date label followed by a placeholder ("Last updated: [DATE]"): the
    near miss an effective-date failure points at."""
    if not any(c in text for c in "[{<") and "TBD" not in text and "XX" not in text:
        return []
    return [(m.start(), m.end()) for m in _placeholder_pattern().finditer(text)]


def standalone_date(text: str) -> date | None:
    """The date when a block is nothing but a date ("November 5, 2025" under the title)."""
    core = text.strip().strip("*_()[]:. ")
    if not _DIGIT.search(core) or len(core) > 40:
        return None
    _, alone = _patterns()
    return parse_date(core) if alone.match(core) else None


@cache
def _other_document() -> re.Pattern[str]:
    """The name of another document right before a date label (it dates that document)."""
    names = "|".join(entity_data().get("date_other_documents") or [r"(?!)"])
    return re.compile(rf"\b(?:{names})\W{{0,3}}(?:(?:was|were|is)\s+)?$", re.IGNORECASE)


def find_effective_dates(text: str) -> list[tuple[int, int, date]]:
    """(start, end, date) for each labelled date in a text; the span covers label and date.
    A label right after another document's name ("Cookie declaration last updated on ...")
    dates that document, not the policy (recog2)."""
    if not has_digit(text):  # every date form has a year
        return []
    labelled, _ = _patterns()
    out = []
    for m in labelled.finditer(text):
        if _other_document().search(text, max(0, m.start() - 60), m.start()):
            continue
        value = parse_date(m.group("date"))
        if value is not None:
            out.append((m.start(), m.end(), value))
    return out
