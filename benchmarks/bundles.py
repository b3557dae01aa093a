#!/usr/bin/env python3
"""Bundle speed: export N realistic resources, then read, validate and plan their merge.

    python benchmarks/bundles.py [--resources 2000] [--json]

Export is ``write_bundle`` (public fields, JSON, schema self-check, index.html,
newsletter, CSV, zip, atomic write). Import is ``read_bundle`` (every safety check,
hashes, schemas) plus ``merge_plan`` against a library holding a tenth of the resources,
some edited. Floors: export <= 5 s, import <= 10 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WORDS = ("child family practitioner safeguarding risk assessment neglect domestic abuse "
         "support plan school health visitor referral threshold evidence research outcome "
         "parent carer court review meeting strategy protection exploitation online harm "
         "early help multi-agency partnership learning supervision reflective voice").split()
THEMES = [{"code": "DA", "name": "Domestic abuse"}, {"code": "NEG", "name": "Neglect"},
          {"code": "EXP", "name": "Exploitation"}, {"code": "CSA", "name": "Child sexual abuse"}]
TYPES = ("research", "guidance", "practice tool", "training", "video", "podcast", "toolkit")
FLOOR_EXPORT_S = 5.0
FLOOR_IMPORT_S = 10.0


def sentence(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize()


def make_resources(count: int, seed: int = 2000) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for n in range(count):
        themes = rng.sample([t["code"] for t in THEMES], rng.choice((1, 1, 2)))
        out.append({
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "url": f"https://www.example{n % 40}.org.uk/publications/{n}/"
                   f"{'-'.join(sentence(rng, 3, 6).lower().split())}?utm_source=x",
            "norm_url": "", "title": sentence(rng, 6, 16), "summary":
            ". ".join(sentence(rng, 8, 18) for _ in range(3)) + ".",
            "author": f"{sentence(rng, 1, 1)} {sentence(rng, 1, 1)}",
            "site": f"Example {n % 40} Partnership", "published": f"{2010 + n % 15}-0{1 + n % 9}",
            "type": TYPES[n % len(TYPES)], "audience": ["practitioners", "managers"][: 1 + n % 2],
            "notes": "\n\n".join(". ".join(sentence(rng, 8, 20) for _ in range(3)) + "."
                                 for _ in range(rng.randint(1, 4))),
            "status": "approved", "clipped_by": "Sam", "clipped_at": "2024-01-01T09:00:00Z",
            "updated_by": "Sam", "updated_at": f"2024-0{1 + n % 9}-1{n % 10}T09:00:00Z",
            "review_due": "2025-06-01", "last_reviewed": "2024-06-01", "fetch_state": "ok",
            "fetch_error": None, "fetched_at": None, "content_type": "text/html",
            "content_size": 90_000, "link_health": "ok", "canonical_url": None,
            "language": "en", "deleted_at": None, "retired_reason": None,
            "version": 1 + n % 5, "themes": themes,
            "tags": [rng.choice(WORDS) for _ in range(rng.randint(0, 4))],
        })
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--resources", type=int, default=2000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from curator.catalogue.urls import normalise_url
    from curator.publishing.bundles import merge_plan, read_bundle, write_bundle

    resources = make_resources(args.resources)
    # The importing library already holds a tenth of them; it edited every third since.
    local = {r["id"]: dict(r, notes=r["notes"] + " Local edit.", updated_at="2025-01-01T00:00:00Z")
             if i % 3 == 0 else dict(r)
             for i, r in enumerate(resources[: max(1, args.resources // 10)])}
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        info = write_bundle(Path(tmp), resources=resources, themes=THEMES,
                            created_by="Benchmark", previous=None, library_id="bench",
                            now=dt.datetime(2025, 3, 14, tzinfo=dt.UTC))
        export_s = time.perf_counter() - start
        size = info.path.stat().st_size

        start = time.perf_counter()
        bundle = read_bundle(info.path)
        read_s = time.perf_counter() - start
        start = time.perf_counter()
        plan = merge_plan(local, bundle, normalise_url)
        plan_s = time.perf_counter() - start

    out = {
        "resources": args.resources, "bundle_bytes": size,
        "export_s": round(export_s, 3), "read_validate_s": round(read_s, 3),
        "merge_plan_s": round(plan_s, 3), "import_s": round(read_s + plan_s, 3),
        "plan": plan.counts,
        "floor_export_s": FLOOR_EXPORT_S, "floor_import_s": FLOOR_IMPORT_S,
    }
    out["pass"] = export_s <= FLOOR_EXPORT_S and read_s + plan_s <= FLOOR_IMPORT_S
    if args.json:
        print(json.dumps(out))
    else:
        for key, value in out.items():
            print(f"{key:16s} {value}")
    return 0 if out["pass"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
