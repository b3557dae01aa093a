"""Through the app: the lead's window syncs at start (off the GUI thread), says what
awaits, lists it with who sent it and when, and the approval goes back to the expert."""

from __future__ import annotations

from curator.library import Library
from tests.support.qt import idle
from tests.team.conftest import LEAD, clip, status_of


def test_the_lead_syncs_sees_and_approves_in_the_app(qtbot, team, settings):
    from curator.ui.main_window import MainWindow

    expert, lead, folder = team
    rid = clip(expert, "https://example.org/safety-planning", "Safety planning with mothers")
    expert.ok("submit", rid)
    lead.use()
    lib = Library.open(lead.library)
    lib.act_as(LEAD)
    win = MainWindow(lib, settings)
    qtbot.addWidget(win)
    win.show()
    sync = win.team_sync
    qtbot.waitUntil(lambda: "1 awaiting your approval" in sync.label.text(), timeout=20000)
    assert sync.label.text() == "Team: 1 awaiting your approval"
    assert sync.act_sync in win.menuBar().actions()[0].menu().actions()
    assert not win.act_switch_expert.isVisible()  # one owner: the register's person

    dialog = sync.show_awaiting()
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=10000)
    text = dialog.list.item(0).text()
    assert "Safety planning with mothers" in text and "from Asha Patel, sent " in text
    dialog.grab().save("/tmp/team19-awaiting.png")
    dialog.open_current()
    idle(qtbot, win)
    qtbot.waitUntil(lambda: win.details.resource() is not None
                    and win.details.resource().id == rid, timeout=10000)

    win.steps.take_step(rid, "approve")
    idle(qtbot, win)
    qtbot.waitUntil(lambda: lib.get(rid).status == "approved", timeout=10000)
    sync.act_sync.trigger()
    idle(qtbot, win)
    qtbot.waitUntil(lambda: sync.label.text() == "Team: up to date", timeout=10000)
    win.grab().save("/tmp/team19-window.png")
    win.close()

    assert "approved by Ben Lead" in expert.ok("team", "sync")
    assert status_of(expert, rid) == "approved"
    expert.use()
    with Library.open(expert.library) as mine:
        story = mine.team_about(rid)
    assert [(s["outcome"], s["decided_by"]) for s in story["sent"]] == [("approved", LEAD)]


def test_a_window_without_a_team_folder_says_nothing_and_explains_on_sync_now(qtbot, window):
    sync = window.team_sync
    idle(qtbot, window)
    assert sync.label.text() == ""
    sync.act_sync.trigger()
    idle(qtbot, window)
    qtbot.waitUntil(lambda: "No team folder" in window.statusBar().currentMessage(),
                    timeout=10000)
