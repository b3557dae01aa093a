"""Fetching the pages an import added, several sites at once, politely and resumably.

:func:`fetch_pending` fetches resources still "not fetched yet" through
:func:`curator.clipping.clip.refetch` (which fills in only what is missing), on the
shared per-host scheduler of :mod:`curator.base.hosts`: at most *per_host* requests to a
site at once, *spacing* seconds between their starts, and a site answering 429 (or 503
with ``Retry-After``) is left alone for as long as it asks, while the progress says
"Waiting 30 s: example.org asked Curator to slow down.", before its page is tried once
more. A stopped run leaves the rest "not fetched yet" for the next one. Everything here
blocks: the app calls it from a worker thread; *progress* and *cancel* are called on
that thread (*cancel* also from the fetch threads).
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from curator.base.background import CancelFn, ProgressFn, Task
from curator.base.errors import Cancelled, CuratorError
from curator.base.hosts import HostScheduler, Retry, host_of, run_by_host, slow_down_seconds
from curator.clipping import clip
from curator.importing.formats.report import ImportReport

if TYPE_CHECKING:
    from curator.context import Context

log = logging.getLogger(__name__)

#: Fetch politeness for imports: at most this many requests in flight to one site.
DEFAULT_PER_HOST = 4
#: Fetch threads in all.
DEFAULT_WORKERS = 8
#: How long fetches still under way when a run is stopped get to notice and end.
STOP_GRACE = 1.0


@contextlib.contextmanager
def index_later(ctx: Context):
    """Queue index updates during a bulk step and apply them once at the end."""
    added = [0]

    def count(many: int = 0) -> int:
        added[0] += many
        return 0
    try:
        yield dataclasses.replace(ctx, refresh_index=count)
    finally:
        ctx.refresh_index(added[0])


@dataclass
class FetchRun:
    """``results``: resource id -> (ok, message) for every fetch that finished."""

    results: dict[str, tuple[bool, str]] = field(default_factory=dict)
    total: int = 0
    cancelled: bool = False

    @property
    def remaining(self) -> int:
        return self.total - len(self.results)


class _SlowDown(Exception):
    """A site asked us to wait *seconds* before asking again (raised before any write)."""

    def __init__(self, seconds: float, url: str):
        super().__init__(f"asked to wait {seconds:g} s")
        self.seconds = seconds
        self.url = url


class _Patient:
    """The library's fetcher, except that a site's "slow down" answer becomes
    :class:`_SlowDown`, so the scheduler waits and the page is tried again rather than
    recorded as failed. (Only a page's first try goes through this: a second slow-down
    answer is recorded as the failure it is.)"""

    def __init__(self, fetcher):
        self._fetcher = fetcher

    def __getattr__(self, name: str):
        return getattr(self._fetcher, name)

    def fetch(self, url: str, **options):
        resp = self._fetcher.fetch(url, **options)
        seconds = slow_down_seconds(resp.status, resp.headers.get("retry-after"))
        if seconds is not None:
            raise _SlowDown(seconds, resp.url)
        return resp


@dataclass
class _Fetch:
    resource_id: str
    host: str
    retried: bool = False


def _select(ctx: Context, ids: Iterable[str] | None,
            include_failed: bool) -> list[tuple[str, str]]:
    states = ("pending", "failed") if include_failed else ("pending",)
    marks = ",".join("?" * len(states))
    rows = ctx.store.query(f"SELECT id, url FROM resources WHERE fetch_state IN ({marks}) AND "
                           "deleted_at IS NULL ORDER BY rowid", states)
    if ids is None:
        return [(r["id"], r["url"]) for r in rows]
    urls = {r["id"]: r["url"] for r in rows}
    return [(rid, urls[rid]) for rid in dict.fromkeys(ids) if rid in urls]


def fetch_pending(ctx: Context, ids: Iterable[str] | None = None, *, cancel: CancelFn = None,
                  progress: ProgressFn = None, per_host: int = DEFAULT_PER_HOST,
                  workers: int = DEFAULT_WORKERS, include_failed: bool = False,
                  spacing: float = 0.0) -> FetchRun:
    """Fetch pages not fetched yet, several at once, never more than *per_host* per site.

    *ids* limits the run to those resources (else every resource still "not fetched
    yet"; with *include_failed* also those whose last fetch failed). *spacing* puts at
    least that many seconds between the starts of two requests to one site. Blocks until
    done or cancelled; *progress* and the return happen on the calling thread.
    """
    items = _select(ctx, ids, include_failed)
    run = FetchRun(total=len(items))
    if not items:
        return run
    task = Task(cancel, progress)
    scheduler = HostScheduler(per_host, spacing)
    for rid, url in items:
        host = host_of(url)
        scheduler.add(host, _Fetch(rid, host))

    def work(job: _Fetch, stopped) -> tuple[bool, str] | _SlowDown | None:
        here = quiet if job.retried else dataclasses.replace(quiet,
                                                             fetcher=_Patient(quiet.fetcher))
        try:
            r = clip.refetch(here, job.resource_id, cancel=stopped)
            return r.ok, r.message
        except _SlowDown as slow:
            return slow
        except Cancelled:
            return None
        except CuratorError as exc:
            return False, exc.message
        except Exception as exc:  # a bug must not stop the other fetches
            log.exception("Unexpected error fetching %s", job.resource_id)
            return False, f"Unexpected error ({type(exc).__name__})."

    def settle(job: _Fetch, outcome) -> Retry | None:
        if isinstance(outcome, _SlowDown):
            hosts = tuple(dict.fromkeys((job.host, host_of(outcome.url))))
            return Retry(_Fetch(job.resource_id, job.host, retried=True),
                         pause=outcome.seconds, hosts=hosts)
        if outcome is not None:
            run.results[job.resource_id] = outcome
        task.progress(len(run.results), run.total, "Fetching")
        return None

    with index_later(ctx) as quiet:
        finished = run_by_host(
            scheduler, work, settle, task, workers=min(max(1, int(workers)), len(items)),
            on_wait=lambda note: task.progress(len(run.results), run.total, note),
            grace=STOP_GRACE, thread_name="curator-import-fetch")
    run.cancelled = not finished and run.remaining > 0
    return run


def fetch_rest(ctx: Context, report: ImportReport, *, cancel: CancelFn = None,
               progress: ProgressFn = None) -> ImportReport:
    """Fetch the pages an import left "not fetched yet"; returns a copy of the report with
    each outcome on its row (the wizard's "Fetch the rest now"). The report passed in is
    left as it was, so a window can go on showing it meanwhile."""
    fetched = fetch_pending(ctx, report.pending_ids, cancel=cancel, progress=progress)
    updated = copy.deepcopy(report)
    updated.apply_fetch(fetched.results, fetched.cancelled)
    return updated
