"""The shapes of the identifiers the personal-data guard looks for.

Every pattern here runs over text already put in one form by
:func:`curator.publishing.privacy_forms.normalise`: ASCII digits, every dash a hyphen,
every run of white space one space, ``[at]`` an ``@``. So a pattern only has to know the
separators people really put between groups (space, hyphen, dot, slash, underscore, or
one of those with spaces round it), not every character that looks like one.
"""

from __future__ import annotations

import re

# Between digit groups: one space, or a hyphen, dot, slash or underscore with an optional
# space either side ("943 - 476 - 5919", "943/476/5919", "943_476_5919").
SEP = r"(?: ?[\-./_] ?| )"
# Not glued to a longer token: "x9434765919", "12.9434765919", "5-9434765919", "/943...".
NOT_BEFORE = r"(?<![\w+/@])(?<![0-9][.\-])"
NOT_AFTER = r"(?![\w@]|[\-/.][0-9])"

# An NHS number: 3-3-4 or 5-5 digits, or ten together. It may run straight on after
# "NHS", "NHSno" or "number" ("NHS9434765919"), and the first group may be bracketed.
NHS = re.compile(
    r"(?:" + NOT_BEFORE + r"|(?<=nhs)|(?<=nhs_)|(?<=no)|(?<=number)|(?<=num))"
    r"(?:[0-9]{3}\)?" + SEP + r"?[0-9]{3}" + SEP + r"?[0-9]{4}"
    r"|[0-9]{5}" + SEP + r"[0-9]{5})" + NOT_AFTER,
    re.IGNORECASE)

# National Insurance number: two prefix letters, six digits, an optional suffix A-D.
# HMRC never uses D, F, I, Q, U or V in the prefix, nor O as its second letter, and
# never issues the prefixes BG, GB, KN, NK, NT, TN or ZZ.
_NI_SEP = r"[ \-]"
NINO = re.compile(
    r"(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])" + _NI_SEP + r"?"
    r"([0-9]{2})" + _NI_SEP + r"?([0-9]{2})" + _NI_SEP + r"?([0-9]{2})"
    r"(?:" + _NI_SEP + r"?([A-D]))?(?![A-Za-z0-9])",
    re.IGNORECASE)
NINO_REFUSED_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})

# Full UK postcode: an outward code in one of the six shapes (A9, A99, A9A, AA9, AA99,
# AA9A) with the letters each position allows, then the inward code (9AA), with a space,
# a hyphen or nothing between. Letters C, I, K, M, O and V never appear in the inward code.
POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])("
    r"(?:[A-PR-UWYZ][0-9][0-9]?"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
    r"(?: ?- ?| )?[0-9][ABD-HJLNP-UW-Z]{2}"
    r"|GIR ?0AA)(?![A-Za-z0-9])",
    re.IGNORECASE)
ORDINAL_ENDINGS = ("st", "nd", "rd", "th")

# UK phone numbers, national (0...) or international (+44, 0044, with or without "(0)").
# Digit groups are at least three long after the area code, so ISBN-10 groups
# ("0-19-852663-6") and page ranges do not qualify; what matched is then checked for
# length and prefix.
_PHONE_SEP = r"[ \-]"
PHONE = re.compile(
    NOT_BEFORE + r"(?:"
    r"(?P<intl>(?:\+|00)44" + _PHONE_SEP + r"?(?:\(0\)" + _PHONE_SEP + r"?|0)?"
    r"\(?[1-37][0-9]{1,3}\)?)"
    r"|(?P<nat>\(?0[1-37][0-9]{1,3}\)?))"
    r"(?:" + _PHONE_SEP + r"?[0-9]{3,8}){1,2}" + NOT_AFTER)

EMAIL = re.compile(
    r"(?<![\w.+\-])[A-Za-z0-9](?:[A-Za-z0-9._%+\-]{0,62}[A-Za-z0-9_%+\-])?"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w\-])")

_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
           r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"[0-9]{1,2}(?:st|nd|rd|th)?"
# Between the parts of a written date: "1 Feb 2010", "01-Feb-2010", "1st of February, 2010".
_DATE_SEP = r"(?: ?[\-/.,] ?| )"
DATE = (
    r"(?:[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-](?:[0-9]{4}|[0-9]{2})"
    r"|[0-9]{1,2} [0-9]{1,2} [0-9]{4}"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"|" + _DAY + r"(?: of)?" + _DATE_SEP + _MONTHS + _DATE_SEP + r"?[0-9]{2,4}"
    r"|" + _MONTHS + r" [0-9]{1,2}(?:st|nd|rd|th)?,? [0-9]{4})")
# The words that say a date is someone's birth date.
_DOB_WORDS = (r"(?:dob\b|d\. ?o\. ?b\b\.?|date of birth|birth ?date|birthday|born(?: on)?"
              r"|b\.)")
# A date counts only when the words around it say it is someone's birth date: before it
# ("DOB: 01/02/2010", "(DOB) 01/02/2010", "DOB - 1 Feb 2010", "b. 01.02.2010") or just
# after it ("01/02/2010 (DOB)").
DOB = re.compile(
    r"(?<![\w.])(?P<word>" + _DOB_WORDS + r")"
    r"(?:[ :\-=)\].,]{0,4}(?:(?:is|was) )?)(?:on )?(?:the )?"
    r"(" + DATE + r")(?![0-9])",
    re.IGNORECASE)
DOB_AFTER = re.compile(
    r"(?<![0-9])(" + DATE + r")(?: ?[(\[,:\-] ?| )(?P<word>dob\b|d\. ?o\. ?b\b\.?"
    r"|date of birth\b)[)\]]?",
    re.IGNORECASE)

# Where digits belong to something else: a DOI, a web address, an ISBN or ISSN.
DOI = re.compile(r"\b10\.[0-9]{4,9}/\S+")
# Starts only where a word starts, with labels of bounded length, so that a long run of
# "a.a.a..." or "1-1-1..." costs linear time, not quadratic.
URL = re.compile(r"(?<![\w.\-@])(?:https?://|www\.|[a-z0-9][a-z0-9\-]{0,62}"
                 r"(?:\.[a-z0-9][a-z0-9\-]{0,62})*\.[a-z]{2,24}/)\S*", re.IGNORECASE)
CITATION_NUMBER = re.compile(r"\b(?:ISBN|ISSN)(?:-1[03])?:?\s*[0-9][0-9Xx \-]{7,20}",
                             re.IGNORECASE)


def digits_of(text: str) -> str:
    return re.sub("[^0-9]", "", text)


def national_phone(m: re.Match) -> str:
    """The digits of a matched phone number in national form (07700900123)."""
    digits = digits_of(m.group())
    if m.group("intl"):
        digits = "0" + digits[4:] if digits.startswith("0044") else "0" + digits[2:]
        if digits.startswith("00"):  # "+44 (0) 20 ..." keeps its written trunk zero
            digits = digits[1:]
    return digits


def is_uk_phone(digits: str) -> bool:
    """Could these national-form digits be a UK phone a person answers?"""
    if len(digits) == 11:
        return digits[:2] in ("01", "02", "03", "07")
    # A few areas (Brampton 016977, some 01xxx) have ten-digit numbers.
    return len(digits) == 10 and digits.startswith("01")


def postcode_key(text: str) -> str:
    return re.sub("[^A-Z0-9]", "", text.upper())
