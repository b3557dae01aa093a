"""Facade methods: Running the library: bulk actions, tidy tags, saved searches, themes and experts (issue 17).

Mixed into :class:`curator.library.Library`. Like the rest of the facade these methods
hold no rules: each builds a Context (``self.context()``) and calls the domain module that
owns the rule.
"""

from __future__ import annotations


class ManageServices:
    """Running the library."""

    # -- themes and experts (Tools › Themes and experts) -----------------------------------
    def theme_history(self, code: str) -> list[dict]:
        """Every change to a theme, its settings and who is on it: who, when, what."""
        from curator.storage import events
        return events.history(self.store.db, "theme", self.theme(code).code)

    def retire_theme(self, code: str, active: bool = False):
        """Stop offering a theme for new resources (its resources keep it), or restart it.
        Needs a lead of the theme, once it has one."""
        return self.edit_theme(code, active=active)

    # -- bulk actions on a selection -------------------------------------------------------
    def bulk(self, ids, action: str, value=None, **options):
        """Apply one action to many resources, each checked by the rules: returns what was
        done and what was refused, why (:mod:`curator.publishing.bulk`)."""
        from curator.publishing import bulk
        result = bulk.run(self.context(), ids, action, value, hook=self._bulk_hook, **options)
        self._bulk_after(result)
        return result

    def bulk_undo(self, result):
        """Put back what a bulk action did (one changed since is left, with the reason)."""
        from curator.publishing import bulk
        return bulk.undo(self.context(), result)

    def bulk_redo(self, result):
        """Do a bulk action again to the resources it was done to, checked again."""
        from curator.publishing import bulk
        again = bulk.redo(self.context(), result, hook=self._bulk_hook)
        self._bulk_after(again)
        return again

    def _bulk_hook(self, db, res, action: str, reason: str) -> None:
        self._team_step(db, res, action, reason)

    def _bulk_after(self, result) -> None:
        if result.done:
            self._team_after(result.action)
