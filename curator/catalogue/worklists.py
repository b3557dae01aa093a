"""The lists people work from: "My drafts", "Due for review", a theme... as SQL.

What each view means is a rule of the library, so it lives here, not in the app: the
desktop window, the command line and the tests all get the same answer. Lists return ids
only (cheap even at 50,000 resources); :func:`rows` fetches the few rows a screen shows.
"""

from __future__ import annotations

import datetime as dt

from curator.base import clock
from curator.catalogue.review_dates import needs_review_where
from curator.catalogue.vocab import COLUMN_HEADINGS, VIEW_LABELS
from curator.storage.store import Store

#: (key, label) in the order the sidebar shows them.
VIEWS = VIEW_LABELS
RECENT_DAYS = 30

#: Table columns: key -> (heading, SQL to sort by).
_SORT_SQL = {
    "title": "r.title COLLATE NOCASE",
    "reason": "r.review_due",
    "themes": "(SELECT group_concat(theme_code, ', ') FROM resource_themes t "
              "WHERE t.resource_id = r.id)",
    "type": "r.type",
    "status": "r.status",
    "review_due": "r.review_due",
    "link_health": "r.link_health",
    "clipped_by": "e.name COLLATE NOCASE",
    "clipped_at": "r.clipped_at",
}
COLUMNS = {key: (heading, _SORT_SQL[key]) for key, heading in COLUMN_HEADINGS.items()}


def _where(view: str, theme: str | None, expert_id: int | None,
           today: dt.date) -> tuple[list[str], list]:
    where: list[str] = []
    params: list = []
    if view == "trash":
        where.append("r.deleted_at IS NOT NULL")
    else:
        where.append("r.deleted_at IS NULL")
    if view == "drafts":
        where.append("r.status = 'draft' AND r.clipped_by = ?")
        params.append(expert_id if expert_id is not None else -1)
    elif view == "awaiting":
        where.append("r.status = 'submitted'")
    elif view == "due":
        # Everything the review queue holds: due, due soon, flagged by a check, old evidence.
        clause, values = needs_review_where(today)
        where.append(clause)
        params.extend(values)
    elif view == "broken":
        where.append("r.link_health = 'broken'")
    elif view == "recent":
        where.append("r.clipped_at >= ?")
        params.append((today - dt.timedelta(days=RECENT_DAYS)).isoformat())
    elif view == "retired":
        where.append("r.status = 'retired'")
    elif view != "all" and view != "trash":
        raise ValueError(f"unknown view {view!r}")
    if theme:
        where.append("EXISTS (SELECT 1 FROM resource_themes t WHERE t.resource_id = r.id "
                     "AND t.theme_code = ?)")
        params.append(theme)
    return where, params


def ids(store: Store, view: str = "all", *, theme: str | None = None,
        expert_id: int | None = None, sort: str = "clipped_at", descending: bool = True,
        today: dt.date | None = None) -> list[str]:
    """The ids in a view, sorted by a table column."""
    where, params = _where(view, theme, expert_id, today or clock.today())
    order = COLUMNS.get(sort, COLUMNS["clipped_at"])[1]
    direction = "DESC" if descending else "ASC"
    # The experts' names are joined only to sort by them: the join costs more than the
    # rest of reading 50,000 ids from the index on the clip time.
    joined = " LEFT JOIN experts e ON e.id = r.clipped_by" if sort == "clipped_by" else ""
    sql = (f"SELECT r.id FROM resources r{joined} "
           f"WHERE {' AND '.join(where)} ORDER BY {order} {direction}, r.rowid {direction}")
    # The ids come back joined in one string: SQLite makes it in one step, without
    # Python's lock, where fetching 50,000 rows takes the lock once a row, and waits on
    # the window while it draws itself (issue 21). The string keeps the rows' order (an
    # aggregate reads its ordered subquery in order); the count guards the separator.
    count, joined_ids = store.db.execute(
        f"SELECT count(*), group_concat(id, char(31)) FROM ({sql})", params).fetchone()
    ids = joined_ids.split(_SEPARATOR) if joined_ids else []
    if len(ids) == count:
        return ids
    return [r[0] for r in store.db.execute(sql, params).fetchall()]


_SEPARATOR = "\x1f"  # char(31), the unit separator: never in an id Curator makes


#: A review date that has been reached, on a resource still in use, is overdue.
OVERDUE_SQL = "(r.review_due IS NOT NULL AND r.review_due <= :today AND r.status != 'retired')"

ROW_SQL = f"""
SELECT r.id, r.title, r.url, r.type, r.status, r.review_due, r.link_health, r.clipped_at,
       r.fetch_state, r.deleted_at, e.name AS clipped_by, {OVERDUE_SQL} AS overdue,
       (SELECT group_concat(theme_code, ', ') FROM
          (SELECT theme_code FROM resource_themes t WHERE t.resource_id = r.id
           ORDER BY theme_code)) AS themes
FROM resources r LEFT JOIN experts e ON e.id = r.clipped_by
"""


def rows(store: Store, wanted: list[str], today: dt.date | None = None) -> dict[str, dict]:
    """Table rows for these ids (a screenful at a time), each saying whether it is overdue."""
    out: dict[str, dict] = {}
    db = store.db
    day = (today or clock.today()).isoformat()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        marks = {f"i{n}": rid for n, rid in enumerate(chunk)}
        where = ",".join(f":{k}" for k in marks)
        for r in db.execute(ROW_SQL + f" WHERE r.id IN ({where})",
                            {"today": day, **marks}).fetchall():
            out[r["id"]] = {**dict(r), "overdue": bool(r["overdue"])}
    return out


def offered_address(store: Store, resource_id: str) -> str | None:
    """The address to offer when replacing a resource's link: where a check found it moved,
    else the replacement its page names, else its own."""
    row = store.query_one("SELECT coalesce(link_new_url, replacement_url, url) FROM resources "
                          "WHERE id = ?", (resource_id,))
    return row[0] if row else None


def counts(store: Store, expert_id: int | None = None,
           today: dt.date | None = None) -> dict[str, dict[str, int]]:
    """How many resources each view and each theme holds, for the sidebar."""
    today = today or clock.today()
    db = store.db
    view_counts = {}
    for key, _ in VIEWS:
        where, params = _where(key, None, expert_id, today)
        view_counts[key] = db.execute(
            f"SELECT count(*) FROM resources r WHERE {' AND '.join(where)}", params).fetchone()[0]
    theme_counts = {r[0]: r[1] for r in db.execute(
        "SELECT theme_code, count(*) FROM resource_themes WHERE resource_id NOT IN "
        "(SELECT id FROM resources WHERE deleted_at IS NOT NULL) GROUP BY theme_code")}
    return {"views": view_counts, "themes": theme_counts}
