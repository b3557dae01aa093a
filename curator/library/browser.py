"""Facade methods: Clips that arrive from the browser extension or a curator: link (issue 20).

Mixed into :class:`curator.library.Library`. Like the rest of the facade these methods
hold no rules: each builds a Context (``self.context()``) and calls the domain module that
owns the rule.
"""

from __future__ import annotations

from curator.base.background import CancelFn
from curator.browser import capture
from curator.browser.protocol import ClipRequest


class BrowserServices:
    """Clips that arrive from the browser extension or a curator."""

    def clip_from_browser(self, request: ClipRequest, cancel: CancelFn = None) -> dict:
        """Clip a page the browser sent (its rendered HTML, or only its address), read
        as a fetched page is; the answer for the extension (curator.browser.protocol)."""
        return capture.clip(self.context(), request, cancel)

    def browser_panel_choices(self) -> dict:
        """The themes and types the extension's panel offers."""
        return capture.panel_choices(self.context())

    def access_words(self, resource_id: str) -> str:
        """"Needs a login to read: captured from your browser on 2 Dec 2026" ("" when the
        page is open to all)."""
        return capture.access_words(self.context(), resource_id)

    def browser_access(self, resource_id: str) -> dict:
        """Whether a resource needs a login, and when the browser last captured it."""
        return capture.access_of(self.context(), resource_id)
