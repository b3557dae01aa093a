"""Going ahead past a personal-data warning: what an approver's override covers.

Only an approver (a lead of one of the resource's themes) may go ahead past a warning,
and only with a reason. The override covers exactly the text it was given for, never
the resource as such. It is recorded in the audit log with a fingerprint (SHA-256) of
each field that held a find and the finds themselves (field, kind, position), never the
text. A later check (the next export) accepts it only while those fields are unchanged
and nothing new is found there: any change to them, by an edit, an imported bundle or a
change made to the database by hand, needs a new override.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


#: Audit events whose override a later export may rely on: an approval past a warning,
#: and an export past one.
RELIED_ON = ("workflow.approved", "privacy.override")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_detail(hits: list, texts: Mapping[str, str], reason: str) -> dict:
    """The audit detail of an override of *hits* in *texts* (field -> exact text)."""
    fields = sorted({h.field for h in hits})
    return {"personal_data_override": reason.strip(),
            "hits": [h.label for h in hits],
            "covers": {f: _digest(texts.get(f, "")) for f in fields},
            "finds": [h.signature for h in hits]}


def covers(detail: Mapping, hits: list, texts: Mapping[str, str]) -> bool:
    """Does the override recorded as *detail* cover every one of *hits* in *texts*?"""
    prints = detail.get("covers")
    finds = detail.get("finds")
    if not detail.get("personal_data_override") or not isinstance(prints, dict) or \
            not isinstance(finds, list):
        return False  # an override recorded before fingerprints covers nothing now
    known = {tuple(f) for f in finds if isinstance(f, list)}
    for hit in hits:
        if prints.get(hit.field) != _digest(texts.get(hit.field, "")):
            return False
        if tuple(hit.signature) not in known:
            return False
    return True


def covered(db: Database, resource_id: str, hits: list, texts: Mapping[str, str]) -> bool:
    """Has an approver already gone ahead past exactly these finds in exactly this text?"""
    marks = ",".join("?" * len(RELIED_ON))
    rows = db.execute(f"SELECT detail FROM events WHERE entity = 'resource' AND entity_id = ? "
                      f"AND action IN ({marks}) ORDER BY id DESC",
                      (resource_id, *RELIED_ON)).fetchall()
    for row in rows:
        try:
            detail = json.loads(row["detail"])
        except ValueError:
            continue
        if isinstance(detail, dict) and covers(detail, hits, texts):
            return True
    return False
