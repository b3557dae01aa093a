"""Export and import of bundles through the Library and the CLI, end to end."""

import json
import zipfile

import pytest

from curator.base.errors import NotAllowed
from curator.cli import main
from curator.library import Library
from curator.publishing.bundles import read_bundle
from curator.publishing.workflow import PersonalDataFound


def approved(lib, url, title, theme="DA", notes="Why it matters", **kw):
    lib.act_as("Priya Shah")
    r = lib.add_resource(url, title=title, themes_=[theme], notes=notes, index=False, **kw)
    lib.submit(r.id)
    lib.act_as("Alex Lead")
    return lib.approve(r.id)


@pytest.fixture
def lib(library):
    library.add_expert("Priya Shah")
    library.set_theme_role("DA", "Alex Lead", "lead")
    library.set_theme_role("NEG", "Alex Lead", "lead")
    return library


def test_export_writes_a_checked_bundle_of_approved_resources_only(lib, tmp_path):
    a = approved(lib, "https://example.org/a", "Coercive control guide")
    approved(lib, "https://example.org/b", "Neglect toolkit", theme="NEG")
    lib.act_as("Priya Shah")
    lib.add_resource("https://example.org/draft", title="Still a draft", themes_=["DA"],
                     index=False)
    lib.act_as("Alex Lead")
    info = lib.export_bundle(["DA"])
    assert info.path.parent == lib.exports_dir
    bundle = read_bundle(info.path)  # validates hashes, schema and safety
    assert [r["id"] for r in bundle.resources] == [a.id]
    assert bundle.changes.added == [a.id]
    with zipfile.ZipFile(info.path) as z:
        names = set(z.namelist())
    assert {"manifest.json", "resources.json", "changes.json", "index.html", "resources.csv",
            "newsletter.html"} <= names
    # The next bundle of the same theme says what changed since this one.
    lib.edit(a.id, {"notes": "Updated note"})  # an edit waits for approval...
    second = lib.export_bundle(["DA"])
    assert second.previous_id == info.id
    again = read_bundle(second.path)  # ...while the approved version stays published
    assert again.changes.removed == [] and [r["id"] for r in again.resources] == [a.id]
    assert again.resources[0]["notes"] != "Updated note"
    lib.approve(a.id)
    third = read_bundle(lib.export_bundle(["DA"]).path)
    assert third.resources[0]["notes"] == "Updated note" and third.changes.updated == [a.id]
    assert [b["kind"] for b in lib.bundles()] == ["export", "export", "export"]


def test_personal_data_blocks_export_unless_a_lead_overrides(lib):
    r = approved(lib, "https://example.org/a", "Guide")
    with lib.store.write() as db:  # text that slipped in without review (e.g. an old import)
        db.execute("UPDATE resources SET notes = 'Call mum on 07700 900123' WHERE id = ?",
                   (r.id,))
    with pytest.raises(PersonalDataFound, match="phone"):
        lib.export_bundle(["DA"])
    info = lib.export_bundle(["DA"], override_reason="It is the service's own duty line")
    event = [h for h in lib.store.query("SELECT detail FROM events WHERE action = "
                                        "'bundle.export'")][0]
    assert "personal_data_override" in json.loads(event["detail"])
    assert info.counts


def slipped_in(lib, rid, notes="Call mum on 07700 900123"):
    """Personal data that reached an approved resource without review (e.g. an old import)."""
    with lib.store.write() as db:
        db.execute("UPDATE resources SET notes = ? WHERE id = ?", (notes, rid))


def exports(lib):
    return [h for h in lib.store.query("SELECT id FROM events WHERE action = 'bundle.export'")]


def test_only_a_lead_may_export_past_a_personal_data_warning(lib, tmp_path):
    r = approved(lib, "https://example.org/a", "Guide")
    slipped_in(lib, r.id)
    lib.act_as("Priya Shah")  # a member of DA, not a lead
    out = tmp_path / "drop"
    with pytest.raises(PersonalDataFound, match="phone"):
        lib.export_bundle(["DA"], to=out)
    for blank in ("", "   "):
        with pytest.raises(PersonalDataFound):
            lib.export_bundle(["DA"], to=out, override_reason=blank)
    with pytest.raises(NotAllowed, match="Only a lead"):
        lib.export_bundle(["DA"], to=out, override_reason="It is the duty line")
    assert not out.exists() or not list(out.iterdir())
    assert exports(lib) == [] and lib.bundles() == []
    lib.act_as("Alex Lead")
    info = lib.export_bundle(["DA"], to=out, override_reason="It is the duty line")
    assert info.path.parent == out and len(exports(lib)) == 1


def test_cli_export_past_a_warning_is_refused_to_a_member(lib, tmp_path, capsys):
    r = approved(lib, "https://example.org/a", "Guide")
    slipped_in(lib, r.id)
    lib.close()
    base = ["--library", str(lib.folder)]
    out = tmp_path / "drop"
    assert main([*base, "--as", "Priya Shah", "export", "--theme", "DA", "--to", str(out),
                 "--override", "duty line"]) == 4
    assert "Only a lead" in capsys.readouterr().err
    assert main([*base, "--as", "Alex Lead", "export", "--theme", "DA", "--to", str(out)]) == 4
    assert "phone number" in capsys.readouterr().err
    assert not out.exists() or not list(out.iterdir())
    assert main([*base, "--as", "Alex Lead", "export", "--theme", "DA", "--to", str(out),
                 "--override", "duty line"]) == 0
    assert capsys.readouterr().out.strip().endswith(".zip")


def test_a_second_library_imports_the_bundle_and_shows_the_same_resources(lib, tmp_path):
    a = approved(lib, "https://example.org/a", "Coercive control guide", tags=["MARAC"])
    b = approved(lib, "https://example.org/b", "Safety planning")
    info = lib.export_bundle(["DA"])
    with Library.open(tmp_path / "other") as other:
        other.act_as("Sam Other")
        report = other.import_bundle(info.path)
        assert sorted(report.added) == sorted([a.id, b.id])
        got = other.get(a.id)
        assert (got.title, got.tags, got.status, got.themes) == (
            "Coercive control guide", ["MARAC"], "submitted", ["DA"])  # a local lead approves
        assert other.search("coercive").total == 1
        with pytest.raises(Exception, match="already been imported"):
            other.import_bundle(info.path)


def test_import_keeps_newer_edits_and_reports_conflicts(lib, tmp_path):
    a = approved(lib, "https://example.org/a", "Guide")
    first = lib.export_bundle(["DA"])
    with Library.open(tmp_path / "other") as other:
        other.act_as("Sam Other")
        other.import_bundle(first.path)
        other.edit(a.id, {"notes": "Edited in the other library"})
    lib.edit(a.id, {"notes": "Edited in the first library"})
    lib.approve(a.id)  # Alex leads DA and four eyes is off
    second = lib.export_bundle(["DA"])
    with Library.open(tmp_path / "other") as other:
        other.act_as("Sam Other")
        report = other.import_bundle(second.path)
        assert [t for t, _ in report.conflicts] == ["Guide"]
        assert other.get(a.id).notes == "Edited in the other library"


def test_cli_export_prints_the_path_and_import_reports(tmp_path, capsys):
    lib = ["--library", str(tmp_path / "lib"), "--as", "Alex"]
    main([*lib, "themes", "lead", "DA", "Alex"])
    main([*lib, "clip", "https://example.org/x", "--no-fetch", "--theme", "DA"])
    rid = capsys.readouterr().out.strip().splitlines()[-1]
    main([*lib, "edit", rid, "--title", "A guide"])
    main([*lib, "submit", rid])
    main([*lib, "approve", rid])
    capsys.readouterr()
    out_dir = tmp_path / "portal-drop"
    assert main([*lib, "export", "--theme", "DA", "--to", str(out_dir)]) == 0
    path = capsys.readouterr().out.strip()
    assert path.startswith(str(out_dir)) and path.endswith(".zip")
    other = ["--library", str(tmp_path / "other"), "--as", "Sam"]
    assert main([*other, "import-bundle", path]) == 0
    assert "Added 1" in capsys.readouterr().out
    bad = tmp_path / "evil.zip"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("../../evil", "x")
    assert main([*other, "import-bundle", str(bad)]) == 1
    assert "curator:" in capsys.readouterr().err
