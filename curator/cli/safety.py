"""Commands that keep a library safe and set preferences: backup, restore, settings."""

from __future__ import annotations

from pathlib import Path

from curator.base.errors import CuratorError
from curator.cli.output import _out, say


def cmd_backup(lib, args) -> int:
    path = lib.backup("manual")
    _out(args, {"path": str(path)}, lambda: say(path))
    return 0


def cmd_backups(lib, args) -> int:
    items = lib.list_backups()
    _out(args, [{"path": str(b.path), "taken": b.taken.isoformat(), "reason": b.reason,
                 "size": b.size} for b in items],
         lambda: [say(f"{b.taken.astimezone():%Y-%m-%d %H:%M}  {b.reason:<15} {b.path}")
                  for b in items] or (None if items else say("No backups yet.")))
    return 0


def is_backup(args) -> bool:
    """``restore`` with nothing, or with a backup file, restores the library."""
    from curator.storage import paths
    if not args.id:
        return True
    name = Path(args.id)
    folder = paths.resolve_library_dir(args.library)
    return name.suffix == ".db" or name.exists() or (folder / "backups" / name).exists()


def cmd_restore(args) -> int:
    from curator.storage import paths, recovery
    folder = paths.resolve_library_dir(args.library)
    chosen = None
    if args.id:
        chosen = Path(args.id)
        if not chosen.exists():
            chosen = folder / "backups" / args.id
    used, kept = recovery.restore(folder, chosen)
    data = {"restored_from": str(used), "previous_kept_as": str(kept) if kept else None}

    def human():
        say(f"Restored the library from {used.name}.")
        if kept:
            say(f"The database it replaced is kept as {kept}.")
        say("The search index will be rebuilt the next time the library opens.")
    _out(args, data, human)
    return 0


def cmd_settings(args) -> int:
    from dataclasses import asdict

    from curator import preferences
    prefs = preferences.load()
    if args.key:
        if args.value is None:
            raise CuratorError("Give a value too, for example: curator settings proxy none")
        prefs.set(args.key, args.value)
        preferences.save(prefs)
    data = asdict(prefs)
    _out(args, data, lambda: [say(f"{k:24s} {v}") for k, v in data.items()])
    return 0
