"""Adding and changing resources: the checks every front end and import shares.

Each function takes a :class:`~curator.context.Context` (the store, who is acting and how
to bring the search index up to date) and writes in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from curator.base.background import CancelFn, ProgressFn
from curator.base.errors import CuratorError, Duplicate
from curator.catalogue import resources, themes
from curator.catalogue.urls import check_url, normalise_url, same_page_keys

if TYPE_CHECKING:
    from curator.context import Context

#: Fields a described record may carry (imports, demos, benchmarks).
RECORD_FIELDS = ("title", "summary", "notes", "tags", "type", "published", "author", "site",
                 "audience")


@dataclass
class AddManyResult:
    added: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (url, existing id)
    invalid: list[tuple[str, str]] = field(default_factory=list)  # (url, why)


def add_resource(ctx: Context, url: str, *, title: str = "", summary: str = "",
                 notes: str = "", themes_: Iterable[str] = (), tags: Iterable[str] = (),
                 type_: str | None = None, published: str | None = None, author: str = "",
                 site: str = "", text: str = "", index: bool = True) -> resources.Resource:
    """Add a described resource without fetching."""
    checked = check_url(url)
    values = resources.clean_fields({
        "title": title, "summary": summary, "notes": notes, "tags": list(tags),
        "themes": themes.resolve_codes(ctx.store, themes_), "author": author, "site": site,
        "published": published, **({"type": type_} if type_ else {})})
    keys = same_page_keys(checked.url)
    with ctx.store.write("add the resource") as db:
        dup = resources.find_by_keys(db, keys)
        if dup:
            raise Duplicate("That page is already in the library.", dup)
        rid = resources.insert(db, ctx.actor, {"url": checked.url,
                                               "norm_url": normalise_url(checked.url),
                                               **values}, text=text)
        res = resources.get(db, rid)
    if index:
        ctx.refresh_index()
    return res


def add_many(ctx: Context, records: Iterable[dict], *, batch: int = 500,
             progress: ProgressFn = None, cancel: CancelFn = None) -> AddManyResult:
    """Add many described resources at once.

    Each record has ``url`` and any of :data:`RECORD_FIELDS`, ``themes`` and ``text``.
    Records go in batches, each batch one transaction, so a crash keeps every batch already
    acknowledged. Duplicates and invalid rows are reported, not added.
    """
    result = AddManyResult()
    records = list(records)
    pending: list[tuple[dict, str, str]] = []
    theme_cache: dict[str, str] = {}
    actor = ctx.actor

    def flush() -> None:
        with ctx.store.write("add the resources") as db:
            for values, text, key in pending:
                dup = resources.find_by_keys(db, same_page_keys(values["url"]))
                if dup:
                    result.duplicates.append((key, dup))
                    continue
                result.added.append(resources.insert(db, actor, values, text=text))
        pending.clear()

    for n, record in enumerate(records):
        if cancel and cancel():
            break
        url = str(record.get("url") or "")
        try:
            checked = check_url(url)
            codes = []
            for code in record.get("themes") or ():
                if code not in theme_cache:
                    theme_cache[code] = themes.resolve_codes(ctx.store, [code])[0]
                codes.append(theme_cache[code])
            fields = {k: record[k] for k in RECORD_FIELDS if record.get(k) not in (None, "")}
            values = resources.clean_fields({**fields, "themes": codes})
        except CuratorError as exc:
            result.invalid.append((url, exc.message))
            continue
        values.update(url=checked.url, norm_url=normalise_url(checked.url))
        pending.append((values, record.get("text") or "", url))
        if len(pending) >= batch:
            flush()
            if progress:
                progress(n + 1, len(records), "")
    if pending:
        flush()
    ctx.refresh_index(len(result.added))
    return result


def edit(ctx: Context, resource_id: str, changes: dict,
         expected_version: int | None = None,
         expected_fields: dict | None = None) -> resources.Resource:
    """Change a resource's description. Unknown or invalid values are refused whole.

    *expected_fields* are the values the changed fields had when they were read: when
    any has changed since, the edit is refused rather than overwrite it."""
    changes = dict(changes)
    if "themes" in changes:
        changes["themes"] = themes.resolve_codes(ctx.store, changes["themes"])
    if "url" in changes:
        raise CuratorError("To change a resource's link, use 'replace link', which keeps "
                           "its history.")
    values = resources.clean_fields(changes)
    with ctx.store.write("save your changes") as db:
        res = resources.update(db, ctx.actor, resource_id, values,
                               expected_version=expected_version,
                               expected_fields=expected_fields)
    ctx.refresh_index()
    return res


def set_deleted(ctx: Context, resource_id: str, deleted: bool) -> resources.Resource:
    """Move a resource to the trash, or back out of it."""
    with ctx.store.write("move it to the trash" if deleted else "restore it") as db:
        res = resources.set_deleted(db, ctx.actor, resource_id, deleted)
    ctx.refresh_index()
    return res


def empty_trash(ctx: Context) -> int:
    ids = [r["id"] for r in ctx.store.query(
        "SELECT id FROM resources WHERE deleted_at IS NOT NULL")]
    with ctx.store.write("empty the trash") as db:
        for rid in ids:
            resources.purge(db, ctx.actor, rid)
    ctx.refresh_index()
    return len(ids)
