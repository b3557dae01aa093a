"""Has a page's text changed in a way that matters, and what exactly changed?

Text in, plain data out; no network, no HTML (pass the extracted main text, paragraphs
separated by new lines, as ``curator.clipping.extract`` produces it).

- :func:`fingerprint` gives a short string to store beside a resource (``sh1:`` and 16 hex
  digits). :func:`fingerprint_similarity` compares two stored fingerprints without the
  texts: 1.0 for the same text, above ~0.95 for the same page with small edits.
- :func:`similarity` compares two texts (0.0 to 1.0, symmetric).
- :func:`is_significant_change` is the decision the review queue wants: true when a
  section was rewritten, added or removed; false for a new date, a "last updated" line, a
  cookie banner, reordered paragraphs or one changed sentence.
- :func:`readable_diff` gives hunks of paragraph- and sentence-level changes with
  word-level highlights, to show a practitioner what is different.

Why SimHash for the fingerprint: it is 64 bits (one short column), it is stable (blake2b,
not Python's salted ``hash``), and near-identical texts give fingerprints a few bits
apart, so "nothing meaningful changed" is one cheap comparison. A MinHash would estimate
overlap more precisely but needs dozens of values per page; since the page text is kept in
the library, the precise decision is made on the texts with :func:`is_significant_change`,
and the fingerprint is only the quick filter. Both work on word 3-shingles of normalised
text: lower case, dates and numbers blanked, boilerplate lines (cookie banners, "last
updated", "print this page", "share") dropped.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

SHINGLE = 3
#: A change is significant when this many shingles (about words) came or went ...
SIGNIFICANT_SHINGLES = 60
#: ... or when at least this share of the page changed (and at least MIN_SHINGLES).
SIGNIFICANT_SHARE = 0.30
MIN_SHINGLES = 20
FINGERPRINT_PREFIX = "sh1:"
#: Paragraphs longer than this many words are compared whole, not word by word.
MAX_WORD_DIFF = 2000

_MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
           r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+\d{{4}}"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|(?:{_MONTHS})\.?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}(?:t[\d:.]+z?)?|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})\b", re.I)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"\w+", re.UNICODE)
_BOILERPLATE = re.compile(
    r"\bcookies?\b|skip to (?:main )?content|back to top|print (?:this )?page|"
    r"share (?:this )?(?:page|on)|is this page useful|report a problem with this page|"
    r"(?:last|page) (?:updated|reviewed|modified)|^(?:updated|published|first published|"
    r"next review(?: due)?)\b|sign up (?:for|to) (?:our )?(?:newsletter|email)",
    re.I)
#: Boilerplate lines are dropped only when short; a long paragraph is content.
BOILERPLATE_MAX_CHARS = 400
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def _paragraphs(text: str, drop_boilerplate: bool = True) -> list[str]:
    paras = []
    for line in (text or "").splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        if drop_boilerplate and len(line) <= BOILERPLATE_MAX_CHARS and \
                _BOILERPLATE.search(line):
            continue
        paras.append(line)
    return paras


def normalise(text: str) -> list[str]:
    """The words compared: boilerplate lines dropped, lower case, dates and numbers blanked."""
    text = unicodedata.normalize("NFKC", text or "")
    words: list[str] = []
    for para in _paragraphs(text):
        para = _DATE.sub(" ", para.casefold())
        para = _NUMBER.sub("0", para)
        words.extend(_WORD.findall(para))
    return words


@functools.lru_cache(maxsize=8)
def _shingles(text: str) -> Counter[int]:
    """Hashed word 3-shingles with their counts (cached: a check asks for the same texts
    several times; callers must not change the Counter)."""
    words = normalise(text)
    if not words:
        return Counter()
    if len(words) < SHINGLE:
        grams = [" ".join(words)]
    else:
        grams = [" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)]
    return Counter(int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest(),
                                  "big") for g in grams)


def fingerprint(text: str) -> str:
    """A 64-bit SimHash of the normalised text, as ``sh1:`` and 16 hex digits."""
    # Each bit of the result is set when the shingles with that bit set outweigh those
    # without. Counting down the columns of the hashes written in binary keeps the loop
    # in C: one pass per bit instead of one Python step per shingle and bit.
    rows: list[str] = []
    for h, count in _shingles(text).items():
        rows.extend([f"{h:064b}"] * count)
    value = 0
    for column, bits in enumerate(zip(*rows)):
        if 2 * bits.count("1") > len(rows):
            value |= 1 << (63 - column)
    return f"{FINGERPRINT_PREFIX}{value:016x}"


def fingerprint_similarity(a: str, b: str) -> float:
    """1 - (differing bits / 64) for two fingerprints; 0.0 if either is not one of ours."""
    try:
        if not (a.startswith(FINGERPRINT_PREFIX) and b.startswith(FINGERPRINT_PREFIX)):
            return 0.0
        x = int(a[len(FINGERPRINT_PREFIX):], 16) ^ int(b[len(FINGERPRINT_PREFIX):], 16)
    except (AttributeError, ValueError):
        return 0.0
    return 1.0 - bin(x).count("1") / 64


def _changed(old: str, new: str) -> tuple[int, int]:
    a, b = _shingles(old), _shingles(new)
    changed = max(sum((a - b).values()), sum((b - a).values()))
    return changed, max(sum(a.values()), sum(b.values()))


def similarity(a_text: str, b_text: str) -> float:
    """Weighted Jaccard overlap of the normalised texts' word 3-shingles (symmetric)."""
    a, b = _shingles(a_text), _shingles(b_text)
    union = sum((a | b).values())
    if union == 0:
        return 1.0
    return sum((a & b).values()) / union


def is_significant_change(old_text: str, new_text: str) -> bool:
    """True when enough of the page's wording came or went to need a person's look."""
    changed, total = _changed(old_text, new_text)
    if changed >= SIGNIFICANT_SHINGLES:
        return True
    return total > 0 and changed >= MIN_SHINGLES and changed / total >= SIGNIFICANT_SHARE


# --- a diff a person can read ------------------------------------------------------------

@dataclass
class Change:
    """One difference, or one unchanged paragraph shown for context.

    kind: "same" (context), "removed", "added" or "changed". level: "paragraph" or
    "sentence" (a changed paragraph is shown as its changed sentences only). For
    "changed", ``words`` runs through the sentence as ``(kind, text)`` pieces, kind being
    "same", "removed" or "added": show removed words struck out, added ones marked.
    """

    kind: str
    old: str = ""
    new: str = ""
    level: str = "paragraph"
    words: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Hunk:
    """Nearby changes with their context; *_start are 0-based paragraph numbers."""

    old_start: int
    new_start: int
    changes: list[Change] = field(default_factory=list)


def _words_key(s: str) -> list[str]:
    return [w.casefold() for w in s.split()]


def _word_runs(old: str, new: str) -> list[tuple[str, str]]:
    a, b = old.split(), new.split()
    runs: list[tuple[str, str]] = []

    def add(kind: str, words: list[str]) -> None:
        if not words:
            return
        if runs and runs[-1][0] == kind:
            runs[-1] = (kind, runs[-1][1] + " " + " ".join(words))
        else:
            runs.append((kind, " ".join(words)))
    sm = difflib.SequenceMatcher(None, [w.casefold() for w in a], [w.casefold() for w in b],
                                 autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            add("same", b[j1:j2])
        else:
            add("removed", a[i1:i2])
            add("added", b[j1:j2])
    return runs


def _ratio(a: str, b: str) -> float:
    wa, wb = _words_key(a), _words_key(b)
    if not wa and not wb:
        return 1.0
    if len(wa) > MAX_WORD_DIFF or len(wb) > MAX_WORD_DIFF:
        return difflib.SequenceMatcher(None, wa, wb).quick_ratio()
    return difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio()


def _sentences(para: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(para) if s.strip()]


def _changed_pair(old: str, new: str, level: str = "sentence") -> Change:
    if len(old.split()) > MAX_WORD_DIFF or len(new.split()) > MAX_WORD_DIFF:
        return Change("changed", old, new, level,
                      [("removed", old), ("added", new)])
    return Change("changed", old, new, level, _word_runs(old, new))


def _align(olds: list[str], news: list[str], level: str) -> list[Change]:
    """Pair similar units in order; the rest are removed or added."""
    out: list[Change] = []
    j = 0
    for old in olds:
        match = None
        for k in range(j, min(len(news), j + 6)):
            if _ratio(old, news[k]) >= 0.5:
                match = k
                break
        if match is None:
            out.append(Change("removed", old=old, level=level))
            continue
        out.extend(Change("added", new=n, level=level) for n in news[j:match])
        if level == "paragraph":
            out.extend(_sentence_changes(old, news[match]))
        else:
            out.append(_changed_pair(old, news[match]))
        j = match + 1
    out.extend(Change("added", new=n, level=level) for n in news[j:])
    return out


def _sentence_changes(old: str, new: str) -> list[Change]:
    a, b = _sentences(old), _sentences(new)
    if len(a) <= 1 and len(b) <= 1:
        return [_changed_pair(old, new)]
    out: list[Change] = []
    sm = difflib.SequenceMatcher(None, [" ".join(_words_key(s)) for s in a],
                                 [" ".join(_words_key(s)) for s in b], autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "equal":
            out.extend(_align(a[i1:i2], b[j1:j2], "sentence"))
    return out or [_changed_pair(old, new)]


def readable_diff(old_text: str, new_text: str, context: int = 1,
                  ignore_boilerplate: bool = True) -> list[Hunk]:
    """What changed between two texts, paragraph by paragraph, as hunks of :class:`Change`.

    Paragraphs are lines of the text. Boilerplate lines (cookie banners, "last updated")
    are left out when *ignore_boilerplate*. Unchanged paragraphs appear only as *context*
    (that many either side of a change). Never raises on any text.
    """
    a = _paragraphs(old_text or "", ignore_boilerplate)
    b = _paragraphs(new_text or "", ignore_boilerplate)
    context = max(0, int(context))
    # Flat list of (old_index, new_index, change or None for unchanged paragraph).
    rows: list[tuple[int, int, Change]] = []
    sm = difflib.SequenceMatcher(None, [" ".join(_words_key(p)) for p in a],
                                 [" ".join(_words_key(p)) for p in b], autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            for k in range(i2 - i1):
                rows.append((i1 + k, j1 + k, Change("same", a[i1 + k], b[j1 + k])))
        elif op == "delete":
            rows.extend((i, j1, Change("removed", old=a[i])) for i in range(i1, i2))
        elif op == "insert":
            rows.extend((i1, j, Change("added", new=b[j])) for j in range(j1, j2))
        else:
            rows.extend((i1, j1, c) for c in _align(a[i1:i2], b[j1:j2], "paragraph"))
    changed = [n for n, row in enumerate(rows) if row[2].kind != "same"]
    hunks: list[Hunk] = []
    start = end = -1
    for n in changed:
        if hunks and n - end <= 2 * context + 1:
            end = n
        else:
            if hunks or start >= 0:
                _fill(hunks[-1], rows, start, end, context)
            start = end = n
            hunks.append(Hunk(old_start=0, new_start=0))
    if hunks:
        _fill(hunks[-1], rows, start, end, context)
    return hunks


def _fill(hunk: Hunk, rows: list[tuple[int, int, Change]], start: int, end: int,
          context: int) -> None:
    lo, hi = max(0, start - context), min(len(rows), end + context + 1)
    hunk.old_start, hunk.new_start = rows[lo][0], rows[lo][1]
    hunk.changes = [row[2] for row in rows[lo:hi]]
