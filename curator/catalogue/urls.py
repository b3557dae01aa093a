"""Checking and normalising web addresses.

``check_url`` decides whether text is a web address Curator will clip (http and https
only, of a sane length) and ``normalise_url`` turns it into the key used to catch
duplicates: the same page reached by a differently written address gets the same key.

An address can carry more than the page: a user name and password (``user:pass@``),
click trackers (``utm_source``, ``fbclid``) or details about a person (``?email=``,
``?nhs=``, ``?dob=``, ``?name=``). None of these is ever stored or shared: ``check_url``
takes them out before an address is kept, and ``public_url`` before one leaves in a
bundle. Parameters that say which page it is (``?id=123``) are kept exactly as written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit, urlunsplit

from curator.base.errors import InvalidURL
from curator.base.hosts import host_of

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

# Query parameters that say who someone is, or hold a secret. A page is never told
# apart by them, and publishing them could identify a child or family. Names are
# compared in lower case with "-" and spaces read as "_".
IDENTITY_PARAMS = frozenset(
    {
        "email", "e_mail", "emailaddress", "email_address", "mail", "nhs", "nhs_no", "nhsno",
        "nhs_number", "nhsnumber", "chi", "dob", "date_of_birth", "dateofbirth", "birthdate",
        "birth_date", "birthday", "name", "first_name", "firstname", "last_name", "lastname",
        "surname", "forename", "forenames", "full_name", "fullname", "given_name",
        "family_name", "child", "child_name", "postcode", "post_code", "zip", "zipcode",
        "address", "phone", "telephone", "tel", "mobile", "phone_number", "ni", "nino",
        "ni_number", "user", "username", "user_name", "userid", "user_id", "login",
        "password", "pass", "passwd", "pwd", "token", "access_token", "auth", "auth_token",
        "session", "sessionid", "session_id", "apikey", "api_key",
    }
)
IDENTITY_PREFIXES = ("email", "nhs", "dob", "passw", "surname", "postcode")


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
    if "@" in parts.netloc:
        warnings.append("The address had a user name or password in it. Curator left them "
                        "out: they are never stored or shared.")
    if port is not None:
        netloc = f"{netloc}:{port}"
    query, dropped = _without_private(parts.query)
    fragment, dropped_too = _without_private(parts.fragment, only_pairs=True)
    if any(_is_identity(name) for name in dropped + dropped_too):
        warnings.append("The address carried a person's details or a password (such as an "
                        "email address, a name or a date of birth). Curator left them out.")
    url = urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", query, fragment))
    from w3lib.url import safe_url_string  # loaded when first used (start-up time)

    return CheckedURL(url=safe_url_string(url), warnings=warnings)


def public_url(url: str) -> str:
    """*url* as it may be shared: no user name or password, no tracking or identity
    parameters. Everything else stays exactly as written. Never raises: text that is not
    an address comes back as it is."""
    try:
        parts = urlsplit(url)
    except (ValueError, TypeError, AttributeError):
        return url
    netloc = parts.netloc
    if "@" in netloc:
        netloc = netloc.rsplit("@", 1)[1]
    query, dropped = _without_private(parts.query)
    fragment, dropped_too = _without_private(parts.fragment, only_pairs=True)
    if netloc == parts.netloc and not dropped and not dropped_too:
        return url
    return urlunsplit((parts.scheme, netloc, parts.path, query, fragment))


def _is_identity(name: str) -> bool:
    key = "_".join(name.strip().lower().replace("-", " ").split())
    return key in IDENTITY_PARAMS or key.startswith(IDENTITY_PREFIXES)


def _without_private(query: str, only_pairs: bool = False) -> tuple[str, list[str]]:
    """*query* without tracking and identity parameters, and the names taken out.

    Kept parameters keep their exact text and order. With *only_pairs* (a fragment),
    text that is not ``name=value`` pairs is left alone.
    """
    if not query or (only_pairs and "=" not in query):
        return query, []
    kept: list[str] = []
    dropped: list[str] = []
    for part in query.split("&"):
        name = unquote_plus(part.split("=", 1)[0])
        if name and (_is_tracking(name) or _is_identity(name)):
            dropped.append(name)
        else:
            kept.append(part)
    if not dropped:
        return query, []
    return "&".join(p for p in kept if p), dropped


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_tracking(name: str) -> bool:
    lower = name.lower()
    return lower in TRACKING_PARAMS or lower.startswith(TRACKING_PREFIXES)


def normalise_url(url: str) -> str:
    """The duplicate-catching key of a checked http(s) address.

    Lower-cases scheme and host, drops default ports, the fragment, user name and
    password, tracking and identity parameters and a trailing slash, sorts the query and
    evens out percent-encoding, so
    ``HTTPS://Example.org:443/a/?utm_source=x#top`` and ``https://example.org/a`` agree.
    """
    parts = urlsplit(url)
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
         if not _is_tracking(k) and not _is_identity(k)]
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
    from w3lib.url import canonicalize_url  # loaded when first used (start-up time)

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
    return host_of(url)
