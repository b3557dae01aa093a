"""Facade methods: Running the library: bulk actions, tidy tags, saved searches, themes and experts (issue 17).

Mixed into :class:`curator.library.Library`. Like the rest of the facade these methods
hold no rules: each builds a Context (``self.context()``) and calls the domain module that
owns the rule.
"""

from __future__ import annotations


class ManageServices:
    """Running the library."""
