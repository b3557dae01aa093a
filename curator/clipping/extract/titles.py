"""Choose and clean a page title.

``<title>`` usually carries the site name ("Story | BBC News", "Guidance - GOV.UK") and
sometimes section names, while ``og:title`` and JSON-LD ``headline`` are written for
sharing and are normally clean.  When we must fall back to ``<title>`` we strip the
site part, using the page's own headings and site name to decide which side of the
separator is the article title instead of blindly cutting the last segment.
"""

from __future__ import annotations

import re
import unicodedata

# A separator is one of these surrounded by spaces (so "e-mail" and "1/2" are safe).
_SEP = re.compile(r"\s+(?:\||-|–|—|»|«|::|·|•|/|\\|~|:)\s+")
_SEP_NO_COLON = re.compile(r"\s+(?:\||-|–|—|»|«|::|·|•|/|\\|~)\s+")


def norm(s: str | None) -> str:
    """Comparison form: NFKC, case-folded, quotes unified, white space collapsed."""
    if not s:
        return ""
    s = unicodedata.normalize("NFKC", s).casefold()
    s = s.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\xa0": " "}))
    return " ".join(s.split())


def tidy(s: str | None) -> str | None:
    """Collapse white space; None for empty strings."""
    if not s:
        return None
    s = " ".join(str(s).replace("\xa0", " ").split())
    return s or None


def _words(s: str) -> int:
    return len(re.findall(r"\w+", s))


def strip_site_suffix(title: str, site_names: list[str], headings: list[str]) -> str:
    """Remove site/section names from a ``<title>`` text.

    1. If a page heading equals a run of the title's segments, that run is the title.
    2. If the first or last segment is a known site name, drop it.
    3. Otherwise drop the last segment, unless that leaves too little to be a title
       (then the "suffix" was probably part of the title, e.g. "Google - SRE").
    """
    title = tidy(title) or ""
    if not title:
        return title
    parts = _SEP_NO_COLON.split(title)
    seps = _SEP_NO_COLON.findall(title)
    if len(parts) < 2:
        # "Site: Article" / "Article : Site" with spaced colons only when a heading agrees
        parts = _SEP.split(title)
        seps = _SEP.findall(title)
        if len(parts) < 2:
            return title
        colon_only = True
    else:
        colon_only = False

    def join(i: int, j: int) -> str:
        out = parts[i]
        for k in range(i + 1, j):
            out += seps[k - 1] + parts[k]
        return out

    heads = {norm(h) for h in headings if h and _words(h) >= 1}
    n = len(parts)
    best: tuple[int, int] | None = None
    for i in range(n):
        for j in range(n, i, -1):
            if (i, j) == (0, n):
                continue
            if norm(join(i, j)) in heads and (best is None or len(join(i, j)) > len(join(*best))):
                best = (i, j)
    if len(parts) > 2 and seps[-1].strip() in ("»", "›", ">") and _words(parts[-1]) >= 2:
        # breadcrumb style "Site - Section » Article": the last crumb is the page
        return parts[-1].strip()
    if best:
        i, j = best
        if j == n and i > 0 and _words(join(0, i)) >= 2:
            # The heading is the trailing run: that is the site/section banner
            # ("Story - Section - Site" with <h1>Section - Site</h1>).
            return join(0, i).strip()
        return join(i, j).strip()
    if colon_only:
        return title
    sites = {norm(s) for s in site_names if s}
    sites |= {s.replace(" ", "") for s in sites}
    last, first = norm(parts[-1]), norm(parts[0])
    if last in sites or last.replace(" ", "") in sites:
        return join(0, n - 1).strip()
    if first in sites or first.replace(" ", "") in sites:
        return join(1, n).strip()
    cand = join(0, n - 1).strip()
    if _words(cand) >= 3 or (_words(cand) >= 2 and _words(parts[-1]) <= 3):
        return cand
    return title


def strip_known_site(title: str, site_names: list[str]) -> str:
    """Drop a trailing (or leading) segment that is exactly the site's own name.

    Used on publisher-supplied titles (og:title, JSON-LD), which are usually clean but
    sometimes carry the brand: "Penny - Stardew Valley Wiki" with site "Stardew Valley
    Wiki".  Nothing is removed unless it matches a known site name.
    """
    sites = {norm(s) for s in site_names if s}
    sites |= {s.replace(" ", "") for s in sites}
    if not sites:
        return title
    parts = _SEP_NO_COLON.split(title)
    if len(parts) < 2:
        return title
    seps = _SEP_NO_COLON.findall(title)
    low = norm(title)
    for site in sites:
        # the site name may itself contain separators ("Mag - Art, Design & Beauty")
        for m in _SEP_NO_COLON.finditer(low):
            if low[m.end() :] == site and _words(low[: m.start()]) >= 1:
                return _cut_norm_prefix(title, m.start())
    last = norm(parts[-1])
    if last in sites or last.replace(" ", "") in sites:
        cut = title[: title.rfind(seps[-1])].strip()
        return cut if _words(cut) >= 1 else title
    first = norm(parts[0])
    if first in sites or first.replace(" ", "") in sites:
        cut = title[title.find(seps[0]) + len(seps[0]) :].strip()
        return cut if _words(cut) >= 2 else title
    return title


def _cut_norm_prefix(title: str, n: int) -> str:
    """``title`` cut where its normalised form has ``n`` characters (best effort)."""
    words_wanted = _words(norm(title)[:n])
    out = []
    count = 0
    for tok in re.split(r"(\s+)", title):
        if count >= words_wanted and tok.strip() and re.fullmatch(r"\W+", tok):
            break
        out.append(tok)
        count += _words(tok)
    return "".join(out).strip()


def similar(a: str | None, b: str | None) -> float:
    """Share of ``a``'s words that also occur in ``b`` (0..1)."""
    wa = re.findall(r"\w+", norm(a))
    wb = set(re.findall(r"\w+", norm(b)))
    if not wa or not wb:
        return 0.0
    return sum(1 for w in wa if w in wb) / len(wa)
