"""The database schema, as an ordered list of migrations.

Each migration is applied once, in order, inside a transaction, by sqlite-utils'
``Migrations``. Never edit a migration that has shipped: add a new one. The names of all
migrations this Curator knows are how it spots a database written by a newer Curator.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATION_SET = "curator"
migrations = Migrations(MIGRATION_SET)


@migrations()
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


@migrations()
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


@migrations()
def m003_trash_index(db: Database) -> None:
    """A small index of what is in the trash, so counts can leave it out cheaply."""
    db.execute("CREATE INDEX idx_resources_trash ON resources(id) WHERE deleted_at IS NOT NULL")


@migrations()
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


@migrations()
def m005_forward_revisions(db: Database) -> None:
    """The version of each resource last approved, which stays published while a later
    edit waits for approval (a forward revision), and the decisions to go ahead past a
    withdrawn, superseded, broken or moved page."""
    db.execute(
        """
        CREATE TABLE published_versions (
            resource_id TEXT PRIMARY KEY REFERENCES resources(id) ON DELETE CASCADE,
            fields TEXT NOT NULL,
            approved_by TEXT,
            approved_at TEXT NOT NULL
        )"""
    )
    # Resources approved before this version: what is stored now is what was approved.
    db.execute(
        """
        INSERT INTO published_versions (resource_id, fields, approved_by, approved_at)
        SELECT r.id, json_object(
                 'title', r.title, 'url', r.url, 'summary', r.summary, 'author', r.author,
                 'site', r.site, 'published', r.published, 'type', r.type,
                 'audience', json(r.audience), 'notes', r.notes,
                 'themes', (SELECT json_group_array(theme_code) FROM
                            (SELECT theme_code FROM resource_themes
                             WHERE resource_id = r.id ORDER BY theme_code)),
                 'tags', (SELECT json_group_array(tag) FROM
                          (SELECT tag FROM resource_tags WHERE resource_id = r.id
                           ORDER BY tag))),
               (SELECT e.expert_name FROM events e WHERE e.entity = 'resource'
                  AND e.entity_id = r.id AND e.action = 'workflow.approved'
                ORDER BY e.id DESC LIMIT 1),
               COALESCE((SELECT e.at FROM events e WHERE e.entity = 'resource'
                  AND e.entity_id = r.id AND e.action = 'workflow.approved'
                ORDER BY e.id DESC LIMIT 1), r.updated_at)
        FROM resources r WHERE r.status = 'approved'"""
    )


@migrations()
def m009_team(db: Database) -> None:
    """The team folder (issue 19): signed files waiting to go out, submissions sent and
    received, and every signed file applied (so none is applied twice)."""
    db.execute(
        """
        CREATE TABLE team_outbox (
            file_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            subfolder TEXT NOT NULL,
            name TEXT NOT NULL,
            resource_id TEXT,
            content TEXT NOT NULL,
            created_at TEXT NOT NULL,
            written_at TEXT
        )"""
    )
    db.execute(
        """
        CREATE TABLE team_sent (
            submission_id TEXT PRIMARY KEY,
            resource_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            content_fingerprint TEXT NOT NULL,
            themes TEXT NOT NULL,
            to_keys TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            outcome TEXT,
            decided_by TEXT,
            decided_at TEXT,
            reason TEXT
        )"""
    )
    db.execute("CREATE INDEX idx_team_sent_resource ON team_sent(resource_id, version)")
    db.execute(
        """
        CREATE TABLE team_inbox (
            submission_id TEXT PRIMARY KEY,
            resource_id TEXT NOT NULL,
            sender_name TEXT NOT NULL,
            sender_key TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            received_at TEXT NOT NULL,
            version INTEGER NOT NULL,
            content_fingerprint TEXT NOT NULL,
            clipped_by TEXT,
            history TEXT NOT NULL DEFAULT '[]',
            outcome TEXT,
            decided_at TEXT,
            reason TEXT
        )"""
    )
    db.execute("CREATE INDEX idx_team_inbox_resource ON team_inbox(resource_id, sent_at)")
    db.execute(
        """
        CREATE TABLE team_received (
            file_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            signer_name TEXT NOT NULL,
            signer_key TEXT NOT NULL,
            received_at TEXT NOT NULL,
            content TEXT NOT NULL
        )"""
    )


#: The spelling a tag is stored under: a spelling merged or renamed into another (any
#: case), else the spelling already used on another resource (the first one wins).
_TAG_SPELLING = """COALESCE(
    (SELECT s.tag FROM tag_spellings s WHERE s.spelling = NEW.tag),
    (SELECT t.tag FROM resource_tags t WHERE t.tag = NEW.tag AND t.rowid <> NEW.rowid
      ORDER BY t.rowid LIMIT 1),
    NEW.tag)"""


@migrations()
def m006_tags_and_searches(db: Database) -> None:
    """Tags that stay tidy (issue 17): one spelling per tag whatever the case, spellings
    merged into another recorded (and used from then on), and saved searches."""
    db.execute(
        """
        CREATE TABLE tag_spellings (
            spelling TEXT PRIMARY KEY COLLATE NOCASE,
            tag TEXT NOT NULL COLLATE NOCASE,
            recorded_at TEXT NOT NULL,
            how TEXT NOT NULL DEFAULT 'case'
        )"""
    )
    # The tags already stored: each takes the spelling first used, the others recorded.
    db.execute(
        """
        INSERT OR IGNORE INTO tag_spellings (spelling, tag, recorded_at, how)
        SELECT t.tag, (SELECT f.tag FROM resource_tags f WHERE f.tag = t.tag
                       ORDER BY f.rowid LIMIT 1), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'case'
        FROM resource_tags t
        WHERE t.tag <> (SELECT f.tag FROM resource_tags f WHERE f.tag = t.tag
                        ORDER BY f.rowid LIMIT 1) COLLATE BINARY"""
    )
    changed = [r[0] for r in db.execute(
        "SELECT DISTINCT t.resource_id FROM resource_tags t JOIN tag_spellings s "
        "ON s.spelling = t.tag WHERE t.tag <> s.tag COLLATE BINARY").fetchall()]
    db.execute(
        """
        UPDATE resource_tags SET tag = (SELECT s.tag FROM tag_spellings s
                                        WHERE s.spelling = resource_tags.tag)
        WHERE EXISTS (SELECT 1 FROM tag_spellings s WHERE s.spelling = resource_tags.tag
                      AND s.tag <> resource_tags.tag COLLATE BINARY)"""
    )
    for rid in changed:
        db.execute("INSERT INTO index_queue (resource_id, queued_at) VALUES "
                   "(?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))", (rid,))
    # Every write path (edits, imports, bundles) goes through this: a tag typed in another
    # case, or a spelling merged away, is stored under the tag's one spelling.
    db.execute(
        f"""
        CREATE TRIGGER resource_tags_one_spelling AFTER INSERT ON resource_tags
        WHEN {_TAG_SPELLING} <> NEW.tag COLLATE BINARY
        BEGIN
            INSERT OR IGNORE INTO tag_spellings (spelling, tag, recorded_at, how)
            VALUES (NEW.tag, {_TAG_SPELLING}, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'case');
            DELETE FROM resource_tags WHERE rowid = NEW.rowid AND EXISTS (
                SELECT 1 FROM resource_tags o WHERE o.resource_id = NEW.resource_id
                AND o.rowid <> NEW.rowid AND o.tag = {_TAG_SPELLING});
            UPDATE resource_tags SET tag = {_TAG_SPELLING} WHERE rowid = NEW.rowid;
        END"""
    )
    db.execute(
        """
        CREATE TABLE saved_searches (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            query TEXT NOT NULL,
            created_by TEXT,
            created_at TEXT NOT NULL
        )"""
    )


@migrations()
def m007_approved_text(db: Database) -> None:
    """The saved page text as it was at each resource's last approval (issue 17), so an
    expert can read what the page said then next to what it says now."""
    db.execute(
        """
        CREATE TABLE approved_texts (
            resource_id TEXT PRIMARY KEY REFERENCES resources(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            approved_at TEXT NOT NULL,
            approved_by TEXT
        )"""
    )


@migrations()
def m008_updated_and_type_sureness(db: Database) -> None:
    """The date a page says it was last updated (issue 18), apart from its publication
    date, and how sure Curator was of the type it guessed (NULL: set by a person, or no
    guess)."""
    db.execute("ALTER TABLE resources ADD COLUMN updated_on TEXT")
    db.execute("ALTER TABLE resources ADD COLUMN type_sureness REAL")


@migrations()
def m010_browser_access(db: Database) -> None:  # clips from the browser (issue 20)
    db.execute("ALTER TABLE resources ADD COLUMN browser_captured_at TEXT")  # last capture
    db.execute("ALTER TABLE resources ADD COLUMN access TEXT")  # 'login': needs a login


def _all_names() -> list[str]:
    # On an empty database every migration is pending: that is the full, ordered list.
    return [m.name for m in migrations.pending(Database(memory=True))]


def known_migration_names() -> set[str]:
    return set(_all_names())


def schema_version() -> int:
    """How many migrations this Curator knows; stored in ``PRAGMA user_version``."""
    return len(_all_names())


#: Tables every Curator library has had since its first version.
CORE_TABLES = ("settings", "experts", "themes", "resources", "events")


def why_not_a_library(conn) -> str | None:
    """Why the database on *conn* (an ``sqlite3`` connection) is not a Curator library
    this Curator can use, in words; None when it is one. Nothing is written."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if Migrations.migrations_table not in tables:
        if not tables:
            return "it is an empty database"
        return "it has none of Curator's records (it was made by another program)"
    names = {r[0] for r in conn.execute(
        f"SELECT name FROM {Migrations.migrations_table} WHERE migration_set = ?",
        (MIGRATION_SET,))}
    if not names:
        return "it was made by another program"
    if names - known_migration_names():
        return "it was made by a newer version of Curator than this one"
    missing = [t for t in CORE_TABLES if t not in tables]
    if missing:
        return f"it lacks Curator's {', '.join(missing)} table(s)"
    return None
