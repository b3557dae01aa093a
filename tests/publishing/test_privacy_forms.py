"""The personal-data guard reads every way people write an identifier, and tells public
contact details from case details (BAD-INPUTS: nothing identifying leaves)."""

from __future__ import annotations

import pytest

from curator.publishing.privacy import describe, scan
from curator.publishing.privacy_forms import normalise

VALID = ("9434765919", "4505577104")   # both pass the Modulus 11 check digit
INVALID = "9434765918"


def found(text: str, page: str | None = None) -> list[tuple[str, str]]:
    return [(h.kind, text[h.start:h.end]) for h in scan({"notes": text}, page_text=page)]


def kinds(text: str, page: str | None = None) -> list[str]:
    return [k for k, _ in found(text, page)]


def nhs_forms(n: str) -> dict[str, str]:
    a, b, c = n[:3], n[3:6], n[6:]
    full = str.maketrans("0123456789", "０１２３４５６７８９")
    return {
        "dots": f"{a}.{b}.{c}", "slashes": f"{a}/{b}/{c}", "underscores": f"{a}_{b}_{c}",
        "double spaces": f"{a}  {b}  {c}", "spaced hyphens": f"{a} - {b} - {c}",
        "em dash": f"{a}\u2014{b}\u2014{c}", "en dash": f"{a}\u2013{b}\u2013{c}",
        "non-breaking hyphen": f"{a}\u2011{b}\u2011{c}", "minus sign": f"{a}\u2212{b}\u2212{c}",
        "newline": f"{a}\n{b}\n{c}", "tab": f"{a}\t{b} {c}",
        "zero-width spaces": f"{a}\u200b{b}\u200b{c}", "soft hyphens": f"{a}\u00ad{b}\u00ad{c}",
        "full-width digits": f"{a} {b} {c}".translate(full),
        "full-width, no spaces": n.translate(full), "5+5 groups": f"{n[:5]} {n[5:]}",
        "thin spaces": f"{a}\u2009{b}\u2009{c}", "ideographic spaces": f"{a}\u3000{b}\u3000{c}",
    }


@pytest.mark.parametrize("number", VALID)
@pytest.mark.parametrize("form", list(nhs_forms(VALID[0])))
def test_nhs_numbers_are_caught_however_they_are_written(number, form):
    written = nhs_forms(number)[form]
    note = f"Seen at clinic, NHS no {written}, with mum."
    assert found(note) == [("nhs_number", written)], form


@pytest.mark.parametrize("form", list(nhs_forms(VALID[0])))
def test_a_wrong_check_digit_is_not_an_nhs_number_in_any_form(form):
    assert "nhs_number" not in kinds(f"NHS no {nhs_forms(INVALID)[form]} today")


@pytest.mark.parametrize("note, written", [
    ("Child A (943 476 5919) was seen", "943 476 5919"),
    ("Child A [9434765919] was seen", "9434765919"),
    ("NHS(9434765919)", "9434765919"),
    ("NHS9434765919", "9434765919"),
    ("NHSno9434765919", "9434765919"),
    ("NHS_9434765919", "9434765919"),
    ("NHS number:9434765919", "9434765919"),
    ("nhs#943 476 5919", "943 476 5919"),
])
def test_nhs_numbers_in_brackets_or_run_on_after_nhs(note, written):
    assert found(note) == [("nhs_number", written)]


@pytest.mark.parametrize("text", [
    "(DOB) 01/02/2010", "01/02/2010 (DOB)", "01/02/2010 (D.O.B.)", "DOB \u2014 01/02/2010",
    "DOB - 1 February 2010", "Birthday 01/02/2010", "birthday: 3rd March 2012",
    "Jane (b. 01.02.2010)", "DOB 01 02 2010", "DOB: 01-Feb-2010", "DOB:01-Feb-10",
    "DOB  01/02/2010", "D.O.B.\n01/02/2010", "ＤＯＢ ０１/０２/２０１０",
])
def test_dates_of_birth_in_the_ways_case_notes_write_them(text):
    assert kinds(f"Referral for Child A, {text}, seen at home.") == ["date_of_birth"], text


@pytest.mark.parametrize("text", ["published 01 02 2010", "a. 12 pages b. 3 tables",
                                  "b. 2010", "updated 01-Feb-2010"])
def test_dates_without_birth_words_are_still_left_alone(text):
    assert kinds(text) == []


@pytest.mark.parametrize("code", ["M1  1AE", "M1-1AE", "SW1A - 1AA", "M1\n1AE", "M1\u00a01AE",
                                  "ＭＩ 1AE".replace("Ｉ", "１")])
def test_postcodes_with_odd_spacing_or_a_dash(code):
    assert kinds(f"The family moved to {code} last year.") == ["postcode"], code


@pytest.mark.parametrize("email", [
    "jo.bloggs[at]example.com", "jo.bloggs [at] example.com", "jo.bloggs(at)example.co.uk",
    "jo.bloggs (at) example (dot) co (dot) uk", "jo.bloggs [AT] example [DOT] org",
    "jo.bloggs＠example.com", "jo.bloggs@exa\u200bmple.com",
])
def test_email_addresses_written_to_dodge_a_filter(email):
    assert found(f"Mum's email is {email} if needed.") == [("email", email)]


def test_children_at_risk_is_not_an_email_address():
    assert kinds("Children (at) risk of harm, and young people [at] school.") == []


def test_what_is_found_is_shown_in_the_experts_own_text():
    note = "Child A NHS ９４３\u200b４７６\u200b５９１９, seen."
    (hit,) = scan({"notes": note})
    assert note[hit.start:hit.end] == "９４３\u200b４７６\u200b５９１９"
    assert "\u200b" not in hit.excerpt and "«９４３４７６５９１９»" in hit.excerpt


def test_normalised_text_maps_back_to_the_original():
    text = "a\u200b\u200bb  \n c\uff10\u2014d"
    norm = normalise(text)
    assert norm.text == "ab c0-d"
    for i, ch in enumerate(norm.text):
        s, e = norm.span(i, i + 1)
        assert ch in text[s:e] or not text[s:e].isascii() or text[s:e].isspace()


# -- public contact details are not case details -------------------------------------

@pytest.mark.parametrize("text", [
    "Call the NSPCC helpline on 0808 800 5000.",          # freephone: never a person's
    "Call the helpline on 0300 123 4567 for advice.",
    "The council's switchboard is 020 7946 0018.",
    "Ring the service's advice line, 0300 123 4567, any day.",
    "Call the office on 020 7946 0018 during working hours.",
    "Email info@nspcc.org.uk, enquiries@example.org.uk or contact@example.gov.uk.",
    "Referrals to safeguarding@example.gov.uk or mash.team@example.gov.uk.",
    "Write to the registered office, 42 Curtain Road, London EC2A 3NH.",
    "Table 3 shows 943 476 5919 cases in the year.",
    "A total of 943 476 5919 people took part.",
    "£9434765919 was spent on services.",
])
def test_public_contact_details_and_figures_are_not_flagged(text):
    assert kinds(text) == []


@pytest.mark.parametrize("text, kind", [
    ("Call her on 0300 123 4567 after school.", "phone"),
    ("Mum's number is 020 7946 0018.", "phone"),
    ("The helpline rang his mobile, 07700 900123.", "phone"),
    ("Email jo.bloggs@example.org about it.", "email"),
    ("Child A, 943 476 5919, seen.", "nhs_number"),
    ("Seen 943 476 5919 today.", "nhs_number"),
    ("Table 3: NHS 943 476 5919 cases", "nhs_number"),   # the word NHS wins over "cases"
    ("Her home is at EC2A 3NH.", "postcode"),
])
def test_the_same_details_in_a_case_are_flagged(text, kind):
    assert kinds(text) == [kind]


def test_details_printed_on_the_resources_own_page_are_public():
    page = ("NSPCC, Weston House, 42 Curtain Road, London EC2A 3NH. Call us on "
            "020 7825 2500 or email press.office@nspcc.org.uk or jo.smith@nspcc.org.uk.")
    note = ("Ring 020 7825 2500 or write to EC2A 3NH; the author is jo.smith@nspcc.org.uk. "
            "Not on the page: 020 7946 0018, M1 1AE and jo.bloggs@example.org.")
    assert found(note, page=page) == [("phone", "020 7946 0018"), ("postcode", "M1 1AE"),
                                      ("email", "jo.bloggs@example.org")]
    assert len(found(note)) == 6
    loaded = []
    assert kinds("Ring 020 7825 2500", page=lambda: loaded.append(1) or page) == []
    assert kinds("No digits or at signs here", page=lambda: loaded.append(2) or page) == []
    assert loaded == [1]  # the page is only read when something needs comparing


def test_the_message_gives_the_reason():
    note = "Seen with mum. NHS number 943 476 5919, reviewed."
    message = describe(scan({"notes": note}), before="submitting it")
    assert message.startswith("The note contains what looks like an NHS number: "
                              "'…with mum. NHS number «943 476 5919», reviewed.'. It passes "
                              "the NHS number check digit, next to 'NHS'.")
    two = describe(scan({"notes": "Mum on 07700 900123, jo.bloggs@example.org"},
                        page_text="A page with no contact details."))
    assert "Why: «07700 900123» is a mobile number, next to the word 'mum' and not printed " \
        "on the resource's own page; «jo.bloggs@example.org» is a person's address (not a " \
        "role address such as info@), not printed on the resource's own page." in two
    dob = describe(scan({"summary": "Child A, b. 01/02/2010"}))
    assert "The summary contains what looks like a date of birth: 'Child A, «b. 01/02/2010»'" \
        ". It is a date written as a date of birth ('b.')." in dob
