#!/usr/bin/env python3
"""Export a theme of N approved resources through the Library, and import it elsewhere.

    python benchmarks/portal.py [--resources 2000] [--json]

Both steps run the real services: the personal-data check, the bundle writer with its
self-check, registration; then reading, validating, planning and merging into a second
library (with its search index). Floors (issue 6): export <= 5 s, import <= 10 s.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from _library import records


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--resources", type=int, default=2000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from curator.library import Library

    with tempfile.TemporaryDirectory() as tmp:
        lib = Library.open(Path(tmp) / "source")
        lib.act_as("Bench Lead")
        lib.set_theme_role("DA", "Bench Lead", "lead")
        rows = [dict(r, themes=["DA"]) for r in records(args.resources, words=200)]
        lib.add_many(rows)
        with lib.store.write() as db:
            db.execute("UPDATE resources SET status = 'approved'")
        start = time.perf_counter()
        info = lib.export_bundle(["DA"])
        export_s = time.perf_counter() - start
        lib.close()
        other = Library.open(Path(tmp) / "other")
        other.act_as("Someone Else")
        start = time.perf_counter()
        report = other.import_bundle(info.path)
        import_s = time.perf_counter() - start
        found = other.search("theme:DA", limit=1).total
        other.close()
    out = {"resources": args.resources, "export_s": round(export_s, 2),
           "import_s": round(import_s, 2), "added": len(report.added), "searchable": found,
           "floor_export_s": 5, "floor_import_s": 10}
    out["pass"] = export_s <= 5 and import_s <= 10 and len(report.added) == args.resources \
        and found == args.resources
    print(json.dumps(out) if args.json else "\n".join(f"{k:16s} {v}" for k, v in out.items()))
    return 0 if out["pass"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
