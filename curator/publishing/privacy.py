"""The personal-data guard: spot what could identify a child or family before it is shared.

Experts write titles, summaries, "why it matters" notes and tags for a public portal,
and a bundle also carries each resource's author, site and web address. Case details
do not belong in any of them, yet a note pasted from a case record can carry them.
:func:`scan_resource` looks at every field that leaves in a bundle
(:data:`curator.publishing.bundles.PUBLIC_FIELDS`; for the web address, its user name,
password and query) for the identifiers that would do the most harm if published: NHS
numbers (with a valid check digit), National Insurance numbers, full UK postcodes, UK
phone numbers, email addresses and dates of birth written as such. :func:`describe`
turns what it found into a message that says exactly where, and why.

Text is put in one form first (:mod:`curator.publishing.privacy_forms`), so full-width
digits, zero-width spaces, odd dashes, line breaks and ``[at]`` hide nothing. Public
details are told from case details (:mod:`curator.publishing.privacy_context`): a
helpline's number or an office postcode printed on the resource's own page, a role
address such as ``info@``, or a large figure that merely passes the NHS check digit are
not flagged. The guard flags things that look like identifiers, not names or stories,
so that a flag is nearly always worth the expert's attention; an approver can still go
ahead past a flag with a recorded reason (:mod:`curator.publishing.overrides`).

Messages quote the text they found so the expert can find it. They are for the person
at the screen: keep them out of logs and the audit trail (record the kinds and fields).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

from stdnum.gb import nhs as _nhs

from curator.publishing import privacy_context as context
from curator.publishing import privacy_patterns as pat
from curator.publishing.bundles.format import PUBLIC_FIELDS
from curator.publishing.privacy_forms import normalise

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
    "site": "site",
    "url": "web address",
    "audience": "audience",
    "themes": "themes",
    "language": "language",
    "published": "publication date",
    "type": "type",
}

#: The fields of a resource written by the expert (kept for callers that name them).
EXPERT_FIELDS = ("title", "summary", "notes", "tags")
#: Every field that leaves in a bundle: all of them are scanned.
SCANNED_FIELDS = PUBLIC_FIELDS

# When two finds overlap (a 10-digit number may look like both an NHS number and a
# phone number), the first kind in this order is the one reported.
_PRIORITY = ("date_of_birth", "nhs_number", "ni_number", "email", "phone", "postcode")

_EXCERPT_CONTEXT = 24
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))

PageText = str | Callable[[], str] | None


@dataclass(frozen=True)
class Hit:
    """Something in a field that looks like personal data.

    Attributes:
        field: the field it was found in ("notes", "title" ...).
        kind: a short machine word, one of :data:`LABELS`.
        start: where it starts in the field's text (:func:`field_text`).
        end: where it ends (exclusive).
        excerpt: the text around it, with the find marked «like this».
        label: what it is in plain words ("an NHS number").
        reason: why it was flagged, to follow "It ..." ("passes the NHS number check
            digit").
    """

    field: str
    kind: str
    start: int
    end: int
    excerpt: str
    label: str
    reason: str = ""

    @property
    def signature(self) -> list:
        """What identifies this find in this exact text (kept with an override)."""
        return [self.field, self.kind, self.start, self.end]


def field_text(name: str, value) -> str:
    """The exact text of a field the guard reads: lists joined with ", "; for the web
    address, its user name and password and its query and fragment parameters."""
    if name == "url":
        return _url_text(value)
    return _as_text(value)


def texts(resource: Mapping) -> dict[str, str]:
    """The text of every scanned field of *resource* (a dict or ``Resource.to_dict()``)."""
    return {name: field_text(name, resource.get(name)) for name in SCANNED_FIELDS}


def scan(fields: Mapping[str, str | Iterable[str] | None], *,
         page_text: PageText = None) -> list[Hit]:
    """Everything in *fields* (name -> text) that looks like it could identify someone.

    A list value (tags) is scanned as its items joined with ", "; a "url" as
    :func:`field_text` reads it. *page_text* is the resource's own stored page text (or a
    function that loads it): contact details printed there are public and not flagged.
    Finds are returned in field order, then by position.
    """
    page = context.Page(page_text)
    hits: list[Hit] = []
    for name, value in fields.items():
        text = field_text(name, value)
        if text and _may_hold_anything(text):
            hits.extend(_scan_text(name, text, page))
    return hits


def scan_resource(resource: Mapping, *, page_text: PageText = None) -> list[Hit]:
    """Scan every field of a resource that leaves in a bundle."""
    return scan({name: resource.get(name) for name in SCANNED_FIELDS}, page_text=page_text)


def describe(hits: list[Hit], *, before: str = "it is shared") -> str:
    """A message saying what was found, where and why, or "" when there is nothing.

    *before* finishes the advice: "Remove it before {before}." (for example
    "submitting this resource" or "exporting the bundle").
    """
    if not hits:
        return ""
    sentences = []
    for field in dict.fromkeys(h.field for h in hits):
        here = [h for h in hits if h.field == field]
        parts = [f"what looks like {h.label}: '{h.excerpt}'" for h in here]
        name = FIELD_NAMES.get(field, field)
        verb = "contain" if name in ("tags", "themes") else "contains"
        sentences.append(f"The {name} {verb} {_join(parts)}.")
        if len(here) == 1 and here[0].reason:
            sentences.append(f"It {here[0].reason}.")
        elif any(h.reason for h in here):
            sentences.append("Why: " + "; ".join(
                f"«{_shown(h)}» {h.reason}" for h in here if h.reason) + ".")
    one = len(hits) == 1
    advice = (f"Remove {'it' if one else 'them'} before {before}: the portal is public, and "
              f"{'this' if one else 'these'} could identify a child or family.")
    return " ".join(sentences + [advice])


def _shown(hit: Hit) -> str:
    return hit.excerpt.split("«", 1)[1].split("»", 1)[0]


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Iterable):
        return ", ".join(str(v) for v in value)
    return str(value)


def _url_text(value) -> str:
    url = _as_text(value)
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    pieces = []
    if "@" in parts.netloc:
        pieces.append(unquote(parts.netloc.rsplit("@", 1)[0]).replace(":", " "))
    for chunk in (parts.query, parts.fragment):
        pairs = parse_qsl(chunk, keep_blank_values=True) if "=" in chunk else []
        pieces.extend(f"{k} {v}".strip() for k, v in pairs)
    return "; ".join(p for p in pieces if p)


# Every kind needs a digit or an at sign (written or spelled out): most titles and
# tags have neither, and are done with at once.
_MAY_HOLD = re.compile(r"\d|@|\uff20|[\[(\uff08\uff3b] ?at ?[\])\uff09\uff3d]", re.IGNORECASE)


# Machine values every record carries (its id, dates, version): no identifier fits in one.
_MACHINE_VALUE = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?Z?)?)?)?"
    r"|[0-9]{1,6}")


def _may_hold_anything(text: str) -> bool:
    return _MAY_HOLD.search(text) is not None and _MACHINE_VALUE.fullmatch(text) is None


def _join(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return "; ".join(parts[:-1]) + "; and " + parts[-1]


def _spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _scan_text(field: str, original: str, page: context.Page) -> list[Hit]:
    norm = normalise(original)
    text = norm.text
    found: list[tuple[str, int, int, str]] = []
    citations = _spans(pat.DOI, text) + _spans(pat.CITATION_NUMBER, text)
    addresses = _spans(pat.URL, text)

    for pattern in (pat.DOB, pat.DOB_AFTER):
        for m in pattern.finditer(text):
            word = " ".join(m.group("word").split())
            found.append(("date_of_birth", m.start(), m.end(),
                          f"is a date written as a date of birth ('{word}')"))

    for m in pat.NHS.finditer(text):
        digits = pat.digits_of(m.group())
        # Ten equal digits pass the check but are placeholders, never a real number.
        if len(set(digits)) > 1 and _nhs.is_valid(digits) and \
                not _inside(m.start(), m.end(), citations):
            reason = context.nhs_number(text, m.start(), m.end())
            if reason:
                found.append(("nhs_number", m.start(), m.end(), reason))

    for m in pat.NINO.finditer(text):
        prefix = m.group(1)
        # Without the suffix letter, two lower-case letters and six digits are as likely
        # to be ordinary words and a number ("on 12 34 56"); insist on capitals then.
        if m.group(5) is None and not prefix.isupper():
            continue
        if prefix.upper() not in pat.NINO_REFUSED_PREFIXES and \
                not _inside(m.start(), m.end(), citations):
            found.append(("ni_number", m.start(), m.end(),
                          "has the form of a National Insurance number"))

    for m in pat.EMAIL.finditer(text):
        reason = context.email(m.group(), page)
        if reason:
            found.append(("email", m.start(), m.end(), reason))

    skip_numbers = citations + addresses
    for m in pat.PHONE.finditer(text):
        digits = pat.national_phone(m)
        if not _inside(m.start(), m.end(), skip_numbers) and pat.is_uk_phone(digits):
            reason = context.phone(text, m.start(), m.end(), digits, page)
            if reason:
                found.append(("phone", m.start(), m.end(), reason))

    for m in pat.POSTCODE.finditer(text):
        # "B1 1st", "M25 4th": lower-case ordinals read as postcodes; real ones are rarely
        # written that way, while a genuine lower-case postcode ("m1 1ae") still counts.
        if m.group(1)[-2:] in pat.ORDINAL_ENDINGS:
            continue
        if not _inside(m.start(), m.end(), addresses):
            reason = context.postcode(text, m.start(), m.end(), m.group(1), page)
            if reason:
                found.append(("postcode", m.start(), m.end(), reason))

    hits = []
    for kind, s, e, reason in _without_overlaps(found):
        start, end = norm.span(s, e)
        hits.append(Hit(field, kind, start, end, _excerpt(original, start, end), LABELS[kind],
                        reason))
    return hits


def _without_overlaps(found: list[tuple[str, int, int, str]]) -> list[tuple[str, int, int, str]]:
    ranked = sorted(found, key=lambda f: (_PRIORITY.index(f[0]), f[1]))
    kept: list[tuple[str, int, int, str]] = []
    for kind, s, e, reason in ranked:
        if all(e <= ks or s >= ke for _, ks, ke, _ in kept):
            kept.append((kind, s, e, reason))
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
    before = " ".join(text[left:start].translate(_ZERO_WIDTH).split())
    found = " ".join(text[start:end].translate(_ZERO_WIDTH).split())
    after = " ".join(text[end:right].translate(_ZERO_WIDTH).split())
    lead = "…" if left > 0 else ""
    tail = "…" if right < len(text) else ""
    gap_before = " " if text[left:start][-1:].isspace() else ""
    gap_after = " " if text[end:right][:1].isspace() else ""
    return f"{lead}{before}{gap_before}«{found}»{gap_after}{after}{tail}"
