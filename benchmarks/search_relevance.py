"""Relevance benchmark: index a test collection, run its queries, write a TREC run.

    python benchmarks/search_relevance.py --corpus C --queries Q --run OUT [--eval DIR]

C is JSONL or JSONL.gz with doc_id, title, text; Q is TSV qid<TAB>text. The
collection goes through the same indexing and query code as the app
(SearchIndex.rebuild, then search(words_only=True, limit=1000)). Score with
    python /work/shared/eval/trec_score.py QRELS OUT
or pass --eval DIR (a folder with qrels.txt) to print the scores here.
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

from curator.search import SearchIndex  # noqa: E402


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
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        index = SearchIndex(Path(tmp) / "index")
        t0 = time.perf_counter()
        n = load_collection(index, args.corpus)
        t1 = time.perf_counter()
        queries = read_queries(args.queries)
        with open(args.run, "w", encoding="utf-8") as out:
            for qid, text in queries:
                res = index.search(text, limit=1000, words_only=True)
                for rank, hit in enumerate(res.hits, 1):
                    out.write(f"{qid} Q0 {hit.id} {rank} {hit.score:.6f} {args.tag}\n")
        t2 = time.perf_counter()
        index.close()
    print(f"indexed {n} docs in {t1 - t0:.1f}s; {len(queries)} queries in {t2 - t1:.1f}s",
          file=sys.stderr)
    if args.eval:
        scorer = Path("/work/shared/eval/trec_score.py")
        subprocess.run([sys.executable, str(scorer), str(args.eval / "qrels.txt"),
                        str(args.run)], check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
