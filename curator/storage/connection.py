"""One thread's connection to ``resources.db``: SQL straight away, sqlite-utils when needed.

Reading a list, a row or a count is plain SQL, and sqlite-utils' ``Database`` runs a
``SELECT`` on its ``sqlite3`` connection unchanged. Loading sqlite-utils (with what it
imports: click, pluggy, dateutil) costs more than opening the library and reading its
first list, so a :class:`Connection` runs ``SELECT`` statements on the connection itself
and makes the ``Database`` on the first thing that needs it: any other statement (a
write, which sqlite-utils commits or joins to the open transaction), a table helper
(``db["resources"].insert(...)``) or ``Database`` itself. From then on everything goes
through the ``Database``, exactly as before. Opening the library and showing its first
screen needs none of it (issue 21).
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database


def _is_select(sql: str) -> bool:
    return sql.lstrip()[:6].upper() == "SELECT"


class Connection:
    """A ``sqlite3`` connection that is also, from its first need, sqlite-utils' Database."""

    __slots__ = ("conn", "_db")

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._db: Database | None = None

    @property
    def database(self) -> Database:
        """sqlite-utils' ``Database`` on this connection (made on first use)."""
        if self._db is None:
            from sqlite_utils import Database
            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    def execute(self, sql: str, parameters: Any = None) -> sqlite3.Cursor:
        if self._db is None and _is_select(sql):
            return self.conn.execute(sql) if parameters is None else \
                self.conn.execute(sql, parameters)
        return self.database.execute(sql, parameters)

    def __getitem__(self, table: str):
        return self.database[table]

    def __getattr__(self, name: str):
        return getattr(self.database, name)
