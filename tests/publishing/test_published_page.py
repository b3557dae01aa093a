"""Issue 17: the exported page, newsletter and CSV read well, and the export dialog says
what a bundle would hold. Real libraries, real bundles, real Qt widgets."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from curator.base import clock
from curator.publishing.bundles.html import file_size_text, human_date
from tests.support.publishing import LEAD, approved, make_team, slip_in


def _member(path, name: str) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name).decode("utf-8-sig")


@pytest.fixture
def team(library):
    return make_team(library, themes=("DA", "NEG"))


def _three(lib):
    guide = approved(lib, "https://example.org/guide", "Coercive control guide",
                     summary="A short guide to spotting coercive control.",
                     notes="Use it in supervision.", type_="guidance")
    report = approved(lib, "https://example.org/report.pdf", "Annual review",
                      summary="What the review found.", notes="The numbers for 2025.",
                      type_="research")
    slip_in(lib, report.id, content_type="application/pdf", content_size=1_234_567)
    misc = approved(lib, "https://example.org/misc", "Local contacts", type_="other",
                    summary="Who to call.", notes="")
    return guide, report, misc


def test_page_shows_summary_document_approval_and_plain_headings(team):
    lib = team
    guide, report, misc = _three(lib)
    info = lib.export_bundle(["DA"])
    page = _member(info.path, "index.html")
    today = human_date(clock.today().isoformat())
    # The summary, the resource people read first, and why it matters.
    assert "A short guide to spotting coercive control." in page
    assert "Use it in supervision." in page
    # A PDF says so in its link, with its size.
    assert '<a class="title-link" href="https://example.org/report.pdf">Annual review ' \
           '<span class="file">(PDF, 1.2 MB)</span></a>' in page
    assert "Coercive control guide <span" not in page  # a web page is not marked
    # Approved today, by whom: not "not yet reviewed".
    assert "not yet reviewed" not in page
    assert f"{today}</time> by {LEAD}" in page
    # Type "other" under a plain heading; no raw codes.
    assert "<h3>More resources (1)</h3>" in page and "Other (" not in page
    assert "<h3>Guidance (1)</h3>" in page
    # No internal ids for readers to see.
    for name in ("index.html", "newsletter.html"):
        text = _member(info.path, name)
        footer = text.split("<footer>")[1]
        assert info.id not in footer and guide.id not in text and "Bundle " not in footer


def test_newsletter_carries_summary_approval_and_file(team):
    lib = team
    _three(lib)
    info = lib.export_bundle(["DA"])
    letter = _member(info.path, "newsletter.html")
    assert "What the review found." in letter and "(PDF, 1.2 MB)" in letter
    assert f"by {LEAD}" in letter and "not yet reviewed" not in letter
    assert "<dt>Type:</dt><dd>Guidance</dd>" in letter
    assert "<dt>Type:</dt><dd>Other</dd>" not in letter  # "other" tells a reader nothing
    assert info.id not in letter.split("<body>")[1]


def test_csv_has_plain_types_audiences_and_the_approval(team):
    lib = team
    guide, report, misc = _three(lib)
    lib.edit(guide.id, {"audience": ["practitioners", "parents and carers"]})
    lib.approve(guide.id)
    info = lib.export_bundle(["DA"])
    rows = {r["Title"]: r for r in csv.DictReader(io.StringIO(
        _member(info.path, "resources.csv"), newline=""))}
    assert rows["Coercive control guide"]["Type"] == "Guidance"
    assert rows["Local contacts"]["Type"] == "Other"
    assert rows["Coercive control guide"]["Audience"] == "Practitioners; Parents and carers"
    assert rows["Annual review"]["Document"] == "PDF, 1.2 MB"
    assert rows["Coercive control guide"]["Document"] == ""
    assert rows["Annual review"]["Approved by"] == LEAD
    assert rows["Annual review"]["Approved"] == clock.today().isoformat()
    raw = {r["Type"] for r in rows.values()}
    assert not raw & {"other", "guidance", "research"}


def test_sizes_read_as_a_file_manager_shows_them():
    assert file_size_text(None) == "" and file_size_text(900) == "900 bytes"
    assert file_size_text(12_345) == "12 KB" and file_size_text(2_500_000) == "2.4 MB"
    assert file_size_text(5 * 1024 ** 3) == "5.0 GB"


def test_export_overview_counts_and_changes_since_the_last_bundle(team):
    lib = team
    guide, report, misc = _three(lib)
    approved(lib, "https://example.org/neg", "Neglect toolkit", theme="NEG")
    assert lib.approved_counts() == {"DA": 3, "NEG": 1, "CSA": 0, "FII": 0, "EXP": 0,
                                     "DIG": 0}
    first = lib.export_changes(["DA"])
    assert (first.resources, first.added, first.previous_at) == (3, 3, None)
    assert "first bundle" in first.text
    lib.export_bundle(["DA"])
    assert lib.export_changes(["DA"]).added == 0
    lib.edit(guide.id, {"notes": "Now with a case study."})
    lib.approve(guide.id)
    lib.retire(misc.id, "Out of date")
    approved(lib, "https://example.org/new", "A new one")
    now = lib.export_changes(["da"])
    assert (now.resources, now.added, now.updated, now.removed) == (3, 1, 1, 1)
    assert "1 new, 1 updated, 1 taken out" in now.text and f"by {LEAD}" in now.text
    # What the overview said is what the export then does.
    info = lib.export_bundle(["DA"])
    assert info.counts == {"resources": 3, "added": 1, "updated": 1, "removed": 1}


def test_export_dialog_shows_counts_and_changes_as_ticks_change(team, qtbot):
    from curator.ui.bundle_dialogs import ExportDialog
    lib = team
    _three(lib)
    lib.export_bundle(["DA"])
    approved(lib, "https://example.org/new", "A new one")
    themes = [(t.code, t.name) for t in lib.themes(include_inactive=False)]
    dialog = ExportDialog(themes, lib.default_export_folder(), counts=lib.approved_counts(),
                          changes=lib.export_changes)
    qtbot.addWidget(dialog)
    assert dialog.boxes["DA"].text() == "Domestic abuse (DA): 4 approved resources"
    assert dialog.boxes["NEG"].text() == "Neglect (NEG): 0 approved resources"
    assert dialog.summary.text() == "Tick the themes to export."
    dialog.boxes["DA"].setChecked(True)
    assert "4 approved resources" in dialog.summary.text()
    assert "1 new, 0 updated, 0 taken out" in dialog.summary.text()
    dialog.boxes["NEG"].setChecked(True)
    assert "first bundle of these themes" in dialog.summary.text()
    dialog.resize(560, dialog.sizeHint().height())
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save("/tmp/h17b-export-dialog.png")


def test_approval_without_a_workflow_event_comes_from_the_published_version(team):
    lib = team
    r = lib.add_resource("https://example.org/old", title="Approved long ago",
                         themes_=["DA"], index=False)
    with lib.store.write() as db:  # as the demo and libraries before the workflow events
        db.execute("UPDATE resources SET status = 'approved' WHERE id = ?", (r.id,))
        db.execute("INSERT INTO published_versions (resource_id, fields, approved_by, "
                   "approved_at) VALUES (?, '{}', 'Sam Older', '2025-06-01T09:00:00Z')",
                   (r.id,))
    info = lib.export_bundle(["DA"])
    assert '<time datetime="2025-06-01">1 June 2025</time> by Sam Older' in \
        _member(info.path, "index.html")
