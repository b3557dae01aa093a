"""Values the library keeps about itself in its ``settings`` table (its id, the last
expert, the last backup, a link check under way). The person's own preferences live in
:mod:`curator.preferences`, outside the library."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from curator.storage.store import Store


def get(store: Store, key: str, default: str | None = None) -> str | None:
    row = store.query_one("SELECT value FROM settings WHERE key = ?", (key,))
    return row["value"] if row else default


def put(store: Store, key: str, value: str | None) -> None:
    with store.write("save the setting") as db:
        db.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO "
                   "UPDATE SET value = excluded.value", (key, value))
