"""The personal-data guard: spot what could identify a child or family in an expert's text.

Experts write titles, summaries, "why it matters" notes and tags for a public portal.
Case details do not belong there, yet a note pasted from a case record can carry them.
:func:`scan` looks for the identifiers that would do the most harm if published: NHS
numbers (with a valid check digit), National Insurance numbers, full UK postcodes, UK
phone numbers, email addresses and dates of birth written as such. :func:`describe`
turns what it found into a message that says exactly where.

The guard is deliberately narrow. It flags things that look like identifiers, not names
or stories, so that a flag is nearly always worth the expert's attention; an approver can
still override a flag with a recorded reason. Only ASCII digits count as digits.

Messages quote the text they found so the expert can find it. They are for the person
at the screen: keep them out of logs and the audit trail (record the kinds and fields).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from stdnum.gb import nhs as _nhs

#: What each kind is called in messages.
LABELS = {
    "nhs_number": "an NHS number",
    "ni_number": "a National Insurance number",
    "postcode": "a full postcode",
    "phone": "a phone number",
    "email": "an email address",
    "date_of_birth": "a date of birth",
}

#: What each field is called in messages.
FIELD_NAMES = {
    "title": "title",
    "summary": "summary",
    "notes": "note",
    "tags": "tags",
    "author": "author",
}

#: The fields of a resource written by the expert and shown on the portal.
EXPERT_FIELDS = ("title", "summary", "notes", "tags")

# When two finds overlap (a 10-digit number may look like both an NHS number and a
# phone number), the first kind in this order is the one reported.
_PRIORITY = ("date_of_birth", "nhs_number", "ni_number", "email", "phone", "postcode")

# Separators people put between digit groups, including the no-break and thin spaces
# that word processors insert and the hyphens and dashes they substitute.
_SEP = "[ \u00a0\u2009\u202f\\-\u2010\u2011\u2013]"
# Not glued to a longer token: "x9434765919", "12.9434765919", "5-9434765919", "/943...".
_NOT_BEFORE = r"(?<![\w+/@])(?<![0-9][.\-\u2013])"
_NOT_AFTER = r"(?![\w@]|[\-/.][0-9])"

_NHS = re.compile(
    _NOT_BEFORE + r"(?:[0-9]{3}" + _SEP + r"?[0-9]{3}" + _SEP + r"?[0-9]{4})" + _NOT_AFTER)

# National Insurance number: two prefix letters, six digits, an optional suffix A-D.
# HMRC never uses D, F, I, Q, U or V in the prefix, nor O as its second letter, and
# never issues the prefixes BG, GB, KN, NK, NT, TN or ZZ.
_NINO = re.compile(
    r"(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])" + _SEP + r"?"
    r"([0-9]{2})" + _SEP + r"?([0-9]{2})" + _SEP + r"?([0-9]{2})"
    r"(?:" + _SEP + r"?([A-D]))?(?![A-Za-z0-9])",
    re.IGNORECASE)
_NINO_REFUSED_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})

# Full UK postcode: an outward code in one of the six shapes (A9, A99, A9A, AA9, AA99,
# AA9A) with the letters each position allows, then the inward code (9AA). Letters C, I,
# K, M, O and V never appear in the inward code.
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])("
    r"(?:[A-PR-UWYZ][0-9][0-9]?"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
    r"[ \u00a0]?[0-9][ABD-HJLNP-UW-Z]{2}"
    r"|GIR[ \u00a0]?0AA)(?![A-Za-z0-9])",
    re.IGNORECASE)
_ORDINAL_ENDINGS = ("st", "nd", "rd", "th")

# UK phone numbers, national (0...) or international (+44, 0044, with or without "(0)").
# Digit groups are at least three long after the area code, so ISBN-10 groups
# ("0-19-852663-6") and page ranges do not qualify; what matched is then checked for
# length and prefix.
_PHONE = re.compile(
    _NOT_BEFORE + r"(?:"
    r"(?P<intl>(?:\+|00)44" + _SEP + r"?(?:\(0\)" + _SEP + r"?|0)?\(?[1-37][0-9]{1,3}\)?)"
    r"|(?P<nat>\(?0[1-37][0-9]{1,3}\)?))"
    r"(?:" + _SEP + r"?[0-9]{3,8}){1,2}" + _NOT_AFTER)

_EMAIL = re.compile(
    r"(?<![\w.+\-])[A-Za-z0-9](?:[A-Za-z0-9._%+\-]{0,62}[A-Za-z0-9_%+\-])?"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w\-])")

_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
           r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DATE = (
    r"(?:[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-](?:[0-9]{4}|[0-9]{2})"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"|[0-9]{1,2}(?:st|nd|rd|th)?(?:\s+of)?\s+" + _MONTHS + r",?\s+[0-9]{2,4}"
    r"|" + _MONTHS + r"\s+[0-9]{1,2}(?:st|nd|rd|th)?,?\s+[0-9]{4})")
# A date counts only when the words around it say it is someone's birth date.
_DOB = re.compile(
    r"(?<![\w.])(?:dob\b|d\.\s?o\.\s?b\b\.?|date\s+of\s+birth|birth\s*date|born(?:\s+on)?)"
    r"(?:\s*(?:[:\-\u2013=]|is|was)\s*|\s+)" + r"(?:on\s+)?(?:the\s+)?"
    r"(" + _DATE + r")(?![0-9])",
    re.IGNORECASE)

# Where digits belong to something else: a DOI, a web address, an ISBN or ISSN.
_DOI = re.compile(r"\b10\.[0-9]{4,9}/\S+")
# Starts only where a word starts, with labels of bounded length, so that a long run of
# "a.a.a..." or "1-1-1..." costs linear time, not quadratic.
_URL = re.compile(r"(?<![\w.\-@])(?:https?://|www\.|[a-z0-9][a-z0-9\-]{0,62}"
                  r"(?:\.[a-z0-9][a-z0-9\-]{0,62})*\.[a-z]{2,24}/)\S*", re.IGNORECASE)
_CITATION_NUMBER = re.compile(r"\b(?:ISBN|ISSN)(?:-1[03])?:?\s*[0-9][0-9Xx \-]{7,20}",
                              re.IGNORECASE)

_EXCERPT_CONTEXT = 24


@dataclass(frozen=True)
class Hit:
    """Something in a field that looks like personal data.

    Attributes:
        field: the field it was found in ("notes", "title" ...).
        kind: a short machine word, one of :data:`LABELS`.
        start: where it starts in the field's text.
        end: where it ends (exclusive).
        excerpt: the text around it, with the find marked «like this».
        label: what it is in plain words ("an NHS number").
    """

    field: str
    kind: str
    start: int
    end: int
    excerpt: str
    label: str


def scan(fields: Mapping[str, str | Iterable[str] | None]) -> list[Hit]:
    """Everything in *fields* (name -> text) that looks like it could identify someone.

    A list value (tags) is scanned as its items joined with ", ". Finds are returned in
    field order, then by position.
    """
    hits: list[Hit] = []
    for name, value in fields.items():
        text = _as_text(value)
        if text:
            hits.extend(_scan_text(name, text))
    return hits


def scan_resource(resource: Mapping) -> list[Hit]:
    """Scan the expert-written fields of a resource (a dict or a Resource's ``to_dict()``)."""
    return scan({name: resource.get(name) for name in EXPERT_FIELDS})


def describe(hits: list[Hit], *, before: str = "it is shared") -> str:
    """A message saying what was found and where, or "" when there is nothing.

    *before* finishes the advice: "Remove it before {before}." (for example
    "submitting this resource" or "exporting the bundle").
    """
    if not hits:
        return ""
    sentences = []
    for field in dict.fromkeys(h.field for h in hits):
        parts = [f"what looks like {h.label}: '{h.excerpt}'" for h in hits if h.field == field]
        name = FIELD_NAMES.get(field, field)
        verb = "contain" if name == "tags" else "contains"
        sentences.append(f"The {name} {verb} {_join(parts)}.")
    one = len(hits) == 1
    advice = (f"Remove {'it' if one else 'them'} before {before}: the portal is public, and "
              f"{'this' if one else 'these'} could identify a child or family.")
    return " ".join(sentences + [advice])


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Iterable):
        return ", ".join(str(v) for v in value)
    return str(value)


def _join(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return "; ".join(parts[:-1]) + "; and " + parts[-1]


def _spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _scan_text(field: str, text: str) -> list[Hit]:
    found: list[tuple[str, int, int]] = []
    citations = _spans(_DOI, text) + _spans(_CITATION_NUMBER, text)
    addresses = _spans(_URL, text)

    for m in _DOB.finditer(text):
        found.append(("date_of_birth", m.start(), m.end()))

    for m in _NHS.finditer(text):
        digits = re.sub("[^0-9]", "", m.group())
        # Ten equal digits pass the check but are placeholders, never a real number.
        if len(set(digits)) > 1 and _nhs.is_valid(digits) and \
                not _inside(m.start(), m.end(), citations):
            found.append(("nhs_number", m.start(), m.end()))

    for m in _NINO.finditer(text):
        prefix = m.group(1)
        # Without the suffix letter, two lower-case letters and six digits are as likely
        # to be ordinary words and a number ("on 12 34 56"); insist on capitals then.
        if m.group(5) is None and not prefix.isupper():
            continue
        if prefix.upper() not in _NINO_REFUSED_PREFIXES and \
                not _inside(m.start(), m.end(), citations):
            found.append(("ni_number", m.start(), m.end()))

    for m in _EMAIL.finditer(text):
        found.append(("email", m.start(), m.end()))

    skip_numbers = citations + addresses
    for m in _PHONE.finditer(text):
        if not _inside(m.start(), m.end(), skip_numbers) and _is_uk_phone(m):
            found.append(("phone", m.start(), m.end()))

    for m in _POSTCODE.finditer(text):
        inward_letters = m.group(1)[-2:]
        # "B1 1st", "M25 4th": lower-case ordinals read as postcodes; real ones are rarely
        # written that way, while a genuine lower-case postcode ("m1 1ae") still counts.
        if inward_letters in _ORDINAL_ENDINGS:
            continue
        if not _inside(m.start(), m.end(), addresses):
            found.append(("postcode", m.start(), m.end()))

    return [Hit(field, kind, s, e, _excerpt(text, s, e), LABELS[kind])
            for kind, s, e in _without_overlaps(found)]


def _is_uk_phone(m: re.Match) -> bool:
    digits = re.sub("[^0-9]", "", m.group())
    if m.group("intl"):
        digits = "0" + digits[4:] if digits.startswith("0044") else "0" + digits[2:]
        if digits.startswith("00"):  # "+44 (0) 20 ..." keeps its written trunk zero
            digits = digits[1:]
    if len(digits) == 11:
        return digits[:2] in ("01", "02", "03", "07")
    # A few areas (Brampton 016977, some 01xxx) have ten-digit numbers.
    return len(digits) == 10 and digits.startswith("01")


def _without_overlaps(found: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    ranked = sorted(found, key=lambda f: (_PRIORITY.index(f[0]), f[1]))
    kept: list[tuple[str, int, int]] = []
    for kind, s, e in ranked:
        if all(e <= ks or s >= ke for _, ks, ke in kept):
            kept.append((kind, s, e))
    return sorted(kept, key=lambda f: f[1])


def _excerpt(text: str, start: int, end: int) -> str:
    left = max(0, start - _EXCERPT_CONTEXT)
    right = min(len(text), end + _EXCERPT_CONTEXT)
    # Cut at a space so the excerpt does not start or end mid-word, when one is near.
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    before = " ".join(text[left:start].split())
    found = " ".join(text[start:end].split())
    after = " ".join(text[end:right].split())
    lead = "…" if left > 0 else ""
    tail = "…" if right < len(text) else ""
    gap_before = " " if text[left:start][-1:].isspace() else ""
    gap_after = " " if text[end:right][:1].isspace() else ""
    return f"{lead}{before}{gap_before}«{found}»{gap_after}{after}{tail}"
