"""What a write changed, read back from the audit log.

Every change to the library records an event in the same transaction
(:mod:`curator.storage.events`), so the events after a mark are exactly what the writes
since then changed. The app takes a mark before each operation and refreshes its lists,
counts and details from the :class:`Changes` after it, in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from curator.storage.store import Store


@dataclass(frozen=True)
class Changes:
    """What changed: resources by id, and whether themes, experts or the thesaurus did."""

    resources: frozenset[str] = frozenset()
    themes: bool = False
    experts: bool = False
    thesaurus: bool = False
    #: The actions recorded ("resource.clip", "workflow.approved", ...).
    actions: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not self.actions

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.resources | other.resources, self.themes or other.themes,
                       self.experts or other.experts, self.thesaurus or other.thesaurus,
                       self.actions | other.actions)


def mark(store: Store) -> int:
    row = store.query_one("SELECT COALESCE(MAX(id), 0) AS last FROM events")
    return int(row["last"]) if row else 0


def since(store: Store, after: int) -> Changes:
    rows = store.query("SELECT action, entity, entity_id FROM events WHERE id > ? ORDER BY id",
                       (after,))
    entities = {r["entity"] for r in rows}
    return Changes(
        resources=frozenset(r["entity_id"] for r in rows if r["entity"] == "resource"),
        themes="theme" in entities, experts="expert" in entities,
        thesaurus="thesaurus" in entities,
        actions=frozenset(r["action"] for r in rows))
