import pytest

from curator.base.errors import CuratorError, Duplicate, NotFound


def test_edit_checks_values_and_refuses_bad_ones_whole(library):
    res = library.add_resource("https://example.org/a", title="A", index=False)
    updated = library.edit(res.id, {"title": "  New   title ", "type": "Practice-Tool",
                                    "audience": ["Managers", "parents and carers"],
                                    "tags": ["neglect", "Neglect", "home visits"],
                                    "published": "2019-05"})
    assert updated.title == "New title"
    assert updated.type == "practice tool"
    assert updated.audience == ["managers", "parents and carers"]
    assert updated.tags == ["home visits", "neglect"]
    assert updated.published == "2019-05-01"
    for bad in ({"type": "blog"}, {"audience": ["everyone"]}, {"published": "last year"},
                {"title": "x" * 5000}, {"colour": "red"}):
        with pytest.raises(CuratorError):
            library.edit(res.id, bad)
    assert library.get(res.id).title == "New title"


def test_edit_refuses_a_stale_version_so_no_update_is_lost(library):
    res = library.add_resource("https://example.org/a", title="A", index=False)
    library.edit(res.id, {"notes": "first"}, expected_version=res.version)
    with pytest.raises(CuratorError, match="changed by someone else"):
        library.edit(res.id, {"notes": "second"}, expected_version=res.version)
    assert library.get(res.id).notes == "first"


def test_trash_restore_and_empty(library):
    a = library.add_resource("https://example.org/a", title="A", index=False)
    b = library.add_resource("https://example.org/b", title="B", index=False)
    library.delete(a.id)
    assert [r.id for r in library.list()] == [b.id]
    assert [r.id for r in library.list(trash=True)] == [a.id]
    library.restore(a.id)
    assert {r.id for r in library.list()} == {a.id, b.id}
    library.delete(b.id)
    assert library.empty_trash() == 1
    with pytest.raises(NotFound):
        library.get(b.id)
    # The audit trail of a purged resource stays.
    actions = [r["action"] for r in library.store.query(
        "SELECT action FROM events WHERE entity_id = ?", (b.id,))]
    assert actions[-1] == "resource.purge"


def test_duplicate_address_in_another_form_is_refused(library):
    library.add_resource("https://example.org/page?utm_source=x", title="A", index=False)
    with pytest.raises(Duplicate):
        library.add_resource("http://EXAMPLE.org:80/page/#section", title="B", index=False)


def test_short_ids_work_like_git(library):
    res = library.add_resource("https://example.org/a", title="A", index=False)
    assert library.get(res.id[:8]).id == res.id


def test_list_filters(library):
    library.add_expert("Priya Shah")
    a = library.add_resource("https://example.org/a", title="A", themes_=["DA"], tags=["court"],
                             index=False)
    library.act_as("Priya Shah")
    library.add_resource("https://example.org/b", title="B", themes_=["NEG"], index=False)
    assert [r.id for r in library.list(theme="da")] == [a.id]
    assert [r.id for r in library.list(tag="COURT")] == [a.id]
    assert [r.title for r in library.list(expert="Priya Shah")] == ["B"]
    assert len(library.list(status="draft")) == 2


def test_add_many_reports_duplicates_and_invalid_rows(library):
    library.add_resource("https://example.org/known", title="Known", index=False)
    result = library.add_many([
        {"url": "https://example.org/1", "title": "One", "themes": ["da"], "tags": ["x"]},
        {"url": "https://example.org/known?utm_source=mail", "title": "Again"},
        {"url": "javascript:alert(1)", "title": "Bad"},
        {"url": "https://example.org/2", "title": "Two", "type": "not a type"},
        {"url": "https://example.org/3", "title": "Three", "text": "body words"},
    ], batch=2)
    assert len(result.added) == 2
    assert [u for u, _ in result.duplicates] == ["https://example.org/known?utm_source=mail"]
    assert [u for u, _ in result.invalid] == ["javascript:alert(1)", "https://example.org/2"]
    one = library.get(result.added[0])
    assert (one.title, one.themes, one.tags) == ("One", ["DA"], ["x"])
