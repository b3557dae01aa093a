"""Where things live on disk: one place decides, with overrides for tests and experts."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from curator import APP_NAME

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
