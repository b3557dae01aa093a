"""A site name when the page gives no ``og:site_name``: from its branding, else its address.

Order: an Organization named in the page's structured data, then a ``<title>`` suffix
that is clearly the site's ("Neglect - NSPCC Learning" when the page's own heading is
"Neglect"), then a readable form of the domain: a short list of well-known public
services by their usual names (``www.gov.uk`` -> "GOV.UK"), else the registered domain
(``www.example.org.uk`` -> "example.org.uk").
"""

from __future__ import annotations

from urllib.parse import urlsplit

from . import jsonld as jl
from .titles import _SEP_NO_COLON, norm, similar, tidy

#: Registered domains (and their sub-domains) known by another name.
KNOWN_SITES = {
    "gov.uk": "GOV.UK",
    "service.gov.uk": "GOV.UK",
    "nhs.uk": "NHS",
    "nspcc.org.uk": "NSPCC",
    "nice.org.uk": "NICE",
    "scie.org.uk": "SCIE",
    "ofsted.gov.uk": "Ofsted",
    "legislation.gov.uk": "legislation.gov.uk",
    "parliament.uk": "UK Parliament",
    "bbc.co.uk": "BBC",
    "researchinpractice.org.uk": "Research in Practice",
    "barnardos.org.uk": "Barnardo's",
    "childrenscommissioner.gov.uk": "Children's Commissioner",
    "local.gov.uk": "Local Government Association",
    "basw.co.uk": "BASW",
    "youtube.com": "YouTube",
    "vimeo.com": "Vimeo",
}
#: Second-level labels under which a country-code domain is registered (example.org.uk).
_SECOND_LEVEL = {"co", "org", "gov", "ac", "net", "sch", "ltd", "plc", "me", "nhs", "police",
                 "mod", "com", "edu", "govt", "nic"}


def registered_domain(host: str) -> str:
    """ "www.learning.nspcc.org.uk" -> "nspcc.org.uk"; "www.gov.uk" -> "gov.uk"."""
    labels = [x for x in host.lower().strip(".").split(".") if x]
    if len(labels) <= 2:
        return ".".join(labels)
    if len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def site_from_address(url: str | None) -> str | None:
    host = (urlsplit(url).hostname or "") if url else ""
    if not host or "." not in host or host.replace(".", "").isdigit():
        return None
    host = host.lower()
    parts = host.split(".")
    for i in range(len(parts) - 1):
        known = KNOWN_SITES.get(".".join(parts[i:]))
        if known:
            return known
    return registered_domain(host)


def organisation_name(ld: jl.JsonLd) -> str | None:
    """The name of the one Organization the page's structured data describes."""
    names = []
    for node in ld.of_types(jl.ORG_TYPES):
        name = jl.text_value(node.get("name"))
        if name and len(name) <= 80 and norm(name) not in {norm(n) for n in names}:
            names.append(name)
    return tidy(names[0]) if len(names) == 1 else None


def site_from_title(doc_title: str | None, clean_titles: list[str], url: str) -> str | None:
    """The site part of ``<title>``, when the rest of it is the page's own title (its
    og:title or heading agrees) or the part carries the address's name."""
    if not doc_title:
        return None
    parts = _SEP_NO_COLON.split(doc_title)
    if len(parts) < 2:
        return None
    seps = _SEP_NO_COLON.findall(doc_title)
    host = (urlsplit(url).hostname or "").lower() if url else ""
    label = registered_domain(host).split(".")[0] if host else ""
    for last, site, rest in (
        (True, parts[-1], doc_title[: doc_title.rfind(seps[-1])]),
        (False, parts[0], doc_title[doc_title.find(seps[0]) + len(seps[0]) :]),
    ):
        site = site.strip()
        words = len(site.split())
        if not site or words > 6 or len(site) > 60:
            continue
        agrees = any(
            norm(rest) == norm(t) or (similar(rest, t) >= 0.9 and similar(t, rest) >= 0.9)
            for t in clean_titles
            if t
        )
        branded = last and len(label) > 2 and label in norm(site).replace(" ", "")
        if agrees or branded:
            return tidy(site)
    return None
