"""Parse the many ways pages write dates into ISO ``YYYY-MM-DD``.

Dates arrive as ISO 8601 with time zones, PDF ``D:`` stamps, RFC 822 strings, human
prose ("14 March 2019") and URL paths.  We keep the calendar date *as written* (no
time-zone conversion): a story stamped 2019-03-14T23:30-05:00 was published on the
14th for its readers, which is what the clipping should say.
"""

from __future__ import annotations

import datetime as _dt
import re
import warnings

from dateutil import parser as _dateparser

_MIN_YEAR = 1990
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])")
_ISO_COMPACT = re.compile(
    r"^\s*(?:D:)?(\d{4})(\d{2})(\d{2})(?:T?\d{0,6}(?:\.\d+)?)?(?:[Z+\-'].*)?\s*$"
)
_SLASHED = re.compile(r"^\s*(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?![\d])")
_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")
_URL_DATE = re.compile(
    r"(?<![\d])(?P<y>(?:19|20)\d{2})[/_.-](?P<m>[01]?\d)[/_.-](?P<d>[0-3]?\d)(?![\d])"
    r"|/(?P<y2>(?:19|20)\d{2})(?P<m2>[01]\d)(?P<d2>[0-3]\d)(?=[/_.-]|$)"
)
# Words dateutil may take for date parts when fuzzy; we refuse strings full of them.
_MONTHS = (
    "jan feb mar apr may jun jul aug sep oct nov dec janv févr mars avr mai juin juil "
    "août sept déc januar februar märz april mai juni juli august september oktober "
    "november dezember"
).split()


def _max_year() -> int:
    return _dt.date.today().year + 1


def _make(y: int, m: int, d: int) -> str | None:
    if not (_MIN_YEAR <= y <= _max_year()):
        return None
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


_DMY_DOTTED = re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d{2})(?![\d])")
_NUMERIC_SLASH = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?![\d/])")
_ISO_INSIDE = re.compile(r"(?<![\d])((?:19|20)\d{2})-(\d{2})-(\d{2})(?![\d])")


def parse_date(value: object, dayfirst: bool = False) -> str | None:
    """Best-effort ISO date from a string (or a ``date``/``datetime``); None if unsure.

    A bare year or month ("2017/01") is not a publication date we can show, so it is
    rejected rather than padded with a made-up day.  ``dayfirst`` settles 02/10/2020
    for pages whose language writes day before month (anything but US English).
    """
    if value is None:
        return None
    if isinstance(value, _dt.datetime | _dt.date):
        return _make(value.year, value.month, value.day)
    s = str(value).strip()
    if not s or len(s) > 200:
        return None
    for rx in (_ISO, _SLASHED, _ISO_COMPACT):
        m = rx.match(s)
        if m:
            return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if not _YEAR.search(s):
        return None
    m = _ISO_INSIDE.search(s)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DMY_DOTTED.search(s)
    if m:
        return _make(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = _NUMERIC_SLASH.search(s)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if a > 12 or (dayfirst and b <= 12):
            return _make(y, b, a)
        return _make(y, a, b)
    # A Unix timestamp in milliseconds or seconds.
    if re.fullmatch(r"\d{10}(\d{3})?", s):
        try:
            ts = int(s[:10])
            return _dt.datetime.fromtimestamp(ts, tz=_dt.UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    return _parse_prose(s)


_MONTH_NUMBERS: dict[str, int] = {}
for _num, _names in enumerate(
    [
        "january jan januar janvier janv enero ene gennaio januari",
        "february feb februar février févr fevrier febrero febbraio februari",
        "march mar märz maerz mars marzo maart",
        "april apr avril avr abril aprile",
        "may mai mayo maggio mei",
        "june jun juni juin junio giugno",
        "july jul juli juillet juil julio luglio",
        "august aug août aout agosto augustus",
        "september sep sept septembre septiembre settembre",
        "october oct oktober octobre octubre ottobre okt",
        "november nov novembre noviembre",
        "december dec dezember décembre decembre diciembre dicembre dez",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTH_NUMBERS.setdefault(_name, _num)
_MONTH_ALT = "|".join(sorted(map(re.escape, _MONTH_NUMBERS), key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(
    rf"(?<![\w])(\d{{1,2}})(?:st|nd|rd|th|er|\.)?\s*(?:de\s+)?({_MONTH_ALT})\.?,?\s*(?:de\s+)?"
    rf"((?:19|20)\d{{2}})(?!\d)",
    re.I,
)
_MONTH_DAY_YEAR = re.compile(
    rf"(?<![\w])({_MONTH_ALT})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{{2}})(?!\d)",
    re.I,
)


def _named_month(s: str) -> str | None:
    """ "13 Oct 2020", "October 13th, 2020", "13. Oktober 2020" anywhere in a string."""
    m = _DAY_MONTH_YEAR.search(s)
    if m:
        month = _MONTH_NUMBERS.get(m.group(2).lower())
        if month:
            return _make(int(m.group(3)), month, int(m.group(1)))
    m = _MONTH_DAY_YEAR.search(s)
    if m:
        month = _MONTH_NUMBERS.get(m.group(1).lower())
        if month:
            return _make(int(m.group(3)), month, int(m.group(2)))
    return None


def _parse_prose(s: str) -> str | None:
    named = _named_month(s)
    if named:
        return named
    """Human-written dates via dateutil, with sentinels to reject missing day/month."""
    s = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", s)
    s = re.sub(r"\b(at|on|um|le|am|published|posted|updated|by)\b", " ", s, flags=re.I)
    s = s.replace("|", " ").replace("•", " ").replace("·", " ")
    d1 = _dt.datetime(1900, 1, 1)
    d2 = _dt.datetime(1904, 2, 2)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # dateutil warns about unknown zone names
            a = _dateparser.parse(s, default=d1, fuzzy=True, ignoretz=True)
            b = _dateparser.parse(s, default=d2, fuzzy=True, ignoretz=True)
    except (ValueError, OverflowError, TypeError, _dateparser.ParserError):
        return None
    except Exception:  # dateutil raises odd things on odd input; never propagate
        return None
    if a.year != b.year or a.month != b.month or a.day != b.day:
        return None  # some part (day, month or year) was not in the string
    return _make(a.year, a.month, a.day)


def date_from_url(url: str | None) -> str | None:
    """A full date embedded in a URL path, e.g. ``/2019/03/14/slug`` or ``/20190314/``."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.I)
    for m in _URL_DATE.finditer(path):
        if m.group("y"):
            y, mo, d = m.group("y"), m.group("m"), m.group("d")
        else:
            y, mo, d = m.group("y2"), m.group("m2"), m.group("d2")
        iso = _make(int(y), int(mo), int(d))
        if iso:
            return iso
    return None


def looks_like_date_text(s: str) -> bool:
    """True when a short string is mostly a date (used to reject dates posing as authors)."""
    low = s.lower()
    return bool(_YEAR.search(low)) and (
        any(m in low for m in _MONTHS) or bool(re.search(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}", low))
    )
