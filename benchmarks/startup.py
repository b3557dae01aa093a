#!/usr/bin/env python3
"""From process start to a usable window with the table filled, on a library of N resources.

    python benchmarks/startup.py --resources 50000 [--runs 3] [--json]

The library is built once (through the Library, with short page texts) and cached under
bench-out/. Each run starts a fresh Python process offscreen; the time runs from just
before the process is started until the window reports its table filled; then it waits
for the background start-up work (counts, index check) to settle, and reports peak memory
over the whole run. Floors (issue 4):
<= 1.5 s and peak memory <= 400 MB at 50,000.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from _library import ROOT, build

CHILD = r"""
import os, resource, sys, time
from PySide6.QtCore import QSettings, QTimer
from curator.ui.app import make_app, open_window
app = make_app()
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
window = open_window(sys.argv[1], expert="Benchmark", settings=settings)
window.show()
want = int(sys.argv[3])
t0 = time.perf_counter()
state = {}
def check():
    if "ready" not in state and window.model.rowCount() >= want:
        window.table.viewport().repaint()
        state["ready"] = time.perf_counter()
        print("READY", flush=True)
    if "ready" in state and window.ops.pending() == 0:
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"SETTLED {time.perf_counter() - state['ready']:.3f} {rss:.1f}", flush=True)
        app.quit()
    else:
        QTimer.singleShot(5, check)
QTimer.singleShot(0, check)
app.exec()
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--resources", type=int, default=50_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    folder = build(ROOT / "bench-out" / f"startup-{args.resources}", args.resources, words=300)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    times, peaks, settled = [], [], []
    for n in range(args.runs + 1):  # the first run warms the disk cache and is not counted
        settings = ROOT / "bench-out" / f"startup-settings-{n}.ini"
        settings.unlink(missing_ok=True)
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(folder), str(settings),
                                 str(args.resources)], stdout=subprocess.PIPE, text=True,
                                env=env)
        elapsed = None
        line = ""
        for line in proc.stdout:
            if line.startswith("READY"):
                elapsed = time.perf_counter() - start
            if line.startswith("SETTLED"):
                break
        proc.wait(120)
        if elapsed is None or not line.startswith("SETTLED"):
            print("the app did not report ready", file=sys.stderr)
            return 1
        if n:
            times.append(elapsed)
            settled.append(float(line.split()[1]))
            peaks.append(float(line.split()[2]))
    out = {"resources": args.resources, "runs": args.runs,
           "startup_s_median": round(statistics.median(times), 3),
           "startup_s_max": round(max(times), 3),
           "background_settled_after_s": round(max(settled), 3),
           "peak_rss_mb": round(max(peaks), 1),
           "floor_s": 1.5, "floor_mb": 400}
    out["pass"] = out["startup_s_max"] <= 1.5 and out["peak_rss_mb"] <= 400
    print(json.dumps(out) if args.json else "\n".join(f"{k:18s} {v}" for k, v in out.items()))
    return 0 if out["pass"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
