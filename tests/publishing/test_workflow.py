"""The publishing workflow, enforced by the core whatever the front end (BAD-INPUTS 33)."""

import pytest

from curator.base.errors import CuratorError, NotAllowed
from curator.publishing.workflow import PersonalDataFound


@pytest.fixture
def team(library):
    """Alex leads DA; Priya is a member of DA; Jo leads NEG (four eyes on)."""
    for name in ("Priya Shah", "Jo Grant"):
        library.add_expert(name)
    library.set_theme_role("DA", "Alex Lead", "lead")
    library.set_theme_role("DA", "Priya Shah", "member")
    library.set_theme_role("NEG", "Alex Lead", "lead")
    library.set_theme_role("NEG", "Jo Grant", "lead")  # by a lead of NEG (Alex)
    library.edit_theme("NEG", four_eyes=True)
    return library


def clip(lib, who, url, themes):
    lib.act_as(who)
    return lib.add_resource(url, title="Guidance", themes_=themes, index=False)


def test_draft_submitted_approved_retired(team):
    r = clip(team, "Priya Shah", "https://example.org/a", ["DA"])
    assert r.status == "draft"
    assert team.submit(r.id).status == "submitted"
    team.act_as("Alex Lead")
    assert team.approve(r.id).status == "approved"
    assert team.retire(r.id, "Replaced by newer guidance").status == "retired"
    actions = [h["action"] for h in team.history(r.id)]
    assert actions[-4:] == ["workflow.submitted", "workflow.approved", "workflow.retired",
                            "review.retired"]
    approved = [h for h in team.history(r.id) if h["action"] == "workflow.approved"][0]
    assert approved["expert"] == "Alex Lead"
    assert approved["detail"]["status"] == ["submitted", "approved"]


def test_only_a_lead_of_the_resources_theme_may_approve(team):
    r = clip(team, "Priya Shah", "https://example.org/a", ["DA"])
    team.submit(r.id)
    with pytest.raises(NotAllowed, match="Only a lead or deputy of DA"):
        team.approve(r.id)  # Priya is a member, not a lead
    team.act_as("Jo Grant")
    with pytest.raises(NotAllowed, match="Only a lead or deputy of DA"):
        team.approve(r.id)  # Jo leads another theme
    assert team.get(r.id).status == "submitted"


def test_four_eyes_refuses_approving_your_own_clip_or_edit(team):
    r = clip(team, "Alex Lead", "https://example.org/n", ["NEG"])
    team.submit(r.id)
    with pytest.raises(NotAllowed, match="four eyes"):
        team.approve(r.id)
    team.act_as("Jo Grant")
    team.edit(r.id, {"notes": "Jo's note"})   # Jo is now the last editor
    with pytest.raises(NotAllowed, match="four eyes"):
        team.approve(r.id)
    team.act_as("Alex Lead")
    team.edit(r.id, {"notes": "Alex's note"})
    team.act_as("Jo Grant")
    assert team.approve(r.id).status == "approved"


def test_editing_a_public_field_of_an_approved_resource_sends_it_back(team):
    r = clip(team, "Priya Shah", "https://example.org/a", ["DA"])
    team.submit(r.id)
    team.act_as("Alex Lead")
    team.approve(r.id)
    edited = team.edit(r.id, {"title": "New title"})
    assert edited.status == "submitted"
    detail = [h for h in team.history(r.id) if h["action"] == "resource.edit"][-1]["detail"]
    assert detail["status"] == ["approved", "submitted"]


def test_send_back_needs_a_reason_and_wrong_steps_are_refused(team):
    r = clip(team, "Priya Shah", "https://example.org/a", ["DA"])
    with pytest.raises(NotAllowed, match="draft, so it cannot be approved"):
        team.approve(r.id)
    team.submit(r.id)
    team.act_as("Alex Lead")
    with pytest.raises(CuratorError, match="reason"):
        team.send_back(r.id, "  ")
    back = team.send_back(r.id, "Please add why it matters")
    assert back.status == "draft"
    assert team.history(r.id)[-1]["detail"]["reason"] == "Please add why it matters"


def test_a_resource_without_a_theme_cannot_be_approved(team):
    r = clip(team, "Priya Shah", "https://example.org/a", [])
    team.submit(r.id)
    team.act_as("Alex Lead")
    with pytest.raises(NotAllowed, match="no theme"):
        team.approve(r.id)


def test_cli_workflow(tmp_path, capsys):
    from curator.cli import main
    lib = ["--library", str(tmp_path / "lib")]
    assert main([*lib, "--as", "Alex", "clip", "https://example.org/x", "--no-fetch",
                 "--theme", "DA"]) == 0
    rid = capsys.readouterr().out.strip()
    assert main([*lib, "--as", "Alex", "submit", rid]) == 0
    assert main([*lib, "--as", "Alex", "approve", rid]) == 4  # not a lead yet
    assert "Only a lead" in capsys.readouterr().err
    assert main([*lib, "--as", "Alex", "themes", "lead", "DA", "Alex"]) == 0
    assert main([*lib, "--as", "Alex", "approve", rid]) == 0
    assert main([*lib, "--as", "Alex", "send-back", rid, "--reason", "typo"]) == 0
    assert main([*lib, "--as", "Alex", "retire", rid, "--reason", "old"]) == 0
    capsys.readouterr()
    assert main([*lib, "--json", "show", rid]) == 0
    assert '"status": "retired"' in capsys.readouterr().out


# -- the personal-data guard before submit and approve (BAD-INPUTS 29) -------------------
PHONE_NOTE = "Call mum on 07700 900123 after school."


def last_event(lib, rid, action):
    return [h for h in lib.history(rid) if h["action"] == action][-1]


def test_submit_is_blocked_by_personal_data_and_nothing_changes(team):
    r = clip(team, "Priya Shah", "https://example.org/a", ["DA"])
    team.edit(r.id, {"notes": PHONE_NOTE})
    with pytest.raises(PersonalDataFound, match="phone number") as err:
        team.submit(r.id)
    assert "It was not submitted" in err.value.message
    assert [h.kind for h in err.value.hits] == ["phone"]
    assert team.get(r.id).status == "draft"
    assert not [h for h in team.history(r.id) if h["action"] == "workflow.submitted"]


def test_approve_is_blocked_by_personal_data_added_after_submitting(team):
    r = clip(team, "Priya Shah", "https://example.org/a", ["DA"])
    team.submit(r.id)
    team.edit(r.id, {"summary": "Seen at clinic, NHS number 943 476 5919."})
    assert team.get(r.id).status == "submitted"
    team.act_as("Alex Lead")
    with pytest.raises(PersonalDataFound, match="NHS number") as err:
        team.approve(r.id)
    assert "It was not approved" in err.value.message
    assert team.get(r.id).status == "submitted"


def test_only_an_approver_may_submit_past_a_warning(team):
    r = clip(team, "Priya Shah", "https://example.org/a", ["DA"])
    team.edit(r.id, {"notes": PHONE_NOTE})
    with pytest.raises(NotAllowed, match="Only a lead or deputy of DA"):
        team.submit(r.id, override_reason="It is the team's duty line")  # Priya: a member
    team.act_as("Jo Grant")  # a lead, but of another theme
    with pytest.raises(NotAllowed, match="Only a lead or deputy of DA"):
        team.submit(r.id, override_reason="It is the team's duty line")
    assert team.get(r.id).status == "draft"
    team.act_as("Alex Lead")
    assert team.submit(r.id, override_reason="  It is the team's duty line ").status \
        == "submitted"
    detail = last_event(team, r.id, "workflow.submitted")["detail"]
    assert detail["personal_data_override"] == "It is the team's duty line"
    assert detail["hits"] == ["a phone number"]


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_going_past_a_warning_needs_a_reason(team, blank):
    r = clip(team, "Priya Shah", "https://example.org/a", ["DA"])
    team.submit(r.id)
    team.edit(r.id, {"notes": PHONE_NOTE})
    team.act_as("Alex Lead")  # an approver, but without saying why
    with pytest.raises(PersonalDataFound):
        team.approve(r.id, override_reason=blank)
    assert team.get(r.id).status == "submitted"
    approved = team.approve(r.id, override_reason="The number is the service's own")
    assert approved.status == "approved"
    detail = last_event(team, r.id, "workflow.approved")["detail"]
    assert detail["personal_data_override"] == "The number is the service's own"


def test_cli_submit_and_approve_refuse_personal_data_and_take_a_leads_override(
        tmp_path, capsys):
    from curator.cli import main
    lib = ["--library", str(tmp_path / "lib")]
    assert main([*lib, "--as", "Alex", "themes", "lead", "DA", "Alex"]) == 0
    assert main([*lib, "--as", "Alex", "experts", "add", "Priya"]) == 0
    assert main([*lib, "--as", "Alex", "themes", "member", "DA", "Priya"]) == 0
    assert main([*lib, "--as", "Priya", "clip", "https://example.org/x", "--no-fetch",
                 "--theme", "DA", "--note", PHONE_NOTE]) == 0
    rid = capsys.readouterr().out.strip().splitlines()[-1]
    assert main([*lib, "--as", "Priya", "submit", rid]) == 4
    assert "phone number" in capsys.readouterr().err
    assert main([*lib, "--as", "Priya", "submit", rid, "--override", "duty line"]) == 4
    assert "Only a lead" in capsys.readouterr().err
    assert main([*lib, "--as", "Alex", "submit", rid, "--override", "duty line"]) == 0
    assert main([*lib, "--as", "Alex", "approve", rid]) == 4
    assert "phone number" in capsys.readouterr().err
    assert main([*lib, "--as", "Alex", "approve", rid, "--override", "duty line"]) == 0
    capsys.readouterr()
    assert main([*lib, "--json", "show", rid]) == 0
    assert '"status": "approved"' in capsys.readouterr().out
