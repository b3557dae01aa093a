"""Change the selected resources (issue 17), driven offscreen on the demo library: one
change to many rows, the refused listed with the core's reason, and one Undo putting the
whole change back. Sam Patel leads DA, CSA and FII; Priya Shah leads NEG, EXP and DIG."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel

from curator.ui import bulk_dialog
from tests.support.qt import idle


def select_rows(window, rows):
    model, selection = window.model, window.table.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)
    return window.selected_ids()


def opened(window, qtbot):
    window.act_change_selected.trigger()
    dialog = window.bulk_dialog
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    return dialog


def test_the_action_names_the_selection_and_is_on_the_edit_menu(window):
    edit = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert window.act_change_selected in edit.actions()
    assert window.act_change_selected in window.table.actions()  # the right-click menu
    select_rows(window, [])
    assert not window.act_change_selected.isEnabled()
    select_rows(window, [0, 1, 2])
    assert window.act_change_selected.text().replace("&", "") == "Change 3 selected…"


def test_a_tag_and_a_theme_for_many_and_one_undo_puts_it_all_back(window, qtbot):
    ids = select_rows(window, range(6))
    lib = window.lib
    before = {rid: (lib.get(rid).tags, lib.get(rid).themes, lib.get(rid).status)
              for rid in ids}
    dialog = opened(window, qtbot)
    assert dialog.windowTitle() == "Change 6 resources"
    dialog.choose("add_tags")
    dialog.tags.setText("court, Court")
    dialog.apply.click()
    idle(qtbot, window)
    assert all("court" in [t.casefold() for t in lib.get(rid).tags] for rid in ids)
    assert window.undo_stack.undoText() == "Tag 6 resources"
    assert dialog.summary.text() == "6 tagged court."

    dialog.choose("add_themes")
    dialog.theme.setCurrentIndex(dialog.theme.findData("DIG"))
    dialog.apply.click()
    idle(qtbot, window)
    assert all("DIG" in lib.get(rid).themes for rid in ids)
    dialog.grab().save("/tmp/bulk-dialog-shot.png")

    window.undo_stack.undo()  # the theme, from all six at once
    idle(qtbot, window)
    assert all("DIG" not in lib.get(rid).themes or "DIG" in before[rid][1] for rid in ids)
    window.undo_stack.undo()  # and the tag
    idle(qtbot, window)
    assert {rid: (lib.get(rid).tags, lib.get(rid).themes, lib.get(rid).status)
            for rid in ids} == before
    window.undo_stack.redo()
    idle(qtbot, window)
    assert all("court" in [t.casefold() for t in lib.get(rid).tags] for rid in ids)


def test_approving_many_lists_the_refused_with_the_reason(window, qtbot):
    lib = window.lib
    ids = select_rows(window, range(window.model.rowCount()))
    dialog = opened(window, qtbot)
    dialog.choose("approve")
    dialog.apply.click()
    idle(qtbot, window)
    # The demo: one DA resource awaits Sam's approval, 10 are approved already; two are
    # drafts, one retired and one DIG resource awaits Priya, who leads DIG.
    assert dialog.summary.text() == "1 approved. 10 already were so. 4 were not: see why below."
    refused = [dialog.refusals.item(i).text() for i in range(dialog.refusals.count())]
    assert len(refused) == 4 and not dialog.refusals.isHidden()
    assert sum("\n    Only a lead or deputy of DIG can approve this resource" in t for t in refused) == 1
    assert sum("is a draft, so it cannot be approved" in t for t in refused) == 2
    assert sum(lib.get(rid).status == "approved" for rid in ids) == 11
    assert window.undo_stack.undoText() == "Approve 15 resources"
    dialog.grab().save("/tmp/bulk-dialog-refused-shot.png")
    window.undo_stack.undo()
    idle(qtbot, window)
    assert sum(lib.get(rid).status == "approved" for rid in ids) == 10
    assert window.statusBar().currentMessage().startswith("1 put back.")


def test_nothing_done_leaves_nothing_to_undo(window, qtbot):
    ids = select_rows(window, [0, 1])
    window.lib.bulk(ids, "retire", reason="Out of date")
    idle(qtbot, window)
    depth = window.undo_stack.count()
    dialog = bulk_dialog.BulkDialog(window, ids)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.choose("submit")
    dialog.apply.click()
    idle(qtbot, window)
    assert dialog.summary.text().startswith("0 submitted. 2 were not")
    assert "retired, so it cannot be submitted" in dialog.refusals.item(0).text()
    assert window.undo_stack.count() == depth  # obsolete: removed from the stack
    dialog.choose("retire")  # no reason: refused whole, before anything is done
    dialog.apply.click()
    idle(qtbot, window)
    assert "Please give a reason" in dialog.summary.text()
