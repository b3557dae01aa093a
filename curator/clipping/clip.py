"""Clipping and refetching: turning a fetched page into a resource, or refreshing one.

The Library's ``clip``, ``refetch`` and ``fetch_page`` call these with a
:class:`~curator.context.Context`.

What a page says about itself is never a reason to lose the clip: a title or summary
longer than the library keeps is cut with a notice, a value that cannot be used is left
out with a notice, and whatever went wrong while reading the page (an encrypted PDF, a
file served as a web page) reaches the expert in ``ClipResult.warnings`` and is kept as
the resource's fetch note.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from curator.base import clock
from curator.base.background import CancelFn, ProgressFn
from curator.base.errors import Cancelled, CuratorError, FetchError
from curator.catalogue import resources, themes
from curator.catalogue.urls import check_url, normalise_url, same_page_keys
from curator.clipping import loginpage
from curator.clipping.fetch import Response
from curator.storage import events

if TYPE_CHECKING:
    from curator.clipping.fetch import Fetcher
    from curator.context import Context

#: How a field is named in a notice.
_LABELS = {"title": "title", "summary": "summary", "author": "author", "site": "site name",
           "published": "publication date", "language": "language"}


@dataclass
class Page:
    """A fetched and extracted page, ready to become (or refresh) a resource."""

    url: str  # the final address after redirects
    response: Response
    extracted: object  # curator.clipping.extract.Extracted

    @property
    def fields(self) -> dict:
        ex = self.extracted
        return {
            "title": ex.title or "",
            "summary": ex.summary or "",
            "author": "; ".join(ex.authors),
            "site": ex.site_name or "",
            "published": ex.published,
            "language": ex.language,
        }

    def values(self) -> tuple[dict, list[str]]:
        """The page's fields checked for storing, and the notices about what was changed:
        over-long text is cut, and a value the library cannot take is left out."""
        out: dict = {}
        notices: list[str] = []
        for key, value in self.fields.items():
            label = _LABELS.get(key, key)
            limit = resources.MAX_TEXT_FIELD.get(key)
            if limit and value:
                value, was = _cut(key, str(value), limit)
                if was:
                    notices.append(f"The page's {label} was {was:,} characters long, so it "
                                   f"was cut to {limit:,}.")
            try:
                out.update(resources.clean_fields({key: value}))
            except CuratorError:
                notices.append(f"The page's {label} could not be used, so it was left out.")
        return out, notices

    @property
    def notices(self) -> list[str]:
        """What the expert should know about the page beyond its fields."""
        return list(getattr(self.extracted, "warnings", []))


def _cut(key: str, value: str, limit: int) -> tuple[str, int]:
    """*value* tidied the way the library stores it, and cut at a word to *limit*
    characters; also its length when it had to be cut (else 0)."""
    value = value.replace("\x00", "")
    value = " ".join(value.split()) if key in ("title", "author", "site") else value.strip()
    if len(value) <= limit:
        return value, 0
    head = value[:limit - 1]
    space = head.rfind(" ")
    if space > limit * 0.8:
        head = head[:space]
    return head.rstrip() + "…", len(value)


def fetch_note(warnings: Iterable[str]) -> str | None:
    """The warnings about a fetched page as one note to keep with the resource."""
    text = " ".join(w if w.endswith((".", "!", "?")) else w + "." for w in warnings if w)
    return text or None


@dataclass
class ClipResult:
    resource: resources.Resource
    duplicate: bool = False
    fetched: bool = False
    fetch_error: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class RefetchResult:
    resource_id: str
    ok: bool
    message: str


def find_existing(ctx: Context, url: str) -> resources.Resource | None:
    """The resource already stored for this address (in any written form), if any."""
    checked = check_url(url)
    rid = resources.find_by_keys(ctx.store.db, same_page_keys(checked.url))
    return resources.get(ctx.store.db, rid) if rid else None


def fetch_page(fetcher: Fetcher, url: str, cancel: CancelFn = None) -> Page:
    """Fetch and read a page. Network only: nothing is written to the library."""
    from curator.clipping.extract import extract

    checked = check_url(url)
    response = fetcher.fetch(checked.url, cancel=cancel)
    if response.status >= 400:
        raise FetchError(_status_message(response.status, checked.url),
                         kind="http_status", status=response.status)
    extracted = extract(response.body, response.url, response.content_type)
    login = loginpage.notice(checked.url, response)
    if login:  # the site showed its login page, not the article
        extracted.warnings.append(login)
    return Page(url=response.url, response=response, extracted=extracted)


def page_from_html(url: str, html: str | bytes, content_type: str = "text/html") -> Page:
    """A page whose HTML was supplied (as a browser rendered it), read exactly as a fetched
    one is. Nothing is fetched and nothing is written."""
    from curator.clipping.extract import extract

    checked = check_url(url)
    body = html.encode("utf-8") if isinstance(html, str) else bytes(html)
    if isinstance(html, str) and "charset" not in content_type:
        content_type += "; charset=utf-8"
    response = Response(url=checked.url, status=200, headers={"content-type": content_type},
                        body=body)
    return Page(url=checked.url, response=response,
                extracted=extract(body, checked.url, content_type))

def clip(ctx: Context, url: str, *, themes_: Iterable[str] = (), tags: Iterable[str] = (),
         note: str = "", type_: str | None = None, audience: Iterable[str] = (),
         fetch: bool = True, page: Page | None = None, fetch_error: str | None = None,
         cancel: CancelFn = None, extra: dict | None = None,
         read_notice: Callable | None = None) -> ClipResult:
    """Clip a web address into a draft resource owned by the acting expert.

    *read_notice(html, url)* finds a withdrawal or "replaced by" notice on the page (the
    review domain's reader, handed in by the library), so a page that already says it
    was withdrawn is flagged from the moment it is clipped.

    *extra* holds more columns to store with it (a browser capture's ``access``).

    A page already in the library (by its address, its normal form or its canonical
    address) is returned as a duplicate, not added again. When the page cannot be
    fetched the resource is still kept, marked "not fetched yet", for a later refetch.
    """
    actor = ctx.actor
    checked = check_url(url)
    existing = find_existing(ctx, checked.url)
    if existing:
        return ClipResult(existing, duplicate=True, warnings=checked.warnings)
    theme_codes = themes.resolve_codes(ctx.store, themes_)
    values = resources.clean_fields({"notes": note, "tags": list(tags),
                                     "audience": list(audience), "themes": theme_codes})
    if type_:
        values.update(resources.clean_fields({"type": type_}))
    if fetch and page is None and fetch_error is None:
        try:
            page = fetch_page(ctx.fetcher, checked.url, cancel)
        except Cancelled:
            raise
        except FetchError as exc:
            fetch_error = exc.message
    keys = set(same_page_keys(checked.url))
    text = ""
    warnings = list(checked.warnings)
    row = {"url": checked.url, "norm_url": normalise_url(checked.url)}
    if page is not None:
        ex = page.extracted
        for candidate in (page.url, ex.canonical_url):
            if candidate:
                try:
                    keys.update(same_page_keys(check_url(candidate).url))
                except CuratorError:
                    continue
        dup = resources.find_by_keys(ctx.store.db, sorted(keys))
        if dup:
            return ClipResult(resources.get(ctx.store.db, dup), duplicate=True,
                              warnings=checked.warnings)
        fields, notices = page.values()
        notices = page.notices + notices
        warnings.extend(notices)
        row.update(fields)
        if ex.canonical_url:
            try:
                canon = check_url(ex.canonical_url).url
                row.update(canonical_url=canon, canonical_norm=normalise_url(canon))
            except CuratorError:
                pass
        row.update(fetch_state="ok", fetched_at=clock.now_iso(), fetch_error=fetch_note(notices),
                   content_type=page.response.content_type, content_size=ex.size)
        if getattr(ex, "updated", None):
            row["updated_on"] = ex.updated
        if "type" not in values and getattr(ex, "type_guess", None):
            # A guess from the page's evidence, with how sure it is; no evidence, no guess.
            values["type"] = ex.type_guess
            row["type_sureness"] = ex.type_sureness
        text = ex.text
        is_html = "html" in (page.response.content_type or "")
        notice = read_notice(page.response.body, page.url) if read_notice and is_html else None
        if notice is not None:
            row.update(withdrawn_kind=notice.kind, withdrawn_message=notice.message,
                       replacement_url=notice.replacement_url)
            warnings.append("The page says it has been withdrawn." if notice.kind ==
                            "withdrawn" else "The page says it has been replaced.")
    else:
        row.update(fetch_state="failed" if fetch_error else "pending",
                   fetch_error=fetch_error)
    row.update(values)
    row.update(extra or {})
    with ctx.store.write("save the clipped page") as db:
        # Checked again inside the transaction: another window may have just clipped it.
        dup = resources.find_by_keys(db, sorted(keys))
        if dup:
            return ClipResult(resources.get(db, dup), duplicate=True)
        rid = resources.insert(db, actor, row, text=text)
        resource = resources.get(db, rid)
    ctx.refresh_index()
    return ClipResult(resource, fetched=page is not None, fetch_error=fetch_error,
                      warnings=warnings)

def refetch(ctx: Context, resource_id: str, cancel: CancelFn = None,
            page: Page | None = None) -> RefetchResult:
    """Fetch a resource's page again, filling in what is missing and refreshing its text.

    Fields the expert has written are never overwritten, and a failed fetch never
    erases text fetched before: the failure is recorded beside it.
    """
    actor = ctx.actor
    res = resources.get(ctx.store.db, resource_id)
    try:
        page = page if page is not None else fetch_page(ctx.fetcher, res.url, cancel)
    except FetchError as exc:
        with ctx.store.write("record the failed fetch") as db:
            state = "ok" if res.fetch_state == "ok" else "failed"
            db.execute("UPDATE resources SET fetch_state = ?, fetch_error = ? WHERE id = ?",
                       (state, f"{clock.now_iso()[:10]}: {exc.message}", res.id))
            events.record(db, actor, "resource.refetch_failed", "resource", res.id,
                          {"error": exc.message})
        return RefetchResult(res.id, False, exc.message)
    ex = page.extracted
    fields, notices = page.values()
    notices = page.notices + notices
    note = fetch_note(notices)
    fill = {k: v for k, v in fields.items() if v and not getattr(res, k)}
    with ctx.store.write("save the fetched page") as db:
        current = resources.get(db, res.id)
        if fill:
            resources.update(db, actor, res.id, fill, action="resource.refetch")
        canon = None
        if ex.canonical_url:
            try:
                canon = check_url(ex.canonical_url).url
            except CuratorError:
                canon = None
        db.execute(
            "UPDATE resources SET fetch_state = 'ok', fetch_error = ?, fetched_at = ?,"
            " content_type = ?, content_size = ?, canonical_url = COALESCE(?, canonical_url),"
            " canonical_norm = COALESCE(?, canonical_norm) WHERE id = ?",
            (note, clock.now_iso(), page.response.content_type, ex.size, canon,
             normalise_url(canon) if canon else None, res.id))
        if getattr(ex, "updated", None):
            # What the page says about itself, not the expert's words: always the latest.
            db.execute("UPDATE resources SET updated_on = ? WHERE id = ?", (ex.updated, res.id))
        if ex.text.strip():
            db.execute("UPDATE resource_text SET text = ? WHERE resource_id = ?",
                       (ex.text, res.id))
        if not fill:
            events.record(db, actor, "resource.refetch", "resource", current.id, {})
        resources.queue_index(db, res.id)
    ctx.refresh_index()
    return RefetchResult(res.id, True, "Fetched." + (f" {note}" if note else ""))


def refetch_pending(ctx: Context, cancel: CancelFn = None,
                    progress: ProgressFn = None) -> list[RefetchResult]:
    """Retry every resource that has not been fetched yet (or failed last time)."""
    rows = ctx.store.query("SELECT id FROM resources WHERE fetch_state != 'ok' AND "
                           "deleted_at IS NULL ORDER BY clipped_at")
    results = []
    for n, r in enumerate(rows):
        if cancel and cancel():
            raise Cancelled("Cancelled.")
        if progress:
            progress(n, len(rows), r["id"])
        results.append(refetch(ctx, r["id"], cancel))
    return results


def _status_message(status: int, url: str) -> str:
    from curator.catalogue.urls import display_host
    host = display_host(url)
    if status in (404, 410):
        return f"{host} says the page is not there (error {status}). Check the address."
    if status in (401, 403):
        return (f"{host} refused to let Curator read the page (error {status}). It may need "
                "a login, or block automatic tools; the link is kept so you can add the "
                "details yourself.")
    if status == 429:
        return f"{host} asked Curator to slow down (error 429). Try again later."
    if status >= 500:
        return f"{host} had a problem of its own (error {status}). Try again later."
    return f"{host} answered with error {status}."
