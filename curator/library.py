"""The service layer: one :class:`Library` per open library folder.

The command line, the desktop app and the tests all work through this object, so the
rules it enforces hold whatever the front end. It never imports Qt. Methods that reach
the network take a *cancel* callable and may take a while: the app calls them off the
GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from curator.base import clock
from curator.base.errors import Cancelled, CuratorError, Duplicate, LibraryError
from curator.catalogue import experts, resources, themes
from curator.catalogue.urls import check_url, normalise_url, same_page_keys
from curator.clipping import clip as clipping
from curator.clipping.clip import ClipResult, Page, RefetchResult
from curator.clipping.fetch import Fetcher, FetchSettings
from curator.storage import events, paths
from curator.storage.events import Actor
from curator.storage.store import Store

log = logging.getLogger(__name__)

CancelFn = Callable[[], bool] | None
ProgressFn = Callable[[int, int, str], None] | None


@dataclass
class AddManyResult:
    added: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (url, existing id)
    invalid: list[tuple[str, str]] = field(default_factory=list)  # (url, why)


class Library:
    """An open library folder: its database, its index and the services over them."""

    def __init__(self, folder: Path, store: Store, fetch_settings: FetchSettings | None = None):
        from curator import preferences
        self.folder = folder
        self.store = store
        self.preferences = preferences.load()
        self.fetcher = Fetcher(fetch_settings or self.preferences.fetch_settings())
        self._actor: Actor | None = None
        self._indexer = None
        self._indexer_lock = threading.Lock()
        #: The app sets this and drains the queue on its own writer thread instead.
        self.defer_indexing = False

    # -- opening and closing -------------------------------------------------------------
    @classmethod
    def open(cls, folder: str | Path | None = None, *, create: bool = True,
             starter_themes: bool = True, fetch_settings: FetchSettings | None = None,
             check: str = "auto") -> Library:
        """Open (or, with *create*, make) the library in *folder* or the default place.

        *check* says when to run SQLite's ``quick_check``: "auto" after a session that did
        not close cleanly, "full" always, "none" never (the app checks in the background).
        A damaged database raises :class:`curator.storage.recovery.LibraryDamaged`.
        """
        from curator.storage import recovery
        folder = paths.resolve_library_dir(folder)
        db_file = folder / paths.DB_NAME
        is_new = not db_file.exists()
        if is_new and not create:
            raise LibraryError(f"There is no Curator library in {folder}.")
        try:
            for sub in ("", paths.INDEX_DIR, paths.EXPORTS_DIR, paths.BACKUPS_DIR):
                (folder / sub).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryError(
                f"Curator cannot use the folder {folder}: {exc.strerror or exc}. "
                "Choose a folder you can write to.", detail=repr(exc)) from exc
        store = Store(folder)
        store.open()
        lib = cls(folder, store, fetch_settings)
        if check == "full" or (check == "auto" and recovery.previous_session_unclean(folder)):
            try:
                recovery.check_integrity(lib)
            except recovery.LibraryDamaged:
                store.close()
                raise
        recovery.mark_session(folder, True)
        if is_new and starter_themes:
            themes.add_starter_set(store, None)
        return lib

    def close(self) -> None:
        from curator.storage import recovery
        if self._indexer is not None:
            self._indexer.close()
        self.fetcher.close()
        self.store.close()
        recovery.mark_session(self.folder, False)

    # -- safety ----------------------------------------------------------------------------
    def backup(self, reason: str = "manual") -> Path:
        """A checked copy of the database in backups/ (rotated: 10 recent, 12 monthly)."""
        from curator.storage import recovery
        return recovery.backup_now(self, reason)

    def backup_if_due(self) -> Path | None:
        from curator.storage import recovery
        return recovery.backup_if_due(self)

    def list_backups(self):
        from curator.storage import backup
        return backup.list_backups(self.backups_dir)

    def check_integrity(self) -> None:
        from curator.storage import recovery
        recovery.check_integrity(self)

    def risky_place(self) -> str | None:
        from curator.storage import recovery
        return recovery.risky_place(self.folder)

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def index_dir(self) -> Path:
        return self.folder / paths.INDEX_DIR

    @property
    def exports_dir(self) -> Path:
        return self.folder / paths.EXPORTS_DIR

    def default_export_folder(self) -> Path:
        """Where bundles go unless told otherwise: the chosen export folder, else exports/."""
        chosen = (self.preferences.export_folder or "").strip()
        return Path(chosen).expanduser() if chosen else self.exports_dir

    @property
    def backups_dir(self) -> Path:
        return self.folder / paths.BACKUPS_DIR

    # -- settings kept in the library ----------------------------------------------------
    def setting(self, key: str, default: str | None = None) -> str | None:
        r = self.store.query_one("SELECT value FROM settings WHERE key = ?", (key,))
        return r["value"] if r else default

    def set_setting(self, key: str, value: str | None) -> None:
        with self.store.write("save the setting") as db:
            db.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO "
                       "UPDATE SET value = excluded.value", (key, value))

    # -- who is acting -------------------------------------------------------------------
    def act_as(self, name: str | None = None) -> experts.Expert:
        """Act as the named expert, or the one who used this library last.

        On a library with no experts yet, the first name given becomes its first expert.
        """
        if not name:
            name = self.setting("last_expert")
            if not name:
                raise CuratorError(
                    "Curator needs to know who you are. Give your name with --as \"Your Name\""
                    " (or set CURATOR_EXPERT).")
        try:
            expert = experts.find(self.store, name)
        except CuratorError:
            if experts.list_all(self.store):
                raise
            expert = experts.add(self.store, name, None)
        if not expert.active:
            raise CuratorError(f"{expert.name} is no longer active in this library.")
        self._actor = expert.actor
        if self.setting("last_expert") != expert.name:
            self.set_setting("last_expert", expert.name)
        return expert

    @property
    def actor(self) -> Actor:
        if self._actor is None:
            self.act_as(None)
        assert self._actor is not None
        return self._actor

    # -- experts and themes --------------------------------------------------------------
    def add_expert(self, name: str) -> experts.Expert:
        return experts.add(self.store, name, self._actor)

    def rename_expert(self, name: str, new_name: str) -> experts.Expert:
        renamed = experts.rename(self.store, name, new_name, self.actor)
        if self._actor and self._actor.id == renamed.id:
            self._actor = renamed.actor
            self.set_setting("last_expert", renamed.name)
        return renamed

    def set_expert_active(self, name: str, active: bool) -> experts.Expert:
        return experts.set_active(self.store, name, active, self.actor)

    def experts(self, include_inactive: bool = True) -> list[experts.Expert]:
        return experts.list_all(self.store, include_inactive)

    def themes(self, include_inactive: bool = True) -> list[themes.Theme]:
        return themes.list_all(self.store, include_inactive)

    def theme(self, code: str) -> themes.Theme:
        return themes.get(self.store, code)

    def add_theme(self, code: str, name: str, **settings) -> themes.Theme:
        if settings.get("review_months") is None:
            settings["review_months"] = self.preferences.default_review_months
        return themes.add(self.store, code, name, self.actor, **settings)

    def edit_theme(self, code: str, **changes) -> themes.Theme:
        result = themes.edit(self.store, code, changes, self.actor)
        self.process_index_queue()
        return result

    def set_theme_role(self, code: str, expert: str, role: str | None) -> themes.Theme:
        return themes.set_role(self.store, code, expert, role, self.actor)

    # -- clipping ------------------------------------------------------------------------
    def find_existing(self, url: str) -> resources.Resource | None:
        """The resource already stored for this address (in any written form), if any."""
        checked = check_url(url)
        rid = resources.find_by_keys(self.store.db, same_page_keys(checked.url))
        return resources.get(self.store.db, rid) if rid else None

    def fetch_page(self, url: str, cancel: CancelFn = None) -> Page:
        """Fetch and read a page. Network only: nothing is written to the library."""
        return clipping.fetch_page(self, url, cancel)

    def clip(self, url: str, *, themes_: Iterable[str] = (), tags: Iterable[str] = (),
             note: str = "", type_: str | None = None, audience: Iterable[str] = (),
             fetch: bool = True, page: Page | None = None, fetch_error: str | None = None,
             cancel: CancelFn = None) -> ClipResult:
        """Clip a web address into a draft resource owned by the acting expert.

        A page already in the library (by its address, its normal form or its canonical
        address) is returned as a duplicate, not added again. When the page cannot be
        fetched the resource is still kept, marked "not fetched yet", for a later refetch.
        """
        return clipping.clip(self, url, themes_=themes_, tags=tags, note=note, type_=type_,
                             audience=audience, fetch=fetch, page=page,
                             fetch_error=fetch_error, cancel=cancel)

    def refetch(self, resource_id: str, cancel: CancelFn = None) -> RefetchResult:
        """Fetch a resource's page again, filling in what is missing and refreshing its text.

        Fields the expert has written are never overwritten, and a failed fetch never
        erases text fetched before: the failure is recorded beside it.
        """
        return clipping.refetch(self, resource_id, cancel)

    def refetch_pending(self, cancel: CancelFn = None,
                        progress: ProgressFn = None) -> list[RefetchResult]:
        """Retry every resource that has not been fetched yet (or failed last time)."""
        rows = self.store.query("SELECT id FROM resources WHERE fetch_state != 'ok' AND "
                                "deleted_at IS NULL ORDER BY clipped_at")
        results = []
        for n, r in enumerate(rows):
            if cancel and cancel():
                raise Cancelled("Cancelled.")
            if progress:
                progress(n, len(rows), r["id"])
            results.append(self.refetch(r["id"], cancel))
        return results

    def add_resource(self, url: str, *, title: str = "", summary: str = "", notes: str = "",
                     themes_: Iterable[str] = (), tags: Iterable[str] = (),
                     type_: str | None = None, published: str | None = None,
                     author: str = "", site: str = "", text: str = "",
                     index: bool = True) -> resources.Resource:
        """Add a described resource without fetching (imports, tests and benchmarks)."""
        checked = check_url(url)
        values = resources.clean_fields({
            "title": title, "summary": summary, "notes": notes, "tags": list(tags),
            "themes": themes.resolve_codes(self.store, themes_), "author": author, "site": site,
            "published": published, **({"type": type_} if type_ else {})})
        keys = same_page_keys(checked.url)
        with self.store.write("add the resource") as db:
            dup = resources.find_by_keys(db, keys)
            if dup:
                raise Duplicate("That page is already in the library.", dup)
            rid = resources.insert(db, self.actor, {"url": checked.url,
                                                    "norm_url": normalise_url(checked.url),
                                                    **values}, text=text)
            res = resources.get(db, rid)
        if index:
            self.process_index_queue()
        return res

    def add_many(self, records: Iterable[dict], *, batch: int = 500,
                 progress: ProgressFn = None, cancel: CancelFn = None) -> AddManyResult:
        """Add many described resources at once (imports, demos, benchmarks).

        Each record has ``url`` and any of title, summary, notes, themes, tags, type,
        published, author, site, audience, text. Records go in batches, each batch one
        transaction, so a crash keeps every batch already acknowledged. Duplicates and
        invalid rows are reported, not added. Large additions rebuild the search index.
        """
        result = AddManyResult()
        records = list(records)
        pending: list[tuple[dict, str, str]] = []
        theme_cache: dict[str, str] = {}

        def flush() -> None:
            with self.store.write("add the resources") as db:
                for values, text, key in pending:
                    keys = same_page_keys(values["url"])
                    dup = resources.find_by_keys(db, keys)
                    if dup:
                        result.duplicates.append((key, dup))
                        continue
                    result.added.append(resources.insert(db, self.actor, values, text=text))
            pending.clear()

        for n, record in enumerate(records):
            if cancel and cancel():
                break
            url = str(record.get("url") or "")
            try:
                checked = check_url(url)
                codes = []
                for code in record.get("themes") or ():
                    if code not in theme_cache:
                        theme_cache[code] = themes.resolve_codes(self.store, [code])[0]
                    codes.append(theme_cache[code])
                fields = {k: record[k] for k in ("title", "summary", "notes", "tags", "type",
                                                 "published", "author", "site", "audience")
                          if record.get(k) not in (None, "")}
                values = resources.clean_fields({**fields, "themes": codes})
            except CuratorError as exc:
                result.invalid.append((url, exc.message))
                continue
            values.update(url=checked.url, norm_url=normalise_url(checked.url))
            pending.append((values, record.get("text") or "", url))
            if len(pending) >= batch:
                flush()
                if progress:
                    progress(n + 1, len(records), "")
        if pending:
            flush()
        if len(result.added) > 1000:
            self.indexer.rebuild()
        else:
            self.process_index_queue()
        return result

    # -- reading -------------------------------------------------------------------------
    def get(self, resource_id: str) -> resources.Resource:
        return resources.get(self.store.db, resource_id)

    def text(self, resource_id: str) -> str:
        return resources.text_of(self.store.db, self.get(resource_id).id)

    def list(self, **filters) -> list[resources.Resource]:
        if filters.get("theme"):
            filters["theme"] = themes.resolve_codes(self.store, [filters["theme"]])[0]
        return resources.list_ids(self.store, **filters)

    def history(self, resource_id: str) -> list[dict]:
        return events.history(self.store.db, "resource", self.get(resource_id).id)

    # -- changing ------------------------------------------------------------------------
    def edit(self, resource_id: str, changes: dict,
             expected_version: int | None = None) -> resources.Resource:
        """Change a resource's description. Unknown or invalid values are refused whole."""
        changes = dict(changes)
        if "themes" in changes:
            changes["themes"] = themes.resolve_codes(self.store, changes["themes"])
        if "url" in changes:
            raise CuratorError("To change a resource's link, use 'replace link', which keeps "
                               "its history.")
        values = resources.clean_fields(changes)
        with self.store.write("save your changes") as db:
            res = resources.update(db, self.actor, resource_id, values,
                                   expected_version=expected_version)
        self.process_index_queue()
        return res

    def delete(self, resource_id: str) -> resources.Resource:
        """Move a resource to the trash (it can be restored until the trash is emptied)."""
        with self.store.write("move it to the trash") as db:
            res = resources.set_deleted(db, self.actor, resource_id, True)
        self.process_index_queue()
        return res

    def restore(self, resource_id: str) -> resources.Resource:
        with self.store.write("restore it") as db:
            res = resources.set_deleted(db, self.actor, resource_id, False)
        self.process_index_queue()
        return res

    def empty_trash(self) -> int:
        ids = [r["id"] for r in self.store.query(
            "SELECT id FROM resources WHERE deleted_at IS NOT NULL")]
        with self.store.write("empty the trash") as db:
            for rid in ids:
                resources.purge(db, self.actor, rid)
        self.process_index_queue()
        return len(ids)

    # -- workflow ------------------------------------------------------------------------
    def _transition(self, resource_id: str, action: str, reason: str = "",
                    override_reason: str | None = None) -> resources.Resource:
        from curator.publishing import workflow
        with self.store.write("change its status") as db:
            res = workflow.transition(db, self.actor, resource_id, action, reason=reason,
                                      override_reason=override_reason)
        self.process_index_queue()
        return res

    def submit(self, resource_id: str, override_reason: str | None = None):
        """Send a draft for approval (after the personal-data check)."""
        return self._transition(resource_id, "submit", override_reason=override_reason)

    def approve(self, resource_id: str, override_reason: str | None = None):
        """Approve for publishing: theme leads only; four eyes where the theme asks."""
        return self._transition(resource_id, "approve", override_reason=override_reason)

    def send_back(self, resource_id: str, reason: str):
        return self._transition(resource_id, "send_back", reason=reason)

    def retire(self, resource_id: str, reason: str):
        """Retire a resource (it leaves future bundles), recorded as a review decision."""
        from curator.publishing import workflow
        from curator.review import queue as review
        with self.store.write("retire it") as db:
            res = workflow.transition(db, self.actor, resource_id, "retire", reason=reason)
            review.attest(db, self.actor, res.id, "retired", reason)
            res = resources.get(db, res.id)
        self.process_index_queue()
        return res

    def reinstate(self, resource_id: str):
        return self._transition(resource_id, "reinstate")

    # -- review --------------------------------------------------------------------------
    def review_queue(self, **options):
        from curator.review import queue as review
        if options.get("theme"):
            options["theme"] = themes.resolve_codes(self.store, [options["theme"]])[0]
        return review.queue(self.store, **options)

    def _review_step(self, fn, resource_id: str, *args) -> resources.Resource:
        with self.store.write("record your review") as db:
            fn(db, self.actor, resources.get(db, resource_id).id, *args)
            res = resources.get(db, resource_id)
        self.process_index_queue()
        return res

    def confirm(self, resource_id: str, note: str = "") -> resources.Resource:
        """Attest the resource is still valid; its review date moves on."""
        from curator.review import queue as review
        return self._review_step(review.confirm, resource_id, note)

    def update_and_confirm(self, resource_id: str, changes: dict, note: str = "",
                           expected_version: int | None = None) -> resources.Resource:
        """The review's "update": edit, then confirm, as one decision."""
        from curator.review import queue as review
        if "themes" in changes:
            changes = {**changes, "themes": themes.resolve_codes(self.store, changes["themes"])}
        values = resources.clean_fields(changes)
        with self.store.write("save and confirm") as db:
            resources.update(db, self.actor, resource_id, values,
                             expected_version=expected_version)
            review.confirm(db, self.actor, resources.get(db, resource_id).id, note)
            res = resources.get(db, resource_id)
        self.process_index_queue()
        return res

    def replace_link(self, resource_id: str, new_url: str, note: str = "") -> resources.Resource:
        from curator.review import queue as review
        return self._review_step(review.replace_link, resource_id, new_url, note)

    def accept_change(self, resource_id: str, note: str = "") -> resources.Resource:
        from curator.review import queue as review
        return self._review_step(review.accept_change, resource_id, note)

    def review_item(self, resource_id: str):
        """Why this resource needs review (a ReviewItem), or None."""
        from curator.review import queue as review
        return review.item_for(self.store, self.get(resource_id).id)

    def available_steps(self, resource_id: str) -> list[str]:
        """What the acting expert may do with this resource now (the app's buttons)."""
        from curator.publishing import workflow
        from curator.review import queue as review
        db = self.store.db
        res = self.get(resource_id)
        change = review.pending_change(db, res.id) is not None
        return workflow.available(db, self.actor, res, change)

    def reviews(self, resource_id: str) -> list[dict]:
        from curator.review import queue as review
        return review.history(self.store.db, self.get(resource_id).id)

    def page_change(self, resource_id: str):
        """The readable diff of a changed page waiting for review, or None."""
        from curator.review import pagechange
        from curator.review import queue as review
        pair = review.pending_change(self.store.db, self.get(resource_id).id)
        return None if pair is None else pagechange.readable_diff(*pair)

    def apply_preferences(self, prefs) -> None:
        """Use new preferences now (proxy, certificates, contact) without reopening."""
        self.preferences = prefs
        old, self.fetcher = self.fetcher, Fetcher(prefs.fetch_settings())
        old.close()

    def check_links(self, *, theme: str | None = None, due_only: bool = False,
                    cancel: CancelFn = None, progress: ProgressFn = None, **checker_options):
        from curator.review import linkrun
        checker_options.setdefault("per_host", self.preferences.linkcheck_per_host)
        checker_options.setdefault("spacing", self.preferences.linkcheck_spacing)
        return linkrun.run(self, theme=theme, due_only=due_only, cancel=cancel,
                           progress=progress, **checker_options)

    # -- bundles ---------------------------------------------------------------------------
    def export_bundle(self, theme_codes: list[str], to: str | Path | None = None,
                      override_reason: str | None = None):
        """Write a bundle of the themes' approved resources for the portal."""
        from curator.publishing import portal
        return portal.export_bundle(self, theme_codes, to, override_reason)

    def import_bundle(self, path: str | Path):
        """Check a bundle and merge it into this library; returns the import report."""
        from curator.publishing import portal
        return portal.import_bundle(self, path)

    def bundles(self) -> list[dict]:
        from curator.publishing import portal
        return portal.list_bundles(self)

    # -- search index --------------------------------------------------------------------
    @property
    def indexer(self):
        with self._indexer_lock:
            if self._indexer is None:
                from curator.search.indexer import Indexer
                self._indexer = Indexer(self.store, self.index_dir)
            return self._indexer

    def process_index_queue(self) -> int:
        """Apply pending index updates now. Returns how many resources were refreshed.

        A failure here never undoes or hides the saved change: the queue keeps the update
        and the next drain (or the rebuild on the next open) applies it.
        """
        if self.defer_indexing:
            return 0
        from curator.base import gcpause
        try:
            with gcpause.paused():
                applied = self.indexer.drain()
                if applied:
                    self.indexer.tidy(0.3)
            return applied
        except Exception:  # the change is saved; the index catches up later
            log.warning("The search index could not be updated now; it will catch up.",
                        exc_info=True)
            return 0

    def search(self, query: str, **options):
        """Search the index (free words, "phrases", OR, -word, prefix*, field filters)."""
        return self.indexer.search(query, **options)

    def more_like_this(self, resource_id: str, limit: int = 10):
        return self.indexer.more_like_this(self.get(resource_id).id, limit=limit)

    def thesaurus_entries(self) -> list[dict]:
        return [{"id": r["id"], "terms": r["terms"].split(" = "), "added_at": r["added_at"]}
                for r in self.store.query("SELECT * FROM thesaurus ORDER BY id")]

    def add_thesaurus_entry(self, terms: list[str]) -> dict:
        """Teach search that these words or phrases mean the same (e.g. CIN = child in need)."""
        clean = []
        for term in terms:
            t = " ".join(str(term).replace("=", " ").split())
            if t and t.casefold() not in {c.casefold() for c in clean}:
                clean.append(t)
        if len(clean) < 2:
            raise CuratorError("Give at least two words or phrases that mean the same, "
                               "for example: CIN = child in need")
        with self.store.write("save the thesaurus entry") as db:
            cur = db.execute("INSERT INTO thesaurus (terms, added_by, added_at) VALUES (?, ?, ?)",
                             (" = ".join(clean), self.actor.id, clock.now_iso()))
            events.record(db, self.actor, "thesaurus.add", "thesaurus", cur.lastrowid,
                          {"terms": clean})
        self.indexer.reload_thesaurus()
        return {"id": cur.lastrowid, "terms": clean}

    def remove_thesaurus_entry(self, entry_id: int) -> None:
        with self.store.write("remove the thesaurus entry") as db:
            row = db.execute("SELECT terms FROM thesaurus WHERE id = ?", (entry_id,)).fetchone()
            if row is None:
                raise CuratorError(f"There is no thesaurus entry {entry_id}.")
            db.execute("DELETE FROM thesaurus WHERE id = ?", (entry_id,))
            events.record(db, self.actor, "thesaurus.remove", "thesaurus", entry_id,
                          {"terms": row["terms"]})
        self.indexer.reload_thesaurus()
