"""Issue 17: tags that stay tidy (one spelling whatever the case, rename, merge, counts,
completion) and saved searches, through the Library and the CLI, on real SQLite files."""

from __future__ import annotations

import json

import pytest

from curator.base.errors import CuratorError, NotFound
from curator.cli import main
from curator.library import Library
from curator.storage import schema


def _add(lib, n, tags, **kw):
    return lib.add_resource(f"https://example.org/{n}", title=f"Resource {n}", tags=tags,
                            index=False, **kw)


def test_a_tag_in_another_case_takes_the_first_spelling(library):
    a = _add(library, 1, ["MARAC"])
    b = _add(library, 2, ["marac", "Neglect"])
    assert library.get(b.id).tags == ["MARAC", "Neglect"]
    library.edit(a.id, {"tags": ["Marac", "coercive control"]})
    assert library.get(a.id).tags == ["coercive control", "MARAC"]
    (marac,) = [t for t in library.tags() if t.name == "MARAC"]
    assert marac.count == 2 and marac.spellings == ["marac"]  # recorded once, any case
    assert [t.name for t in library.tags()] == ["coercive control", "MARAC", "Neglect"]
    assert library.tag_completions()[0] == "MARAC"  # the most used first


def test_rename_changes_every_resource_and_old_spellings_follow(library):
    library.set_theme_role("DA", "Alex Lead", "lead")
    a = _add(library, 1, ["marac"], themes_=["DA"])
    b = _add(library, 2, ["MARAC", "other"])
    library.submit(a.id)
    library.approve(a.id)
    change = library.rename_tag("Marac", "MARAC meeting")
    assert (change.tag, change.resources, change.sent_back) == ("MARAC meeting", 2, 1)
    assert "went back for approval" in change.text
    assert library.get(a.id).tags == ["MARAC meeting"]
    assert library.get(a.id).status == "submitted"  # tags are published: the rule holds
    assert library.get(b.id).tags == ["MARAC meeting", "other"]
    assert "tag.rename" in [h["action"] for h in library.history(b.id)]
    c = _add(library, 3, ["marac"])  # the old spelling leads to the new name
    assert library.get(c.id).tags == ["MARAC meeting"]
    (tag,) = [t for t in library.tags() if t.name == "MARAC meeting"]
    assert tag.count == 3 and "marac" in [s.casefold() for s in tag.spellings]
    # A change of case only is a rename too.
    library.rename_tag("marac meeting", "Marac meeting")
    assert library.get(c.id).tags == ["Marac meeting"]


def test_rename_onto_another_tag_is_refused_saying_merge(library):
    _add(library, 1, ["MARAC"])
    _add(library, 2, ["risk"])
    with pytest.raises(CuratorError, match="merge them"):
        library.rename_tag("MARAC", "RISK")
    with pytest.raises(NotFound):
        library.rename_tag("nothing", "x")
    with pytest.raises(CuratorError, match="already spelled"):
        library.rename_tag("MARAC", "MARAC")


def test_merge_makes_one_tag_without_doubles(library):
    a = _add(library, 1, ["Marac meeting", "MARAC"])
    b = _add(library, 2, ["risk conference"])
    c = _add(library, 3, ["MARAC"])
    change = library.merge_tags(["marac meeting", "Risk conference"], "marac")
    assert change.tag == "MARAC" and change.resources == 2
    assert sorted(change.merged) == ["Marac meeting", "risk conference"]
    assert library.get(a.id).tags == ["MARAC"]
    assert library.get(b.id).tags == ["MARAC"] and library.get(c.id).tags == ["MARAC"]
    assert [(t.name, t.count) for t in library.tags()] == [("MARAC", 3)]
    d = _add(library, 4, ["Risk Conference"])  # a merged spelling, any case
    assert library.get(d.id).tags == ["MARAC"]
    library.process_index_queue()
    assert library.search("tag:MARAC").total == 4


def test_an_old_library_with_two_spellings_is_tidied_on_opening(tmp_path):
    import sqlite3
    lib = Library.open(tmp_path / "lib")
    lib.act_as("Alex Lead")
    a = _add(lib, 1, ["x"])
    lib.close()
    # Make it as a library before m006 would be: two spellings, no trigger, no tables.
    db = sqlite3.connect(tmp_path / "lib" / "resources.db")
    db.execute("DROP TRIGGER resource_tags_one_spelling")
    db.execute("DROP TABLE tag_spellings")
    db.execute("DROP TABLE saved_searches")
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm006_tags_and_searches'")
    db.execute("INSERT INTO resources (id, url, norm_url, clipped_at, updated_at) "
               "VALUES ('b', 'https://example.org/b', 'https://example.org/b', 'x', 'x')")
    db.execute("INSERT INTO resource_tags VALUES (?, 'Neglect')", (a.id,))
    db.execute("INSERT INTO resource_tags VALUES ('b', 'NEGLECT')")
    db.commit()
    db.close()
    lib = Library.open(tmp_path / "lib")
    try:
        assert [(t.name, t.count, t.spellings) for t in lib.tags()] == [
            ("Neglect", 2, ["NEGLECT"]), ("x", 1, [])]
        assert lib.get("b").tags == ["Neglect"]
    finally:
        lib.close()


def test_the_migration_is_named_and_placed_as_agreed():
    names = schema.migration_names()
    assert "m006_tags_and_searches" in names


def test_saved_searches_keep_any_query_with_its_count(library):
    _add(library, 1, ["MARAC"], notes="Multi-agency risk assessment conference")
    _add(library, 2, ["MARAC"])
    _add(library, 3, ["other"])
    library.process_index_queue()
    saved = library.save_search("MARAC work", "tag:MARAC")
    assert saved.name == "MARAC work" and saved.created_by == "Alex Lead"
    library.save_search("Conferences", '"risk assessment"')
    assert [(s.name, s.count) for s in library.saved_searches()] == [
        ("Conferences", 1), ("MARAC work", 2)]
    with pytest.raises(CuratorError, match="already a saved search"):
        library.save_search("marac WORK", "x")
    library.save_search("marac work", "tag:other", replace=True)
    assert library.saved_search("MARAC WORK").query == "tag:other"
    with pytest.raises(CuratorError, match="Say what"):
        library.save_search("Empty", "  * ")
    library.remove_saved_search("Conferences")
    assert [s.name for s in library.saved_searches(counted=False)] == ["marac work"]
    with pytest.raises(NotFound):
        library.remove_saved_search("Conferences")


def test_cli_tags_and_searches(library, capsys):
    folder = str(library.folder)
    _add(library, 1, ["MARAC"])
    _add(library, 2, ["marac", "risk"])
    library.process_index_queue()

    def run(*argv) -> str:
        capsys.readouterr()
        assert main(["--library", folder, "--as", "Alex Lead", *argv]) == 0
        return capsys.readouterr().out

    assert run("tags", "list").split() == ["2", "MARAC", "(also:", "marac)", "1", "risk"]
    data = json.loads(run("--json", "tags", "list"))
    assert data[0] == {"name": "MARAC", "count": 2, "spellings": ["marac"]}
    assert "“Risk assessment” is now on 1 resource." in run("tags", "rename", "risk",
                                                            "Risk assessment")
    out = run("tags", "merge", "Risk assessment", "MARAC")
    assert out.startswith("Merged Risk assessment into MARAC.")
    assert run("searches", "save", "MARAC", "tag:MARAC").startswith("Saved “MARAC”")
    assert run("searches", "list").split() == ["2", "MARAC", "(tag:MARAC)"]
    assert "2 results" in run("searches", "run", "MARAC")
    assert run("searches", "remove", "MARAC") == "Removed.\n"
    capsys.readouterr()
    assert main(["--library", folder, "tags", "merge", "MARAC"]) != 0
    assert "Name the tags to merge" in capsys.readouterr().err
