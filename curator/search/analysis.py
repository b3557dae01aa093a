"""Text analysis shared by indexing, querying, snippets and did-you-mean.

One module owns how text becomes terms, so the index and the queries can never
disagree: lower-case, fold accents, split on anything that is not a letter or
digit, drop common English function words, and reduce words to their Porter2
(Snowball English) stem so "safeguarding", "safeguarded" and "safeguard" meet.

Whoosh's analyzer chain does the same job through a generator per filter per
token; on 1,500-word pages that per-token overhead dominated rebuild time, so
this is a flat loop with a memo of stems instead.
"""

from __future__ import annotations

import re
import unicodedata

from whoosh.lang.porter2 import stem as _porter2

# Letters and digits only; "child's" -> "child", "s" (and "s" is a stop word).
_TOKEN_RE = re.compile(r"[^\W_]+")

# Common English function words. Deliberately modest: words that carry meaning
# in social care ("care", "child", "risk", "plan") are never here. Dropped
# from the index and from queries; phrase positions keep a gap where they were.
STOP_WORDS: frozenset[str] = frozenset(
    """
    a about above after again against all am an and any are as at be because been
    before being below between both but by can could did do does doing down during
    each few for from further had has have having he her here hers herself him
    himself his how i if in into is it its itself just me more most my myself no
    nor not now of off on once only or other our ours ourselves out over own same
    she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours yourself
    yourselves s t d ll m re ve also may might must shall upon whether within
    without among per via etc ie eg
    """.split()
)

_stem_memo: dict[str, str] = {}
_MEMO_LIMIT = 400_000


def fold(text: str) -> str:
    """Lower-case and strip accents ("Café" -> "cafe"); cheap for plain ASCII."""
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Folded surface words, stop words included (for snippets and phrases)."""
    return _TOKEN_RE.findall(fold(text))


def stem(word: str) -> str:
    """Stem one folded word; "" for a stop word. Memoised: vocabularies repeat."""
    got = _stem_memo.get(word)
    if got is None:
        if word in STOP_WORDS:
            got = ""
        elif len(word) <= 2 or word.isdigit():
            got = word
        else:
            got = _porter2(word)
        if len(_stem_memo) > _MEMO_LIMIT:
            _stem_memo.clear()
        _stem_memo[word] = got
    return got


def stems(text: str) -> list[str]:
    """One entry per word in order; "" where a stop word was (keeps positions)."""
    memo = _stem_memo
    out = []
    append = out.append
    for w in _TOKEN_RE.findall(fold(text)):
        s = memo.get(w)
        if s is None:
            s = stem(w)
        append(s)
    return out


def terms(text: str) -> list[str]:
    """The indexable terms of text in order, stop words removed."""
    return [s for s in stems(text) if s]
