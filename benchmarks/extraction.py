#!/usr/bin/env python3
"""Benchmark Curator's metadata + main-text extractor against the shared evaluation set.

Usage:
    python benchmarks/extraction.py [--eval DIR] [--json] [--compare-trafilatura]

Runs ``curator.clipping.extract.manifest.run_manifest`` over ``DIR/dev/extraction/manifest.jsonl``
(DIR defaults to ``../shared/eval`` next to the repository), scores the predictions with
the shared scorer ``DIR/score_extraction.py`` and prints per-field scores and
milliseconds per page.  With ``--compare-trafilatura`` (only if trafilatura is
installed) the same pages go through ``trafilatura.bare_extraction`` in the same run,
so the speed comparison is like for like.  Exits 0 with "skipped: ..." when the
evaluation data is absent (it is third-party data and never ships with the repo).
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import io
import json
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

FIELDS = ("title", "author", "published", "description", "site_name", "body", "segments")


def _load_scorer(eval_dir: Path) -> Any:
    path = eval_dir / "score_extraction.py"
    spec = importlib.util.spec_from_file_location("score_extraction", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load scorer from {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def run_ours(manifest: Path) -> tuple[list[dict[str, Any]], float, int]:
    from curator.clipping.extract.manifest import run_manifest

    buf = io.StringIO()
    started = time.perf_counter()
    failures = run_manifest(manifest, buf)
    elapsed = time.perf_counter() - started
    rows = [json.loads(line) for line in buf.getvalue().splitlines() if line.strip()]
    return rows, elapsed, failures


def run_trafilatura(manifest: Path) -> tuple[list[dict[str, Any]], float]:
    """trafilatura.bare_extraction with metadata; page reading is outside the timing."""
    import trafilatura

    entries = _read_jsonl(manifest)
    pages = []
    for e in entries:
        raw = (manifest.parent / e["file"]).read_bytes()
        if e["file"].endswith(".gz"):
            raw = gzip.decompress(raw)
        pages.append((e, raw))
    rows = []
    started = time.perf_counter()
    for e, raw in pages:
        try:
            doc = trafilatura.bare_extraction(raw, url=e.get("url"), with_metadata=True)
        except Exception:  # a peer crash counts as an empty prediction
            doc = None
        if doc is not None and not isinstance(doc, dict):
            doc = doc.as_dict() if hasattr(doc, "as_dict") else vars(doc)
        doc = doc or {}
        rows.append(
            {
                "id": e["id"],
                "title": doc.get("title"),
                "author": doc.get("author"),
                "published": doc.get("date"),
                "description": doc.get("description"),
                "site_name": doc.get("sitename"),
                "text": doc.get("text") or "",
            }
        )
    return rows, time.perf_counter() - started


def _score(scorer: Any, truth_path: Path, rows: list[dict[str, Any]]) -> dict[str, float]:
    truth = scorer.load(str(truth_path))
    preds = {r["id"]: r for r in rows}
    scores, _counts = scorer.score(truth, preds)
    return scores


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--eval",
        type=Path,
        default=REPO.parent / "shared" / "eval",
        help="evaluation folder (default: ../shared/eval next to the repo)",
    )
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument(
        "--compare-trafilatura",
        action="store_true",
        help="also run trafilatura on the same pages, if it is installed",
    )
    ap.add_argument("--save", type=Path, help="write our predictions (JSONL) to this file")
    args = ap.parse_args(argv)

    data = args.eval / "dev" / "extraction"
    manifest, truth = data / "manifest.jsonl", data / "truth.jsonl"
    if not (manifest.exists() and truth.exists() and (args.eval / "score_extraction.py").exists()):
        print(f"skipped: no eval data at {data}")
        return 0
    scorer = _load_scorer(args.eval)

    rows, elapsed, failures = run_ours(manifest)
    n = len(rows) or 1
    if args.save:
        args.save.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
        )
    report: dict[str, Any] = {
        "pages": len(rows),
        "curator": {
            "scores": _score(scorer, truth, rows),
            "ms_per_page": 1000 * elapsed / n,
            "failures": failures,
        },
    }
    if args.compare_trafilatura:
        if importlib.util.find_spec("trafilatura") is None:
            report["trafilatura"] = {"skipped": "trafilatura is not installed"}
        else:
            t_rows, t_elapsed = run_trafilatura(manifest)
            report["trafilatura"] = {
                "scores": _score(scorer, truth, t_rows),
                "ms_per_page": 1000 * t_elapsed / (len(t_rows) or 1),
            }

    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    systems = [k for k in ("curator", "trafilatura") if "scores" in report.get(k, {})]
    print(f"extraction benchmark: {report['pages']} pages from {data}")
    print(f"{'field':12s}" + "".join(f"{s:>14s}" for s in systems))
    for f in FIELDS:
        vals = [report[s]["scores"].get(f) for s in systems]
        print(f"{f:12s}" + "".join(f"{v:14.3f}" if v is not None else f"{'-':>14s}" for v in vals))
    print(f"{'ms/page':12s}" + "".join(f"{report[s]['ms_per_page']:14.1f}" for s in systems))
    if failures:
        print(f"curator failures: {failures}")
    if "skipped" in report.get("trafilatura", {}):
        print(f"trafilatura: skipped ({report['trafilatura']['skipped']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
