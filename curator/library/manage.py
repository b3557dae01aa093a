"""Facade methods: Running the library: bulk actions, tidy tags, saved searches, themes and experts (issue 17).

Mixed into :class:`curator.library.Library`. Like the rest of the facade these methods
hold no rules: each builds a Context (``self.context()``) and calls the domain module that
owns the rule.
"""

from __future__ import annotations

import contextlib


class ManageServices:
    """Running the library."""

    # -- tags that stay tidy, and saved searches ------------------------------------------
    def tags(self):
        """Every tag in use with its count and merged spellings (catalogue.tags.Tag)."""
        from curator.catalogue import tags
        return tags.list_tags(self.store)

    def tag_completions(self) -> list[str]:
        """Tag names to offer while typing, the most used first."""
        from curator.catalogue import tags
        return tags.completions(self.store)

    def rename_tag(self, old: str, new: str):
        """Rename a tag on every resource (each change in that resource's history)."""
        from curator.catalogue import tags
        with self._index_after():
            return tags.rename(self.store, self.actor, old, new)

    def merge_tags(self, names: list[str], into: str):
        """Make several tags one; the old spellings lead to *into* from then on."""
        from curator.catalogue import tags
        with self._index_after():
            return tags.merge(self.store, self.actor, names, into)

    def saved_searches(self, counted: bool = True):
        """Every saved search, A to Z, each with how many resources it finds now."""
        from curator.search import saved
        if counted:
            self.process_index_queue()
        return saved.list_all(self.store, (lambda q: self.search(q, limit=1).total)
                              if counted else None)

    def save_search(self, name: str, query: str, replace: bool = False):
        from curator.search import saved
        return saved.save(self.store, self.actor, name, query, replace=replace)

    def saved_search(self, name: str):
        from curator.search import saved
        return saved.get(self.store, name)

    def remove_saved_search(self, name: str) -> None:
        from curator.search import saved
        saved.remove(self.store, self.actor, name)

    @contextlib.contextmanager
    def _index_after(self):
        try:
            yield
        finally:
            self.process_index_queue()

    # -- themes and experts (Tools › Themes and experts) -----------------------------------
    def theme_history(self, code: str) -> list[dict]:
        """Every change to a theme, its settings and who is on it: who, when, what (and
        ``words``, the change as people read it)."""
        from curator.catalogue.themes import change_words
        from curator.storage import events
        return [{**e, "words": change_words(e)}
                for e in events.history(self.store.db, "theme", self.theme(code).code)]

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
