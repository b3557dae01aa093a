"""The one way long work in the core reports progress and hears a cancel.

A long call takes ``cancel`` (asked between steps: True means stop now) and ``progress``
(told ``done, total, text`` as it goes). The app passes its operation's own; the command
line passes a Ctrl+C flag and a printer.
"""

from __future__ import annotations

from collections.abc import Callable

CancelFn = Callable[[], bool] | None
ProgressFn = Callable[[int, int, str], None] | None
