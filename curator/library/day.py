"""Facade methods: A day's work: forward revisions, warnings before publishing, reasons for every flag (issue 16).

Mixed into :class:`curator.library.Library`. Like the rest of the facade these methods
hold no rules: each builds a Context (``self.context()``) and calls the domain module that
owns the rule.
"""

from __future__ import annotations

from curator.catalogue import published, resources


class DayServices:
    """A day's work."""

    def published_version(self, resource_id: str) -> published.PublishedVersion | None:
        """The version last approved, which bundles carry while an edit waits (or None)."""
        res = self.get(resource_id)
        return published.get(self.store.db, res.id)

    def unpublished_changes(self, resource_id: str) -> list[str]:
        """The public fields changed since the published version was approved."""
        res = self.get(resource_id)
        return published.differences(self.store.db, res, resources.PUBLIC_FIELDS)

    def last_link_check(self) -> str | None:
        """When links were last checked (an ISO moment), or None if never."""
        row = self.store.query_one("SELECT max(checked_at) FROM link_checks")
        return row[0] if row else None
