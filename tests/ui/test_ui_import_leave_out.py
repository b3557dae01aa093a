"""Issue 17: the import check says what will happen to each row, and rows can be unticked."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from curator.ui import import_wizard
from curator.ui.import_wizard import PAGE_COLUMNS, PAGE_PREVIEW, PAGE_REPORT, PAGE_RUN
from tests.support.qt import idle


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Title", "URL", "Why it matters", "Tags"])
        w.writerows(rows)
    return path


def _to_check_page(qtbot, window, path, monkeypatch):
    wizard = import_wizard.start(window)
    monkeypatch.setattr(import_wizard.QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(path), ""))
    wizard.pages[import_wizard.PAGE_SOURCE].browse.click()
    for expect in (PAGE_COLUMNS, PAGE_PREVIEW):
        qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.NextButton).isEnabled(),
                        timeout=10000)
        wizard.next()
        qtbot.waitUntil(lambda e=expect: wizard.currentId() == e, timeout=10000)
    return wizard


def test_check_page_says_what_each_row_will_do_and_unticked_rows_stay_out(
        window, qtbot, tmp_path, monkeypatch):
    lib = window.lib
    approved = next(r for r in lib.list() if r.status == "approved")
    draft = next(r for r in lib.list() if r.status == "draft")
    f = _csv(tmp_path / "team.csv", [
        ["Keep me", "https://keep.example.org/a", "", ""],
        ["Leave me out", "https://leave.example.org/b", "", ""],
        ["Approved one", approved.url, "A note the approved one will not get.", "extra"],
        ["Draft one", draft.url, "A note the draft will get.", ""],
    ])
    wizard = _to_check_page(qtbot, window, f, monkeypatch)
    page = wizard.pages[PAGE_PREVIEW]
    lines = [page.lines[k].text() for k in ("new", "duplicate_in_library")]
    assert lines == ["2 new links", "2 already in your library: 1 will get the new tags, "
                     "themes or notes; 1 will stay as it is (the list says why)"]
    items = [page.rows.item(i) for i in range(page.rows.count())]
    texts = [i.text() for i in items]
    assert texts[0] == "Row 2: Keep me — New"
    assert "approved, so it is left as it is" in texts[2]
    assert texts[3].endswith(f"Will add to {draft.id[:8]}: the note.")
    assert all(i.checkState() == Qt.CheckState.Checked for i in items)
    items[1].setCheckState(Qt.CheckState.Unchecked)
    assert page.lines["new"].text() == "1 new link (1 left out)"
    page.resize(900, 700)
    page.grab().save("/tmp/h17b-import-check.png")
    page.untick_all.click()
    assert not page.isComplete()
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    page.tick_all.click()
    page.rows.item(1).setCheckState(Qt.CheckState.Unchecked)
    assert page.isComplete()
    wizard.next()
    assert wizard.currentId() == PAGE_RUN
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_REPORT, timeout=30000)
    report = wizard.report
    outcomes = {r.position: r.outcome for r in report.rows}
    assert outcomes == {2: "added", 3: "left_out", 4: "unchanged", 5: "merged"}
    assert lib.find_existing("https://leave.example.org/b") is None
    assert "A note the draft will get." in lib.get(draft.id).notes
    assert "A note the approved" not in lib.get(approved.id).notes
    wizard.reject()
    idle(qtbot, window)
