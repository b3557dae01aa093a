#!/usr/bin/env python3
"""Write the README's screenshots from a demo library, with Qt's offscreen rendering.

    python scripts/screenshots.py [--out docs/screenshots]

Shots: main window, search with snippets, the clip box, the details pane.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def settle(app, ms: int = 300) -> None:
    """Let queued work finish: background results arrive through the event loop."""
    import time
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def wait_idle(app, window, timeout: float = 20) -> None:
    import time
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        if window.ops.pending() == 0:
            break
        time.sleep(0.01)
    settle(app, 200)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QSettings

    from curator.firstrun import set_up_library
    from curator.ui.app import make_app
    from curator.ui.main_window import MainWindow

    app = make_app()
    tmp = Path(tempfile.mkdtemp(prefix="curator-shots-"))
    lib = set_up_library(tmp / "Demo library", "Sam Patel", [], demo=True)
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(lib, settings)
    window.resize(1500, 860)
    window.show()
    wait_idle(app, window)
    window.table.selectRow(0)
    wait_idle(app, window)
    window.grab().save(str(out / "main-window.png"))
    # The details pane of a resource that needs review, with its reasons and steps.
    window.sidebar.select("view", "due")
    wait_idle(app, window)
    window.table.selectRow(0)
    wait_idle(app, window)
    window.details.grab().save(str(out / "details-pane.png"))
    window.grab().save(str(out / "due-for-review.png"))
    window.sidebar.select("view", "all")
    wait_idle(app, window)

    window.search.box.setText("neglect")
    settle(app, 400)
    wait_idle(app, window)
    window.grab().save(str(out / "search.png"))

    # The clip box fetching a real page from a local server.
    page = (ROOT / "tests" / "fixtures" / "pages" / "guidance.html").read_bytes()
    from _serve import serve
    server, base = serve(page)
    dialog = window.open_clip_dialog(f"{base}/guidance/coercive-control")
    dialog.theme_boxes["DA"].setChecked(True)
    dialog.note.setPlainText("Clear on what to do when a child discloses; use in supervision.")
    wait_idle(app, window)
    dialog.adjustSize()
    settle(app, 200)
    dialog.grab().save(str(out / "clip-box.png"))
    dialog.reject()
    server.shutdown()

    from curator.ui.settings_dialog import SettingsDialog
    settings_box = SettingsDialog(window.lib.preferences, window.lib.folder, window)
    settings_box.show()
    settings_box.adjustSize()
    settle(app, 200)
    settings_box.grab().save(str(out / "settings.png"))
    settings_box.reject()
    window.close()
    print(f"Screenshots written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
