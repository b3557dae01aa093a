"""A page captured in the browser becomes a resource, read exactly as a fetched page is.

The HTML the browser rendered (as the signed-in expert sees it) goes through the same
extraction, cleaning and limits as a page Curator fetched (``clipping.clip``), and later
through the same personal-data checks at submit and export. The resource records when the
browser captured it and, when the page needs a login, ``access = 'login'``: link checks
then read the site's login page as "needs a login" rather than broken
(curator/review/loginwall.py).

Whether a page needs a login is what the expert said in the panel; when they said
nothing, Curator asks the site once without the browser's login: a refusal (401, 403), a
redirect to a login address or a login form means it does.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from curator.base import clock, lazy
from curator.base.background import CancelFn
from curator.base.errors import Cancelled, CuratorError, FetchError
from curator.browser.protocol import ClipRequest
from curator.catalogue import resources, themes, vocab
from curator.clipping.loginpage import looks_like_login, sent_to_login
from curator.storage import events

if TYPE_CHECKING:
    from curator.context import Context

# Clipping loads with the first clip from the browser: the details pane's words about a
# page behind a login (below) need only the library's tables (issue 21).
clipping = lazy.module("curator.clipping.clip")


def needs_login(ctx: Context, url: str, cancel: CancelFn = None) -> bool | None:
    """Whether *url* shows a login page to a visitor who is not signed in (None: the
    site could not be asked)."""
    try:
        response = ctx.fetcher.fetch(url, cancel=cancel)
    except Cancelled:
        raise
    except FetchError:
        return None
    if response.status in (401, 403):
        return True
    if response.status >= 400:
        return None
    return sent_to_login(url, response.url) or \
        looks_like_login(response.body, response.content_type)


def clip(ctx: Context, req: ClipRequest, cancel: CancelFn = None) -> dict:
    """Clip what the browser sent; the answer for the extension (see protocol.py)."""
    if not req.html:  # a link from the context menu, or a curator: link: clip by address
        result = clipping.clip(ctx, req.url, themes_=req.themes, tags=req.tags,
                               note=req.note, type_=req.kind, cancel=cancel)
        return _answer(result.resource, result.duplicate, None, result.warnings,
                       result.fetch_error)
    page = clipping.page_from_html(req.url, req.html)
    if req.title:
        page.extracted.title = req.title
    if req.selection:  # what the expert chose to keep from the page: its summary
        page.extracted.summary = req.selection
    access = req.access
    if access is None:
        access = "login" if needs_login(ctx, page.url, cancel) else "open"
    extra = {"browser_captured_at": clock.now_iso(),
             "access": "login" if access == "login" else None}
    result = clipping.clip(ctx, req.url, themes_=req.themes, tags=req.tags, note=req.note,
                           type_=req.kind, page=page, extra=extra, cancel=cancel)
    if not result.duplicate:
        return _answer(result.resource, False, extra["access"], result.warnings)
    # Already in the library (perhaps clipped by address, when Curator saw only the login
    # page): its saved text is refreshed from the browser; the expert's fields stay.
    res = result.resource
    refreshed = clipping.refetch(ctx, res.id, cancel, page=page)
    with ctx.store.write("record the browser capture") as db:
        db.execute("UPDATE resources SET browser_captured_at = ?, access = ? WHERE id = ?",
                   (extra["browser_captured_at"], extra["access"], res.id))
        events.record(db, ctx.actor, "resource.browser_capture", "resource", res.id,
                      {"access": extra["access"]})
        resources.queue_index(db, res.id)
    ctx.refresh_index()
    return _answer(resources.get(ctx.store.db, res.id), True, extra["access"],
                   [] if refreshed.ok else [refreshed.message], refreshed=refreshed.ok)


def _answer(res, duplicate: bool, access: str | None, warnings: list[str],
            fetch_error: str | None = None, refreshed: bool = False) -> dict:
    name = res.title or res.url
    if duplicate:
        said = f"Already in your library: “{name}”."
        if refreshed:
            said += " Its saved text was brought up to date from your browser."
    elif fetch_error:
        said = f"Kept the link to {res.url}, but Curator could not fetch it: {fetch_error}"
    else:
        said = f"Clipped “{name}”."
    if access == "login":
        said += " It needs a login: link checks will not call it broken for that."
    return {"ok": True, "resource": res.id, "title": res.title, "url": res.url,
            "duplicate": duplicate, "access": access, "warnings": list(warnings),
            "message": said}


def panel_choices(ctx: Context) -> dict:
    """What the extension's panel offers: the library's themes in use, and the types."""
    try:
        offered = themes.list_all(ctx.store, False)
    except CuratorError:
        offered = []
    return {"ok": True,
            "themes": [{"code": t.code, "name": t.name} for t in offered],
            "types": list(vocab.TYPES)}


def access_of(ctx: Context, resource_id: str) -> dict:
    """A resource's browser capture: {'access': 'login' or None, 'captured_at': ...}."""
    row = ctx.store.db.execute("SELECT access, browser_captured_at FROM resources WHERE "
                               "id = ?", (resource_id,)).fetchone()
    if row is None:
        return {"access": None, "captured_at": None}
    return {"access": row["access"], "captured_at": row["browser_captured_at"]}


def access_words(ctx: Context, resource_id: str) -> str:
    """What the details pane says of a page behind a login ("" for an open page)."""
    seen = access_of(ctx, resource_id)
    if seen["access"] != "login":
        return ""
    when = ""
    if seen["captured_at"]:
        try:
            day = dt.date.fromisoformat(seen["captured_at"][:10])
            when = f": captured from your browser on {day.day} {day:%b %Y}"
        except ValueError:
            pass
    return "Needs a login to read" + when + " (portal readers are told so)"
