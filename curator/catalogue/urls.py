"""Checking and normalising web addresses.

``check_url`` decides whether text is a web address Curator will clip (http and https
only, of a sane length) and ``normalise_url`` turns it into the key used to catch
duplicates: the same page reached by a differently written address gets the same key.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, safe_url_string

from curator.base.errors import InvalidURL

#: Longest address accepted. Browsers cope with a few tens of thousands of characters;
#: anything far beyond that is a mistake or an attack and would slow every list.
MAX_URL_LENGTH = 32_768

DEFAULT_PORTS = {"http": 80, "https": 443}

# Query parameters that only track where a click came from; they never change the page.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "twclid", "ttclid",
        "mc_cid", "mc_eid", "igshid", "_ga", "_gl", "_hsenc", "_hsmi", "hsctatracking",
        "mkt_tok", "vero_id", "vero_conv", "oly_anon_id", "oly_enc_id", "rb_clickid",
        "s_cid", "wickedid", "ref_src", "ref_url", "cmpid", "spm", "si",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "piwik_", "mtm_", "matomo_")


@dataclass
class CheckedURL:
    """A web address that passed :func:`check_url`, with anything worth telling the person."""

    url: str
    warnings: list[str] = field(default_factory=list)


def _scripts(label: str) -> set[str]:
    """The writing systems (LATIN, CYRILLIC, GREEK...) the letters of *label* come from."""
    scripts = set()
    for ch in label:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            if name:
                scripts.add(name.split(" ")[0])
    return scripts


def check_url(text: str) -> CheckedURL:
    """Accept *text* as a clippable web address or raise :class:`InvalidURL` saying why.

    Only http and https are accepted: ``javascript:``, ``data:``, ``file:``, ``ftp:`` and
    Windows shares are refused, whatever their case or surrounding spaces. A host name
    that mixes alphabets (a Cyrillic "а" in "apple.com") is turned into its punycode form
    with a warning, because that is how look-alike sites deceive.
    """
    if text is None:
        raise InvalidURL("No web address was given.")
    if len(text) > MAX_URL_LENGTH:
        raise InvalidURL(
            f"That web address is {len(text):,} characters long; Curator accepts up to "
            f"{MAX_URL_LENGTH:,}. Check you copied the address and not the page."
        )
    raw = "".join(ch for ch in text.strip() if ch not in "\t\r\n")
    if not raw:
        raise InvalidURL("No web address was given.")
    if raw.startswith(("\\\\", "//")) or re.match(r"^[a-zA-Z]:[\\/]", raw):
        raise InvalidURL(
            "That is a file or network-share path, not a web address. Curator clips "
            "web pages that start with http:// or https://."
        )
    scheme_match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):", raw)
    if not scheme_match:
        if re.match(r"^[\w\-]+(\.[\w\-]+)+(:\d+)?(/|$)", raw, re.UNICODE):
            raw = "https://" + raw  # "www.gov.uk/guidance" typed without a scheme
        else:
            raise InvalidURL(f"'{_short(raw)}' is not a web address.")
    else:
        scheme = scheme_match.group(1).lower()
        if scheme not in ("http", "https"):
            raise InvalidURL(
                f"Curator only clips web pages (http:// or https://), not '{scheme}:' "
                "addresses."
            )
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise InvalidURL(f"'{_short(raw)}' is not a valid web address ({exc}).") from None
    host = parts.hostname or ""
    if not host:
        raise InvalidURL(f"'{_short(raw)}' has no site name after the //.")
    warnings: list[str] = []
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise InvalidURL(f"The site name '{_short(host)}' is not valid.") from None
    if not host.isascii():
        for label in host.split("."):
            scripts = _scripts(label)
            if len(scripts) > 1:
                alphabets = ", ".join(sorted(s.title() for s in scripts))
                warnings.append(
                    f"The site name '{host}' mixes alphabets ({alphabets}), a trick look-alike "
                    f"sites use. It is shown as {ascii_host}; check it is the site you meant."
                )
                break
    netloc = ascii_host.lower()
    if parts.username or parts.password:
        userinfo = parts.username or ""
        if parts.password:
            userinfo += ":" + parts.password
        netloc = f"{userinfo}@{netloc}"
    if port is not None:
        netloc = f"{netloc}:{port}"
    url = urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, parts.fragment))
    return CheckedURL(url=safe_url_string(url), warnings=warnings)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_tracking(name: str) -> bool:
    lower = name.lower()
    return lower in TRACKING_PARAMS or lower.startswith(TRACKING_PREFIXES)


def normalise_url(url: str) -> str:
    """The duplicate-catching key of a checked http(s) address.

    Lower-cases scheme and host, drops default ports, the fragment, tracking parameters
    and a trailing slash, sorts the query and evens out percent-encoding, so
    ``HTTPS://Example.org:443/a/?utm_source=x#top`` and ``https://example.org/a`` agree.
    """
    parts = urlsplit(url)
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    )
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, DEFAULT_PORTS.get(parts.scheme.lower())) else f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    rebuilt = urlunsplit((parts.scheme.lower(), netloc, path, query, ""))
    return canonicalize_url(rebuilt, keep_fragments=False)


def same_page_keys(url: str) -> list[str]:
    """Keys under which a page may already be stored: its normal form over http and https."""
    key = normalise_url(url)
    if key.startswith("https://"):
        return [key, "http://" + key[len("https://"):]]
    if key.startswith("http://"):
        return [key, "https://" + key[len("http://"):]]
    return [key]


def display_host(url: str) -> str:
    """The site part of an address, for lists: ``www.gov.uk``."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
