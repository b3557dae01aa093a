"""Issue 17: the sidebar's Tags and Saved searches, and completion in the Tags field, in the
real main window on a demo library (offscreen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from curator.ui.sidebar import KeyRole, KindRole, tag_query
from curator.ui.sidebar_lists import TagCompleter
from tests.support.qt import idle


@pytest.fixture
def window(window):
    """The main window with its sidebar lists (main_window attaches them; attached here
    too while that one line waits in another change)."""
    if not hasattr(window, "sidebar_lists"):
        from curator.ui.sidebar_lists import attach
        attach(window)
    return window


def _children(window, title: str) -> list:
    sidebar = window.sidebar
    group = next(sidebar.topLevelItem(i) for i in range(sidebar.topLevelItemCount())
                 if sidebar.topLevelItem(i).text(0) == title)
    return [group.child(i) for i in range(group.childCount())]


def _texts(window, title: str) -> list[str]:
    return [c.text(0) for c in _children(window, title)]


def test_tags_list_with_counts_and_choosing_one_searches(window, qtbot):
    idle(qtbot, window)
    tags = _texts(window, "Tags")
    assert "assessment  3" in tags and "MARAC  1" in tags
    assert tags == sorted(tags, key=str.casefold)
    item = next(c for c in _children(window, "Tags") if c.data(0, KeyRole) == "assessment")
    assert item.data(0, KindRole) == "tag"
    assert item.data(0, Qt.ItemDataRole.AccessibleTextRole) == "assessment, 3 resources"
    window.sidebar.setCurrentItem(item)
    assert window.search.text() == "tag:assessment"
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=10000)
    assert tag_query("coercive control") == 'tag:"coercive control"'
    idle(qtbot, window)


def test_saved_searches_show_their_count_and_run(window, qtbot):
    idle(qtbot, window)
    assert _texts(window, "Saved searches") == ["No saved searches yet"]
    window.sidebar_lists.save_search("tag:assessment", name="Assessments")
    qtbot.waitUntil(lambda: _texts(window, "Saved searches") == ["Assessments  3"],
                    timeout=10000)
    (item,) = _children(window, "Saved searches")
    assert item.toolTip(0) == "Assessments: tag:assessment"
    window.sidebar.setCurrentItem(_children(window, "Views")[0])
    window.sidebar.setCurrentItem(item)
    assert window.search.text() == "tag:assessment"
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=10000)
    window.sidebar.resize(260, 700)
    window.sidebar.expandAll()
    window.sidebar.grab().save("/tmp/h17b-sidebar.png")
    window.sidebar_lists.remove_search("Assessments")
    qtbot.waitUntil(lambda: _texts(window, "Saved searches") == ["No saved searches yet"],
                    timeout=10000)
    idle(qtbot, window)


def test_renaming_a_tag_updates_the_list_and_a_typed_case_joins_it(window, qtbot):
    idle(qtbot, window)
    window.sidebar_lists.rename_tag("assessment", "Assessment")
    qtbot.waitUntil(lambda: "Assessment  3" in _texts(window, "Tags"), timeout=10000)
    assert "3 resources" in window.statusBar().currentMessage()
    window.sidebar_lists.merge_tag("risk assessment", into="Assessment")
    qtbot.waitUntil(lambda: "Assessment  4" in _texts(window, "Tags"), timeout=10000)
    assert not any(t.startswith("risk assessment") for t in _texts(window, "Tags"))
    idle(qtbot, window)


def test_the_tags_field_completes_from_the_library_after_the_last_comma(window, qtbot):
    idle(qtbot, window)
    field = window.details.tags
    completer = field.completer()
    assert completer is window.sidebar_lists.completer
    names = completer.names.stringList()
    assert names[0] == "assessment"  # the most used first
    # Typing into a field of its own (the pane's would be left with unsaved text).
    line = QLineEdit()
    qtbot.addWidget(line)
    own = TagCompleter(line)
    own.set_tags(names)
    line.setCompleter(own)
    line.setText("voice, ma")  # as typed (typing would open the popup window)
    own.setCompletionPrefix(own.splitPath(line.text())[0])
    # "ma" after the comma finds MARAC (any case); the tags before it are kept.
    assert own.completionCount() == 1
    assert own.currentCompletion() == "voice, MARAC"
    idle(qtbot, window)
