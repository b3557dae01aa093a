"""The background kit: one task type, one per-host scheduler, one way to run it."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest

from curator.base import hosts
from curator.base.background import Task


# -- Task -----------------------------------------------------------------------------------
def test_a_task_stays_cancelled_once_told():
    answers = iter([False, True, False])
    task = Task(lambda: next(answers))
    assert not task.cancelled()
    assert task.cancelled()
    assert task.cancelled()  # the caller's flag is not asked again


def test_a_task_can_stop_itself_and_report_stages():
    seen = []
    task = Task(progress=lambda d, t, text: seen.append((d, t, text)))
    task.progress(1, 3)
    task.stage("Adding")(2, 3, "ignored")
    task.stop()
    assert task.cancelled()
    assert seen == [(1, 3, ""), (2, 3, "Adding")]
    quiet = Task()
    quiet.progress(1, 1, "nobody listens")
    assert quiet.stage("Adding") is None and not quiet.cancelled()


# -- what sites say -------------------------------------------------------------------------
def test_slow_down_answers():
    assert hosts.slow_down_seconds(429, "30") == 30
    assert hosts.slow_down_seconds(429, None) == 5.0          # the default pause
    assert hosts.slow_down_seconds(429, "9999") == 120.0      # capped
    assert hosts.slow_down_seconds(503, "2") == 2
    assert hosts.slow_down_seconds(503, None) is None         # a broken server, not a slow-down
    assert hosts.slow_down_seconds(200, "30") is None
    assert hosts.slow_down_seconds(429, "soon") == 5.0        # nonsense header: the default
    assert hosts.parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert hosts.parse_retry_after("Wed, 21 Oct 2015 07:28:00") is None  # no time zone


def test_host_names_and_waiting_sentences():
    assert hosts.host_of("https://WWW.Example.org:8443/a?b") == "www.example.org"
    assert hosts.host_of("not a url") == "" and hosts.host_of("http://[::1") == ""
    assert hosts.waiting_text(29.2, "example.org") == ("Waiting 30 s: example.org asked Curator "
                                                 "to slow down.")
    assert hosts.waiting_text(0.2, "a.org", 1) == "Waiting 1 s: a.org and 1 other site asked " \
        "Curator to slow down."
    assert "and 3 other sites" in hosts.waiting_text(5, "a.org", 3)


# -- the scheduler --------------------------------------------------------------------------
def test_scheduler_keeps_the_per_host_limit_and_spacing():
    s = hosts.HostScheduler(per_host=2, spacing=10.0)
    for n in range(3):
        s.add("a", f"a{n}")
    s.add("b", "b0")
    now = time.monotonic()
    first = s.take(now)
    second = s.take(now)
    # one start per host per spacing: a then b, then nothing until 10 s later
    assert {first[0], second[0]} == {"a", "b"} and s.take(now) is None
    assert s.take(now + 10.5) == ("a", "a1")
    assert s.take(now + 21) is None  # two of a in flight: the limit
    s.finished("a")
    assert s.take(now + 21) == ("a", "a2")
    assert s.has_work()


def test_a_paused_host_waits_and_its_retry_goes_first():
    s = hosts.HostScheduler(per_host=1)
    s.add("a", "one")
    s.add("a", "two")
    assert s.take() == ("a", "one")
    s.finished("a")
    s.pause("a", 30)
    s.add("a", "one again", first=True)
    assert s.take() is None
    assert s.waiting_note() == "Waiting 30 s: a asked Curator to slow down."
    assert s.take(time.monotonic() + 31) == ("a", "one again")


# -- running ---------------------------------------------------------------------------------
def test_run_by_host_settles_on_the_calling_thread_within_limits():
    s = hosts.HostScheduler(per_host=2)
    for n in range(12):
        s.add(f"h{n % 3}", n)
    lock = threading.Lock()
    now, most = Counter(), Counter()
    settled = []

    def work(job, stopped):
        host = f"h{job % 3}"
        with lock:
            now[host] += 1
            most[host] = max(most[host], now[host])
        time.sleep(0.05)
        with lock:
            now[host] -= 1
        return job * 10

    def settle(job, out):
        settled.append((job, out, threading.current_thread()))

    assert hosts.run_by_host(s, work, settle, Task(), workers=8)
    assert sorted(j for j, _, _ in settled) == list(range(12))
    assert all(out == j * 10 and t is threading.current_thread() for j, out, t in settled)
    assert max(most.values()) == 2


def test_a_retry_with_a_pause_is_told_to_the_person():
    s = hosts.HostScheduler(per_host=2)
    for n in range(4):
        s.add("busy.example", n)
    tries = Counter()
    notes = []

    def settle(job, out):
        tries[job] += 1
        if job == 0 and tries[job] == 1:
            return hosts.Retry(job, pause=1.5)
        return None

    start = time.monotonic()
    assert hosts.run_by_host(s, lambda job, stopped: job, settle, Task(), on_wait=notes.append)
    assert tries[0] == 2 and time.monotonic() - start >= 1.4
    assert notes[0] == "Waiting 2 s: busy.example asked Curator to slow down."
    assert "Waiting 1 s: busy.example asked Curator to slow down." in notes  # counting down


@pytest.mark.parametrize("grace", [0.0, 5.0])
def test_a_cancel_abandons_what_is_in_flight_unless_it_ends_within_the_grace(grace):
    s = hosts.HostScheduler(per_host=2)
    for n in range(6):
        s.add("slow.example", n)
    started = threading.Event()
    settled = []

    def work(job, stopped):
        started.set()
        deadline = time.monotonic() + 60
        while not stopped() and time.monotonic() < deadline:
            time.sleep(0.01)
        return "stopped"

    begun = time.monotonic()
    assert hosts.run_by_host(s, work, lambda j, o: settled.append(o), Task(started.is_set),
                       grace=grace) is False
    assert time.monotonic() - begun < 30  # generous: it never waits out the work
    if grace:
        assert settled and set(settled) == {"stopped"} and len(settled) <= 2
    else:
        assert settled == []


def test_a_bug_in_the_work_reaches_the_caller():
    s = hosts.HostScheduler()
    s.add("a", 1)

    def work(job, stopped):
        raise ZeroDivisionError("bug")

    with pytest.raises(ZeroDivisionError):
        hosts.run_by_host(s, work, lambda j, o: None, Task())
