"""What needs an expert's attention, and why.

The queue gathers, per resource, every reason in plain words: review overdue or due
soon, old evidence, a confirmed broken link, a changed page, a withdrawn or superseded
page. The decisions an expert records about them are in :mod:`curator.review.decisions`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

from curator.base import clock
from curator.catalogue import review_dates
from curator.catalogue.review_dates import DEFAULT_SOON_DAYS, needs_review_where
from curator.storage.store import Store


@dataclass
class Reason:
    code: str  # overdue, due_soon, old_evidence, broken_link, changed, withdrawn, superseded
    text: str


@dataclass
class ReviewItem:
    resource_id: str
    title: str
    url: str
    themes: list[str]
    review_due: str | None
    reasons: list[Reason] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"id": self.resource_id, "title": self.title, "url": self.url,
                "themes": self.themes, "review_due": self.review_due,
                "reasons": [{"code": r.code, "text": r.text} for r in self.reasons]}


def _ago(days: int) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 60:
        return f"{days} days ago"
    return f"{days // 30} months ago"


def _get(r, key: str):
    """A column that older callers' rows may not carry."""
    try:
        return r[key]
    except (IndexError, KeyError):
        return None


def reasons_for(r, today: dt.date, soon_days: int, evidence_years: int | None,
                changed: bool) -> list[Reason]:
    """Every reason this resource needs attention (a row of the review query)."""
    out: list[Reason] = []
    due = review_dates.as_date(r["review_due"])
    if due is not None:
        if due <= today:
            out.append(Reason("overdue", f"Review was due on {due.isoformat()} "
                                         f"({_ago((today - due).days)}). Check it still "
                                         "holds, then confirm it, or update or retire it."))
        elif (due - today).days <= soon_days:
            n = (due - today).days
            out.append(Reason("due_soon", f"Review due in {n} day{'s' if n != 1 else ''}, on "
                                          f"{due.isoformat()}."))
    published = review_dates.as_date(r["published"])
    reviewed = review_dates.as_date(r["last_reviewed"])
    became_old = published + relativedelta(years=evidence_years) \
        if evidence_years and published is not None else None
    # Old evidence is flagged until someone reviews it knowing it is old.
    if became_old is not None and became_old <= today and \
            (reviewed is None or reviewed < became_old):
        out.append(Reason("old_evidence",
                          f"Old evidence: published {published.isoformat()}, more than "
                          f"{evidence_years} years ago (the theme's limit). To clear it, "
                          "confirm it is still valid with a note saying why it still "
                          "holds, or correct its published date if that is wrong."))
    if r["link_health"] == "broken":
        since = (r["link_failing_since"] or "")[:10]
        what = (r["link_message"] or "").strip() or "it could not be opened on two checks."
        out.append(Reason("broken_link", f"The link is broken: {what}"
                          + (f" Failing since {since}." if since else "")
                          + " Replace the link if the page moved, or retire it."))
    elif r["link_health"] == "moved" and r["link_new_url"]:
        out.append(Reason("moved", f"The page has moved to {r['link_new_url']}. Use Replace "
                                   "link to point it at the new address."))
    updated = review_dates.as_date(_get(r, "updated_on"))
    if updated is not None and reviewed is not None and updated > reviewed:
        out.append(Reason("page_updated",
                          f"Changed since you last confirmed it: the page says it was updated "
                          f"on {updated.isoformat()}, after it was last confirmed on "
                          f"{reviewed.isoformat()}. Check it still says what you confirmed."))
    if changed:
        out.append(Reason("changed", "The page has changed since it was stored: "
                                     "look at the differences and accept or review."))
    if r["withdrawn_kind"] == "withdrawn":
        out.append(Reason("withdrawn", f"The page says it was withdrawn: "
                                       f"“{r['withdrawn_message'] or ''}”"
                          + (f" Replacement: {r['replacement_url']}" if r["replacement_url"]
                             else "")))
    elif r["withdrawn_kind"] == "superseded":
        out.append(Reason("superseded", "The page says it has been replaced"
                          + (f" by {r['replacement_url']}." if r["replacement_url"] else ".")))
    return out


QUEUE_SQL = """
SELECT r.id, r.title, r.url, r.review_due, r.published, r.last_reviewed, r.link_health,
       r.link_message,
       r.link_failing_since, r.link_new_url, r.withdrawn_kind, r.withdrawn_message,
       r.replacement_url, r.updated_on,
       (SELECT group_concat(theme_code, ',') FROM resource_themes t WHERE t.resource_id = r.id)
         AS themes,
       (SELECT min(th.evidence_years) FROM resource_themes t JOIN themes th
          ON th.code = t.theme_code WHERE t.resource_id = r.id) AS evidence_years,
       EXISTS (SELECT 1 FROM page_changes p WHERE p.resource_id = r.id) AS changed
FROM resources r
WHERE """


def queue(store: Store, *, today: dt.date | None = None, soon_days: int | None = None,
          due_only: bool = False, theme: str | None = None) -> list[ReviewItem]:
    """The review queue, most urgent first.

    By default every reason counts (due within 30 days, old evidence, link and page
    problems). *due_only* keeps resources whose review is overdue; *soon_days* keeps those
    overdue or due within that many days. Each item lists all its reasons either way.
    """
    today = today or clock.today()
    soon = DEFAULT_SOON_DAYS if soon_days is None else soon_days
    where, params = needs_review_where(today, soon)
    sql = QUEUE_SQL + where
    if theme:
        sql += (" AND EXISTS (SELECT 1 FROM resource_themes t WHERE t.resource_id = r.id AND "
                "t.theme_code = ? COLLATE NOCASE)")
        params.append(theme)
    items = []
    for r in store.db.execute(sql + " ORDER BY r.review_due", params):
        reasons = reasons_for(r, today, soon, r["evidence_years"], bool(r["changed"]))
        codes = {x.code for x in reasons}
        if due_only and "overdue" not in codes:
            continue
        if soon_days is not None and not codes & {"overdue", "due_soon"}:
            continue
        if not reasons:
            continue
        items.append(ReviewItem(r["id"], r["title"], r["url"],
                                (r["themes"] or "").split(",") if r["themes"] else [],
                                r["review_due"], reasons))
    rank = {"withdrawn": 0, "superseded": 0, "broken_link": 1, "overdue": 2, "changed": 3,
            "page_updated": 3, "moved": 4, "old_evidence": 5, "due_soon": 6}
    items.sort(key=lambda i: (min(rank.get(x.code, 9) for x in i.reasons), i.review_due or ""))
    return items


def item_for(store: Store, resource_id: str, today: dt.date | None = None) -> ReviewItem | None:
    """The review reasons for one resource (None when it needs nothing)."""
    today = today or clock.today()
    where, params = needs_review_where(today)
    r = store.db.execute(QUEUE_SQL + where + " AND r.id = ?", [*params, resource_id]).fetchone()
    if r is None:
        return None
    reasons = reasons_for(r, today, DEFAULT_SOON_DAYS, r["evidence_years"], bool(r["changed"]))
    return ReviewItem(r["id"], r["title"], r["url"],
                      (r["themes"] or "").split(",") if r["themes"] else [], r["review_due"],
                      reasons) if reasons else None


# -- decisions ---------------------------------------------------------------------------
