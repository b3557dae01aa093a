"""The personal-data guard (BAD-INPUTS 29): what it flags, and what it must leave alone."""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curator.publishing.privacy import LABELS, describe, scan, scan_resource


def nhs_check_digit(nine: str) -> int | None:
    """The Modulus 11 check digit for nine digits, or None when no digit works (10)."""
    total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def valid_nhs_numbers(count: int, seed: int = 29) -> list[str]:
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        nine = f"{rng.randint(400_000_000, 799_999_999)}"
        check = nhs_check_digit(nine)
        if check is not None:
            out.append(nine + str(check))
    return out


def invalid_nhs_number(valid: str) -> str:
    """The same number with a wrong check digit."""
    return valid[:9] + str((int(valid[9]) + 1) % 10)


def spaced(number: str, sep: str = " ") -> str:
    return sep.join((number[:3], number[3:6], number[6:]))


def kinds(text: str, field: str = "notes") -> list[str]:
    return [h.kind for h in scan({field: text})]


def found(text: str) -> list[tuple[str, str]]:
    return [(h.kind, text[h.start:h.end]) for h in scan({"notes": text})]


# -- NHS numbers -------------------------------------------------------------------------

def test_check_digit_helper_agrees_with_the_published_example():
    assert nhs_check_digit("943476591") == 9          # 943 476 5919


@pytest.mark.parametrize("number", valid_nhs_numbers(12))
def test_valid_nhs_numbers_are_flagged_in_every_spacing(number):
    for written in (number, spaced(number), spaced(number, "-"), spaced(number, "\u00a0")):
        text = f"Seen at clinic, NHS no {written}, with mum."
        assert found(text) == [("nhs_number", written)], written


@pytest.mark.parametrize("number", valid_nhs_numbers(12, seed=7))
def test_an_invalid_check_digit_is_not_an_nhs_number(number):
    wrong = invalid_nhs_number(number)
    assert "nhs_number" not in kinds(f"NHS number {spaced(wrong)}")
    assert "nhs_number" not in kinds(f"NHS number {wrong}")


def test_numbers_that_can_have_no_check_digit_are_not_flagged():
    nine = next(f"{n:09d}" for n in range(400_000_000, 400_001_000)
                if nhs_check_digit(f"{n:09d}") is None)
    for last in "0123456789":
        assert "nhs_number" not in kinds(f"NHS {nine}{last}")


def test_nhs_number_inside_longer_numbers_or_references_is_not_flagged():
    number = valid_nhs_numbers(1)[0]
    assert kinds(f"order 1{number}") == []
    assert kinds(f"order {number}7") == []
    assert kinds(f"ref A{number}") == []
    assert kinds(f"see doi 10.1234/{number}") == []
    assert kinds("placeholder 0000000000 and 1111111111") == []


# -- National Insurance numbers ----------------------------------------------------------

@pytest.mark.parametrize("text", ["AB 12 34 56 C", "AB123456C", "ab123456c", "JG103759A",
                                  "NE 12 34 56 D", "CE123456", "AB-12-34-56-B"])
def test_national_insurance_numbers_are_flagged(text):
    assert found(f"Dad's NI is {text}.") == [("ni_number", text)]


@pytest.mark.parametrize("text", [
    "QQ123456C",    # Q is never a first letter (this is the usual example number)
    "DA123456A",    # D never first
    "AO123456A",    # O never second
    "BG123456A", "GB123456A", "KN123456A", "NK123456A", "NT123456A", "TN123456A",
    "ZZ123456A",    # prefixes HMRC does not use
    "AB123456E",    # suffix is A-D
    "AB1234567",    # too many digits
    "on 12 34 56",  # ordinary words and a number
])
def test_impossible_national_insurance_numbers_are_not_flagged(text):
    assert "ni_number" not in kinds(f"ref {text} here")


# -- Postcodes ---------------------------------------------------------------------------

@pytest.mark.parametrize("code", ["SW1A 1AA", "m1 1ae", "M1 1AE", "B33 8TH", "CR2 6XH",
                                  "DN55 1PT", "W1A 0AX", "EC1A 1BB", "EC1A1BB", "GIR 0AA"])
def test_full_postcodes_are_flagged(code):
    assert found(f"The family moved to {code} last year.") == [("postcode", code)]


@pytest.mark.parametrize("text", [
    "SW1A", "the M1 motorway", "in EC1A", "the B1 1st floor", "M25 4th junction",
    "SW1A 1CA",          # C never appears in the inward code
    "QA1 1AA",           # Q never starts a postcode
    "see example.org/SW1A1AA",
])
def test_outward_codes_and_lookalikes_are_not_flagged(text):
    assert "postcode" not in kinds(text)


# -- Phone numbers -----------------------------------------------------------------------

@pytest.mark.parametrize("phone", [
    "07700 900123", "07700900123", "0770 090 0123", "07700-900-123",
    "020 7946 0018", "(020) 7946 0018", "0161 496 0000", "01632 960123", "0300 123 4567",
    "+44 7700 900123", "+447700900123", "+44 (0)20 7946 0018", "0044 20 7946 0018",
    "+44 07700 900123", "016977 4000",
])
def test_uk_phone_numbers_are_flagged(phone):
    assert found(f"Call her on {phone} after school.") == [("phone", phone)]


@pytest.mark.parametrize("text", [
    "Published 2019, revised 2010-2011 and 2020.",
    "ISBN 0198526636", "ISBN 0-19-852663-6", "ISBN 978-0-19-852663-6",
    "doi:10.1016/S0140-6736(20)30183-5", "https://doi.org/10.1111/cfs.12345",
    "pages 0123-0456", "pp. 101-118", "Vol 12 (3) 0123",
    "See https://example.org/reports/07700900123",
    "0800 123 4567",        # a freephone helpline is not a person's number
    "0123 456",             # too short
    "12.5% of 1,000,000 children",
])
def test_years_isbns_dois_and_page_ranges_are_not_phone_numbers(text):
    assert kinds(text) == []


# -- Email addresses ---------------------------------------------------------------------

@pytest.mark.parametrize("email", ["jo.bloggs@example.co.uk", "a+b@x.org",
                                   "First.Last@sub.example.gov.uk"])
def test_email_addresses_are_flagged(email):
    assert found(f"Her social worker is {email}, ask first.") == [("email", email)]


def test_at_signs_that_are_not_addresses_are_not_flagged():
    assert kinds("Meet @ 3pm; see @nspcc on social media; a@b") == []


# -- Dates of birth ----------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "DOB 01/02/2010", "DOB: 01/02/2010", "dob 1/2/10", "D.O.B. 01-02-2010", "d.o.b 01.02.2010",
    "date of birth: 1 Feb 2010", "Date of birth 1st February 2010", "born on 01.02.2010",
    "born 3 March 2012", "was born on the 3rd of March 2012", "DOB is 2010-02-01",
    "birth date February 1, 2010",
])
def test_dates_of_birth_in_context_are_flagged(text):
    hits = scan({"notes": f"Case note: {text}. Seen today."})
    assert [h.kind for h in hits] == ["date_of_birth"], text


@pytest.mark.parametrize("text", [
    "published 01/02/2010", "updated 1 Feb 2010", "born in 2010", "newborn 01/02/2010",
    "reviewed 2010-02-01", "children born after 2000",
])
def test_bare_dates_are_not_flagged(text):
    assert kinds(text) == []


# -- The whole scan, and the message -----------------------------------------------------

def test_bad_inputs_29_every_kind_in_one_note_and_not_the_invalid_nhs_number():
    valid = valid_nhs_numbers(1, seed=290)[0]
    invalid = invalid_nhs_number(valid)
    note = (f"Child A (NHS {spaced(valid)}, not {spaced(invalid)}), DOB 01/02/2010, lives at "
            "M1 1AE; mum on 07700 900123 or mum@example.com; dad's NI AB 12 34 56 C.")
    hits = scan({"notes": note})
    assert sorted(h.kind for h in hits) == sorted(LABELS)
    assert invalid not in "".join(note[h.start:h.end].replace(" ", "") for h in hits)
    for hit in hits:
        assert hit.field == "notes"
        assert hit.label == LABELS[hit.kind]
        assert f"«{' '.join(note[hit.start:hit.end].split())}»" in hit.excerpt


def test_scan_looks_at_title_summary_notes_and_tags():
    hits = scan_resource({"title": "Call 07700 900123", "summary": "x@example.org",
                          "notes": "", "tags": ["neglect", "SW1A 1AA"], "url": "ignored"})
    assert [(h.field, h.kind) for h in hits] == [
        ("title", "phone"), ("summary", "email"), ("tags", "postcode")]


def test_describe_says_exactly_where():
    hits = scan({"notes": "Seen with mum. NHS number 943 476 5919, reviewed."})
    message = describe(hits, before="submitting it")
    assert message.startswith("The note contains what looks like an NHS number: "
                              "'…with mum. NHS number «943 476 5919», reviewed.'.")
    assert "Remove it before submitting it: the portal is public, and this could" in message
    assert describe([]) == ""


def test_describe_names_each_field_and_every_find():
    hits = scan({"title": "Ring 020 7946 0018", "notes": "a@b.org and b@c.org"})
    message = describe(hits)
    assert "The title contains what looks like a phone number: 'Ring «020 7946 0018»'." \
        in message
    assert message.count("an email address") == 2
    assert "Remove them" in message


def test_clean_professional_text_has_no_hits():
    text = ("Research in Practice briefing (2019), pp. 12-18, ISBN 978-1-911638-12-3. "
            "Evidence from 1,200 families across 20 local authorities; see "
            "https://www.example.org.uk/resources/2019/briefing-07 and doi:10.1093/bjsw/bcz123."
            " Useful for supervision and practice with children aged 0-5.")
    assert scan({"notes": text, "title": "Neglect: a 2019 briefing", "tags": ["CSA", "2019"]}) \
        == []


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_scan_never_fails_on_any_text(text):
    for hit in scan({"notes": text}):
        assert 0 <= hit.start < hit.end <= len(text)
        assert hit.kind in LABELS


@pytest.mark.parametrize("unit", [
    "Lorem 12 ipsum 07 dolor 2010-2011 sit @ amet ", "a.", "1-", "a-", "x@a-", "born ",
    "DOB 1 ", "(0", "+44 ", "10.1234/", "0 ", "1/2/", "9",
])
def test_scan_stays_quick_on_long_hostile_notes(unit):
    note = (unit * (20_000 // len(unit) + 1))[:20_000]  # the longest note allowed
    started = time.perf_counter()
    scan({"notes": note, "summary": note[:10_000]})
    # About 0.2 s on a busy laptop; runaway backtracking would take minutes. (The speed
    # budget itself is a benchmark's business.)
    assert time.perf_counter() - started < 5
