"""Importing bundles between two real libraries: older text never replaces newer text, an
import never approves, and what is in the trash neither crashes the import nor comes back."""

from __future__ import annotations

import pytest

from curator.cli import main
from curator.library import Library
from tests.support.publishing import approved, make_team

COLLEAGUE = "Sam Other"


def cli_import(lib, path, capsys) -> str:
    """Close *lib*, import the bundle at *path* into it with the command line, and return
    what was printed."""
    lib.close()
    capsys.readouterr()
    assert main(["--library", str(lib.folder), "--as", COLLEAGUE, "import-bundle",
                 str(path)]) == 0
    return capsys.readouterr().out


@pytest.fixture
def ours(library):
    return make_team(library)


@pytest.fixture
def theirs(tmp_path):
    lib = Library.open(tmp_path / "colleague")
    lib.act_as(COLLEAGUE)
    lib.set_theme_role("DA", COLLEAGUE, "lead")
    yield lib
    lib.close()


def test_an_older_bundle_never_replaces_a_colleagues_newer_note(ours, theirs, tmp_path, capsys):
    r = approved(ours, "https://example.org/a", "Guide", notes="First note")
    first = ours.export_bundle(["DA"], to=tmp_path / "1")
    theirs.import_bundle(first.path)
    theirs.edit(r.id, {"notes": "The colleague's newer note"})
    theirs.approve(r.id)
    theirs.export_bundle(["DA"], to=tmp_path / "theirs")  # their own share of the newer note
    approved(ours, "https://example.org/b", "Another guide")
    second = ours.export_bundle(["DA"], to=tmp_path / "2")  # still holds "First note"
    out = cli_import(theirs, second.path, capsys)
    assert out.startswith("Added 1, updated 0, 1 already up to date, 0 in conflict.")
    with Library.open(theirs.folder) as again:
        assert again.get(r.id).notes == "The colleague's newer note"
        assert again.get(r.id).status == "approved"


def test_changes_on_both_sides_are_a_conflict_and_the_local_text_stays(ours, theirs, tmp_path,
                                                                       capsys):
    r = approved(ours, "https://example.org/a", "Guide", notes="First note")
    theirs.import_bundle(ours.export_bundle(["DA"], to=tmp_path / "1").path)
    theirs.edit(r.id, {"notes": "Their note"})
    ours.edit(r.id, {"notes": "Our note"})
    ours.approve(r.id)
    second = ours.export_bundle(["DA"], to=tmp_path / "2")
    out = cli_import(theirs, second.path, capsys)
    assert "updated 0, 0 already up to date, 1 in conflict." in out
    assert "Conflict: Guide (changed both here and in the bundle since it was last shared)" in out
    with Library.open(theirs.folder) as again:
        assert again.get(r.id).notes == "Their note"


def test_a_newer_edit_in_the_bundle_comes_in_and_goes_back_for_approval(ours, theirs,
                                                                        tmp_path):
    r = approved(ours, "https://example.org/a", "Guide", notes="First note")
    theirs.import_bundle(ours.export_bundle(["DA"], to=tmp_path / "1").path)
    theirs.approve(r.id)
    assert theirs.get(r.id).status == "approved"
    ours.edit(r.id, {"notes": "A better note"})
    ours.approve(r.id)
    report = theirs.import_bundle(ours.export_bundle(["DA"], to=tmp_path / "2").path)
    assert report.updated == [r.id] and report.conflicts == []
    got = theirs.get(r.id)
    assert (got.notes, got.status) == ("A better note", "submitted")


def test_an_import_never_approves(ours, theirs, tmp_path):
    clean = approved(ours, "https://example.org/a", "Guide")
    flagged = approved(ours, "https://example.org/b", "Duty line", override="Duty line",
                       notes="Ring 07700 900123 out of hours.")
    report = theirs.import_bundle(ours.export_bundle(["DA"], to=tmp_path).path)
    assert sorted(report.added) == sorted([clean.id, flagged.id])
    assert theirs.get(clean.id).status == "submitted"   # for a local lead to approve
    assert theirs.get(flagged.id).status == "draft"     # the guard runs before submitting
    assert theirs.list(status="approved") == []


def test_a_resource_in_the_trash_is_left_there_and_the_rest_comes_in(ours, theirs, tmp_path,
                                                                     capsys):
    r = approved(ours, "https://example.org/a", "Guide")
    theirs.import_bundle(ours.export_bundle(["DA"], to=tmp_path / "1").path)
    theirs.delete(r.id)
    ours.edit(r.id, {"notes": "Edited after they binned it"})
    ours.approve(r.id)
    new = approved(ours, "https://example.org/b", "Another guide")
    second = ours.export_bundle(["DA"], to=tmp_path / "2")
    out = cli_import(theirs, second.path, capsys)
    assert "Added 1," in out
    assert "Not imported: Guide (it is in this library's trash, so it was left there; " \
           "restore it from the trash to have it back)" in out
    with Library.open(theirs.folder) as again:
        assert again.get(r.id).in_trash and again.get(r.id).notes == "Why it matters"
        assert again.get(new.id).title == "Another guide"


def test_the_same_address_in_the_trash_under_another_id_is_no_crash(ours, theirs, tmp_path):
    mine = theirs.add_resource("https://EXAMPLE.org/a/?utm_source=x", title="My own clip",
                               themes_=["DA"], index=False)
    theirs.delete(mine.id)
    approved(ours, "https://example.org/a", "Guide")
    report = theirs.import_bundle(ours.export_bundle(["DA"], to=tmp_path).path)
    assert report.added == [] and [t for t, _ in report.rejected] == ["Guide"]
    assert "trash" in report.rejected[0][1]
    assert theirs.get(mine.id).in_trash
    assert [b["kind"] for b in theirs.bundles()] == ["import"]


def test_the_report_counts_are_recorded_with_the_bundle(ours, theirs, tmp_path):
    approved(ours, "https://example.org/a", "Guide")
    report = theirs.import_bundle(ours.export_bundle(["DA"], to=tmp_path).path)
    (recorded,) = theirs.bundles()
    assert recorded["id"] == report.bundle_id
    assert recorded["counts"]["added"] == 1 and recorded["counts"]["rejected"] == 0
