"""CSV that is safe to open in a spreadsheet: no cell can start a formula.

Spreadsheets treat a cell beginning with ``=``, ``+``, ``-`` or ``@`` (and, in some, a
tab, carriage return or NUL before one) as a formula, which can run commands or send data
away. Following the OWASP guidance on CSV injection, such a cell is prefixed with a
single quote so it shows as text, and every field is quoted. A plain negative number
("-12.5") is left alone so that it stays a number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

#: Characters that make a spreadsheet read a cell as a formula (and their full-width
#: forms, which some spreadsheets fold to the ASCII ones).
DANGEROUS_FIRST = frozenset("=+-@\t\r\x00\uff1d\uff0b\uff0d\uff20")
_PLAIN_NEGATIVE = re.compile(r"-(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)")


def is_dangerous(value: str) -> bool:
    """Would a spreadsheet read *value* as the start of a formula?"""
    if not value or _PLAIN_NEGATIVE.fullmatch(value):
        return False
    # Whitespace (any kind) before a formula character does not stop some spreadsheets.
    return value[0] in DANGEROUS_FIRST or value.lstrip()[:1] in DANGEROUS_FIRST


def neutralise(value: object) -> str:
    """The cell text to write for *value*: as it is, or with a leading ``'`` if dangerous."""
    text = "" if value is None else str(value)
    return "'" + text if is_dangerous(text) else text


def to_csv_bytes(header: Iterable[str], rows: Iterable[Iterable[object]]) -> bytes:
    """A whole CSV file: UTF-8 with a byte-order mark (so Excel reads the accents), every
    field quoted and neutralised, Windows line ends."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")
