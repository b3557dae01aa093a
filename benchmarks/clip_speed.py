#!/usr/bin/env python3
"""Clipping speed: a ~100 KB page from a local server, end to end into the library.

    python benchmarks/clip_speed.py [--runs 40] [--size-kb 100] [--json]

Each run clips a new address (so nothing is a duplicate) through ``Library.clip``: fetch,
extract, save in one transaction and update the search index. Floor (issue 2): median
under 150 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

WORDS = ("child family practitioner safeguarding risk assessment neglect domestic abuse "
         "support plan school health visitor referral threshold evidence research outcome "
         "parent carer court review meeting strategy protection exploitation online harm "
         "early help multi-agency partnership learning supervision reflective voice").split()


def make_page(size_kb: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    paras = []
    total = 0
    while total < size_kb * 1024 * 0.93:
        sentence_count = rng.randint(3, 7)
        para = " ".join(
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize() + "."
            for _ in range(sentence_count))
        paras.append(f"<p>{para}</p>")
        total += len(para)
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(40))
    html = f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<title>Working with families where neglect is a concern - Example Partnership</title>
<meta name="description" content="Practice guidance on recognising and responding to neglect.">
<meta property="og:site_name" content="Example Partnership">
<meta property="article:published_time" content="2025-02-03">
<meta name="author" content="Jordan Reeve">
</head><body><header><nav><ul>{nav}</ul></nav></header>
<main><article><h1>Working with families where neglect is a concern</h1>
{''.join(paras)}</article></main><footer>Contact us. Cookies. Accessibility.</footer>
</body></html>"""
    return html.encode("utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--size-kb", type=int, default=100)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from _serve import serve

    from curator.library import Library

    body = make_page(args.size_kb)
    server, base = serve(body)
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        lib = Library.open(Path(tmp) / "lib")
        lib.act_as("Benchmark")
        lib.clip(f"{base}/warm-up", themes_=["NEG"])  # first use builds the empty index
        for i in range(args.runs):
            start = time.perf_counter()
            result = lib.clip(f"{base}/guidance/{i}", themes_=["NEG"], note="Benchmark")
            times.append((time.perf_counter() - start) * 1000)
            assert result.fetched and not result.duplicate
        pending = lib.indexer.pending()
        lib.close()
    server.shutdown()
    times.sort()
    out = {
        "page_bytes": len(body), "runs": args.runs,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "max_ms": round(times[-1], 1), "index_queue_left": pending, "floor_median_ms": 150,
    }
    out["pass"] = out["median_ms"] < 150 and pending == 0
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k:18s} {v}")
    return 0 if out["pass"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
