"""Building a whole index from scratch, in parallel, into a fresh folder.

Why not whoosh.multiproc.MpWriter: it funnels every posting of every worker
through the same slow per-posting pool, has no progress or cancel hooks, and
keeps one segment per worker however large it grows (memory). Here each worker
process analyses batches of documents and writes complete Whoosh segments of
a bounded size with the fast codec; the parent only reads documents, hands out
batches, reports progress, checks for cancel, and finally writes the table of
contents naming all the segments. Nothing is visible to readers until then,
and the caller swaps the finished folder in.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import shutil
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import TOC, clean_files

from curator.search.codec import FastSegmentWriter
from curator.search.schema import build_schema, to_whoosh_doc
from curator.search.storage import Storage as FileStorage

INDEX_NAME = "MAIN"
BATCH_DOCS = 100          # documents per hand-out to a worker
SEGMENT_DOCS = 2_500      # a worker closes a segment at this size (bounds memory)
SERIAL_BELOW = 300        # small builds are not worth starting processes for


class BuildCancelled(Exception):
    pass


class BuildFailed(Exception):
    pass


def new_writer(ix) -> FastSegmentWriter:
    """An unlocked segment writer using the fast codec (caller owns locking)."""
    return FastSegmentWriter(ix, _lk=False)


def _finish_segment(writer: FastSegmentWriter):
    segment = writer._finalize_segment()
    return segment


def _worker(folder: str, jobs, results) -> None:
    """Worker process: add batches to a segment, close it every SEGMENT_DOCS."""
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
            if count >= SEGMENT_DOCS:
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
            progress(done, total or done)
    if count:
        segments.append(_finish_segment(writer))
    else:
        writer._close_segment()
    return segments


def _parallel_build(folder, docs, total, progress, cancel, procs) -> list:
    ctx = mp.get_context()
    jobs = ctx.Queue(maxsize=procs * 3)
    results = ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(folder, jobs, results), daemon=True)
               for _ in range(procs)]
    for w in workers:
        w.start()
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
                        raise BuildFailed("an indexing worker stopped unexpectedly") from None
                else:
                    return
            if kind == "progress":
                done += payload
                if progress:
                    progress(done, max(total or 0, done))
            elif kind == "segment":
                segments.append(payload)
            elif kind == "done":
                finished += 1
            else:
                raise BuildFailed(payload)
            if block:
                return

    try:
        batch: list[dict] = []
        for doc in docs:
            if cancel and cancel():
                raise BuildCancelled
            batch.append(doc)
            if len(batch) >= BATCH_DOCS:
                while True:
                    try:
                        jobs.put(batch, timeout=0.2)
                        break
                    except queue.Full:
                        drain(block=False)
                        if cancel and cancel():
                            raise BuildCancelled from None
                batch = []
                drain(block=False)
        if batch:
            jobs.put(batch)
        for _ in workers:
            jobs.put(None)
        while finished < procs:
            if cancel and cancel():
                raise BuildCancelled
            drain(block=True)
        for w in workers:
            w.join(timeout=10)
        return segments
    finally:
        for w in workers:
            if w.is_alive():
                w.terminate()
                w.join(timeout=5)
        jobs.close()
        results.close()


def build_index(folder: Path, docs: Iterable[dict], total: int | None = None,
                progress: Callable[[int, int], None] | None = None,
                cancel: Callable[[], bool] | None = None,
                procs: int | None = None) -> None:
    """Create a complete index in ``folder`` (which must not exist yet).

    Raises BuildCancelled if ``cancel()`` turns true; the folder is then
    removed. ``procs`` defaults to the number of CPUs (capped at 4).
    """
    folder.mkdir(parents=True)
    try:
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
            progress(n, max(total or 0, n))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
