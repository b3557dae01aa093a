"""The library's fixed words: resource types, audiences, statuses, starter themes."""

from __future__ import annotations

from urllib.parse import urlsplit

TYPES = ("research", "guidance", "practice tool", "training", "video", "podcast", "event",
         "toolkit", "other")
AUDIENCES = ("practitioners", "managers", "children and young people", "parents and carers")
STATUSES = ("draft", "submitted", "approved", "retired")
#: How people see each status.
STATUS_LABELS = {"draft": "Draft", "submitted": "Awaiting approval", "approved": "Approved",
                 "retired": "Retired"}

#: The work lists people choose from, (key, label) in the order they are shown; what each
#: holds is in :mod:`curator.catalogue.worklists`.
VIEW_LABELS = (
    ("all", "All resources"),
    ("drafts", "My drafts"),
    ("awaiting", "Awaiting approval"),
    ("due", "Due for review"),
    ("broken", "Broken links"),
    ("recent", "Recently clipped"),
    ("retired", "Retired"),
    ("trash", "Trash"),
)
#: The resource table's columns, key -> heading, in the order shown.
COLUMN_HEADINGS = {"title": "Title", "reason": "Why it needs review", "themes": "Themes",
                   "type": "Type", "status": "Status", "review_due": "Review due",
                   "link_health": "Link", "clipped_by": "Clipped by", "clipped_at": "Clipped"}
#: Views where the "Why it needs review" column shows.
REASON_VIEWS = ("due", "broken")

STARTER_THEMES = (
    ("DA", "Domestic abuse"),
    ("CSA", "Child sexual abuse"),
    ("FII", "Fabricated or induced illness"),
    ("NEG", "Neglect"),
    ("EXP", "Exploitation"),
    ("DIG", "Digital practice"),
)
DEFAULT_REVIEW_MONTHS = 12
DEFAULT_EVIDENCE_YEARS = 5

_VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com")
_PODCAST_HINTS = ("podcast", "soundcloud.com", "spotify.com/episode", "podbean")


def normalise_type(value: str | None) -> str:
    """Accept a type in any case, or a close variant ("practice-tool"), else refuse."""
    if value is None or not str(value).strip():
        return "other"
    v = " ".join(str(value).strip().lower().replace("-", " ").replace("_", " ").split())
    if v in TYPES:
        return v
    raise ValueError(f"'{value}' is not a resource type. Choose one of: {', '.join(TYPES)}.")


def normalise_audience(values) -> list[str]:
    out: list[str] = []
    for value in values or ():
        v = " ".join(str(value).strip().lower().replace("-", " ").split())
        if not v:
            continue
        if v not in AUDIENCES:
            raise ValueError(f"'{value}' is not an audience. Choose from: {', '.join(AUDIENCES)}.")
        if v not in out:
            out.append(v)
    return out


def guess_type(url: str, kind: str, has_citation: bool = False) -> str:
    """A first guess at a new resource's type, which the expert can change."""
    host = (urlsplit(url).hostname or "").lower()
    low = url.lower()
    if any(host == h or host.endswith("." + h) for h in _VIDEO_HOSTS):
        return "video"
    if any(h in low for h in _PODCAST_HINTS):
        return "podcast"
    if has_citation or kind == "pdf" and ("doi" in low or "journal" in low):
        return "research"
    if "/guidance/" in low or host.endswith("gov.uk") and "/government/publications/" in low:
        return "guidance"
    if "/training" in low or "/course" in low:
        return "training"
    if "/event" in low or "eventbrite." in host:
        return "event"
    if "toolkit" in low:
        return "toolkit"
    return "other"

#: A link's health in words (the table's Link column, the details pane).
HEALTH_LABELS = {
    "unchecked": "Not checked yet",
    "ok": "Working",
    "moved": "Moved to a new address",
    "check_again": "Failed once: check again",
    "broken": "Broken",
    "unreachable": "Site did not answer",
    "blocked": "Site blocks automatic checks",
}
