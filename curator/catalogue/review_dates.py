"""When a resource is next due for review.

Due dates are calendar dates, never times, so clock changes cannot move them. Months are
added as calendar months: a review on 29 February with a 12-month interval falls due on
28 February next year, not 1 March.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from dateutil.relativedelta import relativedelta

from curator.catalogue.vocab import DEFAULT_REVIEW_MONTHS


def interval_for(theme_intervals: Iterable[int | None],
                 default: int = DEFAULT_REVIEW_MONTHS) -> int:
    """The shortest interval among a resource's themes, or the default when it has none."""
    months = [m for m in theme_intervals if m]
    return min(months) if months else default


def due_after(start: dt.date, months: int) -> dt.date:
    return start + relativedelta(months=months)


def as_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    return dt.date.fromisoformat(text[:10])


def intervals(store_or_db, codes: list[str]) -> list[int]:
    """The review intervals (months) of these themes, as set on each."""
    if not codes:
        return []
    marks = ",".join("?" * len(codes))
    rows = store_or_db.execute(
        f"SELECT review_months FROM themes WHERE code IN ({marks})", list(codes)).fetchall()
    return [r["review_months"] for r in rows]
