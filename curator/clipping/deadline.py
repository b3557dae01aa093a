"""One total deadline for a fetch, kept even against a server that drips its answer.

Socket timeouts only bound each wait for data: a server that sends one byte every few
seconds never trips them, and could keep a clip, a refetch, a link check or an import
busy for as long as it liked. A :class:`Deadline` covers the whole fetch (connecting,
the headers, the body and every redirect). When it passes, a timer shuts down every
connection the fetch is using, so the blocked read returns at once and the fetch fails
with a clear message instead of hanging.

The connections are found through urllib3 connection classes that report each socket to
the deadline of the fetch running on their thread (:func:`watch_manager` installs them,
for the adapters of :mod:`curator.clipping.adapters`). Nothing here imports requests or
urllib3 (nor sockets), so a deadline costs nothing at start-up. The deadline keeps a
duplicate of each socket, never the socket itself: shutting the duplicate down stops the
shared connection, and closing it at the end can never touch a descriptor that has since
been reused for something else.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import socket

_current = threading.local()


class Deadline:
    """A time limit for one fetch; use it as a context manager on the fetching thread."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends = time.monotonic() + max(seconds, 0.0)
        self._lock = threading.Lock()
        self._twins: list[socket.socket] = []  # duplicates of the sockets in use
        self._conns: set[object] = set()  # the connections they belong to
        self._fired = False
        self._done = False
        self._previous: Deadline | None = None
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._previous = getattr(_current, "deadline", None)
        _current.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._timer.cancel()
        with self._lock:
            self._done = True
            for twin in self._twins:
                _quietly(twin.close)
            self._twins.clear()
            self._conns.clear()
        _current.deadline = self._previous

    @property
    def remaining(self) -> float:
        return self.ends - time.monotonic()

    @property
    def expired(self) -> bool:
        """True once the time is up (whether or not the timer has acted yet)."""
        return self._fired or time.monotonic() >= self.ends

    @property
    def fired(self) -> bool:
        """True when the timer shut the connections down: what was read may be cut short."""
        return self._fired

    def watch(self, conn: object, sock: socket.socket, *, fresh: bool) -> None:
        """Remember a socket of this fetch, so the deadline can stop it: every *fresh* one,
        and the socket of a connection taken from the pool the first time it is used.

        The duplicate is kept to the end of the fetch even if the connection closes
        first: a response may still be reading from the socket the connection let go.
        """
        import socket  # loaded with requests by then: never on the way to the first screen
        try:
            with self._lock:
                if self._done or (conn in self._conns and not fresh):
                    return
                twin = socket.fromfd(sock.fileno(), sock.family, sock.type)
                self._conns.add(conn)
                self._twins.append(twin)
                if self._fired:
                    _quietly(twin.shutdown, socket.SHUT_RDWR)
        except (OSError, ValueError, AttributeError):
            return  # a socket that cannot be watched is still bounded between reads

    def _fire(self) -> None:
        import socket
        with self._lock:
            if self._done:
                return
            self._fired = True
            for twin in self._twins:
                _quietly(twin.shutdown, socket.SHUT_RDWR)


def _quietly(action, *args) -> None:
    try:
        action(*args)
    except OSError:
        pass


class _Watched:
    """Mixed into urllib3 connection classes: report sockets to the running deadline."""

    def _new_conn(self):
        sock = super()._new_conn()
        _report(self, sock, fresh=True)
        return sock

    def getresponse(self, *args, **kwargs):
        # A connection reused from the pool was opened during an earlier fetch.
        if self.sock is not None:
            _report(self, self.sock, fresh=False)
        return super().getresponse(*args, **kwargs)


def _report(conn: object, sock: socket.socket, *, fresh: bool) -> None:
    deadline = getattr(_current, "deadline", None)
    if deadline is not None:
        deadline.watch(conn, sock, fresh=fresh)


_POOLS: dict[type, type] = {}
_POOLS_LOCK = threading.Lock()


def _watched_pool(pool_cls: type) -> type:
    if issubclass(pool_cls.ConnectionCls, _Watched):
        return pool_cls
    with _POOLS_LOCK:
        made = _POOLS.get(pool_cls)
        if made is None:
            conn_cls = pool_cls.ConnectionCls
            watched_conn = type(f"Watched{conn_cls.__name__}", (_Watched, conn_cls), {})
            made = type(f"Watched{pool_cls.__name__}", (pool_cls,),
                        {"ConnectionCls": watched_conn})
            _POOLS[pool_cls] = made
        return made


def watch_manager(manager):
    """Make *manager* (a urllib3 pool manager) open connections that obey deadlines."""
    manager.pool_classes_by_scheme = {
        scheme: _watched_pool(cls) for scheme, cls in manager.pool_classes_by_scheme.items()}
    return manager

