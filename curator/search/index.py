"""SearchIndex: the one object the library talks to.

On disk, ``index_dir`` holds generation folders and a ``CURRENT`` file naming
the live one. A rebuild writes a brand-new generation folder and then replaces
``CURRENT`` atomically (os.replace), so readers never see a half-built index,
a cancelled or crashed rebuild leaves the old index untouched, and nothing has
to be renamed while files may still be open (which Windows refuses). Old
generations are deleted when no longer needed (retried later if locked).

Writes (``apply``) go through Whoosh's own file lock. That lock is an OS lock
(fcntl/msvcrt) which the OS drops when a process dies, so a leftover lock
*file* from a killed process never blocks; a lock genuinely held by another
live writer is waited for, up to ``lock_timeout``.
"""

from __future__ import annotations

import gc
import json
import math
import os
import re
import shutil
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.searching import Searcher

from curator.search import analysis, engine
from curator.search import query as q
from curator.search.build import INDEX_NAME, BuildCancelled, build_index
from curator.search.codec import FastSegmentWriter
from curator.search.postings import Snapshot
from curator.search.results import Hit, SearchResults
from curator.search.schema import FACET_FIELDS, SCHEMA_VERSION, stored_excerpt, to_whoosh_doc
from curator.search.snippets import make_snippet
from curator.search.thesaurus import Thesaurus

CURRENT = "CURRENT"
META = "curator-search.json"
SMALL_SEGMENT = 1_000       # segments below this many docs get merged together
MAX_SMALL_SEGMENTS = 8      # ... once there are more than this many
ANY_WORDS_NOTICE = ("No resource matched all of your words, so Curator is showing "
                    "resources that match some of them.")


class IndexBusy(RuntimeError):
    """Another live process held the index write lock for too long.

    The caller (the indexer thread) should keep its queue rows and retry later.
    """


def _merge_small(writer, segments):
    """Merge policy for apply(): fold many tiny segments into one, never the
    big rebuild segments (merging those would make an 'add one document'
    commit take seconds)."""
    from whoosh.reading import SegmentReader
    small = [s for s in segments if s.doc_count_all() < SMALL_SEGMENT]
    if len(small) <= MAX_SMALL_SEGMENTS:
        return segments
    keep = [s for s in segments if s.doc_count_all() >= SMALL_SEGMENT]
    for seg in small:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return keep


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
        return name, FileStorage(str(folder)).open_index(INDEX_NAME)

    # ------------------------------------------------------------ health

    def is_usable(self) -> bool:
        """True if the index exists, opens, is of this schema and reads back."""
        # A damaged index can make Whoosh fail half-way through opening files
        # it then never closes; collect those here, quietly, not at random
        # later moments as ResourceWarnings.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            ok = self._check_usable()
            gc.collect()
        return ok

    def _check_usable(self) -> bool:
        try:
            _name, ix = self._open_ix()
            try:
                with ix.searcher() as s:
                    reader = s.reader()
                    n = reader.doc_count_all()
                    for seg, _off in s.reader().leaf_readers():
                        count = seg.doc_count_all()
                        if count:
                            seg.stored_fields(count - 1)
                            seg.stored_fields(0)
                    snap = Snapshot(s)
                    for term in reader.lexicon("content"):
                        snap.postings("content", term.decode("utf-8"), True)
                        break
                    snap.lengths()
                    return n >= 0
            finally:
                ix.close()
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
            ev = engine.Evaluator(snap)
            tree = parsed.tree
            notice = parsed.notice
            if words_only and isinstance(tree, q.And):
                tree = q.Or(tree.children)      # best-match ranking for plain words
            final = ev.match(tree) - snap.deleted
            if not final and not words_only:
                relaxed = _relax(tree)
                if relaxed is not None:
                    final = ev.match(relaxed) - snap.deleted
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
                snippet = make_snippet(stored_excerpt(stored.get("excerpt")),
                                       stored.get("summary") or "", singles, prefixes,
                                       phrases)
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
        """Add/replace and delete resources in one commit."""
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
                writer.commit(mergetype=_merge_small)
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


def _relax(tree):
    """All-words query that found nothing -> any-word version (None if n/a)."""
    if not isinstance(tree, q.And):
        return None
    free = [c for c in tree.children if isinstance(c, (q.Term, q.Phrase, q.Prefix, q.Or))]
    rest = [c for c in tree.children if c not in free]
    if len(free) < 2:
        return None
    return q.And([q.Or(free), *rest]) if rest else q.Or(free)


