"""A whole link-check run over the library: choose the links, check, record, resume.

A run that is cancelled (or killed) is resumed by the next one: links already checked
since the run began are skipped. If the first answers all say the site names cannot be
found, on several sites, the computer is probably offline: the run stops without recording anything,
rather than marking good links as failing.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field

from curator import clock, linkhealth
from curator.errors import Cancelled, CuratorError
from curator.linkcheck import LinkChecker, LinkResult

OFFLINE_SAMPLE = 5
OFFLINE_HOSTS = 3
#: An offline laptop cannot look up any site name.
OFFLINE_OUTCOMES = {"dns"}


@dataclass
class RunSummary:
    checked: int = 0
    total: int = 0
    outcomes: Counter = field(default_factory=Counter)
    health: Counter = field(default_factory=Counter)
    cancelled: bool = False
    resumed: bool = False

    def to_dict(self) -> dict:
        return {"checked": self.checked, "total": self.total, "cancelled": self.cancelled,
                "resumed": self.resumed, "outcomes": dict(self.outcomes),
                "health": dict(self.health)}


def _select(lib, theme: str | None, due_only: bool, since: str | None) -> list[tuple[str, str]]:
    sql = ("SELECT r.id, r.url FROM resources r WHERE r.deleted_at IS NULL AND "
           "r.status != 'retired'")
    params: list = []
    if theme:
        sql += (" AND EXISTS (SELECT 1 FROM resource_themes t WHERE t.resource_id = r.id AND "
                "t.theme_code = ?)")
        params.append(theme)
    if due_only:
        sql += " AND r.review_due <= ?"
        params.append(clock.today().isoformat())
    if since:
        sql += " AND (r.link_checked_at IS NULL OR r.link_checked_at < ?)"
        params.append(since)
    return [(r["id"], r["url"]) for r in lib.store.db.execute(sql + " ORDER BY r.rowid", params)]


def run(lib, *, theme: str | None = None, due_only: bool = False, cancel=None, progress=None,
        **checker_options) -> RunSummary:
    """Check the chosen links and record each result as it arrives (call off the GUI thread)."""
    from curator import themes
    actor = lib.actor
    if theme:
        theme = themes.resolve_codes(lib.store, [theme])[0]
    scope = f"{theme or '*'}|{int(due_only)}"
    run_key = lib.setting("linkcheck_run")
    summary = RunSummary()
    if run_key and run_key.split("#", 1)[0] == scope:
        run_id, since = run_key.split("#", 1)[1].split("@", 1)
        summary.resumed = True
    else:
        run_id, since = str(uuid.uuid4()), clock.now_iso()
        lib.set_setting("linkcheck_run", f"{scope}#{run_id}@{since}")
    items = _select(lib, theme, due_only, since if summary.resumed else None)
    summary.total = len(items)
    held: list[tuple[str, LinkResult]] = []
    offline = [False]

    def write(key: str, result: LinkResult) -> None:
        with lib.store.write("record the link check") as db:
            health = linkhealth.record(db, actor, key, result, run_id=run_id)
        summary.health[health] += 1

    def looks_offline() -> bool:
        hosts = {r.url.split("/")[2] for _, r in held}
        return len(hosts) >= OFFLINE_HOSTS and all(r.outcome in OFFLINE_OUTCOMES
                                                   for _, r in held)

    def on_result(key: str, result: LinkResult) -> None:
        if offline[0]:
            return
        summary.checked += 1
        summary.outcomes[result.outcome] += 1
        if summary.checked <= OFFLINE_SAMPLE:
            # Hold the first answers back until they show the computer is online.
            held.append((key, result))
            if len(held) == min(OFFLINE_SAMPLE, summary.total):
                if looks_offline():
                    offline[0] = True
                    return
                for k, r in held:
                    write(k, r)
                held.clear()
            return
        write(key, result)

    def stop() -> bool:
        return offline[0] or bool(cancel and cancel())

    checker = LinkChecker(lib.fetcher.settings, want_body=True, **checker_options)
    try:
        checker.check(items, on_result, cancel=stop,
                      progress=(lambda d, t: progress(d, t, "")) if progress else None)
    finally:
        checker.close()
    if offline[0]:
        raise CuratorError("Every site failed to answer, so this computer seems to be "
                           "offline. Nothing was recorded; check the links again when you "
                           "are connected.")
    for k, r in held:  # fewer results than the offline sample
        write(k, r)
    if cancel and cancel():
        summary.cancelled = True
        lib.process_index_queue()
        raise Cancelled(f"Link check stopped after {summary.checked} of {summary.total}; "
                        "the next check carries on from there.")
    lib.set_setting("linkcheck_run", None)
    lib.process_index_queue()
    return summary
