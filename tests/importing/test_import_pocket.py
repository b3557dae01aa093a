"""A Pocket export (the HTML file Pocket gave its users) imports like a bookmark export."""

from __future__ import annotations

from pathlib import Path

from curator.importing.formats import detect, load
from curator.importing.formats.detect import LABELS

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


def test_a_pocket_export_is_read_with_its_tags_dates_and_lists():
    data = (FIX / "pocket_export.html").read_bytes()
    assert detect(data, "ril_export.html") == "pocket"
    assert LABELS["pocket"] == "Pocket export"
    loaded = load(FIX / "pocket_export.html")
    assert loaded.format == "pocket"
    assert [r.position for r in loaded.rows] == [1, 2, 3, 4, 5]
    first, second, form, archived, empty = loaded.rows
    assert first.url == "https://www.example-lscp.org.uk/guidance/neglect-practice-guidance"
    assert first.title == "Neglect practice guidance"
    assert first.tags == ["neglect", "guidance"]
    assert first.raw["added"] == "2024-05-29" and first.raw["list"] == "Unread"
    assert second.tags == []
    assert form.title == ""  # Pocket wrote the address as the title: the page gives one
    assert archived.tags == ["podcast", "supervision", "team meeting"]
    assert archived.raw["list"] == "Read Archive" and archived.raw["added"] == "2020-09-13"
    assert empty.error == "This saved item has no web address."


def test_a_pocket_export_is_not_taken_for_an_ordinary_web_page():
    page = b"<!doctype html><html><head><title>News</title></head><body><ul><li>" \
           b"<a href='https://example.org/a'>A</a></li></ul></body></html>"
    try:
        detect(page, "page.html")
    except Exception as exc:  # still refused, as before
        assert "a web page, not a bookmark export" in str(exc)
    else:
        raise AssertionError("an ordinary web page was accepted")


def test_a_pocket_export_previews_and_imports(library):
    p = library.import_preview(FIX / "pocket_export.html")
    assert p.format == "pocket" and p.ready
    assert p.counts["new"] == 4 and p.counts["invalid"] == 1
    by_pos = {r.position: r for r in p.rows}
    assert "neglect" in [t.lower() for t in by_pos[1].record["tags"]]
    report = library.import_run(p, fetch=False)
    assert len(report.added_ids) == 4
    tagged = library.get(report.added_ids[3])
    assert {"podcast", "supervision", "team meeting"} <= {t.lower() for t in tagged.tags}
