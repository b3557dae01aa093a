"""The Qt binding must not lose references to None or True (PySide6 6.12.0 did, and the
app then crashed after some minutes of painting and signalling)."""

import sys

from PySide6.QtCore import QObject, Signal

from curator.ui.table import ResourceTable, ResourceTableModel


def fetch(ids):
    return {i: {"id": i, "title": i, "url": "u", "type": "other", "status": "draft",
                "review_due": None, "link_health": "ok", "clipped_at": "2026-01-01",
                "fetch_state": "ok", "deleted_at": None, "clipped_by": "x", "themes": ""}
            for i in ids}


def test_painting_the_table_keeps_none_alive(qtbot):
    model = ResourceTableModel(fetch)
    model.set_ids([f"id{n}" for n in range(500)])
    view = ResourceTable(model)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    view.viewport().repaint()
    before = sys.getrefcount(None)
    for _ in range(20):
        view.viewport().repaint()
    assert sys.getrefcount(None) >= before - 50


class Emitter(QObject):
    done = Signal(int, object, object)


def test_signals_carrying_none_keep_references(qtbot):
    emitter = Emitter()
    got = []
    emitter.done.connect(lambda *args: got.append(args))
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(2000):
        emitter.done.emit(1, None, None)
    assert len(got) == 2000
    got.clear()
    assert sys.getrefcount(None) >= none_before - 50
    assert sys.getrefcount(True) >= true_before - 50
