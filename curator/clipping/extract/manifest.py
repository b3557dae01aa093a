"""Run the extractor over a JSONL manifest of saved pages (benchmarks, bulk checks).

Each manifest line is ``{"id", "file", "url"}`` with ``file`` relative to the
manifest's folder (``.gz`` files are decompressed).  One JSONL result line is written
per page, even when a page fails, so a scorer can line results up with its truth file.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any, TextIO

from . import extract

_FIELDS = ("title", "author", "published", "description", "site_name", "text")


def _read_body(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".gz" or data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data


def _row(page_id: Any, body: bytes, url: str, content_type: str | None) -> dict[str, Any]:
    ex = extract(body, url, content_type)
    return {
        "id": page_id,
        "title": ex.title,
        "author": "; ".join(ex.authors) if ex.authors else None,
        "published": ex.published,
        "description": ex.summary,
        "site_name": ex.site_name,
        "text": ex.text,
    }


def run_manifest(manifest_path: Path, out: TextIO) -> int:
    """Extract every page listed in ``manifest_path``; write JSONL to ``out``.

    Returns the number of pages that failed (unreadable file or extractor error).
    """
    manifest_path = Path(manifest_path)
    base = manifest_path.parent
    failures = 0
    with manifest_path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            page_id: Any = None
            try:
                entry = json.loads(line)
                page_id = entry.get("id", f"line-{lineno}")
                body = _read_body(base / entry["file"])
                row = _row(page_id, body, entry.get("url") or "", entry.get("content_type"))
            except Exception as exc:  # report and carry on: one bad page must not stop a run
                failures += 1
                row = {"id": page_id if page_id is not None else f"line-{lineno}"}
                row.update({k: None for k in _FIELDS})
                row["error"] = f"{type(exc).__name__}: {exc}"
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return failures
