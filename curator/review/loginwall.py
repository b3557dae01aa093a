"""Link checks on pages behind a login (issue 20).

A resource clipped from the browser with ``access = 'login'`` is read by signed-in people;
a link check, never signed in, meets the site's login page instead. That is not a broken
link: the check records "needs a login", with the date of the last browser capture (the
last time a person saw the page itself), and never compares the login page's text with
the article's. A page that is gone (404, 410, a name that no longer exists) is still
treated as any other.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from curator.clipping.loginpage import looks_like_login, sent_to_login

if TYPE_CHECKING:  # annotations only: the link checker (and lxml) load with a link check
    from sqlite_utils import Database

    from curator.review.linkcheck import LinkResult

#: What a login wall looks like to a check that is not signed in.
WALL_OUTCOMES = frozenset({"blocked", "moved_home", "soft_404"})
OUTCOME = "login"


def message(captured_at: str | None) -> str:
    when = _day(captured_at) if captured_at else "an unknown date"
    return f"Needs a login: checked by the last browser capture on {when}."


def _day(moment: str) -> str:
    from curator.base import clock
    try:
        day = clock.parse_moment(moment).date()
    except (TypeError, ValueError):
        return moment[:10]
    return f"{day.day} {day:%b %Y}"


def seen_through(db: Database, resource_id: str, result: LinkResult, reading=None):
    """(result, reading) to record: a login wall in front of a login resource becomes a
    "login" result without a page to compare; anything else is returned as it was."""
    row = db.execute("SELECT access, browser_captured_at FROM resources WHERE id = ?",
                     (resource_id,)).fetchone()
    if row is None or row["access"] != "login" or not _is_wall(result):
        return result, reading
    return dataclasses.replace(result, outcome=OUTCOME, new_url=None, body=None,
                               message=message(row["browser_captured_at"])), None


def _is_wall(result: LinkResult) -> bool:
    if result.outcome in WALL_OUTCOMES:
        return True
    if result.outcome in ("ok", "redirected"):
        return sent_to_login(result.url, result.final_url or result.url) or \
            looks_like_login(result.body, result.content_type)
    return False
