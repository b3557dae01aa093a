"""Facade methods: review (the queue, decisions on a resource, link checks).

Mixed into :class:`curator.library.Library`; like the rest of the facade they hold no
rules and hand a Context to the review domain.
"""

from __future__ import annotations

from curator.base.background import CancelFn, ProgressFn
from curator.catalogue import resources, themes
from curator.publishing import workflow
from curator.review import decisions, queue


class ReviewServices:
    """What needs review and why, and the expert's decisions on it."""

    def review_queue(self, **options):
        if options.get("theme"):
            options["theme"] = themes.resolve_codes(self.store, [options["theme"]])[0]
        return queue.queue(self.store, **options)

    def confirm(self, resource_id: str, note: str = "") -> resources.Resource:
        """Attest the resource is still valid; its review date moves on."""
        return decisions.decide(self.context(), decisions.confirm, resource_id, note)

    def update_and_confirm(self, resource_id: str, changes: dict, note: str = "",
                           expected_version: int | None = None) -> resources.Resource:
        """The review's "update": edit, then confirm, as one decision."""
        return decisions.update_and_confirm(self.context(), resource_id, changes, note,
                                            expected_version)

    def replace_link(self, resource_id: str, new_url: str, note: str = "") -> resources.Resource:
        return decisions.decide(self.context(), decisions.replace_link, resource_id, new_url,
                                note)

    def accept_change(self, resource_id: str, note: str = "") -> resources.Resource:
        return decisions.decide(self.context(), decisions.accept_change, resource_id, note)

    def review_item(self, resource_id: str):
        """Why this resource needs review (a ReviewItem), or None."""
        return queue.item_for(self.store, self.get(resource_id).id)

    def available_steps(self, resource_id: str) -> list[str]:
        """What the acting expert may do with this resource now (the app's buttons)."""
        db = self.store.db
        res = self.get(resource_id)
        change = decisions.pending_change(db, res.id) is not None
        return workflow.available(db, self.actor, res, change)

    def reviews(self, resource_id: str) -> list[dict]:
        return decisions.history(self.store.db, self.get(resource_id).id)

    def page_change(self, resource_id: str):
        """The readable diff of a changed page waiting for review, or None."""
        return decisions.page_change(self.store, self.get(resource_id).id)

    def check_links(self, *, theme: str | None = None, due_only: bool = False,
                    cancel: CancelFn = None, progress: ProgressFn = None, **checker_options):
        from curator.review import linkrun
        checker_options.setdefault("per_host", self.preferences.linkcheck_per_host)
        checker_options.setdefault("spacing", self.preferences.linkcheck_spacing)
        return linkrun.run(self.context(), theme=theme, due_only=due_only, cancel=cancel,
                           progress=progress, **checker_options)

