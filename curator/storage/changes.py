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
    """What changed: resources by id, and whether themes, experts or the thesaurus did.

    *everything* says "assume anything may have changed": bulk work (imports, link checks,
    restoring a backup, another library, another expert) says so instead of listing rows,
    and some of it writes rows without an event (a link check that found nothing new).
    """

    resources: frozenset[str] = frozenset()
    themes: bool = False
    experts: bool = False
    thesaurus: bool = False
    #: The actions recorded ("resource.clip", "workflow.approved", ...).
    actions: frozenset[str] = frozenset()
    everything: bool = False

    @property
    def empty(self) -> bool:
        return not self.actions and not self.everything

    def touches(self, resource_id: str | None) -> bool:
        """Whether this resource may have changed."""
        return resource_id is not None and (self.everything or resource_id in self.resources)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.resources | other.resources, self.themes or other.themes,
                       self.experts or other.experts, self.thesaurus or other.thesaurus,
                       self.actions | other.actions, self.everything or other.everything)


#: Anything may have changed (see :attr:`Changes.everything`).
EVERYTHING = Changes(everything=True)


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
