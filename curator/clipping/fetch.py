"""The one fetcher: requests with timeouts, capped redirects and a cap on decoded bytes.

Every fetch has one total deadline (``FetchSettings.total_timeout``) for connecting, the
headers, the body and all redirects together, kept even against a server that drips a
byte at a time (see :mod:`curator.clipping.deadline`).

Council networks matter here: the system's proxy settings are honoured by default
(requests reads the environment and, on Windows, the registry), and the operating
system's certificate store can be trusted instead of the bundled one, for proxies that
inspect TLS with the council's own certificate.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from curator import __version__
from curator.base.background import CancelFn
from curator.base.errors import Cancelled, FetchError
from curator.clipping.deadline import Deadline

if TYPE_CHECKING:  # requests loads with the first fetch (Fetcher.session), not at start-up
    import requests

DEFAULT_MAX_BYTES = 30 * 1024 * 1024
CHUNK = 64 * 1024
REDIRECT_CODES = (301, 302, 303, 307, 308)


@dataclass
class FetchSettings:
    """How Curator reaches the web. The app's settings dialog edits these."""

    connect_timeout: float = 10.0
    #: The longest wait for the next data from the site.
    read_timeout: float = 20.0
    #: The whole fetch (connecting, headers, body, redirects), however the site sends it.
    total_timeout: float = 60.0
    max_redirects: int = 10
    max_bytes: int = DEFAULT_MAX_BYTES
    #: "system" (the computer's settings), "none", or "manual" with ``proxy_url``.
    proxy: str = "system"
    proxy_url: str = ""
    use_system_certificates: bool = False
    contact: str = ""

    @property
    def user_agent(self) -> str:
        contact = f"; {self.contact}" if self.contact else ""
        return f"Curator/{__version__} (practice knowledge base{contact})"


@dataclass
class Response:
    """What came back: the final address, the status and the body bytes (never decoded)."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    redirects: list[tuple[int, str]] = field(default_factory=list)
    elapsed: float = 0.0
    #: True when ``fetch(..., truncate=True)`` stopped reading at the cap.
    truncated: bool = False

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


def _not_valid(url: str, target: str) -> str:
    return (f"{_host(url)} sent Curator to an address that is not valid ({target[:80]}), "
            "so the page could not be reached. Check the link in a web browser.")


def _redirect_target(current: str, location: str, url: str) -> str:
    """The absolute address a redirect points to, if Curator may follow it."""
    try:
        target = urljoin(current, location)
        parts = urlsplit(target)
        _ = parts.port  # an impossible port number raises here
    except ValueError:
        raise FetchError(_not_valid(url, location), kind="bad_address") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(
            f"{_host(current)} redirected to an address Curator will not follow "
            f"({parts.scheme}:).", kind="bad_scheme")
    if not parts.hostname:
        raise FetchError(_not_valid(url, location), kind="bad_address")
    return target


def explain_request_error(exc: Exception, url: str, settings: FetchSettings) -> FetchError:
    """Classify a requests failure and say what it means in plain words."""
    import requests
    host = _host(url)
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, requests.exceptions.SSLError):
        hint = ("" if settings.use_system_certificates else
                " If your organisation checks secure traffic, turn on 'Use this computer's"
                " certificates' in Settings.")
        return FetchError(f"The secure connection to {host} could not be checked.{hint}",
                          kind="tls", detail=detail)
    if isinstance(exc, requests.exceptions.ProxyError):
        return FetchError(f"The proxy refused or failed the request for {host}. Check the "
                          "proxy in Settings.", kind="proxy", detail=detail)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return FetchError(f"{host} did not answer within {settings.connect_timeout:g} seconds.",
                          kind="timeout", detail=detail)
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return FetchError(f"{host} stopped answering (no data for {settings.read_timeout:g} "
                          "seconds).", kind="timeout", detail=detail)
    if isinstance(exc, requests.exceptions.TooManyRedirects):
        return FetchError(f"{host} redirected too many times.", kind="too_many_redirects",
                          detail=detail)
    if isinstance(exc, requests.exceptions.ConnectionError):
        import socket  # loaded with requests anyway, never on the way to the first screen
        text = str(exc).lower()
        cause = exc
        while cause is not None:
            if isinstance(cause, socket.gaierror):
                break
            cause = cause.__cause__ or cause.__context__
        if isinstance(cause, socket.gaierror) or "name or service not known" in text \
                or "nameresolution" in text or "getaddrinfo" in text \
                or "failed to resolve" in text:
            return FetchError(f"The site {host} could not be found. Check the address, or "
                              "whether you are offline.", kind="dns", detail=detail)
        if "refused" in text:
            return FetchError(f"{host} refused the connection.", kind="refused", detail=detail)
        if "reset" in text or "aborted" in text or "remotedisconnected" in text:
            return FetchError(f"{host} closed the connection before answering.",
                              kind="network", detail=detail)
        return FetchError(f"Could not connect to {host}.", kind="network", detail=detail)
    if isinstance(exc, requests.exceptions.ContentDecodingError
                  | requests.exceptions.ChunkedEncodingError):
        return FetchError(f"{host} sent a page that could not be read (broken compression or "
                          "transfer).", kind="network", detail=detail)
    return FetchError(f"Could not fetch the page from {host}.", kind="network", detail=detail)


class Fetcher:
    """Fetches pages. One per library; safe to share between threads for separate calls."""

    def __init__(self, settings: FetchSettings | None = None):
        self.settings = settings or FetchSettings()
        self._session: requests.Session | None = None
        self._session_lock = threading.Lock()

    @property
    def session(self) -> requests.Session:
        """The HTTP session, made (with the settings as they are then) on the first fetch."""
        with self._session_lock:
            if self._session is None:
                self._session = self._make_session()
            return self._session

    def _make_session(self) -> requests.Session:
        import requests

        from curator.clipping.adapters import SystemTrustAdapter, WatchedAdapter
        s = requests.Session()
        s.max_redirects = self.settings.max_redirects
        s.headers.update(
            {
                "User-Agent": self.settings.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8",
                "Accept-Language": "en-GB,en;q=0.9",
            }
        )
        if self.settings.proxy == "none":
            s.trust_env = False
            s.proxies = {}
        elif self.settings.proxy == "manual" and self.settings.proxy_url:
            s.proxies = {"http": self.settings.proxy_url, "https": self.settings.proxy_url}
        s.mount("http://", WatchedAdapter())
        s.mount("https://", SystemTrustAdapter() if self.settings.use_system_certificates
                else WatchedAdapter())
        return s

    def close(self) -> None:
        with self._session_lock:
            if self._session is not None:
                self._session.close()
                self._session = None

    def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        cancel: CancelFn = None,
        max_bytes: int | None = None,
        read_body: bool = True,
        truncate: bool = False,
    ) -> Response:
        """Fetch *url*, following redirects up to the cap, and return whatever status came.

        Raises :class:`FetchError` when no answer could be had (timeouts, DNS, TLS, too
        many redirects, a body over the cap) and :class:`Cancelled` when *cancel* says so.
        HTTP error statuses are returned, not raised: callers decide what a 404 means.
        With *truncate*, a body over the cap is cut at the cap (``Response.truncated``)
        instead of raising ``too_large``: for callers that only need the start of a page.
        """
        cap = max_bytes or self.settings.max_bytes
        with Deadline(self.settings.total_timeout) as deadline:
            return self._fetch(url, method, cancel, cap, read_body, truncate, deadline)

    def _fetch(self, url: str, method: str, cancel: CancelFn, cap: int,
               read_body: bool, truncate: bool, deadline: Deadline) -> Response:
        import requests
        settings = self.settings
        start = time.monotonic()
        redirects: list[tuple[int, str]] = []
        seen = {url}
        current = url
        while True:
            self._check_cancel(cancel)
            self._check_deadline(deadline, current)
            left = max(deadline.remaining, 0.01)
            try:
                resp = self.session.request(
                    method, current, stream=True, allow_redirects=False,
                    timeout=(min(settings.connect_timeout, left),
                             min(settings.read_timeout, left)),
                )
            except requests.RequestException as exc:
                raise self._failure(exc, current, deadline) from exc
            except (ValueError, UnicodeError) as exc:
                raise FetchError(_not_valid(url, current), kind="bad_address",
                                 detail=f"{type(exc).__name__}: {exc}") from exc
            if resp.status_code in REDIRECT_CODES and resp.headers.get("location"):
                resp.close()
                target = _redirect_target(current, resp.headers["location"], url)
                redirects.append((resp.status_code, target))
                if target in seen:
                    raise FetchError(f"{_host(url)} redirects in a loop, so the page can never "
                                     "be reached.", kind="too_many_redirects")
                if len(redirects) > settings.max_redirects:
                    raise FetchError(
                        f"{_host(url)} redirected more than {settings.max_redirects} times; "
                        "Curator stopped following it.", kind="too_many_redirects")
                seen.add(target)
                if resp.status_code == 303 or (resp.status_code in (301, 302) and method == "POST"):
                    method = "GET"
                current = target
                continue
            break
        headers = {k.lower(): v for k, v in resp.headers.items()}
        body = b""
        truncated = False
        try:
            if read_body and method != "HEAD":
                body, truncated = self._read_capped(resp, cap, deadline, cancel, current,
                                                    truncate)
        finally:
            resp.close()
        if deadline.fired:
            # The connection was cut when the time ran out: what arrived may be incomplete.
            raise self._too_slow(current)
        return Response(url=current, status=resp.status_code, headers=headers, body=body,
                        redirects=redirects, elapsed=time.monotonic() - start,
                        truncated=truncated)

    def _read_capped(self, resp: requests.Response, cap: int, deadline: Deadline,
                     cancel: CancelFn, url: str,
                     truncate: bool = False) -> tuple[bytes, bool]:
        """Read the decoded body in chunks, stopping at the cap however it was compressed."""
        import requests
        declared = resp.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap and not truncate and \
                not resp.headers.get("content-encoding"):
            raise FetchError(self._too_large(url, cap), kind="too_large")
        parts: list[bytes] = []
        total = 0
        try:
            for chunk in resp.iter_content(CHUNK):
                total += len(chunk)
                if total > cap:
                    if truncate:
                        parts.append(chunk[:len(chunk) - (total - cap)])
                        return b"".join(parts), True
                    raise FetchError(self._too_large(url, cap), kind="too_large")
                parts.append(chunk)
                self._check_cancel(cancel)
                self._check_deadline(deadline, url)
        except requests.RequestException as exc:
            raise self._failure(exc, url, deadline) from exc
        return b"".join(parts), False

    def _failure(self, exc: Exception, url: str, deadline: Deadline) -> FetchError:
        """What a failed request means: running out of time explains any error after it."""
        if deadline.expired:
            error = self._too_slow(url)
            error.detail = f"{type(exc).__name__}: {exc}"
            return error
        return explain_request_error(exc, url, self.settings)

    def _check_deadline(self, deadline: Deadline, url: str) -> None:
        if deadline.expired:
            raise self._too_slow(url)

    def _too_slow(self, url: str) -> FetchError:
        return FetchError(f"{_host(url)} took too long to send the page (over "
                          f"{self.settings.total_timeout:g} seconds). Try again later.",
                          kind="timeout")

    @staticmethod
    def _too_large(url: str, cap: int) -> str:
        return (f"The page at {_host(url)} is larger than {cap // (1024 * 1024)} MB, so Curator "
                "stopped reading it. Clip a smaller page, or the page that links to it.")

    @staticmethod
    def _check_cancel(cancel: CancelFn) -> None:
        if cancel is not None and cancel():
            raise Cancelled("Cancelled.")
