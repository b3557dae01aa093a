#!/usr/bin/env python3
"""Kill a bulk import at random, many times, and prove nothing acknowledged was lost.

    python benchmarks/crash_test.py [--runs 50] [--seed 7] [--json]

Each run starts a real Curator process that adds resources in batches through
``Library.add_many`` (as an import does) and prints each batch's ids once its
transaction has committed; the process is killed with SIGKILL after a random delay.
After every run: ``PRAGMA integrity_check`` must say ok and every acknowledged resource
must be present; after the last, the search index must agree with the database.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WRITER = r"""
import sys
from curator.library import Library
lib = Library.open(sys.argv[1])
lib.act_as("Crash Test")
print("ready", flush=True)                      # opened: the writes start now
start = int(sys.argv[2])
n = start
while True:
    batch = [{"url": f"https://example.org/crash/{n + i}", "title": f"Crash resource {n + i}",
              "themes": ["DA"], "tags": ["crash"], "text": "safeguarding practice " * 150}
             for i in range(20)]
    result = lib.add_many(batch, batch=10)
    print(" ".join(result.added), flush=True)   # acknowledged: committed
    n += 20
"""


def crash_test(folder: Path, runs: int, seed: int = 7, max_delay: float = 1.5) -> dict:
    sys.path.insert(0, str(ROOT))
    from curator.library import Library

    with Library.open(folder) as lib:
        lib.act_as("Crash Test")
    rng = random.Random(seed)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    acknowledged: list[str] = []
    losses = 0
    integrity_failures = 0
    runs_with_commits = 0  # runs whose writer had committed at least one batch
    stored_before = 0
    for run in range(runs):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(folder),
                                 str(run * 1_000_000)], stdout=subprocess.PIPE, text=True,
                                env=env)
        # Time the kill from when the writer is ready, not from its start: starting
        # Python and Curator takes longer on a busy machine, and a kill during start-up
        # tests nothing.
        first = proc.stdout.readline().strip()
        if first != "ready":
            proc.kill()
            proc.communicate()
            raise RuntimeError(f"the writer did not start (run {run}): {first!r}")
        time.sleep(0.05 + rng.random() * max_delay)
        proc.send_signal(signal.SIGKILL)
        out = proc.communicate()[0]
        for line in out.splitlines():
            acknowledged.extend(line.split())
        conn = sqlite3.connect(folder / "resources.db")
        try:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                integrity_failures += 1
            stored = {r[0] for r in conn.execute("SELECT id FROM resources")}
        finally:
            conn.close()
        losses += sum(1 for a in acknowledged if a not in stored)
        if len(stored) > stored_before:
            runs_with_commits += 1
        stored_before = len(stored)
    with Library.open(folder, check="full") as lib:
        lib.act_as("Crash Test")
        lib.process_index_queue()
        in_db = lib.store.query_one("SELECT count(*) FROM resources")[0]
        in_index = lib.search("tag:crash", limit=1).total
    return {"runs": runs, "acknowledged": len(set(acknowledged)), "stored": in_db,
            "runs_with_commits": runs_with_commits,
            "losses": losses, "integrity_failures": integrity_failures,
            "index_matches_database": in_index == in_db, "indexed": in_index}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        figures = crash_test(Path(tmp) / "lib", args.runs, args.seed)
    print(json.dumps(figures) if args.json else
          "\n".join(f"{k:24s} {v}" for k, v in figures.items()))
    # A run that committed nothing tested nothing: most runs must have been killed
    # between commits for the figures to mean anything.
    return 0 if figures["losses"] == 0 and not figures["integrity_failures"] and \
        figures["index_matches_database"] and \
        figures["runs_with_commits"] >= args.runs // 2 else 1


if __name__ == "__main__":
    raise SystemExit(main())
