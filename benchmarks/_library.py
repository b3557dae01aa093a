"""Build (and cache) benchmark libraries of N realistic resources through the Library."""

from __future__ import annotations

import sys
import time
import zlib
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
        # zlib.crc32, not hash(): Python salts hash() per process, so the same seed would
        # give differently themed libraries from one run to the next.
        themes = sorted({STARTER[zlib.crc32(t.encode("utf-8")) % len(STARTER)]
                         if t not in STARTER else t for t in doc.get("themes") or []}) or ["DA"]
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

    # "crc32": libraries cached before themes were chosen with a stable hash differ from
    # run to run, so they are not reused.
    marker = folder / f".built-{n}-{words}-crc32"
    if marker.exists():
        return folder
    cache = ROOT / "bench-out"
    if folder.exists() and cache in folder.resolve().parents:
        import shutil  # an older or half-built cache of ours: start again
        shutil.rmtree(folder)
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
