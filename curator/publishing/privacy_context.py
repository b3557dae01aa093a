"""Telling a public detail from a case detail, and saying why something was flagged.

An expert's note about a helpline quite properly gives the helpline's number, and a
summary of a charity's leaflet its office address. Flagging those teaches people to
click past the warning. A detail is taken as public, and not flagged, when:

- it is printed on the resource's own page (compared with the page text Curator
  stored when it fetched the page): a number, address or postcode the organisation
  publishes itself;
- it is a role address (``info@``, ``enquiries@``, ``safeguarding@``...), which
  belongs to a team, never to a child or family;
- the words around it say it is an organisation's (a helpline, an office, a switchboard)
  and none say it is a person's; a mobile number is never taken as public this way;
- for a ten-digit figure that happens to pass the NHS check digit, nothing around it
  says "NHS" or points to a person, and it reads as a count ("943 476 5919 cases").

Everything else that has the shape of an identifier is flagged, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from curator.publishing import privacy_patterns as pat
from curator.publishing.privacy_forms import normalise

#: Mailboxes that belong to a role or a team, not a person.
ROLE_MAILBOXES = frozenset({
    "info", "information", "enquiries", "enquiry", "inquiries", "contact", "contactus",
    "safeguarding", "admin", "administrator", "office", "hello", "help", "helpline",
    "helpdesk", "support", "press", "media", "news", "newsletter", "team", "general",
    "mail", "reception", "feedback", "communications", "comms", "webmaster", "web",
    "noreply", "donotreply", "customerservices", "customer", "services", "service",
    "advice", "duty", "referrals", "referral", "mash", "frontdoor", "childrens",
    "socialcare", "complaints", "foi", "dpo", "dataprotection", "privacy", "membership",
    "members", "events", "training", "admissions", "library", "research", "policy",
    "marketing", "sales", "accounts", "finance", "hr", "jobs", "careers", "recruitment",
    "volunteer", "volunteers", "volunteering", "secretary", "secretariat", "editor",
    "editorial", "journal", "publications", "subscriptions", "orders", "bookings",
    "partnerships", "learning", "consultation", "consultations", "ceo", "director",
    "board", "governance", "legal", "clerk", "switchboard", "postmaster", "abuse",
})
# Words that say a detail belongs to a person: pronouns and family roles.
_PERSONAL = frozenset({
    "mum", "mummy", "mother", "dad", "daddy", "father", "stepdad", "stepmum", "stepfather",
    "stepmother", "her", "his", "him", "she", "he", "son", "daughter", "baby", "brother",
    "sister", "sibling", "grandma", "grandmother", "grandad", "grandfather", "nan", "nanny",
    "gran", "aunt", "auntie", "uncle", "cousin", "carer", "boyfriend", "girlfriend",
    "partner", "husband", "wife", "home", "mobile", "personal", "private", "lives", "pupil",
    "patient", "client", "victim", "perpetrator",
})
# Words that say a number or address is an organisation's.
_PUBLIC_PHONE = frozenset({
    "helpline", "helplines", "hotline", "adviceline", "line", "lines", "switchboard",
    "freephone", "textphone", "minicom", "enquiries", "enquiry", "reception", "office",
    "offices", "headquarters", "hq", "service", "services", "charity", "council",
    "childline", "team", "desk", "helpdesk", "centre", "center", "organisation",
    "organization", "department", "nspcc", "samaritans", "police", "emergency",
})
_PUBLIC_ADDRESS = frozenset({
    "office", "offices", "registered", "headquarters", "hq", "ltd", "limited", "plc",
    "charity", "freepost", "box", "council", "centre", "center", "reception", "address",
    "organisation", "organization",
})
# Words next to an NHS-shaped number that say it is one.
_NHS_WORDS = frozenset({"nhs", "chi", "hospital", "patient", "number", "no", "num", "ref",
                        "reference", "id"})
# A count follows: "943 476 5919 cases", "... young people".
_COUNT_AFTER = re.compile(
    r"^ ?(?:[a-z]+ )?(?:cases|children|people|persons|families|households|referrals|"
    r"records|contacts|assessments|incidents|adults|pupils|patients|visits|calls|users|"
    r"responses|times|pounds|dollars|euros|tonnes|miles|deaths|births|hours|days|"
    r"%|per ?cent)\b")
# Money or a total before it: "£943 476 5919", "a total of".
_AMOUNT_BEFORE = re.compile(r"(?:[£$€]|\btotal(?: of)?|\bsum of) ?$")

_BEFORE = 40
_AFTER = 30


def _words(text: str) -> list[str]:
    return [w.removesuffix("'s") for w in re.findall(r"[a-z]+(?:'s)?", text.lower())]


# Where a clause ends: context is read within the detail's own sentence or clause.
_CLAUSE_END = re.compile(r"[.;!?] |[.;!?]$")
# Addresses in the window are not words about the detail ("@nspcc.org.uk" is no helpline).
_ADDRESS_LIKE = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")


def _around(text: str, start: int, end: int) -> tuple[list[str], list[str]]:
    """The words before and after a detail, within its own clause."""
    before = text[max(0, start - _BEFORE):start]
    cut = [m.end() for m in _CLAUSE_END.finditer(before)]
    if cut:
        before = before[cut[-1]:]
    after = text[end:end + _AFTER]
    stop = _CLAUSE_END.search(after)
    if stop:
        after = after[:stop.start()]
    return (_words(_ADDRESS_LIKE.sub(" ", before)), _words(_ADDRESS_LIKE.sub(" ", after)))


def _personal_word(before: list[str], after: list[str]) -> str | None:
    return next((w for w in before[::-1] + after if w in _PERSONAL), None)


class Page:
    """What the resource's own public page prints: its phones, addresses and postcodes.

    Built only when a detail needs comparing, from the page text Curator stored (a
    string, or a function that loads it).
    """

    def __init__(self, text: str | Callable[[], str] | None):
        self._source = text
        self._built = False
        self.phones: set[str] = set()
        self.emails: set[str] = set()
        self.postcodes: set[str] = set()

    @property
    def known(self) -> bool:
        self._build()
        return bool(self.phones or self.emails or self.postcodes or self._text)

    def _build(self) -> None:
        if self._built:
            return
        self._built = True
        source = self._source() if callable(self._source) else self._source
        self._text = source or ""
        if not self._text:
            return
        plain = normalise(self._text).text
        self.phones = {pat.national_phone(m) for m in pat.PHONE.finditer(plain)}
        self.emails = {m.group().lower() for m in pat.EMAIL.finditer(plain)}
        self.postcodes = {pat.postcode_key(m.group()) for m in pat.POSTCODE.finditer(plain)}

    def has_phone(self, digits: str) -> bool:
        self._build()
        return digits in self.phones

    def has_email(self, address: str) -> bool:
        self._build()
        return address.lower() in self.emails

    def has_postcode(self, code: str) -> bool:
        self._build()
        return pat.postcode_key(code) in self.postcodes


def _not_on_page(page: Page) -> list[str]:
    return ["not printed on the resource's own page"] if page.known else []


def _clause(main: str, extra: list[str]) -> str:
    if not extra:
        return main
    tail = extra[0] if len(extra) == 1 else ", ".join(extra[:-1]) + " and " + extra[-1]
    return f"{main}, {tail}"


def phone(text: str, start: int, end: int, digits: str, page: Page) -> str | None:
    """Why this phone number is flagged, or None when it is a public one."""
    if page.has_phone(digits):
        return None
    before, after = _around(text, start, end)
    personal = _personal_word(before, after)
    mobile = digits.startswith("07")
    if not mobile and not personal and any(w in _PUBLIC_PHONE for w in before + after):
        return None
    extra = [f"next to the word '{personal}'"] if personal else []
    if not mobile and not personal:
        extra.append("with nothing next to it saying it is a helpline or an office")
    return _clause("is a mobile number" if mobile else "is a UK phone number",
                   extra + _not_on_page(page))


def is_role_address(address: str) -> bool:
    """info@, enquiries@, safeguarding.team@...: a team's mailbox, not a person's."""
    local = address.split("@", 1)[0].lower().split("+", 1)[0]
    first = re.split(r"[._\-]", local, maxsplit=1)[0]
    return local.replace(".", "").replace("-", "").replace("_", "") in ROLE_MAILBOXES or \
        first in ROLE_MAILBOXES


def email(address: str, page: Page) -> str | None:
    """Why this email address is flagged, or None when it is a public one."""
    if is_role_address(address) or page.has_email(address):
        return None
    return _clause("is a person's address (not a role address such as info@)",
                   _not_on_page(page))


def postcode(text: str, start: int, end: int, code: str, page: Page) -> str | None:
    """Why this postcode is flagged, or None when it is an organisation's."""
    if page.has_postcode(code):
        return None
    before, after = _around(text, start, end)
    personal = _personal_word(before, after)
    if not personal and any(w in _PUBLIC_ADDRESS for w in before):
        return None
    extra = [f"next to the word '{personal}'"] if personal else []
    return _clause("is a full postcode, which narrows an address down to a few homes",
                   extra + _not_on_page(page))


def nhs_number(text: str, start: int, end: int) -> str | None:
    """Why this NHS-shaped number is flagged, or None when it reads as a plain figure."""
    before, after = _around(text, start, end)
    glued = re.search(r"nhs[_ ]?(?:no|number|num)?[.:#]? ?$", text[max(0, start - 12):start],
                      re.IGNORECASE)
    named = glued is not None or any(w in _NHS_WORDS for w in before[-4:])
    personal = _personal_word(before, after)
    figure = _COUNT_AFTER.search(text[end:end + _AFTER].lower()) or \
        _AMOUNT_BEFORE.search(text[max(0, start - 12):start].lower())
    if figure and not named and not personal:
        return None
    extra = ["next to 'NHS'"] if glued or "nhs" in before[-4:] else []
    if personal:
        extra.append(f"next to the word '{personal}'")
    return _clause("passes the NHS number check digit", extra)
