"""A day in Curator (issue 16), through real widgets on a real demo library and a local
web server: nothing typed is lost, and nothing flagged is unexplained."""

from __future__ import annotations

from PySide6.QtCore import Qt
from werkzeug import Response

from curator.ui.table import COLUMN_KEYS
from tests.support.qt import idle
from tests.support.servers import serve

PAGE = (b"<html><body><main><h1>Guidance</h1><p>Enough words of guidance to make this a "
        b"real page that a link check can read and compare.</p></main></body></html>")
WITHDRAWN = (
    b"<html><body><main><div class='gem-c-notice'><h2>This guidance was withdrawn on "
    b"1 May 2023</h2><p>It is no longer current.</p></div><h1>Old guidance</h1><p>Some "
    b"text of the old guidance that is long enough to be a page of its own.</p></main>"
    b"</body></html>")


def settled(qtbot, window) -> None:
    idle(qtbot, window)
    qtbot.wait(20)
    idle(qtbot, window)


def choose(window, qtbot, rid: str) -> None:
    window.open_resource(rid)
    qtbot.waitUntil(lambda: window.current_id() == rid and
                    window.details.resource() is not None and
                    window.details.resource().id == rid, timeout=10000)


def heading_count(window) -> int:
    return int(window.heading.text().rsplit(":", 1)[1].split()[0])


def test_typed_text_survives_choosing_another_row_and_undo_covers_it(window, qtbot):
    first, second = window.model.id_at(0), window.model.id_at(1)
    choose(window, qtbot, first)
    window.details.notes.setFocus()
    qtbot.waitUntil(window.details.notes.hasFocus)
    window.details.notes.selectAll()
    qtbot.keyClicks(window.details.notes, "Share this at the next team meeting")
    window.table.selectRow(1)  # the person clicks another row: no Save was pressed
    qtbot.waitUntil(lambda: window.details.resource().id == second, timeout=10000)
    settled(qtbot, window)
    assert window.lib.get(first).notes == "Share this at the next team meeting"
    choose(window, qtbot, first)
    assert window.details.notes.toPlainText() == "Share this at the next team meeting"
    assert not window.details.is_dirty()
    assert window.undo_stack.undoText() == "Edit notes"
    window.act_undo.trigger()
    qtbot.waitUntil(lambda: window.lib.get(first).notes != "Share this at the next team "
                    "meeting", timeout=10000)
    settled(qtbot, window)
    assert window.details.notes.toPlainText() == window.lib.get(first).notes


def test_leaving_a_field_saves_it(window, qtbot):
    rid = window.model.id_at(0)
    choose(window, qtbot, rid)
    window.details.tags.setFocus()
    qtbot.waitUntil(window.details.tags.hasFocus)
    window.details.tags.selectAll()
    qtbot.keyClicks(window.details.tags, "MARAC, coercive control")
    completer = window.details.tags.completer()
    if completer is not None and completer.popup().isVisible():
        qtbot.keyClick(completer.popup(), Qt.Key.Key_Escape)  # not taking the suggestion
    window.search.box.setFocus()  # leave the field, e.g. to search
    qtbot.waitUntil(lambda: sorted(window.lib.get(rid).tags) == ["MARAC", "coercive control"],
                    timeout=10000)
    settled(qtbot, window)
    assert not window.details.is_dirty()


def test_closing_the_window_saves_what_was_typed(window, qtbot):
    rid = window.model.id_at(0)
    choose(window, qtbot, rid)
    window.details.summary.setPlainText("A summary typed just before quitting")
    assert window.details.is_dirty()
    folder = window.lib.folder
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    from curator.library import Library
    with Library.open(folder) as again:
        assert again.get(rid).summary == "A summary typed just before quitting"


def test_an_approved_resource_stays_published_while_its_edit_waits(window, qtbot):
    lib = window.lib  # Sam Patel leads DA in the demo
    rid = next(r.id for r in lib.list() if r.status == "approved" and "DA" in r.themes)
    choose(window, qtbot, rid)
    assert not window.details.published_note.isVisible()
    window.details.title.setFocus()
    window.details.title.selectAll()
    qtbot.keyClicks(window.details.title, "A clearer title")
    window.table.setFocus()
    qtbot.waitUntil(lambda: lib.get(rid).status == "submitted", timeout=10000)
    settled(qtbot, window)
    note = window.details.published_note
    assert note.isVisible()
    assert note.text().startswith("Published version: “") and \
        "Your changes wait for approval." in note.text()
    assert lib.published_version(rid).fields["title"] != "A clearer title"
    window.act_undo.trigger()  # Undo puts the approval back too
    qtbot.waitUntil(lambda: lib.get(rid).status == "approved", timeout=10000)
    settled(qtbot, window)
    assert not window.details.published_note.isVisible()


def test_withdrawn_guidance_needs_a_reason_to_be_submitted(window, qtbot, httpserver,
                                                           monkeypatch):
    lib = window.lib
    url = serve(httpserver, "/guidance/old", WITHDRAWN)
    holder = {}
    window.ops.run(lambda ctx: holder.setdefault("r", lib.add_resource(
        url, title="Old guidance", themes_=["DA"], index=False)))
    settled(qtbot, window)
    rid = holder["r"].id
    with lib.store.write() as db:  # only this one is checked (the demo's sites are made up)
        db.execute("UPDATE resources SET status = 'retired' WHERE id != ?", (rid,))
    window.ops.run(lambda ctx: lib.check_links(spacing=0), changes="all")
    settled(qtbot, window)
    choose(window, qtbot, rid)
    assert "withdrawn" in window.details.reasons.text()
    asked = []

    def ask(title, label, text=""):
        asked.append(label)
        return "Our area still follows it until the new guidance is out"
    monkeypatch.setattr(window.steps, "_ask_text", ask)
    window.details.step_buttons["submit"].click()
    qtbot.waitUntil(lambda: lib.get(rid).status == "submitted", timeout=10000)
    assert "withdrawn" in asked[0] and "1 May 2023" in asked[0]
    event = [h for h in lib.history(rid) if h["action"] == "workflow.submitted"][-1]
    assert event["detail"]["despite"].startswith("Our area still follows it")


def test_due_for_review_says_why_and_the_reason_stays_in_view(window, qtbot):
    from PySide6.QtCore import QRect

    from curator.ui import window_fit
    window_fit.fit_first(window, QRect(0, 0, 1440, 900))  # a laptop: room for the reason
    window.sidebar.select("view", "due")
    settled(qtbot, window)
    reason = window.model.index(0, 1)
    assert window.model.headerData(1, Qt.Orientation.Horizontal) == "Why it needs review"
    assert not window.table.isColumnHidden(1)
    assert reason.data()  # e.g. "Review overdue (due 3 Nov)"
    assert reason.data(Qt.ItemDataRole.ToolTipRole)
    assert heading_count(window) == window.model.rowCount()
    window.resize(1200, 480)
    choose(window, qtbot, window.model.id_at(0))
    details = window.details
    assert details.reasons.isVisible()
    assert not details.scroll.isAncestorOf(details.reasons)  # never scrolled out of view
    bar = details.verticalScrollBar()
    bar.setValue(bar.maximum())
    window.table.selectRow(1)
    qtbot.waitUntil(lambda: details.resource().id == window.model.id_at(1), timeout=10000)
    assert bar.value() == 0  # the next resource opens at its top
    window.sidebar.select("view", "all")
    settled(qtbot, window)
    assert window.table.isColumnHidden(1)


def test_a_link_check_says_what_it_found_and_shows_those_resources(window, qtbot,
                                                                   httpserver):
    lib = window.lib
    rows = lib.list()[:3]
    ok = serve(httpserver, "/ok", PAGE)
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    serve(httpserver, "/", PAGE)
    httpserver.expect_request("/guidance/old-report").respond_with_response(
        Response(status=301, headers={"Location": httpserver.url_for("/")}))
    window.ops.run(lambda ctx: (lib.replace_link(rows[0].id, ok),
                                lib.replace_link(rows[1].id, httpserver.url_for("/gone")),
                                lib.replace_link(rows[2].id,
                                                 httpserver.url_for("/guidance/old-report"))))
    settled(qtbot, window)
    with lib.store.write() as db:  # only these three are checked
        db.execute("UPDATE resources SET status = 'retired' WHERE id NOT IN (?, ?, ?)",
                   tuple(r.id for r in rows))
    window.act_check_links.trigger()
    qtbot.waitUntil(lambda: getattr(window, "link_report", None) is not None, timeout=20000)
    dialog = window.link_report
    assert dialog.summary.text() == ("3 checked: 1 fine, 1 not found (first time), "
                                     "1 moved to the home page.")
    assert window.statusBar().currentMessage() == dialog.summary.text()
    dialog.show_buttons["not found (first time)"].click()
    settled(qtbot, window)
    assert window.heading.text() == "Link check: not found (first time): 1 resource"
    assert window.model.ids() == [rows[1].id]
    link = window.model.index(0, COLUMN_KEYS.index("link_health"))
    assert link.data() == "Not found (404)"
    assert "checking again tomorrow before calling it broken" in \
        link.data(Qt.ItemDataRole.ToolTipRole)
    dialog.close()


def test_confirming_in_due_for_review_keeps_the_heading_true(window, qtbot):
    window.sidebar.select("view", "due")
    settled(qtbot, window)
    before = window.model.rowCount()
    overdue = next(i for i in window.model.ids()
                   if window.lib.table_rows([i])[i]["reason"].startswith("Review overdue"))
    choose(window, qtbot, overdue)
    window.details.step_buttons["confirm"].click()
    qtbot.waitUntil(lambda: window.model.row_of(overdue) < 0 or
                    not window.lib.table_rows([overdue])[overdue]["reason"]
                    .startswith("Review overdue"), timeout=10000)
    settled(qtbot, window)
    assert heading_count(window) == window.model.rowCount()
    assert window.model.rowCount() <= before
    counts = window.lib.work_list_counts()["views"]["due"]
    assert counts == window.model.rowCount()
