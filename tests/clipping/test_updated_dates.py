"""Dates as the publisher wrote them, the article's own date, and "last updated" kept apart."""

from __future__ import annotations

import json

from curator.clipping.extract import extract


def _page(head: str = "", body: str = "", lang: str = "en-GB") -> bytes:
    return (f"<!doctype html><html lang='{lang}'><head><title>Working with neglect</title>"
            f"{head}</head><body>{body}<p>{'Practitioners should record what they see. ' * 20}"
            "</p></body></html>").encode()


def _ld(**fields) -> str:
    node = {"@context": "https://schema.org", "@type": "Article", "headline": "Neglect", **fields}
    return f"<script type='application/ld+json'>{json.dumps(node)}</script>"


def test_a_time_zone_never_moves_the_date_the_publisher_wrote():
    ex = extract(_page(_ld(datePublished="2020-01-13T23:30:00-05:00")), "https://example.org/a")
    assert ex.published == "2020-01-13"
    ex = extract(_page("<meta property='article:published_time' "
                       "content='2020-01-14T00:30:00+09:00'>"), "https://example.org/a")
    assert ex.published == "2020-01-14"


def test_the_articles_own_date_beats_comments_and_related_articles():
    body = ("<aside class='related'><time datetime='2019-02-01'>1 Feb 2019</time></aside>"
            "<article><h1>Neglect</h1><time datetime='2021-06-05'>5 June 2021</time>"
            "<p>Text.</p><div class='comments'><time datetime='2023-01-01'>1 Jan</time></div>"
            "</article><footer>© 2024</footer>")
    assert extract(_page(body=body), "https://example.org/a").published == "2021-06-05"


def test_a_visible_published_line_is_the_publication_date():
    body = ("<div class='gem-c-metadata'><dl><dt>Published</dt><dd>5 March 2019</dd>"
            "<dt>Last updated</dt><dd>12 January 2025 — <a href='#h'>See all updates</a></dd>"
            "</dl></div>")
    ex = extract(_page(body=body), "https://www.gov.uk/guidance/neglect")
    assert ex.published == "2019-03-05"
    assert ex.updated == "2025-01-12"


def test_last_updated_comes_from_meta_tags_and_json_ld():
    ex = extract(_page("<meta property='article:published_time' content='2020-03-01'>"
                       "<meta property='article:modified_time' "
                       "content='2024-05-02T23:50:00-07:00'>"), "https://example.org/a")
    assert (ex.published, ex.updated) == ("2020-03-01", "2024-05-02")
    ex = extract(_page(_ld(datePublished="2018-01-01", dateModified="2022-10-10T08:00:00Z")),
                 "https://example.org/a")
    assert (ex.published, ex.updated) == ("2018-01-01", "2022-10-10")


def test_visible_updated_lines_in_their_common_forms():
    for body, want in [
        ("<p>Updated 12 January 2025</p>", "2025-01-12"),
        ("<p class='x'>Last updated: 3 March 2024</p>", "2024-03-03"),
        ("<div><strong>Updated:</strong> 4 May 2023</div>", "2023-05-04"),
        ("<p>Page last updated on <time datetime='2022-11-30'>30 Nov</time></p>", "2022-11-30"),
    ]:
        ex = extract(_page("<meta name='dcterms.issued' content='2015-01-01'>", body),
                     "https://example.org/a")
        assert ex.updated == want, body
        assert ex.published == "2015-01-01"


def test_no_updated_date_when_the_page_states_none_or_the_same_as_published():
    assert extract(_page(), "https://example.org/a").updated is None
    ex = extract(_page(_ld(datePublished="2020-01-01T10:00:00Z",
                           dateModified="2020-01-01T11:00:00Z")), "https://example.org/a")
    assert ex.published == "2020-01-01" and ex.updated is None


def test_an_updated_line_is_not_taken_as_the_publication_date():
    ex = extract(_page(body="<p class='date'>Last updated 9 September 2024</p>"),
                 "https://example.org/a")
    assert ex.published is None
    assert ex.updated == "2024-09-09"


def test_a_comment_saying_updated_is_not_the_pages_update():
    body = "<div class='comments'><p>Updated 1 February 2025</p></div>"
    assert extract(_page(body=body), "https://example.org/a").updated is None


def test_compact_iso_stamps_keep_the_date_as_written():
    from curator.clipping.extract.dates import parse_date

    assert parse_date("20200113T233000-0500") == "2020-01-13"
    assert parse_date("20200113T2330Z") == "2020-01-13"
    assert parse_date("D:20200113233000-05'00'") == "2020-01-13"
