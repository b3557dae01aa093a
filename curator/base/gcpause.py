"""Hold off Python's cycle collector during large batches of short-lived objects.

A full collection scans every tracked object while holding the interpreter lock, so in
the app a batch that builds hundreds of thousands of objects (an index update, a bulk
import) can freeze the window for a tenth of a second each time the collector decides to
run. Those objects are freed by reference counting anyway; the collector only has to
find cycles, and it can do that once the batch is over.

``paused()`` nests and works across threads: the collector stays off while any batch is
under way and comes back when the last one ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = True


@contextmanager
def paused() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()


def hold() -> Callable[[], None]:
    """:func:`paused` for work that ends in a later event (the app's first screen, whose
    list arrives from another thread): returns the function that ends it (once; calling
    it again does nothing)."""
    batch = paused()
    batch.__enter__()
    once = threading.Lock()

    def release() -> None:
        if once.acquire(blocking=False):  # the first call only, from any thread
            batch.__exit__(None, None, None)
    return release


def settle_startup_objects() -> None:
    """Move everything alive now out of the collector's sight (modules, widgets, caches).

    Called once the app is up: later full collections then scan only what was made since,
    which keeps them short.
    """
    gc.freeze()
