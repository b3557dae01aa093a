"""The main window fits the screen it opens on (issue 17).

The first window takes a sensible share of the screen's free area; the sidebar, table and
details pane share the width so that the table keeps Title, Status, Review due and Link in
view on a small laptop and the details pane (and its note box) grows on a big screen. How
the person then arranges it (window, splitter, column widths) is remembered for each
screen size, so a laptop and a big monitor each keep their own layout.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize
from PySide6.QtGui import QGuiApplication

SIDEBAR = (150, 280)  # the sidebar's narrowest and widest, in pixels
DETAILS = (300, 820)  # the details pane's narrowest and widest
DETAILS_SHARE = 0.3  # of the window's width
SMALL_SCREEN = 1366  # at or below this width the window takes the whole free area


def available(window) -> QRect:
    """The free area of the screen the window is on (the taskbar left out)."""
    screen = window.screen() if window is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)


def size_key(area: QRect | QSize) -> str:
    """The settings group for a screen size, e.g. "layout/1440x900"."""
    return f"layout/{area.width()}x{area.height()}"


def first_size(area: QRect | QSize) -> QSize:
    """A first window for a screen with this free area: all of a small one, most of a
    big one (never wider or taller than the screen)."""
    w, h = area.width(), area.height()
    if w <= SMALL_SCREEN:
        return QSize(w, h)
    return QSize(max(SMALL_SCREEN, int(w * 0.9)), int(h * 0.9))


def splitter_sizes(window, width: int) -> list[int]:
    """Sidebar, table and details widths for a window *width* pixels wide."""
    metrics = window.sidebar.fontMetrics()
    widest = window.sidebar.widest_label(metrics) + 40  # the indent, a count, a margin
    if not window.sidebar.has_themes():
        widest = SIDEBAR[1]  # not filled in yet: keep room for long theme names
    sidebar = max(SIDEBAR[0], min(SIDEBAR[1], widest, int(width * 0.18)))
    details = max(DETAILS[0], min(DETAILS[1], int(width * DETAILS_SHARE)))
    handles = 2 * window.splitter.handleWidth()
    return [sidebar, max(0, width - sidebar - details - handles), details]


class _Follow(QObject):
    """Until the person moves a splitter handle, a resized window (maximised, say) is
    shared out afresh for its new width; after that their layout is theirs."""

    def __init__(self, window):
        super().__init__(window)
        self.window, self.on = window, True
        window.splitter.splitterMoved.connect(self._moved)
        window.installEventFilter(self)

    def _moved(self, *_args) -> None:
        if not getattr(self, "_laying_out", False):
            self.on = False

    def eventFilter(self, obj, event) -> bool:
        if obj is self.window and event.type() == QEvent.Type.Resize and self.on:
            self._laying_out = True
            try:
                lay_out(self.window, event.size().width())
            finally:
                self._laying_out = False
        return False


def _follow(window) -> _Follow:
    follow = getattr(window, "_fit_follow", None)
    if follow is None:
        follow = window._fit_follow = _Follow(window)
    return follow


def lay_out(window, width: int | None = None) -> None:
    """Share the window's width out as the default layout does."""
    follow = _follow(window)
    follow._laying_out = True
    try:
        window.splitter.setSizes(splitter_sizes(window, width or window.width()))
    finally:
        follow._laying_out = False
    window.table.fit_columns()


def fit_first(window, area: QRect | None = None) -> None:
    """Size and place a window that has no layout saved for this screen size."""
    area = area if area is not None else available(window)
    size = first_size(area)
    window.resize(size)
    left = area.x() + (area.width() - size.width()) // 2
    top = area.y() + (area.height() - size.height()) // 2
    window.move(left, top)
    lay_out(window, size.width())


def restore(window, area: QRect | None = None) -> bool:
    """Bring back the layout saved for this screen size, else fit the screen afresh.

    True when a saved layout was found. Column widths saved without a screen size (by
    an older Curator) are kept; a window size saved that way is not, as it may not fit.
    """
    area = area if area is not None else available(window)
    settings, key = window.settings, size_key(area)
    window.splitter.setStretchFactor(1, 2)  # a wider window widens the table most,
    window.splitter.setStretchFactor(2, 1)  # and the details pane too
    geometry = settings.value(f"{key}/geometry")
    if geometry is None:
        fit_first(window, area)
        return False
    window.restoreGeometry(geometry)
    size = settings.value(f"{key}/size")
    if isinstance(size, QSize) and not window.isMaximized() and size.width() <= area.width() \
            and size.height() <= area.height():
        window.resize(size)  # as it was on this screen, though another is in use now
    if window.width() > area.width() or window.height() > area.height():
        fit_first(window, area)  # saved for this size, yet too big: fit it
    splitter = settings.value(f"{key}/splitter")
    if splitter is None or not window.splitter.restoreState(splitter):
        lay_out(window)
    else:
        _follow(window).on = False  # the person's own layout for this screen
    header = settings.value(f"{key}/header")
    if header is not None:
        window.table.horizontalHeader().restoreState(header)
        window.table.note_widths()
    window.table.fit_columns()
    return True


def save(window, area: QRect | None = None) -> None:
    """Remember the window, splitter and column widths for this screen size."""
    area = area if area is not None else available(window)
    key = size_key(area)
    window.settings.setValue(f"{key}/geometry", window.saveGeometry())
    window.settings.setValue(f"{key}/size", window.size())
    window.settings.setValue(f"{key}/splitter", window.splitter.saveState())
    window.settings.setValue(f"{key}/header", window.table.horizontalHeader().saveState())
