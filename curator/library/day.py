"""Facade methods: A day's work: forward revisions, warnings before publishing, reasons for every flag (issue 16).

Mixed into :class:`curator.library.Library`. Like the rest of the facade these methods
hold no rules: each builds a Context (``self.context()``) and calls the domain module that
owns the rule.
"""

from __future__ import annotations


class DayServices:
    """A day's work."""
