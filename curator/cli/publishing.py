"""Commands for bundles: export for the portal, import, list."""

from __future__ import annotations

from curator.base.words import plural, verb
from curator.cli.output import _out, say


def cmd_export(lib, args) -> int:
    info = lib.export_bundle(args.theme, to=args.to, override_reason=args.override,
                             despite=args.despite)
    _out(args, {"path": str(info.path), "id": info.id, "counts": info.counts,
                "previous": info.previous_id},
         lambda: say(info.path))
    return 0


def cmd_import_bundle(lib, args) -> int:
    report = lib.import_bundle(args.file)

    def human():
        say(f"Added {len(report.added)}, updated {len(report.updated)}, "
              f"{report.unchanged} already up to date, {len(report.conflicts)} in conflict.")
        for title, why in report.conflicts:
            say(f"  Conflict: {title} ({why})")
        for title, why in report.rejected:
            say(f"  Not imported: {title} ({why})")
        if report.removed_upstream:
            gone = len(report.removed_upstream)
            say(f"  {plural(gone, 'resource')} {verb(gone, 'was', 'were')} removed from the "
                "bundle's themes since its last bundle; they are kept here.")
    _out(args, report.to_dict(), human)
    return 0


def cmd_bundles(lib, args) -> int:
    items = lib.bundles()
    _out(args, items, lambda: [say(f"{b['created_at'][:16]}  {b['kind']:<6} "
                                     f"{','.join(t['code'] for t in b['themes']):<10} "
                                     f"{b['path']}") for b in items])
    return 0
