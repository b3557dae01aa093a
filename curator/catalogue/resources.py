"""Resources: the clipped links, their descriptions, and the rules for changing them."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from curator.base import clock
from curator.base.errors import CuratorError, NotFound
from curator.catalogue import published, review_dates
from curator.catalogue.vocab import normalise_audience, normalise_type
from curator.storage import events
from curator.storage.events import Actor
from curator.storage.store import Store

if TYPE_CHECKING:
    from sqlite_utils import Database

#: Fields that appear on the portal. Changing one on an approved resource sends it back.
PUBLIC_FIELDS = ("title", "url", "summary", "author", "site", "published", "type",
                 "audience", "notes", "themes", "tags")
EDITABLE_FIELDS = PUBLIC_FIELDS + ("review_due", "language")
MAX_TEXT_FIELD = {"title": 1_000, "summary": 10_000, "notes": 20_000, "author": 1_000,
                  "site": 300}
MAX_TAG = 80
#: The fewest characters of an id that may stand for it, and how many to name when
#: several ids start the same way.
MIN_PREFIX = 4
SHOW_AMBIGUOUS = 5


@dataclass
class Resource:
    id: str
    url: str
    norm_url: str
    title: str
    summary: str
    author: str
    site: str
    published: str | None
    type: str
    audience: list[str]
    notes: str
    status: str
    clipped_by: str | None
    clipped_at: str
    updated_by: str | None
    updated_at: str
    review_due: str | None
    last_reviewed: str | None
    fetch_state: str
    fetch_error: str | None
    fetched_at: str | None
    content_type: str | None
    content_size: int | None
    link_health: str
    canonical_url: str | None
    language: str | None
    deleted_at: str | None
    retired_reason: str | None
    version: int
    themes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    #: What the page says about itself (issue 18): the date it was last updated, and how
    #: sure the type guess was (None once a person chose the type). Plain attributes, not
    #: fields, so ``to_dict()`` and every file written from it stay as they were.
    updated_on = None
    type_sureness = None

    @property
    def in_trash(self) -> bool:
        return self.deleted_at is not None

    def to_dict(self) -> dict:
        return asdict(self)


RESOURCE_SQL = """
SELECT r.*, c.name AS clipped_by_name, u.name AS updated_by_name
FROM resources r
LEFT JOIN experts c ON c.id = r.clipped_by
LEFT JOIN experts u ON u.id = r.updated_by
"""


def _from_row(db: Database, r) -> Resource:
    rid = r["id"]
    themes = [x[0] for x in db.execute(
        "SELECT theme_code FROM resource_themes WHERE resource_id = ? ORDER BY theme_code",
        (rid,)).fetchall()]
    tags = [x[0] for x in db.execute(
        "SELECT tag FROM resource_tags WHERE resource_id = ? ORDER BY tag", (rid,)).fetchall()]
    res = Resource(
        id=rid, url=r["url"], norm_url=r["norm_url"], title=r["title"], summary=r["summary"],
        author=r["author"], site=r["site"], published=r["published"], type=r["type"],
        audience=json.loads(r["audience"] or "[]"), notes=r["notes"], status=r["status"],
        clipped_by=r["clipped_by_name"], clipped_at=r["clipped_at"],
        updated_by=r["updated_by_name"], updated_at=r["updated_at"],
        review_due=r["review_due"], last_reviewed=r["last_reviewed"],
        fetch_state=r["fetch_state"], fetch_error=r["fetch_error"], fetched_at=r["fetched_at"],
        content_type=r["content_type"], content_size=r["content_size"],
        link_health=r["link_health"], canonical_url=r["canonical_url"],
        language=r["language"], deleted_at=r["deleted_at"],
        retired_reason=r["retired_reason"], version=r["version"], themes=themes, tags=tags)
    keys = r.keys()
    res.updated_on = r["updated_on"] if "updated_on" in keys else None
    res.type_sureness = r["type_sureness"] if "type_sureness" in keys else None
    return res


def get(db: Database, resource_id: str) -> Resource:
    rid = (resource_id or "").strip()
    r = db.execute(RESOURCE_SQL + " WHERE r.id = ?", (rid,)).fetchone()
    if r is None and MIN_PREFIX <= len(rid) < 36:
        # Let people type the first few characters of an id, as with git: compared as
        # text (never a pattern, so '_' and '%' match only themselves).
        rows = db.execute(RESOURCE_SQL + " WHERE lower(substr(r.id, 1, ?)) = lower(?) "
                          "ORDER BY r.id LIMIT ?", (len(rid), rid, SHOW_AMBIGUOUS + 1)
                          ).fetchall()
        if len(rows) == 1:
            r = rows[0]
        elif len(rows) > 1:
            some = "; ".join(f"{x['id'][:12]} ({x['title'] or x['url']})"
                             for x in rows[:SHOW_AMBIGUOUS])
            more = " and more" if len(rows) > SHOW_AMBIGUOUS else ""
            raise CuratorError(f"More than one resource id starts with '{rid}': {some}{more}. "
                               "Give more of the id.")
    if r is None:
        raise NotFound(f"There is no resource with the id '{resource_id}'.")
    return _from_row(db, r)


def text_of(db: Database, resource_id: str) -> str:
    r = db.execute("SELECT text FROM resource_text WHERE resource_id = ?",
                   (resource_id,)).fetchone()
    return r["text"] if r else ""


def find_by_keys(db: Database, keys: list[str]) -> str | None:
    """The id of a resource stored under any of these normalised addresses, if there is one."""
    if not keys:
        return None
    marks = ",".join("?" * len(keys))
    r = db.execute(
        f"SELECT id FROM resources WHERE norm_url IN ({marks}) OR canonical_norm IN ({marks})"
        " ORDER BY deleted_at IS NOT NULL LIMIT 1", list(keys) * 2).fetchone()
    return r["id"] if r else None


def queue_index(db: Database, resource_id: str) -> None:
    """Ask the indexer to refresh this resource; part of the caller's transaction."""
    db.execute("INSERT INTO index_queue (resource_id, queued_at) VALUES (?, ?)",
               (resource_id, clock.now_iso()))


def clean_tags(tags) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for tag in tags or ():
        t = " ".join(str(tag).replace(",", " ").split()) if "," in str(tag) else \
            " ".join(str(tag).split())
        if not t:
            continue
        if len(t) > MAX_TAG:
            raise CuratorError(f"The tag '{t[:30]}…' is too long (over {MAX_TAG} characters).")
        if t.casefold() not in seen:
            seen.add(t.casefold())
            out.append(t)
    return out


def clean_fields(values: dict) -> dict:
    """Check and tidy edited values; raise :class:`CuratorError` saying what is wrong."""
    out: dict = {}
    for key, value in values.items():
        if key not in EDITABLE_FIELDS:
            raise CuratorError(f"'{key}' cannot be edited.")
        if key in MAX_TEXT_FIELD:
            value = "" if value is None else str(value).replace("\x00", "")
            if key in ("title", "author", "site"):
                value = " ".join(value.split())
            else:
                value = value.strip()
            if len(value) > MAX_TEXT_FIELD[key]:
                raise CuratorError(
                    f"The {key} is too long ({len(value):,} characters; the most is "
                    f"{MAX_TEXT_FIELD[key]:,}).")
        elif key == "type":
            try:
                value = normalise_type(value)
            except ValueError as exc:
                raise CuratorError(str(exc)) from None
        elif key == "audience":
            try:
                value = normalise_audience(value)
            except ValueError as exc:
                raise CuratorError(str(exc)) from None
        elif key in ("published", "review_due"):
            value = _check_date(key, value)
        elif key == "tags":
            value = clean_tags(value)
        elif key == "themes":
            value = list(value or [])
        out[key] = value
    return out


def _check_date(key: str, value) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    for fmt, length in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
        try:
            parsed = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if len(text) == length:
            return parsed.isoformat()
    label = "publication date" if key == "published" else "review date"
    raise CuratorError(f"The {label} '{text}' is not a date; write it as YYYY-MM-DD.")


def compute_review_due(db: Database, themes: list[str], start: dt.date) -> str:
    months = review_dates.interval_for(review_dates.intervals(db, themes))
    return review_dates.due_after(start, months).isoformat()


def _new_id() -> str:
    import uuid  # loaded with the first new resource, not to open a library
    return str(uuid.uuid4())


def insert(db: Database, actor: Actor, values: dict, *, text: str = "",
           resource_id: str | None = None) -> str:
    """Add a resource row with its themes, tags and text, audit event and index request."""
    rid = resource_id or _new_id()
    now = clock.now_iso()
    themes = values.pop("themes", []) or []
    tags = values.pop("tags", []) or []
    row = {
        "id": rid, "clipped_by": actor.id, "clipped_at": now, "updated_by": actor.id,
        "updated_at": now, "status": "draft",
        **values,
    }
    if "audience" in row and not isinstance(row["audience"], str):
        row["audience"] = json.dumps(row["audience"])
    if not row.get("review_due"):
        row["review_due"] = compute_review_due(db, themes, clock.today())
    cols = ",".join(row)
    db.execute(f"INSERT INTO resources ({cols}) VALUES ({','.join('?' * len(row))})",
               list(row.values()))
    db.execute("INSERT INTO resource_text (resource_id, text) VALUES (?, ?)", (rid, text or ""))
    _set_links(db, rid, themes, tags)
    events.record(db, actor, "resource.clip", "resource", rid,
                  {"url": row.get("url"), "title": row.get("title"), "themes": themes,
                   "tags": tags})
    queue_index(db, rid)
    return rid


def _set_links(db: Database, rid: str, themes: list[str] | None, tags: list[str] | None) -> None:
    if themes is not None:
        db.execute("DELETE FROM resource_themes WHERE resource_id = ?", (rid,))
        for code in themes:
            db.execute("INSERT INTO resource_themes (resource_id, theme_code) VALUES (?, ?)",
                       (rid, code))
    if tags is not None:
        db.execute("DELETE FROM resource_tags WHERE resource_id = ?", (rid,))
        for tag in tags:
            db.execute("INSERT OR IGNORE INTO resource_tags (resource_id, tag) VALUES (?, ?)",
                       (rid, tag))


def update(db: Database, actor: Actor, resource_id: str, changes: dict, *,
           expected_version: int | None = None, action: str = "resource.edit",
           extra: dict | None = None, expected_fields: dict | None = None) -> Resource:
    """Apply already-cleaned *changes* to a resource in the caller's transaction.

    With *expected_version*, refuse if someone (or a background check) changed the
    resource since it was read, so that no update is silently lost. An edit to a public
    field of an approved resource sends it back for approval.
    """
    current = get(db, resource_id)
    if expected_version is not None and current.version != expected_version:
        raise CuratorError(
            "This resource was changed by someone else (or by a background check) while you "
            "were editing. Your changes were not saved: reopen it and make them again.")
    if expected_fields:
        _refuse_if_changed_meanwhile(current, expected_fields)
    before = {k: getattr(current, k) for k in changes}
    real = {k: v for k, v in changes.items() if before.get(k) != v}
    if not real:
        return current
    cols = {k: v for k, v in real.items() if k not in ("themes", "tags")}
    if "audience" in cols:
        cols["audience"] = json.dumps(cols["audience"])
    status_change, why = None, ""
    public = [k for k in real if k in PUBLIC_FIELDS]
    if current.status == "approved" and public:
        cols["status"] = "submitted"
        status_change = ["approved", "submitted"]
        why = ("a public field changed after approval; the approved version stays "
               "published until the change is approved")
    elif current.status in ("submitted", "draft") and public and \
            _back_to_approved(db, current, real):
        cols["status"] = "approved"
        status_change = [current.status, "approved"]
        why = "its public fields are again exactly as a lead approved them"
    if "themes" in real and "review_due" not in real:
        start = review_dates.as_date(current.last_reviewed) or \
            review_dates.as_date(current.clipped_at) or clock.today()
        cols["review_due"] = compute_review_due(db, real["themes"], start)
    if "type" in real:
        cols["type_sureness"] = None  # a person chose the type: it is no longer a guess
    cols.update(updated_by=actor.id, updated_at=clock.now_iso())
    sets = ", ".join(f"{k} = ?" for k in cols)
    db.execute(f"UPDATE resources SET {sets}, version = version + 1 WHERE id = ?",
               [*cols.values(), current.id])
    _set_links(db, current.id, real.get("themes"), real.get("tags"))
    detail = events.diff(before, real)
    if status_change:
        detail["status"] = status_change
        detail["reason"] = why
    if extra:
        detail.update(extra)
    events.record(db, actor, action, "resource", current.id, detail)
    queue_index(db, current.id)
    return get(db, current.id)


def _same_value(a, b) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        return sorted(str(x).casefold() for x in a or []) == \
            sorted(str(x).casefold() for x in b or [])
    return (a or None) == (b or None)


def _refuse_if_changed_meanwhile(current: Resource, expected: dict) -> None:
    """Refuse an edit whose fields someone (or a check) changed since they were read."""
    try:
        want = clean_fields(dict(expected))
    except CuratorError:
        want = dict(expected)
    moved = [k for k, v in want.items() if not _same_value(getattr(current, k, None), v)]
    if moved:
        names = ", ".join(k.replace("_", " ") for k in moved)
        raise CuratorError(
            f"This resource's {names} changed elsewhere (someone else, or a fetch) while you "
            "were editing, so your change was not saved over it. What you typed is still "
            "in the box: look at the stored version, then save again.")


def _back_to_approved(db: Database, current: Resource, real: dict) -> bool:
    """Would these changes put the public fields back exactly as last approved?"""
    return published.get(db, current.id) is not None and \
        not published.differences(db, current, PUBLIC_FIELDS, real)


def redate_reviews_for_theme(db: Database, code: str) -> None:
    """Recompute review dates of a theme's resources after its interval changed."""
    rows = db.execute(
        "SELECT r.id, r.last_reviewed, r.clipped_at FROM resources r JOIN resource_themes t"
        " ON t.resource_id = r.id WHERE t.theme_code = ?", (code,)).fetchall()
    for r in rows:
        themes = [x[0] for x in db.execute(
            "SELECT theme_code FROM resource_themes WHERE resource_id = ?", (r["id"],))]
        start = review_dates.as_date(r["last_reviewed"]) or review_dates.as_date(r["clipped_at"])
        db.execute("UPDATE resources SET review_due = ? WHERE id = ?",
                   (compute_review_due(db, themes, start), r["id"]))
        queue_index(db, r["id"])


def set_deleted(db: Database, actor: Actor, resource_id: str, deleted: bool) -> Resource:
    current = get(db, resource_id)
    if deleted == current.in_trash:
        return current
    db.execute("UPDATE resources SET deleted_at = ?, version = version + 1 WHERE id = ?",
               (clock.now_iso() if deleted else None, current.id))
    events.record(db, actor, "resource.delete" if deleted else "resource.restore", "resource",
                  current.id, {"title": current.title})
    queue_index(db, current.id)
    return get(db, current.id)


def purge(db: Database, actor: Actor, resource_id: str) -> None:
    """Remove a resource in the trash for good (its events stay in the audit log)."""
    current = get(db, resource_id)
    published.drop(db, current.id)
    db.execute("DELETE FROM resources WHERE id = ?", (current.id,))
    events.record(db, actor, "resource.purge", "resource", current.id,
                  {"title": current.title, "url": current.url})
    queue_index(db, current.id)


SEARCH_DOC_SQL = """
SELECT r.id, r.title, r.summary, r.notes, r.site, r.author, r.type, r.status, r.published,
       r.review_due, r.clipped_at, r.url, e.name AS expert, x.text, r.updated_on,
       (SELECT group_concat(theme_code, char(31)) FROM resource_themes t
         WHERE t.resource_id = r.id) AS themes,
       (SELECT group_concat(tag, char(31)) FROM resource_tags g
         WHERE g.resource_id = r.id) AS tags
FROM resources r
LEFT JOIN experts e ON e.id = r.clipped_by
LEFT JOIN resource_text x ON x.resource_id = r.id
WHERE r.deleted_at IS NULL
"""


def _search_doc(r) -> dict:
    return {
        "id": r["id"], "title": r["title"], "summary": r["summary"], "notes": r["notes"],
        "tags": r["tags"].split("\x1f") if r["tags"] else [],
        "themes": r["themes"].split("\x1f") if r["themes"] else [],
        "site": r["site"], "author": r["author"], "type": r["type"], "status": r["status"],
        "expert": r["expert"] or "", "published": r["published"],
        "review_due": r["review_due"], "clipped": r["clipped_at"], "url": r["url"],
        "updated_on": r["updated_on"],
        "text": r["text"] or "",
    }


def search_document(db: Database, resource_id: str) -> dict | None:
    """What the search index holds for one resource; None when it should not be there
    (purged, or in the trash)."""
    r = db.execute(SEARCH_DOC_SQL + " AND r.id = ?", (resource_id,)).fetchone()
    return _search_doc(r) if r else None


def iter_search_documents(db: Database):
    """Every resource that belongs in the search index, as index documents."""
    for r in db.execute(SEARCH_DOC_SQL + " ORDER BY r.rowid"):
        yield _search_doc(r)


def count_searchable(db: Database) -> int:
    return db.execute("SELECT count(*) FROM resources WHERE deleted_at IS NULL").fetchone()[0]


def list_ids(store: Store, *, theme: str | None = None, status: str | None = None,
             expert: str | None = None, tag: str | None = None, trash: bool = False,
             limit: int | None = None, order: str = "clipped_at DESC") -> list[Resource]:
    where = ["r.deleted_at IS NOT NULL" if trash else "r.deleted_at IS NULL"]
    params: list = []
    if theme:
        where.append("EXISTS (SELECT 1 FROM resource_themes t WHERE t.resource_id = r.id AND"
                     " t.theme_code = ? COLLATE NOCASE)")
        params.append(theme)
    if status:
        where.append("r.status = ?")
        params.append(status)
    if expert:
        where.append("c.name = ? COLLATE NOCASE")
        params.append(expert)
    if tag:
        where.append("EXISTS (SELECT 1 FROM resource_tags g WHERE g.resource_id = r.id AND"
                     " g.tag = ? COLLATE NOCASE)")
        params.append(tag)
    sql = RESOURCE_SQL + " WHERE " + " AND ".join(where) + f" ORDER BY r.{order}"
    if limit:
        sql += f" LIMIT {int(limit)}"
    db = store.db
    return [_from_row(db, r) for r in db.execute(sql, params).fetchall()]
