"""The native messaging protocol between the browser extension and ``curator native-host``.

The browser starts the host and talks to it over its standard input and output: each
message is a 4-byte length (in the machine's own byte order, as Chrome, Edge and Firefox
all use) followed by that many bytes of UTF-8 JSON. No network port is opened.

Requests are JSON objects with a ``type``:

- ``{"type": "ping"}``: is Curator there? Answers the version.
- ``{"type": "themes"}``: the library's themes and types, for the extension's panel.
- ``{"type": "clip", "url": ..., "html": ..., "selection": ..., "title": ..., "themes":
  [...], "tags": [...], "kind": ..., "note": ..., "access": "login" | "open"}``: clip a
  page. Without ``html`` the page is clipped by its address (Curator fetches it).

Every answer is a JSON object with ``ok``; a refusal has ``ok: false``, an ``error`` code
(:data:`ERRORS`) and a ``message`` for a person. A request's ``id``, when it has one, is
echoed. Nothing is changed by a refused request.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from typing import BinaryIO

#: The largest message accepted from the browser (a rendered page with its markup).
MAX_MESSAGE = 20 * 1024 * 1024
#: Browsers refuse a message from the host over 1 MB.
MAX_REPLY = 1024 * 1024
_HEADER = struct.Struct("=I")
_CHUNK = 1024 * 1024
MAX_TEXT = {"title": 1000, "note": 20_000, "selection": 50_000, "kind": 50}
MAX_LIST = 50

#: Error codes and what each means.
ERRORS = {
    "not_json": "The message was not valid JSON.",
    "too_big": "The message was larger than Curator accepts.",
    "no_url": "The message had no web address.",
    "bad_url": "The web address cannot be clipped.",
    "bad_request": "The message was not one Curator understands.",
    "locked": "The library is busy or cannot be written.",
    "refused": "Curator refused the clip.",
    "no_library": "No library could be opened.",
    "bug": "Something went wrong that Curator did not expect.",
}


class ProtocolError(Exception):
    """A request refused before anything was done: *code* from :data:`ERRORS`."""

    def __init__(self, code: str, message: str, request_id=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.request_id = request_id

    def reply(self) -> dict:
        return error_reply(self.code, self.message, self.request_id)


def error_reply(code: str, message: str, request_id=None) -> dict:
    out = {"ok": False, "error": code, "message": message}
    if request_id is not None:
        out["id"] = request_id
    return out


# --- framing ---------------------------------------------------------------------------

def read_frame(stream: BinaryIO, limit: int = MAX_MESSAGE) -> bytes | None:
    """The next message's bytes; None when the browser has closed the pipe.

    A message over *limit* is read to its end and dropped (so the next one is read from
    the right place) and raises ``ProtocolError("too_big")``.
    """
    header = _read_exactly(stream, _HEADER.size)
    if header is None:
        return None
    (length,) = _HEADER.unpack(header)
    if length > limit:
        left = length
        while left:
            chunk = stream.read(min(_CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
        mb = limit // (1024 * 1024)
        raise ProtocolError("too_big", f"The page is {length / 1024 / 1024:.1f} MB; Curator "
                            f"takes pages up to {mb} MB. Clip it by its address instead.")
    body = _read_exactly(stream, length)
    return body  # None: the pipe closed half-way through a message


def _read_exactly(stream: BinaryIO, n: int) -> bytes | None:
    parts = []
    while n:
        chunk = stream.read(n)
        if not chunk:
            return None
        parts.append(chunk)
        n -= len(chunk)
    return b"".join(parts)


def encode(message: dict) -> bytes:
    """*message* as one framed message for the browser."""
    body = json.dumps(message, ensure_ascii=False).encode("utf-8")
    if len(body) > MAX_REPLY:
        body = json.dumps(error_reply("bug", "Curator's answer was too long to send."),
                          ensure_ascii=False).encode("utf-8")
    return _HEADER.pack(len(body)) + body


def write_frame(stream: BinaryIO, message: dict) -> None:
    stream.write(encode(message))
    stream.flush()


# --- requests --------------------------------------------------------------------------

@dataclass
class ClipRequest:
    url: str
    html: str | None = None
    selection: str = ""
    title: str = ""
    themes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    kind: str | None = None
    note: str = ""
    access: str | None = None  # "login", "open", or None: Curator finds out

    def to_dict(self) -> dict:
        return {"type": "clip", "url": self.url, "html": self.html,
                "selection": self.selection, "title": self.title, "themes": self.themes,
                "tags": self.tags, "kind": self.kind, "note": self.note,
                "access": self.access}


@dataclass
class Request:
    type: str
    id: object = None
    clip: ClipRequest | None = None


def parse(raw: bytes) -> Request:
    """Read one message, or raise :class:`ProtocolError` saying what is wrong with it."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ProtocolError("not_json", "Curator could not read the message from the "
                            "browser (it was not valid JSON). Nothing was saved.") from None
    if not isinstance(data, dict):
        raise ProtocolError("bad_request", "The message from the browser was not a Curator "
                            "request. Nothing was saved.")
    rid = data.get("id")
    if not isinstance(rid, (str, int)) or isinstance(rid, bool):
        rid = None
    kind = data.get("type", "clip")
    if kind in ("ping", "themes"):
        return Request(kind, rid)
    if kind != "clip":
        raise ProtocolError("bad_request", f"Curator does not know the request “{kind}”.",
                            rid)
    return Request("clip", rid, _clip(data, rid))


def _clip(data: dict, rid) -> ClipRequest:
    url = data.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ProtocolError("no_url", "The clip had no web address, so nothing was saved.",
                            rid)
    url = url.strip()
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in ("http", "https"):
        raise ProtocolError("bad_url", "Curator clips web pages whose address starts with "
                            "http:// or https://; this one does not, so nothing was saved.",
                            rid)
    html = data.get("html")
    if html is not None and not isinstance(html, str):
        raise ProtocolError("bad_request", "The page's HTML was not text.", rid)
    access = data.get("access")
    if access not in (None, "login", "open"):
        raise ProtocolError("bad_request", "“access” must be “login” or “open”.", rid)
    return ClipRequest(
        url=url, html=html or None, access=access,
        selection=_text(data, "selection", rid), title=_text(data, "title", rid),
        note=_text(data, "note", rid), kind=_text(data, "kind", rid) or None,
        themes=_list(data, "themes", rid), tags=_list(data, "tags", rid))


def _text(data: dict, key: str, rid) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ProtocolError("bad_request", f"“{key}” must be text.", rid)
    return value.strip()[:MAX_TEXT[key]]


def _list(data: dict, key: str, rid) -> list[str]:
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        value = [v for v in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProtocolError("bad_request", f"“{key}” must be a list of words.", rid)
    return [v.strip() for v in value if v.strip()][:MAX_LIST]
