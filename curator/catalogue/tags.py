"""Tags that stay tidy: one spelling per tag, a list with counts, rename and merge.

"MARAC" and "marac" are one tag. The database keeps it so on every write path (edits,
imports, bundles): a tag typed in another case is stored under the spelling already in
use, the first one used winning, and a spelling merged or renamed into another is
recorded in ``tag_spellings`` and stored under the new one from then on (the trigger
``resource_tags_one_spelling``, :mod:`curator.storage.schema`).

Renaming or merging changes each resource through :func:`resources.update`, so each
change is in that resource's history and the usual rule holds: tags are published, so an
approved resource whose tags change goes back for approval (its approved version stays
published meanwhile).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from curator.base import clock
from curator.base.errors import CuratorError, NotFound
from curator.catalogue import resources
from curator.storage import events
from curator.storage.events import Actor
from curator.storage.store import Store

COUNT_SQL = """
SELECT t.tag AS tag, count(*) AS n FROM resource_tags t
JOIN resources r ON r.id = t.resource_id AND r.deleted_at IS NULL
GROUP BY t.tag COLLATE NOCASE ORDER BY t.tag COLLATE NOCASE
"""


@dataclass(frozen=True)
class Tag:
    """A tag, how many resources (not in the trash) carry it, and the other spellings
    that were merged or renamed into it."""

    name: str
    count: int
    spellings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"name": self.name, "count": self.count, "spellings": self.spellings}


@dataclass(frozen=True)
class TagChange:
    """What a rename or merge did: the tag now, how many resources changed, and how many
    of them were approved and so went back for approval."""

    tag: str
    resources: int
    sent_back: int
    merged: list[str]

    @property
    def text(self) -> str:
        what = f"{self.resources:,} resource{'' if self.resources == 1 else 's'}"
        back = (f" {self.sent_back:,} approved one{'' if self.sent_back == 1 else 's'} went "
                "back for approval (still published as approved meanwhile)."
                if self.sent_back else "")
        return f"“{self.tag}” is now on {what}.{back}"

    def to_dict(self) -> dict:
        return {"tag": self.tag, "resources": self.resources, "sent_back": self.sent_back,
                "merged": self.merged}


def clean(tag: str) -> str:
    """A tag as it is stored: spaces tidied, checked for length."""
    (out,) = resources.clean_tags([tag]) or [""]
    if not out:
        raise CuratorError("A tag needs at least one letter or number.")
    return out


def list_tags(store: Store) -> list[Tag]:
    """Every tag in use, A to Z (any case), with its count and merged spellings."""
    spellings: dict[str, list[str]] = {}
    for r in store.query("SELECT spelling, tag FROM tag_spellings ORDER BY recorded_at"):
        if r["spelling"] != r["tag"]:
            spellings.setdefault(r["tag"].casefold(), []).append(r["spelling"])
    return [Tag(r["tag"], r["n"], spellings.get(r["tag"].casefold(), []))
            for r in store.query(COUNT_SQL)]


def completions(store: Store) -> list[str]:
    """Tag names to offer while typing: the most used first, then A to Z."""
    return [t.name for t in sorted(list_tags(store), key=lambda t: (-t.count,
                                                                    t.name.casefold()))]


def find(store: Store, name: str) -> str | None:
    """The spelling in use for *name* (any case, or a spelling merged into it), or None."""
    row = store.query_one(
        "SELECT COALESCE((SELECT s.tag FROM tag_spellings s WHERE s.spelling = ?), "
        "(SELECT t.tag FROM resource_tags t WHERE t.tag = ? LIMIT 1)) AS tag", (name, name))
    return row["tag"] if row and row["tag"] else None


def _in_use(db, name: str) -> str | None:
    row = db.execute("SELECT tag FROM resource_tags WHERE tag = ? LIMIT 1", (name,)).fetchone()
    return row["tag"] if row else None


def _carriers(db, names: list[str]) -> list[str]:
    marks = ",".join("?" * len(names))
    return [r["resource_id"] for r in db.execute(
        f"SELECT DISTINCT resource_id FROM resource_tags WHERE tag IN ({marks}) "
        "ORDER BY resource_id", names)]


def _record_spelling(db, spelling: str, tag: str, how: str) -> None:
    # Spellings that led to an old name now lead to the new one.
    db.execute("UPDATE tag_spellings SET tag = ? WHERE tag = ?", (tag, spelling))
    db.execute("INSERT OR REPLACE INTO tag_spellings (spelling, tag, recorded_at, how) "
               "VALUES (?, ?, ?, ?)", (spelling, tag, clock.now_iso(), how))


def _retag(db, actor: Actor, old: list[str], new: str, action: str) -> tuple[int, int]:
    """Give every resource carrying one of *old* the tag *new* instead."""
    folded = {o.casefold() for o in old}
    changed = sent_back = 0
    for rid in _carriers(db, old):
        res = resources.get(db, rid)
        tags: list[str] = []
        for t in res.tags:
            t = new if t.casefold() in folded else t
            if t.casefold() not in {x.casefold() for x in tags}:
                tags.append(t)
        after = resources.update(db, actor, rid, {"tags": tags}, action=action,
                                 extra={"tag": new, "from": old})
        changed += 1
        sent_back += res.status == "approved" and after.status != "approved"
    return changed, sent_back


def rename(store: Store, actor: Actor, old: str, new: str) -> TagChange:
    """Rename a tag on every resource (a change of case too). Refused when the new name is
    another tag already: merge them instead."""
    new = clean(new)
    with store.write("rename the tag") as db:
        current = _in_use(db, old.strip())
        if current is None:
            raise NotFound(f"No resource has the tag “{old.strip()}”. See: curator tags list")
        other = _in_use(db, new)
        if other is not None and other.casefold() != current.casefold():
            raise CuratorError(f"There is already a tag “{other}”. To make the two one tag, "
                               f"merge them: curator tags merge \"{current}\" \"{other}\"")
        if new == current:
            raise CuratorError(f"The tag is already spelled “{new}”.")
        _record_spelling(db, current, new, "rename")
        db.execute("INSERT OR REPLACE INTO tag_spellings (spelling, tag, recorded_at, how) "
                   "VALUES (?, ?, ?, 'rename')", (new, new, clock.now_iso()))
        changed, sent_back = _retag(db, actor, [current], new, "tag.rename")
        events.record(db, actor, "tag.rename", "tag", new,
                      {"from": current, "to": new, "resources": changed})
    return TagChange(new, changed, sent_back, [current])


def merge(store: Store, actor: Actor, names: list[str], into: str) -> TagChange:
    """Make several tags one: every resource with any of *names* gets *into* instead (the
    spelling already in use when *into* is a tag already); the old spellings are kept so
    that typing one later gives *into*."""
    into = clean(into)
    with store.write("merge the tags") as db:
        target = _in_use(db, into) or into
        sources: list[str] = []
        for name in names:
            current = _in_use(db, name.strip())
            if current is None:
                raise NotFound(f"No resource has the tag “{name.strip()}”. "
                               "See: curator tags list")
            if current.casefold() != target.casefold() and current not in sources:
                sources.append(current)
        if not sources:
            raise CuratorError("Name at least one other tag to merge into "
                               f"“{target}”.")
        for name in sources:
            _record_spelling(db, name, target, "merge")
        changed, sent_back = _retag(db, actor, sources, target, "tag.merge")
        events.record(db, actor, "tag.merge", "tag", target,
                      {"from": sources, "into": target, "resources": changed})
    return TagChange(target, changed, sent_back, sources)
