"""Search speed benchmark: build N realistic resources, time queries, compare FTS5.

    python benchmarks/search_latency.py --docs 10000 [--json] [--limit 50] [--fresh]

Reports p50/p95 per query kind (distinct queries of each kind, not the same one
repeated, so caches do not flatter), full rebuild time, index size on disk,
add-one-document time
(apply of one upsert including commit; p50/p95/max over --adds adds, the first
one being the first commit of the process), the idle merges the app's writer
thread runs between them (optimize_if_needed), and the same queries on
SQLite FTS5 over the same documents, timed in the same run, query by query
alternately. FTS5 is given a fair job: the same text parts, Porter stems with
accents folded, prefix indexes of 2-4 characters, and for the returned page only
a title highlight and a text snippet, plus the count of all matches (no facets).

Floors are ratios, so they mean the same on any machine: Curator's p95 at most
FTS5's p95 (MAX_P95_RATIO) for every query kind, and the index at most 1.2x the
FTS5 database (MAX_SIZE_RATIO). The exit code is 1 when one is missed.

Bad input is timed too: queries pasted from a page (2,000 and 10,000 words,
mostly unknown to the index, so "did you mean" has work to do) and one word of
5,000 characters; Curator cuts them to 1,000 characters / 64 words and bounds
"did you mean" (curator/search/limits.py), so each should take well under a
second however long it is.

It also starts a fresh process that opens the index the way the app does
(``is_usable()``, the background warm-up of what searches read, then one search of
each kind) and reports the time and peak
memory of each step (VmHWM on Linux, else ru_maxrss: on Linux a child's
ru_maxrss includes the parent's memory at fork time).

The built index and FTS5 database are cached under bench-out/search-latency/,
keyed by N, seed and schema version, so reruns skip the (long) build; the
rebuild time shown is then the one measured when the cache was built. Use
--fresh to rebuild and re-time. Each run works on a hard-linked copy of the
cached index (segment files are never modified in place), so adds never touch
the cache.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _searchdocs import CORE, PHRASES, THEMES, Generator  # noqa: E402

from curator.search import SCHEMA_VERSION, SearchIndex  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PER_KIND = 40
MAX_P95_RATIO = 1.0        # Curator's p95 / FTS5's p95, every kind, same run
MAX_SIZE_RATIO = 1.2       # index size / FTS5 database size
IDLE_MERGE_SECONDS = 0.3   # budget the app gives one idle merge
TODAY = date(2026, 1, 1)


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


def long_queries(gen: Generator, rng: random.Random) -> dict[str, str]:
    """Bad input: pasted pages of made-up words, and one enormous word."""
    out = {f"{n:,} words": " ".join(rng.choice(gen.tail) + "q" for _ in range(n))
           for n in (2_000, 10_000)}
    out["5,000-character word"] = "".join(rng.choice("abcdefghij") for _ in range(5_000))
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


# FTS5 made as fair as we can: the same text parts Curator indexes, Porter stems over
# unicode61 with accents folded (Curator: Porter2 over folded words), prefix indexes of
# 2 to 4 characters, and snippets and title highlights made for the returned page only.
FTS_COLUMNS = ("title", "summary", "notes", "tags", "themes", "author", "site", "expert",
               "type", "text")
FTS_WEIGHTS = (0, 3.0, 1.2, 1.0, 1.5, 1.0, 0.5, 0.5, 0.5, 0.5, 1.0)   # id first
FTS_VERSION = 2   # 1: snippet() for every match, no prefix index; 2: fair


def build_fts(path: Path, docs: list[dict]) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE VIRTUAL TABLE r USING fts5(id UNINDEXED, "
                + ", ".join(FTS_COLUMNS)
                + ", tokenize='porter unicode61 remove_diacritics 2', prefix='2 3 4')")
    con.executemany(f"INSERT INTO r VALUES ({', '.join('?' * (len(FTS_COLUMNS) + 1))})", [
        (d["id"], d["title"], d["summary"], d["notes"], " ".join(d["tags"]),
         " ".join(d["themes"]), d["author"], d["site"], d["expert"], d["type"], d["text"])
        for d in docs])
    con.execute("INSERT INTO r(r) VALUES ('optimize')")
    con.commit()
    con.close()


_FTS_PAGE = ("SELECT rowid FROM r WHERE r MATCH ? ORDER BY bm25(r, "
             + ", ".join(map(str, FTS_WEIGHTS)) + ") LIMIT ?")
_FTS_ROW = ("SELECT id, highlight(r, 1, '[[', ']]'), "
            f"snippet(r, {len(FTS_COLUMNS)}, '[[', ']]', '…', 20) "
            "FROM r WHERE r MATCH ? AND rowid = ?")


def time_fts(con: sqlite3.Connection, fts_query: str, limit: int) -> float:
    """The page's rows by bm25, then title highlight and snippet for those rows
    only (each a MATCH seeking one rowid), and the count of all matches."""
    t = time.perf_counter()
    page = [row[0] for row in con.execute(_FTS_PAGE, (fts_query, limit))]
    for rowid in page:
        con.execute(_FTS_ROW, (fts_query, rowid)).fetchone()
    con.execute("SELECT count(*) FROM r WHERE r MATCH ?", (fts_query,)).fetchone()
    return (time.perf_counter() - t) * 1000


def cached_build(args, gen: Generator) -> tuple[Path, dict]:
    """The cached index folder and FTS5 database for this N/seed/schema."""
    cache = Path(args.cache) / (f"n{args.docs}-seed{args.seed}-schema{SCHEMA_VERSION}"
                                f"-fts{FTS_VERSION}")
    meta_path = cache / "meta.json"
    if meta_path.exists() and not args.fresh:
        meta = json.loads(meta_path.read_text("utf-8"))
        meta["cached"] = True
        return cache, meta
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True)
    t = time.perf_counter()
    docs = [gen.doc(i) for i in range(args.docs)]
    meta: dict = {"generate_s": round(time.perf_counter() - t, 1)}
    index = SearchIndex(cache / "index")
    t = time.perf_counter()
    index.rebuild(docs, total=len(docs))
    meta["rebuild_s"] = round(time.perf_counter() - t, 2)
    index.close()
    build_fts(cache / "fts.db", docs)
    meta["built"] = time.strftime("%Y-%m-%d %H:%M")
    meta_path.write_text(json.dumps(meta), "utf-8")
    return cache, meta


PROBE = r"""
import json, resource, sys, time
from datetime import date
from pathlib import Path
sys.path.insert(0, sys.argv[3])
def rss():
    # Peak RSS of this process. Linux's ru_maxrss also counts the parent's
    # memory at fork time (kept across exec), so prefer VmHWM where it exists.
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
out = {"rss_start_mb": rss()}
t = time.perf_counter()
from curator.search import SearchIndex
out["import_ms"] = round((time.perf_counter() - t) * 1000, 1)
out["rss_after_import_mb"] = rss()
index = SearchIndex(Path(sys.argv[1]))
t = time.perf_counter()
ok = index.is_usable()
out["is_usable_ms"] = round((time.perf_counter() - t) * 1000, 1)
out["is_usable"] = ok
out["rss_after_is_usable_mb"] = rss()
t = time.perf_counter()
index.warm()  # as the app's background index check does after opening
out["warm_ms"] = round((time.perf_counter() - t) * 1000, 1)
searches = {}
for kind, q in json.loads(sys.argv[2]).items():
    t = time.perf_counter()
    res = index.search(q, limit=50, today=date(2026, 1, 1))
    searches[kind] = round((time.perf_counter() - t) * 1000, 1)
out["first_search_ms"] = searches
out["rss_after_searches_mb"] = rss()
print(json.dumps(out))
"""


def probe(index_dir: Path, kinds: dict) -> dict:
    """Open + is_usable + one search of each kind in a fresh process."""
    first = {kind: pairs[0][0] for kind, pairs in kinds.items()}
    proc = subprocess.run([sys.executable, "-c", PROBE, str(index_dir), json.dumps(first),
                           str(ROOT)], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--limit", type=int, default=50, help="hits per page (snippets made)")
    ap.add_argument("--adds", type=int, default=50, help="single-document applies to time")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--fresh", action="store_true", help="rebuild even if cached")
    ap.add_argument("--cache", default=str(ROOT / "bench-out" / "search-latency"))
    args = ap.parse_args(argv)

    gen = Generator(args.seed)
    rng = random.Random(args.seed)
    kinds = make_queries(gen, rng)
    cache, meta = cached_build(args, gen)
    out: dict = {"docs": args.docs, "limit": args.limit, "rebuild_s": meta["rebuild_s"],
                 "rebuild_cached": meta.get("cached", False),
                 "index_mb": round(sum(f.stat().st_size for f in (cache / "index").rglob("*")
                                       if f.is_file()) / 1e6, 1),
                 "fts5_mb": round((cache / "fts.db").stat().st_size / 1e6, 1)}

    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        work = Path(tmp) / "index"
        shutil.copytree(cache / "index", work, copy_function=os.link)
        out["open"] = probe(work, kinds)

        index = SearchIndex(work)
        # Add one document (new id) many times, as clipping does. After each,
        # the app's writer thread, now idle, calls optimize_if_needed (timed
        # separately: it runs between clips, not inside one).
        adds, merges = [], []
        for i in range(args.adds):
            d = dict(gen.doc(args.docs + i))
            t = time.perf_counter()
            index.apply([d], [])
            adds.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            if index.optimize_if_needed(IDLE_MERGE_SECONDS):
                merges.append((time.perf_counter() - t) * 1000)
        out["add_one_ms"] = {"n": len(adds), "first": round(adds[0], 1),
                             "p50": round(pct(adds, 50), 1), "p95": round(pct(adds, 95), 1),
                             "max": round(max(adds), 1)}
        out["idle_merge"] = {"n": len(merges),
                             "p50_ms": round(pct(merges, 50), 1) if merges else 0.0,
                             "max_ms": round(max(merges), 1) if merges else 0.0,
                             "segments_after": len(index._snapshot().leaves)}

        # The app's writer thread reads what searches need after it applies updates
        # (SearchIndex.warm), so a person's first search does not pay for it.
        t = time.perf_counter()
        index.warm()
        out["warm_ms"] = round((time.perf_counter() - t) * 1000, 1)
        index.search("warm up", limit=args.limit, today=TODAY)
        con = sqlite3.connect(cache / "fts.db")
        time_fts(con, "warm up", args.limit)
        table = {}
        for kind, pairs in kinds.items():
            ours, fts, totals = [], [], []
            for q, fq in pairs:
                t = time.perf_counter()
                res = index.search(q, limit=args.limit, today=TODAY)
                ours.append((time.perf_counter() - t) * 1000)
                totals.append(res.total)
                fts.append(time_fts(con, fq, args.limit))
            table[kind] = {
                "p50_ms": round(pct(ours, 50), 1), "p95_ms": round(pct(ours, 95), 1),
                "fts5_p50_ms": round(pct(fts, 50), 1), "fts5_p95_ms": round(pct(fts, 95), 1),
                "ratio_p50": round(pct(ours, 50) / max(pct(fts, 50), 1e-3), 2),
                "ratio_p95": round(pct(ours, 95) / max(pct(fts, 95), 1e-3), 2),
                "median_total": int(statistics.median(totals)),
            }
        out["queries"] = table
        out["size_ratio"] = round(out["index_mb"] / max(out["fts5_mb"], 1e-3), 2)
        missed = [f"{kind} p95 {r['ratio_p95']}x FTS5's" for kind, r in table.items()
                  if r["ratio_p95"] > MAX_P95_RATIO]
        if out["size_ratio"] > MAX_SIZE_RATIO:
            missed.append(f"index {out['size_ratio']}x FTS5's database")
        out["floors"] = {"p95_ratio": MAX_P95_RATIO, "size_ratio": MAX_SIZE_RATIO}
        out["missed"] = missed
        out["pass"] = not missed
        con.close()
        long_ms = {}
        for kind, q in long_queries(gen, random.Random(args.seed + 1)).items():
            t = time.perf_counter()
            res = index.search(q, limit=args.limit, today=TODAY)
            long_ms[kind] = {"ms": round((time.perf_counter() - t) * 1000, 1),
                             "cut": bool(res.notice and "too long" in res.notice)}
        out["long_queries"] = long_ms
        index.close()

    if args.json:
        print(json.dumps(out, indent=2))
    else:
        a, o = out["add_one_ms"], out["open"]
        cached = " (cached build; --fresh to re-time)" if out["rebuild_cached"] else ""
        print(f"{args.docs} docs: rebuild {out['rebuild_s']} s{cached}; "
              f"index {out['index_mb']} MB, FTS5 database {out['fts5_mb']} MB: "
              f"{out['size_ratio']}x (floor {MAX_SIZE_RATIO}x)")
        m = out["idle_merge"]
        print(f"add one x{a['n']}: p50 {a['p50']} ms, p95 {a['p95']} ms, max {a['max']} ms "
              f"(first {a['first']} ms); {m['n']} idle merges between adds: p50 "
              f"{m['p50_ms']} ms, max {m['max_ms']} ms; {m['segments_after']} segments after; "
              f"warm-up after them {out['warm_ms']} ms")
        print(f"fresh process: is_usable {o['is_usable_ms']} ms (ok={o['is_usable']}), "
              f"background warm-up {o['warm_ms']} ms, "
              f"peak RSS after is_usable {o['rss_after_is_usable_mb']} MB, after one search "
              f"of each kind {o['rss_after_searches_mb']} MB; first searches (ms) "
              f"{o['first_search_ms']}")
        print(f"{'kind (ms)':12} {'p50':>7} {'p95':>7} {'fts5 p50':>9} {'fts5 p95':>9} "
              f"{'p95 ratio':>9} {'total':>7}   (floor: p95 ratio <= {MAX_P95_RATIO})")
        for kind, r in table.items():
            print(f"{kind:12} {r['p50_ms']:7.1f} {r['p95_ms']:7.1f} {r['fts5_p50_ms']:9.1f} "
                  f"{r['fts5_p95_ms']:9.1f} {r['ratio_p95']:9.2f} {r['median_total']:7d}")
        print("long queries (ms): " + ", ".join(
            f"{kind} {r['ms']}{' (cut)' if r['cut'] else ''}"
            for kind, r in out["long_queries"].items()))
        print("PASS" if out["pass"] else "FAIL: " + "; ".join(out["missed"]))
    return 0 if out["pass"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
