"""A bundle export that is whole or absent, even when the computer stops half-way.

Writing the zip and recording it in the library are two steps on two stores (a folder,
the database), so a crash, a kill or a power cut between them could leave a bundle that
``curator bundles`` does not know, or a record of a bundle that is not there. So an
export goes in five steps, each safe to stop after:

1. :func:`begin` notes in the library that this bundle is being written, with its name
   and temporary name;
2. the zip is written under its temporary, hidden name (``.NAME.zip.part``);
3. the bundle is recorded (one transaction);
4. the temporary file is given its real name;
5. :func:`end` removes the note.

:func:`reconcile` (run before every export and whenever bundles are listed) finishes or
undoes whatever a stopped export left: a recorded bundle is put in place; the temporary
file of one never recorded is removed. So whatever the moment of the stop, afterwards
either the bundle is recorded and in place, or no bundle file is left.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from curator.base.errors import CuratorError
from curator.publishing.bundles import writer

if TYPE_CHECKING:
    from curator.context import Context

log = logging.getLogger(__name__)

#: Settings keys of exports under way: this prefix and the bundle id.
PREFIX = "export_pending:"


def begin(ctx: Context, bundle_id: str, path: Path, part: Path) -> None:
    """Note that bundle *bundle_id* is being written to *part*, to become *path*."""
    ctx.set_setting(PREFIX + bundle_id, json.dumps({"path": str(path), "part": str(part)}))


def end(ctx: Context, bundle_id: str) -> None:
    """The export of *bundle_id* is finished (or undone): forget the note."""
    with ctx.store.write("finish the export") as db:
        db.execute("DELETE FROM settings WHERE key = ?", (PREFIX + bundle_id,))


def reconcile(ctx: Context) -> list[str]:
    """Finish or undo every export a stop left half-done; returns the bundle ids seen.

    Never raises for a folder that cannot be reached now (a network drive that is not
    connected): that export is left noted and tried again next time.
    """
    rows = ctx.store.query("SELECT key, value FROM settings WHERE key LIKE ?",
                           (PREFIX + "%",))
    done = []
    for row in rows:
        bundle_id = row["key"][len(PREFIX):]
        try:
            note = json.loads(row["value"] or "{}")
            path, part = Path(note["path"]), Path(note["part"])
        except (ValueError, KeyError, TypeError):
            end(ctx, bundle_id)
            continue
        recorded = ctx.store.query_one("SELECT 1 FROM bundles WHERE id = ?", (bundle_id,))
        try:
            if recorded and part.exists():
                writer.put_in_place(part, path)
            elif recorded and not path.exists():
                log.warning("The bundle %s is recorded but its file is gone.", bundle_id)
            else:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(part)
        except (OSError, CuratorError):
            log.warning("An unfinished export (%s) could not be tidied up now; it will be "
                        "tried again.", bundle_id, exc_info=True)
            continue
        end(ctx, bundle_id)
        done.append(bundle_id)
    return done
