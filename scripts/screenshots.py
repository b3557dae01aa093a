#!/usr/bin/env python3
"""Write the README's screenshots from a demo library, with Qt's offscreen rendering.

    python scripts/screenshots.py [--out docs/screenshots]

Shots: main window, search with snippets, Due for review with its reasons, the clip box,
the details pane, a link check's summary and what it found, settings.
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

    window_size_shots(app, window, out)
    link_check_shots(app, window, out)

    themes_shot(app, window, out)

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


def _link_server():
    """A local site where one page is gone (404), one now lands on the home page, and the
    rest work."""
    from _serve import serve
    page = (b"<html><body><main><h1>Guidance</h1><p>Enough words of guidance to make this "
            b"a real page that a link check can read and compare.</p></main></body></html>")

    def answer(path: str):
        if path == "/guidance/gone":
            return 404, {}, b"gone"
        if path == "/guidance/old-report":
            return 301, {"Location": "/"}, b""
        return page
    return serve(answer)


def link_check_shots(app, window, out: Path) -> None:
    """A link check over a local site, its summary, and the Broken-or-moved list."""
    import time
    server, base = _link_server()
    lib = window.lib
    paths = ["/guidance/gone" if n == 2 else "/guidance/old-report" if n == 5 else
             f"/guidance/page-{n}" for n in range(len(lib.list()))]
    resources = lib.list()

    def point(ctx):  # the demo's made-up sites, pointed at the local one as they are
        with lib.store.write("point the demo at a local site") as db:
            for res, path in zip(resources, paths, strict=False):
                db.execute("UPDATE resources SET url = ?, norm_url = ? WHERE id = ?",
                           (base + path, base + path, res.id))
    window.ops.run(point, changes="all")
    wait_idle(app, window)
    window.act_check_links.trigger()
    end = time.monotonic() + 60
    while getattr(window, "link_report", None) is None and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)
    wait_idle(app, window)
    dialog = window.link_report
    dialog.adjustSize()
    settle(app, 200)
    dialog.grab().save(str(out / "link-check-summary.png"))
    dialog.show_buttons["not found (first time)"].click()
    wait_idle(app, window)
    window.table.selectRow(0)
    wait_idle(app, window)
    window.grab().save(str(out / "link-check-found.png"))
    dialog.close()
    server.shutdown()


def themes_shot(app, window, out: Path) -> None:
    """Tools › Themes and experts on Domestic abuse, with a lead, a deputy and a member."""
    window.lib.add_expert("Jo Grant")
    window.lib.set_theme_role("DA", "Jo Grant", "deputy")  # Sam Patel leads DA
    window.act_themes.trigger()
    dialog = window.themes_dialog
    codes = [t.code for t in dialog._themes]
    dialog.theme_list.setCurrentRow(codes.index("DA"))
    wait_idle(app, window)
    settle(app, 200)
    dialog.grab().save(str(out / "themes-and-experts.png"))
    dialog.reject()


def window_size_shots(app, window, out: Path) -> None:
    """The window at 1024x700, 1440x900 and 2560x1440 with the layout Curator gives each
    size (issue 17), a resource with a long site name chosen and a long theme in view."""
    from curator.ui import window_fit
    window.search.box.setText("")
    settle(app, 400)
    window.sidebar.select("view", "all")
    wait_idle(app, window)
    model = window.model
    wanted = next((row for row in range(model.rowCount())
                   if window.lib.get(model.id_at(row)).title.startswith("Contextual")), 0)
    for width, height in ((1024, 700), (1440, 900), (2560, 1440)):
        window.resize(width, height)
        window_fit.lay_out(window, width)
        wait_idle(app, window)
        window.table.selectRow(wanted)
        wait_idle(app, window)
        window.grab().save(str(out / f"window-{width}x{height}.png"))
    window.resize(1500, 860)
    window_fit.lay_out(window, 1500)
    wait_idle(app, window)


if __name__ == "__main__":
    raise SystemExit(main())
