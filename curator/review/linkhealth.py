"""What a link check means for a resource: the rules that turn results into link health.

A link is only called **broken** after failing on two checks at least
``CONFIRM_AFTER`` apart (a day by default); one failure shows as "check again". A site
that did not answer is "unreachable", never broken; one that refuses automated checks is
"blocked", for a person to look at. A successful check also compares the page with the
stored text (a changed page is flagged with a diff to review) and looks for withdrawal
or "replaced by" notices. A failed check never touches the stored text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from curator.base import clock
from curator.catalogue import resources, vocab
from curator.review import loginwall, pagechange
from curator.storage import events
from curator.storage.events import Actor

if TYPE_CHECKING:  # annotations only: the link checker (and lxml) load with a link check
    from sqlite_utils import Database

    from curator.review import withdrawn
    from curator.review.linkcheck import LinkResult

CONFIRM_AFTER = dt.timedelta(days=1)

#: link_health values and how the app and CLI describe them (kept with the other words).
HEALTH_LABELS = vocab.HEALTH_LABELS


def health_after(result: LinkResult, failing_since: str | None, now: dt.datetime,
                 confirm_after: dt.timedelta = CONFIRM_AFTER) -> tuple[str, str | None]:
    """(link_health, failing_since) after *result*, given when failures began."""
    group = result.group
    if group == "ok":
        return "ok", None
    if group == "changed":
        return "moved", None
    if group == "broken":
        since = failing_since or clock.now_iso()
        started = clock.parse_moment(since)
        return ("broken" if now - started >= confirm_after else "check_again"), since
    if group == "unknown":
        return "blocked", failing_since
    return "unreachable", failing_since


def record(db: Database, actor: Actor | None, resource_id: str, result: LinkResult, *,
           run_id: str | None = None, confirm_after: dt.timedelta = CONFIRM_AFTER,
           reading: PageReading | None = None) -> str:
    """Store one check's result and its consequences. Returns the new link health.

    *reading* is the page already read (see :func:`read_page`); without it the page is
    read here.

    Only link columns, the page-change table and the text of a page that had none are
    written, so an expert editing the same resource meanwhile loses nothing.
    """
    row = db.execute("SELECT id, url, link_health, link_failing_since FROM resources "
                     "WHERE id = ?", (resource_id,)).fetchone()
    if row is None:
        return "unchecked"
    result, reading = loginwall.seen_through(db, resource_id, result, reading)
    now = clock.now()
    health, since = health_after(result, row["link_failing_since"], now, confirm_after)
    db.execute(
        "INSERT INTO link_checks (resource_id, url, checked_at, outcome, status, final_url,"
        " new_url, message, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (resource_id, result.url, result.checked_at or clock.now_iso(), result.outcome,
         result.status, result.final_url, result.new_url, result.message, run_id))
    db.execute(
        "UPDATE resources SET link_health = ?, link_outcome = ?, link_checked_at = ?,"
        " link_message = ?, link_new_url = ?, link_failing_since = ? WHERE id = ?",
        (health, result.outcome, result.checked_at or clock.now_iso(), result.message,
         result.new_url, since, resource_id))
    if health != row["link_health"]:
        events.record(db, actor, "resource.link_health", "resource", resource_id,
                      {"link_health": [row["link_health"], health],
                       "outcome": result.outcome})
        resources.queue_index(db, resource_id)
    if reading is None:
        reading = read_result(db, resource_id, result)
    if reading is not None and result.group in ("ok", "changed"):
        _compare_page(db, actor, resource_id, reading)
    return health


@dataclass
class PageReading:
    """What a successfully checked page says, worked out without the database.

    Reading a page (parsing it, looking for notices, comparing texts) is the costly part of
    a check; it is plain data in and out so that a run can do it in other processes.
    """

    notice: withdrawn.Notice | None = None
    text: str = ""  # the page's main text; "" when it has none or only part was read
    fingerprint: str = ""
    compared_with: str | None = None  # the stored text it was compared with
    significant: bool = False
    similarity: float | None = None
    updated: str | None = None  # the date the page says it was last updated (issue 18)


def read_page(body: bytes, url: str, content_type: str | None, truncated: bool,
              old_text: str) -> PageReading:
    """Read a checked page and compare its main text with *old_text* (the stored text)."""
    from curator.clipping.extract import extract
    from curator.review import withdrawn

    notice = withdrawn.detect(body, url)
    if truncated:  # part of a page cannot be compared fairly with the whole
        return PageReading(notice=notice)
    extracted = extract(body, url, content_type)
    text = extracted.text
    if not text.strip():
        return PageReading(notice=notice, updated=extracted.updated)
    reading = read_page_text(text, pagechange.fingerprint(text), old_text)
    reading.notice = notice
    reading.updated = extracted.updated
    return reading


def read_result(db: Database, resource_id: str, result: LinkResult) -> PageReading | None:
    """The reading of a result's page, or None when the result carries no page to read."""
    if result.group not in ("ok", "changed") or not result.body:
        return None
    return read_page(result.body, result.final_url or result.url, result.content_type,
                     result.truncated, resources.text_of(db, resource_id))


def _compare_page(db: Database, actor: Actor | None, resource_id: str,
                  reading: PageReading) -> None:
    notice = reading.notice
    if reading.updated:  # what the page says of itself; review compares it with confirmations
        db.execute("UPDATE resources SET updated_on = ? WHERE id = ?",
                   (reading.updated, resource_id))
    current = db.execute("SELECT withdrawn_kind FROM resources WHERE id = ?",
                         (resource_id,)).fetchone()
    if notice is not None and current["withdrawn_kind"] is None:
        db.execute("UPDATE resources SET withdrawn_kind = ?, withdrawn_message = ?, "
                   "replacement_url = ? WHERE id = ?",
                   (notice.kind, notice.message, notice.replacement_url, resource_id))
        events.record(db, actor, f"resource.{notice.kind}", "resource", resource_id,
                      {"message": notice.message, "replacement": notice.replacement_url})
    new_text = reading.text
    if not new_text:
        return
    old_text = resources.text_of(db, resource_id)
    if old_text != reading.compared_with:
        # The stored text changed while the page was being read (a fetch or an accepted
        # change): compare again with what is stored now.
        reading = read_page_text(new_text, reading.fingerprint, old_text)
    if not old_text.strip():
        db.execute("UPDATE resource_text SET text = ? WHERE resource_id = ?",
                   (new_text, resource_id))
        db.execute("UPDATE resources SET fingerprint = ? WHERE id = ?",
                   (reading.fingerprint, resource_id))
        resources.queue_index(db, resource_id)
        return
    if reading.significant:
        already = db.execute("SELECT new_text FROM page_changes WHERE resource_id = ?",
                             (resource_id,)).fetchone()
        if already is not None and already["new_text"] == new_text:
            return
        db.execute(
            "INSERT INTO page_changes (resource_id, detected_at, new_text, new_fingerprint,"
            " similarity) VALUES (?, ?, ?, ?, ?) ON CONFLICT(resource_id) DO UPDATE SET"
            " detected_at = excluded.detected_at, new_text = excluded.new_text,"
            " new_fingerprint = excluded.new_fingerprint, similarity = excluded.similarity",
            (resource_id, clock.now_iso(), new_text, reading.fingerprint, reading.similarity))
        if already is None:
            events.record(db, actor, "resource.page_changed", "resource", resource_id, {})
    else:
        db.execute("DELETE FROM page_changes WHERE resource_id = ?", (resource_id,))


def read_page_text(text: str, fingerprint: str, old_text: str) -> PageReading:
    """Compare an already extracted main text with *old_text*."""
    reading = PageReading(text=text, fingerprint=fingerprint, compared_with=old_text)
    if old_text.strip() and pagechange.is_significant_change(old_text, text):
        reading.significant = True
        reading.similarity = pagechange.similarity(old_text, text)
    return reading
