"""Saved searches: a name for any query (words, "phrases", theme:DA, tag:, type:...), kept
in the library so every expert sees them, each shown with how many resources it finds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from curator.base import clock
from curator.base.errors import CuratorError, NotFound
from curator.storage import events
from curator.storage.events import Actor
from curator.storage.store import Store

MAX_NAME = 80
MAX_QUERY = 2_000


@dataclass(frozen=True)
class SavedSearch:
    id: int
    name: str
    query: str
    created_by: str | None
    created_at: str
    #: How many resources the query finds now (None until counted).
    count: int | None = None

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "query": self.query,
                "created_by": self.created_by, "created_at": self.created_at,
                "count": self.count}


def _row(r, count: int | None = None) -> SavedSearch:
    return SavedSearch(r["id"], r["name"], r["query"], r["created_by"], r["created_at"], count)


def list_all(store: Store, count: Callable[[str], int] | None = None) -> list[SavedSearch]:
    """Every saved search, A to Z; with *count* (query -> how many it finds), counted."""
    rows = store.query("SELECT * FROM saved_searches ORDER BY name COLLATE NOCASE")
    return [_row(r, count(r["query"]) if count else None) for r in rows]


def get(store: Store, name: str) -> SavedSearch:
    r = store.query_one("SELECT * FROM saved_searches WHERE name = ?", ((name or "").strip(),))
    if r is None:
        raise NotFound(f"There is no saved search called “{(name or '').strip()}”. "
                       "See: curator searches list")
    return _row(r)


def _clean(name: str, query: str) -> tuple[str, str]:
    name = " ".join((name or "").split())
    query = " ".join((query or "").split())
    if not name:
        raise CuratorError("Give the saved search a name, for example “MARAC guidance”.")
    if len(name) > MAX_NAME:
        raise CuratorError(f"The name is too long (the most is {MAX_NAME} characters).")
    if not any(ch.isalnum() for ch in query):
        raise CuratorError("Say what the saved search looks for: a word, a \"phrase\" or a "
                           "filter such as theme:DA.")
    if len(query) > MAX_QUERY:
        raise CuratorError(f"The search is too long (the most is {MAX_QUERY:,} characters).")
    return name, query


def save(store: Store, actor: Actor, name: str, query: str,
         replace: bool = False) -> SavedSearch:
    """Save *query* under *name*; with *replace*, a search of that name gets the new query
    (else a name already taken is refused)."""
    name, query = _clean(name, query)
    with store.write("save the search") as db:
        old = db.execute("SELECT id, name FROM saved_searches WHERE name = ?",
                         (name,)).fetchone()
        if old is not None and not replace:
            raise CuratorError(f"There is already a saved search called “{old['name']}”. "
                               "Choose another name, or replace it.")
        if old is not None:
            db.execute("UPDATE saved_searches SET name = ?, query = ? WHERE id = ?",
                       (name, query, old["id"]))
            sid = old["id"]
        else:
            sid = db.execute("INSERT INTO saved_searches (name, query, created_by, created_at) "
                             "VALUES (?, ?, ?, ?)",
                             (name, query, actor.name, clock.now_iso())).lastrowid
        events.record(db, actor, "search.save", "saved_search", sid,
                      {"name": name, "query": query})
        r = db.execute("SELECT * FROM saved_searches WHERE id = ?", (sid,)).fetchone()
    return _row(r)


def remove(store: Store, actor: Actor, name: str) -> None:
    found = get(store, name)
    with store.write("remove the saved search") as db:
        db.execute("DELETE FROM saved_searches WHERE id = ?", (found.id,))
        events.record(db, actor, "search.remove", "saved_search", found.id,
                      {"name": found.name, "query": found.query})
