"""Change detection between two versions of a page's text."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from curator.review.pagechange import (
    fingerprint,
    fingerprint_similarity,
    is_significant_change,
    readable_diff,
    similarity,
)

WORDS = ("child family practitioner safeguarding risk assessment neglect domestic abuse "
         "support plan school health visitor referral threshold evidence research outcome "
         "parent carer court review meeting strategy protection exploitation online harm "
         "early help multi-agency partnership learning supervision reflective voice").split()


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 18))).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(4))


rng = random.Random(11)
PARAS = [paragraph(rng) for _ in range(10)]
BANNER = "We use cookies to make this site work. Accept all cookies"
BASE = "\n\n".join([BANNER, "Last updated 3 May 2023", *PARAS, "Print this page"])


def with_para(i: int, text: str, base: str = BASE) -> str:
    return base.replace(PARAS[i], text)


def test_dates_banners_and_furniture_are_not_changes():
    new = (BASE.replace("3 May 2023", "9 June 2024")
           .replace(BANNER, "We'd like to set additional cookies. Reject additional cookies")
           .replace("Print this page", "Share this page"))
    assert similarity(BASE, new) == 1.0
    assert fingerprint(BASE) == fingerprint(new)
    assert not is_significant_change(BASE, new)
    assert readable_diff(BASE, new) == []


def test_one_changed_sentence_is_not_significant():
    s = PARAS[4].split(". ")
    s[1] = "The threshold for a referral was revised after the consultation closed"
    new = with_para(4, ". ".join(s))
    assert 0.85 < similarity(BASE, new) < 1
    assert not is_significant_change(BASE, new)
    assert fingerprint_similarity(fingerprint(BASE), fingerprint(new)) > 0.85


def test_a_rewritten_section_is_significant():
    r = random.Random(5)
    new = with_para(7, paragraph(r), with_para(6, paragraph(r)))
    assert similarity(BASE, new) < 0.8
    assert is_significant_change(BASE, new)
    assert is_significant_change(new, BASE)


def test_removed_or_added_section_is_significant():
    r = random.Random(6)
    assert is_significant_change(BASE, with_para(3, ""))
    assert is_significant_change(BASE, BASE + "\n\n" + paragraph(r) + "\n\n" + paragraph(r))
    assert is_significant_change(BASE, "")


def test_reordered_paragraphs_are_not_significant():
    new = "\n\n".join(PARAS[5:] + PARAS[:5])
    assert not is_significant_change(BASE, new)


def test_short_pages():
    assert not is_significant_change("Contact the team.", "Contact the duty team.")
    assert similarity("", "") == 1.0 and similarity("", "words") == 0.0
    assert fingerprint("") == fingerprint("Last updated 1 May 2024")


def test_fingerprint_format_and_stability():
    fp = fingerprint(BASE)
    assert fp.startswith("sh1:") and len(fp) == 20
    assert fp == fingerprint(BASE)
    assert fingerprint_similarity(fp, fp) == 1.0
    assert fingerprint_similarity(fp, "md5:abc") == 0.0
    assert fingerprint_similarity(fp, "sh1:zz") == 0.0
    assert fingerprint_similarity(fingerprint(BASE), fingerprint(" ".join(WORDS))) < 0.9


def test_readable_diff_shows_changed_sentence_with_word_highlights():
    s = PARAS[4].split(". ")
    s[2] = s[2].replace(s[2].split()[3], "DIFFERENT", 1)
    new = with_para(4, ". ".join(s))
    hunks = readable_diff(BASE, new)
    assert len(hunks) == 1
    kinds = [(c.kind, c.level) for c in hunks[0].changes]
    assert kinds == [("same", "paragraph"), ("changed", "sentence"), ("same", "paragraph")]
    change = hunks[0].changes[1]
    assert ("added", "DIFFERENT") in change.words
    assert any(k == "removed" for k, _ in change.words)
    assert hunks[0].changes[0].old == PARAS[3]
    assert hunks[0].old_start == hunks[0].new_start == 3


def test_readable_diff_removed_and_added_paragraphs_and_hunks():
    r = random.Random(9)
    extra = paragraph(r)
    new = "\n\n".join(PARAS[:1] + PARAS[2:8] + [extra] + PARAS[8:])
    hunks = readable_diff("\n\n".join(PARAS), new, context=1)
    assert len(hunks) == 2
    assert [c.kind for c in hunks[0].changes] == ["same", "removed", "same"]
    assert hunks[0].changes[1].old == PARAS[1]
    assert [c.kind for c in hunks[1].changes] == ["same", "added", "same"]
    assert hunks[1].changes[1].new == extra
    merged = readable_diff("\n\n".join(PARAS), new, context=3)
    assert len(merged) == 1
    assert [c.kind for c in readable_diff("\n\n".join(PARAS), new, context=0)[0].changes] \
        == ["removed"]


def test_readable_diff_rewritten_paragraph_is_removed_and_added():
    r = random.Random(2)
    other = paragraph(r)
    hunks = readable_diff(BASE, with_para(5, other), context=0)
    kinds = [c.kind for h in hunks for c in h.changes]
    assert "removed" in kinds and "added" in kinds
    assert "".join(c.new for h in hunks for c in h.changes if c.kind == "added") \
        .replace(" ", "") == other.replace(" ", "")


texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=300) | st.lists(
    st.sampled_from(WORDS + ["\n", "\n\n", ".", "1 May 2023", "cookies"]), max_size=120
).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(texts, texts)
def test_similarity_and_fingerprints_are_symmetric_and_bounded(a, b):
    s = similarity(a, b)
    assert s == similarity(b, a) and 0.0 <= s <= 1.0
    assert similarity(a, a) == 1.0
    fa, fb = fingerprint(a), fingerprint(b)
    assert fingerprint_similarity(fa, fb) == fingerprint_similarity(fb, fa)
    assert is_significant_change(a, b) == is_significant_change(b, a)
    assert not is_significant_change(a, a)


@settings(max_examples=150, deadline=None)
@given(texts, texts, st.integers(min_value=-2, max_value=4))
def test_readable_diff_never_raises_and_covers_both_sides(a, b, context):
    hunks = readable_diff(a, b, context=context)
    for h in hunks:
        assert h.changes
        for c in h.changes:
            assert c.kind in ("same", "removed", "added", "changed")
            if c.kind == "changed":
                assert " ".join(t for k, t in c.words if k != "added").split() == c.old.split()
                assert " ".join(t for k, t in c.words if k != "removed").split() == \
                    c.new.split()
    if a == b:
        assert hunks == []
