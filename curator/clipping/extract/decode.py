"""Turn raw response bytes into text without ever raising.

Web pages lie about their encoding: the HTTP header may be missing or wrong, the
``<meta charset>`` may disagree with the bytes, and some pages mix encodings.  We
follow the browser order (BOM, HTTP header, in-document declaration) but check each
claim against the bytes, because a page that decodes cleanly as UTF-8 is almost
certainly UTF-8 whatever it says, and a wrong guess turns every accented letter
into mojibake in the user's clippings.
"""

from __future__ import annotations

import codecs
import re

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # must precede UTF-16 LE: same first two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels that browsers treat as something else (WHATWG Encoding Standard):
# "latin-1" pages are in practice windows-1252, and so on.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "x-sjis": "shift_jis",
    "shift-jis": "shift_jis",
    "sjis": "shift_jis",
    "unicode": "utf-16",
    "utf8": "utf-8",
}

_CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]+encoding\s*=\s*[\"']([\w.:-]+)", re.I)

#: How many bytes to scan for an in-document declaration (browsers use 1024;
#: real pages often put it later, after scripts and comments).
PRESCAN_BYTES = 8192
#: How many bytes to give to statistical detection; more is slow and rarely helps.
DETECT_BYTES = 65536


def normalise_charset(label: str | None) -> str | None:
    """Return a Python codec name for an HTTP/HTML charset label, or None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):
        return None
    return name


def charset_from_content_type(content_type: str | None) -> str | None:
    """The ``charset=`` parameter of a Content-Type header, as a codec name."""
    if not content_type:
        return None
    m = _CT_CHARSET.search(content_type)
    return normalise_charset(m.group(1)) if m else None


def sniff_bom(body: bytes) -> str | None:
    """Codec named by a byte-order mark, which outranks every other declaration."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    return None


def declared_in_document(body: bytes) -> str | None:
    """Charset declared by ``<meta charset>``, http-equiv or an XML declaration."""
    head = body[:PRESCAN_BYTES]
    m = _XML_DECL.search(head) or _META_CHARSET.search(head)
    if not m:
        return None
    name = normalise_charset(m.group(1).decode("ascii", "ignore"))
    if name and name.startswith("utf-16"):
        # The declaration was readable as ASCII, so the bytes are not UTF-16.
        return "utf-8"
    return name


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut off by truncation at the very end is still UTF-8.
        return exc.start >= len(body) - 3 and exc.reason == "unexpected end of data"
    return True


def _detect(body: bytes) -> str | None:
    """Statistical guess via charset-normalizer, limited to a sample for speed."""
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:DETECT_BYTES]).best()
    except Exception:  # detection is best-effort; a crash here must not lose the page
        return None
    return normalise_charset(best.encoding) if best else None


def choose_encoding(body: bytes, content_type: str | None = None) -> str:
    """Pick the codec to decode ``body`` with.  Always returns a usable codec name."""
    bom = sniff_bom(body)
    if bom:
        return bom
    declared = charset_from_content_type(content_type) or declared_in_document(body)
    if body.isascii():
        return declared or "utf-8"
    if _is_utf8(body):
        # Valid multi-byte UTF-8 almost never happens by accident in other encodings,
        # so it beats a declaration of, say, windows-1252 (a very common mistake).
        return "utf-8"
    if declared and declared != "utf-8":
        return declared
    # Declared UTF-8 (or nothing) but the bytes are not UTF-8: guess.
    detected = _detect(body)
    if detected and detected != "utf-8":
        return detected
    return "cp1252"


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode ``body`` to text; returns ``(text, codec)``.  Invalid bytes become U+FFFD."""
    encoding = choose_encoding(body, content_type)
    try:
        text = body.decode(encoding, errors="replace")
    except (LookupError, ValueError):
        encoding = "utf-8"
        text = body.decode(encoding, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, encoding
