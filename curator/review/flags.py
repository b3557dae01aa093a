"""Every flag says what, since when, and what to do, in plain words.

The link column and its tooltip, the short reason a resource is in "Due for review", and
the summary after a link check are all worked out here from what the checks recorded,
so the window, the command line and the tests say the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from curator.base import clock
from curator.catalogue import worklists
from curator.review import queue
from curator.storage.store import Store


def day(value: str | dt.date | None) -> str:
    """"2 Dec" this year, "2 Dec 2025" otherwise ("" for nothing)."""
    if not value:
        return ""
    try:
        when = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)[:10]
    text = f"{when.day} {when:%b}"
    return text if when.year == clock.today().year else f"{text} {when.year}"


def _failure(outcome: str | None, status: int | None) -> str:
    """What went wrong, in a few words."""
    if outcome == "not_found":
        return f"Not found ({status})" if status else "Not found"
    if outcome == "soft_404":
        return "The page says it cannot be found"
    if outcome == "dns":
        return "The site's name could not be found"
    if outcome == "redirect_loop":
        return "Redirects in a loop"
    if outcome == "moved_home":
        return "Moves to the site's home page"
    return "Could not be opened"


def link_text(r: dict) -> tuple[str, str]:
    """(what the Link column shows, its tooltip) for a row with the link columns."""
    health = r.get("link_health") or "unchecked"
    outcome = r.get("link_outcome")
    checked = day(r.get("link_checked_at"))
    since = day(r.get("link_failing_since"))
    status = r.get("link_status")
    on = f" on {checked}" if checked else ""
    if health == "unchecked":
        return "Not checked", "The link has not been checked yet (Tools › Check links)."
    if health == "ok":
        return "Working", f"Working when checked{on}."
    if health == "moved":
        new = r.get("link_new_url") or "a new address"
        return "Moved", (f"Moved to {new} (found{on}). Use Replace link to point it "
                         "at the new address.")
    if health == "check_again":
        short = _failure(outcome, status)
        if outcome == "moved_home":
            return short, (f"Moves to the site's home page (found{on}): the page was "
                           "probably removed. Checking again tomorrow before calling it broken.")
        return short, (f"{short}{on}; checking again tomorrow before calling it "
                       "broken.")
    if health == "broken":
        what = _failure(outcome, status)
        if outcome == "moved_home":
            what = "Moves to the site's home page: the page was probably removed"
        what = what[0].lower() + what[1:]  # it follows "Broken:"
        when = (f", since {since}" if since else "") + (f", and still on {checked}"
                                                        if checked else "")
        return "Broken", (f"Broken: {what}{when}. Replace the link if the page moved, or "
                          "retire the resource.")
    if health == "unreachable":
        return "No answer", (f"The site did not answer{on}. That is often "
                             "temporary: it is checked again next time, never called broken "
                             "for it alone.")
    if health == "blocked":
        return "Check by hand", ("The site does not let programs check it. "
                                 "Open it in your browser to see that it still works.")
    return health.replace("_", " ").capitalize(), ""


#: A few words for each review reason, for the "Why" column; the full text is its tooltip.
def short_reason(reason: queue.Reason, r: dict) -> str:
    code = reason.code
    if code == "overdue":
        return f"Review overdue (due {day(r.get('review_due'))})"
    if code == "due_soon":
        return f"Review due {day(r.get('review_due'))}"
    if code == "old_evidence":
        return f"Old evidence ({(r.get('published') or '')[:4]})"
    return {"broken_link": "Broken link", "moved": "Page moved", "changed": "Page changed",
            "withdrawn": "Page withdrawn", "superseded": "Page replaced",
            "page_updated": "Changed since you last confirmed it"}.get(code, code)


ROW_EXTRA_SQL = f"""
SELECT r.id, r.link_health, r.link_outcome, r.link_checked_at, r.link_failing_since,
       r.link_new_url, r.published,
       (SELECT c.status FROM link_checks c WHERE c.resource_id = r.id
        ORDER BY c.checked_at DESC, c.id DESC LIMIT 1) AS link_status
FROM resources r WHERE r.id IN ({{}})
"""


def rows(store: Store, wanted: list[str], today: dt.date | None = None) -> dict[str, dict]:
    """Table rows (see :func:`curator.catalogue.worklists.rows`) with what each flag means:
    ``link_text``/``link_tip`` and ``reason``/``reason_tip`` (why it needs review)."""
    today = today or clock.today()
    out = worklists.rows(store, wanted, today)
    db = store.db
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for r in db.execute(ROW_EXTRA_SQL.format(marks), chunk):
            if r["id"] in out:
                out[r["id"]].update(dict(r))
        for r in db.execute(queue.QUEUE_SQL + f"r.id IN ({marks})", chunk):
            row = out.get(r["id"])
            if row is None:
                continue
            found = queue.reasons_for(r, today, queue.DEFAULT_SOON_DAYS, r["evidence_years"],
                                      bool(r["changed"]))
            row["reason"] = "; ".join(short_reason(x, row) for x in found)
            row["reason_tip"] = "\n".join(x.text for x in found)
    for row in out.values():
        row["link_text"], row["link_tip"] = link_text(row)
        row.setdefault("reason", "")
        row.setdefault("reason_tip", "")
    return out


def link_words(store: Store, resource_id: str) -> str:
    """What the last check found of one resource's link, in a sentence ("" if unknown)."""
    row = store.db.execute(ROW_EXTRA_SQL.format("?"), (resource_id,)).fetchone()
    return link_text(dict(row))[1] if row else ""


# -- after a link check ----------------------------------------------------------------
@dataclass
class RunReport:
    """What a link check found, grouped the way a person reads it."""

    checked: int
    groups: dict[str, list[str]] = field(default_factory=dict)  # label -> resource ids

    @property
    def text(self) -> str:
        if not self.checked:
            return "No links to check."
        parts = [f"{len(ids)} {label}" for label, ids in self.groups.items() if ids]
        if [label for label, ids in self.groups.items() if ids] == ["fine"]:
            return ("The one link checked is working." if self.checked == 1 else
                    f"All {self.checked} links checked are working.")
        return f"{self.checked} checked: " + ", ".join(parts) + "."

    def to_dict(self) -> dict:
        return {"checked": self.checked, "text": self.text, "groups": self.groups}


#: The order groups are named in: the good news first, then what needs a person.
GROUP_ORDER = ("fine", "not found (first time)", "moved to the home page",
               "broken (failed twice)", "moved to a new address", "site did not answer",
               "need checking by hand", "say they were withdrawn or replaced")

RUN_SQL = """
SELECT c.resource_id, c.outcome, r.link_health, r.withdrawn_kind
FROM link_checks c JOIN resources r ON r.id = c.resource_id
WHERE c.run_id = ? AND c.id = (SELECT max(id) FROM link_checks x
                               WHERE x.run_id = c.run_id AND x.resource_id = c.resource_id)
"""


def run_report(store: Store, run_id: str) -> RunReport:
    """Group the resources a run checked by what it found."""
    groups: dict[str, list[str]] = {label: [] for label in GROUP_ORDER}
    rows_ = store.db.execute(RUN_SQL, (run_id,)).fetchall()
    for r in rows_:
        groups[_group(r["outcome"], r["link_health"])].append(r["resource_id"])
        if r["withdrawn_kind"]:
            groups["say they were withdrawn or replaced"].append(r["resource_id"])
    return RunReport(len(rows_), {k: v for k, v in groups.items() if v})


def _group(outcome: str, health: str) -> str:
    if health == "broken":
        return "broken (failed twice)"
    if outcome == "moved_home":
        return "moved to the home page"
    if health == "check_again":
        return "not found (first time)"
    if health == "moved":
        return "moved to a new address"
    if health == "unreachable":
        return "site did not answer"
    if health == "blocked":
        return "need checking by hand"
    return "fine"


def counts(report: RunReport) -> Counter:
    return Counter({label: len(ids) for label, ids in report.groups.items()})
