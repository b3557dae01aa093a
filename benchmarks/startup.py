#!/usr/bin/env python3
"""From process start to a usable window with the table filled, on a library of N resources.

    python benchmarks/startup.py --resources 50000 [--runs 5] [--json]

The library is built once (through the Library, with short page texts) and cached under
bench-out/, and so are the compiled modules (as an installed copy has them). Each run
starts a fresh Python process offscreen; the time runs from just before the process is
started until the window reports its table filled; then it waits
for the background start-up work (counts, index check) to settle, and reports peak memory
over the whole run.

The floor is measured in the same run, run for run alternately: a bare PySide6 window
with a QTableView over N rows of a plain model (the least any Qt app showing this list
pays). Pass (exit 0) when Curator's median is within MAX_RATIO (2.5x) of the floor's
median and its peak memory within MAX_MB (200 MB). Five pairs by default, so that one
slow run on a busy machine moves neither median.
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

MAX_RATIO = 2.5
MAX_MB = 200

FLOOR = r"""
import resource, sys, time
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QTableView, QVBoxLayout, QWidget
n = int(sys.argv[1])
class Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else n
    def columnCount(self, parent=QModelIndex()):
        return 3
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return f"Resource {index.row()} column {index.column()}"
        return None
app = QApplication(sys.argv[:1])
window = QMainWindow()
box = QWidget()
layout = QVBoxLayout(box)
search = QLineEdit()
table = QTableView()
model = Model()
table.setModel(model)
layout.addWidget(search)
layout.addWidget(table)
window.setCentralWidget(box)
window.resize(1200, 800)
window.show()
def check():
    if model.rowCount() >= n:
        table.viewport().repaint()
        print("READY", flush=True)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"SETTLED 0.0 {rss:.1f}", flush=True)
        app.quit()
QTimer.singleShot(0, check)
app.exec()
"""

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


def timed(args: list[str], env: dict) -> tuple[float, float, float] | None:
    """(seconds to READY, seconds READY -> SETTLED, peak MB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", *args], stdout=subprocess.PIPE, text=True,
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
        return None
    return elapsed, float(line.split()[1]), float(line.split()[2])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--resources", type=int, default=50_000)
    ap.add_argument("--runs", type=int, default=5)  # a slow run on a busy machine moves no median
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    folder = build(ROOT / "bench-out" / f"startup-{args.resources}", args.resources, words=300)
    # Compiled modules are kept (in bench-out/, never beside the sources), as an installed
    # Curator has them: a shell that sets PYTHONDONTWRITEBYTECODE would otherwise make every
    # start compile each module from source, which no person's start pays. The first run
    # (not counted) writes them.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               PYTHONPYCACHEPREFIX=str(ROOT / "bench-out" / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    times, peaks, settled, floors = [], [], [], []
    for n in range(args.runs + 1):  # the first run warms the disk cache and is not counted
        settings = ROOT / "bench-out" / f"startup-settings-{n}.ini"
        settings.unlink(missing_ok=True)
        got = timed([CHILD, str(folder), str(settings), str(args.resources)], env)
        bare = timed([FLOOR, str(args.resources)], env)
        if got is None or bare is None:
            print("the app (or the bare window) did not report ready", file=sys.stderr)
            return 1
        if n:
            times.append(got[0])
            settled.append(got[1])
            peaks.append(got[2])
            floors.append(bare[0])
    median, floor = statistics.median(times), statistics.median(floors)
    out = {"resources": args.resources, "runs": args.runs,
           "startup_s_median": round(median, 3),
           "startup_s_max": round(max(times), 3),
           "floor_bare_qt_table_s_median": round(floor, 3),
           "ratio": round(median / floor, 2), "max_ratio": MAX_RATIO,
           "background_settled_after_s": round(max(settled), 3),
           "peak_rss_mb": round(max(peaks), 1), "max_mb": MAX_MB}
    out["pass"] = out["ratio"] <= MAX_RATIO and out["peak_rss_mb"] <= MAX_MB
    print(json.dumps(out) if args.json else "\n".join(f"{k:30s} {v}" for k, v in out.items()))
    return 0 if out["pass"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
