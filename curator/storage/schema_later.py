"""The migrations from m005 on (the schema's later history), as plain functions.

:mod:`curator.storage.schema` registers them, in the order they shipped; that list is
the one place the order is kept. Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


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


def m008_updated_and_type_sureness(db: Database) -> None:
    """The date a page says it was last updated (issue 18), apart from its publication
    date, and how sure Curator was of the type it guessed (NULL: set by a person, or no
    guess)."""
    db.execute("ALTER TABLE resources ADD COLUMN updated_on TEXT")
    db.execute("ALTER TABLE resources ADD COLUMN type_sureness REAL")


def m010_browser_access(db: Database) -> None:  # clips from the browser (issue 20)
    db.execute("ALTER TABLE resources ADD COLUMN browser_captured_at TEXT")  # last capture
    db.execute("ALTER TABLE resources ADD COLUMN access TEXT")  # 'login': needs a login


def m011_deputies(db: Database) -> None:
    """A theme may have deputies (issue 17): they approve its resources as its leads do,
    but only a lead appoints or removes leads and deputies. SQLite cannot change a CHECK
    in place, so the table is made again with the new list of roles."""
    db.execute(
        """
        CREATE TABLE theme_experts_new (
            theme_code TEXT NOT NULL REFERENCES themes(code) ON UPDATE CASCADE,
            expert_id INTEGER NOT NULL REFERENCES experts(id),
            role TEXT NOT NULL CHECK (role IN ('lead', 'deputy', 'member')),
            PRIMARY KEY (theme_code, expert_id)
        )"""
    )
    db.execute("INSERT INTO theme_experts_new (theme_code, expert_id, role) "
               "SELECT theme_code, expert_id, role FROM theme_experts")
    db.execute("DROP TABLE theme_experts")
    db.execute("ALTER TABLE theme_experts_new RENAME TO theme_experts")
