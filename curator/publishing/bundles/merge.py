"""Planning the merge of an imported bundle into a library: what to add, update or ask about.

The plan is pure: it reads the library's resources and the bundle and decides; the
Library applies it in one transaction. The rule, for each resource in the bundle:

1. Match it to a local resource by id, else by normalised address.
2. No match: **added**.
3. The same content (:func:`content_fingerprint`) on both sides: **unchanged**, unless
   the bundle's copy was reviewed more recently, which makes it **updated** (to carry
   the review date over).
4. The content differs and the common version is known (*base*: the content fingerprint
   recorded when this resource was last exported or imported):

   - only the bundle's copy moved away from it: **updated**;
   - only the local copy did: **unchanged** (the local edit is newer and is kept);
   - both did: a **conflict**, for a person to settle.

5. The content differs and there is no common version:

   - matched by id: the newer edit wins (``updated_at``, then ``version``); the bundle's
     newer edit is **updated**, a newer local one is **unchanged**, equal stamps are a
     **conflict**;
   - matched only by address (two libraries clipped the same page separately): a
     **conflict**, since neither is an edit of the other.

Resources the bundle lists as removed and this library holds are listed in ``removed``;
whether to retire them is the Library's decision. A resource whose address cannot be
normalised, or that repeats another's address within the bundle, is ``rejected``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
               base: Mapping[str, str] | None = None) -> Plan:
    """Decide what importing *bundle* into a library holding *local* would do.

    Args:
        local: the library's resources, id -> record (``Resource.to_dict()`` will do).
        bundle: a bundle from :func:`curator.publishing.bundles.read_bundle`.
        normalise_url: the library's address normaliser (``curator.catalogue.urls.normalise_url``).
        base: id -> :func:`content_fingerprint` of each resource as it was when last
            exported or imported; without it, newer edits win and no conflict is found
            between copies of the same resource.
    """
    base = base or {}
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
        if incoming["id"] in local:
            local_id, matched_by = incoming["id"], "id"
        elif key in by_url:
            local_id, matched_by = by_url[key], "url"
        else:
            plan.added.append(PlanItem(incoming, None, None, "new to this library"))
            continue
        bucket, reason = _decide(local[local_id], incoming, matched_by, base.get(local_id))
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
            base: str | None) -> tuple[str, str]:
    mine = content_fingerprint(local)
    theirs = content_fingerprint(incoming)
    if mine == theirs:
        if (incoming.get("last_reviewed") or "") > (_day(local.get("last_reviewed")) or ""):
            return "updated", "the same content, reviewed more recently in the bundle"
        return "unchanged", "the same content"
    if base is not None:
        if mine == base:
            return "updated", "changed in the bundle since it was last shared"
        if theirs == base:
            return "unchanged", "changed in this library since it was last shared; kept"
        return "conflicts", "changed both here and in the bundle since it was last shared"
    if matched_by == "url":
        return "conflicts", ("the same web address is described differently here and in "
                             "the bundle")
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
