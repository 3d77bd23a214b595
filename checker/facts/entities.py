"""Recognisers for things patterns alone describe badly: emails, URLs, phones, postal addresses.

Their vocabulary (street suffixes, states, placeholder domains, opt-out pages) is data in
lexicons/entities.yaml; the structure of each entity is here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from checker.document import Sentence
from checker.facts.lexicon import entity_data

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}\b")
# An address spelt out against harvesters: "name (at) domain (dot) com", "name[at]domain.com",
# "name AT domain DOT com". The "at" must be bracketed or capitalised, so "meet us at home dot" and
# ordinary prose never match; the domain needs at least one dot or "(dot)".
_AT = r"(?:\s*[(\[{]\s*(?i:at)\s*[)\]}]\s*|\s+AT\s+)"
_DOT = r"(?:\s*[(\[{]\s*(?i:dot)\s*[)\]}]\s*|\s+DOT\s+|\.)"
_SPELT_AT = re.compile(_AT)
OBFUSCATED_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w.+-]+{_AT}(?:[A-Za-z0-9-]+{_DOT})+[A-Za-z]{{2,24}}\b"
)
URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"')\]]+[^\s<>\"').,;:!?\]]"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|gov|edu|info|io|us)/[^\s<>\"')\]]*[\w/]",
    re.IGNORECASE,
)
PHONE = re.compile(
    r"(?<![\w/.-])(?:"
    r"(?:\+?1[-.\s]?)?(?:\(\d{3}\)\s?|\d{3}[-.\s])\d{3}[-.\s]\d{4}"  # US
    r"|(?:\+?1[-.\s]?)?8[0-9]{2}[-.\s][A-Z0-9]{3}[-.\s]?[A-Z0-9]{4}"  # toll-free with letters
    r"|\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]\d{2,5}){1,4}"  # international
    r")(?![\w/-])"
)


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    text: str


@cache
def _compiled() -> dict[str, re.Pattern[str]]:
    d = entity_data()
    suffixes = "|".join(re.escape(s) for s in d["street_suffixes"])
    states = "|".join([*d["us_states"], *(re.escape(n) for n in d["us_state_names"])])
    return {
        "placeholder": re.compile("|".join(d["placeholders"]), re.IGNORECASE),
        "street": re.compile(
            r"\b\d{1,6}[A-Z]?(?:-\d+)?\s+(?:[NSEW]\.?\s+)?(?:[A-Z0-9][\w.'-]*\s+){0,4}"
            rf"(?i:{suffixes})\b\.?"
        ),
        "city_state_zip": re.compile(
            rf"\b[A-Z][A-Za-z.' -]{{1,40}},?\s+(?:{states})\.?,?\s+\d{{5}}(?:-\d{{4}})?\b"
        ),
        "postal_other": re.compile("|".join(d["postal_patterns"])),
        # "Musterstrasse 1, 10115 Berlin", "Rue de la Loi 200, 1049 Brussels" (Continental order):
        # found by its "number, postcode Town" tail, then confirmed by a street word just before
        "postal_eu_tail": re.compile(
            r"(?<![\d,.])\d{1,4}[a-zA-Z]?,?\s+(?:[A-Z]{1,2}-)?\d{4,5}\s+[A-Z][\w-]+"),
        "postal_eu_street": re.compile(
            r"[\w'.-]*(?i:" + "|".join(d["eu_street_words"]) + r")[\w'.-]*(?:\s+[\w'.-]+){0,4}\s+$"
        ),
        # a national number after its label ("Tel: 020 7946 0958", "call us on 01632 960123")
        "phone_national": re.compile(
            r"(?i:\b(?:" + "|".join(d["phone_labels"]) + r"))\.?\s*:?\s*"
            r"(0\d{1,4}(?:[\s-]?\d{2,4}){1,3})(?![\w/-])"
        ),
        "contact_link": re.compile("|".join(d["contact_link"]), re.IGNORECASE),
        "optout_page": re.compile("|".join(d["optout_pages"]), re.IGNORECASE),
        "contact_section": re.compile("|".join(d["contact_sections"]), re.IGNORECASE),
    }


def is_placeholder(text: str) -> bool:
    return bool(_compiled()["placeholder"].search(text))


def _real_email(email: str) -> bool:
    d = entity_data()
    user, _, domain = email.lower().rpartition("@")
    return domain not in d["placeholder_email_domains"] and user not in d["placeholder_email_users"]


# Every recogniser below first asks whether the text can hold its entity at all (an "@", a digit,
# a dot): most sentences cannot, and the check costs far less than the regex.
_HAS_DIGIT = re.compile(r"\d")


def has_digit(text: str) -> bool:
    r"""Whether `\d` matches in the text: for ASCII text (nearly every block) ten substring
    tests, which run at memory speed where the regex steps through every character."""
    if text.isascii():
        return any(d in text for d in "0123456789")
    return _HAS_DIGIT.search(text) is not None


# Every phone form has three digits in a row or "+digit"; every "City, ST 12345" line has five.
_PHONE_HINT = re.compile(r"\d{3}|\+\d")
_ZIP_HINT = re.compile(r"\d{5}")
_POSTCODE_HINT = re.compile(r"\d{4}")  # a ZIP has five digits, a Continental postcode four or five


def _deobfuscate(spelt: str) -> str:
    """"name (at) domain (dot) com" -> "name@domain.com", to judge it like any address."""
    out = re.sub(_AT, "@", spelt, count=1)
    return re.sub(_DOT, ".", out)


def find_emails(text: str) -> list[Match]:
    found = []
    if "@" in text:
        found = [
            Match(m.start(), m.end(), m.group(0).rstrip("."))
            for m in EMAIL.finditer(text)
            if _real_email(m.group(0).rstrip("."))
        ]
    # A spelt "at" is capitalised, or bracketed (and then "at" in any case is in the text):
    # without one of these the regex cannot match, and most texts are decided by `in` alone.
    if ("AT" in text or (("(" in text or "[" in text or "{" in text)
                         and "at" in text.lower())) and _SPELT_AT.search(text):
        found += [
            Match(m.start(), m.end(), m.group(0))
            for m in OBFUSCATED_EMAIL.finditer(text)
            if _real_email(_deobfuscate(m.group(0)))
        ]
    return sorted(found, key=lambda m: m.start)


def find_urls(text: str) -> list[Match]:
    if "/" not in text and "www." not in text.lower():  # every URL form has one or the other
        return []
    return [Match(m.start(), m.end(), m.group(0)) for m in URL.finditer(text)]


def find_phones(text: str) -> list[Match]:
    if not has_digit(text) or not _PHONE_HINT.search(text):
        return []
    out = []
    for m in PHONE.finditer(text):
        digits = sum(c.isalnum() for c in m.group(0))  # 1-800-FLOWERS counts its letters
        if 7 <= digits <= 15 and sum(c.isdigit() for c in m.group(0)) >= 4:
            out.append(Match(m.start(), m.end(), m.group(0).strip()))
    national = _compiled()["phone_national"].finditer(text) if "0" in text else ()  # 0\d...
    for m in national:
        if 9 <= sum(c.isdigit() for c in m.group(1)) <= 12 and not any(
                o.start <= m.start(1) < o.end for o in out):
            out.append(Match(m.start(1), m.end(1), m.group(1).strip()))
    return sorted(out, key=lambda m: m.start)


def find_postal(text: str) -> list[Match]:
    """Street lines, 'City, ST 12345' lines and P.O. boxes; a street followed by its city line
    within a few lines is one address."""
    if not has_digit(text):
        return []
    c = _compiled()
    keys = ("street", "city_state_zip", "postal_other") if _ZIP_HINT.search(text) else (
        "street", "postal_other")
    found = [Match(m.start(), m.end(), m.group(0)) for key in keys for m in c[key].finditer(text)]
    if _POSTCODE_HINT.search(text):
        for m in c["postal_eu_tail"].finditer(text):
            street = c["postal_eu_street"].search(text, max(0, m.start() - 60), m.start())
            if street:
                found.append(Match(street.start(), m.end(), text[street.start() : m.end()]))
    found.sort(key=lambda m: m.start)
    merged: list[Match] = []
    for m in found:
        if merged and m.start - merged[-1].end < 80:
            last = merged[-1]
            end = max(last.end, m.end)
            merged[-1] = Match(last.start, end, text[last.start : end])
        else:
            merged.append(m)
    return [m for m in merged if not is_placeholder(m.text)]


def is_contact_link(label: str, target: str) -> bool:
    if target.lower().startswith(("mailto:", "tel:")):
        return True
    return bool(_compiled()["contact_link"].search(f"{label} {target}"))


def is_contact_section(title: str) -> bool:
    return bool(_compiled()["contact_section"].search(title))


def is_optout_page(text: str) -> bool:
    return bool(_compiled()["optout_page"].search(text))


def sentence_entities(sentence: Sentence) -> frozenset[str]:
    """The entity kinds present in one sentence (links count through their targets)."""
    text = sentence.text
    kinds: set[str] = set()
    if find_emails(text):
        kinds.add("email")
    urls = find_urls(text)
    if urls:
        kinds.add("url")
        if any(is_optout_page(u.text) for u in urls):
            kinds.add("optout_page")
        if any(is_contact_link("", u.text) for u in urls):
            kinds.add("contact_link")
    if find_phones(text):
        kinds.add("phone")
    if find_postal(text):
        kinds.add("postal_address")
    block_text = sentence.block.text
    for link in sentence.links():
        target = link.target.strip()
        if not target or target == "#":
            continue
        kinds.add("link")
        label = block_text[link.start : link.end]
        if target.lower().startswith("mailto:"):
            kinds.update(("mailto", "email"))
        if is_optout_page(target) or is_optout_page(label):
            kinds.add("optout_page")
        if is_contact_link(label, target):
            kinds.add("contact_link")
    return frozenset(kinds)
