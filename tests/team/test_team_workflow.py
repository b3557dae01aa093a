"""End to end through the command line: two people, two libraries, one team folder."""

from __future__ import annotations

import json

from tests.team.conftest import EXPERT, LEAD, clip, status_of


def test_the_expert_submits_the_lead_decides_and_the_expert_sees_both(team):
    expert, lead, folder = team
    keep = clip(expert, "https://example.org/safety-planning", "Safety planning with mothers")
    back = clip(expert, "https://example.org/coercive-control", "Coercive control explained")
    expert.ok("submit", keep)
    expert.ok("submit", back)
    sent = sorted((folder / "submissions").iterdir())
    assert len(sent) == 2
    assert all(json.loads(p.read_text())["body"]["from"]["name"] == EXPERT for p in sent)

    out = lead.ok("team", "sync")
    assert "Awaiting your approval: “Safety planning with mothers” from Asha Patel, sent" in out
    awaiting = lead.json("team", "awaiting")
    assert {a["resource_id"] for a in awaiting} == {keep, back}
    assert all(a["sender_name"] == EXPERT and a["sent_at"] for a in awaiting)
    shown = lead.json("show", keep, "--history")
    assert shown["notes"] == "Why it matters for practice"
    assert any(h["action"] == "team.received" for h in shown["history"])

    lead.ok("approve", keep)
    lead.ok("send-back", back, "--reason", "Please add a summary for practitioners")
    assert len(list((folder / "decisions").iterdir())) == 2

    out = expert.ok("team", "sync")
    assert "“Safety planning with mothers” approved by Ben Lead on" in out
    assert "“Coercive control explained” sent back by Ben Lead on" in out
    assert "Please add a summary for practitioners" in out
    assert status_of(expert, keep) == "approved"
    assert status_of(expert, back) == "draft"
    history = expert.json("show", keep, "--history")["history"]
    approved = [h for h in history if h["action"] == "workflow.approved"]
    assert approved and approved[-1]["expert"] == LEAD
    drafts = expert.json("list", "--status", "draft")
    assert back in {r["id"] for r in drafts}

    # A second sync changes nothing and says so.
    assert "Up to date" in expert.ok("team", "sync")
    assert "Up to date" in lead.ok("team", "sync")

    # The details pane's line for each, as both people read it.
    from curator.library import Library
    with Library.open(expert.library) as mine:
        assert " approved by Ben Lead on " in mine.team_words(keep)
        assert mine.team_words(keep).startswith("Sent for approval through the team folder")
        assert "“Please add a summary for practitioners”" in mine.team_words(back)
    with Library.open(lead.library) as theirs:
        assert theirs.team_words(keep).startswith("Sent to you for approval by Asha Patel")
        assert "you approved it on" in theirs.team_words(keep)
        assert "you sent it back on" in theirs.team_words(back)


def test_sent_back_edited_and_sent_again_then_approved(team):
    expert, lead, folder = team
    rid = clip(expert, "https://example.org/coercive-control", "Coercive control explained")
    expert.ok("submit", rid)
    lead.ok("team", "sync")
    lead.ok("send-back", rid, "--reason", "Please add a summary")
    expert.ok("team", "sync")
    assert status_of(expert, rid) == "draft"
    expert.ok("edit", rid, "--summary", "What coercive control looks like at home")
    expert.ok("submit", rid)
    out = lead.ok("team", "sync")
    assert "Awaiting your approval: “Coercive control explained” from Asha Patel" in out
    shown = lead.json("show", rid)
    assert shown["status"] == "submitted"
    assert shown["summary"] == "What coercive control looks like at home"
    assert len(lead.json("team", "awaiting")) == 1
    lead.ok("approve", rid)
    assert "approved by Ben Lead" in expert.ok("team", "sync")
    assert status_of(expert, rid) == "approved"
    sent = expert.json("team", "status")["sent"]
    assert [s["outcome"] for s in sent] == ["approved", "sent_back"]
