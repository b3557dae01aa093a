"""Time, in one place, so that tests can set it and every stamp has one format.

Moments are UTC ISO 8601 strings (``2026-11-22T13:05:01Z``); due dates are plain
calendar dates (``2026-11-22``) so that clock changes and time zones never shift them.
"""

from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def now_iso() -> str:
    return now().strftime("%Y-%m-%dT%H:%M:%SZ")


def today() -> dt.date:
    """The local calendar date: what the person sees on their wall calendar."""
    return dt.date.today()


def parse_moment(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


def shown_local(moment: str) -> str:
    """A stored UTC moment as a person reads it, in this computer's time: "2 Dec 14:05"."""
    try:
        at = parse_moment(str(moment)).astimezone()
    except ValueError:
        return str(moment or "")
    return f"{at.day} {at:%b %H:%M}"
