"""One form for text before the personal-data guard looks at it.

People write the same NHS number, postcode or email address in many ways: full-width
digits from a phone keyboard, a zero-width space pasted from a web page, an em dash or a
non-breaking hyphen between groups, two spaces or a line break, ``jo[at]example.org``.
:func:`normalise` turns all of these into one plain form (Unicode NFKC compatibility
forms, format characters such as zero-width spaces removed, every dash a hyphen, every
run of white space one space, ``[at]``/``(at)`` an ``@`` and ``[dot]``/``(dot)`` a dot),
and keeps, for each character of the result, where it came from, so that what the guard
finds can be shown in the expert's own text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Hyphen-like characters that NFKC leaves alone (the minus sign is a symbol, not a dash).
_EXTRA_DASHES = frozenset("\u2212\u2043\ufe63\u2e3a\u2e3b")
# "jo [at] example [dot] org": the spelled-out forms people use to hide an address.
_SPELLED = re.compile(r" ?[\[(] ?(at|dot) ?[\])] ?", re.IGNORECASE)


@dataclass(frozen=True)
class Normalised:
    """Text in the guard's one form, with the way back to the original.

    Attributes:
        text: the normalised text.
        starts: for each character of *text*, where its source starts in the original
            (None: the text is unchanged, each character is its own source).
        ends: for each character of *text*, where its source ends (exclusive).
    """

    text: str
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the normalised span [*start*, *end*)."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


# Plain ASCII text needs no work unless it has runs of white space or odd white space.
_ASCII_WORK = re.compile(r"\s\s|[\t\n\r\f\v]")


def normalise(text: str) -> Normalised:
    """*text* in the guard's one form (see the module docstring)."""
    if text.isascii() and not _ASCII_WORK.search(text):
        if not _SPELLED.search(text):
            return Normalised(text)
        plain, starts, ends = _unspell(text, list(range(len(text))),
                                       list(range(1, len(text) + 1)))
        return Normalised(plain, tuple(starts), tuple(ends))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            forms = ch
        elif unicodedata.category(ch) == "Cf":
            continue  # zero-width spaces and joiners, soft hyphens, byte-order marks
        else:
            forms = unicodedata.normalize("NFKC", ch)
        for form in forms:
            if form.isspace():
                if out and out[-1] == " ":
                    ends[-1] = i + 1
                    continue
                form = " "
            elif form in _EXTRA_DASHES or (not form.isascii()
                                           and unicodedata.category(form) == "Pd"):
                form = "-"
            out.append(form)
            starts.append(i)
            ends.append(i + 1)
    plain = "".join(out)
    if _SPELLED.search(plain):
        plain, starts, ends = _unspell(plain, starts, ends)
    return Normalised(plain, tuple(starts), tuple(ends))


def _unspell(plain: str, starts: list[int], ends: list[int]) -> tuple[str, list[int], list[int]]:
    """Replace "[at]" and "(dot)" forms between word characters with "@" and "."."""
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    done = 0
    for m in _SPELLED.finditer(plain):
        s, e = m.span()
        # Only between parts of an address: "jo[at]example", not "children (at) risk."
        if s == 0 or e >= len(plain) or not _wordish(plain[s - 1]) or not _wordish(plain[e]):
            continue
        out.append(plain[done:s])
        new_starts.extend(starts[done:s])
        new_ends.extend(ends[done:s])
        out.append("@" if m.group(1).lower() == "at" else ".")
        new_starts.append(starts[s])
        new_ends.append(ends[e - 1])
        done = e
    if not done:
        return plain, starts, ends
    out.append(plain[done:])
    new_starts.extend(starts[done:])
    new_ends.extend(ends[done:])
    return "".join(out), new_starts, new_ends


def _wordish(ch: str) -> bool:
    return ch.isalnum() or ch in "._-+%"
