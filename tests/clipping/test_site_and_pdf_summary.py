"""A site name without og:site_name, and a PDF's summary from its opening paragraph."""

from __future__ import annotations

import json

from curator.clipping.extract import extract
from curator.clipping.extract.sites import registered_domain, site_from_address
from tests.support.pdfs import make_pdf

_TEXT = "<p>" + "Practitioners should record what they see and act early. " * 15 + "</p>"


def _page(head: str, body: str = "") -> bytes:
    return (f"<html lang='en-GB'><head>{head}</head><body>{body}{_TEXT}</body></html>").encode()


def test_a_title_suffix_the_heading_agrees_with_is_the_site():
    ex = extract(_page("<title>Neglect: recognising the signs - NSPCC Learning</title>",
                       "<h1>Neglect: recognising the signs</h1>"),
                 "https://learning.nspcc.org.uk/child-abuse-and-neglect/neglect")
    assert ex.site_name == "NSPCC Learning"
    assert ex.title == "Neglect: recognising the signs"


def test_the_organisation_in_structured_data_names_the_site():
    ld = {"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "name": "Research in Practice"},
        {"@type": "WebPage", "name": "Working with adolescents"}]}
    ex = extract(_page("<title>Working with adolescents</title>"
                       f"<script type='application/ld+json'>{json.dumps(ld)}</script>"),
                 "https://www.example.org.uk/adolescents")
    assert ex.site_name == "Research in Practice"


def test_without_branding_the_address_names_the_site():
    ex = extract(_page("<title>Working with adolescents</title>"),
                 "https://www.gov.uk/government/publications/adolescents")
    assert ex.site_name == "GOV.UK"
    ex = extract(_page("<title>Working with adolescents</title>"),
                 "https://www.safeguarding.example.org.uk/adolescents")
    assert ex.site_name == "example.org.uk"
    assert registered_domain("a.b.example.com") == "example.com"
    assert site_from_address("https://assets.publishing.service.gov.uk/x.pdf") == "GOV.UK"
    assert site_from_address("http://127.0.0.1:8000/x") is None


def test_a_suffix_that_is_not_the_site_is_not_taken():
    ex = extract(_page("<title>Planning - Part two</title><meta property='og:title' "
                       "content='Something else entirely'>"), "https://example.com/a")
    assert ex.site_name == "example.com"


def test_a_pdf_summary_is_its_first_real_paragraph_not_a_short_subject():
    opening = ("This briefing sets out what practitioners in child and family social work need "
               "to know about neglect. It draws on recent research and serious case reviews.")
    body = make_pdf("Neglect practice briefing", "Dr A Khan", "D:20230105", [
        "Neglect practice briefing\n\nContents\n\nIntroduction ........ 2\n\n"
        + opening + "\n\nThe next section looks at early help."])
    body = body.replace(b"/Author", b"/Subject (Neglect practice briefing) /Author", 1)
    ex = extract(body, "https://www.example.org.uk/neglect.pdf", "application/pdf")
    assert ex.kind == "pdf"
    assert ex.title == "Neglect practice briefing"
    assert ex.summary.startswith(opening)
    assert ex.site_name == "example.org.uk"
    assert ex.published == "2023-01-05"


def test_a_pdf_titled_with_its_file_name_takes_its_first_line():
    body = make_pdf("Microsoft Word - final_v3.docx", "", "D:20220301",
                    ["Assessing parenting capacity\n\n" + "We describe how to assess a "
                     "parent's capacity to change, and what the evidence says about it. " * 3])
    ex = extract(body, "https://example.com/a.pdf", "application/pdf")
    assert ex.title == "Assessing parenting capacity"
    assert ex.summary.startswith("We describe how to assess")
