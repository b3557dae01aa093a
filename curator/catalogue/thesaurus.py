"""The library's own thesaurus: words and phrases the experts say mean the same
(for example CIN = child in need). Search reads them with the shipped thesaurus."""

from __future__ import annotations

from curator.base import clock
from curator.base.errors import CuratorError
from curator.storage import events
from curator.storage.events import Actor
from curator.storage.store import Store


def entries(store: Store) -> list[dict]:
    return [{"id": r["id"], "terms": r["terms"].split(" = "), "added_at": r["added_at"]}
            for r in store.query("SELECT * FROM thesaurus ORDER BY id")]


def add(store: Store, actor: Actor, terms: list[str]) -> dict:
    clean: list[str] = []
    for term in terms:
        t = " ".join(str(term).replace("=", " ").split())
        if t and t.casefold() not in {c.casefold() for c in clean}:
            clean.append(t)
    if len(clean) < 2:
        raise CuratorError("Give at least two words or phrases that mean the same, "
                           "for example: CIN = child in need")
    with store.write("save the thesaurus entry") as db:
        cur = db.execute("INSERT INTO thesaurus (terms, added_by, added_at) VALUES (?, ?, ?)",
                         (" = ".join(clean), actor.id, clock.now_iso()))
        events.record(db, actor, "thesaurus.add", "thesaurus", cur.lastrowid, {"terms": clean})
    return {"id": cur.lastrowid, "terms": clean}


def remove(store: Store, actor: Actor, entry_id: int) -> None:
    with store.write("remove the thesaurus entry") as db:
        row = db.execute("SELECT terms FROM thesaurus WHERE id = ?", (entry_id,)).fetchone()
        if row is None:
            raise CuratorError(f"There is no thesaurus entry {entry_id}.")
        db.execute("DELETE FROM thesaurus WHERE id = ?", (entry_id,))
        events.record(db, actor, "thesaurus.remove", "thesaurus", entry_id,
                      {"terms": row["terms"]})
