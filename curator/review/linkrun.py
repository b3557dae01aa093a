"""A whole link-check run over the library: choose the links, check, record, resume.

A run that is cancelled (or killed) is resumed by the next one: links already checked
since the run began are skipped. If the first answers all say the site names cannot be
found, on several sites, the computer is probably offline: the run stops without recording anything,
rather than marking good links as failing.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from curator.base import clock
from curator.base.background import CancelFn, ProgressFn, Task
from curator.base.errors import Cancelled, CuratorError
from curator.base.processes import WorkerPool
from curator.catalogue import resources
from curator.review import linkhealth
from curator.review.linkcheck import LinkChecker, LinkResult

if TYPE_CHECKING:
    from curator.context import Context

#: Runs of at least this many links read their pages in other processes.
POOL_MIN_LINKS = 40
#: At most this many checked pages wait to be read.
MAX_WAITING = 32
OFFLINE_SAMPLE = 5
OFFLINE_HOSTS = 3
#: An offline laptop cannot look up any site name.
OFFLINE_OUTCOMES = {"dns"}


@dataclass
class RunSummary:
    checked: int = 0
    total: int = 0
    outcomes: Counter = field(default_factory=Counter)
    health: Counter = field(default_factory=Counter)
    cancelled: bool = False
    resumed: bool = False
    run_id: str = ""  # the run's link_checks rows (see curator.review.flags.run_report)

    def to_dict(self) -> dict:
        return {"checked": self.checked, "total": self.total, "cancelled": self.cancelled,
                "resumed": self.resumed, "outcomes": dict(self.outcomes),
                "health": dict(self.health), "run_id": self.run_id}


class PageReader:
    """Reads checked pages (parse, notices, comparison) in other processes on big runs.

    Reading a page costs tens of milliseconds of processor time. Done in the process that
    also runs the app's window, thousands of them would compete with it; in other
    processes they also use the computer's other cores. Small runs read pages where they
    are, since starting a process costs more than it saves. Results that have not arrived
    when a run is cancelled are not recorded, so the next run checks those links again.
    """

    def __init__(self, total: int, min_links: int | None = None):
        self._pool = None
        self._pending: list = []
        if total >= (POOL_MIN_LINKS if min_links is None else min_links):
            import os
            self._pool = WorkerPool(max(1, min(4, (os.cpu_count() or 2) - 1)))

    def wanted(self, result: LinkResult) -> bool:
        return self._pool is not None and result.group in ("ok", "changed") \
            and bool(result.body)

    def submit(self, key: str, result: LinkResult, old_text: str) -> None:
        future = self._pool.submit(linkhealth.read_page, result.body,
                                   result.final_url or result.url, result.content_type,
                                   result.truncated, old_text)
        self._pending.append((key, result, future))

    def ready(self, wait: bool = False):
        """(key, result, reading) for each page read so far (all of them with *wait*).

        A page the other process could not read is read here instead (reading None).
        """
        keep = []
        # Pages wait in memory until read: past a limit, wait for the oldest ones.
        must = len(self._pending) if wait else len(self._pending) - MAX_WAITING
        for n, (key, result, future) in enumerate(self._pending):
            if n >= must and not future.done():
                keep.append((key, result, future))
                continue
            try:
                reading = future.result()
            except Exception:  # a broken worker process: read the page in this one
                reading = None
            yield key, result, reading
        self._pending = keep

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


def _select(ctx: Context, theme: str | None, due_only: bool,
            since: str | None) -> list[tuple[str, str]]:
    sql = ("SELECT r.id, r.url FROM resources r WHERE r.deleted_at IS NULL AND "
           "r.status != 'retired'")
    params: list = []
    if theme:
        sql += (" AND EXISTS (SELECT 1 FROM resource_themes t WHERE t.resource_id = r.id AND "
                "t.theme_code = ?)")
        params.append(theme)
    if due_only:
        sql += " AND r.review_due <= ?"
        params.append(clock.today().isoformat())
    if since:
        sql += " AND (r.link_checked_at IS NULL OR r.link_checked_at < ?)"
        params.append(since)
    return [(r["id"], r["url"]) for r in ctx.store.db.execute(sql + " ORDER BY r.rowid", params)]


def run(ctx: Context, *, theme: str | None = None, due_only: bool = False,
        cancel: CancelFn = None, progress: ProgressFn = None,
        **checker_options) -> RunSummary:
    """Check the chosen links and record each result as it arrives (call off the GUI thread)."""
    from curator.catalogue import themes
    actor = ctx.actor
    if theme:
        theme = themes.resolve_codes(ctx.store, [theme])[0]
    scope = f"{theme or '*'}|{int(due_only)}"
    run_key = ctx.setting("linkcheck_run")
    summary = RunSummary()
    if run_key and run_key.split("#", 1)[0] == scope:
        run_id, since = run_key.split("#", 1)[1].split("@", 1)
        summary.resumed = True
    else:
        run_id, since = str(uuid.uuid4()), clock.now_iso()
        ctx.set_setting("linkcheck_run", f"{scope}#{run_id}@{since}")
    summary.run_id = run_id
    items = _select(ctx, theme, due_only, since if summary.resumed else None)
    summary.total = len(items)
    held: list[tuple[str, LinkResult]] = []
    offline = [False]
    task = Task(cancel, progress)

    reader = PageReader(summary.total) if checker_options.get("want_body", True) else None

    def record(key: str, result: LinkResult, reading=None) -> None:
        with ctx.store.write("record the link check") as db:
            health = linkhealth.record(db, actor, key, result, run_id=run_id, reading=reading)
        summary.health[health] += 1

    def write(key: str, result: LinkResult) -> None:
        if reader is None or not reader.wanted(result):
            record(key, result)
        else:
            reader.submit(key, result, resources.text_of(ctx.store.db, key))
            for k, r, reading in reader.ready():
                record(k, r, reading)

    def looks_offline() -> bool:
        hosts = {r.url.split("/")[2] for _, r in held}
        return len(hosts) >= OFFLINE_HOSTS and all(r.outcome in OFFLINE_OUTCOMES
                                                   for _, r in held)

    def on_result(key: str, result: LinkResult) -> None:
        if offline[0]:
            return
        summary.checked += 1
        summary.outcomes[result.outcome] += 1
        if summary.checked <= OFFLINE_SAMPLE:
            # Hold the first answers back until they show the computer is online.
            held.append((key, result))
            if len(held) == min(OFFLINE_SAMPLE, summary.total):
                if looks_offline():
                    offline[0] = True
                    task.stop()
                    return
                for k, r in held:
                    write(k, r)
                held.clear()
            return
        write(key, result)

    checker_options.setdefault("want_body", True)
    checker = LinkChecker(ctx.fetcher.settings, **checker_options)
    try:
        checker.check(items, on_result, cancel=task.cancelled, progress=progress)
        if reader is not None and not task.cancelled():
            for k, r, reading in reader.ready(wait=True):
                record(k, r, reading)
    finally:
        checker.close()
        if reader is not None:
            reader.close()
    if offline[0]:
        raise CuratorError("Every site failed to answer, so this computer seems to be "
                           "offline. Nothing was recorded; check the links again when you "
                           "are connected.")
    for k, r in held:  # fewer results than the offline sample
        write(k, r)
    if task.cancelled():
        summary.cancelled = True
        ctx.refresh_index()
        raise Cancelled(f"Link check stopped after {summary.checked} of {summary.total}; "
                        "the next check carries on from there.")
    ctx.set_setting("linkcheck_run", None)
    ctx.refresh_index()
    return summary
