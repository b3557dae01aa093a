"""Facade methods: Reading what was saved: page text and its approved version, export overviews (issue 17).

Mixed into :class:`curator.library.Library`. Like the rest of the facade these methods
hold no rules: each builds a Context (``self.context()``) and calls the domain module that
owns the rule.
"""

from __future__ import annotations


class ReadingServices:
    """Reading what was saved."""

    # -- before an export ---------------------------------------------------------------
    def approved_counts(self) -> dict[str, int]:
        """Theme code -> how many approved resources it has (what a bundle would hold)."""
        from curator.publishing import export_overview
        return export_overview.approved_counts(self.context())

    def export_changes(self, theme_codes: list[str]):
        """What a bundle of these themes would add, update and remove since the last one."""
        from curator.publishing import export_overview
        return export_overview.export_changes(self.context(), theme_codes)

    # -- the saved page -------------------------------------------------------------------
    def read_page(self, resource_id: str, query: str = ""):
        """The saved text (and a PDF's) with *query*'s words marked, and the text as it
        was at the last approval where it differs (curator.review.reading.PageReading)."""
        from curator.review import reading
        return reading.read_page(self.store.db, resource_id, query)
