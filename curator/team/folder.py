"""Where team files go, and the queue of signed files waiting for the folder.

The team folder holds ``team.json`` (the register) and four subfolders: ``requests``
(join requests), ``submissions``, ``decisions`` and ``releases``. Every file is written
once, under a name no other file has, to a temporary name first and then renamed, so a
reader never sees half of one. A file is signed the moment it is made and kept in the
library's ``team_outbox`` until the folder takes it: when the folder cannot be reached
(offline, a drive not mapped) nothing is lost and it goes out on the next sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from curator.base import clock
from curator.base.atomic import write_text_atomic
from curator.base.errors import CuratorError
from curator.base.words import plural, verb
from curator.storage import settings
from curator.storage.store import Store

FOLDER_SETTING = "team.folder"
REQUESTS = "requests"
SUBMISSIONS = "submissions"
DECISIONS = "decisions"
RELEASES = "releases"
SUBFOLDERS = (REQUESTS, SUBMISSIONS, DECISIONS, RELEASES)
SUFFIX = ".json"


def team_folder(store: Store) -> Path | None:
    value = settings.get(store, FOLDER_SETTING)
    return Path(value) if value else None


def require_folder(store: Store) -> Path:
    folder = team_folder(store)
    if folder is None:
        raise CuratorError("No team folder is set for this library yet. Choose the one your "
                           "service shares: curator team set FOLDER")
    return folder


def set_folder(store: Store, path: str | Path) -> Path:
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise CuratorError(f"There is no folder {folder}. Check the drive is connected, or "
                           "ask IT where the team folder is.")
    folder = folder.resolve()
    for sub in SUBFOLDERS:  # made now so people see where things go (if we may write)
        try:
            (folder / sub).mkdir(exist_ok=True)
        except OSError:
            pass
    settings.put(store, FOLDER_SETTING, str(folder))
    return folder


def reachable(folder: Path | None) -> bool:
    try:
        return folder is not None and folder.is_dir()
    except OSError:
        return False


def file_name(kind: str, file_id: str, to: list[str] = ()) -> str:
    """``<UTC stamp>-<kind>-<id>[-to-<key>+<key>].json``. The addressees' short key ids in
    the name only let a reader skip, unread, files for others; whom a file is for is
    decided by its signed body alone."""
    stamp = clock.now_iso().replace("-", "").replace(":", "")
    to_part = "-to-" + "+".join(short_id(k) for k in to) if to and len(to) <= 8 else ""
    return f"{stamp}-{kind}-{file_id[:8]}{to_part}{SUFFIX}"


def short_id(public_key: str) -> str:
    from curator.team.keys import key_id
    return key_id(public_key)[:8]


def named_for_others(name: str, public_key: str) -> bool:
    """Whether a file's name says it is addressed to others only (so it need not be read)."""
    if "-to-" not in name or not name.endswith(SUFFIX):
        return False
    named = name[:-len(SUFFIX)].rsplit("-to-", 1)[1].split("+")
    return short_id(public_key) not in named


def queue(db, file_id: str, kind: str, subfolder: str, name: str, content: str,
          resource_id: str | None = None) -> None:
    """Keep a signed file to go out (in the caller's transaction)."""
    db.execute("INSERT INTO team_outbox (file_id, kind, subfolder, name, resource_id, content,"
               " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
               (file_id, kind, subfolder, name, resource_id, content, clock.now_iso()))


def waiting(store: Store) -> list[dict]:
    return [dict(r) for r in store.query(
        "SELECT file_id, kind, name, resource_id, created_at FROM team_outbox "
        "WHERE written_at IS NULL ORDER BY created_at, name")]


@dataclass
class FlushResult:
    written: list[str]
    waiting: int
    problem: str = ""


def flush(store: Store, folder: Path | None) -> FlushResult:
    """Write every queued file into the team folder; what cannot go now waits."""
    rows = store.query("SELECT file_id, subfolder, name, content FROM team_outbox "
                       "WHERE written_at IS NULL ORDER BY created_at, name")
    if not rows:
        return FlushResult([], 0)
    if not reachable(folder):
        return FlushResult([], len(rows), f"The team folder {folder} cannot be reached; "
                           f"{plural(len(rows), 'file')} "
                           f"{verb(len(rows), 'waits', 'wait')} to go out.")
    written: list[str] = []
    problem = ""
    for row in rows:
        target = folder / row["subfolder"] / row["name"]
        try:
            if not (target.is_file() and target.read_text(encoding="utf-8") == row["content"]):
                if target.exists():
                    raise OSError(f"{target.name} is already there with other content")
                write_text_atomic(target, row["content"])
        except OSError as exc:
            problem = f"Could not write to the team folder ({exc}); it will be tried again."
            break
        with store.write("note the file went out") as db:
            db.execute("UPDATE team_outbox SET written_at = ? WHERE file_id = ?",
                       (clock.now_iso(), row["file_id"]))
        written.append(row["name"])
    return FlushResult(written, len(rows) - len(written), problem)


def candidates(folder: Path, subfolder: str) -> list[Path]:
    """The team files in one subfolder, oldest name first: plain ``.json`` files only
    (a sync client's temporary and hidden files, folders and links are left alone)."""
    where = folder / subfolder
    try:
        if where.is_symlink():  # a link out of the team folder is never followed
            return []
        entries = sorted(where.iterdir(), key=lambda p: p.name)
    except OSError:
        return []
    return [p for p in entries if p.name.endswith(SUFFIX) and not p.name.startswith((".", "~"))
            and not p.is_symlink()]
