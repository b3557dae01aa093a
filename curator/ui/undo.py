"""Undo for edits and deletes: each command calls the library in the background."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from curator.library import Library
from curator.ui.ops import Operations

Done = Callable[[list[str]], None]


class EditCommand(QUndoCommand):
    """Change fields of one resource; undo puts the old values back."""

    def __init__(self, lib: Library, ops: Operations, resource_id: str, before: dict,
                 after: dict, version: int | None, done: Done):
        super().__init__(f"Edit {', '.join(after)}")
        self._lib, self._ops, self._id = lib, ops, resource_id
        self._before, self._after, self._version, self._done = before, after, version, done
        self._first = True

    def redo(self) -> None:
        version = self._version if self._first else None
        self._first = False
        self._ops.run(lambda ctx: self._lib.edit(self._id, self._after, expected_version=version),
                      on_success=lambda _r: self._done([self._id]),
                      on_failure=lambda _e: self._done([self._id]))

    def undo(self) -> None:
        self._ops.run(lambda ctx: self._lib.edit(self._id, self._before),
                      on_success=lambda _r: self._done([self._id]))


class DeleteCommand(QUndoCommand):
    """Move resources to the trash; undo restores them."""

    def __init__(self, lib: Library, ops: Operations, ids: list[str], done: Done):
        n = len(ids)
        super().__init__(f"Delete {n} resource{'s' if n != 1 else ''}")
        self._lib, self._ops, self._ids, self._done = lib, ops, list(ids), done

    def _each(self, method) -> None:
        def work(ctx):
            for rid in self._ids:
                method(rid)
        self._ops.run(work, on_success=lambda _r: self._done(self._ids))

    def redo(self) -> None:
        self._each(self._lib.delete)

    def undo(self) -> None:
        self._each(self._lib.restore)
