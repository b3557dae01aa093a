"""Turn raw response bytes into text without ever raising.

Web pages lie about their encoding: the HTTP header may be missing or wrong, the
``<meta charset>`` may disagree with the bytes, and some pages mix encodings.  We
follow the browser order (BOM, HTTP header, in-document declaration) but check each
claim against the bytes, because a page that decodes cleanly as UTF-8 is almost
certainly UTF-8 whatever it says, and a wrong guess turns every accented letter
into mojibake in the user's clippings.  UTF-16 or UTF-32 named only in the HTTP header
is honoured when the zero bytes fall where that encoding puts them (their byte order is
read from the same evidence).  With no reliable declaration the bytes are weighed by
charset-normalizer; when it finds several Western code pages equally likely (short
pages often fit windows-1250, -1252 and -1257 alike), windows-1252 wins, as it does in
browsers, so "Crème brûlée" is not stored as "Crčme brűlée".
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


#: The encodings web browsers know (WHATWG Encoding Standard), as charset-normalizer names
#: them: guessing among only these keeps old Mac and DOS code pages, which can read a
#: Western page "without chaos", from winning.
_WEB_ENCODINGS = [
    "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_5", "iso8859_6", "iso8859_7",
    "iso8859_8", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16",
    "koi8_r", "koi8_u", "cp866", "cp874", "gb18030", "big5", "euc_jp", "iso2022_jp",
    "shift_jis", "cp949", "euc_kr",
]
#: How much worse than the best guess windows-1252 may look (in charset-normalizer's
#: chaos, then its language coherence) and still be chosen: the browser default wins
#: ties, and only ties, so a Polish page in windows-1250 stays Polish.
_TIE_CHAOS = 0.01
_TIE_COHERENCE = 0.02


def _detect(body: bytes) -> str | None:
    """Statistical guess via charset-normalizer, limited to a sample for speed; None when
    no encoding makes sense of the bytes (they are not text)."""
    try:
        from charset_normalizer import from_bytes

        matches = from_bytes(body[:DETECT_BYTES], cp_isolation=_WEB_ENCODINGS)
        best = matches.best()
        if best is None:
            return None
        tied = [m for m in matches if m.chaos <= best.chaos + _TIE_CHAOS]
        top = max(m.coherence for m in tied)
        for match in tied:
            names = {normalise_charset(n) for n in match.could_be_from_charset}
            if "cp1252" in names and match.coherence >= top - _TIE_COHERENCE:
                return "cp1252"
        return normalise_charset(best.encoding)
    except Exception:  # detection is best-effort; a crash here must not lose the page
        return None


def wide_encoding(body: bytes, content_type: str | None) -> str | None:
    """The codec for a body that the HTTP header says is UTF-16 or UTF-32 (with no BOM),
    in the byte order its zero bytes show; None when the bytes do not look like it."""
    declared = charset_from_content_type(content_type)
    if not declared or not declared.startswith(("utf-16", "utf-32")):
        return None
    width = 4 if declared.startswith("utf-32") else 2
    head = body[:4096 - 4096 % width]
    # Markup and Latin text put a zero in the high byte of every character.
    first = head[0::width].count(0)
    last = head[width - 1::width].count(0)
    units = len(head) // width
    if not units or max(first, last) < units * 0.3:
        return None
    if last > 2 * first:
        return f"utf-{width * 8}-le"
    if first > 2 * last:
        return f"utf-{width * 8}-be"
    return None


def _declared(body: bytes, content_type: str | None) -> str | None:
    header = charset_from_content_type(content_type)
    if header and header.startswith(("utf-16", "utf-32")):
        header = None  # wide_encoding() found the bytes are not UTF-16/32 after all
    return header or declared_in_document(body)


def plausible_text(body: bytes, content_type: str | None = None) -> bool:
    """False when no encoding makes sense of the bytes: a file, not text."""
    if sniff_bom(body) or wide_encoding(body, content_type) or body.isascii() or \
            _is_utf8(body):
        return True
    declared = _declared(body, content_type)
    if declared and declared != "utf-8":
        return True
    return _detect(body) is not None


def choose_encoding(body: bytes, content_type: str | None = None) -> str:
    """Pick the codec to decode ``body`` with.  Always returns a usable codec name."""
    bom = sniff_bom(body)
    if bom:
        return bom
    wide = wide_encoding(body, content_type)
    if wide:
        return wide
    declared = _declared(body, content_type)
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
