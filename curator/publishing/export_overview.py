"""Before an export: how many approved resources each theme has, and what a bundle of
some themes would add, update and take out since the last bundle of the same themes
(worked out as :func:`curator.publishing.portal.export_bundle` works it out)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from curator.catalogue import resources, themes
from curator.publishing import portal
from curator.publishing.bundles.format import fingerprint
from curator.publishing.bundles.html import human_date

if TYPE_CHECKING:
    from curator.context import Context


@dataclass(frozen=True)
class ExportChanges:
    """What a bundle of some themes would hold now, against the last one of those themes.

    Attributes:
        resources: approved resources a bundle would hold now.
        previous_at: when the last bundle of exactly these themes was made (None: never).
        added, updated, removed: how many resources are new, changed and gone since then.
    """

    resources: int
    previous_at: str | None
    previous_by: str | None
    added: int
    updated: int
    removed: int

    @property
    def text(self) -> str:
        """In words, for the export dialog."""
        n = self.resources
        holds = f"The bundle will hold {n:,} approved resource{'' if n == 1 else 's'}."
        if self.previous_at is None:
            return holds + " It is the first bundle of these themes."
        return (f"{holds} Since the last bundle of these themes "
                f"({human_date(self.previous_at[:10])}, by {self.previous_by}): "
                f"{self.added:,} new, {self.updated:,} updated, {self.removed:,} taken out.")


def approved_counts(ctx: Context) -> dict[str, int]:
    """Theme code -> how many approved resources a bundle of that theme alone would hold."""
    sql = portal.EXPORT_SQL.format("?")
    return {t.code: len(ctx.store.query(sql, (t.code,))) for t in themes.list_all(ctx.store)}


def export_changes(ctx: Context, theme_codes: list[str]) -> ExportChanges:
    """What exporting *theme_codes* now would add, update and remove since the last
    bundle of the same themes (worked out as the export itself works it out)."""
    codes = themes.resolve_codes(ctx.store, theme_codes)
    if not codes:
        return ExportChanges(0, None, None, 0, 0, 0)
    db = ctx.store.db
    marks = ",".join("?" * len(codes))
    ids = [r["id"] for r in db.execute(portal.EXPORT_SQL.format(marks), codes)]
    now = {rid: fingerprint(portal._public(db, resources.get(db, rid))) for rid in ids}
    key = ",".join(sorted(codes))
    previous = portal._previous(db, key)
    if previous is None:
        return ExportChanges(len(now), None, None, len(now), 0, 0)
    row = db.execute("SELECT created_at, created_by FROM bundles WHERE id = ?",
                     (previous.id,)).fetchone()
    before = previous.fingerprints
    return ExportChanges(
        resources=len(now), previous_at=row["created_at"], previous_by=row["created_by"],
        added=sum(1 for i in now if i not in before),
        updated=sum(1 for i in now if i in before and before[i] != now[i]),
        removed=sum(1 for i in before if i not in now))
