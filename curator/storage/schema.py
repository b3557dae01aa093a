"""The database schema, as an ordered list of migrations.

Each migration is applied once, in order, inside a transaction, by sqlite-utils'
``Migrations``. Never edit a migration that has shipped: add a new one. The names of all
migrations this Curator knows are how it spots a database written by a newer Curator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from curator.storage import schema_later as later

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

MIGRATION_SET = "curator"
#: The table sqlite-utils' ``Migrations`` records each applied migration in (by set and
#: name). Opening an up-to-date library reads it directly, so that sqlite-utils need not
#: load on the way to the first screen (issue 21).
MIGRATIONS_TABLE = "_sqlite_migrations"

#: Every migration, in the order they apply; each is named by its function.
STEPS: list = []


def _step(fn):
    STEPS.append(fn)
    return fn


@_step
def m001_core(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT
        )"""
    )
    db.execute(
        """
        CREATE TABLE experts (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE themes (
            code TEXT PRIMARY KEY COLLATE NOCASE,
            name TEXT NOT NULL,
            review_months INTEGER NOT NULL DEFAULT 12 CHECK (review_months > 0),
            evidence_years INTEGER CHECK (evidence_years IS NULL OR evidence_years > 0),
            four_eyes INTEGER NOT NULL DEFAULT 0,
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE theme_experts (
            theme_code TEXT NOT NULL REFERENCES themes(code) ON UPDATE CASCADE,
            expert_id INTEGER NOT NULL REFERENCES experts(id),
            role TEXT NOT NULL CHECK (role IN ('lead', 'member')),
            PRIMARY KEY (theme_code, expert_id)
        )"""
    )
    db.execute(
        """
        CREATE TABLE resources (
            id TEXT PRIMARY KEY,
            url TEXT NOT NULL,
            norm_url TEXT NOT NULL UNIQUE,
            canonical_url TEXT,
            canonical_norm TEXT,
            title TEXT NOT NULL DEFAULT '',
            summary TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            site TEXT NOT NULL DEFAULT '',
            published TEXT,
            language TEXT,
            type TEXT NOT NULL DEFAULT 'other',
            audience TEXT NOT NULL DEFAULT '[]',
            notes TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'submitted', 'approved', 'retired')),
            clipped_by INTEGER REFERENCES experts(id),
            clipped_at TEXT NOT NULL,
            updated_by INTEGER REFERENCES experts(id),
            updated_at TEXT NOT NULL,
            review_due TEXT,
            last_reviewed TEXT,
            fetch_state TEXT NOT NULL DEFAULT 'pending'
                CHECK (fetch_state IN ('pending', 'ok', 'failed')),
            fetch_error TEXT,
            fetched_at TEXT,
            content_type TEXT,
            content_size INTEGER,
            link_health TEXT NOT NULL DEFAULT 'unchecked',
            fingerprint TEXT,
            deleted_at TEXT,
            retired_reason TEXT,
            version INTEGER NOT NULL DEFAULT 1
        )"""
    )
    db.execute("CREATE INDEX idx_resources_canonical ON resources(canonical_norm)")
    db.execute("CREATE INDEX idx_resources_status ON resources(status, deleted_at)")
    db.execute("CREATE INDEX idx_resources_review ON resources(review_due)")
    db.execute("CREATE INDEX idx_resources_clipped ON resources(clipped_at)")
    db.execute(
        """
        CREATE TABLE resource_text (
            resource_id TEXT PRIMARY KEY REFERENCES resources(id) ON DELETE CASCADE,
            text TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute(
        """
        CREATE TABLE resource_themes (
            resource_id TEXT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
            theme_code TEXT NOT NULL REFERENCES themes(code) ON UPDATE CASCADE,
            PRIMARY KEY (resource_id, theme_code)
        )"""
    )
    db.execute("CREATE INDEX idx_resource_themes_theme ON resource_themes(theme_code)")
    db.execute(
        """
        CREATE TABLE resource_tags (
            resource_id TEXT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
            tag TEXT NOT NULL COLLATE NOCASE,
            PRIMARY KEY (resource_id, tag)
        )"""
    )
    db.execute("CREATE INDEX idx_resource_tags_tag ON resource_tags(tag)")
    db.execute(
        """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            expert_id INTEGER REFERENCES experts(id),
            expert_name TEXT,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}'
        )"""
    )
    db.execute("CREATE INDEX idx_events_entity ON events(entity, entity_id)")
    # The audit log is append-only: the database itself refuses to change or drop a row.
    db.execute(
        """
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'the events log is append-only'); END"""
    )
    db.execute(
        """
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'the events log is append-only'); END"""
    )
    db.execute(
        """
        CREATE TABLE index_queue (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            resource_id TEXT NOT NULL,
            queued_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE thesaurus (
            id INTEGER PRIMARY KEY,
            terms TEXT NOT NULL,
            added_by INTEGER REFERENCES experts(id),
            added_at TEXT NOT NULL
        )"""
    )


@_step
def m002_review_and_links(db: Database) -> None:
    """Attestations, link-check history, and the flags a check can raise on a resource."""
    db.execute(
        """
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            resource_id TEXT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
            expert_id INTEGER REFERENCES experts(id),
            expert_name TEXT NOT NULL,
            at TEXT NOT NULL,
            outcome TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            next_due TEXT
        )"""
    )
    db.execute("CREATE INDEX idx_reviews_resource ON reviews(resource_id, at)")
    db.execute(
        """
        CREATE TABLE link_checks (
            id INTEGER PRIMARY KEY,
            resource_id TEXT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            checked_at TEXT NOT NULL,
            outcome TEXT NOT NULL,
            status INTEGER,
            final_url TEXT,
            new_url TEXT,
            message TEXT NOT NULL DEFAULT '',
            run_id TEXT
        )"""
    )
    db.execute("CREATE INDEX idx_link_checks_resource ON link_checks(resource_id, checked_at)")
    db.execute("CREATE INDEX idx_link_checks_run ON link_checks(run_id)")
    db.execute(
        """
        CREATE TABLE page_changes (
            resource_id TEXT PRIMARY KEY REFERENCES resources(id) ON DELETE CASCADE,
            detected_at TEXT NOT NULL,
            new_text TEXT NOT NULL,
            new_fingerprint TEXT,
            similarity REAL
        )"""
    )
    for column in ("link_outcome TEXT", "link_checked_at TEXT", "link_message TEXT",
                   "link_new_url TEXT", "link_failing_since TEXT", "withdrawn_kind TEXT",
                   "withdrawn_message TEXT", "replacement_url TEXT"):
        db.execute(f"ALTER TABLE resources ADD COLUMN {column}")
    db.execute("CREATE INDEX idx_resources_link ON resources(link_health)")


@_step
def m003_trash_index(db: Database) -> None:
    """A small index of what is in the trash, so counts can leave it out cheaply."""
    db.execute("CREATE INDEX idx_resources_trash ON resources(id) WHERE deleted_at IS NOT NULL")


@_step
def m004_bundles(db: Database) -> None:
    """Bundles written or read, and the fingerprint of each resource in them."""
    db.execute(
        """
        CREATE TABLE bundles (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('export', 'import')),
            path TEXT NOT NULL,
            themes TEXT NOT NULL,
            themes_key TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            previous_id TEXT,
            library_id TEXT,
            counts TEXT NOT NULL DEFAULT '{}'
        )"""
    )
    db.execute("CREATE INDEX idx_bundles_themes ON bundles(kind, themes_key, recorded_at)")
    db.execute(
        """
        CREATE TABLE bundle_items (
            bundle_id TEXT NOT NULL REFERENCES bundles(id),
            resource_id TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            content_fingerprint TEXT NOT NULL,
            PRIMARY KEY (bundle_id, resource_id)
        )"""
    )
    db.execute("CREATE INDEX idx_bundle_items_resource ON bundle_items(resource_id)")


# The later migrations live in schema_later; they are listed here, in the order they
# shipped (m009 shipped before m006), so this list is the whole order.
STEPS += [later.m005_forward_revisions, later.m009_team, later.m006_tags_and_searches,
          later.m007_approved_text, later.m008_updated_and_type_sureness,
          later.m010_browser_access, later.m011_deputies]


def migration_set() -> Migrations:
    """The migrations as sqlite-utils' ``Migrations``, which applies them (made when
    needed: an up-to-date library opens without loading sqlite-utils)."""
    from sqlite_utils.migrations import Migrations
    made = Migrations(MIGRATION_SET)
    for fn in STEPS:
        made()(fn)
    return made


#: Indexes that only make reads faster, kept up when a library opens rather than by a
#: migration: a library then stays one the Curator before can open (it never asks
#: for them, and runs its queries without them). Name -> its CREATE statement; the
#: names listed in REPLACED_INDEXES are dropped, as these take their place.
READ_INDEXES = {
    # The lists, newest first, read from the index alone: 50,000 ids without visiting a
    # row (the index on clip time alone made each id a visit to its row) (issue 21).
    "idx_resources_clipped_ids":
        "CREATE INDEX idx_resources_clipped_ids ON resources(clipped_at, id, deleted_at)",
}
REPLACED_INDEXES = ("idx_resources_clipped",)


def _index_names(conn) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


def read_indexes_missing(conn) -> bool:
    """Whether the database on *conn* lacks one of READ_INDEXES or keeps a replaced one."""
    have = _index_names(conn)
    return bool(set(READ_INDEXES) - have or set(REPLACED_INDEXES) & have)


def keep_read_indexes(conn) -> None:
    """Make READ_INDEXES that are missing and drop the ones they replace, in one
    transaction (a fresh library builds them in a moment; 50,000 resources in about a
    second)."""
    have = _index_names(conn)
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        for name in REPLACED_INDEXES:
            if name in have:
                conn.execute(f"DROP INDEX {name}")
        for name, sql in READ_INDEXES.items():
            if name not in have:
                conn.execute(sql)


def migration_names() -> list[str]:
    """Every migration this Curator knows, in order."""
    return [fn.__name__ for fn in STEPS]


def known_migration_names() -> set[str]:
    return set(migration_names())


def applied_names(conn) -> list[str]:
    """The migrations applied to the database on *conn* (an ``sqlite3`` connection), in the
    order they were applied; nothing is written."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                    (MIGRATIONS_TABLE,)).fetchone() is None:
        return []
    return [r[0] for r in conn.execute(
        f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid",
        (MIGRATION_SET,))]


def schema_version() -> int:
    """How many migrations this Curator knows; stored in ``PRAGMA user_version``."""
    return len(migration_names())


#: Tables every Curator library has had since its first version.
CORE_TABLES = ("settings", "experts", "themes", "resources", "events")


def why_not_a_library(conn) -> str | None:
    """Why the database on *conn* (an ``sqlite3`` connection) is not a Curator library
    this Curator can use, in words; None when it is one. Nothing is written."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if MIGRATIONS_TABLE not in tables:
        if not tables:
            return "it is an empty database"
        return "it has none of Curator's records (it was made by another program)"
    names = set(applied_names(conn))
    if not names:
        return "it was made by another program"
    if names - known_migration_names():
        return "it was made by a newer version of Curator than this one"
    missing = [t for t in CORE_TABLES if t not in tables]
    if missing:
        noun = "table" if len(missing) == 1 else "tables"
        return f"it lacks Curator's {', '.join(missing)} {noun}"
    return None
