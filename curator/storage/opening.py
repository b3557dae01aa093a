"""Opening a library folder: find or make it, open its database, check it if it needs it.

*check* says when to run SQLite's ``quick_check``: "auto" after a session that did not
close cleanly, "full" always, "none" never (the app checks in the background). A damaged
database raises :class:`curator.base.errors.LibraryDamaged` and is left closed.
"""

from __future__ import annotations

from pathlib import Path

from curator.base.errors import LibraryError
from curator.storage import paths, recovery
from curator.storage.store import Store


def open_folder(folder: str | Path | None, *, create: bool = True,
                check: str = "auto") -> tuple[Path, Store, bool]:
    """The library folder, its open store, and whether the library was just made."""
    folder = paths.resolve_library_dir(folder)
    is_new = not (folder / paths.DB_NAME).exists()
    if is_new and not create:
        raise LibraryError(f"There is no Curator library in {folder}.")
    paths.prepare_folder(folder)
    store = Store(folder)
    store.open()
    if check == "full" or (check == "auto" and recovery.previous_session_unclean(folder)):
        try:
            recovery.check_integrity(store, folder)
        except recovery.LibraryDamaged:
            store.close()
            raise
    recovery.mark_session(folder, True)
    return folder, store, is_new
