"""The ``curator:`` link scheme, for where IT does not allow browser extensions.

``curator:clip?url=https%3A%2F%2F...`` (or ``curator://clip?url=...``) asks Curator to
clip a page by its address. The Help page's bookmarklet opens such a link; the installer
and the Linux desktop file register Curator for the scheme, so the desktop starts
``curator curator:clip?url=...``, which hands the address to the window.
"""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

from curator.base.errors import CuratorError

SCHEME = "curator"

#: The bookmarklet on the Help page: the page being read, as a curator: link.
BOOKMARKLET = ("javascript:void(location.href='curator:clip?url='"
               "+encodeURIComponent(location.href))")


def is_curator_link(text: str) -> bool:
    return isinstance(text, str) and text.strip().lower().startswith(SCHEME + ":")


def clip_link(url: str) -> str:
    """The curator: link that clips *url*."""
    return f"{SCHEME}:clip?url={quote(url, safe='')}"


def clip_url(link: str) -> str:
    """The web address a ``curator:clip`` link asks to clip, or a CuratorError saying why
    the link cannot be used."""
    if not is_curator_link(link):
        raise CuratorError("That is not a curator: link.")
    rest = link.strip()[len(SCHEME) + 1:]
    parts = urlsplit("x://" + rest.lstrip("/")) if rest.startswith("//") else \
        urlsplit("x:" + rest)
    action = (parts.netloc or parts.path).strip("/").lower()
    if action != "clip":
        raise CuratorError(f"Curator does not know the link “{link[:80]}”: it can only "
                           "clip (curator:clip?url=...).")
    urls = parse_qs(parts.query).get("url") or []
    url = urls[0].strip() if urls else ""
    if not url:
        raise CuratorError("The curator: link did not say which page to clip.")
    if not url.lower().startswith(("http://", "https://")):
        raise CuratorError("Curator clips web pages whose address starts with http:// or "
                           "https://; the curator: link gave another kind of address.")
    return url
