"""Publishing: export approved resources as a bundle for the portal, and import bundles.

Only approved, non-retired resources leave, and only when the personal-data check finds
nothing, or an approver overrode it with a recorded reason. Every bundle is registered
with the fingerprint of each resource in it, so the next bundle of the same themes can
say what changed, and an import can tell who changed what since the last share.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from curator.base import clock
from curator.base.errors import CuratorError, NotAllowed
from curator.catalogue import resources, themes
from curator.catalogue.urls import normalise_url
from curator.publishing import privacy
from curator.publishing.bundles import merge_plan, read_bundle, write_bundle
from curator.publishing.bundles.format import content_fingerprint, fingerprint
from curator.publishing.workflow import PersonalDataFound, leads_of
from curator.storage import events

if TYPE_CHECKING:
    from curator.context import Context

EXPORT_SQL = """
SELECT r.id FROM resources r
WHERE r.status = 'approved' AND r.deleted_at IS NULL
  AND EXISTS (SELECT 1 FROM resource_themes t WHERE t.resource_id = r.id AND t.theme_code IN ({}))
ORDER BY r.title COLLATE NOCASE
"""


@dataclass
class Previous:
    id: str
    themes: list[dict]
    fingerprints: dict[str, str]


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


def library_id(ctx: Context) -> str:
    value = ctx.setting("library_id")
    if not value:
        value = str(uuid.uuid4())
        ctx.set_setting("library_id", value)
    return value


def _public(res: resources.Resource) -> dict:
    return {**res.to_dict(), "last_reviewed": res.last_reviewed}


def _overridden(db, resource_id: str) -> bool:
    """Did the approval of this resource go ahead past a personal-data warning?"""
    row = db.execute("SELECT detail FROM events WHERE entity = 'resource' AND entity_id = ? "
                     "AND action = 'workflow.approved' ORDER BY id DESC LIMIT 1",
                     (resource_id,)).fetchone()
    return bool(row) and "personal_data_override" in json.loads(row["detail"])


def _previous(db, key: str) -> Previous | None:
    row = db.execute("SELECT id, themes FROM bundles WHERE kind = 'export' AND themes_key = ? "
                     "ORDER BY recorded_at DESC, rowid DESC LIMIT 1", (key,)).fetchone()
    if row is None:
        return None
    prints = {r["resource_id"]: r["fingerprint"] for r in db.execute(
        "SELECT resource_id, fingerprint FROM bundle_items WHERE bundle_id = ?", (row["id"],))}
    return Previous(row["id"], json.loads(row["themes"]), prints)


def _register(db, kind: str, bundle_id: str, path: Path, theme_list: list[dict],
              created_at: str, created_by: str, previous_id: str | None, lib_id: str | None,
              counts: dict, records: list[dict]) -> None:
    key = ",".join(sorted(t["code"].upper() for t in theme_list))
    db.execute("INSERT INTO bundles (id, kind, path, themes, themes_key, created_at, created_by,"
               " recorded_at, previous_id, library_id, counts) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
               (bundle_id, kind, str(path), json.dumps(theme_list), key, created_at,
                created_by, clock.now_iso(), previous_id, lib_id, json.dumps(counts)))
    for r in records:
        db.execute("INSERT OR REPLACE INTO bundle_items (bundle_id, resource_id, fingerprint, "
                   "content_fingerprint) VALUES (?, ?, ?, ?)",
                   (bundle_id, r["id"], fingerprint(r), content_fingerprint(r)))


def export_bundle(ctx: Context, theme_codes: list[str], to: str | Path | None = None,
                  override_reason: str | None = None):
    """Write a bundle of the themes' approved resources; returns the BundleInfo."""
    actor = ctx.actor
    codes = themes.resolve_codes(ctx.store, theme_codes)
    if not codes:
        raise CuratorError("Choose at least one theme to export.")
    db = ctx.store.db
    marks = ",".join("?" * len(codes))
    ids = [r["id"] for r in db.execute(EXPORT_SQL.format(marks), codes)]
    records = [_public(resources.get(db, rid)) for rid in ids]
    problems = []
    for rec in records:
        hits = privacy.scan_resource(rec)
        if hits and not _overridden(db, rec["id"]):
            problems.append((rec, hits))
    if problems and not (override_reason or "").strip():
        first, hits = problems[0]
        more = f" {len(problems) - 1} other resource(s) too." if len(problems) > 1 else ""
        raise PersonalDataFound(
            f"“{first['title'] or first['url']}”: "
            + privacy.describe(hits, before="exporting the bundle") + more,
            [h for _, hs in problems for h in hs])
    if problems and actor.id not in leads_of(db, codes):
        raise NotAllowed("Only a lead of these themes may export past a personal-data "
                         "warning.")
    theme_list = [{"code": t.code, "name": t.name}
                  for t in (themes.get(ctx.store, c) for c in codes)]
    key = ",".join(sorted(codes))
    previous = _previous(db, key)
    folder = Path(to).expanduser() if to else ctx.default_export_folder()
    lib_id = library_id(ctx)
    info = write_bundle(folder, resources=records, themes=theme_list, created_by=actor.name,
                        previous=previous, library_id=lib_id)
    with ctx.store.write("record the bundle") as wdb:
        _register(wdb, "export", info.id, info.path, theme_list, info.created_at,
                  actor.name, info.previous_id, lib_id, info.counts, records)
        detail = {"path": str(info.path), "themes": codes, "counts": info.counts}
        if problems:
            detail["personal_data_override"] = override_reason.strip()
            detail["resources_with_warnings"] = [rec["id"] for rec, _ in problems]
        events.record(wdb, actor, "bundle.export", "bundle", info.id, detail)
    return info


def import_bundle(ctx: Context, path: str | Path) -> ImportReport:
    """Check a bundle and merge it in: by id and address, newer edits win, conflicts kept."""
    actor = ctx.actor
    bundle = read_bundle(Path(path))
    db = ctx.store.db
    if db.execute("SELECT 1 FROM bundles WHERE id = ?", (bundle.id,)).fetchone():
        raise CuratorError("This bundle has already been imported into this library.")
    local = {r.id: _public(r) for r in resources.list_ids(ctx.store)}
    base = {r["resource_id"]: r["content_fingerprint"] for r in db.execute(
        "SELECT i.resource_id, i.content_fingerprint FROM bundle_items i JOIN bundles b ON "
        "b.id = i.bundle_id ORDER BY b.recorded_at")}
    plan = merge_plan(local, bundle, normalise_url, base=base)
    report = ImportReport(bundle.id, unchanged=len(plan.unchanged),
                          removed_upstream=list(plan.removed))
    names = {t["code"].upper(): t["name"] for t in bundle.themes}
    with ctx.store.write("import the bundle") as wdb:
        for item in plan.added + plan.updated:
            for code in item.incoming.get("themes") or []:
                if not wdb.execute("SELECT 1 FROM themes WHERE code = ?", (code,)).fetchone():
                    wdb.execute("INSERT INTO themes (code, name, created_at) VALUES (?, ?, ?)",
                                (code, names.get(code.upper(), code), clock.now_iso()))
                    events.record(wdb, actor, "theme.add", "theme", code,
                                  {"from_bundle": bundle.id})
        for item in plan.added:
            inc = item.incoming
            values = _values(inc)
            values.update(url=inc["url"], norm_url=normalise_url(inc["url"]),
                          status=inc.get("status") or "approved",
                          last_reviewed=inc.get("last_reviewed"),
                          review_due=inc.get("review_due"), fetch_state="pending")
            resources.insert(wdb, actor, values, resource_id=inc["id"])
            report.added.append(inc["id"])
        for item in plan.updated:
            inc = item.incoming
            res = resources.update(wdb, actor, item.local_id, _values(inc),
                                   action="resource.import", extra={"bundle": bundle.id})
            wdb.execute("UPDATE resources SET status = ?, last_reviewed = ? WHERE id = ?",
                        (inc.get("status") or res.status,
                         inc.get("last_reviewed") or res.last_reviewed, res.id))
            report.updated.append(res.id)
        for item in plan.conflicts:
            report.conflicts.append((item.incoming.get("title") or item.incoming["url"],
                                     item.reason))
        for item in plan.rejected:
            report.rejected.append((item.incoming.get("title") or item.incoming.get("url", ""),
                                    item.reason))
        _register(wdb, "import", bundle.id, Path(path), bundle.themes, bundle.created_at,
                  bundle.created_by, bundle.previous_id, bundle.library_id,
                  {k: len(v) if isinstance(v, list) else v
                   for k, v in report.to_dict().items() if k != "bundle_id"},
                  [i.incoming for i in plan.added + plan.updated + plan.unchanged])
        events.record(wdb, actor, "bundle.import", "bundle", bundle.id,
                      {"path": str(path), "added": len(report.added),
                       "updated": len(report.updated), "conflicts": len(report.conflicts)})
    ctx.refresh_index()
    return report


def _values(incoming: dict) -> dict:
    fields = {k: incoming.get(k) for k in ("title", "summary", "author", "site", "published",
                                           "type", "audience", "notes", "themes", "tags",
                                           "language")}
    fields["themes"] = [str(c).upper() for c in fields["themes"] or []]
    return resources.clean_fields({k: v for k, v in fields.items() if v is not None})


def list_bundles(ctx: Context) -> list[dict]:
    return [{**dict(r), "themes": json.loads(r["themes"]), "counts": json.loads(r["counts"])}
            for r in ctx.store.query("SELECT id, kind, path, themes, created_at, created_by, "
                                     "previous_id, counts FROM bundles ORDER BY recorded_at")]
