"""When a resource is next due for review.

Due dates are calendar dates, never times, so clock changes cannot move them. Months are
added as calendar months: a review on 29 February with a 12-month interval falls due on
28 February next year, not 1 March.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from curator.catalogue.vocab import DEFAULT_REVIEW_MONTHS

#: "Due soon" means due within this many days.
DEFAULT_SOON_DAYS = 30


def interval_for(theme_intervals: Iterable[int | None],
                 default: int = DEFAULT_REVIEW_MONTHS) -> int:
    """The shortest interval among a resource's themes, or the default when it has none."""
    months = [m for m in theme_intervals if m]
    return min(months) if months else default


def due_after(start: dt.date, months: int) -> dt.date:
    from dateutil.relativedelta import relativedelta  # (with the first date set)
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


EVIDENCE_YEARS_SQL = ("(SELECT min(th.evidence_years) FROM resource_themes t JOIN themes th "
                      "ON th.code = t.theme_code WHERE t.resource_id = r.id)")

#: The rows that need review, as a WHERE clause over ``resources r``; two parameters:
#: the last due date that counts (today + soon), then today.
NEEDS_REVIEW_SQL = f"""
r.deleted_at IS NULL AND r.status != 'retired' AND (
    r.review_due <= ?
    OR r.link_health IN ('broken', 'moved')
    OR r.withdrawn_kind IS NOT NULL
    OR EXISTS (SELECT 1 FROM page_changes p WHERE p.resource_id = r.id)
    OR (r.updated_on IS NOT NULL AND r.last_reviewed IS NOT NULL
        AND r.updated_on > substr(r.last_reviewed, 1, 10))
    OR (r.published IS NOT NULL
        AND date(r.published, '+' || {EVIDENCE_YEARS_SQL} || ' years') <= ?
        AND (r.last_reviewed IS NULL
             OR r.last_reviewed < date(r.published, '+' || {EVIDENCE_YEARS_SQL} || ' years')))
)"""


def needs_review_where(today: dt.date, soon_days: int = DEFAULT_SOON_DAYS) -> tuple[str, list]:
    return NEEDS_REVIEW_SQL, [(today + dt.timedelta(days=soon_days)).isoformat(),
                              today.isoformat()]
