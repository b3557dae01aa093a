"""SearchIndex: the one object the library talks to.

The index is derived data: the library rebuilds it from resources.db whenever
it is missing, damaged or of an older schema. On disk it is a set of
generation folders and a ``CURRENT`` file naming the live one
(generations.py); a rebuild (build.py) writes a new generation and swaps it
in atomically, so readers never see a half-built index.

Each ``apply`` commits one new small segment and, normally, merges nothing,
so adding one clipped resource costs the same every time. Small segments are
folded together by ``optimize_if_needed`` (the app calls it on its writer
thread when idle, within a time budget); ``apply`` itself merges only if
that has not happened for a long while (more than MAX_SMALL_SEGMENTS; see
merging.py).

``is_usable`` checks structure only (CURRENT, schema version, table of
contents, every segment file present with a complete directory), reading a
few kilobytes, so the app can call it at start-up at any index size. Damage
inside a file's contents that only a search can notice makes that search
return no results with a notice and marks the index unusable, so the next
``is_usable`` asks for a rebuild.

Searching (searching.py) reads through one Snapshot (postings.py) of the
segments, refreshed after each commit, reusing the readers of segments that
did not change. What is typed is bounded first (limits.py).

Writes (``apply``) go through Whoosh's own file lock. That lock is an OS lock
(fcntl/msvcrt) which the OS drops when a process dies, so a leftover lock
*file* from a killed process never blocks; a lock genuinely held by another
live writer is waited for, up to ``lock_timeout``.
"""

from __future__ import annotations

import logging
import pickle
import struct
import threading
import time
import zlib
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from whoosh.index import LockError
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.searching import Searcher

from curator.base.background import CancelFn, ProgressFn
from curator.search import generations, merging, searching, storage
from curator.search import query as q
from curator.search.build import BuildCancelled, build_index
from curator.search.codec import FastSegmentWriter
from curator.search.postings import Snapshot
from curator.search.results import SearchResults
from curator.search.schema import to_whoosh_doc
from curator.search.thesaurus import Thesaurus

log = logging.getLogger(__name__)

IDLE_MERGE_SEGMENTS = 8     # optimize_if_needed merges once there are more than this
MAX_SMALL_SEGMENTS = 24     # apply() itself merges only beyond this (app never idle)
NOT_READY_NOTICE = "The search index is not ready yet."
DAMAGED_NOTICE = "The search index is damaged and will be rebuilt."

# What reading a damaged segment raises (as opposed to a bug in this code).
_DAMAGE = (OSError, EOFError, pickle.UnpicklingError, struct.error, zlib.error,
           UnicodeDecodeError)


class IndexBusy(RuntimeError):
    """Another live process held the index write lock for too long.

    The caller (the indexer thread) should keep its queue rows and retry later.
    """


def _overdue_merge(writer, segments):
    """apply()'s merge policy: nothing, unless small segments piled up."""
    return merging.overdue_merge(writer, segments, MAX_SMALL_SEGMENTS)


class SearchIndex:
    def __init__(self, index_dir: Path, thesaurus: Thesaurus | None = None,
                 lock_timeout: float = 30.0) -> None:
        self.index_dir = Path(index_dir)
        self.thesaurus = thesaurus
        self.lock_timeout = lock_timeout
        self._lock = threading.RLock()       # searcher use and refresh
        self._write_lock = threading.RLock()  # one writer at a time in-process
        self._ix = None
        self._searcher = None
        self._snap: Snapshot | None = None
        self._gen: str | None = None
        self._damaged: str | None = None     # generation a search found damaged

    # ------------------------------------------------------------ locations

    def _current_name(self) -> str | None:
        return generations.current_name(self.index_dir)

    def _open_ix(self):
        return generations.open_current(self.index_dir)

    # ------------------------------------------------------------ health

    def is_usable(self) -> bool:
        """True if the index exists, is of this schema and is structurally whole.

        Cheap at any size (a few small reads per segment, no postings, no
        stored documents): CURRENT names a generation, its schema version is
        ours, its table of contents reads, and every segment's compound file
        has a readable directory whose parts all lie within the file. A search
        that later meets damage inside a file marks the index unusable.
        """
        if self._damaged is not None and self._damaged == self._current_name():
            return False
        try:
            return generations.check_usable(self.index_dir)
        except Exception:
            return False

    # ------------------------------------------------------------ reading

    def _snapshot(self) -> Snapshot:
        """Open or refresh the searcher; caller holds self._lock."""
        name = self._current_name()
        if self._searcher is not None and name == self._gen:
            if self._searcher.up_to_date():
                return self._snap
            self._searcher = self._reopen(self._searcher)
            self._snap = Snapshot(self._searcher)
            return self._snap
        self._close_reader()
        self._gen, self._ix = self._open_ix()
        self._searcher = self._ix.searcher()
        self._snap = Snapshot(self._searcher)
        return self._snap

    def _reopen(self, old):
        """A searcher on the latest commit, reusing unchanged segment readers.

        Not Searcher.refresh(): that reuses readers by segment alone and so
        misses new deletions in an otherwise unchanged segment. Opening every
        segment afresh instead made each 'add one document' cost ~150 ms on
        10,000 documents; here only new or changed segments are opened.
        """
        info = self._ix._read_toc()
        reusable = {}
        for r, _off in old.reader().leaf_readers():
            seg = r.segment()
            if seg is not None:
                reusable[(seg.segment_id(), seg.deleted_count())] = r
        readers = []
        for seg in info.segments:
            r = reusable.pop((seg.segment_id(), seg.deleted_count()), None)
            if r is None:
                r = SegmentReader(self._ix.storage, info.schema, seg,
                                  generation=info.generation)
            r._gen = info.generation
            readers.append(r)
        for r in reusable.values():
            r.close()
        if not readers:
            reader = EmptyReader(info.schema)
        elif len(readers) == 1:
            reader = readers[0]
        else:
            reader = MultiReader(readers, generation=info.generation)
        return Searcher(reader, fromindex=self._ix)

    def _close_reader(self) -> None:
        if self._searcher is not None:
            try:
                self._searcher.close()
            except Exception:
                pass
        if self._ix is not None:
            try:
                self._ix.close()
            except Exception:
                pass
        self._searcher = self._ix = self._snap = None
        self._gen = None

    def doc_count(self) -> int:
        with self._lock:
            try:
                return self._snapshot().doc_count
            except Exception:
                return 0

    # ------------------------------------------------------------ searching

    def search(self, query: str, *, limit: int = 50, today: date | None = None,
               words_only: bool = False) -> SearchResults:
        """Run a query. Never raises for anything the user typed.

        A query over the limits (limits.py) is cut, not refused; the
        results' notice then says what was searched."""
        today = today or date.today()
        text = query if isinstance(query, str) else str(query)
        parsed = q.parse(text, today, self.thesaurus, words_only=words_only)
        if parsed.tree is None:
            return searching.empty(parsed.notice, parsed.expanded)
        with self._lock:
            try:
                snap = self._snapshot()
            except Exception:
                return searching.empty(NOT_READY_NOTICE, parsed.expanded)
            try:
                return searching.run(snap, parsed, limit, words_only)
            except _DAMAGE:
                self._note_damage()
                return searching.empty(DAMAGED_NOTICE, parsed.expanded)

    def warm(self, cancel: CancelFn = None) -> None:
        """Read what every search needs now (for a background thread after opening or a
        commit), so that the first search does not pay for it. Never raises.

        The lengths and facet columns are read holding the index; the segment files are
        then read into the file cache without it (:func:`storage.read_through`: seconds,
        the first time, for a large index on a cold disk), so searches and commits never
        wait on that; *cancel* stops it."""
        with self._lock:
            try:
                snap = self._snapshot()
                snap.warm(searching.FACET_FIELDS)
                files = snap.segment_files()
            except Exception:
                log.debug("Warming the search index failed", exc_info=True)
                return
        for part in files:
            if cancel is not None and cancel():
                return
            storage.read_through(part, cancel)

    def _note_damage(self) -> None:
        """Remember that this generation failed to read (is_usable -> False)."""
        self._damaged = self._gen
        self._close_reader()

    def more_like_this(self, resource_id: str, limit: int = 10) -> SearchResults:
        """Resources sharing the most distinctive words of this one."""
        with self._lock:
            try:
                snap = self._snapshot()
            except Exception:
                return searching.empty(facets=False)
            return searching.more_like_this(snap, resource_id, limit)

    # ------------------------------------------------------------ writing

    def rebuild(self, docs: Iterable[dict], total: int | None = None,
                progress: ProgressFn = None,
                cancel: CancelFn = None,
                procs: int | None = None) -> bool:
        """Build a fresh index from ``docs`` and swap it in; False if cancelled."""
        self.index_dir.mkdir(parents=True, exist_ok=True)
        name = generations.new_name()
        folder = self.index_dir / name
        try:
            build_index(folder, docs, total, progress, cancel, procs)
        except BuildCancelled:
            return False
        generations.write_meta(folder)
        with self._write_lock, self._lock:
            generations.make_current(self.index_dir, name)
            self._close_reader()
            generations.cleanup(self.index_dir, keep=name)
        return True

    def _ensure_exists(self) -> None:
        """apply() before any rebuild: start from an empty index."""
        if self._current_name() is None:
            self.rebuild([], total=0)

    def apply(self, upserts: list[dict], deletes: list[str]) -> None:
        """Add/replace and delete resources in one commit.

        Writes one new small segment and merges nothing (unless small
        segments have piled up past MAX_SMALL_SEGMENTS because
        ``optimize_if_needed`` is never called), so its cost does not depend
        on how many commits came before.
        """
        if not upserts and not deletes:
            return
        with self._write_lock:
            self._ensure_exists()
            _name, ix = self._open_ix()
            try:
                writer = self._writer(ix)
                try:
                    ids = list(dict.fromkeys([*deletes, *(str(d["id"]) for d in upserts)]))
                    self._delete(writer, ids)
                    for doc in upserts:
                        writer.add_document(**to_whoosh_doc(doc))
                except BaseException:
                    writer.cancel()
                    raise
                writer.commit(mergetype=_overdue_merge)
            finally:
                ix.close()

    def optimize_if_needed(self, max_seconds: float = 1.0) -> bool:
        """Fold small segments together if there are more than a few.

        For the app's index writer thread when it is idle (e.g. after draining
        the queue): merges the smallest small segments, about ``max_seconds``
        of work at most (estimated), in one commit. Never waits for the write
        lock (returns False if another writer holds it). Returns True if it
        merged something. Searches keep working throughout and see the merged
        segment on their next refresh.
        """
        with self._write_lock:
            if self._current_name() is None:
                return False
            try:
                _name, ix = self._open_ix()
            except Exception:
                return False
            try:
                segments = ix._read_toc().segments
                if len(merging.small_segments(segments)) <= IDLE_MERGE_SEGMENTS:
                    return False
                budget = max(max_seconds, 0.0) / merging.MERGE_SECONDS_PER_DOC
                chosen = merging.merge_choice(segments, budget)
                if not chosen:
                    return False
                try:
                    writer = FastSegmentWriter(ix, timeout=0.0)
                except LockError:
                    return False
                try:
                    writer.commit(mergetype=merging.merger(chosen))
                except BaseException:
                    if not writer.is_closed:
                        writer.cancel()
                    raise
                return True
            finally:
                ix.close()

    def _delete(self, writer, ids: list[str]) -> None:
        """Delete by id. Uses the open snapshot when it shows exactly the
        segments the writer sees (the common case), which avoids Whoosh opening
        a fresh reader on every segment for each commit."""
        with self._lock:
            snap = None
            try:
                snap = self._snapshot()
            except Exception:
                pass
            if snap is not None and snap.generation == writer.generation - 1:
                for rid in ids:
                    for d in snap.postings("id", rid)[0]:
                        if d not in snap.deleted:
                            writer.delete_document(d)
                return
        for rid in ids:
            writer.delete_by_term("id", rid)

    def _writer(self, ix):
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                return FastSegmentWriter(ix, timeout=min(1.0, self.lock_timeout), delay=0.05)
            except LockError:
                if time.monotonic() >= deadline:
                    raise IndexBusy("the search index is being written by another "
                                    "process; try again shortly") from None

    def close(self) -> None:
        with self._lock:
            self._close_reader()
