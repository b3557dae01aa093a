"""Reading a resource's saved page: the text Curator searches and compares (a PDF's text
too), with a search's words marked, and the text as it was at the last approval next to
today's where they differ (:func:`curator.review.pagechange.readable_diff`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from curator.catalogue import approved_text, resources
from curator.review import pagechange
from curator.search import highlight

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class PageReading:
    """What the reader shows for one resource.

    Attributes:
        marks: (start, end) in ``text`` of each word the search words match.
        approved: the text kept at the last approval (None when none was kept: never
            approved, or approved before Curator kept it).
        hunks: what changed from ``approved.text`` to ``text`` (empty when the same).
    """

    resource_id: str
    title: str
    url: str
    kind: str  # "pdf" or "page"
    text: str
    query: str
    marks: list[tuple[int, int]] = field(default_factory=list)
    approved: approved_text.ApprovedText | None = None
    hunks: list = field(default_factory=list)

    @property
    def differs(self) -> bool:
        return bool(self.hunks)

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def about(self) -> str:
        """One line on what is shown, in plain words."""
        what = "The PDF's text" if self.kind == "pdf" else "The saved page text"
        if not self.text.strip():
            return (f"{what} is empty: the page has not been fetched yet, or held no text "
                    "Curator could read.")
        n = len(self.marks)
        found = (f"; {n:,} match{'' if n == 1 else 'es'} of your search marked"
                 if self.query else "")
        return f"{what}, as Curator searches and compares it ({self.words:,} words{found})."

    @property
    def approved_label(self) -> str:
        """"As approved on 2 December 2026 by Alex Lead" ("" when none was kept)."""
        if self.approved is None:
            return ""
        who = f" by {self.approved.approved_by}" if self.approved.approved_by else ""
        return f"As approved on {_day(self.approved.approved_at)}{who}"

    @property
    def approval_words(self) -> str:
        if self.approved is None:
            return ("The text at approval was not kept: this resource has not been approved "
                    "since Curator began keeping it.")
        who = f" by {self.approved.approved_by}" if self.approved.approved_by else ""
        when = _day(self.approved.approved_at)
        if not self.differs:
            return f"The text is the same as when it was approved on {when}{who}."
        n = sum(1 for h in self.hunks for c in h.changes if c.kind != "same")
        differ = "1 passage differs" if n == 1 else f"{n:,} passages differ"
        return f"The text has changed since it was approved on {when}{who}: {differ}."


def _day(moment: str) -> str:
    import datetime as dt
    try:
        day = dt.date.fromisoformat(moment[:10])
    except (TypeError, ValueError):
        return moment or ""
    return f"{day.day} {day:%B %Y}"


def read_page(db: Database, resource_id: str, query: str = "") -> PageReading:
    """The saved text of a resource, marked for *query*, with its approved version."""
    res = resources.get(db, resource_id)
    text = resources.text_of(db, res.id)
    kind = "pdf" if "pdf" in (res.content_type or "").lower() else "page"
    kept = approved_text.get(db, res.id)
    hunks = pagechange.readable_diff(kept.text, text, ignore_boilerplate=False) \
        if kept is not None and kept.text != text else []
    return PageReading(res.id, res.title or res.url, res.url, kind, text, query.strip(),
                       highlight.marks(text, query), kept, hunks)
