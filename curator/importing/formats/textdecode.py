"""Reading the text of an exported file whatever encoding the computer wrote it in.

Council laptops produce UTF-8 (with or without a byte-order mark), UTF-16 (Excel's
"Unicode text") and Windows-1252 (Excel's plain "CSV"). The order: a byte-order mark,
then UTF-8 if the bytes are valid UTF-8 (they almost never are by accident), then
UTF-16 without a mark (recognised by its zero bytes), then a statistical guess; a guess
of some other Western single-byte code page is taken as Windows-1252, the one Windows
uses in the UK. Never raises over the bytes themselves.
"""

from __future__ import annotations

import codecs

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Guesses that, on a UK laptop, are really Windows-1252 with a few accents.
_WESTERN = {"cp1252", "latin_1", "iso8859_15", "cp1250", "mac_roman", "cp850", "cp437",
            "iso8859_2", "cp1254", "iso8859_9", "cp1257", "iso8859_13", "ascii", "cp858"}
SAMPLE = 256 * 1024


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.3 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.3 and odd < half * 0.05:
        return "utf-16-be"
    return None


def choose(data: bytes) -> tuple[str, int]:
    """The codec for *data* and how many leading bytes (a BOM) to skip."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    try:
        data.decode("utf-8")
        return "utf-8", 0
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return "utf-8", 0
    wide = _utf16_without_bom(data)
    if wide:
        return wide, 0
    guess = None
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:SAMPLE]).best()
        guess = codecs.lookup(best.encoding).name.replace("-", "_") if best else None
    except Exception:  # detection is best-effort; Windows-1252 below is a safe reading
        guess = None
    if guess is None or guess in _WESTERN:
        try:
            data.decode("cp1252")
            return "cp1252", 0
        except UnicodeDecodeError:
            return (guess if guess and guess != "ascii" else "latin_1"), 0
    return guess, 0


def decode_text(data: bytes) -> tuple[str, str]:
    """``(text, codec)`` with Windows line ends made plain; bad bytes become U+FFFD."""
    encoding, skip = choose(data)
    text = data[skip:].decode(encoding, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding
