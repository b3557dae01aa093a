"""The import wizard, driven offscreen with a real demo library and local web servers."""

from __future__ import annotations

import csv
import os
import threading
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget, QWizard

from curator.ui import import_wizard
from curator.ui.import_wizard import (
    PAGE_COLUMNS,
    PAGE_PREVIEW,
    PAGE_REPORT,
    PAGE_RUN,
    PAGE_SOURCE,
)
from tests.support.qt import idle

#: Set WIZARD_SHOTS to a folder to save a picture of every page.
SHOTS = os.environ.get("WIZARD_SHOTS")


def page_html(title: str) -> str:
    words = "Useful practice words. " * 20
    return (f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
            f"<p>{title} for practitioners. {words}</p></body></html>")


def serve_pages(httpserver, names):
    for name in names:
        httpserver.expect_request(f"/{name}").respond_with_data(
            page_html(f"Page {name}"), content_type="text/html")
    return [httpserver.url_for(f"/{name}") for name in names]


def open_wizard(window):
    wizard = import_wizard.start(window)
    assert wizard.isVisible() and not wizard.isModal()
    assert wizard.currentId() == PAGE_SOURCE
    return wizard


def shot(wizard, n):
    if SHOTS:
        wizard.grab().save(str(Path(SHOTS) / f"wizard-{n}.png"))


def next_page(qtbot, wizard, expect: int, timeout=10000):
    qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.NextButton).isEnabled()
                    or wizard.button(QWizard.WizardButton.CommitButton).isEnabled(),
                    timeout=timeout)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == expect, timeout=timeout)


def choose_file(qtbot, wizard, path: Path, monkeypatch):
    page = wizard.pages[PAGE_SOURCE]
    monkeypatch.setattr(import_wizard.QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(path), ""))
    page.browse.click()
    assert page.path.text() == str(path)


def run_to_report(qtbot, wizard, timeout=20000):
    """From the check page: import, wait for the fetching to end and the report to show."""
    assert wizard.currentId() == PAGE_PREVIEW
    wizard.next()
    assert wizard.currentId() == PAGE_RUN
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_REPORT, timeout=timeout)
    return wizard.report


def lines_shown(page) -> list[str]:
    return [label.text() for label in page.lines.values() if label.isVisibleTo(page)]


def check_accessible(wizard):
    missing = []
    for w in wizard.findChildren(QWidget):
        if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus:
            if not w.accessibleName() and type(w).__name__ not in ("QScrollBar",):
                missing.append(f"{type(w).__name__} {w.objectName()} {getattr(w, 'text', str)()}")
    assert not missing, missing


# -- spreadsheets -------------------------------------------------------------------------------
def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_csv_import_shows_guessed_columns_counts_and_report(window, qtbot, httpserver, tmp_path,
                                                            monkeypatch):
    urls = serve_pages(httpserver, ["a", "b", "c"])
    f = write_csv(tmp_path / "team list.csv",
                  ["Name", "Link", "Why it matters", "Keywords", "Theme"],
                  [["Graded care", urls[0], "Use in neglect cases", "neglect, assessment", "NEG"],
                   ["Early help", urls[1], "", "early help", "Neglect"],
                   ["Same as row 2", urls[1] + "?utm_source=x", "", "repeat", ""],
                   ["Bookmarklet", "javascript:alert(1)", "", "", ""],
                   ["No address", "", "nothing here", "", ""],
                   ["Leaflet", urls[2], "", "", ""]])
    before = len(window.lib.list())
    wizard = open_wizard(window)
    check_accessible(wizard)
    shot(wizard, 1)
    choose_file(qtbot, wizard, f, monkeypatch)
    next_page(qtbot, wizard, PAGE_COLUMNS)
    columns = wizard.pages[PAGE_COLUMNS]
    guessed = {k: c.currentText() for k, c in columns.combos.items()}
    assert guessed["url"] == "Link" and guessed["title"] == "Name"
    assert guessed["notes"] == "Why it matters" and guessed["tags"] == "Keywords"
    assert guessed["summary"] == "(not in this file)"
    assert columns.sample.columnCount() == 5 and columns.sample.rowCount() == 5
    assert columns.sample.horizontalHeaderItem(1).text() == "Link"
    assert columns.sample.item(0, 0).text() == "Graded care"
    check_accessible(wizard)
    shot(wizard, 2)
    next_page(qtbot, wizard, PAGE_PREVIEW)
    preview = wizard.pages[PAGE_PREVIEW]
    shown = lines_shown(preview)
    assert shown[0] == "3 new links"
    assert shown[1] == "0 already in your library"
    assert "1 link repeated in this file" in shown[2]
    assert "1 not a web address" in shown
    assert any(s.startswith("1 browser-only link skipped") for s in shown)
    examples = [preview.examples.item(i).text() for i in range(preview.examples.count())]
    assert any("javascript:" in e for e in examples) and len(examples) == 2
    check_accessible(wizard)
    shot(wizard, 3)
    report = run_to_report(qtbot, wizard)
    assert report.counts["added"] == 3 and report.counts["fetch_fetched"] == 3
    assert len(window.lib.list()) == before + 3
    graded = window.lib.find_existing(urls[0])
    assert graded.themes == ["NEG"] and graded.notes == "Use in neglect cases"
    assert "neglect" in graded.tags and graded.fetch_state == "ok"
    page = wizard.pages[PAGE_REPORT]
    assert page.model.rowCount() == 6
    assert page.model.cell(0, 3) == "Added" and page.model.cell(0, 4) == "Fetched"
    assert "Skipped" in page.model.cell(3, 3)
    assert "3 links added" in page.summary.text()
    assert "3 fetched" in page.summary.text()
    assert not page.fetch_button.isVisibleTo(page)
    check_accessible(wizard)
    shot(wizard, 5)
    # Save the report as CSV.
    target = tmp_path / "out" / "report"
    target.parent.mkdir()
    monkeypatch.setattr(import_wizard.QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), ""))
    page.save_button.click()
    qtbot.waitUntil(lambda: page.saved.text().startswith("Saved to"), timeout=5000)
    rows = list(csv.reader((tmp_path / "out" / "report.csv")
                           .read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:4] == ["Row", "Web address", "Title", "Outcome"]
    assert len(rows) == 7 and rows[1][3] == "Added" and rows[1][6] == "Fetched"
    # The window followed the import from its change signal; closing refreshes nothing.
    qtbot.waitUntil(lambda: window.model.rowCount() == before + 3, timeout=5000)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert not wizard.isVisible()
    idle(qtbot, window)


def test_second_import_of_the_same_file_adds_nothing_and_merges(window, qtbot, httpserver,
                                                                tmp_path, monkeypatch):
    urls = serve_pages(httpserver, ["a", "b"])
    f = write_csv(tmp_path / "list.csv", ["Title", "URL", "Tags"],
                  [["A", urls[0], "first"], ["B", urls[1], ""]])
    wizard = open_wizard(window)
    choose_file(qtbot, wizard, f, monkeypatch)
    next_page(qtbot, wizard, PAGE_COLUMNS)
    next_page(qtbot, wizard, PAGE_PREVIEW)
    assert run_to_report(qtbot, wizard).counts["added"] == 2
    wizard.accept()
    idle(qtbot, window)
    count = len(window.lib.list())
    # The same file again, now with a new tag on the first row: nothing added, tag merged.
    write_csv(f, ["Title", "URL", "Tags"], [["A", urls[0], "first, second"], ["B", urls[1], ""]])
    wizard = open_wizard(window)
    choose_file(qtbot, wizard, f, monkeypatch)
    next_page(qtbot, wizard, PAGE_COLUMNS)
    next_page(qtbot, wizard, PAGE_PREVIEW)
    shown = lines_shown(wizard.pages[PAGE_PREVIEW])
    assert shown[0] == "0 new links" and shown[1].startswith("2 already in your library")
    report = run_to_report(qtbot, wizard)
    assert report.counts["added"] == 0 and report.counts["merged"] == 1
    assert report.counts["unchanged"] == 1
    assert len(window.lib.list()) == count
    assert window.lib.find_existing(urls[0]).tags == ["first", "second"]
    page = wizard.pages[PAGE_REPORT]
    assert "0 links added" in page.summary.text()
    assert "2 already in your library (1 given the new details)" in page.summary.text()
    assert page.model.cell(0, 3).startswith("Merged into")
    wizard.accept()
    idle(qtbot, window)


def test_spreadsheet_without_a_guessable_address_column_waits_for_the_choice(
        window, qtbot, httpserver, tmp_path, monkeypatch):
    urls = serve_pages(httpserver, ["x"])
    f = write_csv(tmp_path / "odd.csv", ["Thing", "Where to find it"],
                  [["X", urls[0]], ["Y", "not an address"]])
    wizard = open_wizard(window)
    choose_file(qtbot, wizard, f, monkeypatch)
    next_page(qtbot, wizard, PAGE_COLUMNS)
    columns = wizard.pages[PAGE_COLUMNS]
    if wizard.preview.ready:  # the guess found it from the values: clear it to test the choice
        columns.combos["url"].setCurrentIndex(0)
        qtbot.waitUntil(lambda: not columns._busy, timeout=5000)
    assert not wizard.preview.ready and columns.problem.isVisibleTo(columns)
    assert not columns.isComplete()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    combo = columns.combos["url"]
    combo.setCurrentIndex(combo.findText("Where to find it"))
    qtbot.waitUntil(lambda: columns.isComplete(), timeout=5000)
    assert wizard.preview.mapping["url"] == "Where to find it"
    assert "2 rows, 1 new link" in columns.state.text()
    next_page(qtbot, wizard, PAGE_PREVIEW)
    assert lines_shown(wizard.pages[PAGE_PREVIEW])[0] == "1 new link"
    wizard.reject()
    idle(qtbot, window)


# -- bookmarks --------------------------------------------------------------------------------
def test_netscape_bookmarks_with_folders_as_tags_and_a_theme(window, qtbot, httpserver,
                                                             tmp_path, monkeypatch):
    urls = serve_pages(httpserver, ["one", "two"])
    f = tmp_path / "bookmarks.html"
    f.write_text(f"""<!DOCTYPE NETSCAPE-Bookmark-file-1>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE><H1>Bookmarks</H1>
<DL><p>
  <DT><H3>Team reading</H3>
  <DL><p>
    <DT><A HREF="{urls[0]}" ADD_DATE="1717000001">Page one</A>
    <DT><A HREF="javascript:alert(1)">Clip this</A>
    <DT><A HREF="place:sort=8&maxResults=10">Recent tags</A>
  </DL><p>
  <DT><A HREF="{urls[1]}">Page two</A>
  <DT><A HREF="{window.lib.list()[2].url}">Already there</A>
</DL><p>
""", encoding="utf-8")
    wizard = open_wizard(window)
    choose_file(qtbot, wizard, f, monkeypatch)
    source = wizard.pages[PAGE_SOURCE]
    source.theme.setCurrentIndex(source.theme.findData("DA"))
    assert source.folders.isChecked()
    next_page(qtbot, wizard, PAGE_PREVIEW)  # no column step for bookmarks
    preview = wizard.pages[PAGE_PREVIEW]
    shown = lines_shown(preview)
    assert shown[0] == "2 new links"
    # Issue 17: the check says what will happen to it, as the run then does (it is
    # approved, so it is left as it is), not a blanket "their notes will be added".
    assert shown[1] == "1 already in your library: 1 will stay as it is (the list says why)"
    assert "2 browser-only links skipped (such as javascript: and place:)" in shown
    assert "Domestic abuse" in preview.theme_line.text()
    assert preview.examples.count() == 2
    report = run_to_report(qtbot, wizard)
    assert report.counts["added"] == 2 and report.counts["skipped_scheme"] == 2
    one = window.lib.find_existing(urls[0])
    assert one.themes == ["DA"] and "Team reading" in one.tags
    assert one.title == "Page one" and one.fetch_state == "ok"
    wizard.accept()
    idle(qtbot, window)


def test_a_file_that_cannot_be_read_says_why_on_the_first_step(window, qtbot, tmp_path,
                                                               monkeypatch):
    f = tmp_path / "minutes.pdf"
    f.write_bytes(b"%PDF-1.4 not a list")
    wizard = open_wizard(window)
    choose_file(qtbot, wizard, f, monkeypatch)
    wizard.next()
    page = wizard.pages[PAGE_SOURCE]
    qtbot.waitUntil(lambda: bool(page.state.text()) and not page._busy, timeout=5000)
    assert "PDF" in page.state.text() and wizard.currentId() == PAGE_SOURCE
    page.path.setText(str(tmp_path / "missing.csv"))
    wizard.next()
    qtbot.waitUntil(lambda: "There is no file" in page.state.text(), timeout=5000)
    wizard.reject()
    idle(qtbot, window)


# -- pasted links -----------------------------------------------------------------------------
def test_pasted_links(window, qtbot, httpserver, qtmodeltester):
    urls = serve_pages(httpserver, ["p1", "p2"])
    existing = window.lib.list()[2].url
    wizard = open_wizard(window)
    source = wizard.pages[PAGE_SOURCE]
    source.from_paste.setChecked(True)
    assert source.paste.isEnabled() and not source.path.isEnabled()
    assert not source.isComplete()
    source.paste.setPlainText(f"{urls[0]}\n{urls[1]}\n{urls[0]}\n{existing}\nnot a link at all\n"
                              "javascript:void(0)\n")
    next_page(qtbot, wizard, PAGE_PREVIEW)
    shown = lines_shown(wizard.pages[PAGE_PREVIEW])
    assert shown[0] == "2 new links" and shown[1].startswith("1 already in your library")
    assert "1 link repeated in this file (imported once)" in shown
    report = run_to_report(qtbot, wizard)
    assert report.counts["added"] == 2 and report.counts["fetch_fetched"] == 2
    assert window.lib.find_existing(urls[1]).title == "Page p2"
    page = wizard.pages[PAGE_REPORT]
    assert page.model.headers[0] == "Line"
    qtmodeltester.check(page.model)
    # Going again with the same links adds nothing.
    wizard.accept()
    idle(qtbot, window)
    count = len(window.lib.list())
    wizard = open_wizard(window)
    wizard.pages[PAGE_SOURCE].from_paste.setChecked(True)
    wizard.pages[PAGE_SOURCE].paste.setPlainText("\n".join(urls))
    next_page(qtbot, wizard, PAGE_PREVIEW)
    assert lines_shown(wizard.pages[PAGE_PREVIEW])[0] == "0 new links"
    assert run_to_report(qtbot, wizard).counts["added"] == 0
    assert len(window.lib.list()) == count
    wizard.accept()
    idle(qtbot, window)


# -- stopping and carrying on ------------------------------------------------------------------
@pytest.fixture
def slow_server(raw_server):
    """Answers each page after *release* is set (or after 3 seconds)."""
    release = threading.Event()

    def handler(conn, request):
        release.wait(3)
        path = request.split(b" ", 2)[1].decode()
        body = page_html(f"Slow {path}").encode()
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                     + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
    raw_server.handler = handler
    raw_server.release = release
    yield raw_server
    release.set()


@pytest.mark.slow
def test_stopping_during_the_fetch_leaves_pages_not_fetched_yet_and_carries_on(
        window, qtbot, slow_server):
    urls = [slow_server.url(f"/s{n}") for n in range(12)]
    wizard = open_wizard(window)
    source = wizard.pages[PAGE_SOURCE]
    source.from_paste.setChecked(True)
    source.paste.setPlainText("\n".join(urls))
    next_page(qtbot, wizard, PAGE_PREVIEW)
    wizard.next()
    run = wizard.pages[PAGE_RUN]
    qtbot.waitUntil(lambda: run.state.text().startswith("Fetching"), timeout=10000)
    assert run.bar.maximum() == 12
    check_accessible(wizard)
    shot(wizard, 4)
    assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    run.stop_button.click()
    assert "Stopping" in run.state.text()
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_REPORT, timeout=15000)
    report = wizard.report
    assert report.counts["added"] == 12 and report.fetch_cancelled
    pending = report.counts["fetch_pending"]
    assert pending >= 8
    states = Counter(window.lib.find_existing(u).fetch_state for u in urls)
    assert states["pending"] == pending
    page = wizard.pages[PAGE_REPORT]
    assert f"{pending} pages not fetched yet" in page.pending_note.text()
    assert "Fetch again" in page.pending_note.text()
    assert "import the same file again" in page.pending_note.text()
    assert page.fetch_button.isVisibleTo(page)
    assert any(page.model.cell(r, 4) == "Not fetched yet" for r in range(12))
    shot(wizard, 6)
    # Carry on from the report.
    slow_server.release.set()
    page.fetch_button.click()
    assert page.stop_button.isVisibleTo(page)
    qtbot.waitUntil(lambda: not page.job.running, timeout=20000)
    assert wizard.report.counts["fetch_pending"] == 0
    assert wizard.report.counts["fetch_fetched"] == 12
    assert all(window.lib.find_existing(u).fetch_state == "ok" for u in urls)
    assert not page.fetch_button.isVisibleTo(page)
    assert all(page.model.cell(r, 4) == "Fetched" for r in range(12))
    wizard.accept()
    idle(qtbot, window)


@pytest.mark.slow
def test_closing_the_wizard_while_importing_stops_and_refreshes(window, qtbot, slow_server,
                                                                monkeypatch):
    refreshed = []
    monkeypatch.setattr(window, "refresh", lambda: refreshed.append(1))
    urls = [slow_server.url(f"/c{n}") for n in range(6)]
    wizard = open_wizard(window)
    wizard.pages[PAGE_SOURCE].from_paste.setChecked(True)
    wizard.pages[PAGE_SOURCE].paste.setPlainText("\n".join(urls))
    next_page(qtbot, wizard, PAGE_PREVIEW)
    wizard.next()
    run = wizard.pages[PAGE_RUN]
    qtbot.waitUntil(lambda: run.state.text().startswith("Fetching"), timeout=10000)
    wizard.reject()
    assert not wizard.isVisible()
    qtbot.waitUntil(lambda: not wizard.running, timeout=15000)
    qtbot.waitUntil(lambda: bool(refreshed))  # from the stopped import's changes
    assert sum(window.lib.find_existing(u).fetch_state == "pending" for u in urls) >= 2
    idle(qtbot, window)


# -- keyboard and the entry point -----------------------------------------------------------------
def test_keyboard_only_through_the_first_step(window, qtbot, httpserver):
    urls = serve_pages(httpserver, ["k"])
    wizard = open_wizard(window)
    wizard.activateWindow()
    source = wizard.pages[PAGE_SOURCE]
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard, timeout=5000)
    source.from_file.setFocus()
    qtbot.keyClick(source.from_file, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(source.from_paste.isChecked, timeout=2000)  # a mnemonic animates a click
    source.paste.setFocus()
    qtbot.keyClicks(source.paste, urls[0])
    order = [QApplication.focusWidget()]
    for _ in range(3):
        QApplication.focusWidget().focusNextChild()
        order.append(QApplication.focusWidget())
    names = [w.accessibleName() for w in order]
    assert names[:3] == ["Links to import, one on each line", "Theme to give every link",
                         "Use bookmark folders as tags"]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_PREVIEW, timeout=10000)
    assert lines_shown(wizard.pages[PAGE_PREVIEW])[0] == "1 new link"
    wizard.reject()
    idle(qtbot, window)


@pytest.mark.qt_log_ignore("does not support raise")  # the offscreen platform cannot
def test_start_reuses_an_open_wizard(window, qtbot):
    first = import_wizard.start(window)
    assert import_wizard.start(window) is first
    first.reject()
    second = import_wizard.start(window)
    assert second is not first and second.isVisible()
    second.reject()
    idle(qtbot, window)


def test_the_file_menu_opens_the_import_wizard(window, qtbot):
    from curator.ui.import_wizard import ImportWizard
    window.act_import_links.trigger()
    wizards = [w for w in QApplication.topLevelWidgets() if isinstance(w, ImportWizard)]
    assert wizards and wizards[0].isVisible()
    wizards[0].close()
