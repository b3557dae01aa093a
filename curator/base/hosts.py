"""Network work done politely: a few requests per site at a time, spaced, paused on request.

Link checks (:mod:`curator.review.linkcheck`) and import fetches
(:mod:`curator.importing.fetching`) both run their requests through here::

    sched = HostScheduler(per_host=2, spacing=0.25)
    for key, url in items:
        sched.add(host_of(url), job_for(key, url))
    finished = run_by_host(sched, work, settle, task, workers=16, on_wait=say)

``work(job, stopped)`` runs on a worker thread and does the network part (``stopped()``
turns true when the run ends or the task is cancelled: pass it on as the fetch's cancel).
``settle(job, outcome)`` runs on the thread that called :func:`run_by_host`, so it may
use that thread's SQLite connection; it returns None when the job is finished, or a
:class:`Retry` to queue a follow-up request for the same site first in line, after
leaving the site alone for a while. ``run_by_host`` blocks until every job is settled
(True) or the task is cancelled (False, within about 0.2 s; requests still in flight
are abandoned, end by themselves within their fetch timeouts and are never settled,
except those that end within *grace* seconds).

The rules, per site (keyed by whatever host string the caller passes): never more than
``per_host`` requests in flight, at least ``spacing`` seconds between the starts of two
requests, and none at all while the site is paused. A site answering 429, or 503 with
``Retry-After``, is paused for as long as it asked (:func:`slow_down_seconds`). While
work waits only on a pause, ``on_wait`` hears, about once a second, a sentence such as
"Waiting 30 s: example.org asked Curator to slow down." for the person watching.
"""

from __future__ import annotations

import heapq
import itertools
import math
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from curator.base.background import CancelFn, Task

#: What a site answers when it wants fewer requests.
SLOW_DOWN_STATUSES = frozenset({429, 503})
#: How long to leave a site alone after a 429 that did not say.
DEFAULT_PAUSE = 5.0
#: The longest pause honoured: a site asking for more is tried again after this.
MAX_PAUSE = 120.0
#: How often, at most, ``on_wait`` hears about a pause while nothing else happens.
NOTE_EVERY = 1.0


def host_of(url: str) -> str:
    """The lower-case host name of *url*, or "" when it has none."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        import email.utils  # only here: the library's addresses need host_of alone
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def slow_down_seconds(status: int, retry_after: str | None, *,
                      default: float = DEFAULT_PAUSE, cap: float = MAX_PAUSE) -> float | None:
    """How long a site asked to be left alone, or None when the answer is not a slow-down.

    A 429 waits what its ``Retry-After`` says, else *default*; a 503 only counts when it
    has a ``Retry-After`` (without one it is just a broken server). Capped by *cap*.
    """
    if status not in SLOW_DOWN_STATUSES:
        return None
    asked = parse_retry_after(retry_after)
    if asked is None and status != 429:
        return None
    return max(0.0, min(cap, default if asked is None else asked))


def waiting_text(seconds: float, host: str, others: int = 0) -> str:
    """The sentence a person sees while Curator waits because a site asked it to."""
    who = host if not others else (
        f"{host} and {others} other site{'s' if others > 1 else ''}")
    return f"Waiting {max(1, math.ceil(seconds))} s: {who} asked Curator to slow down."


@dataclass
class Retry:
    """A settled job's follow-up: *job* runs next for its site, after *pause* seconds.

    *hosts* are the sites to pause (default: the one the job was queued under), e.g. the
    address a redirect ended on as well as the one asked for.
    """

    job: Any
    pause: float = 0.0
    hosts: Sequence[str] = ()


@dataclass
class _Host:
    name: str
    queue: deque = field(default_factory=deque)
    in_flight: int = 0
    next_start: float = 0.0
    paused_until: float = 0.0
    in_heap: bool = False
    last_sent: float = float("-inf")  # when a worker last began a request (monotonic)
    send_lock: threading.Lock = field(default_factory=threading.Lock)

    def eligible_at(self) -> float:
        return max(self.next_start, self.paused_until)


class HostScheduler:
    """Which queued job may start now, site by site. Used from one thread, except
    :meth:`wait_turn`, which workers call."""

    def __init__(self, per_host: int = 2, spacing: float = 0.0):
        self.per_host = max(1, int(per_host))
        self.spacing = max(0.0, float(spacing))
        self._hosts: dict[str, _Host] = {}
        self._heap: list[tuple[float, int, str]] = []
        self._seq = itertools.count()
        self._queued = 0
        self._in_flight = 0

    def _host(self, name: str) -> _Host:
        h = self._hosts.get(name)
        if h is None:
            h = self._hosts[name] = _Host(name)
        return h

    def _push(self, h: _Host) -> None:
        if not h.in_heap and h.queue and h.in_flight < self.per_host:
            h.in_heap = True
            heapq.heappush(self._heap, (h.eligible_at(), next(self._seq), h.name))

    def add(self, host: str, job: Any, *, first: bool = False) -> None:
        """Queue *job* for *host* (at the front of that site's line with *first*)."""
        h = self._host(host)
        if first:
            h.queue.appendleft(job)
        else:
            h.queue.append(job)
        self._queued += 1
        self._push(h)

    def pause(self, host: str, seconds: float) -> None:
        """Start nothing for *host* for *seconds* from now."""
        h = self._host(host)
        h.paused_until = max(h.paused_until, time.monotonic() + max(0.0, seconds))

    def take(self, now: float | None = None) -> tuple[str, Any] | None:
        """(host, job) for a job that may start now, soonest-eligible site first, or None.

        The job counts as in flight until :meth:`finished` is called for its host.
        """
        now = time.monotonic() if now is None else now
        heap = self._heap
        while heap and heap[0][0] <= now:
            _, _, name = heapq.heappop(heap)
            h = self._hosts[name]
            h.in_heap = False
            if not h.queue or h.in_flight >= self.per_host:
                continue
            if h.eligible_at() > now:
                self._push(h)
                continue
            h.in_flight += 1
            h.next_start = now + self.spacing
            job = h.queue.popleft()
            self._queued -= 1
            self._in_flight += 1
            self._push(h)
            return name, job
        return None

    def finished(self, host: str) -> None:
        h = self._hosts[host]
        h.in_flight -= 1
        self._in_flight -= 1
        self._push(h)

    def has_work(self) -> bool:
        return bool(self._queued or self._in_flight)

    def next_due(self) -> float | None:
        """The soonest moment (monotonic) a queued job might start, if any is queued."""
        return self._heap[0][0] if self._heap else None

    def waiting_note(self, now: float | None = None) -> str | None:
        """What the run waits for when sites with work queued are paused, else None."""
        now = time.monotonic() if now is None else now
        held = sorted((h.paused_until - now, h.name) for h in self._hosts.values()
                      if h.queue and h.paused_until > now)
        if not held:
            return None
        return waiting_text(held[0][0], held[0][1], len(held) - 1)

    def wait_turn(self, host: str) -> None:
        """Hold a worker until *spacing* after the last request to *host* began.

        :meth:`take` already spaces the hand-outs; this closes the small gap between
        handing a job over and the worker actually sending it.
        """
        h = self._hosts[host]
        with h.send_lock:
            delay = h.last_sent + self.spacing - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            h.last_sent = time.monotonic()


_SKIPPED = object()  # a job handed to a worker after the run had stopped


def run_by_host(scheduler: HostScheduler,
                work: Callable[[Any, CancelFn], Any],
                settle: Callable[[Any, Any], Retry | None], task: Task, *,
                workers: int = 8, on_wait: Callable[[str], None] | None = None,
                grace: float = 0.0, thread_name: str = "curator-net") -> bool:
    """Run every queued job through *work* on worker threads and *settle* here.

    See the module docstring. Returns True when all are settled, False when *task* was
    cancelled first; then requests still in flight get *grace* seconds to notice and end,
    and those that end in time are settled too (their follow-ups are dropped). An
    exception from *work* or *settle* ends the run and is raised here.
    """
    workers = max(1, int(workers))
    jobs: queue.SimpleQueue = queue.SimpleQueue()
    results: queue.SimpleQueue = queue.SimpleQueue()
    threads: list[threading.Thread] = []
    ended = threading.Event()
    busy = 0
    last_news = last_note = time.monotonic()

    def stopped() -> bool:
        return ended.is_set() or task.cancelled()

    def worker() -> None:
        while True:
            item = jobs.get()
            if item is None:
                return
            host, job = item
            if stopped():
                results.put((host, job, _SKIPPED, None))
                continue
            scheduler.wait_turn(host)
            try:
                out, err = work(job, stopped), None
            except BaseException as exc:  # handed to the caller's thread
                out, err = None, exc
            results.put((host, job, out, err))

    def dispatch(now: float) -> None:
        nonlocal busy
        while busy < workers:
            taken = scheduler.take(now)
            if taken is None:
                return
            if busy == len(threads):
                t = threading.Thread(target=worker, name=thread_name, daemon=True)
                threads.append(t)
                t.start()
            busy += 1
            jobs.put(taken)

    def receive(item, follow_up: bool = True) -> None:
        nonlocal busy, last_news, last_note
        host, job, out, err = item
        busy -= 1
        scheduler.finished(host)
        if err is not None:
            raise err
        if out is _SKIPPED:
            return
        follow = settle(job, out)
        last_news = time.monotonic()
        if follow is None or not follow_up:
            return
        scheduler.add(host, follow.job, first=True)
        if follow.pause > 0:
            for name in follow.hosts or (host,):
                scheduler.pause(name, follow.pause)
            note = scheduler.waiting_note()
            if on_wait is not None and note:
                on_wait(note)
                last_note = time.monotonic()

    def wind_down() -> None:
        deadline = time.monotonic() + grace
        while busy > 0 and (left := deadline - time.monotonic()) > 0:
            try:
                receive(results.get(timeout=min(0.1, left)), follow_up=False)
            except queue.Empty:
                continue

    try:
        while scheduler.has_work():
            if task.cancelled():
                wind_down()
                return False
            now = time.monotonic()
            dispatch(now)
            due = scheduler.next_due()
            wait = 0.1 if due is None or busy >= workers else min(0.1, max(0.0, due - now))
            try:
                item = results.get(timeout=wait)
            except queue.Empty:
                if on_wait is not None and now - max(last_news, last_note) >= NOTE_EVERY:
                    note = scheduler.waiting_note(now)
                    if note:
                        on_wait(note)
                        last_note = now
                continue
            while item is not None:
                if task.cancelled():  # settled only within the grace, like the rest
                    results.put(item)
                    break
                receive(item)
                try:
                    item = results.get_nowait()
                except queue.Empty:
                    item = None
        return True
    finally:
        ended.set()
        for _ in threads:
            jobs.put(None)
