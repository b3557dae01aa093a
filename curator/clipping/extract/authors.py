"""Clean author strings into a list of names.

Author fields carry a lot of noise: "By JANE DOE", profile URLs, Twitter handles,
"Jane Doe, PhD", dates glued onto bylines, or several names in one string.  A
clipping's author list should read like a citation, so we strip the noise and refuse
values that are not names at all.
"""

from __future__ import annotations

import re

from .dates import looks_like_date_text

_BY = re.compile(
    r"^\s*(?:written\s+by|posted\s+by|story\s+by|words\s+by|text\s+by|reported\s+by|"
    r"by|von|par|por|door|di|av|af)\s*[:\-]?\s+",
    re.I,
)
_DEGREES = re.compile(
    r",?\s+\b(?:Ph\.?\s?D|M\.?D|MBBS|MPH|MSc|M\.?S|MA|BSc|RD|RN|DNP|FACP|CPT|MS|"
    r"LCSW|LMFT|PsyD|EdD|DPhil|MRCP|FRCP)\.?(?=,|;|$|\s)",
)
_BY_INSIDE = re.compile(r"(?:^|\s)(?:by|von|par|por)\s+(\S.*)$", re.I)
_NOT_NAMES = {
    "admin",
    "administrator",
    "staff",
    "editor",
    "editors",
    "author",
    "unknown",
    "anonymous",
    "guest",
    "user",
    "facebook",
    "twitter",
    "instagram",
    "email",
    "share",
    "follow",
    "more",
    "home",
    "news",
    "null",
    "none",
    "undefined",
    "false",
    "true",
}
_SPLIT = re.compile(r"\s*(?:;|\||\band\b|&|\bund\b|\bet\b|\by\b)\s*", re.I)


def clean_name(raw: str | None) -> str | None:
    """One cleaned name, or None when the string is not a plausible person/organisation."""
    if not raw:
        return None
    s = " ".join(str(raw).split())
    if not s or len(s) > 120:
        return None
    if re.match(r"^(https?:|www\.|//|/)", s, re.I) or "@" in s[1:] and "." in s:
        return None
    s = s.lstrip("@") if re.fullmatch(r"@\w+", s) is None else ""
    if not s:
        return None
    # "Posted on 21 September 2020 by Jane Doe", "View all posts by Jane Doe"
    m = _BY_INSIDE.search(s)
    if m and len(m.group(1)) >= 2:
        s = m.group(1)
    s = _BY.sub("", s)
    if re.search(r"\d{1,2}:\d{2}|\d{4}", s):  # times and years are not names
        return None
    if re.search(r"\d", s) and (" " in s or re.fullmatch(r"[a-z]+\d+", s)):
        return None  # "November 9", "link78"; a one-word handle like "Bo2man" may pass
    s = re.sub(r"\s*[|•·]\s*.*$", "", s)  # "Jane Doe | Staff writer"
    s = _DEGREES.sub("", s)
    s = s.strip(" ,;:-–—")
    if not s or len(s) < 2:
        return None
    if s.lower() in _NOT_NAMES or looks_like_date_text(s):
        return None
    if not re.search(r"[^\W\d_]", s):  # no letters at all
        return None
    if len(s.split()) > 8:
        return None
    return s


def split_names(raw: str) -> list[str]:
    """Split "A and B; C" style strings.  Commas only split when every part looks like a
    full name, so "Jong, Michiel de" stays one author."""
    parts = [p for p in _SPLIT.split(raw) if p and p.strip()]
    out: list[str] = []
    for part in parts:
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        if len(pieces) > 1 and all(len(p.split()) >= 2 for p in pieces):
            out.extend(pieces)
        else:
            out.append(part)
    return out


def clean_authors(values: list[str], split: bool = True) -> list[str]:
    """Cleaned, de-duplicated names (case-insensitive), keeping first-seen order."""
    out: list[str] = []
    seen: set[str] = set()
    for v in values:
        if not v:
            continue
        v = " ".join(v.split())
        m = _BY_INSIDE.search(v)
        if m and len(m.group(1)) >= 2:
            v = m.group(1)  # "Posted on 21 May, 2020 by Jane Doe" -> "Jane Doe"
        v = _BY.sub("", v)
        v = _DEGREES.sub("", v)
        for part in split_names(v) if split else [v]:
            name = clean_name(part)
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                out.append(name)
    return out
