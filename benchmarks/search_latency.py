"""Search speed benchmark: build N realistic resources, time queries, compare FTS5.

    python benchmarks/search_latency.py --docs 10000 [--json] [--limit 50]

Reports p50/p95 per query kind (distinct queries of each kind, not the same one
repeated, so caches do not flatter), full rebuild time, add-one-document time
(apply of one upsert including commit), and the same queries on SQLite FTS5
over the same documents as a ratio (ours / FTS5; FTS5 does only matching,
ranking and a count, no facets or snippets).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _searchdocs import CORE, PHRASES, THEMES, Generator  # noqa: E402

from curator.search import SearchIndex  # noqa: E402

PER_KIND = 40


def make_queries(gen: Generator, rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    """(our query, equivalent FTS5 query) pairs per kind."""
    rare = [w for w in gen.tail[2000:6000]]
    two = [(a, b) for a in CORE for b in CORE if a != b]
    phrases = [p for p in PHRASES if " " in p and "-" not in p]
    prefixes = sorted({w[:5] for w in CORE if len(w) >= 6})
    kinds: dict[str, list[tuple[str, str]]] = {"rare word": [], "two words": [], "phrase": [],
                                               "filtered": [], "prefix": []}
    for _ in range(PER_KIND):
        w = rng.choice(rare)
        kinds["rare word"].append((w, w))
        a, b = rng.choice(two)
        kinds["two words"].append((f"{a} {b}", f"{a} {b}"))
        p = rng.choice(phrases)
        kinds["phrase"].append((f'"{p}"', f'"{p}"'))
        t, w2 = rng.choice(THEMES), rng.choice(CORE)
        kinds["filtered"].append((f"theme:{t} {w2}", f"themes:{t} {w2}"))
        pre = rng.choice(prefixes)
        kinds["prefix"].append((f"{pre}*", f"{pre}*"))
    return kinds


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def build_fts(path: Path, docs: list[dict]) -> sqlite3.Connection:
    con = sqlite3.connect(path)
    con.execute("CREATE VIRTUAL TABLE r USING fts5(id UNINDEXED, title, summary, notes, tags,"
                " themes, text, tokenize='porter unicode61')")
    con.executemany("INSERT INTO r VALUES (?,?,?,?,?,?,?)", [
        (d["id"], d["title"], d["summary"], d["notes"], " ".join(d["tags"]),
         " ".join(d["themes"]), d["text"]) for d in docs])
    con.commit()
    return con


def time_fts(con: sqlite3.Connection, fts_query: str, limit: int) -> float:
    t = time.perf_counter()
    con.execute("SELECT id, snippet(r, 6, '[[', ']]', '…', 20) FROM r WHERE r MATCH ? "
                "ORDER BY bm25(r, 0, 3.0, 1.2, 1.0, 1.5, 1.0, 1.0) LIMIT ?",
                (fts_query, limit)).fetchall()
    con.execute("SELECT count(*) FROM r WHERE r MATCH ?", (fts_query,)).fetchone()
    return (time.perf_counter() - t) * 1000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--limit", type=int, default=50, help="hits per page (snippets made)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--seed", type=int, default=1234)
    args = ap.parse_args(argv)

    gen = Generator(args.seed)
    t = time.perf_counter()
    docs = [gen.doc(i) for i in range(args.docs)]
    gen_s = time.perf_counter() - t
    rng = random.Random(args.seed)
    kinds = make_queries(gen, rng)
    out: dict = {"docs": args.docs, "limit": args.limit, "generate_s": round(gen_s, 1)}

    with tempfile.TemporaryDirectory() as tmp:
        index = SearchIndex(Path(tmp) / "index")
        t = time.perf_counter()
        index.rebuild(docs, total=len(docs))
        out["rebuild_s"] = round(time.perf_counter() - t, 2)

        # add one document (new id), several times; report the median and max
        adds = []
        for i in range(7):
            d = dict(gen.doc(args.docs + i))
            t = time.perf_counter()
            index.apply([d], [])
            adds.append((time.perf_counter() - t) * 1000)
        out["add_one_ms"] = {"p50": round(statistics.median(adds), 1),
                             "max": round(max(adds), 1)}

        index.search("warm up", limit=args.limit, today=date(2026, 1, 1))
        con = build_fts(Path(tmp) / "fts.db", docs)
        table = {}
        for kind, pairs in kinds.items():
            ours, fts, totals = [], [], []
            for q, fq in pairs:
                t = time.perf_counter()
                res = index.search(q, limit=args.limit, today=date(2026, 1, 1))
                ours.append((time.perf_counter() - t) * 1000)
                totals.append(res.total)
                fts.append(time_fts(con, fq, args.limit))
            table[kind] = {
                "p50_ms": round(pct(ours, 50), 1), "p95_ms": round(pct(ours, 95), 1),
                "fts5_p50_ms": round(pct(fts, 50), 1), "fts5_p95_ms": round(pct(fts, 95), 1),
                "ratio_p50": round(pct(ours, 50) / max(pct(fts, 50), 1e-3), 2),
                "median_total": int(statistics.median(totals)),
            }
        out["queries"] = table
        con.close()
        index.close()

    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(f"{args.docs} docs: rebuild {out['rebuild_s']} s, add one "
              f"{out['add_one_ms']['p50']} ms (max {out['add_one_ms']['max']})")
        print(f"{'kind':12} {'p50':>8} {'p95':>8} {'fts5 p50':>9} {'ratio':>6} {'total':>7}")
        for kind, r in table.items():
            print(f"{kind:12} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['fts5_p50_ms']:9.1f} "
                  f"{r['ratio_p50']:6.2f} {r['median_total']:7d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
