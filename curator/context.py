"""What a domain service needs from an open library, and nothing more.

Services in ``clipping``, ``importing``, ``review`` and ``publishing`` take a
:class:`Context`, never the :class:`~curator.library.Library`: calls run one way, from
the facade down into the domains. The Library makes a fresh context for each call, so a
service always sees the current fetcher and preferences.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from curator.clipping.fetch import Fetcher
from curator.preferences import Preferences
from curator.storage import paths, settings
from curator.storage.events import Actor
from curator.storage.store import Store


@dataclass(frozen=True)
class Context:
    store: Store
    folder: Path
    fetcher: Fetcher
    preferences: Preferences
    #: Who is acting; asked only when a service writes (reading needs no one).
    who: Callable[[], Actor]
    #: Apply the search-index work queued by the writes so far; returns how many were
    #: refreshed. Told how many resources a bulk write added, it may rebuild instead.
    refresh_index: Callable[..., int]

    @property
    def actor(self) -> Actor:
        return self.who()

    @property
    def backups_dir(self) -> Path:
        return self.folder / paths.BACKUPS_DIR

    @property
    def exports_dir(self) -> Path:
        return self.folder / paths.EXPORTS_DIR

    def setting(self, key: str, default: str | None = None) -> str | None:
        return settings.get(self.store, key, default)

    def set_setting(self, key: str, value: str | None) -> None:
        settings.put(self.store, key, value)

    def default_export_folder(self) -> Path:
        """Where bundles go unless told otherwise: the chosen export folder, else exports/."""
        chosen = (self.preferences.export_folder or "").strip()
        return Path(chosen).expanduser() if chosen else self.exports_dir
