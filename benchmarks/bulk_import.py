#!/usr/bin/env python3
"""Bulk import: a browser bookmark export of N links that a local server answers.

    python benchmarks/bulk_import.py [--bookmarks 1000] [--size-kb 30] [--per-host 4]
                                     [--workers 8] [--json]

Writes a Netscape bookmark file of N links (in folders, some named after themes, with
tags and descriptions, plus a few ``javascript:`` and ``place:`` entries and repeats)
pointing at one local server (so the per-host limit is what bounds concurrency), then
times, through the Library's import (``import_preview``, ``import_run``):

* parse + preview (read the file, check every address, judge duplicates): floor <= 2 s;
* import + fetch (add the new rows, then fetch and read every page concurrently):
  floor <= 60 s on a 2-core machine;
* re-import of the same file: must add nothing.

GUI-thread claim, reported apart: the import runs on a worker thread (as in the app)
while the main thread ticks a 5 ms heartbeat; the longest gap between ticks is what
the import's work (through the GIL) costs a GUI thread. ``calls_on_main_thread`` counts,
with a profiler hook on the main thread, every call into Curator's code made there while
the import runs: it must be 0. The app's real GUI stalls are app_responsiveness.py's.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from clip_speed import make_page  # noqa: E402

FOLDERS = ["Neglect", "Domestic abuse", "Exploitation", "Research to read", "Training"]


def serve_pages(template: bytes):
    """Each address gets the template page with its own title, so no two are the same."""
    from _serve import serve
    return serve(lambda path: template.replace(
        b"Working with families where neglect is a concern",
        f"Guidance page {path}".encode(), 2))


def write_bookmarks(path: Path, base: str, n: int) -> int:
    """A Chrome-style export of *n* links; returns how many distinct pages it holds."""
    lines = ["<!DOCTYPE NETSCAPE-Bookmark-file-1>",
             '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">',
             "<TITLE>Bookmarks</TITLE>", "<H1>Bookmarks</H1>", "<DL><p>",
             '    <DT><H3 ADD_DATE="1700000000" PERSONAL_TOOLBAR_FOLDER="true">Bookmarks bar'
             "</H3>", "    <DL><p>",
             '        <DT><A HREF="javascript:void(0)">A bookmarklet</A>',
             '        <DT><A HREF="place:sort=8&maxResults=10">Most visited</A>']
    per_folder = -(-n // len(FOLDERS))
    i = 0
    for folder in FOLDERS:
        lines += [f'        <DT><H3 ADD_DATE="1700000000">{folder}</H3>', "        <DL><p>"]
        for _ in range(per_folder):
            if i >= n:
                break
            lines.append(f'            <DT><A HREF="{base}/guidance/{i}" ADD_DATE="17000{i:05d}"'
                         f' TAGS="bulk,set{i % 7}">Guidance page {i} &amp; notes</A>')
            if i % 5 == 0:
                lines.append(f"            <DD>Why this matters: item {i} for practice.")
            i += 1
        lines.append("        </DL><p>")
    # a few repeats of earlier links, written differently (tracking parameter, slash)
    for j in range(0, min(n, 10)):
        lines.append(f'        <DT><A HREF="{base}/guidance/{j}/?utm_source=mail">Again</A>')
    lines += ["    </DL><p>", "</DL><p>"]
    path.write_text("\n".join(lines), encoding="utf-8")
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bookmarks", type=int, default=1000)
    ap.add_argument("--size-kb", type=int, default=30, help="size of each served page")
    ap.add_argument("--per-host", type=int, default=4)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    import curator
    from curator.library import Library

    server, base = serve_pages(make_page(args.size_kb))
    out: dict = {"bookmarks": args.bookmarks, "page_kb": args.size_kb,
                 "per_host": args.per_host, "workers": args.workers}
    with tempfile.TemporaryDirectory() as tmp:
        bookmarks = Path(tmp) / "bookmarks.html"
        write_bookmarks(bookmarks, base, args.bookmarks)
        out["file_bytes"] = bookmarks.stat().st_size
        lib = Library.open(Path(tmp) / "lib")
        lib.act_as("Benchmark")
        lib.search("warm")  # the first use builds the empty index

        t0 = time.perf_counter()
        p = lib.import_preview(bookmarks)
        out["preview_s"] = round(time.perf_counter() - t0, 3)
        out["preview_counts"] = p.counts

        # The import on a worker thread, the main thread ticking like a GUI timer.
        holder: dict = {}

        def work():
            start = time.perf_counter()
            holder["report"] = lib.import_run(p, per_host=args.per_host,
                                             workers=args.workers)
            holder["seconds"] = time.perf_counter() - start

        # Count every call into Curator's code made on this (main) thread meanwhile:
        # a profiler hook sees each Python function call here, and only here.
        main_calls: Counter[str] = Counter()
        package = str(Path(curator.__file__).resolve().parent)

        def on_main_thread(frame, event, _arg):
            if event == "call" and frame.f_code.co_filename.startswith(package):
                main_calls[frame.f_code.co_qualname] += 1

        gaps: list[float] = []
        worker = threading.Thread(target=work)
        sys.setprofile(on_main_thread)
        try:
            worker.start()
            last = time.perf_counter()
            while worker.is_alive():
                time.sleep(0.005)
                now = time.perf_counter()
                gaps.append((now - last) * 1000)
                last = now
        finally:
            sys.setprofile(None)
        worker.join()
        report = holder["report"]
        counts = report.counts
        out["import_fetch_s"] = round(holder["seconds"], 2)
        out["report_counts"] = counts
        out["gui_thread"] = {
            "calls_on_main_thread": sum(main_calls.values()),
            "main_thread_callers": dict(main_calls.most_common(5)),
            "heartbeat_max_gap_ms": round(max(gaps), 1) if gaps else 0.0,
            "heartbeat_p99_gap_ms": round(sorted(gaps)[int(0.99 * (len(gaps) - 1))], 1)
            if gaps else 0.0,
            "heartbeat_median_gap_ms": round(statistics.median(gaps), 1) if gaps else 0.0,
        }
        t0 = time.perf_counter()
        again = lib.import_preview(bookmarks)
        rerun = lib.import_run(again)
        out["reimport_s"] = round(time.perf_counter() - t0, 2)
        out["reimport_added"] = rerun.counts["added"]
        out["index_queue_left"] = lib.indexer.pending()
        out["search_total"] = lib.search("guidance").total  # the imported pages are found
        lib.close()
    server.shutdown()
    out["floors"] = {"preview_s": 2.0, "import_fetch_s": 60.0}
    out["pass"] = (out["preview_s"] <= 2.0 and out["import_fetch_s"] <= 60.0
                   and counts["added"] == args.bookmarks
                   and counts["fetch_fetched"] == args.bookmarks
                   and out["reimport_added"] == 0 and out["search_total"] >= args.bookmarks
                   and out["gui_thread"]["calls_on_main_thread"] == 0)
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k:18s} {v}")
    return 0 if out["pass"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
