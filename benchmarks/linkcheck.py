#!/usr/bin/env python3
"""Link checking speed and politeness against many local hosts.

    python benchmarks/linkcheck.py [--links 2000] [--hosts 20] [--latency-ms 100]
                                   [--strategy get|head|both] [--json]

One threaded HTTP/1.1 server per loopback address (127.0.0.2, 127.0.0.3, ...), each
answering every request after the latency, with a known mix of pages spread over the
hosts: working pages, 404s, soft 404s, deep pages redirected home, permanent redirects,
403s to bots, 500s and 429s with ``Retry-After`` (1 s) that succeed when retried. The
checker runs with its default limits. Reported: wall time; the ideal time those limits
allow (per host: the spaced request starts, the Retry-After pauses and the last answer;
and the worker pool over all hosts); their ratio (floor <= 1.3); the highest number of
requests any host had in flight (floor: never above the per-host limit); spacing
violations between request starts to one host (floor 0); misclassified links (floor 0);
requests and bytes served. Gaps are measured where the server sees them, so a gap up to
10 ms short of the spacing is counted as measurement jitter, not a violation.
``--strategy both`` (the default) also runs the HEAD-first strategy to show what
GET-with-a-cap costs and saves; floors apply to the default "get".
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import threading
import time
from collections import Counter, defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from curator.clipping.fetch import FetchSettings  # noqa: E402
from curator.review.linkcheck import LinkChecker  # noqa: E402

RETRY_AFTER = 1
#: The server stamps a request when it arrives, not when the client sent it; thread
#: wake-ups and connection set-up move that by a few milliseconds either way.
JITTER = 0.010
ARTICLE = ("<!DOCTYPE html><html><head><title>Working with families - Example</title></head>"
           "<body><main><h1>Working with families</h1>"
           + "<p>Practitioners should talk to the family early and record what they see.</p>"
           * 250 + "</main></body></html>").encode()
HOME = b"<html><head><title>Example Partnership</title></head><body><h1>Welcome</h1></body></html>"
SOFT = (b"<html><head><title>Page not found | Example</title></head><body><h1>Sorry, we "
        b"can't find that page</h1></body></html>")
# (kind, share of links, expected outcome)
MIX = [("ok", 60, "ok"), ("nf", 8, "not_found"), ("soft", 6, "soft_404"),
       ("home", 6, "moved_home"), ("moved", 8, "redirected"), ("bot", 5, "blocked"),
       ("err", 5, "server_error"), ("busy", 2, "ok")]
# Requests of each kind a link needs (spaced starts), and answers per request (hops).
GET_REQUESTS = {"busy": 2}
HOPS = {"home": 2, "moved": 2}


def kind_of(i: int) -> str:
    slot, acc = i % 100, 0
    for kind, share, _ in MIX:
        acc += share
        if slot < acc:
            return kind
    return "ok"


class Stats:
    """What the servers saw. Lives in the server process; sent back as a dict at the end."""

    def __init__(self):
        self.lock = threading.Lock()
        self.in_flight: Counter = Counter()
        self.max_in_flight: Counter = Counter()
        self.starts: dict[str, list[float]] = defaultdict(list)  # first request of a link
        self.requests = 0
        self.bytes = 0
        self.busy_seen: set[tuple[str, str]] = set()

    def report(self) -> dict:
        with self.lock:
            return {"max_in_flight": dict(self.max_in_flight), "starts": dict(self.starts),
                    "requests": self.requests, "bytes": self.bytes}


def make_handler(stats: Stats, latency: float):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_HEAD(self):
            self.answer(head=True)

        def do_GET(self):
            self.answer(head=False)

        def answer(self, head: bool):
            host = self.server.server_address[0]
            path = self.path
            with stats.lock:
                stats.requests += 1
                stats.in_flight[host] += 1
                stats.max_in_flight[host] = max(stats.max_in_flight[host],
                                                stats.in_flight[host])
                if path.startswith("/l/"):
                    stats.starts[host].append(time.monotonic())
            try:
                time.sleep(latency)
                status, headers, body = self.route(host, path)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head:
                    self.wfile.write(body)
                    with stats.lock:
                        stats.bytes += len(body)
            finally:
                with stats.lock:
                    stats.in_flight[host] -= 1

        def route(self, host: str, path: str):
            html = {"Content-Type": "text/html; charset=utf-8"}
            if path == "/":
                return 200, html, HOME
            if path.startswith("/new/"):
                return 200, html, ARTICLE
            kind = path.split("/")[2]
            if kind == "ok":
                return 200, html, ARTICLE
            if kind == "nf":
                return 404, html, b"<title>Not found</title>"
            if kind == "soft":
                return 200, html, SOFT
            if kind == "home":
                return 301, {"Location": "/"}, b""
            if kind == "moved":
                return 301, {"Location": "/new/" + path.split("/", 3)[3]}, b""
            if kind == "bot":
                return 403, html, b"<title>Access denied</title>"
            if kind == "err":
                return 500, html, b"<title>Server error</title>"
            if kind == "busy":
                with stats.lock:
                    first = (host, path) not in stats.busy_seen
                    stats.busy_seen.add((host, path))
                if first:
                    return 429, {"Retry-After": str(RETRY_AFTER)}, b"slow down"
                return 200, html, ARTICLE
            return 404, html, b""
    return Handler


def ideal_time(links: list[tuple[str, str, str]], checker: LinkChecker, latency: float,
               strategy: str) -> float:
    """The least time the limits allow: per host, and for the worker pool overall."""
    per_host: dict[str, list[str]] = defaultdict(list)
    for _, host, kind in links:
        per_host[host].append(kind)
    s, p = checker.spacing, checker.per_host
    worst, busy_total = 0.0, 0.0
    for kinds in per_host.values():
        durations, pauses = [], 0.0
        for kind in kinds:
            hops = HOPS.get(kind, 1)
            reqs = [latency * hops]
            if strategy == "head" and kind in ("ok", "soft", "home", "moved", "busy"):
                reqs.append(latency * hops)  # HEAD said 200 HTML: GET to look inside
            if strategy == "head" and kind == "bot":
                reqs.append(latency)  # 403 to HEAD: asked again with GET
            if kind == "busy":
                reqs.append(latency * hops)
                pauses += max(0.0, latency + RETRY_AFTER - s)
            durations.extend(reqs)
        spaced = (len(durations) - 1) * s + durations[-1] + pauses
        concurrent = sum(durations) / p + pauses
        worst = max(worst, spaced, concurrent)
        busy_total += sum(durations)
    return max(worst, busy_total / checker.workers)


def serve(addresses: list[str], latency: float, conn) -> None:
    """The server process: one threaded server per address; ports out, stats back."""
    stats = Stats()
    servers, ports = [], {}
    for addr in addresses:
        server = ThreadingHTTPServer((addr, 0), make_handler(stats, latency))
        server.daemon_threads = True
        server.request_queue_size = 128
        ports[addr] = server.server_address[1]
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        servers.append(server)
    conn.send(ports)
    conn.recv()  # the checker has finished
    conn.send(stats.report())
    for server in servers:
        server.shutdown()
        server.server_close()


def run(args, strategy: str, addresses: list[str]) -> dict:
    # The servers run in their own process so that their clocks and threads do not
    # compete with the checker's for one interpreter: start times are then stamped
    # close to when requests really arrive.
    parent, child = multiprocessing.Pipe()
    proc = multiprocessing.Process(target=serve, args=(addresses, args.latency_ms / 1000,
                                                       child), daemon=True)
    proc.start()
    try:
        ports = parent.recv()
        report = _run(args, strategy, addresses, ports, parent)
    finally:
        proc.join(timeout=10)
        if proc.is_alive():
            proc.terminate()
    return report


def _run(args, strategy: str, addresses: list[str], ports: dict[str, int], conn) -> dict:
    links = []
    for i in range(args.links):
        host = addresses[i % len(addresses)]
        kind = kind_of((i // len(addresses)) * 7 + (i % len(addresses)) * 13)
        links.append((f"http://{host}:{ports[host]}/l/{kind}/{i}", host, kind))
    expected = {url: dict((k, o) for k, _, o in MIX)[kind] for url, _, kind in links}
    checker = LinkChecker(FetchSettings(proxy="none", connect_timeout=5, read_timeout=10),
                          strategy=strategy)
    results = {}
    start = time.monotonic()
    checker.check([(url, url) for url, _, _ in links],
                  lambda key, r: results.__setitem__(key, r))
    wall = time.monotonic() - start
    checker.close()
    conn.send("done")
    stats = conn.recv()
    ideal = ideal_time(links, checker, args.latency_ms / 1000, strategy)
    wrong = {u: (results[u].outcome if u in results else None, e)
             for u, e in expected.items() if u not in results or results[u].outcome != e}
    gaps = []
    for times in stats["starts"].values():
        times = sorted(times)
        gaps.extend(b - a for a, b in zip(times, times[1:], strict=False))
    return {
        "strategy": strategy,
        "wall_s": round(wall, 2),
        "ideal_s": round(ideal, 2),
        "ratio": round(wall / ideal, 3),
        "max_host_concurrency": max(stats["max_in_flight"].values()),
        "per_host_limit": checker.per_host,
        "spacing_s": checker.spacing,
        "min_start_gap_s": round(min(gaps), 4) if gaps else None,
        "spacing_violations": sum(1 for g in gaps if g < checker.spacing - JITTER),
        "misclassified": len(wrong),
        "misclassified_examples": dict(list(wrong.items())[:5]),
        "requests": stats["requests"],
        "bytes_served": stats["bytes"],
        "outcomes": dict(Counter(r.outcome for r in results.values())),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--links", type=int, default=2000)
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--latency-ms", type=float, default=100)
    ap.add_argument("--strategy", choices=["get", "head", "both"], default="both")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if not 1 <= args.hosts <= 250:
        ap.error("--hosts must be 1 to 250 (addresses 127.0.0.2 upwards)")
    addresses = [f"127.0.0.{2 + n}" for n in range(args.hosts)]
    reports = []
    for strategy in (["get", "head"] if args.strategy == "both" else [args.strategy]):
        reports.append(run(args, strategy, addresses))
    main_report = reports[0]
    floors = (main_report["ratio"] <= 1.3
              and main_report["max_host_concurrency"] <= main_report["per_host_limit"]
              and main_report["spacing_violations"] == 0
              and main_report["misclassified"] == 0)
    out = {"links": args.links, "hosts": args.hosts, "latency_ms": args.latency_ms,
           "runs": reports, "floors_met": floors}
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        for r in reports:
            print(f"[{r['strategy']}] wall {r['wall_s']} s, ideal {r['ideal_s']} s, ratio "
                  f"{r['ratio']}; max in flight per host {r['max_host_concurrency']} "
                  f"(limit {r['per_host_limit']}); spacing violations "
                  f"{r['spacing_violations']}; misclassified {r['misclassified']}; "
                  f"{r['requests']} requests, {r['bytes_served'] / 1e6:.1f} MB served")
        print("floors met" if floors else "FLOORS NOT MET")
    return 0 if floors else 1


if __name__ == "__main__":
    sys.exit(main())
