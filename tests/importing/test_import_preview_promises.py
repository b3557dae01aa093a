"""Issue 17: an import does what its preview said, and rows can be left out before it runs."""

from __future__ import annotations

from pathlib import Path

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
CHROME = FIX / "bookmarks_chrome.html"
GRADED = "https://practice.example.org/neglect/graded-care"
COERCIVE = "https://practice.example.org/da/coercive-control"


def _promised_matches_done(preview, report) -> None:
    """Every row the preview said something about ends as the preview said."""
    done = {r.position: r for r in report.rows}
    for row in preview.rows:
        if row.merge:
            assert done[row.position].outcome == row.merge, (row.position, row.merge_text,
                                                             done[row.position].message)


def test_preview_says_which_notes_will_be_merged_and_the_run_merges_them(library):
    draft = library.add_resource(GRADED, title="Graded care", notes="Ours.", index=False)
    p = library.import_preview(CHROME)
    row = next(r for r in p.rows if r.position == 2)
    assert row.merge == "merged"
    assert row.merge_text == (f"Will add to {draft.id[:8]}: tags assessment, tools; themes "
                              "NEG, DA; the note.")
    assert p.to_import == {"new": 3, "merged": 1, "unchanged": 0, "left_out": 0}
    report = library.import_run(p, fetch=False)
    _promised_matches_done(p, report)
    assert "Use with the strengths-based approach" in library.get(draft.id).notes


def test_preview_says_an_approved_resource_is_left_as_it_is(library):
    library.set_theme_role("NEG", "Alex Lead", "lead")
    res = library.add_resource(GRADED, title="Graded care", notes="Ours.", themes_=["NEG"],
                               index=False)
    library.submit(res.id)
    library.approve(res.id)
    p = library.import_preview(CHROME)
    row = next(r for r in p.rows if r.position == 2)
    # The old preview promised "their tags, themes and notes will be added"; they were not.
    assert row.merge == "unchanged" and "approved, so it is left as it is" in row.merge_text
    assert "the note" in row.merge_text
    assert p.to_import["merged"] == 0 and p.to_import["unchanged"] == 1
    report = library.import_run(p, fetch=False)
    _promised_matches_done(p, report)
    assert library.get(res.id).notes == "Ours."


def test_preview_says_when_a_note_is_too_long_to_merge(library):
    long_note = "x" * 19_990
    res = library.add_resource(GRADED, title="Graded care", notes=long_note,
                               tags=["assessment", "tools"], themes_=["DA", "NEG"],
                               index=False)
    p = library.import_preview(CHROME)
    row = next(r for r in p.rows if r.position == 2)
    assert row.merge == "unchanged" and "too long" in row.merge_text
    report = library.import_run(p, fetch=False)
    _promised_matches_done(p, report)
    assert library.get(res.id).notes == long_note


def test_unticked_rows_are_left_out_and_a_repeat_follows_its_first(library):
    p = library.import_preview(CHROME)
    p.leave_out([2, 4, 9])  # 9 is not a web address: nothing to leave out, ignored
    assert p.left_out == {2, 4}
    assert p.to_import == {"new": 2, "merged": 0, "unchanged": 0, "left_out": 2}
    p.leave_out([4], left_out=False)  # ticked again
    assert p.to_import["new"] == 3
    report = library.import_run(p, fetch=False)
    outcomes = {r.position: r.outcome for r in report.rows}
    assert outcomes[2] == "left_out" and outcomes[5] == "left_out"  # 5 repeats 2
    assert outcomes[4] == "added" and report.counts["added"] == 3
    urls = {r.url.rstrip("/") for r in library.list()}
    assert GRADED not in urls and COERCIVE in urls
    assert "1 left out before importing" not in report.summary()
    assert "2 left out before importing" in report.summary()
    assert p.to_dict()["rows"][1]["left_out"] is True


def test_a_left_out_duplicate_is_not_merged(library):
    draft = library.add_resource(GRADED, title="Graded care", notes="Ours.", index=False)
    p = library.import_preview(CHROME)
    p.leave_out([2])
    report = library.import_run(p, fetch=False)
    assert next(r for r in report.rows if r.position == 2).outcome == "left_out"
    assert library.get(draft.id).notes == "Ours." and library.get(draft.id).tags == []


def test_cli_leave_out_rows(library, capsys):
    from curator.base.errors import CuratorError
    from curator.cli import main
    from curator.cli.importing import parse_rows_option
    assert parse_rows_option(["3,5-7", "12"]) == [3, 5, 6, 7, 12]
    for bad in ("x", "7-5"):
        try:
            parse_rows_option([bad])
        except CuratorError as exc:
            assert "--leave-out 3,5-7" in exc.message
        else:
            raise AssertionError(bad)
    code = main(["--library", str(library.folder), "--as", "Alex Lead", "import", str(CHROME),
                 "--no-fetch", "--yes", "--leave-out", "2,4"])
    out = capsys.readouterr().out
    assert code == 0 and "Leaving out 2 rows: 2, 4." in out
    urls = {r.url.rstrip("/") for r in library.list()}
    assert GRADED not in urls and COERCIVE not in urls and len(urls) == 2
