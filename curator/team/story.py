"""A resource's story in the team folder, for the details pane: what was sent from here
and decided, and what came in here for a theme lead to decide.

Reading it needs only the library's tables, so the details pane can say it without
loading the team folder's machinery (signing, bundles, the folder itself).
"""

from __future__ import annotations

from curator.base import clock
from curator.storage.store import Store


def about(store: Store, resource_id: str) -> dict:
    """The resource's story in the team folder, for the details pane: what was sent and
    decided (here as the sender), and what came in (here as the lead)."""
    sent_rows = [dict(r) for r in store.query(
        "SELECT submission_id, sent_at, outcome, decided_by, decided_at, reason FROM team_sent"
        " WHERE resource_id = ? ORDER BY sent_at DESC, rowid DESC", (resource_id,))]
    received = [dict(r) for r in store.query(
        "SELECT submission_id, sender_name, sent_at, received_at, outcome, decided_at, reason"
        " FROM team_inbox WHERE resource_id = ? ORDER BY sent_at DESC, rowid DESC",
        (resource_id,))]
    return {"sent": sent_rows, "received": received}


def about_words(store: Store, resource_id: str) -> str:
    """The latest of the resource's story in the team folder, in a line for the details
    pane ("" when it never went through the team folder)."""
    story = about(store, resource_id)
    shown = clock.shown_local
    if story["sent"]:
        s = story["sent"][0]
        line = f"Sent for approval through the team folder on {shown(s['sent_at'])}"
        if s["outcome"] == "approved":
            return line + f"; approved by {s['decided_by']} on {shown(s['decided_at'])}."
        if s["outcome"]:
            why = f": “{s['reason']}”" if s["reason"] else ""
            return line + f"; sent back by {s['decided_by']} on {shown(s['decided_at'])}{why}."
        return line + "; waiting for a theme lead."
    if story["received"]:
        r = story["received"][0]
        line = f"Sent to you for approval by {r['sender_name']} on {shown(r['sent_at'])}"
        if r["outcome"] == "approved":
            return line + f"; you approved it on {shown(r['decided_at'])}."
        if r["outcome"]:
            return line + f"; you sent it back on {shown(r['decided_at'])}."
        return line + "."
    return ""
