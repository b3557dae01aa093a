"""A page behind a login says so in the details pane and in the bundle (issue 20)."""

import json
import zipfile

from tests.support.qt import idle


def _behind_a_login(lib, rid):
    with lib.store.write() as db:
        db.execute("UPDATE resources SET access = 'login', "
                   "browser_captured_at = '2026-12-02T10:00:00Z' WHERE id = ?", (rid,))


def test_the_bundle_says_a_page_needs_a_login(library, tmp_path):
    library.set_theme_role("DA", "Alex Lead", "lead")
    r = library.add_resource("https://partner.example.org/briefing", title="Briefing",
                             themes_=["DA"], index=False)
    open_ = library.add_resource("https://example.org/open", title="Open page",
                                 themes_=["DA"], index=False)
    _behind_a_login(library, r.id)
    for rid in (r.id, open_.id):
        library.submit(rid)
        library.approve(rid)
    info = library.export_bundle(["DA"], tmp_path / "out")
    with zipfile.ZipFile(info.path) as z:
        items = {i["id"]: i for i in json.loads(z.read("resources.json"))["resources"]}
        page = z.read("index.html").decode()
    assert items[r.id]["access"] == "login" and items[open_.id]["access"] is None
    assert page.count("needs a login") == 1
    assert library.access_words(r.id).startswith("Needs a login to read: captured from "
                                                 "your browser on 2 Dec 2026")
    assert library.access_words(open_.id) == ""


def test_the_details_pane_says_a_page_needs_a_login(window, qtbot):
    rid = window.model.id_at(0)
    _behind_a_login(window.lib, rid)
    window.open_resource(rid)
    qtbot.waitUntil(lambda: window.details.resource() is not None and
                    window.details.resource().id == rid, timeout=10000)
    window.show_details(rid)
    idle(qtbot, window)
    assert "Needs a login to read" in window.details.facts.text()
