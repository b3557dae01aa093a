"""Review and workflow steps from the details pane: confirm, replace link, approve...

Each step is one library call in the background; this only asks the person for what the
step needs (a reason, a new address). The window refreshes from the change signal
afterwards; when the resource has left the list, the one that took its place is selected,
so the expert moves on to the next.
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog

from curator.library import CautionFound, PersonalDataFound
from curator.ui.errors import show_error


class StepController:
    def __init__(self, window):
        self.w = window

    def take_step(self, resource_id: str, step: str) -> None:
        """Run one review or workflow step, asking only for what the step needs."""
        lib = self.w.lib
        res = lib.get(resource_id)
        ask = self._ask_text
        if step == "confirm":
            changes = self.w.details.changes() if self.w.details.resource() and \
                self.w.details.resource().id == resource_id else {}
            if changes:
                work = lambda ctx: lib.update_and_confirm(resource_id, changes,  # noqa: E731
                                                          expected_version=res.version)
            else:
                work = lambda ctx: lib.confirm(resource_id)  # noqa: E731
            self._run_step(resource_id, work, "Confirmed: its review date has moved on.")
        elif step == "accept_change":
            from curator.ui.diff_dialog import DiffDialog
            hunks = lib.page_change(resource_id)
            if hunks is None:
                return
            dialog = DiffDialog(res.title or res.url, hunks, self.w)
            if dialog.exec():
                self._run_step(resource_id, lambda ctx: lib.accept_change(resource_id),
                               "The page's new text is stored.")
        elif step == "replace_link":
            offered = lib.offered_address(resource_id) or res.url
            url = ask("Replace link", "The new address (the old one stays in the history):",
                      offered)
            if url:
                self._run_step(resource_id, lambda ctx: lib.replace_link(resource_id, url),
                               "The link was replaced.")
        elif step in ("send_back", "retire"):
            reason = ask("Send back" if step == "send_back" else "Retire",
                         "Why? (kept with its history)")
            if reason:
                fn = lib.send_back if step == "send_back" else lib.retire
                self._run_step(resource_id, lambda ctx: fn(resource_id, reason), "Done.")
        elif step in ("submit", "approve"):
            self._submit_or_approve(resource_id, step, None)
        elif step == "reinstate":
            self._run_step(resource_id, lambda ctx: lib.reinstate(resource_id), "Reinstated.")
        elif step == "restore":
            self._run_step(resource_id, lambda ctx: lib.restore(resource_id), "Restored.")

    def _submit_or_approve(self, resource_id: str, step: str, override: str | None,
                           despite: str | None = None) -> None:
        fn = self.w.lib.submit if step == "submit" else self.w.lib.approve

        def failed(error) -> bool:
            if isinstance(error, CautionFound):
                reason = self._ask_text(
                    "Go ahead anyway?", error.message + "\n\nWhy should it go ahead? "
                    "(kept with its history) Or cancel, and replace the link or retire it:")
                if reason:
                    self._submit_or_approve(resource_id, step, override, reason)
                return True
            if not isinstance(error, PersonalDataFound):
                return False
            if step == "approve":
                reason = self._ask_text(
                    "Personal data?", error.message + "\n\nAs an approver you may go ahead "
                    "if you are sure this identifies nobody. Say why, or cancel and edit it:")
                if reason:
                    self._submit_or_approve(resource_id, step, reason, despite)
            else:
                show_error(self.w, error.message)
            return True
        self._run_step(resource_id,
                       lambda ctx: fn(resource_id, override_reason=override, despite=despite),
                       "Sent for approval." if step == "submit" else "Approved.", failed)

    def _ask_text(self, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(self.w, title, label, text=text)
        return value.strip() if ok and value.strip() else None

    def _run_step(self, resource_id: str, work, done_message: str, on_failure=None) -> None:
        def done(_result):
            self.w.statusBar().showMessage(done_message, 5000)
            self.w.table.setFocus()
        self.w.ops.run(work, on_success=done, on_failure=on_failure)
