"""Review dates, the review queue, decisions, and link-check runs against local servers."""

import datetime as dt
import json
import threading

import pytest
from werkzeug import Response as WResponse

from curator.base import clock
from curator.base.errors import Cancelled, CuratorError
from tests.support.servers import serve


def add(library, url, **kw):
    kw.setdefault("title", "A resource")
    kw.setdefault("themes_", ["DA"])
    return library.add_resource(url, index=False, **kw)


def later(monkeypatch, days):
    real_now = clock.now
    monkeypatch.setattr(clock, "now", lambda: real_now() + dt.timedelta(days=days))
    real_today = clock.today
    monkeypatch.setattr(clock, "today", lambda: real_today() + dt.timedelta(days=days))


def test_queue_gives_each_reason_in_plain_words(library, monkeypatch):
    today = clock.today()
    overdue = add(library, "https://example.org/overdue", title="Overdue one")
    library.edit(overdue.id, {"review_due": (today - dt.timedelta(days=3)).isoformat()})
    soon = add(library, "https://example.org/soon", title="Soon one")
    library.edit(soon.id, {"review_due": (today + dt.timedelta(days=10)).isoformat()})
    old = add(library, "https://example.org/old", title="Old research",
              published=f"{today.year - 9}-01-01")
    add(library, "https://example.org/fine", title="Fine")
    items = {i.title: [r.code for r in i.reasons] for i in library.review_queue()}
    assert items == {"Overdue one": ["overdue"], "Soon one": ["due_soon"],
                     "Old research": ["old_evidence"]}
    texts = [r.text for i in library.review_queue() for r in i.reasons]
    assert any("3 days ago" in t for t in texts)
    assert any("more than 5 years ago" in t for t in texts)
    assert [i.title for i in library.review_queue(due_only=True)] == ["Overdue one"]
    assert {i.title for i in library.review_queue(soon_days=14)} == {"Overdue one", "Soon one"}
    assert library.review_queue(theme="NEG") == []
    del old


def test_confirm_records_an_attestation_and_moves_the_date_on(library, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: dt.date(2024, 2, 29))
    r = add(library, "https://example.org/a")
    library.edit(r.id, {"review_due": "2024-02-01"})
    confirmed = library.confirm(r.id, "Still the best guide")
    assert confirmed.review_due == "2025-02-28"  # 29 February + 12 months
    assert confirmed.last_reviewed == "2024-02-29"
    [attestation] = library.reviews(r.id)
    assert attestation["expert"] == "Alex Lead" and attestation["outcome"] == "confirmed"
    assert attestation["note"] == "Still the best guide"
    assert attestation["next_due"] == "2025-02-28"
    assert library.review_queue() == []


def test_update_then_confirm_is_one_decision(library):
    r = add(library, "https://example.org/a")
    done = library.update_and_confirm(r.id, {"notes": "Updated for 2026"}, "checked")
    assert done.notes == "Updated for 2026" and done.last_reviewed
    assert [h["action"] for h in library.history(r.id)][-2:] == ["resource.edit",
                                                                "review.confirmed"]


def test_replace_link_keeps_history_and_refuses_duplicates(library):
    a = add(library, "https://example.org/old-address")
    b = add(library, "https://example.org/other")
    moved = library.replace_link(a.id, "https://example.org/new-address", "moved by the site")
    assert moved.url == "https://example.org/new-address"
    replace = [h for h in library.history(a.id) if h["action"] == "resource.replace_link"][0]
    assert replace["detail"]["url"] == ["https://example.org/old-address",
                                        "https://example.org/new-address"]
    with pytest.raises(CuratorError, match="already has that address"):
        library.replace_link(a.id, b.url)
    assert library.find_existing("https://example.org/new-address").id == a.id


def test_retire_takes_it_out_of_the_queue_with_a_reason(library):
    r = add(library, "https://example.org/a")
    library.edit(r.id, {"review_due": "2020-01-01"})
    with pytest.raises(CuratorError, match="reason"):
        library.retire(r.id, "")
    retired = library.retire(r.id, "Superseded by the 2026 guidance")
    assert retired.status == "retired" and retired.retired_reason.startswith("Superseded")
    assert library.review_queue() == []
    assert library.reviews(r.id)[-1]["outcome"] == "retired"


def due_view(library):
    """The app's "Due for review" list (the sidebar view), by the library's own rule."""
    from curator.catalogue import worklists
    return worklists.ids(library.store, "due")


def test_old_evidence_is_flagged_until_an_expert_confirms_it(library, capsys):
    today = clock.today()
    old = add(library, "https://example.org/old", title="Old research",
              published=f"{today.year - 9}-01-01")
    assert [x.code for x in library.review_item(old.id).reasons] == ["old_evidence"]
    assert due_view(library) == [old.id]
    library.confirm(old.id, "Still the best study of its kind")
    assert library.review_item(old.id) is None
    assert library.review_queue() == [] and due_view(library) == []
    from curator.cli import main
    assert main(["--library", str(library.folder), "--json", "review"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    # Listed again for another reason (its review is near), it is not called old again.
    library.edit(old.id, {"review_due": (today + dt.timedelta(days=10)).isoformat()})
    assert [x.code for x in library.review_item(old.id).reasons] == ["due_soon"]
    assert [[x.code for x in i.reasons] for i in library.review_queue()] == [["due_soon"]]


def test_a_review_before_the_evidence_turned_old_does_not_count(library, monkeypatch):
    today = clock.today()
    published = today - dt.timedelta(days=round(4.5 * 365))  # five years old in six months
    r = add(library, "https://example.org/aging", title="Ageing research",
            published=published.isoformat())
    library.confirm(r.id, "Fine for now")
    assert library.review_item(r.id) is None
    later(monkeypatch, 365)  # now more than five years old, last reviewed before that
    item = library.review_item(r.id)
    assert item is not None and "old_evidence" in [x.code for x in item.reasons]
    assert r.id in due_view(library)
    library.update_and_confirm(r.id, {"notes": "Checked against newer studies"}, "still used")
    item = library.review_item(r.id)
    assert item is None or "old_evidence" not in [x.code for x in item.reasons]
    assert r.id not in due_view(library)


# -- link checks against real local servers ----------------------------------------------
def checked(library, **kw):
    return library.check_links(spacing=0, **kw)


def test_a_link_is_broken_only_after_two_failures_a_day_apart(library, httpserver,
                                                              monkeypatch):
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    r = add(library, httpserver.url_for("/gone"))
    checked(library)
    assert library.get(r.id).link_health == "check_again"
    checked(library)  # again the same day: still only "check again"
    assert library.get(r.id).link_health == "check_again"
    later(monkeypatch, 1)
    checked(library)
    assert library.get(r.id).link_health == "broken"
    reasons = [x.code for i in library.review_queue() for x in i.reasons]
    assert "broken_link" in reasons
    rows = library.store.query("SELECT outcome FROM link_checks WHERE resource_id = ?", (r.id,))
    assert [x["outcome"] for x in rows] == ["not_found"] * 3


def test_good_link_recovers_and_each_class_is_recorded(library, httpserver, raw_server,
                                                       page_bytes):
    ok = add(library, serve(httpserver, "/ok", page_bytes("guidance.html")))
    httpserver.expect_request("/private").respond_with_data("no", status=403)
    blocked = add(library, httpserver.url_for("/private"))
    release = threading.Event()
    raw_server.handler = lambda conn, req: release.wait(5)
    slow = add(library, raw_server.url("/never"))
    library.fetcher.settings.read_timeout = 0.5
    checked(library)
    release.set()
    assert library.get(ok.id).link_health == "ok"
    assert library.get(blocked.id).link_health == "blocked"
    assert library.get(slow.id).link_health == "unreachable"  # not broken


@pytest.fixture(params=["here", "other process"])
def page_reading(request, monkeypatch):
    """Run a test with pages read in this process, and again in another process (as big
    link-check runs do)."""
    from curator.review import linkhealth, linkrun
    if request.param == "other process":
        monkeypatch.setattr(linkrun, "POOL_MIN_LINKS", 1)

        def not_here(*_args):
            raise AssertionError("the page was read in this process")
        monkeypatch.setattr(linkhealth, "read_result", not_here)
    return request.param


def test_changed_page_is_flagged_with_a_diff_and_can_be_accepted(library, httpserver,
                                                                 page_bytes, page_reading):
    url = httpserver.url_for("/page")
    httpserver.expect_ordered_request("/page").respond_with_data(page_bytes("guidance.html"),
                                                                 content_type="text/html")
    r = library.clip(url).resource
    original = library.text(r.id)
    rewritten = page_bytes("guidance.html").replace(
        b"Talk to your manager, consider a referral to the multi-agency risk assessment "
        b"conference, and make a safety plan with the non-abusing parent where it is safe to "
        b"do so.",
        b"From April all referrals go through the new single front door; the risk conference "
        b"process has been replaced by a daily safeguarding meeting chaired by the police, "
        b"and practitioners must complete the new online form within one working day of "
        b"any disclosure, with a manager's sign-off before the end of the same shift.")
    httpserver.expect_ordered_request("/page").respond_with_data(rewritten,
                                                                 content_type="text/html")
    checked(library)
    assert library.text(r.id) == original  # never overwritten by a check
    hunks = library.page_change(r.id)
    assert hunks and any(c.kind in ("changed", "added", "removed")
                         for h in hunks for c in h.changes)
    assert "changed" in [x.code for i in library.review_queue() for x in i.reasons]
    library.accept_change(r.id, "new process noted")
    assert "single front door" in library.text(r.id)
    assert library.page_change(r.id) is None


GUIDE_PARAS = [
    "Coercive control is a pattern of acts of assault, threats, humiliation and intimidation "
    "used to harm, punish or frighten a victim.",
    "Practitioners should listen to what children say about life at home and record the "
    "pattern rather than single incidents.",
    "Talk to your manager, consider a referral to the multi-agency risk assessment conference,"
    " and make a safety plan with the non-abusing parent.",
    "Share information with partners when a child is at risk, and keep the child's voice at "
    "the centre of every plan you make together.",
]


def guide_page(updated: str, views: str, banner: str) -> bytes:
    paras = "".join(f"<p>{p}</p>" for p in GUIDE_PARAS)
    return (f"<html><head><title>Coercive control: a guide</title></head><body>"
            f"<div class='cookie-banner'><p>{banner}</p></div><main><article>"
            f"<h1>Coercive control: a guide</h1><p>Last updated {updated}</p>{paras}"
            f"<p>This page has been viewed {views} times.</p></article></main></body>"
            f"</html>").encode()


def test_a_new_date_banner_or_counter_is_not_a_changed_page(library, httpserver,
                                                          page_reading):
    url = httpserver.url_for("/guide")
    httpserver.expect_ordered_request("/guide").respond_with_data(
        guide_page("3 May 2024", "1,204", "We use cookies to make this site work."),
        content_type="text/html")
    r = library.clip(url).resource
    stored = library.text(r.id)
    assert "3 May 2024" in stored and "1,204" in stored
    again = guide_page("9 June 2025", "1,377",
                       "We'd like to set additional cookies to understand how you use it.")
    httpserver.expect_request("/guide").respond_with_data(again, content_type="text/html")
    seen_now = library.fetch_page(url).extracted.text
    assert seen_now != stored and "9 June 2025" in seen_now  # the check sees a new text
    summary = checked(library)
    assert summary.checked == 1 and library.get(r.id).link_health == "ok"
    assert library.page_change(r.id) is None
    assert library.review_item(r.id) is None
    assert [x.code for i in library.review_queue() for x in i.reasons] == []
    assert library.text(r.id) == stored
    # The same page with a section rewritten is a change: the check did compare.
    rewritten = again.replace(GUIDE_PARAS[2].encode(), (
        b"From April every referral goes through the new single front door, the risk "
        b"conference has been replaced by a daily safeguarding meeting chaired by the police, "
        b"and practitioners must complete the online form within one working day of any "
        b"disclosure, with a manager's sign-off before the end of the same shift."))
    httpserver.clear()
    httpserver.expect_request("/guide").respond_with_data(rewritten, content_type="text/html")
    checked(library)
    assert library.page_change(r.id) is not None
    assert [x.code for x in library.review_item(r.id).reasons] == ["changed"]


def test_withdrawn_guidance_is_flagged_with_its_replacement(library, httpserver,
                                                          page_reading):
    page = (
        b"<html><body><main><div class='gem-c-notice'><h2>This guidance was withdrawn on "
        b"1 May 2023</h2><p>It has been replaced by <a href='/guidance/new-way'>the new "
        b"guidance</a>.</p></div><h1>Old guidance</h1><p>Some text of the old guidance that "
        b"is long enough to be a page.</p></main></body></html>")
    r = add(library, serve(httpserver, "/guidance/old", page))
    checked(library)
    item = library.review_queue()[0]
    assert item.resource_id == r.id
    reason = [x for x in item.reasons if x.code in ("withdrawn", "superseded")][0]
    assert httpserver.url_for("/guidance/new-way") in reason.text


def test_failed_check_never_erases_text(library, httpserver, page_bytes):
    url = httpserver.url_for("/p")
    httpserver.expect_ordered_request("/p").respond_with_data(page_bytes("guidance.html"),
                                                              content_type="text/html")
    r = library.clip(url).resource
    before = library.text(r.id)
    httpserver.expect_ordered_request("/p").respond_with_response(WResponse(status=500))
    checked(library)
    assert library.text(r.id) == before
    assert library.get(r.id).link_health == "unreachable"


def test_a_cancelled_run_resumes_where_it_stopped(library, httpserver):
    httpserver.expect_request("/ok").respond_with_data("<html><title>x</title></html>")
    ids = [add(library, httpserver.url_for("/ok") + f"?n={n}").id for n in range(6)]
    calls = []

    def cancel_after_three():
        return len(calls) >= 3

    def progress(done, total, _t):
        calls.append(done)
    with pytest.raises(Cancelled, match="carries on"):
        library.check_links(spacing=0, per_host=1, cancel=cancel_after_three,
                            progress=progress)
    done_first = {i for i in ids if library.get(i).link_health != "unchecked"}
    assert 0 < len(done_first) < 6
    summary = checked(library)
    assert summary.resumed and summary.checked == 6 - len(done_first)
    assert all(library.get(i).link_health == "ok" for i in ids)


def test_offline_laptop_records_nothing(library):
    for n in range(5):
        add(library, f"https://site{n}.invalid/page")
    with pytest.raises(CuratorError, match="offline"):
        checked(library)
    assert library.store.query_one("SELECT count(*) FROM link_checks")[0] == 0


def test_an_edit_racing_a_link_check_loses_nothing(library, httpserver):
    gate = threading.Event()

    def slow(request):
        gate.wait(5)
        return WResponse("<html><title>t</title><body><p>text</p></body></html>",
                         content_type="text/html")
    httpserver.expect_request("/race").respond_with_handler(slow)
    r = add(library, httpserver.url_for("/race"))
    result = {}
    worker = threading.Thread(target=lambda: result.setdefault("s", checked(library)))
    worker.start()
    library.edit(r.id, {"notes": "Edited while the check ran"}, expected_version=r.version)
    gate.set()
    worker.join(10)
    final = library.get(r.id)
    assert final.notes == "Edited while the check ran"
    assert final.link_health == "ok"
