"""The saved page text as it was when a resource was last approved.

Approving keeps a copy of the resource's stored page text (:func:`keep`, called by the
workflow in the approval's own transaction), so that the reader can show what the page
said when a lead vouched for it next to what it says now.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from curator.base import clock
from curator.catalogue import resources

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class ApprovedText:
    text: str
    approved_at: str
    approved_by: str | None


def keep(db: Database, resource_id: str, approver: str | None) -> None:
    """Keep the resource's page text as approved now (in the caller's transaction)."""
    db.execute("INSERT OR REPLACE INTO approved_texts (resource_id, text, approved_at, "
               "approved_by) VALUES (?, ?, ?, ?)",
               (resource_id, resources.text_of(db, resource_id), clock.now_iso(), approver))


def get(db: Database, resource_id: str) -> ApprovedText | None:
    row = db.execute("SELECT text, approved_at, approved_by FROM approved_texts "
                     "WHERE resource_id = ?", (resource_id,)).fetchone()
    return ApprovedText(row["text"], row["approved_at"], row["approved_by"]) if row else None
