"""The work lists: ids in the order asked, read from the index alone where they can be,
whatever the ids hold (issue 21)."""

from __future__ import annotations

import random
import sqlite3

from curator.catalogue import worklists
from curator.library import Library


def test_the_first_list_is_read_from_the_index_alone_newest_first(tmp_path):
    with Library.open(tmp_path / "lib") as lib:
        lib.act_as("Alex")
        added = [lib.add_resource(f"https://example.org/{n}", title=f"R{n}", index=False).id
                 for n in range(5)]  # clipped within the same second: the later comes first
        ids = lib.work_list("all")
        assert ids == added[::-1]
        sql = []
        lib.store.db.conn.set_trace_callback(sql.append)
        assert lib.work_list("all") == ids
        lib.store.db.conn.set_trace_callback(None)
        plan = " ".join(str(r[3]) for r in lib.store.db.execute("EXPLAIN QUERY PLAN " + sql[-1]))
        assert "COVERING INDEX idx_resources_clipped_ids" in plan, plan
        assert worklists.ids(lib.store, "all", sort="clipped_by")  # the join, when sorted so


def test_a_list_keeps_its_order_and_any_id_survives_the_one_string_read(tmp_path):
    rng = random.Random(7)
    with Library.open(tmp_path / "lib") as lib:
        lib.act_as("Alex")
        made = [lib.add_resource(f"https://example.org/{n}", title=f"T{rng.randrange(50)}",
                                 index=False).id for n in range(300)]
        with lib.store.write() as db:  # clip times out of insertion order, with ties
            for rid in made:
                db.execute("UPDATE resources SET clipped_at = ? WHERE id = ?",
                           (f"2026-0{rng.randrange(1, 9)}-01T00:00:00Z", rid))
        # An id from elsewhere holding the separator (a hand-made bundle, say).
        other = sqlite3.connect(lib.store.path)  # without the library's foreign keys
        with other:
            other.execute("UPDATE resources SET id = ? WHERE id = ?", ("odd\x1fid", made[0]))
        rows = lib.store.db.conn.execute(
            "SELECT id FROM resources WHERE deleted_at IS NULL "
            "ORDER BY clipped_at DESC, rowid DESC").fetchall()
        assert lib.work_list("all") == [r[0] for r in rows]
        with other:
            other.execute("UPDATE resources SET id = ? WHERE id = ?", (made[0], "odd\x1fid"))
        other.close()
        for sort in ("title", "clipped_at", "clipped_by"):
            for desc in (True, False):
                got = worklists.ids(lib.store, "all", sort=sort, descending=desc)
                order = worklists.COLUMNS[sort][1]
                way = "DESC" if desc else "ASC"
                want = lib.store.db.conn.execute(
                    f"SELECT r.id FROM resources r LEFT JOIN experts e ON e.id = r.clipped_by "
                    f"WHERE r.deleted_at IS NULL ORDER BY {order} {way}, r.rowid {way}")
                assert got == [r[0] for r in want], (sort, desc)
