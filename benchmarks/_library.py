"""Build (and cache) benchmark libraries of N realistic resources through the Library."""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

STARTER = ["DA", "CSA", "FII", "NEG", "EXP", "DIG"]


def records(n: int, words: int | None = None):
    """Resource records from the search benchmark's generator (fixed seed)."""
    from _searchdocs import Generator

    gen = Generator()
    for i, doc in enumerate(gen.docs(n)):
        themes = sorted({STARTER[hash(t) % len(STARTER)] if t not in STARTER else t
                         for t in doc.get("themes") or []}) or ["DA"]
        text = doc.get("text") or ""
        if words is not None:
            text = " ".join(text.split()[:words])
        yield {
            "url": f"https://{doc.get('site') or 'example.org'}/resource/{i}",
            "title": doc.get("title") or f"Resource {i}",
            "summary": doc.get("summary") or "",
            "notes": doc.get("notes") or "",
            "tags": doc.get("tags") or [],
            "themes": themes,
            "type": doc.get("type") or "other",
            "published": doc.get("published"),
            "author": doc.get("author") or "",
            "site": doc.get("site") or "",
            "text": text,
        }


def build(folder: Path, n: int, words: int | None = None, quiet: bool = False) -> Path:
    """Make a library of *n* resources in *folder* unless one is already there."""
    from curator.library import Library

    marker = folder / f".built-{n}-{words}"
    if marker.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with Library.open(folder) as lib:
        lib.act_as("Benchmark")
        lib.add_many(records(n, words), batch=2000)
        lib.indexer.rebuild()
    marker.write_text(f"{time.perf_counter() - start:.1f}s")
    if not quiet:
        print(f"built {n} resources in {time.perf_counter() - start:.1f}s", file=sys.stderr)
    return folder
