"""Importing a bundle into a library: merge it in without losing anyone's work.

The bundle is checked whole (:func:`curator.publishing.bundles.read_bundle`), then
:func:`curator.publishing.bundles.merge_plan` decides, resource by resource, with what
this library knows of their shared history: the version it last received from the
bundle's library (the common version) and every version it has exported or imported.
So older text never replaces newer text: the newer wins, or it is a conflict the expert
settles, counted as one in the report.

The import keeps this library's own rules. It never approves anything: a new resource
comes in awaiting approval by a local lead (or as a draft when the personal-data check
finds something), and an update to an approved one sends it back for approval like any
edit. A resource that is in this library's trash is left there, with a line in the
report; one that cannot be stored (a bad address, a value the library refuses, a clash)
is reported, never a reason to abandon the rest.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from curator.base import clock
from curator.base.errors import CuratorError
from curator.catalogue import resources
from curator.catalogue.urls import check_url, normalise_url, public_url, same_page_keys
from curator.publishing import privacy
from curator.publishing.bundles import merge_plan, read_bundle
from curator.publishing.bundles.format import content_fingerprint, fingerprint
from curator.storage import events

if TYPE_CHECKING:
    from curator.context import Context

_FIELDS = ("title", "summary", "author", "site", "published", "type", "audience", "notes",
           "themes", "tags", "language")
_IN_TRASH = ("it is in this library's trash, so it was left there; restore it from the "
             "trash to have it back")


@dataclass
class ImportReport:
    bundle_id: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # (title, why)
    unchanged: int = 0
    removed_upstream: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"bundle_id": self.bundle_id, "added": self.added, "updated": self.updated,
                "conflicts": [{"title": t, "why": w} for t, w in self.conflicts],
                "unchanged": self.unchanged, "removed_upstream": self.removed_upstream,
                "rejected": [{"title": t, "why": w} for t, w in self.rejected]}


@dataclass
class _Run:
    """One import under way: who, which bundle, its theme names, the themes made sure of."""

    ctx: Context
    bundle_id: str
    names: dict[str, str]
    known: set[str] = field(default_factory=set)


class _Skip(Exception):
    """This resource is not imported: *bucket* ("conflicts" or "rejected") says how."""

    def __init__(self, bucket: str, why: str):
        super().__init__(why)
        self.bucket = bucket
        self.why = why


def register(db, kind: str, bundle_id: str, path: Path, theme_list: list[dict],
             created_at: str, created_by: str, previous_id: str | None, lib_id: str | None,
             counts: dict, records: list[dict]) -> None:
    """Record a bundle written or read, with each resource's fingerprints."""
    key = ",".join(sorted(t["code"].upper() for t in theme_list))
    db.execute("INSERT INTO bundles (id, kind, path, themes, themes_key, created_at, created_by,"
               " recorded_at, previous_id, library_id, counts) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
               (bundle_id, kind, str(path), json.dumps(theme_list), key, created_at,
                created_by, clock.now_iso(), previous_id, lib_id, json.dumps(counts)))
    for r in records:
        db.execute("INSERT OR REPLACE INTO bundle_items (bundle_id, resource_id, fingerprint, "
                   "content_fingerprint) VALUES (?, ?, ?, ?)",
                   (bundle_id, r["id"], fingerprint(r), content_fingerprint(r)))


def history(db, source_library: str | None) -> tuple[dict[str, str], dict[str, set[str]]]:
    """What this library knows of each resource's shared past: the content fingerprint
    last received from *source_library* (the common version), and every content
    fingerprint it has exported or imported."""
    base: dict[str, str] = {}
    for r in db.execute("SELECT i.resource_id, i.content_fingerprint FROM bundle_items i "
                        "JOIN bundles b ON b.id = i.bundle_id WHERE b.kind = 'import' AND "
                        "b.library_id IS ? ORDER BY b.recorded_at, b.rowid", (source_library,)):
        base[r["resource_id"]] = r["content_fingerprint"]
    seen: dict[str, set[str]] = defaultdict(set)
    for r in db.execute("SELECT resource_id, content_fingerprint FROM bundle_items"):
        seen[r["resource_id"]].add(r["content_fingerprint"])
    return base, seen


def _as_shared(res: resources.Resource) -> dict:
    return {**res.to_dict(), "url": public_url(res.url)}


def import_bundle(ctx: Context, path: str | Path) -> ImportReport:
    """Check a bundle and merge it in (see the module docstring); returns the report."""
    actor = ctx.actor
    bundle = read_bundle(Path(path))
    db = ctx.store.db
    if db.execute("SELECT 1 FROM bundles WHERE id = ?", (bundle.id,)).fetchone():
        raise CuratorError("This bundle has already been imported into this library.")
    local = {r.id: _as_shared(r) for r in resources.list_ids(ctx.store)}
    trash = {r.id: _as_shared(r) for r in resources.list_ids(ctx.store, trash=True)}
    base, seen = history(db, bundle.library_id)
    plan = merge_plan(local, bundle, normalise_url, base=base, seen=seen, trash=trash)
    report = ImportReport(bundle.id, unchanged=len(plan.unchanged),
                          removed_upstream=list(plan.removed))
    run = _Run(ctx, bundle.id, {t["code"].upper(): t["name"] for t in bundle.themes})
    kept: list[dict] = [i.incoming for i in plan.unchanged]
    with ctx.store.write("import the bundle") as wdb:
        for item, apply in [(i, _add) for i in plan.added] + [(i, _update) for i in plan.updated]:
            try:
                rid = _one_item(wdb, apply, run, item)
            except _Skip as skip:
                getattr(report, skip.bucket).append((_title(item.incoming), skip.why))
                continue
            (report.added if apply is _add else report.updated).append(rid)
            kept.append(item.incoming)
        report.conflicts.extend((_title(i.incoming), i.reason) for i in plan.conflicts)
        report.rejected.extend((_title(i.incoming), i.reason) for i in plan.rejected)
        register(wdb, "import", bundle.id, Path(path), bundle.themes, bundle.created_at,
                 bundle.created_by, bundle.previous_id, bundle.library_id,
                 {k: len(v) if isinstance(v, list) else v
                  for k, v in report.to_dict().items() if k != "bundle_id"}, kept)
        events.record(wdb, actor, "bundle.import", "bundle", bundle.id,
                      {"path": str(path), "added": len(report.added),
                       "updated": len(report.updated), "conflicts": len(report.conflicts),
                       "rejected": len(report.rejected)})
    ctx.refresh_index()
    return report


def _title(incoming: dict) -> str:
    return incoming.get("title") or incoming.get("url") or incoming.get("id") or "A resource"


def _one_item(db, step, run: _Run, item) -> str:
    """Run one resource's writes so that a clash undoes that resource only."""
    db.execute("SAVEPOINT import_item")
    try:
        result = step(db, run, item)
    except sqlite3.IntegrityError:
        db.execute("ROLLBACK TO import_item")
        db.execute("RELEASE import_item")
        raise _Skip("conflicts", "it clashes with a resource already in this library (the "
                    "same id or web address); compare the two by hand") from None
    except BaseException:
        db.execute("ROLLBACK TO import_item")
        db.execute("RELEASE import_item")
        raise
    db.execute("RELEASE import_item")
    return result


def _values(incoming: dict) -> dict:
    fields = {k: incoming.get(k) for k in _FIELDS}
    fields["themes"] = [str(c).upper() for c in fields["themes"] or []]
    try:
        return resources.clean_fields({k: v for k, v in fields.items() if v is not None})
    except CuratorError as exc:
        raise _Skip("rejected", exc.message) from None


def _ensure_themes(db, run: _Run, codes: list[str]) -> None:
    for code in codes:
        if code in run.known:
            continue
        run.known.add(code)
        if not db.execute("SELECT 1 FROM themes WHERE code = ?", (code,)).fetchone():
            db.execute("INSERT INTO themes (code, name, created_at) VALUES (?, ?, ?)",
                       (code, run.names.get(code.upper(), code), clock.now_iso()))
            events.record(db, run.ctx.actor, "theme.add", "theme", code,
                          {"from_bundle": run.bundle_id})


def _add(db, run: _Run, item) -> str:
    inc = item.incoming
    try:
        url = check_url(public_url(inc["url"])).url
    except CuratorError as exc:
        raise _Skip("rejected", f"its web address is not one Curator accepts: {exc.message}") \
            from None
    # The plan matched ids and addresses; this also catches the same page stored under
    # another written form (http and https, a canonical address). An id taken meanwhile
    # is caught by the insert itself (see _one_item).
    keys = same_page_keys(url)  # its own normal form first
    other = resources.find_by_keys(db, keys)
    if other is not None:
        row = db.execute("SELECT deleted_at FROM resources WHERE id = ?", (other,)).fetchone()
        if row["deleted_at"] is not None:
            raise _Skip("rejected", _IN_TRASH)
        raise _Skip("conflicts", "the same page is already in this library as another "
                    "resource; compare the two by hand")
    values = _values(inc)
    _ensure_themes(db, run, values.get("themes") or [])
    # An import never approves: a local lead does, through the workflow.
    clean = not privacy.scan_resource({**inc, "url": url})
    values.update(url=url, norm_url=keys[0], status="submitted" if clean else "draft",
                  last_reviewed=inc.get("last_reviewed"), review_due=inc.get("review_due"),
                  fetch_state="pending")
    return resources.insert(db, run.ctx.actor, values, resource_id=inc["id"])


def _update(db, run: _Run, item) -> str:
    inc = item.incoming
    values = _values(inc)
    _ensure_themes(db, run, values.get("themes") or [])
    # The local status rules hold: an approved resource whose public text changes goes
    # back for approval; nothing here sets a status from the bundle.
    res = resources.update(db, run.ctx.actor, item.local_id, values, action="resource.import",
                           extra={"bundle": run.bundle_id})
    reviewed = max(filter(None, (str(inc.get("last_reviewed") or "")[:10] or None,
                                 (res.last_reviewed or "")[:10] or None)), default=None)
    if reviewed != res.last_reviewed:
        db.execute("UPDATE resources SET last_reviewed = ? WHERE id = ?", (reviewed, res.id))
    return res.id
