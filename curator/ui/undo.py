"""Undo for edits and deletes: each command calls the library in the background.

The window refreshes from the operations' change signal, like after any other write.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from curator.library import Library
from curator.ui.ops import Operations


class EditCommand(QUndoCommand):
    """Change fields of one resource; undo puts the old values back."""

    def __init__(self, lib: Library, ops: Operations, resource_id: str, before: dict,
                 after: dict, version: int | None):
        super().__init__(f"Edit {', '.join(after)}")
        self._lib, self._ops, self._id = lib, ops, resource_id
        self._before, self._after, self._version = before, after, version
        self._first = True

    def redo(self) -> None:
        version = self._version if self._first else None
        self._first = False
        self._ops.run(lambda ctx: self._lib.edit(self._id, self._after, expected_version=version))

    def undo(self) -> None:
        self._ops.run(lambda ctx: self._lib.edit(self._id, self._before))


class DeleteCommand(QUndoCommand):
    """Move resources to the trash; undo restores them."""

    def __init__(self, lib: Library, ops: Operations, ids: list[str]):
        n = len(ids)
        super().__init__(f"Delete {n} resource{'s' if n != 1 else ''}")
        self._lib, self._ops, self._ids = lib, ops, list(ids)

    def _each(self, method) -> None:
        def work(ctx):
            for rid in self._ids:
                method(rid)
        self._ops.run(work)

    def redo(self) -> None:
        self._each(self._lib.delete)

    def undo(self) -> None:
        self._each(self._lib.restore)
