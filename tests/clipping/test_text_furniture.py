"""Short lines that are page furniture wherever they stand are left out of the text."""

from __future__ import annotations

from curator.clipping.extract import extract

_P = "Practitioners should record what they see and act early when a child is at risk. "


def _text(*paras: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paras)
    html = f"<html><head><title>T</title></head><body><article>{body}</article></body></html>"
    return extract(html.encode(), "https://example.org/a").text


def test_credits_datelines_and_story_promotions_are_left_out():
    text = _text(_P * 4, "Children at a family hub (Image: GETTY)",
                 "PUBLISHED: 00:01, Tue, Nov 19, 2019 | UPDATED: 10:43, Tue, Nov 19, 2019",
                 "By Jo Bloggs - 11/18/19 11:04 PM EST", _P * 3,
                 "DON'T MISS", "Council rated good [INSIGHT] New hubs open [VIDEO]", _P * 2)
    assert "GETTY" not in text and "PUBLISHED" not in text and "Jo Bloggs" not in text
    assert "INSIGHT" not in text and "DON'T MISS" not in text
    assert text.count("Practitioners should") == 9


def test_prose_that_cites_in_brackets_or_mentions_updates_is_kept():
    cites = ("Servers MUST support chunked transfer [HTTP] and SHOULD offer a switch to "
             "[SPDY] when asked.")
    told = "Updated guidance was published in 2023, and it changed how we record neglect."
    text = _text(_P * 4, cites, told)
    assert cites in text and told in text
