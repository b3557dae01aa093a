"""Relevance benchmark: index a test collection, run its queries, write a TREC run.

    python benchmarks/search_relevance.py --corpus C --queries Q --run OUT [--eval DIR]
        [--min-map X] [--min-ndcg10 Y] [--words-only]

C is JSONL or JSONL.gz with doc_id, title, text; Q is TSV qid<TAB>text. The
collection goes through the same indexing and query code as the app's search box: an
index with the app's starter thesaurus (abbreviations and synonyms, as the Library's
indexer builds it), SearchIndex.rebuild, then each query typed as a person would, parsed
by the app's query parser (operators, phrases, filters, thesaurus expansion; a query it
cannot read falls back to its words, as in the app), top 1,000. ``--words-only`` instead
takes the parser's words-only path (every word as a plain term), to compare.

Score with
    python ../shared/eval/trec_score.py QRELS OUT
or pass --eval DIR (a folder with qrels.txt) to score here; with --min-map or
--min-ndcg10 it exits 1 when the run scores below the floor (and 2 when it cannot be
scored).
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from curator.search import SearchIndex, Thesaurus  # noqa: E402


def read_jsonl(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def load_collection(index: SearchIndex, corpus: Path) -> int:
    """The one place that turns a collection into indexed resources.

    (The lead may later route this through the Library instead.)
    """
    docs = [{"id": str(r["doc_id"]), "title": r.get("title") or "", "text": r.get("text") or ""}
            for r in read_jsonl(corpus)]
    index.rebuild(docs, total=len(docs))
    return len(docs)


def read_queries(path: Path) -> list[tuple[str, str]]:
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            qid, _, text = line.rstrip("\n").partition("\t")
            if qid:
                out.append((qid, text))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True, type=Path)
    ap.add_argument("--queries", required=True, type=Path)
    ap.add_argument("--run", required=True, type=Path)
    ap.add_argument("--eval", type=Path, help="folder holding qrels.txt to score the run")
    ap.add_argument("--tag", default="curator")
    ap.add_argument("--words-only", action="store_true",
                    help="the parser's words-only path instead of the search box's")
    ap.add_argument("--min-map", type=float, help="floor for MAP (needs --eval)")
    ap.add_argument("--min-ndcg10", type=float, help="floor for nDCG@10 (needs --eval)")
    args = ap.parse_args(argv)
    if (args.min_map is not None or args.min_ndcg10 is not None) and not args.eval:
        ap.error("--min-map and --min-ndcg10 need --eval")

    notices = 0
    with tempfile.TemporaryDirectory() as tmp:
        index = SearchIndex(Path(tmp) / "index", Thesaurus.starter())
        t0 = time.perf_counter()
        n = load_collection(index, args.corpus)
        t1 = time.perf_counter()
        queries = read_queries(args.queries)
        with open(args.run, "w", encoding="utf-8") as out:
            for qid, text in queries:
                res = index.search(text, limit=1000, words_only=args.words_only)
                notices += res.notice is not None
                for rank, hit in enumerate(res.hits, 1):
                    out.write(f"{qid} Q0 {hit.id} {rank} {hit.score:.6f} {args.tag}\n")
        t2 = time.perf_counter()
        index.close()
    path = "words only" if args.words_only else "the search box's parser and thesaurus"
    print(f"indexed {n} docs in {t1 - t0:.1f}s; {len(queries)} queries in {t2 - t1:.1f}s "
          f"through {path} ({notices} with a notice)", file=sys.stderr)
    if not args.eval:
        return 0
    scorer = Path(__file__).resolve().parents[2] / "shared" / "eval" / "trec_score.py"
    if not scorer.exists():
        scorer = Path("/work/shared/eval/trec_score.py")
    done = subprocess.run([sys.executable, str(scorer), str(args.eval / "qrels.txt"),
                           str(args.run), "--json"], capture_output=True, text=True)
    if done.returncode != 0:
        print(f"the run could not be scored: {done.stderr.strip()}", file=sys.stderr)
        return 2
    scores = json.loads(done.stdout)["scores"]
    print(json.dumps(scores))
    failed = [f"{name} {scores[name]:.3f} < {floor}"
              for name, floor in (("MAP", args.min_map), ("nDCG@10", args.min_ndcg10))
              if floor is not None and scores.get(name, 0.0) < floor]
    if failed:
        print("below the floor: " + "; ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
