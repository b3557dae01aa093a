"""Building a whole index from scratch, in parallel, into a fresh folder.

Why not whoosh.multiproc.MpWriter: it funnels every posting of every worker
through the same slow per-posting pool, has no progress or cancel hooks, and
keeps one segment per worker however large it grows (memory). Here each worker
process analyses batches of documents and writes complete Whoosh segments of
a bounded size with the fast codec; the parent only reads documents, hands out
batches, reports progress, checks for cancel, and finally writes the table of
contents naming all the segments. Nothing is visible to readers until then,
and the caller swaps the finished folder in.

The workers are spawned through :mod:`curator.base.processes`, so they end by
themselves if the process building the index dies. While a generation folder
``g-…`` is being built, a lock file ``g-….building`` beside it is held; a folder
whose lock file is no longer held was left by a build that was killed, and
:func:`remove_abandoned` (called before every build and when the index is first
opened) deletes it.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import traceback
from collections.abc import Iterable
from pathlib import Path

from filelock import FileLock, Timeout
from whoosh import index as whoosh_index
from whoosh.index import TOC, clean_files

from curator.base import processes
from curator.base.background import CancelFn, ProgressFn
from curator.base.errors import CuratorError
from curator.search.codec import FastSegmentWriter
from curator.search.schema import build_schema, to_whoosh_doc
from curator.search.storage import Storage as FileStorage

INDEX_NAME = "MAIN"
BATCH_DOCS = 100          # documents per hand-out to a worker
SEGMENT_DOCS = 2_500      # a worker closes a segment at this size (bounds memory)
SERIAL_BELOW = 300        # small builds are not worth starting processes for
BUILDING = ".building"    # suffix of the lock file held beside a generation being built


class BuildCancelled(Exception):
    pass


class BuildFailed(CuratorError):
    """A worker process failed or was stopped from outside (the old index is kept)."""

    def __init__(self, detail: str | None = None):
        super().__init__(WORKER_STOPPED, detail=detail)


WORKER_STOPPED = ("The search index could not be rebuilt: one of the helper processes "
                  "building it stopped unexpectedly. Searching goes on with the index as it "
                  "was; try again, and if it keeps happening, close other programs "
                  "(the computer may be short of memory) and restart Curator.")


def new_writer(ix) -> FastSegmentWriter:
    """An unlocked segment writer using the fast codec (caller owns locking)."""
    return FastSegmentWriter(ix, _lk=False)


def _finish_segment(writer: FastSegmentWriter):
    segment = writer._finalize_segment()
    return segment


def _worker(folder: str, jobs, results, segment_docs: int = SEGMENT_DOCS) -> None:
    """Worker process: add batches to a segment, close it every *segment_docs*."""
    try:
        ix = FileStorage(folder).open_index(INDEX_NAME)
        writer, count = None, 0
        while True:
            batch = jobs.get()
            if batch is None:
                break
            if writer is None:
                writer, count = new_writer(ix), 0
            for doc in batch:
                writer.add_document(**to_whoosh_doc(doc))
            count += len(batch)
            results.put(("progress", len(batch)))
            if count >= segment_docs:
                results.put(("segment", _finish_segment(writer)))
                writer = None
        if writer is not None and count:
            results.put(("segment", _finish_segment(writer)))
        results.put(("done", None))
    except BaseException:  # report, do not hang the parent
        results.put(("error", traceback.format_exc()))


def _serial_build(ix, docs, total, progress, cancel) -> list:
    segments = []
    writer, count, done = new_writer(ix), 0, 0
    for doc in docs:
        if cancel and cancel():
            raise BuildCancelled
        writer.add_document(**to_whoosh_doc(doc))
        count += 1
        done += 1
        if count >= SEGMENT_DOCS:
            segments.append(_finish_segment(writer))
            writer, count = new_writer(ix), 0
        if progress and done % 50 == 0:
            progress(done, total or done, "Indexing")
    if count:
        segments.append(_finish_segment(writer))
    else:
        writer._close_segment()
    return segments


def _parallel_build(folder, docs, total, progress, cancel, procs) -> list:
    ctx = processes.context()
    jobs = ctx.Queue(maxsize=procs * 3)
    results = ctx.Queue()
    group = processes.Workers()
    workers = [group.start(_worker, folder, jobs, results, SEGMENT_DOCS,
                           name="curator-index-build") for _ in range(procs)]
    segments: list = []
    finished = 0
    done = 0

    def drain(block: bool) -> None:
        nonlocal finished, done
        while True:
            try:
                kind, payload = results.get(timeout=0.2) if block else results.get_nowait()
            except queue.Empty:
                if block and sum(not w.is_alive() for w in workers) > finished:
                    # More workers have exited than said "done": one died without
                    # reporting (killed), unless its "done" is still in flight;
                    # give it a moment. (Comparing with the count matters: one
                    # worker finishing early while the other still writes its
                    # last segment for a few seconds is normal.)
                    try:
                        kind, payload = results.get(timeout=2)
                    except queue.Empty:
                        raise BuildFailed("a worker ended without reporting") from None
                else:
                    return
            if kind == "progress":
                done += payload
                if progress:
                    progress(done, max(total or 0, done), "Indexing")
            elif kind == "segment":
                segments.append(payload)
            elif kind == "done":
                finished += 1
            else:
                raise BuildFailed(payload)
            if block:
                return

    def feed(item) -> None:
        """Hand *item* to the workers, noticing a cancel or a worker that died meanwhile."""
        while True:
            try:
                jobs.put(item, timeout=0.2)
                return
            except queue.Full:
                drain(block=False)
                if cancel and cancel():
                    raise BuildCancelled from None
                if sum(not w.is_alive() for w in workers) > finished:
                    drain(block=True)  # its last words, or BuildFailed

    try:
        batch: list[dict] = []
        for doc in docs:
            if cancel and cancel():
                raise BuildCancelled
            batch.append(doc)
            if len(batch) >= BATCH_DOCS:
                feed(batch)
                batch = []
                drain(block=False)
        if batch:
            feed(batch)
        for _ in workers:
            feed(None)
        while finished < procs:
            if cancel and cancel():
                raise BuildCancelled
            drain(block=True)
        for w in workers:
            w.join(timeout=10)
        return segments
    finally:
        group.close()
        jobs.close()
        results.close()


def _marker(folder: Path) -> Path:
    return folder.with_name(folder.name + BUILDING)


def remove_abandoned(index_dir: Path) -> list[str]:
    """Delete the generation folders of builds that were killed; returns their names.

    A build under way holds its lock file, so only folders no live process is building
    are removed (by this process or any other sharing the library).
    """
    removed = []
    for marker in sorted(Path(index_dir).glob(f"g-*{BUILDING}")):
        probe = FileLock(str(marker), timeout=0)
        try:
            probe.acquire()
        except Timeout:
            continue  # still being built
        probe.release()
        folder = marker.with_name(marker.name[:-len(BUILDING)])
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            with contextlib.suppress(OSError):
                marker.unlink()
            removed.append(folder.name)
    return removed


def build_index(folder: Path, docs: Iterable[dict], total: int | None = None,
                progress: ProgressFn = None,
                cancel: CancelFn = None, procs: int | None = None) -> None:
    """Create a complete index in ``folder`` (which must not exist yet).

    Raises BuildCancelled if ``cancel()`` turns true; the folder is then
    removed. ``procs`` defaults to the number of CPUs (capped at 4).
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned(folder.parent)
    marker = FileLock(str(_marker(folder)), timeout=0)
    marker.acquire()
    try:
        folder.mkdir()
        _build(folder, docs, total, progress, cancel, procs)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        marker.release()
        with contextlib.suppress(OSError):
            _marker(folder).unlink()


def _build(folder: Path, docs: Iterable[dict], total: int | None, progress,
           cancel: CancelFn, procs: int | None) -> None:
    storage = FileStorage(str(folder))
    schema = build_schema()
    ix = whoosh_index.FileIndex.create(storage, schema, INDEX_NAME)
    if procs is None:
        procs = max(1, min(os.cpu_count() or 1, 4))
    if procs > 1 and (total is None or total >= SERIAL_BELOW):
        segments = _parallel_build(str(folder), docs, total, progress, cancel, procs)
    else:
        segments = _serial_build(ix, docs, total, progress, cancel)
    TOC(schema, segments, 1).write(storage, INDEX_NAME)
    clean_files(storage, INDEX_NAME, 1, segments)
    shutil.rmtree(folder / f"{INDEX_NAME}.tmp", ignore_errors=True)
    if progress:
        n = sum(s.doc_count_all() for s in segments)
        progress(n, max(total or 0, n), "Indexing")
