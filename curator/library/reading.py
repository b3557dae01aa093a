"""Facade methods: Reading what was saved: page text and its approved version, export overviews (issue 17).

Mixed into :class:`curator.library.Library`. Like the rest of the facade these methods
hold no rules: each builds a Context (``self.context()``) and calls the domain module that
owns the rule.
"""

from __future__ import annotations


class ReadingServices:
    """Reading what was saved."""
