"""The one writer of the search index: it drains ``index_queue`` into Whoosh.

Every write that changes what is searchable adds a queue row in the same SQLite
transaction. The indexer applies the queue and only then deletes the rows it applied, so
a crash at any point delays the index but never loses an update. A missing, damaged or
out-of-date index is rebuilt from the database. Opening the index first deletes what a
killed rebuild left behind (:func:`curator.search.build.remove_abandoned`).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock

from curator.base import gcpause
from curator.base.background import CancelFn, ProgressFn
from curator.catalogue import resources
from curator.storage.store import Store

log = logging.getLogger(__name__)


class Indexer:
    def __init__(self, store: Store, index_dir: Path):
        self.store = store
        self.index_dir = index_dir
        self._lock = threading.RLock()
        # Another Curator (the app and a command line, say) may share the library: index
        # work is serialised across processes too, so a rebuild never overwrites updates.
        self._file_lock = FileLock(str(index_dir.parent / "index.lock"))
        self._index = None

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        with self._lock, self._file_lock:
            yield

    def thesaurus(self):
        from curator.search import Thesaurus

        groups = []
        for r in self.store.query("SELECT terms FROM thesaurus ORDER BY id"):
            terms = [t.strip() for t in r["terms"].split("=") if t.strip()]
            if len(terms) > 1:
                groups.append(terms)
        return Thesaurus.starter().with_entries(groups)

    @property
    def index(self):
        with self._lock:
            if self._index is None:
                from curator.search import SearchIndex
                from curator.search.build import remove_abandoned

                remove_abandoned(self.index_dir)
                self._index = SearchIndex(self.index_dir, self.thesaurus())
            return self._index

    def reload_thesaurus(self) -> None:
        with self._lock:
            if self._index is not None:
                self._index.close()
            self._index = None

    def needs_rebuild(self) -> bool:
        return not self.index.is_usable()

    def rebuild(self, progress: ProgressFn = None,
                cancel: CancelFn = None) -> bool:
        """Rebuild the whole index from the database. False if cancelled (old index kept)."""
        with self._writing():
            db = self.store.db
            top = db.execute("SELECT coalesce(max(id), 0) FROM index_queue").fetchone()[0]
            total = resources.count_searchable(db)
            done = self.index.rebuild(resources.iter_search_documents(db), total=total,
                                      progress=progress, cancel=cancel)
            if done:
                with self.store.write("update the search index") as wdb:
                    wdb.execute("DELETE FROM index_queue WHERE id <= ?", (top,))
            return done

    def pending(self) -> int:
        return self.store.query_one("SELECT count(*) FROM index_queue")[0]

    def drain(self, batch: int = 100) -> int:
        """Apply queued updates; rebuild first if the index cannot be used."""
        with self._writing():
            if self.needs_rebuild():
                self.rebuild()
                return 0
            applied = 0
            while True:
                db = self.store.db
                rows = db.execute("SELECT id, resource_id FROM index_queue ORDER BY id LIMIT ?",
                                  (batch,)).fetchall()
                if not rows:
                    return applied
                top = rows[-1]["id"]
                ids = list(dict.fromkeys(r["resource_id"] for r in rows))
                upserts, deletes = [], []
                for rid in ids:
                    doc = resources.search_document(db, rid)
                    if doc is None:
                        deletes.append(rid)
                    else:
                        upserts.append(doc)
                self.index.apply(upserts, deletes)
                with self.store.write("update the search index") as wdb:
                    wdb.execute("DELETE FROM index_queue WHERE id <= ?", (top,))
                applied += len(ids)

    def tidy(self, max_seconds: float = 0.3) -> bool:
        """Merge small index segments when idle, so that single updates stay quick."""
        with self._writing():
            return self.index.optimize_if_needed(max_seconds)

    def warm(self, cancel: CancelFn = None) -> None:
        """Read what every search needs now, on this (background) thread, so that the
        next search does not pay for it after opening, a rebuild or an update."""
        self.index.warm(cancel)

    def search(self, query: str, **options):
        return self.index.search(query, **options)

    def more_like_this(self, resource_id: str, limit: int = 10):
        return self.index.more_like_this(resource_id, limit=limit)

    def apply_queue(self) -> int:
        """Apply pending index updates now; how many resources were refreshed.

        A failure here never undoes or hides the saved change: the queue keeps the update
        and the next drain (or the rebuild on the next open) applies it.
        """
        try:
            with gcpause.paused():
                applied = self.drain()
                if applied:
                    self.tidy(0.3)
                    self.warm()
            return applied
        except Exception:  # the change is saved; the index catches up later
            log.warning("The search index could not be updated now; it will catch up.",
                        exc_info=True)
            return 0

    def close(self) -> None:
        with self._lock:
            if self._index is not None:
                self._index.close()
                self._index = None
