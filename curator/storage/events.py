"""The append-only audit log: who changed what, when, and what it was before."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from curator.base import clock

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class Actor:
    """The expert on whose behalf a change is made."""

    id: int
    name: str


def record(db: Database, actor: Actor | None, action: str, entity: str, entity_id,
           detail: dict | None = None) -> None:
    """Add one event. Call inside the same transaction as the change it describes."""
    db.execute(
        "INSERT INTO events (at, expert_id, expert_name, action, entity, entity_id, detail)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            clock.now_iso(),
            actor.id if actor else None,
            actor.name if actor else None,
            action,
            entity,
            str(entity_id),
            json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str),
        ),
    )


def history(db: Database, entity: str, entity_id) -> list[dict]:
    rows = db.execute(
        "SELECT at, expert_name, action, detail FROM events WHERE entity = ? AND entity_id = ?"
        " ORDER BY id",
        (entity, str(entity_id)),
    ).fetchall()
    return [
        {"at": r["at"], "expert": r["expert_name"], "action": r["action"],
         "detail": json.loads(r["detail"])}
        for r in rows
    ]


def diff(before: dict, after: dict) -> dict:
    """The fields that changed, as ``{field: [old, new]}``."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
