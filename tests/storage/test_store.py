import sqlite3

import pytest

from curator.base.errors import LibraryError, LibraryTooNew, StorageError
from curator.library import Library
from curator.storage import schema


def test_new_library_has_its_folders_wal_and_foreign_keys(tmp_path):
    folder = tmp_path / "lib"
    with Library.open(folder) as lib:
        for sub in ("index", "exports", "backups"):
            assert (folder / sub).is_dir()
        db = lib.store.db
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA user_version").fetchone()[0] == schema.schema_version()


def test_library_folder_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CURATOR_LIBRARY", str(tmp_path / "from-env"))
    with Library.open() as lib:
        assert lib.folder == (tmp_path / "from-env").resolve()
    assert (tmp_path / "from-env" / "resources.db").exists()


def test_new_library_offers_the_starter_themes(library):
    codes = {t.code for t in library.themes()}
    assert codes == {"DA", "CSA", "FII", "NEG", "EXP", "DIG"}
    assert library.theme("FII").name == "Fabricated or induced illness"
    assert library.theme("DA").review_months == 12


def test_database_from_a_newer_curator_is_refused(tmp_path):
    folder = tmp_path / "lib"
    Library.open(folder).close()
    conn = sqlite3.connect(folder / "resources.db")
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('curator', 'm999_from_the_future', '2030-01-01')")
    conn.commit()
    conn.close()
    with pytest.raises(LibraryTooNew, match="newer version of Curator"):
        Library.open(folder)


def test_a_migration_is_preceded_by_a_checked_backup(tmp_path, monkeypatch):
    folder = tmp_path / "lib"
    with Library.open(folder) as lib:
        lib.act_as("Alex")
        lib.add_resource("https://example.org/kept", title="Kept through the upgrade",
                         index=False)
    applied_before = schema.schema_version()

    def m900_test_column(db):
        db.execute("ALTER TABLE resources ADD COLUMN test_extra TEXT")

    monkeypatch.setattr(schema, "STEPS", [*schema.STEPS, m900_test_column])
    with Library.open(folder) as lib:
        cols = [r[1] for r in lib.store.db.execute("PRAGMA table_info(resources)")]
        assert "test_extra" in cols
        assert lib.store.migrated_from == applied_before
    backups = list((folder / "backups").glob("*before-upgrade*.db"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT title FROM resources").fetchone()[0] == "Kept through the upgrade"
    assert "test_extra" not in [r[1] for r in copy.execute("PRAGMA table_info(resources)")]
    copy.close()


def test_a_file_that_is_not_a_database_is_refused_clearly(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "resources.db").write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(LibraryError, match="not a Curator library database"):
        Library.open(folder)
    assert (folder / "resources.db").read_bytes().startswith(b"this is not sqlite")


def test_events_log_is_append_only(library):
    library.add_resource("https://example.org/a", title="A", index=False)
    db = library.store.db
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] > 0
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE events SET action = 'forged'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM events")


def test_every_change_is_stamped_with_the_expert(library):
    res = library.add_resource("https://example.org/a", title="A", index=False)
    library.edit(res.id, {"notes": "Use in supervision"})
    library.delete(res.id)
    library.restore(res.id)
    history = library.history(res.id)
    assert [h["action"] for h in history] == ["resource.clip", "resource.edit",
                                             "resource.delete", "resource.restore"]
    assert {h["expert"] for h in history} == {"Alex Lead"}
    assert history[1]["detail"] == {"notes": ["", "Use in supervision"]}


def test_read_only_library_gives_a_clear_message_and_keeps_data(library, tmp_path):
    res = library.add_resource("https://example.org/a", title="Before", index=False)
    # Simulate a read-only database (the same error SQLite raises for a read-only file).
    library.store.db.execute("PRAGMA query_only = ON")
    with pytest.raises(StorageError) as err:
        library.edit(res.id, {"title": "After"})
    assert "read-only" in err.value.message
    library.store.db.execute("PRAGMA query_only = OFF")
    assert library.get(res.id).title == "Before"
