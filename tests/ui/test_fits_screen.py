"""The window fits the screen (issue 17): first size, what a small or big window shows,
long names cut short with a tooltip, fields showing their start, and the layout kept for
each screen size in a real settings file. Real widgets, offscreen."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QPoint, QRect, QSettings, QSize, Qt

from curator.ui import window_fit
from curator.ui.sidebar import fitted_text
from curator.ui.table import COLUMN_KEYS, MIN_TITLE
from tests.support.qt import idle

LAPTOP, MONITOR = QRect(0, 0, 1440, 900), QRect(0, 0, 2560, 1440)


def sized(qtbot, window, width: int, height: int) -> None:
    window.resize(width, height)
    window_fit.lay_out(window, width)
    qtbot.waitUntil(lambda: window.width() == width and window.height() == height)
    window.table.selectRow(0)
    idle(qtbot, window)
    qtbot.wait(50)  # let the resize events reach the table and the pane


def seen_columns(table) -> list[str]:
    """The columns shown whole inside the table's viewport."""
    header, room = table.horizontalHeader(), table.viewport().width()
    return [key for n, key in enumerate(COLUMN_KEYS)
            if not table.isColumnHidden(n) and header.sectionViewportPosition(n) >= 0
            and header.sectionViewportPosition(n) + header.sectionSize(n) <= room]


def inside(widget, window) -> bool:
    top_left = widget.mapTo(window, QPoint(0, 0))
    return (top_left.x() >= 0 and top_left.y() >= 0
            and top_left.x() + widget.width() <= window.width()
            and top_left.y() + widget.height() <= window.height())


def test_the_first_window_takes_a_sensible_share_of_the_screen(window):
    area = window_fit.available(window)
    assert window.width() <= area.width() and window.height() <= area.height()
    assert window_fit.first_size(QRect(0, 0, 1024, 700)) == QSize(1024, 700)
    laptop = window_fit.first_size(LAPTOP)
    assert 1366 <= laptop.width() <= 1440 and laptop.height() <= 900
    big = window_fit.first_size(MONITOR)
    assert 2000 <= big.width() < 2560 and 1200 <= big.height() < 1440
    window_fit.fit_first(window, QRect(100, 50, 1440, 900))
    assert window.size() == laptop
    assert sum(window.splitter.sizes()) <= laptop.width()


def test_at_1024x700_the_table_shows_title_status_review_due_and_link(window, qtbot):
    sized(qtbot, window, 1024, 700)
    seen = seen_columns(window.table)
    for key in ("title", "status", "review_due", "link_health"):
        assert key in seen, seen
    assert window.table.columnWidth(COLUMN_KEYS.index("title")) >= MIN_TITLE - 20
    assert window.table.horizontalScrollBar().maximum() == 0  # nothing off to the side
    # The details pane is wholly in the window, and so are its fields.
    assert inside(window.details, window)
    body = window.details.scroll.widget()
    assert body.width() <= window.details.scroll.viewport().width()
    for field in (window.details.title, window.details.site, window.details.notes):
        assert field.mapTo(body, QPoint(field.width(), 0)).x() <= body.width()
    # In Due for review the four stay; why it needs review is at the top of the pane.
    window.sidebar.select("view", "due")
    idle(qtbot, window)
    window.table.selectRow(0)
    idle(qtbot, window)
    qtbot.wait(50)
    seen = seen_columns(window.table)
    for key in ("title", "status", "review_due", "link_health"):
        assert key in seen, seen
    assert window.details.reasons.isVisible() and window.details.reasons.text()
    assert inside(window.details.reasons, window)
    # A laptop's window has room for the reason column too.
    sized(qtbot, window, 1440, 900)
    seen = seen_columns(window.table)
    for key in ("title", "reason", "status", "review_due", "link_health"):
        assert key in seen, seen


def test_at_2560x1440_the_details_pane_and_its_note_box_grow(window, qtbot):
    sized(qtbot, window, 1024, 700)
    small_pane, small_note = window.details.width(), window.details.notes.height()
    sized(qtbot, window, 2560, 1440)
    assert window.details.width() >= 600 and window.details.width() > 1.8 * small_pane
    assert window.details.notes.height() >= 200 and window.details.notes.height() > small_note
    assert inside(window.details, window)
    seen = seen_columns(window.table)
    assert set(seen) >= {"title", "themes", "type", "status", "review_due", "link_health",
                         "clipped_by", "clipped_at"}


def test_long_sidebar_names_are_cut_short_keeping_code_count_and_tooltip(window, qtbot):
    sized(qtbot, window, 1024, 700)
    sidebar = window.sidebar
    group = sidebar.topLevelItem(1)  # Themes
    item = next(group.child(i) for i in range(group.childCount())
                if group.child(i).text(0).startswith("Fabricated"))
    assert item.toolTip(0) == "Fabricated or induced illness (FII)"
    metrics = sidebar.fontMetrics()
    room = sidebar.visualItemRect(item).width() - 10
    shown = fitted_text(item.text(0), metrics, room)
    assert metrics.horizontalAdvance(item.text(0)) > room  # it is too long at this size
    assert shown != item.text(0) and "…" in shown
    assert shown.startswith("Fabricated") and shown.endswith(" (FII)  1")
    assert metrics.horizontalAdvance(shown) <= room
    # Short names are left alone.
    assert fitted_text("Trash", metrics, room) == "Trash"
    # At a big screen the whole name fits.
    sized(qtbot, window, 2560, 1440)
    room = sidebar.visualItemRect(item).width() - 10
    assert fitted_text(item.text(0), metrics, room) == item.text(0)


def test_site_and_author_show_the_start_of_long_text(window, qtbot):
    sized(qtbot, window, 1024, 700)
    r = window.details.resource()
    long_site = "Northshire Children's Safeguarding Partnership learning and practice hub"
    long_author = "Northshire Safeguarding Children Partnership, quality assurance subgroup"
    window.details.show_resource(dataclasses.replace(r, site=long_site, author=long_author),
                                 None)
    qtbot.wait(50)
    for field, text in ((window.details.site, long_site),
                        (window.details.author, long_author)):
        assert field.text() == text
        assert field.fontMetrics().horizontalAdvance(text) > field.width()  # too long
        assert field.cursorPosition() == 0
        assert field.cursorRect().left() < 10  # the start is what shows
    window.details.show_resource(r, None)  # as stored: nothing to save


def test_layout_is_kept_for_each_screen_size_in_the_settings_file(window, qtbot, tmp_path):
    path = window.settings.fileName()
    header = window.table.horizontalHeader()
    status = COLUMN_KEYS.index("status")
    window_fit.fit_first(window, LAPTOP)
    qtbot.wait(50)
    window.splitter.setSizes([230, 700, 420])
    header.resizeSection(status, 150)
    laptop_sizes = window.splitter.sizes()
    window_fit.save(window, LAPTOP)
    window_fit.fit_first(window, MONITOR)
    qtbot.wait(50)
    window.splitter.setSizes([260, 1200, 800])
    header.resizeSection(status, 111)
    monitor_sizes = window.splitter.sizes()
    window_fit.save(window, MONITOR)
    window.settings.sync()
    assert "layout/1440x900/splitter" in QSettings(path, QSettings.Format.IniFormat).allKeys()

    window.settings = QSettings(path, QSettings.Format.IniFormat)  # read back from the file
    assert window_fit.restore(window, LAPTOP)
    qtbot.wait(50)
    assert window.size() == window_fit.first_size(LAPTOP)
    assert window.splitter.sizes() == laptop_sizes
    assert header.sectionSize(status) == 150
    assert window_fit.restore(window, MONITOR)
    qtbot.wait(50)
    assert window.splitter.sizes() == monitor_sizes
    assert header.sectionSize(status) == 111
    # A screen size never seen before gets a layout that fits it.
    assert not window_fit.restore(window, QRect(0, 0, 1920, 1080))
    assert window.size() == window_fit.first_size(QRect(0, 0, 1920, 1080))


def test_closing_saves_the_layout_for_the_screen_it_is_on(window, qtbot):
    key = window_fit.size_key(window_fit.available(window))
    window.save_state()
    keys = QSettings(window.settings.fileName(), QSettings.Format.IniFormat).allKeys()
    assert {f"{key}/geometry", f"{key}/splitter", f"{key}/header"} <= set(keys)


def test_a_resized_window_is_shared_out_afresh_until_a_handle_is_moved(window, qtbot):
    window_fit.fit_first(window, QRect(0, 0, 1024, 700))
    qtbot.waitUntil(lambda: window.width() == 1024)
    window.resize(1440, 900)  # maximised on a laptop, say
    qtbot.waitUntil(lambda: window.width() == 1440)
    assert window.splitter.sizes() == window_fit.splitter_sizes(window, 1440)
    window.splitter.splitterMoved.emit(300, 1)  # the person drags a handle
    window.splitter.setSizes([300, 600, 500])
    mine = window.splitter.sizes()
    window.resize(1441, 900)
    qtbot.waitUntil(lambda: window.width() == 1441)
    assert abs(window.splitter.sizes()[0] - mine[0]) <= 1  # their sidebar stays theirs
    assert window.splitter.sizes() != window_fit.splitter_sizes(window, 1441)


def test_the_import_report_columns_fit_their_words(window, qtbot, httpserver, tmp_path,
                                                    monkeypatch):
    from PySide6.QtWidgets import QHeaderView

    from curator.ui.import_wizard import PAGE_COLUMNS, PAGE_PREVIEW, PAGE_REPORT
    from tests.ui.test_ui_import import (
        choose_file,
        next_page,
        open_wizard,
        run_to_report,
        serve_pages,
        write_csv,
    )
    urls = serve_pages(httpserver, ["a"])
    long_title = "Working together to safeguard children: statutory guidance for partners"
    f = write_csv(tmp_path / "links.csv", ["Name", "Link"],
                  [[long_title, urls[0]], ["Bookmarklet", "javascript:alert(1)"]])
    wizard = open_wizard(window)
    wizard.resize(1000, 640)
    choose_file(qtbot, wizard, f, monkeypatch)
    next_page(qtbot, wizard, PAGE_COLUMNS)
    next_page(qtbot, wizard, PAGE_PREVIEW)
    run_to_report(qtbot, wizard)
    page = wizard.pages[PAGE_REPORT]
    table, header = page.table, page.table.horizontalHeader()
    qtbot.wait(50)
    metrics = table.fontMetrics()
    assert header.sectionResizeMode(3) == QHeaderView.ResizeMode.Stretch  # the rest
    assert header.sectionSize(1) >= metrics.horizontalAdvance(urls[0])  # a whole address
    assert header.sectionSize(4) >= metrics.horizontalAdvance("Fetched")
    assert header.sectionSize(3) >= metrics.horizontalAdvance("Added")
    # A title too long for its share is cut short, its whole text in the tooltip.
    assert header.sectionSize(2) <= table.viewport().width() * 0.25 + 1
    assert page.model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole) == long_title
    right = max(header.sectionViewportPosition(n) + header.sectionSize(n) for n in range(5))
    assert right <= table.viewport().width()  # every column in view
    wizard.reject()
