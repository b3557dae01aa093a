"""Facade methods: Clips that arrive from the browser extension or a curator: link (issue 20).

Mixed into :class:`curator.library.Library`. Like the rest of the facade these methods
hold no rules: each builds a Context (``self.context()``) and calls the domain module that
owns the rule.
"""

from __future__ import annotations


class BrowserServices:
    """Clips that arrive from the browser extension or a curator."""
