#!/usr/bin/env python3
"""Where does a background job hold the interpreter lock long enough to freeze the GUI?

    python benchmarks/stall_probe.py [--resources 10000]

Runs a bulk add of 1,000 resources on a worker thread (as the app does) while the main
thread wakes every 2 ms; whenever it was kept waiting over 50 ms it prints the gap and
the worker's stack at that moment. Uses the cached library of app_responsiveness.py.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
import traceback

from _library import ROOT, build, records


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--resources", type=int, default=10_000)
    args = ap.parse_args()
    sys.setswitchinterval(0.002)  # as the app sets it
    from curator.library import Library

    source = build(ROOT / "bench-out" / f"app-{args.resources}", args.resources)
    work = tempfile.mkdtemp(prefix="curator-probe-")
    shutil.copytree(source, f"{work}/lib")
    lib = Library.open(f"{work}/lib", check="none")
    lib.act_as("Benchmark")
    lib.indexer.drain()
    extra = [dict(r, url=r["url"].replace("/resource/", "/probe/"))
             for r in records(1000, words=300)]
    worker = threading.Thread(target=lambda: lib.add_many(extra))
    worker.start()
    last, hits = time.perf_counter(), []
    while worker.is_alive():
        time.sleep(0.002)
        now = time.perf_counter()
        if now - last > 0.05:
            frame = sys._current_frames().get(worker.ident)
            stack = traceback.extract_stack(frame)[-4:] if frame else []
            hits.append((round((now - last) * 1000),
                         [f"{s.filename.rsplit('/', 1)[-1]}:{s.lineno} {s.name}" for s in stack]))
        last = now
    lib.close()
    shutil.rmtree(work, ignore_errors=True)
    if not hits:
        print("no gap over 50 ms")
    for gap, stack in sorted(hits, reverse=True)[:10]:
        print(f"{gap} ms", " <- ".join(reversed(stack)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
