"""Facade methods: The team folder: signed submissions, decisions and releases between laptops (issue 19).

Mixed into :class:`curator.library.Library`. Like the rest of the facade these methods
hold no rules: each builds a Context (``self.context()``) and calls the domain module that
owns the rule.
"""

from __future__ import annotations


class TeamServices:
    """The team folder."""
