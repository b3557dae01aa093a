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

    def published_note(self, resource_id: str) -> str:
        """"Published version: ... Your changes wait for approval." ("" when none)."""
        return published.note(self.store.db, self.get(resource_id))

    def pane_words(self, resource_id: str) -> dict:
        """What the details pane says of a resource beyond its fields, in one call: the
        link ("link"), further facts ("facts": a login, the team folder) and the
        published version while an edit waits ("published")."""
        from curator.review import flags
        facts = [self.access_words(resource_id), self.team_words(resource_id)]
        return {"link": flags.link_words(self.store, resource_id),
                "facts": [f for f in facts if f],
                "published": self.published_note(resource_id)}

    def unpublished_changes(self, resource_id: str) -> list[str]:
        """The public fields changed since the published version was approved."""
        res = self.get(resource_id)
        return published.differences(self.store.db, res, resources.PUBLIC_FIELDS)

    def link_check_report(self, run_id: str):
        """What a link check run found, grouped as people read it ("7 checked: 5 fine,
        1 not found (first time), 1 moved to the home page"), with the resources."""
        from curator.review import flags
        return flags.run_report(self.store, run_id)

    def last_link_check(self) -> str | None:
        """When links were last checked (an ISO moment), or None if never."""
        row = self.store.query_one("SELECT max(checked_at) FROM link_checks")
        return row[0] if row else None
