"""The facade: one :class:`Library` per open library folder.

The command line, the desktop app and the tests all work through this object. It holds
no rules of its own: each method hands a :class:`~curator.context.Context` (or the store
and the acting expert) to the domain module that owns the rule, so the rules hold
whatever the front end. It never imports Qt. Methods that reach the network take a
*cancel* callable and may take a while: the app calls them off the GUI thread.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from curator.base import lazy
from curator.base.background import CancelFn, ProgressFn
from curator.base.errors import StorageError
from curator.catalogue import editing, experts, resources, themes, worklists
from curator.catalogue import thesaurus as library_thesaurus
from curator.catalogue.acting import who_acts
from curator.catalogue.editing import AddManyResult
from curator.clipping.fetch import Fetcher, FetchSettings
from curator.context import Context
from curator.library.browser import BrowserServices
from curator.library.day import DayServices
from curator.library.manage import ManageServices
from curator.library.reading import ReadingServices
from curator.library.reviewing import ReviewServices
from curator.library.team import TeamServices
from curator.publishing import workflow
from curator.publishing.cautions import CautionFound
from curator.publishing.workflow import PersonalDataFound
from curator.review import decisions
from curator.storage import changes, events, opening, paths, recovery, settings
from curator.storage.events import Actor
from curator.storage.recovery import LibraryDamaged
from curator.storage.store import Store

# Clipping (its extraction, its login-page rules) loads with the first clip or fetch: a
# library opens and shows its list without it (issue 21).
clipping = lazy.module("curator.clipping.clip")

if TYPE_CHECKING:
    from curator.clipping.clip import ClipResult, Page, RefetchResult


def __getattr__(name: str):
    if name in ("ClipResult", "Page", "RefetchResult"):  # as the app imports them
        return getattr(clipping, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

#: Adding more than this many resources at once rebuilds the index instead of updating it.
REBUILD_OVER = 1000

__all__ = ["AddManyResult", "CautionFound", "Library", "LibraryDamaged", "PersonalDataFound"]


class Library(ReviewServices, DayServices, ManageServices, ReadingServices, TeamServices, BrowserServices):
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

    def context(self) -> Context:
        """What the domain services need, as of now (the current fetcher and preferences)."""
        return Context(store=self.store, folder=self.folder, fetcher=self.fetcher,
                       preferences=self.preferences, who=lambda: self.actor,
                       refresh_index=self._refresh_index)

    def _refresh_index(self, added: int = 0) -> int:
        if added > REBUILD_OVER and not self.defer_indexing:
            self.indexer.rebuild()
            return added
        return self.process_index_queue()

    # -- opening and closing -------------------------------------------------------------
    @classmethod
    def open(cls, folder: str | Path | None = None, *, create: bool = True,
             starter_themes: bool = True, fetch_settings: FetchSettings | None = None,
             check: str = "auto") -> Library:
        """Open (or, with *create*, make) the library in *folder* or the default place;
        see :mod:`curator.storage.opening` for *check*."""
        folder, store, is_new = opening.open_folder(folder, create=create, check=check)
        lib = cls(folder, store, fetch_settings)
        if is_new and starter_themes:
            themes.add_starter_set(store, None)
        return lib

    def close(self) -> None:
        if self._indexer is not None:
            self._indexer.close()
        self.fetcher.close()
        self.store.close()
        recovery.mark_session(self.folder, False)

    # -- safety ----------------------------------------------------------------------------
    def backup(self, reason: str = "manual") -> Path:
        """A checked copy of the database in backups/ (rotated: 10 recent, 12 monthly)."""
        return recovery.backup_now(self.store, self.folder, reason)

    def backup_if_due(self) -> Path | None:
        return recovery.backup_if_due(self.store, self.folder)

    @classmethod
    def reopen_from_backup(cls, folder: str | Path, chosen: Path | None = None) -> Library:
        """Put a backup (the newest good one unless *chosen*) in place of the closed library
        in *folder* and open it with a full check."""
        recovery.restore(Path(folder), chosen)
        return cls.open(folder, check="full")

    def list_backups(self):
        from curator.storage import backup
        return backup.list_backups(self.backups_dir)

    def check_integrity(self) -> None:
        recovery.check_integrity(self.store, self.folder)

    def risky_place(self) -> str | None:
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
        return self.context().default_export_folder()

    @property
    def backups_dir(self) -> Path:
        return self.folder / paths.BACKUPS_DIR

    # -- settings kept in the library ----------------------------------------------------
    def setting(self, key: str, default: str | None = None) -> str | None:
        return settings.get(self.store, key, default)

    def set_setting(self, key: str, value: str | None) -> None:
        settings.put(self.store, key, value)

    # -- who is acting -------------------------------------------------------------------
    def act_as(self, name: str | None = None) -> experts.Expert:
        """Act as the named expert, or the one who used this library last (see
        :func:`curator.catalogue.acting.who_acts`), and remember them."""
        expert = who_acts(self.store, name, self.setting("last_expert"))
        self._actor = expert.actor
        if self.setting("last_expert") != expert.name and not self.store.read_only:
            with contextlib.suppress(StorageError):  # only a convenience: a full disk waits
                self.set_setting("last_expert", expert.name)
        return expert

    @property
    def acting(self) -> Actor | None:
        """Who is acting, or None before anyone was chosen (never asks, never writes)."""
        return self._actor

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
        return clipping.find_existing(self.context(), url)

    def fetch_page(self, url: str, cancel: CancelFn = None) -> Page:
        """Fetch and read a page. Network only: nothing is written to the library."""
        return clipping.fetch_page(self.fetcher, url, cancel)

    def clip(self, url: str, *, themes_: Iterable[str] = (), tags: Iterable[str] = (),
             note: str = "", type_: str | None = None, audience: Iterable[str] = (),
             fetch: bool = True, page: Page | None = None, fetch_error: str | None = None,
             cancel: CancelFn = None) -> ClipResult:
        """Clip a web address into a draft resource owned by the acting expert.

        A page already in the library (by its address, its normal form or its canonical
        address) is returned as a duplicate, not added again. When the page cannot be
        fetched the resource is still kept, marked "not fetched yet", for a later refetch.
        """
        from curator.review import withdrawn
        return clipping.clip(self.context(), url, themes_=themes_, tags=tags, note=note,
                             type_=type_, audience=audience, fetch=fetch, page=page,
                             fetch_error=fetch_error, cancel=cancel,
                             read_notice=withdrawn.detect)

    def refetch(self, resource_id: str, cancel: CancelFn = None) -> RefetchResult:
        """Fetch a resource's page again, filling in what is missing and refreshing its text.

        Fields the expert has written are never overwritten, and a failed fetch never
        erases text fetched before: the failure is recorded beside it.
        """
        return clipping.refetch(self.context(), resource_id, cancel)

    def refetch_pending(self, cancel: CancelFn = None,
                        progress: ProgressFn = None) -> list[RefetchResult]:
        """Retry every resource that has not been fetched yet (or failed last time)."""
        return clipping.refetch_pending(self.context(), cancel, progress)

    def add_resource(self, url: str, *, title: str = "", summary: str = "", notes: str = "",
                     themes_: Iterable[str] = (), tags: Iterable[str] = (),
                     type_: str | None = None, published: str | None = None,
                     author: str = "", site: str = "", text: str = "",
                     index: bool = True) -> resources.Resource:
        """Add a described resource without fetching (imports, tests and benchmarks)."""
        return editing.add_resource(self.context(), url, title=title, summary=summary,
                                    notes=notes, themes_=themes_, tags=tags, type_=type_,
                                    published=published, author=author, site=site, text=text,
                                    index=index)

    def add_many(self, records: Iterable[dict], *, batch: int = 500,
                 progress: ProgressFn = None, cancel: CancelFn = None) -> AddManyResult:
        """Add many described resources at once (imports, demos, benchmarks); see
        :func:`curator.catalogue.editing.add_many`. Large additions rebuild the index."""
        return editing.add_many(self.context(), records, batch=batch, progress=progress,
                                cancel=cancel)

    # -- importing ---------------------------------------------------------------------
    def import_preview(self, source, mapping: dict | None = None, theme=None,
                       folders_as_tags: bool = True):
        """What importing this file (or bytes) would do; nothing is written."""
        from curator.importing import run as importing
        return importing.preview(self.context(), source, mapping=mapping, theme=theme,
                                 folders_as_tags=folders_as_tags)

    def import_preview_text(self, text: str, theme=None):
        """What importing these pasted links would do; nothing is written."""
        from curator.importing import run as importing
        return importing.preview_text(self.context(), text, theme=theme)

    def import_remap(self, preview, mapping: dict):
        """The same spreadsheet previewed again with corrected columns."""
        return preview.remap(self.context(), mapping)

    def import_run(self, preview, fetch: bool = True, cancel: CancelFn = None,
                   progress: ProgressFn = None, **options):
        """Import what the preview found and fetch the new pages; returns the report."""
        from curator.importing import run as importing
        return importing.run(self.context(), preview, fetch=fetch, cancel=cancel,
                             progress=progress, **options)

    def import_fetch_rest(self, report, cancel: CancelFn = None, progress: ProgressFn = None):
        """Fetch the pages an import left unfetched; returns the updated report."""
        from curator.importing import run as importing
        return importing.fetch_rest(self.context(), report, cancel=cancel, progress=progress)

    def fetch_pending(self, ids: Iterable[str] | None = None, cancel: CancelFn = None,
                      progress: ProgressFn = None, **options):
        """Fetch resources not fetched yet, several hosts at once (resumable)."""
        from curator.importing import run as importing
        return importing.fetch_pending(self.context(), ids, cancel=cancel, progress=progress,
                                       **options)

    # -- reading -------------------------------------------------------------------------
    def get(self, resource_id: str) -> resources.Resource:
        return resources.get(self.store.db, resource_id)

    def text(self, resource_id: str) -> str:
        return resources.text_of(self.store.db, self.get(resource_id).id)

    def list(self, **filters) -> list[resources.Resource]:
        if filters.get("theme"):
            filters["theme"] = themes.resolve_codes(self.store, [filters["theme"]])[0]
        return resources.list_ids(self.store, **filters)

    def work_list(self, view: str = "all", theme: str | None = None,
                  sort: str = "clipped_at", descending: bool = True) -> list[str]:
        """The ids in a work list ("drafts", "due"... or a theme's), sorted by a column."""
        return worklists.ids(self.store, view, theme=theme, sort=sort, descending=descending,
                             expert_id=self._actor.id if self._actor else None)

    def work_list_counts(self) -> dict[str, dict[str, int]]:
        return worklists.counts(self.store, self._actor.id if self._actor else None)

    def table_rows(self, ids: list[str]) -> dict[str, dict]:
        """Rows for the table, with what each flag means (link, why it needs review)."""
        from curator.review import flags
        return flags.rows(self.store, ids)

    def offered_address(self, resource_id: str) -> str | None:
        return worklists.offered_address(self.store, resource_id)

    @staticmethod
    def check_url(text: str) -> str:
        """The address as the library keeps it; a CuratorError says what is wrong with it."""
        from curator.catalogue import urls
        return urls.check_url(text).url

    def history(self, resource_id: str) -> list[dict]:
        return events.history(self.store.db, "resource", self.get(resource_id).id)

    # -- changing ------------------------------------------------------------------------
    def edit(self, resource_id: str, changes: dict, expected_version: int | None = None,
             expected_fields: dict | None = None) -> resources.Resource:
        """Change a resource's description. Unknown or invalid values are refused whole;
        so is a change to a field that changed since *expected_fields* were read."""
        return editing.edit(self.context(), resource_id, changes, expected_version,
                            expected_fields)

    def delete(self, resource_id: str) -> resources.Resource:
        """Move a resource to the trash (it can be restored until the trash is emptied)."""
        return editing.set_deleted(self.context(), resource_id, True)

    def restore(self, resource_id: str) -> resources.Resource:
        return editing.set_deleted(self.context(), resource_id, False)

    def empty_trash(self) -> int:
        return editing.empty_trash(self.context())

    # -- workflow ------------------------------------------------------------------------
    def _transition(self, resource_id: str, action: str, reason: str = "",
                    override_reason: str | None = None,
                    despite: str | None = None) -> resources.Resource:
        with self.store.write("change its status") as db:
            res = workflow.transition(db, self.actor, resource_id, action, reason=reason,
                                      override_reason=override_reason, despite=despite)
            self._team_step(db, res, action, reason)  # a decision from the team folder
        self.process_index_queue()
        self._team_after(action)
        return res

    def submit(self, resource_id: str, override_reason: str | None = None,
               despite: str | None = None):
        """Send a draft for approval (after the personal-data check; *despite* is the
        reason to go ahead past a withdrawn, superseded, broken or moved page)."""
        return self._transition(resource_id, "submit", override_reason=override_reason,
                                despite=despite)

    def approve(self, resource_id: str, override_reason: str | None = None,
                despite: str | None = None):
        """Approve for publishing: theme leads only; four eyes where the theme asks."""
        return self._transition(resource_id, "approve", override_reason=override_reason,
                                despite=despite)

    def send_back(self, resource_id: str, reason: str):
        return self._transition(resource_id, "send_back", reason=reason)

    def retire(self, resource_id: str, reason: str):
        """Retire a resource (it leaves future bundles), recorded as a review decision."""
        with self.store.write("retire it") as db:
            res = workflow.transition(db, self.actor, resource_id, "retire", reason=reason)
            decisions.attest(db, self.actor, res.id, "retired", reason)
            res = resources.get(db, res.id)
        self.process_index_queue()
        return res

    def reinstate(self, resource_id: str):
        return self._transition(resource_id, "reinstate")

    def save_preferences(self, prefs) -> None:
        """Save new preferences (shared with the command line) and use them now."""
        from curator import preferences
        preferences.save(prefs)
        self.apply_preferences(prefs)

    def apply_preferences(self, prefs) -> None:
        """Use new preferences now (proxy, certificates, contact) without reopening."""
        self.preferences = prefs
        old, self.fetcher = self.fetcher, Fetcher(prefs.fetch_settings())
        old.close()

    # -- bundles ---------------------------------------------------------------------------
    def export_bundle(self, theme_codes: list[str], to: str | Path | None = None,
                      override_reason: str | None = None, despite: str | None = None):
        """Write a bundle of the themes' approved resources for the portal."""
        from curator.publishing import portal
        return portal.export_bundle(self.context(), theme_codes, to, override_reason,
                                    despite=despite)

    def import_bundle(self, path: str | Path):
        """Check a bundle and merge it into this library; returns the import report."""
        from curator.publishing import portal
        return portal.import_bundle(self.context(), path)

    def bundles(self) -> list[dict]:
        from curator.publishing import portal
        return portal.list_bundles(self.context())

    # -- search index --------------------------------------------------------------------
    @property
    def indexer(self):
        with self._indexer_lock:
            if self._indexer is None:
                from curator.search.indexer import Indexer
                self._indexer = Indexer(self.store, self.index_dir)
            return self._indexer

    def process_index_queue(self) -> int:
        """Apply pending index updates now (see :meth:`Indexer.apply_queue`); returns how
        many resources were refreshed. Nothing to do while the app drains it itself."""
        if self.defer_indexing or self.store.read_only:
            return 0
        return self.indexer.apply_queue()

    def search(self, query: str, **options):
        """Search the index (free words, "phrases", OR, -word, prefix*, field filters)."""
        return self.indexer.search(query, **options)

    def more_like_this(self, resource_id: str, limit: int = 10):
        return self.indexer.more_like_this(self.get(resource_id).id, limit=limit)

    def thesaurus_entries(self) -> list[dict]:
        return library_thesaurus.entries(self.store)

    def add_thesaurus_entry(self, terms: list[str]) -> dict:
        """Teach search that these words or phrases mean the same (e.g. CIN = child in need)."""
        entry = library_thesaurus.add(self.store, self.actor, terms)
        self.indexer.reload_thesaurus()
        return entry

    def remove_thesaurus_entry(self, entry_id: int) -> None:
        library_thesaurus.remove(self.store, self.actor, entry_id)
        self.indexer.reload_thesaurus()

    # -- what changed ----------------------------------------------------------------------
    def change_mark(self) -> int:
        """A mark in the audit log; :meth:`changes_since` says what was written after it."""
        return changes.mark(self.store)

    def changes_since(self, mark: int) -> changes.Changes:
        """What every write since *mark* changed (the app refreshes from this alone)."""
        return changes.since(self.store, mark)
