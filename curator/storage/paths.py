"""Where things live on disk: one place decides, with overrides for tests and experts."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from curator import APP_NAME
from curator.base.errors import LibraryError

LIBRARY_ENV = "CURATOR_LIBRARY"
DB_NAME = "resources.db"
INDEX_DIR = "index"
EXPORTS_DIR = "exports"
BACKUPS_DIR = "backups"


def default_library_dir() -> Path:
    """The library folder used when none is named: the platform's user data folder."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=True)) / "Library"


def resolve_library_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Pick the library folder: an explicit choice, then ``CURATOR_LIBRARY``, then the default."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get(LIBRARY_ENV, "").strip()
    if env:
        return Path(env).expanduser().resolve()
    return default_library_dir()


#: The folders inside a library folder, and what each holds (for messages).
SUBFOLDERS = {INDEX_DIR: "its search index", EXPORTS_DIR: "the bundles it exports",
              BACKUPS_DIR: "its backups"}


def writable(path: Path) -> bool:
    """Whether this process may write *path* (a read-only file, folder or disk: False)."""
    return os.access(path, os.W_OK)


def prepare_folder(folder: Path) -> None:
    """Make the library folder and its subfolders, or say plainly why they cannot be made.

    A folder this process may only read is left as it is: the library then opens for
    reading only.
    """
    if folder.exists() and not folder.is_dir():
        raise LibraryError(f"Curator cannot use {folder} as a library folder: it is a file, "
                           "not a folder. Choose a folder.")
    for sub, holds in SUBFOLDERS.items():
        place = folder / sub
        if place.exists() and not place.is_dir():
            raise LibraryError(
                f"Curator cannot open the library in {folder}: there is a file called "
                f"'{sub}' where Curator keeps {holds} (a folder called '{sub}'). Move that "
                "file out of the library folder, or rename it, then try again.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not writable(folder):
            return
        for sub in SUBFOLDERS:
            (folder / sub).mkdir(exist_ok=True)
    except OSError as exc:
        raise LibraryError(
            f"Curator cannot use the folder {folder}: {exc.strerror or exc}. "
            "Choose a folder you can write to.", detail=repr(exc)) from exc
