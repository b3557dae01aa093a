"""Publishing: export approved resources as a bundle for the portal, and import bundles.

Only approved, non-retired resources leave, and only when the personal-data check finds
nothing in any field that leaves, or an approver's override covers exactly the text as
it is now (:mod:`curator.publishing.overrides`). Every bundle is registered with the
fingerprint of each resource in it, so the next bundle of the same themes can say what
changed, and an import can tell who changed what since the last share
(:mod:`curator.publishing.bundle_import`). An export is whole or absent even when the
process is stopped part-way (:mod:`curator.publishing.export_journal`).
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from curator.base.errors import CuratorError, NotAllowed, StorageError
from curator.base.words import plural
from curator.catalogue import published, resources, themes
from curator.catalogue.urls import public_url
from curator.publishing import bundle_import, cautions, export_journal, overrides, privacy
from curator.publishing.bundle_import import ImportReport, register
from curator.publishing.bundles import writer
from curator.publishing.workflow import PersonalDataFound, approvers_of
from curator.storage import events

if TYPE_CHECKING:
    from curator.context import Context

EXPORT_SQL = """
SELECT r.id FROM resources r
WHERE (r.status = 'approved' OR EXISTS (SELECT 1 FROM published_versions p
                                   WHERE p.resource_id = r.id))
  AND r.deleted_at IS NULL
  AND EXISTS (SELECT 1 FROM resource_themes t WHERE t.resource_id = r.id AND t.theme_code IN ({}))
ORDER BY r.title COLLATE NOCASE
"""


@dataclass
class Previous:
    id: str
    themes: list[dict]
    fingerprints: dict[str, str]


def library_id(ctx: Context) -> str:
    value = ctx.setting("library_id")
    if not value:
        value = str(uuid.uuid4())
        ctx.set_setting("library_id", value)
    return value


APPROVAL_SQL = """
SELECT at, expert_name FROM events
WHERE entity = 'resource' AND entity_id = ? AND action = 'workflow.approved'
ORDER BY id DESC LIMIT 1
"""


def _public(db, res: resources.Resource) -> dict:
    """A resource as it leaves: its web address without credentials or identity and
    tracking parameters, with who approved it and when (from the audit log)."""
    res = as_published(db, res)
    approval = db.execute(APPROVAL_SQL, (res.id,)).fetchone()
    on, by = (approval["at"], approval["expert_name"]) if approval else (None, None)
    if on is None:  # approved without a workflow event (the demo, older libraries)
        kept = published.get(db, res.id)
        on, by = (kept.approved_at, kept.approved_by) if kept else (None, None)
    access = db.execute("SELECT access FROM resources WHERE id = ?", (res.id,)).fetchone()
    return {**res.to_dict(), "url": public_url(res.url), "last_reviewed": res.last_reviewed,
            "approved_on": on[:10] if on else None, "approved_by": by or None,
            "access": access["access"] if access else None}


def as_published(db, res: resources.Resource) -> resources.Resource:
    """The resource as a bundle carries it: while an edit waits for approval, the version
    a lead approved (:mod:`curator.catalogue.published`)."""
    kept = published.get(db, res.id) if res.status != "approved" else None
    if kept is None:
        return res
    return dataclasses.replace(res, **kept.fields, status="approved")


def _previous(db, key: str) -> Previous | None:
    row = db.execute("SELECT id, themes FROM bundles WHERE kind = 'export' AND themes_key = ? "
                     "ORDER BY recorded_at DESC, rowid DESC LIMIT 1", (key,)).fetchone()
    if row is None:
        return None
    prints = {r["resource_id"]: r["fingerprint"] for r in db.execute(
        "SELECT resource_id, fingerprint FROM bundle_items WHERE bundle_id = ?", (row["id"],))}
    return Previous(row["id"], json.loads(row["themes"]), prints)


def export_bundle(ctx: Context, theme_codes: list[str], to: str | Path | None = None,
                  override_reason: str | None = None, despite: str | None = None):
    """Write a bundle of the themes' approved resources; returns the BundleInfo.

    Every resource is checked for personal data in every field that leaves (web
    addresses lose their user names, passwords and tracking or identity parameters
    first). A resource with a find goes out only when an approver's override covers
    exactly its current text, or when a lead of one of its themes exports now with a
    reason (which is recorded as that resource's override). The export is whole or
    absent even if the process is stopped part-way (:mod:`export_journal`).
    """
    actor = ctx.actor
    codes = themes.resolve_codes(ctx.store, theme_codes)
    if not codes:
        raise CuratorError("Choose at least one theme to export.")
    export_journal.reconcile(ctx)
    db = ctx.store.db
    marks = ",".join("?" * len(codes))
    ids = [r["id"] for r in db.execute(EXPORT_SQL.format(marks), codes)]
    records = [_public(db, resources.get(db, rid)) for rid in ids]
    problems = _unresolved_warnings(db, records)
    reason = (override_reason or "").strip()
    if problems and not reason:
        first, hits = problems[0]
        more = f" {plural(len(problems) - 1, 'other resource')} too." if len(problems) > 1 else ""
        raise PersonalDataFound(
            f"“{first['title'] or first['url']}”: "
            + privacy.describe(hits, before="exporting the bundle") + more,
            [h for _, hs in problems for h in hs])
    for rec, _ in problems:
        if actor.id not in approvers_of(db, rec["themes"]):
            raise NotAllowed(
                f"Only a lead or deputy of {', '.join(rec['themes']) or 'its theme'} may export "
                f"“{rec['title'] or rec['url']}” past a personal-data warning; "
                f"{actor.name} is not one.")
    held = cautions.unresolved(db, records)  # withdrawn, superseded, broken, moved
    if held and not (despite or "").strip():
        cautions.refuse_export(held)
    theme_list = [{"code": t.code, "name": t.name}
                  for t in (themes.get(ctx.store, c) for c in codes)]
    key = ",".join(sorted(codes))
    previous = _previous(db, key)
    folder = Path(to).expanduser() if to else ctx.default_export_folder()
    lib_id = library_id(ctx)
    info, data = writer.build_bundle(folder, resources=records, themes=theme_list,
                                     created_by=actor.name, previous=previous,
                                     library_id=lib_id)
    if info.path.exists():
        raise writer.BundleError(f"A bundle named {info.path.name} already exists in "
                                 f"{info.path.parent}; bundles are never overwritten.")
    part = writer.part_path(info.path)
    export_journal.begin(ctx, info.id, info.path, part)
    try:
        writer.write_part(part, data)
        _record_export(ctx, info, theme_list, codes, records, problems, reason,
                       held, (despite or "").strip())
    except BaseException:
        if not db.execute("SELECT 1 FROM bundles WHERE id = ?", (info.id,)).fetchone():
            export_journal.reconcile(ctx)  # not recorded: the temporary file goes
        raise
    try:
        writer.put_in_place(part, info.path)
    except CuratorError as exc:
        raise StorageError(f"{exc.message} The bundle is recorded; Curator puts it in place "
                           "the next time you export or list bundles.",
                           detail=exc.detail) from exc
    export_journal.end(ctx, info.id)
    return info


def _unresolved_warnings(db, records: list[dict]) -> list[tuple[dict, list]]:
    """The records with finds that no approver's override covers as they are now."""
    problems = []
    for rec in records:
        hits = privacy.scan_resource(
            rec, page_text=lambda rid=rec["id"]: resources.text_of(db, rid))
        if hits and not overrides.covered(db, rec["id"], hits, privacy.texts(rec)):
            problems.append((rec, hits))
    return problems


def _record_export(ctx: Context, info, theme_list: list[dict], codes: list[str],
                   records: list[dict], problems: list, reason: str, held: list = (),
                   despite: str = "") -> None:
    actor = ctx.actor
    with ctx.store.write("record the bundle") as wdb:
        register(wdb, "export", info.id, info.path, theme_list, info.created_at,
                  actor.name, info.previous_id, info.library_id, info.counts, records)
        detail = {"path": str(info.path), "themes": codes, "counts": info.counts}
        if problems:
            detail["personal_data_override"] = reason
            detail["resources_with_warnings"] = [rec["id"] for rec, _ in problems]
        events.record(wdb, actor, "bundle.export", "bundle", info.id, detail)
        for rec, hits in problems:
            events.record(wdb, actor, "privacy.override", "resource", rec["id"],
                          {**overrides.record_detail(hits, privacy.texts(rec), reason),
                           "step": "export", "bundle": info.id})
        if held:
            cautions.record_export(wdb, actor, held, despite, info.id)


def import_bundle(ctx: Context, path: str | Path) -> ImportReport:
    """Check a bundle and merge it in; see :mod:`curator.publishing.bundle_import`."""
    return bundle_import.import_bundle(ctx, path)


def list_bundles(ctx: Context) -> list[dict]:
    """Every bundle written or read, oldest first (an export a stop left half-done is
    finished or undone first)."""
    export_journal.reconcile(ctx)
    return [{**dict(r), "themes": json.loads(r["themes"]), "counts": json.loads(r["counts"])}
            for r in ctx.store.query("SELECT id, kind, path, themes, created_at, created_by, "
                                     "previous_id, counts FROM bundles ORDER BY recorded_at")]

