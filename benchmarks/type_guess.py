#!/usr/bin/env python3
"""How often Curator guesses a clipped page's type right, on a labelled set of pages.

Usage:
    python benchmarks/type_guess.py [--set DIR] [--json] [--misses]

DIR (default ``tests/fixtures/types``) holds ``labels.jsonl`` (``file``, ``url``, ``type``
and optionally ``content_type``) beside the pages.  Each page goes through
``curator.clipping.extract.extract`` as a clip would; a page left without a guess
("not sure") counts as wrong.  Exits 1 when accuracy is under the floor (0.85).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

FLOOR = 0.85


def run(folder: Path) -> dict:
    from curator.clipping.extract import extract

    rows = [json.loads(x) for x in (folder / "labels.jsonl").read_text().splitlines() if x]
    results = []
    for row in rows:
        body = (folder / row["file"]).read_bytes()
        ex = extract(body, row["url"], row.get("content_type") or "text/html; charset=utf-8")
        results.append({"file": row["file"], "truth": row["type"], "guess": ex.type_guess,
                        "sureness": ex.type_sureness, "why": ex.type_evidence})
    right = sum(1 for r in results if r["guess"] == r["truth"])
    unsure = sum(1 for r in results if r["guess"] is None)
    per_type: dict[str, list[int]] = {}
    for r in results:
        per_type.setdefault(r["truth"], [0, 0])
        per_type[r["truth"]][1] += 1
        per_type[r["truth"]][0] += r["guess"] == r["truth"]
    sure_right = [r["sureness"] for r in results if r["guess"] == r["truth"]]
    sure_wrong = [r["sureness"] for r in results if r["guess"] not in (None, r["truth"])]
    return {
        "pages": len(results), "accuracy": right / (len(results) or 1),
        "not_sure": unsure, "wrong": len(results) - right - unsure,
        "per_type": {k: f"{a}/{n}" for k, (a, n) in sorted(per_type.items())},
        "mean_sureness_right": sum(sure_right) / (len(sure_right) or 1),
        "mean_sureness_wrong": sum(sure_wrong) / (len(sure_wrong) or 1) if sure_wrong else None,
        "confusions": Counter(f"{r['truth']} -> {r['guess']}" for r in results
                              if r["guess"] != r["truth"]).most_common(),
        "results": results,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", type=Path, default=REPO / "tests" / "fixtures" / "types")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--misses", action="store_true", help="list every page guessed wrong")
    args = ap.parse_args(argv)
    report = run(args.set)
    ok = report["accuracy"] >= FLOOR
    if args.json:
        print(json.dumps({k: v for k, v in report.items() if k != "results"}, indent=2))
    else:
        print(f"type guessing: {report['pages']} labelled pages from {args.set}")
        print(f"accuracy {report['accuracy']:.3f} (floor {FLOOR}; not sure counts as wrong): "
              f"{report['wrong']} wrong, {report['not_sure']} not sure")
        print("per type: " + ", ".join(f"{k} {v}" for k, v in report["per_type"].items()))
        wrong = report["mean_sureness_wrong"]
        print(f"mean sureness when right {report['mean_sureness_right']:.2f}, when wrong "
              + (f"{wrong:.2f}" if wrong is not None else "-"))
        if args.misses:
            for r in report["results"]:
                if r["guess"] != r["truth"]:
                    print(f"  {r['file']}: {r['truth']} -> {r['guess']} {r['sureness']} {r['why']}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
