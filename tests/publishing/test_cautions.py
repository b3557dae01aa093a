"""Withdrawn, superseded, broken or moved pages are never published without a deliberate
choice with a recorded reason (issue 16), found by real link checks on a local server."""

import datetime as dt

import pytest

from curator.base import clock
from curator.cli import main
from curator.library import CautionFound
from tests.support.servers import serve

WITHDRAWN = (
    b"<html><body><main><div class='gem-c-notice'><h2>This guidance was withdrawn on "
    b"1 May 2023</h2><p>It is no longer current.</p></div><h1>Old guidance</h1><p>Some "
    b"text of the old guidance that is long enough to be a page of its own.</p></main>"
    b"</body></html>")


@pytest.fixture
def team(library):
    library.add_expert("Priya Shah")
    library.set_theme_role("DA", "Alex Lead", "lead")
    library.set_theme_role("DA", "Priya Shah", "member")
    return library


def later(monkeypatch, days):
    real_now, real_today = clock.now, clock.today
    monkeypatch.setattr(clock, "now", lambda: real_now() + dt.timedelta(days=days))
    monkeypatch.setattr(clock, "today", lambda: real_today() + dt.timedelta(days=days))


def withdrawn_draft(team, httpserver):
    team.act_as("Priya Shah")
    r = team.add_resource(serve(httpserver, "/guidance/old", WITHDRAWN), title="Old guidance",
                          themes_=["DA"], index=False)
    team.check_links(spacing=0)
    return r


def test_submit_and_approve_of_withdrawn_guidance_need_a_reason(team, httpserver):
    r = withdrawn_draft(team, httpserver)
    with pytest.raises(CautionFound) as err:
        team.submit(r.id)
    assert "withdrawn" in err.value.message and "1 May 2023" in err.value.message
    assert team.get(r.id).status == "draft"
    team.submit(r.id, despite="Still the guidance our area follows until March")
    submitted = [h for h in team.history(r.id) if h["action"] == "workflow.submitted"][-1]
    assert submitted["detail"]["despite"] == "Still the guidance our area follows until March"
    assert submitted["detail"]["cautions"][0]["code"] == "withdrawn"
    team.act_as("Alex Lead")
    with pytest.raises(CautionFound, match="It was not approved"):
        team.approve(r.id)
    assert team.get(r.id).status == "submitted"
    assert team.approve(r.id, despite="Agreed for now").status == "approved"


def test_export_of_a_withdrawn_page_is_refused_unless_overridden(team, httpserver, tmp_path):
    r = withdrawn_draft(team, httpserver)
    team.submit(r.id, despite="Still used")
    team.act_as("Alex Lead")
    team.approve(r.id, despite="Still used")
    with pytest.raises(CautionFound, match="withdrawn") as err:
        team.export_bundle(["DA"], tmp_path / "1")
    assert err.value.found[0][0] == "Old guidance"
    assert not (tmp_path / "1").exists()
    team.export_bundle(["DA"], tmp_path / "2", despite="Until the new guidance is out")
    over = [h for h in team.history(r.id) if h["action"] == "caution.override"]
    assert over[-1]["detail"]["despite"] == "Until the new guidance is out"
    # The same caution, already gone past, does not ask again at the next export.
    team.export_bundle(["DA"], tmp_path / "3")


def test_a_confirmed_broken_link_blocks_export_from_the_command_line(team, httpserver,
                                                                       monkeypatch, tmp_path,
                                                                       capsys):
    ok = serve(httpserver, "/fine", WITHDRAWN.replace(b"withdrawn", b"written"))
    team.act_as("Priya Shah")
    r = team.add_resource(ok, title="A good page", themes_=["DA"], index=False)
    team.submit(r.id)
    team.act_as("Alex Lead")
    team.approve(r.id)
    httpserver.clear()
    httpserver.expect_request("/fine").respond_with_data("gone", status=404)
    team.check_links(spacing=0)
    assert team.get(r.id).link_health == "check_again"
    team.export_bundle(["DA"], tmp_path / "first-failure")  # one failure is not broken yet
    later(monkeypatch, 1)
    team.check_links(spacing=0)
    assert team.get(r.id).link_health == "broken"
    folder = str(team.folder)
    team.close()
    args = ["--library", folder, "--as", "Alex Lead", "export", "--theme", "DA", "--to",
            str(tmp_path / "cli")]
    assert main(args) != 0
    err = capsys.readouterr().err
    assert "The link is broken" in err and "say why" in err
    assert main([*args, "--despite", "The site is being rebuilt; back next week"]) == 0
    assert list((tmp_path / "cli").glob("*.zip"))


def test_a_draft_with_no_caution_is_not_asked(team):
    team.act_as("Priya Shah")
    r = team.add_resource("https://example.org/fine", title="Fine", themes_=["DA"],
                          index=False)
    assert team.submit(r.id).status == "submitted"
    assert "despite" not in team.history(r.id)[-1]["detail"]


def test_a_page_clipped_with_a_withdrawal_notice_is_flagged_at_once(team, httpserver):
    team.act_as("Priya Shah")
    result = team.clip(serve(httpserver, "/guidance/withdrawn", WITHDRAWN), themes_=["DA"])
    assert "The page says it has been withdrawn." in result.warnings
    reasons = [r.code for r in team.review_item(result.resource.id).reasons]
    assert "withdrawn" in reasons
    with pytest.raises(CautionFound, match="1 May 2023"):
        team.submit(result.resource.id)
