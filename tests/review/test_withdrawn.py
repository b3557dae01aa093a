"""Withdrawn and superseded notices, and pages that only mention the words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curator.review.withdrawn import Notice, detect
from tests.support import FIXTURES

PAGE = "https://www.example.gov/government/publications/some-guidance"


def page(name: str) -> bytes:
    return (FIXTURES / "linkcheck" / name).read_bytes()


def test_govuk_style_withdrawn_notice_with_replacement_link():
    n = detect(page("govuk_withdrawn_replaced.html"), PAGE)
    assert n == Notice(
        "superseded",
        "This guidance was withdrawn on 1 May 2023. It has been replaced by Neglect: practice "
        "guidance (2023).",
        "https://www.example.gov/government/publications/neglect-practice-guidance-2023")


def test_withdrawn_without_replacement_ignores_contact_links():
    n = detect(page("govuk_withdrawn_only.html"), PAGE)
    assert n.kind == "withdrawn" and n.replacement_url is None
    assert n.message.startswith("This publication was withdrawn on 12 March 2021")


def test_notification_banner_archived():
    n = detect(page("banner_archived.html"), PAGE)
    assert n.kind == "withdrawn"
    assert n.message == "This page has been archived and is no longer updated."


def test_guideline_updated_and_replaced_resolves_against_base_href():
    n = detect(page("nice_replaced.html"), "https://guidance.example.org/guidance/lc12")
    assert n.kind == "superseded"
    assert n.replacement_url == "https://guidance.example.org/guidance/lc45"
    assert n.message.startswith("This guideline has been updated and replaced by")


def test_self_describing_sentence_at_the_top_of_the_content():
    n = detect(page("plain_superseded.html"), PAGE)
    assert n.kind == "superseded"
    assert n.replacement_url == "https://reports.example.net/2024/annual-review"
    n = detect(page("plain_not_current.html"), PAGE)
    assert (n.kind, n.message) == ("withdrawn", "This guidance is no longer current")


def test_archived_content_alert():
    n = detect(page("archived_content_alert.html"), PAGE)
    assert n.kind == "withdrawn" and "Archived content" in n.message


@pytest.mark.parametrize("name", ["mentions_in_body.html", "news_about_withdrawal.html"])
def test_pages_that_only_mention_the_words_are_not_withdrawn(name):
    assert detect(page(name), PAGE) is None


def test_self_describing_sentence_deep_in_the_body_does_not_count():
    paras = "".join(f"<p>Paragraph {i} about supporting families in need.</p>"
                    for i in range(8))
    html = f"<main><h1>Guide</h1>{paras}<p>This page has been archived.</p></main>"
    assert detect(html, PAGE) is None
    early = f"<main><h1>Guide</h1><p>This page has been archived.</p>{paras}</main>"
    assert detect(early, PAGE).kind == "withdrawn"


def test_text_and_bytes_in_other_encodings():
    html = ("<main><p>This guidance was withdrawn on 1 May 2023 – café</p></main>")
    assert detect(html, PAGE).kind == "withdrawn"
    assert detect(html.encode("cp1252"), PAGE).kind == "withdrawn"


def test_replacement_link_must_be_a_web_address_other_than_the_page():
    html = ('<div class="gem-c-notice"><p>This guidance has been replaced. '
            '<a href="javascript:go()">x</a> <a href="#top">top</a> '
            f'<a href="{PAGE}">this page</a> <a href="/new-guidance">New guidance</a></p></div>')
    n = detect(html, PAGE)
    assert n.replacement_url == "https://www.example.gov/new-guidance"


@pytest.mark.parametrize("junk", [b"", b"\x00\xff\xfe", "<<<>>>", "<html>" * 5000, None])
def test_never_raises(junk):
    assert detect(junk, PAGE) is None


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_never_raises_on_any_text(text):
    result = detect(text, "http://h/x")
    assert result is None or result.kind in ("withdrawn", "superseded")
