"""The Qt binding must not lose references to what Python hands it (PySide6 6.12.0 lost
references to None and True in model data() and signals, and the app then crashed after
some minutes of painting and signalling).

From Python 3.12 None and True are immortal (PEP 683): their reference counts never move,
so counting them there proves nothing. The checks that work on every version follow
ordinary objects (which a lost reference would free) through the same paths.
"""

import gc
import sys

import pytest
from PySide6.QtCore import QObject, Signal

from curator.ui.table import ResourceTable, ResourceTableModel

IMMORTAL_SINGLETONS = sys.version_info >= (3, 12)


class Mortal:
    """An ordinary object: a reference the binding loses shows in its count."""


def rows_with(titles: dict[str, str], asked: list[str]):
    def fetch(ids):
        asked.extend(ids)
        return {i: {"id": i, "title": titles[i], "url": "u", "type": "other",
                    "status": "draft", "review_due": None, "link_health": "ok",
                    "clipped_at": "2026-01-01", "fetch_state": "ok", "deleted_at": None,
                    "clipped_by": "x", "themes": ""} for i in ids}
    return fetch


def test_painting_the_table_keeps_references_to_what_data_returns(qtbot):
    # Titles built at run time, so each is its own (not interned) string object.
    titles = {f"id{n}": "".join(("Resource ", str(n), " on neglect")) for n in range(500)}
    asked: list[str] = []
    model = ResourceTableModel(rows_with(titles, asked))
    model.set_ids(list(titles))
    view = ResourceTable(model)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    # The view lays its rows out once events run; then painting asks for the rows.
    qtbot.waitUntil(lambda: (view.viewport().repaint(), bool(asked))[1], timeout=10000)
    painted = [i for i in titles if i in asked]
    before = {i: sys.getrefcount(titles[i]) for i in painted}
    none_before = sys.getrefcount(None)
    for _ in range(20):
        view.viewport().repaint()
    assert {i: sys.getrefcount(titles[i]) for i in painted} == before
    if not IMMORTAL_SINGLETONS:  # data() answers None for most roles
        assert sys.getrefcount(None) >= none_before - 50


class Emitter(QObject):
    done = Signal(int, object, object)


def test_signals_carrying_python_objects_keep_their_references(qtbot):
    emitter = Emitter()
    got = []
    emitter.done.connect(lambda *args: got.append(args))
    payload, extra = Mortal(), ["a", "list"]
    before = sys.getrefcount(payload), sys.getrefcount(extra)
    for _ in range(2000):
        emitter.done.emit(1, payload, extra)
    assert len(got) == 2000 and all(a[1] is payload and a[2] is extra for a in got)
    got.clear()
    assert (sys.getrefcount(payload), sys.getrefcount(extra)) == before


@pytest.mark.skipif(IMMORTAL_SINGLETONS, reason="None and True are immortal from Python 3.12")
def test_signals_carrying_none_and_true_keep_references(qtbot):
    emitter = Emitter()
    got = []
    emitter.done.connect(lambda *args: got.append(args))
    # Other threads (a busy machine, earlier tests' workers) move these counts a little; a
    # lost reference per emit moves them by every emit, so the margin is half of them.
    emits = 10_000
    gc.collect()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(emits):
        emitter.done.emit(1, None, True)
    assert len(got) == emits
    got.clear()
    gc.collect()
    assert sys.getrefcount(None) >= none_before - emits // 2
    assert sys.getrefcount(True) >= true_before - emits // 2
