"""Adding a repeated row's new details to the resource already in the library: what it
would change (asked by the preview, so that it says what the run will do) and doing it.

Tags, themes and the note are added; the title, summary, author and date only fill gaps
(the library's own are never overwritten). An approved resource is left as it is unless
the import is told to change approved ones (the change then sends it back for approval).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from curator.base.errors import CuratorError
from curator.catalogue import editing, resources

if TYPE_CHECKING:
    from curator.context import Context

#: The longest note a resource may have.
MAX_NOTES = resources.MAX_TEXT_FIELD["notes"]
_SHORT_ID = 8


@dataclass(frozen=True)
class MergePlan:
    outcome: str  # "merged" or "unchanged"
    changes: dict
    said: list[str]
    why: str  # for "unchanged": why, after "Already in the library (id)"
    short: str

    @property
    def preview_text(self) -> str:
        if self.outcome == "merged":
            return f"Will add to {self.short}: {'; '.join(self.said)}."
        return f"Already in the library ({self.short}){self.why}"

    @property
    def run_text(self) -> str:
        if self.outcome == "merged":
            return f"Merged into {self.short}: added {'; '.join(self.said)}."
        return f"Already in the library ({self.short}){self.why}"


def merge_changes(res: resources.Resource, record: dict, merge_approved: bool) -> MergePlan:
    """What adding a duplicate row's details to the stored *res* would change, and why
    not when it would not. Writes nothing: the preview and the run both ask it."""
    short = res.id[:_SHORT_ID]
    if res.in_trash:
        return MergePlan("unchanged", {}, [], " but in the trash: restore it there to use "
                          "it.", short)
    changes: dict = {}
    said: list[str] = []
    have_tags = {t.casefold() for t in res.tags}
    new_tags = [t for t in record.get("tags", []) if t.casefold() not in have_tags]
    if new_tags:
        changes["tags"] = res.tags + new_tags
        said.append("tags " + ", ".join(new_tags))
    new_themes = [c for c in record.get("themes", []) if c not in res.themes]
    if new_themes:
        changes["themes"] = res.themes + new_themes
        said.append("themes " + ", ".join(new_themes))
    note = record.get("notes", "")
    note_too_long = False
    if note and note not in res.notes:
        joined = f"{res.notes}\n\n{note}" if res.notes else note
        if len(joined) <= MAX_NOTES:
            changes["notes"] = joined
            said.append("the note")
        else:
            note_too_long = True
    for key in ("title", "summary", "author", "published"):
        if record.get(key) and not getattr(res, key):
            changes[key] = record[key]
            said.append(f"the {key}")
    if not changes:
        why = ("; its note is too long to take this file's note as well "
               f"(the most is {MAX_NOTES:,} characters)." if note_too_long
               else "; nothing new to add.")
        return MergePlan("unchanged", {}, [], why, short)
    if res.status == "approved" and not merge_approved:
        return MergePlan("unchanged", changes, said,
                          f" and approved, so it is left as it is (this file would add "
                          f"{'; '.join(said)}).", short)
    return MergePlan("merged", changes, said, "", short)


def merge_into(ctx: Context, resource_id: str, record: dict,
                merge_approved: bool) -> tuple[str, str]:
    """Add a duplicate row's new details to the stored resource; (outcome, message)."""
    res = resources.get(ctx.store.db, resource_id)
    plan = merge_changes(res, record, merge_approved)
    if plan.outcome != "merged":
        return "unchanged", plan.run_text
    try:
        editing.edit(ctx, res.id, plan.changes, expected_version=res.version)
    except CuratorError as exc:
        return "unchanged", (f"Already in the library ({plan.short}); not changed: "
                             f"{exc.message}")
    return "merged", plan.run_text
