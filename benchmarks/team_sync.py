#!/usr/bin/env python3
"""Team folder speed: a lead takes in N submissions, then the periodic sync of a busy
folder (the app does one every five minutes) finds nothing new.

    python benchmarks/team_sync.py [--submissions 200] [--others 2000] [--json]

Two people, two libraries, one team folder, through the Library. The expert submits N
resources (each with a few KB of page text); the lead's first sync takes them all in
(signature, schema and rules checked for each). Then the folder gets *others* files
addressed to other people, and the lead syncs again: the idle sync must stay cheap.
Floors: taking in <= 0.25 s per submission, an idle sync <= 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FLOOR_TAKE_IN_S = 0.25
FLOOR_IDLE_S = 2.0
TEXT = ("Practitioners working with families where there is domestic abuse should plan for "
        "safety with the non-abusing parent and listen to the child. ") * 40


def _as(root: Path, who: str) -> None:
    os.environ["CURATOR_CONFIG_DIR"] = str(root / who / "config")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--submissions", type=int, default=200)
    ap.add_argument("--others", type=int, default=2000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from curator.library import Library

    root = Path(tempfile.mkdtemp(prefix="curator-team-bench-"))
    try:
        team = root / "team"
        team.mkdir()
        libs = {}
        for who, name in (("asha", "Asha Patel"), ("ben", "Ben Lead")):
            _as(root, who)
            lib = Library.open(root / who / "library")
            lib.act_as(name)
            lib.set_team_folder(team)
            lib.team_join()
            libs[who] = lib
        for request in sorted((team / "requests").iterdir()):
            libs["ben"].team_admit(request)
        libs["ben"].edit_theme("DA", four_eyes=True)
        libs["ben"].team_set_lead("DA", "Ben Lead")
        for who in ("asha", "ben"):
            _as(root, who)
            libs[who].team_adopt()

        _as(root, "asha")
        asha = libs["asha"]
        for n in range(args.submissions):
            r = asha.add_resource(f"https://example.org/practice/{n}", title=f"Practice {n}",
                                  themes_=["DA"], notes="Why it matters", text=TEXT,
                                  index=False)
            asha.submit(r.id)
        _as(root, "ben")
        ben = libs["ben"]
        start = time.perf_counter()
        report = ben.team_sync()
        take_in = time.perf_counter() - start
        assert len(report.received) == args.submissions, report.lines()[:3]

        sample = next((team / "submissions").iterdir()).read_bytes()
        for n in range(args.others):
            (team / "submissions" / f"20260101T000000Z-submission-{n:08x}-to-ffffffff.json"
             ).write_bytes(sample)
        start = time.perf_counter()
        ben.team_sync()
        idle = time.perf_counter() - start
        for lib in libs.values():
            lib.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)

    per = take_in / max(1, args.submissions)
    result = {"submissions": args.submissions, "take_in_s": round(take_in, 3),
              "take_in_per_submission_s": round(per, 4), "others": args.others,
              "idle_sync_s": round(idle, 3), "floor_take_in_per_submission_s": FLOOR_TAKE_IN_S,
              "floor_idle_s": FLOOR_IDLE_S}
    ok = per <= FLOOR_TAKE_IN_S and idle <= FLOOR_IDLE_S
    if args.json:
        print(json.dumps({**result, "ok": ok}))
    else:
        print(f"Took in {args.submissions} submissions in {take_in:.2f} s ({per * 1000:.0f} ms "
              f"each; floor {FLOOR_TAKE_IN_S * 1000:.0f} ms)")
        print(f"Idle sync over {args.others} files for others: {idle:.2f} s "
              f"(floor {FLOOR_IDLE_S:.0f} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
