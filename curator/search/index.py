"""SearchIndex: the one object the library talks to.

On disk, ``index_dir`` holds generation folders and a ``CURRENT`` file naming
the live one. A rebuild writes a brand-new generation folder and then replaces
``CURRENT`` atomically (os.replace), so readers never see a half-built index,
a cancelled or crashed rebuild leaves the old index untouched, and nothing has
to be renamed while files may still be open (which Windows refuses). Old
generations are deleted when no longer needed (retried later if locked).

Each ``apply`` commits one new small segment and, normally, merges nothing,
so adding one clipped resource costs the same every time. Small segments are
folded together by ``optimize_if_needed`` (the app calls it on its writer
thread when idle, within a time budget); ``apply`` itself merges only if
that has not happened for a long while (more than MAX_SMALL_SEGMENTS).

``is_usable`` checks structure only (CURRENT, schema version, table of
contents, every segment file present with a complete directory), reading a
few kilobytes, so the app can call it at start-up at any index size. Damage
inside a file's contents that only a search can notice makes that search
return no results with a notice and marks the index unusable, so the next
``is_usable`` asks for a rebuild.

Writes (``apply``) go through Whoosh's own file lock. That lock is an OS lock
(fcntl/msvcrt) which the OS drops when a process dies, so a leftover lock
*file* from a killed process never blocks; a lock genuinely held by another
live writer is waited for, up to ``lock_timeout``.
"""

from __future__ import annotations

import json
import math
import os
import pickle
import re
import shutil
import struct
import threading
import time
import uuid
import zlib
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from whoosh.index import TOC, LockError
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.searching import Searcher

from curator.search import analysis, engine
from curator.search import query as q
from curator.search.build import INDEX_NAME, BuildCancelled, build_index
from curator.search.codec import FastSegmentWriter
from curator.search.postings import Snapshot
from curator.search.results import Hit, SearchResults
from curator.search.schema import (
    FACET_FIELDS,
    SCHEMA_VERSION,
    build_schema,
    stored_excerpt,
    to_whoosh_doc,
)
from curator.search.snippets import make_snippet
from curator.search.storage import Storage as FileStorage
from curator.search.thesaurus import Thesaurus

CURRENT = "CURRENT"
META = "curator-search.json"
SMALL_SEGMENT = 1_000       # segments below this many docs get merged together
IDLE_MERGE_SEGMENTS = 8     # optimize_if_needed merges once there are more than this
MAX_SMALL_SEGMENTS = 24     # apply() itself merges only beyond this (app never idle)
MERGE_SECONDS_PER_DOC = 0.025   # rough cost of merging one small document (budgets)
ANY_WORDS_NOTICE = ("No resource matched all of your words, so Curator is showing "
                    "resources that match some of them.")


# What reading a damaged segment raises (as opposed to a bug in this code).
_DAMAGE = (OSError, EOFError, pickle.UnpicklingError, struct.error, zlib.error,
           UnicodeDecodeError)


class IndexBusy(RuntimeError):
    """Another live process held the index write lock for too long.

    The caller (the indexer thread) should keep its queue rows and retry later.
    """


def _merge_choice(segments, budget_docs: float | None = None) -> list:
    """Which small segments to merge: the smallest first, adding the next one
    only while it is no bigger than twice what is already chosen (so a grown
    segment is not rewritten for every few new documents - merge cost stays
    logarithmic) and while the documents fit ``budget_docs``."""
    small = sorted((s for s in segments if s.doc_count_all() < SMALL_SEGMENT),
                   key=lambda s: s.doc_count_all())
    chosen: list = []
    total = 0
    for seg in small:
        n = seg.doc_count_all()
        if len(chosen) >= 2 and n > 2 * total:
            break
        if budget_docs is not None and len(chosen) >= 2 and total + n > budget_docs:
            break
        chosen.append(seg)
        total += n
    return chosen if len(chosen) >= 2 else []


def _merger(chosen: list):
    """A Whoosh merge policy folding ``chosen`` segments into the new one."""
    ids = {s.segment_id() for s in chosen}

    def merge(writer, segments):
        keep = []
        for seg in segments:
            if seg.segment_id() not in ids:
                keep.append(seg)
                continue
            reader = SegmentReader(writer.storage, writer.schema, seg)
            try:
                writer.add_reader(reader)
            finally:
                reader.close()
        return keep

    return merge


def _overdue_merge(writer, segments):
    """apply()'s merge policy: nothing, unless small segments piled up."""
    small = [s for s in segments if s.doc_count_all() < SMALL_SEGMENT]
    if len(small) <= MAX_SMALL_SEGMENTS:
        return segments
    return _merger(_merge_choice(segments))(writer, segments)


def _compound_ok(path: Path, segment_id: str) -> bool:
    """A compound segment file's header and directory read back and every
    part lies inside the file (catches truncated, emptied or garbage files)."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(12)
        if len(head) != 12:
            return False
        diroffset, dirlength = struct.unpack("!qi", head)
        if not (12 <= diroffset and diroffset + dirlength == size and dirlength > 0):
            return False
        f.seek(diroffset)
        directory = pickle.loads(f.read(dirlength))   # directory, then options
    if not isinstance(directory, dict) or f"{segment_id}.trm" not in directory:
        return False
    for info in directory.values():
        off, length = info["offset"], info["length"]
        if off < 12 or length < 0 or off + length > diroffset:
            return False
    return True


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
        try:
            name = (self.index_dir / CURRENT).read_text("utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return name if re.fullmatch(r"g-[0-9a-z\-]+", name or "") else None

    def _open_ix(self):
        name = self._current_name()
        if name is None:
            raise FileNotFoundError("no search index yet")
        folder = self.index_dir / name
        meta = json.loads((folder / META).read_text("utf-8"))
        if meta.get("schema_version") != SCHEMA_VERSION:
            raise ValueError("search index schema is out of date")
        # No mmap: Whoosh wraps each mmapped segment part in a BytesIO, which
        # copies it - every segment's postings ended up on the heap (1.2 GB
        # at 50,000 documents). Plain reads leave caching to the OS.
        return name, FileStorage(str(folder), supports_mmap=False).open_index(INDEX_NAME)

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
            return self._check_usable()
        except Exception:
            return False

    def _check_usable(self) -> bool:
        name = self._current_name()
        if name is None:
            return False
        folder = self.index_dir / name
        meta = json.loads((folder / META).read_text("utf-8"))
        if meta.get("schema_version") != SCHEMA_VERSION:
            return False
        storage = FileStorage(str(folder))
        toc = TOC.read(storage, INDEX_NAME)
        if toc.schema.names() != build_schema().names():
            return False
        for seg in toc.segments:
            if not seg.is_compound():
                return False            # our writers always make compound segments
            if not _compound_ok(folder / seg.make_filename(seg.COMPOUND_EXT),
                                seg.segment_id()):
                return False
        return True

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
        """Run a query. Never raises for anything the user typed."""
        today = today or date.today()
        text = query if isinstance(query, str) else str(query)
        parsed = q.parse(text, today, self.thesaurus, words_only=words_only)
        if parsed.tree is None:
            return SearchResults([], 0, {f: {} for f in FACET_FIELDS}, None,
                                 parsed.notice, parsed.expanded)
        with self._lock:
            try:
                snap = self._snapshot()
            except Exception:
                return SearchResults([], 0, {f: {} for f in FACET_FIELDS}, None,
                                     "The search index is not ready yet.", parsed.expanded)
            try:
                return self._search(snap, text, parsed, limit, words_only)
            except _DAMAGE:
                self._note_damage()
                return SearchResults([], 0, {f: {} for f in FACET_FIELDS}, None,
                                     "The search index is damaged and will be rebuilt.",
                                     parsed.expanded)

    def _note_damage(self) -> None:
        """Remember that this generation failed to read (is_usable -> False)."""
        self._damaged = self._gen
        self._close_reader()

    def _search(self, snap: Snapshot, text: str, parsed: q.Parsed, limit: int,
                words_only: bool) -> SearchResults:
        ev = engine.Evaluator(snap)
        tree = parsed.tree
        notice = parsed.notice
        if words_only and isinstance(tree, q.And):
            tree = q.Or(tree.children)      # best-match ranking for plain words
        final = _live(ev.match(tree), snap)
        if not final and not words_only:
            relaxed = _relax(tree)
            if relaxed is not None:
                final = _live(ev.match(relaxed), snap)
                if final:
                    tree = relaxed
                    notice = notice or ANY_WORDS_NOTICE
        scores = ev.scores(tree, final)
        ranked = engine.top(scores, final, limit)
        singles, phrases = engine.highlight_terms(tree)
        prefixes = engine.prefixes(tree)
        hits = []
        for docnum, score in ranked:
            stored = snap.stored(docnum)
            snippet = make_snippet(stored.get("excerpt"), stored.get("summary") or "",
                                   singles, prefixes, phrases)
            hits.append(Hit(stored.get("id", ""), float(score),
                            stored.get("title") or "", snippet))
        facets = engine.facet_counts(snap, final, FACET_FIELDS)
        suggestion = None
        if not words_only:
            suggestion = self._suggest(snap, text, parsed, len(final))
        return SearchResults(hits, len(final), facets, suggestion, notice,
                             parsed.expanded)

    def _suggest(self, snap: Snapshot, text: str, parsed: q.Parsed, total: int) -> str | None:
        """'Did you mean': replace unknown/rare free words by close index words."""
        changed = False
        out = text
        for surface in dict.fromkeys(parsed.free_words):
            word = analysis.fold(surface)
            stem = analysis.stem(word)
            if not stem or stem.isdigit() or len(word) < 4:
                continue
            df = snap.doc_frequency("content", stem)
            if df and (total or df >= 3):
                continue
            best = self._closest(snap, stem, df)
            if best is None:
                continue
            replacement = self._surface_for(snap, best) or best
            if replacement.lower() != word:
                out = re.sub(r"(?<![^\W_])" + re.escape(surface) + r"(?![^\W_])",
                             replacement, out, count=1)
                changed = True
        return out if changed else None

    @staticmethod
    def _closest(snap: Snapshot, stem: str, own_df: int) -> str | None:
        maxdist = 1 if len(stem) <= 5 else 2
        best, best_key = None, None
        for seg, _off in snap.leaves:
            try:
                cands = list(seg.terms_within("content", stem, maxdist, prefix=1))
            except Exception:
                continue
            for cand in cands:
                if cand == stem:
                    continue
                df = snap.doc_frequency("content", cand)
                if df <= max(own_df, 0) * 3 or df < 2:
                    continue
                key = (df, -abs(len(cand) - len(stem)))
                if best_key is None or key > best_key:
                    best, best_key = cand, key
        return best

    @staticmethod
    def _surface_for(snap: Snapshot, stem: str) -> str | None:
        """A real word form of a stem, read from one document containing it."""
        ids = snap.postings("content", stem)[0][:3]
        for d in ids:
            if d in snap.deleted:
                continue
            stored = snap.stored(d)
            for text in (stored.get("title") or "", stored.get("summary") or "",
                         stored_excerpt(stored.get("excerpt"))):
                counts: dict[str, int] = {}
                for w in analysis.words(text):
                    if analysis.stem(w) == stem:
                        counts[w] = counts.get(w, 0) + 1
                if counts:
                    return max(counts.items(), key=lambda kv: (kv[1], -len(kv[0])))[0]
        return None

    def more_like_this(self, resource_id: str, limit: int = 10) -> SearchResults:
        """Resources sharing the most distinctive words of this one."""
        with self._lock:
            try:
                snap = self._snapshot()
            except Exception:
                return SearchResults([], 0, {}, None, None, [])
            docs = [d for d in snap.reader.postings("id", resource_id).all_ids()] \
                if snap.doc_frequency("id", resource_id) else []
            docs = [d for d in docs if d not in snap.deleted]
            if not docs:
                return SearchResults([], 0, {}, None, None, [])
            me = docs[-1]
            stored = snap.stored(me)
            text = " ".join([stored.get("title") or "", stored.get("summary") or "",
                             stored_excerpt(stored.get("excerpt"))[:8000]])
            tf: dict[str, int] = {}
            for t in analysis.terms(text):
                tf[t] = tf.get(t, 0) + 1
            n = max(snap.doc_count_all, 1)
            weighted = []
            for t, f in tf.items():
                df = snap.doc_frequency("content", t)
                if df < 2:
                    continue
                weighted.append((f * math.log(n / df), t))
            weighted.sort(reverse=True)
            tree = q.Or([q.Term(t, t, free=False) for _w, t in weighted[:15]])
            if not tree.children:
                return SearchResults([], 0, {}, None, None, [])
            ev = engine.Evaluator(snap)
            final = ev.match(tree) - snap.deleted - {me}
            ranked = engine.top(ev.scores(tree, final), final, limit)
            stems = [c.stem for c in tree.children]
            hits = []
            for docnum, score in ranked:
                st = snap.stored(docnum)
                hits.append(Hit(st.get("id", ""), float(score), st.get("title") or "",
                                make_snippet(stored_excerpt(st.get("excerpt")),
                                             st.get("summary") or "", stems, [])))
            return SearchResults(hits, len(final), {}, None, None, [])

    # ------------------------------------------------------------ writing

    def rebuild(self, docs: Iterable[dict], total: int | None = None,
                progress: Callable[[int, int], None] | None = None,
                cancel: Callable[[], bool] | None = None,
                procs: int | None = None) -> bool:
        """Build a fresh index from ``docs`` and swap it in; False if cancelled."""
        self.index_dir.mkdir(parents=True, exist_ok=True)
        name = f"g-{int(time.time() * 1000):x}-{uuid.uuid4().hex[:8]}"
        folder = self.index_dir / name
        try:
            build_index(folder, docs, total, progress, cancel, procs)
        except BuildCancelled:
            return False
        (folder / META).write_text(json.dumps({"schema_version": SCHEMA_VERSION}), "utf-8")
        with self._write_lock, self._lock:
            tmp = self.index_dir / f"{CURRENT}.{uuid.uuid4().hex[:8]}.tmp"
            tmp.write_text(name, "utf-8")
            os.replace(tmp, self.index_dir / CURRENT)
            self._close_reader()
            self._cleanup(keep=name)
        return True

    def _cleanup(self, keep: str) -> None:
        """Delete other generations and stray temp files (best effort)."""
        for child in self.index_dir.iterdir():
            if child.name in (keep, CURRENT):
                continue
            if child.name.startswith("g-") or child.name.endswith(".tmp"):
                if child.is_dir():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    try:
                        child.unlink()
                    except OSError:
                        pass

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
                small = [s for s in segments if s.doc_count_all() < SMALL_SEGMENT]
                if len(small) <= IDLE_MERGE_SEGMENTS:
                    return False
                chosen = _merge_choice(segments, max(max_seconds, 0.0) / MERGE_SECONDS_PER_DOC)
                if not chosen:
                    return False
                try:
                    writer = FastSegmentWriter(ix, timeout=0.0)
                except LockError:
                    return False
                try:
                    writer.commit(mergetype=_merger(chosen))
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


def _live(docs: set[int], snap: Snapshot) -> set[int]:
    """Matches without deleted documents (no copy when there are none)."""
    return docs - snap.deleted if snap.deleted else docs


def _relax(tree):
    """All-words query that found nothing -> any-word version (None if n/a)."""
    if not isinstance(tree, q.And):
        return None
    free = [c for c in tree.children if isinstance(c, (q.Term, q.Phrase, q.Prefix, q.Or))]
    rest = [c for c in tree.children if c not in free]
    if len(free) < 2:
        return None
    return q.And([q.Or(free), *rest]) if rest else q.Or(free)


