"""Deputies (issue 17): a deputy approves a theme's resources as its leads do, but only a
lead appoints or removes leads and deputies, and the last lead of a theme cannot step down
to deputy or leave while deputies remain (a deputy does not count as a lead)."""

import json

import pytest

from curator.base.errors import NotAllowed
from curator.cli import main
from curator.library import Library
from curator.storage import schema


@pytest.fixture
def team(library):
    """Alex Lead leads DA (four eyes on); Priya Shah is its deputy; Jo Grant a member."""
    for name in ("Priya Shah", "Jo Grant"):
        library.add_expert(name)
    library.set_theme_role("DA", "Alex Lead", "lead")
    library.set_theme_role("DA", "Priya Shah", "deputy")
    library.set_theme_role("DA", "Jo Grant", "member")
    library.edit_theme("DA", four_eyes=True)
    return library


def test_a_theme_lists_its_deputies_apart_from_its_leads(team):
    theme = team.theme("DA")
    assert (theme.leads, theme.deputies, theme.members) == (
        ["Alex Lead"], ["Priya Shah"], ["Jo Grant"])
    assert theme.approvers() == ["Alex Lead", "Priya Shah"]
    words = [c["words"] for c in team.theme_history("DA")]
    assert "Alex Lead made Priya Shah a deputy" in words


def test_a_deputy_approves_and_sends_back_with_four_eyes_kept(team):
    team.act_as("Jo Grant")
    first = team.add_resource("https://example.org/a", title="Guide", themes_=["DA"],
                              index=False)
    second = team.add_resource("https://example.org/b", title="Tool", themes_=["DA"],
                               index=False)
    team.submit(first.id)
    team.submit(second.id)
    team.act_as("Priya Shah")
    assert team.approve(first.id).status == "approved"
    assert team.send_back(second.id, "Needs a newer edition").status == "draft"
    # Four eyes still holds for a deputy: not on what she clipped herself.
    own = team.add_resource("https://example.org/c", title="Mine", themes_=["DA"],
                            index=False)
    team.submit(own.id)
    with pytest.raises(NotAllowed, match="four eyes"):
        team.approve(own.id)
    # A member does not approve.
    team.act_as("Jo Grant")
    with pytest.raises(NotAllowed, match="Only a lead or deputy of DA"):
        team.approve(own.id)
    assert team.get(own.id).status == "submitted"


def test_a_deputy_does_not_appoint_or_change_the_guarded_settings(team):
    team.act_as("Priya Shah")
    with pytest.raises(NotAllowed, match="Only a lead of DA can make Jo Grant a deputy"):
        team.set_theme_role("DA", "Jo Grant", "deputy")
    with pytest.raises(NotAllowed, match="make Priya Shah a lead of it"):
        team.set_theme_role("DA", "Priya Shah", "lead")
    with pytest.raises(NotAllowed, match="take Priya Shah off as its deputy"):
        team.set_theme_role("DA", "Priya Shah", None)
    with pytest.raises(NotAllowed, match="turn four eyes on or off"):
        team.edit_theme("DA", four_eyes=False)
    with pytest.raises(NotAllowed, match="deactivate Alex Lead"):
        team.set_expert_active("Alex Lead", False)
    theme = team.theme("DA")
    assert (theme.leads, theme.deputies, theme.four_eyes) == (["Alex Lead"], ["Priya Shah"],
                                                              True)
    # Deactivating a deputy changes who approves: it needs a lead too.
    team.act_as("Jo Grant")
    with pytest.raises(NotAllowed, match="deactivate Priya Shah, a deputy"):
        team.set_expert_active("Priya Shah", False)
    team.act_as("Alex Lead")
    assert team.set_expert_active("Priya Shah", False).active is False


def test_the_last_lead_cannot_step_down_while_only_deputies_remain(team):
    with pytest.raises(NotAllowed, match="only lead of DA"):
        team.set_theme_role("DA", "Alex Lead", "deputy")
    with pytest.raises(NotAllowed, match="only lead of DA"):
        team.set_theme_role("DA", "Alex Lead", None)
    assert team.theme("DA").leads == ["Alex Lead"]
    # Once a deputy is made lead, the old lead may step down to deputy.
    team.set_theme_role("DA", "Priya Shah", "lead")
    theme = team.set_theme_role("DA", "Alex Lead", "deputy")
    assert (theme.leads, theme.deputies) == (["Priya Shah"], ["Alex Lead"])


def test_the_cli_makes_a_deputy_and_lists_them(team, capsys):
    folder = str(team.store.folder)
    team.close()
    assert main(["--library", folder, "--as", "Alex Lead", "themes", "deputy", "DA",
                 "Jo Grant"]) == 0
    out = capsys.readouterr().out
    assert "deputies: Jo Grant, Priya Shah" in out
    assert main(["--library", folder, "themes", "list", "--json"]) == 0
    listed = {t["code"]: t for t in json.loads(capsys.readouterr().out)}
    assert listed["DA"]["deputies"] == ["Jo Grant", "Priya Shah"]
    assert listed["DA"]["leads"] == ["Alex Lead"]
    # A deputy cannot make another: the core's reason, and nothing changed.
    assert main(["--library", folder, "--as", "Jo Grant", "themes", "remove", "DA",
                 "Priya Shah"]) != 0
    assert "Only a lead of DA can take Priya Shah off as its deputy" in capsys.readouterr().err
    with Library.open(folder) as lib:
        assert lib.theme("DA").deputies == ["Jo Grant", "Priya Shah"]


def test_a_library_made_before_deputies_keeps_its_roles(tmp_path, monkeypatch):
    older = [fn for fn in schema.STEPS if fn.__name__ != "m011_deputies"]
    folder = tmp_path / "lib"
    with monkeypatch.context() as patch:
        patch.setattr(schema, "STEPS", older)
        with Library.open(folder) as lib:
            lib.act_as("Alex Lead")
            lib.add_expert("Priya Shah")
            lib.set_theme_role("DA", "Alex Lead", "lead")
            lib.set_theme_role("DA", "Priya Shah", "member")
            with pytest.raises(Exception):  # the old table refuses the new role
                lib.set_theme_role("DA", "Priya Shah", "deputy")
    with Library.open(folder) as lib:
        lib.act_as("Alex Lead")
        assert (lib.theme("DA").leads, lib.theme("DA").members) == (["Alex Lead"],
                                                                     ["Priya Shah"])
        assert lib.set_theme_role("DA", "Priya Shah", "deputy").deputies == ["Priya Shah"]
