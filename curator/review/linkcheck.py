"""Checking many links at once, politely, and saying in plain words what each one found.

Use::

    checker = LinkChecker(settings)                  # defaults: 2 per host, 0.25 s apart
    checker.check(items, on_result, cancel=..., progress=...)

*items* are ``(key, url)`` pairs (the key is the caller's, e.g. a resource id) and
``on_result(key, LinkResult)`` is called once per item as soon as its result is known.
Everything the caller gets happens on the caller's own thread: ``check`` blocks until all
items are done (or *cancel* returns true) while a private pool of worker threads does the
network work, and the callbacks run on the thread that called ``check``, so they may use
that thread's SQLite connection. **Call ``check`` from a worker thread, never the GUI
thread.** Cancelling returns within about 0.2 s; requests still in flight are abandoned
(their threads end by themselves within the fetch timeouts) and never reported. Resuming
is the caller's job: pass only the items that have no result yet.

Politeness (the shared per-host scheduler, :mod:`curator.base.hosts`): never more than
``per_host`` requests in flight to one host, at least ``spacing`` seconds between the
starts of two requests to one host, and a host that answers 429 or 503 with
``Retry-After`` is left alone for that long (capped by ``max_pause``; a 429 without the
header gets ``default_pause``) before the link is tried once more, while *progress* says
"Waiting 30 s: example.org asked Curator to slow down."; a 503 without ``Retry-After`` is
not retried. Hosts are keyed by host name; redirect hops inside one fetch follow at once
(the fetcher follows them), so only the first request of each step is spaced.

Strategy: by default each link is fetched once with GET, reading at most ``sniff_bytes``
of the body (``body_cap`` when ``want_body``), because a HEAD cannot see a "soft 404" (a
200 page that says "page not found") and under per-host spacing one GET is cheaper than a
HEAD followed by a GET. ``strategy="head"`` sends HEAD first and GETs only HTML pages (to
look for soft 404s) and links whose HEAD was refused (400, 403, 405, 406, 501, or a
dropped connection): it saves bytes on PDFs and other files. ``benchmarks/linkcheck.py``
measures both.

Outcomes (``LinkResult.outcome``; labels in :data:`OUTCOMES`, groups in :data:`GROUPS`):
ok, redirected (permanently moved: ``new_url`` is offered), moved_home (a deep page now
lands on the home page or a section page: moved or gone), not_found (404, 410), soft_404,
blocked (401, 403, 451, 999, or a redirect to a login page: a person should look),
rate_limited (429 twice),
server_error (5xx), redirect_loop, timeout, dns, tls, refused, error. The "broken only
after two failures a day apart" rule is the caller's: use :data:`GROUPS`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from curator.base import clock
from curator.base.background import CancelFn, ProgressFn, Task
from curator.base.errors import Cancelled, FetchError
from curator.base.hosts import (
    DEFAULT_PAUSE,
    MAX_PAUSE,
    HostScheduler,
    Retry,
    host_of,
    parse_retry_after,
    run_by_host,
    slow_down_seconds,
)
from curator.clipping.extract.decode import decode
from curator.clipping.extract.htmltree import drop_element, parse_html, text_of
from curator.clipping.fetch import Fetcher, FetchSettings, Response

__all__ = ["GROUPS", "OUTCOMES", "LinkChecker", "LinkResult", "classify", "classify_error",
           "is_deep", "is_landing", "looks_like_soft_404", "parse_retry_after"]

#: Plain-English label for each outcome, as the person sees it.
OUTCOMES: dict[str, str] = {
    "ok": "Working",
    "redirected": "Moved to a new address",
    "moved_home": "Moved or gone (now goes to the site's home or a section page)",
    "not_found": "Not found (broken)",
    "soft_404": "Page says it cannot be found",
    "blocked": "The site refuses automated checks (check it in a browser)",
    "rate_limited": "The site asked us to slow down; try again later",
    "server_error": "The site had a problem; try again later",
    "redirect_loop": "Redirects in a loop or too many times",
    "timeout": "The site did not answer in time",
    "dns": "The site's name could not be found",
    "tls": "The secure connection could not be checked",
    "refused": "The site refused the connection",
    "error": "Could not be checked",
    "login": "Needs a login (checked by the last browser capture)",
}

#: What each outcome means for the resource: "ok" (nothing to do), "changed" (offer the
#: new address), "broken" (count towards "broken": confirm with a second check a day
#: later), "unreachable" (temporary or on our side: never call it broken on its own) and
#: "unknown" (the site will not let a program look: a person should check).
GROUPS: dict[str, str] = {
    "ok": "ok",
    "redirected": "changed",
    "moved_home": "broken",
    "not_found": "broken",
    "soft_404": "broken",
    "redirect_loop": "broken",
    "dns": "broken",
    "blocked": "unknown",
    "rate_limited": "unreachable",
    "server_error": "unreachable",
    "timeout": "unreachable",
    "tls": "unreachable",
    "refused": "unreachable",
    "error": "unreachable",
    "login": "ok",  # a login page in front of a page behind a login (review/loginwall.py)
}

BLOCKED_STATUSES = frozenset({401, 403, 451, 999})
#: HEAD answers that mean "ask again with GET".
HEAD_REFUSED = frozenset({400, 403, 405, 406, 501})
PERMANENT = frozenset({301, 308})
#: How much of a page is read to look for a soft 404 when the body itself is not wanted.
SNIFF_BYTES = 256 * 1024


@dataclass
class LinkResult:
    """What one check found. ``body`` is set only for ``want_body`` and a page that answered."""

    url: str
    outcome: str
    status: int | None
    final_url: str
    redirects: list[tuple[int, str]] = field(default_factory=list)
    message: str = ""
    checked_at: str = ""  # UTC ISO moment, e.g. 2026-11-22T13:05:01Z
    elapsed: float = 0.0  # seconds spent on requests for this link (pauses excluded)
    content_type: str | None = None
    body: bytes | None = None
    truncated: bool = False  # the body was cut at the cap
    retry_after: float | None = None  # seconds the site asked us to wait, when it did
    new_url: str | None = None  # for "redirected": the address to offer instead

    @property
    def label(self) -> str:
        return OUTCOMES.get(self.outcome, self.outcome)

    @property
    def group(self) -> str:
        return GROUPS.get(self.outcome, "unreachable")


# --- classification helpers (pure functions, tested on their own) --------------------

_NOT_FOUND_TITLE = re.compile(
    r"^\s*(?:error\s*)?(?:404|410)?\s*(?:error)?\s*[-:–|]?\s*(?:sorry[,!.]?\s*)?"
    r"(?:(?:the\s+|this\s+)?(?:page|file|document|resource|content|article)\s+"
    r"(?:was\s+|could\s+not\s+be\s+|cannot\s+be\s+|can'?t\s+be\s+)?(?:not\s+found|missing)"
    r"|not\s+found|(?:error\s+)?404|(?:page\s+)?(?:no\s+longer\s+available|gone)"
    r"|(?:we\s+)?(?:can(?:no|')?t|could(?:n'?t|\s+not))\s+find\s+(?:that|the|this)\s+page"
    r"|(?:the\s+)?page\s+(?:does\s+not|doesn'?t)\s+exist)\s*[.!]?\s*$",
    re.I)
_NOT_FOUND_TEXT = re.compile(
    r"\bpage\s+not\s+found\b|\b404\b|\bnot\s+found\b|\bno\s+longer\s+available\b"
    r"|\b(?:can(?:no|')?t|could(?:n'?t|\s+not))\s+(?:be\s+)?find\s+(?:that|the|this)\s+page\b"
    r"|\bpage\s+(?:you\s+(?:were|are)\s+looking\s+for|you\s+requested)\b"
    r"|\b(?:does\s+not|doesn'?t)\s+exist\b|\bhas\s+been\s+(?:removed|deleted)\b",
    re.I)
_TITLE_SPLIT = re.compile(r"\s+[|–—-]\s+|\s*[|–—]\s*|:\s+")
_ERROR_PATH = re.compile(r"(?:^|[/_.-])(?:404|not-?found|page-?not-?found|notfound|"
                         r"error(?:-?page)?|pagenotfound)(?:$|[/_.?-])", re.I)
#: Short pages: beyond this much visible text a page is a real page whatever it says.
SOFT_404_MAX_TEXT = 2500
_LOGIN_PATH = re.compile(r"(?:^|/)(?:log-?in|sign-?in|sso|auth(?:enticate)?|"
                         r"users?/sign_in|account/log-?on|logon)(?:$|[/.?])", re.I)
HOME_PATHS = re.compile(
    r"^/(?:(?:index|default|home|welcome|start)(?:\.\w{2,5})?|home|"
    r"[a-z]{2}(?:[-_][a-z]{2})?/?)?/?$", re.I)


def looks_like_soft_404(body: bytes, content_type: str | None, url: str) -> str | None:
    """The reason a 200 page is really a "not found" page, or None.

    Looks at the title and the first headings (which must say only "not found" or the
    like, so an article *about* 404 errors does not count), the address the page ended on
    (``/404``, ``/not-found``) and, for short pages only, the visible text.
    """
    if _ERROR_PATH.search(unquote(urlsplit(url).path or "")):
        return "the page it ends on is an error page"
    ctype = (content_type or "").lower()
    if ctype and "html" not in ctype and not ctype.startswith("text/"):
        return None
    if not body:
        return None
    text, _ = decode(body[:SNIFF_BYTES], content_type)
    root = parse_html(text)
    titles = [text_of(t) for t in root.iter("title")][:1]
    headings = [text_of(h) for h in root.iter("h1")][:2]
    for raw in titles + headings:
        for part in [raw, *_TITLE_SPLIT.split(raw)]:
            if part and len(part) < 80 and _NOT_FOUND_TITLE.match(part):
                return f"the page is titled “{raw.strip()[:80]}”"
    for bad in root.xpath("//script|//style|//noscript|//template"):
        drop_element(bad)
    bodies = root.xpath("//body")
    visible = text_of(bodies[0]) if bodies else text_of(root)
    if len(visible) <= SOFT_404_MAX_TEXT:
        found = _NOT_FOUND_TEXT.search(visible)
        if found:
            return f"the page says “{found.group(0)}”"
    return None


def _segments(path: str) -> list[str]:
    return [s for s in unquote(path or "/").split("/") if s]


def is_deep(url: str) -> bool:
    """Whether *url* points below a site's home page (a path or a query)."""
    parts = urlsplit(url)
    return bool(not HOME_PATHS.match(parts.path or "/") or parts.query)


def is_landing(original: str, final: str) -> bool:
    """Whether a redirect from *original* ended on a home page or on a section page above it.

    ``/guidance/old-report`` to ``/`` or ``/en-gb/`` or ``/home`` is a landing, and so is
    ``/guidance/child-protection/old-report`` to ``/guidance/``; ``/a/b`` to ``/a/b/`` or
    to ``/new/b`` is not.
    """
    o, f = urlsplit(original), urlsplit(final)
    if not is_deep(original):
        return False
    if HOME_PATHS.match(f.path or "/") and not f.query:
        return True
    os_, fs = _segments(o.path), _segments(f.path)
    same_host = (o.hostname or "").removeprefix("www.") == (f.hostname or "").removeprefix("www.")
    return bool(same_host and fs and len(fs) < len(os_) and os_[:len(fs)] == fs
                and not f.query)


def classify(url: str, resp: Response, *, soft_404_body: bool = True) -> tuple[str, str,
                                                                             str | None]:
    """(outcome, message, new_url) for a response that came back. Pure; no network."""
    status = resp.status
    host = host_of(resp.url) or host_of(url)
    if status in (404, 410):
        gone = " and says it is gone for good" if status == 410 else ""
        return "not_found", f"{host} answered {status}: the page does not exist{gone}.", None
    if status in BLOCKED_STATUSES:
        why = {401: "asks for a login", 403: "refuses automated checks",
               451: "says the page is unavailable for legal reasons",
               999: "refuses automated checks"}[status]
        return ("blocked", f"{host} {why} ({status}). It may still work in a browser: "
                "check it by hand.", None)
    if status == 429:
        return "rate_limited", f"{host} asked Curator to slow down (429). Try again later.", None
    if status >= 500:
        return "server_error", f"{host} had a problem ({status}). Try again later.", None
    if not 200 <= status < 300:
        return "error", f"{host} answered with an unexpected status ({status}).", None
    reason = (looks_like_soft_404(resp.body, resp.content_type, resp.url)
              if soft_404_body else None)
    if reason:
        return "soft_404", f"The page answers but {reason}: it has probably gone.", None
    if resp.redirects and _LOGIN_PATH.search(urlsplit(resp.url).path or "") and \
            not _LOGIN_PATH.search(urlsplit(url).path or ""):
        return ("blocked", f"{host} sends Curator to a login page. It may still work in a "
                "browser when signed in: check it by hand.", None)
    if resp.redirects and is_landing(url, resp.url):
        return ("moved_home", f"The address now goes to {resp.url} (a home or section page): "
                "the page has moved or gone.", None)
    leading = list(itertools.takewhile(lambda hop: hop[0] in PERMANENT, resp.redirects))
    if leading and leading[-1][1] != url:
        new = leading[-1][1]
        return "redirected", f"The page has moved permanently to {new}.", new
    if resp.redirects:
        return "ok", f"Working (a temporary redirect to {resp.url}).", None
    return "ok", "Working.", None


def classify_error(err: FetchError) -> tuple[str, str]:
    kind = {"timeout": "timeout", "dns": "dns", "tls": "tls", "refused": "refused",
            "too_many_redirects": "redirect_loop"}.get(err.kind, "error")
    return kind, err.message


# --- checking many links ---------------------------------------------------------------


@dataclass
class _Job:
    key: str
    url: str
    host: str
    method: str = "GET"
    retried: bool = False
    elapsed: float = 0.0
    retry_after: float | None = None

    def again(self, method: str | None = None, *, elapsed: float | None = None,
              retried: bool | None = None) -> _Job:
        """The follow-up request for the same link."""
        return _Job(self.key, self.url, self.host, method or self.method,
                    self.retried if retried is None else retried,
                    self.elapsed if elapsed is None else elapsed, self.retry_after)


class LinkChecker:
    """Checks links concurrently with per-host limits. See the module docstring."""

    def __init__(self, settings: FetchSettings | None = None, per_host: int = 2,
                 spacing: float = 0.25, workers: int = 16, want_body: bool = False, *,
                 strategy: str = "get", body_cap: int = 2 * 1024 * 1024,
                 sniff_bytes: int = SNIFF_BYTES, max_pause: float = MAX_PAUSE,
                 default_pause: float = DEFAULT_PAUSE, fetcher: Fetcher | None = None):
        if strategy not in ("get", "head"):
            raise ValueError("strategy must be 'get' or 'head'")
        self.settings = settings or FetchSettings()
        self.per_host = max(1, per_host)
        self.spacing = max(0.0, spacing)
        self.workers = max(1, workers)
        self.want_body = want_body
        self.strategy = strategy
        self.body_cap = body_cap
        self.sniff_bytes = sniff_bytes
        self.max_pause = max_pause
        self.default_pause = default_pause
        self._own_fetcher = fetcher is None
        self._fetcher = fetcher or Fetcher(self.settings)

    def close(self) -> None:
        """Close the connections of the fetcher this checker made (not one passed in)."""
        if self._own_fetcher:
            self._fetcher.close()

    def check(self, items: Iterable[tuple[str, str]],
              on_result: Callable[[str, LinkResult], None],
              cancel: CancelFn = None, progress: ProgressFn = None) -> None:
        """Check every ``(key, url)``; call ``on_result(key, result)`` as each finishes.

        Blocks until done or cancelled; callbacks run on the calling thread. *progress*
        hears ``done, total, ""`` after each link, and a sentence saying so while the
        check waits because a site asked it to slow down. Returns normally on cancel
        (the items not reported are the ones to check next time).
        """
        items = list(items)
        task = Task(cancel, progress)
        total, done = len(items), 0
        scheduler = HostScheduler(self.per_host, self.spacing)

        def report(key: str, result: LinkResult) -> None:
            nonlocal done
            done += 1
            on_result(key, result)
            task.progress(done, total, "")

        def settle(job: _Job, outcome: tuple[Response | None, FetchError | None]
                   ) -> Retry | None:
            step = self._next_step(job, *outcome)
            if isinstance(step, LinkResult):
                report(job.key, step)
                return None
            return step

        task.progress(0, total, "")
        for key, url in items:
            host = host_of(url)
            scheme = urlsplit(url).scheme.lower() if host else ""
            if not host or scheme not in ("http", "https"):
                report(key, LinkResult(
                    url=url, outcome="error", status=None, final_url=url,
                    message="This is not a web address Curator can check (http or https).",
                    checked_at=clock.now_iso()))
                continue
            scheduler.add(host, _Job(key, url, host,
                                     "HEAD" if self.strategy == "head" else "GET"))
        run_by_host(scheduler, self._attempt, settle, task, workers=self.workers,
                    on_wait=lambda note: task.progress(done, total, note),
                    thread_name="linkcheck")

    # Runs on a worker thread.
    def _attempt(self, job: _Job, stopped: CancelFn
                 ) -> tuple[Response | None, FetchError | None]:
        cap = self.body_cap if self.want_body else self.sniff_bytes
        try:
            resp = self._fetcher.fetch(job.url, method=job.method, cancel=stopped,
                                       max_bytes=cap, truncate=True)
            return resp, None
        except FetchError as err:
            return None, err
        except Cancelled:
            return None, FetchError("Cancelled.", kind="cancelled")
        except Exception as exc:  # a bug in a library must not kill the whole check
            return None, FetchError(f"Could not check the link ({type(exc).__name__}).",
                                    kind="network", detail=repr(exc))

    # Runs on the caller's thread: decides what a response means and what comes next.
    def _next_step(self, job: _Job, resp: Response | None, err: FetchError | None
                   ) -> LinkResult | Retry | None:
        if err is not None:
            if err.kind == "cancelled":
                return None
            if job.method == "HEAD" and err.kind == "network":
                return Retry(job.again("GET"))
            outcome, message = classify_error(err)
            return LinkResult(url=job.url, outcome=outcome, status=err.status,
                              final_url=job.url, message=message,
                              checked_at=clock.now_iso(), elapsed=job.elapsed,
                              retry_after=job.retry_after)
        assert resp is not None
        elapsed = job.elapsed + resp.elapsed
        header = resp.headers.get("retry-after")
        pause = slow_down_seconds(resp.status, header, default=self.default_pause,
                                  cap=self.max_pause)
        if pause is not None:
            asked = parse_retry_after(header)
            job.retry_after = asked if asked is not None else job.retry_after
            if not job.retried:
                hosts = tuple(h for h in dict.fromkeys((job.host, host_of(resp.url))) if h)
                return Retry(job.again(elapsed=elapsed, retried=True), pause=pause,
                             hosts=hosts)
        if job.method == "HEAD":
            ctype = (resp.content_type or "").lower()
            html = "html" in ctype or not ctype
            if resp.status in HEAD_REFUSED or (200 <= resp.status < 300 and
                                               (html or self.want_body)):
                return Retry(job.again("GET", elapsed=elapsed))
        outcome, message, new_url = classify(job.url, resp,
                                             soft_404_body=job.method != "HEAD")
        if outcome == "rate_limited" and job.retry_after:
            message = (f"{host_of(resp.url)} asked Curator to wait "
                       f"{job.retry_after:g} s, twice. Try again later.")
        body = None
        if self.want_body and job.method == "GET" and 200 <= resp.status < 300:
            body = resp.body
        return LinkResult(url=job.url, outcome=outcome, status=resp.status,
                          final_url=resp.url, redirects=list(resp.redirects), message=message,
                          checked_at=clock.now_iso(), elapsed=elapsed,
                          content_type=resp.content_type, body=body,
                          truncated=resp.truncated and body is not None,
                          retry_after=job.retry_after, new_url=new_url)
