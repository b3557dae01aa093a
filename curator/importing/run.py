"""Bringing a collection into the library: preview, import, fetch, report.

::

    p = lib.import_preview("bookmarks.html", theme=["NEG"])   # nothing written yet
    p.counts     # {"new": 812, "duplicate": 40, "invalid": 3, "skipped_scheme": 5, ...}
    report = lib.import_run(p, cancel=..., progress=...)      # call off the GUI thread

(``lib`` is the :class:`~curator.library.Library`, which hands this module a Context.)
    report.write_report_csv("import-report.csv")

The preview reads the file (:mod:`curator.importing.formats`), checks every address and
judges duplicates against the library *and* within the file. The run adds the new rows in
batches (:func:`curator.catalogue.editing.add_many`), merges a duplicate's tags, themes and
notes into the resource already stored (:mod:`curator.importing.merging`, so the
change is in its history; approved resources are left alone unless ``merge_approved``),
then fetches the new pages concurrently with a per-host limit
(:mod:`curator.importing.fetching`). Fetching is resumable: a stopped fetch leaves
resources "not fetched yet", and :func:`fetch_pending` (or running the same import again,
which adds nothing) carries on. Everything here blocks: the app calls it
from a worker thread, and *progress* and *cancel* are called on that thread.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from curator.base import clock
from curator.base.background import CancelFn, ProgressFn, Task
from curator.base.errors import CuratorError
from curator.catalogue import editing, resources, themes
from curator.catalogue.urls import check_url, same_page_keys
from curator.importing import formats as importers
from curator.importing import merging
from curator.importing.fetching import (
    DEFAULT_PER_HOST,
    DEFAULT_WORKERS,
    FetchRun,
    fetch_pending,
    fetch_rest,
    index_later,
)
from curator.importing.formats.report import FETCH_STATES, OUTCOMES, ImportReport, ReportRow
from curator.importing.formats.rows import ImportFileError, ImportRow
from curator.storage import events

if TYPE_CHECKING:
    from curator.context import Context

LIMITS = {"title": 1_000, "summary": 10_000, "notes": 20_000, "author": 1_000}
MAX_TAG = 80
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+\-]*):")
_SHORT_ID = 8

__all__ = ["DEFAULT_PER_HOST", "DEFAULT_WORKERS", "FETCH_STATES", "OUTCOMES", "FetchRun",
           "ImportFileError", "ImportReport", "PlannedRow", "Preview", "ReportRow",
           "fetch_pending", "fetch_rest", "preview", "preview_text", "run"]


# -- preview ------------------------------------------------------------------------------
@dataclass
class PlannedRow:
    """One row of the file and what the import will do with it.

    ``status``: new, duplicate (already in the library: ``existing_id``),
    duplicate_in_file (same page as ``first_position``), invalid or skipped_scheme
    (``message`` says why). ``record`` holds the values that will be stored.
    """

    position: int
    source_url: str
    status: str
    url: str | None = None
    message: str = ""
    existing_id: str | None = None
    first_position: int | None = None
    record: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: For a row already in the library: "merged" when importing will add its new
    #: details to the stored resource (``merge_text`` says which), "unchanged" when it
    #: will not (``merge_text`` says why). Worked out as the run works it out.
    merge: str | None = None
    merge_text: str = ""

    @property
    def title(self) -> str:
        return self.record.get("title", "")

    @property
    def can_leave_out(self) -> bool:
        """Rows that would change the library can be left out (unticked) before importing;
        a repeated row follows the first row of its page."""
        return self.status in ("new", "duplicate")


@dataclass
class Preview:
    """What an import would do, before anything is written."""

    format: str
    rows: list[PlannedRow]
    counts: dict[str, int]
    mapping: dict[str, str]
    headers: list[str]
    name: str = ""
    label: str = ""
    position_label: str = "Row"
    theme: list[str] = field(default_factory=list)
    info: dict = field(default_factory=dict)
    #: When set, the import cannot run yet (a spreadsheet with no web-address column).
    problem: str | None = None
    loaded: importers.Loaded | None = field(default=None, repr=False)
    folders_as_tags: bool = True
    #: Positions of rows the person left out (unticked) before importing.
    left_out: set[int] = field(default_factory=set)

    @property
    def ready(self) -> bool:
        return self.problem is None

    def leave_out(self, positions: Iterable[int], left_out: bool = True) -> None:
        """Leave these rows out of the import (or, with ``left_out=False``, put them back).
        Only rows that would change the library can be left out; others are ignored."""
        allowed = {r.position for r in self.rows if r.can_leave_out}
        chosen = {int(x) for x in positions} & allowed
        self.left_out = self.left_out | chosen if left_out else self.left_out - chosen

    def is_left_out(self, row: PlannedRow) -> bool:
        return row.position in self.left_out and row.can_leave_out

    @property
    def to_import(self) -> dict[str, int]:
        """What the import will do with the rows still ticked: {"new", "merged",
        "unchanged", "left_out"} counts."""
        out = {"new": 0, "merged": 0, "unchanged": 0, "left_out": 0}
        for r in self.rows:
            if not r.can_leave_out:
                continue
            if self.is_left_out(r):
                out["left_out"] += 1
            elif r.status == "new":
                out["new"] += 1
            else:
                out[r.merge or "unchanged"] += 1
        return out

    @property
    def sample(self) -> list[list]:
        """The first rows of a spreadsheet as read, for the column-mapping step."""
        return self.loaded.table.sample(10) if self.loaded and self.loaded.table else []

    def remap(self, ctx: Context, mapping: dict) -> Preview:
        """The same file previewed with a corrected column mapping (spreadsheets)."""
        assert self.loaded is not None
        return _plan(ctx, self.loaded.with_mapping(mapping), self.theme, self.folders_as_tags)

    def to_dict(self) -> dict:
        return {"file": self.name, "format": self.format, "label": self.label,
                "counts": self.counts, "mapping": self.mapping, "headers": self.headers,
                "theme": self.theme, "info": self.info, "problem": self.problem,
                "rows": [{"position": r.position, "url": r.url or r.source_url,
                          "status": r.status, "message": r.message,
                          "existing_id": r.existing_id, "title": r.title,
                          "warnings": r.warnings, "merge": r.merge,
                          "merge_text": r.merge_text,
                          "left_out": self.is_left_out(r)} for r in self.rows]}


def preview(ctx: Context, path: str | Path | bytes, mapping: dict | None = None,
            theme: Iterable[str] | str | None = None, *, name: str | None = None,
            format: str | None = None, folders_as_tags: bool = True) -> Preview:
    """Read *path* (or bytes) and say what importing it into the library would do.

    *mapping* corrects the guessed spreadsheet columns ({"url": "Link", ...});
    *theme* gives every row these themes (codes or names). Nothing is written.
    """
    codes = themes.resolve_codes(ctx.store, [theme] if isinstance(theme, str) else theme)
    loaded = importers.load(path, name=name, format=format, mapping=mapping)
    return _plan(ctx, loaded, codes, folders_as_tags)


def preview_text(ctx: Context, text: str, theme: Iterable[str] | str | None = None) -> Preview:
    """Preview addresses pasted into a box (one per line)."""
    return preview(ctx, text.encode("utf-8"), theme=theme, name="The pasted list",
                   format="urllist")


def _classify(url: str) -> tuple[str, str | None, str]:
    """("ok", checked url, "") or ("invalid" | "skipped_scheme", None, why)."""
    text = (url or "").strip()
    if not text:
        return "invalid", None, "No web address."
    m = _SCHEME.match(text)
    if m and len(m.group(1)) > 1 and m.group(1).lower() not in ("http", "https") \
            and not re.match(r"^\d+(/|$)", text[m.end():]):
        scheme = m.group(1).lower()
        return "skipped_scheme", None, (f"Skipped: '{scheme}:' links are not web pages "
                                        "Curator can keep.")
    try:
        checked = check_url(text)
    except CuratorError as exc:
        return "invalid", None, exc.message
    return "ok", checked.url, "; ".join(checked.warnings)


def _theme_lookup(ctx: Context) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for t in themes.list_all(ctx.store, include_inactive=False):
        lookup.setdefault(t.name.casefold(), t.code)
        lookup[t.code.casefold()] = t.code
    return lookup


def _clip(text: str, limit: int, what: str, warnings: list[str]) -> str:
    if len(text) > limit:
        warnings.append(f"The {what} was cut to {limit:,} characters.")
        return text[:limit].rstrip()
    return text


def _record(row: ImportRow, codes: list[str], lookup: dict[str, str],
            folders_as_tags: bool, warnings: list[str]) -> dict:
    theme_codes = list(codes)
    tags = list(row.tags)
    for hint in row.themes_hint:
        code = lookup.get(hint.strip().casefold())
        if code:
            if code not in theme_codes:
                theme_codes.append(code)
        elif folders_as_tags:
            tags.append(hint)
    clean_tags = []
    for t in tags:
        t = " ".join(str(t).replace(",", " ").split())
        if len(t) > MAX_TAG:
            warnings.append(f"The tag '{t[:30]}…' was cut to {MAX_TAG} characters.")
            t = t[:MAX_TAG].rstrip()
        if t:
            clean_tags.append(t)
    record = {"title": _clip(row.title, LIMITS["title"], "title", warnings),
              "notes": _clip(row.notes, LIMITS["notes"], "note", warnings),
              "summary": _clip(row.summary, LIMITS["summary"], "summary", warnings),
              "author": _clip(row.author, LIMITS["author"], "author", warnings),
              "published": row.published, "tags": clean_tags, "themes": theme_codes}
    values = resources.clean_fields(record)  # raises CuratorError saying what is wrong
    return {k: v for k, v in values.items() if v not in (None, "", [])}


def _merge_record(into: dict, extra: dict) -> None:
    """Fold a repeated row's tags, themes and notes into the first row's record."""
    for key in ("tags", "themes"):
        have = into.setdefault(key, [])
        folded = {str(x).casefold() for x in have}
        have.extend(x for x in extra.get(key, []) if str(x).casefold() not in folded)
    note = extra.get("notes")
    if note and note not in into.get("notes", ""):
        into["notes"] = f"{into['notes']}\n\n{note}" if into.get("notes") else note
    for key in ("title", "summary", "author", "published"):
        if extra.get(key) and not into.get(key):
            into[key] = extra[key]


def _plan(ctx: Context, loaded: importers.Loaded, codes: list[str],
          folders_as_tags: bool) -> Preview:
    lookup = _theme_lookup(ctx)
    db = ctx.store.db
    planned: list[PlannedRow] = []
    seen: dict[str, PlannedRow] = {}
    for row in loaded.rows:
        warnings = list(row.warnings)
        status, url, why = _classify(row.url)
        p = PlannedRow(position=row.position, source_url=row.url, status=status, url=url,
                       warnings=warnings)
        planned.append(p)
        if status != "ok":
            p.message = row.error if (row.error and not row.url) else why
            p.record = {"title": row.title}
            continue
        if why:
            warnings.append(why)
        if row.error:
            p.status, p.message = "invalid", row.error
            continue
        try:
            p.record = _record(row, codes, lookup, folders_as_tags, warnings)
        except CuratorError as exc:
            p.status, p.message, p.record = "invalid", exc.message, {"title": row.title}
            continue
        keys = same_page_keys(url)
        first = next((seen[k] for k in keys if k in seen), None)
        if first is not None:
            p.status, p.first_position = "duplicate_in_file", first.position
            p.existing_id = first.existing_id
            p.message = f"Same page as {loaded.position_label.lower()} {first.position}."
            _merge_record(first.record, p.record)
            continue
        existing = resources.find_by_keys(db, keys)
        if existing:
            p.status, p.existing_id = "duplicate", existing
            p.message = f"Already in the library ({existing[:_SHORT_ID]})."
        else:
            p.status = "new"
        for k in keys:
            seen[k] = p
    for p in planned:
        if p.status == "duplicate" and p.existing_id:
            plan = merging.merge_changes(resources.get(db, p.existing_id), p.record, False)
            p.merge, p.merge_text = plan.outcome, plan.preview_text
    counts = {k: 0 for k in ("new", "duplicate", "duplicate_in_library", "duplicate_in_file",
                             "invalid", "skipped_scheme")}
    for p in planned:
        counts[p.status] += 1
    counts["duplicate_in_library"] = counts["duplicate"]
    counts["duplicate"] += counts["duplicate_in_file"]
    counts["total"] = len(planned)
    problem = None
    if loaded.table is not None and "url" not in loaded.mapping:
        problem = ("Curator could not tell which column holds the web addresses. Choose it "
                   "(on the command line: --map url=COLUMN). The columns are: "
                   f"{', '.join(loaded.headers) or '(none)'}.")
    return Preview(format=loaded.format, rows=planned, counts=counts,
                   mapping=dict(loaded.mapping), headers=loaded.headers, name=loaded.name,
                   label=loaded.label, position_label=loaded.position_label, theme=codes,
                   info=dict(loaded.info), problem=problem, loaded=loaded,
                   folders_as_tags=folders_as_tags)


# -- the run --------------------------------------------------------------------------------
def run(ctx: Context, preview: Preview, fetch: bool = True, cancel: CancelFn = None,
        progress: ProgressFn = None, per_host: int = DEFAULT_PER_HOST,
        workers: int = DEFAULT_WORKERS, merge_approved: bool = False) -> ImportReport:
    """Import what the preview found; return a report of every row. Call off the GUI thread.

    New rows are added (as drafts of the acting expert), duplicates merged, then the
    new pages fetched (``fetch=False`` leaves them "not fetched yet"). *cancel* stops at
    the next batch or fetch; the report says what was done, and :func:`fetch_pending`
    or importing the same file again carries on.
    """
    if not preview.ready:
        raise CuratorError(preview.problem or "This import is not ready.")
    ctx.actor  # noqa: B018 - who is importing must be known before anything is written
    report = ImportReport(file=preview.name, format=preview.format,
                          position_label=preview.position_label, started_at=clock.now_iso())
    by_pos: dict[int, ReportRow] = {}
    task = Task(cancel, progress)

    def out(p: PlannedRow, outcome: str, message: str = "", rid: str | None = None):
        r = ReportRow(position=p.position, url=p.url or p.source_url, outcome=outcome,
                      message=message, resource_id=rid, title=p.title)
        by_pos[id(p)] = r
        return r

    left_out = {p.position for p in preview.rows if preview.is_left_out(p)}
    for p in preview.rows:
        if p.position in left_out:
            out(p, "left_out", "Left out: unticked before importing.")
        elif p.status == "duplicate_in_file" and p.first_position in left_out:
            out(p, "left_out", f"Left out with {preview.position_label.lower()} "
                f"{p.first_position}, the first of this page.")
    new = [p for p in preview.rows if p.status == "new" and p.position not in left_out]
    db = ctx.store.db
    to_merge: list[tuple[PlannedRow, str]] = [(p, p.existing_id) for p in preview.rows
                                              if p.status == "duplicate" and p.existing_id
                                              and p.position not in left_out]
    with index_later(ctx) as bulk:
        if new and not task.cancelled():
            result = editing.add_many(bulk, [{"url": p.url, **p.record} for p in new],
                                      batch=500, progress=task.stage("Adding"),
                                      cancel=task.cancelled)
            invalid = dict(result.invalid)
            raced = dict(result.duplicates)
            added = set(result.added)
            for p in new:
                if p.url in invalid:
                    out(p, "invalid", invalid[p.url])
                elif p.url in raced:
                    to_merge.append((p, raced[p.url]))
                else:
                    rid = resources.find_by_keys(db, same_page_keys(p.url))
                    if rid and rid in added:
                        out(p, "added", "", rid)
                    else:
                        out(p, "not_imported")
        else:
            for p in new:
                out(p, "not_imported")
        for n, (p, rid) in enumerate(to_merge):
            if task.cancelled():
                out(p, "not_imported")
                continue
            outcome, message = merging.merge_into(bulk, rid, p.record, merge_approved)
            out(p, outcome, message, rid)
            task.progress(n + 1, len(to_merge), "Checking duplicates")
    firsts = {q.position: q for q in preview.rows if q.status in ("new", "duplicate")}
    for p in preview.rows:
        if id(p) in by_pos:
            continue
        if p.status == "duplicate_in_file":
            first = firsts.get(p.first_position or -1)
            first_row = by_pos.get(id(first)) if first else None
            out(p, "duplicate_in_file", p.message,
                first_row.resource_id if first_row else p.existing_id)
        else:
            out(p, p.status if p.status in ("invalid", "skipped_scheme") else "not_imported",
                p.message)
    report.rows = [by_pos[id(p)] for p in preview.rows]
    report.cancelled = task.cancelled()
    _record_run(ctx, report)
    # Fetch the new pages, and any page of this file still waiting from an earlier run.
    ids = list(dict.fromkeys(r.resource_id for r in report.rows if r.resource_id))
    waiting = _pending_among(ctx, ids)
    for r in report.rows:
        if r.resource_id in waiting and r.outcome in ("added", "merged", "unchanged"):
            r.fetch = "pending"
    if fetch and waiting and not report.cancelled:
        fetched = fetch_pending(ctx, sorted(waiting, key=ids.index), cancel=task.cancelled,
                                progress=progress, per_host=per_host, workers=workers)
        report.apply_fetch(fetched.results, fetched.cancelled)
    report.finished_at = clock.now_iso()
    return report


def _pending_among(ctx: Context, ids: list[str]) -> set[str]:
    out: set[str] = set()
    db = ctx.store.db
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        out.update(r["id"] for r in db.execute(
            f"SELECT id FROM resources WHERE id IN ({marks}) AND fetch_state = 'pending' "
            "AND deleted_at IS NULL", chunk))
    return out


def _record_run(ctx: Context, report: ImportReport) -> None:
    with ctx.store.write("record the import") as db:
        events.record(db, ctx.actor, "import.file", "import", str(uuid.uuid4()),
                      {"file": report.file, "format": report.format,
                       "counts": report.counts, "cancelled": report.cancelled})
