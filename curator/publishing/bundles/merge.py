"""Planning the merge of an imported bundle into a library: what to add, update or ask about.

The plan is pure: it reads the library's resources and the bundle and decides; the
Library applies it in one transaction. The rule, for each resource in the bundle:

1. A resource whose id or address is in this library's trash is **rejected**: the
   person put it there, and an import never brings it back by itself.
2. Match it to a local resource by id, else by normalised address.
3. No match: **added**.
4. The same content (:func:`content_fingerprint`) on both sides: **unchanged**, unless
   the bundle's copy was reviewed more recently, which makes it **updated** (to carry
   the review date over).
5. The bundle holds a version this library has already had (*seen*: every content
   fingerprint recorded when this library exported or imported the resource) and the
   local copy has moved on since: **unchanged**. Older text never replaces newer text.
6. The content differs and the common version is known (*base*: the content fingerprint
   of the resource as this library last received it from the bundle's own library):

   - only the bundle's copy moved away from it: **updated**;
   - only the local copy did: **unchanged** (the local edit is newer and is kept);
   - both did: a **conflict**, for a person to settle.

7. The content differs and there is no common version:

   - matched only by address (two libraries clipped the same page separately): a
     **conflict**, since neither is an edit of the other;
   - matched by id, when this library has shared the resource before (*seen*): the
     bundle's copy is an edit of what was shared if the local copy is still what was
     shared (**updated**); if the local copy was edited since, both may have changed:
     a **conflict**;
   - matched by id, with nothing known: the newer edit wins (``updated_at``, then
     ``version``); the bundle's newer edit is **updated**, a newer local one is
     **unchanged**, equal stamps are a **conflict**.

Resources the bundle lists as removed and this library holds are listed in ``removed``;
whether to retire them is the Library's decision. A resource whose address cannot be
normalised, or that repeats another's address within the bundle, is ``rejected``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from curator.publishing.bundles.format import Bundle, content_fingerprint, public_resource


@dataclass(frozen=True)
class PlanItem:
    """One resource of the bundle and what the plan makes of it.

    Attributes:
        incoming: the bundle's public record of the resource.
        local_id: the matching local resource's id, or None for an added one.
        matched_by: "id", "url", or None.
        reason: why, in plain words, for the import report.
    """

    incoming: dict
    local_id: str | None
    matched_by: str | None
    reason: str


@dataclass(frozen=True)
class Plan:
    added: list[PlanItem] = field(default_factory=list)
    updated: list[PlanItem] = field(default_factory=list)
    conflicts: list[PlanItem] = field(default_factory=list)
    unchanged: list[PlanItem] = field(default_factory=list)
    #: ids of local resources the bundle says were removed since its previous bundle.
    removed: list[str] = field(default_factory=list)
    rejected: list[PlanItem] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in
                ("added", "updated", "conflicts", "unchanged", "removed", "rejected")}


def merge_plan(local: Mapping[str, Mapping], bundle: Bundle,
               normalise_url: Callable[[str], str], *,
               base: Mapping[str, str] | None = None,
               seen: Mapping[str, Collection[str]] | None = None,
               trash: Mapping[str, Mapping] | None = None) -> Plan:
    """Decide what importing *bundle* into a library holding *local* would do.

    Args:
        local: the library's resources, id -> record (``Resource.to_dict()`` will do).
        bundle: a bundle from :func:`curator.publishing.bundles.read_bundle`.
        normalise_url: the library's address normaliser (``curator.catalogue.urls.normalise_url``).
        base: id -> :func:`content_fingerprint` of each resource as this library last
            received it from the bundle's library (the version both sides had).
        seen: id -> every content fingerprint this library has exported or imported for
            the resource; a bundle's copy among them is older than the local one.
        trash: the library's resources in the trash, id -> record; never matched,
            always rejected.
        Without *base* and *seen*, newer edits win and no conflict is found between
        copies of the same resource.
    """
    base = base or {}
    trash = trash or {}
    trashed_keys = {k for k in (_key(normalise_url, r.get("url")) for r in trash.values()) if k}
    by_url: dict[str, str] = {}
    for rid, record in local.items():
        key = _key(normalise_url, record.get("url"))
        if key is not None:
            by_url.setdefault(key, rid)

    plan = Plan()
    seen_keys: set[str] = set()
    local_removed = [rid for rid in bundle.changes.removed if rid in local]
    plan.removed.extend(local_removed)
    for incoming in bundle.resources:
        key = _key(normalise_url, incoming["url"])
        if key is None:
            plan.rejected.append(PlanItem(incoming, None, None,
                                          "its web address is not one Curator accepts"))
            continue
        if key in seen_keys:
            plan.rejected.append(PlanItem(incoming, None, None,
                                          "another resource in the bundle has the same "
                                          "web address"))
            continue
        seen_keys.add(key)
        if incoming["id"] in trash or key in trashed_keys:
            plan.rejected.append(PlanItem(incoming, None, None,
                                          "it is in this library's trash, so it was left "
                                          "there; restore it from the trash to have it back"))
            continue
        if incoming["id"] in local:
            local_id, matched_by = incoming["id"], "id"
        elif key in by_url:
            local_id, matched_by = by_url[key], "url"
        else:
            plan.added.append(PlanItem(incoming, None, None, "new to this library"))
            continue
        bucket, reason = _decide(local[local_id], incoming, matched_by, base.get(local_id),
                                 None if seen is None else set(seen.get(local_id, ())))
        getattr(plan, bucket).append(PlanItem(incoming, local_id, matched_by, reason))
    return plan


def _key(normalise_url: Callable[[str], str], url: object) -> str | None:
    if not isinstance(url, str) or not url:
        return None
    try:
        return normalise_url(url)
    except Exception:  # noqa: BLE001 - any failure means "not an address we can match"
        return None


def _decide(local: Mapping, incoming: dict, matched_by: str,
            base: str | None, seen: set[str] | None) -> tuple[str, str]:
    mine = content_fingerprint(local)
    theirs = content_fingerprint(incoming)
    if mine == theirs:
        if (incoming.get("last_reviewed") or "") > (_day(local.get("last_reviewed")) or ""):
            return "updated", "the same content, reviewed more recently in the bundle"
        return "unchanged", "the same content"
    if theirs == base or (seen and theirs in seen):
        return "unchanged", ("the bundle holds an older version, which this library has "
                             "changed since; this library's copy is kept")
    if base is not None:
        if mine == base:
            return "updated", "changed in the bundle since it was last shared"
        return "conflicts", "changed both here and in the bundle since it was last shared"
    if matched_by == "url":
        return "conflicts", ("the same web address is described differently here and in "
                             "the bundle")
    if seen:
        if mine in seen:
            return "updated", "changed in the bundle since this library shared it"
        return "conflicts", ("changed here since this library shared it, and changed in "
                             "the bundle too")
    local_stamp = _stamp(local)
    their_stamp = _stamp(incoming)
    if their_stamp > local_stamp:
        return "updated", "the bundle's edit is newer"
    if their_stamp < local_stamp:
        return "unchanged", "this library's edit is newer; kept"
    return "conflicts", "edited differently here and in the bundle at the same time"


def _day(value: object) -> str | None:
    return str(value)[:10] if value else None


def _stamp(record: Mapping) -> tuple[str, int]:
    public = public_resource(record)
    return (public["updated_at"] or "", public["version"])
