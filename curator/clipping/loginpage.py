"""Telling a site's login page from the page that was asked for.

Partner sites (Research in Practice and the like) answer a program that is not signed in
with their login page, often with "200 OK". Curator's own fetch then sees only that page:
:func:`notice` says so in words, so the expert knows to clip the page from their browser,
where they are signed in. Link checks use :func:`looks_like_login` for resources that
are known to need a login (see curator/review/loginwall.py).
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from curator.catalogue.urls import display_host

#: How much of a body is looked at.
SNIFF_BYTES = 512 * 1024
#: A login page says little besides its form.
SHORT_TEXT = 2500

_LOGIN_PATH = re.compile(r"(?:^|/)(?:log-?in|sign-?in|sso|auth(?:enticate)?|"
                         r"users?/sign_in|account/log-?on|logon|openathens)(?:$|[/.?;_-])",
                         re.I)
_PASSWORD = re.compile(rb"<input\b[^>]*\btype\s*=\s*[\"']?password", re.I)
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)
_LOGIN_WORDS = re.compile(rb"\b(?:log\s*-?\s*in|sign\s*-?\s*in|login|signin|log\s*on|"
                          rb"authenticat\w*)\b", re.I)
_TAGS = re.compile(rb"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", re.I | re.S)


def sent_to_login(asked: str, final: str) -> bool:
    """Whether a redirect took *asked* to a login address it was not already at."""
    def path(url: str) -> str:
        parts = urlsplit(url)
        return unquote(parts.path or "") + ("?" + parts.query if parts.query else "")
    return bool(_LOGIN_PATH.search(path(final))) and not _LOGIN_PATH.search(path(asked))


def looks_like_login(body: bytes | None, content_type: str | None = None) -> bool:
    """Whether an HTML page is a login form: a password box, and a title about logging
    in or hardly any other text. (An article with a small sign-in box in its header has
    a long text and is not one.)"""
    if not body:
        return False
    ctype = (content_type or "").lower()
    if ctype and "html" not in ctype:
        return False
    head = bytes(body[:SNIFF_BYTES])
    if not _PASSWORD.search(head):
        return False
    title = _TITLE.search(head)
    if title and _LOGIN_WORDS.search(title.group(1)):
        return True
    text = b" ".join(_TAGS.sub(b" ", head).split())
    return len(text) <= SHORT_TEXT


def notice(asked: str, response) -> str | None:
    """What to tell the expert when a fetch came back with the site's login page."""
    if not (sent_to_login(asked, response.url)
            or looks_like_login(response.body, response.content_type)):
        return None
    return (f"{display_host(asked)} showed Curator its login page, not the article: the "
            "saved text is the login page's. Open the page in your browser, sign in and "
            "clip it from there (Clip to Curator) to keep the real text")
