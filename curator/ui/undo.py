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
                 after: dict, version: int | None, *, guard_fields: bool = False,
                 on_failure=None):
        super().__init__(f"Edit {', '.join(after)}")
        self._lib, self._ops, self._id = lib, ops, resource_id
        self._before, self._after, self._version = before, after, version
        self._first = True
        # With guard_fields, each way checks the fields still hold what it replaces, so
        # neither the edit nor its undo writes over a change made elsewhere meanwhile.
        self._guard = guard_fields
        self._on_failure = on_failure

    def redo(self) -> None:
        version = self._version if self._first and not self._guard else None
        expected = self._before if self._guard else None
        first, self._first = self._first, False
        self._ops.run(lambda ctx: self._lib.edit(self._id, self._after, expected_version=version,
                                                 expected_fields=expected),
                      on_failure=self._failed if first else None)

    def undo(self) -> None:
        expected = self._after if self._guard else None
        self._ops.run(lambda ctx: self._lib.edit(self._id, self._before,
                                                 expected_fields=expected))

    def _failed(self, error) -> bool:
        self.setObsolete(True)  # nothing to undo: it was never saved
        if self._on_failure is not None:
            self._on_failure(self._id)
        return False  # the window still shows the reason


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
