"""Bulk actions on a selection (issue 17): every resource still checked by the rules,
the refused listed with the reason and left as they were, the rest done; one undo puts
the whole action back, and only what has not changed since."""

import pytest

from curator.base.errors import CuratorError, NotFound


@pytest.fixture
def team(library):
    """Alex Lead leads DA and NEG; Priya Shah is a member of DA; four eyes on NEG."""
    library.add_expert("Priya Shah")
    library.set_theme_role("DA", "Alex Lead", "lead")
    library.set_theme_role("NEG", "Alex Lead", "lead")
    library.set_theme_role("DA", "Priya Shah", "member")
    library.edit_theme("NEG", four_eyes=True)
    return library


def add(lib, n, **fields):
    return [lib.add_resource(f"https://example.org/page-{n}-{i}", title=f"Page {n}.{i}",
                             **fields).id for i in range(3)]


def statuses(lib, ids):
    return [lib.get(rid).status for rid in ids]


def test_fields_change_on_every_resource_and_one_undo_puts_them_all_back(team):
    ids = add(team, 1, themes_=["NEG"], tags=["MARAC"])
    done = team.bulk(ids, "add_themes", "DA")
    assert done.done == ids and not done.refused
    assert all(sorted(team.get(rid).themes) == ["DA", "NEG"] for rid in ids)
    assert team.bulk(ids, "add_themes", "da").unchanged == ids  # already so: nothing again
    tagged = team.bulk(ids, "add_tags", "court, Court ,MARAC")
    assert all(set(team.get(rid).tags) == {"MARAC", "court"} for rid in ids), tagged
    team.bulk(ids, "set_type", "Practice tool")
    team.bulk(ids, "set_audience", ["managers", "practitioners"])
    assert {team.get(rid).type for rid in ids} == {"practice tool"}
    removed = team.bulk(ids, "remove_tags", "marac")
    assert [team.get(rid).tags for rid in ids] == [["court"]] * 3
    undone = team.bulk_undo(removed)
    assert undone.done == ids
    assert all(set(team.get(rid).tags) == {"MARAC", "court"} for rid in ids)
    undone = team.bulk_undo(done)
    assert [team.get(rid).themes for rid in ids] == [["NEG"]] * 3
    history = team.history(ids[0])
    assert history[-1]["expert"] == "Alex Lead" and history[-1]["detail"]["undo"] == "add_themes"


def test_submit_and_approve_are_checked_one_by_one(team):
    drafts = add(team, 2, themes_=["DA"])
    nothing = team.add_resource("https://example.org/no-theme", title="No theme").id
    phone = team.add_resource("https://example.org/phone", title="Phone", themes_=["DA"],
                              notes="Call mum on 07700 900123 after school.").id
    team.act_as("Priya Shah")
    sent = team.bulk([*drafts, nothing, phone], "submit")
    assert sent.done == [*drafts, nothing]
    assert [r.resource_id for r in sent.refused] == [phone]
    assert "It was not submitted" in sent.refused[0].reason
    assert team.get(phone).status == "draft"
    # Priya is not a lead: every approval refused with the rule's reason, nothing changed.
    refused = team.bulk(drafts, "approve")
    assert not refused.done and "Only a lead or deputy of DA" in refused.refused[0].reason
    team.act_as("Alex Lead")
    approved = team.bulk([*drafts, nothing], "approve")
    assert approved.done == drafts
    assert "no theme" in approved.refused[0].reason
    assert statuses(team, drafts) == ["approved"] * 3
    assert team.published_version(drafts[0]) is not None
    assert "3 approved. 1 was not" in approved.summary()


def test_four_eyes_refuses_only_the_resources_the_approver_clipped(team):
    mine = team.add_resource("https://example.org/mine", title="Mine", themes_=["NEG"]).id
    team.act_as("Priya Shah")
    theirs = team.add_resource("https://example.org/theirs", title="Theirs",
                               themes_=["NEG"]).id
    team.bulk([mine, theirs], "submit")
    team.act_as("Alex Lead")
    result = team.bulk([mine, theirs], "approve")
    assert result.done == [theirs]
    assert "four eyes" in result.refused[0].reason and result.refused[0].title == "Mine"


def test_undoing_an_approval_puts_back_the_status_and_the_published_version(team):
    ids = add(team, 3, themes_=["DA"])
    team.bulk(ids, "submit")
    approved = team.bulk(ids, "approve")
    undone = team.bulk_undo(approved)
    assert undone.done == ids and statuses(team, ids) == ["submitted"] * 3
    assert team.published_version(ids[0]) is None
    assert team.store.query_one("SELECT count(*) FROM approved_texts")[0] == 0
    again = team.bulk_redo(approved)
    assert again.done == ids and statuses(team, ids) == ["approved"] * 3
    assert team.history(ids[0])[-2]["action"] == "bulk.undo"


def test_an_undo_leaves_what_changed_since_and_says_why(team):
    ids = add(team, 4, themes_=["DA"])
    sent = team.bulk(ids, "submit")
    team.edit(ids[1], {"title": "Changed since"})
    undone = team.bulk_undo(sent)
    assert undone.done == [ids[0], ids[2]]
    assert [r.resource_id for r in undone.refused] == [ids[1]]
    assert "changed since" in undone.refused[0].reason
    assert statuses(team, ids) == ["draft", "submitted", "draft"]
    retagged = team.bulk(ids, "add_tags", "court")
    team.edit(ids[2], {"tags": ["other"]})
    undone = team.bulk_undo(retagged)
    assert [r.resource_id for r in undone.refused] == [ids[2]]
    assert team.get(ids[2]).tags == ["other"] and team.get(ids[0]).tags == []


def test_only_the_expert_who_did_it_undoes_a_step(team):
    ids = add(team, 5, themes_=["DA"])
    sent = team.bulk(ids, "submit")
    team.act_as("Priya Shah")
    undone = team.bulk_undo(sent)
    assert not undone.done and "Only the expert who did this" in undone.refused[0].reason
    assert statuses(team, ids) == ["submitted"] * 3


def test_confirm_and_retire_and_their_undo(team):
    ids = add(team, 6, themes_=["DA"])
    before = [team.get(rid).review_due for rid in ids]
    confirmed = team.bulk(ids, "confirm", note="Checked with the team")
    assert all(team.get(rid).last_reviewed for rid in ids)
    assert team.reviews(ids[0])[-1]["note"] == "Checked with the team"
    team.bulk_undo(confirmed)
    assert [team.get(rid).review_due for rid in ids] == before
    assert team.reviews(ids[0]) == [] and team.get(ids[0]).last_reviewed is None
    with pytest.raises(CuratorError, match="reason"):
        team.bulk(ids, "retire")
    retired = team.bulk(ids, "retire", reason="Replaced by the 2026 guidance")
    assert statuses(team, ids) == ["retired"] * 3
    assert team.get(ids[0]).retired_reason == "Replaced by the 2026 guidance"
    assert team.bulk(ids, "confirm").refused[0].reason.startswith("This resource is retired")
    team.bulk_undo(retired)
    assert statuses(team, ids) == ["draft"] * 3 and team.get(ids[0]).retired_reason is None


def test_bad_values_are_refused_whole_and_unknown_ids_one_by_one(team):
    ids = add(team, 7)
    with pytest.raises(NotFound):
        team.bulk(ids, "add_themes", "NOPE")
    with pytest.raises(CuratorError, match="not a resource type"):
        team.bulk(ids, "set_type", "leaflet")
    with pytest.raises(CuratorError, match="Type a tag"):
        team.bulk(ids, "add_tags", " , ")
    with pytest.raises(CuratorError, match="not something"):
        team.bulk(ids, "explode")
    result = team.bulk([ids[0], "zzzzzzzz"], "add_tags", "court")
    assert result.done == [ids[0]] and result.refused[0].resource_id == "zzzzzzzz"
    assert all(team.get(rid).tags == [] for rid in ids[1:])


def test_undoing_the_approval_of_an_edit_keeps_the_version_published_before(team):
    ids = add(team, 8, themes_=["DA"])
    team.bulk(ids, "submit")
    team.bulk(ids, "approve")
    team.edit(ids[0], {"title": "A better title"})  # waits for approval; old one published
    assert team.get(ids[0]).status == "submitted"
    again = team.bulk(ids, "approve")
    assert again.done == [ids[0]] and again.unchanged == ids[1:] and not again.refused
    assert team.published_version(ids[0]).fields["title"] == "A better title"
    team.bulk_undo(again)
    assert team.get(ids[0]).status == "submitted"
    assert team.published_version(ids[0]).fields["title"] == "Page 8.0"
